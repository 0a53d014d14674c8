//! The session-32 tuning apps (testdata/TUNING32.md): an event journal kept in a hand-written
//! growable array (`Event[] items; int count;`, doubled when full) whose shipper never drops
//! what it shipped, once with an `int` index of the shipped prefix (`SvcLeakEventJournal`) and
//! once with only `long` sequence numbers (`SvcLeakEventLog`, the lead's twin); and a healthy
//! batch writer with a fixed batch buffer, a hand-written list of tariffs loaded once and a
//! ring. Before session 32 the twin's array was taken for a fixed table (a strong bound) in
//! every dump; what is asserted is the result now.

use crate::verdicts::{
    holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, retainer,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn session_32_healthy_batch_writer_gives_no_suspect() {
    no_suspects(&[
        "svc-healthy-batchwriter-1.hprof",
        "svc-healthy-batchwriter-2.hprof",
        "svc-healthy-batchwriter.hprof",
        "svc-healthy-batchwriter-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-batchwriter-1.hprof",
        "svc-healthy-batchwriter-2.hprof",
        "svc-healthy-batchwriter.hprof",
    ]);
}

#[test]
fn session_32_a_hand_written_list_is_no_fixed_table() {
    let journal = "testdata.SvcLeakEventJournal$EventJournal.items";
    let log = "testdata.SvcLeakEventLog$EventJournal.items";
    for (name, n) in [
        ("svc-leak-eventjournal-1.hprof", 6_000),
        ("svc-leak-eventjournal-2.hprof", 12_000),
        ("svc-leak-eventjournal.hprof", 24_000),
        ("svc-leak-eventjournal-parallel.hprof", 24_000),
    ] {
        only_leak(name, journal, LeakKind::ClassGroup, n);
    }
    // Real hours of events in one dump: the events' own times, in the array's slot order.
    for name in [
        "svc-leak-eventlog-parallel.hprof",
        "svc-leak-eventlog-g1.hprof",
    ] {
        let r = only_leak(name, log, LeakKind::ClassGroup, 24_000);
        let ages = &r.suspects[0].evidence[0].detail;
        assert!(ages.contains("field at follows the order"), "{ages}");
    }
    // The series squeezes hours 2-8 into seconds: one dump has no evidence, and says so.
    for name in [
        "svc-leak-eventlog-1.hprof",
        "svc-leak-eventlog-2.hprof",
        "svc-leak-eventlog.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = retainer(&r, "testdata.SvcLeakEventLog$EventJournal", "items");
        assert_eq!(t.verdict, Verdict::Undetermined, "{name}");
    }
    only_leak_in_series(
        &[
            "svc-leak-eventlog-1.hprof",
            "svc-leak-eventlog-2.hprof",
            "svc-leak-eventlog.hprof",
        ],
        log,
        LeakKind::ClassGroup,
        24_000,
    );
}
