//! Blind validation set 81 (testdata/VALIDATION81.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 0e71674's rules: 3 of 7 healthy
//! runs flagged (cycleraces-2, its last dump and its series: top-100 lists per race, kept at
//! `TOP = 100`, judged by their reads' ages); 10 of 11 leak runs found, arcadescores' last dump
//! and series with the service object holding the boards as #1 and `Board.scores` as #2.
//! Missed: arcadescores-1 (2.4% of the heap). Session 35 then took a constant named like the
//! holder field for a list cap, and dropped a single-object suspect whose entries another
//! suspect holds (spent for cycleraces and arcadescores).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_81_healthy() {
    no_suspects(&[
        "val81-healthy-cycleraces-1.hprof",
        "val81-healthy-cycleraces-2.hprof",
        "val81-healthy-cycleraces.hprof",
        "val81-healthy-cycleraces-serial.jcmd.hprof",
        "val81-healthy-ferryterminals.hprof",
        "val81-healthy-ferryterminals-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val81-healthy-cycleraces-1.hprof",
        "val81-healthy-cycleraces-2.hprof",
        "val81-healthy-cycleraces.hprof",
    ]);
}

#[test]
fn validation_set_81_leaks() {
    use LeakKind::{Collection, ScheduledTasks, UnboundedMap};
    let scores = "testdata.Val81LeakArcadeScores$Board.scores";
    for (name, n) in [
        ("val81-leak-arcadescores-2.hprof", 120_000),
        ("val81-leak-arcadescores.hprof", 240_000),
        ("val81-leak-arcadescores-parallel.hprof", 240_000),
    ] {
        only_leak(name, scores, Collection, n);
    }
    only_leak_in_series(
        &[
            "val81-leak-arcadescores-1.hprof",
            "val81-leak-arcadescores-2.hprof",
            "val81-leak-arcadescores.hprof",
        ],
        scores,
        Collection,
        240_000,
    );
    for name in [
        "val81-leak-posterminals.hprof",
        "val81-leak-posterminals-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val81LeakPosTerminals$Gateway.health";
        only_leak(name, holder, ScheduledTasks, 36_000);
    }
    for name in [
        "val81-leak-newspaywall.hprof",
        "val81-leak-newspaywall-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val81LeakNewsPaywall$UserAgents.canonical";
        first(&r, holder, Verdict::PossibleLeak, UnboundedMap, 65_181);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    for name in [
        "val81-leak-librarykiosks.hprof",
        "val81-leak-librarykiosks-serial.hprof",
    ] {
        let holder = "testdata.Val81LeakLibraryKiosks$HoldEvents.listeners";
        only_leak(name, holder, Collection, 28_000);
    }
    let r = leaks(&analyse("val81-leak-arcadescores-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
