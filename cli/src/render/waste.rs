//! Text of `hprofscan waste`.

use std::io::{self, Write};

use analyzer::report::waste::WasteReport;

use crate::escape::name;
use crate::fmt::{bytes, thousands};

use super::common::{dump_lines, holder_text, warnings};

/// ` (12.5%)`: the share of the reachable heap that could be saved; empty for an empty heap.
fn saved_share(saved: u64, reachable: u64) -> String {
    if reachable == 0 {
        String::new()
    } else {
        format!(" ({:.1}%)", saved as f64 * 100.0 / reachable as f64)
    }
}

/// `hprofscan waste`: what could be saved, then each kind by holder. Never a String's contents.
pub(crate) fn waste(w: &mut dyn Write, r: &WasteReport) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    totals(w, r)?;
    duplicates(w, r)?;
    collections(w, r)?;
    native(w, r)?;
    warnings(w, &r.warnings)
}

/// How many groups each section shows.
const SHOWN: usize = 15;

/// The "could be saved" total, one line per kind, and the off-heap line.
fn totals(w: &mut dyn Write, r: &WasteReport) -> io::Result<()> {
    let t = &r.totals;
    writeln!(
        w,
        "could be saved  {}{} of {} reachable",
        bytes(t.could_be_saved),
        saved_share(t.could_be_saved, t.reachable_bytes),
        bytes(t.reachable_bytes)
    )?;
    writeln!(
        w,
        "  duplicate strings  {:>12}  {} Strings",
        bytes(t.duplicate_string_bytes),
        thousands(t.duplicate_strings)
    )?;
    writeln!(
        w,
        "  duplicate arrays   {:>12}  {} arrays",
        bytes(t.duplicate_array_bytes),
        thousands(t.duplicate_arrays)
    )?;
    writeln!(
        w,
        "  empty collections  {:>12}  {} collections",
        bytes(t.empty_collection_bytes),
        thousands(t.empty_collections)
    )?;
    writeln!(
        w,
        "  under-filled       {:>12}  {} collections",
        bytes(t.under_filled_collection_bytes),
        thousands(t.under_filled_collections)
    )?;
    writeln!(
        w,
        "  boxed primitives   {:>12}  {} elements",
        bytes(t.boxed_bytes),
        thousands(t.boxed_elements)
    )?;
    let o = &r.off_heap.totals;
    writeln!(
        w,
        "off-heap        {} native in {} direct buffers, {} file-backed in {} mapped buffers ({} views, {} foreign not counted); heap {}",
        bytes(o.direct_bytes),
        thousands(o.direct_buffers),
        bytes(o.mapped_bytes),
        thousands(o.mapped_buffers),
        thousands(o.views),
        thousands(o.foreign),
        bytes(o.heap_reachable_bytes)
    )?;
    Ok(())
}

/// Duplicate Strings by holder, the most duplicated values (never their contents), duplicate
/// primitive arrays.
fn duplicates(w: &mut dyn Write, r: &WasteReport) -> io::Result<()> {
    if !r.duplicate_strings.is_empty() {
        writeln!(w, "\nDuplicate strings (interning or an enum would save):")?;
        for g in r.duplicate_strings.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} Strings, {} distinct values",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.strings),
                thousands(g.distinct_values)
            )?;
        }
    }
    if !r.top_duplicate_values.is_empty() {
        writeln!(w, "\nMost duplicated values (contents not shown):")?;
        for v in r.top_duplicate_values.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>9} copies  length {:>5} {}  {:>10}  {}",
                thousands(v.count),
                thousands(v.length),
                if v.utf16 { "UTF-16 " } else { "Latin-1" },
                bytes(v.bytes_saved),
                holder_text(&v.holder)
            )?;
        }
    }
    if !r.duplicate_arrays.is_empty() {
        writeln!(w, "\nDuplicate primitive arrays:")?;
        for g in r.duplicate_arrays.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} x {}, {} distinct",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.arrays),
                g.class,
                thousands(g.distinct_values)
            )?;
        }
    }
    Ok(())
}

/// Empty and under-filled collections, boxed primitives in arrays.
fn collections(w: &mut dyn Write, r: &WasteReport) -> io::Result<()> {
    if !r.collections.is_empty() {
        writeln!(w, "\nEmpty and under-filled collections:")?;
        for g in r.collections.iter().take(SHOWN) {
            writeln!(
                w,
                "  {:>10}  {}: {} x {}, {} empty, {} under-filled, fill {:.0}%",
                bytes(g.empty_bytes_saved + g.under_filled_bytes_saved),
                holder_text(&g.holder),
                thousands(g.collections),
                name(&g.class),
                thousands(g.empty),
                thousands(g.under_filled),
                g.fill_ratio * 100.0
            )?;
        }
    }
    if !r.boxed.is_empty() {
        writeln!(
            w,
            "\nBoxed primitives in arrays and maps (a primitive collection would save):"
        )?;
        for g in r.boxed.iter().take(SHOWN) {
            let (role, kind) = crate::html::waste::boxed_words(g.role);
            writeln!(
                w,
                "  {:>10}  {}: {} x {} {role} in {} {kind}",
                bytes(g.bytes_saved),
                holder_text(&g.holder),
                thousands(g.elements),
                g.class,
                thousands(g.containers)
            )?;
        }
    }
    Ok(())
}

/// The native memory of direct and mapped buffers, by holder.
fn native(w: &mut dyn Write, r: &WasteReport) -> io::Result<()> {
    if !r.off_heap.groups.is_empty() {
        writeln!(w, "\nNative memory referenced from the heap:")?;
        for g in r.off_heap.groups.iter().take(SHOWN) {
            let kind = match g.kind {
                analyzer::report::offheap::OffHeapKind::Direct => "direct",
                analyzer::report::offheap::OffHeapKind::Mapped => "mapped",
            };
            writeln!(
                w,
                "  {:>10}  {}: {} {kind} buffers",
                bytes(g.bytes),
                holder_text(&g.holder),
                thousands(g.buffers)
            )?;
        }
    }
    Ok(())
}
