//! `info` as text: what the file is and what it holds.

use std::io::{self, Write};

use analyzer::report::info::Info;

use super::common::{dump_lines, hanging, model_line, plural, totals_lines, warnings};
use crate::escape::name;
use crate::fmt::{bytes, thousands};

/// Renders `info`.
pub(crate) fn info(w: &mut dyn Write, r: &Info) -> io::Result<()> {
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
    memory_line(w, r)?;
    info_format_lines(w, r)?;
    android_lines(w, r)?;
    warnings(w, &r.warnings)
}

/// Heap reachable vs native memory referenced from the heap: heap or non-heap?
fn memory_line(w: &mut dyn Write, r: &Info) -> io::Result<()> {
    let o = &r.off_heap;
    writeln!(
        w,
        "memory    heap {} reachable; native {} in {} and file-backed {} in {} referenced \
         from the heap",
        bytes(o.heap_reachable_bytes),
        bytes(o.direct_bytes),
        plural(o.direct_buffers, "direct buffer", "direct buffers"),
        bytes(o.mapped_bytes),
        plural(o.mapped_buffers, "mapped buffer", "mapped buffers")
    )
}

/// `info`'s producer, layout evidence, snapshots and Android heaps.
fn info_format_lines(w: &mut dyn Write, r: &Info) -> io::Result<()> {
    let p = &r.producer;
    writeln!(
        w,
        "producer  {}; ids {} bytes, references {} bytes",
        p.description, p.id_size, p.reference_size
    )?;
    let l = &r.layout;
    let cands: Vec<String> = l
        .candidates
        .iter()
        .map(|(n, h)| format!("{n} {}", thousands(*h)))
        .collect();
    writeln!(
        w,
        "layout    {} ({}; of {} neighbour distances predicted: {})",
        l.chosen,
        l.how,
        thousands(l.samples),
        cands.join(", ")
    )?;
    if r.snapshots.len() > 1 {
        for s in &r.snapshots {
            writeln!(
                w,
                "snapshot  #{}  offset {}  {} bytes in {} records  {} objects{}",
                s.number,
                thousands(s.offset),
                thousands(s.bytes),
                thousands(s.segments),
                thousands(s.objects),
                if s.analysed { "  (analysed)" } else { "" }
            )?;
        }
    }
    if r.heaps.len() > 1 || r.heaps.iter().any(|h| h.heap != "default") {
        let hs: Vec<String> = r
            .heaps
            .iter()
            .map(|h| {
                format!(
                    "{} {}{}",
                    h.heap,
                    thousands(h.objects),
                    if h.counted { "" } else { " (not counted)" }
                )
            })
            .collect();
        writeln!(w, "heaps     {}", hs.join(", "))?;
    }
    Ok(())
}

/// `info`'s mapping file, ART size check and bitmap lines (only when there is something to say).
fn android_lines(w: &mut dyn Write, r: &Info) -> io::Result<()> {
    if let Some(m) = &r.mapping {
        writeln!(
            w,
            "mapping   {}: {} classes, {} fields renamed ({} classes in the file)",
            name(&m.file),
            thousands(m.classes_renamed),
            thousands(m.fields_renamed),
            thousands(m.classes_in_file)
        )?;
    }
    if let Some(a) = &r.art_sizes {
        let examples: Vec<String> = a
            .examples
            .iter()
            .map(|e| {
                format!(
                    "{} {} declared, {} computed",
                    name(&e.class),
                    e.declared,
                    e.computed
                )
            })
            .collect();
        let text = format!(
            "{} of {} classes' instance sizes differ from the ones the dump declares{}",
            thousands(a.mismatches),
            thousands(a.checked),
            if examples.is_empty() {
                String::new()
            } else {
                format!(": {}", examples.join("; "))
            }
        );
        hanging(w, "art sizes ", &text)?;
    }
    if let Some(b) = &r.bitmaps {
        let text = format!(
            "{} android.graphics.Bitmap: pixels {} in the heap ({} with mBuffer), ~{} native (estimated, {} with a native pointer: width x height x 4), {} without pixels",
            thousands(b.bitmaps),
            bytes(b.in_heap_bytes),
            thousands(b.in_heap),
            bytes(b.native_estimated_bytes),
            thousands(b.native),
            thousands(b.without_pixels)
        );
        hanging(w, "bitmaps   ", &text)?;
    }
    Ok(())
}
