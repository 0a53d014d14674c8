//! Blind validation set 62 (testdata/VALIDATION62.md), written during session 34 by a helper
//! that had not read the detector, and first measured with be198c8's rules: 0 of 7 healthy
//! runs flagged; 7 of 11 leak runs found at #1 with the right holder. Missed: bridalshops x2 (a
//! logger per order; found since by the logger-name rule of session 34, not blind) and
//! weatherbuoys x2 (8 pooled StringBuilders never reset, each below the threshold).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_62_healthy() {
    no_suspects(&[
        "val62-healthy-sailingschools-1.hprof",
        "val62-healthy-sailingschools-2.hprof",
        "val62-healthy-sailingschools.hprof",
        "val62-healthy-sailingschools-serial.jcmd.hprof",
        "val62-healthy-flightschools.hprof",
        "val62-healthy-flightschools-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val62-healthy-sailingschools-1.hprof",
        "val62-healthy-sailingschools-2.hprof",
        "val62-healthy-sailingschools.hprof",
    ]);
}

#[test]
fn validation_set_62_leaks() {
    use LeakKind::UnboundedMap;
    // Snapshot lists of 1,500 aggregates appended to where the last should be replaced.
    let versions = "testdata.Val62LeakMushroomFarms$SnapshotRepository.versions";
    for name in [
        "val62-leak-mushroomfarms-1.hprof",
        "val62-leak-mushroomfarms-2.hprof",
        "val62-leak-mushroomfarms.hprof",
        "val62-leak-mushroomfarms-parallel.hprof",
    ] {
        only_leak(name, versions, UnboundedMap, 1_500);
    }
    only_leak_in_series(
        &[
            "val62-leak-mushroomfarms-1.hprof",
            "val62-leak-mushroomfarms-2.hprof",
            "val62-leak-mushroomfarms.hprof",
        ],
        versions,
        UnboundedMap,
        1_500,
    );
    // Read buffers kept by channel after the channel closed.
    for name in [
        "val62-leak-cablecars.hprof",
        "val62-leak-cablecars-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val62LeakCableCars$ReadBufferRegistry.buffers";
        only_leak(name, holder, UnboundedMap, 501);
    }
    // A logger per order, named by its id: a possible leak.
    for name in [
        "val62-leak-bridalshops.hprof",
        "val62-leak-bridalshops-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val62LeakBridalShops$LoggerRegistry.LOGGERS (static)",
            Verdict::PossibleLeak,
            LeakKind::StaticCollection,
            11_012,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed: 8 pooled line buffers never reset, each below the threshold.
    for name in [
        "val62-leak-weatherbuoys.hprof",
        "val62-leak-weatherbuoys-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
