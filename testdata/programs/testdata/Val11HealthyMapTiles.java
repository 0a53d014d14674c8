// hprofscan-dump: name=val11-healthy-maptiles jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val11-healthy-maptiles-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 11 (written blind), HEALTHY: a map tile server after 4 simulated hours (240,000
 * tile requests). Looks suspicious, is legitimate: the tile-set catalog (40,000 tile sets: region
 * x layer x style, in an instance map) was loaded at startup from the map library; its entries
 * carry only old timestamps (published, last rebuilt and surveyed months to years ago) but every
 * request looks its tile set up (a hit counter per entry). Beside it: the style sheets (loaded at
 * startup), a hand-written hot-tile cache at its capacity, a pool of render canvases, a ring of
 * the latest access-log lines and a fixed pool of 4 render threads with a scratch buffer each.
 * See testdata/VALIDATION11.md.
 */
public final class Val11HealthyMapTiles {
    static final int REGIONS = 2_000;
    static final int LAYERS = 20;
    static final int TILESETS = REGIONS * LAYERS;
    static final int STYLES = 200;
    static final int HOT_TILE_CAP = 2_500;
    static final int CANVASES = 8;
    static final int ACCESS_RING = 16_384;
    static final int RENDERERS = 4;
    static final int REQUESTS = 240_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 4 * HOUR;

    static TileServer RUNNING;

    static final class TileSetMeta {
        final String key; final String region; final String layer; final int minZoom; final int maxZoom; final double[] bounds; final String format; final String attribution;
        final long publishedAt; final long lastRebuiltAt; final long surveyedAt; final AtomicLong hits = new AtomicLong();
        TileSetMeta(String key, String region, String layer, int minZoom, int maxZoom, double[] bounds, String format, String attribution, long publishedAt, long lastRebuiltAt, long surveyedAt) { this.key = key; this.region = region; this.layer = layer; this.minZoom = minZoom; this.maxZoom = maxZoom; this.bounds = bounds; this.format = format; this.attribution = attribution; this.publishedAt = publishedAt; this.lastRebuiltAt = lastRebuiltAt; this.surveyedAt = surveyedAt; }
    }

    /** The tile-set catalog of the map library: loaded at startup, read by every request. */
    static final class TileCatalog {
        final Map<String, TileSetMeta> byKey = new ConcurrentHashMap<>();
        final long loadedAt;
        TileCatalog(long loadedAt) { this.loadedAt = loadedAt; }
    }

    static final class StyleSheet {
        final String name; final String json; final int version; final long updatedAt;
        StyleSheet(String name, String json, int version, long updatedAt) { this.name = name; this.json = json; this.version = version; this.updatedAt = updatedAt; }
    }

    /** Reference data: the style sheets, loaded at startup. */
    static final class Styles {
        static final Map<String, StyleSheet> BY_NAME = new HashMap<>();
    }

    static final class RenderedTile {
        final String tileKey; final byte[] png; final long renderedAt;
        RenderedTile(String tileKey, byte[] png, long renderedAt) { this.tileKey = tileKey; this.png = png; this.renderedAt = renderedAt; }
    }

    /** Hand-written bounded cache of hot rendered tiles: map plus FIFO, oldest evicted over capacity. */
    static final class HotTileCache {
        final int capacity;
        final Map<String, RenderedTile> tiles = new ConcurrentHashMap<>();
        final ConcurrentLinkedDeque<String> order = new ConcurrentLinkedDeque<>();
        final AtomicLong evictions = new AtomicLong();
        HotTileCache(int capacity) { this.capacity = capacity; }
        RenderedTile get(String k) { return tiles.get(k); }
        void put(RenderedTile t) {
            if (tiles.put(t.tileKey, t) == null) order.addLast(t.tileKey);
            while (tiles.size() > capacity) { String k = order.pollFirst(); if (k == null) break; tiles.remove(k); evictions.incrementAndGet(); }
        }
    }

    /** An access-log line; the ring's slots are allocated once and overwritten. */
    static final class AccessSlot {
        long at; String path; int status; int bytes; String userAgent;
    }

    static final class AccessRing {
        final AccessSlot[] slots = new AccessSlot[ACCESS_RING];
        long written;
        AccessRing() { for (int i = 0; i < ACCESS_RING; i++) slots[i] = new AccessSlot(); }
        void append(long t, String path, int status, int bytes, String ua) { AccessSlot s = slots[(int) (written++ % ACCESS_RING)]; s.at = t; s.path = path; s.status = status; s.bytes = bytes; s.userAgent = ua; }
    }

