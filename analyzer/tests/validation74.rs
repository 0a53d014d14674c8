//! Blind validation set 74 (testdata/VALIDATION74.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 1cd860e's rules: 1 of 7 healthy
//! runs flagged (quizleague-serial.jcmd: a WeakHashMap of live quiz nights' scoreboards, its
//! entries as old as the nights, read as idle in a serial collector's heap order); 10 of 11
//! leak runs found at #1 with the right holder. Missed: scoutgroups-1 (2 h). Session 35 then
//! gave a WeakHashMap whose keys other structures hold, and whose values do not reference
//! them, a strong bound (spent for quizleague).

use crate::verdicts::{
    first_as_one_of, holders, leaks, no_suspects, no_suspects_in_series, only_leak,
    only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_74_healthy() {
    no_suspects(&[
        "val74-healthy-quizleague-1.hprof",
        "val74-healthy-quizleague-2.hprof",
        "val74-healthy-quizleague.hprof",
        "val74-healthy-quizleague-serial.jcmd.hprof",
        "val74-healthy-rollerderby.hprof",
        "val74-healthy-rollerderby-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val74-healthy-quizleague-1.hprof",
        "val74-healthy-quizleague-2.hprof",
        "val74-healthy-quizleague.hprof",
    ]);
}

#[test]
fn validation_set_74_leaks() {
    use LeakKind::{ClassGroup, Collection, StaticCollection, UnboundedMap};
    // Read notifications never deleted from a fixed set of inboxes.
    let items = "testdata.Val74LeakScoutGroups$Inbox.items";
    for (name, n) in [
        ("val74-leak-scoutgroups-2.hprof", 24_000),
        ("val74-leak-scoutgroups.hprof", 48_000),
        ("val74-leak-scoutgroups-parallel.hprof", 48_000),
    ] {
        // The inboxes' lists as one collection, or their items as a class group of the same
        // field and count: as session 49 regenerated scoutgroups-parallel (ParallelGC), the
        // class group (the kind follows the generation of the dump, as for val83).
        let r = leaks(&analyse(name));
        first_as_one_of(&r, items, Verdict::Leak, &[Collection, ClassGroup], n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    only_leak_in_series(
        &[
            "val74-leak-scoutgroups-1.hprof",
            "val74-leak-scoutgroups-2.hprof",
            "val74-leak-scoutgroups.hprof",
        ],
        items,
        Collection,
        48_000,
    );
    // A WeakHashMap whose values reference their keys.
    for name in [
        "val74-leak-kitesurfing.hprof",
        "val74-leak-kitesurfing-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val74LeakKiteSurfing$KiteSchool.briefings";
        only_leak(name, holder, UnboundedMap, 10_000);
    }
    // Failed requests' contexts left on a static stack.
    for name in [
        "val74-leak-icecreamvans.hprof",
        "val74-leak-icecreamvans-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val74LeakIceCreamVans$RequestScope.STACK (static)";
        only_leak(name, holder, StaticCollection, 4_696);
    }
    // A job history whose cap checks another list.
    for name in [
        "val74-leak-renderfarm.hprof",
        "val74-leak-renderfarm-serial.hprof",
    ] {
        let holder = "testdata.Val74LeakRenderFarm$JobHistory.completed";
        only_leak(name, holder, Collection, 14_535);
    }
    // Missed: the inboxes' first stage.
    let r = leaks(&analyse("val74-leak-scoutgroups-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
