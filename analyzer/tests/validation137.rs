//! Blind validation set 137 (testdata/VALIDATION137.md), written during session 52 by a helper
//! that had not read the detector, and first measured with 4afe9e1's rules: no healthy run
//! flagged; 10 of 10 leak runs and the leak series flagged with the right holder at #1
//! (houseboathire x4 and canyoning x2 as possible leaks). judotournaments (a `java.util.Timer`
//! per scoring session, never cancelled) was named by the sessions' `autosaveTimer` field as a
//! class group, and its timer tasks made a second suspect over the same memory; since session
//! 53 (threads named by a letter code group by their stem) it is one `threads` finding of the
//! 1,183 timer threads.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_137_healthy() {
    no_suspects(&[
        "val137-healthy-whalewatching-1.hprof",
        "val137-healthy-whalewatching-2.hprof",
        "val137-healthy-whalewatching.hprof",
        "val137-healthy-whalewatching-parallel.jcmd.hprof",
        "val137-healthy-signdictionary.hprof",
        "val137-healthy-signdictionary-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val137-healthy-whalewatching-1.hprof",
        "val137-healthy-whalewatching-2.hprof",
        "val137-healthy-whalewatching.hprof",
    ]);
}

#[test]
fn validation_set_137_leaks() {
    use LeakKind::{Buffer, Threads, UnboundedMap};
    // An export buffer never reset: one array of timed lines, a possible leak in each dump,
    // a leak by the series' growth.
    let out = "testdata.Val137LeakHouseboatHire$InsurerExportWriter.out";
    for (name, bytes) in [
        ("val137-leak-houseboathire-1.hprof", 1_818_274),
        ("val137-leak-houseboathire-2.hprof", 3_636_703),
        ("val137-leak-houseboathire.hprof", 7_272_217),
        ("val137-leak-houseboathire-serial.jcmd.hprof", 7_272_217),
    ] {
        only_possible_leak(name, out, Buffer, bytes);
    }
    only_leak_in_series(
        &[
            "val137-leak-houseboathire-1.hprof",
            "val137-leak-houseboathire-2.hprof",
            "val137-leak-houseboathire.hprof",
        ],
        out,
        Buffer,
        7_272_217,
    );
    // A single-flight map that keeps the lookups that failed.
    for name in [
        "val137-leak-wigretail.hprof",
        "val137-leak-wigretail-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val137LeakWigRetail$StockLookup.inFlight";
        only_leak(name, holder, UnboundedMap, 4_029);
    }
    // A Timer per scoring session, each thread named by the session's letter code.
    for name in [
        "val137-leak-judotournaments.jcmd.hprof",
        "val137-leak-judotournaments-serial.hprof",
    ] {
        let holder = "testdata.Val137LeakJudoTournaments$ScoringSession.autosaveTimer";
        only_leak(name, holder, Threads, 1_183);
    }
    // Metrics keyed by the full request URI.
    for name in [
        "val137-leak-canyoning.hprof",
        "val137-leak-canyoning-parallel.hprof",
    ] {
        let holder = "testdata.Val137LeakCanyoning$RequestMetrics.histograms";
        only_possible_leak(name, holder, UnboundedMap, 23_358);
    }
}
