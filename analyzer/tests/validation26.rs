//! Blind validation set 26 (testdata/VALIDATION26.md), written at the end of session 17 by a
//! helper that had not read the detector, and first measured with that session's final rules
//! (no rule written for it): 0 of 7 healthy runs flagged; 4 of 11 leak runs at #1 with the
//! right holder; an access-ordered LinkedHashMap that never evicts (2 dumps) and a doubling
//! int[] (4 dumps and the series) missed. Asserted as measured, so that a fix shows.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

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
fn validation_set_26_leaks_as_first_measured() {
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
    // Missed: an access-ordered LinkedHashMap taken for an LRU though nothing evicts, and a
    // doubling int[] tracker.
    for name in [
        "val26-leak-spareparts.hprof",
        "val26-leak-spareparts-serial.jcmd.hprof",
        "val26-leak-newswire-1.hprof",
        "val26-leak-newswire-2.hprof",
        "val26-leak-newswire.hprof",
        "val26-leak-newswire-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val26-leak-newswire-1.hprof",
        "val26-leak-newswire-2.hprof",
        "val26-leak-newswire.hprof",
    ]);
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
