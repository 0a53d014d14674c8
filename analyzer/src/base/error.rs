//! Errors of the analyzer.

use hprof_parser::ParseError;

/// Why a dump could not be analysed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalyzeError {
    /// The dump is unreadable or damaged.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// The dump is damaged after a valid header; `--partial` would analyse what precedes it.
    #[error("{source} (the dump is damaged; --partial analyses what precedes the damage)")]
    Damaged {
        /// The damage.
        #[source]
        source: ParseError,
    },
    /// The heap is larger than this program's dense indices can address.
    #[error("the dump holds {count} {what}, more than the {limit} hprofscan can index (its indices are 32-bit)")]
    TooLarge {
        /// What overflowed (objects, references).
        what: &'static str,
        /// How many the dump holds.
        count: u64,
        /// The most there may be.
        limit: u64,
    },
    /// A temporary file for the analysis' arrays (`--max-memory`) could not be made.
    #[error("cannot make a temporary file for the analysis' arrays in {}: {source} (--temp-dir chooses the directory, --max-memory the memory limit)", dir.display())]
    TempFile {
        /// The temp directory.
        dir: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A lookup named something the dump does not have.
    #[error("{0}")]
    NotFound(String),
}

impl AnalyzeError {
    /// Wraps damage found after a valid header, so that the message hints at `--partial`.
    pub fn damaged(e: ParseError) -> AnalyzeError {
        if e.is_salvageable() {
            AnalyzeError::Damaged { source: e }
        } else {
            AnalyzeError::Parse(e)
        }
    }
}
