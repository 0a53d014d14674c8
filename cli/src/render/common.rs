//! What every text report shares: the dump's header lines, the size model, totals and
//! warnings, the wrap width, wrapping and plurals.

use std::io::{self, Write};

use crate::escape::name;
use crate::fmt::{bytes, thousands, utc};
use analyzer::load::size::SizeModel;
use analyzer::report::histogram::Totals;
use analyzer::DumpMeta;

/// The `dump`, `format` and (for a damaged dump) `complete` lines.
pub(crate) fn dump_lines(w: &mut dyn Write, d: &DumpMeta) -> io::Result<()> {
    writeln!(w, "dump      {}", name(&d.path))?;
    let size = if d.gzip {
        format!(
            "{} bytes gzip, {} bytes uncompressed",
            thousands(d.bytes),
            thousands(d.uncompressed_bytes)
        )
    } else {
        format!("{} bytes", thousands(d.bytes))
    };
    hanging(
        w,
        "format    ",
        &format!(
            "{}, {}-byte ids, {}; written {}",
            name(&d.format),
            d.id_size,
            size,
            utc(d.timestamp_ms)
        ),
    )?;
    if !d.complete {
        writeln!(
            w,
            "complete  NO: analysed as far as it is intact (--partial)"
        )?;
    }
    Ok(())
}

/// The size model: JVM or ART, compressed oops or not, header and reference sizes.
pub(crate) fn model_line(m: &SizeModel) -> String {
    let kind = if m.art {
        "Android ART".to_string()
    } else if m.field_layout == analyzer::load::size::FieldLayout::PerClass {
        format!("{}, JDK 14 field layout", model_line_base(m))
    } else {
        model_line_base(m)
    };
    format!(
        "{kind} ({}-byte headers, {}-byte references, {}-byte array headers)",
        m.object_header, m.reference, m.array_header
    )
}

fn model_line_base(m: &SizeModel) -> String {
    if m.reference == 4 && m.object_header == 8 {
        "32-bit JVM".to_string()
    } else if m.compressed_oops {
        "64-bit JVM, compressed oops".to_string()
    } else if m.compressed_class_pointers {
        "64-bit JVM, uncompressed oops".to_string()
    } else {
        "64-bit JVM, nothing compressed".to_string()
    }
}

/// The `objects` line (by kind) and the `classes` line.
pub(crate) fn totals_lines(w: &mut dyn Write, t: &Totals) -> io::Result<()> {
    writeln!(
        w,
        "objects   {} (instances {}, object arrays {}, primitive arrays {})",
        thousands(t.objects),
        thousands(t.instances),
        thousands(t.object_arrays),
        thousands(t.primitive_arrays)
    )?;
    writeln!(w, "classes   {}", thousands(t.classes))?;
    Ok(())
}

/// One `warning:` line (wrapped) per warning.
pub(crate) fn warnings(w: &mut dyn Write, list: &[String]) -> io::Result<()> {
    for x in list {
        hanging(w, "warning: ", &name(x))?;
    }
    Ok(())
}

/// The `heap` line: objects, classes, GC roots, reachable; then weak and unreachable.
pub(crate) fn summary_lines(
    w: &mut dyn Write,
    h: &analyzer::dom::analysis::HeapSummary,
) -> io::Result<()> {
    hanging(
        w,
        "heap      ",
        &format!(
            "{}, {}, {}; reachable {} in {}",
            plural(h.objects, "object", "objects"),
            plural(h.classes, "class", "classes"),
            plural(h.gc_roots, "GC root", "GC roots"),
            bytes(h.reachable_bytes),
            plural(h.reachable_objects, "object", "objects")
        ),
    )?;
    if h.weakly_reachable_objects > 0 || h.unreachable_objects > 0 {
        hanging(
            w,
            "          ",
            &format!(
                "weakly reachable {} in {}; unreachable {} in {}",
                bytes(h.weakly_reachable_bytes),
                plural(h.weakly_reachable_objects, "object", "objects"),
                bytes(h.unreachable_bytes),
                plural(h.unreachable_objects, "object", "objects")
            ),
        )?;
    }
    Ok(())
}

/// An object's class name, or `class NAME` for a class object.
pub(crate) fn node_name(kind: analyzer::query::objects::NodeKind, class: &str) -> String {
    if kind == analyzer::query::objects::NodeKind::Class {
        format!("class {}", name(class))
    } else {
        name(class).into_owned()
    }
}

/// The width text is wrapped to: the terminal's when standard output is one, else 100.
static WIDTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(100);

/// Sets the width text is wrapped to (at least 60 columns, so labelled text keeps room).
pub(crate) fn set_width(columns: usize) {
    WIDTH.store(columns.max(60), std::sync::atomic::Ordering::Relaxed);
}

/// The width text is wrapped to.
pub(crate) fn width() -> usize {
    WIDTH.load(std::sync::atomic::Ordering::Relaxed)
}

/// `1 thread`, `2 threads`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Writes `head` then `text` wrapped to the width, later lines indented by `head`'s width.
pub(crate) fn hanging(w: &mut dyn Write, head: &str, text: &str) -> io::Result<()> {
    let indent = head.chars().count();
    if text.trim().is_empty() {
        return writeln!(w, "{}", head.trim_end());
    }
    for (i, line) in wrap(text, width().saturating_sub(indent).max(20))
        .iter()
        .enumerate()
    {
        if i == 0 {
            writeln!(w, "{head}{line}")?;
        } else {
            writeln!(w, "{:indent$}{line}", "")?;
        }
    }
    Ok(())
}

/// Writes `text` after a 15-column label, wrapped.
pub(crate) fn labelled(w: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
    for (i, line) in wrap(&name(text), width() - 15).iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        writeln!(w, "   {head:<12}{line}")?;
    }
    Ok(())
}

/// Splits text into lines of at most `width` characters at spaces.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A holder field, or `(no application field)`.
pub(crate) fn holder_text(h: &Option<analyzer::query::holders::Holder>) -> String {
    h.as_ref()
        .map(|h| name(&h.display()).into_owned())
        .unwrap_or_else(|| "(no application field)".into())
}

/// `a -> b -> c`, `-` for a dump without the value.
pub(crate) fn series(values: &[Option<u64>], f: impl Fn(u64) -> String) -> String {
    values
        .iter()
        .map(|v| v.map(&f).unwrap_or_else(|| "-".into()))
        .collect::<Vec<_>>()
        .join(" -> ")
}
