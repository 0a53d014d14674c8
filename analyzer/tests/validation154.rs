//! Blind validation set 154 (testdata/VALIDATION154.md), written during session 56 by a helper
//! that had not read the detector, and first measured with 78661ac's rules: no healthy run
//! flagged; 7 of 11 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: evcharging-1, -2, final and -parallel in single dumps (an LRU's second index
//! by plate, never cleaned on eviction: its keys are short codes, memory-hungry), found by the
//! series' growth.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_154_healthy() {
    no_suspects(&[
        "val154-healthy-hotelconcierge-1.hprof",
        "val154-healthy-hotelconcierge-2.hprof",
        "val154-healthy-hotelconcierge.hprof",
        "val154-healthy-hotelconcierge-serial.jcmd.hprof",
        "val154-healthy-tollbridges.hprof",
        "val154-healthy-tollbridges-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val154-healthy-hotelconcierge-1.hprof",
        "val154-healthy-hotelconcierge-2.hprof",
        "val154-healthy-hotelconcierge.hprof",
    ]);
}

#[test]
fn validation_set_154_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // An LRU's second index, never cleaned when the LRU evicts: missed in single dumps.
    no_suspects(&[
        "val154-leak-evcharging-1.hprof",
        "val154-leak-evcharging-2.hprof",
        "val154-leak-evcharging.hprof",
        "val154-leak-evcharging-parallel.hprof",
    ]);
    only_leak_in_series(
        &[
            "val154-leak-evcharging-1.hprof",
            "val154-leak-evcharging-2.hprof",
            "val154-leak-evcharging.hprof",
        ],
        "testdata.Val154LeakEvCharging$DriverDirectory.byPlate",
        UnboundedMap,
        22_112,
    );
    // A recent-alerts list whose trim never fires.
    for name in [
        "val154-leak-serverrooms.hprof",
        "val154-leak-serverrooms-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val154LeakServerRooms$AlertBoard.recent";
        only_leak(name, holder, Collection, 14_901);
    }
    // Compiled scripts cached by a text that carries a timestamp.
    for name in [
        "val154-leak-loyaltypoints.hprof",
        "val154-leak-loyaltypoints-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val154LeakLoyaltyPoints$ScriptEngine.compiled";
        only_leak(name, holder, UnboundedMap, 8_634);
    }
    // Per-request observers removed through a different wrapper: none removed.
    for name in [
        "val154-leak-marathontracker.hprof",
        "val154-leak-marathontracker-serial.hprof",
    ] {
        let holder = "testdata.Val154LeakMarathonTracker$RaceFeed.observers";
        only_leak(name, holder, Collection, 18_016);
    }
}
