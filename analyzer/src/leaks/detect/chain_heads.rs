//! Chains found from below: threads in the middle of a call through a chain of links
//! ([`super::chains`]) hold every link above the one they wait in on their stacks, so the
//! dominator tree splits the chain there and only its bottom part is one object's subtree,
//! held by a link's own field (`EventSurcharge.inner`). Such a part is climbed to the chain's
//! head ([`super::chains::links_above`]) and judged as the whole chain: its head's holder,
//! every link, and the bytes all of them keep. Only references are read.

use crate::dom::analysis::Analysis;
use crate::query::holders::{find_holders, Holding};

use super::objects::{Single, Spine};

/// Links sampled from a whole chain, spread over it in chain order.
const SAMPLE: usize = 256;

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
            Some((i, super::chains::links_above(a, s.0, h.owner)?))
        })
        .collect();
    if climbed.is_empty() {
        return (singles, holdings);
    }
    let heads: Vec<u32> = climbed
        .iter()
        .filter_map(|(_, up)| up.last().copied())
        .collect();
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

/// Makes chain part `s` the whole chain with the links `above` it (nearest first): the head is
/// its node, the links are counted and sampled in chain order, and the bytes are the part's
/// plus those of each link above that no other link above dominates.
fn extend(a: &Analysis, s: &mut Single, above: &[u32]) {
    let mut sorted = above.to_vec();
    sorted.sort_unstable();
    let kept: u64 = above
        .iter()
        .filter(|&&p| sorted.binary_search(&a.dom.idom[p as usize]).is_err())
        .map(|&p| a.dom.retained.get(p))
        .sum();
    let mut links: Vec<u32> = above.iter().rev().copied().collect();
    links.extend(&s.3);
    let step = links.len().div_ceil(SAMPLE).max(1);
    s.3 = links.into_iter().step_by(step).collect();
    s.0 = *above.last().unwrap_or(&s.0);
    s.2 += above.len() as u64;
    s.5 += kept;
}
