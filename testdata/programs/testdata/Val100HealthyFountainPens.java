// hprofscan-dump: name=val100-healthy-fountainpens jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val100-healthy-fountainpens-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 100 (written blind), HEALTHY: the web shop of a fountain-pen and ink retailer
 * (nib grinding and engraving to order). Ink reference data, the customer directory, a cache of
 * rendered product pages at its cap, a pool of engraving-plate buffers, a ring of recent orders, a
 * metrics registry of latency timers named after route templates (one per endpoint, each with a
 * long[48] histogram), an audit channel over one ObjectOutputStream that is reset after every
 * drain, and a fixed pool of 12 fulfilment workers ("fulfil-N") started at startup, before any
 * request, each with a 16 KiB per-thread scratch buffer (ThreadLocal) for packing slips. The request
 * context is an InheritableThreadLocal set and removed around every request on the request thread
 * (main, simulated); the workers were created before any request, so they inherit nothing, and
 * tasks get what they need as arguments. See VALIDATION100.md.
 */
public final class Val100HealthyFountainPens {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DRAIN_EVERY = 30_000L;
    static final int INKS = 1_200, CUSTOMERS = 26_000, PAGE_CAP = 2_000, POOL = 10, RING = 8_192, HOURS = 10, ORDERS_PER_HOUR = 1_800, WORKERS = 12, BUCKETS = 48, KEEP_BATCHES = 16;

    record Ink(String code, String maker, double[] spectrum) {}
    record Customer(String number, String name, byte[] preferences, long since) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record Order(String orderId, String customer, String inkCode, int nibGrind, long at) {}
    record AuditEntry(long seq, String action, String orderId, String customer, long at, byte[] detail) implements Serializable {}

    static final class RequestContext {
        final String requestId, customer, route; final long at; final byte[] body;
        RequestContext(String requestId, String customer, String route, long at, byte[] body) { this.requestId = requestId; this.customer = customer; this.route = route; this.at = at; this.body = body; }
    }

