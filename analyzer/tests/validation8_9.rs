//! Blind validation sets 8 and 9 (testdata/VALIDATION8.md, testdata/VALIDATION9.md), written by
//! helpers that had not read the detector. Their first measurements are in those files: set 9
//! at a15d98a, set 8 at 9716745. The session-8 changes made after seeing them (each spends the
//! dumps it was made for) are named at each assertion; what is asserted is the result now.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_8_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    no_suspects(&[
        "val8-healthy-videoedge.hprof",
        "val8-healthy-videoedge-serial.jcmd.hprof",
        "val8-healthy-claims.hprof",
        "val8-healthy-claims-parallel.hprof",
        "val8-healthy-buildfarm-1.hprof",
        "val8-healthy-buildfarm-2.hprof",
        "val8-healthy-buildfarm.hprof",
        "val8-healthy-buildfarm-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val8-healthy-buildfarm-1.hprof",
        "val8-healthy-buildfarm-2.hprof",
        "val8-healthy-buildfarm.hprof",
    ]);
    // A fresh generation (CI on 1f06d8d) gave a false possible-leak: `AgentRegistry.byId` (300
    // agents) was under the candidate floor in the first two dumps, and "- -> - -> 300" was
    // read as growth (moderate) against its entries' recent use (moderate). The first dump
    // given twice makes that series from the repository's dumps. Flat and then up is now weak
    // evidence, weighed with the rest: the entries' recent use makes it memory-hungry.
    no_suspects_in_series(&[
        "val8-healthy-buildfarm-1.hprof",
        "val8-healthy-buildfarm-1.hprof",
        "val8-healthy-buildfarm.hprof",
    ]);

    // Found as first measured.
    let seen = "testdata.Val8LeakAdBidding$WinNoticeDeduplicator.seen";
    for name in [
        "val8-leak-adbidding.hprof",
        "val8-leak-adbidding-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(&r, seen, Leak, UnboundedMap, 55_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }

    // First measured: #1 held by `IngestWorker.threadLocals` (the Thread subclass's own map),
    // a false #2 (the device registry, by its `registeredAt` ages: left as measured) and the
    // ThreadLocal again as #3. Since 3df742c the lists merge into the ThreadLocal (spent).
    // Since session 11 (spent) the registry's keys `dev-th-200-000123` are numbered natural
    // ids (a code prefix, then a number), which weakens its ages: no false #2.
    for name in [
        "val8-leak-iotgateway.hprof",
        "val8-leak-iotgateway-parallel.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let acks = "testdata.Val8LeakIotGateway$FrameDecoder.PENDING_ACKS (static)";
        first(&r, acks, Leak, Threadlocal, 32_000);
        assert_eq!(holders(&r), [acks], "{name}");
    }

    // Missed as first measured (each thread named after its search's hex id, so no two shared
    // a name pattern); found since 3df742c (spent). The share was 0.1-0.4% then, against the
    // truth's ~10 / 18 / 30%: a waiting pool is held by its thread's stack frames too, so what
    // its thread factory captured is not under the thread. Since session 8 a group counts its
    // pools' retained sizes as well.
    let rates = "testdata.Val8LeakHotelBooking$GroupRateService.<executors>";
    for (name, pools, share) in [
        ("val8-leak-hotelbooking-1.hprof", 150, 0.10),
        ("val8-leak-hotelbooking-2.hprof", 300, 0.18),
        ("val8-leak-hotelbooking.hprof", 600, 0.30),
        ("val8-leak-hotelbooking-serial.jcmd.hprof", 600, 0.30),
    ] {
        let r = leaks(&analyse(name));
        first(&r, rates, Leak, Executors, pools);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let measured = r.suspects[0].share;
        assert!((measured - share).abs() < 0.02, "{name}: {measured}");
    }
    let r = series(&[
        "val8-leak-hotelbooking-1.hprof",
        "val8-leak-hotelbooking-2.hprof",
        "val8-leak-hotelbooking.hprof",
    ]);
    first(&r, rates, Leak, Executors, 600);
    // Each search's quotes grow only with the searches (150 -> 300 -> 600, 80 each): no
    // second suspect.
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));

    // Missed as first measured (the `newKeySet` set was judged on its Boolean values); found
    // since 3df742c (spent). 204 entries: the 200 leaked connections and 4 in flight.
    for name in [
        "val8-leak-ridehailing.hprof",
        "val8-leak-ridehailing-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let in_use = "testdata.Val8LeakRideHailing$DbConnectionPool.inUse";
        first(&r, in_use, Leak, Collection, 204);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}

