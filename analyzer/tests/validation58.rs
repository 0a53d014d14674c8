//! Blind validation set 58 (testdata/VALIDATION58.md), written during session 33 by a helper
//! that had not read the detector, and first measured with 63c1f0d's rules: 0 of 7 healthy
//! runs flagged; 7 of 11 leak runs found at #1 with the right holder. Missed: the meter
//! registry keyed by paths with ids in every single dump (undetermined); its series is a leak.
//! Since session 34 (made after that measurement, not blind) each single dump is a
//! possible-leak: nearly every meter counted at most 3 events.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_58_healthy() {
    no_suspects(&[
        "val58-healthy-beachresorts-1.hprof",
        "val58-healthy-beachresorts-2.hprof",
        "val58-healthy-beachresorts.hprof",
        "val58-healthy-beachresorts-serial.jcmd.hprof",
        "val58-healthy-minigolf.hprof",
        "val58-healthy-minigolf-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val58-healthy-beachresorts-1.hprof",
        "val58-healthy-beachresorts-2.hprof",
        "val58-healthy-beachresorts.hprof",
    ]);
}

#[test]
fn validation_set_58_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // Meters keyed by request paths with their ids: each dump a possible leak, the series a leak.
    let meters = "testdata.Val58LeakFoodTrucks$MeterRegistry.meters";
    for (name, n) in [
        ("val58-leak-foodtrucks-1.hprof", 5_731),
        ("val58-leak-foodtrucks-2.hprof", 10_940),
        ("val58-leak-foodtrucks.hprof", 21_163),
        ("val58-leak-foodtrucks-parallel.hprof", 21_163),
    ] {
        let r = leaks(&analyse(name));
        first(&r, meters, Verdict::PossibleLeak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    only_leak_in_series(
        &[
            "val58-leak-foodtrucks-1.hprof",
            "val58-leak-foodtrucks-2.hprof",
            "val58-leak-foodtrucks.hprof",
        ],
        meters,
        UnboundedMap,
        21_163,
    );
    // Token buckets keyed by client IP and path, never evicted.
    for name in [
        "val58-leak-languageschools.hprof",
        "val58-leak-languageschools-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val58LeakLanguageSchools$RateLimiter.buckets";
        only_leak(name, holder, UnboundedMap, 79_260);
    }
    // Every finished task's context kept by afterExecute "for diagnostics".
    for name in [
        "val58-leak-carpenters.hprof",
        "val58-leak-carpenters-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val58LeakCarpenters$QuotePool.diagnostics";
        only_leak(name, holder, Collection, 30_000);
    }
    // A session store whose sweeper thread died 4 h before the dump.
    for name in [
        "val58-leak-zootickets.hprof",
        "val58-leak-zootickets-serial.hprof",
    ] {
        let holder = "testdata.Val58LeakZooTickets$SessionStore.sessions";
        only_leak(name, holder, UnboundedMap, 14_445);
    }
}
