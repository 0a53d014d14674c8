//! Tuning set 33 (testdata/TUNING33.md): a metrics registry that tags each request timer with
//! the raw URI (ids left in: every request a new meter), and a healthy registry tagged by route
//! template beside a page cache keyed by product path and a directory of utility meters. As of
//! session 33 one dump cannot tell the meters from a directory (undetermined); the series can.

use crate::verdicts::{holders, leaks, no_suspects, no_suspects_in_series, only_leak_in_series};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn meters_keyed_by_raw_uris_are_decided_by_a_series() {
    let meters = "testdata.SvcLeakMeterTags$MeterRegistry.meters";
    for (name, n) in [
        ("svc-leak-metertags-1.hprof", 10_003),
        ("svc-leak-metertags-2.hprof", 20_003),
        ("svc-leak-metertags.hprof", 40_003),
        ("svc-leak-metertags-serial.hprof", 40_003),
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = r
            .top_retainers
            .iter()
            .find(|t| t.holder.as_ref().is_some_and(|h| h.field == "meters"))
            .expect("the meters among the big retainers");
        assert_eq!(
            (t.verdict, t.entries),
            (Verdict::Undetermined, Some(n)),
            "{name}"
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
