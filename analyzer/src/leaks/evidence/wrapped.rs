//! Times one reference away: an entry that wraps records (`Quarantined { message, failure }`,
//! `Slot { booking, hold }`) holds no time of its own, but the records it references do
//! (`failure.failedAt`). Those times date the entry as its own fields would, and are named by
//! the path (`failure.failedAt`). Read only when the entries hold no time of their own, from
//! objects already read for the evidence ([`super::states::Linked`]); not for a class group,
//! whose objects are often another candidate's seen from below (the cleaning actions of a
//! Cleaner's registrations, each referencing its object).

use hprof_parser::BasicType;

use crate::dom::analysis::Analysis;

use super::super::candidate::Candidate;
use super::super::model::LeakKind;
use super::ages::{add_time, entry_times, TimeField, FIELD_SHARE};
use super::Reads;

/// Per path (`failure.failedAt`), (entry, time) of every sampled entry that references an
/// object holding a time in that field; paths present in fewer than most of the `n` sampled
/// entries are dropped.
pub(super) fn linked_times(
    a: &Analysis,
    c: &Candidate,
    reads: &Reads,
    now: u64,
    n: usize,
) -> Vec<TimeField> {
    let mut fields: Vec<TimeField> = Vec::new();
    if c.kind == LeakKind::ClassGroup {
        return fields;
    }
    for &v in &c.values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        for f in view
            .fields
            .iter()
            .filter(|f| f.ty == BasicType::Object && f.raw != 0)
        {
            let Some(linked) = a
                .graph
                .ids
                .get(f.raw)
                .and_then(|w| reads.linked.views.get(&w))
            else {
                continue;
            };
            for (name, t) in entry_times(linked, reads, a, now) {
                let path = format!("{}.{name}", f.name);
                add_time(&mut fields, path, v, t);
            }
        }
    }
    fields.retain(|f| f.1.len() as f64 >= FIELD_SHARE * n as f64);
    fields
}
