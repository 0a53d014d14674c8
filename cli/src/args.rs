//! Command-line flags as the user typed them (clap derive).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

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
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// Options shared by every command.
    #[command(flatten)]
    pub common: Common,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct Common {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// Progress on standard error: a bar on a terminal; with `always`, plain lines into a
    /// pipe or a file.
    #[arg(long, global = true, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Analyse a damaged or truncated dump as far as it is intact.
    #[arg(long, global = true)]
    pub partial: bool,
    /// Directory for the decompressed copy of a gzip dump (default: the system temp dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub temp_dir: Option<PathBuf>,
    /// Largest size a gzip dump may decompress to, e.g. 200G, 512M or none.
    /// Decompressing also stops when the temp directory would be left with less than 64 MiB.
    #[arg(long, global = true, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    pub max_uncompressed: Limit,
    /// Hide every name that is heap content (thread names, class-loader names) in every
    /// output: they read as `<redacted>`.
    #[arg(long, global = true)]
    pub redact_names: bool,
    /// Print the time and memory of each phase on standard error.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Which heap snapshot of a file holding several to analyse (1-based; default: the last).
    #[arg(long, global = true, value_name = "N")]
    pub snapshot: Option<usize>,
    /// Android dumps: also count the image and zygote heaps (shared by every app; left out
    /// by default, as Android's tools do).
    #[arg(long, global = true)]
    pub include_heaps: bool,
    /// Object layout for shallow sizes instead of inferring it: compressed, wide-oops,
    /// uncompressed, 32-bit or art, optionally +per-class (the JDK 14 field layout).
    #[arg(long, global = true, value_name = "LAYOUT", value_parser = analyzer::size::SizeModel::parse)]
    pub layout: Option<analyzer::size::SizeModel>,
    /// A ProGuard/R8 mapping file (`mapping.txt` of an obfuscated release build): class and
    /// field names are shown as in the source.
    #[arg(long, global = true, value_name = "FILE", value_parser = parse_mapping)]
    pub mapping: Option<std::sync::Arc<analyzer::mapping::Mapping>>,
}

/// Reads and parses a `--mapping` file once, before any dump is opened.
fn parse_mapping(s: &str) -> Result<std::sync::Arc<analyzer::mapping::Mapping>, String> {
    analyzer::mapping::Mapping::load(std::path::Path::new(s))
        .map(std::sync::Arc::new)
        .map_err(|e| e.to_string())
}

/// Output formats.
/// Which verdicts fail `--fail-on-leak`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only `leak` verdicts.
    Leak,
    /// `leak` and `possible-leak` verdicts.
    Possible,
}

