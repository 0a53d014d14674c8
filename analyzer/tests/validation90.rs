//! Blind validation set 90 (testdata/VALIDATION90.md), written during session 37 by a helper
//! that had not read the detector, and first measured with 99bbaec's rules plus the stale-lock
//! evidence: 1 of 7 healthy runs flagged (alumninetwork-serial: 600 officers' inboxes each
//! trimmed to `INBOX_KEEP = 100`, judged by their entries' ages where the Serial collector kept
//! their order); 10 of 11 leak runs found at #1. Missed: commoditybrokers-1 (the 2 h stage, 5% of
//! the heap leaked). Session 37 then read `keep` in a constant's name as a cap (spent for
//! alumninetwork); the rest is asserted as first measured.

use crate::common::analyse;
use crate::verdicts::{
    first_or_none, holders, leaks, missed_or_only, no_suspects, no_suspects_in_series, only_leak,
    only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_90_healthy() {
    no_suspects(&[
        "val90-healthy-alumninetwork-1.hprof",
        "val90-healthy-alumninetwork-2.hprof",
        "val90-healthy-alumninetwork.hprof",
        "val90-healthy-alumninetwork-serial.jcmd.hprof",
        "val90-healthy-medicaltranscription.hprof",
        "val90-healthy-medicaltranscription-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val90-healthy-alumninetwork-1.hprof",
        "val90-healthy-alumninetwork-2.hprof",
        "val90-healthy-alumninetwork.hprof",
    ]);
}

#[test]
fn validation_set_90_leaks() {
    use LeakKind::{Collection, StaticCollection};
    let inboxes = "testdata.Val90LeakCommodityBrokers$Inbox.items";
    for (name, n) in [
        ("val90-leak-commoditybrokers-2.hprof", 56_180),
        ("val90-leak-commoditybrokers.hprof", 110_361),
    ] {
        only_leak(name, inboxes, Collection, n);
    }
    // Found in the helper's parallel dump (by the entries' ages); a regeneration in session 37
    // did not keep their order (undetermined, 77d6297 the same).
    let r = leaks(&analyse("val90-leak-commoditybrokers-parallel.hprof"));
    first_or_none(&r, inboxes, Verdict::Leak, Collection, 110_361);
    assert!(r.suspects.len() <= 1, "{:?}", holders(&r));
    only_leak_in_series(
        &[
            "val90-leak-commoditybrokers-1.hprof",
            "val90-leak-commoditybrokers-2.hprof",
            "val90-leak-commoditybrokers.hprof",
        ],
        inboxes,
        Collection,
        110_361,
    );
    for name in [
        "val90-leak-dentalimaging.hprof",
        "val90-leak-dentalimaging-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val90LeakDentalImaging$HandleTracker.tracked";
        only_leak(name, holder, Collection, 56_000);
    }
    for name in [
        "val90-leak-videodepositions.hprof",
        "val90-leak-videodepositions-parallel.jcmd.hprof",
    ] {
        let holder = "java.lang.ApplicationShutdownHooks.hooks (static)";
        only_leak(name, holder, StaticCollection, 9_602);
    }
    for name in [
        "val90-leak-accountantportal.hprof",
        "val90-leak-accountantportal-serial.hprof",
    ] {
        let holder = "java.io.DeleteOnExitHook.files (static)";
        only_leak(name, holder, StaticCollection, 36_000);
    }
    // Missed as first measured: the 2 h stage.
    missed_or_only("val90-leak-commoditybrokers-1.hprof", inboxes);
}
