// hprofscan-dump: name=val6-leak-breadcrumbs jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-leak-breadcrumbs-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), LEAKING: a checkout service with a hand-rolled tracing
 * library. {@code Tracer.CURRENT} is a static {@code ThreadLocal<TraceContext>}; {@code begin()}
 * reuses the pool thread's context and only resets its trace id, and {@code end()} exports the
 * root span but never clears the context's span list. So on each of the 8 checkout workers the
 * list of spans of every request the thread ever served keeps growing: 16,000 checkouts over 6
 * simulated hours, 3 spans each, 48,000 spans. Beside it: the product catalog (static), carts
 * that expire after 2 hours of inactivity, a price LRU at capacity, a payment-gateway connection
 * pool (all idle), the span exporter's ring, and metrics. See testdata/VALIDATION6.md.
 */
public final class Val6LeakBreadcrumbs {
    static final int PRODUCTS = 25_000;
    static final int CHECKOUTS = 16_000;
    static final int SPANS_PER_CHECKOUT = 3;
    static final int WORKERS = 8;
    static final int PRICE_CAP = 8_000;
    static final int GATEWAY_CONNS = 16;
    static final int EXPORT_RING = 2_048;
    static final long SIM_MILLIS = 6L * 3600_000L;
    static final long CART_IDLE_MILLIS = 2L * 3600_000L;

    static CheckoutService RUNNING;

    static final class Span {
        final String traceId; final String spanId; final String name; final long startEpochMillis; final long durationMicros; final Map<String, String> tags = new HashMap<>(4);
        Span(String traceId, String spanId, String name, long startEpochMillis, long durationMicros) { this.traceId = traceId; this.spanId = spanId; this.name = name; this.startEpochMillis = startEpochMillis; this.durationMicros = durationMicros; }
    }

    static final class TraceContext {
        String traceId; long startedAt; final List<Span> spans = new ArrayList<>();
    }

    static final class Tracer {
        static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();
        static final Span[] EXPORTED = new Span[EXPORT_RING];
        static final AtomicLong EXPORTED_COUNT = new AtomicLong();

        static TraceContext begin(String traceId, long now) {
            TraceContext ctx = CURRENT.get();
            if (ctx == null) { ctx = new TraceContext(); CURRENT.set(ctx); }
            ctx.traceId = traceId; ctx.startedAt = now; // BUG: spans of earlier requests stay in ctx.spans
            return ctx;
        }
        static Span span(TraceContext ctx, String name, long at, long micros, Random rnd) {
            Span s = new Span(ctx.traceId, Long.toHexString(rnd.nextLong() | Long.MIN_VALUE), name, at, micros);
            ctx.spans.add(s);
            return s;
        }
        static void end(TraceContext ctx) {
            Span root = ctx.spans.get(ctx.spans.size() - SPANS_PER_CHECKOUT);
            EXPORTED[(int) (EXPORTED_COUNT.getAndIncrement() % EXPORT_RING)] = root;
            ctx.traceId = null; // the context stays on the pool thread
        }
    }

    static final class Product {
        final String sku; final String title; final long priceCents; final String category; final String[] imageUrls; final long loadedAt;
        Product(String sku, String title, long priceCents, String category, String[] imageUrls, long loadedAt) { this.sku = sku; this.title = title; this.priceCents = priceCents; this.category = category; this.imageUrls = imageUrls; this.loadedAt = loadedAt; }
    }

    static final class ProductCatalog {
        static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();
    }

    static final class Cart {
        final String cartId; final long customerId; final List<String> skus = new ArrayList<>(4); final long createdAt; long updatedAt;
        Cart(String cartId, long customerId, long createdAt) { this.cartId = cartId; this.customerId = customerId; this.createdAt = createdAt; this.updatedAt = createdAt; }
    }

    static final class PriceQuote {
        final String sku; final String region; final long cents; final long quotedAt;
        PriceQuote(String sku, String region, long cents, long quotedAt) { this.sku = sku; this.region = region; this.cents = cents; this.quotedAt = quotedAt; }
    }

    static final class PriceCache extends LinkedHashMap<String, PriceQuote> {
        final int capacity;
        PriceCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected synchronized boolean removeEldestEntry(Map.Entry<String, PriceQuote> e) { return size() > capacity; }
    }

    static final class GatewayConnection {
        final int id; final String endpoint; final byte[] tlsBuffer = new byte[16_384]; long lastUsedAt;
        GatewayConnection(int id, String endpoint, long lastUsedAt) { this.id = id; this.endpoint = endpoint; this.lastUsedAt = lastUsedAt; }
    }

    static final class CheckoutService {
        final Map<String, Cart> carts = new ConcurrentHashMap<>();
        final PriceCache prices = new PriceCache(PRICE_CAP);
        final ArrayBlockingQueue<GatewayConnection> gateway = new ArrayBlockingQueue<>(GATEWAY_CONNS);
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "checkout-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        long cartsExpired;

