//! Candidates from the specialised analyses: ThreadLocal groups ([`crate::report::threadlocals`]),
//! class loaders ([`crate::report::classloaders`]) and open resources ([`crate::report::resources`]). Each
//! analysis measures its own evidence (stale entries, unused loaders, open descriptors); it is
//! attached here.

use crate::base::text::{bytes as fmt_bytes, thousands};
use crate::dom::analysis::Analysis;
use crate::query::holders::{Holder, Holding};
use crate::report::finding::LeakFinding;
use crate::report::resources::{ResourceFinding, ResourceKind};
use crate::report::runtime::RuntimeReports;

use super::super::candidate::{evidence, Candidate};
use super::super::evidence::held;
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// ThreadLocal, class-loader and resource findings retaining at least `floor` (or, for
/// resources and loaders, counting enough of them), read from the reports built once per run.
/// Every ThreadLocal retaining `floor` is a candidate, however small its value per thread:
/// three hundred pool threads keeping 20 KiB each are judged, not dropped.
pub(crate) fn detect(a: &Analysis, floor: u64, runtime: &RuntimeReports) -> Vec<Candidate> {
    let mut out = Vec::new();
    let groups = &runtime.threadlocals.groups;
    for f in crate::report::threadlocals::findings_above(&runtime.threadlocals, floor, 0) {
        let values = groups
            .iter()
            .filter(|_| f.keys == 0)
            .find(|g| !g.stale && g.largest_node.is_some() && g.largest_node == f.node)
            .map(|g| g.value_nodes.as_slice())
            .unwrap_or_default();
        let mut c = threadlocal(a, f);
        if c.finding.stale_entries == Some(0) {
            super::thread_values::add_elements(a, &mut c, values);
        }
        out.push(c);
    }
    let loaders = &runtime.classloaders;
    for f in crate::report::classloaders::findings_of(loaders, floor * 10) {
        out.push(classloaders(a, f));
    }
    out.extend(generations(a, loaders));
    let now = a.heap.dump.meta().timestamp_ms;
    let open = crate::report::resources::findings_of(
        &runtime.resources,
        floor * 10,
        &runtime.resource_options,
    );
    for f in open {
        out.push(resources(a, f, now));
    }
    out
}

fn base(a: &Analysis, kind: LeakKind, f: &LeakFinding) -> Candidate {
    let class = f
        .node
        .map(|v| crate::query::objects::node_class(a, v))
        .unwrap_or_else(|| f.element_class.clone());
    let mut c = Candidate::new(kind, f.node, class, f.retained_bytes);
    let holder = f.holder.clone().unwrap_or(Holder {
        class: "java.lang.Thread".into(),
        field: "threadLocals".into(),
        is_static: false,
    });
    c.holding = Some(Holding {
        holder,
        owner: f.node.unwrap_or(0),
        chain: f.node.into_iter().collect(),
        via: Vec::new(),
    });
    c.element_class = f.element_class.clone();
    c.element_classes = vec![(f.element_class.clone(), f.entries.max(1))];
    c.entries = f.entries;
    c.finding.threads = f.threads.clone();
    c.finding.value_class = f.value_class.clone();
    c.finding.explanation = f.explanation.clone();
    c
}

fn threadlocal(a: &Analysis, f: LeakFinding) -> Candidate {
    let mut c = base(a, LeakKind::Threadlocal, &f);
    c.finding.stale_entries = Some(f.stale_entries);
    if f.stale_entries > 0 {
        c.add(evidence(
            EvidenceName::StaleThreadLocals,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} ThreadLocal entries whose key was garbage-collected still hold {} values ({}): no code can reach or remove them",
                thousands(f.stale_entries),
                f.element_class,
                fmt_bytes(f.retained_bytes)
            ),
        ));
        return c;
    }
    if f.keys > 0 {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} ThreadLocals of one instance field (a ThreadLocal per object) hold {} entries on {} threads: each set and never removed, one entry more per object and thread for as long as the pooled threads live",
                thousands(f.keys),
                thousands(f.entries),
                thousands(f.threads.len() as u64)
            ),
        ));
        return c;
    }
    // One entry per thread in a live group: the thread names listed are at most a few dozen.
    let threads = f.entries.max(f.threads.len() as u64).max(1);
    let value = f.value_class.clone().unwrap_or_default();
    if f.retained_bytes / threads < crate::report::threadlocals::SMALL_VALUE {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::MemoryHungry,
            Strength::Weak,
            format!(
                "one {value} per thread on {} threads ({} each on average): small values, bounded by the number of threads while the threads stay",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    } else if value.ends_with("[]") && !value.ends_with("[][]") && is_primitive_array(&value) {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "one {value} per thread on {} threads ({} each on average): a reusable scratch buffer, bounded by the number of threads",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    } else {
        c.add(evidence(
            EvidenceName::PerThread,
            Supports::Leak,
            Strength::Moderate,
            format!(
                "each of {} threads keeps a {value} ({} each on average) after its task: set and never removed, it stays as long as the pooled thread",
                thousands(threads),
                fmt_bytes(f.retained_bytes / threads)
            ),
        ));
    }
    c
}

