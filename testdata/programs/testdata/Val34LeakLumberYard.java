// hprofscan-dump: name=val34-leak-lumberyard jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val34-leak-lumberyard-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 34 (written blind), LEAK: the trade-counter price service of a chain of lumber
 * yards and building-supply depots. Yard reference data, the product directory, the price list,
 * a cache of rendered cut lists at its cap, a pool of label buffers, a ring of recent orders, and a
 * quote cache keyed by QuoteKey(sku, region, asOf). asOf was meant to be the effective time of the
 * price list the quote was computed from; the service passes the request's own timestamp instead,
 * so no lookup ever hits and every request adds an entry that is never read again. Nothing evicts
 * (the key space was supposed to be bounded by SKUs x regions). See VALIDATION34.md.
 */
public final class Val34LeakLumberYard {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int YARDS = 900, PRODUCTS = 25_000, PRO_SKUS = 1_500, REGIONS = 4, CUTLIST_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 4_000, HOURS = 10;
    static boolean FIXED;

    record Yard(String code, String region, double[] weeklyBoardFeet) {}
    record Product(String sku, String category, String name, byte[] specSheet, long listedAt) {}
    record CutList(String key, byte[] rendered, long at) {}
    record Order(long id, String sku, String yardCode, int quantity, long quotedCents, long at) {}
    /** asOf: the effective time of the price list used (meant to be); see quote(). */
    record QuoteKey(String sku, String region, long asOf) {}
    record Quote(String sku, String region, long unitCents, int[] tierCents, long computedAt) {}

    static final class PriceList {
        final long effectiveFrom;
        final int[] baseCents = new int[PRODUCTS];
        final double[] regionFactor = {1.00, 1.04, 1.09, 0.97};
        PriceList(long effectiveFrom) { this.effectiveFrom = effectiveFrom; }
    }

    static final class CutListCache extends LinkedHashMap<String, CutList> {
        long evicted;
        CutListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CutList> e) { if (size() > CUTLIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();

    static final class PriceService {
        final Map<String, Product> products = new HashMap<>();
        final Map<String, Integer> productIndex = new HashMap<>();
        PriceList priceList;
        final Map<QuoteKey, Quote> quotes = new ConcurrentHashMap<>();
        final CutListCache cutLists = new CutListCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders, requests, hits, misses;

        Quote quote(String sku, String region, long requestedAt) {
            requests++;
            // BUG: asOf should be the price list's effectiveFrom; the request time makes every key new
            QuoteKey key = new QuoteKey(sku, region, FIXED ? priceList.effectiveFrom : requestedAt);
            Quote q = quotes.get(key);
            if (q != null) { hits++; return q; }
            misses++;
            int base = priceList.baseCents[productIndex.get(sku)];
            int r = region.charAt(region.length() - 1) - '1';
            long unit = Math.round(base * priceList.regionFactor[r]);
            int[] tiers = new int[6 + (int) (unit % 8)];
            for (int k = 0; k < tiers.length; k++) tiers[k] = (int) (unit * (100 - 3 * k) / 100);
            q = new Quote(sku, region, unit, tiers, requestedAt);
            quotes.put(key, q);
            return q;
        }
    }

    static PriceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val34.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(34_020_001);
        String[] regions = {"REGION-1", "REGION-2", "REGION-3", "REGION-4"};
        String[] yardCodes = new String[YARDS];
        for (int y = 0; y < YARDS; y++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = 2_000 + rnd.nextDouble() * 30_000;
            yardCodes[y] = "YD-" + (3_000 + y);
            YARDS_BY_CODE.put(yardCodes[y], new Yard(yardCodes[y], regions[y % REGIONS], weekly));
        }
        PriceService svc = new PriceService();
        SERVICE = svc;
        svc.priceList = new PriceList(start - 6 * HOUR);
        String[] categories = {"Dimensional lumber", "Plywood", "OSB", "Decking", "Fasteners", "Drywall", "Insulation", "Roofing", "Trim", "Concrete"};
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU" + (1_000_000 + p * 3);
            svc.products.put(skus[p], new Product(skus[p], categories[p % categories.length], categories[p % categories.length] + " item " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
            svc.productIndex.put(skus[p], p);
            svc.priceList.baseCents[p] = 99 + rnd.nextInt(40_000);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(34_020_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String sku = skus[traffic.nextInt(PRO_SKUS) * 16]; // the contractor "pro desk" list
            String yard = yardCodes[traffic.nextInt(YARDS)];
            String region = YARDS_BY_CODE.get(yard).region();
            Quote q = svc.quote(sku, region, t);
            if (traffic.nextInt(10) < 4) {
                int qty = 1 + traffic.nextInt(200);
                svc.recentOrders[(int) (svc.orders % RING)] = new Order(60_000_000L + svc.orders, sku, yard, qty, q.unitCents() * qty, t);
                svc.orders++;
            }
            String key = "cut-" + traffic.nextInt(6_000);
            if (svc.cutLists.get(key) == null) svc.cutLists.put(key, new CutList(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        System.out.println((FIXED ? "FIXED " : "") + "yards " + YARDS_BY_CODE.size() + " products " + svc.products.size() + " requests " + svc.requests + " quotes " + svc.quotes.size()
                + " (hits " + svc.hits + ", misses " + svc.misses + ") orders " + svc.orders + " cut lists " + svc.cutLists.size() + " (evicted " + svc.cutLists.evicted + ") pool " + svc.labelBuffers.size());
        check(YARDS_BY_CODE.size() == YARDS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.requests == requests && svc.hits + svc.misses == requests && svc.quotes.size() == svc.misses, "quote traffic");
        if (FIXED) check(svc.quotes.size() <= PRO_SKUS * REGIONS && svc.hits > requests / 2, "quote cache bounded by SKUs x regions: " + svc.quotes.size());
        else check(svc.quotes.size() == requests && svc.hits == 0, "every request adds a quote: " + svc.quotes.size());
        check(svc.cutLists.size() == CUTLIST_CAP && svc.cutLists.evicted > 0, "cut-list cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
