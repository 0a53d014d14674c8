//! Blind validation set 148 (testdata/VALIDATION148.md), written during session 55 by a helper
//! that had not read the detector, and first measured with 7815d31's rules (session 54's and the
//! dead-task evidence): no healthy run flagged; all 11 leak runs and the leak series flagged
//! with the right holder at #1, all as leaks.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_148_healthy() {
    no_suspects(&[
        "val148-healthy-kitefestivals-1.hprof",
        "val148-healthy-kitefestivals-2.hprof",
        "val148-healthy-kitefestivals.hprof",
        "val148-healthy-kitefestivals-serial.jcmd.hprof",
        "val148-healthy-maplesyrup.hprof",
        "val148-healthy-maplesyrup-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val148-healthy-kitefestivals-1.hprof",
        "val148-healthy-kitefestivals-2.hprof",
        "val148-healthy-kitefestivals.hprof",
    ]);
}

#[test]
fn validation_set_148_leaks() {
    use LeakKind::{Collection, Listeners, Threads, UnboundedMap};
    // PropertyChangeSupport listeners of closed bidder views, two per view.
    let changes = "testdata.Val148LeakTimberAuctions$PriceBoard.changes";
    for (name, n) in [
        ("val148-leak-timberauctions-1.hprof", 6_000),
        ("val148-leak-timberauctions-2.hprof", 12_000),
        ("val148-leak-timberauctions.hprof", 24_000),
        ("val148-leak-timberauctions-parallel.hprof", 24_000),
    ] {
        only_leak(name, changes, Listeners, n);
    }
    only_leak_in_series(
        &[
            "val148-leak-timberauctions-1.hprof",
            "val148-leak-timberauctions-2.hprof",
            "val148-leak-timberauctions.hprof",
        ],
        changes,
        Listeners,
        24_000,
    );
    // A thread per request waiting for ever on a webhook that never comes.
    for name in [
        "val148-leak-courtinterpreters.hprof",
        "val148-leak-courtinterpreters-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val148LeakCourtInterpreters$ConfirmationWaiter.<threads>";
        only_leak(name, holder, Threads, 900);
    }
    // An unbounded queue whose only consumer died.
    for name in [
        "val148-leak-beehivescales.hprof",
        "val148-leak-beehivescales-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val148LeakBeehiveScales$TelemetryUplink.outbox";
        only_leak(name, holder, Collection, 138_422);
    }
    // A WeakHashMap whose values hold their own keys.
    for name in [
        "val148-leak-astrophotos.hprof",
        "val148-leak-astrophotos-serial.hprof",
    ] {
        let holder = "testdata.Val148LeakAstroPhotos$ImagePipeline.calibrations";
        only_leak(name, holder, UnboundedMap, 9_600);
    }
}
