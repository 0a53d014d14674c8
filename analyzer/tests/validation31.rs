//! Blind validation set 31 (testdata/VALIDATION31.md), written during session 19 by a helper
//! that had not read the detector, and first measured with that session's rules: 8 of 11 leak
//! runs at #1 with the right holder, no healthy run flagged. Missed: the first stage of the
//! child contexts (2 h, no evidence either way) and the acknowledged deliveries kept under
//! their `Long` tags (their ages weak: numeric keys, as a directory's ids are). Then entries
//! idle for hours in a field named for unfinished work (`pendingAcks`) are judged whatever
//! their keys: 10 of 11.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_31_healthy_as_first_measured() {
    no_suspects(&[
        "val31-healthy-aquarium-1.hprof",
        "val31-healthy-aquarium-2.hprof",
        "val31-healthy-aquarium.hprof",
        "val31-healthy-aquarium-serial.jcmd.hprof",
        "val31-healthy-drivingschools.hprof",
        "val31-healthy-drivingschools-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val31-healthy-aquarium-1.hprof",
        "val31-healthy-aquarium-2.hprof",
        "val31-healthy-aquarium.hprof",
    ]);
}

#[test]
fn validation_set_31_leaks() {
    use LeakKind::*;
    // A child context per request, kept by the root for event propagation.
    let children = "testdata.Val31LeakKennels$AppContext.children";
    only_leak("val31-leak-kennels-2.hprof", children, Collection, 8_000);
    for name in [
        "val31-leak-kennels.hprof",
        "val31-leak-kennels-parallel.hprof",
    ] {
        only_leak(name, children, Collection, 16_000);
    }
    let r = series(&[
        "val31-leak-kennels-1.hprof",
        "val31-leak-kennels-2.hprof",
        "val31-leak-kennels.hprof",
    ]);
    first(&r, children, Verdict::Leak, Collection, 16_000);
    // A single-flight map whose failure path never removes the load.
    for name in [
        "val31-leak-bookshops.hprof",
        "val31-leak-bookshops-serial.jcmd.hprof",
    ] {
        let inflight = "testdata.Val31LeakBookshops$MetadataLoader.inFlight";
        only_leak(name, inflight, UnboundedMap, 8_826);
    }
    // Errors keyed by their raw message, which names the order.
    for name in [
        "val31-leak-pizzerias.hprof",
        "val31-leak-pizzerias-parallel.jcmd.hprof",
    ] {
        let by_message = "testdata.Val31LeakPizzerias$ErrorTracker.byMessage";
        only_leak(name, by_message, UnboundedMap, 12_199);
    }
    // Missed: two hours of contexts.
    let r = leaks(&analyse("val31-leak-kennels-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    // Deliveries kept under their numeric tags in `pendingAcks`: missed as first measured
    // (their ages weak: numeric keys); a field named for unfinished work is no directory.
    for name in [
        "val31-leak-dairyfarms.hprof",
        "val31-leak-dairyfarms-serial.hprof",
    ] {
        let acks = "testdata.Val31LeakDairyFarms$ReadingConsumer.pendingAcks";
        only_leak(name, acks, UnboundedMap, 24_000);
    }
}
