//! `hprofscan scan`: one record per dump of an archive, and the leaks they share.
//!
//! Each dump is analysed on its own (the caller drops it before the next), so memory is that of
//! the largest dump. A dump that cannot be analysed is a record with its error, never the end
//! of the scan. The summary groups dumps by suspect fingerprint (kind and holder), so the same
//! leak across incidents shows as one line with its first and last sighting.

use serde::Serialize;

use crate::leaks::{LeakKind, LeakReport};
use crate::query::holders::Holder;

/// The suspect fields a scan record keeps.
#[derive(Clone, Debug, Serialize)]
pub struct ScanSuspect {
    /// Rank in the dump's leak report.
    pub rank: usize,
    /// `leak` or `possible-leak`.
    pub verdict: crate::leaks::Verdict,
    /// Kind of leak.
    pub kind: LeakKind,
    /// The application field that holds it.
    pub holder: Holder,
    /// Kind and holder: the same leak in two dumps has the same fingerprint.
    pub fingerprint: String,
    /// Entries.
    pub entries: u64,
    /// Retained bytes.
    pub retained_bytes: u64,
    /// Share of the reachable heap.
    pub share: f64,
}

/// `hprofscan/scan/1`: one line of the NDJSON output.
#[derive(Clone, Debug, Serialize)]
pub struct ScanRecord {
    /// Schema name and version.
    pub schema: &'static str,
    /// The dump's path.
    pub path: String,
    /// Its size on disk.
    pub bytes: u64,
    /// When it was written (from its header), if readable.
    pub timestamp_ms: Option<u64>,
    /// Whether it was analysed in full (false: damaged and analysed with `--partial`, or not
    /// analysed at all).
    pub complete: bool,
    /// Why it could not be analysed.
    pub error: Option<String>,
    /// Objects in the graph.
    pub objects: Option<u64>,
    /// Strongly reachable bytes.
    pub reachable_bytes: Option<u64>,
    /// Its leak suspects.
    pub suspects: Vec<ScanSuspect>,
    /// Damage and guesses.
    pub warnings: Vec<String>,
}

impl ScanRecord {
    /// The record of an analysed dump.
    pub fn from_report(r: &LeakReport) -> ScanRecord {
        ScanRecord {
            schema: "hprofscan/scan/7",
            path: r.dump.path.clone(),
            bytes: r.dump.bytes,
            timestamp_ms: Some(r.dump.timestamp_ms),
            complete: r.dump.complete,
            error: None,
            objects: Some(r.heap.objects),
            reachable_bytes: Some(r.heap.reachable_bytes),
            suspects: r
                .suspects
                .iter()
                .map(|s| ScanSuspect {
                    rank: s.rank,
                    verdict: s.verdict,
                    kind: s.kind,
                    holder: s.holder.clone(),
                    fingerprint: s.fingerprint.clone(),
                    entries: s.entries,
                    retained_bytes: s.retained_bytes,
                    share: s.share,
                })
                .collect(),
            warnings: r.warnings.clone(),
        }
    }

    /// The record of a dump that could not be analysed.
    pub fn failed(path: &str, bytes: u64, error: String) -> ScanRecord {
        ScanRecord {
            schema: "hprofscan/scan/7",
            path: path.to_string(),
            bytes,
            timestamp_ms: None,
            complete: false,
            error: Some(error),
            objects: None,
            reachable_bytes: None,
            suspects: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// One leak seen in several dumps.
#[derive(Clone, Debug, Serialize)]
pub struct RecurringLeak {
    /// The fingerprint shared by the dumps.
    pub fingerprint: String,
    /// The strongest verdict it had in any dump.
    pub verdict: crate::leaks::Verdict,
    /// Kind of leak.
    pub kind: LeakKind,
    /// The holder.
    pub holder: Holder,
    /// In how many dumps it was a suspect.
    pub dumps: usize,
    /// The earliest dump (by header timestamp) and when it was written.
    pub first: String,
    /// Timestamp of the earliest dump.
    pub first_timestamp_ms: u64,
    /// The latest dump.
    pub last: String,
    /// Timestamp of the latest dump.
    pub last_timestamp_ms: u64,
    /// Retained bytes in the earliest and the latest dump.
    pub retained_bytes: [u64; 2],
}

/// `hprofscan/scan-summary/1`: the last line of the NDJSON output.
#[derive(Clone, Debug, Serialize)]
pub struct ScanSummary {
    /// Schema name and version.
    pub schema: &'static str,
    /// Dumps found.
    pub dumps: usize,
    /// Dumps that could not be analysed.
    pub failed: usize,
    /// Dumps analysed with `--partial` after damage.
    pub incomplete: usize,
    /// Leaks by fingerprint, most widespread first.
    pub leaks: Vec<RecurringLeak>,
}

/// Groups the records' suspects by fingerprint.
pub fn summarize(records: &[ScanRecord]) -> ScanSummary {
    let mut by: Vec<RecurringLeak> = Vec::new();
    let mut sorted: Vec<&ScanRecord> = records.iter().filter(|r| r.error.is_none()).collect();
    sorted.sort_by(|a, b| {
        a.timestamp_ms
            .cmp(&b.timestamp_ms)
            .then(a.path.cmp(&b.path))
    });
    for r in sorted {
        let ts = r.timestamp_ms.unwrap_or(0);
        for s in &r.suspects {
            match by.iter_mut().find(|l| l.fingerprint == s.fingerprint) {
                Some(l) => {
                    l.dumps += 1;
                    l.verdict = l.verdict.min(s.verdict);
                    l.last = r.path.clone();
                    l.last_timestamp_ms = ts;
                    l.retained_bytes[1] = s.retained_bytes;
                }
                None => by.push(RecurringLeak {
                    fingerprint: s.fingerprint.clone(),
                    verdict: s.verdict,
                    kind: s.kind,
                    holder: s.holder.clone(),
                    dumps: 1,
                    first: r.path.clone(),
                    first_timestamp_ms: ts,
                    last: r.path.clone(),
                    last_timestamp_ms: ts,
                    retained_bytes: [s.retained_bytes, s.retained_bytes],
                }),
            }
        }
    }
    by.sort_by(|a, b| {
        b.dumps
            .cmp(&a.dumps)
            .then(b.retained_bytes[1].cmp(&a.retained_bytes[1]))
    });
    ScanSummary {
        schema: "hprofscan/scan-summary/1",
        dumps: records.len(),
        failed: records.iter().filter(|r| r.error.is_some()).count(),
        incomplete: records
            .iter()
            .filter(|r| r.error.is_none() && !r.complete)
            .count(),
        leaks: by,
    }
}
