//! Text buffers kept per key: a map (or list) whose values are text buffers, one log per
//! device or account. Under a constant set of keys such a map never gains an entry while its
//! values grow, so its entries say nothing; the values' lines do. Lines in time order over
//! hours, in buffers whose line counts and lengths are not capped, were appended since each
//! buffer was made and never trimmed. Buffers trimmed to a tail pile up at their cap: the same
//! number of lines, or lengths within one line of the longest. The text is read to find line
//! ends and times, never shown. The same holds of a map of lists of lines (one `String` per
//! line): each list read in its order, its sampled lines joined.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::buffers::{buffer_specs, read_all};
use crate::query::collections::CollectionSpec;

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::ages::duration;
use super::appended::{timed_lines_in, which_time, TimedLines};
use super::Reads;

const HOUR: u64 = 3_600_000;
/// Values read, spread over the sample.
const READ: usize = 32;
/// Share of the sampled values that must be text buffers.
const BUFFER_SHARE: usize = 80;
/// Timed buffers needed for a judgement.
const MIN_BUFFERS: usize = 8;
/// Lines needed over the buffers read.
const MIN_LINES: usize = 1000;
/// The least span of the lines' times, and how long before the dump the oldest must be: less
/// is what a time window keeps (each device's last two hours).
const MIN_SPAN: u64 = 2 * HOUR;
/// How the evidence of uncapped values starts (the advice rule matches it).
pub(crate) const VALUES_WORDS: &str = "its values are logs:";
/// Share (percent) of the buffers read at the cap that makes it a cap.
const AT_CAP: usize = 25;

/// Adds the evidence of the timestamped lines in a collection's text-buffer values: appended
/// and never trimmed (a leak), or trimmed to a tail (a bound).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    let collection = matches!(
        c.kind,
        LeakKind::StaticCollection | LeakKind::UnboundedMap | LeakKind::Collection
    );
    if !collection || now == 0 {
        return;
    }
    if !c.entry_collections.is_empty() {
        add_lists(a, c, reads, now);
        return;
    }
    let Some(wanted) = text_buffers(a, &c.values) else {
        return;
    };
    let Some(timed) = timed_buffers(a, &wanted, now) else {
        return;
    };
    if timed.len() < MIN_BUFFERS {
        return;
    }
    if let Some((cap, at)) = capped(&timed) {
        c.add(evidence(
            EvidenceName::Bound,
            Supports::MemoryHungry,
            Strength::Moderate,
            format!(
                "its values are logs of timestamped lines trimmed to a tail: {} of the {} read {cap}",
                thousands(at as u64),
                timed.len()
            ),
        ));
        return;
    }
    let lines: usize = timed.iter().map(|t| t.0.lines).sum();
    let counted = format!(
        "{} lines in the {} read",
        thousands(lines as u64),
        timed.len()
    );
    let fewest = timed.iter().map(|t| t.0.lines).min().unwrap_or(0) as u64;
    let most = timed.iter().map(|t| t.0.lines).max().unwrap_or(0) as u64;
    judge_uncapped(a, c, reads, &timed, (lines, &counted, fewest, most), now);
}

/// The evidence of a collection of lists of `String` lines: each list's sampled lines, in
/// their order, read as one buffer's; the lists' sizes for their lines and cap (a cap they pile
/// up at is a bound another module gives).
fn add_lists(a: &Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    let strings = c
        .values
        .iter()
        .filter(|&&v| crate::query::objects::node_class(a, v) == "java.lang.String")
        .count();
    let runs: u32 = c.ordered_runs.iter().sum();
    if strings * 100 < BUFFER_SHARE * c.values.len() || runs as usize != c.values.len() {
        return;
    }
    let text = crate::query::strings::strings_never_shown(a, &c.values);
    let mut timed = Vec::new();
    let mut at = 0;
    for &run in &c.ordered_runs {
        let lines = &c.values[at..at + run as usize];
        at += run as usize;
        let joined: Vec<&str> = lines
            .iter()
            .filter_map(|v| text.get(v).map(String::as_str))
            .collect();
        if joined.len() < 2 {
            continue;
        }
        let Some(t) = timed_lines_in(joined.join("\n").as_bytes(), now) else {
            return;
        };
        timed.push((t, 0));
    }
    let most = c.inner_sizes.iter().copied().max().unwrap_or(0);
    let at_most = c.inner_sizes.iter().filter(|&&n| n == most).count();
    let capped = at_most >= 3 && at_most * 100 >= AT_CAP * c.inner_sizes.len();
    if timed.len() < MIN_BUFFERS || capped {
        return;
    }
    let fewest = c.inner_sizes.iter().copied().min().unwrap_or(0);
    let lines = c.inner_sizes.iter().sum::<u64>() as usize;
    let counted = format!(
        "{} lines in the {} lists counted ({} read)",
        thousands(lines as u64),
        thousands(c.inner_sizes.len() as u64),
        timed.len()
    );
    judge_uncapped(a, c, reads, &timed, (lines, &counted, fewest, most), now);
}

