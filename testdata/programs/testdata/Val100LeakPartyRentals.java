// hprofscan-dump: name=val100-leak-partyrentals-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val100-leak-partyrentals-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val100-leak-partyrentals jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val100-leak-partyrentals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 100 (written blind), LEAK: the order API of a party-equipment rental company
 * (marquees, tables, chairs, bouncy castles). Rental-item reference data, the customer directory, a
 * cache of rendered quotes at its cap, a pool of PDF buffers, a ring of delivery-slot scans, and an
 * in-process metrics registry (ConcurrentHashMap<String, Timer>, each timer with a long[48]
 * latency histogram). Every endpoint records its latency under "METHOD route-template", except the
 * order-status endpoint, which records under the raw request path ("GET
 * /api/orders/ORD-40001234/status"): the registry gains one timer per order instead of one per
 * endpoint, and timers are never removed. See VALIDATION100.md.
 */
public final class Val100LeakPartyRentals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ITEMS = 1_200, CUSTOMERS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, ORDERS_PER_HOUR = 1_500, BUCKETS = 48;
    static boolean FIXED;

    record RentalItem(String sku, String category, double[] weeklyRate) {}
    record Customer(String number, String name, byte[] profile, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record SlotScan(String orderId, String van, long at) {}

    /** A latency timer with a fixed-bucket histogram (bucket k: latency below 2^(k/4) ms). */
    static final class Timer {
        final String name;
        long count, totalMicros, maxMicros, firstAt, lastAt;
        final long[] buckets = new long[BUCKETS];
        Timer(String name) { this.name = name; }
        void record(long micros, long at) {
            if (count == 0) firstAt = at;
            lastAt = at;
            count++; totalMicros += micros; if (micros > maxMicros) maxMicros = micros;
            int b = Math.min(BUCKETS - 1, (int) (4 * Math.log(1 + micros / 1000.0) / Math.log(2)));
            buckets[b]++;
        }
    }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        Timer timer(String name) { return timers.computeIfAbsent(name, Timer::new); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RentalItem> ITEMS_BY_SKU = new HashMap<>();

    static final class OrderApi {
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final SlotScan[] scans = new SlotScan[RING];
        long scansWritten, orders, statusPolls, requests;
        final MetricsRegistry metrics = new MetricsRegistry();

        /** Records a request's latency. route is the matched route template, path the raw path. */
        void timed(String method, String route, String path, long micros, long at) {
            requests++;
            metrics.timer(method + " " + route).record(micros, at);
        }
        void timedStatus(String path, long micros, long at) {
            requests++;
            statusPolls++;
            if (FIXED) metrics.timer("GET /api/orders/{orderId}/status").record(micros, at);
            else metrics.timer("GET " + path).record(micros, at); // BUG: raw path (with the order id) as the metric name
        }
    }

    static OrderApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[][] ROUTES = {
        {"GET", "/api/items"}, {"GET", "/api/items/{sku}"}, {"GET", "/api/items/{sku}/availability"},
        {"POST", "/api/quotes"}, {"GET", "/api/quotes/{quoteKey}"}, {"POST", "/api/orders"},
        {"GET", "/api/customers/{number}"}, {"PUT", "/api/customers/{number}"}, {"POST", "/api/deliveries/{orderId}/scan"},
        {"GET", "/api/deliveries/today"}, {"GET", "/health"},
    };

    static void quote(OrderApi api, Random traffic, int o, long t, String[] rt) {
        api.timed(rt[0], rt[1], rt[1], 3_000 + traffic.nextInt(40_000), t);
        String key = "Q-" + traffic.nextInt(4_000);
        if (api.quotes.get(key) == null) api.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
        byte[] buf = api.pdfBuffers.poll();
        buf[o % buf.length] = (byte) o;
        api.pdfBuffers.add(buf);
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int orders = ORDERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(100_010_001);
        String[] skus = new String[ITEMS];
        String[] categories = {"Marquee", "Trestle table", "Chair", "Bouncy castle", "Dance floor", "Patio heater", "Lighting rig", "Crockery set"};
        for (int k = 0; k < ITEMS; k++) {
            double[] rate = new double[52];
            for (int w = 0; w < rate.length; w++) rate[w] = 5 + rnd.nextDouble() * 400;
            skus[k] = "PR-" + (20_000 + k);
            ITEMS_BY_SKU.put(skus[k], new RentalItem(skus[k], categories[k % categories.length], rate));
        }
        OrderApi api = new OrderApi();
        SERVICE = api;
        String[] numbers = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            numbers[c] = "CU" + (3_000_000 + c * 3);
            api.customers.put(numbers[c], new Customer(numbers[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) api.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(100_010_002);
        String[] vans = new String[40];
        for (int v = 0; v < vans.length; v++) vans[v] = "VAN-" + (v + 1);
        // Per order: a quote, POST /api/orders, 1-4 polls of its status page, two van scans (delivery /
        // collection of earlier orders), then 1-6 other requests.
        long firstOrderId = 40_000_000L;
        int polledOrders = 0;
        for (int o = 0; o < orders; o++) {
            long t = start + (end - MINUTE - start) * o / orders;
            String orderId = "ORD-" + (firstOrderId + o);
            api.orders++;
            quote(api, traffic, o, t, ROUTES[3]);
            api.timed("POST", "/api/orders", "/api/orders", 20_000 + traffic.nextInt(180_000), t);
            int polls = 1 + traffic.nextInt(4);
            for (int p = 0; p < polls; p++) api.timedStatus("/api/orders/" + orderId + "/status", 800 + traffic.nextInt(20_000), t + p * 20_000L);
            polledOrders++;
            for (int s = 0; s < 2; s++) {
                api.timed("POST", "/api/deliveries/{orderId}/scan", "/api/deliveries/x/scan", 900 + traffic.nextInt(9_000), t);
                api.scans[(int) (api.scansWritten++ % RING)] = new SlotScan("ORD-" + (firstOrderId + traffic.nextInt(o + 1)), vans[traffic.nextInt(vans.length)], t);
            }
            int others = 1 + traffic.nextInt(6);
            for (int r = 0; r < others; r++) {
                int route = traffic.nextInt(ROUTES.length);
                String[] rt = ROUTES[route];
                if (route == 5) rt = ROUTES[0]; // orders are placed above only
                if (route == 3 || route == 4) quote(api, traffic, o, t, rt);
                else api.timed(rt[0], rt[1], rt[1], 500 + traffic.nextInt(60_000), t);
            }
        }
        int timers = api.metrics.timers.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " items " + ITEMS_BY_SKU.size() + " customers " + api.customers.size() + " orders " + api.orders + " status polls " + api.statusPolls
                + " requests " + api.requests + " timers " + timers + " quotes " + api.quotes.size() + " (evicted " + api.quotes.evicted + ") pool " + api.pdfBuffers.size() + " scans " + api.scansWritten);
        check(ITEMS_BY_SKU.size() == ITEMS && api.customers.size() == CUSTOMERS, "reference data / directory");
        check(api.orders == orders && polledOrders == orders, "orders");
        if (FIXED) check(timers == ROUTES.length + 1, "one timer per endpoint: " + timers);
        else check(timers == ROUTES.length + orders, "one timer per order: " + timers);
        check(api.quotes.size() == QUOTE_CAP && api.quotes.evicted > 0, "quote cache at cap");
        check(api.pdfBuffers.size() == POOL, "pool");
        check(api.scansWritten > RING && api.scans[RING - 1] != null, "scan ring wraps: " + api.scansWritten);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val100.fixed");
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
