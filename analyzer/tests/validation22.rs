//! Blind validation set 22 (testdata/VALIDATION22.md), written in session 16 by a helper that
//! had not read the detector, and first measured with 502a9c4, that session's rules before the
//! futures rule (the session-start binary 9ec7d84 gave the same lines): 0 of 6 healthy dumps
//! and 0 of 1 healthy series flagged; the leak found at #1 in 4 of 11 leak runs (the Timer per
//! connection under a field on the path to the leaked connections, with two more suspects of
//! the same leak; the subList podiums under the archive); the never-completing future and the
//! stuck single-thread executor missed. Session 16's rules for dependents stacked on a future
//! that has not completed and for tasks that waited in a work queue for hours found both in
//! every dump (spent): 11 of 11.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_22_healthy() {
    no_suspects(&[
        "val22-healthy-seismology-1.hprof",
        "val22-healthy-seismology-2.hprof",
        "val22-healthy-seismology.hprof",
        "val22-healthy-seismology-parallel.jcmd.hprof",
        "val22-healthy-railsignals.hprof",
        "val22-healthy-railsignals-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val22-healthy-seismology-1.hprof",
        "val22-healthy-seismology-2.hprof",
        "val22-healthy-seismology.hprof",
    ]);
}

#[test]
fn validation_set_22_future_that_never_completes() {
    use LeakKind::*;
    use Verdict::*;
    // One thenRun per request on a leader-election future that never completes: exactly
    // 3,000 / 6,000 / 12,000 dependents (the truth table's counts).
    let future = "testdata.Val22LeakClinicalTrials$RandomizationService.leaderElected";
    for (name, n) in [
        ("val22-leak-clinicaltrials-1.hprof", 3_000),
        ("val22-leak-clinicaltrials-2.hprof", 6_000),
        ("val22-leak-clinicaltrials.hprof", 12_000),
        ("val22-leak-clinicaltrials-serial.jcmd.hprof", 12_000),
    ] {
        let r = leaks(&analyse(name));
        first(&r, future, Leak, Listeners, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(
            r.suspects[0].explanation.contains("Complete the future"),
            "{name}"
        );
    }
    let r = series(&[
        "val22-leak-clinicaltrials-1.hprof",
        "val22-leak-clinicaltrials-2.hprof",
        "val22-leak-clinicaltrials.hprof",
    ]);
    first(&r, future, Leak, Listeners, 12_000);
}

#[test]
fn validation_set_22_timers_sublists_and_a_stuck_executor() {
    use LeakKind::*;
    use Verdict::*;
    // A Timer per connection never cancelled: 1,200 of 1,350 leaked.
    for name in [
        "val22-leak-chessclub.hprof",
        "val22-leak-chessclub-serial.hprof",
    ] {
        // One suspect: the Timer threads, named by the field that keeps the Timers, with the
        // class groups their Timers keep (the tasks, the connections they capture) absorbed.
        let r = leaks(&analyse(name));
        let timers = "testdata.Val22LeakChessClub$Connection.keepAliveTimer";
        first(&r, timers, Leak, Threads, 1_350);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(r.suspects[0].share > 0.2, "{name}: {}", r.suspects[0].share);
    }
    // subList podiums keeping whole standings lists: the archive of 1,500 finished matches.
    for name in [
        "val22-leak-esports.hprof",
        "val22-leak-esports-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let archive = "testdata.Val22LeakEsportsLeague$ResultsArchive.finished";
        first(&r, archive, Leak, Collection, 1_500);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A single-thread executor whose worker is parked forever: 6,000 queued tasks, the
    // scans they capture made over 8 hours (first measured: missed; a `collection` until
    // session 47, a `work-queue` since).
    for name in [
        "val22-leak-postalsorting.hprof",
        "val22-leak-postalsorting-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let writer = "testdata.Val22LeakPostalSorting$SortingService.indexWriter";
        first(&r, writer, Leak, WorkQueue, 6_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(
            r.suspects[0].explanation.contains("Find what blocks"),
            "{name}"
        );
    }
}