impl FailOn {
    /// Whether a suspect with this verdict fails the gate.
    pub fn fails(self, v: analyzer::leaks::Verdict) -> bool {
        match self {
            FailOn::Leak => v == analyzer::leaks::Verdict::Leak,
            FailOn::Possible => v.is_suspect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

/// When to show a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A bar when standard error is a terminal, else nothing.
    Auto,
    /// A bar on a terminal, plain lines into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Histogram row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Largest shallow size first.
    Shallow,
    /// Most instances first.
    Count,
    /// Largest retained size first (with --retained).
    Retained,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Format, record counts, objects, classes and GC roots of a dump.
    #[command(after_help = "Examples:
  hprofscan info app.hprof.gz
  hprofscan info app.hprof --format json")]
    Info {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
    },
    /// Instances and shallow bytes per class.
    #[command(after_help = "Examples:
  hprofscan histogram app.hprof --top 20
  hprofscan histogram app.hprof --retained --sort retained --top 10")]
    Histogram {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// Show only the first N classes.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Row order (default: retained with --retained, else shallow).
        #[arg(long, value_enum)]
        sort: Option<SortKey>,
        /// Also compute retained bytes per class (builds the object graph and dominators).
        #[arg(long)]
        retained: bool,
    },
    /// Leak suspects: the field that holds each leak, what it holds, how much, and why.
    #[command(after_help = "Examples:
  hprofscan leaks app.hprof.gz
  hprofscan leaks before.hprof after.hprof    # a series: what grew
  hprofscan leaks app.hprof --fail-on-leak --format json -o leaks.json")]
    Leaks {
        /// The heap dump (.hprof or .hprof.gz); given several dumps of one application, the
        /// last is analysed and the earlier ones say which holders grow.
        #[arg(required = true, num_args = 1..)]
        dumps: Vec<PathBuf>,
        /// Share of the reachable heap a possible leak must retain (a leak with strong
        /// evidence, such as growth or idle entries, may be smaller).
        #[arg(long, value_name = "X", default_value_t = 0.10)]
        threshold: f64,
        /// Exit with code 1 on a `leak` verdict (for CI gates); `--fail-on-leak=possible` also
        /// on `possible-leak`. In a series, a holder judged stable never fails the gate.
        #[arg(long, value_name = "WHAT", num_args = 0..=1, require_equals = true, default_missing_value = "leak")]
        fail_on_leak: Option<FailOn>,
    },
    /// Every .hprof and .hprof.gz under the paths: one NDJSON record per dump (with --format
    /// json), then the leaks they share. A damaged dump is a record with its error.
    #[command(after_help = "Examples:
  hprofscan scan /var/dumps
  hprofscan scan /var/dumps --jobs 2 --format json > scan.ndjson")]
    Scan {
        /// Files and directories (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Dumps analysed at once (each needs the memory of one analysis).
        #[arg(long, value_name = "N", default_value_t = 1)]
        jobs: usize,
        /// Share of the reachable heap a suspect must retain.
        #[arg(long, value_name = "X", default_value_t = 0.10)]
        threshold: f64,
        /// Exit with code 1 when any dump has a `leak` verdict; `=possible` also on
        /// `possible-leak`.
        #[arg(long, value_name = "WHAT", num_args = 0..=1, require_equals = true, default_missing_value = "leak")]
        fail_on_leak: Option<FailOn>,
    },
    /// One self-contained HTML page (no network, no external assets) with the leaks, the
    /// biggest retainers, the histogram, ThreadLocals, class loaders, resources and, for
    /// several dumps, the growth of each holder. Write it with -o report.html.
    #[command(after_help = "Examples:
  hprofscan report app.hprof -o report.html
  hprofscan report a-1.hprof a-2.hprof a-3.hprof -o growth.html")]
    Report {
        /// One or more heap dumps of one application.
        #[arg(required = true)]
        dumps: Vec<PathBuf>,
    },
    /// ThreadLocal values per thread and per ThreadLocal, including stale entries.
    #[command(after_help = "Examples:
  hprofscan threadlocals app.hprof")]
    Threadlocals {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
    },
    /// Class loaders: classes defined, what they retain, what keeps them alive, redeploys.
    #[command(after_help = "Examples:
  hprofscan classloaders app.hprof")]
    Classloaders {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
    },
    /// Open files, sockets and borrowed pooled connections, grouped by holder.
    #[command(after_help = "Examples:
  hprofscan resources app.hprof --max-open 50")]
    Resources {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// A holder keeping more open resources than this is a leak.
        #[arg(long, value_name = "N", default_value_t = 100)]
        max_open: u64,
    },
    /// Memory held for nothing, by the field that holds it: duplicate Strings and primitive
    /// arrays, empty and under-filled collections, boxed primitives; and native memory
    /// (direct and mapped buffers) referenced from the heap.
    #[command(after_help = "Examples:
  hprofscan waste app.hprof
  hprofscan waste app.hprof --top-values 5 --format json -o waste.json")]
    Waste {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// How many of the most duplicated String values to list (count and length only).
        #[arg(long, value_name = "N", default_value_t = 20)]
        top_values: usize,
    },
    /// What grows across a series of dumps of one application (ordered by their timestamps).
    #[command(after_help = "Examples:
  hprofscan growth a-1.hprof a-2.hprof a-3.hprof
  hprofscan growth agent.hprof#1 agent.hprof#2")]
    Growth {
        /// Two or more heap dumps of one application; `FILE#N` is snapshot N of a file that
        /// holds several.
        #[arg(required = true, num_args = 2..)]
        dumps: Vec<PathBuf>,
        /// Classes shown in the class delta.
        #[arg(long, value_name = "N", default_value_t = 20)]
        top_classes: usize,
    },
    /// What changed between two dumps: the class histogram delta, then the holders.
    #[command(after_help = "Examples:
  hprofscan diff before.hprof after.hprof")]
    Diff {
        /// The older dump.
        old: PathBuf,
        /// The newer dump.
        new: PathBuf,
    },
    /// The biggest retainers as a dominator tree, with the field that holds each child.
    #[command(after_help = "Examples:
  hprofscan dominators app.hprof
  hprofscan dominators app.hprof --top 3 --depth 6 --min-share 0.05")]
    Dominators {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// Children shown per node.
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
        /// Levels shown below the super-root.
        #[arg(long, value_name = "D", default_value_t = 4)]
        depth: usize,
        /// Hide nodes retaining less than this share of the reachable heap (0.01 = 1%).
        #[arg(long, value_name = "X", default_value_t = 0.01)]
        min_share: f64,
    },
    /// The shortest chain of strong references from a GC root to an object.
    #[command(
        group(ArgGroup::new("target").required(true).args(["id", "class"])),
        after_help = "Examples:
  hprofscan path app.hprof --class com.acme.Session
  hprofscan path app.hprof --class com.acme.SessionManager.Entry    # nested: . or $
  hprofscan path app.hprof --id 0xfd93abc8"
    )]
    Path {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// The object id (hex with 0x, or decimal).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Explain the instance of this class (Java name; `.` or `$` before a nested class)
        /// that retains the most.
        #[arg(long, value_name = "NAME")]
        class: Option<String>,
    },
    /// A copy of the dump with the contents of Strings and primitive arrays, and the symbols no
    /// record refers to (the code's string literals), replaced by filler of the same length
    /// (the character class kept in text, zeros elsewhere): every size, count, reference,
    /// dominator and leak result stays the same. OUT is gzip when it ends in .gz.
    #[command(after_help = "Examples:
  hprofscan redact /var/dumps/app.hprof /tmp/share/app-redacted.hprof.gz
  hprofscan redact app.hprof.gz ~/share/app.hprof --keep-arrays int,long
  hprofscan redact app.hprof /tmp/share/app.hprof --pseudonymize-names --names-map ~/private/app.names")]
    Redact {
        /// The heap dump (.hprof or .hprof.gz).
        dump: PathBuf,
        /// The redacted copy (gzip when it ends in .gz). Never the input, and not in the
        /// input's directory unless --allow-next-to-input is given.
        out: PathBuf,
        /// Copy primitive arrays of these element types unchanged (default: replace all).
        #[arg(long, value_enum, value_delimiter = ',', value_name = "TYPES")]
        keep_arrays: Vec<ArrayType>,
        /// Allow OUT (and the --names-map file) in the same directory as the input dump.
        #[arg(long)]
        allow_next_to_input: bool,
        /// Also replace the names of the application's classes, packages, fields, methods and
        /// source files by pseudonyms (`pkg_3k9f2b.Class_k3f9a2.field_x81c0d`), a keyed hash
        /// of each name: the same in every dump redacted with the same --names-key; names of
        /// the platform (java., javax., jdk., sun., com.sun., kotlin., android., dalvik.) stay.
        #[arg(long)]
        pseudonymize_names: bool,
        /// The secret key of the pseudonyms (default: $HPROFSCAN_NAMES_KEY, else a public
        /// key with which anyone can confirm a guessed name by hashing it).
        #[arg(long, value_name = "KEY", requires = "pseudonymize_names")]
        names_key: Option<String>,
        /// Write the pseudonym -> original name map to FILE (same rules as OUT; it holds the
        /// names, so keep it apart from the copy).
        #[arg(long, value_name = "FILE", requires = "pseudonymize_names")]
        names_map: Option<PathBuf>,
    },
    /// Shell completions on standard output.
    #[command(after_help = "Examples:
  hprofscan completions bash > ~/.local/share/bash-completion/completions/hprofscan
  hprofscan completions zsh > ~/.zfunc/_hprofscan
  hprofscan completions fish > ~/.config/fish/completions/hprofscan.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff) on standard output, or with --dir one page per command in DIR.
    #[command(after_help = "Examples:
  hprofscan man | man -l -
  hprofscan man --dir ~/.local/share/man/man1")]
    Man {
        /// Write hprofscan.1 and hprofscan-COMMAND.1 into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// A primitive array element type, for `redact --keep-arrays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArrayType {
    /// boolean[]
    Boolean,
    /// char[] (String contents on old JDKs)
    Char,
    /// float[]
    Float,
    /// double[]
    Double,
    /// byte[] (String contents on JDK 9 and later)
    Byte,
    /// short[]
    Short,
    /// int[]
    Int,
    /// long[]
    Long,
}

