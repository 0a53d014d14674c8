//! Blind validation set 65 (testdata/VALIDATION65.md), written during session 34 by a helper
//! that had not read the detector, and first measured with cc5f1ef's rules: 0 of 7 healthy
//! runs flagged; 11 of 11 leak runs found at #1 with the right holder (gardencentre-1 as a
//! possible leak, by its owner's counters).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_65_healthy() {
    no_suspects(&[
        "val65-healthy-boatyards-1.hprof",
        "val65-healthy-boatyards-2.hprof",
        "val65-healthy-boatyards.hprof",
        "val65-healthy-boatyards-serial.jcmd.hprof",
        "val65-healthy-hearingclinics.hprof",
        "val65-healthy-hearingclinics-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val65-healthy-boatyards-1.hprof",
        "val65-healthy-boatyards-2.hprof",
        "val65-healthy-boatyards.hprof",
    ]);
}

#[test]
fn validation_set_65_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // A request-scoped memo held by a singleton, keyed by customer, SKU and minute.
    let memo = "testdata.Val65LeakGardenCentre$QuoteEngine.memo";
    let r = leaks(&analyse("val65-leak-gardencentre-1.hprof"));
    first(&r, memo, Verdict::PossibleLeak, UnboundedMap, 12_613);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val65-leak-gardencentre-2.hprof", 25_392),
        ("val65-leak-gardencentre.hprof", 50_850),
        ("val65-leak-gardencentre-parallel.hprof", 50_850),
    ] {
        only_leak(name, memo, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val65-leak-gardencentre-1.hprof",
            "val65-leak-gardencentre-2.hprof",
            "val65-leak-gardencentre.hprof",
        ],
        memo,
        UnboundedMap,
        50_850,
    );
    // A query cache keyed by parameters that include the current time.
    for name in [
        "val65-leak-storageunits.hprof",
        "val65-leak-storageunits-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val65LeakStorageUnits$QueryCache.results";
        only_leak(name, holder, UnboundedMap, 40_000);
    }
    // Pooled processors never returned on an error path.
    for name in [
        "val65-leak-petadoption.hprof",
        "val65-leak-petadoption-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val65LeakPetAdoption$PhotoProcessorPool.borrowed";
        only_leak(name, holder, UnboundedMap, 780);
    }
    // A "last errors" list whose trim empties the wrong list.
    for name in [
        "val65-leak-emissionstests.hprof",
        "val65-leak-emissionstests-serial.hprof",
    ] {
        let holder = "testdata.Val65LeakEmissionsTests$Diagnostics.lastErrors";
        only_leak(name, holder, Collection, 4_897);
    }
}
