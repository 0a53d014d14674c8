//! Blind validation set 84 (testdata/VALIDATION84.md), written during session 36 by a helper
//! that had not read the detector, and first measured with session 35's final rules: 0 of 7
//! healthy runs flagged; 5 of 11 leak runs found at #1. Missed: the emptied per-order topic
//! sets of a broker (bubbletea x4, undetermined; its series found it) and the past-due
//! reminders left in a due-time index (plantcare x2). Session 36 then took a map of 1,000
//! collections or more, two thirds of the sampled ones empty, and a time-ordered map with keys
//! an hour or more past beside keys still to come, for moderate evidence (spent for both).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_84_healthy() {
    no_suspects(&[
        "val84-healthy-foodbank-1.hprof",
        "val84-healthy-foodbank-2.hprof",
        "val84-healthy-foodbank.hprof",
        "val84-healthy-foodbank-serial.jcmd.hprof",
        "val84-healthy-recordingstudios.hprof",
        "val84-healthy-recordingstudios-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val84-healthy-foodbank-1.hprof",
        "val84-healthy-foodbank-2.hprof",
        "val84-healthy-foodbank.hprof",
    ]);
}

#[test]
fn validation_set_84_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    let topics = "testdata.Val84LeakBubbleTea$Broker.topics";
    for (name, n) in [
        ("val84-leak-bubbletea-1.hprof", 6_900),
        ("val84-leak-bubbletea-2.hprof", 12_900),
        ("val84-leak-bubbletea.hprof", 24_900),
        ("val84-leak-bubbletea-parallel.hprof", 24_900),
    ] {
        only_possible_leak(name, topics, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val84-leak-bubbletea-1.hprof",
            "val84-leak-bubbletea-2.hprof",
            "val84-leak-bubbletea.hprof",
        ],
        topics,
        UnboundedMap,
        24_900,
    );
    for name in [
        "val84-leak-plantcare.hprof",
        "val84-leak-plantcare-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val84LeakPlantCare$ReminderIndex.byDue";
        only_possible_leak(name, holder, UnboundedMap, 25_844);
    }
    for name in [
        "val84-leak-travelinsurance.hprof",
        "val84-leak-travelinsurance-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val84LeakTravelInsurance$PremiumCalculator.memo";
        only_leak(name, holder, UnboundedMap, 40_000);
    }
    for name in [
        "val84-leak-firmwareota.hprof",
        "val84-leak-firmwareota-serial.hprof",
    ] {
        let holder = "testdata.Val84LeakFirmwareOta$BufferPool.inUse";
        only_leak(name, holder, Collection, 623);
    }
}
