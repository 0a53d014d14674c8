//! Thread and executor groups: many thread pools of one kind, each with its own live threads
//! (an executor created per request and never shut down), and many live threads of one name
//! pattern that no pool owns (a thread started per request that never ends).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::collections::{is_jdk_class, normalise_class};
use crate::query::find::{instances_of, ref_node, subclass_table, views};
use crate::query::holders::{Holder, Holding};
use crate::query::objects::ObjectView;
use crate::query::strings::strings;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::pool_owners::{ownership, Ownership};
use super::thread_names::{digits_to_hash, family, stem};

/// Pools of one kind from which a group is a candidate.
pub(crate) const MIN_POOLS: usize = 20;
/// Threads of one pattern, outside pools, from which a group is a candidate.
pub(crate) const MIN_THREADS: usize = 50;
/// Threads of one pattern from which their number alone is strong evidence.
pub(crate) const MANY_THREADS: usize = 200;

/// A live thread, with what the dump says of it.
struct ThreadInfo {
    node: u32,
    pattern: String,
    name: String,
    /// The application class it runs, if any (its `target`, or its own class).
    runs: Option<String>,
}

/// Thread and executor group candidates.
pub(crate) fn detect(a: &Analysis) -> Vec<Candidate> {
    let threads = live_threads(a);
    if threads.is_empty() {
        return Vec::new();
    }
    let pools = pool_of_thread(a);
    let mut out = Vec::new();
    out.extend(executor_groups(a, &threads, &pools));
    out.extend(thread_groups(a, &threads, &pools));
    out
}

/// Every live `java.lang.Thread` (and subclass) instance with its name pattern.
fn live_threads(a: &Analysis) -> Vec<ThreadInfo> {
    let table = subclass_table(a, &["java.lang.Thread"]);
    let wanted: Vec<bool> = table.iter().map(|t| t.is_some()).collect();
    let nodes = instances_of(a, &wanted);
    let vs = views(a, &nodes);
    let name_nodes: Vec<u32> = vs.values().filter_map(|v| ref_node(a, v, "name")).collect();
    let names = strings(a, &name_nodes);
    let mut out = Vec::new();
    for &t in &nodes {
        let Some(v) = vs.get(&t) else { continue };
        if !is_alive(v) || !a.dom.is_reachable(t) {
            continue;
        }
        let name = ref_node(a, v, "name")
            .and_then(|n| names.get(&n).cloned())
            .unwrap_or_default();
        let own = crate::query::objects::node_class(a, t);
        let runs = ref_node(a, v, "target")
            .map(|r| normalise_class(&crate::query::objects::node_class(a, r)))
            .filter(|c| !is_jdk_class(c))
            .or_else(|| (!is_jdk_class(&own)).then(|| normalise_class(&own)));
        out.push(ThreadInfo {
            node: t,
            pattern: digits_to_hash(&name),
            name,
            runs,
        });
    }
    out
}

/// A thread whose VM thread pointer (`eetop`) is set is started and not ended.
fn is_alive(v: &ObjectView) -> bool {
    match v.field("eetop") {
        Some(f) => f.raw != 0,
        None => true,
    }
}

/// The pool (ThreadPoolExecutor) of each pool thread, from the pools' workers.
fn pool_of_thread(a: &Analysis) -> FxHashMap<u32, u32> {
    let table = subclass_table(a, &["java.util.concurrent.ThreadPoolExecutor$Worker"]);
    let wanted: Vec<bool> = table.iter().map(|t| t.is_some()).collect();
    let workers = instances_of(a, &wanted);
    let vs = views(a, &workers);
    let mut out = FxHashMap::default();
    for v in vs.values() {
        if let (Some(t), Some(p)) = (ref_node(a, v, "thread"), ref_node(a, v, "this$0")) {
            out.insert(t, p);
        }
    }
    out
}

/// Pools of one name pattern, or of several held by one field.
struct PoolGroup<'t> {
    patterns: Vec<&'t str>,
    pools: Vec<u32>,
    threads: Vec<&'t ThreadInfo>,
    holding: Option<Holding>,
}

