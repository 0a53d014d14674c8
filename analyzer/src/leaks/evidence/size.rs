//! Size: the share of the heap and how many similar objects make it. Size alone never decides:
//! it is weak evidence, even for a structure holding most of the heap (healthy services keep
//! directories and reference data of 60-80% of their heap).

use crate::base::text::{bytes as fmt_bytes, thousands};
use crate::dom::analysis::Analysis;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};

/// Share of the reachable heap from which a structure "holds most of the heap".
pub(crate) const MOST_OF_HEAP: f64 = 0.5;
/// Entries from which a structure is an accumulation of many objects.
pub(crate) const MANY_ENTRIES: u64 = 1000;

/// The strength of evidence counting `left` entries left behind: strong from [`MANY_ENTRIES`],
/// moderate below.
pub(crate) fn strength_of(left: u64) -> Strength {
    if left >= MANY_ENTRIES {
        Strength::Strong
    } else {
        Strength::Moderate
    }
}

/// Adds the size evidence.
pub(crate) fn add(a: &Analysis, c: &mut Candidate) {
    if c.native > 0 {
        add_native(a, c);
        return;
    }
    let share = a.share(c.retained);
    let per = c.retained / c.entries.max(1);
    if c.kind == LeakKind::Buffer {
        c.add(evidence(
            EvidenceName::Size,
            Supports::Leak,
            Strength::Weak,
            format!(
                "{} {}s in {}, {:.1}% of the reachable heap (size alone is no evidence of a leak)",
                thousands(c.entries),
                c.element_class,
                where_held(c),
                share * 100.0
            ),
        ));
    } else if c.kind == LeakKind::PrimitiveArray {
        c.add(evidence(
            EvidenceName::Size,
            Supports::Leak,
            Strength::Weak,
            format!(
                "one {}[] of {} slots, {:.1}% of the reachable heap: a table sized for its id space and one grown with every new index look the same in one dump",
                c.element_class,
                thousands(c.entries),
                share * 100.0
            ),
        ));
    } else if share >= MOST_OF_HEAP {
        c.add(evidence(
            EvidenceName::Size,
            Supports::Leak,
            Strength::Weak,
            format!(
                "holds most of the heap: {} ({:.1}% of the reachable heap) in {} entries",
                fmt_bytes(c.retained),
                share * 100.0,
                thousands(c.entries)
            ),
        ));
    } else if c.entries >= MANY_ENTRIES {
        c.add(evidence(
            EvidenceName::Size,
            Supports::Leak,
            Strength::Weak,
            format!(
                "{} entries of about {} each, {:.1}% of the reachable heap: an accumulation of many small objects (size alone is no evidence of a leak)",
                thousands(c.entries),
                fmt_bytes(per),
                share * 100.0
            ),
        ));
    }
}

/// The size evidence of a structure keeping direct buffers alive: their native memory, beside
/// the heap it retains.
fn add_native(a: &Analysis, c: &mut Candidate) {
    let per = c.native / c.entries.max(1);
    c.add(evidence(
        EvidenceName::Size,
        Supports::Leak,
        Strength::Weak,
        format!(
            "{} entries keep {} of native memory alive outside the Java heap (about {} each; the reachable heap is {}), beside {} of heap (size alone is no evidence of a leak)",
            thousands(c.entries),
            fmt_bytes(c.native),
            fmt_bytes(per),
            fmt_bytes(a.dom.reachable_bytes),
            fmt_bytes(c.retained),
        ),
    ));
}

/// Where a buffer candidate's chars or bytes are: one array, or one per object of its field.
pub(crate) fn where_held(c: &Candidate) -> String {
    if c.instances > 1 {
        format!("{} buffers, one per object", thousands(c.instances))
    } else {
        "one array".to_string()
    }
}
