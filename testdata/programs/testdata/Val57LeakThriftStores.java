// hprofscan-dump: name=val57-leak-thriftstores jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val57-leak-thriftstores-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 57 (written blind), LEAK: the online shop search of a charity thrift-store chain.
 * Store reference data, the donated-item listing directory, a cache of rendered result pages at its
 * cap, a pool of image-resize buffers, a ring of recent searches, and a hand-written string
 * canonicalisation pool (HashMap<String,String> used like intern()) meant to deduplicate category,
 * condition and city names, but also fed with every user-supplied search phrase and User-Agent
 * header, and never pruned. See VALIDATION57.md.
 */
public final class Val57LeakThriftStores {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 1_200, LISTINGS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, SEARCHES_PER_HOUR = 8_000, HOURS = 10;
    static boolean FIXED;

    static final String[] CATEGORIES = {"Books", "Vinyl", "Ladies' coats", "Men's shirts", "Kids' shoes", "Toys", "Board games", "Lamps", "Crockery", "Glassware",
        "Picture frames", "Handbags", "Jewellery", "Scarves", "Bicycles", "Tools", "Garden", "Curtains", "Bedding", "Cameras", "DVDs", "Puzzles", "Vases", "Cutlery"};
    static final String[] CONDITIONS = {"New with tags", "As new", "Very good", "Good", "Fair", "For parts"};
    static final String[] WORDS = {"vintage", "red", "blue", "green", "leather", "wool", "wooden", "retro", "silver", "brass", "floral", "denim", "velvet", "linen",
        "oak", "pine", "glass", "ceramic", "large", "small", "kids", "ladies", "mens", "winter", "summer", "boots", "jacket", "dress", "coat", "chair", "table", "lamp",
        "mirror", "teapot", "jug", "bowl", "plate", "record", "novel", "cookbook", "atlas", "puzzle", "lego", "doll", "train", "bike", "helmet", "racket", "camera",
        "lens", "tripod", "guitar", "ukulele", "keyboard", "frame", "print", "poster", "rug", "cushion", "throw", "blanket", "scarf", "hat", "gloves", "handbag",
        "purse", "watch", "necklace", "ring", "brooch", "earrings", "1970s", "1980s", "1990s", "victorian", "art", "deco", "mid", "century", "danish", "french",
        "italian", "pyrex", "denby", "wedgwood", "hornsea", "retro", "barbour", "levis", "clarks", "hunter", "size", "xl", "xs", "medium", "cheap", "bundle"};

    record Store(String code, String town, double[] weeklyFootfall) {}
    record Listing(String itemId, String category, String condition, String storeCode, byte[] description, long listedAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record SearchEvent(String phrase, String userAgent, String city, int results, long at) {}

    /** Hand-written canonicalisation pool, used like String.intern(); never pruned. */
    static final class Canonicalizer {
        final Map<String, String> pool = new HashMap<>();
        long calls, added;
        String canon(String s) {
            calls++;
            String c = pool.putIfAbsent(s, s);
            if (c == null) { added++; return s; }
            return c;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Canonicalizer canon = new Canonicalizer();
        final Map<String, Listing> listings = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> resizeBuffers = new ArrayDeque<>();
        final SearchEvent[] recent = new SearchEvent[RING];
        long searches;
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String userAgent(Random r) {
        switch (r.nextInt(3)) {
            case 0: return "Mozilla/5.0 (Linux; Android " + (9 + r.nextInt(6)) + "; SM-A" + (100 + r.nextInt(500)) + "F Build/" + (char) ('P' + r.nextInt(6)) + "P1A." + (200_000 + r.nextInt(40)) + ") Chrome/" + (100 + r.nextInt(20)) + ".0." + (5_000 + r.nextInt(400)) + ".0 Mobile";
            case 1: return "Mozilla/5.0 (iPhone; CPU iPhone OS " + (14 + r.nextInt(4)) + "_" + r.nextInt(7) + " like Mac OS X) AppleWebKit/605.1.15 Mobile/15E" + (100 + r.nextInt(150));
            default: return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/" + (100 + r.nextInt(25)) + "." + r.nextInt(3) + " Build/" + (20_230_000 + r.nextInt(900));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val57.fixed");
        int searches = SEARCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(57_040_001);
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] storeCodes = new String[STORES];
        String[] cities = new String[300];
        for (int c = 0; c < cities.length; c++) cities[c] = svc.canon.canon(new String("Town " + c)); // legitimate: a fixed vocabulary
        for (int s = 0; s < STORES; s++) {
            double[] foot = new double[64];
            for (int k = 0; k < foot.length; k++) foot[k] = rnd.nextDouble() * 500;
            storeCodes[s] = "TS-" + (4_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], cities[s % cities.length], foot));
        }
        for (int l = 0; l < LISTINGS; l++) {
            String id = "ITM" + (90_000_000 + l * 13);
            String category = svc.canon.canon(new String(CATEGORIES[rnd.nextInt(CATEGORIES.length)]));
            String condition = svc.canon.canon(new String(CONDITIONS[rnd.nextInt(CONDITIONS.length)]));
            svc.listings.put(id, new Listing(id, category, condition, storeCodes[rnd.nextInt(STORES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        int vocabulary = svc.canon.pool.size();
        for (int b = 0; b < POOL; b++) svc.resizeBuffers.add(new byte[32_768]);
        Random traffic = new Random(57_040_002);
        java.util.Set<String> freeText = new java.util.HashSet<>(); // self-check only
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            sb.setLength(0);
            int words = 2 + traffic.nextInt(3);
            for (int w = 0; w < words; w++) { if (w > 0) sb.append(' '); sb.append(WORDS[traffic.nextInt(WORDS.length)]); }
            String phrase = sb.toString();
            String ua = userAgent(traffic);
            String city = cities[traffic.nextInt(cities.length)];
            if (!FIXED) { // BUG: user-supplied free text goes into the canonicalisation pool
                phrase = svc.canon.canon(phrase);
                ua = svc.canon.canon(ua);
                freeText.add(phrase); freeText.add(ua);
            }
            svc.recent[(int) (svc.searches++ % RING)] = new SearchEvent(phrase, ua, city, traffic.nextInt(400), t);
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ResultPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.resizeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.resizeBuffers.add(buf);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " listings " + svc.listings.size() + " canon pool " + svc.canon.pool.size() + " (vocabulary " + vocabulary + ", free text " + freeText.size()
                + ", calls " + svc.canon.calls + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.resizeBuffers.size() + " searches " + svc.searches);
        check(STORES_BY_CODE.size() == STORES && svc.listings.size() == LISTINGS, "reference data / directory");
        check(vocabulary == cities.length + CATEGORIES.length + CONDITIONS.length, "vocabulary " + vocabulary);
        check(svc.canon.pool.size() == vocabulary + freeText.size(), "canon pool keeps every phrase and user agent");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.resizeBuffers.size() == POOL, "pool");
        check(svc.searches == searches && svc.recent[RING - 1] != null, "ring");
        freeText = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