/// Groups of at least [`MIN_POOLS`] pools whose threads share one name pattern, or whose
/// patterns differ (a tenant's letter in the name) while one field holds them all.
fn executor_groups(
    a: &Analysis,
    threads: &[ThreadInfo],
    pools: &FxHashMap<u32, u32>,
) -> Vec<Candidate> {
    let mut by_family: FxHashMap<&str, PoolGroup> = FxHashMap::default();
    // Each group's patterns and pools seen, kept in the order first seen.
    let mut seen: FxHashSet<(&str, &str)> = FxHashSet::default();
    let mut seen_pools: FxHashSet<(&str, u32)> = FxHashSet::default();
    for t in threads {
        if let Some(&p) = pools.get(&t.node) {
            let fam = family(&t.pattern);
            let g = by_family.entry(fam).or_insert(PoolGroup {
                patterns: Vec::new(),
                pools: Vec::new(),
                threads: Vec::new(),
                holding: None,
            });
            if seen.insert((fam, t.pattern.as_str())) {
                g.patterns.push(t.pattern.as_str());
            }
            if seen_pools.insert((fam, p)) {
                g.pools.push(p);
            }
            g.threads.push(t);
        }
    }
    for g in by_family.values_mut() {
        g.patterns.sort_unstable();
    }
    let mut groups: Vec<PoolGroup> = by_family.into_values().collect();
    groups.sort_by(|x, y| {
        y.pools
            .len()
            .cmp(&x.pools.len())
            .then(x.patterns.cmp(&y.patterns))
    });
    let pools_of: Vec<&[u32]> = groups.iter().map(|g| g.pools.as_slice()).collect();
    let held = most_held_by_each(a, &pools_of);
    for (g, h) in groups.iter_mut().zip(held) {
        // Pools no field holds (only their own threads) are named by the code that creates
        // them: several name patterns of one creator (a pool per tenant and reload) are one
        // leak.
        g.holding = h.or_else(|| Some(created_by(a, g.pools[0], &g.threads)));
    }
    merge_by_holder(groups)
        .into_iter()
        .filter(|g| g.pools.len() >= MIN_POOLS)
        .map(|g| judged_group(a, g, pools))
        .collect()
}

/// The candidate of a group of pools, with what their holders say: pools made per call and
/// never shut down, unless a field holds them one per owner (a tenant's own scheduler) or
/// holds only some of them (the others, orphaned, are then the group).
fn judged_group(a: &Analysis, mut g: PoolGroup, pool_of: &FxHashMap<u32, u32>) -> Candidate {
    let by_field = g
        .holding
        .as_ref()
        .is_some_and(|h| !h.holder.field.starts_with('<'));
    let own = ownership(a, &g.pools);
    let field = match (&own, by_field) {
        (Ownership::Orphans { by, .. }, _) => Some(by.display()),
        (_, true) => g.holding.as_ref().map(|h| h.holder.display()),
        (_, false) => None,
    };
    if let Ownership::Orphans { pools, .. } = &own {
        // Held by no field: named by the code that creates them, as pools no one holds are.
        g.threads.retain(|t| {
            pool_of
                .get(&t.node)
                .is_some_and(|p| pools.binary_search(p).is_ok())
        });
        g.pools.clone_from(pools);
        g.holding = Some(created_by(a, pools[0], &g.threads));
    }
    let (pools, threads) = (g.pools.len() as u64, g.threads.len() as u64);
    let pattern = patterns_text(&g.patterns);
    let mut c = executor_candidate(a, g);
    let class = c.element_class.clone();
    let named = format!(
        "{class} pools with {} threads named like {pattern}",
        thousands(threads)
    );
    c.add(match (own, field) {
        (Ownership::Orphans { held, .. }, Some(field)) => evidence(
            EvidenceName::Threads,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} live {named} are held by nothing but their own threads, while {} more of their kind are held by {field}: their owners were dropped without shutting them down",
                thousands(pools),
                thousands(held as u64)
            ),
        ),
        (Ownership::PerOwner { owners }, Some(field)) => evidence(
            EvidenceName::Threads,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "{} live {named}, each held by an owner of its own ({field}), the owners kept in {}: a pool per owner, shut down with it, not one per call",
                thousands(pools),
                owners.display()
            ),
        ),
        _ => evidence(
            EvidenceName::Threads,
            Supports::Leak,
            Strength::Strong,
            format!(
                "{} live {named} ({:.1} per pool): a pool is created per call and never shut down",
                thousands(pools),
                threads as f64 / pools as f64
            ),
        ),
    });
    c
}

