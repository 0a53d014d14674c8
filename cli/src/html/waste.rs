//! The waste section of the HTML report: what `hprofscan waste` finds (duplicate Strings and
//! arrays, empty and under-filled collections, boxed primitives, each by the field that holds
//! it, with the "could be saved" total), and the native memory the heap's buffers reference.
//! Every name is escaped; String contents are never in the report, only counts and lengths.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};
use analyzer::query::holders::Holder;
use analyzer::report::offheap::OffHeapKind;
use analyzer::report::waste::WasteReport;

use super::common::escape;

/// Rows shown per table.
const ROWS: usize = 30;

/// One table cell.
enum Cell {
    /// Text, not yet escaped (a class name, a holder).
    Text(String),
    /// A count or size: the value to sort by and the text shown.
    Num(u64, String),
}

fn count(n: u64) -> Cell {
    Cell::Num(n, thousands(n))
}

fn size(n: u64) -> Cell {
    Cell::Num(n, bytes(n))
}

fn held_by(h: &Option<Holder>) -> Cell {
    Cell::Text(
        h.as_ref()
            .map(|h| h.display())
            .unwrap_or_else(|| "(no application field)".into()),
    )
}

/// A sortable table with a heading and a line under it when rows were left out.
fn table(h: &mut String, title: &str, heads: &[&str], rows: Vec<Vec<Cell>>) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h3>{}</h3><table class=\"sortable\"><thead><tr>",
        escape(title)
    );
    let numeric: Vec<bool> = rows[0].iter().map(|c| matches!(c, Cell::Num(..))).collect();
    for (head, n) in heads.iter().zip(&numeric) {
        let class = if *n { " class=\"n\"" } else { "" };
        let _ = write!(h, "<th{class}>{}</th>", escape(head));
    }
    h.push_str("</tr></thead><tbody>\n");
    let total = rows.len();
    for row in rows.into_iter().take(ROWS) {
        h.push_str("<tr>");
        for cell in row {
            let _ = match cell {
                Cell::Text(t) => write!(h, "<td class=\"c\">{}</td>", escape(&t)),
                Cell::Num(v, t) => write!(h, "<td class=\"n\" data-v=\"{v}\">{}</td>", escape(&t)),
            };
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    if total > ROWS {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} more not shown (`hprofscan waste` lists them).</p>",
            thousands((total - ROWS) as u64)
        );
    }
}

/// The cards of the totals: what could be saved, by kind, and the native memory.
fn totals(h: &mut String, r: &WasteReport) {
    let t = &r.totals;
    let o = &r.off_heap.totals;
    let share = if t.reachable_bytes == 0 {
        0.0
    } else {
        t.could_be_saved as f64 * 100.0 / t.reachable_bytes as f64
    };
    let _ = writeln!(
        h,
        "<p class=\"saved\">Could be saved: <b>{}</b> ({share:.1}% of the reachable heap).</p>",
        escape(&bytes(t.could_be_saved))
    );
    h.push_str("<div class=\"cards\">");
    let cards = [
        (
            bytes(t.duplicate_string_bytes),
            format!("{} duplicate Strings", thousands(t.duplicate_strings)),
        ),
        (
            bytes(t.duplicate_array_bytes),
            format!("{} duplicate arrays", thousands(t.duplicate_arrays)),
        ),
        (
            bytes(t.empty_collection_bytes),
            format!("{} empty collections", thousands(t.empty_collections)),
        ),
        (
            bytes(t.under_filled_collection_bytes),
            format!(
                "{} under-filled collections",
                thousands(t.under_filled_collections)
            ),
        ),
        (
            bytes(t.boxed_bytes),
            format!("{} boxed primitives", thousands(t.boxed_elements)),
        ),
        (
            bytes(o.direct_bytes),
            format!("native in {} direct buffers", thousands(o.direct_buffers)),
        ),
        (
            bytes(o.mapped_bytes),
            format!(
                "file-backed in {} mapped buffers",
                thousands(o.mapped_buffers)
            ),
        ),
    ];
    for (value, label) in cards {
        let _ = write!(
            h,
            "<div class=\"card\"><b>{}</b><span>{}</span></div>",
            escape(&value),
            escape(&label)
        );
    }
    h.push_str("</div>\n");
}

