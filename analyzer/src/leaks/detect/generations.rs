//! Generations of one plugin: live loaders of one class that each define the same classes,
//! none stale (their instances are still held), each redeploy having left its version loaded.
//! The candidate is held by the field that keeps most of them alive, or by the threads whose
//! `ThreadLocal` values (set by a generation's code and never removed) are their last
//! instances.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::holders::{Holder, Holding};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// Loaders of one class needed for a group of generations.
const MIN_GENERATIONS: usize = 3;

/// Generations: at least [`MIN_GENERATIONS`] live loaders of one class that each define the
/// same classes, none stale (their instances are still held): each redeploy left its version
/// loaded. The holder is the field that holds most of their classes' live instances; the
/// series of several modules kept by one holder add up, whether they define the same classes
/// (`uk-tariff-gen-#`, `ch-tares-gen-#`) or each their own (one vendor's bundles beside
/// another's, both leaving their drivers registered).
pub(super) fn detect(
    a: &Analysis,
    r: &crate::report::classloaders::ClassLoaderReport,
) -> Vec<Candidate> {
    let mut out: Vec<(Generations, Holding)> = Vec::new();
    for (mut g, (best, instances)) in generation_groups(r)
        .into_iter()
        .filter_map(|g| held_by(a, &g).map(|h| (g, h)))
    {
        g.instances = instances;
        match out
            .iter_mut()
            .find(|(o, h)| h.holder == best.holder && o.class == g.class)
        {
            Some((o, _)) => {
                o.same_classes &= o.names == g.names;
                o.loaders += g.loaders;
                o.retained += g.retained;
                o.instances += g.instances;
                o.series += 1;
            }
            None => out.push((g, best)),
        }
    }
    out.into_iter()
        .map(|(g, h)| generation_candidate(g, h))
        .collect()
}

/// One series of generations: live loaders of one class, named alike, defining the same classes.
struct Generations {
    class: String,
    names: Vec<String>,
    ids: Vec<u64>,
    loaders: u64,
    retained: u64,
    instances: u64,
    series: u64,
    /// Whether every series added up defines the same classes as the first.
    same_classes: bool,
}

/// The series of [`MIN_GENERATIONS`] or more live loaders of one class that define the same
/// classes. Loaders named after different modules (`script:fee-calc@24`, `script:geo@24`) are
/// not generations of one: only the numbers in a name may differ.
fn generation_groups(r: &crate::report::classloaders::ClassLoaderReport) -> Vec<Generations> {
    use rustc_hash::FxHashMap;
    type Key = (String, Vec<String>, String);
    let mut groups: FxHashMap<Key, Vec<&crate::report::classloaders::LoaderInfo>> =
        FxHashMap::default();
    for l in &r.loaders {
        if !l.stale && l.classes > 0 && !l.class_names.is_empty() {
            let pattern = l.name.as_deref().map(super::thread_names::digits_to_hash);
            groups
                .entry((
                    l.class.clone(),
                    l.class_names.clone(),
                    pattern.unwrap_or_default(),
                ))
                .or_default()
                .push(l);
        }
    }
    let mut out: Vec<(String, Generations)> = groups
        .into_iter()
        .map(|(key, ls)| (key, same_module(ls)))
        .filter(|(_, ls)| ls.len() >= MIN_GENERATIONS)
        .map(|((class, names, pattern), ls)| {
            let g = Generations {
                class,
                names,
                ids: ls.iter().map(|l| l.id.0).collect(),
                loaders: ls.len() as u64,
                retained: ls.iter().map(|l| l.retained_bytes).sum(),
                instances: 0,
                series: 1,
                same_classes: true,
            };
            (pattern, g)
        })
        .collect();
    // In name order: which series a merged candidate is shown by does not depend on hashing.
    out.sort_by(|x, y| (&x.1.class, &x.1.names, &x.0).cmp(&(&y.1.class, &y.1.names, &y.0)));
    out.into_iter().map(|(_, g)| g).collect()
}

/// Of loaders named alike, those that are generations of one module: where names carry two
/// numbers or more, the last is the version (`seed-rules-branch-200-v3`) and the others name
/// the module, so only loaders whose names differ in the last number alone are generations; one
/// loader per branch or tenant, side by side, is none. Names with one number (`uk-tariff-gen-7`)
/// or none keep all.
fn same_module(
    ls: Vec<&crate::report::classloaders::LoaderInfo>,
) -> Vec<&crate::report::classloaders::LoaderInfo> {
    let module = |l: &crate::report::classloaders::LoaderInfo| module_of(l.name.as_deref()?);
    let mut counts: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for m in ls.iter().filter_map(|l| module(l)) {
        *counts.entry(m).or_default() += 1;
    }
    ls.into_iter()
        .filter(|l| module(l).is_none_or(|m| counts.get(&m).is_some_and(|&n| n > 1)))
        .collect()
}

