//! Blind validation set 66 (testdata/VALIDATION66.md), written during session 34 by a helper
//! that had not read the detector, and first measured with cc5f1ef's rules: 0 of 7 healthy
//! runs flagged; 7 of 11 leak runs found at #1 with the right holder, skirental's with only
//! one thread-name pattern's pools (39 of 420). Missed: freightforwarder x2 (one session's
//! attributes) and horseracing x2 (vanished clients' queues). Session 34 then merged executor
//! groups held by one field (spent for skirental), and judged deques named for a queue by
//! their entries' ages though consumed from the front (spent for horseracing).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_66_healthy() {
    no_suspects(&[
        "val66-healthy-bicyclecouriers-1.hprof",
        "val66-healthy-bicyclecouriers-2.hprof",
        "val66-healthy-bicyclecouriers.hprof",
        "val66-healthy-bicyclecouriers-serial.jcmd.hprof",
        "val66-healthy-mountainrescue.hprof",
        "val66-healthy-mountainrescue-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val66-healthy-bicyclecouriers-1.hprof",
        "val66-healthy-bicyclecouriers-2.hprof",
        "val66-healthy-bicyclecouriers.hprof",
    ]);
}

#[test]
fn validation_set_66_leaks() {
    use LeakKind::{Executors, UnboundedMap};
    // A reply topic per request, never deleted.
    let topics = "testdata.Val66LeakHousekeeping$Broker.topics";
    let r = leaks(&analyse("val66-leak-housekeeping-1.hprof"));
    first(&r, topics, Verdict::PossibleLeak, UnboundedMap, 6_012);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val66-leak-housekeeping-2.hprof", 12_012),
        ("val66-leak-housekeeping.hprof", 24_012),
        ("val66-leak-housekeeping-parallel.hprof", 24_012),
    ] {
        only_leak(name, topics, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val66-leak-housekeeping-1.hprof",
            "val66-leak-housekeeping-2.hprof",
            "val66-leak-housekeeping.hprof",
        ],
        topics,
        UnboundedMap,
        24_012,
    );
    // An executor per tenant and random shard: every pool the cache holds, whatever the shard
    // letter in its thread's name.
    for name in [
        "val66-leak-skirental.hprof",
        "val66-leak-skirental-serial.hprof",
    ] {
        let holder = "testdata.Val66LeakSkiRental$TenantExecutors.cache";
        only_leak(name, holder, Executors, 420);
    }
    // Vanished clients' outbound queues, consumed until their client vanished: a field
    // named for a queue is judged by how long its frames have waited.
    for name in [
        "val66-leak-horseracing.hprof",
        "val66-leak-horseracing-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val66LeakHorseRacing$ClientSession.outbound";
        only_leak(name, holder, LeakKind::Collection, 87_896);
    }
    // Missed: one session's attributes.
    for name in [
        "val66-leak-freightforwarder.hprof",
        "val66-leak-freightforwarder-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