/// The groups with the groups held by the same field as an earlier one merged into it.
fn merge_by_holder(groups: Vec<PoolGroup>) -> Vec<PoolGroup> {
    let mut out: Vec<PoolGroup> = Vec::new();
    for g in groups {
        let same = g.holding.as_ref().and_then(|h| {
            out.iter()
                .position(|o| o.holding.as_ref().is_some_and(|x| x.holder == h.holder))
        });
        match same {
            Some(i) => {
                out[i].patterns.extend(g.patterns);
                out[i].pools.extend(g.pools);
                out[i].threads.extend(g.threads);
            }
            None => out.push(g),
        }
    }
    out
}

/// Patterns named in text: the first three, and how many more; more than three of one
/// family as the family (`club-sync-*`, and how many patterns).
fn patterns_text(patterns: &[&str]) -> String {
    let fam = patterns.first().map_or("", |p| family(p));
    if patterns.len() > 3 && patterns.iter().all(|p| family(p) == fam) {
        return format!("{fam}* ({} patterns)", patterns.len());
    }
    let shown = patterns
        .iter()
        .take(3)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match patterns.len() {
        n if n > 3 => format!("{shown} (and {} more patterns)", n - 3),
        _ => shown,
    }
}

/// The candidate of one group of pools, without its evidence.
fn executor_candidate(a: &Analysis, g: PoolGroup) -> Candidate {
    let (ps, ts) = (&g.pools, &g.threads);
    let pattern = patterns_text(&g.patterns);
    let pool_class = crate::query::objects::node_class(a, ps[0]);
    let retained = group_retained(a, ps, ts);
    let mut c = Candidate::new(
        LeakKind::Executors,
        Some(ps[0]),
        pool_class.clone(),
        retained,
    );
    c.holding = Some(
        g.holding
            .clone()
            .unwrap_or_else(|| created_by(a, ps[0], ts)),
    );
    c.entries = ps.len() as u64;
    c.element_class = pool_class.clone();
    c.element_classes = vec![(pool_class.clone(), ps.len() as u64)];
    c.finding.threads = vec![format!(
        "{} threads named {pattern}",
        thousands(ts.len() as u64)
    )];
    c.values = ts.iter().map(|t| t.node).take(256).collect();
    c
}

/// The pseudo-holder of pools no field holds: `<executors>` of the class that creates them
/// (the pool's thread factory's class, else its rejection handler's, else what its first
/// thread runs).
fn created_by(a: &Analysis, pool: u32, threads: &[&ThreadInfo]) -> Holding {
    let creator = factory_class(a, pool).or_else(|| threads.first().and_then(|t| t.runs.clone()));
    thread_holding(creator.as_deref(), "<executors>", pool)
}

/// Pools sampled for the group's holder.
const HOLDER_SAMPLE: usize = 64;

/// The field that holds most of the pools (of a spread sample), or `None` when most are held
/// by no field (only by their threads): a few pools still in use may sit in a registry that
/// does not hold the leaked ones.
fn most_held_by(a: &Analysis, pools: &[u32]) -> Option<Holding> {
    most_held_by_each(a, &[pools]).pop().flatten()
}

