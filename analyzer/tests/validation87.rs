//! Blind validation set 87 (testdata/VALIDATION87.md), written during session 36 by a helper
//! that had not read the detector, and first measured with e300b8f's rules (which fixed a panic
//! on autoparts-1): 0 of 7 healthy runs flagged; 4 of
//! 11 leak runs found at #1. Missed: the search-suggestion trie (autoparts x4 and its series: a
//! tree of nodes, no one collection grows) and the completion service's queue never polled
//! (homevaluations x2). Session 36 then took 1,000 or more completed futures in a completion
//! queue for moderate evidence (spent for homevaluations); the rest is asserted as first
//! measured, misses included; session 37 found the trie as a tree (a possible leak across
//! its series, undetermined in one dump).

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_possible_leak,
    series,
};

use analyzer::leaks::LeakKind;
use analyzer::leaks::Verdict::{PossibleLeak, Undetermined};

#[test]
fn validation_set_87_healthy() {
    no_suspects(&[
        "val87-healthy-guidebooks-1.hprof",
        "val87-healthy-guidebooks-2.hprof",
        "val87-healthy-guidebooks.hprof",
        "val87-healthy-guidebooks-serial.jcmd.hprof",
        "val87-healthy-windowblinds.hprof",
        "val87-healthy-windowblinds-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val87-healthy-guidebooks-1.hprof",
        "val87-healthy-guidebooks-2.hprof",
        "val87-healthy-guidebooks.hprof",
    ]);
}

#[test]
fn validation_set_87_leaks() {
    use LeakKind::{Collection, SingleObject, UnboundedMap};
    for name in [
        "val87-leak-digitalmagazines.hprof",
        "val87-leak-digitalmagazines-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val87LeakDigitalMagazines$PageImageCache.images";
        only_leak(name, holder, UnboundedMap, 16_121);
    }
    for name in [
        "val87-leak-planningportal.hprof",
        "val87-leak-planningportal-serial.hprof",
    ] {
        let holder = "testdata.Val87LeakPlanningPortal$HttpSession.attributes";
        only_leak(name, holder, UnboundedMap, 21_496);
    }
    for name in [
        "val87-leak-homevaluations.hprof",
        "val87-leak-homevaluations-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val87LeakHomeValuations$ValuationService.comparables";
        only_possible_leak(name, holder, Collection, 48_000);
    }
    // Missed as first measured (autoparts-1 made the binary panic before the fix). Since
    // session 37 the trie is one candidate (a tree: each node keeps its children in a
    // HashMap): undetermined in one dump, a possible leak across the series (it grew at every
    // step, 2.6x in all).
    let trie = "testdata.Val87LeakAutoParts$PartsService.suggestions";
    for (name, nodes) in [
        ("val87-leak-autoparts-1.hprof", 44_237),
        ("val87-leak-autoparts-2.hprof", 68_530),
        ("val87-leak-autoparts.hprof", 113_888),
        ("val87-leak-autoparts-parallel.hprof", 113_888),
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = r.verdicts.iter().find(|t| t.holder == trie).expect(name);
        assert_eq!(
            (t.verdict, t.kind, t.entries),
            (Undetermined, SingleObject, nodes)
        );
    }
    let r = series(&[
        "val87-leak-autoparts-1.hprof",
        "val87-leak-autoparts-2.hprof",
        "val87-leak-autoparts.hprof",
    ]);
    first(&r, trie, PossibleLeak, SingleObject, 113_888);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
}
