//! Chains that threads hold: a thread in the middle of a call through a chain of links
//! ([`super::chains`]) holds every link above the one it waits in on its stack, so none of
//! those dominates the next. When it waits in an older link, the dominator tree keeps only the
//! part below as one object's, held by a link's own field (`EventSurcharge.inner`): that part
//! is climbed to the chain's head ([`whole_chains`]). When it waits below every link (in the
//! base object, on I/O), no link dominates another and none is big: the chain is found from the
//! classes many of whose instances only the root dominates ([`stack_chains`]). Either way the
//! whole chain is judged: its head's holder, every link, the bytes all of them keep. Only
//! references are read.

use rustc_hash::FxHashMap;

use hprof_parser::RootKind;

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::collections::collection_specs;
use crate::query::holders::{find_holders, is_application, Holding};
use crate::query::objects::{node_kind, NodeKind};

use super::chains::{common_class, is_link, lineage, trim_ends, MAX_CLASSES, MIN_LINKS, SAMPLE};
use super::objects::{Single, Spine};

/// A class whose root-dominated instances may be links of a chain that threads hold: (class,
/// its first such instance, its last), found once per analysis by [`rooted_seeds`].
pub(super) type Seed = (u32, u32, u32);

/// Classes a chain held on stacks is climbed from, those whose root-dominated instances keep
/// the most first.
const MAX_SEEDS: usize = 4;
/// Root-dominated instances a class needs to be looked at.
const MIN_ROOTED: u64 = 16;
/// Instances of a family read at most: chains of decorators are thousands of links deep at
/// most, and a class of millions of instances (a model's entities) is no chain's family.
const MAX_FAMILY: usize = 1 << 18;

/// The instances of one family of classes (the classes a chain's links have: a dump records
/// no interfaces, so decorators implementing one share no class), in node order, and each
/// one's referrers among them (held, holder), sorted.
struct Family {
    nodes: Vec<u32>,
    held_by: Vec<(u32, u32)>,
}

impl Family {
    /// The instances of `classes`, with every one's referrers among them; `None` when they are
    /// more than [`MAX_FAMILY`].
    fn of(a: &Analysis, classes: &[u32]) -> Option<Family> {
        let mut wanted = vec![false; a.heap.classes.len()];
        for &k in classes {
            *wanted.get_mut(k as usize)? = true;
        }
        let nodes = crate::query::find::instances_of(a, &wanted);
        if nodes.is_empty() || nodes.len() > MAX_FAMILY {
            return None;
        }
        let mut held_by: Vec<(u32, u32)> = nodes
            .iter()
            .flat_map(|&u| a.graph.refs(u).iter().map(move |&w| (w, u)))
            .filter(|&(w, u)| w != u && nodes.binary_search(&w).is_ok())
            .collect();
        held_by.sort_unstable();
        held_by.dedup();
        Some(Family { nodes, held_by })
    }

    /// Whether `w` is a link of the family.
    fn has(&self, w: u32) -> bool {
        self.nodes.binary_search(&w).is_ok()
    }

    /// The links holding `w`.
    fn holders(&self, w: u32) -> &[(u32, u32)] {
        let from = self.held_by.partition_point(|&(x, _)| x < w);
        let to = self.held_by.partition_point(|&(x, _)| x <= w);
        &self.held_by[from..to]
    }

    /// The links above `v`, nearest first, up to the head (the link no other link holds);
    /// `None` when a link has several referrers of the family (not one chain).
    fn above(&self, v: u32) -> Option<Vec<u32>> {
        let mut above = Vec::new();
        let mut cur = v;
        // With one referrer each, the walk can only come back to `v` (a ring): at most one
        // step per link of the family.
        while above.len() < self.nodes.len() {
            match self.holders(cur) {
                [] => break,
                &[(_, u)] if u != v => above.push(u),
                _ => return None,
            }
            cur = *above.last()?;
        }
        Some(above)
    }