impl ArrayType {
    /// The parser's element type.
    pub fn basic_type(self) -> hprof_parser::BasicType {
        use hprof_parser::BasicType as B;
        match self {
            ArrayType::Boolean => B::Boolean,
            ArrayType::Char => B::Char,
            ArrayType::Float => B::Float,
            ArrayType::Double => B::Double,
            ArrayType::Byte => B::Byte,
            ArrayType::Short => B::Short,
            ArrayType::Int => B::Int,
            ArrayType::Long => B::Long,
        }
    }
}

/// A byte limit, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(pub Option<u64>);

/// Parses `64G`, `512M`, `1.5T`-free forms: a whole number with an optional binary suffix
/// (`K`, `M`, `G`, `T`, with or without `iB`/`B`), or `none`.
pub fn parse_size(s: &str) -> Result<Limit, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(Limit(None));
    }
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (digits, shift) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 10),
        Some('m') => (&body[..body.len() - 1], 20),
        Some('g') => (&body[..body.len() - 1], 30),
        Some('t') => (&body[..body.len() - 1], 40),
        _ => (body, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (use e.g. 64G, 512M, 1T or none)"))?;
    n.checked_mul(1u64 << shift)
        .map(|b| Limit(Some(b)))
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64G"), Ok(Limit(Some(64 << 30))));
        assert_eq!(parse_size("512MiB"), Ok(Limit(Some(512 << 20))));
        assert_eq!(parse_size("1t"), Ok(Limit(Some(1 << 40))));
        assert_eq!(parse_size("1000"), Ok(Limit(Some(1000))));
        assert_eq!(parse_size("none"), Ok(Limit(None)));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
