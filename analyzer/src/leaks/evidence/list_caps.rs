//! A cap per list: when the entries judged are the elements of many small collections (a
//! member's recently viewed vehicles, one list per member), no collection holds more than
//! some number while most hold exactly that number, and a cap-named constant or field of the
//! code that holds them has that value (`MAX_RECENT = 20`), each is kept at that cap by the
//! code that adds to it: the structure grows with its owners, not with time. Equal sizes alone
//! are no cap: lists that only grow, one element per owner per tick, are equal too. Only sizes
//! and cap values are read.

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

/// The cap and how many collections are at it, when the sizes show one.
fn cap(sizes: &[u64]) -> Option<(u64, usize)> {
    let &max = sizes.iter().max()?;
    let at = sizes.iter().filter(|&&n| n == max).count();
    let enough = sizes.len() >= MIN_LISTS && max >= MIN_CAP;
    (enough && at as f64 >= AT_CAP * sizes.len() as f64).then_some((max, at))
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
    }
}
