//! A cap per list: when the entries judged are the elements of many small collections (a
//! member's recently viewed vehicles, one list per member), no collection holds more than
//! some number while most hold exactly that number (or a tenth or more do, a pile-up three
//! times the count of those one short of it: owners still filling up spread below the cap),
//! and a cap-named constant or field of the
//! code that holds them has that value (`MAX_RECENT = 20`), each is kept at that cap by the
//! code that adds to it: the structure grows with its owners, not with time. Equal sizes alone
//! are no cap: lists that only grow, one element per owner per tick, are equal too.
//!
//! The same cap with some collections far past it: the trim was stepped over (a check for
//! `size() == LIMIT` that an add of two elements jumps), and a collection that passed its cap
//! is never trimmed again: those keep every element added since, a leak. Only sizes and cap
//! values are read.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::query::objects::ObjectView;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::bound::{is_cap_name, number};
use super::Reads;

/// Collections needed for a judgement.
const MIN_LISTS: usize = 20;
/// The smallest cap taken for one (one or two elements per owner is a shape, not a cap).
const MIN_CAP: u64 = 3;
/// Share of the collections that must hold exactly the cap.
const AT_CAP: f64 = 0.5;
/// Share of the collections that must hold exactly the cap when it is a pile-up ([`PEAK`]
/// times as many as hold one fewer).
const PILED: f64 = 0.1;
/// Words of the escaped-cap evidence's detail that the advice looks for.
pub(crate) const STEPPED_OVER_WORDS: &str = "the trim to that cap was stepped over";
/// Share of the collections a size must hold to be a cap some have escaped (a tier's limit
/// held by a fifth of them is one).
const SPIKE: f64 = 0.05;
/// How many times more collections a cap must hold than the sizes next to it.
const PEAK: usize = 3;
/// Share of the collections that must be past the largest cap, and how many at least.
const ESCAPED: f64 = 0.03;
const MIN_ESCAPED: usize = 5;
/// Share of the sampled collections' elements those past it must hold.
const ESCAPED_ELEMENTS: f64 = 0.1;

/// Adds the bound evidence of collections each kept at one cap.
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let Some((cap, at)) = cap(&c.inner_sizes) else {
        return;
    };
    let Some(name) = cap_named(a, c, reads, cap) else {
        return;
    };
    let lists = c.inner_sizes.len();
    c.add(evidence(
        EvidenceName::Bound,
        Supports::MemoryHungry,
        Strength::Strong,
        format!(
            "{} of {} collections hold exactly {cap} elements and none more, the value of {name}: each is kept at that cap (trimmed as it is added to), so they grow with their owners, not with time",
            thousands(at as u64),
            thousands(lists as u64)
        ),
    ));
}

/// Adds the evidence of collections kept at a named cap that some have escaped.
pub(crate) fn add_escaped(a: &Analysis, c: &mut Candidate, reads: &Reads) {
    let sizes = &c.inner_sizes;
    if sizes.len() < MIN_LISTS {
        return;
    }
    // The largest size held by a notable share of the collections, many more than hold the
    // sizes next to it, that a cap-named field has.
    let mut spikes: Vec<u64> = sizes.iter().copied().filter(|&n| n >= MIN_CAP).collect();
    spikes.sort_unstable();
    spikes.dedup();
    let count = |k: u64| sizes.iter().filter(|&&n| n == k).count();
    let Some((cap, name)) = spikes
        .iter()
        .rev()
        .filter(|&&k| {
            // A cap is a peak: lists still filling up, or just past it, are few beside it.
            let near = count(k - 1).max(count(k + 1));
            count(k) as f64 >= SPIKE * sizes.len() as f64 && count(k) >= PEAK * near
        })
        .find_map(|&k| cap_named(a, c, reads, k).map(|name| (k, name)))
    else {
        return;
    };
    let past: Vec<u64> = sizes.iter().copied().filter(|&n| n > cap).collect();
    let total: u64 = sizes.iter().sum();
    let held: u64 = past.iter().sum();
    if past.len() < MIN_ESCAPED
        || (past.len() as f64) < ESCAPED * sizes.len() as f64
        || (held as f64) < ESCAPED_ELEMENTS * total as f64
    {
        return;
    }
    c.add(evidence(
        EvidenceName::Bound,
        Supports::Leak,
        Strength::Strong,
        format!(
            "{} of {} sampled collections hold exactly {cap} elements, the value of {name}, but {} hold more, up to {} ({} of their {} elements): {STEPPED_OVER_WORDS}, and a collection past it is never trimmed again",
            thousands(count(cap) as u64),
            thousands(sizes.len() as u64),
            thousands(past.len() as u64),
            thousands(past.iter().copied().max().unwrap_or(0)),
            thousands(held),
            thousands(total)
        ),
    ));
}

