//! Command-line flags as the user typed them (clap derive).
//! `mod.rs` holds the top level and the flags every command takes; `command` the subcommands
//! with their help examples; `values` the flag values that need parsing. What the commands run
//! on is resolved from these in `crate::config`.

mod command;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

pub(crate) use command::Command;
use values::{parse_mapping, parse_size};
pub(crate) use values::{ArrayType, FillerKind, Limit};

/// Find what leaks in a Java heap dump (HPROF, plain or gzip).
#[derive(Debug, Parser)]
#[command(
    name = "hprofscan",
    version,
    about,
    long_about = None,
    after_help = "Examples:
  hprofscan leaks app.hprof.gz
  hprofscan leaks app.hprof --fail-on-leak --format json -o leaks.json
  hprofscan report app.hprof -o report.html
  hprofscan completions bash > ~/.local/share/bash-completion/completions/hprofscan"
)]
pub(crate) struct Cli {
    /// The command.
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Options shared by every command.
    #[command(flatten)]
    pub(crate) common: Common,
}

/// Options for every command.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Progress on standard error: a bar on a terminal; with `always`, plain lines into a
    /// pipe or a file.
    #[arg(long, global = true, value_enum, default_value_t = ProgressMode::Auto)]
    pub(crate) progress: ProgressMode,
    /// Analyse a damaged or truncated dump as far as it is intact.
    #[arg(long, global = true)]
    pub(crate) partial: bool,
    /// Directory for the decompressed copy of a gzip dump and for the analysis' arrays when
    /// they do not fit --max-memory (default: the system temp dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) temp_dir: Option<PathBuf>,
    /// Largest size a gzip dump may decompress to, e.g. 200G, 512M or none.
    /// Decompressing also stops when the temp directory would be left with less than 64 MiB.
    #[arg(long, global = true, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    pub(crate) max_uncompressed: Limit,
    /// Resident memory the analysis may use, e.g. 8G, 512M or none (default: 70% of the
    /// memory available when it starts). When the object graph would not fit, its big arrays
    /// live in memory-mapped files in the temp directory (see --temp-dir); results are the same.
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_size)]
    pub(crate) max_memory: Option<Limit>,
    /// Hide every name that is heap content (thread names, class-loader names) in every
    /// output: they read as `<redacted>`.
    #[arg(long, global = true)]
    pub(crate) redact_names: bool,
    /// Print the time and memory of each phase on standard error.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    /// Which heap snapshot of a file holding several to analyse (1-based; default: the last).
    #[arg(long, global = true, value_name = "N")]
    pub(crate) snapshot: Option<usize>,
    /// Android dumps: also count the image and zygote heaps (shared by every app; left out
    /// by default, as Android's tools do).
    #[arg(long, global = true)]
    pub(crate) include_heaps: bool,
    /// Object layout for shallow sizes instead of inferring it: compressed, wide-oops,
    /// uncompressed, 32-bit or art, optionally +per-class (the JDK 14 field layout).
    #[arg(long, global = true, value_name = "LAYOUT", value_parser = analyzer::load::size::SizeModel::parse)]
    pub(crate) layout: Option<analyzer::load::size::SizeModel>,
    /// A ProGuard/R8 mapping file (`mapping.txt` of an obfuscated release build): class and
    /// field names are shown as in the source.
    #[arg(long, global = true, value_name = "FILE", value_parser = parse_mapping)]
    pub(crate) mapping: Option<std::sync::Arc<analyzer::load::mapping::Mapping>>,
}

/// Output formats.
/// Which verdicts fail `--fail-on-leak`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Only `leak` verdicts.
    Leak,
    /// `leak` and `possible-leak` verdicts.
    Possible,
}

impl FailOn {
    /// Whether a suspect with this verdict fails the gate.
    pub(crate) fn fails(self, v: analyzer::leaks::Verdict) -> bool {
        match self {
            FailOn::Leak => v == analyzer::leaks::Verdict::Leak,
            FailOn::Possible => v.is_suspect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

/// When to show a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProgressMode {
    /// A bar when standard error is a terminal, else nothing.
    Auto,
    /// A bar on a terminal, plain lines into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Histogram row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortKey {
    /// Largest shallow size first.
    Shallow,
    /// Most instances first.
    Count,
    /// Largest retained size first (with --retained).
    Retained,
}
