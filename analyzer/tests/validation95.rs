//! Blind validation set 95 (testdata/VALIDATION95.md), written during session 38 by a helper
//! that had not read the detector, and first measured with e008c9d's rules: 0 of 7 healthy runs
//! flagged; 8 of 11 leak runs found at #1. Missed: timesheethooks-1 (the 2-day stage, 16% of
//! the heap) and the quote memo keyed with the request time (printquotes x2, undetermined).
//! Asserted as first measured, misses included.

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
    only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_95_healthy() {
    no_suspects(&[
        "val95-healthy-fishmarkets-1.hprof",
        "val95-healthy-fishmarkets-2.hprof",
        "val95-healthy-fishmarkets.hprof",
        "val95-healthy-fishmarkets-serial.jcmd.hprof",
        "val95-healthy-bottlebanks.hprof",
        "val95-healthy-bottlebanks-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val95-healthy-fishmarkets-1.hprof",
        "val95-healthy-fishmarkets-2.hprof",
        "val95-healthy-fishmarkets.hprof",
    ]);
}

#[test]
fn validation_set_95_leaks() {
    use LeakKind::{Collection, Listeners, UnboundedMap};
    let subscriptions = "testdata.Val95LeakTimesheetHooks$Tenant.subscriptions";
    for (name, n) in [
        ("val95-leak-timesheethooks-2.hprof", 21_560),
        ("val95-leak-timesheethooks.hprof", 40_694),
        ("val95-leak-timesheethooks-parallel.hprof", 40_694),
    ] {
        only_leak(name, subscriptions, Collection, n);
    }
    only_leak_in_series(
        &[
            "val95-leak-timesheethooks-1.hprof",
            "val95-leak-timesheethooks-2.hprof",
            "val95-leak-timesheethooks.hprof",
        ],
        subscriptions,
        Collection,
        40_694,
    );
    for name in [
        "val95-leak-fleetreports.hprof",
        "val95-leak-fleetreports-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val95LeakFleetReports$FleetEventBus.listeners";
        only_leak(name, holder, Listeners, 6_003);
    }
    for name in [
        "val95-leak-wineclub.hprof",
        "val95-leak-wineclub-serial.hprof",
    ] {
        let holder = "testdata.Val95LeakWineClub$Fulfilment.orderLocks";
        only_possible_leak(name, holder, UnboundedMap, 100_000);
    }
    // Missed as first measured.
    missed_or_only("val95-leak-timesheethooks-1.hprof", subscriptions);
    no_suspects(&[
        "val95-leak-printquotes.hprof",
        "val95-leak-printquotes-serial.jcmd.hprof",
    ]);
}
