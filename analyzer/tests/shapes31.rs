//! The session-31 tuning apps (testdata/TUNING31.md): a fixed set of customers whose own lists
//! of recently viewed products are never trimmed (the trim checks another list's size), and a
//! healthy back office whose customers keep an order history loaded at startup and recent
//! searches trimmed to 20. Measured first at 0b28f7f (the leak's lists dropped under an
//! undetermined map of customers); what is asserted is the result now.

use crate::verdicts::{no_suspects, no_suspects_in_series, only_leak, only_leak_in_series};

use analyzer::leaks::LeakKind;

#[test]
fn session_31_healthy_order_history_gives_no_suspect() {
    no_suspects(&[
        "svc-healthy-orderhistory-1.hprof",
        "svc-healthy-orderhistory-2.hprof",
        "svc-healthy-orderhistory.hprof",
        "svc-healthy-orderhistory-serial.hprof",
    ]);
    no_suspects_in_series(&[
        "svc-healthy-orderhistory-1.hprof",
        "svc-healthy-orderhistory-2.hprof",
        "svc-healthy-orderhistory.hprof",
    ]);
}

#[test]
fn session_31_lists_inside_an_undetermined_map_are_judged() {
    let views = "testdata.SvcLeakRecentViews$ShopperProfile.recentViews";
    // Eight real hours of views, one dump: the views' own times (added over 8 h, most idle for
    // hours) decide, though nothing tells the map of 3,000 customers from a directory.
    let r = only_leak(
        "svc-leak-recentviews-parallel.hprof",
        views,
        LeakKind::Collection,
        48_000,
    );
    let ages = &r.suspects[0].evidence[0].detail;
    assert!(ages.contains("field viewedAt follows the order"), "{ages}");
    // The series squeezes hours 2-8 into the seconds between its dumps: growth decides.
    only_leak_in_series(
        &[
            "svc-leak-recentviews-1.hprof",
            "svc-leak-recentviews-2.hprof",
            "svc-leak-recentviews.hprof",
        ],
        views,
        LeakKind::Collection,
        48_000,
    );
}
