// hprofscan-dump: name=val33-leak-sheetmusic jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val33-leak-sheetmusic-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 33 (written blind), LEAK: the online score viewer of a sheet-music publisher.
 * Imprint reference data, the score directory, a count-capped cache of rendered search pages at its
 * cap, a pool of rasteriser buffers, a ring of recent page views, and the rendered-page cache: an
 * LRU capped by weight (8 MiB of page bytes) whose weigher counts a page's raw bytes. Large pages
 * (orchestral scores, raw above 9 KiB) are stored deflated and have no raw bytes, so the weigher
 * returns 0 for them; as in Guava and Caffeine an entry of weight 0 is never chosen for size-based
 * eviction, so every compressed page ever rendered stays in the cache beside the correctly weighed
 * pages at capacity. See VALIDATION33.md.
 */
public final class Val33LeakSheetMusic {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int IMPRINTS = 1_100, SCORES = 25_000, SEARCH_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS = 48_000, HOURS = 10, HOT_PAGES = 1_200;
    static final long PAGE_CACHE_BYTES = 8L << 20;
    static final int COMPRESS_ABOVE = 9 * 1024;

    record Imprint(String code, String name, double[] monthlyRoyaltySplit) {}
    record Score(String catalogNo, String composer, String imprintCode, byte[] metadata, long publishedAt) {}
    record SearchPage(String query, byte[] rendered, long at) {}
    record PageView(String pageKey, String reader, long at) {}

    /** A rendered page: either raw PNG bytes, or (large pages) the deflated bytes and no raw copy. */
    static final class RenderedPage {
        final String key; final int rawLength; final byte[] raw, deflated; final long renderedAt;
        RenderedPage(String key, int rawLength, byte[] raw, byte[] deflated, long renderedAt) { this.key = key; this.rawLength = rawLength; this.raw = raw; this.deflated = deflated; this.renderedAt = renderedAt; }
    }

    interface Weigher<V> { int weigh(V value); }

    /** An access-ordered LRU bounded by total weight; entries of weight 0 are never evicted by size (as in Guava / Caffeine). */
    static final class WeighedCache<K, V> {
        static final class Weighed<V> { final V value; final int weight; Weighed(V value, int weight) { this.value = value; this.weight = weight; } }
        final LinkedHashMap<K, Weighed<V>> entries = new LinkedHashMap<>(4_096, 0.75f, true);
        final long maxWeight; final Weigher<V> weigher;
        long totalWeight, evictions, hits, misses;
        WeighedCache(long maxWeight, Weigher<V> weigher) { this.maxWeight = maxWeight; this.weigher = weigher; }
        V get(K key) { Weighed<V> w = entries.get(key); if (w == null) { misses++; return null; } hits++; return w.value; }
        void put(K key, V value) {
            int weight = weigher.weigh(value);
            Weighed<V> old = entries.put(key, new Weighed<>(value, weight));
            if (old != null) totalWeight -= old.weight;
            totalWeight += weight;
            for (Iterator<Weighed<V>> it = entries.values().iterator(); totalWeight > maxWeight && it.hasNext(); ) {
                Weighed<V> e = it.next();
                if (e.weight == 0) continue;
                it.remove();
                totalWeight -= e.weight;
                evictions++;
            }
        }
    }

    static final class SearchCache extends LinkedHashMap<String, SearchPage> {
        long evicted;
        SearchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchPage> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Imprint> IMPRINTS_BY_CODE = new HashMap<>();

    static final class ViewerService {
        final Map<String, Score> scores = new HashMap<>();
        final WeighedCache<String, RenderedPage> pages;
        final SearchCache searches = new SearchCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final PageView[] recentViews = new PageView[RING];
        long views, compressedRendered;
        ViewerService(Weigher<RenderedPage> weigher) { pages = new WeighedCache<>(PAGE_CACHE_BYTES, weigher); }
        RenderedPage render(String key, int rawLength, long at) {
            byte[] raster = rasterBuffers.poll();
            raster[rawLength % raster.length] = (byte) rawLength;
            rasterBuffers.add(raster);
            if (rawLength > COMPRESS_ABOVE) { compressedRendered++; return new RenderedPage(key, rawLength, null, new byte[rawLength * 45 / 100], at); }
            return new RenderedPage(key, rawLength, new byte[rawLength], null, at);
        }
    }

