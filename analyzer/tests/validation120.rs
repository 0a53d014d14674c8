//! Blind validation set 120 (testdata/VALIDATION120.md), written during session 46 by a helper
//! that had not read the detector, and first measured with 93fa48e's rules: 0 of 7 healthy
//! runs flagged; 11 of 11 leak runs found at #1 (minibars' two as possible leaks). Asserted
//! as first measured.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_120_healthy() {
    no_suspects(&[
        "val120-healthy-patisseries-1.hprof",
        "val120-healthy-patisseries-2.hprof",
        "val120-healthy-patisseries.hprof",
        "val120-healthy-patisseries-parallel.jcmd.hprof",
        "val120-healthy-osteopathy.hprof",
        "val120-healthy-osteopathy-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val120-healthy-patisseries-1.hprof",
        "val120-healthy-patisseries-2.hprof",
        "val120-healthy-patisseries.hprof",
    ]);
}

#[test]
fn validation_set_120_leaks() {
    use LeakKind::{Collection, Listeners, Threadlocal};
    // Closed views' anonymous listeners left on the event bus.
    for name in [
        "val120-leak-flightstrips.hprof",
        "val120-leak-flightstrips-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val120LeakFlightStrips$RadarEventBus.listeners";
        only_leak(name, holder, Listeners, 579);
    }
    // Poison messages circling forever in a retry queue.
    let retry = "testdata.Val120LeakDepositReturns$ReturnConsumer.retryQueue";
    for (name, n) in [
        ("val120-leak-depositreturns-1.hprof", 476),
        ("val120-leak-depositreturns-2.hprof", 963),
        ("val120-leak-depositreturns.hprof", 1_902),
        ("val120-leak-depositreturns-serial.hprof", 1_902),
    ] {
        only_leak(name, retry, Collection, n);
    }
    only_leak_in_series(
        &[
            "val120-leak-depositreturns-1.hprof",
            "val120-leak-depositreturns-2.hprof",
            "val120-leak-depositreturns.hprof",
        ],
        retry,
        Collection,
        1_902,
    );
    // Statements never closed, kept by their pooled connections.
    for name in [
        "val120-leak-hydrantsurveys.hprof",
        "val120-leak-hydrantsurveys-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val120LeakHydrantSurveys$DbConnection.openStatements";
        only_leak(name, holder, Collection, 12_000);
    }
    // A logging context in a ThreadLocal map that gains a key per request.
    for name in [
        "val120-leak-minibars.hprof",
        "val120-leak-minibars-parallel.hprof",
    ] {
        let holder = "testdata.Val120LeakMinibars$LogContext.CONTEXT (static)";
        only_possible_leak(name, holder, Threadlocal, 36_000);
    }
}
