//! `hprofscan`: find what leaks in a Java heap dump.
//!
//! Exit codes: 0 analysed; 1 a leak was found and `--fail-on-leak` was given; 2 usage error
//! (including an object id or class the dump does not have, and an `-o` that is an input dump
//! or cannot be created); 3 the dump is unreadable or damaged (for `scan`: any dump was);
//! 4 the report could not be written; 5 a resource limit (the decompressed gzip dump passes
//! `--max-uncompressed` or does not fit the temp directory), not a damaged dump.

mod args;
mod escape;
mod fmt;
mod html;
mod output;
mod progress;
mod redact;
mod render;
mod scan;

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Instant;

use analyzer::histogram::{HistogramOptions, SortBy};
use analyzer::{AnalyzeError, Heap, LoadOptions};
use clap::Parser;
use serde::Serialize;

use crate::args::{Cli, Command, Common, Format, SortKey};
use crate::output::Output;
use crate::progress::Reporter;

/// Exit code: the dump is unreadable or damaged.
const EXIT_BAD_INPUT: u8 = 3;
/// Exit code: the report could not be written.
const EXIT_OUTPUT: u8 = 4;
/// Exit code: a resource limit, not a damaged dump: the decompressed gzip dump passes
/// `--max-uncompressed`, or the temp directory has no room for it.
const EXIT_RESOURCE: u8 = 5;

/// The analysis options of the common flags.
fn load_options(common: &Common) -> LoadOptions {
    LoadOptions {
        partial: common.partial,
        temp_dir: common.temp_dir.clone(),
        max_uncompressed: common.max_uncompressed.0,
        free_space: Some(free_space),
        redact_names: common.redact_names,
        snapshot: common.snapshot,
        all_heaps: common.include_heaps,
        layout: common.layout,
        mapping: common.mapping.clone(),
    }
}

/// Free bytes for an unprivileged user in the file system of `dir` (statvfs).
#[cfg(unix)]
fn free_space(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `statvfs` is plain old data, so all-zero is a valid value; `path` is a valid
    // NUL-terminated string and `s` a valid, writable statvfs for the call to fill (it stays
    // all-zero if the call fails, and is then not used).
    let (r, s) = unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        let r = libc::statvfs(path.as_ptr(), &mut s);
        (r, s)
    };
    // The field types differ between platforms (32-bit ones use 32-bit counts).
    #[allow(clippy::unnecessary_cast)]
    let free = (s.f_bavail as u64).saturating_mul(s.f_frsize as u64);
    (r == 0).then_some(free)
}

