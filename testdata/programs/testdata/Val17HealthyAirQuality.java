// hprofscan-dump: name=val17-healthy-airquality-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val17-healthy-airquality-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val17-healthy-airquality jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val17-healthy-airquality-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 17 (written blind), HEALTHY, series (warms, then flat): the ingest and map
 * service of a national air-quality sensor network. 20,000 stations report every minute into a
 * preallocated two-hour ring per station; rendered heat-map tiles are kept in an LRU (2,500) and
 * alerts in a capped history (3,000). Stage 1 after 1 hour (tile LRU and alert history still
 * filling, rings half full), stage 2 after 4 hours (all at their caps, rings wrapping), stage 3
 * after 8 hours (same sizes). Legitimate, all of it: the station registry with the rings (a
 * static map, the biggest structure), the API-client registry, the tile LRU, the alert history,
 * a pool of ingest buffers (all returned) and a fixed pool of 12 ingest threads with a per-thread
 * decode buffer reset per task. See testdata/VALIDATION17.md.
 */
public final class Val17HealthyAirQuality {
    static final int STATIONS = 20_000;
    static final int RING = 120;
    static final int API_CLIENTS = 6_000;
    static final int TILE_CAP = 2_500;
    static final int TILES_PER_HOUR = 1_100;
    static final int ALERT_CAP = 3_000;
    static final int ALERTS_PER_HOUR = 1_300;
    static final int BUFFERS = 64;
    static final int BUFFER_BYTES = 16 * 1024;
    static final int INGEST_THREADS = 12;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static AirQualityService AIR;

    /** Per-thread decode buffer of the ingest threads, cleared at the start of every task. */
    static final ThreadLocal<short[]> DECODE_BUF = ThreadLocal.withInitial(() -> new short[4_096]);

    static final class Station { final String id; final String site; final String authority; final double[] location; final String[] pollutants; final float[] pm25Ring = new float[RING]; int cursor; int readings; long lastReadingAt;
        Station(String id, String site, String authority, double[] location, String[] pollutants) { this.id = id; this.site = site; this.authority = authority; this.location = location; this.pollutants = pollutants; }
        void record(float v, long at) { pm25Ring[cursor] = v; cursor = (cursor + 1) % RING; readings++; lastReadingAt = at; } }

    /** Reference data: every station of the network with its reading ring, registered at startup. */
    static final class StationRegistry {
        static final Map<String, Station> BY_ID = new HashMap<>();
        static final Station[] ALL = new Station[STATIONS];
    }

    static final class ApiClient { final String apiKey; final String organisation; final int rateLimitPerMinute; final String[] scopes;
        ApiClient(String apiKey, String organisation, int rateLimitPerMinute, String[] scopes) { this.apiKey = apiKey; this.organisation = organisation; this.rateLimitPerMinute = rateLimitPerMinute; this.scopes = scopes; } }

    static final class TileLru extends LinkedHashMap<String, byte[]> {
        long evicted;
        TileLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class Alert { final String stationId; final String pollutant; final String band; final float value; final long raisedAt;
        Alert(String stationId, String pollutant, String band, float value, long raisedAt) { this.stationId = stationId; this.pollutant = pollutant; this.band = band; this.value = value; this.raisedAt = raisedAt; } }

