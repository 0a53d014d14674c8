//! Blind validation set 51 (testdata/VALIDATION51.md), written during session 30 by a helper
//! that had not read the detector, and first measured with the unshared-keys rules of session
//! 30 (the same lines as eba707f's): both healthy recordpressers dumps flagged (one-shot
//! clean-up tasks scheduled a day ahead, each capturing its upload's id, judged a leak by the
//! capture evidence held strong for every scheduled task); 10 of 11 leak runs at #1 with the
//! right holder. Made after that measurement, so recordpressers and framers are spent for it:
//! capturing state is strong evidence only for tasks that repeat (`evidence/captures.rs`).

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_51_healthy() {
    no_suspects(&[
        "val51-healthy-chocolatiers-1.hprof",
        "val51-healthy-chocolatiers-2.hprof",
        "val51-healthy-chocolatiers.hprof",
        "val51-healthy-chocolatiers-serial.jcmd.hprof",
        "val51-healthy-recordpressers.hprof",
        "val51-healthy-recordpressers-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val51-healthy-chocolatiers-1.hprof",
        "val51-healthy-chocolatiers-2.hprof",
        "val51-healthy-chocolatiers.hprof",
    ]);
}

#[test]
fn validation_set_51_meters_plans_listeners() {
    use LeakKind::{Collection, UnboundedMap};
    // A metrics registry whose checkout timer is tagged with the basket id: a leak by the
    // meters' ages from stage 2 on, and by growth over the series; stage 1 (2 h) a possible
    // leak since session 34: nearly every meter counted at most 3 events.
    let meters = "testdata.Val51LeakSpiceMerchants$MeterRegistry.meters";
    let r = leaks(&analyse("val51-leak-spicemerchants-1.hprof"));
    first(&r, meters, Verdict::PossibleLeak, UnboundedMap, 6_034);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val51-leak-spicemerchants-2.hprof", 12_034),
        ("val51-leak-spicemerchants.hprof", 24_034),
        ("val51-leak-spicemerchants-parallel.jcmd.hprof", 24_034),
    ] {
        only_leak(name, meters, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val51-leak-spicemerchants-1.hprof",
            "val51-leak-spicemerchants-2.hprof",
            "val51-leak-spicemerchants.hprof",
        ],
        meters,
        UnboundedMap,
        24_034,
    );
    // A plan cache keyed by SQL text with the literals inlined.
    for name in [
        "val51-leak-teaimporters.hprof",
        "val51-leak-teaimporters-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val51LeakTeaImporters$QueryEngine.planCache",
            UnboundedMap,
            24_923,
        );
    }
    // Listeners of expired sessions never removed from an application-wide bus.
    for name in [
        "val51-leak-karaokebars.hprof",
        "val51-leak-karaokebars-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val51LeakKaraokeBars$QueueEventBus.listeners",
            Collection,
            12_000,
        );
    }
}

#[test]
fn validation_set_51_delayed_tasks() {
    // One-shot clean-up tasks scheduled a day ahead, each capturing its upload's payload: a
    // possible leak (one-shot tasks let go of what they captured when they run), the payload
    // named as what each task retains.
    for name in [
        "val51-leak-framers.hprof",
        "val51-leak-framers-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val51LeakFramers$ProofService.cleaner",
            Verdict::PossibleLeak,
            LeakKind::ScheduledTasks,
            6_000,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