    /** The current request's context (request thread only; workers never have one). */
    static final InheritableThreadLocal<RequestContext> CONTEXT = new InheritableThreadLocal<>();
    /** Per-worker scratch buffer for packing slips. */
    static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    static final class Timer {
        final String name;
        long count, totalMicros, maxMicros, firstAt, lastAt;
        final long[] buckets = new long[BUCKETS];
        Timer(String name) { this.name = name; }
        void record(long micros, long at) {
            if (count == 0) firstAt = at;
            lastAt = at; count++; totalMicros += micros; if (micros > maxMicros) maxMicros = micros;
            buckets[Math.min(BUCKETS - 1, (int) (4 * Math.log(1 + micros / 1000.0) / Math.log(2)))]++;
        }
    }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        Timer timer(String name) { return timers.computeIfAbsent(name, Timer::new); }
    }

    static final class AuditChannel {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * 1024);
        final ObjectOutputStream out;
        final ArrayDeque<byte[]> shipped = new ArrayDeque<>();
        long written, drains, bytesShipped;
        AuditChannel() throws IOException { out = new ObjectOutputStream(buffer); }
        void write(AuditEntry e) throws IOException { out.writeObject(e); written++; }
        void drain() throws IOException {
            out.flush();
            byte[] batch = buffer.toByteArray();
            buffer.reset();
            out.reset(); // the stream forgets the objects it has written
            bytesShipped += batch.length; drains++;
            shipped.addLast(batch);
            if (shipped.size() > KEEP_BATCHES) shipped.removeFirst();
        }
    }

    static final class FulfilThreads implements ThreadFactory {
        final AtomicLong created = new AtomicLong();
        @Override public Thread newThread(Runnable r) {
            Thread t = new Thread(null, () -> { SCRATCH.set(new byte[16_384]); r.run(); }, "fulfil-" + created.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ink> INKS_BY_CODE = new HashMap<>();

    static final class PenShop {
        final Map<String, Customer> customers = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> engravingBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders, requests;
        final MetricsRegistry metrics = new MetricsRegistry();
        final AuditChannel audit;
        final ThreadPoolExecutor fulfilment = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new FulfilThreads());
        final AtomicLong slipsPrinted = new AtomicLong();
        PenShop() throws IOException { audit = new AuditChannel(); }
    }

    static PenShop SERVICE;

    static final String[] ROUTES = {
        "GET /shop/inks/{code}", "GET /shop/pens/{sku}", "GET /api/orders/{orderId}", "POST /api/orders", "GET /api/customers/{number}",
        "PUT /api/customers/{number}/address", "GET /shop/search", "POST /api/basket/items", "DELETE /api/basket/items/{line}", "GET /shop/nibs",
        "POST /api/engravings/preview", "GET /health", "GET /api/orders/{orderId}/tracking", "POST /api/payments/{orderId}/capture",
    };

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void awaitIdle(PenShop shop, long submitted) throws InterruptedException {
        while (shop.slipsPrinted.get() < submitted || shop.fulfilment.getActiveCount() > 0 || !shop.fulfilment.getQueue().isEmpty()) Thread.sleep(1);
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(100_060_001);
        String[] inkCodes = new String[INKS];
        String[] makers = {"Aurora", "Sailor", "Pilot", "Diamine", "Herbin", "Rohrer", "Platinum", "Noodler"};
        for (int k = 0; k < INKS; k++) {
            double[] spectrum = new double[48];
            for (int w = 0; w < spectrum.length; w++) spectrum[w] = rnd.nextDouble();
            inkCodes[k] = "INK-" + (3_000 + k);
            INKS_BY_CODE.put(inkCodes[k], new Ink(inkCodes[k], makers[k % makers.length], spectrum));
        }
        PenShop shop = new PenShop();
        SERVICE = shop;
        shop.fulfilment.prestartAllCoreThreads(); // at startup: no request context exists yet
        String[] numbers = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            numbers[c] = "FP" + (7_200_000 + c * 7);
            shop.customers.put(numbers[c], new Customer(numbers[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) shop.engravingBuffers.add(new byte[32_768]);
        Random traffic = new Random(100_060_002);
        int orders = ORDERS_PER_HOUR * HOURS;
        long nextDrain = start + DRAIN_EVERY, submitted = 0;
        String[] actions = {"ORDER_PLACED", "PAYMENT_CAPTURED", "ENGRAVING_APPROVED"};
        for (int o = 0; o < orders; o++) {
            long t = start + (end - MINUTE - start) * o / orders;
            while (nextDrain <= t) { shop.audit.drain(); nextDrain += DRAIN_EVERY; }
            int requests = 3 + traffic.nextInt(5);
            String orderId = "FPO-" + (61_000_000L + o);
            String customer = numbers[traffic.nextInt(CUSTOMERS)];
            for (int r = 0; r < requests; r++) {
                int route = r == 0 ? 3 : traffic.nextInt(ROUTES.length);
                if (r > 0 && route == 3) route = 2; // one order per iteration
                CONTEXT.set(new RequestContext("rq-" + (40_000_000L + shop.requests), customer, ROUTES[route], t, new byte[512 + traffic.nextInt(2_048)]));
                try {
                    shop.requests++;
                    shop.metrics.timer(ROUTES[route]).record(400 + traffic.nextInt(80_000), t);
                    if (route == 0 || route == 1 || route == 6) {
                        String key = "PG-" + traffic.nextInt(5_000);
                        if (shop.pages.get(key) == null) shop.pages.put(key, new ProductPage(key, new byte[600 + traffic.nextInt(600)], t));
                    } else if (route == 10) {
                        byte[] buf = shop.engravingBuffers.poll();
                        buf[o % buf.length] = (byte) o;
                        shop.engravingBuffers.add(buf);
                    } else if (route == 3) {
                        String ink = inkCodes[traffic.nextInt(INKS)];
                        shop.recentOrders[(int) (shop.orders++ % RING)] = new Order(orderId, customer, ink, traffic.nextInt(6), t);
                        shop.audit.write(new AuditEntry(5_000_000L + o, actions[0], orderId, customer, t, new byte[60 + traffic.nextInt(60)]));
                        int seed = traffic.nextInt();
                        PenShop s = shop;
                        s.fulfilment.execute(() -> { // the slip gets what it needs as arguments, not from the context
                            byte[] scratch = SCRATCH.get();
                            for (int i = 0; i < 64; i++) scratch[(seed + i) & (scratch.length - 1)] = (byte) i;
                            if (orderId.isEmpty()) throw new IllegalStateException();
                            s.slipsPrinted.incrementAndGet();
                        });
                        submitted++;
                    } else if (route == 13) {
                        shop.audit.write(new AuditEntry(5_000_000L + o, actions[1 + traffic.nextInt(2)], orderId, customer, t, new byte[60 + traffic.nextInt(60)]));
                    }
                } finally {
                    CONTEXT.remove();
                }
            }
        }
        awaitIdle(shop, submitted);
        AuditChannel a = shop.audit;
        ThreadPoolExecutor pool = shop.fulfilment;
        System.out.println("inks " + INKS_BY_CODE.size() + " customers " + shop.customers.size() + " orders " + shop.orders + " requests " + shop.requests + " timers " + shop.metrics.timers.size()
                + " audit written " + a.written + " drains " + a.drains + " kept " + a.shipped.size() + " slips " + shop.slipsPrinted.get() + " workers " + pool.getPoolSize() + " (largest " + pool.getLargestPoolSize() + ")"
                + " pages " + shop.pages.size() + " (evicted " + shop.pages.evicted + ") pool " + shop.engravingBuffers.size());
        check(INKS_BY_CODE.size() == INKS && shop.customers.size() == CUSTOMERS, "reference data / directory");
        check(shop.orders == orders && shop.slipsPrinted.get() == orders, "orders / slips");
        check(shop.metrics.timers.size() == ROUTES.length, "one timer per route template");
        check(a.drains == HOURS * 3600_000L / DRAIN_EVERY - 3 && a.shipped.size() == KEEP_BATCHES, "audit drains: " + a.drains);
        check(pool.getPoolSize() == WORKERS && pool.getLargestPoolSize() == WORKERS, "fixed worker pool");
        check(shop.pages.size() == PAGE_CAP && shop.pages.evicted > 0, "page cache at cap");
        check(shop.engravingBuffers.size() == POOL, "pool");
        check(shop.orders > RING && shop.recentOrders[RING - 1] != null, "order ring wraps");
    }

    public static void main(String[] args) throws Exception {
        build();
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
