//! Blind validation set 111 (testdata/VALIDATION111.md), written during session 43 by a helper
//! that had not read the detector, and first measured with a60bc6c's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1. Asserted as first measured.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_111_healthy() {
    no_suspects(&[
        "val111-healthy-alpacashearing-1.hprof",
        "val111-healthy-alpacashearing-2.hprof",
        "val111-healthy-alpacashearing.hprof",
        "val111-healthy-alpacashearing-serial.jcmd.hprof",
        "val111-healthy-letterpress.hprof",
        "val111-healthy-letterpress-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val111-healthy-alpacashearing-1.hprof",
        "val111-healthy-alpacashearing-2.hprof",
        "val111-healthy-alpacashearing.hprof",
    ]);
}

#[test]
fn validation_set_111_leaks() {
    use LeakKind::{Collection, Listeners, Threads};
    // A logging handler added per bid to a static Logger, not removed on the rejected path.
    for name in [
        "val111-leak-truffleauctions.hprof",
        "val111-leak-truffleauctions-parallel.hprof",
    ] {
        let holder = "testdata.Val111LeakTruffleAuctions.LOG (static)";
        only_leak(name, holder, Listeners, 4_989);
    }
    // A client with its own dispatcher thread built per call, never closed.
    for name in [
        "val111-leak-skydivecentres.hprof",
        "val111-leak-skydivecentres-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val111LeakSkydiveCentres$WindsAloftClient.<threads>";
        only_leak(name, holder, Threads, 800);
    }
    // A telemetry queue whose only consumer thread died.
    let pending = "testdata.Val111LeakShipyards$TelemetryShipper.pending";
    for (name, n) in [
        ("val111-leak-shipyards-1.hprof", 7_299),
        ("val111-leak-shipyards-2.hprof", 19_299),
        ("val111-leak-shipyards.hprof", 43_299),
        ("val111-leak-shipyards-serial.jcmd.hprof", 43_299),
    ] {
        only_leak(name, pending, Collection, n);
    }
    only_leak_in_series(
        &[
            "val111-leak-shipyards-1.hprof",
            "val111-leak-shipyards-2.hprof",
            "val111-leak-shipyards.hprof",
        ],
        pending,
        Collection,
        43_299,
    );
    // Listeners added per session to the platform memory MXBean, not removed on idle expiry:
    // named by the application field that keeps the bean; `listeners` since session 53 (the
    // bean's listener list is a listener registry, its ListenerInfos unwrapped), a
    // `collection` before.
    for name in [
        "val111-leak-firelookouts.jcmd.hprof",
        "val111-leak-firelookouts-parallel.hprof",
    ] {
        let holder = "testdata.Val111LeakFireLookouts$DispatchService.memoryBean";
        only_leak(name, holder, Listeners, 5_633);
    }
}