/// The module a loader's name names: the name with its last number masked, when another number
/// comes before it (`seed-rules-branch-200-v3` is `seed-rules-branch-200-v#`); None otherwise.
fn module_of(name: &str) -> Option<String> {
    let end = name.rfind(|c: char| c.is_ascii_digit())?;
    let start = name[..end]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .len();
    name[..start]
        .contains(|c: char| c.is_ascii_digit())
        .then(|| format!("{}#{}", &name[..start], &name[end + 1..]))
}

/// The field that keeps the series' loaders alive, and how many live instances their classes
/// have: the holder of what pins most loaders from outside the generations (the first object
/// above each in the dominator tree that is none of theirs), else the field that holds most
/// sampled live instances of their classes; never a field of a class they define.
fn held_by(a: &Analysis, g: &Generations) -> Option<(Holding, u64)> {
    let wanted: Vec<bool> = a
        .heap
        .classes
        .iter()
        .map(|c| g.ids.contains(&c.loader_id))
        .collect();
    let instances = crate::query::find::instances_of(a, &wanted);
    // What pins each loader from outside its generation (a cache keyed by its classes, a map
    // of its instances), else what holds the instances, outside the generations.
    let loaders: Vec<u32> = g.ids.iter().filter_map(|&id| a.graph.ids.get(id)).collect();
    let in_generations = |v: u32| {
        let k = a
            .graph
            .class_object(v)
            .unwrap_or_else(|| a.graph.class_of(v));
        (k != crate::graph::ids::NONE && wanted[k as usize]) || loaders.contains(&v)
    };
    let pins: Vec<u32> = loaders
        .iter()
        .filter_map(|&l| first_outside(a, l, &in_generations))
        .take(64)
        .collect();
    let sample = crate::query::collections::spread_to(&instances, INSTANCE_SAMPLE);
    let loader = |v: u32| a.heap.classes.get(a.graph.class_of(v)).loader_id;
    let best = most_common_holder(a, &pins, &in_generations, (&|_| 0, 1))
        .or_else(|| most_common_holder(a, &sample, &in_generations, (&loader, 2)))
        .or_else(|| thread_local_values(a, &sample))?;
    Some((best, instances.len() as u64))
}

/// How the evidence says that the instances are values threads keep in their `ThreadLocal`
/// maps (the advice looks for it).
pub(crate) const THREAD_LOCAL_WORDS: &str =
    ", most of them values in pooled threads' ThreadLocal maps: set by a generation's code and never removed";

/// The JDK class of a thread's `ThreadLocal` map entries, which hold the values strongly.
const TL_ENTRY: &str = "java.lang.ThreadLocal$ThreadLocalMap$Entry";
/// The JDK class of a thread's `ThreadLocal` map (`Thread.threadLocals`).
const TL_MAP: &str = "java.lang.ThreadLocal$ThreadLocalMap";

/// `Thread.threadLocals` when most of the `sample` of the generations' live instances are
/// values of threads' `ThreadLocal` maps (a generation's code set them on pooled threads and
/// never removed them): the holder, at the map of the lowest entry.
fn thread_local_values(a: &Analysis, sample: &[u32]) -> Option<Holding> {
    let entries: Vec<(u32, u32)> = crate::query::find::referrers(a, sample.iter().copied())
        .into_iter()
        .filter(|&(r, _)| crate::query::objects::node_class(a, r) == TL_ENTRY)
        .collect();
    let mut held: Vec<u32> = entries.iter().map(|&(_, v)| v).collect();
    held.sort_unstable();
    held.dedup();
    if sample.is_empty() || held.len() * 2 < sample.len() {
        return None;
    }
    let entry = entries.iter().map(|&(r, _)| r).min()?;
    // The entry's table, then its map (the thread's field), up the dominator tree.
    let map = std::iter::successors(Some(entry), |&v| {
        let d = a.dom.idom[v as usize];
        (d != crate::graph::ids::NONE && d != crate::dom::dominators::SUPER_ROOT).then_some(d)
    })
    .take(4)
    .find(|&v| crate::query::objects::node_class(a, v) == TL_MAP)
    .unwrap_or(entry);
    Some(Holding {
        holder: Holder {
            class: "java.lang.Thread".into(),
            field: "threadLocals".into(),
            is_static: false,
        },
        owner: map,
        chain: vec![map],
        via: Vec::new(),
    })
}

