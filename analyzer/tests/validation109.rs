//! Blind validation set 109 (testdata/VALIDATION109.md), written during session 43 by a helper
//! that had not read the detector, and first measured with the rules of 6b93eef plus the
//! holder rule then uncommitted (a back-reference from inside a structure is never its
//! holder): 0 of 7 healthy runs flagged; 11 of 11 leak runs found at #1 (heatloss-1 as a
//! possible leak). Asserted as first measured.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
    only_possible_leak,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_109_healthy() {
    no_suspects(&[
        "val109-healthy-liftpasses-1.hprof",
        "val109-healthy-liftpasses-2.hprof",
        "val109-healthy-liftpasses.hprof",
        "val109-healthy-liftpasses-serial.jcmd.hprof",
        "val109-healthy-dosimetry.hprof",
        "val109-healthy-dosimetry-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val109-healthy-liftpasses-1.hprof",
        "val109-healthy-liftpasses-2.hprof",
        "val109-healthy-liftpasses.hprof",
    ]);
}

#[test]
fn validation_set_109_leaks() {
    use LeakKind::{ClassGroup, Executors, Listeners, ScheduledTasks, UnboundedMap};
    // An executor created per claim batch, never shut down. Beside it, in some runs (the
    // serial dump as first measured; the G1 one when regenerated), the class group of what
    // the pools keep is a second suspect: allowed, nothing else.
    let pools = "testdata.Val109LeakLossAdjusters.<executors>";
    let assessed = "testdata.Val109LeakLossAdjusters$AssessmentPool.assessed";
    for name in [
        "val109-leak-lossadjusters.hprof",
        "val109-leak-lossadjusters-serial.jcmd.hprof",
    ] {
        let r = leaks(&crate::common::analyse(name));
        first(&r, pools, Verdict::Leak, Executors, 288);
        let found = holders(&r);
        assert!(
            found == [pools] || found == [pools, assessed],
            "{name}: {found:?}"
        );
        if let Some(s) = r.suspects.get(1) {
            assert_eq!(s.kind, ClassGroup, "{name}");
        }
    }
    // Event-bus subscriptions the idle reaper's close path never removes.
    for name in [
        "val109-leak-courtlistings.hprof",
        "val109-leak-courtlistings-parallel.hprof",
    ] {
        let holder = "testdata.Val109LeakCourtListings$ListingEventBus.subscriptions";
        only_leak(name, holder, Listeners, 2_161);
    }
    // A memo keyed by the whole request record, request id included.
    let memo = "testdata.Val109LeakHeatLoss$HeatLossCalculator.memo";
    only_possible_leak("val109-leak-heatloss-1.hprof", memo, UnboundedMap, 4_841);
    for (name, n) in [
        ("val109-leak-heatloss-2.hprof", 9_699),
        ("val109-leak-heatloss.hprof", 19_405),
        ("val109-leak-heatloss-parallel.jcmd.hprof", 19_405),
    ] {
        only_leak(name, memo, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val109-leak-heatloss-1.hprof",
            "val109-leak-heatloss-2.hprof",
            "val109-leak-heatloss.hprof",
        ],
        memo,
        UnboundedMap,
        19_405,
    );
    // A daily digest task per subscription, never cancelled on unsubscribe.
    for name in [
        "val109-leak-pollenalerts.hprof",
        "val109-leak-pollenalerts-serial.hprof",
    ] {
        let holder = "testdata.Val109LeakPollenAlerts$AlertService.scheduler";
        only_leak(name, holder, ScheduledTasks, 9_003);
    }
}
