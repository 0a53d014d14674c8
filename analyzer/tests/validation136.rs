//! Blind validation set 136 (testdata/VALIDATION136.md), written during session 52 by a helper
//! that had not read the detector, and first measured with b3950f9's rules: no healthy run
//! flagged; 9 of 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks. Missed: septictanks-1 (an outbox of sent records never deleted, 2 h in: its records
//! were added over less than the two hours a time window may span, undetermined).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_136_healthy() {
    no_suspects(&[
        "val136-healthy-brassbands-1.hprof",
        "val136-healthy-brassbands-2.hprof",
        "val136-healthy-brassbands.hprof",
        "val136-healthy-brassbands-parallel.jcmd.hprof",
        "val136-healthy-hamradiologs.hprof",
        "val136-healthy-hamradiologs-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val136-healthy-brassbands-1.hprof",
        "val136-healthy-brassbands-2.hprof",
        "val136-healthy-brassbands.hprof",
    ]);
}

#[test]
fn validation_set_136_leaks() {
    use LeakKind::{Collection, Listeners, UnboundedMap};
    // An outbox whose sent records are never deleted (only delivered ones would be): found by
    // the owner's counters once the records span more than two hours.
    let records = "testdata.Val136LeakSepticTanks$JobOutbox.records";
    no_suspects(&["val136-leak-septictanks-1.hprof"]);
    for (name, entries) in [
        ("val136-leak-septictanks-2.hprof", 10_000),
        ("val136-leak-septictanks.hprof", 20_000),
        ("val136-leak-septictanks-serial.jcmd.hprof", 20_000),
    ] {
        only_leak(name, records, UnboundedMap, entries);
    }
    only_leak_in_series(
        &[
            "val136-leak-septictanks-1.hprof",
            "val136-leak-septictanks-2.hprof",
            "val136-leak-septictanks.hprof",
        ],
        records,
        UnboundedMap,
        20_000,
    );
    // Capped per-visitor histories under a map keyed by one-time visitors.
    for name in [
        "val136-leak-jewellers.hprof",
        "val136-leak-jewellers-parallel.hprof",
    ] {
        let holder = "testdata.Val136LeakJewellers$RecentlyViewed.byVisitor";
        only_leak(name, holder, UnboundedMap, 30_328);
    }
    // A queue behind a consumer stuck on a socket read.
    for name in [
        "val136-leak-lobsterfishery.jcmd.hprof",
        "val136-leak-lobsterfishery-serial.hprof",
    ] {
        let holder = "testdata.Val136LeakLobsterFishery$AuditShipper.queue";
        only_leak(name, holder, Collection, 51_481);
    }
    // Observers never deleted from a java.util.Observable.
    for name in [
        "val136-leak-coachhire.hprof",
        "val136-leak-coachhire-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val136LeakCoachHire$FareTable.obs";
        only_leak(name, holder, Listeners, 2_600);
    }
}