/// Live instances of the generations' classes read for their holder, spread over all of them.
const INSTANCE_SAMPLE: usize = 256;

/// Above `v` in the dominator tree, the first object that is not `inside` (at most 64 steps
/// up); None when the super-root comes first.
fn first_outside(a: &Analysis, v: u32, inside: &impl Fn(u32) -> bool) -> Option<u32> {
    let mut d = v;
    for _ in 0..64 {
        d = a.dom.idom[d as usize];
        if d == crate::graph::ids::NONE || d == crate::dom::dominators::SUPER_ROOT {
            return None;
        }
        if !inside(d) {
            return Some(d);
        }
    }
    None
}

/// The holder found for most of `targets`, leaving out holders owned by an object `inside`,
/// among those found for targets of `min` different generations (`generation` of a target) or
/// more: one that holds the current generation's instances alone (the plugin in use) keeps
/// none of the others alive.
fn most_common_holder(
    a: &Analysis,
    targets: &[u32],
    inside: &impl Fn(u32) -> bool,
    (generation, min): (&dyn Fn(u32) -> u64, usize),
) -> Option<Holding> {
    use rustc_hash::{FxHashMap, FxHashSet};
    let holdings = crate::query::holders::find_holders(a, targets, 8);
    let mut tally: FxHashMap<String, (FxHashSet<u64>, usize, &Holding)> = FxHashMap::default();
    // Of one holder's chains, the one to the lowest node: the same whatever order the targets
    // come in (their order follows names, which a pseudonymised copy changes).
    for (&v, h) in targets.iter().zip(&holdings) {
        let Some(h) = h.as_ref().filter(|h| !inside(h.owner)) else {
            continue;
        };
        let e = tally
            .entry(h.holder.display())
            .or_insert((FxHashSet::default(), 0, h));
        e.0.insert(generation(v));
        e.1 += 1;
        if h.chain.last() < e.2.chain.last() {
            e.2 = h;
        }
    }
    let (_, (_, _, best)) = tally
        .into_iter()
        .filter(|(_, (kept, _, _))| kept.len() >= min)
        .max_by_key(|(k, (kept, n, _))| (kept.len(), *n, k.clone()))?;
    Some(best.clone())
}

/// The candidate of the generations kept by one holder.
fn generation_candidate(g: Generations, best: Holding) -> Candidate {
    let node = best.chain.first().copied();
    let by_threads = best.holder.class == "java.lang.Thread" && best.holder.field == "threadLocals";
    let class = g.class;
    let mut c = Candidate::new(LeakKind::Classloaders, node, class.clone(), g.retained);
    c.holding = Some(best);
    c.element_class = class.clone();
    c.element_classes = vec![(class.clone(), g.loaders)];
    c.entries = g.loaders;
    c.finding.stale_entries = Some(0);
    let series = if g.series > 1 {
        format!(" (generations of {} modules)", g.series)
    } else {
        String::new()
    };
    let define = if g.same_classes {
        format!("each define the same {} classes (", g.names.len())
    } else {
        format!(
            "each define their module's classes (the first module's {}: ",
            g.names.len()
        )
    };
    let pooled = if by_threads { THREAD_LOCAL_WORDS } else { "" };
    c.add(evidence(
        EvidenceName::StaleLoaders,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} live {class} loaders{series} {define}{}): every redeploy left its generation loaded, kept alive by {} live instances of their classes{pooled}",
            g.loaders,
            g.names.join(", "),
            thousands(g.instances)
        ),
    ));
    c
}

#[cfg(test)]
mod tests {
    use super::module_of;

    #[test]
    fn a_module_is_a_name_up_to_its_last_number() {
        assert_eq!(
            module_of("seed-rules-branch-200-v3").as_deref(),
            Some("seed-rules-branch-200-v#")
        );
        assert_eq!(module_of("rules-t12-v40").as_deref(), Some("rules-t12-v#"));
        assert_eq!(module_of("app-2.3.1@17x").as_deref(), Some("app-2.3.1@#x"));
        // One number names no module apart from its version.
        assert_eq!(module_of("uk-tariff-gen-7"), None);
        assert_eq!(module_of("plugin"), None);
    }
}
