//! Blind validation set 57 (testdata/VALIDATION57.md), written during session 33 by a helper
//! that had not read the detector, and first measured with the rules of b313ba5 plus the times
//! of wrapped records (`evidence/wrapped.rs`, written before the set was seen): 0 of 7 healthy
//! runs flagged; 8 of 11 leak runs found at #1 with the right holder, movingcompany-1 only by
//! twin keys that were equal across its four workers' identity maps (not a broken `equals`).
//! Session 33 then (spent for these) stopped comparing keys across a field's maps in many
//! objects (`twin_keys.rs`), and stopped letting a unit of work's entities' upcoming times
//! (`upcoming.rs`) speak for its identity map: movingcompany -2, last and -parallel are found,
//! -1 (9,676 entities, under the unit-of-work floor of 10,000) is not.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_57_healthy() {
    no_suspects(&[
        "val57-healthy-campervans-1.hprof",
        "val57-healthy-campervans-2.hprof",
        "val57-healthy-campervans.hprof",
        "val57-healthy-campervans-serial.jcmd.hprof",
        "val57-healthy-treesurgeons.hprof",
        "val57-healthy-treesurgeons-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val57-healthy-campervans-1.hprof",
        "val57-healthy-campervans-2.hprof",
        "val57-healthy-campervans.hprof",
    ]);
}

#[test]
fn validation_set_57_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // Units of work never cleared, one per worker: their identity maps together.
    let units = "testdata.Val57LeakMovingCompany$UnitOfWork.identityMap";
    for (name, n) in [
        ("val57-leak-movingcompany-2.hprof", 18_259),
        ("val57-leak-movingcompany.hprof", 35_319),
        ("val57-leak-movingcompany-parallel.hprof", 35_319),
    ] {
        let r = leaks(&analyse(name));
        first(&r, units, Verdict::PossibleLeak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = leaks(&analyse("val57-leak-movingcompany-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    let r = series(&[
        "val57-leak-movingcompany-1.hprof",
        "val57-leak-movingcompany-2.hprof",
        "val57-leak-movingcompany.hprof",
    ]);
    first(&r, units, Verdict::Leak, UnboundedMap, 35_319);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // An ObjectOutputStream never reset: its handle table keeps every object written.
    for name in [
        "val57-leak-windowcleaners.hprof",
        "val57-leak-windowcleaners-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val57LeakWindowCleaners$AuditReplicator.out";
        only_leak(name, holder, Collection, 138_499);
    }
    // Statement caches keyed by SQL with literals in it, one per pooled connection.
    for name in [
        "val57-leak-hotairballoons.hprof",
        "val57-leak-hotairballoons-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val57LeakHotAirBalloons$PooledConnection.statementCache";
        only_leak(name, holder, UnboundedMap, 29_565);
    }
    // A hand-written intern() pool fed with free text.
    for name in [
        "val57-leak-thriftstores.hprof",
        "val57-leak-thriftstores-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val57LeakThriftStores$Canonicalizer.pool";
        first(&r, holder, Verdict::PossibleLeak, UnboundedMap, 114_604);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
