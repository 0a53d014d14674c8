//! Blind validation set 52 (testdata/VALIDATION52.md), written during session 30 by a helper
//! that had not read the detector, and first measured with 05b6011's rules: no healthy run
//! flagged; 9 of 11 leak runs at #1 with the right holder; the misses (the first two stages of
//! the bowyers series) leave the leaking holder undetermined. No rule has been written for it.

use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
    retainer,
};

use analyzer::leaks::{LeakKind, Verdict};

use crate::common::analyse;

#[test]
fn validation_set_52_healthy() {
    no_suspects(&[
        "val52-healthy-wainwrights-1.hprof",
        "val52-healthy-wainwrights-2.hprof",
        "val52-healthy-wainwrights.hprof",
        "val52-healthy-wainwrights-serial.jcmd.hprof",
        "val52-healthy-coppersmiths.hprof",
        "val52-healthy-coppersmiths-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val52-healthy-wainwrights-1.hprof",
        "val52-healthy-wainwrights-2.hprof",
        "val52-healthy-wainwrights.hprof",
    ]);
}

#[test]
fn validation_set_52_as_first_measured() {
    use LeakKind::{Collection, StaticCollection, UnboundedMap};
    // Per-customer "recently viewed" lists never trimmed, over a fixed 3,000 customers:
    // undetermined in the first two stages, a leak by the items' ages in the last and over
    // the series.
    let viewed = "testdata.Val52LeakBowyers$Shop.recentlyViewed";
    for name in ["val52-leak-bowyers-1.hprof", "val52-leak-bowyers-2.hprof"] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
        let t = retainer(&r, "testdata.Val52LeakBowyers$Shop", "recentlyViewed");
        assert_eq!((t.verdict, t.entries), (Verdict::Undetermined, Some(3_000)));
    }
    for name in [
        "val52-leak-bowyers.hprof",
        "val52-leak-bowyers-parallel.jcmd.hprof",
    ] {
        only_leak(name, viewed, UnboundedMap, 3_000);
    }
    only_leak_in_series(
        &[
            "val52-leak-bowyers-1.hprof",
            "val52-leak-bowyers-2.hprof",
            "val52-leak-bowyers.hprof",
        ],
        viewed,
        UnboundedMap,
        3_000,
    );
    // Pooled connections never returned on the error path: every one lost is leased still.
    for name in [
        "val52-leak-cordwainers.hprof",
        "val52-leak-cordwainers-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val52LeakCordwainers$ConnectionPool.leased",
            Collection,
            607,
        );
    }
    // Compiled patterns keyed by searches that embed per-request values: a possible leak.
    for name in [
        "val52-leak-enamellers.hprof",
        "val52-leak-enamellers-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val52LeakEnamellers$OrderSearch.compiled",
            Verdict::PossibleLeak,
            UnboundedMap,
            13_067,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // A generated class in a new loader per template compilation, kept by a static registry.
    for name in [
        "val52-leak-goldbeaters.hprof",
        "val52-leak-goldbeaters-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val52LeakGoldbeaters$TemplateEngine.COMPILED (static)",
            StaticCollection,
            2_947,
        );
    }
}
