//! `hprofscan scan PATH...`: every `.hprof` and `.hprof.gz` under the paths, one at a time (or
//! `--jobs N` at once), one NDJSON record per dump, then the leaks they share.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use analyzer::analysis::Analysis;
use analyzer::leaks::{leak_report, LeakOptions};
use analyzer::scan::{summarize, ScanRecord, ScanSummary};
use analyzer::{LoadOptions, NoProgress};

use crate::args::{Format, ProgressMode};
use crate::escape::name;
use crate::fmt::{bytes, thousands, utc};

/// Whether a file name looks like a heap dump.
fn is_dump_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".hprof") || name.ends_with(".hprof.gz")
}

/// The dumps under `paths`: files given by name, and `.hprof`/`.hprof.gz` files found
/// recursively in directories; sorted, without duplicates.
pub fn find_dumps(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
        if meta.is_dir() {
            stack.push(p.clone());
        } else {
            out.push(p.clone());
        }
    }
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(t) if t.is_file() && is_dump_name(&p) => out.push(p),
                _ => {}
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn analyse_one(path: &Path, opts: &LoadOptions, leak: &LeakOptions) -> ScanRecord {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    match Analysis::load(path, opts, &NoProgress) {
        Ok(a) => ScanRecord::from_report(&leak_report(&a, leak, None)),
        Err(e) => ScanRecord::failed(&path.display().to_string(), bytes, e.to_string()),
    }
}

fn text_line(w: &mut dyn Write, r: &ScanRecord) -> io::Result<()> {
    if let Some(e) = &r.error {
        return writeln!(w, "{}  ERROR  {}", name(&r.path), name(e));
    }
    let when = r.timestamp_ms.map(utc).unwrap_or_default();
    let partial = if r.complete { "" } else { "  (incomplete)" };
    if r.suspects.is_empty() {
        return writeln!(w, "{}  {when}  no suspects{partial}", name(&r.path));
    }
    let list: Vec<String> = r
        .suspects
        .iter()
        .map(|s| {
            format!(
                "{} {} ({})",
                name(&s.holder.display()),
                bytes(s.retained_bytes),
                thousands(s.entries)
            )
        })
        .collect();
    writeln!(w, "{}  {when}  {}{partial}", name(&r.path), list.join("; "))
}

fn text_summary(w: &mut dyn Write, s: &ScanSummary) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "{}, {} could not be analysed, {} incomplete",
        crate::render::plural(s.dumps as u64, "dump", "dumps"),
        thousands(s.failed as u64),
        thousands(s.incomplete as u64)
    )?;
    for l in &s.leaks {
        writeln!(
            w,
            "{}: {}, first {} ({}), last {} ({}), retained {} -> {}",
            name(&l.holder.display()),
            crate::render::plural(l.dumps as u64, "dump", "dumps"),
            name(&l.first),
            utc(l.first_timestamp_ms),
            name(&l.last),
            utc(l.last_timestamp_ms),
            bytes(l.retained_bytes[0]),
            bytes(l.retained_bytes[1])
        )?;
    }
    Ok(())
}

/// Scans the dumps, writing each record as it is done; returns the summary.
pub fn run(
    dumps: &[PathBuf],
    jobs: usize,
    opts: &LoadOptions,
    leak: &LeakOptions,
    format: Format,
    progress: ProgressMode,
    out: &mut dyn Write,
) -> io::Result<ScanSummary> {
    let show = match progress {
        ProgressMode::Always => true,
        ProgressMode::Never => false,
        ProgressMode::Auto => io::stderr().is_terminal(),
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<ScanRecord>();
    let mut records = Vec::with_capacity(dumps.len());
    std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..jobs.max(1).min(dumps.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = dumps.get(i) else { break };
                let r = analyse_one(p, opts, leak);
                // The dump's graph is dropped: hand its memory back before the next one.
                crate::progress::release_free_memory();
                if tx.send(r).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for r in rx {
            if show {
                eprintln!(
                    "[scan] {}/{} {}",
                    records.len() + 1,
                    dumps.len(),
                    name(&r.path)
                );
            }
            match format {
                Format::Json => {
                    serde_json::to_writer(&mut *out, &r).map_err(io::Error::from)?;
                    writeln!(out)?;
                }
                Format::Text => text_line(out, &r)?,
            }
            out.flush()?;
            records.push(r);
        }
        Ok(())
    })?;
    let summary = summarize(&records);
    match format {
        Format::Json => {
            serde_json::to_writer(&mut *out, &summary).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => text_summary(out, &summary)?,
    }
    out.flush()?;
    Ok(summary)
}
