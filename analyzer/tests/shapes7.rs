//! `leaks` on the session-7 tuning apps (testdata/SCENARIOS.md, "Session 7 tuning apps"): a
//! pool per one-off route whose newest pools are seconds old, a retry queue without an attempt
//! limit whose entries were all retried minutes ago, and their healthy twins.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

const POOLS: &str = "testdata.SvcLeakWarmPools$ConnectionManager.pools";
const RETRIES: &str = "testdata.SvcLeakRetryForever$DeliveryRetrier.retries";

#[test]
fn healthy_routes_and_retries_give_no_suspect() {
    no_suspects(&[
        "svc-healthy-routes-1.hprof",
        "svc-healthy-routes-2.hprof",
        "svc-healthy-routes.hprof",
        "svc-healthy-retry.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-routes-1.hprof",
        "svc-healthy-routes-2.hprof",
        "svc-healthy-routes.hprof",
    ]);
}

/// Pools made for one use and never used again: a possible leak in one dump, whatever share
/// of them the last burst made seconds before it.
#[test]
fn pools_used_once_are_a_possible_leak() {
    for (name, entries) in [
        ("svc-leak-warmpools-1.hprof", 2440),
        ("svc-leak-warmpools-2.hprof", 3640),
        ("svc-leak-warmpools.hprof", 4840),
        ("svc-leak-warmpools-parallel.jcmd.hprof", 4840),
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            POOLS,
            Verdict::PossibleLeak,
            LeakKind::UnboundedMap,
            entries,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "svc-leak-warmpools-1.hprof",
        "svc-leak-warmpools-2.hprof",
        "svc-leak-warmpools.hprof",
    ]);
    first(
        &r,
        POOLS,
        Verdict::PossibleLeak,
        LeakKind::UnboundedMap,
        4840,
    );
}

/// Entries first tried hours ago and tried tens of times are a leak, however recently retried.
#[test]
fn entries_retried_for_hours_are_a_leak() {
    for name in [
        "svc-leak-retryforever.hprof",
        "svc-leak-retryforever-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(&r, RETRIES, Verdict::Leak, LeakKind::ClassGroup, 6150);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

/// A per-thread request context whose list is never cleared: one suspect, held by the
/// ThreadLocal's field, with the lists' entries (not the 8 contexts) and their ages. In the
/// `memo` variant the contexts also keep a per-request memo of price blocks: before session 49
/// the contexts' lists and memos were two more suspects inside the same leak.
#[test]
fn a_threadlocal_context_list_is_one_suspect_with_its_entries() {
    no_suspects(&[
        "svc-healthy-requestcontext.hprof",
        "svc-healthy-requestcontext-parallel.jcmd.hprof",
    ]);
    for name in [
        "svc-leak-requestcontext.hprof",
        "svc-leak-requestcontext-parallel.jcmd.hprof",
        "svc-leak-requestcontext-memo.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.SvcLeakRequestContext$RequestScope.CONTEXT (static)",
            Verdict::Leak,
            LeakKind::Threadlocal,
            50_073,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

/// Grants long past their own expiry, still held (the purger died): a leak. The refresh tokens
/// beside them expire in 30 days: within their life, their ages say nothing, not a suspect.
#[test]
fn entries_long_expired_are_a_leak_and_live_ones_are_not() {
    no_suspects(&[
        "svc-healthy-expiringgrants.hprof",
        "svc-healthy-expiringgrants-parallel.jcmd.hprof",
    ]);
    for name in [
        "svc-leak-expiredgrants.hprof",
        "svc-leak-expiredgrants-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.SvcLeakExpiredGrants$GrantStore.grants",
            Verdict::Leak,
            LeakKind::UnboundedMap,
            24_889,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
