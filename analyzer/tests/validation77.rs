//! Blind validation set 77 (testdata/VALIDATION77.md), written during session 35 by a helper
//! that had not read the detector, and first measured with c4000b3's rules: 0 of 7 healthy
//! runs flagged; 10 of 11 leak runs found at #1 with the right holder. Missed: guitarshop-1
//! (2 h). No rule was changed after it: asserted as first measured.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_77_healthy() {
    no_suspects(&[
        "val77-healthy-organicbox-1.hprof",
        "val77-healthy-organicbox-2.hprof",
        "val77-healthy-organicbox.hprof",
        "val77-healthy-organicbox-serial.jcmd.hprof",
        "val77-healthy-glampingpods.hprof",
        "val77-healthy-glampingpods-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val77-healthy-organicbox-1.hprof",
        "val77-healthy-organicbox-2.hprof",
        "val77-healthy-organicbox.hprof",
    ]);
}

#[test]
fn validation_set_77_leaks() {
    use LeakKind::{Collection, Threadlocal, UnboundedMap};
    // Suggestions keyed by a per-keystroke token, never evicted.
    let tokens = "testdata.Val77LeakGuitarShop$SuggestionCache.byToken";
    for (name, n) in [
        ("val77-leak-guitarshop-2.hprof", 20_000),
        ("val77-leak-guitarshop.hprof", 40_000),
        ("val77-leak-guitarshop-parallel.hprof", 40_000),
    ] {
        only_leak(name, tokens, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val77-leak-guitarshop-1.hprof",
            "val77-leak-guitarshop-2.hprof",
            "val77-leak-guitarshop.hprof",
        ],
        tokens,
        UnboundedMap,
        40_000,
    );
    // Crash-recovery snapshots of timed-out sessions.
    for name in [
        "val77-leak-energyswitch.hprof",
        "val77-leak-energyswitch-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val77LeakEnergySwitch$RecoveryStore.snapshots";
        only_leak(name, holder, Collection, 618);
    }
    // Profiling spans in a ThreadLocal map on 8 workers, never cleared.
    for name in [
        "val77-leak-carauctions.hprof",
        "val77-leak-carauctions-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val77LeakCarAuctions$Profiler.SPANS (static)";
        only_leak(name, holder, Threadlocal, 90_000);
    }
    // Every payload key canonicalized, per-customer attribute names included.
    for name in [
        "val77-leak-leadcapture.hprof",
        "val77-leak-leadcapture-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val77LeakLeadCapture$FieldNameCanonicalizer.canonical";
        first(&r, holder, Verdict::PossibleLeak, UnboundedMap, 182_268);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed: the suggestions' first stage.
    let r = leaks(&analyse("val77-leak-guitarshop-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
