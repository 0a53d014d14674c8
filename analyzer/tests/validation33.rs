//! Blind validation set 33 (testdata/VALIDATION33.md), written during session 20 by a helper
//! that had not read the detector, and first measured with 34b6f1d: 3 of 11 leak runs at #1
//! with the right holder (the parked threads, the telemetry buffers' series), no healthy run
//! flagged. Then: a `PropertyChangeSupport`'s listeners are judged as a listener registry, and
//! listeners kept by the registry alone with the object each belongs to are lapsed
//! (floorplans); one buffer per entry of a collection is a candidate of its own, judged by the
//! timestamped lines of its buffers (reeferfleet). Still missed: the first telemetry stage
//! (under the threshold) and the weighed cache's zero-weight entries (judged an LRU).

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Verdict};

#[test]
fn validation_set_33_healthy() {
    no_suspects(&[
        "val33-healthy-hydroponics-1.hprof",
        "val33-healthy-hydroponics-2.hprof",
        "val33-healthy-hydroponics.hprof",
        "val33-healthy-hydroponics-serial.jcmd.hprof",
        "val33-healthy-skatingrinks.hprof",
        "val33-healthy-skatingrinks-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val33-healthy-hydroponics-1.hprof",
        "val33-healthy-hydroponics-2.hprof",
        "val33-healthy-hydroponics.hprof",
    ]);
}

#[test]
fn validation_set_33_leaks() {
    use LeakKind::*;
    // Listeners of closed sessions left in the settings' PropertyChangeSupport.
    for name in [
        "val33-leak-floorplans.hprof",
        "val33-leak-floorplans-serial.jcmd.hprof",
    ] {
        let changes = "testdata.Val33LeakFloorPlans$WorkspaceSettings.changes";
        let r = only_leak(name, changes, Listeners, 7_289);
        let lapsed = r.suspects[0]
            .evidence
            .iter()
            .find(|e| e.name == EvidenceName::LapsedListeners)
            .unwrap_or_else(|| panic!("{name}: {:?}", r.suspects[0].evidence));
        assert!(lapsed
            .detail
            .contains("EditorSession each belongs to (through session)"));
    }
    // A thread per request parked forever on a latch.
    for name in [
        "val33-leak-passportoffice.hprof",
        "val33-leak-passportoffice-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val33LeakPassportOffice.<threads>",
            Threads,
            360,
        );
    }
    // One telemetry buffer per device, never shipped: exactly the bytes buffered.
    let buffer = "testdata.Val33LeakReeferFleet$DeviceBatch.buffer";
    for (name, bytes) in [
        ("val33-leak-reeferfleet-2.hprof", 4_421_207),
        ("val33-leak-reeferfleet.hprof", 8_863_032),
        ("val33-leak-reeferfleet-parallel.hprof", 8_863_032),
    ] {
        let r = leaks(&analyse(name));
        first(&r, buffer, Verdict::PossibleLeak, Buffer, bytes);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert_eq!(r.suspects[0].evidence[0].name, EvidenceName::AppendedLines);
    }
    let r = series(&[
        "val33-leak-reeferfleet-1.hprof",
        "val33-leak-reeferfleet-2.hprof",
        "val33-leak-reeferfleet.hprof",
    ]);
    first(&r, buffer, Verdict::Leak, Buffer, 8_863_032);
    // The first stage: since session 31 the buffers inside an undetermined map are judged.
    let r = leaks(&analyse("val33-leak-reeferfleet-1.hprof"));
    first(&r, buffer, Verdict::PossibleLeak, Buffer, 2_201_187);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // Missed: the zero-weight cache entries.
    for name in [
        "val33-leak-sheetmusic.hprof",
        "val33-leak-sheetmusic-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
