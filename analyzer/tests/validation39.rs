//! Blind validation set 39 (testdata/VALIDATION39.md), written during session 23 by a helper
//! that had not read the detector, and first measured with 1fe30ae: 8 of 11 leak runs at #1
//! with the right holder, no healthy run flagged. Then: a collection that only a local
//! variable of a live thread holds is judged, named by the method (stonemasons), and a key
//! wrapping a String beside a time is composite, not a short code.

use crate::verdicts::{first, no_suspects, no_suspects_in_series, only_leak, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_39_healthy() {
    no_suspects(&[
        "val39-healthy-clockmakers-1.hprof",
        "val39-healthy-clockmakers-2.hprof",
        "val39-healthy-clockmakers.hprof",
        "val39-healthy-clockmakers-serial.jcmd.hprof",
        "val39-healthy-cooperages.hprof",
        "val39-healthy-cooperages-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val39-healthy-clockmakers-1.hprof",
        "val39-healthy-clockmakers-2.hprof",
        "val39-healthy-clockmakers.hprof",
    ]);
}

#[test]
fn validation_set_39_leaks() {
    use LeakKind::*;
    // JMX notification listeners removed only when a quote is cancelled.
    for name in [
        "val39-leak-farriers.hprof",
        "val39-leak-farriers-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val39LeakFarriers$RateCard.listenerList",
            Collection,
            13_576,
        );
    }
    // A map of windows in a worker's run() local: no field holds it.
    for name in [
        "val39-leak-stonemasons.hprof",
        "val39-leak-stonemasons-parallel.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val39LeakStonemasons$TelemetryAggregator.run() local variable",
            UnboundedMap,
            14_400,
        );
    }
    // Unsubscribed with a new method reference: nothing is removed.
    let bus = "testdata.Val39LeakChimneySweeps$WeatherAlertBus.subscribers";
    for (name, n) in [
        ("val39-leak-chimneysweeps-2.hprof", 1_751),
        ("val39-leak-chimneysweeps.hprof", 3_251),
        ("val39-leak-chimneysweeps-parallel.jcmd.hprof", 3_251),
    ] {
        only_leak(name, bus, Listeners, n);
    }
    let r = series(&[
        "val39-leak-chimneysweeps-1.hprof",
        "val39-leak-chimneysweeps-2.hprof",
        "val39-leak-chimneysweeps.hprof",
    ]);
    first(&r, bus, Verdict::Leak, Listeners, 3_251);
    // Records keeping subList views of whole sample lists.
    for name in [
        "val39-leak-bookbinders.hprof",
        "val39-leak-bookbinders-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val39LeakBookbinders$QaLog.records",
            Collection,
            301,
        );
    }
}
