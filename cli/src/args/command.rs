//! The subcommands, their flags and the examples at the end of each `--help`.

use std::path::PathBuf;

use clap::{ArgGroup, Subcommand};

use super::values::{ArrayType, FillerKind};
use super::{FailOn, SortKey};

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
        /// Dumps analysed at once (each needs the memory of one analysis; they share
        /// --max-memory).
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
    /// record refers to (the code's string literals), replaced by filler of the same length:
    /// every size, count, reference, dominator, leak and waste result stays the same.
    ///
    /// By default the filler is a keyed permutation of each array's contents under a fresh
    /// random key that is never written anywhere (or one derived from --names-key): equal
    /// contents stay equal and distinct ones distinct, text keeps each character's class
    /// (`user-1042` -> `kbqe-7315`), so duplicate strings, thread and loader groups are those
    /// of the original, renamed. OUT is gzip when it ends in .gz.
    #[command(after_help = "Examples:
  hprofscan redact /var/dumps/app.hprof /tmp/share/app-redacted.hprof.gz
  hprofscan redact app.hprof.gz ~/share/app.hprof --keep-arrays int,long
  hprofscan redact app.hprof /tmp/share/app.hprof --filler shape
  HPROFSCAN_NAMES_KEY=... hprofscan redact day1.hprof /tmp/share/day1.hprof    # a comparable series
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
        /// What array contents become. `keyed` (default): a keyed permutation, so the copy
        /// shows which values are equal (duplicate strings, thread and loader names stay
        /// distinct) but not what they are. `shape`: zeros, and in text only each character's
        /// class (`user-1042` -> `xxax-0000`), so the copy does not even show which values are
        /// equal, but distinct values of one shape become duplicates (`waste` and names differ).
        #[arg(long, value_enum, value_name = "FILLER", default_value_t = FillerKind::Keyed)]
        filler: FillerKind,
        /// Also replace the names of the application's classes, packages, fields, methods and
        /// source files by pseudonyms (`pkg_3k9f2b.Class_k3f9a2.field_x81c0d`), a keyed hash
        /// of each name: the same in every dump redacted with the same --names-key; names of
        /// the platform (java., javax., jdk., sun., com.sun., kotlin., android., dalvik.) stay.
        #[arg(long)]
        pseudonymize_names: bool,
        /// A secret key (default: $HPROFSCAN_NAMES_KEY). It keys the pseudonyms (without it, a
        /// public key with which anyone can confirm a guessed name by hashing it) and the keyed
        /// filler (without it, a fresh random key, so two copies are not comparable): dumps
        /// redacted with one key can be compared (`growth`, `leaks A B`).
        #[arg(long, value_name = "KEY")]
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
