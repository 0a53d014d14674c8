//! A ThreadLocal whose values are collections (`ThreadLocal.withInitial(ArrayList::new)`): its
//! entries are the elements of every thread's collection, not the collections, so that what
//! accumulates on each pool thread is counted, sampled and judged like any other collection
//! (its growth across a series, its elements' ages). The same holds for a per-thread context
//! object that keeps such a collection in a field (a request context's list of spans).

use crate::dom::analysis::Analysis;
use crate::query::elements::{per_thread_collections, spec_lookup};

use super::super::candidate::Candidate;

/// Gives `c` the elements of the collections in `values` (one per thread), when every value
/// is a collection or holds one in the same field: their number as entries, a sample of them,
/// the maps' keys, and their classes.
pub(crate) fn add_elements(a: &Analysis, c: &mut Candidate, values: &[u32]) {
    let spec_of = spec_lookup(a);
    // A per-thread context object holding the list: its list's elements are the entries.
    let Some(collections) = per_thread_collections(a, values, &spec_of) else {
        return;
    };
    super::inner_elements::flatten(a, c, &collections, &spec_of);
}
