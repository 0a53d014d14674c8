// hprofscan-dump: name=val58-leak-foodtrucks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val58-leak-foodtrucks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val58-leak-foodtrucks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val58-leak-foodtrucks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 58 (written blind), LEAK: the ordering API of a food-truck marketplace. Truck
 * reference data, the menu-item directory, a cache of rendered receipts at its cap, a pool of
 * ticket-printer buffers, a ring of recent orders, and a metrics registry that times every HTTP
 * request under a meter id (name, method, uri, status) whose uri tag is the raw request path with
 * its ids left in (/orders/881234/items) instead of the route template: every new order adds new
 * meters that are never removed (high-cardinality tag). See VALIDATION58.md.
 */
public final class Val58LeakFoodTrucks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TRUCKS = 1_100, ITEMS = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 2_048, REQUESTS_PER_HOUR = 6_000, BUCKETS = 24;
    static boolean FIXED;

    record Truck(String code, String cuisine, double[] weeklySales) {}
    record MenuItem(String sku, String truckCode, String name, byte[] recipeCard, long listedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Order(long orderId, String truckCode, String customerId, long placedAt, int totalCents) {}
    record MeterId(String name, String method, String uri, String status) {}

    /** A request timer: count, total, max and a fixed histogram of latency buckets. */
    static final class Timer {
        long count, totalMillis, maxMillis;
        final long[] buckets = new long[BUCKETS];
        void record(long millis) {
            count++; totalMillis += millis; maxMillis = Math.max(maxMillis, millis);
            buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(millis + 1))]++;
        }
    }

    static final class MeterRegistry {
        final Map<MeterId, Timer> meters = new HashMap<>();
        Timer timer(String name, String method, String uri, String status) {
            return meters.computeIfAbsent(new MeterId(name, method, uri, status), k -> new Timer());
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Truck> TRUCKS_BY_CODE = new HashMap<>();

    static final class OrderingApi {
        final Map<String, MenuItem> items = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders, requests;
        final MeterRegistry metrics = new MeterRegistry();

        /** Times one request; the bug tags it with the raw path, the fix with the route template. */
        void timeRequest(String method, String rawPath, String template, String status, long millis) {
            requests++;
            metrics.timer("http.server.requests", method, FIXED ? template : rawPath, status).record(millis);
        }
    }

    static OrderingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val58.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(58_010_001);
        String[] truckCodes = new String[TRUCKS];
        String[] cuisines = {"Tacos", "Ramen", "BBQ", "Falafel", "Crepes", "Pizza", "Dumplings", "Burgers"};
        for (int b = 0; b < TRUCKS; b++) {
            double[] sales = new double[64];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 2_500;
            String code = "FT-" + (4_000 + b);
            truckCodes[b] = code;
            TRUCKS_BY_CODE.put(code, new Truck(code, cuisines[b % cuisines.length], sales));
        }
        OrderingApi svc = new OrderingApi();
        SERVICE = svc;
        for (int t = 0; t < ITEMS; t++) {
            String sku = "SKU" + (3_100_000 + t);
            svc.items.put(sku, new MenuItem(sku, truckCodes[rnd.nextInt(TRUCKS)], "Item " + (t % 500), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(58_010_002);
        long nextOrderId = 880_000;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int kind = traffic.nextInt(100);
            long latency = 3 + traffic.nextInt(250);
            String status = traffic.nextInt(50) == 0 ? "404" : "200";
            if (kind < 30 || svc.orders == 0) { // POST /orders
                long id = nextOrderId++;
                String truck = truckCodes[traffic.nextInt(TRUCKS)];
                Order o = new Order(id, truck, "C" + (200_000 + traffic.nextInt(80_000)), t, 500 + traffic.nextInt(4_000));
                svc.recentOrders[(int) (svc.orders++ % RING)] = o;
                svc.timeRequest("POST", "/orders", "/orders", "201", latency);
                String key = "rcpt-" + traffic.nextInt(5_000);
                if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            } else if (kind < 85) { // an order placed recently: status, items, payment
                long back = Math.min(svc.orders, 200);
                Order o = svc.recentOrders[(int) ((svc.orders - 1 - traffic.nextInt((int) back)) % RING)];
                int sub = traffic.nextInt(3);
                if (sub == 0) svc.timeRequest("GET", "/orders/" + o.orderId(), "/orders/{id}", status, latency);
                else if (sub == 1) svc.timeRequest("GET", "/orders/" + o.orderId() + "/items", "/orders/{id}/items", status, latency);
                else svc.timeRequest("POST", "/orders/" + o.orderId() + "/pay", "/orders/{id}/pay", status, latency);
            } else if (kind < 97) {
                svc.timeRequest("GET", "/trucks/" + truckCodes[traffic.nextInt(TRUCKS)] + "/menu", "/trucks/{code}/menu", status, latency);
            } else {
                svc.timeRequest("GET", "/health", "/health", "200", 1);
            }
        }
        int withIds = 0;
        for (MeterId id : svc.metrics.meters.keySet()) if (id.uri().chars().anyMatch(Character::isDigit)) withIds++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " trucks " + TRUCKS_BY_CODE.size() + " items " + svc.items.size() + " requests " + svc.requests + " orders " + svc.orders
                + " meters " + svc.metrics.meters.size() + " (with ids in uri " + withIds + ") receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.printBuffers.size());
        check(TRUCKS_BY_CODE.size() == TRUCKS && svc.items.size() == ITEMS, "reference data / directory");
        check(svc.requests == requests, "traffic");
        if (FIXED) check(svc.metrics.meters.size() <= 20, "meters by template: " + svc.metrics.meters.size());
        else check(svc.metrics.meters.size() > svc.orders, "meters by raw path: " + svc.metrics.meters.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.recentOrders[RING - 1] != null, "order ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
