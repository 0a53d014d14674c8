//! Blind validation set 36 (testdata/VALIDATION36.md), written during session 21 by a helper
//! that had not read the detector, and first measured with 7b8d94b: 9 of 11 leak runs at #1
//! with the right holder, no healthy run flagged. Then: an unbounded FIFO queue whose entries
//! wait in queue order, the oldest for 30 minutes or more, has a backlog (moderate), and its
//! recent times are no sign of entries in use (tramnetwork-1 and -2: possible leaks).

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_36_healthy() {
    no_suspects(&[
        "val36-healthy-lighthouses-1.hprof",
        "val36-healthy-lighthouses-2.hprof",
        "val36-healthy-lighthouses.hprof",
        "val36-healthy-lighthouses-serial.jcmd.hprof",
        "val36-healthy-escaperooms.hprof",
        "val36-healthy-escaperooms-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val36-healthy-lighthouses-1.hprof",
        "val36-healthy-lighthouses-2.hprof",
        "val36-healthy-lighthouses.hprof",
    ]);
}

#[test]
fn validation_set_36_leaks() {
    use LeakKind::*;
    // A live consumer slower than its producer: a backlog in one dump, a leak by the ages of
    // its oldest entries from two hours, and by growth across the series.
    let ingest = "testdata.Val36LeakTramNetwork$PassengerInfoService.ingest";
    for (name, n) in [
        ("val36-leak-tramnetwork-1.hprof", 9_622),
        ("val36-leak-tramnetwork-2.hprof", 19_222),
    ] {
        let r = leaks(&analyse(name));
        first(&r, ingest, Verdict::PossibleLeak, Collection, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(
            r.suspects[0].explanation.contains("back-pressure"),
            "{name}"
        );
    }
    for name in [
        "val36-leak-tramnetwork.hprof",
        "val36-leak-tramnetwork-parallel.hprof",
    ] {
        only_leak(name, ingest, Collection, 38_422);
    }
    let r = series(&[
        "val36-leak-tramnetwork-1.hprof",
        "val36-leak-tramnetwork-2.hprof",
        "val36-leak-tramnetwork.hprof",
    ]);
    first(&r, ingest, Verdict::Leak, Collection, 38_422);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // Connection pools keyed by the request's full URL: a new pool per request.
    for name in [
        "val36-leak-pawnshops.hprof",
        "val36-leak-pawnshops-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val36LeakPawnShops$HttpClient.pools",
            UnboundedMap,
            1_801,
        );
    }
    // A WeakHashMap whose values hold their keys: nothing is ever removed.
    for name in [
        "val36-leak-hairsalons.hprof",
        "val36-leak-hairsalons-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val36LeakHairSalons$BookingApi.metadata",
            UnboundedMap,
            16_000,
        );
    }
    // Weak subscriptions never pruned once their targets are gone.
    for name in [
        "val36-leak-cinemas.hprof",
        "val36-leak-cinemas-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val36LeakCinemas$SeatEventHub.subscriptions",
            Collection,
            60_000,
        );
    }
}
