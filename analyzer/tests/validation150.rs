//! Blind validation set 150 (testdata/VALIDATION150.md), written during session 55 by a helper
//! that had not read the detector, and first measured with 2d5fac1's rules: no healthy run
//! flagged; all 11 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_150_healthy() {
    no_suspects(&[
        "val150-healthy-refillstations-1.hprof",
        "val150-healthy-refillstations-2.hprof",
        "val150-healthy-refillstations.hprof",
        "val150-healthy-refillstations-serial.jcmd.hprof",
        "val150-healthy-coastguardstations.hprof",
        "val150-healthy-coastguardstations-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val150-healthy-refillstations-1.hprof",
        "val150-healthy-refillstations-2.hprof",
        "val150-healthy-refillstations.hprof",
    ]);
}

#[test]
fn validation_set_150_leaks() {
    use LeakKind::{Collection, Listeners, UnboundedMap};
    // Event lists "truncated" with a subList view that keeps the backing list.
    let events = "testdata.Val150LeakCargoBikes$BikeAggregate.events";
    for (name, n) in [
        ("val150-leak-cargobikes-1.hprof", 11_716),
        ("val150-leak-cargobikes-2.hprof", 24_000),
        ("val150-leak-cargobikes.hprof", 48_000),
        ("val150-leak-cargobikes-parallel.hprof", 48_000),
    ] {
        only_leak(name, events, Collection, n);
    }
    only_leak_in_series(
        &[
            "val150-leak-cargobikes-1.hprof",
            "val150-leak-cargobikes-2.hprof",
            "val150-leak-cargobikes.hprof",
        ],
        events,
        Collection,
        48_000,
    );
    // An in-flight dedup map that forgets failed lookups.
    for name in [
        "val150-leak-propanedelivery.hprof",
        "val150-leak-propanedelivery-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val150LeakPropaneDelivery$TankGatewayClient.inflight";
        only_leak(name, holder, UnboundedMap, 3_219);
    }
    // After-commit callbacks left in place on rollback.
    for name in [
        "val150-leak-steelfabrication.hprof",
        "val150-leak-steelfabrication-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val150LeakSteelFabrication$TransactionManager.afterCommit";
        only_leak(name, holder, Listeners, 5_192);
    }
    // A per-shipment guard map filled by computeIfAbsent, never emptied.
    for name in [
        "val150-leak-crossdocking.hprof",
        "val150-leak-crossdocking-serial.hprof",
    ] {
        let holder = "testdata.Val150LeakCrossDocking$SortationService.guards";
        only_leak(name, holder, UnboundedMap, 30_000);
    }
}