    static final class TileServer {
        final TileCatalog catalog;
        final HotTileCache hot = new HotTileCache(HOT_TILE_CAP);
        final AccessRing access = new AccessRing();
        final ArrayBlockingQueue<int[]> canvases = new ArrayBlockingQueue<>(CANVASES);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor renderers = new ThreadPoolExecutor(RENDERERS, RENDERERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "tile-render-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread vector scratch of the renderers. */
        static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[32_768]);
        final Properties config = new Properties();
        TileServer(long startedAt) { catalog = new TileCatalog(startedAt); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(11_070_001);
        TileServer svc = new TileServer(start);
        RUNNING = svc;
        for (int i = 0; i < 80; i++) svc.config.setProperty("tiles.layer." + i + ".maxAgeSecs", Integer.toString(3600 * (1 + i % 24)));
        String[] layers = new String[LAYERS];
        for (int l = 0; l < LAYERS; l++) layers[l] = new String[] {"roads", "buildings", "water", "landuse", "poi", "transit", "terrain", "labels", "boundaries", "rail"}[l % 10] + (l < 10 ? "" : "-hd");
        String[] keys = new String[TILESETS];
        for (int r = 0; r < REGIONS; r++) {
            String region = "region-" + Integer.toString(r * 37 + 11, 36);
            long surveyed = now - DAY * (200 + rnd.nextInt(3000));
            for (int l = 0; l < LAYERS; l++) {
                String key = region + "/" + layers[l];
                keys[r * LAYERS + l] = key;
                long published = surveyed + DAY * (20 + rnd.nextInt(100));
                svc.catalog.byKey.put(key, new TileSetMeta(key, region, layers[l], 0, 14 + l % 6, new double[] {rnd.nextDouble() * 360 - 180, rnd.nextDouble() * 170 - 85, 1, 1},
                        l % 3 == 0 ? "pbf" : "png", "(c) Map Library contributors " + (r % 50), published, Math.min(now - 30 * DAY, published + DAY * rnd.nextInt(400)), surveyed));
            }
        }
        for (int i = 0; i < STYLES; i++) Styles.BY_NAME.put("style-" + i, new StyleSheet("style-" + i, "{\"version\":8,\"layers\":[" + "{\"id\":\"l\"},".repeat(40) + "]}", 1 + i % 9, now - DAY * rnd.nextInt(900)));
        for (int i = 0; i < CANVASES; i++) svc.canvases.add(new int[256 * 256]);
        CyclicBarrier warm = new CyclicBarrier(RENDERERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RENDERERS; w++) fs.add(svc.renderers.submit(() -> { TileServer.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 4 hours of tile requests spread over the whole catalog (popular regions more often);
        // every request looks its tile set up, hot tiles come from the cache.
        String[] agents = {"MapSDK/9.2 iOS", "MapSDK/9.1 Android", "Mozilla/5.0 web", "fleet-tracker/3.4"};
        long lookups = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + SIM_MILLIS * i / REQUESTS;
            int ts = i < TILESETS ? (int) ((i * 7_919L) % TILESETS) : (rnd.nextBoolean() ? rnd.nextInt(TILESETS) : rnd.nextInt(TILESETS / 20));
            TileSetMeta m = svc.catalog.byKey.get(keys[ts]);
            m.hits.incrementAndGet();
            lookups++;
            int z = 8 + rnd.nextInt(m.maxZoom - 7);
            String tileKey = m.key + "/" + z + "/" + rnd.nextInt(64) + "/" + rnd.nextInt(64);
            if (svc.hot.get(tileKey) == null) {
                int[] canvas = svc.canvases.poll();
                canvas[0] = i;
                svc.canvases.add(canvas);
                byte[] png = new byte[3_000 + rnd.nextInt(2_000)];
                svc.hot.put(new RenderedTile(tileKey, png, t));
            }
            svc.access.append(t, "/tiles/" + tileKey + "." + m.format, 200, 3_000 + rnd.nextInt(2_000), agents[i % 4]);
        }
        int neverHit = 0;
        long hitSum = 0;
        for (TileSetMeta m : svc.catalog.byKey.values()) { if (m.hits.get() == 0) neverHit++; hitSum += m.hits.get(); }
        System.out.println("tile sets " + svc.catalog.byKey.size() + " (never hit " + neverHit + ", hits " + hitSum + ") styles " + Styles.BY_NAME.size() + " hot tiles " + svc.hot.tiles.size()
                + " (evictions " + svc.hot.evictions + ") access " + svc.access.written + " canvases " + svc.canvases.size());
        check(svc.catalog.byKey.size() == TILESETS && neverHit == 0 && hitSum == REQUESTS && lookups == REQUESTS && Styles.BY_NAME.size() == STYLES, "catalog");
        check(svc.hot.tiles.size() == HOT_TILE_CAP && svc.hot.evictions.get() > 0, "hot tiles");
        check(svc.access.written == REQUESTS && svc.canvases.size() == CANVASES && svc.renderers.getPoolSize() == RENDERERS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
