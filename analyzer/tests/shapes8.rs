//! `leaks` on the session-8 tuning apps (testdata/SCENARIOS.md, "Session 8 tuning apps"):
//! listeners of closed connections never unsubscribed, sessions of logged-out users never
//! removed, and their healthy twins (a full ring of recently closed connections kept on purpose;
//! an account directory of long-lived records beside a hand-written LRU at its maximum).

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, retainer};

use analyzer::leaks::{EvidenceName, LeakKind, LeakReport, Strength, Supports, Verdict};

const SUBSCRIBERS: &str = "testdata.SvcLeakStaleSubscribers$EventFanout.subscribers";
const SESSIONS: &str = "testdata.SvcLeakAccounts$SessionRegistry.sessions";

/// Suspect #1's strong `finished` evidence, if any.
fn finished(r: &LeakReport) -> Option<&str> {
    r.suspects.first()?.evidence.iter().find_map(|e| {
        (e.name == EvidenceName::Finished
            && e.supports == Supports::Leak
            && e.strength == Strength::Strong)
            .then_some(e.detail.as_str())
    })
}

#[test]
fn healthy_subscribers_and_accounts_give_no_suspect() {
    no_suspects(&[
        "svc-healthy-subscribers.hprof",
        "svc-healthy-subscribers-parallel.jcmd.hprof",
        "svc-healthy-accounts-1.hprof",
        "svc-healthy-accounts-2.hprof",
        "svc-healthy-accounts.hprof",
        "svc-healthy-accounts-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-accounts-1.hprof",
        "svc-healthy-accounts-2.hprof",
        "svc-healthy-accounts.hprof",
    ]);
}

/// The account directory's records carry `createdAt` months to years before the dump: its
/// members' idle `lastUsedAt` is no leak evidence (before session 8 it was undetermined).
#[test]
fn a_directory_of_long_lived_records_is_memory_hungry() {
    for name in [
        "svc-healthy-accounts-1.hprof",
        "svc-healthy-accounts.hprof",
        "svc-healthy-accounts-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let directory = retainer(
            &r,
            "testdata.SvcHealthyAccounts$AccountDirectory",
            "accounts",
        );
        assert_eq!(directory.verdict, Verdict::MemoryHungry, "{name}");
    }
}

/// Listeners whose connection says it is over (`open = false`, `active = false` or `state =
/// CLOSED`, one kind each) are a leak, found by their ages and by the state of the object each
/// references; all 4,210 listeners counted (210 still open).
#[test]
fn listeners_of_closed_connections_are_a_leak() {
    for name in [
        "svc-leak-stalesubscribers.hprof",
        "svc-leak-stalesubscribers-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(&r, SUBSCRIBERS, Verdict::Leak, LeakKind::Listeners, 4210);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let detail = finished(&r).unwrap_or_else(|| panic!("{name}: no finished evidence"));
        assert!(
            detail.starts_with(
                "244 of 256 sampled entries hold an object in field link with state = CLOSED"
            ),
            "{name}: {detail}"
        );
    }
}

/// Sessions of users who logged out (`loggedOut` or `invalidated` set) never removed.
#[test]
fn sessions_of_logged_out_users_are_a_leak() {
    for name in ["svc-leak-accounts.hprof", "svc-leak-accounts-serial.hprof"] {
        let r = leaks(&analyse(name));
        first(&r, SESSIONS, Verdict::Leak, LeakKind::UnboundedMap, 40_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let detail = finished(&r).unwrap_or_else(|| panic!("{name}: no finished evidence"));
        assert!(
            detail.starts_with("216 of 256 sampled entries have loggedOut = true"),
            "{name}: {detail}"
        );
    }
}
