//! Blind validation set 67 (testdata/VALIDATION67.md), written during session 35 by a helper
//! that had not read the detector, and first measured with session 34's rules (6e42cf8): 0 of
//! 7 healthy runs flagged; 11 of 11 leak runs found at #1 with the right holder, rugbyclubs'
//! per-request watchdog threads also reported a second time as the class group of the requests
//! they hold. Session 35 then folded such a group into the thread group that holds it.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_67_healthy() {
    no_suspects(&[
        "val67-healthy-lavenderfarms-1.hprof",
        "val67-healthy-lavenderfarms-2.hprof",
        "val67-healthy-lavenderfarms.hprof",
        "val67-healthy-lavenderfarms-serial.jcmd.hprof",
        "val67-healthy-ziplineparks.hprof",
        "val67-healthy-ziplineparks-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val67-healthy-lavenderfarms-1.hprof",
        "val67-healthy-lavenderfarms-2.hprof",
        "val67-healthy-lavenderfarms.hprof",
    ]);
}

#[test]
fn validation_set_67_leaks() {
    use LeakKind::{Collection, Listeners, Threads, UnboundedMap};
    // A query-plan cache keyed by SQL with its literals inlined.
    let plans = "testdata.Val67LeakTutoringPortal$QueryPlanner.plans";
    let r = leaks(&analyse("val67-leak-tutoringportal-1.hprof"));
    first(&r, plans, Verdict::PossibleLeak, UnboundedMap, 6_000);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val67-leak-tutoringportal-2.hprof", 12_000),
        ("val67-leak-tutoringportal.hprof", 24_000),
        ("val67-leak-tutoringportal-parallel.hprof", 24_000),
    ] {
        only_leak(name, plans, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val67-leak-tutoringportal-1.hprof",
            "val67-leak-tutoringportal-2.hprof",
            "val67-leak-tutoringportal.hprof",
        ],
        plans,
        UnboundedMap,
        24_000,
    );
    // Tick listeners of closed WebSocket sessions, never unregistered.
    for name in [
        "val67-leak-bulliondesk.hprof",
        "val67-leak-bulliondesk-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val67LeakBullionDesk$MarketDataBus.listeners";
        only_leak(name, holder, Listeners, 3_000);
    }
    // Failed webhooks to gone endpoints, rescheduled forever.
    for name in [
        "val67-leak-lettingagents.hprof",
        "val67-leak-lettingagents-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val67LeakLettingAgents$RetryScheduler.queue";
        only_leak(name, holder, Collection, 3_338);
    }
    // A watchdog thread per request, parked forever: one suspect, which also says what the
    // threads hold (their finished requests).
    for name in [
        "val67-leak-rugbyclubs.hprof",
        "val67-leak-rugbyclubs-serial.hprof",
    ] {
        let holder = "testdata.Val67LeakRugbyClubs$Watchdog.<threads>";
        let r = only_leak(name, holder, Threads, 2_400);
        assert!(
            r.suspects[0]
                .evidence
                .iter()
                .any(|e| e.detail.contains("MatchRequest its entries hold")),
            "{name}: {:?}",
            r.suspects[0].evidence
        );
    }
}
