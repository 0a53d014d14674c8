// hprofscan-dump: name=val77-leak-guitarshop-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val77-leak-guitarshop-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val77-leak-guitarshop jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val77-leak-guitarshop-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 77 (written blind), LEAK: the storefront search service of an online guitar shop.
 * Store reference data, the product directory, a cache of rendered product pages at its cap, a pool
 * of image-resize buffers, a ring of recent orders, and a search-suggestion cache keyed by the query
 * token the browser sends with every keystroke (a random-looking id generated client side). Each
 * entry also links to the entries of related queries (the previous keystroke of the same typing
 * burst and the latest entry of a sibling prefix). Nothing evicts it: every keystroke ever typed
 * adds an entry. The fix keys the cache by the normalized query text, caps it at 2,000 entries (LRU)
 * and keeps related queries as keys. See VALIDATION77.md.
 */
public final class Val77LeakGuitarShop {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 900, PRODUCTS = 24_000, PAGE_CAP = 2_000, SUGGEST_CAP = 2_000, POOL = 8, RING = 2_048, QUERIES_PER_HOUR = 5_000;
    static boolean FIXED;

    record Store(String code, String city, double[] weeklyFootfall) {}
    record Product(String sku, String brand, String model, byte[] specSheet, long listedAt) {}
    record ProductPage(String key, byte[] html, long at) {}
    record Order(String orderId, String sku, String customerId, long at) {}

    /** One cached suggestion result. */
    static final class SuggestionEntry {
        final String key; // BUG: the client's query token; fixed: the normalized query text
        final String query;
        final String[] suggestions; // product models, shared with the directory
        final long createdAt;
        final List<SuggestionEntry> related = new ArrayList<>(2); // leak version: links to other entries
        final List<String> relatedKeys = new ArrayList<>(2);      // fixed version: related queries by key
        long hits;
        SuggestionEntry(String key, String query, String[] suggestions, long createdAt) { this.key = key; this.query = query; this.suggestions = suggestions; this.createdAt = createdAt; }
    }

    static final class SuggestionCache {
        final Map<String, SuggestionEntry> byToken = new HashMap<>();           // leak version
        final LinkedHashMap<String, SuggestionEntry> byQuery = new LinkedHashMap<>(4_096, 0.75f, true) { // fixed version
            @Override protected boolean removeEldestEntry(Map.Entry<String, SuggestionEntry> e) { if (size() > SUGGEST_CAP) { evicted++; return true; } return false; }
        };
        final Map<String, SuggestionEntry> latestByPrefix2 = new HashMap<>(); // leak version: latest entry per 2-letter prefix
        long lookups, misses, evicted;
        int size() { return FIXED ? byQuery.size() : byToken.size(); }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Product> products = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> resizeBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final SuggestionCache suggestions = new SuggestionCache();
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** {entries with at least one related link, related links in all}. */
    static long[] relatedLinks(SuggestionCache c) {
        long with = 0, links = 0;
        for (SuggestionEntry e : (FIXED ? c.byQuery : c.byToken).values()) { int n = FIXED ? e.relatedKeys.size() : e.related.size(); if (n > 0) with++; links += n; }
        return new long[] {with, links};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val77.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int queries = QUERIES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(77_010_001);
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 400;
            String code = "GS-" + (3_000 + s);
            STORES_BY_CODE.put(code, new Store(code, "City " + (s % 250), footfall));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] brands = {"Fender", "Gibson", "Ibanez", "Yamaha", "Martin", "Taylor", "PRS", "Gretsch", "Epiphone", "Squier"};
        String[] skus = new String[PRODUCTS];
        String[] models = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "GTR-" + (400_000 + p);
            models[p] = brands[p % brands.length] + " M" + (100 + p / brands.length);
            svc.products.put(skus[p], new Product(skus[p], brands[p % brands.length], models[p], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.resizeBuffers.add(new byte[32_768]);
        // query vocabulary: 3,000 normalized queries ("fe", "fen", "fend", ...), each with 5 suggestions
        String[] vocab = new String[3_000];
        String[][] vocabSuggestions = new String[vocab.length][];
        for (int v = 0; v < vocab.length; v++) {
            String brand = brands[v % brands.length].toLowerCase();
            int len = 2 + (v / brands.length) % Math.max(1, brand.length() - 1);
            vocab[v] = brand.substring(0, Math.min(len, brand.length())) + (v >= 100 ? " m" + (v / 10) : "");
            String[] sug = new String[5];
            for (int k = 0; k < 5; k++) sug[k] = models[(v * 7 + k * 13) % PRODUCTS];
            vocabSuggestions[v] = sug;
        }
        Random traffic = new Random(77_010_002);
        SuggestionCache cache = svc.suggestions;
        SuggestionEntry previous = null;
        for (int i = 0; i < queries; i++) {
            long t = start + (end - MINUTE - start) * i / queries;
            int v = traffic.nextInt(vocab.length);
            String token = Long.toHexString(traffic.nextLong() | 0x1000_0000_0000_0000L); // client-side random id
            boolean sameBurst = traffic.nextInt(4) != 0;
            cache.lookups++;
            String query = vocab[v];
            if (!FIXED) {
                SuggestionEntry e = cache.byToken.get(token); // never hits: every keystroke has a fresh token
                if (e == null) {
                    cache.misses++;
                    e = new SuggestionEntry(token, query, vocabSuggestions[v], t);
                    if (sameBurst && previous != null) e.related.add(previous);
                    String p2 = query.substring(0, 2);
                    SuggestionEntry sibling = cache.latestByPrefix2.get(p2);
                    if (sibling != null && sibling != previous) e.related.add(sibling);
                    cache.latestByPrefix2.put(p2, e);
                    cache.byToken.put(token, e);
                }
                e.hits++;
                previous = e;
            } else {
                SuggestionEntry e = cache.byQuery.get(query);
                if (e == null) {
                    cache.misses++;
                    e = new SuggestionEntry(query, query, vocabSuggestions[v], t);
                    if (sameBurst && previous != null) e.relatedKeys.add(previous.key);
                    cache.byQuery.put(query, e);
                }
                e.hits++;
                previous = e;
            }
            if (i % 3 == 0) {
                int p = traffic.nextInt(PRODUCTS);
                String key = "page-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[500 + traffic.nextInt(500)], t));
                svc.recentOrders[(int) (svc.orders++ % RING)] = new Order("ORD-" + (8_000_000 + i), skus[p], "CU" + (200_000 + traffic.nextInt(80_000)), t);
                byte[] buf = svc.resizeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.resizeBuffers.add(buf);
            }
        }
        System.out.println("related " + java.util.Arrays.toString(relatedLinks(cache)));
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stores " + STORES_BY_CODE.size() + " products " + svc.products.size() + " suggestions " + cache.size() + " (lookups " + cache.lookups + ", misses " + cache.misses
                + ", evicted " + cache.evicted + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.resizeBuffers.size() + " orders " + svc.orders);
        check(STORES_BY_CODE.size() == STORES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(cache.lookups == queries, "suggestion traffic");
        if (FIXED) check(cache.byQuery.size() == SUGGEST_CAP && cache.byToken.isEmpty() && cache.latestByPrefix2.isEmpty(), "fixed suggestion cache at cap: " + cache.byQuery.size());
        else check(cache.byToken.size() == queries && cache.misses == queries, "suggestion cache keeps every token: " + cache.byToken.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.resizeBuffers.size() == POOL, "pool");
        check(svc.orders == (queries + 2) / 3 && svc.recentOrders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
