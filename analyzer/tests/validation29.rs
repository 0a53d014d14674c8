//! Blind validation set 29 (testdata/VALIDATION29.md), written during session 18 by a helper
//! that had not read the detector, and first measured with 8f3fa61: 4 of 11 leak runs at #1
//! with the right holder; 1 of 7 healthy runs flagged (campgrounds-serial: child spans inside a
//! bounded ring of finished traces, judged by their ages). Then lists filled at once inside
//! another collection's entries are not judged by their ages (`inner_spans`), and growth
//! summaries follow object arrays a field holds (the journal's series is a leak): 5 of 11, no
//! healthy run flagged.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Strength, Supports, Verdict};

#[test]
fn validation_set_29_healthy() {
    no_suspects(&[
        "val29-healthy-campgrounds-1.hprof",
        "val29-healthy-campgrounds-2.hprof",
        "val29-healthy-campgrounds.hprof",
        "val29-healthy-campgrounds-serial.jcmd.hprof",
        "val29-healthy-golfcourse.hprof",
        "val29-healthy-golfcourse-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val29-healthy-campgrounds-1.hprof",
        "val29-healthy-campgrounds-2.hprof",
        "val29-healthy-campgrounds.hprof",
    ]);
}

#[test]
fn validation_set_29_leaks() {
    use LeakKind::*;
    use Verdict::*;
    // A root span never finished keeps every child span.
    for name in [
        "val29-leak-snowplowing.hprof",
        "val29-leak-snowplowing-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val29LeakSnowPlowing$Span.children",
            Collection,
            10_782,
        );
    }
    // Sticky events per (type, order id), never dropped.
    for name in [
        "val29-leak-furnituredelivery.hprof",
        "val29-leak-furnituredelivery-parallel.jcmd.hprof",
    ] {
        let sticky = "testdata.Val29LeakFurnitureDelivery$EventBus.sticky";
        only_leak(name, sticky, UnboundedMap, 30_642);
    }
    // A hand-grown journal array (session 32: a hand-written list's array, no fixed table,
    // sampled in slot order): its events' ages over 4 and 8 hours; over the first 2 hours, a
    // window could keep them.
    let journal = "testdata.Val29LeakToolRental$AuditJournal.items";
    let r = leaks(&analyse("val29-leak-toolrental-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    for (name, n) in [
        ("val29-leak-toolrental-2.hprof", 24_000),
        ("val29-leak-toolrental.hprof", 48_000),
        ("val29-leak-toolrental-parallel.hprof", 48_000),
    ] {
        only_leak(name, journal, ClassGroup, n);
    }
    // The resequencer's `pending` map: a TreeMap whose sample now holds its values, spread
    // over the whole map (session 19), whose entries waited hours in a field named for
    // unfinished work (its numeric keys no longer weaken that).
    for name in [
        "val29-leak-supermarket.hprof",
        "val29-leak-supermarket-serial.hprof",
    ] {
        let pending = "testdata.Val29LeakSupermarket$Resequencer.pending";
        let r = only_leak(name, pending, UnboundedMap, 15_794);
        let ages = r.suspects[0]
            .evidence
            .iter()
            .find(|e| e.name == EvidenceName::EntryAges);
        let ages = ages.unwrap_or_else(|| panic!("{name}: {:?}", r.suspects[0].evidence));
        assert_eq!(
            (ages.supports, ages.strength),
            (Supports::Leak, Strength::Strong)
        );
        assert!(
            ages.detail.contains("252 of 256 sampled"),
            "{}",
            ages.detail
        );
    }
    // Across the series the journal's array doubles twice: a leak of its events.
    let r = series(&[
        "val29-leak-toolrental-1.hprof",
        "val29-leak-toolrental-2.hprof",
        "val29-leak-toolrental.hprof",
    ]);
    first(
        &r,
        "testdata.Val29LeakToolRental$AuditJournal.items",
        Leak,
        ClassGroup,
        48_000,
    );
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    let bounds = r.suspects[0]
        .evidence
        .iter()
        .filter(|e| e.supports == analyzer::leaks::Supports::MemoryHungry);
    assert_eq!(bounds.count(), 0, "{:?}", r.suspects[0].evidence);
}
