// hprofscan-dump: name=val10-leak-weather jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val10-leak-weather-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 10 (written blind), LEAK: a weather data ingestion and forecast API service after
 * 24 simulated hours. The leak: {@code ForecastApi.gridCache}, a {@code LinkedHashMap} subclass
 * meant to keep at most 2,000 forecast grids; its {@code removeEldestEntry} evicts only when the
 * cache is over its cap AND the eldest grid is stale, and the staleness test compares the grid's
 * {@code validUntil} (epoch seconds) with {@code System.currentTimeMillis()} divided by 1,000,000
 * instead of 1,000, so it is never true and the cache holds every grid ever fetched: 14,000 grids,
 * 12,000 past the cap. Beside it: the station registry loaded at startup, a ring of the last 32,768
 * observations, a hand-written radar tile cache at its capacity, 40 legitimately registered alert
 * subscribers and a fixed pool of 3 decoding threads with a 128 KiB buffer each.
 * See testdata/VALIDATION10.md.
 */
public final class Val10LeakWeatherIngest {
    static final int STATIONS = 12_000;
    static final int GRID_CAP = 2_000;
    static final int GRIDS_FETCHED = 14_000;
    static final int GRID_VALUES = 120;
    static final int OBS_RING = 32_768;
    static final int TILE_CAP = 800;
    static final int SUBSCRIBERS = 40;
    static final int DECODERS = 3;
    static final int OBSERVATIONS = 90_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 24 * HOUR;

    static WeatherService RUNNING;

    static final class Station {
        final String wmoId; final String name; final String countryCode; final double lat; final double lon; final int elevationM; final float[] calibration; final long commissionedAt;
        Station(String wmoId, String name, String countryCode, double lat, double lon, int elevationM, float[] calibration, long commissionedAt) { this.wmoId = wmoId; this.name = name; this.countryCode = countryCode; this.lat = lat; this.lon = lon; this.elevationM = elevationM; this.calibration = calibration; this.commissionedAt = commissionedAt; }
    }

    /** Reference data: the observing stations with their sensor calibration, loaded at startup. */
    static final class StationRegistry {
        static final Map<String, Station> BY_WMO_ID = new HashMap<>();
    }

    /** One decoded observation; the ring's slots are allocated once and overwritten. */
    static final class Observation {
        String wmoId; long observedAt; float temperatureC; float pressureHpa; float windMs; float humidity; int qcFlags;
    }

    static final class ObservationRing {
        final Observation[] slots = new Observation[OBS_RING];
        long written;
        ObservationRing() { for (int i = 0; i < OBS_RING; i++) slots[i] = new Observation(); }
        void append(String wmo, long t, float temp, float p, float wind, float hum) {
            Observation o = slots[(int) (written++ % OBS_RING)];
            o.wmoId = wmo; o.observedAt = t; o.temperatureC = temp; o.pressureHpa = p; o.windMs = wind; o.humidity = hum; o.qcFlags = 0;
        }
    }

    /** A forecast grid cell block for one model run: {@code issuedAt} and {@code validUntil} in epoch seconds. */
    static final class GridForecast {
        final String gridKey; final String model; final float[] values; final long issuedAt; final long validUntil; final long fetchedAt;
        GridForecast(String gridKey, String model, float[] values, long issuedAt, long validUntil, long fetchedAt) { this.gridKey = gridKey; this.model = model; this.values = values; this.issuedAt = issuedAt; this.validUntil = validUntil; this.fetchedAt = fetchedAt; }
    }

    /** Meant to be bounded: over the cap, evict the eldest grid once it is stale. */
    static final class ForecastGridCache extends LinkedHashMap<String, GridForecast> {
        final int maxGrids;
        ForecastGridCache(int maxGrids) { super(4096, 0.75f, true); this.maxGrids = maxGrids; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GridForecast> eldest) {
            // -Dval10.fixed=true (only for measuring the leak's share) evicts at the cap.
            return size() > maxGrids && (Boolean.getBoolean("val10.fixed") || isStale(eldest.getValue()));
        }
        /** THE BUG: validUntil is in seconds; millis / 1,000,000 is kiloseconds, so this is never true. */
        static boolean isStale(GridForecast g) { return g.validUntil < System.currentTimeMillis() / 1_000_000L; }
    }

    static final class RadarTile {
        final String tileKey; final byte[] png; final long renderedAt;
        RadarTile(String tileKey, byte[] png, long renderedAt) { this.tileKey = tileKey; this.png = png; this.renderedAt = renderedAt; }
    }

    /** Hand-written bounded cache of rendered radar tiles: FIFO eviction at capacity. */
    static final class RadarTileCache {
        final int capacity;
        final ConcurrentHashMap<String, RadarTile> tiles = new ConcurrentHashMap<>();
        final ArrayDeque<String> order = new ArrayDeque<>();
        long evictions;
        RadarTileCache(int capacity) { this.capacity = capacity; }
        synchronized void put(RadarTile t) {
            if (tiles.put(t.tileKey, t) == null) order.addLast(t.tileKey);
            while (tiles.size() > capacity) { tiles.remove(order.removeFirst()); evictions++; }
        }
    }

    interface AlertSubscriber { void onAlert(String region, String level, long at); }

    /** A downstream system subscribed to severe-weather alerts (configured at startup). */
    static final class WebhookSubscriber implements AlertSubscriber {
        final String name; final String url; final String[] regions; long delivered; long lastDeliveredAt;
        WebhookSubscriber(String name, String url, String[] regions) { this.name = name; this.url = url; this.regions = regions; }
        @Override public void onAlert(String region, String level, long at) { delivered++; lastDeliveredAt = at; }
    }

