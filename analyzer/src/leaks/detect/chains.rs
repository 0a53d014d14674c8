//! Chains of application objects: each link holds the next (a decorator's `delegate`, a
//! version's `previous`), links of a few application classes (under one application super
//! class, or implementing one interface, which a dump does not record). A chain hundreds of links deep is an accumulation even though no class makes most
//! of its objects: every link carries its own tables, and wrapping the current object again on
//! every reload keeps all the earlier ones.

use crate::dom::analysis::Analysis;
use crate::dom::retained_classes::DomChildren;
use crate::graph::ids::NONE;
use crate::query::collections::{collection_specs, is_jdk_class, CollectionSpec};
use crate::query::holders::is_application;
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

/// Classes a chain's links may have: a few layers per generation.
pub(super) const MAX_CLASSES: usize = 8;

/// A chain found below a single object: its head (the first link), the class that names its
/// links, how many there are, and a sample of them in chain order.
pub(super) struct Chain {
    pub(super) head: u32,
    pub(super) class: u32,
    pub(super) links: u64,
    pub(super) sample: Vec<u32>,
}

/// Whether node `w` can be a link: an application instance, not a collection.
pub(super) fn is_link(a: &Analysis, specs: &[Option<&'static CollectionSpec>], w: u32) -> bool {
    let k = a.graph.class_of(w);
    k != NONE
        && node_kind(a, w) == NodeKind::Instance
        && specs[k as usize].is_none()
        && is_application(a, w)
}

/// The chain starting at `v`, followed down the dominator tree: from each link, the child link
/// of a class met on the chain already that retains most, or, with none, the child link that
/// retains most (a new class, [`MAX_CLASSES`] at most: a heap dump records no interfaces, so
/// decorators implementing one share no class), as long as there is one; the links at either
/// end of a class no other link has left out ([`trim_ends`]: the service object above, the base
/// object below). With at least [`MIN_LINKS`] links: named by the application class all links
/// extend, nearest to them, or else by the head's class.
pub(super) fn chain(a: &Analysis, tree: &DomChildren, v: u32) -> Option<Chain> {
    let specs = collection_specs(a);
    let mut classes = vec![a.graph.class_of(v)];
    let mut links = vec![v];
    let mut cur = v;
    let biggest = |it: &mut dyn Iterator<Item = u32>| {
        it.max_by_key(|&w| (a.dom.retained.get(w), std::cmp::Reverse(w)))
    };
    // Each step goes one level down the dominator tree: at most one step per node.
    loop {
        let kids = || {
            tree.children(cur)
                .iter()
                .copied()
                .filter(|&w| is_link(a, &specs, w))
        };
        let known = biggest(&mut kids().filter(|&w| classes.contains(&a.graph.class_of(w))));
        let Some(next) = known.or_else(|| {
            (classes.len() < MAX_CLASSES)
                .then(|| biggest(&mut kids()))
                .flatten()
        }) else {
            break;
        };
        let k = a.graph.class_of(next);
        if !classes.contains(&k) {
            classes.push(k);
        }
        links.push(next);
        cur = next;
    }
    let links = trim_ends(a, links);
    if links.len() < MIN_LINKS {
        return None;
    }
    let head = links[0];
    let class = common_class(a, &lineage(a, a.graph.class_of(head)), &links)
        .unwrap_or(a.graph.class_of(head));
    let step = links.len().div_ceil(SAMPLE);
    let sample = links.iter().step_by(step).copied().collect();
    Some(Chain {
        head,
        class,
        links: links.len() as u64,
        sample,
    })
}

/// The chain without the links at either end whose class no other link has: the base object a
/// chain of decorators ends in is what they wrap, the service object it starts from holds it.
pub(super) fn trim_ends(a: &Analysis, mut chain: Vec<u32>) -> Vec<u32> {
    let count = |chain: &[u32], k: u32| chain.iter().filter(|&&w| a.graph.class_of(w) == k).count();
    while chain.len() > 1 && count(&chain, a.graph.class_of(chain[chain.len() - 1])) == 1 {
        chain.pop();
    }
    let first = chain
        .iter()
        .position(|&w| count(&chain, a.graph.class_of(w)) > 1);
    chain.split_off(first.unwrap_or(0))
}
