//! Blind validation set 59 (testdata/VALIDATION59.md), written during session 33 by a helper
//! that had not read the detector, and first measured with df18f59's rules: 0 of 7 healthy
//! runs flagged; 8 of 11 leak runs found at #1 with the right holder. Missed: bingohalls-1 (an
//! audit outbox of 2 h of records, the span of a time window) and patentdrafting x2 (undo stacks
//! keyed by document id, their edits' times inside each stack's deque).

use crate::verdicts::{
    holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_59_healthy() {
    no_suspects(&[
        "val59-healthy-hotsprings-1.hprof",
        "val59-healthy-hotsprings-2.hprof",
        "val59-healthy-hotsprings.hprof",
        "val59-healthy-hotsprings-serial.jcmd.hprof",
        "val59-healthy-choirlibrary.hprof",
        "val59-healthy-choirlibrary-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val59-healthy-hotsprings-1.hprof",
        "val59-healthy-hotsprings-2.hprof",
        "val59-healthy-hotsprings.hprof",
    ]);
}

#[test]
fn validation_set_59_leaks() {
    use LeakKind::{StaticCollection, UnboundedMap};
    // An audit outbox the disabled shipping job never drains.
    let outbox = "testdata.Val59LeakBingoHalls$AuditTrail.OUTBOX (static)";
    let r = leaks(&analyse("val59-leak-bingohalls-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    for (name, n) in [
        ("val59-leak-bingohalls-2.hprof", 20_000),
        ("val59-leak-bingohalls.hprof", 40_000),
        ("val59-leak-bingohalls-parallel.hprof", 40_000),
    ] {
        only_leak(name, outbox, StaticCollection, n);
    }
    only_leak_in_series(
        &[
            "val59-leak-bingohalls-1.hprof",
            "val59-leak-bingohalls-2.hprof",
            "val59-leak-bingohalls.hprof",
        ],
        outbox,
        StaticCollection,
        40_000,
    );
    // An MBean per connection, never unregistered (the MBean server's map, through the gateway).
    for name in [
        "val59-leak-containercranes.hprof",
        "val59-leak-containercranes-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val59LeakContainerCranes$TelemetryGateway.mbeans";
        only_leak(name, holder, UnboundedMap, 6_000);
    }
    // Idempotency keys whose pruning was never scheduled.
    for name in [
        "val59-leak-charitydonations.hprof",
        "val59-leak-charitydonations-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val59LeakCharityDonations$DonationService.idempotency";
        only_leak(name, holder, UnboundedMap, 32_000);
    }
    // Undo stacks of every document ever opened: undetermined in one dump.
    for name in [
        "val59-leak-patentdrafting.hprof",
        "val59-leak-patentdrafting-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let undo = r
            .top_retainers
            .iter()
            .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "UNDO_BY_DOC"))
            .expect("the undo stacks among the big retainers");
        assert_eq!(undo.verdict, Verdict::Undetermined, "{name}");
    }
}
