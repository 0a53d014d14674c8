//! The heap summary section: the dump, its format, and cards of the heap's totals.

use std::fmt::Write as _;

use analyzer::base::text::{bytes, thousands};

use super::common::{card, escape, utc, warnings};
use super::DumpReports;

/// The heap summary section of one dump (`p` prefixes its anchors).
pub(super) fn summary_section(h: &mut String, p: &str, d: &DumpReports) {
    let m = &d.leaks.dump;
    let heap = &d.leaks.heap;
    let _ = writeln!(h, "<section id=\"{p}summary\"><h2>Heap summary</h2>");
    let _ = write!(
        h,
        "<dl class=\"kv\"><dt>Dump</dt><dd class=\"mono\">{}</dd><dt>Format</dt><dd>{}, {}-byte ids{}</dd><dt>File</dt><dd>{}{}</dd><dt>Taken</dt><dd>{}</dd></dl>",
        escape(&m.path),
        escape(&m.format),
        m.id_size,
        if m.complete { "" } else { ", <span class=\"bad\">incomplete</span>" },
        escape(&bytes(m.bytes)),
        if m.gzip {
            format!(" (gzip, {} uncompressed)", escape(&bytes(m.uncompressed_bytes)))
        } else {
            String::new()
        },
        escape(&utc(m.timestamp_ms)),
    );
    h.push_str("<div class=\"cards\">");
    card(h, &bytes(heap.reachable_bytes), "reachable heap");
    card(h, &thousands(heap.reachable_objects), "reachable objects");
    card(h, &thousands(heap.objects), "objects in dump");
    card(h, &bytes(heap.shallow_bytes), "all objects (shallow)");
    card(h, &thousands(heap.classes), "classes");
    card(h, &thousands(heap.gc_roots), "GC roots");
    card(h, &bytes(heap.unreachable_bytes), "unreachable (garbage)");
    card(h, &bytes(heap.weakly_reachable_bytes), "weakly reachable");
    card(
        h,
        &thousands(d.leaks.suspects.len() as u64),
        "leak suspects",
    );
    h.push_str("</div>\n");
    warnings(h, &d.leaks.warnings);
    h.push_str("</section>\n");
}
