// hprofscan-dump: name=val152-leak-petfoodsubs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val152-leak-petfoodsubs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val152-leak-petfoodsubs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val152-leak-petfoodsubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 152 (written blind), LEAK: the subscription API of a pet-food delivery company.
 * Product reference data, the subscription directory, a cache of rendered delivery calendars at
 * its cap, a pool of label buffers, a ring of recent deliveries, and an in-process metrics registry
 * (per metric name a map of tag set to Timer, each Timer with a long[64] histogram of latency
 * buckets). The http and db timers are tagged with small fixed sets, but the checkout timer is
 * tagged with the customer id: one new Timer with its bucket array per distinct customer who ever
 * checked out. See VALIDATION152.md.
 */
public final class Val152LeakPetFoodSubs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PRODUCTS = 1_400, SUBSCRIPTIONS = 24_000, CALENDAR_CAP = 2_000, POOL = 8, RING = 4_096, CHECKOUTS_PER_HOUR = 2_500;
    static final int BUCKETS = 64;
    static boolean FIXED;

    record Product(String sku, String brand, String species, double[] priceByWeek) {}
    record Subscription(String ref, String customerId, String sku, byte[] deliveryNotes, long since) {}
    record Calendar(String key, byte[] rendered, long at) {}
    record Delivery(String ref, String depot, long at) {}
    record Tag(String key, String value) {}
    record TagSet(Tag[] tags, int hash) {
        static TagSet of(String... kv) {
            Tag[] t = new Tag[kv.length / 2];
            int h = 1;
            for (int i = 0; i < t.length; i++) { t[i] = new Tag(kv[2 * i], kv[2 * i + 1]); h = 31 * h + t[i].hashCode(); }
            return new TagSet(t, h);
        }
        @Override public boolean equals(Object o) { return o instanceof TagSet s && java.util.Arrays.equals(tags, s.tags); }
        @Override public int hashCode() { return hash; }
    }

    /** A latency timer with a fixed-bucket histogram (bucket k counts latencies below 2^(k/4) ms). */
    static final class Timer {
        final String name; final TagSet tags; long count, totalMicros, maxMicros; final long[] buckets = new long[BUCKETS];
        Timer(String name, TagSet tags) { this.name = name; this.tags = tags; }
        void record(long micros) {
            count++; totalMicros += micros; maxMicros = Math.max(maxMicros, micros);
            int k = Math.min(BUCKETS - 1, (int) (4 * Math.log(1 + micros / 1000.0) / Math.log(2)));
            buckets[k]++;
        }
    }

    static final class MetricsRegistry {
        final Map<String, Map<TagSet, Timer>> timers = new HashMap<>();
        Timer timer(String name, TagSet tags) { return timers.computeIfAbsent(name, n -> new HashMap<>()).computeIfAbsent(tags, t -> new Timer(name, t)); }
        int count(String name) { Map<TagSet, Timer> m = timers.get(name); return m == null ? 0 : m.size(); }
    }

    static final class CalendarCache extends LinkedHashMap<String, Calendar> {
        long evicted;
        CalendarCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Calendar> e) { if (size() > CALENDAR_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();

    static final class SubscriptionApi {
        final Map<String, Subscription> subscriptions = new HashMap<>();
        final CalendarCache calendars = new CalendarCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Delivery[] recent = new Delivery[RING];
        long deliveries, checkouts;
        final MetricsRegistry metrics = new MetricsRegistry();

        void checkout(Subscription s, String plan, long micros) {
            checkouts++;
            // BUG: the customer id is a tag: one Timer (and its bucket array) per distinct customer.
            TagSet tags = FIXED ? TagSet.of("plan", plan) : TagSet.of("plan", plan, "customer", s.customerId());
            metrics.timer("checkout.latency", tags).record(micros);
        }
    }

    static SubscriptionApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service; its locals die when it returns. */
    static void run(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int checkouts = CHECKOUTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(152_010_001);
        String[] skus = new String[PRODUCTS];
        String[] species = {"dog", "cat", "rabbit", "ferret"};
        for (int p = 0; p < PRODUCTS; p++) {
            double[] prices = new double[52];
            for (int k = 0; k < prices.length; k++) prices[k] = 8 + rnd.nextDouble() * 60;
            skus[p] = "PF-" + (30_000 + p);
            PRODUCTS_BY_SKU.put(skus[p], new Product(skus[p], "Brand " + (p % 90), species[p % species.length], prices));
        }
        SubscriptionApi svc = new SubscriptionApi();
        SERVICE = svc;
        Subscription[] subs = new Subscription[SUBSCRIPTIONS];
        for (int s = 0; s < SUBSCRIPTIONS; s++) {
            String ref = "SUB-" + (4_000_000 + s * 3);
            subs[s] = new Subscription(ref, "C" + (700_000 + s * 11), skus[rnd.nextInt(PRODUCTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR);
            svc.subscriptions.put(ref, subs[s]);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        String[] plans = {"monthly", "fortnightly", "weekly", "one-off"};
        String[] uris = {"/subscriptions/{ref}", "/subscriptions/{ref}/pause", "/subscriptions/{ref}/skip", "/checkout", "/products/{sku}", "/calendar/{ref}"};
        String[] methods = {"GET", "POST"};
        String[] statuses = {"200", "201", "400", "404", "500"};
        String[] tables = {"subscriptions", "orders", "products", "payments"};
        String[] ops = {"select", "insert", "update"};
        Random traffic = new Random(152_010_002);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < checkouts; i++) {
            long t = start + (end - MINUTE - start) * i / checkouts;
            // a returning customer one time in five, otherwise a customer from the long tail (guest checkouts, new sign-ups)
            Subscription s = traffic.nextInt(5) == 0 ? subs[traffic.nextInt(SUBSCRIPTIONS)]
                    : new Subscription("SUB-N" + i, "C" + (2_000_000 + traffic.nextInt(3_000_000)), skus[traffic.nextInt(PRODUCTS)], null, t);
            String plan = plans[traffic.nextInt(plans.length)];
            distinct.add(plan + "/" + s.customerId());
            svc.checkout(s, plan, 40_000 + traffic.nextInt(900_000));
            for (int r = 0; r < 4; r++) {
                svc.metrics.timer("http.server.requests", TagSet.of("method", methods[traffic.nextInt(2)], "uri", uris[traffic.nextInt(uris.length)], "status", statuses[traffic.nextInt(statuses.length)])).record(2_000 + traffic.nextInt(300_000));
                svc.metrics.timer("db.query", TagSet.of("table", tables[traffic.nextInt(tables.length)], "op", ops[traffic.nextInt(ops.length)])).record(300 + traffic.nextInt(40_000));
            }
            svc.recent[(int) (svc.deliveries++ % RING)] = new Delivery(subs[traffic.nextInt(SUBSCRIPTIONS)].ref(), "Depot " + traffic.nextInt(40), t);
            String key = "cal-" + traffic.nextInt(5_000);
            if (svc.calendars.get(key) == null) svc.calendars.put(key, new Calendar(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        int expectedCheckoutTimers = FIXED ? plans.length : distinct.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " products " + PRODUCTS_BY_SKU.size() + " subscriptions " + svc.subscriptions.size() + " checkouts " + svc.checkouts + " distinct (plan, customer) " + distinct.size()
                + " timers checkout.latency " + svc.metrics.count("checkout.latency") + " http.server.requests " + svc.metrics.count("http.server.requests") + " db.query " + svc.metrics.count("db.query")
                + " calendars " + svc.calendars.size() + " (evicted " + svc.calendars.evicted + ") pool " + svc.labelBuffers.size() + " deliveries " + svc.deliveries);
        check(PRODUCTS_BY_SKU.size() == PRODUCTS && svc.subscriptions.size() == SUBSCRIPTIONS, "reference data / directory");
        check(svc.checkouts == checkouts && svc.metrics.count("checkout.latency") == expectedCheckoutTimers, "checkout timers: " + svc.metrics.count("checkout.latency"));
        check(svc.metrics.count("http.server.requests") == 2 * uris.length * statuses.length && svc.metrics.count("db.query") == tables.length * ops.length && svc.metrics.timers.size() == 3, "fixed-tag timers");
        check(svc.calendars.size() == CALENDAR_CAP && svc.calendars.evicted > 0, "calendar cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.deliveries == checkouts && svc.recent[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val152.fixed");
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