    static final class ForecastApi {
        final ForecastGridCache gridCache;
        long fetches; long hits;
        ForecastApi() { gridCache = new ForecastGridCache(GRID_CAP); }
    }

    static final class WeatherService {
        final ObservationRing observations = new ObservationRing();
        final RadarTileCache radar = new RadarTileCache(TILE_CAP);
        final List<AlertSubscriber> alertSubscribers = new CopyOnWriteArrayList<>();
        final ForecastApi api = new ForecastApi();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor decoders = new ThreadPoolExecutor(DECODERS, DECODERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "bufr-decoder-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread BUFR/GRIB decode buffer. */
        static final ThreadLocal<byte[]> DECODE_BUFFER = ThreadLocal.withInitial(() -> new byte[128 * 1024]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val10.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(10_030_001);
        WeatherService svc = new WeatherService();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("ingest.feed." + i + ".pollSecs", Integer.toString(60 + i));
        String[] countries = {"DE", "FR", "NO", "SE", "PL", "IT", "ES", "GB", "NL", "CH"};
        String[] wmo = new String[STATIONS];
        for (int i = 0; i < STATIONS; i++) {
            wmo[i] = String.format("%05d", 10_000 + i * 7);
            float[] cal = new float[24];
            for (int k = 0; k < cal.length; k++) cal[k] = 1.0f + rnd.nextFloat() / 50;
            StationRegistry.BY_WMO_ID.put(wmo[i], new Station(wmo[i], "Station " + i + " " + countries[i % 10], countries[i % 10], 35 + rnd.nextDouble() * 35, -10 + rnd.nextDouble() * 40,
                    rnd.nextInt(2500), cal, now - DAY * (365 + rnd.nextInt(20_000))));
        }
        for (int i = 0; i < SUBSCRIBERS; i++) svc.alertSubscribers.add(new WebhookSubscriber("partner-" + i, "https://alerts.partner" + i + ".example/hook", new String[] {countries[i % 10], countries[(i + 3) % 10]}));
        CyclicBarrier warm = new CyclicBarrier(DECODERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < DECODERS; w++) fs.add(svc.decoders.submit(() -> { WeatherService.DECODE_BUFFER.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 24 hours of station observations, radar renders and forecast API calls. Each forecast
        // model run (every 6 hours for 4 models) brings new grid keys, so the grid cache sees
        // 14,000 distinct grids.
        for (int i = 0; i < OBSERVATIONS; i++) {
            long t = start + SIM_MILLIS * i / OBSERVATIONS;
            svc.observations.append(wmo[rnd.nextInt(STATIONS)], t, -20 + rnd.nextFloat() * 55, 960 + rnd.nextFloat() * 80, rnd.nextFloat() * 30, rnd.nextFloat());
            if (i % 20 == 0) svc.radar.put(new RadarTile("radar/" + (i / 20) % 5_000 + "/" + (t / (5 * MINUTE)), new byte[4096], t));
            if (i % 600 == 0) for (AlertSubscriber s : svc.alertSubscribers) s.onAlert(countries[(i / 600) % 10], "YELLOW", t);
        }
        String[] models = {"icon-eu", "gfs", "ecmwf-hres", "arome"};
        int distinct = 0;
        int calls = 42_000;
        for (int i = 0; i < calls; i++) {
            long t = start + SIM_MILLIS * i / calls;
            int want = (int) ((long) (i + 1) * GRIDS_FETCHED / calls); // grids first fetched by now
            String key;
            if (want > distinct) {
                int run = (int) ((t - start) / (6 * HOUR));
                key = models[distinct % 4] + "/run" + run + "/tile-" + distinct;
                distinct++;
            } else {
                key = null; // a repeat request for a recent grid
            }
            svc.api.fetches++;
            if (key == null) { svc.api.hits++; continue; }
            float[] values = new float[GRID_VALUES];
            for (int k = 0; k < values.length; k++) values[k] = rnd.nextFloat() * 40;
            long issuedSecs = (t - t % (6 * HOUR)) / 1000;
            svc.api.gridCache.put(key, new GridForecast(key, models[(distinct - 1) % 4], values, issuedSecs, issuedSecs + 6 * 3600 + 3 * 3600, t));
        }
        long staleGrids = 0;
        long nowSecs = System.currentTimeMillis() / 1000;
        for (GridForecast g : svc.api.gridCache.values()) if (g.validUntil < nowSecs) staleGrids++;
        int expectGrids = fixed ? GRID_CAP : GRIDS_FETCHED;
        System.out.println("stations " + StationRegistry.BY_WMO_ID.size() + " observations " + svc.observations.written + " radar tiles " + svc.radar.tiles.size() + " (evictions "
                + svc.radar.evictions + ") subscribers " + svc.alertSubscribers.size() + " grids " + svc.api.gridCache.size() + " (distinct fetched " + distinct + ", stale " + staleGrids + ")");
        check(StationRegistry.BY_WMO_ID.size() == STATIONS && svc.alertSubscribers.size() == SUBSCRIBERS, "reference data");
        check(svc.observations.written == OBSERVATIONS && svc.radar.tiles.size() == TILE_CAP && svc.radar.order.size() == TILE_CAP && svc.radar.evictions > 0, "ring/radar");
        check(distinct == GRIDS_FETCHED && svc.api.gridCache.size() == expectGrids, "grid cache");
        check(svc.decoders.getPoolSize() == DECODERS, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
