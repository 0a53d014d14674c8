// hprofscan-dump: name=val51-leak-spicemerchants-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val51-leak-spicemerchants-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val51-leak-spicemerchants jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val51-leak-spicemerchants-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 51 (written blind), LEAK: the web shop checkout of an online spice merchant. Spice
 * reference data, the customer directory, a cache of rendered recipe cards at its cap, a pool of
 * label-printer buffers, a ring of recent orders, and a hand-written Micrometer-like metrics
 * registry (meters keyed by name plus tags, each a timer with its own histogram buckets). The
 * checkout timer is tagged with the basket id, so every checkout registers a new meter that is
 * recorded once and never removed: the registry grows with traffic. See VALIDATION51.md.
 */
public final class Val51LeakSpiceMerchants {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPICES = 1_400, CUSTOMERS = 24_000, CARD_CAP = 2_000, POOL = 8, RING = 4_096, CHECKOUTS_PER_HOUR = 3_000, BUCKETS = 32;
    static final String[] URIS = {"/", "/spices/{sku}", "/blends/{id}", "/recipes/{slug}", "/basket", "/basket/items", "/search", "/account/orders"};
    static final String[] PAYMENTS = {"card", "paypal", "voucher"};
    static final String[] REGIONS = {"north", "south", "east", "west", "islands", "export"};
    static boolean FIXED;

    record Spice(String sku, String origin, double[] weeklyPrice) {}
    record Customer(String id, String region, byte[] profile, long since) {}
    record RecipeCard(String key, byte[] rendered, long at) {}
    record Order(String basketId, String customerId, String payment, long amountCents, long at) {}

    record Tag(String key, String value) {}

    /** Meter identity: name plus tags sorted by key (as Micrometer does). */
    static final class MeterId {
        final String name; final Tag[] tags; final int hash;
        MeterId(String name, Tag[] tags) { this.name = name; this.tags = tags; this.hash = 31 * name.hashCode() + Arrays.hashCode(tags); }
        @Override public boolean equals(Object o) { return o instanceof MeterId m && m.name.equals(name) && Arrays.equals(m.tags, tags); }
        @Override public int hashCode() { return hash; }
    }

    /** A timer with its own histogram: bucket k counts durations in [2^k, 2^(k+1)) microseconds. */
    static final class Timer {
        final MeterId id; long count, totalNanos, maxNanos, firstAt, lastAt; final long[] buckets = new long[BUCKETS];
        Timer(MeterId id) { this.id = id; }
        void record(long nanos, long at) {
            if (count++ == 0) firstAt = at;
            lastAt = at; totalNanos += nanos; if (nanos > maxNanos) maxNanos = nanos;
            buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1L, nanos / 1_000)))]++;
        }
    }

    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Timer> meters = new ConcurrentHashMap<>();
        Timer timer(String name, String... keyValues) {
            Tag[] tags = new Tag[keyValues.length / 2];
            for (int k = 0; k < tags.length; k++) tags[k] = new Tag(keyValues[2 * k], keyValues[2 * k + 1]);
            Arrays.sort(tags, Comparator.comparing(Tag::key));
            return meters.computeIfAbsent(new MeterId(name, tags), Timer::new);
        }
        long count(String name) { long n = 0; for (MeterId id : meters.keySet()) if (id.name.equals(name)) n++; return n; }
    }

    static final class CardCache extends LinkedHashMap<String, RecipeCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RecipeCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Spice> SPICES_BY_SKU = new HashMap<>();

    static final class CheckoutService {
        final Map<String, Customer> customers = new HashMap<>();
        final CardCache recipeCards = new CardCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final MeterRegistry registry = new MeterRegistry();
    }

    static CheckoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String status(Random r) {
        int p = r.nextInt(100);
        return p < 85 ? "200" : p < 93 ? "304" : p < 98 ? "404" : "500";
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val51.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int checkouts = CHECKOUTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(51_010_001);
        for (int s = 0; s < SPICES; s++) {
            double[] price = new double[52];
            for (int k = 0; k < price.length; k++) price[k] = 2 + rnd.nextDouble() * 40;
            String sku = "SP-" + (20_000 + s);
            SPICES_BY_SKU.put(sku, new Spice(sku, "Origin " + (s % 40), price));
        }
        CheckoutService svc = new CheckoutService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "SC" + (300_000 + c);
            customers[c] = new Customer(id, REGIONS[rnd.nextInt(REGIONS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(51_010_002);
        Set<String> combos = new HashSet<>();
        for (int i = 0; i < checkouts; i++) {
            long t = start + (end - MINUTE - start) * i / checkouts;
            for (int k = 0; k < 3; k++) { // browsing before the checkout
                String uri = URIS[traffic.nextInt(URIS.length)];
                svc.registry.timer("http.server.requests", "uri", uri, "method", "GET", "status", status(traffic)).record(200_000L + traffic.nextInt(40_000_000), t);
                String key = "card-" + traffic.nextInt(5_000);
                if (svc.recipeCards.get(key) == null) svc.recipeCards.put(key, new RecipeCard(key, new byte[400 + traffic.nextInt(400)], t));
            }
            Customer c = customers[traffic.nextInt(CUSTOMERS)];
            String basketId = "BSK-" + (40_000_000 + i * 7 + traffic.nextInt(7));
            String payment = PAYMENTS[traffic.nextInt(PAYMENTS.length)];
            long nanos = 5_000_000L + traffic.nextInt(400_000_000);
            svc.registry.timer("http.server.requests", "uri", "/checkout", "method", "POST", "status", traffic.nextInt(100) < 97 ? "200" : "500").record(nanos, t);
            if (FIXED) svc.registry.timer("checkout.duration", "payment", payment, "region", c.region()).record(nanos, t);
            else svc.registry.timer("checkout.duration", "basket", basketId, "payment", payment, "region", c.region()).record(nanos, t); // BUG: one meter per basket
            combos.add(payment + "/" + c.region());
            svc.recentOrders[(int) (svc.orders++ % RING)] = new Order(basketId, c.id(), payment, 500 + traffic.nextInt(12_000), t);
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        MeterRegistry reg = svc.registry;
        long http = reg.count("http.server.requests"), checkoutMeters = reg.count("checkout.duration");
        long recordedOnce = 0;
        for (Timer tm : reg.meters.values()) if (tm.count == 1) recordedOnce++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " spices " + SPICES_BY_SKU.size() + " customers " + svc.customers.size() + " meters " + reg.meters.size() + " (http " + http + ", checkout " + checkoutMeters
                + ", recorded once " + recordedOnce + ") combos " + combos.size() + " cards " + svc.recipeCards.size() + " (evicted " + svc.recipeCards.evicted + ") pool " + svc.labelBuffers.size() + " orders " + svc.orders);
        check(SPICES_BY_SKU.size() == SPICES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(http == URIS.length * 4 + 2, "http meters bounded: " + http);
        check(combos.size() == PAYMENTS.length * REGIONS.length, "payment/region combos: " + combos.size());
        if (FIXED) check(checkoutMeters == combos.size(), "fixed checkout meters: " + checkoutMeters);
        else check(checkoutMeters == checkouts && recordedOnce >= checkouts, "one checkout meter per basket: " + checkoutMeters);
        check(reg.meters.size() == http + checkoutMeters, "registry");
        check(svc.recipeCards.size() == CARD_CAP && svc.recipeCards.evicted > 0, "card cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders == checkouts && svc.recentOrders[RING - 1] != null, "ring");
        combos = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
