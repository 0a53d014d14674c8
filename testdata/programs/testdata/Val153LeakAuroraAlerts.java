// hprofscan-dump: name=val153-leak-auroraalerts-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val153-leak-auroraalerts-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val153-leak-auroraalerts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val153-leak-auroraalerts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 153 (written blind), LEAK: the public API of an aurora-alert service. Magnetometer
 * station reference data, the subscriber directory, a cache of rendered sky-map tiles at its cap,
 * a pool of PNG render buffers, a ring of Kp-index readings, and a hand-written time-to-live cache
 * of per-grid-cell visibility forecasts (TTL 15 minutes, swept every minute). Entries are stamped
 * with the clock's nanoTime(), but both the sweep and the lookup compare that stamp against
 * currentTimeMillis(): on any host up for more than ~28 minutes a nanoTime value is larger than
 * the epoch milliseconds, so the age is negative and nothing ever expires. See VALIDATION153.md.
 */
public final class Val153LeakAuroraAlerts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TTL_MS = 15 * MINUTE;
    static final int STATIONS = 1_400, SUBSCRIBERS = 24_000, TILE_CAP = 2_000, POOL = 8, RING = 4_096,
            REQUESTS_PER_HOUR = 2_400, CELLS = 60_000;
    /** The host's monotonic clock at the start of the simulated period: up 3 days 4 hours. */
    static final long NANO_ORIGIN = (3 * 24 + 4) * HOUR * 1_000_000L;

    record Station(String code, String site, double[] kpHistory) {}
    record Subscriber(String id, String email, String homeCell, byte[] alertPrefs, long joinedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record KpReading(String station, double kp, long at) {}
    static final class CachedForecast {
        final String cellKey; final byte[] body; final long storedAt;
        CachedForecast(String cellKey, byte[] body, long storedAt) { this.cellKey = cellKey; this.body = body; this.storedAt = storedAt; }
    }

    /** The service's clock (simulated: now advances with the traffic). */
    static final class Clock {
        final long startMs; long nowMs;
        Clock(long startMs) { this.startMs = startMs; this.nowMs = startMs; }
        long currentTimeMillis() { return nowMs; }
        long nanoTime() { return NANO_ORIGIN + (nowMs - startMs) * 1_000_000L; }
    }

    /** Hand-written time-to-live cache of visibility forecasts, keyed by grid cell and model run. */
    static final class ForecastCache {
        final Map<String, CachedForecast> entries = new HashMap<>();
        final Clock clock; final boolean fixed;
        long hits, loads, sweeps, expired;
        ForecastCache(Clock clock, boolean fixed) { this.clock = clock; this.fixed = fixed; }
        boolean isExpired(CachedForecast f) {
            if (fixed) return clock.nanoTime() - f.storedAt > TTL_MS * 1_000_000L;
            return clock.currentTimeMillis() - f.storedAt > TTL_MS; // BUG: nanoTime stamp vs epoch millis
        }
        CachedForecast get(String key, Random r) {
            CachedForecast f = entries.get(key);
            if (f != null && !isExpired(f)) { hits++; return f; }
            loads++;
            f = new CachedForecast(key, new byte[200 + r.nextInt(200)], clock.nanoTime());
            entries.put(key, f);
            return f;
        }
        void sweep() {
            sweeps++;
            for (Iterator<CachedForecast> it = entries.values().iterator(); it.hasNext(); ) {
                if (isExpired(it.next())) { it.remove(); expired++; }
            }
        }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class AlertService {
        final Clock clock;
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> pngBuffers = new ArrayDeque<>();
        final KpReading[] readings = new KpReading[RING];
        long readingsWritten;
        final ForecastCache forecasts;
        AlertService(Clock clock, boolean fixed) { this.clock = clock; this.forecasts = new ForecastCache(clock, fixed); }
    }

    static AlertService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static AlertService run(int stage, boolean fixed) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(153_010_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] kp = new double[72];
            for (int k = 0; k < kp.length; k++) kp[k] = rnd.nextDouble() * 9;
            stationCodes[s] = "MAG-" + (2_000 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Site " + (s % 350), kp));
        }
        AlertService svc = new AlertService(new Clock(start), fixed);
        for (int u = 0; u < SUBSCRIBERS; u++) {
            String id = "SUB" + (4_000_000 + u);
            svc.subscribers.put(id, new Subscriber(id, "user" + u + "@example.org", "cell-" + rnd.nextInt(CELLS), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pngBuffers.add(new byte[32_768]);
        Random traffic = new Random(153_010_002);
        Random bodies = new Random(153_010_003);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            while (nextSweep <= t) { svc.clock.nowMs = nextSweep; svc.forecasts.sweep(); nextSweep += MINUTE; }
            svc.clock.nowMs = t;
            long run = (t - start) / HOUR; // the forecast model runs hourly
            String cell = "cell-" + traffic.nextInt(CELLS);
            svc.forecasts.get(cell + "@run" + run, bodies);
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new KpReading(stationCodes[traffic.nextInt(STATIONS)], traffic.nextDouble() * 9, t);
            String tileKey = "z4/" + traffic.nextInt(4_500);
            if (svc.tiles.get(tileKey) == null) svc.tiles.put(tileKey, new Tile(tileKey, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pngBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pngBuffers.add(buf);
        }
        svc.clock.nowMs = end;
        svc.forecasts.sweep();
        ForecastCache fc = svc.forecasts;
        long fresh = 0;
        for (CachedForecast f : fc.entries.values()) if (svc.clock.nanoTime() - f.storedAt <= TTL_MS * 1_000_000L) fresh++;
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " stations " + STATIONS_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " forecasts " + fc.entries.size()
                + " (fresh " + fresh + ", loads " + fc.loads + ", hits " + fc.hits + ", sweeps " + fc.sweeps + ", expired " + fc.expired + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted
                + ") pool " + svc.pngBuffers.size() + " readings " + svc.readingsWritten);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        check(fc.loads + fc.hits == requests && fc.sweeps == hours * 60L, "forecast traffic");
        if (fixed) check(fc.entries.size() == fresh && fc.expired > 0 && fresh < fc.loads, "fixed cache holds only fresh forecasts: " + fc.entries.size());
        else check(fc.expired == 0 && fc.entries.size() == fc.loads, "nothing ever expires: " + fc.entries.size());
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.pngBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == requests && svc.readings[RING - 1] != null, "ring wraps");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        SERVICE = run(Integer.parseInt(args[2]), Boolean.getBoolean("val153.fixed"));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
