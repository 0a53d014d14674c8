//! Blind validation set 152 (testdata/VALIDATION152.md), written during session 56 by a helper
//! that had not read the detector, and first measured with 278d87e's rules: no healthy run
//! flagged; all 11 leak runs and the leak series flagged with the right holder at #1 (7 as
//! leaks, 4 as possible leaks).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_152_healthy() {
    no_suspects(&[
        "val152-healthy-paddlesteamers-1.hprof",
        "val152-healthy-paddlesteamers-2.hprof",
        "val152-healthy-paddlesteamers.hprof",
        "val152-healthy-paddlesteamers-serial.jcmd.hprof",
        "val152-healthy-loftconversions.hprof",
        "val152-healthy-loftconversions-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val152-healthy-paddlesteamers-1.hprof",
        "val152-healthy-paddlesteamers-2.hprof",
        "val152-healthy-paddlesteamers.hprof",
    ]);
}

#[test]
fn validation_set_152_leaks() {
    use LeakKind::{Collection, Executors, ScheduledTasks, UnboundedMap};
    // A metrics registry tagged with a customer id: one timer per customer.
    let timers = "testdata.Val152LeakPetFoodSubs$MetricsRegistry.timers";
    for (name, n) in [
        ("val152-leak-petfoodsubs-1.hprof", 4_989),
        ("val152-leak-petfoodsubs-2.hprof", 9_973),
        ("val152-leak-petfoodsubs.hprof", 19_917),
        ("val152-leak-petfoodsubs-parallel.hprof", 19_917),
    ] {
        only_possible_leak(name, timers, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val152-leak-petfoodsubs-1.hprof",
            "val152-leak-petfoodsubs-2.hprof",
            "val152-leak-petfoodsubs.hprof",
        ],
        timers,
        UnboundedMap,
        19_917,
    );
    // Session timeouts cancelled without the remove-on-cancel policy: still queued.
    for name in [
        "val152-leak-scooterrides.hprof",
        "val152-leak-scooterrides-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val152LeakScooterRides$TracingScheduler.workQueue";
        only_leak(name, holder, ScheduledTasks, 12_000);
    }
    // An executor per batch, never shut down.
    for name in [
        "val152-leak-pcbassembly.hprof",
        "val152-leak-pcbassembly-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val152LeakPcbAssembly$LineController.<executors>";
        only_leak(name, holder, Executors, 600);
    }
    // Inner-class listeners of closed screens on a shared rate board.
    for name in [
        "val152-leak-bureaudechange.hprof",
        "val152-leak-bureaudechange-serial.hprof",
    ] {
        let holder = "testdata.Val152LeakBureauDeChange$RateBoard.listeners";
        only_leak(name, holder, Collection, 9_000);
    }
}
