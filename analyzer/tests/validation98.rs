//! Blind validation set 98 (testdata/VALIDATION98.md), written during session 39 by a helper
//! that had not read the detector, and first measured with f30714b's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1 (the 2 h stage and the class-loader leak, through
//! the root logger's handler list, as possible leaks). Asserted as first measured.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_98_healthy() {
    no_suspects(&[
        "val98-healthy-lecturestreams-1.hprof",
        "val98-healthy-lecturestreams-2.hprof",
        "val98-healthy-lecturestreams.hprof",
        "val98-healthy-lecturestreams-serial.jcmd.hprof",
        "val98-healthy-radarmosaics.hprof",
        "val98-healthy-radarmosaics-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val98-healthy-lecturestreams-1.hprof",
        "val98-healthy-lecturestreams-2.hprof",
        "val98-healthy-lecturestreams.hprof",
    ]);
}

#[test]
fn validation_set_98_leaks() {
    use LeakKind::{Listeners, ScheduledTasks, UnboundedMap};
    let sessions = "testdata.Val98LeakFishingLicences$SessionStore.sessions";
    only_possible_leak(
        "val98-leak-fishinglicences-1.hprof",
        sessions,
        UnboundedMap,
        4_000,
    );
    for (name, n) in [
        ("val98-leak-fishinglicences-2.hprof", 8_000),
        ("val98-leak-fishinglicences.hprof", 16_000),
        ("val98-leak-fishinglicences-serial.hprof", 16_000),
    ] {
        only_leak(name, sessions, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val98-leak-fishinglicences-1.hprof",
            "val98-leak-fishinglicences-2.hprof",
            "val98-leak-fishinglicences.hprof",
        ],
        sessions,
        UnboundedMap,
        16_000,
    );
    for name in [
        "val98-leak-harbourdues.hprof",
        "val98-leak-harbourdues-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val98LeakHarbourDues$PortSettings.changes";
        only_leak(name, holder, Listeners, 6_055);
    }
    for name in [
        "val98-leak-cricketscores.hprof",
        "val98-leak-cricketscores-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val98LeakCricketScores$ScoreService.pusher";
        only_leak(name, holder, ScheduledTasks, 10_000);
    }
    for name in [
        "val98-leak-addressrules.hprof",
        "val98-leak-addressrules-parallel.hprof",
    ] {
        let holder = "testdata.Val98LeakAddressRules$PackAddressRules.audit";
        only_possible_leak(name, holder, Listeners, 41);
    }
}
