//! Text rendering of the reports. JSON is the reports' serde form; text is written here.

use std::io::{self, Write};

use analyzer::histogram::{Histogram, Totals};
use analyzer::info::Info;
use analyzer::size::SizeModel;
use analyzer::DumpMeta;

use crate::fmt::{bytes, thousands, utc};

fn dump_lines(w: &mut dyn Write, d: &DumpMeta) -> io::Result<()> {
    writeln!(w, "dump      {}", d.path)?;
    let size = if d.gzip {
        format!(
            "{} bytes gzip, {} bytes uncompressed",
            thousands(d.bytes),
            thousands(d.uncompressed_bytes)
        )
    } else {
        format!("{} bytes", thousands(d.bytes))
    };
    writeln!(
        w,
        "format    {}, {}-byte ids, {}; written {}",
        d.format,
        d.id_size,
        size,
        utc(d.timestamp_ms)
    )?;
    if !d.complete {
        writeln!(
            w,
            "complete  NO: analysed as far as it is intact (--partial)"
        )?;
    }
    Ok(())
}

fn model_line(m: &SizeModel) -> String {
    let kind = if m.reference == 4 && m.object_header == 8 {
        "32-bit JVM".to_string()
    } else if m.compressed_oops {
        "64-bit JVM, compressed oops".to_string()
    } else if m.compressed_class_pointers {
        "64-bit JVM, uncompressed oops".to_string()
    } else {
        "64-bit JVM, nothing compressed".to_string()
    };
    format!(
        "{kind} ({}-byte headers, {}-byte references, {}-byte array headers)",
        m.object_header, m.reference, m.array_header
    )
}

fn totals_lines(w: &mut dyn Write, t: &Totals) -> io::Result<()> {
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

fn warnings(w: &mut dyn Write, list: &[String]) -> io::Result<()> {
    for x in list {
        writeln!(w, "warning: {x}")?;
    }
    Ok(())
}

/// Renders `info`.
pub fn info(w: &mut dyn Write, r: &Info) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    let recs: Vec<String> = r
        .records
        .iter()
        .map(|(k, v)| format!("{k} {}", thousands(*v)))
        .collect();
    writeln!(w, "records   {}", recs.join(", "))?;
    writeln!(
        w,
        "heap      {} heap dump records, {} bytes{}",
        thousands(r.heap_dump_segments),
        thousands(r.heap_dump_bytes),
        if r.heap_dump_end || r.records.contains_key("HEAP_DUMP") {
            ""
        } else {
            ", no HEAP_DUMP_END"
        }
    )?;
    totals_lines(w, &r.totals)?;
    let roots: Vec<String> = r
        .gc_roots_by_kind
        .iter()
        .map(|(k, v)| format!("{k} {}", thousands(*v)))
        .collect();
    writeln!(
        w,
        "gc roots  {} ({})",
        thousands(r.totals.gc_roots),
        roots.join(", ")
    )?;
    if r.unreachable_listed > 0 {
        writeln!(w, "listed unreachable {}", thousands(r.unreachable_listed))?;
    }
    writeln!(
        w,
        "shallow   {} ({} bytes) under {}",
        bytes(r.totals.shallow_bytes),
        thousands(r.totals.shallow_bytes),
        model_line(&r.size_model)
    )?;
    warnings(w, &r.warnings)
}

/// Renders `histogram`.
pub fn histogram(w: &mut dyn Write, r: &Histogram) -> io::Result<()> {
    dump_lines(w, &r.dump)?;
    writeln!(w)?;
    writeln!(
        w,
        "{:>5}  {:>13}  {:>15}  class",
        "#", "instances", "shallow bytes"
    )?;
    for (i, c) in r.classes.iter().enumerate() {
        let loaders = if c.loaders > 1 {
            format!("  ({} loaders)", c.loaders)
        } else {
            String::new()
        };
        writeln!(
            w,
            "{:>5}  {:>13}  {:>15}  {}{}",
            i + 1,
            thousands(c.instances),
            thousands(c.shallow_bytes),
            c.class,
            loaders
        )?;
    }
    if r.rows_omitted > 0 {
        writeln!(
            w,
            "{:>5}  ({} more classes)",
            "",
            thousands(r.rows_omitted as u64)
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "total     {} objects and {} class objects, {} ({} bytes)",
        thousands(r.totals.objects),
        thousands(r.totals.classes),
        bytes(r.totals.shallow_bytes),
        thousands(r.totals.shallow_bytes)
    )?;
    writeln!(w, "sizes     {}", model_line(&r.size_model))?;
    warnings(w, &r.warnings)
}
