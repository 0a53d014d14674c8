//! The session-9 tuning apps (testdata/SCENARIOS.md, "Session 9 tuning apps"): shapes that the
//! session-8 rules were written for on validation apps, written again as tuning services. Their
//! first measurement (at b761fbf) is in SCENARIOS.md; what is asserted is the result now.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn session_9_healthy_timeline_gives_no_suspect() {
    no_suspects(&[
        "svc-healthy-timeline-1.hprof",
        "svc-healthy-timeline-2.hprof",
        "svc-healthy-timeline.hprof",
        "svc-healthy-timeline-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-timeline-1.hprof",
        "svc-healthy-timeline-2.hprof",
        "svc-healthy-timeline.hprof",
    ]);
}

#[test]
fn session_9_leaks_are_suspect_one() {
    use LeakKind::*;
    use Verdict::*;
    let cases: &[(&str, &str, LeakKind, u64)] = &[
        (
            "svc-leak-reportjobs.hprof",
            "testdata.SvcLeakReportJobs$JobThreadFactory.<executors>",
            Executors,
            360,
        ),
        (
            "svc-leak-reportjobs-serial.hprof",
            "testdata.SvcLeakReportJobs$JobThreadFactory.<executors>",
            Executors,
            360,
        ),
        // 5,000 of the 5,400 listeners leak.
        (
            "svc-leak-presence.hprof",
            "testdata.SvcLeakPresence$PresenceHub.listeners",
            Listeners,
            5_400,
        ),
        (
            "svc-leak-presence-parallel.hprof",
            "testdata.SvcLeakPresence$PresenceHub.listeners",
            Listeners,
            5_400,
        ),
        // First measured with two false suspects each: the same stale loaders again under
        // `ScriptStats.scriptClass` (now merged into the map that holds them) and the 12
        // current loaders of 12 different scripts taken for redeploys (loaders named after
        // different modules are no longer generations of one).
        (
            "svc-leak-scriptcache.hprof",
            "testdata.SvcLeakScriptCache$ScriptMetrics.BY_VERSION (static)",
            Classloaders,
            300,
        ),
        (
            "svc-leak-scriptcache-serial.hprof",
            "testdata.SvcLeakScriptCache$ScriptMetrics.BY_VERSION (static)",
            Classloaders,
            300,
        ),
    ];
    for &(name, holder, kind, entries) in cases {
        let r = leaks(&analyse(name));
        first(&r, holder, Leak, kind, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

#[test]
fn session_9_thread_local_lists_on_plain_threads() {
    use Verdict::*;
    // First measured 6,000 / 12,000 / 12,000: the two plain threads' lists were left out (now
    // every thread's list counts). The records added between the dumps are seconds old, so
    // one dump has no age evidence beyond the first.
    let audit = "testdata.SvcLeakBatchWorkers$BatchAudit.PROCESSED (static)";
    for (name, verdict, entries) in [
        ("svc-leak-batchworkers-1.hprof", Leak, 4_000),
        ("svc-leak-batchworkers-2.hprof", PossibleLeak, 8_000),
        ("svc-leak-batchworkers.hprof", PossibleLeak, 16_000),
        ("svc-leak-batchworkers-serial.hprof", PossibleLeak, 16_000),
    ] {
        let r = leaks(&analyse(name));
        first(&r, audit, verdict, LeakKind::Threadlocal, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // First measured #2, under a part of itself named `BatchWorker.group` (the plain threads'
    // lists, reached through the thread group): a thread's group is no holder now, and a
    // ThreadLocal of lists is a holder across the series, so its growth decides.
    let r = series(&[
        "svc-leak-batchworkers-1.hprof",
        "svc-leak-batchworkers-2.hprof",
        "svc-leak-batchworkers.hprof",
    ]);
    first(&r, audit, Leak, LeakKind::Threadlocal, 16_000);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    let growth = r.suspects[0].growth.as_ref().expect("a growth line");
    assert_eq!(growth.entries, [Some(4_000), Some(8_000), Some(16_000)]);
}