/// The cap-named field equal to `cap` (or one named like the holder field) of the object that
/// owns the holder field, or a static one of the holder's class or a class enclosing it.
fn cap_named(a: &Analysis, c: &Candidate, reads: &Reads, cap: u64) -> Option<String> {
    let h = c.holding.as_ref()?;
    let mut nodes = Vec::new();
    let mut class = h.holder.class.as_str();
    loop {
        let k = a.heap.classes.by_name(class);
        nodes.extend(k.and_then(|k| a.graph.ids.get(a.heap.classes.get(k).id)));
        match class.rsplit_once('$') {
            Some((outer, _)) => class = outer,
            None => break,
        }
    }
    let statics = crate::query::find::views(a, &nodes);
    let views: Vec<&ObjectView> = reads
        .views
        .get(&h.owner)
        .into_iter()
        .chain(statics.values())
        .collect();
    // A constant named like the holder field (`TOP = 100` for a leaderboard's `top` lists) is
    // that field's size as much as a cap-named one is.
    let holder_words: Vec<String> = super::ages::words(&h.holder.field)
        .iter()
        .map(|w| super::bound::stem(w))
        .collect();
    views
        .iter()
        .flat_map(|v| v.fields.iter())
        .find(|f| {
            (is_cap_name(&f.name) || super::bound::shares_word(&f.name, &holder_words))
                && number(f) == Some(cap)
        })
        .map(|f| f.name.clone())
}

/// The cap and how many collections are at it, when the sizes show one: half of them or more
/// at the largest size, or a pile-up there, a tenth of them or more and three times as many
/// as hold one element fewer (owners still filling up spread below the cap; lists that grow
/// without one reach their largest size one by one).
fn cap(sizes: &[u64]) -> Option<(u64, usize)> {
    let &max = sizes.iter().max()?;
    let at = sizes.iter().filter(|&&n| n == max).count();
    let below = sizes.iter().filter(|&&n| n + 1 == max).count();
    let n = sizes.len() as f64;
    let enough = sizes.len() >= MIN_LISTS && max >= MIN_CAP;
    let most = at as f64 >= AT_CAP * n;
    let piled = at as f64 >= PILED * n && at >= PEAK * below;
    (enough && (most || piled)).then_some((max, at))
}

#[cfg(test)]
mod tests {
    use super::cap;

    #[test]
    fn most_lists_at_their_largest_size_are_capped() {
        let mut capped = vec![20u64; 450];
        capped.extend((1..20).cycle().take(150));
        assert_eq!(cap(&capped), Some((20, 450)));
        let growing: Vec<u64> = (0..600).map(|i| 10 + (i * 7) % 90).collect();
        assert_eq!(cap(&growing), None);
        assert_eq!(cap(&[20; 10]), None);
        assert_eq!(cap(&[2; 600]), None);
        // A fifth at the cap, the rest spread below it: owners still filling up.
        let mut filling = vec![40u64; 300];
        filling.extend((0..40).cycle().take(1_200));
        assert_eq!(cap(&filling), Some((40, 300)));
        // The same share at the largest size with as many just under it: no pile-up.
        let mut rising = vec![40u64; 300];
        rising.extend(vec![39u64; 300]);
        rising.extend((0..39).cycle().take(900));
        assert_eq!(cap(&rising), None);
    }
}