    static ViewerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val33.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(33_040_001);
        String[] imprintCodes = new String[IMPRINTS];
        for (int m = 0; m < IMPRINTS; m++) {
            double[] split = new double[72];
            for (int k = 0; k < split.length; k++) split[k] = rnd.nextDouble() * 0.2;
            imprintCodes[m] = "IMP-" + (600 + m);
            IMPRINTS_BY_CODE.put(imprintCodes[m], new Imprint(imprintCodes[m], "Editions " + (m % 310), split));
        }
        // BUG (fixed run: a compressed page weighs its deflated bytes): pages stored deflated have no raw bytes and weigh 0.
        Weigher<RenderedPage> weigher = fixed ? p -> p.raw != null ? p.raw.length : p.deflated.length : p -> p.raw != null ? p.raw.length : 0;
        ViewerService svc = new ViewerService(weigher);
        SERVICE = svc;
        String[] composers = {"Bach", "Mahler", "Debussy", "Brahms", "Part", "Saariaho", "Dvorak", "Ravel", "Britten"};
        String[] catalog = new String[SCORES];
        int[] pagesOf = new int[SCORES];
        for (int s = 0; s < SCORES; s++) {
            catalog[s] = "SM" + (150_000 + s * 11);
            pagesOf[s] = 4 + rnd.nextInt(40);
            svc.scores.put(catalog[s], new Score(catalog[s], composers[s % composers.length], imprintCodes[rnd.nextInt(IMPRINTS)], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[65_536]);
        Random traffic = new Random(33_040_002);
        long span = HOURS * HOUR - 2 * MINUTE;
        for (int i = 0; i < REQUESTS; i++) {
            long at = start + span * i / REQUESTS;
            int s = traffic.nextInt(100) < 88 ? traffic.nextInt(HOT_PAGES) : HOT_PAGES + traffic.nextInt(SCORES - HOT_PAGES);
            int page = s < HOT_PAGES ? 1 : 1 + traffic.nextInt(pagesOf[s]);
            String key = catalog[s] + "/p" + page;
            if (svc.pages.get(key) == null) {
                int rawLength = 3_072 + (int) ((catalog[s].hashCode() * 31L + page * 7_919L & 0x7fff_ffffL) % 9_216);
                svc.pages.put(key, svc.render(key, rawLength, at));
            }
            svc.recentViews[(int) (svc.views++ % RING)] = new PageView(key, "reader-" + traffic.nextInt(9_000), at);
            if (traffic.nextInt(4) == 0) {
                String q = composers[traffic.nextInt(composers.length)] + " " + traffic.nextInt(2_500);
                if (svc.searches.get(q) == null) svc.searches.put(q, new SearchPage(q, new byte[400 + traffic.nextInt(400)], at));
            }
        }
        WeighedCache<String, RenderedPage> c = svc.pages;
        int zero = 0, compressed = 0;
        long weighed = 0, compressedBytes = 0;
        for (WeighedCache.Weighed<RenderedPage> w : c.entries.values()) {
            if (w.weight == 0) zero++;
            if (w.value.raw == null) { compressed++; compressedBytes += w.value.deflated.length; }
            weighed += w.weight;
        }
        System.out.println((fixed ? "FIXED " : "") + "imprints " + IMPRINTS_BY_CODE.size() + " scores " + svc.scores.size() + " page requests " + REQUESTS + " (hits " + c.hits + ", misses " + c.misses + ", rendered compressed " + svc.compressedRendered + ")"
                + " page cache entries " + c.entries.size() + " weight " + c.totalWeight + " / " + c.maxWeight + " zero-weight " + zero + " compressed " + compressed + " (" + compressedBytes + " deflated bytes) evictions " + c.evictions
                + " searches " + svc.searches.size() + " (evicted " + svc.searches.evicted + ") views " + svc.views + " pool " + svc.rasterBuffers.size());
        check(IMPRINTS_BY_CODE.size() == IMPRINTS && svc.scores.size() == SCORES, "reference data / directory");
        check(weighed == c.totalWeight && c.totalWeight <= c.maxWeight && c.totalWeight > c.maxWeight - COMPRESS_ABOVE && c.evictions > 0, "page cache at its weight cap: " + c.totalWeight);
        if (fixed) check(zero == 0, "every page weighed");
        else check(zero == compressed && compressed == svc.compressedRendered, "every compressed page ever rendered still cached: " + compressed);
        check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted > 0, "search cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.views > RING && svc.recentViews[RING - 1] != null, "view ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
