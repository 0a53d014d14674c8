//! Blind validation set 50 (testdata/VALIDATION50.md), written during session 29 by a helper
//! that had not read the detector (it saw the subjects of main's five newest commits), and first
//! measured with 6c47181's rules: no healthy run flagged; 3 of 11 leak runs at #1 with the right
//! holder; the misses leave the leaking holder undetermined, first of the big retainers. Session
//! 30's unshared-keys evidence was written after looking at cartwrights and typesetters (spent).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
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
    // Event lists never truncated after snapshots, over a fixed 1,200 aggregates. Since
    // session 31 (lists inside an undetermined map are judged; cheesemakers spent for it) the
    // events' own ages make each dump of 4 h or more a leak; stage 1 stays undetermined.
    let events = "testdata.Val50LeakCheesemakers$AccountStream.events";
    let r = leaks(&analyse("val50-leak-cheesemakers-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    only_leak(
        "val50-leak-cheesemakers-2.hprof",
        events,
        LeakKind::Collection,
        24_000,
    );
    for name in [
        "val50-leak-cheesemakers.hprof",
        "val50-leak-cheesemakers-parallel.jcmd.hprof",
    ] {
        only_leak(name, events, LeakKind::Collection, 48_000);
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
    // A reused exporter's visited map never cleared (spent in session 30 on the unshared-keys
    // evidence): the exported orders and lines are keys only the identity map holds, exactly
    // the truth's 12,000 + 35,750; the dealers and parts among its keys are shared.
    for name in [
        "val50-leak-cartwrights.hprof",
        "val50-leak-cartwrights-parallel.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val50LeakCartwrights$GraphExporter.visited",
            LeakKind::UnboundedMap,
            58_232,
        );
        assert!(
            r.suspects[0].evidence.iter().any(|e| e
                .detail
                .starts_with("47,750 of its 58,232 keys are held by nothing")),
            "{name}: {:?}",
            r.suspects[0].evidence
        );
        // The table's odd slots are the values (the export's reference numbers), its even
        // slots the keys: the sampled entries are values only.
        let classes: Vec<&str> = r.suspects[0]
            .element_classes
            .iter()
            .map(|c| c.class.as_str())
            .collect();
        assert_eq!(classes, ["java.lang.Integer"], "{name}");
    }
    // A canonicalizer fed per-request referrers (spent in session 30): a pool of its own keys
    // whose copies nothing else references, a possible leak; the access-log ring shares the
    // referrers of its last requests and the user agents.
    for name in [
        "val50-leak-typesetters.hprof",
        "val50-leak-typesetters-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val50LeakTypesetters$HeaderCanonicalizer.pool",
            Verdict::PossibleLeak,
            LeakKind::UnboundedMap,
            35_212,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(
            r.suspects[0].evidence.iter().any(|e| e
                .detail
                .contains("nothing else references 32,288 of its 35,212 canonical copies")),
            "{name}: {:?}",
            r.suspects[0].evidence
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
