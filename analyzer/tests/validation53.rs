//! Blind validation set 53 (testdata/VALIDATION53.md), written during session 32 by a helper
//! that had not read the detector, and first measured with ff7ef2f's rules: no healthy run
//! flagged; 11 of 11 leak runs found, 9 at #1 with the right holder (doggroomers' statements
//! came second, under a suspect for the pool that contains them). Session 32's rule for nested
//! suspects was written after that measurement, so the set is spent; what is asserted is the
//! result now.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
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
    use LeakKind::{Collection, Threadlocal, UnboundedMap};
    // Deliveries rejected for good, retried forever, in a queue per dealer.
    let queues = "testdata.Val53LeakAntiqueDealers$Dealer.retryQueue";
    for (name, n) in [
        ("val53-leak-antiquedealers-1.hprof", 943),
        ("val53-leak-antiquedealers-2.hprof", 1_908),
        ("val53-leak-antiquedealers.hprof", 3_791),
        ("val53-leak-antiquedealers-parallel.jcmd.hprof", 3_791),
    ] {
        only_leak(name, queues, Collection, n);
    }
    only_leak_in_series(
        &[
            "val53-leak-antiquedealers-1.hprof",
            "val53-leak-antiquedealers-2.hprof",
            "val53-leak-antiquedealers.hprof",
        ],
        queues,
        Collection,
        3_791,
    );
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
