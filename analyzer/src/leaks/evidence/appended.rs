//! Lines appended to a buffer over hours: a text buffer ([`crate::query::buffers`]) whose
//! lines each carry a time (epoch seconds or milliseconds, or an ISO-8601 date and time) near
//! their start, the first or a later one (`placed=… finished=…`) in the order the lines were
//! appended, the oldest hours before the dump, holds everything written since it was last
//! reset: a buffer that is flushed keeps only what came since the flush.
//! The text is read to find line ends and times, never shown.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::buffers::{buffer_specs, read_all};

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, LeakKind, Strength, Supports};
use super::ages::{as_millis, duration};

const HOUR: u64 = 3_600_000;
/// Lines needed for a judgement.
const MIN_LINES: usize = 1000;
/// Share of the lines that must start with a time.
const TIMED_SHARE: f64 = 0.8;
/// Share of consecutive timed lines that must be in time order.
const ORDERED_SHARE: f64 = 0.95;
/// How long before the dump the oldest line must have been written, and the least span.
const MIN_SPAN: u64 = HOUR;
/// Rank correlation of the lines' times with their order that counts as in order.
const RANKED: f64 = 0.9;
/// How far into a line its times are looked for.
const HEAD: usize = 256;
/// The times of a line looked at: the line's order may follow any of them.
const TIMES_PER_LINE: usize = 4;

/// Buffers of a field's candidate read for their lines.
const FIELD_READ: usize = 32;

/// Adds the evidence of a text buffer's timestamped lines (of one buffer, or of a spread
/// few of one field's buffers in many objects, each in order).
pub(crate) fn add(a: &Analysis, c: &mut Candidate, now: u64) {
    if c.kind != LeakKind::Buffer {
        return;
    }
    let nodes: Vec<u32> = if c.instances > 1 {
        let step = c.values.len().div_ceil(FIELD_READ).max(1);
        c.values.iter().step_by(step).copied().collect()
    } else {
        c.node.into_iter().collect()
    };
    let specs = buffer_specs(a);
    let mut wanted = Vec::with_capacity(nodes.len());
    for v in nodes {
        let k = a.graph.class_of(v);
        let Some(spec) = (k != NONE).then(|| specs[k as usize]).flatten() else {
            return;
        };
        wanted.push((v, spec));
    }
    let mut lines = 0;
    let (mut oldest, mut newest) = (u64::MAX, 0);
    let mut position = 0;
    // Every buffer read in one batch; each must hold timed lines in order.
    for b in read_all(a, &wanted, true) {
        let Some(t) = b.and_then(|b| timed_lines_in(&b.bytes, now)) else {
            return;
        };
        lines += t.lines;
        position = position.max(t.position);
        (oldest, newest) = (oldest.min(t.first), newest.max(t.last));
    }
    if lines < MIN_LINES
        || newest < oldest
        || newest - oldest < MIN_SPAN
        || now.saturating_sub(oldest) < MIN_SPAN
    {
        return;
    }
    let many = if c.instances > 1 {
        format!(" (in the {} buffers read)", FIELD_READ.min(c.values.len()))
    } else {
        String::new()
    };
    c.add(evidence(
        EvidenceName::AppendedLines,
        Supports::Leak,
        Strength::Moderate,
        format!(
            "{} lines{many}, each {}, appended in order over {} (the oldest {} before the dump): nothing removed them since",
            thousands(lines as u64),
            which_time(position),
            duration(newest - oldest),
            duration(now.saturating_sub(oldest)),
        ),
    ));
}

/// How the line's time was found, for the evidence: `position` is which of its times follows
/// the order of the lines.
pub(super) fn which_time(position: usize) -> String {
    match position {
        0 => "starting with a time".into(),
        p => format!(
            "with times, the {} of which follows their order",
            ordinal(p + 1)
        ),
    }
}

