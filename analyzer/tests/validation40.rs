//! Blind validation set 40 (testdata/VALIDATION40.md), written during session 23 by a helper
//! that had not read the detector, and first measured with e08a256: 4 of 11 leak runs at #1
//! with the right holder, no healthy run flagged, and a wrong suspect in the tilers series (a
//! directory warming up, 488 -> 566 -> 597). Then: a `ConcurrentSkipListSet` is a map-backed
//! set (engravers), and growth that slows is weak evidence (the tilers series: no suspect).
//! Still missed: the tilers' inverse-side sets, small in each product.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, series};

use analyzer::leaks::LeakKind;

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
    // A directory of sites warming up is no growth to flag (the leak itself is not found).
    let r = series(&[
        "val40-leak-tilers-1.hprof",
        "val40-leak-tilers-2.hprof",
        "val40-leak-tilers.hprof",
    ]);
    assert!(r.suspects.is_empty(), "{:?}", crate::verdicts::holders(&r));
}
