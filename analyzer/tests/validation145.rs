//! Blind validation set 145 (testdata/VALIDATION145.md), written during session 54 by a helper
//! that had not read the detector, and first measured with 1b89ce4's rules and the executor
//! name families: no healthy run flagged; 6 of 10 leak runs and the leak series flagged with
//! the right holder at #1, 4 as leaks, 2 as possible leaks. Missed: lacrosseleagues x4 in
//! single dumps (an LRU comparing its size with its byte budget: judged an LRU cache). Since
//! session 54 a byte budget is no entry cap: leaks by `maxEntries` exceeded (spent).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_145_healthy() {
    no_suspects(&[
        "val145-healthy-mahjongclubs-1.hprof",
        "val145-healthy-mahjongclubs-2.hprof",
        "val145-healthy-mahjongclubs.hprof",
        "val145-healthy-mahjongclubs-parallel.jcmd.hprof",
        "val145-healthy-bobsleightracks.hprof",
        "val145-healthy-bobsleightracks-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val145-healthy-mahjongclubs-1.hprof",
        "val145-healthy-mahjongclubs-2.hprof",
        "val145-healthy-mahjongclubs.hprof",
    ]);
}

#[test]
fn validation_set_145_leaks() {
    use LeakKind::{Buffer, Collection, ScheduledTasks, UnboundedMap};
    // A session LRU whose removeEldestEntry compares size() with its byte budget.
    let sessions = "testdata.Val145LeakLacrosseLeagues$PortalService.sessions";
    for (name, n) in [
        ("val145-leak-lacrosseleagues-1.hprof", 4_526),
        ("val145-leak-lacrosseleagues-2.hprof", 8_937),
        ("val145-leak-lacrosseleagues.hprof", 17_734),
        ("val145-leak-lacrosseleagues-serial.jcmd.hprof", 17_734),
    ] {
        only_leak(name, sessions, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val145-leak-lacrosseleagues-1.hprof",
            "val145-leak-lacrosseleagues-2.hprof",
            "val145-leak-lacrosseleagues.hprof",
        ],
        sessions,
        UnboundedMap,
        17_734,
    );
    // Cancelled six-hour timeouts left in a scheduler's queue (no remove-on-cancel).
    for name in [
        "val145-leak-hackathons.hprof",
        "val145-leak-hackathons-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val145LeakHackathons$TracingScheduler.workQueue";
        only_leak(name, holder, ScheduledTasks, 9_779);
    }
    // A replication ObjectOutputStream never reset: its handle table keeps every record.
    for name in [
        "val145-leak-rodeoscoring.hprof",
        "val145-leak-rodeoscoring-serial.hprof",
    ] {
        let holder = "testdata.Val145LeakRodeoScoring$StandbyReplicator.out";
        only_leak(name, holder, Collection, 167_511);
    }
    // One audit StringBuilder flushed at a line count it had already passed.
    for name in [
        "val145-leak-transplantwaitlist.hprof",
        "val145-leak-transplantwaitlist-parallel.hprof",
    ] {
        let holder = "testdata.Val145LeakTransplantWaitlist$AuditTrail.pending";
        only_possible_leak(name, holder, Buffer, 12_388_071);
    }
}
