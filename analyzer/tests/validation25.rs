//! Blind validation set 25 (testdata/VALIDATION25.md), written during session 17 by a helper
//! that had not read the detector, and first measured with 5eaa445: 5 of 11 leak runs at #1
//! with the right holder, geocoding (2) under a wrong holder by a bug of the new `stale-slots`
//! evidence (a class's static constants read as a queue's indexes), the per-minute rollup's 4
//! single dumps missed; 0 of 7 healthy runs flagged. The bug was then fixed (an instance owns
//! the indexes; a full array may be a ring): geocoding has no suspect. Session 35: the
//! rollup's single dumps are leaks (its keys are times, not natural ids). Asserted as measured.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_25_healthy() {
    no_suspects(&[
        "val25-healthy-citybuses-1.hprof",
        "val25-healthy-citybuses-2.hprof",
        "val25-healthy-citybuses.hprof",
        "val25-healthy-citybuses-serial.jcmd.hprof",
        "val25-healthy-mealkits.hprof",
        "val25-healthy-mealkits-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val25-healthy-citybuses-1.hprof",
        "val25-healthy-citybuses-2.hprof",
        "val25-healthy-citybuses.hprof",
    ]);
}

#[test]
fn validation_set_25_leaks_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    // Webhook deliveries that gave up, never dropped from the retry list: 2,718.
    for name in [
        "val25-leak-yogastudios.hprof",
        "val25-leak-yogastudios-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let retries = "testdata.Val25LeakYogaStudios$WebhookDispatcher.retries";
        first(&r, retries, Leak, Collection, 2_718);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Lazily cancelled timeouts of 24 h: 16,000 deadlines, cancelled = true.
    for name in ["val25-leak-notary.hprof", "val25-leak-notary-serial.hprof"] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val25LeakNotary$TimeoutQueue.queue",
            Leak,
            Collection,
            16_000,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A per-minute rollup whose cleanup never drops a bucket: found by growth across the
    // series, undetermined in each dump.
    let r = series(&[
        "val25-leak-callcenter-1.hprof",
        "val25-leak-callcenter-2.hprof",
        "val25-leak-callcenter.hprof",
    ]);
    let rollup = "testdata.Val25LeakCallCenter$Rollup.byMinute";
    first(&r, rollup, Leak, UnboundedMap, 960);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    // Each dump of the rollup alone: its keys are the minutes' start times (not ids), and the
    // buckets were added over hours and left idle: a leak since session 35.
    for (name, n) in [
        ("val25-leak-callcenter-1.hprof", 240),
        ("val25-leak-callcenter-2.hprof", 480),
        ("val25-leak-callcenter.hprof", 960),
        ("val25-leak-callcenter-parallel.jcmd.hprof", 960),
    ] {
        let r = leaks(&analyse(name));
        first(&r, rollup, Leak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed: every raw latency sample kept as a boxed Long.
    for name in [
        "val25-leak-geocoding.hprof",
        "val25-leak-geocoding-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
