//! Blind validation set 72 (testdata/VALIDATION72.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 2e9ef71's rules: 0 of 7 healthy
//! runs flagged; 5 of 11 leak runs found at #1 with the right holder. Missed: sneakerexchange
//! x4 (cancelled orders left in the queues of 3,897 price levels in 60 order books: two levels
//! of nesting) and campusdining x2 (counters keyed by the full URL with its query string).
//! Session 35 then looked one level further into the fields of a field candidate's elements,
//! judged a holder nested in another by its collections' average growth in fractions of an
//! entry (spent for sneakerexchange), and read URL keys with query strings (spent for
//! campusdining).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_72_healthy() {
    no_suspects(&[
        "val72-healthy-vinylmarket-1.hprof",
        "val72-healthy-vinylmarket-2.hprof",
        "val72-healthy-vinylmarket.hprof",
        "val72-healthy-vinylmarket-serial.jcmd.hprof",
        "val72-healthy-danceacademies.hprof",
        "val72-healthy-danceacademies-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val72-healthy-vinylmarket-1.hprof",
        "val72-healthy-vinylmarket-2.hprof",
        "val72-healthy-vinylmarket.hprof",
    ]);
}

#[test]
fn validation_set_72_leaks() {
    use LeakKind::{Collection, UnboundedMap};
    // Cancelled orders flagged, never taken out of their price levels' queues: every order
    // queued, cancelled or live, under the books.
    let queues = "testdata.Val72LeakSneakerExchange$PriceLevel.queue";
    for (name, n) in [
        ("val72-leak-sneakerexchange-1.hprof", 5_632),
        ("val72-leak-sneakerexchange-2.hprof", 11_222),
        ("val72-leak-sneakerexchange.hprof", 22_117),
        ("val72-leak-sneakerexchange-parallel.hprof", 22_117),
    ] {
        only_leak(name, queues, Collection, n);
    }
    only_leak_in_series(
        &[
            "val72-leak-sneakerexchange-1.hprof",
            "val72-leak-sneakerexchange-2.hprof",
            "val72-leak-sneakerexchange.hprof",
        ],
        queues,
        Collection,
        22_117,
    );
    // A consumer per request, never closed.
    for name in [
        "val72-leak-laundrypickup.hprof",
        "val72-leak-laundrypickup-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val72LeakLaundryPickup$BrokerConnection.consumers";
        only_leak(name, holder, Collection, 12_004);
    }
    // A counter per full URL, query string included.
    for name in [
        "val72-leak-campusdining.hprof",
        "val72-leak-campusdining-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val72LeakCampusDining$Analytics.hitsByUrl";
        first(&r, holder, Verdict::PossibleLeak, UnboundedMap, 30_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Every job's finished Thread, kept for a monitoring page.
    for name in [
        "val72-leak-insurancerenewals.hprof",
        "val72-leak-insurancerenewals-serial.hprof",
    ] {
        let holder = "testdata.Val72LeakInsuranceRenewals$JobManager.history";
        only_leak(name, holder, Collection, 1_800);
    }
}
