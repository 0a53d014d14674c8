//! Blind validation set 125 (testdata/VALIDATION125.md), written during session 48 by a helper
//! that had not read the detector, and first measured with 500235d's rules: no healthy run
//! flagged; 10 of 10 leak runs and the leak series flagged with the right holder at #1, 9 of
//! them as leaks (weddingvenues-1, 2 h into the series: a possible leak). Asserted as first
//! measured.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_125_healthy() {
    no_suspects(&[
        "val125-healthy-pickyourown-1.hprof",
        "val125-healthy-pickyourown-2.hprof",
        "val125-healthy-pickyourown.hprof",
        "val125-healthy-pickyourown-parallel.jcmd.hprof",
        "val125-healthy-physioclinics.hprof",
        "val125-healthy-physioclinics-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val125-healthy-pickyourown-1.hprof",
        "val125-healthy-pickyourown-2.hprof",
        "val125-healthy-pickyourown.hprof",
    ]);
}

#[test]
fn validation_set_125_leaks() {
    use LeakKind::{Listeners, StaticCollection, Threads, UnboundedMap};
    // Rendered result pages keyed by the query string, no bound or expiry.
    let cache = "testdata.Val125LeakWeddingVenues$VenueSearch.resultCache";
    only_possible_leak(
        "val125-leak-weddingvenues-1.hprof",
        cache,
        UnboundedMap,
        2_672,
    );
    for (name, n) in [
        ("val125-leak-weddingvenues-2.hprof", 5_342),
        ("val125-leak-weddingvenues.hprof", 10_736),
        ("val125-leak-weddingvenues-serial.jcmd.hprof", 10_736),
    ] {
        only_leak(name, cache, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val125-leak-weddingvenues-1.hprof",
            "val125-leak-weddingvenues-2.hprof",
            "val125-leak-weddingvenues.hprof",
        ],
        cache,
        UnboundedMap,
        10_736,
    );
    // Every failed bike release kept in a static list nothing trims.
    for name in [
        "val125-leak-cyclehire.hprof",
        "val125-leak-cyclehire-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val125LeakCycleHire$DockDiagnostics.RECENT_FAILURES (static)";
        only_leak(name, holder, StaticCollection, 9_975);
    }
    // A listener per long poll whose Subscription handle is dropped, never closed.
    for name in [
        "val125-leak-dartsleague.hprof",
        "val125-leak-dartsleague-serial.hprof",
    ] {
        let holder = "testdata.Val125LeakDartsLeague$ScoreFeed.registrations";
        only_leak(name, holder, Listeners, 19_510);
    }
    // A watchdog thread per mastering job, waiting for ever on a latch.
    for name in [
        "val125-leak-audiobooks.hprof",
        "val125-leak-audiobooks-parallel.hprof",
    ] {
        let holder = "testdata.Val125LeakAudiobooks$MasteringService.<threads>";
        only_leak(name, holder, Threads, 725);
    }
}
