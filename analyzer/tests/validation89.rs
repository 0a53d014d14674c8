//! Blind validation set 89 (testdata/VALIDATION89.md), written during session 37 by a helper
//! that had not read the detector, and first measured with 99bbaec's rules plus the stale-lock
//! evidence: 0 of 7 healthy runs flagged; 9 of 11 leak runs found at #1. Missed: request
//! timeouts cancelled but kept in a `ScheduledThreadPoolExecutor`'s queue (idverification x2:
//! the executor's `decorateTask` wraps each task, and the wrapper was not recognised as one).
//! Session 37 then read the task a wrapper delegates to (spent for idverification); the rest is
//! asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_89_healthy() {
    no_suspects(&[
        "val89-healthy-carehomes-1.hprof",
        "val89-healthy-carehomes-2.hprof",
        "val89-healthy-carehomes.hprof",
        "val89-healthy-carehomes-serial.jcmd.hprof",
        "val89-healthy-bandrehearsal.hprof",
        "val89-healthy-bandrehearsal-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val89-healthy-carehomes-1.hprof",
        "val89-healthy-carehomes-2.hprof",
        "val89-healthy-carehomes.hprof",
    ]);
}

#[test]
fn validation_set_89_leaks() {
    use LeakKind::{Collection, ScheduledTasks, StaticCollection};
    let outbox = "testdata.Val89LeakConcreteBatching$Outbox.messages";
    for (name, n) in [
        ("val89-leak-concretebatching-1.hprof", 12_000),
        ("val89-leak-concretebatching-2.hprof", 24_000),
        ("val89-leak-concretebatching.hprof", 48_000),
        ("val89-leak-concretebatching-parallel.hprof", 48_000),
    ] {
        only_leak(name, outbox, Collection, n);
    }
    only_leak_in_series(
        &[
            "val89-leak-concretebatching-1.hprof",
            "val89-leak-concretebatching-2.hprof",
            "val89-leak-concretebatching.hprof",
        ],
        outbox,
        Collection,
        48_000,
    );
    for name in [
        "val89-leak-councilminutes.hprof",
        "val89-leak-councilminutes-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val89LeakCouncilMinutes$LineIndex.BY_TERM (static)";
        only_leak(name, holder, StaticCollection, 2_500);
    }
    for name in [
        "val89-leak-idverification.hprof",
        "val89-leak-idverification-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val89LeakIdVerification$TimeoutScheduler.workQueue";
        only_leak(name, holder, ScheduledTasks, 9_001);
    }
    for name in [
        "val89-leak-skiphire.hprof",
        "val89-leak-skiphire-serial.hprof",
    ] {
        let holder = "testdata.Val89LeakSkipHire$PooledConnection.prepareTraces";
        only_leak(name, holder, Collection, 7_018);
    }
}