/// The leak evidence of uncapped buffers whose lines span hours.
/// `counts`: the lines in all, how they were counted, the fewest and the most per value. Lines
/// all within the window the holder's owner keeps them for are a window filling (a bound).
fn judge_uncapped(
    a: &Analysis,
    c: &mut Candidate,
    reads: &Reads,
    timed: &[(TimedLines, usize)],
    (lines, counted, fewest, most): (usize, &str, u64, u64),
    now: u64,
) {
    let oldest = timed.iter().map(|t| t.0.first).min().unwrap_or(now);
    let newest = timed.iter().map(|t| t.0.last).max().unwrap_or(0);
    let position = timed.iter().map(|t| t.0.position).max().unwrap_or(0);
    if lines < MIN_LINES
        || newest < oldest
        || newest - oldest < MIN_SPAN
        || now.saturating_sub(oldest) < MIN_SPAN
    {
        return;
    }
    if super::windowed::within(
        c,
        super::windowed::of_owner(a, c, reads).as_ref(),
        oldest,
        now,
    ) {
        return;
    }
    c.add(evidence(
        EvidenceName::AppendedLines,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{VALUES_WORDS} {counted}, each {}, appended in order over {} (the oldest {} before the dump), {} to {} lines per value and no cap they pile up at: nothing trims them",
            which_time(position),
            duration(newest - oldest),
            duration(now.saturating_sub(oldest)),
            thousands(fewest),
            thousands(most),
        ),
    ));
}

/// A spread of up to [`READ`] of `values` with the buffer spec of each, when most of them are
/// text buffers.
fn text_buffers(a: &Analysis, values: &[u32]) -> Option<Vec<(u32, &'static CollectionSpec)>> {
    if values.is_empty() {
        return None;
    }
    let specs = buffer_specs(a);
    let spec_of = |v: u32| {
        let k = a.graph.class_of(v);
        (k != NONE)
            .then(|| specs[k as usize])
            .flatten()
            .filter(|s| s.class != "java.io.ByteArrayOutputStream")
    };
    let text = values.iter().filter(|&&v| spec_of(v).is_some()).count();
    if text * 100 < BUFFER_SHARE * values.len() {
        return None;
    }
    let step = values.len().div_ceil(READ).max(1);
    Some(
        values
            .iter()
            .step_by(step)
            .filter_map(|&v| spec_of(v).map(|s| (v, s)))
            .collect(),
    )
}

/// The timed lines of each non-empty buffer read, with its length; None when a non-empty one
/// holds no lines in time order (the values are not logs).
fn timed_buffers(
    a: &Analysis,
    wanted: &[(u32, &CollectionSpec)],
    now: u64,
) -> Option<Vec<(TimedLines, usize)>> {
    let mut out = Vec::new();
    for b in read_all(a, wanted, true).into_iter().flatten() {
        if b.bytes.is_empty() {
            continue;
        }
        out.push((timed_lines_in(&b.bytes, now)?, b.bytes.len()));
    }
    Some(out)
}

/// How buffers pile up at a cap.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Cap {
    /// The same number of lines, the most any holds.
    Lines(usize),
    /// Lengths within one line of the longest.
    Length(usize),
}

impl std::fmt::Display for Cap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cap::Lines(n) => write!(
                f,
                "hold exactly {} lines, the most any holds",
                thousands(*n as u64)
            ),
            Cap::Length(n) => write!(
                f,
                "are within one line of the longest ({} characters)",
                thousands(*n as u64)
            ),
        }
    }
}

/// The cap the buffers pile up at and how many are at it, if a quarter of them (and three or
/// more) are.
fn capped(timed: &[(TimedLines, usize)]) -> Option<(Cap, usize)> {
    let kind = cap_kind(timed);
    let at = cap_count(timed, kind);
    (at >= 3 && at * 100 >= AT_CAP * timed.len()).then_some((kind, at))
}

/// The likelier cap: lines when more buffers share the most lines than sit within one line of
/// the longest length, else length.
fn cap_kind(timed: &[(TimedLines, usize)]) -> Cap {
    let most = timed.iter().map(|t| t.0.lines).max().unwrap_or(0);
    let longest = timed.iter().map(|t| t.1).max().unwrap_or(0);
    let by_lines = cap_count(timed, Cap::Lines(most));
    let by_length = cap_count(timed, Cap::Length(longest));
    if by_lines >= by_length {
        Cap::Lines(most)
    } else {
        Cap::Length(longest)
    }
}

/// How many buffers are at `cap`.
fn cap_count(timed: &[(TimedLines, usize)], cap: Cap) -> usize {
    let line = timed.iter().map(|t| t.0.longest).max().unwrap_or(0);
    timed
        .iter()
        .filter(|t| match cap {
            Cap::Lines(n) => t.0.lines == n,
            Cap::Length(n) => t.1 + line > n,
        })
        .count()
}
