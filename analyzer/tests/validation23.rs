//! Blind validation set 23 (testdata/VALIDATION23.md), written at the end of session 16 by a
//! helper that had not read the detector, and first measured with that session's final rules
//! (no rule written for it): 0 of 6 healthy dumps and 0 of 1 healthy series flagged; 4 of 11
//! leak runs at #1 with the right holder; the debug StringBuilder that is never reset (4 dumps
//! and the series) and the soft-deleted postings (2 dumps) missed. Asserted as measured, so
//! that a fix shows.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_23_healthy() {
    no_suspects(&[
        "val23-healthy-creditunion-1.hprof",
        "val23-healthy-creditunion-2.hprof",
        "val23-healthy-creditunion.hprof",
        "val23-healthy-creditunion-parallel.jcmd.hprof",
        "val23-healthy-greenhouse.hprof",
        "val23-healthy-greenhouse-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "val23-healthy-creditunion-1.hprof",
        "val23-healthy-creditunion-2.hprof",
        "val23-healthy-creditunion.hprof",
    ]);
}

#[test]
fn validation_set_23_leaks_as_first_measured() {
    use LeakKind::*;
    use Verdict::*;
    // Completed results never taken from an ExecutorCompletionService: 6,000.
    for name in [
        "val23-leak-stockphotos.hprof",
        "val23-leak-stockphotos-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let service = "testdata.Val23LeakStockPhotos$PhotoService.thumbnails";
        first(&r, service, Leak, Collection, 6_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A lock per idempotency key, never removed: 70,000, by the keys' shape alone.
    for name in [
        "val23-leak-crowdfunding.hprof",
        "val23-leak-crowdfunding-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let locks = "testdata.Val23LeakCrowdfunding$PledgeService.pledgeLocks";
        first(&r, locks, PossibleLeak, UnboundedMap, 70_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A static debug StringBuilder never reset, and postings marked deleted but never purged:
    // missed.
    for name in [
        "val23-leak-mortgages-1.hprof",
        "val23-leak-mortgages-2.hprof",
        "val23-leak-mortgages.hprof",
        "val23-leak-mortgages-serial.jcmd.hprof",
        "val23-leak-jobboard.hprof",
        "val23-leak-jobboard-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val23-leak-mortgages-1.hprof",
        "val23-leak-mortgages-2.hprof",
        "val23-leak-mortgages.hprof",
    ]);
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
