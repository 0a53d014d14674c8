//! Blind validation set 102 (testdata/VALIDATION102.md), written during session 40 by a helper
//! that had not read the detector, and first measured with 0beb134's rules: 0 of 7 healthy runs
//! flagged; 11 of 11 leak runs found at #1.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_102_healthy() {
    no_suspects(&[
        "val102-healthy-verticalfarms-1.hprof",
        "val102-healthy-verticalfarms-2.hprof",
        "val102-healthy-verticalfarms.hprof",
        "val102-healthy-verticalfarms-serial.jcmd.hprof",
        "val102-healthy-castletours.hprof",
        "val102-healthy-castletours-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val102-healthy-verticalfarms-1.hprof",
        "val102-healthy-verticalfarms-2.hprof",
        "val102-healthy-verticalfarms.hprof",
    ]);
}

#[test]
fn validation_set_102_leaks() {
    use LeakKind::{Collection, Executors, Threadlocal, UnboundedMap};
    // A fixed pool of two threads per import batch, never shut down (the executors counted).
    // Default thread factory: the code that makes the pools shows through their rejection
    // handler, an application class (session 41; was `java.lang.Thread.<executors>`).
    let pools = "testdata.Val102LeakWaterMeters$ChunkRejection.<executors>";
    for (name, n) in [
        ("val102-leak-watermeters-1.hprof", 24),
        ("val102-leak-watermeters-2.hprof", 48),
        ("val102-leak-watermeters.hprof", 96),
        ("val102-leak-watermeters-serial.hprof", 96),
    ] {
        only_leak(name, pools, Executors, n);
    }
    only_leak_in_series(
        &[
            "val102-leak-watermeters-1.hprof",
            "val102-leak-watermeters-2.hprof",
            "val102-leak-watermeters.hprof",
        ],
        pools,
        Executors,
        96,
    );
    // A ThreadLocal audit list per worker whose flush threshold is never reached.
    for name in [
        "val102-leak-lotteryterminals.hprof",
        "val102-leak-lotteryterminals-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val102LeakLotteryTerminals$AuditTrail.PENDING (static)";
        only_leak(name, holder, Threadlocal, 60_000);
    }
    // A canonicalising WeakHashMap whose values hold their own keys.
    for name in [
        "val102-leak-potholereports.hprof",
        "val102-leak-potholereports-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val102LeakPotholeReports$LabelRegistry.labels";
        only_leak(name, holder, UnboundedMap, 39_763);
    }
    // Dead letters retried forever.
    for name in [
        "val102-leak-schoolbussms.hprof",
        "val102-leak-schoolbussms-parallel.hprof",
    ] {
        let holder = "testdata.Val102LeakSchoolBusSms$DeadLetterStore.byNextRetry";
        only_leak(name, holder, Collection, 6_195);
    }
}
