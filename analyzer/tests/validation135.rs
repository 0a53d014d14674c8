//! Blind validation set 135 (testdata/VALIDATION135.md), written during session 52 by a helper
//! that had not read the detector, and first measured with b3950f9's rules: no healthy run
//! flagged; 9 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: aprsgateway-1 (a rate limiter keyed by ephemeral connections, 2 h in: its
//! keys were added over less than the two hours a time window may span, undetermined).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_135_healthy() {
    no_suspects(&[
        "val135-healthy-sleddograces-1.hprof",
        "val135-healthy-sleddograces-2.hprof",
        "val135-healthy-sleddograces.hprof",
        "val135-healthy-sleddograces-parallel.jcmd.hprof",
        "val135-healthy-treeringlab.hprof",
        "val135-healthy-treeringlab-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val135-healthy-sleddograces-1.hprof",
        "val135-healthy-sleddograces-2.hprof",
        "val135-healthy-sleddograces.hprof",
    ]);
}

#[test]
fn validation_set_135_leaks() {
    use LeakKind::{StaticCollection, Threads, UnboundedMap};
    // A sliding-window rate limiter keyed by ephemeral connections, pruned only per key.
    let windows = "testdata.Val135LeakAprsGateway$SlidingWindowLimiter.windows";
    no_suspects(&["val135-leak-aprsgateway-1.hprof"]);
    for (name, entries) in [
        ("val135-leak-aprsgateway-2.hprof", 16_268),
        ("val135-leak-aprsgateway.hprof", 32_241),
        ("val135-leak-aprsgateway-serial.jcmd.hprof", 32_241),
    ] {
        only_leak(name, windows, UnboundedMap, entries);
    }
    only_leak_in_series(
        &[
            "val135-leak-aprsgateway-1.hprof",
            "val135-leak-aprsgateway-2.hprof",
            "val135-leak-aprsgateway.hprof",
        ],
        windows,
        UnboundedMap,
        32_241,
    );
    // A Hashtable of per-user Vectors that only grow (320 users).
    for name in [
        "val135-leak-coronercourt.hprof",
        "val135-leak-coronercourt-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val135LeakCoronerCourt$LegacyAuditLog.byUser (static)";
        only_leak(name, holder, StaticCollection, 320);
    }
    // A memo keyed by a record that includes the request's time: every lookup misses.
    for name in [
        "val135-leak-hospicecare.hprof",
        "val135-leak-hospicecare-serial.hprof",
    ] {
        let holder = "testdata.Val135LeakHospiceCare$CompatibilityChecker.memo";
        only_leak(name, holder, UnboundedMap, 36_000);
    }
    // Threads parked for ever on a latch the error path never counts down.
    for name in [
        "val135-leak-doorbellcams.jcmd.hprof",
        "val135-leak-doorbellcams-parallel.hprof",
    ] {
        let holder = "testdata.Val135LeakDoorbellCams$ClipFinalizer.<threads>";
        only_leak(name, holder, Threads, 304);
    }
}
