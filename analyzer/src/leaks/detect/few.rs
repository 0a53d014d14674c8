//! Collections of fewer entries than a candidate needs: retainers of a few large objects, or,
//! when they keep a notable share of the heap in enough entries, candidates judged by their
//! entries' evidence alone.

use crate::dom::analysis::Analysis;
use crate::query::holders::Holding;
use crate::query::objects::{node_kind, NodeKind};

use super::super::model::Verdict;
use super::collections::Raw;
use super::{retainer, Found};

/// Entries from which a collection of fewer than a candidate needs is judged all the same,
/// when it keeps [`FEW_JUDGED_SHARE`] of the heap: 80 clients of 128 KiB each, every one
/// closed, are no accumulation of many small objects, but their state is evidence.
const FEW_JUDGED: u64 = 20;
/// Share of the reachable heap from which such a collection is judged.
const FEW_JUDGED_SHARE: f64 = 0.05;

/// Whether a collection of few entries is judged as a candidate (by its entries' evidence:
/// its size says nothing) rather than listed as a retainer of a few large objects. Not when
/// its sampled `values` are mostly collections or arrays (24 ports' lists of movements): what
/// they hold is judged as theirs.
pub(super) fn judged_though_few(a: &Analysis, r: &Raw, entries: u64, values: &[u32]) -> bool {
    if entries < FEW_JUDGED || a.share(r.retained + r.native) < FEW_JUDGED_SHARE {
        return false;
    }
    let spec_of = crate::query::elements::spec_lookup(a);
    let nested = values
        .iter()
        .filter(|&&v| spec_of(v).is_some() || node_kind(a, v) != NodeKind::Instance)
        .count();
    2 * nested < values.len()
}

/// A collection of fewer entries than a candidate needs: a retainer of a few large objects.
pub(super) fn few_large(
    a: &Analysis,
    r: &Raw,
    holding: Holding,
    (entries, values): (u64, Vec<u32>),
    found: &mut Found,
) {
    let mut t = retainer(
        a,
        r.node,
        Some(holding.holder.clone()),
        Some(entries),
        Verdict::MemoryHungry,
        format!(
            "{} entries: a few large objects, not an accumulation of many",
            crate::base::text::thousands(entries)
        ),
    );
    t.native_bytes = (r.native > 0).then_some(r.native);
    found.retainers.push(t);
    found.few_entries.push((r.node, values));
}
