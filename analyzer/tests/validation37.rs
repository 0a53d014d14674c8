//! Blind validation set 37 (testdata/VALIDATION37.md), written during session 22 by a helper
//! that had not read the detector, and first measured with 7940171: 7 of 11 leak runs at #1
//! with the right holder, no healthy run flagged, and a wrong #2 (the captured sessions as a
//! class group named by the map of live ones). Then: a class group that another candidate's
//! object retains joins it; a `long` cap holding `Integer.MAX_VALUE` is a cap never
//! configured; a high-water mark (`maxDepth = 5,602`) is no cap.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_37_healthy() {
    no_suspects(&[
        "val37-healthy-plantnursery-1.hprof",
        "val37-healthy-plantnursery-2.hprof",
        "val37-healthy-plantnursery.hprof",
        "val37-healthy-plantnursery-serial.jcmd.hprof",
        "val37-healthy-seedbank.hprof",
        "val37-healthy-seedbank-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val37-healthy-plantnursery-1.hprof",
        "val37-healthy-plantnursery-2.hprof",
        "val37-healthy-plantnursery.hprof",
    ]);
}

#[test]
fn validation_set_37_leaks() {
    use LeakKind::*;
    // Cleanup callbacks stacked on a future that never completes: one suspect, the sessions
    // they capture part of it (no second suspect named by the map of the live sessions).
    let lost = "testdata.Val37LeakConferenceBridge$BridgeNode.leaderLost";
    for (name, n) in [
        ("val37-leak-conferencebridge-1.hprof", 4_000),
        ("val37-leak-conferencebridge-2.hprof", 8_000),
        ("val37-leak-conferencebridge.hprof", 16_000),
        ("val37-leak-conferencebridge-parallel.hprof", 16_000),
    ] {
        only_leak(name, lost, Listeners, n);
    }
    let r = series(&[
        "val37-leak-conferencebridge-1.hprof",
        "val37-leak-conferencebridge-2.hprof",
        "val37-leak-conferencebridge.hprof",
    ]);
    first(&r, lost, Verdict::Leak, Listeners, 16_000);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // An LRU whose long cap holds Integer.MAX_VALUE (a misspelt setting's default).
    for name in [
        "val37-leak-recipeportal.hprof",
        "val37-leak-recipeportal-serial.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val37LeakRecipePortal$SearchService.results",
            UnboundedMap,
            19_636,
        );
        assert!(r.suspects[0].explanation.contains("MAX_VALUE"), "{name}");
    }
    // An export StringBuilder never reset: its length varies by a few characters between
    // generations (the lines carry times), its array does not.
    for name in [
        "val37-leak-weighstations.hprof",
        "val37-leak-weighstations-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let s = &r.suspects[0];
        assert_eq!(
            s.holder.display(),
            "testdata.Val37LeakWeighStations$ComplianceExporter.buffer",
            "{name}: {:?}",
            holders(&r)
        );
        assert_eq!(
            (s.kind, s.verdict),
            (Buffer, Verdict::PossibleLeak),
            "{name}"
        );
        assert!(
            (5_400_000..5_700_000).contains(&s.entries),
            "{name}: {}",
            s.entries
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A scope stack popped outside finally: its maxDepth is a high-water mark, not a cap.
    for name in [
        "val37-leak-boilerinspections.hprof",
        "val37-leak-boilerinspections-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val37LeakBoilerInspections$DiagnosticContext.scopes",
            Collection,
            5_601,
        );
    }
}
