//! Blind validation set 142 (testdata/VALIDATION142.md), written during session 53 by a helper
//! that had not read the detector, and first measured with 3412067's rules: no healthy run
//! flagged; 8 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: hurlingscores-1 and -2 (per-connection frame queues of connections that
//! dropped without a close, 2 and 4 hours in, 2.9% and 14.7% of the heap: undetermined).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_142_healthy() {
    no_suspects(&[
        "val142-healthy-shootingrange-1.hprof",
        "val142-healthy-shootingrange-2.hprof",
        "val142-healthy-shootingrange.hprof",
        "val142-healthy-shootingrange-parallel.jcmd.hprof",
        "val142-healthy-tabletopgames.hprof",
        "val142-healthy-tabletopgames-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val142-healthy-shootingrange-1.hprof",
        "val142-healthy-shootingrange-2.hprof",
        "val142-healthy-shootingrange.hprof",
    ]);
}

#[test]
fn validation_set_142_leaks() {
    use LeakKind::{StaticCollection, UnboundedMap};
    // Frame queues of connections that dropped without a close, appended to by every broadcast.
    let pending = "testdata.Val142LeakHurlingScores$PushServer.pending";
    no_suspects(&[
        "val142-leak-hurlingscores-1.hprof",
        "val142-leak-hurlingscores-2.hprof",
    ]);
    for name in [
        "val142-leak-hurlingscores.hprof",
        "val142-leak-hurlingscores-serial.jcmd.hprof",
    ] {
        only_leak(name, pending, UnboundedMap, 491);
    }
    only_leak_in_series(
        &[
            "val142-leak-hurlingscores-1.hprof",
            "val142-leak-hurlingscores-2.hprof",
            "val142-leak-hurlingscores.hprof",
        ],
        pending,
        UnboundedMap,
        491,
    );
    // A cache keyed by byte[] digests: every lookup misses.
    for name in [
        "val142-leak-plagiarismchecks.hprof",
        "val142-leak-plagiarismchecks-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val142LeakPlagiarismChecks$QuoteResolver.byDigest";
        only_leak(name, holder, UnboundedMap, 35_767);
    }
    // Exited child processes kept in a static list of running jobs.
    for name in [
        "val142-leak-comicpublishing.hprof",
        "val142-leak-comicpublishing-serial.hprof",
    ] {
        let holder = "testdata.Val142LeakComicPublishing$ConversionJobs.RUNNING (static)";
        only_leak(name, holder, StaticCollection, 2_876);
    }
    // A resolver's visited set, left with the nodes of failed resolutions.
    for name in [
        "val142-leak-modularhomes.jcmd.hprof",
        "val142-leak-modularhomes-parallel.hprof",
    ] {
        let holder = "testdata.Val142LeakModularHomes$DependencyResolver.visited";
        only_leak(name, holder, UnboundedMap, 18_273);
    }
}
