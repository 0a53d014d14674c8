//! Blind validation set 16 (testdata/VALIDATION16.md), written in session 12 by a helper that
//! had not read the detector. First measured with 7f4b13a (plus the exact twin-key count, which
//! changes no verdict): 0 of 8 healthy dumps and 0 of 1 healthy series flagged; the leak at #1
//! with its holder in 6 of 8 leak runs and in the leaking series; pacs (unclosed export
//! channels in a cleanup registry) missed twice (undetermined). Session 12 then added the
//! open-and-dropped evidence on it (pacs spent): what is asserted for pacs is the outcome
//! after that.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{EvidenceName, LeakKind, LeftBy, Verdict};

#[test]
fn validation_set_16_healthy_as_first_measured() {
    no_suspects(&[
        "val16-healthy-windfarm-1.hprof",
        "val16-healthy-windfarm-2.hprof",
        "val16-healthy-windfarm.hprof",
        "val16-healthy-windfarm-serial.jcmd.hprof",
        "val16-healthy-keyboard.hprof",
        "val16-healthy-keyboard-parallel.jcmd.hprof",
        "val16-healthy-ferry.hprof",
        "val16-healthy-ferry-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "val16-healthy-windfarm-1.hprof",
        "val16-healthy-windfarm-2.hprof",
        "val16-healthy-windfarm.hprof",
    ]);
}

#[test]
fn validation_set_16_leaks_as_first_measured() {
    use LeakKind::*;
    use Verdict::*;
    // A courier poller scheduled per order at a fixed rate, never cancelled on delivery: the
    // lambdas capture their orders. 1,104 / 2,703 / 5,900 of 1,600 / 3,200 / 6,400 tasks.
    let tracker = "testdata.Val16LeakFoodDelivery$DispatchService.tracker";
    // Stage 1: 69% of its orders were delivered, under the 80% the finished evidence needs;
    // its count is the orphaned tasks' estimate from 256 sampled (session 41; checked below).
    for (name, n, leaked) in [
        ("val16-leak-fooddelivery-1.hprof", 1_600, None),
        ("val16-leak-fooddelivery-2.hprof", 3_200, Some(2_703)),
        ("val16-leak-fooddelivery.hprof", 6_400, Some(5_900)),
        (
            "val16-leak-fooddelivery-parallel.jcmd.hprof",
            6_400,
            Some(5_900),
        ),
    ] {
        let r = leaks(&analyse(name));
        first(&r, tracker, Leak, ScheduledTasks, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        // Judged on 256 sampled tasks by their state, then counted over every task (session
        // 28; estimated within 10% from the sample before): the truth's count exactly.
        let left = r.suspects[0].left_behind.as_ref();
        assert!(left.is_some(), "{name}");
        if let (Some(left), None) = (left, leaked) {
            // 1,104 orders' pollers left: the sample's estimate within 10%.
            assert_eq!((left.by, left.sampled), (LeftBy::State, 256), "{name}");
            assert!(left.estimate.abs_diff(1_104) <= 110, "{name}: {left:?}");
        }
        if let (Some(left), Some(leaked)) = (left, leaked) {
            assert_eq!(left.by, LeftBy::State, "{name}");
            assert_eq!(
                (left.estimate, left.sampled),
                (leaked, n),
                "{name}: {left:?}"
            );
        }
    }
    let r = series(&[
        "val16-leak-fooddelivery-1.hprof",
        "val16-leak-fooddelivery-2.hprof",
        "val16-leak-fooddelivery.hprof",
    ]);
    first(&r, tracker, Leak, ScheduledTasks, 6_400);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // A trace list per decoder thread in a static ThreadLocal, never removed: 73,503 traces on
    // the 4 decoder threads, all of them leaked.
    for name in [
        "val16-leak-groundstation.hprof",
        "val16-leak-groundstation-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val16LeakGroundStation.FRAME_TRACE (static)",
            Leak,
            Threadlocal,
            73_503,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

#[test]
fn validation_set_16_unclosed_channels() {
    use LeakKind::*;
    use Verdict::*;
    // Export channels registered for cleanup at shutdown, not closed on the cancel path: 488 of
    // 501 (13 exports in flight). Missed as first measured (undetermined: numeric keys against
    // idle entries). Since session 12: open, dropped by all but the registry, idle for hours.
    for name in ["val16-leak-pacs.hprof", "val16-leak-pacs-parallel.hprof"] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val16LeakRadiologyPacs$StreamRegistry.OPEN (static)",
            Leak,
            OpenResources,
            501,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert!(
            r.suspects[0]
                .evidence
                .iter()
                .any(|e| e.name == EvidenceName::OpenResources),
            "{name}: {:?}",
            r.suspects[0].evidence
        );
    }
}
