//! Blind validation set 103 (testdata/VALIDATION103.md), written during session 41 by a helper
//! that had not read the detector, and first measured with eb3c1d4's rules: 0 of 7 healthy runs
//! flagged; 10 of 11 leak runs found at #1 (metalsexchange x2 through a field on the path to
//! the leaked sessions, not the publisher's subscriber list). Missed: carpetcleaners-1 (9.7%
//! of the heap). Asserted as first measured, misses included, but metalsexchange: since
//! session 51 it is named by the publisher's field.

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_103_healthy() {
    no_suspects(&[
        "val103-healthy-ropeways-1.hprof",
        "val103-healthy-ropeways-2.hprof",
        "val103-healthy-ropeways.hprof",
        "val103-healthy-ropeways-serial.jcmd.hprof",
        "val103-healthy-cheesemongers.hprof",
        "val103-healthy-cheesemongers-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val103-healthy-ropeways-1.hprof",
        "val103-healthy-ropeways-2.hprof",
        "val103-healthy-ropeways.hprof",
    ]);
}

#[test]
fn validation_set_103_leaks() {
    use LeakKind::{Listeners, Threads, UnboundedMap};
    // A statement cache per pooled connection, keyed by SQL built with literals (the entries of
    // all eight connections' maps counted).
    let statements = "testdata.Val103LeakCarpetCleaners$DbConnection.statements";
    for (name, n) in [
        ("val103-leak-carpetcleaners-2.hprof", 6_080),
        ("val103-leak-carpetcleaners.hprof", 12_080),
        ("val103-leak-carpetcleaners-serial.hprof", 12_080),
    ] {
        only_leak(name, statements, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val103-leak-carpetcleaners-1.hprof",
            "val103-leak-carpetcleaners-2.hprof",
            "val103-leak-carpetcleaners.hprof",
        ],
        statements,
        UnboundedMap,
        12_080,
    );
    // Missed as first measured (9.7% of the heap).
    missed_or_only("val103-leak-carpetcleaners-1.hprof", statements);
    // SubmissionPublisher subscriptions of closed clients never cancelled. As first measured:
    // the closed sessions their subscribers keep (a field on the path), and those subscribers
    // (#2), not the publisher's chain of subscriptions. Since session 51 (publishers read as
    // collections, tuned on FlowSubscribers; metalsexchange is spent for that change): the
    // publisher's field, its 3,000 subscribers as listeners.
    for name in [
        "val103-leak-metalsexchange.hprof",
        "val103-leak-metalsexchange-parallel.jcmd.hprof",
    ] {
        let prices = "testdata.Val103LeakMetalsExchange$PriceGateway.prices";
        only_leak(name, prices, Listeners, 3_000);
    }
    // Keys whose hash changes after insertion: stale nodes pile up.
    for name in [
        "val103-leak-drycleaners.hprof",
        "val103-leak-drycleaners-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val103LeakDryCleaners$OrderService.board";
        only_leak(name, holder, UnboundedMap, 33_050);
    }
    // One thread per upload parked forever on a latch: 228 threads, whose names carry a hex id
    // after "up". As first measured they split into name patterns by the letters of their ids
    // (76 counted, possible-leak on G1); one pattern since session 41 (spent for that).
    let threads = "testdata.Val103LeakOrthodontics$UploadStream.<threads>";
    for name in [
        "val103-leak-orthodontics.hprof",
        "val103-leak-orthodontics-serial.jcmd.hprof",
    ] {
        only_leak(name, threads, Threads, 228);
    }
}
