//! `hprofscan`: find what leaks in a Java heap dump.
//!
//! The flags as typed (`args`) are resolved into what the commands run on (`config`); each
//! command (`commands`) loads its dumps, calls the analyzer's report and hands it to rendering:
//! text (`render`), JSON (the reports' serde form) or the HTML page (`html`). Exit codes and
//! failures are in `exit`; see there for the codes.

mod args;
mod commands;
mod config;
mod escape;
mod exit;
mod fmt;
mod html;
mod output;
mod progress;
mod redact;
mod render;
mod sys;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, Format};
use crate::output::Output;

/// Starts `--threads N` worker threads; a message on stderr when it cannot.
fn start_threads(threads: Option<usize>) -> Result<(), ExitCode> {
    let Some(n) = threads else {
        return Ok(());
    };
    if n == 0 {
        eprintln!("hprofscan: --threads must be at least 1");
        return Err(ExitCode::from(exit::USAGE));
    }
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
    {
        eprintln!("hprofscan: cannot start {n} threads: {e}");
        return Err(ExitCode::from(exit::USAGE));
    }
    Ok(())
}

/// The commands that read no dump to analyse (or, for `redact`, write a copy of one): answered
/// before anything else is prepared.
fn answer_early(cli: &Cli) -> Option<ExitCode> {
    match &cli.command {
        Command::Completions { shell } => Some(commands::completions(*shell)),
        Command::Man { dir } => Some(commands::man(dir.as_deref())),
        Command::Redact { .. } => commands::redact(&cli.command, &cli.common),
        Command::Report { .. } if cli.common.format == Format::Json => {
            eprintln!(
                "hprofscan: report writes one HTML page; for JSON use `leaks`, `dominators` and \
                 the other commands with --format json"
            );
            Some(ExitCode::from(exit::USAGE))
        }
        _ => None,
    }
}

/// Stops with a message when the CPU lacks an instruction this build was compiled to use
/// (POPCNT on x86-64: `.cargo/config.toml`), instead of crashing at its first use.
fn check_cpu() -> Result<(), ExitCode> {
    #[cfg(all(target_arch = "x86_64", target_feature = "popcnt"))]
    if !std::arch::is_x86_feature_detected!("popcnt") {
        eprintln!(
            "hprofscan: this build needs a CPU with the POPCNT instruction (every x86-64 CPU \
             since 2008-2011 has it); build it without `-C target-feature=+popcnt` \
             (.cargo/config.toml) for this one"
        );
        return Err(ExitCode::from(exit::RESOURCE));
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Err(code) = check_cpu() {
        return code;
    }
    sys::return_freed_memory();
    let cli = Cli::parse();
    if let Err(code) = start_threads(cli.common.threads) {
        return code;
    }
    if let Some(code) = answer_early(&cli) {
        return code;
    }
    // The inputs are known and the output file is checked (never an input, creatable) before
    // any analysis starts.
    let inputs = match config::inputs(&cli.command) {
        Ok(i) => i,
        Err(m) => return exit::fail(&m, exit::USAGE),
    };
    let output = match Output::prepare(cli.common.output.as_deref(), &inputs) {
        Ok(o) => o,
        Err(m) => {
            eprintln!("hprofscan: {m}");
            return ExitCode::from(exit::USAGE);
        }
    };
    if cli.common.output.is_none() {
        if let Some(columns) = sys::terminal_columns() {
            render::set_width(columns);
        }
    }
    let result = commands::run(&cli, &inputs, &output);
    if result.is_err() {
        output.discard();
    }
    exit::code(result)
}
