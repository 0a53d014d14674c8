//! Blind validation set 43 (testdata/VALIDATION43.md), written during session 25 by a helper
//! that had not read the detector, and first measured with acf4749's rules: 5 of 11 leak runs
//! at #1 with the right holder (bellfounders x2, woodturners x2, the basketmakers series), no
//! healthy run flagged. Then (session 25): the JVM's system properties are a registry the
//! application fills (`System.props`), thousands of them named with ids are set per job
//! (goldsmiths); a text buffer's lines may carry their time after other fields, and lines
//! finished in the same minute may be written in any order (basketmakers). Still missed:
//! basketmakers-1 (6.9% of the heap, under the threshold).

use crate::verdicts::{
    first, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, retainer,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_43_healthy() {
    no_suspects(&[
        "val43-healthy-dyers-1.hprof",
        "val43-healthy-dyers-2.hprof",
        "val43-healthy-dyers.hprof",
        "val43-healthy-dyers-serial.jcmd.hprof",
        "val43-healthy-plasterers.hprof",
        "val43-healthy-plasterers-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val43-healthy-dyers-1.hprof",
        "val43-healthy-dyers-2.hprof",
        "val43-healthy-dyers.hprof",
    ]);
}

#[test]
fn validation_set_43_leaks() {
    use LeakKind::*;
    // Three system properties per assay job, never cleared.
    for name in [
        "val43-leak-goldsmiths.hprof",
        "val43-leak-goldsmiths-serial.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "java.lang.System.props (static)",
            StaticCollection,
            20_622,
        );
        assert!(
            r.suspects[0].explanation.contains("System.clearProperty"),
            "{name}"
        );
    }
    // Outboxes of ended sessions left in the hub's map.
    for name in [
        "val43-leak-bellfounders.hprof",
        "val43-leak-bellfounders-parallel.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val43LeakBellfounders$NotificationHub.outboxes",
            UnboundedMap,
            23_947,
        );
    }
    // Unsubscribed with a new method reference: every closed session stays subscribed.
    for name in [
        "val43-leak-woodturners.hprof",
        "val43-leak-woodturners-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val43LeakWoodturners$PriceFeed.subscribers",
            Listeners,
            5_427,
        );
    }
}

#[test]
fn validation_set_43_journal_never_reset() {
    let holder = "testdata.Val43LeakBasketmakers$ExportJournal.buffer";
    for (name, bytes) in [
        ("val43-leak-basketmakers-2.hprof", 1_750_897),
        ("val43-leak-basketmakers.hprof", 3_501_929),
        ("val43-leak-basketmakers-parallel.jcmd.hprof", 3_501_929),
    ] {
        let r = leaks(&analyse(name));
        first(&r, holder, Verdict::PossibleLeak, LeakKind::Buffer, bytes);
        assert_eq!(r.suspects.len(), 1, "{name}");
    }
    // Stage 1 keeps 6.9% of the heap: evidence below the threshold, one entry for the holder.
    let r = leaks(&analyse("val43-leak-basketmakers-1.hprof"));
    assert!(r.suspects.is_empty());
    let t = retainer(&r, "testdata.Val43LeakBasketmakers$ExportJournal", "buffer");
    assert_eq!(t.verdict, Verdict::Undetermined);
    let held = |t: &&analyzer::leaks::Retainer| {
        t.holder.as_ref().map(|h| h.display()).as_deref() == Some(holder)
    };
    assert_eq!(r.top_retainers.iter().filter(held).count(), 1);
    only_leak_in_series(
        &[
            "val43-leak-basketmakers-1.hprof",
            "val43-leak-basketmakers-2.hprof",
            "val43-leak-basketmakers.hprof",
        ],
        holder,
        LeakKind::Buffer,
        3_501_929,
    );
}