    static final class AirQualityService {
        final Map<String, ApiClient> clients = new HashMap<>();
        final TileLru tiles = new TileLru();
        final ArrayDeque<Alert> alerts = new ArrayDeque<>();
        long alertsRotated;
        final ArrayBlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(BUFFERS);
        final AtomicInteger ingestSeq = new AtomicInteger();
        final ThreadPoolExecutor ingest = new ThreadPoolExecutor(INGEST_THREADS, INGEST_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "aq-ingest-" + ingestSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        AirQualityService() { for (int i = 0; i < BUFFERS; i++) buffers.add(new byte[BUFFER_BYTES]); }
        void alert(Alert a) { alerts.addLast(a); if (alerts.size() > ALERT_CAP) { alerts.removeFirst(); alertsRotated++; } }

        /** Decodes one minute's batch of readings for a slice of the stations. */
        int ingestSlice(int from, int to, long at, long seed) throws InterruptedException {
            short[] dec = DECODE_BUF.get();
            Arrays.fill(dec, (short) 0);
            byte[] buf = buffers.take();
            try {
                Random r = new Random(seed);
                for (int s = from; s < to; s++) StationRegistry.ALL[s].record(2 + r.nextFloat() * 60, at);
                return to - from;
            } finally { Arrays.fill(buf, 0, 64, (byte) 0); buffers.add(buf); }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(17_060_006);
        AirQualityService svc = new AirQualityService();
        AIR = svc;
        for (int i = 0; i < 45; i++) svc.config.setProperty("aq.band.threshold." + i, Integer.toString(10 + i * 3));
        String[] authorities = {"Leeds City Council", "Greater Manchester CA", "Transport for London", "Bristol City Council", "Glasgow City Council", "Cardiff Council"};
        String[] all = {"PM2.5", "PM10", "NO2", "O3", "SO2", "CO"};
        for (int i = 0; i < STATIONS; i++) {
            String[] pol = Arrays.copyOf(all, 2 + rnd.nextInt(5));
            Station s = new Station("AQ" + (500_000 + i), "Roadside monitor " + i + ", " + authorities[i % authorities.length].split(" ")[0] + " ring road junction " + (i % 70), authorities[i % authorities.length], new double[] {50 + rnd.nextDouble() * 7, -5 + rnd.nextDouble() * 6}, pol);
            StationRegistry.BY_ID.put(s.id, s);
            StationRegistry.ALL[i] = s;
        }
        String[] scopes = {"read:latest", "read:history", "read:tiles", "read:alerts"};
        for (int i = 0; i < API_CLIENTS; i++) {
            ApiClient c = new ApiClient("k_" + Long.toHexString(0x5A17_0000_0000L + i * 7_919L), "Organisation " + i, 60 + rnd.nextInt(600), Arrays.copyOf(scopes, 1 + rnd.nextInt(4)));
            svc.clients.put(c.apiKey, c);
        }
        CyclicBarrier ready = new CyclicBarrier(INGEST_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < INGEST_THREADS; w++) warm.add(svc.ingest.submit(() -> { DECODE_BUF.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Every simulated minute: all stations report (12 slices, one per ingest thread), tiles
        // are rendered for map requests and alerts raised, spread evenly over the minute.
        int minutes = (int) (hours * 60);
        int tilesPerMinute = TILES_PER_HOUR / 60 + 1;
        int tilesRendered = 0, alertsRaised = 0;
        String[] bands = {"Moderate", "High", "Very High"};
        for (int m = 0; m < minutes; m++) {
            long t = start + (now - start) * (m + 1) / minutes - 1_000;
            List<Future<Integer>> parts = new ArrayList<>();
            int slice = STATIONS / INGEST_THREADS;
            for (int k = 0; k < INGEST_THREADS; k++) {
                int from = k * slice, to = k == INGEST_THREADS - 1 ? STATIONS : from + slice;
                long seed = rnd.nextLong();
                parts.add(svc.ingest.submit(() -> svc.ingestSlice(from, to, t, seed)));
            }
            int n = 0;
            for (Future<Integer> f : parts) n += f.get();
            if (n != STATIONS) throw new IllegalStateException("ingest");
            int tileTarget = (int) ((long) TILES_PER_HOUR * hours * (m + 1) / minutes);
            while (tilesRendered < tileTarget) {
                String key = "z" + (8 + tilesRendered % 5) + "/" + (tilesRendered * 31 % 4_096) + "/" + tilesRendered + "@" + (t / (5 * MINUTE));
                byte[] tile = new byte[2_048 + rnd.nextInt(1_024)];
                svc.tiles.put(key, tile);
                tilesRendered++;
            }
            int alertTarget = (int) ((long) ALERTS_PER_HOUR * hours * (m + 1) / minutes);
            while (alertsRaised < alertTarget) {
                Station s = StationRegistry.ALL[rnd.nextInt(STATIONS)];
                svc.alert(new Alert(s.id, s.pollutants[rnd.nextInt(s.pollutants.length)], bands[rnd.nextInt(3)], 30 + rnd.nextFloat() * 70, t - rnd.nextInt(50_000)));
                alertsRaised++;
            }
        }
        int wrapping = 0;
        for (Station s : StationRegistry.ALL) if (s.readings > RING) wrapping++;
        System.out.println("stage " + stage + " stations " + StationRegistry.BY_ID.size() + " (rings wrapping " + wrapping + ", readings each " + StationRegistry.ALL[0].readings + ") api clients " + svc.clients.size() + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") alerts " + svc.alerts.size() + " (rotated " + svc.alertsRotated + ") buffers idle " + svc.buffers.size());
        check(StationRegistry.BY_ID.size() == STATIONS && svc.clients.size() == API_CLIENTS, "reference data");
        check(StationRegistry.ALL[0].readings == minutes && wrapping == (minutes > RING ? STATIONS : 0), "station rings");
        int tilesTotal = (int) (TILES_PER_HOUR * hours);
        check(tilesRendered == tilesTotal && svc.tiles.size() == Math.min(tilesTotal, TILE_CAP) && svc.tiles.evicted == tilesTotal - svc.tiles.size(), "tile lru");
        int alertsTotal = (int) (ALERTS_PER_HOUR * hours);
        check(alertsRaised == alertsTotal && svc.alerts.size() == Math.min(alertsTotal, ALERT_CAP) && svc.alertsRotated == alertsTotal - svc.alerts.size(), "alert history");
        check(svc.buffers.size() == BUFFERS, "ingest buffers all returned");
        check(svc.ingest.getPoolSize() == INGEST_THREADS, "ingest pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
