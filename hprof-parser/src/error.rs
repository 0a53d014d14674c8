//! The parser's error type: every variant says what is wrong and, where there is one, the
//! absolute byte offset in the (uncompressed) dump.

use std::path::PathBuf;

use crate::tag::{RecordTag, SubTag};

/// Everything that can be wrong with a dump.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The file has no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The file does not start with `JAVA PROFILE 1.0.`.
    #[error(
        "not an HPROF heap dump: the file starts with \"{found}\", not \"JAVA PROFILE 1.0.x\""
    )]
    NotHprof {
        /// The first bytes (at most 20) as text, not escaped: whoever shows the message
        /// escapes it once (the CLI shows `\n` for a newline).
        found: String,
    },
    /// A format version other than 1.0.1 and 1.0.2.
    #[error(
        "unsupported HPROF version \"{version}\" (only JAVA PROFILE 1.0.1 and 1.0.2 are known)"
    )]
    UnsupportedVersion {
        /// The version string found.
        version: String,
    },
    /// The identifier size is not 4 or 8.
    #[error("bad identifier size {size} in the header at offset {offset} (only 4 and 8 exist)")]
    BadIdSize {
        /// The size found.
        size: u32,
        /// Where it was read.
        offset: u64,
    },
    /// A structure ends before the bytes it needs.
    #[error("{record} at offset {offset} is truncated: it needs {needed} bytes but only {remaining} remain")]
    Truncated {
        /// What was being read (`header`, `HEAP_DUMP_SEGMENT`, `INSTANCE_DUMP`, ...).
        record: &'static str,
        /// Where the structure starts.
        offset: u64,
        /// Bytes needed.
        needed: u64,
        /// Bytes left.
        remaining: u64,
    },
    /// A length field points past the end of its container.
    #[error(
        "{} {record} at offset {offset} declares length {declared} but only {remaining} bytes remain",
        structure_kind(.record)
    )]
    LengthBeyondEof {
        /// The record or sub-record whose length is wrong.
        record: &'static str,
        /// Where the record starts.
        offset: u64,
        /// The length it declares.
        declared: u64,
        /// The bytes that remain after its header.
        remaining: u64,
    },
    /// A top-level tag the format does not define.
    #[error("unknown record tag 0x{tag:02x} at offset {offset}")]
    UnknownRecordTag {
        /// The tag byte.
        tag: u8,
        /// Where the record starts.
        offset: u64,
    },
    /// A heap sub-record tag the format does not define.
    #[error("unknown heap sub-record tag 0x{tag:02x} at offset {offset}")]
    UnknownSubTag {
        /// The tag byte.
        tag: u8,
        /// Where the sub-record starts.
        offset: u64,
    },
    /// A type code that is not one of the basic types.
    #[error("{record} at offset {offset} has invalid type code {code}")]
    BadTypeCode {
        /// The sub-record.
        record: SubTag,
        /// Where the sub-record starts.
        offset: u64,
        /// The code found.
        code: u8,
    },
    /// The heap dump was written in segments but the closing HEAP_DUMP_END is missing.
    #[error(
        "the dump ends at offset {offset} without a HEAP_DUMP_END record (the writer was cut off)"
    )]
    MissingHeapDumpEnd {
        /// The end of the last complete record.
        offset: u64,
    },
    /// With `--partial`: the records from `offset` could not be read, and reading resumed at
    /// the next intact heap dump segment. What lay between is lost.
    #[error("bytes {offset}..{resumed_at} could not be read as records and were skipped; reading resumed at the heap dump segment at offset {resumed_at}")]
    Skipped {
        /// Where the unreadable bytes start (the damaged record).
        offset: u64,
        /// Where the next intact heap dump segment starts.
        resumed_at: u64,
    },
    /// The gzip stream is damaged or cut off.
    #[error("gzip stream damaged at compressed offset {compressed_offset} (after {uncompressed} uncompressed bytes): {message}")]
    Gzip {
        /// Bytes of compressed input consumed when the error occurred.
        compressed_offset: u64,
        /// Bytes decompressed before the error.
        uncompressed: u64,
        /// What the decompressor said.
        message: String,
    },
    /// The dump holds no HEAP_DUMP or HEAP_DUMP_SEGMENT record at all: there is no heap to
    /// analyse, so the writer was cut off before the heap (or the file is not a heap dump).
    #[error("the dump holds no heap dump records; it ends {ends} at offset {offset}")]
    NoHeapDump {
        /// Where the last intact record ends (the header's length when there is none).
        offset: u64,
        /// `"after the header"` or `"after its last record"`.
        ends: &'static str,
    },
    /// The path is not a regular file (a FIFO, a device, a directory, a socket). Such a file
    /// is refused before it is opened, so a FIFO without a writer cannot block the program and
    /// `/dev/zero` is not read for ever.
    #[error("{}: is {kind}, not a regular file (save the dump to a file first)", path.display())]
    NotRegularFile {
        /// The path given.
        path: PathBuf,
        /// What it is: `"a FIFO (named pipe)"`, `"a character device"`, `"a directory"`...
        kind: &'static str,
    },
    /// Decompressed, the gzip dump would pass the limit on its uncompressed size. Not damage:
    /// the limit guards the disk against a gzip bomb and can be raised.
    #[error("{}: the decompressed dump would pass the limit of {limit} bytes (it holds at least {at_least}); raise the limit with --max-uncompressed SIZE if the dump is genuine", path.display())]
    UncompressedTooLarge {
        /// The gzip file.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
        /// Uncompressed bytes known to be there (found so far, or promised by the trailer).
        at_least: u64,
    },
    /// The temp directory has no room for the decompressed dump. Not damage: the dump may be
    /// fine, the disk is too small.
    #[error("the temp directory {} has {free} bytes free, not enough for the decompressed dump ({needed} bytes needed so far, {written} written); use --temp-dir on a larger disk", dir.display())]
    TempDirFull {
        /// The temp directory.
        dir: PathBuf,
        /// Its free bytes when checked (0 when a write failed for lack of space).
        free: u64,
        /// Bytes the dump was known to need at that point.
        needed: u64,
        /// Bytes already written.
        written: u64,
    },
    /// An I/O error while opening or reading a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl ParseError {
    /// The byte offset the error points at, if it has one.
    pub fn offset(&self) -> Option<u64> {
        match self {
            ParseError::Empty => Some(0),
            ParseError::NotHprof { .. } | ParseError::UnsupportedVersion { .. } => Some(0),
            ParseError::BadIdSize { offset, .. }
            | ParseError::Truncated { offset, .. }
            | ParseError::LengthBeyondEof { offset, .. }
            | ParseError::UnknownRecordTag { offset, .. }
            | ParseError::UnknownSubTag { offset, .. }
            | ParseError::BadTypeCode { offset, .. }
            | ParseError::MissingHeapDumpEnd { offset }
            | ParseError::NoHeapDump { offset, .. }
            | ParseError::Skipped { offset, .. } => Some(*offset),
            ParseError::Gzip {
                compressed_offset, ..
            } => Some(*compressed_offset),
            ParseError::Io { .. }
            | ParseError::NotRegularFile { .. }
            | ParseError::UncompressedTooLarge { .. }
            | ParseError::TempDirFull { .. } => None,
        }
    }

    /// Whether the error is a resource limit (the decompressed dump passes
    /// `max_uncompressed`, or the temp directory is full), not a problem of the dump.
    pub fn is_resource_limit(&self) -> bool {
        matches!(
            self,
            ParseError::UncompressedTooLarge { .. } | ParseError::TempDirFull { .. }
        )
    }

    /// Whether the error is damage found after a valid header, so that `--partial` can
    /// analyse what precedes it.
    pub fn is_salvageable(&self) -> bool {
        !matches!(
            self,
            ParseError::Empty
                | ParseError::NotHprof { .. }
                | ParseError::UnsupportedVersion { .. }
                | ParseError::BadIdSize { .. }
                | ParseError::Truncated {
                    record: "header",
                    ..
                }
                | ParseError::Io { .. }
                | ParseError::NotRegularFile { .. }
                | ParseError::UncompressedTooLarge { .. }
                | ParseError::TempDirFull { .. }
        )
    }
}

/// Whether `name` names a top-level record (`record`) or a heap sub-record (`sub-record`).
fn structure_kind(name: &str) -> &'static str {
    if RecordTag::ALL.iter().any(|t| t.name() == Some(name)) {
        "record"
    } else {
        "sub-record"
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, ParseError>;