    /// The chain from `head` down, following each link's one reference into the family (of
    /// several, the one that leads on to another link: a generation's shared table is of the
    /// family when threads hold it too), as long as there is one.
    fn below(&self, a: &Analysis, head: u32) -> Vec<u32> {
        let mut chain = vec![head];
        let mut cur = head;
        // Each link once: a chain that comes back on itself ends where it does.
        let mut seen = vec![false; self.nodes.len()];
        let mut first_visit = |w: u32| match self.nodes.binary_search(&w) {
            Ok(i) => !std::mem::replace(&mut seen[i], true),
            Err(_) => false,
        };
        first_visit(head);
        loop {
            let into = |u: u32| {
                a.graph
                    .refs(u)
                    .iter()
                    .copied()
                    .filter(move |&w| w != u && self.has(w))
            };
            let mut next: Vec<u32> = into(cur).collect();
            next.sort_unstable();
            next.dedup();
            if next.len() > 1 {
                next.retain(|&w| into(w).any(|x| x != cur));
            }
            match next[..] {
                [w] if first_visit(w) => chain.push(w),
                _ => break,
            }
            cur = w_last(&chain);
        }
        chain
    }
}

/// The last link of a chain (never empty).
fn w_last(chain: &[u32]) -> u32 {
    chain.last().copied().unwrap_or(NONE)
}

/// `singles` and their `holdings` (one each), with each chain found from below replaced by
/// the whole chain from its head; a single that is such a chain's upper part is dropped.
pub(super) fn whole_chains(
    a: &Analysis,
    seeds: &[Seed],
    mut singles: Vec<Single>,
    mut holdings: Vec<Option<Holding>>,
) -> (Vec<Single>, Vec<Option<Holding>>) {
    let parts: Vec<(usize, u32)> = singles
        .iter()
        .zip(&holdings)
        .enumerate()
        .filter(|(_, (s, _))| s.4 == Spine::Links)
        .filter_map(|(i, (_, h))| Some((i, h.as_ref().filter(|h| !h.holder.is_static)?.owner)))
        .collect();
    if parts.is_empty() {
        return (singles, holdings);
    }
    // The tables the layers above share are root-dominated instances too.
    let rooted: Vec<u32> = seeds.iter().map(|s| s.0).collect();
    let climbed: Vec<(usize, Vec<u32>, Family)> = parts
        .into_iter()
        .filter_map(|(i, owner)| {
            let (above, family) = links_above(a, &singles[i], owner, &rooted)?;
            Some((i, above, family))
        })
        .collect();
    if climbed.is_empty() {
        return (singles, holdings);
    }
    let heads: Vec<u32> = climbed.iter().map(|(_, up, _)| w_last(up)).collect();
    let head_holdings = find_holders(a, &heads, 8);
    let mut replaced = Vec::new();
    for ((i, above, family), h) in climbed.into_iter().zip(head_holdings) {
        let Some(h) = h else { continue };
        extend(a, &mut singles[i], &above, &family);
        holdings[i] = Some(h);
        replaced.push(i);
    }
    // The upper part, when long enough to be found on its own, is the same chain.
    let whole: Vec<u32> = replaced.iter().map(|&i| singles[i].0).collect();
    let keep: Vec<bool> = (0..singles.len())
        .map(|i| replaced.contains(&i) || !whole.contains(&singles[i].0))
        .collect();
    let mut k = keep.iter();
    singles.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    holdings.retain(|_| *k.next().unwrap_or(&true));
    (singles, holdings)
}

/// The links above chain part `s` (nearest first, the head last) when `owner`, the object
/// whose field holds it, is of a class its sampled links have; `None` otherwise or when there
/// are none. With the family they were found in: those classes and the `rooted` ones.
fn links_above(a: &Analysis, s: &Single, owner: u32, rooted: &[u32]) -> Option<(Vec<u32>, Family)> {
    let mut classes: Vec<u32> = s.3.iter().map(|&w| a.graph.class_of(w)).collect();
    classes.sort_unstable();
    classes.dedup();
    classes.binary_search(&a.graph.class_of(owner)).ok()?;
    classes.extend(rooted);
    let family = Family::of(a, &classes)?;
    let above = family.above(s.0).filter(|up| !up.is_empty())?;
    Some((above, family))
}

