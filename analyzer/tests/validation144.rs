//! Blind validation set 144 (testdata/VALIDATION144.md), written during session 53 by a helper
//! that had not read the detector, and first measured with 65dac3d's rules: no healthy run
//! flagged; all 10 leak runs and the leak series flagged with the right holder at #1, all as
//! leaks but bagelshops-1 (a possible leak). dragonboatclubs then counted 83 and 85 pools (the
//! tenant letter in the thread names split the pools into patterns, each judged by the holder
//! of most of its pools); since the executor groups by name family, 62 (spent since).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_144_healthy() {
    no_suspects(&[
        "val144-healthy-rodeos-1.hprof",
        "val144-healthy-rodeos-2.hprof",
        "val144-healthy-rodeos.hprof",
        "val144-healthy-rodeos-parallel.jcmd.hprof",
        "val144-healthy-lacrosseleagues.hprof",
        "val144-healthy-lacrosseleagues-serial.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val144-healthy-rodeos-1.hprof",
        "val144-healthy-rodeos-2.hprof",
        "val144-healthy-rodeos.hprof",
    ]);
}

#[test]
fn validation_set_144_leaks() {
    use LeakKind::{Collection, Executors};
    // A dead-letter list nobody drains.
    let dead = "testdata.Val144LeakBagelShops$OrderConsumer.deadLetters";
    only_possible_leak("val144-leak-bagelshops-1.hprof", dead, Collection, 1_016);
    for (name, n) in [
        ("val144-leak-bagelshops-2.hprof", 1_952),
        ("val144-leak-bagelshops.hprof", 3_898),
        ("val144-leak-bagelshops-serial.jcmd.hprof", 3_898),
    ] {
        only_leak(name, dead, Collection, n);
    }
    only_leak_in_series(
        &[
            "val144-leak-bagelshops-1.hprof",
            "val144-leak-bagelshops-2.hprof",
            "val144-leak-bagelshops.hprof",
        ],
        dead,
        Collection,
        3_898,
    );
    // Per-tenant schedulers replaced on re-onboarding without shutdown(): 62 of 93.
    for name in [
        "val144-leak-dragonboatclubs.hprof",
        "val144-leak-dragonboatclubs-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val144LeakDragonBoatClubs$TenantRuntime.<executors>";
        only_leak(name, holder, Executors, 62);
    }
    // An event-sourced order book whose snapshot threshold never fires.
    for name in [
        "val144-leak-waterrights.hprof",
        "val144-leak-waterrights-serial.hprof",
    ] {
        let holder = "testdata.Val144LeakWaterRights$OrderBook.events";
        only_leak(name, holder, Collection, 310_475);
    }
    // Every Future a batch submitter got, kept in a list never cleared.
    for name in [
        "val144-leak-mahjongscoring.hprof",
        "val144-leak-mahjongscoring-parallel.hprof",
    ] {
        let holder = "testdata.Val144LeakMahjongScoring$BatchScorer.submitted";
        only_leak(name, holder, Collection, 30_000);
    }
}
