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

use crate::dom::analysis::Analysis;
use crate::dom::dominators::SUPER_ROOT;
use crate::graph::ids::NONE;
use crate::query::collections::collection_specs;
use crate::query::holders::{find_holders, is_application, Holding};
use crate::query::objects::{node_kind, NodeKind};

use super::chains::{common_class, in_family, lineage, MIN_LINKS, SAMPLE};
use super::objects::{Single, Spine};

/// Classes looked at for chains held on stacks, those whose root-dominated instances keep the
/// most first.
const MAX_CLASSES: usize = 4;
/// Root-dominated instances a class needs to be looked at.
const MIN_ROOTED: u64 = 16;
/// Instances of a family read at most: chains of decorators are thousands of links deep at
/// most, and a class of millions of instances (a model's entities) is no chain's family.
const MAX_FAMILY: usize = 1 << 18;

/// The instances of one family of classes: every instance of a class extending one of the
/// family's, in node order, and each one's referrers among them (held, holder), sorted.
struct Family {
    nodes: Vec<u32>,
    held_by: Vec<(u32, u32)>,
}

impl Family {
    /// The family of link `v`'s class, with every link's referrers within it; `None` when it
    /// has more than [`MAX_FAMILY`] instances.
    fn of(a: &Analysis, v: u32) -> Option<Family> {
        let family = lineage(a, a.graph.class_of(v));
        if family.is_empty() {
            return None;
        }
        let mut memo = FxHashMap::default();
        let wanted: Vec<bool> = (0..a.heap.classes.len() as u32)
            .map(|k| in_family(a, k, &family, &mut memo))
            .collect();
        let nodes = crate::query::find::instances_of(a, &wanted);
        if nodes.len() > MAX_FAMILY {
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

    /// The chain from `head` down, following each link's one reference into the family, as
    /// long as there is exactly one.
    fn below(&self, a: &Analysis, head: u32) -> Vec<u32> {
        let mut chain = vec![head];
        let mut cur = head;
        while chain.len() <= self.nodes.len() {
            let mut next = a
                .graph
                .refs(cur)
                .iter()
                .filter(|&&w| self.has(w) && w != cur);
            match (next.next(), next.next()) {
                (Some(&w), None) if w != head => chain.push(w),
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
    mut singles: Vec<Single>,
    mut holdings: Vec<Option<Holding>>,
) -> (Vec<Single>, Vec<Option<Holding>>) {
    let climbed: Vec<(usize, Vec<u32>)> = singles
        .iter()
        .zip(&holdings)
        .enumerate()
        .filter(|(_, (s, _))| s.4 == Spine::Links)
        .filter_map(|(i, (s, h))| {
            let h = h.as_ref().filter(|h| !h.holder.is_static)?;
            Some((i, links_above(a, s.0, h.owner)?))
        })
        .collect();
    if climbed.is_empty() {
        return (singles, holdings);
    }
    let heads: Vec<u32> = climbed.iter().map(|(_, up)| w_last(up)).collect();
    let head_holdings = find_holders(a, &heads, 8);
    let mut replaced = Vec::new();
    for ((i, above), h) in climbed.into_iter().zip(head_holdings) {
        let Some(h) = h else { continue };
        extend(a, &mut singles[i], &above);
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

/// The links above chain link `v` (nearest first, the head last) when `owner`, the object
/// whose field holds it, is a link of its family; `None` otherwise or when there are none.
fn links_above(a: &Analysis, v: u32, owner: u32) -> Option<Vec<u32>> {
    let family = Family::of(a, v)?;
    if !family.has(owner) {
        return None;
    }
    family.above(v).filter(|up| !up.is_empty())
}

/// Makes chain part `s` the whole chain with the links `above` it (nearest first): the head is
/// its node, the links are counted and sampled in chain order, and the bytes are the part's
/// plus those of each link above that no other link above dominates.
fn extend(a: &Analysis, s: &mut Single, above: &[u32]) {
    let mut links: Vec<u32> = above.iter().rev().copied().collect();
    links.extend(&s.3);
    s.3 = spread(links);
    s.0 = *above.last().unwrap_or(&s.0);
    s.2 += above.len() as u64;
    s.5 += kept_by(a, above);
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
/// dominates another (threads hold them all), whose heads are not among `known`: found from
/// the [`MAX_CLASSES`] application classes whose root-dominated instances keep the most, each
/// climbed from one such instance to its chain's head and walked down from there.
pub(super) fn stack_chains(a: &Analysis, floor: u64, known: &[u32]) -> Vec<Single> {
    let mut out: Vec<Single> = Vec::new();
    for seed in rooted_seeds(a) {
        let Some(family) = Family::of(a, seed) else {
            continue;
        };
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
        let kept = kept_by(a, &chain);
        if chain.len() < MIN_LINKS || kept < floor.max(1) {
            continue;
        }
        let classes = lineage(a, a.graph.class_of(seed));
        let Some(k) = common_class(a, &classes, &chain) else {
            continue;
        };
        let mut s = Single::new(
            a,
            chain[0],
            k,
            chain.len() as u64,
            spread(chain.clone()),
            Spine::Links,
        );
        s.5 = kept;
        out.push(s);
    }
    out
}

/// The chain without the links at either end whose class no other link has: the base object a
/// chain of decorators ends in is what they wrap, not one of them.
fn trim_ends(a: &Analysis, mut chain: Vec<u32>) -> Vec<u32> {
    let count = |chain: &[u32], k: u32| chain.iter().filter(|&&w| a.graph.class_of(w) == k).count();
    while chain.len() > 1 && count(&chain, a.graph.class_of(w_last(&chain))) == 1 {
        chain.pop();
    }
    while chain.len() > 1 && count(&chain, a.graph.class_of(chain[0])) == 1 {
        chain.remove(0);
    }
    chain
}

/// One root-dominated instance of each of the [`MAX_CLASSES`] application classes (not
/// collections) with [`MIN_ROOTED`] or more such instances whose retained bytes sum highest.
fn rooted_seeds(a: &Analysis) -> Vec<u32> {
    let specs = collection_specs(a);
    // Per class: (instances, retained bytes, one instance).
    let mut by_class: FxHashMap<u32, (u64, u64, u32)> = FxHashMap::default();
    for (v, &d) in a.dom.idom.iter().enumerate() {
        if d != SUPER_ROOT {
            continue;
        }
        let v = v as u32;
        let k = a.graph.class_of(v);
        if k == NONE || specs[k as usize].is_some() || node_kind(a, v) != NodeKind::Instance {
            continue;
        }
        let e = by_class.entry(k).or_insert((0, 0, v));
        e.0 += 1;
        e.1 += a.dom.retained.get(v);
    }
    let mut classes: Vec<(u32, (u64, u64, u32))> = by_class
        .into_iter()
        .filter(|&(_, (n, _, v))| n >= MIN_ROOTED && is_application(a, v))
        .collect();
    classes.sort_unstable_by_key(|&(k, (_, bytes, _))| (std::cmp::Reverse(bytes), k));
    classes
        .iter()
        .take(MAX_CLASSES)
        .map(|&(_, (_, _, v))| v)
        .collect()
}
