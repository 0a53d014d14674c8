//! Blind validation set 134 (testdata/VALIDATION134.md), written during session 51 by a helper
//! that had not read the detector, and first measured with 3455d5e's rules: no healthy run
//! flagged; 6 of 10 leak runs and the leak series flagged with the right holder at #1 (probate
//! x2 as possible leaks). Missed: bailiffs-1, -2, final and -parallel (a retry queue whose
//! timed-out reports are rescheduled for ever: every item was touched within the hour, so in
//! active use; the series finds it by its growth). Session 52 made the retry rule see retries
//! that never count (tuned on CarrierLabels first): bailiffs-2, final and -parallel are leaks
//! now; bailiffs-1 (9.7% of the heap) stays under the suspect threshold.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_134_healthy() {
    no_suspects(&[
        "val134-healthy-wheelchairservices-1.hprof",
        "val134-healthy-wheelchairservices-2.hprof",
        "val134-healthy-wheelchairservices.hprof",
        "val134-healthy-wheelchairservices-serial.jcmd.hprof",
        "val134-healthy-forensiclabs.hprof",
        "val134-healthy-forensiclabs-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val134-healthy-wheelchairservices-1.hprof",
        "val134-healthy-wheelchairservices-2.hprof",
        "val134-healthy-wheelchairservices.hprof",
    ]);
}

#[test]
fn validation_set_134_leaks() {
    use LeakKind::{Collection, Listeners, UnboundedMap};
    // A retry queue whose timeouts never count as attempts: old items all due again within
    // the minute with no attempt counted (since session 52); the first stage's queue is under
    // the threshold.
    let retries = "testdata.Val134LeakBailiffs$ReportForwarder.retries";
    no_suspects(&["val134-leak-bailiffs-1.hprof"]);
    for (name, entries) in [
        ("val134-leak-bailiffs-2.hprof", 1_657),
        ("val134-leak-bailiffs.hprof", 3_217),
        ("val134-leak-bailiffs-parallel.jcmd.hprof", 3_217),
    ] {
        only_leak(name, retries, Collection, entries);
    }
    only_leak_in_series(
        &[
            "val134-leak-bailiffs-1.hprof",
            "val134-leak-bailiffs-2.hprof",
            "val134-leak-bailiffs.hprof",
        ],
        retries,
        Collection,
        3_217,
    );
    // A TTL cache whose expiry mixes nanoTime and currentTimeMillis: its sweeper removes
    // nothing.
    for name in [
        "val134-leak-probate.hprof",
        "val134-leak-probate-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val134LeakProbate$SearchCache.entries";
        only_possible_leak(name, holder, UnboundedMap, 19_729);
    }
    // Release callbacks piling up on pooled connections.
    for name in [
        "val134-leak-chiropractors.jcmd.hprof",
        "val134-leak-chiropractors-serial.hprof",
    ] {
        let holder = "testdata.Val134LeakChiropractors$PooledConnection.onRelease";
        only_leak(name, holder, Listeners, 30_000);
    }
    // A map keyed by digest byte arrays: every lookup misses.
    for name in [
        "val134-leak-segwaytours.hprof",
        "val134-leak-segwaytours-parallel.hprof",
    ] {
        let holder = "testdata.Val134LeakSegwayTours$SessionCache.byDigest";
        only_leak(name, holder, UnboundedMap, 36_065);
    }
}
