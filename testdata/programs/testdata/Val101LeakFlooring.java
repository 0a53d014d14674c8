// hprofscan-dump: name=val101-leak-flooring jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val101-leak-flooring-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 101 (written blind), LEAK: the trade price service of a flooring wholesaler
 * (carpet, vinyl, laminate and hardwood sold to fitters). Supplier reference data, the product
 * directory, a cache of rendered quote sheets at its cap, a pool of PDF buffers, a ring of recent
 * trade orders, and a price memo (HashMap<PriceKey, Quote>) meant to avoid recomputing a trade
 * price for the same (SKU, currency, trade tier). PriceKey is a plain class with final fields, a
 * compareTo and a toString but no equals / hashCode; every request builds a new key, so every
 * lookup misses and puts another entry (and the supplier-update hook's remove(new PriceKey(...))
 * silently removes nothing). See VALIDATION101.md.
 */
public final class Val101LeakFlooring {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SUPPLIERS = 1_000, PRODUCTS = 25_000, SHEET_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS = 60_000, HOT_SKUS = 600;
    static final String[] CURRENCIES = {"GBP", "EUR"};
    static boolean FIXED;

    record Supplier(String code, String country, double[] leadTimeCurve) {}
    record Product(String sku, String supplierCode, String range, byte[] specSheet, long listedAt) {}
    record QuoteSheet(String key, byte[] pdf, long renderedAt) {}
    record TradeOrder(String orderNo, String fitterId, String sku, int squareMetres, long at) {}
    record Quote(String sku, String currency, int tier, long unitPriceMinor, long computedAt, long[] volumeBreaks) {}

    /** The memo key. BUG: no equals / hashCode, so two keys with the same fields are different keys. */
    static class PriceKey implements Comparable<PriceKey> {
        final String sku, currency; final int tier;
        PriceKey(String sku, String currency, int tier) { this.sku = sku; this.currency = currency; this.tier = tier; }
        @Override public int compareTo(PriceKey o) {
            int c = sku.compareTo(o.sku);
            if (c == 0) c = currency.compareTo(o.currency);
            return c != 0 ? c : Integer.compare(tier, o.tier);
        }
        @Override public String toString() { return sku + "/" + currency + "/T" + tier; }
    }

    /** The fix (used only with -Dval101.fixed=true): the same key with value equality. */
    static final class FixedPriceKey extends PriceKey {
        FixedPriceKey(String sku, String currency, int tier) { super(sku, currency, tier); }
        @Override public boolean equals(Object o) { return o instanceof PriceKey k && sku.equals(k.sku) && currency.equals(k.currency) && tier == k.tier; }
        @Override public int hashCode() { return Objects.hash(sku, currency, tier); }
    }

    static PriceKey key(String sku, String currency, int tier) { return FIXED ? new FixedPriceKey(sku, currency, tier) : new PriceKey(sku, currency, tier); }

    static final class PriceEngine {
        final Map<PriceKey, Quote> memo = new HashMap<>();
        long lookups, hits, misses, invalidations, removed;
        Quote price(String sku, String currency, int tier, long at, Random r) {
            lookups++;
            PriceKey k = key(sku, currency, tier);
            Quote q = memo.get(k);
            if (q != null) { hits++; return q; }
            misses++;
            long[] breaks = new long[4];
            for (int b = 0; b < breaks.length; b++) breaks[b] = 10L * (b + 1) * (5 + r.nextInt(20));
            q = new Quote(sku, currency, tier, 1_500 + r.nextInt(9_000) - tier * 150L, at, breaks);
            memo.put(k, q);
            return q;
        }
        /** A supplier's new price list: drop the memoised quotes of the repriced SKUs. */
        void supplierUpdate(String sku) {
            invalidations++;
            for (String c : CURRENCIES) for (int tier = 1; tier <= 3; tier++) if (memo.remove(key(sku, c, tier)) != null) removed++;
        }
    }

    static final class SheetCache extends LinkedHashMap<String, QuoteSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuoteSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Supplier> SUPPLIERS_BY_CODE = new HashMap<>();

    static final class TradeCounter {
        final Map<String, Product> products = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final TradeOrder[] recentOrders = new TradeOrder[RING];
        long orders;
        final PriceEngine prices = new PriceEngine();
    }

    static TradeCounter SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(101_040_001);
        String[] supplierCodes = new String[SUPPLIERS];
        for (int s = 0; s < SUPPLIERS; s++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = 2 + rnd.nextDouble() * 40;
            supplierCodes[s] = "SUP-" + (8_000 + s);
            SUPPLIERS_BY_CODE.put(supplierCodes[s], new Supplier(supplierCodes[s], s % 3 == 0 ? "BE" : s % 3 == 1 ? "DE" : "UK", curve));
        }
        TradeCounter svc = new TradeCounter();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] ranges = {"Saxony carpet", "Twist pile", "Luxury vinyl tile", "Laminate oak", "Engineered oak", "Cushioned vinyl", "Carpet tile"};
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "FLR-" + (100_000 + p * 7);
            svc.products.put(skus[p], new Product(skus[p], supplierCodes[rnd.nextInt(SUPPLIERS)], ranges[p % ranges.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        String[] hot = new String[HOT_SKUS];
        for (int h = 0; h < HOT_SKUS; h++) hot[h] = skus[rnd.nextInt(PRODUCTS)];

        Random traffic = new Random(101_040_002);
        Random pricing = new Random(101_040_003);
        long nextUpdate = start + 10 * MINUTE, priceRequests = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (nextUpdate <= t) { for (int u = 0; u < 5; u++) svc.prices.supplierUpdate(hot[traffic.nextInt(HOT_SKUS)]); nextUpdate += 10 * MINUTE; }
            int kind = traffic.nextInt(10);
            String sku = hot[traffic.nextInt(HOT_SKUS)];
            if (kind < 8) {
                priceRequests++;
                svc.prices.price(sku, CURRENCIES[traffic.nextInt(CURRENCIES.length)], 1 + traffic.nextInt(3), t, pricing);
            } else if (kind == 8) {
                svc.recentOrders[(int) (svc.orders++ % RING)] = new TradeOrder("TO" + (2_000_000 + i), "F" + (40_000 + traffic.nextInt(9_000)), sku, 5 + traffic.nextInt(120), t);
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            } else {
                String key = "sheet-" + traffic.nextInt(6_000);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new QuoteSheet(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        PriceEngine pe = svc.prices;
        String summary = (FIXED ? "FIXED " : "") + "suppliers " + SUPPLIERS_BY_CODE.size() + " products " + svc.products.size() + " price lookups " + pe.lookups + " hits " + pe.hits + " misses " + pe.misses
                + " memo " + pe.memo.size() + " supplier updates " + pe.invalidations + " (quotes removed " + pe.removed + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.pdfBuffers.size() + " orders " + svc.orders;
        check(SUPPLIERS_BY_CODE.size() == SUPPLIERS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(pe.lookups == priceRequests && pe.invalidations == (HOURS * 6 - 1) * 5L, "price traffic: " + pe.invalidations);
        if (FIXED) check(pe.memo.size() <= HOT_SKUS * CURRENCIES.length * 3 && pe.hits > 0 && pe.removed > 0, "memo bounded by the key space");
        else check(pe.memo.size() == priceRequests && pe.hits == 0 && pe.removed == 0, "memo keeps an entry per request: " + pe.memo.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "ring");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val101.fixed");
        String summary = build();
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
