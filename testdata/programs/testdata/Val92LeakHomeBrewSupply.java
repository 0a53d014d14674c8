// hprofscan-dump: name=val92-leak-homebrewsupply jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val92-leak-homebrewsupply-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 92 (written blind), LEAK: the web shop of a home-brewing supplies retailer.
 * Beer-style reference data, the product directory, a pool of label-printer buffers, a ring of
 * recent orders, and the customer cache: an access-ordered LRU of customer records capped at 5,000
 * ({@code CustomerCache.byId}) with a secondary index from e-mail address to customer id
 * ({@code CustomerCache.idByEmail}, a {@code HashMap<String, String>}) used by the login and
 * guest-checkout paths. The LRU's eviction ({@code removeEldestEntry}) does not remove the evicted
 * customer's index entry, so the index keeps one entry per customer ever loaded while the LRU
 * stays at its cap. See VALIDATION92.md.
 */
public final class Val92LeakHomeBrewSupply {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOURS = 10, STYLES = 1_100, PRODUCTS = 24_000, CUSTOMER_CAP = 5_000, POOL = 8, RING = 16_384, VISITS = 40_000, REGISTERED_BEFORE = 60_000;
    static final String[] DOMAINS = {"mailbox.example", "brewmail.example", "post.example", "inbox.example", "hops.example", "mail.example"};
    static boolean FIXED;

    record BeerStyle(String code, String name, double[] fermentationCurve) {}
    record Product(String sku, String category, String title, byte[] description, long listedAt) {}
    record Customer(String id, String email, String displayName, String tier, byte[] preferences, long since) {}
    record Order(String orderNo, String customerId, int lines, long totalCents, long at) {}

    static final class CustomerLru extends LinkedHashMap<String, Customer> {
        final Map<String, String> index;
        long evicted;
        CustomerLru(Map<String, String> index) { super(8_192, 0.75f, true); this.index = index; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Customer> eldest) {
            if (size() <= CUSTOMER_CAP) return false;
            evicted++;
            if (FIXED) index.remove(eldest.getValue().email()); // fix: keep the index in step with the LRU
            // BUG: the evicted customer's e-mail stays in idByEmail
            return true;
        }
    }

    static final class CustomerCache {
        final Map<String, String> idByEmail = new HashMap<>();
        final CustomerLru byId = new CustomerLru(idByEmail);
        long hits, loads;
        Customer byEmail(String email, long customerNo, long now) {
            String id = idByEmail.get(email);
            Customer c = id == null ? null : byId.get(id);
            if (c != null) { hits++; return c; }
            c = load(customerNo, now);
            byId.put(c.id(), c);
            idByEmail.put(c.email(), c.id());
            loads++;
            return c;
        }
        /** The customer database (not in this heap): a record is rebuilt from its number. */
        static Customer load(long customerNo, long now) {
            Random r = new Random(92_040_100L + customerNo);
            return new Customer(customerId(customerNo), email(customerNo), "Brewer " + customerNo, r.nextInt(10) == 0 ? "club" : "standard", new byte[200 + r.nextInt(200)],
                    now - (long) (1 + r.nextInt(2_000)) * 24 * HOUR);
        }
    }

    static String customerId(long n) { return "HB" + (1_000_000 + n); }
    static String email(long n) { return "brewer" + (5_000_000 + n * 7) + "@" + DOMAINS[(int) (n % DOMAINS.length)]; }

    static final Map<String, BeerStyle> STYLES_BY_CODE = new HashMap<>();

    static final class ShopService {
        final Map<String, Product> products = new HashMap<>();
        final CustomerCache customers = new CustomerCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val92.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(92_040_001);
        for (int s = 0; s < STYLES; s++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 1.060 - rnd.nextDouble() * 0.05;
            String code = "BJCP-" + (s / 26) + (char) ('A' + s % 26);
            STYLES_BY_CODE.put(code, new BeerStyle(code, "Style " + s, curve));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] categories = {"Malt", "Hops", "Yeast", "Kit", "Fermenter", "Bottling", "Cleaning", "Adjunct"};
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU-" + (100_000 + p * 3);
            svc.products.put(skus[p], new Product(skus[p], categories[p % categories.length], "Product " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(92_040_002);
        long nextNew = REGISTERED_BEFORE, newCustomers = 0;
        java.util.BitSet seen = new java.util.BitSet();
        for (int i = 0; i < VISITS; i++) {
            long t = start + (end - MINUTE - start) * i / VISITS;
            long customerNo;
            if (traffic.nextInt(100) < 55) { customerNo = nextNew++; newCustomers++; } // sign-up or guest checkout
            else customerNo = traffic.nextInt((int) nextNew); // a returning customer
            seen.set((int) customerNo);
            Customer c = svc.customers.byEmail(email(customerNo), customerNo, now);
            int lines = 1 + traffic.nextInt(6);
            svc.recentOrders[(int) (svc.orders++ % RING)] = new Order("ORD-" + (8_800_000 + i), c.id(), lines, 500L + traffic.nextInt(30_000), t);
            for (int l = 0; l < lines; l++) svc.products.get(skus[traffic.nextInt(PRODUCTS)]);
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        CustomerCache cc = svc.customers;
        int distinct = seen.cardinality();
        seen = null; skus = null; categories = null; // only the service's structures stay reachable
        System.out.println((FIXED ? "FIXED " : "") + "styles " + STYLES_BY_CODE.size() + " products " + svc.products.size() + " visits " + VISITS + " new customers " + newCustomers + " distinct customers " + distinct
                + " lru " + cc.byId.size() + " (evicted " + cc.byId.evicted + ", hits " + cc.hits + ", loads " + cc.loads + ") idByEmail " + cc.idByEmail.size() + " pool " + svc.labelBuffers.size() + " orders " + svc.orders);
        check(STYLES_BY_CODE.size() == STYLES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(cc.byId.size() == CUSTOMER_CAP && cc.byId.evicted == cc.loads - CUSTOMER_CAP && cc.hits + cc.loads == VISITS, "customer LRU at cap");
        if (FIXED) check(cc.idByEmail.size() == CUSTOMER_CAP, "index in step with the LRU: " + cc.idByEmail.size());
        else check(cc.idByEmail.size() == distinct, "index keeps every customer ever loaded: " + cc.idByEmail.size());
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders == VISITS && svc.recentOrders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
