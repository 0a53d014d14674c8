//! Blind validation set 119 (testdata/VALIDATION119.md), written during session 46 by a helper
//! that had not read the detector, and first measured with 93fa48e's rules: 0 of 7 healthy
//! runs flagged; 11 of 11 leak runs found at #1. Asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_119_healthy() {
    no_suspects(&[
        "val119-healthy-insectfarms-1.hprof",
        "val119-healthy-insectfarms-2.hprof",
        "val119-healthy-insectfarms.hprof",
        "val119-healthy-insectfarms-parallel.jcmd.hprof",
        "val119-healthy-phonerepairs.hprof",
        "val119-healthy-phonerepairs-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val119-healthy-insectfarms-1.hprof",
        "val119-healthy-insectfarms-2.hprof",
        "val119-healthy-insectfarms.hprof",
    ]);
}

#[test]
fn validation_set_119_leaks() {
    use LeakKind::{Collection, StaticCollection, UnboundedMap};
    // A HashSet of visits whose hashCode covers a status changed before remove().
    for name in [
        "val119-leak-pestcontrol.hprof",
        "val119-leak-pestcontrol-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val119LeakPestControl$VisitBoard.open";
        only_leak(name, holder, Collection, 36_000);
    }
    // A cache keyed by a class without equals/hashCode: one entry per lookup.
    let cards = "testdata.Val119LeakLocumAgency$RateCardCache.cards";
    for (name, n) in [
        ("val119-leak-locumagency-1.hprof", 8_000),
        ("val119-leak-locumagency-2.hprof", 16_000),
        ("val119-leak-locumagency.hprof", 32_000),
        ("val119-leak-locumagency-serial.hprof", 32_000),
    ] {
        only_leak(name, cards, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val119-leak-locumagency-1.hprof",
            "val119-leak-locumagency-2.hprof",
            "val119-leak-locumagency.hprof",
        ],
        cards,
        UnboundedMap,
        32_000,
    );
    // A shutdown hook per report, never removed.
    for name in [
        "val119-leak-geothermaldrilling.hprof",
        "val119-leak-geothermaldrilling-serial.jcmd.hprof",
    ] {
        let holder = "java.lang.ApplicationShutdownHooks.hooks (static)";
        only_leak(name, holder, StaticCollection, 3_000);
    }
    // A WeakHashMap whose values refer back to their keys.
    for name in [
        "val119-leak-studfarms.hprof",
        "val119-leak-studfarms-parallel.hprof",
    ] {
        let holder = "testdata.Val119LeakStudFarms$BookingTracker.audits";
        only_leak(name, holder, UnboundedMap, 16_000);
    }
}
