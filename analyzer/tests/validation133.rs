//! Blind validation set 133 (testdata/VALIDATION133.md), written during session 51 by a helper
//! that had not read the detector, and first measured with 3455d5e's rules: 2 of 7 healthy runs
//! flagged (airshiptours x2: 220 waivers, 2.5% of the heap, signed over 2.6 h and idle, a leak
//! by their ages alone); all 10 leak runs and the leak series flagged at #1, volcanowatch x2
//! through a field on the path to the subscribers (`PanelSubscriber.subscription`), not the
//! publisher's subscriber list. Since session 51's small-structure rule (tuned on
//! BoardingWaivers, written after this result: airshiptours is spent for that change) neither
//! airshiptours run is flagged, and since publishers are read as collections (tuned on
//! FlowSubscribers; volcanowatch is spent for it) volcanowatch is named by the publisher's
//! field; the rest as first measured.

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_133_healthy() {
    no_suspects(&[
        "val133-healthy-cranberrybogs-1.hprof",
        "val133-healthy-cranberrybogs-2.hprof",
        "val133-healthy-cranberrybogs.hprof",
        "val133-healthy-cranberrybogs-parallel.jcmd.hprof",
        "val133-healthy-airshiptours.hprof",
        "val133-healthy-airshiptours-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val133-healthy-cranberrybogs-1.hprof",
        "val133-healthy-cranberrybogs-2.hprof",
        "val133-healthy-cranberrybogs.hprof",
    ]);
}

#[test]
fn validation_set_133_leaks() {
    use LeakKind::{Listeners, UnboundedMap};
    // An idempotent consumer's processed ids, never expired.
    let processed = "testdata.Val133LeakBaggageHandling$IdempotentConsumer.processed";
    only_possible_leak(
        "val133-leak-baggagehandling-1.hprof",
        processed,
        UnboundedMap,
        18_000,
    );
    only_leak(
        "val133-leak-baggagehandling-2.hprof",
        processed,
        UnboundedMap,
        36_000,
    );
    for name in [
        "val133-leak-baggagehandling.hprof",
        "val133-leak-baggagehandling-parallel.jcmd.hprof",
    ] {
        only_leak(name, processed, UnboundedMap, 72_000);
    }
    only_leak_in_series(
        &[
            "val133-leak-baggagehandling-1.hprof",
            "val133-leak-baggagehandling-2.hprof",
            "val133-leak-baggagehandling.hprof",
        ],
        processed,
        UnboundedMap,
        72_000,
    );
    // A logging handler added on every reconfiguration, never removed.
    for name in [
        "val133-leak-sugarbeet.hprof",
        "val133-leak-sugarbeet-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val133LeakSugarBeet.LOG (static)",
            Listeners,
            61,
        );
    }
    // SubmissionPublisher subscribers of ended sessions, never cancelled. As first measured:
    // the subscribers, named by a field on the path to them (as val103 metalsexchange). Since
    // session 51 (publishers read as collections, tuned on FlowSubscribers, written after this
    // result: volcanowatch is spent for that change): the publisher's field.
    for name in [
        "val133-leak-volcanowatch.jcmd.hprof",
        "val133-leak-volcanowatch-parallel.hprof",
    ] {
        let holder = "testdata.Val133LeakVolcanoWatch$VolcanoStatusService.statusStream";
        only_leak(name, holder, Listeners, 2_000);
    }
    // A WeakHashMap whose values hold their keys.
    for name in [
        "val133-leak-peerreview.hprof",
        "val133-leak-peerreview-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val133LeakPeerReview$ScreeningService.metaCache";
        only_leak(name, holder, UnboundedMap, 7_000);
    }
}
