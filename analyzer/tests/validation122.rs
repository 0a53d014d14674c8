//! Blind validation set 122 (testdata/VALIDATION122.md), written during session 47 by a helper
//! that had not read the detector, and first measured with f8a4201's rules: no healthy run
//! flagged; 5 of 10 leak runs found at #1 (vaccineshipments -2, last and -serial; glidingclub
//! x2, with a second suspect inside the same leak), and the vaccineshipments series. Missed:
//! greyhoundtote x2 (session listeners in 36 per-track `CopyOnWriteArrayList`s of a map: a
//! few large objects), vaccineshipments-1 (7% of the heap, no evidence yet) and
//! plumbingmerchant x2 (plugin loaders pinned by a `ThreadLocal` on pool threads). Asserted as
//! first measured, but for greyhoundtote and plumbingmerchant, found since session 48.

use crate::verdicts::{
    first, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_122_healthy() {
    no_suspects(&[
        "val122-healthy-lasertag-1.hprof",
        "val122-healthy-lasertag-2.hprof",
        "val122-healthy-lasertag.hprof",
        "val122-healthy-lasertag-parallel.jcmd.hprof",
        "val122-healthy-jukeboxes.hprof",
        "val122-healthy-jukeboxes-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val122-healthy-lasertag-1.hprof",
        "val122-healthy-lasertag-2.hprof",
        "val122-healthy-lasertag.hprof",
    ]);
}

#[test]
fn validation_set_122_leaks() {
    use LeakKind::{Collection, OpenResources, ScheduledTasks};
    // A poll per shipment never cancelled on delivery.
    let poller = "testdata.Val122LeakVaccineShipments$ColdChainMonitor.poller";
    for (name, n) in [
        ("val122-leak-vaccineshipments-2.hprof", 2_403),
        ("val122-leak-vaccineshipments.hprof", 4_803),
        ("val122-leak-vaccineshipments-serial.hprof", 4_803),
    ] {
        only_leak(name, poller, ScheduledTasks, n);
    }
    only_leak_in_series(
        &[
            "val122-leak-vaccineshipments-1.hprof",
            "val122-leak-vaccineshipments-2.hprof",
            "val122-leak-vaccineshipments.hprof",
        ],
        poller,
        ScheduledTasks,
        4_803,
    );
    // ZipFiles opened per check and never closed: the tracking list, and the archives' open
    // zips inside it as a second suspect.
    for name in [
        "val122-leak-glidingclub.hprof",
        "val122-leak-glidingclub-serial.jcmd.hprof",
    ] {
        let r = leaks(&crate::common::analyse(name));
        let holder = "testdata.Val122LeakGlidingClub$ArchiveJanitor.openArchives";
        first(&r, holder, Verdict::Leak, Collection, 14_408);
        assert!(r.suspects.len() <= 2, "{name}");
        if let Some(s) = r.suspects.get(1) {
            assert_eq!(s.kind, OpenResources, "{name}");
            assert_eq!(
                s.holder.display(),
                "testdata.Val122LeakGlidingClub$TrackedArchive.zip"
            );
        }
    }
    // Missed as first measured, found since session 48 (tuned on QuoteStream and
    // InvoiceTemplates, not on these): the session listeners in 36 per-track lists of a map,
    // one registry of 9,559 (before: "a few large objects"), and the 60 plugin generations
    // whose last instances are the lane threads' ThreadLocal values (before: no holder).
    for name in [
        "val122-leak-greyhoundtote.hprof",
        "val122-leak-greyhoundtote-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val122LeakGreyhoundTote$OddsBus.byTrack";
        only_leak(name, holder, LeakKind::Listeners, 9_559);
    }
    for name in [
        "val122-leak-plumbingmerchant.hprof",
        "val122-leak-plumbingmerchant-parallel.hprof",
    ] {
        only_leak(
            name,
            "java.lang.Thread.threadLocals",
            LeakKind::Classloaders,
            60,
        );
    }
    // Missed: the first stage of the shipments (7% of the heap, no evidence yet).
    no_suspects(&["val122-leak-vaccineshipments-1.hprof"]);
}