#[test]
fn validation_set_9_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    no_suspects(&[
        "val9-healthy-elearning.hprof",
        "val9-healthy-elearning-serial.jcmd.hprof",
        "val9-healthy-ledger-1.hprof",
        "val9-healthy-ledger-2.hprof",
        "val9-healthy-ledger.hprof",
        "val9-healthy-ledger-parallel.hprof",
        "val9-healthy-parking.hprof",
        "val9-healthy-parking-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val9-healthy-ledger-1.hprof",
        "val9-healthy-ledger-2.hprof",
        "val9-healthy-ledger.hprof",
    ]);

    // Missed as first measured (no field held the stale loaders: only their classes were
    // held); found since 9716745 (spent), held by the registry's `scriptClass`; since session
    // 35 by the registry itself (48 entries, 28% of the heap, judged though few).
    for name in ["val9-leak-rxrules.hprof", "val9-leak-rxrules-serial.hprof"] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val9LeakRxRules$ScriptMetrics.REGISTRY (static)";
        first(&r, holder, Leak, Classloaders, 48);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }

    // First measured: -1 missed, the others possible-leak with the 4 lists as entries. Since
    // 3df742c the lists' elements are the entries (spent). Since session 14 -1 is missed again:
    // its deltas were added over 1.7 h, and entries spread over less than 2 h are what a time
    // window keeps (val5 billing's hourly buckets, val6 breadcrumbs' carts); the series finds it.
    let pending = "testdata.Val9LeakSearchIndexer$IndexWriterSession.PENDING (static)";
    let r = leaks(&analyse("val9-leak-indexer-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    for (name, entries) in [
        ("val9-leak-indexer-2.hprof", 12_000),
        ("val9-leak-indexer.hprof", 24_000),
        ("val9-leak-indexer-parallel.jcmd.hprof", 24_000),
    ] {
        let r = leaks(&analyse(name));
        let verdict = r.suspects.first().map_or(Leak, |s| s.verdict);
        assert_eq!(verdict, Leak, "{name}");
        first(&r, pending, verdict, Threadlocal, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val9-leak-indexer-1.hprof",
        "val9-leak-indexer-2.hprof",
        "val9-leak-indexer.hprof",
    ]);
    first(&r, pending, Leak, Threadlocal, 24_000);

    // First measured: the executors #2, under a false #1 (a history capped at 3,000 in an
    // `ArrayDeque`, by its ages). Since 9716745 a deque trimmed from its front is not judged
    // by its ages (spent).
    for name in [
        "val9-leak-rideeta.hprof",
        "val9-leak-rideeta-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val9LeakRideEta$TripThreadFactory.<executors>";
        // 400 orphaned: since session 54 the 20 of trips still running (held by their
        // tracker) are told apart (420 before; the truth is 400 of 420).
        first(&r, holder, Leak, Executors, 400);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        // The truth is ~21%: each leaked pool's thread factory keeps its trip's context, and
        // the factory is held from the worker's stack too (1.3% until session 9 counted it).
        let share = r.suspects[0].share;
        assert!((0.19..0.23).contains(&share), "{name}: {share}");
    }

    // First measured: found, with a false #2 (the delivery log capped at 10,000); gone since
    // 9716745 (spent).
    for name in [
        "val9-leak-emailrelay.hprof",
        "val9-leak-emailrelay-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val9LeakEmailRelay$DsnMonitor.scheduler";
        first(&r, holder, Leak, ScheduledTasks, 1_485);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