fn is_primitive_array(name: &str) -> bool {
    matches!(
        name.trim_end_matches("[]"),
        "boolean" | "char" | "float" | "double" | "byte" | "short" | "int" | "long"
    )
}

fn classloaders(a: &Analysis, f: LeakFinding) -> Candidate {
    let mut c = base(a, LeakKind::Classloaders, &f);
    c.finding.stale_entries = Some(f.stale_entries);
    c.add(evidence(
        EvidenceName::StaleLoaders,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {} class loaders of class {} are stale: no instance of their classes is live and no thread uses them, yet they are held ({})",
            thousands(f.stale_entries),
            thousands(f.entries),
            f.element_class,
            fmt_bytes(f.retained_bytes)
        ),
    ));
    c
}

/// Loaders of one class needed for a group of generations.
const MIN_GENERATIONS: usize = 3;

/// Generations: at least [`MIN_GENERATIONS`] live loaders of one class that each define the
/// same classes, none stale (their instances are still held): each redeploy left its version
/// loaded. The holder is the field that holds most of their classes' live instances; the
/// series of several modules (`uk-tariff-gen-#`, `ch-tares-gen-#`) kept by one holder add up.
fn generations(a: &Analysis, r: &crate::report::classloaders::ClassLoaderReport) -> Vec<Candidate> {
    let mut out: Vec<(Generations, Holding)> = Vec::new();
    for (mut g, (best, instances)) in generation_groups(r)
        .into_iter()
        .filter_map(|g| held_by(a, &g).map(|h| (g, h)))
    {
        g.instances = instances;
        match out
            .iter_mut()
            .find(|(o, h)| h.holder == best.holder && o.class == g.class && o.names == g.names)
        {
            Some((o, _)) => {
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
            let pattern = l.name.as_deref().map(super::threads::digits_to_hash);
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
        .or_else(|| most_common_holder(a, &sample, &in_generations, (&loader, 2)))?;
    Some((best, instances.len() as u64))
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
    c.add(evidence(
        EvidenceName::StaleLoaders,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} live {class} loaders{series} each define the same {} classes ({}): every redeploy left its generation loaded, kept alive by {} live instances of their classes",
            g.loaders,
            g.names.len(),
            g.names.join(", "),
            thousands(g.instances)
        ),
    ));
    c
}
/// An open-resources candidate. Their number is strong evidence for files, native streams and
/// datagram or server sockets, which a process keeps few of; a server keeps many connected
/// sockets and pooled connections on purpose (keep-alive, pools), so for those the number is
/// moderate evidence and how long pooled connections have been out decides.
fn resources(a: &Analysis, r: ResourceFinding, now: u64) -> Candidate {
    let f = r.finding;
    let mut c = base(a, LeakKind::OpenResources, &f);
    let (strength, what) = match r.kind {
        ResourceKind::Socket => (
            Strength::Moderate,
            "each holds an OS descriptor; a server keeps sockets open on purpose (keep-alive, pools), so their number alone does not decide",
        ),
        ResourceKind::PooledConnection => (
            Strength::Moderate,
            "borrowed from a pool and not returned; pools lend connections on purpose, so their number alone does not decide",
        ),
        ResourceKind::NativeStream => (Strength::Strong, "each holds native memory outside the Java heap"),
        _ => (Strength::Strong, "each holds an OS descriptor"),
    };
    c.add(evidence(
        EvidenceName::OpenResources,
        Supports::Leak,
        strength,
        format!(
            "{} {} are still open and kept by the application: {what}",
            thousands(f.entries),
            f.element_class
        ),
    ));
    if r.kind == ResourceKind::PooledConnection {
        held::add(a, &mut c, &r.members, now);
    } else {
        c.values = r.members;
    }
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
