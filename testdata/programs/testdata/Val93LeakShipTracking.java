// hprofscan-dump: name=val93-leak-shiptracking-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val93-leak-shiptracking-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val93-leak-shiptracking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val93-leak-shiptracking-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 93 (written blind), LEAK: the public vessel-tracking API of an AIS data provider.
 * Port reference data, the vessel directory, a cache of rendered track tiles at its cap, a pool of
 * JSON encode buffers, a ring of recent position reports, and per-endpoint sliding-window rate
 * counters (a TreeMap of one bucket per epoch second with traffic, used by the throttle). The
 * pruning of the counters subtracts the 10-minute window in milliseconds (600,000) from an epoch
 * second, so the cutoff lies almost 7 days back and no bucket is ever pruned: the 12 endpoints stay
 * while every endpoint's map lengthens with time. See VALIDATION93.md.
 */
public final class Val93LeakShipTracking {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long WINDOW_MS = 10 * MINUTE;
    static final int PORTS = 1_400, VESSELS = 24_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 12_000, LIMIT_PER_WINDOW = 450;
    static final String[] ENDPOINTS = {
        "GET /v2/vessels/{mmsi}", "GET /v2/vessels/{mmsi}/track", "GET /v2/positions/latest", "GET /v2/ports/{locode}/arrivals",
        "GET /v2/ports/{locode}/departures", "GET /v2/tiles/{z}/{x}/{y}", "GET /v2/search", "POST /v2/alerts",
        "GET /v2/alerts", "GET /v2/voyages/{id}", "GET /v2/eta/{mmsi}", "GET /v2/fleet/{id}/summary"};
    /** Relative traffic of the endpoints (same order). */
    static final int[] WEIGHTS = {22, 14, 12, 8, 8, 10, 7, 2, 4, 5, 6, 2};
    static boolean FIXED;

    record Port(String locode, String country, double[] berthOccupancyByWeek) {}
    record Vessel(String mmsi, String name, String flag, byte[] particulars, long registeredAt) {}
    record TrackTile(String key, byte[] rendered, long at) {}
    record PositionReport(String mmsi, double lat, double lon, float speedKnots, long at) {}

    /** One epoch second of one endpoint's traffic. */
    static final class Bucket {
        int requests, errors;
        long latencyMicros;
    }

    /** Sliding-window request counter of one endpoint: one bucket per epoch second with traffic. */
    static final class RateCounter {
        final String endpoint;
        final TreeMap<Long, Bucket> buckets = new TreeMap<>();
        long requests, bucketsCreated, bucketsPruned;
        RateCounter(String endpoint) { this.endpoint = endpoint; }

        void record(long atMs, long latencyMicros, boolean error) {
            long second = atMs / SECOND;
            Bucket b = buckets.get(second);
            if (b == null) {
                b = new Bucket();
                buckets.put(second, b);
                bucketsCreated++;
            }
            b.requests++;
            if (error) b.errors++;
            b.latencyMicros += latencyMicros;
            requests++;
            prune(atMs);
        }

        /** Drops the buckets that fell out of the window. */
        void prune(long nowMs) {
            long nowSecond = nowMs / SECOND;
            // BUG: the keys are epoch seconds but the window is subtracted in milliseconds (600,000):
            // the cutoff lies 600,000 s (6.9 days) back, so no bucket is ever pruned.
            long cutoff = FIXED ? nowSecond - WINDOW_MS / SECOND : nowSecond - WINDOW_MS;
            while (!buckets.isEmpty() && buckets.firstKey() < cutoff) {
                buckets.pollFirstEntry();
                bucketsPruned++;
            }
        }

        /** Requests in the last 10 minutes (the throttle's question; correct in both versions). */
        int inWindow(long nowMs) {
            long from = nowMs / SECOND - WINDOW_MS / SECOND;
            int n = 0;
            for (Bucket b : buckets.tailMap(from, true).values()) n += b.requests;
            return n;
        }
    }

    static final class TileCache extends LinkedHashMap<String, TrackTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrackTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_LOCODE = new HashMap<>();

