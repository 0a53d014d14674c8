//! Blind validation set 99 (testdata/VALIDATION99.md), written during session 39 by a helper
//! that had not read the detector, and first measured with f30714b's rules: 0 of 7 healthy runs
//! flagged; 7 of 11 leak runs found at #1. Missed: the outbox whose acks of one topic are
//! ignored (petpharmacy, every single dump: the map is undetermined; the series finds it).
//! Asserted as first measured, misses included, except petpharmacy: spent in session 40 for
//! the thinned-sequence rule (found from its 4 h stage on).

use crate::verdicts::{
    missed_or_only, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_99_healthy() {
    no_suspects(&[
        "val99-healthy-parceldepots-1.hprof",
        "val99-healthy-parceldepots-2.hprof",
        "val99-healthy-parceldepots.hprof",
        "val99-healthy-parceldepots-serial.jcmd.hprof",
        "val99-healthy-animalshelters.hprof",
        "val99-healthy-animalshelters-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val99-healthy-parceldepots-1.hprof",
        "val99-healthy-parceldepots-2.hprof",
        "val99-healthy-parceldepots.hprof",
    ]);
}

#[test]
fn validation_set_99_leaks() {
    use LeakKind::{Listeners, UnboundedMap};
    let outbox = "testdata.Val99LeakPetPharmacy$Outbox.messages";
    only_leak_in_series(
        &[
            "val99-leak-petpharmacy-1.hprof",
            "val99-leak-petpharmacy-2.hprof",
            "val99-leak-petpharmacy.hprof",
        ],
        outbox,
        UnboundedMap,
        12_926,
    );
    for name in [
        "val99-leak-boatregistry.hprof",
        "val99-leak-boatregistry-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val99LeakBoatRegistry$ConnectionPool.leased";
        only_leak(name, holder, UnboundedMap, 611);
    }
    for name in [
        "val99-leak-royaltyreports.hprof",
        "val99-leak-royaltyreports-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val99LeakRoyaltyReports$ReportCache.entries";
        only_leak(name, holder, UnboundedMap, 4_894);
    }
    for name in [
        "val99-leak-greetingcards.hprof",
        "val99-leak-greetingcards-parallel.hprof",
    ] {
        let holder = "testdata.Val99LeakGreetingCards$ShutdownCleanup.ON_SHUTDOWN (static)";
        only_leak(name, holder, Listeners, 3_003);
    }
    // Missed as first measured. Since session 40 (the outbox spent for it: a sequence kept
    // evenly thinned is left behind) found from the 4 h stage on; the 2 h stage (7.7%) not.
    missed_or_only("val99-leak-petpharmacy-1.hprof", outbox);
    for (name, n) in [
        ("val99-leak-petpharmacy-2.hprof", 6_533),
        ("val99-leak-petpharmacy.hprof", 12_926),
        ("val99-leak-petpharmacy-serial.hprof", 12_926),
    ] {
        only_leak(name, outbox, UnboundedMap, n);
    }
}
