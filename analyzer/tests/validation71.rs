//! Blind validation set 71 (testdata/VALIDATION71.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 2e9ef71's rules: 0 of 7 healthy
//! runs flagged; 7 of 11 leak runs found at #1 with the right holder. Missed: hardwarestore x2
//! (compiled patterns keyed by free search text) and thesissubmissions x2 (temp directories
//! deleted from disk and kept in a static set). Session 35 then read a removal counter that
//! counted many removals beside a collection holding every addition (spent for
//! thesissubmissions).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_71_healthy() {
    no_suspects(&[
        "val71-healthy-puppettheatre-1.hprof",
        "val71-healthy-puppettheatre-2.hprof",
        "val71-healthy-puppettheatre.hprof",
        "val71-healthy-puppettheatre-serial.jcmd.hprof",
        "val71-healthy-oysterfarms.hprof",
        "val71-healthy-oysterfarms-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val71-healthy-puppettheatre-1.hprof",
        "val71-healthy-puppettheatre-2.hprof",
        "val71-healthy-puppettheatre.hprof",
    ]);
}

#[test]
fn validation_set_71_leaks() {
    use LeakKind::{Listeners, StaticCollection, UnboundedMap};
    // Sessions logged out of the per-user index but not of the token map.
    let tokens = "testdata.Val71LeakBirdwatch$SessionStore.byToken";
    let r = leaks(&analyse("val71-leak-birdwatch-1.hprof"));
    first(&r, tokens, Verdict::PossibleLeak, UnboundedMap, 7_230);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val71-leak-birdwatch-2.hprof", 14_010),
        ("val71-leak-birdwatch.hprof", 27_560),
        ("val71-leak-birdwatch-parallel.hprof", 27_560),
    ] {
        only_leak(name, tokens, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val71-leak-birdwatch-1.hprof",
            "val71-leak-birdwatch-2.hprof",
            "val71-leak-birdwatch.hprof",
        ],
        tokens,
        UnboundedMap,
        27_560,
    );
    // A cleanup lambda per request in a static shutdown list, never removed.
    for name in [
        "val71-leak-blueprintplotter.hprof",
        "val71-leak-blueprintplotter-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val71LeakBlueprintPlotter$ShutdownRegistry.CALLBACKS (static)";
        only_leak(name, holder, Listeners, 14_005);
    }
    // Temp directories deleted from disk and kept in the set: "deleted" counted 23,697.
    for name in [
        "val71-leak-thesissubmissions.hprof",
        "val71-leak-thesissubmissions-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val71LeakThesisSubmissions$TempDirs.PENDING_DELETE (static)";
        first(&r, holder, Verdict::PossibleLeak, StaticCollection, 24_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed: compiled patterns keyed by the search text.
    for name in [
        "val71-leak-hardwarestore.hprof",
        "val71-leak-hardwarestore-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
