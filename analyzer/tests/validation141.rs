//! Blind validation set 141 (testdata/VALIDATION141.md), written during session 53 by a helper
//! that had not read the detector, and first measured with 3412067's rules: no healthy run
//! flagged; 4 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: axethrowing-1, -2, final and -serial in single dumps (a map of closed
//! sessions whose periodic trim threw once and was cancelled for good: undetermined), found by
//! the series' growth; crystallography x2 (a `NotificationListener` per job on the JVM's GC
//! bean, never removed: the bean's `ListenerInfo` wrappers are a collection of JDK objects,
//! undetermined). Since session 53 a JMX emitter's listener list is a listener registry whose
//! `ListenerInfo`s are unwrapped (tuned on RenderFarmWatch after looking at crystallography,
//! which is spent): crystallography x2 are leaks. Since session 55 a periodic task that died
//! of an exception is evidence (dead-task, tuned on SkateHireDesk after axethrowing's miss,
//! which is spent): axethrowing x4 are leaks in single dumps.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_141_healthy() {
    no_suspects(&[
        "val141-healthy-floattanks-1.hprof",
        "val141-healthy-floattanks-2.hprof",
        "val141-healthy-floattanks.hprof",
        "val141-healthy-floattanks-parallel.jcmd.hprof",
        "val141-healthy-lidarsurveys.hprof",
        "val141-healthy-lidarsurveys-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val141-healthy-floattanks-1.hprof",
        "val141-healthy-floattanks-2.hprof",
        "val141-healthy-floattanks.hprof",
    ]);
}

#[test]
fn validation_set_141_leaks() {
    use LeakKind::{Classloaders, Listeners, StaticCollection, UnboundedMap};
    // Closed sessions whose trim task died: undetermined in one dump before session 55, now
    // a leak by the dead task (its exception's stack ties the trimmer that holds the map);
    // this miss motivated the dead-task evidence (tuned on SkateHireDesk), so it is spent.
    let closed = "testdata.Val141LeakAxeThrowing$LaneService.closed";
    for (name, n) in [
        ("val141-leak-axethrowing-1.hprof", 2_723),
        ("val141-leak-axethrowing-2.hprof", 5_729),
        ("val141-leak-axethrowing.hprof", 11_758),
        ("val141-leak-axethrowing-serial.jcmd.hprof", 11_758),
    ] {
        only_leak(name, closed, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val141-leak-axethrowing-1.hprof",
            "val141-leak-axethrowing-2.hprof",
            "val141-leak-axethrowing.hprof",
        ],
        "testdata.Val141LeakAxeThrowing$LaneService.closed",
        UnboundedMap,
        11_758,
    );
    // A WeakHashMap whose values hold their keys.
    for name in [
        "val141-leak-billboards.hprof",
        "val141-leak-billboards-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val141LeakBillboards$RequestMetadataFilter.CACHE (static)";
        only_leak(name, holder, StaticCollection, 8_738);
    }
    // A class loader per macro evaluation, kept by a static cache.
    for name in [
        "val141-leak-virtualtabletop.hprof",
        "val141-leak-virtualtabletop-serial.hprof",
    ] {
        let holder = "testdata.Val141LeakVirtualTabletop$MacroRuntime.LOADED (static)";
        only_leak(name, holder, Classloaders, 2_149);
    }
    // A GC notification listener per job, never removed.
    for name in [
        "val141-leak-crystallography.jcmd.hprof",
        "val141-leak-crystallography-parallel.hprof",
    ] {
        let holder = "testdata.Val141LeakCrystallography$RefinementService.gcBean";
        only_leak(name, holder, Listeners, 4_201);
    }
}
