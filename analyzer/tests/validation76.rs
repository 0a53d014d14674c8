//! Blind validation set 76 (testdata/VALIDATION76.md), written during session 35 by a helper
//! that had not read the detector (it saw one commit subject of main after finishing, recorded
//! in its file), and first measured with c4000b3's rules: 0 of 7 healthy runs flagged; 11 of 11
//! leak runs found at #1 with the right holder. No rule was changed after it: asserted as first
//! measured.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_76_healthy() {
    no_suspects(&[
        "val76-healthy-nightmarkets-1.hprof",
        "val76-healthy-nightmarkets-2.hprof",
        "val76-healthy-nightmarkets.hprof",
        "val76-healthy-nightmarkets-serial.jcmd.hprof",
        "val76-healthy-archeryranges.hprof",
        "val76-healthy-archeryranges-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val76-healthy-nightmarkets-1.hprof",
        "val76-healthy-nightmarkets-2.hprof",
        "val76-healthy-nightmarkets.hprof",
    ]);
}

#[test]
fn validation_set_76_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // Visitors who left, never dropped from the recently-viewed store.
    let visitors = "testdata.Val76LeakCampingGear$RecentlyViewedStore.byVisitor";
    let r = leaks(&analyse("val76-leak-campinggear-1.hprof"));
    first(&r, visitors, Verdict::PossibleLeak, UnboundedMap, 5_000);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val76-leak-campinggear-2.hprof", 10_000),
        ("val76-leak-campinggear.hprof", 20_000),
        ("val76-leak-campinggear-parallel.hprof", 20_000),
    ] {
        only_leak(name, visitors, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val76-leak-campinggear-1.hprof",
            "val76-leak-campinggear-2.hprof",
            "val76-leak-campinggear.hprof",
        ],
        visitors,
        UnboundedMap,
        20_000,
    );
    // A dead appender worker's queue.
    for name in [
        "val76-leak-trafficcameras.hprof",
        "val76-leak-trafficcameras-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val76LeakTrafficCameras$AsyncAppender.queue";
        only_leak(name, holder, Collection, 47_862);
    }
    // Every connection ever opened, with its statement cache.
    for name in [
        "val76-leak-hospitalbeds.hprof",
        "val76-leak-hospitalbeds-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val76LeakHospitalBeds$ConnectionMetrics.allConnections";
        only_leak(name, holder, Collection, 608);
    }
    // Pooled buffers never released on an error path.
    for name in [
        "val76-leak-faxgateway.hprof",
        "val76-leak-faxgateway-serial.hprof",
    ] {
        let holder = "testdata.Val76LeakFaxGateway$BufferPool.outstanding";
        only_leak(name, holder, Collection, 1_482);
    }
}
