//! A ThreadLocal whose values are collections (`ThreadLocal.withInitial(ArrayList::new)`): its
//! entries are the elements of every thread's collection, not the collections, so that what
//! accumulates on each pool thread is counted, sampled and judged like any other collection
//! (its growth across a series, its elements' ages). The same holds for a per-thread context
//! object that keeps such a collection in a field (a request context's list of spans).

use crate::dom::analysis::Analysis;
use crate::query::collections::contents;
use crate::query::elements::{per_thread_collections, size_fields, spec_lookup};

use super::super::candidate::Candidate;

/// Sampled elements kept over all the threads' collections.
const SAMPLE: usize = 1024;
/// Collections read in full (for their samples); the others give only their sizes.
const MAX_READ: usize = 32;

/// Gives `c` the elements of the collections in `values` (one per thread), when every value
/// is a collection: their number as entries, a sample of them (each collection's in its own
/// order, as one run), the maps' keys, and their classes.
pub(crate) fn add_elements(a: &Analysis, c: &mut Candidate, values: &[u32]) {
    let spec_of = spec_lookup(a);
    // A per-thread context object holding the list: its list's elements are the entries.
    let Some(collections) = per_thread_collections(a, values, &spec_of) else {
        return;
    };
    let values = &collections[..];
    // Each collection read in full costs a pass over the dump: the sizes of all come from
    // one batched read where the class keeps a size field, the samples from a spread few.
    let sized = size_fields(a, values, &spec_of);
    let step = values.len().div_ceil(MAX_READ).max(1);
    let read: Vec<u32> = values.iter().copied().step_by(step).collect();
    let per = (SAMPLE / read.len().max(1)).max(1);
    let (mut entries, mut sample, mut runs, mut fully) = (0, Vec::new(), Vec::new(), 0);
    let mut classes: Vec<(String, u64)> = Vec::new();
    let (mut keys, mut pairs) = (Vec::new(), Vec::new());
    for &v in values {
        let Some(spec) = spec_of(v) else { continue };
        // Collections without a size field are read whatever their number.
        if let Some(&n) = sized.get(&v).filter(|_| !read.contains(&v)) {
            entries += n;
            continue;
        }
        let cont = contents(a, v, spec);
        fully += 1;
        entries += cont.entries;
        let taken: Vec<u32> = cont.values.iter().copied().take(per).collect();
        if cont.ordered && !taken.is_empty() {
            runs.push(taken.len() as u32);
        }
        sample.extend(taken);
        // A map's keys say what it is keyed by (a UUID per request).
        keys.extend(cont.keys.iter().copied().take(per));
        pairs.extend(cont.pairs.iter().copied().take(per));
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
    // Runs only when every collection read kept its order: they must cover the sample.
    c.ordered_runs = if runs.len() == fully {
        runs
    } else {
        Vec::new()
    };
    c.values = sample;
    c.keys = keys;
    c.pairs = pairs;
    if let Some((class, _)) = classes.first() {
        c.element_class = class.clone();
    }
    c.element_classes = classes;
}
