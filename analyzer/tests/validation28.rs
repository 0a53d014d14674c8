//! Blind validation set 28 (testdata/VALIDATION28.md), written during session 18 by a helper
//! that had not read the detector, and first measured with that session's rules of the moment
//! (none written with this set in view): 0 of 7 healthy runs flagged; 10 of 11 leak runs at #1
//! with the right holder; waterutility-1 (8.9% of the heap) under the threshold. Asserted as
//! measured.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_28_healthy() {
    no_suspects(&[
        "val28-healthy-wildlifetelemetry-1.hprof",
        "val28-healthy-wildlifetelemetry-2.hprof",
        "val28-healthy-wildlifetelemetry.hprof",
        "val28-healthy-wildlifetelemetry-serial.jcmd.hprof",
        "val28-healthy-coffeeroastery.hprof",
        "val28-healthy-coffeeroastery-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val28-healthy-wildlifetelemetry-1.hprof",
        "val28-healthy-wildlifetelemetry-2.hprof",
        "val28-healthy-wildlifetelemetry.hprof",
    ]);
}

#[test]
fn validation_set_28_leaks() {
    use LeakKind::*;
    use Verdict::*;
    // Scroll cursors abandoned by their clients, never swept.
    for name in [
        "val28-leak-genealogy.hprof",
        "val28-leak-genealogy-serial.jcmd.hprof",
    ] {
        let open = "testdata.Val28LeakGenealogy$CursorRegistry.open";
        only_leak(name, open, UnboundedMap, 3_361);
    }
    // One token bucket per client IP ever seen.
    for name in [
        "val28-leak-openbanking.hprof",
        "val28-leak-openbanking-parallel.jcmd.hprof",
    ] {
        let buckets = "testdata.Val28LeakOpenBanking$RateLimiter.buckets";
        only_leak(name, buckets, UnboundedMap, 60_750);
    }
    // Every failure added to one static exception with addSuppressed.
    for name in [
        "val28-leak-courierdispatch.hprof",
        "val28-leak-courierdispatch-serial.hprof",
    ] {
        let list = "testdata.Val28LeakCourierDispatch$CircuitOpenException.suppressedExceptions";
        only_leak(name, list, Collection, 5_917);
    }
    // State of revoked partitions: under the threshold in stage 1, then a leak.
    let states = "testdata.Val28LeakWaterUtility$MeterConsumer.partitionStates";
    let r = leaks(&analyse("val28-leak-waterutility-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    for (name, n) in [
        ("val28-leak-waterutility-2.hprof", 288),
        ("val28-leak-waterutility.hprof", 576),
        ("val28-leak-waterutility-parallel.hprof", 576),
    ] {
        only_leak(name, states, UnboundedMap, n);
    }
    let r = series(&[
        "val28-leak-waterutility-1.hprof",
        "val28-leak-waterutility-2.hprof",
        "val28-leak-waterutility.hprof",
    ]);
    first(&r, states, Leak, UnboundedMap, 576);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
}
