//! Blind validation set 117 (testdata/VALIDATION117.md), written during session 45 by a helper
//! that had not read the detector, and first measured with c3dd52c's rules: 0 of 7
//! healthy runs flagged; 9 of 11 leak runs found at #1. Missed: pavingquotes x2, a ThreadLocal
//! per request (an instance field of a per-request helper) set on 8 pool threads and never
//! removed, 30,000 entries holding half of the heap: the ThreadLocal analysis lists each of the
//! 30,000 ThreadLocals alone, and `leaks` shows the helpers as an undetermined class group and
//! the threads' entry tables as plain arrays. Asserted as first measured, except pavingquotes:
//! spent in session 45 (the live ThreadLocals of one instance field, 100 or more, are one
//! finding, on DocumentStamps).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_117_healthy() {
    no_suspects(&[
        "val117-healthy-bonsainurseries-1.hprof",
        "val117-healthy-bonsainurseries-2.hprof",
        "val117-healthy-bonsainurseries.hprof",
        "val117-healthy-bonsainurseries-parallel.jcmd.hprof",
        "val117-healthy-vetlabs.hprof",
        "val117-healthy-vetlabs-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val117-healthy-bonsainurseries-1.hprof",
        "val117-healthy-bonsainurseries-2.hprof",
        "val117-healthy-bonsainurseries.hprof",
    ]);
}

#[test]
fn validation_set_117_leaks() {
    use LeakKind::{Threadlocal, UnboundedMap, WorkQueue};
    // A token bucket per API key or client IP, never evicted.
    let buckets = "testdata.Val117LeakPostcodeLookup$RateLimiter.buckets";
    for (name, n) in [
        ("val117-leak-postcodelookup-1.hprof", 17_265),
        ("val117-leak-postcodelookup-2.hprof", 33_729),
        ("val117-leak-postcodelookup.hprof", 66_811),
        ("val117-leak-postcodelookup-serial.hprof", 66_811),
    ] {
        only_leak(name, buckets, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val117-leak-postcodelookup-1.hprof",
            "val117-leak-postcodelookup-2.hprof",
            "val117-leak-postcodelookup.hprof",
        ],
        buckets,
        UnboundedMap,
        66_811,
    );
    // Statement caches keyed by SQL texts with literal values inlined.
    for name in [
        "val117-leak-barbershops.hprof",
        "val117-leak-barbershops-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val117LeakBarberShops$PooledConnection.statementCache";
        only_leak(name, holder, UnboundedMap, 35_907);
    }
    // An executor's work queue its one consumer cannot keep up with (its queued lambdas were
    // called listeners until session 47).
    for name in [
        "val117-leak-brailletranscripts.hprof",
        "val117-leak-brailletranscripts-parallel.hprof",
    ] {
        let holder = "testdata.Val117LeakBrailleTranscripts$EmbossingDesk.embosser";
        only_leak(name, holder, WorkQueue, 11_914);
    }
    // A ThreadLocal per request on pool threads: spent.
    for name in [
        "val117-leak-pavingquotes.hprof",
        "val117-leak-pavingquotes-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val117LeakPavingQuotes$AreaEstimator.workspace";
        only_leak(name, holder, Threadlocal, 30_000);
    }
}
