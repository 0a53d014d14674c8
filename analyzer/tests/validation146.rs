//! Blind validation set 146 (testdata/VALIDATION146.md), written during session 54 by a helper
//! that had not read the detector, and first measured with 1b89ce4's rules and the executor
//! name families: no healthy run flagged; 4 of 10 leak runs and the leak series flagged with
//! the right holder at #1, 2 as leaks, 2 as possible leaks. Missed: lacrosseleagues x4 in
//! single dumps (a map of 22 to 106 retry chains growing in depth) and ukuleletabs x2 (per-user
//! skip-list windows whose trim removes nothing).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_146_healthy() {
    no_suspects(&[
        "val146-healthy-rodeos-1.hprof",
        "val146-healthy-rodeos-2.hprof",
        "val146-healthy-rodeos.hprof",
        "val146-healthy-rodeos-parallel.jcmd.hprof",
        "val146-healthy-tofufactories.hprof",
        "val146-healthy-tofufactories-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val146-healthy-rodeos-1.hprof",
        "val146-healthy-rodeos-2.hprof",
        "val146-healthy-rodeos.hprof",
    ]);
}

#[test]
fn validation_set_146_leaks() {
    use LeakKind::{Classloaders, StaticCollection, UnboundedMap};
    // Retry chains of poison messages, one attempt longer each round: missed in single dumps.
    let latest = "testdata.Val146LeakLacrosseLeagues$StatsSyndication.latestAttempt";
    no_suspects(&[
        "val146-leak-lacrosseleagues-1.hprof",
        "val146-leak-lacrosseleagues-2.hprof",
        "val146-leak-lacrosseleagues.hprof",
        "val146-leak-lacrosseleagues-serial.jcmd.hprof",
    ]);
    only_leak_in_series(
        &[
            "val146-leak-lacrosseleagues-1.hprof",
            "val146-leak-lacrosseleagues-2.hprof",
            "val146-leak-lacrosseleagues.hprof",
        ],
        latest,
        UnboundedMap,
        106,
    );
    // A JDBC driver registered per plugin reload, never deregistered: the loaders stay. Until
    // session 54 the count was one vendor's group of loaders (31); since session 55 the four
    // vendors' generations add up (tuned on EtlConnectors leak-vendors after looking at this
    // count, which is spent): 123 loaders (truth 119 retired of 123).
    for name in [
        "val146-leak-hydrogenstations.hprof",
        "val146-leak-hydrogenstations-parallel.jcmd.hprof",
    ] {
        let holder = "java.sql.DriverManager.registeredDrivers (static)";
        only_leak(name, holder, Classloaders, 123);
    }
    // Per-user rate windows never trimmed: missed.
    no_suspects(&[
        "val146-leak-ukuleletabs.hprof",
        "val146-leak-ukuleletabs-serial.hprof",
    ]);
    // A static string interner fed a unique request id per order.
    for name in [
        "val146-leak-dumplingbars.jcmd.hprof",
        "val146-leak-dumplingbars-parallel.hprof",
    ] {
        let holder = "testdata.Val146LeakDumplingBars$HeaderCanon.canonical (static)";
        only_possible_leak(name, holder, StaticCollection, 84_442);
    }
}
