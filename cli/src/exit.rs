//! Exit codes and why a run failed: the one place a failure becomes a message on stderr and a
//! code.
//!
//! 0 analysed; 1 a leak was found and `--fail-on-leak` was given; 2 usage error (including an
//! object id or class the dump does not have, and an `-o` that is an input dump or cannot be
//! created); 3 the dump is unreadable or damaged (for `scan`: any dump was); 4 the report could
//! not be written; 5 a resource limit (the decompressed gzip dump passes `--max-uncompressed` or
//! does not fit the temp directory, or the analysis' arrays do not fit it under
//! `--max-memory`, or the CPU lacks an instruction the build uses), not a damaged dump.

use std::io;
use std::process::ExitCode;

use analyzer::AnalyzeError;

use crate::escape;

/// Exit code: a leak was found and `--fail-on-leak` was given.
pub(crate) const LEAK_FOUND: u8 = 1;
/// Exit code: a usage error, including an object id or class the dump does not have.
pub(crate) const USAGE: u8 = 2;
/// Exit code: the dump is unreadable or damaged.
pub(crate) const BAD_INPUT: u8 = 3;
/// Exit code: the report could not be written.
pub(crate) const OUTPUT: u8 = 4;
/// Exit code: a resource limit, not a damaged dump: the decompressed gzip dump passes
/// `--max-uncompressed`, or the temp directory has no room for it or for the analysis' arrays.
pub(crate) const RESOURCE: u8 = 5;

/// Why a run failed.
pub(crate) enum Failure {
    /// The dump could not be read or analysed (or names no such object or class).
    Input(AnalyzeError),
    /// The report could not be written.
    Output(io::Error),
    /// The flags do not make sense together.
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

/// Prints `hprofscan: MESSAGE` on stderr (escaped) and returns `code`.
pub(crate) fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("hprofscan: {}", escape::name(message));
    ExitCode::from(code)
}

/// The exit code of a run, its failure (if any) said on stderr; a closed pipe is no failure.
pub(crate) fn code(result: Result<u8, Failure>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Input(AnalyzeError::NotFound(m))) => fail(&m, USAGE),
        Err(Failure::Input(AnalyzeError::Parse(e))) if e.is_resource_limit() => {
            fail(&e.to_string(), RESOURCE)
        }
        Err(Failure::Input(e @ AnalyzeError::TempFile { .. })) => fail(&e.to_string(), RESOURCE),
        Err(Failure::Input(e)) => fail(&e.to_string(), BAD_INPUT),
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => fail(&format!("cannot write the report: {e}"), OUTPUT),
        Err(Failure::Usage(m)) => fail(&m, USAGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hprof_parser::ParseError;
    use std::path::PathBuf;

    #[test]
    fn a_full_temp_dir_and_a_limit_are_exit_5_not_damage() {
        // Issue #14 item 4: the dump may be fine; the disk or the limit is too small.
        let full = ParseError::TempDirFull {
            dir: PathBuf::from("/tmp"),
            free: 0,
            needed: 1 << 30,
            written: 1 << 29,
        };
        let limit = ParseError::UncompressedTooLarge {
            path: PathBuf::from("a.hprof.gz"),
            limit: 1 << 20,
            at_least: 1 << 21,
        };
        for e in [full, limit] {
            assert_eq!(
                code(Err(Failure::Input(AnalyzeError::Parse(e)))),
                ExitCode::from(RESOURCE)
            );
        }
        let damaged = ParseError::MissingHeapDumpEnd { offset: 31 };
        assert_eq!(
            code(Err(Failure::Input(AnalyzeError::Parse(damaged)))),
            ExitCode::from(BAD_INPUT)
        );
    }
}
