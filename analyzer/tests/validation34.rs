//! Blind validation set 34 (testdata/VALIDATION34.md), written during session 20 by a helper
//! that had not read the detector, and first measured with 9846b6c: 5 of 11 leak runs at #1
//! with the right holder, no healthy run flagged. Then: an `ArrayDeque` used as a stack on its
//! tail is no longer taken for one trimmed from its front (subtitlestudio's undo stacks), and
//! MBeans registered on the platform server are held by the application field that keeps the
//! server, searched up to 12 levels (vendingfleet), else by `ManagementFactory.platformMBeanServer`. Session 21: a map of few entries has its
//! entries' fields looked into, one application object deep, so the second stage is found too;
//! still missed: the first stage (under the threshold).

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_34_healthy() {
    no_suspects(&[
        "val34-healthy-cartography-1.hprof",
        "val34-healthy-cartography-2.hprof",
        "val34-healthy-cartography.hprof",
        "val34-healthy-cartography-serial.jcmd.hprof",
        "val34-healthy-bowlingalleys.hprof",
        "val34-healthy-bowlingalleys-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val34-healthy-cartography-1.hprof",
        "val34-healthy-cartography-2.hprof",
        "val34-healthy-cartography.hprof",
    ]);
}

#[test]
fn validation_set_34_leaks() {
    use LeakKind::*;
    // Undo stacks (addLast / pollLast) that no limit trims.
    let undo = "testdata.Val34LeakSubtitleStudio$UndoHistory.undo";
    for name in [
        "val34-leak-subtitlestudio.hprof",
        "val34-leak-subtitlestudio-parallel.hprof",
    ] {
        only_leak(name, undo, Collection, 45_037);
    }
    let r = series(&[
        "val34-leak-subtitlestudio-1.hprof",
        "val34-leak-subtitlestudio-2.hprof",
        "val34-leak-subtitlestudio.hprof",
    ]);
    first(&r, undo, Verdict::Leak, Collection, 45_037);
    // A quote cache keyed by the request's time: never hit.
    for name in [
        "val34-leak-lumberyard.hprof",
        "val34-leak-lumberyard-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val34LeakLumberYard$PriceService.quotes",
            UnboundedMap,
            40_000,
        );
    }
    // An audit queue whose writer thread waits forever.
    for name in [
        "val34-leak-bloodbank.hprof",
        "val34-leak-bloodbank-parallel.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val34LeakBloodBank$AuditLogger.queue",
            Collection,
            32_003,
        );
    }
    // An MBean per connection, never unregistered: the platform server's registry, named by
    // the application field that keeps the server (it wins over the JDK's static on the same
    // level, ten levels above the map of the domain's beans).
    for name in [
        "val34-leak-vendingfleet.hprof",
        "val34-leak-vendingfleet-serial.hprof",
    ] {
        let mbs = "testdata.Val34LeakVendingFleet$TelemetryGateway.mbs";
        let r = only_leak(name, mbs, UnboundedMap, 5_601);
        assert!(
            r.suspects[0].explanation.contains("unregisterMBean"),
            "{name}"
        );
    }
    // The second stage: the undo stacks inside a 24-entry map, found through the entries' own
    // objects (`SubtitleDocument.history` -> `UndoHistory.undo`), session 21.
    only_leak(
        "val34-leak-subtitlestudio-2.hprof",
        undo,
        Collection,
        22_467,
    );
    // Missed: the first stage (7.6% of the heap, under the threshold).
    let r = leaks(&analyse("val34-leak-subtitlestudio-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
