// hprofscan-dump: name=val65-leak-gardencentre-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val65-leak-gardencentre-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val65-leak-gardencentre jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val65-leak-gardencentre-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), LEAK: the online price-quote service of a garden-centre
 * chain. Store reference data, the product directory, a cache of rendered shelf labels at its
 * cap, a pool of label-printer buffers, a ring of recent orders, and a quote memo meant to live
 * for one request (a basket often has the same plant twice) but held by the singleton
 * QuoteEngine.INSTANCE and never cleared: it is keyed by "customerId|sku|quote date-time to the
 * minute", so it grows with traffic. See VALIDATION65.md.
 */
public final class Val65LeakGardenCentre {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 900, PRODUCTS = 24_000, LABEL_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Store(String code, String town, double[] weeklyFootfall) {}
    record Product(String sku, String name, byte[] careSheet, long listedAt) {}
    record ShelfLabel(String key, byte[] rendered, long at) {}
    record Order(String orderId, String customerId, int lines, long totalCents, long at) {}
    record PriceQuote(String customerId, String sku, long quotedAt, long cents, byte[] breakdown) {}

    /** The singleton pricing engine; its memo was meant to be request-scoped. */
    static final class QuoteEngine {
        static final QuoteEngine INSTANCE = new QuoteEngine();
        final Map<String, PriceQuote> memo = new HashMap<>();
        long computed, hits, requests;
        PriceQuote quote(String customerId, String sku, long at, Random r) {
            String key = customerId + "|" + sku + "|" + Instant.ofEpochMilli(at - at % MINUTE).toString().substring(0, 16);
            PriceQuote q = memo.get(key);
            if (q != null) { hits++; return q; }
            computed++;
            q = new PriceQuote(customerId, sku, at, 199 + r.nextInt(9_800), new byte[24 + r.nextInt(24)]);
            memo.put(key, q);
            return q;
        }
        void endRequest() {
            requests++;
            if (FIXED) memo.clear(); // the fix: the memo lives for one request
            // BUG: nothing clears the memo; every quote ever computed stays in it
        }
    }

    static final class LabelCache extends LinkedHashMap<String, ShelfLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShelfLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Product> products = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final QuoteEngine engine = QuoteEngine.INSTANCE;
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val65.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(65_010_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 400;
            storeCodes[s] = "GC-" + (3_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Town " + (s % 250), footfall));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] kinds = {"Rose", "Hydrangea", "Compost 50L", "Acer", "Lavender", "Bird table", "Fern", "Hosepipe"};
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU" + (4_400_000 + p);
            svc.products.put(skus[p], new Product(skus[p], kinds[p % kinds.length] + " " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(65_010_002);
        Random prices = new Random(65_010_003);
        long lines = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String customer = "C" + (100_000 + traffic.nextInt(50_000));
            int n = 1 + traffic.nextInt(4);
            long total = 0;
            String first = null;
            for (int l = 0; l < n; l++) {
                // a basket often lists the same plant twice (different pot sizes): the memo's purpose
                String sku = (l > 0 && traffic.nextInt(4) == 0) ? first : skus[traffic.nextInt(PRODUCTS)];
                if (first == null) first = sku;
                total += svc.engine.quote(customer, sku, t, prices).cents();
                lines++;
            }
            svc.engine.endRequest();
            svc.recentOrders[(int) (svc.orders++ % RING)] = new Order("ORD-" + (60_000_000 + i), customer, n, total, t);
            String key = "label-" + traffic.nextInt(5_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new ShelfLabel(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.printBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printBuffers.add(buf);
        }
        QuoteEngine e = svc.engine;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stores " + STORES_BY_CODE.size() + " products " + svc.products.size() + " memo " + e.memo.size() + " (computed " + e.computed + ", hits " + e.hits + ", lines " + lines
                + ", requests " + e.requests + ") labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.printBuffers.size() + " orders " + svc.orders);
        check(STORES_BY_CODE.size() == STORES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(e.requests == requests && e.computed + e.hits == lines, "quote traffic");
        if (FIXED) check(e.memo.isEmpty(), "request-scoped memo is empty between requests");
        else check(e.memo.size() == e.computed, "memo keeps every quote: " + e.memo.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.orders == requests && svc.recentOrders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
