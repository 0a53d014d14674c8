//! A ThreadLocal whose values are collections (`ThreadLocal.withInitial(ArrayList::new)`): its
//! entries are the elements of every thread's collection, not the collections, so that what
//! accumulates on each pool thread is counted, sampled and judged like any other collection
//! (its growth across a series, its elements' ages).

use crate::dom::analysis::Analysis;
use crate::query::collections::{collection_specs, contents};

use super::super::candidate::Candidate;

/// Sampled elements kept over all the threads' collections.
const SAMPLE: usize = 1024;

/// Gives `c` the elements of the collections in `values` (one per thread), when every value
/// is a collection: their number as entries, a sample of them (each collection's in its own
/// order, as one run), and their classes.
pub(crate) fn add_elements(a: &Analysis, c: &mut Candidate, values: &[u32]) {
    let specs = collection_specs(a);
    let spec_of = |v: u32| {
        let k = a.graph.class_of(v);
        specs.get(k as usize).copied().flatten()
    };
    if values.is_empty() || values.iter().any(|&v| spec_of(v).is_none()) {
        return;
    }
    let per = (SAMPLE / values.len()).max(1);
    let (mut entries, mut sample, mut runs) = (0, Vec::new(), Vec::new());
    let mut classes: Vec<(String, u64)> = Vec::new();
    for &v in values {
        let Some(spec) = spec_of(v) else { continue };
        let cont = contents(a, v, spec);
        entries += cont.entries;
        let taken: Vec<u32> = cont.values.iter().copied().take(per).collect();
        if cont.ordered && !taken.is_empty() {
            runs.push(taken.len() as u32);
        }
        sample.extend(taken);
        for (class, n) in cont.element_classes {
            match classes.iter_mut().find(|(k, _)| *k == class) {
                Some(x) => x.1 += n,
                None => classes.push((class, n)),
            }
        }
    }
    if entries == 0 {
        return;
    }
    classes.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    c.entries = entries;
    // Runs only when every collection kept its order: they must cover the sample's start.
    c.ordered_runs = if runs.len() == values.len() {
        runs
    } else {
        Vec::new()
    };
    c.values = sample;
    if let Some((class, _)) = classes.first() {
        c.element_class = class.clone();
    }
    c.element_classes = classes;
}
