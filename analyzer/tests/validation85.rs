//! Blind validation set 85 (testdata/VALIDATION85.md), written during session 36 by a helper
//! that had not read the detector, and first measured with e300b8f's rules: 0 of 7
//! healthy runs flagged; 5 of 11 leak runs found at #1. Missed: the lock per order in single
//! dumps (grocerypickup x4, undetermined; its series found it) and the class loaders' lock maps
//! grown by `Class.forName` of request-built names (cadconvert x2). Session 36 then judged a
//! class loader's `parallelLockMap` by the names in it that name no loaded class (spent for
//! cadconvert); the rest is asserted as first measured, misses included. Session 37 judged lock
//! maps by the live keys beside them (spent for grocerypickup).

use crate::common::analyse;
use crate::verdicts::{
    first_or_none, holders, leaks, missed_or_only, no_suspects, no_suspects_in_series, only_leak,
    only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_85_healthy() {
    no_suspects(&[
        "val85-healthy-timberframes-1.hprof",
        "val85-healthy-timberframes-2.hprof",
        "val85-healthy-timberframes.hprof",
        "val85-healthy-timberframes-serial.jcmd.hprof",
        "val85-healthy-museumloans.hprof",
        "val85-healthy-museumloans-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val85-healthy-timberframes-1.hprof",
        "val85-healthy-timberframes-2.hprof",
        "val85-healthy-timberframes.hprof",
    ]);
}

#[test]
fn validation_set_85_leaks() {
    use LeakKind::{Listeners, UnboundedMap};
    only_leak_in_series(
        &[
            "val85-leak-grocerypickup-1.hprof",
            "val85-leak-grocerypickup-2.hprof",
            "val85-leak-grocerypickup.hprof",
        ],
        "testdata.Val85LeakGroceryPickup$OrderLocks.locks",
        UnboundedMap,
        48_000,
    );
    for name in [
        "val85-leak-alignerlab.hprof",
        "val85-leak-alignerlab-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val85LeakAlignerLab.LOG (static)";
        only_possible_leak(name, holder, Listeners, 795);
    }
    for name in [
        "val85-leak-giftcards.hprof",
        "val85-leak-giftcards-serial.hprof",
    ] {
        let holder = "testdata.Val85LeakGiftCards$PenaltyBox.bans";
        only_leak(name, holder, UnboundedMap, 45_308);
    }
    for (name, n) in [
        ("val85-leak-cadconvert.hprof", 37_167),
        ("val85-leak-cadconvert-parallel.jcmd.hprof", 37_172),
    ] {
        let holder = "jdk.internal.loader.ClassLoaders$AppClassLoader.parallelLockMap";
        only_leak(name, holder, UnboundedMap, n);
    }
    // Missed as first measured. Since session 37 a lock map whose keys are mostly not keys of
    // the open orders beside it is a possible leak (-2 and the last dump); the 2 h stage (a
    // third of its keys still open) stays undetermined, and so does the helper's parallel dump
    // (the open orders under the floor, so no candidate to compare with).
    let locks = "testdata.Val85LeakGroceryPickup$OrderLocks.locks";
    for (name, n) in [
        ("val85-leak-grocerypickup-2.hprof", 24_000),
        ("val85-leak-grocerypickup.hprof", 48_000),
    ] {
        only_possible_leak(name, locks, UnboundedMap, n);
    }
    missed_or_only("val85-leak-grocerypickup-1.hprof", locks);
    // In a regenerated parallel dump the open orders may retain enough to be a candidate map,
    // and then the lock map beside them is a possible leak too.
    let r = leaks(&analyse("val85-leak-grocerypickup-parallel.hprof"));
    first_or_none(&r, locks, Verdict::PossibleLeak, UnboundedMap, 48_000);
    assert!(r.suspects.len() <= 1, "{:?}", holders(&r));
}
