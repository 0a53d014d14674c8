//! Lines appended to a buffer over hours: a text buffer ([`crate::query::buffers`]) whose
//! lines each start with a time (epoch seconds or milliseconds, or an ISO-8601 date and time),
//! in the order they were appended, the oldest hours before the dump, holds everything written
//! since it was last reset: a buffer that is flushed keeps only what came since the flush.
//! The text is read to find line ends and times, never shown.

use crate::base::text::thousands;
use crate::dom::analysis::Analysis;
use crate::graph::ids::NONE;
use crate::query::buffers::{buffer_specs, read};

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
/// How far into a line its time is looked for.
const HEAD: usize = 48;

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
    let mut lines = 0;
    let (mut oldest, mut newest) = (u64::MAX, 0);
    for v in nodes {
        let Some((n, first, last)) = timed_lines(a, v, now) else {
            return;
        };
        lines += n;
        (oldest, newest) = (oldest.min(first), newest.max(last));
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
            "{} lines{many}, each starting with a time, appended in order over {} (the oldest {} before the dump): nothing removed them since",
            thousands(lines as u64),
            duration(newest - oldest),
            duration(now.saturating_sub(oldest)),
        ),
    ));
}

/// The lines of text buffer `v` when most start with a time and those times are in order:
/// their number, the first time and the last. None for other buffers.
fn timed_lines(a: &Analysis, v: u32, now: u64) -> Option<(usize, u64, u64)> {
    let k = a.graph.class_of(v);
    let spec = (k != NONE).then(|| buffer_specs(a)[k as usize]).flatten()?;
    let b = read(a, v, spec, true)?;
    let lines: Vec<&[u8]> = b
        .bytes
        .split(|&x| x == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let times: Vec<u64> = lines.iter().filter_map(|l| line_time(l, now)).collect();
    if times.len() < 2 || (times.len() as f64) < TIMED_SHARE * lines.len() as f64 {
        return None;
    }
    let ordered = times.windows(2).filter(|w| w[1] >= w[0]).count();
    if (ordered as f64) < ORDERED_SHARE * (times.len() - 1) as f64 {
        return None;
    }
    Some((lines.len(), times[0], times[times.len() - 1]))
}

/// The time a line starts with (within its first [`HEAD`] bytes): a run of 10 to 19 digits
/// read as epoch seconds, milliseconds, micro- or nanoseconds near `now`, or an ISO-8601
/// `yyyy-mm-ddThh:mm:ss` (or with a space) read as UTC.
fn line_time(line: &[u8], now: u64) -> Option<u64> {
    let head = &line[..line.len().min(HEAD)];
    let mut i = 0;
    while i < head.len() {
        if !head[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = head[i..].iter().take_while(|d| d.is_ascii_digit()).count();
        if run == 4 {
            if let Some(ms) = iso_time(&line[i..]) {
                return Some(ms);
            }
        }
        if (10..=19).contains(&run) {
            let raw: i64 = std::str::from_utf8(&head[i..i + run]).ok()?.parse().ok()?;
            return as_millis(raw, now);
        }
        i += run;
    }
    None
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
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2025, 12, 2), 20_424);
    }
}