        void checkout(String orderId, Cart cart, long t, Random rnd) throws InterruptedException {
            TraceContext ctx = Tracer.begin(orderId.replace("ord_", ""), t);
            Span root = Tracer.span(ctx, "POST /checkout", t, 40_000 + rnd.nextInt(200_000), rnd);
            root.tags.put("cart.items", Integer.toString(cart.skus.size()));
            root.tags.put("customer.tier", cart.customerId % 5 == 0 ? "gold" : "standard");
            Span price = Tracer.span(ctx, "pricing.quote", t + 2, 3_000 + rnd.nextInt(20_000), rnd);
            for (String sku : cart.skus) {
                synchronized (prices) {
                    if (prices.get(sku + "@eu-west") == null) prices.put(sku + "@eu-west", new PriceQuote(sku, "eu-west", ProductCatalog.PRODUCTS_BY_SKU.get(sku).priceCents, t));
                }
            }
            price.tags.put("skus", Integer.toString(cart.skus.size()));
            GatewayConnection c = gateway.take();
            Span pay = Tracer.span(ctx, "payments.authorize", t + 20, 30_000 + rnd.nextInt(150_000), rnd);
            pay.tags.put("gateway.conn", Integer.toString(c.id));
            c.lastUsedAt = t;
            gateway.put(c);
            metrics.computeIfAbsent("checkout.completed", k -> new LongAdder()).increment();
            Tracer.end(ctx);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_050_001);
        CheckoutService svc = new CheckoutService();
        RUNNING = svc;
        String[] cats = {"books", "garden", "kitchen", "toys", "outdoor", "electronics", "beauty"};
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU-" + (100_000 + p * 3);
            String[] imgs = {"https://cdn.example.com/p/" + skus[p] + "/1.jpg", "https://cdn.example.com/p/" + skus[p] + "/2.jpg"};
            ProductCatalog.PRODUCTS_BY_SKU.put(skus[p], new Product(skus[p], "Product " + p + " " + cats[p % cats.length], 199 + rnd.nextInt(50_000), cats[p % cats.length], imgs, start));
        }
        for (int g = 0; g < GATEWAY_CONNS; g++) svc.gateway.add(new GatewayConnection(g + 1, "payments-" + (g % 4) + ".psp.example.net:443", start));
        // Bring up all 8 workers (each begins exactly one trace context on its first request).
        CyclicBarrier up = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) warm.add(svc.workers.submit(() -> { up.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // 6 simulated hours: carts are created and updated, abandoned carts expire, checkouts run on the workers.
        List<Future<?>> done = new ArrayList<>();
        List<Cart> active = new ArrayList<>();
        long lastSweep = start;
        for (int i = 0; i < CHECKOUTS; i++) {
            long t = start + SIM_MILLIS * i / CHECKOUTS;
            for (int k = 0; k < 2; k++) { // two carts start per checkout; most are abandoned
                Cart c = new Cart("cart_" + Long.toHexString(rnd.nextLong() & 0xFFFF_FFFF_FFFFL), 7_000_000L + rnd.nextInt(400_000), t);
                for (int s = 0; s < 1 + rnd.nextInt(3); s++) c.skus.add(skus[rnd.nextInt(PRODUCTS)]);
                svc.carts.put(c.cartId, c);
                active.add(c);
            }
            Cart cart = active.remove(active.size() - 1 - rnd.nextInt(Math.min(active.size(), 20)));
            svc.carts.remove(cart.cartId);
            String orderId = "ord_" + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
            long tt = t;
            Random r2 = new Random(i);
            done.add(svc.workers.submit(() -> { svc.checkout(orderId, cart, tt, r2); return null; }));
            if (t - lastSweep >= 60_000L) {
                for (Iterator<Cart> it = svc.carts.values().iterator(); it.hasNext(); ) if (t - it.next().updatedAt > CART_IDLE_MILLIS) { it.remove(); svc.cartsExpired++; }
                active.removeIf(c -> !svc.carts.containsKey(c.cartId));
                lastSweep = t;
            }
            if (done.size() >= 256) { for (Future<?> f : done) f.get(); done.clear(); }
        }
        for (Future<?> f : done) f.get();
        active.clear();
        // Count the spans held by the 8 workers' contexts (each worker reports its own list size).
        CyclicBarrier b = new CyclicBarrier(WORKERS);
        List<Future<Integer>> sizes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) sizes.add(svc.workers.submit(() -> { TraceContext c = Tracer.CURRENT.get(); b.await(); return c == null ? 0 : c.spans.size(); }));
        int spans = 0; int contexts = 0;
        StringBuilder per = new StringBuilder();
        for (Future<Integer> f : sizes) { int n = f.get(); spans += n; if (n > 0) contexts++; per.append(n).append(' '); }
        System.out.println("spans held " + spans + " in " + contexts + " contexts (" + per.toString().trim() + ") exported " + Tracer.EXPORTED_COUNT.get()
                + " carts " + svc.carts.size() + " expired " + svc.cartsExpired + " prices " + svc.prices.size() + " products " + ProductCatalog.PRODUCTS_BY_SKU.size());
        check(spans == CHECKOUTS * SPANS_PER_CHECKOUT && contexts == WORKERS, "spans " + spans);
        check(Tracer.EXPORTED_COUNT.get() == CHECKOUTS, "exported");
        check(svc.prices.size() == PRICE_CAP, "prices");
        check(svc.gateway.size() == GATEWAY_CONNS, "gateway");
        check(ProductCatalog.PRODUCTS_BY_SKU.size() == PRODUCTS, "products");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
