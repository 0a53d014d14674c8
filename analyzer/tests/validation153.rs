//! Blind validation set 153 (testdata/VALIDATION153.md), written during session 56 by a helper
//! that had not read the detector, and first measured with 78661ac's rules: no healthy run
//! flagged; all 11 leak runs and the leak series flagged with the right holder at #1 (7 as
//! leaks, 4 as possible leaks).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_153_healthy() {
    no_suspects(&[
        "val153-healthy-tyrefitters-1.hprof",
        "val153-healthy-tyrefitters-2.hprof",
        "val153-healthy-tyrefitters.hprof",
        "val153-healthy-tyrefitters-serial.jcmd.hprof",
        "val153-healthy-puzzlehunts.hprof",
        "val153-healthy-puzzlehunts-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val153-healthy-tyrefitters-1.hprof",
        "val153-healthy-tyrefitters-2.hprof",
        "val153-healthy-tyrefitters.hprof",
    ]);
}

#[test]
fn validation_set_153_leaks() {
    use LeakKind::{StaticCollection, UnboundedMap};
    // A TTL cache stamped with nanoTime, its expiry compared with currentTimeMillis.
    let entries = "testdata.Val153LeakAuroraAlerts$ForecastCache.entries";
    for (name, n) in [
        ("val153-leak-auroraalerts-1.hprof", 4_715),
        ("val153-leak-auroraalerts-2.hprof", 9_427),
        ("val153-leak-auroraalerts.hprof", 18_838),
        ("val153-leak-auroraalerts-parallel.hprof", 18_838),
    ] {
        only_possible_leak(name, entries, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val153-leak-auroraalerts-1.hprof",
            "val153-leak-auroraalerts-2.hprof",
            "val153-leak-auroraalerts.hprof",
        ],
        entries,
        UnboundedMap,
        18_838,
    );
    // An outbox whose acknowledgements of retried messages carry the new attempt id.
    for name in [
        "val153-leak-petmicrochips.hprof",
        "val153-leak-petmicrochips-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val153LeakPetMicrochips$RegistryOutbox.pending";
        only_leak(name, holder, UnboundedMap, 2_443);
    }
    // A static registry of sessions that the abort path never leaves.
    for name in [
        "val153-leak-remotelabs.hprof",
        "val153-leak-remotelabs-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val153LeakRemoteLabs$LabSession.ACTIVE (static)";
        only_leak(name, holder, StaticCollection, 2_009);
    }
    // Undo histories of closed documents kept in a second map.
    for name in [
        "val153-leak-choreonotation.hprof",
        "val153-leak-choreonotation-serial.hprof",
    ] {
        let holder = "testdata.Val153LeakChoreoNotation$EditorService.histories";
        only_leak(name, holder, UnboundedMap, 1_166);
    }
}