/// Duplicate Strings by holder, the most duplicated values, duplicate primitive arrays.
fn duplicates(h: &mut String, r: &WasteReport) {
    let rows = r
        .duplicate_strings
        .iter()
        .map(|g| {
            vec![
                held_by(&g.holder),
                count(g.strings),
                count(g.distinct_values),
                size(g.bytes_saved),
            ]
        })
        .collect();
    let heads = [
        "Held by",
        "Strings",
        "Distinct values",
        "Interning would save",
    ];
    table(h, "Duplicate Strings", &heads, rows);
    let rows = r
        .top_duplicate_values
        .iter()
        .map(|v| {
            let enc = if v.utf16 { "UTF-16" } else { "Latin-1" };
            vec![
                count(v.count),
                count(v.length),
                Cell::Text(enc.into()),
                size(v.bytes_saved),
                held_by(&v.holder),
            ]
        })
        .collect();
    let heads = [
        "Copies",
        "Length",
        "Encoding",
        "One copy would save",
        "Held by",
    ];
    table(
        h,
        "Most duplicated values (contents not shown)",
        &heads,
        rows,
    );
    let rows = r
        .duplicate_arrays
        .iter()
        .map(|g| {
            vec![
                held_by(&g.holder),
                Cell::Text(g.class.clone()),
                count(g.arrays),
                count(g.distinct_values),
                size(g.bytes_saved),
            ]
        })
        .collect();
    let heads = [
        "Held by",
        "Class",
        "Arrays",
        "Distinct",
        "Sharing would save",
    ];
    table(h, "Duplicate primitive arrays", &heads, rows);
}

/// Collections, boxed primitives and native memory by holder.
fn holders(h: &mut String, r: &WasteReport) {
    let rows = r
        .collections
        .iter()
        .map(|g| {
            vec![
                held_by(&g.holder),
                Cell::Text(g.class.clone()),
                count(g.collections),
                count(g.empty),
                count(g.under_filled),
                Cell::Num(
                    (g.fill_ratio * 1000.0) as u64,
                    format!("{:.0}%", g.fill_ratio * 100.0),
                ),
                size(g.empty_bytes_saved + g.under_filled_bytes_saved),
            ]
        })
        .collect();
    let heads = [
        "Held by",
        "Class",
        "Collections",
        "Empty",
        "Under-filled",
        "Fill",
        "Could save",
    ];
    table(h, "Empty and under-filled collections", &heads, rows);
    let rows = r
        .boxed
        .iter()
        .map(|g| {
            vec![
                held_by(&g.holder),
                Cell::Text(g.class.clone()),
                Cell::Text(boxed_words(g.role).0.to_string()),
                count(g.elements),
                count(g.containers),
                size(g.bytes_saved),
            ]
        })
        .collect();
    let heads = [
        "Held by",
        "Box class",
        "As",
        "Elements",
        "Arrays or maps",
        "Primitives would save",
    ];
    table(h, "Boxed primitives in arrays and maps", &heads, rows);
    let rows = r
        .off_heap
        .groups
        .iter()
        .map(|g| {
            let kind = match g.kind {
                OffHeapKind::Direct => "direct (native)",
                OffHeapKind::Mapped => "mapped (file-backed)",
            };
            vec![
                held_by(&g.holder),
                Cell::Text(kind.into()),
                count(g.buffers),
                size(g.bytes),
            ]
        })
        .collect();
    let heads = ["Held by", "Kind", "Buffers", "Bytes"];
    table(h, "Native memory referenced from the heap", &heads, rows);
}

/// The section `{p}waste`.
pub(crate) fn waste_section(h: &mut String, p: &str, r: &WasteReport) {
    let _ = writeln!(h, "<section id=\"{p}waste\"><h2>Waste</h2>");
    h.push_str("<p class=\"muted\">Memory held for nothing, by the field that holds it, with what a fix would save. String contents are never shown.</p>\n");
    totals(h, r);
    duplicates(h, r);
    holders(h, r);
    h.push_str("</section>\n");
}

/// How a boxed-primitives row is worded: what the boxes are (`elements`, `keys`, `values`)
/// and what holds them (`arrays`, `maps`).
pub(crate) fn boxed_words(
    role: analyzer::report::waste::BoxedRole,
) -> (&'static str, &'static str) {
    use analyzer::report::waste::BoxedRole;
    match role {
        BoxedRole::Element => ("elements", "arrays"),
        BoxedRole::Key => ("keys", "maps"),
        BoxedRole::Value => ("values", "maps"),
    }
}
