//! Chains of application objects of one family: each link holds the next (a decorator's
//! `delegate`, a version's `previous`), links of several classes under one application super
//! class. A chain hundreds of links deep is an accumulation even though no class makes most
//! of its objects: every link carries its own tables, and wrapping the current object again on
//! every reload keeps all the earlier ones.

use rustc_hash::FxHashMap;

use crate::dom::analysis::Analysis;
use crate::dom::retained_classes::DomChildren;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, is_jdk_class};
use crate::query::objects::{node_kind, NodeKind};

/// What to change, for a suspect of such a chain.
pub(super) const FIX: &str = "Each link holds the next: build a replacement from the base object instead of wrapping the current one again (or unwrap the old links), so that only the newest links stay reachable.";

/// Links a chain needs to be an accumulation.
pub(super) const MIN_LINKS: usize = 50;
/// Links sampled, spread over the chain in chain order.
pub(super) const SAMPLE: usize = 256;

/// The application classes `k` extends, itself first, up to the first JDK class.
pub(super) fn lineage(a: &Analysis, k: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cur = Some(k);
    while let Some(c) = cur {
        let info = a.heap.classes.get(c);
        if is_jdk_class(&info.name) || out.len() > 64 {
            break;
        }
        out.push(c);
        cur = info.super_idx;
    }
    out
}

/// Whether class `k` belongs to `family` (extends one of its classes), memoised per class:
/// a chain's links are of a handful of classes.
pub(super) fn in_family(
    a: &Analysis,
    k: u32,
    family: &[u32],
    memo: &mut FxHashMap<u32, bool>,
) -> bool {
    k != NONE
        && *memo
            .entry(k)
            .or_insert_with(|| lineage(a, k).iter().any(|c| family.contains(c)))
}

/// The nearest class of `family` that every class of `links` extends.
pub(super) fn common_class(a: &Analysis, family: &[u32], links: &[u32]) -> Option<u32> {
    let mut classes: Vec<u32> = links.iter().map(|&w| a.graph.class_of(w)).collect();
    classes.sort_unstable();
    classes.dedup();
    let lineages: Vec<Vec<u32>> = classes.iter().map(|&k| lineage(a, k)).collect();
    family
        .iter()
        .copied()
        .find(|c| lineages.iter().all(|l| l.contains(c)))
}

/// The chain starting at `v`: from each link, the dominator child of `v`'s family that retains
/// most, as long as there is one. With at least [`MIN_LINKS`] links: (the class all links
/// extend, nearest to them; the number of links; a sample of them in chain order).
pub(super) fn chain(a: &Analysis, tree: &DomChildren, v: u32) -> Option<(u32, u64, Vec<u32>)> {
    let specs = collection_specs(a);
    let family = lineage(a, a.graph.class_of(v));
    if family.is_empty() {
        return None;
    }
    let mut memo = FxHashMap::default();
    let mut link = |w: u32| {
        node_kind(a, w) == NodeKind::Instance
            && in_family(a, a.graph.class_of(w), &family, &mut memo)
            && specs[a.graph.class_of(w) as usize].is_none()
    };
    let mut links = vec![v];
    let mut cur = v;
    // Each step goes one level down the dominator tree: at most one step per node.
    while let Some(&next) = tree
        .children(cur)
        .iter()
        .filter(|&&w| link(w))
        .max_by_key(|&&w| (a.dom.retained.get(w), std::cmp::Reverse(w)))
    {
        links.push(next);
        cur = next;
    }
    if links.len() < MIN_LINKS {
        return None;
    }
    let common = common_class(a, &family, &links)?;
    let step = links.len().div_ceil(SAMPLE);
    let sample = links.iter().step_by(step).copied().collect();
    Some((common, links.len() as u64, sample))
}
