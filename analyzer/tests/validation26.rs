//! Blind validation set 26 (testdata/VALIDATION26.md), written at the end of session 17 by a
//! helper that had not read the detector, and first measured with that session's final rules
//! (no rule written for it): 0 of 7 healthy runs flagged; 4 of 11 leak runs at #1 with the
//! right holder; an access-ordered LinkedHashMap that never evicts (2 dumps) and a doubling
//! int[] (4 dumps and the series) missed. Session 18's rules: the LinkedHashMap whose cap field
//! is Integer.MAX_VALUE is a possible leak (its bound does not hold), and the doubling int[] is
//! a candidate of kind primitive-array whose series is a leak; its single dumps stay
//! undetermined (one dump cannot tell it from a table sized for its id space): 7 of 11.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, retainer, series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Verdict};

#[test]
fn validation_set_26_healthy() {
    no_suspects(&[
        "val26-healthy-dentalclinic-1.hprof",
        "val26-healthy-dentalclinic-2.hprof",
        "val26-healthy-dentalclinic.hprof",
        "val26-healthy-dentalclinic-serial.jcmd.hprof",
        "val26-healthy-brewery.hprof",
        "val26-healthy-brewery-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val26-healthy-dentalclinic-1.hprof",
        "val26-healthy-dentalclinic-2.hprof",
        "val26-healthy-dentalclinic.hprof",
    ]);
}

#[test]
fn validation_set_26_leaks() {
    use LeakKind::*;
    use Verdict::*;
    // Statement caches keyed by SQL with literals, one per pooled connection: 29,986.
    for name in [
        "val26-leak-tireshop.hprof",
        "val26-leak-tireshop-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let cache = "testdata.Val26LeakTireShop$PooledConnection.statementCache";
        first(&r, cache, Leak, UnboundedMap, 29_986);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A secondary index not updated when ads expire: 240 category lists.
    for name in [
        "val26-leak-classifieds.hprof",
        "val26-leak-classifieds-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let index = "testdata.Val26LeakClassifieds$AdIndex.byCategory";
        first(&r, index, Leak, UnboundedMap, 240);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A cap never configured: the LRU's maxEntries is Integer.MAX_VALUE.
    for name in [
        "val26-leak-spareparts.hprof",
        "val26-leak-spareparts-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let cache = "testdata.Val26LeakSpareParts$PartsService.partDetails";
        first(&r, cache, PossibleLeak, UnboundedMap, 19_775);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let bound = r.suspects[0]
            .evidence
            .iter()
            .find(|e| e.name == EvidenceName::Bound);
        assert!(
            bound.is_some_and(|e| e.detail.contains("maxEntries is Integer.MAX_VALUE")),
            "{name}: {bound:?}"
        );
    }
    // One int[] grown by doubling, never rebased: undetermined in one dump, with its slots.
    let tracker = ("testdata.Val26LeakNewsWire$DeliveryTracker", "attempts");
    for (name, slots) in [
        ("val26-leak-newswire-1.hprof", 524_288),
        ("val26-leak-newswire-2.hprof", 1_048_576),
        ("val26-leak-newswire.hprof", 2_097_152),
        ("val26-leak-newswire-parallel.hprof", 2_097_152),
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = retainer(&r, tracker.0, tracker.1);
        assert_eq!(
            (t.verdict, t.entries),
            (Undetermined, Some(slots)),
            "{name}"
        );
    }
    // Across the series it doubles twice: a leak.
    let r = series(&[
        "val26-leak-newswire-1.hprof",
        "val26-leak-newswire-2.hprof",
        "val26-leak-newswire.hprof",
    ]);
    first(
        &r,
        "testdata.Val26LeakNewsWire$DeliveryTracker.attempts",
        Leak,
        PrimitiveArray,
        2_097_152,
    );
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    let growth = r.suspects[0].growth.as_ref().expect("growth");
    assert_eq!(
        growth.entries,
        [Some(524_288), Some(1_048_576), Some(2_097_152)]
    );
}
