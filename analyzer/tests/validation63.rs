//! Blind validation set 63 (testdata/VALIDATION63.md), written during session 34 by a helper
//! that had not read the detector, and first measured with be198c8's rules: 0 of 7 healthy
//! runs flagged; 9 of 11 leak runs found at #1 with the right holder. Missed: shiftplanner x2
//! (host pools whose times are in their lists of idle connections; found since by the list
//! times of session 34, not blind).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_63_healthy() {
    no_suspects(&[
        "val63-healthy-coachtours-1.hprof",
        "val63-healthy-coachtours-2.hprof",
        "val63-healthy-coachtours.hprof",
        "val63-healthy-coachtours-serial.jcmd.hprof",
        "val63-healthy-allotments.hprof",
        "val63-healthy-allotments-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val63-healthy-coachtours-1.hprof",
        "val63-healthy-coachtours-2.hprof",
        "val63-healthy-coachtours.hprof",
    ]);
}

#[test]
fn validation_set_63_leaks() {
    use LeakKind::{Collection, Listeners, UnboundedMap};
    // Callbacks chained on a readiness future that never completes.
    let ready = "testdata.Val63LeakCharterFlights$QuoteService.fareIndexReady";
    for (name, n) in [
        ("val63-leak-charterflights-1.hprof", 6_000),
        ("val63-leak-charterflights-2.hprof", 12_000),
        ("val63-leak-charterflights.hprof", 24_000),
        ("val63-leak-charterflights-parallel.hprof", 24_000),
    ] {
        only_leak(name, ready, Listeners, n);
    }
    only_leak_in_series(
        &[
            "val63-leak-charterflights-1.hprof",
            "val63-leak-charterflights-2.hprof",
            "val63-leak-charterflights.hprof",
        ],
        ready,
        Listeners,
        24_000,
    );
    // Disposed subscriptions never removed from their composite.
    for name in [
        "val63-leak-marketstalls.hprof",
        "val63-leak-marketstalls-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val63LeakMarketStalls$CompositeDisposable.resources";
        only_leak(name, holder, Collection, 30_000);
    }
    // A keep-alive pool per webhook host that never evicts idle connections: dated by the
    // times of the idle connections each host pool lists.
    for name in [
        "val63-leak-shiftplanner.hprof",
        "val63-leak-shiftplanner-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val63LeakShiftPlanner$HttpClient.pools";
        only_leak(name, holder, UnboundedMap, 7_076);
    }
    // A lease tracker that records a Throwable per acquire and never drops it.
    for name in [
        "val63-leak-radioplayout.hprof",
        "val63-leak-radioplayout-serial.hprof",
    ] {
        let holder = "testdata.Val63LeakRadioPlayout$FramePool.outstanding";
        only_leak(name, holder, UnboundedMap, 12_000);
    }
}
