//! Blind validation set 80 (testdata/VALIDATION80.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 0e71674's rules: 0 of 7 healthy
//! runs flagged; 10 of 11 leak runs found at #1 with the right holder. Missed: kiteschools-1
//! (2 h). No rule was changed for it: asserted as first measured.

use crate::verdicts::{
    holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

use crate::common::analyse;

#[test]
fn validation_set_80_healthy() {
    no_suspects(&[
        "val80-healthy-sawmills-1.hprof",
        "val80-healthy-sawmills-2.hprof",
        "val80-healthy-sawmills.hprof",
        "val80-healthy-sawmills-serial.jcmd.hprof",
        "val80-healthy-candyshops.hprof",
        "val80-healthy-candyshops-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val80-healthy-sawmills-1.hprof",
        "val80-healthy-sawmills-2.hprof",
        "val80-healthy-sawmills.hprof",
    ]);
}

#[test]
fn validation_set_80_leaks() {
    use LeakKind::{StaticCollection, UnboundedMap};
    let outbox = "testdata.Val80LeakKiteSchools$Outbox.messages";
    for (name, n) in [
        ("val80-leak-kiteschools-2.hprof", 24_000),
        ("val80-leak-kiteschools.hprof", 48_000),
        ("val80-leak-kiteschools-parallel.hprof", 48_000),
    ] {
        only_leak(name, outbox, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val80-leak-kiteschools-1.hprof",
            "val80-leak-kiteschools-2.hprof",
            "val80-leak-kiteschools.hprof",
        ],
        outbox,
        UnboundedMap,
        48_000,
    );
    for name in [
        "val80-leak-movingvans.hprof",
        "val80-leak-movingvans-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val80LeakMovingVans.STATS_BY_THREAD (static)";
        only_leak(name, holder, StaticCollection, 1_600);
    }
    for name in [
        "val80-leak-craftfairs.hprof",
        "val80-leak-craftfairs-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val80LeakCraftFairs$ThumbnailStore.bySha256";
        only_leak(name, holder, UnboundedMap, 9_000);
    }
    for name in [
        "val80-leak-labcouriers.hprof",
        "val80-leak-labcouriers-serial.hprof",
    ] {
        let holder = "testdata.Val80LeakLabCouriers$BrokerClient.pendingAcks";
        only_leak(name, holder, UnboundedMap, 3_032);
    }
    let r = leaks(&analyse("val80-leak-kiteschools-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
