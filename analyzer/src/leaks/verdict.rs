//! The rules that turn a candidate's evidence into a verdict, in one place.
//!
//! Each piece of evidence points towards a leak or towards a memory-hungry working set, with a
//! strength (weak, moderate, strong). Let L be the strongest evidence for a leak and M the
//! strongest for a working set:
//!
//! 1. Across a series of dumps, growth decides: a holder that grew at every step is judged on
//!    that growth (strong growth, 3x: `leak`; less: `possible-leak`, or `leak` when strong
//!    evidence of the entries' own history agrees), one that stayed flat, warmed up or shrank is
//!    `memory-hungry`. Growth that was flat (or under the candidate floor) and then rose is weak
//!    evidence and is weighed with the rest by the rules below.
//! 2. L strong and M below strong: `leak`.
//! 3. M strong (a cap reached, an LRU, an immutable collection, enum keys) and L below strong:
//!    `memory-hungry`. Both strong: `undetermined`.
//! 4. L moderate and M at most weak: `possible-leak` (per-request keys, entries capturing their
//!    own request, most of the heap, threads).
//! 5. M moderate and L at most weak: `memory-hungry` (short-code keys, entries loaded together,
//!    entries in active use, one scratch buffer per thread).
//! 6. Otherwise (nothing beyond weak, or moderate both ways): `undetermined`: not a suspect,
//!    listed with the advice that a second dump decides.
//!
//! A `possible-leak` must also retain at least the threshold; a `leak` may be smaller (its
//! evidence is its own history, not its size).
//!
//! Confidence: `high` when the deciding evidence is strong and nothing of moderate weight or
//! more points the other way; `medium` when the deciding evidence is moderate, or strong with
//! moderate evidence against; `low` for `undetermined`.

use super::candidate::Candidate;
use super::model::{Confidence, EvidenceName, Strength, Supports, Verdict};

/// The verdict and confidence of a candidate keeping [`Candidate::weight`] bytes alive (heap
/// and native), where `threshold_bytes` is the threshold share of the reachable heap.
pub(crate) fn judge(c: &Candidate, threshold_bytes: u64) -> (Verdict, Confidence) {
    let (verdict, confidence) = by_evidence(c);
    if verdict == Verdict::PossibleLeak && c.weight() < threshold_bytes {
        return (Verdict::Undetermined, Confidence::Low);
    }
    (verdict, confidence)
}

fn by_evidence(c: &Candidate) -> (Verdict, Confidence) {
    let growth = c.evidence.iter().find(|e| e.name == EvidenceName::Growth);
    // Weak growth (flat, then up) does not decide: it is weighed with the rest.
    if let Some(g) = growth.filter(|g| g.strength > Strength::Weak) {
        // Growth below strong beside strong evidence of the entries' own history: a leak.
        let history = c.evidence.iter().any(|e| {
            e.name != EvidenceName::Growth
                && e.supports == Supports::Leak
                && e.strength == Strength::Strong
        });
        return match (g.supports, g.strength) {
            (Supports::Leak, Strength::Strong) => (Verdict::Leak, Confidence::High),
            (Supports::Leak, _) if history => (Verdict::Leak, Confidence::High),
            (Supports::Leak, _) => (Verdict::PossibleLeak, Confidence::Medium),
            (Supports::MemoryHungry, Strength::Strong) => (Verdict::MemoryHungry, Confidence::High),
            (Supports::MemoryHungry, _) => (Verdict::MemoryHungry, Confidence::Medium),
        };
    }
    let l = c.strongest(Supports::Leak);
    let m = c.strongest(Supports::MemoryHungry);
    let against = |x: Option<Strength>| x.is_some_and(|s| s >= Strength::Moderate);
    match (l, m) {
        (Some(Strength::Strong), Some(Strength::Strong)) => {
            (Verdict::Undetermined, Confidence::Low)
        }
        (Some(Strength::Strong), m) => (
            Verdict::Leak,
            if against(m) {
                Confidence::Medium
            } else {
                Confidence::High
            },
        ),
        (l, Some(Strength::Strong)) => (
            Verdict::MemoryHungry,
            if against(l) {
                Confidence::Medium
            } else {
                Confidence::High
            },
        ),
        (Some(Strength::Moderate), m) if !against(m) => (Verdict::PossibleLeak, Confidence::Medium),
        (l, Some(Strength::Moderate)) if !against(l) => (Verdict::MemoryHungry, Confidence::Medium),
        _ => (Verdict::Undetermined, Confidence::Low),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leaks::candidate::evidence;
    use crate::leaks::model::LeakKind;

    fn cand(ev: &[(Supports, Strength)]) -> Candidate {
        let mut c = Candidate::new(LeakKind::Collection, None, "X".into(), 100);
        for &(s, st) in ev {
            c.add(evidence(EvidenceName::Size, s, st, String::new()));
        }
        c
    }

    #[test]
    fn rules() {
        use Strength::*;
        use Supports::*;
        let v = |ev: &[(Supports, Strength)]| judge(&cand(ev), 50).0;
        assert_eq!(v(&[]), Verdict::Undetermined);
        assert_eq!(v(&[(Leak, Weak)]), Verdict::Undetermined);
        assert_eq!(v(&[(Leak, Strong)]), Verdict::Leak);
        assert_eq!(
            v(&[(Leak, Strong), (MemoryHungry, Moderate)]),
            Verdict::Leak
        );
        assert_eq!(
            v(&[(Leak, Strong), (MemoryHungry, Strong)]),
            Verdict::Undetermined
        );
        assert_eq!(
            v(&[(Leak, Moderate), (MemoryHungry, Strong)]),
            Verdict::MemoryHungry
        );
        assert_eq!(
            v(&[(Leak, Moderate), (MemoryHungry, Weak)]),
            Verdict::PossibleLeak
        );
        assert_eq!(
            v(&[(Leak, Moderate), (MemoryHungry, Moderate)]),
            Verdict::Undetermined
        );
        assert_eq!(
            v(&[(MemoryHungry, Moderate), (Leak, Weak)]),
            Verdict::MemoryHungry
        );
        // A possible leak under the threshold is not a suspect.
        assert_eq!(
            judge(&cand(&[(Leak, Moderate)]), 500).0,
            Verdict::Undetermined
        );
        // Strong evidence needs no size.
        assert_eq!(judge(&cand(&[(Leak, Strong)]), 500).0, Verdict::Leak);
    }

    fn with_growth(growth: Strength, ev: &[(Supports, Strength)]) -> Verdict {
        let mut c = cand(ev);
        c.add(evidence(
            EvidenceName::Growth,
            Supports::Leak,
            growth,
            String::new(),
        ));
        judge(&c, 50).0
    }

    #[test]
    fn growth_decides_unless_weak() {
        use Strength::*;
        use Supports::*;
        // Growth at every step decides against a moderate sign of use.
        assert_eq!(
            with_growth(Moderate, &[(MemoryHungry, Moderate)]),
            Verdict::PossibleLeak
        );
        assert_eq!(
            with_growth(Strong, &[(MemoryHungry, Strong)]),
            Verdict::Leak
        );
        // Flat, then up: weighed with the rest.
        assert_eq!(
            with_growth(Weak, &[(MemoryHungry, Moderate)]),
            Verdict::MemoryHungry
        );
        assert_eq!(with_growth(Weak, &[]), Verdict::Undetermined);
        assert_eq!(with_growth(Weak, &[(Leak, Strong)]), Verdict::Leak);
    }
}
