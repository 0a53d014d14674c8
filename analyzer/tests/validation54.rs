//! Blind validation set 54 (testdata/VALIDATION54.md), written during session 32 by a helper
//! that had not read the detector, and first measured with 689d611's rules: alpinehuts' quote
//! memo (bounded by huts x weekdays, filled in its first 3.5 hours and still since) flagged in
//! both dumps; 11 of 11 leak runs found at #1 with the right holder. Session 32's rule for sets
//! that stopped growing (`evidence/stopped.rs::still_since`) was written after that
//! measurement, so the set is spent; what is asserted is the result now.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_54_healthy() {
    no_suspects(&[
        "val54-healthy-botanicgardens-1.hprof",
        "val54-healthy-botanicgardens-2.hprof",
        "val54-healthy-botanicgardens.hprof",
        "val54-healthy-botanicgardens-serial.jcmd.hprof",
        "val54-healthy-alpinehuts.hprof",
        "val54-healthy-alpinehuts-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val54-healthy-botanicgardens-1.hprof",
        "val54-healthy-botanicgardens-2.hprof",
        "val54-healthy-botanicgardens.hprof",
    ]);
    // The quote memo: filled over 3.5 h, nothing added in the 9.6 h since: undetermined.
    let r = leaks(&analyse("val54-healthy-alpinehuts.hprof"));
    let quotes = r
        .top_retainers
        .iter()
        .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "quotes"))
        .expect("the quote memo among the big retainers");
    assert_eq!(quotes.verdict, Verdict::Undetermined);
}

#[test]
fn validation_set_54_leaks() {
    use LeakKind::{Executors, Listeners, ScheduledTasks, UnboundedMap};
    // Listeners of every client session ever opened, never removed.
    let feed = "testdata.Val54LeakTrainDepartures$DepartureFeed.listeners";
    for (name, n) in [
        ("val54-leak-traindepartures-1.hprof", 3_000),
        ("val54-leak-traindepartures-2.hprof", 6_000),
        ("val54-leak-traindepartures.hprof", 12_000),
        ("val54-leak-traindepartures-parallel.jcmd.hprof", 12_000),
    ] {
        only_leak(name, feed, Listeners, n);
    }
    let r = series(&[
        "val54-leak-traindepartures-1.hprof",
        "val54-leak-traindepartures-2.hprof",
        "val54-leak-traindepartures.hprof",
    ]);
    first(&r, feed, Verdict::Leak, Listeners, 12_000);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // A single-thread pool per import job, never shut down.
    for name in [
        "val54-leak-grantapplications.hprof",
        "val54-leak-grantapplications-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val54LeakGrantApplications$IntakeService.<executors>";
        only_leak(name, holder, Executors, 240);
    }
    // A periodic task per subscription, never cancelled.
    for name in [
        "val54-leak-tidealerts.hprof",
        "val54-leak-tidealerts-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val54LeakTideAlerts$AlertService.scheduler";
        only_leak(name, holder, ScheduledTasks, 12_000);
    }
    // A memo whose keys carry the request id.
    for name in [
        "val54-leak-concerthalls.hprof",
        "val54-leak-concerthalls-serial.hprof",
    ] {
        let holder = "testdata.Val54LeakConcertHalls$PricingService.memo";
        only_leak(name, holder, UnboundedMap, 30_000);
    }
}
