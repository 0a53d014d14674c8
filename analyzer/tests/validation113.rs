//! Blind validation set 113 (testdata/VALIDATION113.md), written during session 44 by a helper
//! that had not read the detector, and first measured with f76198b's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1. Asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_113_healthy() {
    no_suspects(&[
        "val113-healthy-heritagerailway-1.hprof",
        "val113-healthy-heritagerailway-2.hprof",
        "val113-healthy-heritagerailway.hprof",
        "val113-healthy-heritagerailway-parallel.jcmd.hprof",
        "val113-healthy-woolmills.hprof",
        "val113-healthy-woolmills-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val113-healthy-heritagerailway-1.hprof",
        "val113-healthy-heritagerailway-2.hprof",
        "val113-healthy-heritagerailway.hprof",
    ]);
}

#[test]
fn validation_set_113_leaks() {
    use LeakKind::{Listeners, OpenResources, Threadlocal, UnboundedMap};
    // A listener lambda per live-map session on the fleet event bus, never unsubscribed.
    for name in [
        "val113-leak-wintergritting.hprof",
        "val113-leak-wintergritting-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val113LeakWinterGritting$FleetEventBus.subscribers";
        only_leak(name, holder, Listeners, 16_001);
    }
    // Each pool worker's audit batch in a ThreadLocal, shipped but never cleared.
    for name in [
        "val113-leak-animalmovements.hprof",
        "val113-leak-animalmovements-serial.hprof",
    ] {
        let holder = "testdata.Val113LeakAnimalMovements$MovementAuditor.pending";
        only_leak(name, holder, Threadlocal, 77_550);
    }
    // A price memo keyed by a class without equals/hashCode.
    let memo = "testdata.Val113LeakLaserCutting$QuoteEngine.memo";
    for (name, n) in [
        ("val113-leak-lasercutting-1.hprof", 12_000),
        ("val113-leak-lasercutting-2.hprof", 24_000),
        ("val113-leak-lasercutting.hprof", 48_000),
        ("val113-leak-lasercutting-serial.jcmd.hprof", 48_000),
    ] {
        only_leak(name, memo, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val113-leak-lasercutting-1.hprof",
            "val113-leak-lasercutting-2.hprof",
            "val113-leak-lasercutting.hprof",
        ],
        memo,
        UnboundedMap,
        48_000,
    );
    // Decode sessions holding an Inflater, registered and never closed on one path.
    for name in [
        "val113-leak-crashreports.hprof",
        "val113-leak-crashreports-parallel.hprof",
    ] {
        let holder = "testdata.Val113LeakCrashReports$ReportDecoder.openSessions";
        only_leak(name, holder, OpenResources, 8_862);
    }
}
