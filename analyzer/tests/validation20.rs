//! Blind validation set 20 (testdata/VALIDATION20.md), written at the end of session 15 by a
//! helper that had not read the detector, and first measured with 981f8a5 (no rule written for
//! it yet): 0 of 6 healthy dumps and 0 of 1 healthy series flagged; the leak at #1 with the
//! right holder in 8 of 11 leak runs (the series counted), the Cleaner misuse found under a
//! field of the leaked objects, the telemetry map's first stage missed. Session 16's rules
//! (a Cleaner's registrations kept by their own action; entries of threads that ended) found
//! both: 11 of 11.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_20_healthy_as_first_measured() {
    no_suspects(&[
        "val20-healthy-harborpilots-1.hprof",
        "val20-healthy-harborpilots-2.hprof",
        "val20-healthy-harborpilots.hprof",
        "val20-healthy-harborpilots-parallel.jcmd.hprof",
        "val20-healthy-beekeeping.hprof",
        "val20-healthy-beekeeping-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "val20-healthy-harborpilots-1.hprof",
        "val20-healthy-harborpilots-2.hprof",
        "val20-healthy-harborpilots.hprof",
    ]);
}

#[test]
fn validation_set_20_leaks() {
    use LeakKind::*;
    use Verdict::*;
    // Per-thread stats of ended job threads: 600 / 1,200 / 2,400 of 606 / 1,206 / 2,406. The
    // first stage by the threads' status alone (first measured: missed).
    let stats = "testdata.Val20LeakDroneSurvey$Telemetry.PER_THREAD (static)";
    for (name, n) in [
        ("val20-leak-dronesurvey-1.hprof", 606),
        ("val20-leak-dronesurvey-2.hprof", 1_206),
        ("val20-leak-dronesurvey.hprof", 2_406),
        ("val20-leak-dronesurvey-serial.hprof", 2_406),
    ] {
        let r = leaks(&analyse(name));
        first(&r, stats, Leak, StaticCollection, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let ended = "sampled entries belong to a thread that has ended";
        assert!(
            r.suspects[0]
                .evidence
                .iter()
                .any(|e| e.detail.contains(ended)),
            "{name}: {:?}",
            r.suspects[0].evidence
        );
    }
    let r = series(&[
        "val20-leak-dronesurvey-1.hprof",
        "val20-leak-dronesurvey-2.hprof",
        "val20-leak-dronesurvey.hprof",
    ]);
    first(&r, stats, Leak, StaticCollection, 2_406);
    // An HttpClient per claim, parked in a map (1,200), and their selector threads (#2).
    for name in [
        "val20-leak-petinsurance.hprof",
        "val20-leak-petinsurance-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let map = "testdata.Val20LeakPetInsurance$ClinicGateway.inFlight";
        first(&r, map, Leak, UnboundedMap, 1_200);
        assert_eq!(r.suspects.len(), 2, "{name}: {:?}", holders(&r));
        assert_eq!(r.suspects[1].kind, Threads, "{name}");
        assert_eq!(r.suspects[1].entries, 1_201, "{name}");
    }
    // A logging handler added per filing: 3,000 of the logger's 3,002.
    for name in [
        "val20-leak-courtfilings.hprof",
        "val20-leak-courtfilings-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let log = "testdata.Val20LeakCourtFilings$CourtLog.LOG (static)";
        first(&r, log, Leak, Listeners, 3_002);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A Cleaner action capturing its own block: exactly 4,800 of 5,000 never cleaned (the
    // other 200 in use), under the field that keeps the Cleaner. First measured as a class
    // group under a field of the blocks themselves, and in the ParallelGC dump not at all in 2
    // of 3 generations (by the blocks' ages); the registrations do not depend on the collector.
    let cleaner = "testdata.Val20LeakAudioMastering$NativeMemory.CLEANER (static)";
    for name in [
        "val20-leak-audiomastering.hprof",
        "val20-leak-audiomastering-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(&r, cleaner, Leak, CleanerCaptures, 4_800);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let detail = &r.suspects[0].evidence[0].detail;
        assert!(
            detail.starts_with("4,800 of the Cleaner's 5,001 registrations"),
            "{detail}"
        );
    }
}