/// Makes chain part `s` the whole chain with the links `above` it (nearest first): the head is
/// its node, the links are counted and sampled in chain order, and the bytes are the part's
/// plus those of each link above that no other link above dominates, and of the tables of
/// `family` that only links above hold ([`shared_tables`]).
fn extend(a: &Analysis, s: &mut Single, above: &[u32], family: &Family) {
    let mut links: Vec<u32> = above.iter().rev().copied().collect();
    links.extend(&s.3);
    s.3 = spread(links);
    // The part's own node is on the chain: what it shares with a link above is not in its
    // retained size, what only it holds is.
    let mut whole = above.to_vec();
    whole.push(s.0);
    s.0 = *above.last().unwrap_or(&s.0);
    s.2 += above.len() as u64;
    s.5 += kept_by(a, above) + shared_tables(a, family, &whole);
}

/// At most [`SAMPLE`] of `links`, spread over them in their order.
fn spread(links: Vec<u32>) -> Vec<u32> {
    let step = links.len().div_ceil(SAMPLE).max(1);
    links.into_iter().step_by(step).collect()
}

/// The bytes `links` keep: the retained size of each that no other of them dominates.
fn kept_by(a: &Analysis, links: &[u32]) -> u64 {
    let mut sorted = links.to_vec();
    sorted.sort_unstable();
    links
        .iter()
        .filter(|&&p| sorted.binary_search(&a.dom.idom[p as usize]).is_err())
        .map(|&p| a.dom.retained.get(p))
        .sum()
}

/// Chains of [`MIN_LINKS`] links or more, keeping `floor` bytes or more, none of whose links
/// dominates another (threads hold them all), whose heads are not among `known`. The family
/// is the [`MAX_CLASSES`] application classes whose root-dominated instances keep the most,
/// with the classes met walking down from their first and last such instances
/// ([`classes_below`]: a layer no thread holds between two that they do). From the last such
/// instance of each of the first [`MAX_SEEDS`] classes the chain is climbed to its head and
/// followed down from there.
pub(super) fn stack_chains(a: &Analysis, seeds: &[Seed], floor: u64, known: &[u32]) -> Vec<Single> {
    let mut classes: Vec<u32> = seeds.iter().map(|s| s.0).collect();
    for &(_, first, last) in seeds {
        classes_below(a, first, &mut classes);
        classes_below(a, last, &mut classes);
    }
    let mut out: Vec<Single> = Vec::new();
    let Some(family) = Family::of(a, &classes) else {
        return out;
    };
    for &(_, _, seed) in seeds.iter().take(MAX_SEEDS) {
        let Some(above) = family.above(seed) else {
            continue;
        };
        let head = above.last().copied().unwrap_or(seed);
        if known.contains(&head) || out.iter().any(|s| s.0 == head) {
            continue;
        }
        let chain = trim_ends(a, family.below(a, head));
        // A chain through a part found on its own is climbed from there (`whole_chains`).
        if chain.iter().any(|w| known.contains(w)) {
            continue;
        }
        let kept = kept_by(a, &chain) + shared_tables(a, &family, &chain);
        if chain.len() < MIN_LINKS || kept < floor.max(1) {
            continue;
        }
        let head = chain[0];
        let k = common_class(a, &lineage(a, a.graph.class_of(head)), &chain)
            .unwrap_or(a.graph.class_of(head));
        let n = chain.len() as u64;
        let mut s = Single::new(a, head, k, n, spread(chain), Spine::Links);
        s.5 = kept;
        out.push(s);
    }
    out
}

/// The bytes of the family's objects off the chain that only links of `chain` hold, and no
/// GC root but a thread's (a generation's table that two of its layers share, a lock a waiting
/// thread holds): the root dominates them, so no link's retained size has them. Their
/// referrers are found in one scan of the references, only when there are such objects.
fn shared_tables(a: &Analysis, family: &Family, chain: &[u32]) -> u64 {
    let mut on = chain.to_vec();
    on.sort_unstable();
    let roots = other_roots(a);
    let candidates: Vec<u32> = family
        .nodes
        .iter()
        .copied()
        .filter(|&w| on.binary_search(&w).is_err() && a.dom.idom[w as usize] == SUPER_ROOT)
        .filter(|&w| roots.binary_search(&w).is_err() && !family.holders(w).is_empty())
        .filter(|&w| {
            family
                .holders(w)
                .iter()
                .all(|&(_, u)| on.binary_search(&u).is_ok())
        })
        .collect();
    if candidates.is_empty() {
        return 0;
    }
    let mut outside: Vec<u32> = crate::query::find::referrers(a, candidates.iter().copied())
        .into_iter()
        .filter(|&(u, _)| on.binary_search(&u).is_err())
        .map(|(_, w)| w)
        .collect();
    outside.sort_unstable();
    candidates
        .into_iter()
        .filter(|w| outside.binary_search(w).is_err())
        .map(|w| a.dom.retained.get(w))
        .sum()
}

