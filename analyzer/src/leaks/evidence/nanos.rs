//! `System.nanoTime` values: times this process kept on a clock with an arbitrary origin, which
//! one dump cannot anchor on the dump's own time, so they are timed from the newest entry.

use hprof_parser::BasicType;

use super::super::candidate::Candidate;
use super::ages::{words, TimeField};
use super::Reads;

/// Nanoseconds in a millisecond.
const NANOS_PER_MS: i64 = 1_000_000;
/// How far before the newest a nanoTime value may lie (thirty days).
const PAST_NANOS: i64 = 30 * 24 * 3_600_000 * NANOS_PER_MS;

/// Whether a field name says it holds `System.nanoTime` values (`enqueuedNanos`, `startNs`,
/// `createdNanoTime`).
fn is_nano_name(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| matches!(w.as_str(), "nanos" | "nano" | "ns" | "nanotime"))
}

/// The `System.nanoTime` fields of the sampled entries as times (ms): each value's distance
/// below the newest value of all of them, taken back from `now`. The newest entry was made at
/// or before the dump, so the idle times come out at most as long as they were.
pub(crate) fn nano_fields(c: &Candidate, reads: &Reads, now: u64) -> Vec<TimeField> {
    let mut fields: Vec<(String, Vec<(u32, i64)>)> = Vec::new();
    for &v in &c.values {
        let Some(view) = reads.views.get(&v) else {
            continue;
        };
        for f in view
            .fields
            .iter()
            .filter(|f| f.ty == BasicType::Long && is_nano_name(&f.name))
        {
            match fields.iter_mut().find(|x| x.0 == f.name) {
                Some(x) => x.1.push((v, f.raw as i64)),
                None => fields.push((f.name.clone(), vec![(v, f.raw as i64)])),
            }
        }
    }
    let Some(newest) = fields.iter().flat_map(|f| f.1.iter().map(|p| p.1)).max() else {
        return Vec::new();
    };
    fields
        .into_iter()
        .map(|(name, vals)| {
            let times = vals
                .into_iter()
                .filter_map(|(v, raw)| {
                    let back = newest.checked_sub(raw).filter(|&d| d <= PAST_NANOS)?;
                    Some((v, now.saturating_sub((back / NANOS_PER_MS) as u64)))
                })
                .collect();
            (name, times)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_nano_name;

    #[test]
    fn nano_field_names() {
        assert!(is_nano_name("enqueuedNanos"));
        assert!(is_nano_name("startNs"));
        assert!(is_nano_name("createdNanoTime"));
        assert!(!is_nano_name("createdAt"));
        assert!(!is_nano_name("dns"));
    }
}
