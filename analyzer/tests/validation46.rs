//! Blind validation set 46 (testdata/VALIDATION46.md), written during session 26 by a helper
//! that had not read the detector, and first measured with session 26's rules: 9 of 11 leak
//! runs at #1 with the right holder, no healthy run flagged. Missed: fareclearing x2, a
//! `long[]` of times indexed by a sequence number, never windowed (no evidence reads a
//! primitive array's values yet). No rule was written for it.

use crate::verdicts::{
    first, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_46_healthy() {
    no_suspects(&[
        "val46-healthy-firestations-1.hprof",
        "val46-healthy-firestations-2.hprof",
        "val46-healthy-firestations.hprof",
        "val46-healthy-firestations-serial.jcmd.hprof",
        "val46-healthy-waterparks.hprof",
        "val46-healthy-waterparks-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val46-healthy-firestations-1.hprof",
        "val46-healthy-firestations-2.hprof",
        "val46-healthy-firestations.hprof",
    ]);
}

#[test]
fn validation_set_46_leaks() {
    use LeakKind::*;
    // Rendered reports keyed by the request's minute: no key is ever asked for again.
    let rendered = "testdata.Val46LeakCropInsurance$ReportService.rendered";
    let r = leaks(&analyse("val46-leak-cropinsurance-1.hprof"));
    first(&r, rendered, Verdict::PossibleLeak, UnboundedMap, 2_396);
    assert_eq!(r.suspects.len(), 1);
    for (name, entries) in [
        ("val46-leak-cropinsurance-2.hprof", 4_783),
        ("val46-leak-cropinsurance.hprof", 9_570),
        ("val46-leak-cropinsurance-parallel.jcmd.hprof", 9_570),
    ] {
        only_leak(name, rendered, UnboundedMap, entries);
    }
    only_leak_in_series(
        &[
            "val46-leak-cropinsurance-1.hprof",
            "val46-leak-cropinsurance-2.hprof",
            "val46-leak-cropinsurance.hprof",
        ],
        rendered,
        UnboundedMap,
        9_570,
    );
    // Statements never closed, kept in their pooled connection's list.
    for name in [
        "val46-leak-herbarium.hprof",
        "val46-leak-herbarium-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val46LeakHerbarium$Connection.openStatements",
            Collection,
            14_843,
        );
    }
    // Gauge lambdas of finished import jobs, never unregistered.
    for name in [
        "val46-leak-surveypanels.hprof",
        "val46-leak-surveypanels-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val46LeakSurveyPanels$MetricsRegistry.gauges",
            Listeners,
            4_240,
        );
    }
}

#[test]
fn validation_set_46_sequence_table() {
    // A long[] of times indexed by sequence number, never windowed: missed when first
    // measured; a possible leak since its slots' times are read (spent).
    for name in [
        "val46-leak-fareclearing.hprof",
        "val46-leak-fareclearing-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val46LeakFareClearing$SeenTable.seenAt",
            Verdict::PossibleLeak,
            LeakKind::PrimitiveArray,
            1_048_576,
        );
        assert_eq!(r.suspects.len(), 1, "{name}");
        assert!(r.suspects[0].evidence[0]
            .detail
            .starts_with("600,000 of its 1,048,576 slots hold times"));
    }
}
