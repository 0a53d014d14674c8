//! Blind validation set 69 (testdata/VALIDATION69.md), written during session 35 by a helper
//! that had not read the detector, and first measured with session 34's rules (6e42cf8): 0 of
//! 7 healthy runs flagged; 8 of 11 leak runs found at #1 with the right holder. Missed: the
//! undo histories' first stage (2 h) and spabookings x2 (a metric series per trace id, keyed
//! by an object of four Strings). Session 35 then read such composite keys' Strings for their
//! shape (spent for spabookings).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_69_healthy() {
    no_suspects(&[
        "val69-healthy-courtreporters-1.hprof",
        "val69-healthy-courtreporters-2.hprof",
        "val69-healthy-courtreporters.hprof",
        "val69-healthy-courtreporters-serial.jcmd.hprof",
        "val69-healthy-stampcollectors.hprof",
        "val69-healthy-stampcollectors-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val69-healthy-courtreporters-1.hprof",
        "val69-healthy-courtreporters-2.hprof",
        "val69-healthy-courtreporters.hprof",
    ]);
}

#[test]
fn validation_set_69_leaks() {
    use LeakKind::{Collection, ScheduledTasks, Threadlocal, UnboundedMap};
    // Undo histories of a fixed set of documents, never trimmed.
    let undo = "testdata.Val69LeakNewsroomCopy$Document.undo";
    for (name, n) in [
        ("val69-leak-newsroomcopy-2.hprof", 24_000),
        ("val69-leak-newsroomcopy.hprof", 48_000),
        ("val69-leak-newsroomcopy-parallel.hprof", 48_000),
    ] {
        only_leak(name, undo, Collection, n);
    }
    only_leak_in_series(
        &[
            "val69-leak-newsroomcopy-1.hprof",
            "val69-leak-newsroomcopy-2.hprof",
            "val69-leak-newsroomcopy.hprof",
        ],
        undo,
        Collection,
        48_000,
    );
    // A heartbeat task per session, never cancelled.
    for name in [
        "val69-leak-tutoringrooms.hprof",
        "val69-leak-tutoringrooms-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val69LeakTutoringRooms$RoomService.scheduler";
        only_leak(name, holder, ScheduledTasks, 12_000);
    }
    // A metric series per request: its key's tags carry the trace id.
    for name in [
        "val69-leak-spabookings.hprof",
        "val69-leak-spabookings-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val69LeakSpaBookings$MetricsExporter.registry";
        first(&r, holder, Verdict::PossibleLeak, UnboundedMap, 30_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A ThreadLocal template cache per pooled worker, keyed by each request's template.
    for name in [
        "val69-leak-weddinginvites.hprof",
        "val69-leak-weddinginvites-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val69LeakWeddingInvites.TEMPLATE_CACHE (static)";
        first(&r, holder, Verdict::PossibleLeak, Threadlocal, 24_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed: the undo histories' first stage.
    let r = leaks(&analyse("val69-leak-newsroomcopy-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
