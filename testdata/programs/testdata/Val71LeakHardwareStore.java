// hprofscan-dump: name=val71-leak-hardwarestore jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val71-leak-hardwarestore-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Validation set 71 (written blind), LEAK: the product search of a hardware-store chain's web shop.
 * Store reference data, the product directory, a cache of rendered result pages at its cap, a pool
 * of highlight buffers, a ring of the recent searches, and a cache of compiled regular expressions
 * (java.util.regex.Pattern) keyed by the search text exactly as the customer typed it. Search texts
 * are unbounded (sizes, typos, part numbers), and the pattern cache is never evicted. See
 * VALIDATION71.md.
 */
public final class Val71LeakHardwareStore {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 1_000, PRODUCTS = 28_000, CATEGORIES = 700, PAGE_CAP = 2_000, POOL = 8, RING = 16_384,
            SEARCHES_PER_HOUR = 1_800, HOURS = 10, POPULAR = 400, FIXED_PATTERN_CAP = 512;
    static boolean FIXED;

    record Store(String code, String town, double[] footfallByHour) {}
    record Product(String sku, String name, int category, byte[] specSheet, long listedAt) {}
    record ResultPage(String key, byte[] html, long at) {}
    record SearchLog(String query, String storeCode, int hits, long at) {}

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    /** The fix: an LRU of the 512 most recently used patterns. */
    static final class BoundedPatterns extends LinkedHashMap<String, Pattern> {
        BoundedPatterns() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) { return size() > FIXED_PATTERN_CAP; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Product> products = new HashMap<>();
        final Product[][] byCategory = new Product[CATEGORIES][];
        final Map<String, Pattern> patterns = FIXED ? new BoundedPatterns() : new HashMap<>(); // BUG (unfixed): keyed by raw search text, never evicted
        final PageCache pages = new PageCache();
        final ArrayDeque<char[]> highlightBuffers = new ArrayDeque<>();
        final SearchLog[] recent = new SearchLog[RING];
        long searches, compiled;

        Pattern compile(String query) {
            Pattern p = patterns.get(query);
            if (p == null) {
                StringBuilder re = new StringBuilder();
                for (String tok : query.trim().split("\\s+")) {
                    if (re.length() > 0) re.append(".*");
                    re.append(Pattern.quote(tok));
                }
                p = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                patterns.put(query, p);
                compiled++;
            }
            return p;
        }

        void search(String query, String storeCode, int category, Random r, long at) {
            Pattern p = compile(query);
            int hits = 0;
            for (Product prod : byCategory[category]) if (p.matcher(prod.name()).find()) hits++;
            char[] hl = highlightBuffers.poll();
            hl[(int) (searches % hl.length)] = (char) hits;
            highlightBuffers.add(hl);
            String key = storeCode + "/c" + category + "/p" + r.nextInt(3);
            if (pages.get(key) == null) pages.put(key, new ResultPage(key, new byte[400 + r.nextInt(400)], at));
            recent[(int) (searches++ % RING)] = new SearchLog(query, storeCode, hits, at);
        }
    }

    static SearchService SERVICE;

    static final String[] ADJ = {"stainless", "galvanised", "brass", "zinc plated", "black", "hex", "pan head", "countersunk", "self tapping", "heavy duty", "outdoor", "cordless", "copper", "pvc", "white"};
    static final String[] NOUN = {"screw", "bolt", "nut", "washer", "hinge", "bracket", "drill bit", "wall plug", "cable tie", "pipe clip", "elbow", "tee", "sealant", "paint", "sandpaper", "saw blade", "hose", "tap", "padlock", "chain"};

    static String longTail(Random r) {
        String q = ADJ[r.nextInt(ADJ.length)] + " " + NOUN[r.nextInt(NOUN.length)];
        switch (r.nextInt(4)) {
            case 0: q += " m" + (3 + r.nextInt(14)) + " x " + (10 + r.nextInt(190)); break;
            case 1: q += " " + (5 + r.nextInt(300)) + "mm"; break;
            case 2: q = "part " + (10_000 + r.nextInt(90_000)) + " " + q; break;
            default: q += " " + (1 + r.nextInt(50)) + " pack " + NOUN[r.nextInt(NOUN.length)];
        }
        if (r.nextInt(5) == 0) { int k = r.nextInt(q.length()); q = q.substring(0, k) + q.substring(Math.min(q.length(), k + 1)); } // typo
        return q;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(SearchService svc, String[] storeCodes, long start, long end, int searches) {
        Random r = new Random(71_030_002);
        String[] popular = new String[POPULAR];
        for (int k = 0; k < POPULAR; k++) popular[k] = ADJ[k % ADJ.length] + " " + NOUN[(k / ADJ.length) % NOUN.length] + (k >= 300 ? " " + k : "");
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            String q = r.nextInt(100) < 45 ? popular[r.nextInt(POPULAR)] : longTail(r);
            svc.search(q, storeCodes[r.nextInt(STORES)], r.nextInt(CATEGORIES), r, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val71.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int searches = SEARCHES_PER_HOUR * HOURS;
        Random rnd = new Random(71_030_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[84];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 300;
            storeCodes[s] = "ST-" + (3_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Town " + (s % 350), footfall));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        int[] fill = new int[CATEGORIES];
        for (int c = 0; c < CATEGORIES; c++) svc.byCategory[c] = new Product[PRODUCTS / CATEGORIES];
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "SKU" + (8_100_000 + p);
            int cat = p % CATEGORIES;
            String name = ADJ[rnd.nextInt(ADJ.length)] + " " + NOUN[rnd.nextInt(NOUN.length)] + " " + (5 + rnd.nextInt(300)) + "mm";
            Product prod = new Product(sku, name, cat, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR);
            svc.products.put(sku, prod);
            svc.byCategory[cat][fill[cat]++] = prod;
        }
        for (int b = 0; b < POOL; b++) svc.highlightBuffers.add(new char[16_384]);
        traffic(svc, storeCodes, start, end, searches);
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " products " + svc.products.size() + " searches " + svc.searches + " patterns " + svc.patterns.size() + " (compiled " + svc.compiled
                + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.highlightBuffers.size());
        check(STORES_BY_CODE.size() == STORES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.searches == searches, "search traffic");
        if (FIXED) check(svc.patterns.size() == FIXED_PATTERN_CAP, "pattern LRU at its cap");
        else check(svc.patterns.size() == svc.compiled && svc.compiled > 5_000, "every distinct search text keeps its pattern: " + svc.patterns.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.highlightBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "search ring wraps");
        LeakCheck.histogram("java.util.regex.Pattern ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
