//! Blind validation set 11 (testdata/VALIDATION11.md), written by a helper that had not read the
//! detector, and first measured with every session-9 rule (cd5c4b3): 10 of 11 leak runs at #1,
//! no healthy dump flagged. Two changes were made after that measurement (each spends the
//! dumps it was made for); they are named at each assertion.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_11_healthy_as_measured() {
    no_suspects(&[
        "val11-healthy-warehouse-1.hprof",
        "val11-healthy-warehouse-2.hprof",
        "val11-healthy-warehouse.hprof",
        "val11-healthy-warehouse-serial.hprof",
        "val11-healthy-podcast.hprof",
        "val11-healthy-podcast-parallel.hprof",
        "val11-healthy-maptiles.hprof",
        "val11-healthy-maptiles-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "val11-healthy-warehouse-1.hprof",
        "val11-healthy-warehouse-2.hprof",
        "val11-healthy-warehouse.hprof",
    ]);
}

#[test]
fn validation_set_11_leaks_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    let entries = "testdata.Val11LeakDnsResolver$ResolverCache.entries";
    // The first stage was undetermined as first measured; a possible leak since session 26's
    // `counters` (its cache counts 12,500 misses, every one still held, and 0 expired: spent).
    let r = leaks(&analyse("val11-leak-dnsresolver-1.hprof"));
    first(&r, entries, PossibleLeak, UnboundedMap, 12_500);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
    for (name, n) in [
        ("val11-leak-dnsresolver-2.hprof", 22_500),
        ("val11-leak-dnsresolver.hprof", 42_500),
        ("val11-leak-dnsresolver-parallel.jcmd.hprof", 42_500),
    ] {
        let r = leaks(&analyse(name));
        first(&r, entries, Leak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val11-leak-dnsresolver-1.hprof",
        "val11-leak-dnsresolver-2.hprof",
        "val11-leak-dnsresolver.hprof",
    ]);
    first(&r, entries, Leak, UnboundedMap, 42_500);
    // First measured possible-leak (completed futures: moderate); `leak` since completed
    // futures in a field named for unfinished work (`pending`) are strong (spent).
    for name in [
        "val11-leak-abtesting.hprof",
        "val11-leak-abtesting-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val11LeakAbTesting$ExposureClient.pending";
        first(&r, holder, Leak, UnboundedMap, 18_064);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Found as first measured (4,000 of the 4,152 tasks leak).
    for name in [
        "val11-leak-museum.hprof",
        "val11-leak-museum-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val11LeakMuseumTicketing$HoldManager.keepAlive";
        first(&r, holder, Leak, ScheduledTasks, 4_152);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // G1 first measured possible-leak (the ThreadLocal's map keys were not sampled); `leak`
    // since they are, so the per-request UUID keys date their entries in any heap order
    // (spent). Serial: leak as first measured.
    for name in [
        "val11-leak-energymeter.hprof",
        "val11-leak-energymeter-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val11LeakEnergyMetering$IngestWorker.BATCH_CONTEXTS (static)";
        first(&r, holder, Leak, Threadlocal, 6_400);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
