//! Blind validation set 32 (testdata/VALIDATION32.md), written during session 19 by a helper
//! that had not read the detector, and first measured with db635a2: 8 of 11 leak runs at #1
//! with the right holder, no healthy run flagged. Missed then: the first stage of the inboxes
//! (under the threshold) and a pool's borrow-site `Throwable`s kept under leases never removed
//! (no evidence either way). Session 20: a map whose values carry no time is judged by its
//! keys' times (the leases' `leasedAt`), and the borrow sites are a leak: 10 of 11.

use crate::common::analyse;
use crate::verdicts::{
    first, holders, leaks, no_suspects, no_suspects_in_series, only_leak, series,
};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_32_healthy() {
    no_suspects(&[
        "val32-healthy-ambulances-1.hprof",
        "val32-healthy-ambulances-2.hprof",
        "val32-healthy-ambulances.hprof",
        "val32-healthy-ambulances-serial.jcmd.hprof",
        "val32-healthy-studenthousing.hprof",
        "val32-healthy-studenthousing-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val32-healthy-ambulances-1.hprof",
        "val32-healthy-ambulances-2.hprof",
        "val32-healthy-ambulances.hprof",
    ]);
}

#[test]
fn validation_set_32_leaks() {
    use LeakKind::*;
    // Read notifications never purged from the users' inboxes.
    let items = "testdata.Val32LeakVolunteering$Inbox.items";
    only_leak("val32-leak-volunteering-2.hprof", items, Collection, 24_000);
    only_leak("val32-leak-volunteering.hprof", items, Collection, 48_000);
    // Dumped with -Xint: main's frame still holds an iterator's node, so one inbox is reached
    // from a root as well as from the map, and still counts.
    only_leak(
        "val32-leak-volunteering-parallel.hprof",
        items,
        Collection,
        48_000,
    );
    let r = series(&[
        "val32-leak-volunteering-1.hprof",
        "val32-leak-volunteering-2.hprof",
        "val32-leak-volunteering.hprof",
    ]);
    first(&r, items, Verdict::Leak, Collection, 48_000);
    // A moved truck's old position stays in its old cell.
    for name in [
        "val32-leak-towtrucks.hprof",
        "val32-leak-towtrucks-serial.jcmd.hprof",
    ] {
        only_leak(
            name,
            "testdata.Val32LeakTowTrucks$GridIndex.cells",
            UnboundedMap,
            4_000,
        );
    }
    // Finished sagas never leave the static registry.
    for name in [
        "val32-leak-travelagency.hprof",
        "val32-leak-travelagency-parallel.jcmd.hprof",
    ] {
        let sagas = "testdata.Val32LeakTravelAgency$SagaOrchestrator.SAGAS (static)";
        only_leak(name, sagas, StaticCollection, 14_000);
    }
    // A borrow-site Throwable per lease, removed under the wrong key: the leases' times.
    for name in [
        "val32-leak-caterers.hprof",
        "val32-leak-caterers-serial.hprof",
    ] {
        let sites = "testdata.Val32LeakCaterers$PrinterPool.borrowSites";
        let r = only_leak(name, sites, UnboundedMap, 31_128);
        let ages = &r.suspects[0].evidence[0].detail;
        assert!(ages.contains("field leasedAt follows the order"), "{ages}");
    }
    // Missed: the first stage under the threshold.
    let r = leaks(&analyse("val32-leak-volunteering-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
}
