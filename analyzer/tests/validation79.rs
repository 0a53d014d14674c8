//! Blind validation set 79 (testdata/VALIDATION79.md), written during session 35 by a helper
//! that had not read the detector, and first measured with 0e71674's rules: 0 of 7 healthy
//! runs flagged; 7 of 11 leak runs found at #1 with the right holder. Missed: stocktickerapi x4
//! (strike counters keyed by API key and minute window, `key-ab12:202612041530`: its series
//! finds them). No rule was changed for it: asserted as first measured.

use crate::verdicts::{
    holders, leaks, no_suspects, no_suspects_in_series, only_leak, only_leak_in_series,
};

use analyzer::leaks::LeakKind;

use crate::common::analyse;

#[test]
fn validation_set_79_healthy() {
    no_suspects(&[
        "val79-healthy-smartparking-1.hprof",
        "val79-healthy-smartparking-2.hprof",
        "val79-healthy-smartparking.hprof",
        "val79-healthy-smartparking-serial.jcmd.hprof",
        "val79-healthy-tearooms.hprof",
        "val79-healthy-tearooms-parallel.hprof",
    ]);
    no_suspects_in_series(&[
        "val79-healthy-smartparking-1.hprof",
        "val79-healthy-smartparking-2.hprof",
        "val79-healthy-smartparking.hprof",
    ]);
}

#[test]
fn validation_set_79_leaks() {
    use LeakKind::{Listeners, StaticCollection, UnboundedMap};
    only_leak_in_series(
        &[
            "val79-leak-stocktickerapi-1.hprof",
            "val79-leak-stocktickerapi-2.hprof",
            "val79-leak-stocktickerapi.hprof",
        ],
        "testdata.Val79LeakStockTickerApi$RateLimiter.strikes",
        UnboundedMap,
        75_610,
    );
    for name in [
        "val79-leak-vpngateway.hprof",
        "val79-leak-vpngateway-serial.jcmd.hprof",
    ] {
        let holder = "testdata.Val79LeakVpnGateway$TicketCache.TICKETS (static)";
        only_leak(name, holder, StaticCollection, 27_893);
    }
    for name in [
        "val79-leak-crmdashboard.hprof",
        "val79-leak-crmdashboard-parallel.jcmd.hprof",
    ] {
        let holder = "testdata.Val79LeakCrmDashboard$DashboardSettings.changes";
        only_leak(name, holder, Listeners, 20_003);
    }
    for name in [
        "val79-leak-paintsupplies.hprof",
        "val79-leak-paintsupplies-serial.hprof",
    ] {
        let holder = "testdata.Val79LeakPaintSupplies$PricingEngine.memo";
        only_leak(name, holder, UnboundedMap, 30_000);
    }
    // Missed: the strike counters in each dump alone.
    for name in [
        "val79-leak-stocktickerapi-1.hprof",
        "val79-leak-stocktickerapi-2.hprof",
        "val79-leak-stocktickerapi.hprof",
        "val79-leak-stocktickerapi-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        assert!(r.suspects.is_empty(), "{name}: {:?}", holders(&r));
    }
}
