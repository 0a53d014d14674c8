//! Blind validation set 114 (testdata/VALIDATION114.md), written during session 44 by a helper
//! that had not read the detector, and first measured with f76198b's rules: 3 of 7 healthy runs
//! flagged (triathlons -2, last and -parallel.jcmd: a correction history trimmed to its cap
//! every five minutes, judged a leak by its idle entries); 11 of 11 leak runs found at #1
//! (colocation-1 a possible leak). Asserted as first measured, except triathlons: spent in
//! session 44 (a cap constant of the enclosing class named for the elements, on TaxiFares).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_114_healthy() {
    no_suspects(&[
        "val114-healthy-triathlons-1.hprof",
        "val114-healthy-triathlons-2.hprof",
        "val114-healthy-triathlons.hprof",
        "val114-healthy-triathlons-parallel.jcmd.hprof",
        "val114-healthy-snowmaking.hprof",
        "val114-healthy-snowmaking-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val114-healthy-triathlons-1.hprof",
        "val114-healthy-triathlons-2.hprof",
        "val114-healthy-triathlons.hprof",
    ]);
}

#[test]
fn validation_set_114_leaks() {
    use LeakKind::{ScheduledTasks, StaticCollection, Threads, UnboundedMap};
    // An autosave task per session on a shared scheduler, never cancelled.
    for name in [
        "val114-leak-theorytests.hprof",
        "val114-leak-theorytests-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val114LeakTheoryTests$Platform.SCHEDULER (static)";
        only_leak(name, holder, ScheduledTasks, 6_203);
    }
    // A static access history whose trim works on a copy.
    let history = "testdata.Val114LeakColocation$AccessAudit.HISTORY (static)";
    only_possible_leak(
        "val114-leak-colocation-1.hprof",
        history,
        StaticCollection,
        20_000,
    );
    for (name, n) in [
        ("val114-leak-colocation-2.hprof", 40_000),
        ("val114-leak-colocation.hprof", 80_000),
        ("val114-leak-colocation-serial.hprof", 80_000),
    ] {
        only_leak(name, history, StaticCollection, n);
    }
    only_leak_in_series(
        &[
            "val114-leak-colocation-1.hprof",
            "val114-leak-colocation-2.hprof",
            "val114-leak-colocation.hprof",
        ],
        history,
        StaticCollection,
        80_000,
    );
    // A thread per batch blocked for ever on a latch the manual path never counts down.
    for name in [
        "val114-leak-soillabs.hprof",
        "val114-leak-soillabs-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val114LeakSoilLabs$AssayRunner.<threads>";
        only_leak(name, holder, Threads, 666);
    }
    // In-flight top-ups not removed when the operator rejects them.
    for name in [
        "val114-leak-mobiletopups.hprof",
        "val114-leak-mobiletopups-parallel.hprof",
    ] {
        let holder = "testdata.Val114LeakMobileTopUps$TopUpProcessor.inFlight";
        only_leak(name, holder, UnboundedMap, 8_358);
    }
}
