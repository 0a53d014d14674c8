//! Blind validation set 126 (testdata/VALIDATION126.md), written during session 48 by a helper
//! that had not read the detector, and first measured with 500235d's rules: no healthy run
//! flagged; 8 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: windscreenrepairs-1 and -2 (one-shot escalation tasks of completed jobs in a
//! scheduled executor's queue, 9% and 28% of the heap: undetermined alone, a leak by the
//! series and in the last stage). dialysisunits has two more suspects inside the same leak (the
//! per-thread context's audit list and reads map). Asserted as first measured.

use crate::verdicts::{
    first, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_126_healthy() {
    no_suspects(&[
        "val126-healthy-fencingclubs-1.hprof",
        "val126-healthy-fencingclubs-2.hprof",
        "val126-healthy-fencingclubs.hprof",
        "val126-healthy-fencingclubs-parallel.jcmd.hprof",
        "val126-healthy-physioclinics.hprof",
        "val126-healthy-physioclinics-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val126-healthy-fencingclubs-1.hprof",
        "val126-healthy-fencingclubs-2.hprof",
        "val126-healthy-fencingclubs.hprof",
    ]);
}

#[test]
fn validation_set_126_leaks() {
    use LeakKind::{Collection, ScheduledTasks, Threadlocal, UnboundedMap};
    // Request contexts on 6 pool threads, never removed, accumulating audit events and reads.
    for name in [
        "val126-leak-dialysisunits.hprof",
        "val126-leak-dialysisunits-parallel.jcmd.hprof",
    ] {
        let r = leaks(&crate::common::analyse(name));
        let holder = "testdata.Val126LeakDialysisUnits$RequestContextHolder.CONTEXT (static)";
        first(&r, holder, Verdict::Leak, Threadlocal, 55_383);
        // As first measured, the contexts' audit list and reads map were two more suspects;
        // since session 49 they are parts of this one (nested.rs, tuned on
        // svc-leak-requestcontext-memo).
        assert_eq!(r.suspects.len(), 1, "{name}");
    }
    // One-shot escalation tasks of completed jobs left in the executor's queue.
    let queue = "testdata.Val126LeakWindscreenRepairs$DispatchService.escalations";
    for name in [
        "val126-leak-windscreenrepairs.hprof",
        "val126-leak-windscreenrepairs-serial.jcmd.hprof",
    ] {
        only_leak(name, queue, ScheduledTasks, 7_528);
    }
    only_leak_in_series(
        &[
            "val126-leak-windscreenrepairs-1.hprof",
            "val126-leak-windscreenrepairs-2.hprof",
            "val126-leak-windscreenrepairs.hprof",
        ],
        queue,
        ScheduledTasks,
        7_528,
    );
    // Missed as first measured: the first two stages alone. Since session 49 the second (28%
    // of the heap) is found: 2,536 of its 3,771 tasks belong to jobs completed long before
    // (outlived.rs, tuned on LockerHolds). The first, at 9%, is still no suspect.
    only_leak(
        "val126-leak-windscreenrepairs-2.hprof",
        queue,
        ScheduledTasks,
        3_771,
    );
    no_suspects(&["val126-leak-windscreenrepairs-1.hprof"]);
    // Metadata keyed by a design object parsed per order (identity keys).
    for name in [
        "val126-leak-celebrationcakes.hprof",
        "val126-leak-celebrationcakes-serial.hprof",
    ] {
        let holder = "testdata.Val126LeakCelebrationCakes$DesignAnnotations.metadata";
        only_leak(name, holder, UnboundedMap, 14_300);
    }
    // Sessions dropped on a retry path, never returned, tracked as leased.
    for name in [
        "val126-leak-chiptiming.hprof",
        "val126-leak-chiptiming-parallel.hprof",
    ] {
        let holder = "testdata.Val126LeakChipTiming$SessionPool.leased";
        only_leak(name, holder, Collection, 1_006);
    }
}
