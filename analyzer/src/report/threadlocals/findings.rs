//! The ThreadLocal leaks of a report: big live groups of more than one small value per thread,
//! and stale groups.

use crate::dom::analysis::Analysis;
use crate::query::holders::Holder;
use crate::report::finding::{fmt_bytes, thousands, FindingKind, LeakFinding};

use super::model::*;
use super::report::threadlocal_report;

/// The ThreadLocal leaks of the heap: live groups whose entries retain at least
/// `threshold_bytes` with values of at least [`SMALL_VALUE`] per thread, and stale groups
/// retaining at least a tenth of it.
pub fn leak_findings(a: &Analysis, threshold_bytes: u64) -> Vec<LeakFinding> {
    let report = threadlocal_report(a, &ThreadLocalOptions::default());
    findings_of(&report, threshold_bytes)
}

/// The findings of a report already built.
pub fn findings_of(report: &ThreadLocalReport, threshold_bytes: u64) -> Vec<LeakFinding> {
    findings_above(report, threshold_bytes, SMALL_VALUE)
}

/// [`findings_of`], with live groups whose values average at least `per_thread` bytes per
/// thread (0: every live group retaining `threshold_bytes`, small values too).
pub fn findings_above(
    report: &ThreadLocalReport,
    threshold_bytes: u64,
    per_thread: u64,
) -> Vec<LeakFinding> {
    let mut out = Vec::new();
    // A per-object field's keys are judged together, as the report merged them.
    let merged = report
        .per_object
        .iter()
        .map(|p| (&p.group, p.thread_locals));
    let single = report
        .groups
        .iter()
        .filter(|g| !report.in_per_object(g))
        .map(|g| (g, 0));
    for (g, keys) in merged.chain(single) {
        let size = g.entries_retained_bytes;
        let leak = if g.stale {
            size >= (threshold_bytes / 10).max(1)
        } else if keys > 0 {
            size >= threshold_bytes.max(1)
        } else {
            size >= threshold_bytes.max(1) && g.retained_bytes / g.threads.max(1) >= per_thread
        };
        if !leak {
            continue;
        }
        let map_field = if g.maps == [MapField::InheritableThreadLocals] {
            "inheritableThreadLocals"
        } else {
            "threadLocals"
        };
        let holder = g.declared_by.clone().unwrap_or_else(|| Holder {
            class: "java.lang.Thread".into(),
            field: map_field.into(),
            is_static: false,
        });
        let threads = format!(
            "{} thread{} ({})",
            thousands(g.threads),
            if g.threads == 1 { "" } else { "s" },
            g.thread_pattern
        );
        let explanation = explanation(g, keys, &threads);
        out.push(LeakFinding {
            kind: FindingKind::ThreadLocal,
            holder: Some(holder),
            node: g.largest_node,
            entries: g.entries,
            element_class: g.value_class.clone(),
            retained_bytes: size,
            explanation,
            threads: g.thread_names.clone(),
            stale_entries: if g.stale { g.entries } else { 0 },
            value_class: Some(g.value_class.clone()),
            keys,
        });
    }
    out
}

/// Why a ThreadLocal per object leaks, for the `keys` ThreadLocals of one instance field.
fn per_object_explanation(g: &ThreadLocalGroup, keys: u64, threads: &str) -> String {
    let field = g
        .declared_by
        .as_ref()
        .map_or_else(String::new, |h| format!("{}.{}", h.class, h.field));
    format!(
        "{} ThreadLocals of the instance field {field} (one per object) hold {} entries on \
         {threads}, {} in all: each object's ThreadLocal set on a pooled thread and never \
         removed leaves an entry there for as long as the thread lives. Make the ThreadLocal \
         static, or call remove() when done.",
        thousands(keys),
        thousands(g.entries),
        fmt_bytes(g.entries_retained_bytes)
    )
}

/// Why group `g` (of `keys` ThreadLocals of one field when more than none) leaks.
fn explanation(g: &ThreadLocalGroup, keys: u64, threads: &str) -> String {
    if keys > 0 {
        return per_object_explanation(g, keys, threads);
    }
    if g.stale {
        return format!(
            "{} stale entries on {threads} retain {} of {}: their ThreadLocal keys were \
             garbage-collected, but the values stay in the threads' ThreadLocalMaps as long \
             as the threads live, and no code can get or remove them. A ThreadLocal created \
             per object (an instance field) and never removed leaves one such entry per \
             object and thread: make it static, or call remove() when done.",
            thousands(g.entries),
            fmt_bytes(g.entries_retained_bytes),
            g.value_class
        );
    }
    let decl = match &g.declared_by {
        Some(h) if h.is_static => format!("static ThreadLocal {}.{}", h.class, h.field),
        Some(h) => format!("the ThreadLocal in field {}.{}", h.class, h.field),
        None => "a ThreadLocal".to_string(),
    };
    format!(
        "{decl} holds a {} value on each of {threads}, {} in all: pooled threads live \
         as long as their pool, so a value set and never removed stays. Call remove() \
         when the task ends, or keep less in it.",
        g.value_class,
        fmt_bytes(g.entries_retained_bytes)
    )
}
