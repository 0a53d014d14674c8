//! Blind validation set 97 (testdata/VALIDATION97.md), written during session 39 by a helper
//! that had not read the detector, and first measured with f30714b's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1. Asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_97_healthy() {
    no_suspects(&[
        "val97-healthy-flightcatering-1.hprof",
        "val97-healthy-flightcatering-2.hprof",
        "val97-healthy-flightcatering.hprof",
        "val97-healthy-flightcatering-serial.jcmd.hprof",
        "val97-healthy-weatherradar.hprof",
        "val97-healthy-weatherradar-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val97-healthy-flightcatering-1.hprof",
        "val97-healthy-flightcatering-2.hprof",
        "val97-healthy-flightcatering.hprof",
    ]);
}

#[test]
fn validation_set_97_leaks() {
    use LeakKind::{Executors, OpenResources, Threadlocal, UnboundedMap};
    let metadata = "testdata.Val97LeakLabelArtwork$ArtworkService.metadata";
    for (name, n) in [
        ("val97-leak-labelartwork-1.hprof", 4_000),
        ("val97-leak-labelartwork-2.hprof", 8_000),
        ("val97-leak-labelartwork.hprof", 16_000),
        ("val97-leak-labelartwork-serial.hprof", 16_000),
    ] {
        only_leak(name, metadata, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val97-leak-labelartwork-1.hprof",
            "val97-leak-labelartwork-2.hprof",
            "val97-leak-labelartwork.hprof",
        ],
        metadata,
        UnboundedMap,
        16_000,
    );
    for name in [
        "val97-leak-harbourdues.hprof",
        "val97-leak-harbourdues-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val97LeakHarbourDues$DuesCalculator.auditTrail";
        only_leak(name, holder, Threadlocal, 48_000);
    }
    for name in [
        "val97-leak-farmsubsidies.hprof",
        "val97-leak-farmsubsidies-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val97LeakFarmSubsidies$BatchImport$ImportThreadFactory.<executors>";
        only_leak(name, holder, Executors, 179);
    }
    for name in [
        "val97-leak-pensionstatements.hprof",
        "val97-leak-pensionstatements-parallel.hprof",
    ] {
        let holder = "testdata.Val97LeakPensionStatements$PortalService.openDownloads";
        only_leak(name, holder, OpenResources, 635);
    }
}
