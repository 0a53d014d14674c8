//! Blind validation set 30 (testdata/VALIDATION30.md), written during session 19 by a helper
//! that had not read the detector, and first measured with 45d5767: 7 of 11 leak runs at #1
//! with the right holder, the florists series one level up (the catalogue around the memos);
//! no healthy run flagged. Then a chain of application objects of one family, each holding the
//! next (`detect/chains.rs`), is an accumulation (operahouse's decorators), and a holder nested
//! in another whose entries stayed the same is judged by all its entries, not per collection
//! (the florists series names the memos).

use crate::common::analyse;
use crate::verdicts::{
    first, first_as_one_of, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_30_healthy() {
    no_suspects(&[
        "val30-healthy-carwash-1.hprof",
        "val30-healthy-carwash-2.hprof",
        "val30-healthy-carwash.hprof",
        "val30-healthy-carwash-serial.jcmd.hprof",
        "val30-healthy-laundromats.hprof",
        "val30-healthy-laundromats-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val30-healthy-carwash-1.hprof",
        "val30-healthy-carwash-2.hprof",
        "val30-healthy-carwash.hprof",
    ]);
}

#[test]
fn validation_set_30_leaks() {
    use LeakKind::*;
    // A memo (a HashMap) in each object of a fixed catalogue, never cleared.
    let memo = "testdata.Val30LeakFlorists$Bouquet.priceMemo";
    // Under G1 the memos' ages need the hash chains' order or the heap's: one generation of
    // florists-2 (the fresh-clone CI of db635a2) showed neither, and no suspect; another (the
    // fresh-clone CI of 8aba61f) showed them only in the heap order of the memos' quotes, found
    // as a class group of the same field, with the same count.
    for (name, n) in [
        ("val30-leak-florists-2.hprof", 19_281),
        ("val30-leak-florists.hprof", 38_397),
    ] {
        let r = leaks(&analyse(name));
        if !r.suspects.is_empty() {
            first_as_one_of(&r, memo, Verdict::Leak, &[UnboundedMap, ClassGroup], n);
        }
        assert!(r.suspects.len() <= 1, "{name}: {:?}", holders(&r));
    }
    only_leak(
        "val30-leak-florists-parallel.hprof",
        memo,
        UnboundedMap,
        38_397,
    );
    // Two hours of quotes: a window of recent entries looks the same.
    let r = leaks(&analyse("val30-leak-florists-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    // Across the series the memos double twice inside a catalogue of 600 bouquets.
    let r = series(&[
        "val30-leak-florists-1.hprof",
        "val30-leak-florists-2.hprof",
        "val30-leak-florists.hprof",
    ]);
    first(&r, memo, Verdict::Leak, UnboundedMap, 38_397);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // Every request context registers itself in a static list.
    for name in [
        "val30-leak-locksmiths.hprof",
        "val30-leak-locksmiths-serial.jcmd.hprof",
    ] {
        let all = "testdata.Val30LeakLocksmiths$JobRequestContext.ALL (static)";
        only_leak(name, all, StaticCollection, 12_000);
    }
    // Each reload wraps the current pipeline in three more decorators.
    for name in [
        "val30-leak-operahouse.hprof",
        "val30-leak-operahouse-parallel.hprof",
    ] {
        let current = "testdata.Val30LeakOperaHouse$Pipeline.current (static)";
        let r = only_leak(name, current, SingleObject, 360);
        assert_eq!(
            r.suspects[0].element_class,
            "testdata.Val30LeakOperaHouse$Decorator"
        );
        let why = &r.suspects[0].explanation;
        assert!(why.contains("holds 360 linked testdata.Val30LeakOperaHouse$Decorator objects, each holding the next"), "{why}");
    }
    // A log trimmed to its slowest reader, pinned by a display unplugged long ago.
    for name in [
        "val30-leak-airportdisplays.hprof",
        "val30-leak-airportdisplays-serial.hprof",
    ] {
        let entries = "testdata.Val30LeakAirportDisplays$StatusLog.entries";
        only_leak(name, entries, Collection, 36_010);
    }
}
