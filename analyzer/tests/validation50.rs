//! Blind validation set 50 (testdata/VALIDATION50.md), written during session 29 by a helper
//! that had not read the detector (it saw the subjects of main's five newest commits), and first
//! measured with 6c47181's rules: no healthy run flagged; 3 of 11 leak runs at #1 with the right
//! holder; the misses leave the leaking holder undetermined, first of the big retainers. No rule
//! has been written for it.

use crate::verdicts::{
    leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, retainer,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_50_healthy() {
    no_suspects(&[
        "val50-healthy-curriers-1.hprof",
        "val50-healthy-curriers-2.hprof",
        "val50-healthy-curriers.hprof",
        "val50-healthy-curriers-serial.jcmd.hprof",
        "val50-healthy-joiners.hprof",
        "val50-healthy-joiners-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val50-healthy-curriers-1.hprof",
        "val50-healthy-curriers-2.hprof",
        "val50-healthy-curriers.hprof",
    ]);
}

#[test]
fn validation_set_50_as_first_measured() {
    // Event lists never truncated after snapshots, over a fixed 1,200 aggregates: undetermined
    // in one dump, a leak by growth over the series.
    for name in [
        "val50-leak-cheesemakers-1.hprof",
        "val50-leak-cheesemakers-2.hprof",
        "val50-leak-cheesemakers.hprof",
        "val50-leak-cheesemakers-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}");
        let t = retainer(&r, "testdata.Val50LeakCheesemakers$Projection", "streams");
        assert_eq!((t.verdict, t.entries), (Verdict::Undetermined, Some(1_200)));
    }
    only_leak_in_series(
        &[
            "val50-leak-cheesemakers-1.hprof",
            "val50-leak-cheesemakers-2.hprof",
            "val50-leak-cheesemakers.hprof",
        ],
        "testdata.Val50LeakCheesemakers$AccountStream.events",
        LeakKind::Collection,
        48_000,
    );
    // A canonicalizer fed per-request referrers, and a reused exporter's visited map: missed,
    // undetermined.
    for (name, class, field, n) in [
        (
            "val50-leak-typesetters.hprof",
            "testdata.Val50LeakTypesetters$HeaderCanonicalizer",
            "pool",
            35_212,
        ),
        (
            "val50-leak-typesetters-serial.hprof",
            "testdata.Val50LeakTypesetters$HeaderCanonicalizer",
            "pool",
            35_212,
        ),
        (
            "val50-leak-cartwrights.hprof",
            "testdata.Val50LeakCartwrights$GraphExporter",
            "visited",
            58_232,
        ),
        (
            "val50-leak-cartwrights-parallel.jcmd.hprof",
            "testdata.Val50LeakCartwrights$GraphExporter",
            "visited",
            58_232,
        ),
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}");
        let t = retainer(&r, class, field);
        assert_eq!(
            (t.verdict, t.entries),
            (Verdict::Undetermined, Some(n)),
            "{name}"
        );
    }
    // A ThreadLocal cache on a fixed pool of 4 threads, never cleared.
    for name in [
        "val50-leak-beadmakers.hprof",
        "val50-leak-beadmakers-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val50LeakBeadmakers.LOOKUPS (static)",
            LeakKind::Threadlocal,
            80_002,
        );
    }
}
