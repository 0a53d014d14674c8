//! Blind validation set 53 (testdata/VALIDATION53.md), written during session 32 by a helper
//! that had not read the detector, and first measured with ff7ef2f's rules: no healthy run
//! flagged; 11 of 11 leak runs found, 9 at #1 with the right holder (doggroomers' statements
//! came second, under a suspect for the pool that contains them). Session 32's rule for nested
//! suspects was written after that measurement, so the set is spent; what is asserted is the
//! result now.

use crate::verdicts::{
    first, first_as_one_of, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_53_healthy() {
    no_suspects(&[
        "val53-healthy-climbinggyms-1.hprof",
        "val53-healthy-climbinggyms-2.hprof",
        "val53-healthy-climbinggyms.hprof",
        "val53-healthy-climbinggyms-serial.jcmd.hprof",
        "val53-healthy-opticians.hprof",
        "val53-healthy-opticians-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val53-healthy-climbinggyms-1.hprof",
        "val53-healthy-climbinggyms-2.hprof",
        "val53-healthy-climbinggyms.hprof",
    ]);
}

#[test]
fn validation_set_53_leaks() {
    use LeakKind::{ClassGroup, Collection, Threadlocal, UnboundedMap};
    // Deliveries rejected for good, retried forever, in a queue per dealer.
    let queues = "testdata.Val53LeakAntiqueDealers$Dealer.retryQueue";
    // After the first 2 hours, about half the sampled deliveries were first tried over an hour
    // before the dump (61 of 109 in session 32's first generation; the rule wants half): found
    // in some generations, in others nothing (the fresh-clone CI of 04d997f), never anything
    // else.
    let r = leaks(&analyse("val53-leak-antiquedealers-1.hprof"));
    if !r.suspects.is_empty() {
        first_as_one_of(&r, queues, Verdict::Leak, &[Collection, ClassGroup], 943);
    }
    assert!(r.suspects.len() <= 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val53-leak-antiquedealers-2.hprof", 1_908),
        ("val53-leak-antiquedealers.hprof", 3_791),
        ("val53-leak-antiquedealers-parallel.jcmd.hprof", 3_791),
    ] {
        // `main` keeps the dealers in a local `Dealer[]` too: where its frame still holds that
        // array at the dump (one generation of the last stage on G1, session 32), the dealers'
        // map no longer dominates them, and the queues are found as a class group of the same
        // field with the same count.
        let r = leaks(&analyse(name));
        first_as_one_of(&r, queues, Verdict::Leak, &[Collection, ClassGroup], n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // The series is judged on its last dump, so the same holds for its kind.
    let r = series(&[
        "val53-leak-antiquedealers-1.hprof",
        "val53-leak-antiquedealers-2.hprof",
        "val53-leak-antiquedealers.hprof",
    ]);
    first_as_one_of(&r, queues, Verdict::Leak, &[Collection, ClassGroup], 3_791);
    assert_eq!(r.suspects.len(), 1, "series: {:?}", holders(&r));
    // Statements never closed, kept by the pooled connections: one suspect, the field, not
    // also the pool that holds the connections.
    for name in [
        "val53-leak-doggroomers.hprof",
        "val53-leak-doggroomers-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val53LeakDogGroomers$DbConnection.openStatements",
            Collection,
            9_920,
        );
    }
    // An audit batch per pool thread, never flushed.
    for name in [
        "val53-leak-tattoostudios.hprof",
        "val53-leak-tattoostudios-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val53LeakTattooStudios.AUDIT_BATCH (static)",
            Threadlocal,
            74_999,
        );
    }
    // Canonicalised header values that carry a per-request id: a possible leak.
    for name in [
        "val53-leak-surfschools.hprof",
        "val53-leak-surfschools-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val53LeakSurfSchools$HeaderCanonicalizer.pool",
            Verdict::PossibleLeak,
            UnboundedMap,
            58_247,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
