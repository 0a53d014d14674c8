//! Blind validation set 96 (testdata/VALIDATION96.md), written during session 38 by a helper
//! that had not read the detector, and first measured with e008c9d's rules: 0 of 7 healthy runs
//! flagged; 6 of 11 leak runs found at #1. Missed: charityraffles-1 (the 2 h stage, 8.5% of the
//! heap), per-user recent-search lists past their cap (holidaylets x2) and abandoned uploads'
//! chunks (dentallabs x2). Asserted as first measured, misses included.

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_96_healthy() {
    no_suspects(&[
        "val96-healthy-lockkeepers-1.hprof",
        "val96-healthy-lockkeepers-2.hprof",
        "val96-healthy-lockkeepers.hprof",
        "val96-healthy-lockkeepers-serial.jcmd.hprof",
        "val96-healthy-hopfarms.hprof",
        "val96-healthy-hopfarms-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val96-healthy-lockkeepers-1.hprof",
        "val96-healthy-lockkeepers-2.hprof",
        "val96-healthy-lockkeepers.hprof",
    ]);
}

#[test]
fn validation_set_96_leaks() {
    use LeakKind::{Classloaders, ScheduledTasks};
    let retries = "testdata.Val96LeakCharityRaffles$WebhookDispatcher.retryScheduler";
    for (name, n) in [
        ("val96-leak-charityraffles-2.hprof", 1_235),
        ("val96-leak-charityraffles.hprof", 2_420),
        ("val96-leak-charityraffles-serial.hprof", 2_420),
    ] {
        only_leak(name, retries, ScheduledTasks, n);
    }
    only_leak_in_series(
        &[
            "val96-leak-charityraffles-1.hprof",
            "val96-leak-charityraffles-2.hprof",
            "val96-leak-charityraffles.hprof",
        ],
        retries,
        ScheduledTasks,
        2_420,
    );
    for name in [
        "val96-leak-tenderportal.hprof",
        "val96-leak-tenderportal-parallel.hprof",
    ] {
        let holder = "testdata.Val96LeakTenderPortal$RenderMetrics.RENDERERS (static)";
        only_leak(name, holder, Classloaders, 640);
    }
    // Missed as first measured.
    missed_or_only("val96-leak-charityraffles-1.hprof", retries);
    no_suspects(&[
        "val96-leak-holidaylets.hprof",
        "val96-leak-holidaylets-parallel.jcmd.hprof",
        "val96-leak-dentallabs.hprof",
        "val96-leak-dentallabs-serial.jcmd.hprof",
    ]);
}
