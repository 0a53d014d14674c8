//! How many of a suspect's entries were left behind, and how they were told apart (part of
//! the serialised report, re-exported by `model`).

use serde::Serialize;

/// How the sampled entries left behind were told apart.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LeftBy {
    /// Their own state: finished, or expired (a close estimate).
    State,
    /// Idle for an hour or more (a lower bound: entries left in the last hour are not
    /// counted).
    Idle,
    /// Keys equal field for field to another key of the same hash map, which no lookup finds
    /// again (exact: every key compared; `sampled` is every key).
    TwinKeys,
}

/// The entries of a suspect that were left behind (finished, expired or idle), estimated
/// from a sample: `estimate` = `entries` x `in_sample` / `sampled`, rounded. When `sampled`
/// equals the suspect's entries, every entry was judged and `estimate` is a count (twin keys;
/// entries finished by their state or idle, re-counted over all of a collection's entries).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LeftBehind {
    /// How the sampled entries were told apart.
    pub by: LeftBy,
    /// Estimated entries left behind, out of the suspect's `entries`.
    pub estimate: u64,
    /// Sampled entries left behind.
    pub in_sample: u64,
    /// Sampled entries judged.
    pub sampled: u64,
}

impl LeftBehind {
    /// The estimate for `entries` from `in_sample` of `sampled` told apart `by`; None
    /// without a sample.
    pub fn of(by: LeftBy, entries: u64, in_sample: u64, sampled: u64) -> Option<LeftBehind> {
        (sampled > 0 && in_sample <= sampled).then(|| LeftBehind {
            by,
            estimate: ((entries as u128 * in_sample as u128 + sampled as u128 / 2)
                / sampled as u128) as u64,
            in_sample,
            sampled,
        })
    }
}