/// [`most_held_by`] of each group of pools, in one search.
fn most_held_by_each(a: &Analysis, groups: &[&[u32]]) -> Vec<Option<Holding>> {
    let samples: Vec<Vec<u32>> = groups
        .iter()
        .map(|pools| {
            let step = pools.len().div_ceil(HOLDER_SAMPLE).max(1);
            pools.iter().copied().step_by(step).collect()
        })
        .collect();
    let all: Vec<u32> = samples.iter().flatten().copied().collect();
    let mut found = crate::query::holders::find_holders(a, &all, 8).into_iter();
    samples
        .iter()
        .map(|sample| {
            let mut tally: Vec<(Option<String>, usize, Option<Holding>)> = Vec::new();
            for h in found.by_ref().take(sample.len()) {
                let key = h.as_ref().map(|h| h.holder.display());
                match tally.iter_mut().find(|t| t.0 == key) {
                    Some(t) => t.1 += 1,
                    None => tally.push((key, 1, h)),
                }
            }
            tally.into_iter().max_by_key(|t| t.1).and_then(|t| t.2)
        })
        .collect()
}

/// What a group of pools and their threads keeps alive: each thread's retained size, and that
/// of each pool and each pool's thread factory that no other member of the group dominates. A
/// pool whose worker waits in its queue is held by that thread's stack frames too, so it is
/// not under the thread in the dominator tree; a factory (with what it captured, a request's
/// context) may be held from there as well.
fn group_retained(a: &Analysis, pools: &[u32], threads: &[&ThreadInfo]) -> u64 {
    let vs = views(a, pools);
    let factories = pools
        .iter()
        .filter_map(|p| ref_node(a, vs.get(p)?, "threadFactory"));
    let mut members: Vec<u32> = threads.iter().map(|t| t.node).collect();
    members.extend(pools);
    members.extend(factories);
    members.sort_unstable();
    members.dedup();
    let set: rustc_hash::FxHashSet<u32> = members.iter().copied().collect();
    let under_member = |p: u32| {
        let mut v = p;
        for _ in 0..64 {
            match a.dom.idom[v as usize] {
                NONE | SUPER_ROOT => return false,
                d if set.contains(&d) => return true,
                d => v = d,
            }
        }
        false
    };
    // What they share (a batch both threads and the factory refer to) goes with the group.
    crate::query::set_retained::set_retained(a, &members).unwrap_or_else(|| {
        members
            .iter()
            .filter(|&&m| !under_member(m))
            .map(|&m| a.dom.retained.get(m))
            .sum()
    })
}

/// The application class whose thread factory a pool uses, else whose rejection handler it
/// uses (a lambda's enclosing class): the code that creates the pools, as far as the dump
/// shows it.
fn factory_class(a: &Analysis, pool: u32) -> Option<String> {
    let vs = views(a, &[pool]);
    let view = vs.get(&pool)?;
    ["threadFactory", "handler"].iter().find_map(|field| {
        let f = ref_node(a, view, field)?;
        let class = normalise_class(&crate::query::objects::node_class(a, f));
        (!is_jdk_class(&class)).then(|| class.trim_end_matches("$$Lambda").to_string())
    })
}

/// Groups of at least [`MIN_THREADS`] live threads of one name pattern outside any pool.
fn thread_groups(
    a: &Analysis,
    threads: &[ThreadInfo],
    pools: &FxHashMap<u32, u32>,
) -> Vec<Candidate> {
    let mut groups: FxHashMap<String, Vec<&ThreadInfo>> = FxHashMap::default();
    for t in threads {
        if !pools.contains_key(&t.node) && !t.name.is_empty() {
            groups.entry(t.pattern.clone()).or_default().push(t);
        }
    }
    let mut out = Vec::new();
    for (pattern, ts) in regroup_by_stem(groups) {
        if ts.len() < MIN_THREADS {
            continue;
        }
        let nodes: Vec<u32> = ts.iter().map(|t| t.node).collect();
        let retained = crate::query::set_retained::set_retained(a, &nodes)
            .unwrap_or_else(|| nodes.iter().map(|&t| a.dom.retained.get(t)).sum());
        let class = crate::query::objects::node_class(a, ts[0].node);
        let runs = ts[0].runs.clone();
        let mut c = Candidate::new(LeakKind::Threads, Some(ts[0].node), class.clone(), retained);
        // A `java.util.Timer`'s thread lives until the Timer is cancelled: the field that
        // keeps the Timers is the one to fix.
        let timers = timer_holding(a, &nodes);
        c.holding = Some(
            timers
                .clone()
                .unwrap_or_else(|| thread_holding(runs.as_deref(), "<threads>", ts[0].node)),
        );
        c.entries = ts.len() as u64;
        c.element_class = class.clone();
        c.element_classes = vec![(class, ts.len() as u64)];
        c.finding.threads = vec![format!(
            "{} threads named {pattern}",
            thousands(ts.len() as u64)
        )];
        c.values = ts.iter().map(|t| t.node).take(256).collect();
        let strength = if ts.len() >= MANY_THREADS {
            Strength::Strong
        } else {
            Strength::Moderate
        };
        let running = match (&timers, runs) {
            (Some(h), _) => format!(
                ", each the thread of a java.util.Timer held by {}, never cancelled",
                h.holder.display()
            ),
            (None, Some(r)) => format!(", running {r}"),
            (None, None) => String::new(),
        };
        c.add(evidence(
            EvidenceName::Threads,
            Supports::Leak,
            strength,
            format!(
                "{} live threads named like {pattern}{running}, owned by no pool: threads started per request that never end (each also holds a native stack outside the heap)",
                thousands(ts.len() as u64)
            ),
        ));
        out.push(c);
    }
    out
}

