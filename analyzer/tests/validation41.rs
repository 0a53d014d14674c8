//! Blind validation set 41 (testdata/VALIDATION41.md), written during session 24 by a helper
//! that had not read the detector, and first measured with b90e420's rules: 4 of 11 leak runs
//! at #1 with the right holder (chandlers-2, stage 3, -parallel and the series), no healthy run
//! flagged. Then (session 24): an application's own hash table whose count is far below its
//! filled slots (luthiers), cancelled tasks left in a `java.util.Timer`'s queue (cobblers), and
//! sub-list views kept in a field of many objects (cidermakers). Still missed: chandlers-1,
//! where the parked movements are under two hours old.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_41_healthy() {
    no_suspects(&[
        "val41-healthy-milliners-1.hprof",
        "val41-healthy-milliners-2.hprof",
        "val41-healthy-milliners.hprof",
        "val41-healthy-milliners-serial.jcmd.hprof",
        "val41-healthy-tailors.hprof",
        "val41-healthy-tailors-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val41-healthy-milliners-1.hprof",
        "val41-healthy-milliners-2.hprof",
        "val41-healthy-milliners.hprof",
    ]);
}

/// The suspect's entries left behind, as estimated.
fn left(r: &analyzer::leaks::LeakReport) -> u64 {
    r.suspects[0]
        .left_behind
        .as_ref()
        .expect("left behind")
        .estimate
}

#[test]
fn validation_set_41_leaks() {
    use LeakKind::*;
    // An open-addressing table whose remove() marks the slot deleted but keeps the ticket.
    for name in [
        "val41-leak-luthiers.hprof",
        "val41-leak-luthiers-serial.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val41LeakLuthiers$RepairIndex.values",
            ClassGroup,
            9_128,
        );
        assert_eq!(left(&r), 6_782, "{name}: the collected tickets");
    }
    // Each tank's history "trimmed" to a subList view that keeps its whole backing list.
    for name in [
        "val41-leak-cidermakers.hprof",
        "val41-leak-cidermakers-parallel.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val41LeakCidermakers$Tank.gravityReadings",
            Collection,
            36_811,
        );
        assert_eq!(
            left(&r),
            25_291,
            "{name}: the readings hidden behind the views"
        );
        assert!(
            r.suspects[0]
                .explanation
                .contains("(in 960 objects, one each)"),
            "{name}: one view per tank: {}",
            r.suspects[0].explanation
        );
    }
    // Cancelled TimerTasks left in the timer's queue until their run time, a week ahead.
    for name in [
        "val41-leak-cobblers.hprof",
        "val41-leak-cobblers-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val41LeakCobblers$RepairService.holdTimer",
            ScheduledTasks,
            8_924,
        );
    }
    // Out-of-order movements parked for a gap that never fills, per port. Every port's
    // buffer counted since session 48 (2,383; 2,380 in the six growing ones, counted alone
    // before, when they were big enough to be judged on their own).
    let holder = "testdata.Val41LeakChandlers$MovementSequencer.pendingByPort";
    only_leak("val41-leak-chandlers-2.hprof", holder, UnboundedMap, 2_383);
    for name in [
        "val41-leak-chandlers.hprof",
        "val41-leak-chandlers-parallel.jcmd.hprof",
    ] {
        only_leak(name, holder, UnboundedMap, 4_742);
    }
    only_leak_in_series(
        &[
            "val41-leak-chandlers-1.hprof",
            "val41-leak-chandlers-2.hprof",
            "val41-leak-chandlers.hprof",
        ],
        holder,
        UnboundedMap,
        4_742,
    );
}
