//! Tuning set 33 (testdata/TUNING33.md): a metrics registry that tags each request timer with
//! the raw URI (ids left in: every request a new meter), and a healthy registry tagged by route
//! template beside a page cache keyed by product path and a directory of utility meters. Since
//! session 34 one dump says possible-leak (nearly every meter counted at most 3 events: keyed
//! per request); the series says leak.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak_in_series,
};

use analyzer::leaks::{EvidenceName, LeakKind, Supports, Verdict};

use crate::common::analyse;

#[test]
fn meters_keyed_by_raw_uris_are_possible_leaks_and_a_series_decides() {
    let meters = "testdata.SvcLeakMeterTags$MeterRegistry.meters";
    for (name, n) in [
        ("svc-leak-metertags-1.hprof", 10_003),
        ("svc-leak-metertags-2.hprof", 20_003),
        ("svc-leak-metertags.hprof", 40_003),
        ("svc-leak-metertags-serial.hprof", 40_003),
    ] {
        let r = leaks(&analyse(name));
        first(&r, meters, Verdict::PossibleLeak, LeakKind::UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let ev = &r.suspects[0].evidence;
        assert!(
            ev.iter()
                .any(|e| e.name == EvidenceName::KeyShape && e.supports == Supports::Leak),
            "{name}: {ev:?}"
        );
        assert!(r.advice.as_deref().unwrap_or("").contains("second dump"));
    }
    only_leak_in_series(
        &[
            "svc-leak-metertags-1.hprof",
            "svc-leak-metertags-2.hprof",
            "svc-leak-metertags.hprof",
        ],
        meters,
        LeakKind::UnboundedMap,
        40_003,
    );
}

#[test]
fn meters_by_route_template_and_their_look_alikes_are_healthy() {
    no_suspects(&[
        "svc-healthy-metertemplates-1.hprof",
        "svc-healthy-metertemplates-2.hprof",
        "svc-healthy-metertemplates.hprof",
        "svc-healthy-metertemplates-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-metertemplates-1.hprof",
        "svc-healthy-metertemplates-2.hprof",
        "svc-healthy-metertemplates.hprof",
    ]);
}