/// `2nd`, `3rd`, `4th`.
fn ordinal(n: usize) -> String {
    let suffix = match n {
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// How well `times` follow the order of their lines: 1 when every next one is at least as
/// late; else their rank correlation with the lines' order, where lines finished in the same
/// minute were written in any order. In order from [`RANKED`].
fn order_of(times: &[u64]) -> f64 {
    let ordered = times.windows(2).filter(|w| w[1] >= w[0]).count();
    if ordered as f64 >= ORDERED_SHARE * (times.len() - 1) as f64 {
        return 1.0;
    }
    let lines: Vec<u64> = (0..times.len() as u64).collect();
    super::added_order::rank_correlation(&lines, times)
}

/// A text buffer's lines whose times at one position are in order (the position that follows
/// the lines' order best).
pub(super) struct TimedLines {
    /// The lines.
    pub lines: usize,
    /// Which of each line's times (0: the first) follows the lines' order.
    pub position: usize,
    /// The first line's time and the last's.
    pub first: u64,
    pub last: u64,
    /// The longest line's length, its end included.
    pub longest: usize,
}

/// The lines of a text buffer's `bytes` when most carry a time at one position of their head
/// and those times are in order. None for other text.
pub(super) fn timed_lines_in(bytes: &[u8], now: u64) -> Option<TimedLines> {
    let lines: Vec<&[u8]> = bytes
        .split(|&x| x == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let longest = lines.iter().map(|l| l.len() + 1).max().unwrap_or(0);
    let per_line: Vec<Vec<u64>> = lines.iter().map(|l| line_times(l, now)).collect();
    let mut best: Option<(f64, TimedLines)> = None;
    for position in 0..TIMES_PER_LINE {
        let times: Vec<u64> = per_line
            .iter()
            .filter_map(|t| t.get(position).copied())
            .collect();
        if times.len() < 2 || (times.len() as f64) < TIMED_SHARE * lines.len() as f64 {
            continue;
        }
        let order = order_of(&times);
        if order >= RANKED && best.as_ref().is_none_or(|b| order > b.0) {
            let t = TimedLines {
                lines: lines.len(),
                position,
                first: times[0],
                last: times[times.len() - 1],
                longest,
            };
            best = Some((order, t));
        }
    }
    best.map(|b| b.1)
}

/// The times in a line's first [`HEAD`] bytes, at most [`TIMES_PER_LINE`]: runs of 10 to 19
/// digits read as epoch seconds, milliseconds, micro- or nanoseconds near `now`, and ISO-8601
/// `yyyy-mm-ddThh:mm:ss` (or with a space) read as UTC.
fn line_times(line: &[u8], now: u64) -> Vec<u64> {
    let head = &line[..line.len().min(HEAD)];
    let mut out = Vec::new();
    let mut i = 0;
    while i < head.len() && out.len() < TIMES_PER_LINE {
        if !head[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = head[i..].iter().take_while(|d| d.is_ascii_digit()).count();
        if run == 4 {
            if let Some(ms) = iso_time(&line[i..]) {
                out.push(ms);
                i += 19;
                continue;
            }
        }
        if (10..=19).contains(&run) {
            let raw = std::str::from_utf8(&head[i..i + run])
                .ok()
                .and_then(|t| t.parse::<i64>().ok());
            out.extend(raw.and_then(|r| as_millis(r, now)));
        }
        i += run;
    }
    out
}

/// The first time of a line, as [`line_times`] finds them.
#[cfg(test)]
fn line_time(line: &[u8], now: u64) -> Option<u64> {
    line_times(line, now).first().copied()
}

/// `yyyy-mm-dd[T ]hh:mm:ss` at the start of `s`, as epoch milliseconds (UTC).
fn iso_time(s: &[u8]) -> Option<u64> {
    if s.len() < 19 || s[4] != b'-' || s[7] != b'-' || !(s[10] == b'T' || s[10] == b' ') {
        return None;
    }
    if s[13] != b':' || s[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        std::str::from_utf8(&s[r]).ok()?.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let days = days_from_civil(y as i64, mo as i64, d as i64);
    Some(((days as u64 * 24 + h) * 60 + mi) * 60_000 + se * 1000)
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_764_633_600_000; // 2025-12-02T00:00:00Z

    #[test]
    fn times_at_the_start_of_a_line() {
        assert_eq!(
            line_time(b"1764630000000 app=A-1 action=x", NOW),
            Some(1_764_630_000_000)
        );
        assert_eq!(
            line_time(b"[1764630000] login", NOW),
            Some(1_764_630_000_000)
        );
        assert_eq!(
            line_time(b"2025-12-01T23:00:00.123Z GET /x", NOW),
            Some(1_764_630_000_000)
        );
        assert_eq!(
            line_time(b"2025-12-01 23:00:00 INFO", NOW),
            Some(1_764_630_000_000)
        );
        // A number that is no time near the dump, or no number at all.
        assert_eq!(line_time(b"order 4711 amount 99", NOW), None);
        assert_eq!(line_time(b"id=9999999999999", NOW), None);
    }

    #[test]
    fn later_times_in_a_line() {
        assert_eq!(
            line_times(
                b"EXP|BO-1|qty=3|placed=1764620000000|finished=1764630000000|x",
                NOW
            ),
            vec![1_764_620_000_000, 1_764_630_000_000]
        );
        assert_eq!(
            which_time(1),
            "with times, the 2nd of which follows their order"
        );
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2025, 12, 2), 20_424);
    }
}
