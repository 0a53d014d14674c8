//! Blind validation set 19 (testdata/VALIDATION19.md), written in session 15 by a helper that
//! had not read the detector. First measured with 9fc0a3b, the session-start binary: 0 of 6
//! healthy dumps and 0 of 1 healthy series flagged; the leak at #1 with the right holder in 4
//! of 11 leak runs (the series counted): the unit of work's stages 2 and 3 and its series. The
//! class-loader leak was found under the wrong holder (an object inside the leaked loaders);
//! the MBeans never unregistered, the finalizer backlog and the unit of work's first stage
//! were missed. Session 15's changes, each written for this set (spent): the MBean server's
//! wrappers are followed to the registered objects; a finalizer backlog is a candidate of its
//! own; a class-loader generation is held by what pins its loaders from outside.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_19_healthy_as_first_measured() {
    no_suspects(&[
        "val19-healthy-boxoffice-1.hprof",
        "val19-healthy-boxoffice-2.hprof",
        "val19-healthy-boxoffice.hprof",
        "val19-healthy-boxoffice-serial.jcmd.hprof",
        "val19-healthy-winery.hprof",
        "val19-healthy-winery-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val19-healthy-boxoffice-1.hprof",
        "val19-healthy-boxoffice-2.hprof",
        "val19-healthy-boxoffice.hprof",
    ]);
}

#[test]
fn validation_set_19_unit_of_work_never_cleared() {
    use LeakKind::*;
    use Verdict::*;
    // A batch job's persistence session never cleared: 8,402 -> 16,031 -> 29,812 entities.
    // Stage 1 is under the 10,000 entities from which one unit of work has outlived its
    // transaction: missed in one dump (as first measured), found by the series.
    let map = "testdata.Val19LeakGrainCoop$PersistenceSession.identityMap";
    let r = leaks(&analyse("val19-leak-graincoop-1.hprof"));
    assert!(r.suspects.is_empty(), "{:?}", holders(&r));
    for (name, n) in [
        ("val19-leak-graincoop-2.hprof", 16_031),
        ("val19-leak-graincoop.hprof", 29_812),
        ("val19-leak-graincoop-parallel.jcmd.hprof", 29_812),
    ] {
        let r = leaks(&analyse(name));
        first(&r, map, PossibleLeak, UnboundedMap, n);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    let r = series(&[
        "val19-leak-graincoop-1.hprof",
        "val19-leak-graincoop-2.hprof",
        "val19-leak-graincoop.hprof",
    ]);
    first(&r, map, Leak, UnboundedMap, 29_812);
    assert_eq!(r.suspects.len(), 1, "{:?}", holders(&r));
}

#[test]
fn validation_set_19_mbeans_never_unregistered() {
    use LeakKind::*;
    use Verdict::*;
    // One MBean per charge-point connection, never unregistered: 3,301 of the 4,210 beans of
    // the domain belong to closed connections (disconnectedAt set). Missed as first measured
    // (the server's NamedObject wrappers hid the beans' state).
    for name in [
        "val19-leak-evcharging.hprof",
        "val19-leak-evcharging-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        first(
            &r,
            "testdata.Val19LeakEvCharging$Gateway.mbeans",
            Leak,
            UnboundedMap,
            4_210,
        );
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        let left = r.suspects[0].left_behind.as_ref().map_or(0, |l| l.estimate);
        assert!(
            (3_000..=3_700).contains(&left),
            "{name}: {left} left behind"
        );
        assert!(
            r.suspects[0].explanation.contains("unregisterMBean"),
            "{name}"
        );
    }
}

#[test]
fn validation_set_19_finalizer_backlog() {
    use LeakKind::*;
    use Verdict::*;
    // The finalizer thread blocks inside the first socket's finalize(); the 3,599 sockets
    // dropped since wait for it. Missed as first measured.
    for name in [
        "val19-leak-lottery.hprof",
        "val19-leak-lottery-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "java.lang.ref.Finalizer.unfinalized (static)";
        first(&r, holder, Leak, FinalizerBacklog, 3_599);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
        assert_eq!(
            r.suspects[0].element_class, "testdata.Val19LeakLotteryTerminals$TerminalSocket",
            "{name}"
        );
    }
}

#[test]
fn validation_set_19_loaders_pinned_by_a_class_keyed_cache() {
    use LeakKind::*;
    use Verdict::*;
    // A static Class-keyed metadata cache keeps 14 undeployed webapp generations (15 loaders
    // with the current one). As first measured: found, under a field inside the leaked
    // classes (SessionInfo.speaker, AgendaController.PROGRAMME). The C1-only run compiles
    // `main`, so no iterator on its stack points into the cache: the cache is a collection
    // candidate of the same field, merged with the loaders (CI's dump of b936a19 counted the
    // cache's 50 entries as 50 loaders).
    for name in [
        "val19-leak-eventreg.hprof",
        "val19-leak-eventreg-serial.hprof",
        "val19-leak-eventreg-c1.hprof",
    ] {
        let r = leaks(&analyse(name));
        let cache = "testdata.Val19LeakEventRegistration$JsonBinder.METADATA (static)";
        first(&r, cache, Leak, Classloaders, 15);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
