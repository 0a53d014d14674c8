//! Blind validation set 56 (testdata/VALIDATION56.md), written during session 33 by a helper
//! that had not read the detector, and first measured with f627954's rules (the first with the
//! `in-flight` evidence and the redelivery words of the removal counters, written before the
//! set was seen): 0 of 7 healthy runs flagged; 9 of 11 leak runs found at #1 with the right
//! holder. Missed: invoicescans x2, a static debug list of upload chunks with nothing but its
//! size to judge by (undetermined). Then (spent for it) entries with no time of their own are
//! dated by the records they reference (`evidence/wrapped.rs`): schoolmeals' dead letters are a
//! `leak` by their messages' times, not only a `possible-leak` by the owner's counters.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Strength, Supports, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_56_healthy() {
    no_suspects(&[
        "val56-healthy-kayakrentals-1.hprof",
        "val56-healthy-kayakrentals-2.hprof",
        "val56-healthy-kayakrentals.hprof",
        "val56-healthy-kayakrentals-serial.jcmd.hprof",
        "val56-healthy-pricecomparison.hprof",
        "val56-healthy-pricecomparison-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val56-healthy-kayakrentals-1.hprof",
        "val56-healthy-kayakrentals-2.hprof",
        "val56-healthy-kayakrentals.hprof",
    ]);
    // A fan-out batch of 3,495 calls in flight: named and counted like a leak, but its calls
    // were all sent seconds ago.
    let r = leaks(&analyse("val56-healthy-pricecomparison.hprof"));
    let pending = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "pending"))
        .expect("the pending calls among the big retainers");
    assert_eq!(pending.verdict, Verdict::Undetermined);
    assert!(pending
        .evidence
        .iter()
        .any(|e| e.name == EvidenceName::EntryAges
            && e.supports == Supports::MemoryHungry
            && e.strength == Strength::Moderate));
}

#[test]
fn validation_set_56_leaks() {
    use LeakKind::{Threads, UnboundedMap};
    // Claims awaiting the payer's reply, never removed when paid; no time in them.
    let awaiting = "testdata.Val56LeakPharmacyClaims$PayerLink.awaitingReply";
    for (name, n) in [
        ("val56-leak-pharmacyclaims-1.hprof", 5_551),
        ("val56-leak-pharmacyclaims-2.hprof", 11_022),
        ("val56-leak-pharmacyclaims.hprof", 22_063),
        ("val56-leak-pharmacyclaims-parallel.hprof", 22_063),
    ] {
        let r = leaks(&analyse(name));
        first(&r, awaiting, Verdict::PossibleLeak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val56-leak-pharmacyclaims-1.hprof",
        "val56-leak-pharmacyclaims-2.hprof",
        "val56-leak-pharmacyclaims.hprof",
    ]);
    first(&r, awaiting, Verdict::Leak, UnboundedMap, 22_063);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // A quarantine store never replayed: its owner counts every addition, `replayed` is 0. On
    // G1 the messages it wraps may also show they were failed over 10 h, in the heap order of
    // the entries (`message.at`, one reference away): a leak when G1 kept that order, which it
    // does in some generations of the dump and not in others (session 36's regenerated dump
    // did not); the serial dump's heap order does not follow them, and a LinkedHashMap is not
    // sampled in its own order.
    let quarantine = "testdata.Val56LeakSchoolMeals$QuarantineStore.byMessageId";
    let r = leaks(&analyse("val56-leak-schoolmeals.hprof"));
    let verdict = r.suspects.first().map_or(Verdict::Leak, |s| s.verdict);
    assert!(
        matches!(verdict, Verdict::Leak | Verdict::PossibleLeak),
        "{verdict:?}"
    );
    first(&r, quarantine, verdict, UnboundedMap, 4_954);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    let r = leaks(&analyse("val56-leak-schoolmeals-serial.jcmd.hprof"));
    first(&r, quarantine, Verdict::PossibleLeak, UnboundedMap, 4_954);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // A java.util.Timer per captured payment, never cancelled: 1,400 live timer threads.
    for name in [
        "val56-leak-taximeters.hprof",
        "val56-leak-taximeters-parallel.jcmd.hprof",
    ] {
        only_leak(name, "java.lang.Thread.<threads>", Threads, 1_400);
    }
}

#[test]
fn validation_set_56_debug_chunks_undetermined() {
    // A static list of upload chunk copies with nothing to judge by but its size: one dump
    // cannot tell, and says so.
    for name in [
        "val56-leak-invoicescans.hprof",
        "val56-leak-invoicescans-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = r
            .top_retainers
            .iter()
            .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "DEBUG_CHUNKS"))
            .expect("the debug chunks among the big retainers");
        assert_eq!(t.verdict, Verdict::Undetermined);
        assert!(r.advice.as_deref().unwrap_or("").contains("second dump"));
    }
}