/// The nodes GC roots other than a thread's hold (its frames, its monitors, its JNI locals),
/// sorted: a thread in the middle of a call holds the layers' tables as it holds the layers.
fn other_roots(a: &Analysis) -> Vec<u32> {
    let by_thread = |k: RootKind| {
        matches!(
            k,
            RootKind::JavaFrame
                | RootKind::JniLocal
                | RootKind::NativeStack
                | RootKind::ThreadBlock
                | RootKind::MonitorUsed
        )
    };
    let census = &a.heap.census.roots;
    let mut roots: Vec<u32> = a
        .graph
        .roots
        .iter()
        .filter(|r| census.get(r.1 as usize).is_none_or(|c| !by_thread(c.kind)))
        .map(|r| r.0)
        .collect();
    roots.sort_unstable();
    roots
}

/// Steps walked down from one instance to find the classes of its chain.
const WALK: usize = 3 * MAX_CLASSES;

/// Adds to `classes` those of the links below `v` (at most [`WALK`] steps, at most twice
/// [`MAX_CLASSES`] classes in all): from each, its one reference to an application instance
/// (not a collection) of a class in `classes`, or else its only one.
fn classes_below(a: &Analysis, v: u32, classes: &mut Vec<u32>) {
    let specs = collection_specs(a);
    let mut cur = v;
    for _ in 0..WALK {
        let links: Vec<u32> = a
            .graph
            .refs(cur)
            .iter()
            .copied()
            .filter(|&w| w != cur && is_link(a, &specs, w))
            .collect();
        let known: Vec<u32> = links
            .iter()
            .copied()
            .filter(|&w| classes.contains(&a.graph.class_of(w)))
            .collect();
        let next = match (&known[..], &links[..]) {
            (&[w], _) | (&[], &[w]) => w,
            _ => return,
        };
        let k = a.graph.class_of(next);
        if !classes.contains(&k) {
            if classes.len() >= 2 * MAX_CLASSES {
                return;
            }
            classes.push(k);
        }
        cur = next;
    }
}

/// The [`MAX_CLASSES`] application classes (not collections) with [`MIN_ROOTED`] or more
/// root-dominated instances whose retained bytes sum highest, most first, each with its first
/// and last such instance in node order.
pub(super) fn rooted_seeds(a: &Analysis) -> Vec<Seed> {
    let specs = collection_specs(a);
    // Per class: (instances, retained bytes, first instance, last instance).
    let mut by_class: FxHashMap<u32, (u64, u64, u32, u32)> = FxHashMap::default();
    for (v, &d) in a.dom.idom.iter().enumerate() {
        if d != SUPER_ROOT {
            continue;
        }
        let v = v as u32;
        let k = a.graph.class_of(v);
        if k == NONE || specs[k as usize].is_some() || node_kind(a, v) != NodeKind::Instance {
            continue;
        }
        let e = by_class.entry(k).or_insert((0, 0, v, v));
        e.0 += 1;
        e.1 += a.dom.retained.get(v);
        e.3 = v;
    }
    let mut classes: Vec<(u32, (u64, u64, u32, u32))> = by_class
        .into_iter()
        .filter(|&(_, (n, _, v, _))| n >= MIN_ROOTED && is_application(a, v))
        .collect();
    classes.sort_unstable_by_key(|&(k, (_, bytes, _, _))| (std::cmp::Reverse(bytes), k));
    classes
        .iter()
        .take(MAX_CLASSES)
        .map(|&(k, (_, _, first, last))| (k, first, last))
        .collect()
}