/// The width of the terminal standard output is, or None when it is not a terminal (text is
/// then wrapped to 100 columns).
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: `winsize` is plain old data, so all-zero is a valid value; TIOCGWINSZ only fills
    // the struct it is given, which lives for the call.
    let (r, ws) = unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        let r = libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws);
        (r, ws)
    };
    (r == 0 && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

#[cfg(not(unix))]
fn free_space(_dir: &std::path::Path) -> Option<u64> {
    None
}

/// Why a run failed.
enum Failure {
    Input(AnalyzeError),
    Output(io::Error),
    Usage(String),
}

impl From<AnalyzeError> for Failure {
    fn from(e: AnalyzeError) -> Self {
        Failure::Input(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

/// Makes glibc return large freed blocks to the system. Without this, glibc raises its mmap
/// threshold after the first large free, so the many-megabyte buffers of one pass are reused
/// from its arenas and freed memory stays resident through the later, larger phases.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before any other thread
    // exists and before any allocation this setting could affect.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn main() -> ExitCode {
    return_freed_memory();
    let cli = Cli::parse();
    if let Some(n) = cli.common.threads {
        if n == 0 {
            eprintln!("hprofscan: --threads must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            eprintln!("hprofscan: cannot start {n} threads: {e}");
            return ExitCode::from(2);
        }
    }
    match &cli.command {
        Command::Completions { shell } => return completions(*shell),
        Command::Man { dir } => return man(dir.as_deref()),
        Command::Redact {
            dump,
            out,
            keep_arrays,
            allow_next_to_input,
            pseudonymize_names,
            names_map,
        } => {
            let request = redact::Request {
                dump,
                out,
                keep: keep_arrays,
                allow_next_to_input: *allow_next_to_input,
                pseudonymize: *pseudonymize_names,
                names_map: names_map.as_deref(),
            };
            return ExitCode::from(redact::main(&request, &cli.common, free_space));
        }
        _ => {}
    }
    if matches!(cli.command, Command::Report { .. }) && cli.common.format == Format::Json {
        eprintln!(
            "hprofscan: report writes one HTML page; for JSON use `leaks`, `dominators` and the \
             other commands with --format json"
        );
        return ExitCode::from(2);
    }
    // The inputs are known and the output file is checked (never an input, creatable) before
    // any analysis starts.
    let inputs = match inputs(&cli.command) {
        Ok(i) => i,
        Err(m) => {
            eprintln!("hprofscan: {}", escape::name(&m));
            return ExitCode::from(2);
        }
    };
    let output = match Output::prepare(cli.common.output.as_deref(), &inputs) {
        Ok(o) => o,
        Err(m) => {
            eprintln!("hprofscan: {m}");
            return ExitCode::from(2);
        }
    };
    if cli.common.output.is_none() {
        if let Some(columns) = terminal_columns() {
            render::set_width(columns);
        }
    }
    let result = run(&cli, &inputs, &output);
    if result.is_err() {
        output.discard();
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Input(AnalyzeError::NotFound(m))) => {
            eprintln!("hprofscan: {}", escape::name(&m));
            ExitCode::from(2)
        }
        Err(Failure::Input(AnalyzeError::Parse(e))) if e.is_resource_limit() => {
            eprintln!("hprofscan: {}", escape::name(&e.to_string()));
            ExitCode::from(EXIT_RESOURCE)
        }
        Err(Failure::Input(e)) => {
            eprintln!("hprofscan: {}", escape::name(&e.to_string()));
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!(
                "hprofscan: cannot write the report: {}",
                escape::name(&e.to_string())
            );
            ExitCode::from(EXIT_OUTPUT)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("hprofscan: {}", escape::name(&m));
            ExitCode::from(2)
        }
    }
}

/// `FILE#N` (snapshot N of a file holding several) -> (FILE, Some(N)), when FILE exists and
/// the path as given does not.
fn split_snapshot(p: &std::path::Path) -> (std::path::PathBuf, Option<usize>) {
    let s = p.to_string_lossy();
    if let Some((file, n)) = s.rsplit_once('#') {
        if let Ok(n) = n.parse::<usize>() {
            if !p.exists() && std::path::Path::new(file).exists() {
                return (file.into(), Some(n));
            }
        }
    }
    (p.to_path_buf(), None)
}

/// Opens a dump and takes its census; `for_graph` keeps the ids the object graph needs.
fn load_for(
    path: &std::path::Path,
    common: &Common,
    reporter: &Reporter,
    for_graph: bool,
) -> Result<Heap, Failure> {
    let start = Instant::now();
    let opts = load_options(common);
    let dump = analyzer::Dump::open(path, &opts)?;
    reporter.note("open+index", start);
    let heap = Heap::from_dump_for(dump, for_graph, reporter)?;
    Ok(heap)
}

/// Summarises each dump in turn (one loaded at a time), then compares the summaries.
fn growth(
    dumps: &[std::path::PathBuf],
    common: &Common,
    reporter: &Reporter,
    top_classes: usize,
) -> Result<analyzer::growth::GrowthReport, Failure> {
    let mut summaries = Vec::with_capacity(dumps.len());
    let mut order = Vec::with_capacity(dumps.len());
    for d in dumps {
        let mut opts = load_options(common);
        let (d, snapshot) = split_snapshot(d);
        opts.snapshot = snapshot.or(opts.snapshot);
        let s = analyzer::growth::summarize_file(&d, &opts, reporter)?;
        order.push(s.meta.path.clone());
        summaries.push(s);
        // Each dump's graph is gone now; hand its memory back before the next one.
        analyzer::Progress::finish(reporter);
    }
    Ok(analyzer::growth::growth_report_with(
        summaries,
        &order,
        &analyzer::growth::GrowthOptions { top_classes },
    ))
}

fn analyse(heap: Heap, reporter: &Reporter) -> Result<analyzer::analysis::Analysis, Failure> {
    Ok(analyzer::analysis::Analysis::build(heap, reporter)?)
}

fn parse_id(s: &str) -> Result<u64, Failure> {
    let t = s.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => t.parse(),
    };
    parsed.map_err(|_| Failure::Usage(format!("--id {s:?} is not a number (use 0x... for hex)")))
}

/// The dumps a command reads (for `scan`, the dumps found under its paths).
fn inputs(command: &Command) -> Result<Vec<std::path::PathBuf>, String> {
    Ok(match command {
        Command::Info { dump }
        | Command::Histogram { dump, .. }
        | Command::Threadlocals { dump }
        | Command::Classloaders { dump }
        | Command::Resources { dump, .. }
        | Command::Waste { dump, .. }
        | Command::Dominators { dump, .. }
        | Command::Path { dump, .. }
        | Command::Redact { dump, .. } => vec![dump.clone()],
        Command::Leaks { dumps, .. }
        | Command::Report { dumps }
        | Command::Growth { dumps, .. } => dumps.clone(),
        Command::Diff { old, new } => vec![old.clone(), new.clone()],
        Command::Scan { paths, .. } => scan::find_dumps(paths).map_err(|e| e.to_string())?,
        Command::Completions { .. } | Command::Man { .. } => Vec::new(),
    })
}

/// Writes a report in the chosen format to stdout or the `--output` file.
fn emit<T: Serialize>(
    common: &Common,
    output: &Output,
    report: &T,
    text: impl Fn(&mut dyn Write, &T) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut out = output.writer()?;
    match common.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, report).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => text(&mut out, report)?,
    }
    out.flush()?;
    Ok(())
}

