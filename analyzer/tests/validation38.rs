//! Blind validation set 38 (testdata/VALIDATION38.md), written during session 23 by a helper
//! that had not read the detector, and first measured with 4f8d31b: 5 of 11 leak runs at #1
//! with the right holder, no healthy run flagged. Then: expired entries under keys numbered in
//! the order they expire (`hold-4400123`) are events, not a directory's members (pianotuners).
//! kitchenfitters' sessions, all touched by a stats reporter a minute before the dump, are
//! found only by the series.

use crate::verdicts::{first, no_suspects, no_suspects_in_series, only_leak, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_38_healthy() {
    no_suspects(&[
        "val38-healthy-glassblowers-1.hprof",
        "val38-healthy-glassblowers-2.hprof",
        "val38-healthy-glassblowers.hprof",
        "val38-healthy-glassblowers-serial.jcmd.hprof",
        "val38-healthy-saddlery.hprof",
        "val38-healthy-saddlery-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val38-healthy-glassblowers-1.hprof",
        "val38-healthy-glassblowers-2.hprof",
        "val38-healthy-glassblowers.hprof",
    ]);
}

#[test]
fn validation_set_38_leaks() {
    use LeakKind::*;
    // A TTL sweep that stops at the first unexpired hold: expired holds under event-numbered keys.
    for name in [
        "val38-leak-pianotuners.hprof",
        "val38-leak-pianotuners-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val38LeakPianoTuners$HoldCache.holds",
            UnboundedMap,
            16_939,
        );
    }
    // Cleaner actions that capture the object they clean: nothing is ever cleaned.
    for name in [
        "val38-leak-signmakers.hprof",
        "val38-leak-signmakers-parallel.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val38LeakSignMakers$RasterService.cleaner",
            CleanerCaptures,
            9_744,
        );
    }
    // An array FIFO whose taken slots are never cleared.
    for name in [
        "val38-leak-upholsterers.hprof",
        "val38-leak-upholsterers-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val38LeakUpholsterers$JobQueue.items",
            ClassGroup,
            20_000,
        );
    }
    // Sessions kept "active" by the reporter's get(): one dump cannot tell, the series can.
    let r = series(&[
        "val38-leak-kitchenfitters-1.hprof",
        "val38-leak-kitchenfitters-2.hprof",
        "val38-leak-kitchenfitters.hprof",
    ]);
    first(
        &r,
        "testdata.Val38LeakKitchenFitters$IdleSessionCache.sessions",
        Verdict::PossibleLeak,
        UnboundedMap,
        7_500,
    );
    assert_eq!(r.suspects.len(), 1);
}
