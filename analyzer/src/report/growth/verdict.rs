//! Verdicts: how one series of values evolves (`growing`, `warming`, `stable`, `shrinking`,
//! `fluctuating`), by the rules in the module documentation.

use super::model::{Verdict, NOISE_BYTES, NOISE_ENTRIES, NOISE_SHARE};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Up,
    Down,
    Flat,
}

pub(super) fn step(a: u64, b: u64, abs_noise: u64) -> Step {
    let d = b as i128 - a as i128;
    let big = a.max(b) as f64;
    if d.unsigned_abs() <= abs_noise as u128 || (d.unsigned_abs() as f64) < NOISE_SHARE * big {
        Step::Flat
    } else if d > 0 {
        Step::Up
    } else {
        Step::Down
    }
}

/// The verdict on one series (oldest first) whose steps of at most `abs_noise` (or under
/// [`NOISE_SHARE`] of the larger value) are noise; the rules are in the module documentation.
/// Fewer than two values are `stable`.
pub fn classify(series: &[u64], abs_noise: u64) -> Verdict {
    if series.len() < 2 {
        return Verdict::Stable;
    }
    let steps: Vec<Step> = series
        .windows(2)
        .map(|w| step(w[0], w[1], abs_noise))
        .collect();
    let ups = steps.iter().filter(|&&s| s == Step::Up).count();
    let downs = steps.iter().filter(|&&s| s == Step::Down).count();
    let first = series[0];
    let last = *series.last().unwrap();
    match (ups, downs) {
        (0, 0) => {
            // A slow creep: every step up by less than noise, the whole series by more.
            let creeping = steps.len() >= 3
                && series.windows(2).all(|w| w[1] > w[0])
                && step(first, last, abs_noise) == Step::Up;
            if creeping {
                Verdict::Growing
            } else {
                Verdict::Stable
            }
        }
        (_, 0) => {
            if *steps.last().unwrap() == Step::Up {
                Verdict::Growing
            } else {
                Verdict::Warming
            }
        }
        (0, _) => Verdict::Shrinking,
        _ => {
            let max = *series.iter().max().unwrap();
            if last == max && last >= 4 * first.max(1) {
                Verdict::Growing
            } else {
                Verdict::Fluctuating
            }
        }
    }
}

/// A holder's verdict from its entries and retained bytes: `growing` if either grows;
/// otherwise the entries' verdict, or the bytes' when the entries are `stable`.
pub fn holder_verdict(entries: &[u64], retained_bytes: &[u64]) -> Verdict {
    holder_verdict_with(entries, retained_bytes, NOISE_ENTRIES, NOISE_BYTES)
}

/// [`holder_verdict`] with the noise of entries and of bytes given.
pub fn holder_verdict_with(
    entries: &[u64],
    retained_bytes: &[u64],
    entries_noise: u64,
    bytes_noise: u64,
) -> Verdict {
    let e = classify(entries, entries_noise);
    let b = classify(retained_bytes, bytes_noise);
    if e == Verdict::Growing || b == Verdict::Growing {
        Verdict::Growing
    } else if e == Verdict::Stable {
        b
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_relative_or_a_few() {
        assert!(step(10_000, 10_150, NOISE_ENTRIES) == Step::Flat); // 1.5%
        assert!(step(10_000, 10_300, NOISE_ENTRIES) == Step::Up); // 3%
        assert!(step(100, 110, NOISE_ENTRIES) == Step::Flat); // 10 entries
        assert!(step(100, 111, NOISE_ENTRIES) == Step::Up);
        assert!(step(0, 0, NOISE_ENTRIES) == Step::Flat);
        assert!(step(5, 0, 0) == Step::Down);
    }
}
