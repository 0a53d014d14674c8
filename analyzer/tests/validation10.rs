//! Blind validation set 10 (testdata/VALIDATION10.md), written by a helper that had not read the
//! detector. Its first measurement, at b761fbf, is in that file: 4 of 11 leak runs found at #1,
//! 3 of 8 healthy dumps flagged. The session-9 changes made after seeing it (each spends the
//! dumps it was made for) are named at each assertion; what is asserted is the result now.

use crate::common::analyse;
use crate::verdicts::{first, holders, leaks, no_suspects, no_suspects_in_series, series};

use analyzer::leaks::{LeakKind, Verdict};

#[test]
fn validation_set_10_healthy_as_measured() {
    // payroll: clean as first measured. translation-serial: a false class group (the LRU's
    // entries, made top-level by a stray reference into its linked entries) until a class
    // group held through a collection's own field is judged as that collection (spent).
    // chatmod: 240 client threads, a false leak until threads that each work for an object
    // the application also holds elsewhere count against (spent).
    no_suspects(&[
        "val10-healthy-payroll-1.hprof",
        "val10-healthy-payroll-2.hprof",
        "val10-healthy-payroll.hprof",
        "val10-healthy-payroll-parallel.hprof",
        "val10-healthy-translation.hprof",
        "val10-healthy-translation-serial.jcmd.hprof",
        "val10-healthy-chatmod.hprof",
        "val10-healthy-chatmod-parallel.jcmd.hprof",
    ]);
    no_suspects_in_series(&[
        "val10-healthy-payroll-1.hprof",
        "val10-healthy-payroll-2.hprof",
        "val10-healthy-payroll.hprof",
    ]);
}

#[test]
fn validation_set_10_leaks_as_measured() {
    use LeakKind::*;
    use Verdict::*;
    // Found as first measured (3,000 of the 3,206 listeners leak).
    for name in [
        "val10-leak-musicstream.hprof",
        "val10-leak-musicstream-serial.jcmd.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val10LeakMusicStream$PlaybackEventBus.listeners";
        first(&r, holder, Leak, Listeners, 3_206);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Missed as first measured (System.nanoTime times, numeric keys); found since the String
    // state `ABANDONED` and nanoTime ages timed from the newest entry count (spent).
    let tickets = "testdata.Val10LeakGameLobby$Matchmaker.tickets";
    for (name, entries) in [
        ("val10-leak-gamelobby-1.hprof", 5_150),
        ("val10-leak-gamelobby-2.hprof", 10_150),
        ("val10-leak-gamelobby.hprof", 20_150),
        ("val10-leak-gamelobby-parallel.jcmd.hprof", 20_150),
    ] {
        let r = leaks(&analyse(name));
        first(&r, tickets, Leak, UnboundedMap, entries);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // Found as first measured, by its growth.
    let r = series(&[
        "val10-leak-gamelobby-1.hprof",
        "val10-leak-gamelobby-2.hprof",
        "val10-leak-gamelobby.hprof",
    ]);
    first(&r, tickets, Leak, UnboundedMap, 20_150);
    // Missed as first measured (an LRU against its expired entries: undetermined); found since
    // a collection far past its own cap field counts as a bound that does not hold (spent).
    for name in [
        "val10-leak-weather.hprof",
        "val10-leak-weather-parallel.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val10LeakWeatherIngest$ForecastApi.gridCache";
        first(&r, holder, Leak, UnboundedMap, 14_000);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
    // G1: found as first measured. Serial: an iterator on main's stack pointed at the map's
    // table, so the registry did not dominate it and the resources came out split by their
    // writer's fields; since a collection keeps a backing array it does not dominate (spent).
    for name in [
        "val10-leak-cdnlogs.hprof",
        "val10-leak-cdnlogs-serial.hprof",
    ] {
        let r = leaks(&analyse(name));
        let holder = "testdata.Val10LeakCdnLogShipper$SegmentRegistry.open";
        first(&r, holder, Leak, OpenResources, 600);
        assert_eq!(r.suspects.len(), 1, "{name}: {:?}", holders(&r));
    }
}
