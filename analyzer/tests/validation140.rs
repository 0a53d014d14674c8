//! Blind validation set 140 (testdata/VALIDATION140.md), written during session 53 by a helper
//! that had not read the detector, and first measured with 8c00a21's rules: no healthy run
//! flagged; 10 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_140_healthy() {
    no_suspects(&[
        "val140-healthy-insulinpumps-1.hprof",
        "val140-healthy-insulinpumps-2.hprof",
        "val140-healthy-insulinpumps.hprof",
        "val140-healthy-insulinpumps-parallel.jcmd.hprof",
        "val140-healthy-butchers.hprof",
        "val140-healthy-butchers-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val140-healthy-insulinpumps-1.hprof",
        "val140-healthy-insulinpumps-2.hprof",
        "val140-healthy-insulinpumps.hprof",
    ]);
}

#[test]
fn validation_set_140_leaks() {
    use LeakKind::{Listeners, UnboundedMap};
    // An RPC client's pending calls, kept when they time out.
    let pending = "testdata.Val140LeakHoroscopes$EphemerisClient.pending";
    for (name, entries) in [
        ("val140-leak-horoscopes-1.hprof", 2_005),
        ("val140-leak-horoscopes-2.hprof", 3_994),
        ("val140-leak-horoscopes.hprof", 8_026),
        ("val140-leak-horoscopes-serial.jcmd.hprof", 8_026),
    ] {
        only_leak(name, pending, UnboundedMap, entries);
    }
    only_leak_in_series(
        &[
            "val140-leak-horoscopes-1.hprof",
            "val140-leak-horoscopes-2.hprof",
            "val140-leak-horoscopes.hprof",
        ],
        pending,
        UnboundedMap,
        8_026,
    );
    // An LRU whose removeEldestEntry overloads instead of overriding: its cap never applies.
    for name in [
        "val140-leak-screenprinters.hprof",
        "val140-leak-screenprinters-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val140LeakScreenPrinters$ProofService.proofs";
        only_leak(name, holder, UnboundedMap, 25_336);
    }
    // SubmissionPublisher subscriptions never cancelled.
    for name in [
        "val140-leak-speedway.hprof",
        "val140-leak-speedway-serial.hprof",
    ] {
        let holder = "testdata.Val140LeakSpeedway$LiveService.statusFeed";
        only_leak(name, holder, Listeners, 3_600);
    }
    // A container's destroy callbacks, one per request-scoped prototype.
    for name in [
        "val140-leak-badminton.jcmd.hprof",
        "val140-leak-badminton-parallel.hprof",
    ] {
        let holder = "testdata.Val140LeakBadminton$Container.destroyCallbacks";
        only_leak(name, holder, Listeners, 19_890);
    }
}
