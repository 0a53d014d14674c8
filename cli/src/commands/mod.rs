//! One module per command: what it loads, which analyzer report it calls, and how it hands the
//! result to rendering. `run` dispatches; the helpers here load a dump, analyse it and write a
//! report in the chosen format.

mod dominators;
mod growth;
mod histogram;
mod info;
mod leaks;
mod path;
mod redact;
mod report;
mod runtime;
pub(crate) mod scan;
mod shell;
mod waste;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use analyzer::dom::analysis::Analysis;
use analyzer::Heap;
use serde::Serialize;

use crate::args::{Cli, Command, Common, Format};
use crate::exit::Failure;
use crate::output::Output;
use crate::progress::Reporter;

pub(crate) use redact::redact;
pub(crate) use shell::{completions, man};

/// What every command runs with: the common flags, the progress reporter, the output.
pub(crate) struct Ctx<'a> {
    /// The flags every command takes.
    pub(crate) common: &'a Common,
    /// Progress and phase timings on stderr.
    pub(crate) reporter: Reporter,
    /// Standard output or the `--output` file.
    pub(crate) output: &'a Output,
}

impl Ctx<'_> {
    /// Opens a dump and takes its census; `for_graph` keeps the ids the object graph needs.
    pub(crate) fn load(&self, path: &Path, for_graph: bool) -> Result<Heap, Failure> {
        let start = Instant::now();
        let opts = crate::config::load_options(self.common);
        let dump = analyzer::Dump::open(path, &opts)?;
        self.reporter.note("open+index", start);
        let heap = Heap::from_dump_for(dump, for_graph, &self.reporter)?;
        Ok(heap)
    }

    /// Builds the object graph and dominator tree of a census.
    pub(crate) fn analyse(&self, heap: Heap) -> Result<Analysis, Failure> {
        Ok(Analysis::build(heap, &self.reporter)?)
    }

    /// Loads and analyses one dump.
    pub(crate) fn analysis(&self, path: &Path) -> Result<Analysis, Failure> {
        self.analyse(self.load(path, true)?)
    }

    /// Writes a report in the chosen format to stdout or the `--output` file.
    pub(crate) fn emit<T: Serialize>(
        &self,
        report: &T,
        text: impl Fn(&mut dyn Write, &T) -> io::Result<()>,
    ) -> Result<(), Failure> {
        let mut out = self.output.writer()?;
        match self.common.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, report).map_err(io::Error::from)?;
                writeln!(out)?;
            }
            Format::Text => text(&mut out, report)?,
        }
        out.flush()?;
        Ok(())
    }
}

/// Ends the use of an analysis without freeing it: the command exits right after its report,
/// and the operating system takes back the memory and the dump's mapping at once, where
/// dropping them piece by piece (the graph's arrays, the class tables, the mapped pages) is a
/// measurable part of a big dump's run. Temp files are unlinked when made, so nothing is left.
pub(crate) fn keep_until_exit(a: Analysis) {
    std::mem::forget(a);
}

/// Runs the analysing command of `cli` on its `inputs`; the exit code when it ran.
pub(crate) fn run(cli: &Cli, inputs: &[PathBuf], output: &Output) -> Result<u8, Failure> {
    let common = &cli.common;
    let ctx = Ctx {
        common,
        reporter: Reporter::new(common.progress, common.verbose),
        output,
    };
    match &cli.command {
        Command::Info { dump } => info::run(&ctx, dump),
        Command::Histogram {
            dump,
            top,
            sort,
            retained,
        } => histogram::run(&ctx, dump, *top, *sort, *retained),
        Command::Leaks {
            dumps,
            threshold,
            fail_on_leak,
        } => leaks::run(&ctx, dumps, *threshold, *fail_on_leak),
        Command::Scan {
            paths: _,
            jobs,
            threshold,
            fail_on_leak,
        } => scan::command(&ctx, inputs, *jobs, *threshold, *fail_on_leak),
        Command::Report { dumps } => report::run(&ctx, dumps),
        Command::Threadlocals { dump } => runtime::threadlocals(&ctx, dump),
        Command::Classloaders { dump } => runtime::classloaders(&ctx, dump),
        Command::Resources { dump, max_open } => runtime::resources(&ctx, dump, *max_open),
        Command::Waste { dump, top_values } => waste::run(&ctx, dump, *top_values),
        Command::Growth { dumps, top_classes } => growth::growth(&ctx, dumps, *top_classes),
        Command::Diff { old, new } => growth::diff(&ctx, old, new),
        Command::Dominators {
            dump,
            top,
            depth,
            min_share,
        } => dominators::run(&ctx, dump, *top, *depth, *min_share),
        Command::Path { dump, id, class } => path::run(&ctx, dump, id.as_deref(), class.as_deref()),
        // Answered in `main` before any dump is opened.
        Command::Completions { .. } | Command::Man { .. } | Command::Redact { .. } => Ok(0),
    }
}
