//! Blind validation set 40 (testdata/VALIDATION40.md), written during session 23 by a helper
//! that had not read the detector, and first measured with e08a256: 4 of 11 leak runs at #1
//! with the right holder, no healthy run flagged, and a wrong suspect in the tilers series (a
//! directory warming up, 488 -> 566 -> 597). Then: a `ConcurrentSkipListSet` is a map-backed
//! set (engravers), and growth that slows is weak evidence (the tilers series: no suspect).
//! Then (session 24): a class group's instance is held by whoever holds its parts, and a
//! series records one field's small collections in every object as one holder (the tilers
//! series). The tilers' single dumps show no evidence either way.

use crate::verdicts::{first, no_suspects, no_suspects_in_series, only_leak, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_40_healthy() {
    no_suspects(&[
        "val40-healthy-potters-1.hprof",
        "val40-healthy-potters-2.hprof",
        "val40-healthy-potters.hprof",
        "val40-healthy-potters-serial.jcmd.hprof",
        "val40-healthy-glaziers.hprof",
        "val40-healthy-glaziers-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val40-healthy-potters-1.hprof",
        "val40-healthy-potters-2.hprof",
        "val40-healthy-potters.hprof",
    ]);
}

#[test]
fn validation_set_40_leaks() {
    use LeakKind::*;
    // A skip-list set whose comparator never returns 0: remove() finds nothing.
    for name in [
        "val40-leak-engravers.hprof",
        "val40-leak-engravers-serial.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val40LeakEngravers$JobBoard.inFlight",
            Collection,
            13_025,
        );
        assert_eq!(
            r.suspects[0].element_class,
            "testdata.Val40LeakEngravers$EngravingJob"
        );
    }
    // After-commit actions of rolled-back transactions, never discarded.
    for name in [
        "val40-leak-perfumers.hprof",
        "val40-leak-perfumers-parallel.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val40LeakPerfumers$TxManager.synchronizations",
            UnboundedMap,
            2_756,
        );
    }
    // An expiry sweep that prunes a copy, never the cache.
    for name in [
        "val40-leak-sailmakers.hprof",
        "val40-leak-sailmakers-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val40LeakSailmakers$DesignQuoteCache.byKey",
            UnboundedMap,
            11_033,
        );
    }
    // The inverse side of a bidirectional association, never updated when a quote closes:
    // small in each of the 240 products, it grows in all of them (the lines 4,777 -> 8,141 ->
    // 14,815), while each quote's own line list grows only with the quotes. The directory of
    // sites warming up is no growth to flag.
    let r = series(&[
        "val40-leak-tilers-1.hprof",
        "val40-leak-tilers-2.hprof",
        "val40-leak-tilers.hprof",
    ]);
    first(
        &r,
        "testdata.Val40LeakTilers$Product.quoteLines",
        Verdict::Leak,
        ClassGroup,
        3_308,
    );
    assert_eq!(r.suspects.len(), 1, "{:?}", crate::verdicts::holders(&r));
    let growth = r.suspects[0].growth.as_ref().expect("growth");
    assert_eq!(
        growth.entries,
        [Some(4_777), Some(8_141), Some(14_815)],
        "every product's inverse-side lines, open and closed quotes'"
    );
}
