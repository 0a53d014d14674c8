//! Blind validation set 108 (testdata/VALIDATION108.md), written during session 42 by a helper
//! that had not read the detector, and first measured with 869ae0e's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1. Asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_108_healthy() {
    no_suspects(&[
        "val108-healthy-rickshaws-1.hprof",
        "val108-healthy-rickshaws-2.hprof",
        "val108-healthy-rickshaws.hprof",
        "val108-healthy-rickshaws-serial.jcmd.hprof",
        "val108-healthy-saltworks.hprof",
        "val108-healthy-saltworks-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val108-healthy-rickshaws-1.hprof",
        "val108-healthy-rickshaws-2.hprof",
        "val108-healthy-rickshaws.hprof",
    ]);
}

#[test]
fn validation_set_108_leaks() {
    use LeakKind::{Classloaders, Collection, StaticCollection, Threadlocal};
    // A shutdown hook per batch job, never removed.
    let hooks = "java.lang.ApplicationShutdownHooks.hooks (static)";
    for (name, n) in [
        ("val108-leak-payslipruns-1.hprof", 1_000),
        ("val108-leak-payslipruns-2.hprof", 2_000),
        ("val108-leak-payslipruns.hprof", 4_000),
        ("val108-leak-payslipruns-serial.jcmd.hprof", 4_000),
    ] {
        only_leak(name, hooks, StaticCollection, n);
    }
    only_leak_in_series(
        &[
            "val108-leak-payslipruns-1.hprof",
            "val108-leak-payslipruns-2.hprof",
            "val108-leak-payslipruns.hprof",
        ],
        hooks,
        StaticCollection,
        4_000,
    );
    // Cursors listed to close at the end of the request, closed only on the old API's path.
    for name in [
        "val108-leak-censusbureau.hprof",
        "val108-leak-censusbureau-parallel.hprof",
    ] {
        let holder = "testdata.Val108LeakCensusBureau$ReportService.closeAtEndOfRequest";
        only_leak(name, holder, Collection, 9_786);
    }
    // Old rule generations' class loaders kept by a static statistics map.
    for name in [
        "val108-leak-zoningrules.hprof",
        "val108-leak-zoningrules-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val108LeakZoningRules.RULE_STATS (static)";
        only_leak(name, holder, Classloaders, 96);
    }
    // A per-thread span list on a fixed pool's threads, never cleared.
    for name in [
        "val108-leak-taxidispatch.hprof",
        "val108-leak-taxidispatch-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val108LeakTaxiDispatch.SPANS (static)";
        only_leak(name, holder, Threadlocal, 68_610);
    }
}