/// Patterns that stay under [`MIN_THREADS`] regrouped by their stem, the name up to its last
/// separator, when [`MIN_THREADS`] or more of them share it: a per-request id of letters only
/// (`autosave-booth-QKZT`, `autosave-booth-NXCP`) is no digit run to mask, so each such thread
/// is a pattern of its own; together they are `autosave-booth-*`.
fn regroup_by_stem(
    groups: FxHashMap<String, Vec<&ThreadInfo>>,
) -> FxHashMap<String, Vec<&ThreadInfo>> {
    let mut out: FxHashMap<String, Vec<&ThreadInfo>> = FxHashMap::default();
    let mut stems: FxHashMap<String, Vec<(String, Vec<&ThreadInfo>)>> = FxHashMap::default();
    for (pattern, ts) in groups {
        match stem(&pattern) {
            Some(s) if ts.len() < MIN_THREADS => {
                stems.entry(s.to_string()).or_default().push((pattern, ts))
            }
            _ => {
                out.insert(pattern, ts);
            }
        }
    }
    for (s, members) in stems {
        if members.len() >= MIN_THREADS {
            let ts = members.into_iter().flat_map(|(_, ts)| ts).collect();
            out.insert(format!("{s}*"), ts);
        } else {
            out.extend(members);
        }
    }
    out
}

/// The thread class of `java.util.Timer`.
const TIMER_THREAD: &str = "java.util.TimerThread";

/// For threads that are `java.util.Timer` threads, the field that holds most of their Timers
/// (of a spread sample), when an application field does.
fn timer_holding(a: &Analysis, threads: &[u32]) -> Option<Holding> {
    if crate::query::objects::node_class(a, *threads.first()?) != TIMER_THREAD {
        return None;
    }
    let table = subclass_table(a, &["java.util.Timer"]);
    let wanted: Vec<bool> = table.iter().map(|t| t.is_some()).collect();
    let timers = instances_of(a, &wanted);
    let set: rustc_hash::FxHashSet<u32> = threads.iter().copied().collect();
    let vs = views(a, &timers);
    let mut ours: Vec<u32> = timers
        .into_iter()
        .filter(|t| {
            vs.get(t)
                .and_then(|v| ref_node(a, v, "thread"))
                .is_some_and(|th| set.contains(&th))
        })
        .collect();
    ours.sort_unstable();
    most_held_by(a, &ours).filter(|h| !h.holder.field.starts_with('<'))
}

/// The holder of a thread group: the application class the threads run.
fn thread_holding(runs: Option<&str>, field: &str, node: u32) -> Holding {
    // A lambda's enclosing class is the code to look at.
    let class = runs
        .unwrap_or("java.lang.Thread")
        .trim_end_matches("$$Lambda")
        .to_string();
    Holding {
        holder: Holder {
            class,
            field: field.into(),
            is_static: false,
        },
        owner: node,
        chain: vec![node],
        via: Vec::new(),
    }
}
