//! Blind validation set 124 (testdata/VALIDATION124.md), written during session 47 by a helper
//! that had not read the detector, and first measured with f8a4201's rules: no healthy run
//! flagged; 10 of 10 leak runs flagged with the right holder at #1, 6 of them as leaks
//! (parkrunresults x4: possible leaks, meters keyed by free-text queries; the series is a
//! leak). schoolphotos has a second suspect inside the same leak (the upload batches its idle
//! pool threads keep). Asserted as first measured.

use crate::verdicts::{
    first, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
    only_possible_leak,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_124_healthy() {
    no_suspects(&[
        "val124-healthy-lasertag-1.hprof",
        "val124-healthy-lasertag-2.hprof",
        "val124-healthy-lasertag.hprof",
        "val124-healthy-lasertag-parallel.jcmd.hprof",
        "val124-healthy-whitewatercentres.hprof",
        "val124-healthy-whitewatercentres-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val124-healthy-lasertag-1.hprof",
        "val124-healthy-lasertag-2.hprof",
        "val124-healthy-lasertag.hprof",
    ]);
}

#[test]
fn validation_set_124_leaks() {
    use LeakKind::{ClassGroup, Collection, Executors, UnboundedMap};
    // A fixed pool of 3 threads per class upload, never shut down.
    for name in [
        "val124-leak-schoolphotos.hprof",
        "val124-leak-schoolphotos-parallel.jcmd.hprof",
    ] {
        let r = leaks(&crate::common::analyse(name));
        let holder = "testdata.Val124LeakSchoolPhotos$NamedThreadFactory.<executors>";
        first(&r, holder, Verdict::Leak, Executors, 180);
        assert!(r.suspects.len() <= 2, "{name}");
        if let Some(s) = r.suspects.get(1) {
            assert_eq!(s.kind, ClassGroup, "{name}");
            assert_eq!(
                s.holder.display(),
                "testdata.Val124LeakSchoolPhotos$UploadBatch.portraits"
            );
        }
    }
    // Meters tagged with the free-text query: possible leaks alone, a leak by its growth.
    let meters = "testdata.Val124LeakParkrunResults$MeterRegistry.meters";
    for (name, n) in [
        ("val124-leak-parkrunresults-1.hprof", 4_184),
        ("val124-leak-parkrunresults-2.hprof", 7_608),
        ("val124-leak-parkrunresults.hprof", 13_602),
        ("val124-leak-parkrunresults-serial.hprof", 13_602),
    ] {
        only_possible_leak(name, meters, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val124-leak-parkrunresults-1.hprof",
            "val124-leak-parkrunresults-2.hprof",
            "val124-leak-parkrunresults.hprof",
        ],
        meters,
        UnboundedMap,
        13_602,
    );
    // A session store whose sweeper died.
    for name in [
        "val124-leak-caravanparks.hprof",
        "val124-leak-caravanparks-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val124LeakCaravanParks$SessionStore.sessions";
        only_leak(name, holder, UnboundedMap, 13_996);
    }
    // An outbox retried for ever.
    for name in [
        "val124-leak-mottesting.hprof",
        "val124-leak-mottesting-parallel.hprof",
    ] {
        let holder = "testdata.Val124LeakMotTesting$RegisterOutbox.pending";
        only_leak(name, holder, Collection, 10_984);
    }
}
