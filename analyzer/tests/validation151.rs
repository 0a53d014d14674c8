//! Blind validation set 151 (testdata/VALIDATION151.md), written during session 56 by a helper
//! that had not read the detector, and first measured with 278d87e's rules: no healthy run
//! flagged; all 11 leak runs and the leak series flagged with the right holder at #1 (8 as
//! leaks, 3 as possible leaks).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_151_healthy() {
    no_suspects(&[
        "val151-healthy-teablending-1.hprof",
        "val151-healthy-teablending-2.hprof",
        "val151-healthy-teablending.hprof",
        "val151-healthy-teablending-serial.jcmd.hprof",
        "val151-healthy-carillons.hprof",
        "val151-healthy-carillons-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val151-healthy-teablending-1.hprof",
        "val151-healthy-teablending-2.hprof",
        "val151-healthy-teablending.hprof",
    ]);
}

#[test]
fn validation_set_151_leaks() {
    use LeakKind::{Listeners, Threadlocal, UnboundedMap};
    // Breadcrumbs of a pool thread's ThreadLocal context, cleared on success only.
    let context = "testdata.Val151LeakMuralCommissions.CONTEXT (static)";
    only_possible_leak(
        "val151-leak-muralcommissions-1.hprof",
        context,
        Threadlocal,
        22_802,
    );
    for (name, n) in [
        ("val151-leak-muralcommissions-2.hprof", 45_103),
        ("val151-leak-muralcommissions.hprof", 90_054),
        ("val151-leak-muralcommissions-parallel.hprof", 90_054),
    ] {
        only_leak(name, context, Threadlocal, n);
    }
    only_leak_in_series(
        &[
            "val151-leak-muralcommissions-1.hprof",
            "val151-leak-muralcommissions-2.hprof",
            "val151-leak-muralcommissions.hprof",
        ],
        context,
        Threadlocal,
        90_054,
    );
    // Per-connection statement caches keyed by SQL text with a literal id in it.
    for name in [
        "val151-leak-grainsilos.hprof",
        "val151-leak-grainsilos-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val151LeakGrainSilos$DbConnection.statementCache";
        only_leak(name, holder, UnboundedMap, 19_248);
    }
    // Handlers unsubscribed with a new method reference: nothing removed.
    for name in [
        "val151-leak-leisurecentres.hprof",
        "val151-leak-leisurecentres-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val151LeakLeisureCentres$EventBus.handlers";
        only_leak(name, holder, Listeners, 30_192);
    }
    // An intern map fed with user search phrases.
    for name in [
        "val151-leak-antiquemaps.hprof",
        "val151-leak-antiquemaps-serial.hprof",
    ] {
        let holder = "testdata.Val151LeakAntiqueMaps$Canonicalizer.pool";
        only_possible_leak(name, holder, UnboundedMap, 59_040);
    }
}
