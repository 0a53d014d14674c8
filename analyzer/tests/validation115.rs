//! Blind validation set 115 (testdata/VALIDATION115.md), written during session 45 by a helper
//! that had not read the detector, and first measured with session 45's rules before the idle
//! limit (959d9fa's detector with the inner-list sample and the iterated collections): 0 of 7
//! healthy runs flagged; 7 of 11 leak runs found at #1 (the seaplanetours series found; its
//! four dumps alone missed: a session store whose sweeper tests the 12-hour lifetime, judged
//! undetermined because every session's `expiresAt` lies ahead). Asserted as first measured,
//! except seaplanetours: spent in session 45 (entries idle past their own inactivity limit,
//! on MuseumTickets).

use crate::common::analyse;
use crate::verdicts::only_leak_in_series;
use crate::verdicts::{first, leaks, no_suspects, no_suspects_in_series, only_leak};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_115_healthy() {
    no_suspects(&[
        "val115-healthy-kombuchabrewers-1.hprof",
        "val115-healthy-kombuchabrewers-2.hprof",
        "val115-healthy-kombuchabrewers.hprof",
        "val115-healthy-kombuchabrewers-parallel.jcmd.hprof",
        "val115-healthy-heliports.hprof",
        "val115-healthy-heliports-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val115-healthy-kombuchabrewers-1.hprof",
        "val115-healthy-kombuchabrewers-2.hprof",
        "val115-healthy-kombuchabrewers.hprof",
    ]);
}

#[test]
fn validation_set_115_leaks() {
    use LeakKind::{Classloaders, Executors, UnboundedMap};
    // Old plugin versions' loaders pinned by a static codec cache keyed by their classes: one
    // vendor's generations (18) until session 54; all vendors' (66, truth 60 of 66) since
    // session 55, when generations of modules defining their own classes add up.
    for name in [
        "val115-leak-weighbridges.hprof",
        "val115-leak-weighbridges-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val115LeakWeighbridges$AuditJson.CODECS (static)";
        only_leak(name, holder, Classloaders, 66);
    }
    // A single-thread executor per import job, never shut down (and the job's context each
    // worker inherited, the same memory seen through the ThreadLocal).
    for name in [
        "val115-leak-tachographimports.hprof",
        "val115-leak-tachographimports-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val115LeakTachographImports$ImportService.<executors>";
        first(&r, holder, Verdict::Leak, Executors, 240);
        // #2 the ThreadLocal holding the contexts; their activity records, a class group
        // sampled from its lists since session 46, are that ThreadLocal's entries (dropped).
        assert_eq!(r.suspects.len(), 2, "{name}");
    }
    // Requests whose response never comes, never timed out.
    for name in [
        "val115-leak-tidalturbines.hprof",
        "val115-leak-tidalturbines-parallel.hprof",
    ] {
        let holder = "testdata.Val115LeakTidalTurbines$SubseaLink.pending";
        only_leak(name, holder, UnboundedMap, 9_092);
    }
    // Sessions the sweeper never expires (it tests the absolute lifetime): spent.
    let sessions = "testdata.Val115LeakSeaplaneTours$SessionStore.sessions";
    for (name, n) in [
        ("val115-leak-seaplanetours-1.hprof", 3_594),
        ("val115-leak-seaplanetours-2.hprof", 7_034),
        ("val115-leak-seaplanetours.hprof", 13_865),
        ("val115-leak-seaplanetours-serial.hprof", 13_865),
    ] {
        only_leak(name, sessions, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val115-leak-seaplanetours-1.hprof",
            "val115-leak-seaplanetours-2.hprof",
            "val115-leak-seaplanetours.hprof",
        ],
        sessions,
        UnboundedMap,
        13_865,
    );
}
