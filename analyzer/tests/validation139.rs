//! Blind validation set 139 (testdata/VALIDATION139.md), written during session 53 by a helper
//! that had not read the detector, and first measured with 8c00a21's rules: no healthy run
//! flagged; 6 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: foodrescue-1, -2, final and -serial in single dumps (a tag index of listing
//! ids whose sweep forgets it: sets of `Long`s, undetermined); the series found it by its
//! growth. Since session 53's dangling-ids evidence (tuned on GigPostings after looking at
//! foodrescue, which is spent) every foodrescue dump is a leak.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_139_healthy() {
    no_suspects(&[
        "val139-healthy-haberdashery-1.hprof",
        "val139-healthy-haberdashery-2.hprof",
        "val139-healthy-haberdashery.hprof",
        "val139-healthy-haberdashery-parallel.jcmd.hprof",
        "val139-healthy-modelrailways.hprof",
        "val139-healthy-modelrailways-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val139-healthy-haberdashery-1.hprof",
        "val139-healthy-haberdashery-2.hprof",
        "val139-healthy-haberdashery.hprof",
    ]);
}

#[test]
fn validation_set_139_leaks() {
    use LeakKind::{Collection, Listeners, Threadlocal, UnboundedMap};
    // A tag index of listing ids that the sweep of expired listings forgets.
    let index = "testdata.Val139LeakFoodRescue$ListingStore.byTag";
    for name in [
        "val139-leak-foodrescue-1.hprof",
        "val139-leak-foodrescue-2.hprof",
        "val139-leak-foodrescue.hprof",
        "val139-leak-foodrescue-serial.jcmd.hprof",
    ] {
        only_leak(name, index, UnboundedMap, 311);
    }
    only_leak_in_series(
        &[
            "val139-leak-foodrescue-1.hprof",
            "val139-leak-foodrescue-2.hprof",
            "val139-leak-foodrescue.hprof",
        ],
        index,
        UnboundedMap,
        311,
    );
    // A debugging in-memory log appender left on.
    for name in [
        "val139-leak-wallpapersamples.hprof",
        "val139-leak-wallpapersamples-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val139LeakWallpaperSamples$InMemoryAppender.events";
        only_leak(name, holder, Collection, 83_625);
    }
    // A request-context stack on pool threads, popped only on success.
    for name in [
        "val139-leak-vehicledismantlers.hprof",
        "val139-leak-vehicledismantlers-serial.hprof",
    ] {
        let holder = "testdata.Val139LeakVehicleDismantlers$RequestScope.STACK (static)";
        only_leak(name, holder, Threadlocal, 4_000);
    }
    // Completions piled on a reload future that never completes.
    for name in [
        "val139-leak-numberplates.hprof",
        "val139-leak-numberplates-parallel.hprof",
    ] {
        let holder = "testdata.Val139LeakNumberPlates$ValuationRules.reloaded";
        only_leak(name, holder, Listeners, 38_230);
    }
}
