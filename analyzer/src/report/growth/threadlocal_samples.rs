//! ThreadLocals as holders across a series: a ThreadLocal whose value on each thread is a
//! collection, or an object keeping one (a per-thread request context), holds the elements of
//! all of them, under the field that declares the ThreadLocal. Its growth is their growth.

use super::model::{HolderSample, MIN_HOLDER_ENTRIES, MIN_HOLDER_SHARE};
use crate::dom::analysis::Analysis;
use crate::query::collections::{contents, normalise_class};
use crate::query::elements::{count, per_thread_collections, spec_lookup};
use crate::report::threadlocals::{threadlocal_report, ThreadLocalOptions};

/// The ThreadLocals of collections (on any number of threads) holding at least
/// [`MIN_HOLDER_ENTRIES`] elements or [`MIN_HOLDER_SHARE`] of the heap.
pub(super) fn samples(a: &Analysis) -> Vec<HolderSample> {
    let floor = ((MIN_HOLDER_SHARE * a.dom.reachable_bytes as f64) as u64).max(1);
    let spec_of = spec_lookup(a);
    let report = threadlocal_report(a, &ThreadLocalOptions::default());
    let mut out = Vec::new();
    for g in report.groups.iter().filter(|g| !g.stale) {
        let Some(holder) = g.declared_by.clone() else {
            continue;
        };
        let Some(collections) = per_thread_collections(a, &g.value_nodes, &spec_of) else {
            continue;
        };
        let entries = count(a, &collections, &spec_of);
        if entries < MIN_HOLDER_ENTRIES && g.retained_bytes < floor {
            continue;
        }
        let Some(&largest) = collections.iter().max_by_key(|&&v| a.dom.retained.get(v)) else {
            continue;
        };
        let element_class = spec_of(largest)
            .map(|spec| contents(a, largest, spec).element_classes)
            .and_then(|c| c.first().map(|e| e.0.clone()))
            .unwrap_or_else(|| "<empty>".into());
        out.push(HolderSample {
            holder: crate::query::holders::Holder {
                class: normalise_class(&holder.class),
                ..holder
            },
            collection_class: crate::query::objects::node_class(a, largest),
            collection_id: a.graph.ids.id(largest),
            element_class,
            collections: collections.len() as u64,
            entries,
            retained_bytes: g.retained_bytes,
            own_retained_bytes: g.retained_bytes,
            within: None,
        });
    }
    out
}