    static final class ApiService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final PositionReport[] positions = new PositionReport[RING];
        long positionsWritten, throttled;
        final Map<String, RateCounter> counters = new LinkedHashMap<>();
    }

    static ApiService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val93.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(93_010_001);
        String[] locodes = new String[PORTS];
        String[] countries = {"NL", "DE", "BE", "FR", "ES", "PT", "IT", "GR", "NO", "SE", "DK", "PL", "GB", "IE", "SG", "CN"};
        for (int p = 0; p < PORTS; p++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String country = countries[p % countries.length];
            locodes[p] = country + (char) ('A' + p / 676 % 26) + (char) ('A' + p / 26 % 26) + (char) ('A' + p % 26);
            PORTS_BY_LOCODE.put(locodes[p], new Port(locodes[p], country, occ));
        }
        ApiService svc = new ApiService();
        SERVICE = svc;
        String[] mmsis = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            mmsis[v] = Integer.toString(211_000_000 + v * 37);
            svc.vessels.put(mmsis[v], new Vessel(mmsis[v], "MV Vessel " + v, countries[rnd.nextInt(countries.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        for (String ep : ENDPOINTS) svc.counters.put(ep, new RateCounter(ep));
        int weightSum = 0;
        for (int w : WEIGHTS) weightSum += w;
        long[] lastSecond = new long[ENDPOINTS.length];
        long[] distinctSeconds = new long[ENDPOINTS.length];
        Random traffic = new Random(93_010_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests + traffic.nextInt(200);
            int pick = traffic.nextInt(weightSum), e = 0;
            while (pick >= WEIGHTS[e]) pick -= WEIGHTS[e++];
            RateCounter c = svc.counters.get(ENDPOINTS[e]);
            if (c.inWindow(t) >= LIMIT_PER_WINDOW) svc.throttled++;
            c.record(t, 2_000 + traffic.nextInt(40_000), traffic.nextInt(100) < 2);
            if (t / SECOND != lastSecond[e]) { lastSecond[e] = t / SECOND; distinctSeconds[e]++; }
            String mmsi = mmsis[traffic.nextInt(VESSELS)];
            Vessel vessel = svc.vessels.get(mmsi);
            svc.positions[(int) (svc.positionsWritten++ % RING)] = new PositionReport(vessel.mmsi(), 50 + traffic.nextDouble() * 10, traffic.nextDouble() * 12, traffic.nextFloat() * 22, t);
            if (e == 5 || e == 1) {
                String key = "tile-" + traffic.nextInt(4_500);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new TrackTile(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.encodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encodeBuffers.add(buf);
        }
        locodes = null; mmsis = null; // the id arrays of the simulation are not part of the service
        long buckets = 0, pruned = 0, created = 0, distinct = 0, counted = 0;
        long oldestKey = Long.MAX_VALUE;
        long endSecond = (end - MINUTE) / SECOND;
        long inWindowBuckets = 0;
        StringBuilder per = new StringBuilder();
        for (int e = 0; e < ENDPOINTS.length; e++) {
            RateCounter c = svc.counters.get(ENDPOINTS[e]);
            buckets += c.buckets.size();
            pruned += c.bucketsPruned;
            created += c.bucketsCreated;
            distinct += distinctSeconds[e];
            counted += c.requests;
            if (!c.buckets.isEmpty()) oldestKey = Math.min(oldestKey, c.buckets.firstKey());
            inWindowBuckets += c.buckets.tailMap(c.buckets.isEmpty() ? 0 : c.buckets.lastKey() - WINDOW_MS / SECOND, true).size();
            per.append(' ').append(c.buckets.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " ports " + PORTS_BY_LOCODE.size() + " vessels " + svc.vessels.size() + " endpoints " + svc.counters.size()
                + " buckets " + buckets + " (created " + created + ", pruned " + pruned + ", in the last window " + inWindowBuckets + ", oldest " + (endSecond - oldestKey) + " s before the last minute) per endpoint" + per
                + " requests " + counted + " throttled " + svc.throttled + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.encodeBuffers.size() + " positions " + svc.positionsWritten);
        check(PORTS_BY_LOCODE.size() == PORTS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.counters.size() == ENDPOINTS.length && counted == requests, "endpoints");
        check(created == distinct, "one bucket per endpoint-second with traffic: " + created + " vs " + distinct);
        if (FIXED) check(buckets == created - pruned && pruned > 0 && buckets < ENDPOINTS.length * (WINDOW_MS / SECOND + 2), "pruned counters: " + buckets);
        else check(pruned == 0 && buckets == distinct && oldestKey <= start / SECOND + 60, "counters keep every bucket: " + buckets);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.positionsWritten == requests && svc.positions[RING - 1] != null, "ring");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
