//! Blind validation set 12 (testdata/VALIDATION12.md), written at the end of session 9 by a
//! helper that had not read the detector, and measured once with the session's final rules
//! (4f6dba2). Nothing was changed after seeing it: the set is not spent. What is asserted is
//! that first measurement, misses included.

use crate::common::analyse;
use crate::verdicts::{
    first, first_or_none, holders, leaks, no_suspects, no_suspects_in_series, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_12_as_first_measured() {
    use LeakKind::*;
    use Verdict::*;
    no_suspects(&[
        "val12-healthy-featureflags-1.hprof",
        "val12-healthy-featureflags-2.hprof",
        "val12-healthy-featureflags.hprof",
        "val12-healthy-featureflags-parallel.jcmd.hprof",
        "val12-healthy-statements.hprof",
        "val12-healthy-statements-serial.jcmd.hprof",
        "val12-healthy-carrental.hprof",
        "val12-healthy-carrental-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val12-healthy-featureflags-1.hprof",
        "val12-healthy-featureflags-2.hprof",
        "val12-healthy-featureflags.hprof",
    ]);

    // Found, possible-leak in each dump as first measured (20,000 of the 20,012 listeners
    // leak); leak by growth. Since session 10 (spent: a time field named for an end, here the
    // captured query's `finishedAt`, says the object's work is over, `evidence/states.rs`,
    // tuned on val13 parcellockers) a leak in each dump.
    let listeners = "testdata.Val12LeakCrewScheduling$DutyEventBus.listeners";
    for (name, n) in [
        ("val12-leak-crewsched-1.hprof", 5_012),
        ("val12-leak-crewsched-2.hprof", 10_012),
        ("val12-leak-crewsched.hprof", 20_012),
        ("val12-leak-crewsched-serial.jcmd.hprof", 20_012),
    ] {
        let r = leaks(&analyse(name));
        first(&r, listeners, Leak, Listeners, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val12-leak-crewsched-1.hprof",
        "val12-leak-crewsched-2.hprof",
        "val12-leak-crewsched.hprof",
    ]);
    first(&r, listeners, Leak, Listeners, 20_012);
    // Found (2,400 of the 2,416 streams leak).
    for name in [
        "val12-leak-sportsodds.hprof",
        "val12-leak-sportsodds-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val12LeakSportsOdds$FeedClient.openStreams";
        first(&r, holder, Leak, Collection, 2_416);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed as first measured: a static map of 240 small per-broker maps (2,400 leaked
    // worksheets, ~8%). No false suspect in their place. Since session 10 (spent: a collection
    // whose entries are all collections is judged on a sample of their elements,
    // `detect/inner_elements.rs`) the G1 dump is a leak at #1: the worksheets' `openedAt` over
    // 9.9 h, mostly idle, under per-application UUID keys. The parallel dump was missed then:
    // a list in `main`'s frame holds the worksheets too, so the map retains 127 KiB (0.5%),
    // under the candidate floor, and the worksheets as a class group (8.4%) are under the
    // threshold that class groups need (a lower one flagged 5 healthy dumps, not kept).
    // Whether `main`'s frame still holds the worksheets depends on the run, in either dump
    // (CI on 66635c5 found the parallel one; CI on ea14d90 missed the G1 one): found or
    // missed by that, never another holder; when found, with the worksheets counted.
    for name in [
        "val12-leak-underwriting.hprof",
        "val12-leak-underwriting-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val12LeakUnderwriting$Worksheets.BY_BROKER (static)";
        first_or_none(&r, holder, Leak, StaticCollection, 240);
        assert!(r.suspects.len() <= 1, "{name}: {:?}", holders(&r));
        if let Some(s) = r.suspects.first() {
            let inner = s.per_entry.as_ref().and_then(|p| p.inner.as_ref());
            let inner = inner.expect("inner");
            // Scaled from the maps it counted: within 5% of the 2,550.
            assert!(inner.entries.abs_diff(2_550) <= 2_550 / 20, "{inner:?}");
        }
    }
}
