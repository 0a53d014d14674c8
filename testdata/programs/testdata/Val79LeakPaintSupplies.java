// hprofscan-dump: name=val79-leak-paintsupplies jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val79-leak-paintsupplies-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), LEAK: the pricing service of a trade paint-supplies
 * wholesaler. Depot reference data, the product catalogue, a cache of rendered tint formulas at its
 * cap, a pool of invoice buffers, a ring of recent quotes, and a memoization cache of the pricing
 * function keyed by a composite record (product id, quantity, coupon code, request timestamp):
 * because the timestamp is part of the key no key ever repeats, so every quote adds an entry that is
 * never hit again and never evicted. See VALIDATION79.md.
 */
public final class Val79LeakPaintSupplies {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_200, PRODUCTS = 25_000, POPULAR = 600, FORMULA_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, QUOTES_PER_HOUR = 3_000, MEMO_CAP = 4_000;
    static boolean FIXED;

    record Depot(String code, String town, double[] weeklyStock) {}
    record Product(String productId, String name, long listCents, byte[] datasheet, long listedAt) {}
    record TintFormula(String key, byte[] rendered, long at) {}
    record QuoteLine(String productId, int quantity, long totalCents, long at) {}
    /** The memo key as written: the request timestamp makes every key unique. */
    record PriceQuery(String productId, int quantity, String couponCode, long requestedAt) {}
    /** The fixed key: only what the price depends on. */
    record PriceKey(String productId, int quantity, String couponCode) {}
    record Price(long unitCents, long totalCents, String currency, byte[] breakdown) {}

    static final class Memo extends LinkedHashMap<Object, Price> {
        final boolean bounded;
        long evicted;
        Memo(boolean bounded) { super(4_096, 0.75f, bounded); this.bounded = bounded; }
        @Override protected boolean removeEldestEntry(Map.Entry<Object, Price> e) { if (bounded && size() > MEMO_CAP) { evicted++; return true; } return false; }
    }

    static final class PricingEngine {
        final Memo memo = new Memo(FIXED);
        long hits, misses;
        Price price(Product p, int quantity, String coupon, long at, Random r) {
            Object key = FIXED ? new PriceKey(p.productId(), quantity, coupon) : new PriceQuery(p.productId(), quantity, coupon, at);
            Price cached = memo.get(key);
            if (cached != null) { hits++; return cached; }
            misses++;
            long unit = p.listCents() * (coupon == null ? 100 : 90) / 100;
            Price computed = new Price(unit, unit * quantity, "GBP", new byte[60 + Math.floorMod(p.productId().hashCode() + quantity, 60)]);
            memo.put(key, computed);
            return computed;
        }
    }

    static final class FormulaCache extends LinkedHashMap<String, TintFormula> {
        long evicted;
        FormulaCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TintFormula> e) { if (size() > FORMULA_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class PricingService {
        final Map<String, Product> products = new HashMap<>();
        final FormulaCache formulas = new FormulaCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final QuoteLine[] recent = new QuoteLine[RING];
        long quotes;
        final PricingEngine engine = new PricingEngine();
    }

    static PricingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val79.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(79_040_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] stock = new double[64];
            for (int k = 0; k < stock.length; k++) stock[k] = rnd.nextDouble() * 2_000;
            String code = "DP-" + (2_000 + d);
            depotCodes[d] = code;
            DEPOTS_BY_CODE.put(code, new Depot(code, "Town " + (d % 300), stock));
        }
        PricingService svc = new PricingService();
        SERVICE = svc;
        Product[] catalogue = new Product[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            String id = "PNT-" + (500_000 + p);
            catalogue[p] = new Product(id, "Paint " + (p % 900), 500 + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR);
            svc.products.put(id, catalogue[p]);
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(79_040_002);
        String[] coupons = {null, null, null, "TRADE10", "SPRING24", "DECORATOR", "BULK5"};
        int quotes = QUOTES_PER_HOUR * HOURS;
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            Product p = catalogue[traffic.nextInt(POPULAR) * (PRODUCTS / POPULAR)];
            int qty = 1 + traffic.nextInt(10);
            String coupon = coupons[traffic.nextInt(coupons.length)];
            Price price = svc.engine.price(p, qty, coupon, t, traffic);
            svc.recent[(int) (svc.quotes++ % RING)] = new QuoteLine(p.productId(), qty, price.totalCents(), t);
            String fk = depotCodes[traffic.nextInt(DEPOTS)] + "/tint" + traffic.nextInt(6);
            if (svc.formulas.get(fk) == null) svc.formulas.put(fk, new TintFormula(fk, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.invoiceBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.invoiceBuffers.add(buf);
        }
        PricingEngine e = svc.engine;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " products " + svc.products.size() + " memo " + e.memo.size() + " (evicted " + e.memo.evicted + ") hits " + e.hits + " misses " + e.misses
                + " formulas " + svc.formulas.size() + " (evicted " + svc.formulas.evicted + ") pool " + svc.invoiceBuffers.size() + " quotes " + svc.quotes);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(e.hits + e.misses == quotes, "pricing calls");
        if (FIXED) check(e.memo.size() == MEMO_CAP && e.hits > 0, "bounded memo: " + e.memo.size());
        else check(e.memo.size() == quotes && e.hits == 0, "memo never hit, keeps everything: " + e.memo.size());
        check(svc.formulas.size() == FORMULA_CAP && svc.formulas.evicted > 0, "formula cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.quotes == quotes && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
