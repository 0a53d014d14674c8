//! Blind validation set 106 (testdata/VALIDATION106.md), written during session 42 by a helper
//! that had not read the detector, and first measured with affcc72's rules: 0 of 7 healthy runs
//! flagged; 10 of 11 leak runs found at #1. Missed: pianolessons-1 (17.1% of the heap, a
//! metrics registry with user-tagged meter names). Asserted as first measured, misses included.

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_106_healthy() {
    no_suspects(&[
        "val106-healthy-nordicskiing-1.hprof",
        "val106-healthy-nordicskiing-2.hprof",
        "val106-healthy-nordicskiing.hprof",
        "val106-healthy-nordicskiing-serial.jcmd.hprof",
        "val106-healthy-flourmills.hprof",
        "val106-healthy-flourmills-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val106-healthy-nordicskiing-1.hprof",
        "val106-healthy-nordicskiing-2.hprof",
        "val106-healthy-nordicskiing.hprof",
    ]);
}

#[test]
fn validation_set_106_leaks() {
    use LeakKind::{ClassGroup, Threads, UnboundedMap};
    // Meter names carrying the user id: one meter per student ever seen.
    let meters = "testdata.Val106LeakPianoLessons$MetricsRegistry.meters";
    missed_or_only("val106-leak-pianolessons-1.hprof", meters);
    for (name, n) in [
        ("val106-leak-pianolessons-2.hprof", 12_000),
        ("val106-leak-pianolessons.hprof", 24_000),
        ("val106-leak-pianolessons-serial.hprof", 24_000),
    ] {
        only_leak(name, meters, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val106-leak-pianolessons-1.hprof",
            "val106-leak-pianolessons-2.hprof",
            "val106-leak-pianolessons.hprof",
        ],
        meters,
        UnboundedMap,
        24_000,
    );
    // A WeakHashMap whose values hold their own keys.
    for name in [
        "val106-leak-ebooklending.hprof",
        "val106-leak-ebooklending-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val106LeakEbookLending$Tracer.traceByRequest";
        only_leak(name, holder, UnboundedMap, 16_000);
    }
    // Property-change listeners of closed views never removed.
    for name in [
        "val106-leak-fantasyfootball.hprof",
        "val106-leak-fantasyfootball-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val106LeakFantasyFootball$PlayerStats.changes";
        only_leak(name, holder, ClassGroup, 6_000);
    }
    // A writer thread per connection, parked for ever after the connection closed.
    for name in [
        "val106-leak-bridgeclub.hprof",
        "val106-leak-bridgeclub-parallel.hprof",
    ] {
        let holder = "testdata.Val106LeakBridgeClub$ClientConnection.<threads>";
        only_leak(name, holder, Threads, 700);
    }
}
