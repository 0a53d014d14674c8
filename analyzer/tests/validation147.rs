//! Blind validation set 147 (testdata/VALIDATION147.md), written during session 55 by a helper
//! that had not read the detector, and first measured with 7815d31's rules (session 54's and the
//! dead-task evidence): no healthy run flagged; 10 of 11 leak runs and the leak series flagged
//! with the right holder at #1, all as leaks. Missed: fjordcruises-1 (per-tenant audit deques
//! two hours into the series, their trim running on a defensive copy).

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_147_healthy() {
    no_suspects(&[
        "val147-healthy-ropeaccess-1.hprof",
        "val147-healthy-ropeaccess-2.hprof",
        "val147-healthy-ropeaccess.hprof",
        "val147-healthy-ropeaccess-serial.jcmd.hprof",
        "val147-healthy-bellfoundry.hprof",
        "val147-healthy-bellfoundry-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val147-healthy-ropeaccess-1.hprof",
        "val147-healthy-ropeaccess-2.hprof",
        "val147-healthy-ropeaccess.hprof",
    ]);
}

#[test]
fn validation_set_147_leaks() {
    use LeakKind::{Collection, ScheduledTasks};
    // Per-operator audit deques never trimmed (the trim runs on a copy): missed at two hours.
    let events = "testdata.Val147LeakFjordCruises$TenantTrail.events";
    no_suspects(&["val147-leak-fjordcruises-1.hprof"]);
    for (name, n) in [
        ("val147-leak-fjordcruises-2.hprof", 24_000),
        ("val147-leak-fjordcruises.hprof", 48_000),
        ("val147-leak-fjordcruises-parallel.hprof", 48_000),
    ] {
        only_leak(name, events, Collection, n);
    }
    only_leak_in_series(
        &[
            "val147-leak-fjordcruises-1.hprof",
            "val147-leak-fjordcruises-2.hprof",
            "val147-leak-fjordcruises.hprof",
        ],
        events,
        Collection,
        48_000,
    );
    // Hash-set members whose hashCode covers a status changed after insertion.
    for name in [
        "val147-leak-quarrytrucks.hprof",
        "val147-leak-quarrytrucks-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val147LeakQuarryTrucks$Weighbridge.onSite";
        only_leak(name, holder, Collection, 36_000);
    }
    // A replication ObjectOutputStream never reset: its handle table keeps every object.
    for name in [
        "val147-leak-stampauctions.hprof",
        "val147-leak-stampauctions-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val147LeakStampAuctions$ReplicationStream.out";
        only_leak(name, holder, Collection, 140_008);
    }
    // Cancelled timer tasks never purged.
    for name in [
        "val147-leak-yurtcamps.hprof",
        "val147-leak-yurtcamps-serial.hprof",
    ] {
        let holder = "testdata.Val147LeakYurtCamps$Portal.timer";
        only_leak(name, holder, ScheduledTasks, 20_001);
    }
}