fn run(cli: &Cli, inputs: &[std::path::PathBuf], output: &Output) -> Result<u8, Failure> {
    let common = &cli.common;
    let reporter = Reporter::new(common.progress, common.verbose);
    match &cli.command {
        Command::Info { dump } => {
            let a = analyse(load_for(dump, common, &reporter, true)?, &reporter)?;
            let report = analyzer::info::info(&a);
            emit(common, output, &report, render::info)?;
        }
        Command::Histogram {
            dump,
            top,
            sort,
            retained,
        } => {
            if *top == Some(0) {
                return Err(Failure::Usage("--top must be at least 1".into()));
            }
            let sort = match sort.unwrap_or(if *retained {
                SortKey::Retained
            } else {
                SortKey::Shallow
            }) {
                SortKey::Shallow => SortBy::Shallow,
                SortKey::Count => SortBy::Count,
                SortKey::Retained if *retained => SortBy::Retained,
                SortKey::Retained => {
                    return Err(Failure::Usage("--sort retained needs --retained".into()))
                }
            };
            let opts = HistogramOptions { top: *top, sort };
            let heap = load_for(dump, common, &reporter, *retained)?;
            let report = if *retained {
                let a = analyse(heap, &reporter)?;
                let t = Instant::now();
                let per_class = analyzer::retained_classes::retained_by_class(&a);
                reporter.note("by class", t);
                let mut r = analyzer::histogram::histogram_with(&a.heap, &opts, Some(&per_class));
                r.warnings = a.warnings();
                r
            } else {
                analyzer::histogram::histogram(&heap, &opts)
            };
            emit(common, output, &report, render::histogram)?;
        }
        Command::Leaks {
            dumps,
            threshold,
            fail_on_leak,
        } => {
            if !(*threshold > 0.0 && *threshold <= 1.0) {
                return Err(Failure::Usage(
                    "--threshold must be above 0 and at most 1".into(),
                ));
            }
            // Earlier dumps of a series: only their summaries are kept.
            let Some((last, earlier)) = dumps.split_last() else {
                return Err(Failure::Usage("give a dump".into()));
            };
            let opts = load_options(common);
            let mut summaries = Vec::new();
            for d in earlier {
                summaries.push(analyzer::growth::summarize_file(d, &opts, &reporter)?);
                analyzer::Progress::finish(&reporter);
            }
            let heap = load_for(last, common, &reporter, true)?;
            let a = analyse(heap, &reporter)?;
            let t = Instant::now();
            let leak_opts = analyzer::leaks::LeakOptions {
                threshold: *threshold,
                ..Default::default()
            };
            let series = (!summaries.is_empty()).then(|| {
                let last_summary = analyzer::growth::summarize(&a);
                summaries.push(last_summary.clone());
                let order: Vec<String> = summaries.iter().map(|s| s.meta.path.clone()).collect();
                analyzer::leaks::Series {
                    growth: analyzer::growth::growth_report(summaries, &order),
                    last: last_summary,
                }
            });
            let mut report = analyzer::leaks::leak_report(&a, &leak_opts, series.as_ref());
            if let Some(s) = &series {
                report.warnings.extend(s.growth.warnings.iter().cloned());
                analyzer::analysis::merge_shared_archive(&mut report.warnings);
            }
            reporter.note("leaks", t);
            emit(common, output, &report, render::leaks)?;
            if let Some(gate) = fail_on_leak {
                if report.suspects.iter().any(|s| gate.fails(s.verdict)) {
                    return Ok(1);
                }
            }
        }
        Command::Scan {
            paths: _,
            jobs,
            threshold,
            fail_on_leak,
        } => {
            if *jobs == 0 || !(*threshold > 0.0 && *threshold <= 1.0) {
                return Err(Failure::Usage(
                    "--jobs must be at least 1 and --threshold above 0 and at most 1".into(),
                ));
            }
            // Found once, before the output file was created (so it is never one of them).
            let dumps = inputs;
            if dumps.is_empty() {
                return Err(Failure::Usage("no .hprof or .hprof.gz files found".into()));
            }
            let opts = load_options(common);
            let leak = analyzer::leaks::LeakOptions {
                threshold: *threshold,
                ..Default::default()
            };
            let mut out = output.writer()?;
            let summary = scan::run(
                dumps,
                *jobs,
                &opts,
                &leak,
                common.format,
                common.progress,
                &mut out,
            )?;
            // Every line is written; a dump that could not be analysed is a failed run.
            if summary.failed > 0 {
                return Ok(EXIT_BAD_INPUT);
            }
            if let Some(gate) = fail_on_leak {
                if summary.leaks.iter().any(|l| gate.fails(l.verdict)) {
                    return Ok(1);
                }
            }
        }
        Command::Report { dumps } => {
            let mut pages = Vec::with_capacity(dumps.len());
            let mut summaries = Vec::new();
            let mut growth = None;
            for (i, d) in dumps.iter().enumerate() {
                let a = analyse(load_for(d, common, &reporter, true)?, &reporter)?;
                let mut series = None;
                if dumps.len() > 1 {
                    let summary = analyzer::growth::summarize(&a);
                    summaries.push(summary.clone());
                    // The last dump's suspects are judged against the series.
                    if i + 1 == dumps.len() {
                        let order: Vec<String> =
                            summaries.iter().map(|s| s.meta.path.clone()).collect();
                        let g =
                            analyzer::growth::growth_report(std::mem::take(&mut summaries), &order);
                        growth = Some(g.clone());
                        series = Some(analyzer::leaks::Series {
                            growth: g,
                            last: summary,
                        });
                    }
                }
                let leaks = analyzer::leaks::leak_report(&a, &Default::default(), series.as_ref());
                pages.push(html::DumpReports {
                    leaks,
                    dominators: analyzer::domtree::dominator_report(&a, &html::dominator_options()),
                    histogram: analyzer::histogram::histogram(
                        &a.heap,
                        &HistogramOptions {
                            top: Some(30),
                            sort: SortBy::Shallow,
                        },
                    ),
                    threadlocals: analyzer::threadlocals::threadlocal_report(
                        &a,
                        &Default::default(),
                    ),
                    classloaders: analyzer::classloaders::classloader_report(
                        &a,
                        &Default::default(),
                    ),
                    resources: analyzer::resources::resource_report(&a, &Default::default()),
                    waste: analyzer::waste::waste_report(&a, &Default::default(), &reporter),
                });
                drop(a);
                analyzer::Progress::finish(&reporter);
            }
            let page = html::render_html(&pages, growth.as_ref());
            let mut out = output.writer()?;
            out.write_all(page.as_bytes())?;
            out.flush()?;
        }
        Command::Threadlocals { dump } => {
            let a = analyse(load_for(dump, common, &reporter, true)?, &reporter)?;
            let r = analyzer::threadlocals::threadlocal_report(&a, &Default::default());
            emit(common, output, &r, render::threadlocals)?;
        }
        Command::Classloaders { dump } => {
            let a = analyse(load_for(dump, common, &reporter, true)?, &reporter)?;
            let r = analyzer::classloaders::classloader_report(&a, &Default::default());
            emit(common, output, &r, render::classloaders)?;
        }
        Command::Resources { dump, max_open } => {
            let a = analyse(load_for(dump, common, &reporter, true)?, &reporter)?;
            let r = analyzer::resources::resource_report(
                &a,
                &analyzer::resources::ResourceOptions {
                    max_open: *max_open,
                },
            );
            emit(common, output, &r, render::resources)?;
        }
        Command::Waste { dump, top_values } => {
            let a = analyse(load_for(dump, common, &reporter, true)?, &reporter)?;
            let t = Instant::now();
            let opts = analyzer::waste::WasteOptions {
                top_values: *top_values,
            };
            let r = analyzer::waste::waste_report(&a, &opts, &reporter);
            reporter.note("waste", t);
            emit(common, output, &r, render::waste)?;
        }
        Command::Growth { dumps, top_classes } => {
            let r = growth(dumps, common, &reporter, *top_classes)?;
            emit(common, output, &r, render::growth)?;
        }
        Command::Diff { old, new } => {
            let r = growth(&[old.clone(), new.clone()], common, &reporter, 20)?;
            emit(common, output, &r, render::diff)?;
        }
        Command::Dominators {
            dump,
            top,
            depth,
            min_share,
        } => {
            if *top == 0 || *depth == 0 || !(0.0..=1.0).contains(min_share) {
                return Err(Failure::Usage(
                    "--top and --depth must be at least 1, --min-share between 0 and 1".into(),
                ));
            }
            let heap = load_for(dump, common, &reporter, true)?;
            let a = analyse(heap, &reporter)?;
            let t = Instant::now();
            // Text collapses the class-loader plumbing, so it asks for the levels it saves.
            let text = common.format == Format::Text;
            let extra = if text {
                render::LOADER_PLUMBING_LEVELS
            } else {
                0
            };
            let mut report = analyzer::domtree::dominator_report(
                &a,
                &analyzer::domtree::DominatorOptions {
                    top: *top,
                    depth: *depth + extra,
                    min_share: *min_share,
                },
            );
            if text {
                render::collapse_loader_plumbing(&mut report, *depth);
            }
            reporter.note("report", t);
            emit(common, output, &report, render::dominators)?;
        }
        Command::Path { dump, id, class } => {
            let target = match (id, class) {
                (Some(id), _) => analyzer::path::PathTarget::Id(parse_id(id)?),
                (None, Some(c)) => analyzer::path::PathTarget::BiggestOf(c.clone()),
                (None, None) => return Err(Failure::Usage("give --id or --class".into())),
            };
            let heap = load_for(dump, common, &reporter, true)?;
            let a = analyse(heap, &reporter)?;
            let report = analyzer::path::path_report(&a, &target)?;
            emit(common, output, &report, render::path)?;
        }
        // Answered in `main` before any dump is opened.
        Command::Completions { .. } | Command::Man { .. } | Command::Redact { .. } => {}
    }
    Ok(0)
}

/// `hprofscan completions SHELL`: the completion script on stdout.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "hprofscan", &mut out);
    write_stdout(&out)
}

/// `hprofscan man [--dir DIR]`: the man page on stdout, or a page per command in DIR.
fn man(dir: Option<&std::path::Path>) -> ExitCode {
    use clap::CommandFactory;
    let cmd = Cli::command();
    match dir {
        Some(dir) => match clap_mangen::generate_to(cmd, dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!(
                    "hprofscan: cannot write the man pages to {}: {}",
                    escape::name(&dir.display().to_string()),
                    escape::name(&e.to_string())
                );
                ExitCode::from(EXIT_OUTPUT)
            }
        },
        None => {
            let mut out = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
                eprintln!("hprofscan: {}", escape::name(&e.to_string()));
                return ExitCode::from(EXIT_OUTPUT);
            }
            write_stdout(&out)
        }
    }
}

/// Writes bytes to stdout; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hprofscan: cannot write: {}", escape::name(&e.to_string()));
            ExitCode::from(EXIT_OUTPUT)
        }
    }
}
