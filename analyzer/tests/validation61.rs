//! Blind validation set 61 (testdata/VALIDATION61.md), written during session 34 by a helper
//! that had not read the detector, and first measured with be198c8's rules: 0 of 7 healthy
//! runs flagged; 11 of 11 leak runs found at #1 with the right holder, boatcharters-1 only by
//! reading a circuit breaker's `CLOSED` state as an end. Session 34 then stopped that reading
//! and found boatcharters-1 by its breakers' call counts (not blind).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Supports, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_61_healthy() {
    no_suspects(&[
        "val61-healthy-hostels-1.hprof",
        "val61-healthy-hostels-2.hprof",
        "val61-healthy-hostels.hprof",
        "val61-healthy-hostels-serial.jcmd.hprof",
        "val61-healthy-canoeclubs.hprof",
        "val61-healthy-canoeclubs-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val61-healthy-hostels-1.hprof",
        "val61-healthy-hostels-2.hprof",
        "val61-healthy-hostels.hprof",
    ]);
}

#[test]
fn validation_set_61_leaks() {
    use LeakKind::{Collection, Threadlocal, UnboundedMap};
    // A circuit-breaker registry keyed by the full request URL.
    let breakers = "testdata.Val61LeakBoatCharters$BreakerRegistry.breakers";
    for (name, n) in [
        ("val61-leak-boatcharters-2.hprof", 18_680),
        ("val61-leak-boatcharters.hprof", 35_819),
        ("val61-leak-boatcharters-parallel.hprof", 35_819),
    ] {
        let r = only_leak(name, breakers, UnboundedMap, n);
        // A breaker's CLOSED state is its working state, never evidence that its work is over.
        let ev = &r.suspects[0].evidence;
        assert!(
            !ev.iter().any(|e| e.name == EvidenceName::Finished),
            "{name}: {ev:?}"
        );
    }
    only_leak_in_series(
        &[
            "val61-leak-boatcharters-1.hprof",
            "val61-leak-boatcharters-2.hprof",
            "val61-leak-boatcharters.hprof",
        ],
        breakers,
        UnboundedMap,
        35_819,
    );
    // Latency windows whose trim compares two clocks, so nothing is dropped.
    for name in [
        "val61-leak-paddlecourts.hprof",
        "val61-leak-paddlecourts-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val61LeakPaddleCourts$LatencyWindow.samples";
        only_leak(name, holder, Collection, 72_000);
    }
    // A saga coordinator that removes only compensated sagas.
    for name in [
        "val61-leak-solarinstalls.hprof",
        "val61-leak-solarinstalls-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val61LeakSolarInstalls$SagaCoordinator.sagas";
        only_leak(name, holder, UnboundedMap, 9_216);
    }
    // Breadcrumbs appended to a ThreadLocal list on 4 pool threads, never cleared.
    for name in [
        "val61-leak-photobooths.hprof",
        "val61-leak-photobooths-serial.hprof",
    ] {
        let holder = "testdata.Val61LeakPhotoBooths.CRUMBS (static)";
        only_leak(name, holder, Threadlocal, 74_025);
    }
}

#[test]
fn validation_set_61_breakers_used_once() {
    // 2 h of traffic: the breakers' times span the length of a time window, but nearly every
    // one of the 9,640 counted at most 3 calls: keyed per request (a possible leak).
    let name = "val61-leak-boatcharters-1.hprof";
    let r = leaks(&analyse(name));
    first(
        &r,
        "testdata.Val61LeakBoatCharters$BreakerRegistry.breakers",
        Verdict::PossibleLeak,
        LeakKind::UnboundedMap,
        9_640,
    );
    assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    let ev = &r.suspects[0].evidence;
    assert!(
        ev.iter()
            .any(|e| e.name == EvidenceName::KeyShape && e.supports == Supports::Leak),
        "{ev:?}"
    );
}
