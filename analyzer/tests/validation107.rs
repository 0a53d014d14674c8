//! Blind validation set 107 (testdata/VALIDATION107.md), written during session 42 by a helper
//! that had not read the detector, and first measured with 869ae0e's rules: 0 of 7 healthy runs
//! flagged; 9 of 11 leak runs found at #1 (gymsoftware's holder counts every tenant's scheduler,
//! 220, of which 73 are leaked). Missed: cottagesearch x2 (recent-search lists of which a tenth
//! grow past their trim). Asserted as first measured, misses included, except cottagesearch:
//! spent in session 42 (found at #1 since, after the escaped-cap rule made on RecentlyViewed);
//! gymsoftware's count was spent in session 43 (73 since the orphaned-pool rule made on
//! ClinicReminders).

use crate::verdicts::{
    no_suspects, no_suspects_in_series, only_leak, only_leak_in_series, only_possible_leak,
};

use analyzer::leaks::LeakKind;

#[test]
fn validation_set_107_healthy() {
    no_suspects(&[
        "val107-healthy-postoffices-1.hprof",
        "val107-healthy-postoffices-2.hprof",
        "val107-healthy-postoffices.hprof",
        "val107-healthy-postoffices-serial.jcmd.hprof",
        "val107-healthy-canalboats.hprof",
        "val107-healthy-canalboats-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val107-healthy-postoffices-1.hprof",
        "val107-healthy-postoffices-2.hprof",
        "val107-healthy-postoffices.hprof",
    ]);
}

#[test]
fn validation_set_107_leaks() {
    use LeakKind::{Executors, Listeners, UnboundedMap};
    // A single-flight map that removes a lookup's future only when it succeeds.
    let in_flight = "testdata.Val107LeakMotorbikeDealers$HistoryLoader.inFlight";
    only_possible_leak(
        "val107-leak-motorbikedealers-1.hprof",
        in_flight,
        UnboundedMap,
        705,
    );
    for (name, n) in [
        ("val107-leak-motorbikedealers-2.hprof", 1_333),
        ("val107-leak-motorbikedealers.hprof", 2_531),
        ("val107-leak-motorbikedealers-serial.hprof", 2_531),
    ] {
        only_leak(name, in_flight, UnboundedMap, n);
    }
    only_leak_in_series(
        &[
            "val107-leak-motorbikedealers-1.hprof",
            "val107-leak-motorbikedealers-2.hprof",
            "val107-leak-motorbikedealers.hprof",
        ],
        in_flight,
        UnboundedMap,
        2_531,
    );
    // Recent-search lists stepped past their trim: missed as first measured; spent since
    // (RecentlyViewed's rule: 21 of 256 sampled lists past LIMIT = 8).
    for name in [
        "val107-leak-cottagesearch.hprof",
        "val107-leak-cottagesearch-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val107LeakCottageSearch$RecentSearches.byGuest";
        only_leak(name, holder, UnboundedMap, 11_940);
    }
    // An event bus keeping the subscribers of closed web-socket sessions.
    for name in [
        "val107-leak-livestockmart.hprof",
        "val107-leak-livestockmart-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val107LeakLivestockMart$LotEventBus.subscribers";
        only_leak(name, holder, Listeners, 2_600);
    }
    // A scheduler per tenant, never shut down when the tenant leaves. Spent in session 43:
    // only the 73 held by nothing but their own threads are counted since ClinicReminders (the
    // 147 of tenants still there are each held by their tenant).
    for name in [
        "val107-leak-gymsoftware.hprof",
        "val107-leak-gymsoftware-parallel.hprof",
    ] {
        let holder = "testdata.Val107LeakGymSoftware$Platform.<executors>";
        only_leak(name, holder, Executors, 73);
    }
}
