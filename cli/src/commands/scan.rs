//! `hprofscan scan PATH...`: every `.hprof` and `.hprof.gz` under the paths, one at a time (or
//! `--jobs N` at once), one NDJSON record per dump, then the leaks they share.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use analyzer::dom::analysis::Analysis;
use analyzer::leaks::{leak_report, LeakOptions};
use analyzer::run::scan::{summarize, ScanRecord, ScanSummary};
use analyzer::{LoadOptions, NoProgress};

use crate::args::{FailOn, Format, ProgressMode};
use crate::escape::name;
use crate::exit::{self, Failure};
use crate::render;

use super::Ctx;

/// Whether a file name looks like a heap dump.
fn is_dump_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".hprof") || name.ends_with(".hprof.gz")
}

/// The dumps under `paths`: files given by name, and `.hprof`/`.hprof.gz` files found
/// recursively in directories; sorted, without duplicates.
pub(crate) fn find_dumps(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
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

/// The leak record of one dump, or its error.
fn analyse_one(path: &Path, opts: &LoadOptions, leak: &LeakOptions) -> ScanRecord {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    match Analysis::load(path, opts, &NoProgress) {
        Ok(a) => ScanRecord::from_report(&leak_report(&a, leak, None)),
        Err(e) => ScanRecord::failed(&path.display().to_string(), bytes, e.to_string()),
    }
}

/// Scans the dumps, writing each record as it is done; returns the summary.
pub(crate) fn scan_dumps(
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
            write_line(out, format, &r)?;
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
        Format::Text => render::scan_summary(out, &summary)?,
    }
    out.flush()?;
    Ok(summary)
}

/// Writes one dump's record: an NDJSON line or a text line.
fn write_line(out: &mut dyn Write, format: Format, r: &ScanRecord) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer(&mut *out, r).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => render::scan_line(out, r)?,
    }
    out.flush()
}

/// Runs `scan` on the dumps found under its paths (found once, before the output file was
/// created, so it is never one of them).
pub(crate) fn command(
    ctx: &Ctx<'_>,
    dumps: &[PathBuf],
    jobs: usize,
    threshold: f64,
    fail_on_leak: Option<FailOn>,
) -> Result<u8, Failure> {
    if jobs == 0 || !(threshold > 0.0 && threshold <= 1.0) {
        return Err(Failure::Usage(
            "--jobs must be at least 1 and --threshold above 0 and at most 1".into(),
        ));
    }
    if dumps.is_empty() {
        return Err(Failure::Usage("no .hprof or .hprof.gz files found".into()));
    }
    let mut opts = crate::config::load_options(ctx.common);
    // The analyses at once share the memory limit.
    opts.max_memory = opts.max_memory.map(|m| m / jobs as u64);
    let leak = LeakOptions {
        threshold,
        ..Default::default()
    };
    let common = ctx.common;
    let mut out = ctx.output.writer()?;
    let summary = scan_dumps(
        dumps,
        jobs,
        &opts,
        &leak,
        common.format,
        common.progress,
        &mut out,
    )?;
    // Every line is written; a dump that could not be analysed is a failed run.
    if summary.failed > 0 {
        return Ok(exit::BAD_INPUT);
    }
    if let Some(gate) = fail_on_leak {
        if summary.leaks.iter().any(|l| gate.fails(l.verdict)) {
            return Ok(exit::LEAK_FOUND);
        }
    }
    Ok(0)
}
