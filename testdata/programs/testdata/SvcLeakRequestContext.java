// hprofscan-dump: name=svc-leak-requestcontext jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-requestcontext-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
// hprofscan-dump: name=svc-leak-requestcontext-memo jvm="-Xmx256m" variants=mxbean args="memo"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 7): a storefront web service whose request-handling pool (a fixed
 * {@code ThreadPoolExecutor} of 8 {@code http-worker-N} threads) keeps a per-thread request
 * context in {@code static final ThreadLocal<RequestContext> RequestScope.CONTEXT}. Each handler
 * calls {@code RequestScope.begin(request)}, which takes {@code CONTEXT.get()} and resets the
 * request id, path and start time but not the {@code events} list; the servlet filter that called
 * {@code RequestScope.end()} (clear the list) was dropped in a refactor. So every worker's
 * {@code ArrayList<AuditEvent>} keeps every audit event of every request it ever served: 5,000
 * requests over 4 hours, 5-15 events each (50,000), plus 3 checkout requests in flight at dump
 * time (parked waiting for the payment gateway, 27 events each). Legitimate beside it: a product
 * directory loaded at startup (8,000 products), an LRU of rendered product tiles capped at
 * 4,000, a per-thread 64 KB scratch buffer ({@code ThreadLocal<byte[]>}, reused), a metrics ring
 * buffer (1,024 ten-second windows), counters. See testdata/SCENARIOS.md, "Session 7 tuning apps".
 */
public final class SvcLeakRequestContext {
    static final int WORKERS = 8;
    static final int REQUESTS = 5_000;
    static final int IN_FLIGHT = 3;
    static final int CHECKOUT_ITEMS = 12;
    static final int PRODUCTS = 8_000;
    static final int TILE_CAP = 4_000;
    static final int SCRATCH_BYTES = 64 * 1024;
    static final int RING = 1_024;
    static final long WINDOW = 10_000L;
    static final long UPTIME = 4L * 3600_000L;

    static Service RUNNING;

    static final class AuditEvent {
        final String name; final long at; final String detail;
        AuditEvent(String name, long at, String detail) { this.name = name; this.at = at; this.detail = detail; }
    }

    /** A rendered price block, memoised per request (the {@code memo} variant). */
    record PriceBlock(String path, long renderedAt, byte[] html) {}

    static final class RequestContext {
        String requestId; String path; long startedAt;
        final ArrayList<AuditEvent> events = new ArrayList<>();
        /** The {@code memo} variant (session 49): a per-request memo of rendered price blocks, keyed by request id, never cleared either. */
        final HashMap<String, PriceBlock> priceBlocks = new HashMap<>();
        void mark(String name, long at, String detail) { events.add(new AuditEvent(name, at, detail)); }
    }

    /** Per-thread request scope. Leaking: {@link #begin} never clears {@code events}, nobody calls {@link #end}. */
    static final class RequestScope {
        static final ThreadLocal<RequestContext> CONTEXT = ThreadLocal.withInitial(RequestContext::new);
        static RequestContext begin(Request r) {
            RequestContext c = CONTEXT.get();
            c.requestId = r.id; c.path = r.path; c.startedAt = r.receivedAt;
            if (MEMO) c.priceBlocks.put(r.id + "/" + r.path, new PriceBlock(r.path, r.receivedAt, new byte[600]));
            return c;
        }
        /** Meant to run in a finally block of the request filter (removed in a refactor). */
        static void end() {
            RequestContext c = CONTEXT.get();
            c.events.clear(); c.requestId = null; c.path = null;
        }
    }

    static final class Request {
        final String id; final String method; final String path; final long receivedAt; final int[] skus;
        Request(String id, String method, String path, long receivedAt, int[] skus) { this.id = id; this.method = method; this.path = path; this.receivedAt = receivedAt; this.skus = skus; }
    }

    static final class Product {
        final String sku; final String name; final String category; final long priceCents; final int stock; final String description;
        Product(String sku, String name, String category, long priceCents, int stock, String description) { this.sku = sku; this.name = name; this.category = category; this.priceCents = priceCents; this.stock = stock; this.description = description; }
    }

    /** Legitimate: loaded once at startup, read-only afterwards. */
    static final class ProductDirectory {
        final Map<String, Product> bySku = new HashMap<>();
        final long loadedAt;
        ProductDirectory(long loadedAt) { this.loadedAt = loadedAt; }
    }

    static final class Tile {
        final String key; final String html; final long renderedAt;
        Tile(String key, String html, long renderedAt) { this.key = key; this.html = html; this.renderedAt = renderedAt; }
    }

    /** Legitimate: access-ordered LRU of rendered product tiles, capped at TILE_CAP. */
    static final class TileCache {
        final LinkedHashMap<String, Tile> tiles = new LinkedHashMap<>(2 * TILE_CAP, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { return size() > TILE_CAP; }
        };
        long hits, misses;
        synchronized Tile get(String key) { Tile t = tiles.get(key); if (t != null) hits++; return t; }
        synchronized void put(Tile t) { misses++; tiles.put(t.key, t); }
    }

    static final class Window { long start = -1; long requests; long totalMicros; long maxMicros; long errors; final long[] buckets = new long[16]; }

    /** Legitimate: ring buffer of the last RING ten-second windows, all slots allocated at startup. */
    static final class MetricsRing {
        final Window[] ring = new Window[RING];
        MetricsRing() { for (int i = 0; i < RING; i++) ring[i] = new Window(); }
        synchronized void record(long at, long micros) {
            long w = at / WINDOW;
            Window s = ring[(int) (w % RING)];
            if (s.start != w * WINDOW) {
                if (s.start > w * WINDOW) return;
                s.start = w * WINDOW; s.requests = 0; s.totalMicros = 0; s.maxMicros = 0; s.errors = 0; java.util.Arrays.fill(s.buckets, 0);
            }
            s.requests++; s.totalMicros += micros; s.buckets[Math.min(15, 63 - Long.numberOfLeadingZeros(Math.max(1, micros / 100)))]++; s.maxMicros = Math.max(s.maxMicros, micros);
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final AtomicInteger next = new AtomicInteger();
        @Override public Thread newThread(Runnable r) { return new Thread(r, "http-worker-" + next.incrementAndGet()); }
    }

    static final class Service {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), new NamedThreadFactory());
        final ProductDirectory products;
        final TileCache tiles = new TileCache();
        final MetricsRing metrics = new MetricsRing();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        final LongAdder eventsRecorded = new LongAdder();
        volatile CountDownLatch paymentGateway = new CountDownLatch(0);
        final CountDownLatch parked = new CountDownLatch(IN_FLIGHT);
        Service(ProductDirectory products) { this.products = products; }
        void count(String n) { counters.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** The request filter: opens the scope, no {@code RequestScope.end()} any more. */
        void handle(Request r) throws InterruptedException {
            RequestContext ctx = RequestScope.begin(r);
            serve(ctx, r);
        }

        void serve(RequestContext ctx, Request r) throws InterruptedException {
            int before = ctx.events.size();
            long t = r.receivedAt;
            ctx.mark("accepted", t, r.method + " " + r.path);
            ctx.mark("auth", t + 1, "user=u" + (r.id.hashCode() & 0xffff));
            byte[] scratch = SCRATCH.get();
            int pos = 0;
            for (int i = 0; i < r.skus.length; i++) {
                Product p = products.bySku.get(sku(r.skus[i]));
                ctx.mark("db.product", t + 2 + i, "sku=" + p.sku + " stock=" + p.stock);
                String key = "tile:" + p.sku;
                Tile tile = tiles.get(key);
                if (tile == null) {
                    tile = new Tile(key, "<li class=\"tile\"><a href=\"/p/" + p.sku + "\"><img src=\"/img/" + p.sku + "/thumb.webp\" srcset=\"/img/"
                        + p.sku + "/thumb@2x.webp 2x\" alt=\"" + p.name + "\">" + p.name + "</a><span>"
                        + p.priceCents / 100 + "." + p.priceCents % 100 + "</span><p>" + p.description + "</p></li>", t);
                    tiles.put(tile);
                }
                ctx.mark("fragment", t + 3 + i, (tile.renderedAt == t ? "miss " : "hit ") + key);
                byte[] b = tile.html.getBytes(StandardCharsets.ISO_8859_1);
                int n = Math.min(b.length, scratch.length - pos);
                System.arraycopy(b, 0, scratch, pos, n);
                pos += n;
            }
            if (r.method.equals("POST")) {
                ctx.mark("payment.call", t + 40, "gateway=psp-eu-1 order=" + r.id);
                eventsRecorded.add(ctx.events.size() - before);
                parked.countDown();
                paymentGateway.await();
                return;
            }
            long micros = 800 + (r.id.hashCode() & 0x3fff);
            ctx.mark("respond", t + 5 + r.skus.length, "200 " + pos + "B " + micros + "us");
            eventsRecorded.add(ctx.events.size() - before);
            metrics.record(t, micros);
            count("http." + r.method + ".200");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static final String[] CATEGORIES = {"kitchen", "garden", "outdoor", "office", "toys", "audio", "lighting", "bath", "storage", "tools"};
    static final String[] NOUNS = {"kettle", "lamp", "chair", "speaker", "shelf", "drill", "tent", "mug", "desk", "rake", "towel", "box"};
    static final String[] ADJ = {"compact", "deluxe", "classic", "steel", "oak", "foldable", "wireless", "ceramic", "modular", "vintage"};

    static String sku(int i) { return "SKU-" + (100_000 + i); }

    static int itemsOf(int n) { return 1 + n % 6; }

    static Request request(int n, long at) {
        int items = itemsOf(n);
        int[] skus = new int[items];
        for (int i = 0; i < items; i++) skus[i] = (int) ((n * 7_919L + i * 104_729L) % PRODUCTS);
        String path = items == 1 ? "/p/" + sku(skus[0]) : "/api/cart/" + (40_000 + n) + "?items=" + items;
        return new Request("req-" + Long.toHexString(0x5a000000L + n * 37L), "GET", path, at, skus);
    }

    static Service build(long now) throws Exception {
        long start = now - UPTIME;
        ProductDirectory dir = new ProductDirectory(start);
        for (int i = 0; i < PRODUCTS; i++) {
            String name = ADJ[i % ADJ.length] + " " + NOUNS[(i / 7) % NOUNS.length] + " " + (i % 97);
            String desc = "A " + ADJ[(i / 3) % ADJ.length] + " " + NOUNS[i % NOUNS.length] + " for everyday use, item " + i + ", ships in " + (1 + i % 5) + " days.";
            String sku = sku(i);
            dir.bySku.put(sku, new Product(sku, name, CATEGORIES[i % CATEGORIES.length], 199 + (i * 37L) % 20_000, i % 250, desc));
        }
        Service s = new Service(dir);
        List<Future<?>> fs = new ArrayList<>(REQUESTS);
        for (int n = 0; n < REQUESTS; n++) {
            Request r = request(n, start + 60_000L + (UPTIME - 120_000L) * n / REQUESTS);
            fs.add(s.workers.submit(() -> { s.handle(r); return null; }));
        }
        for (Future<?> f : fs) f.get();
        fs.clear();
        return s;
    }

    /** One task per worker (a barrier keeps them on distinct threads): the size of each worker's context list. */
    static int[] contextSizes(Service s) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            fs.add(s.workers.submit(() -> { barrier.await(); return RequestScope.CONTEXT.get().events.size(); }));
        }
        int[] sizes = new int[WORKERS];
        for (int i = 0; i < WORKERS; i++) sizes[i] = fs.get(i).get();
        return sizes;
    }

    /** Whether the contexts also keep a per-request memo (the {@code memo} variant). */
    static boolean MEMO;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        MEMO = args.length > 2 && args[2].equals("memo");
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Service s = RUNNING;
        long served = 0;
        for (int n = 0; n < REQUESTS; n++) served += 3 + 2L * itemsOf(n);
        check(s.eventsRecorded.sum() == served, "events recorded " + s.eventsRecorded.sum());
        int[] sizes = contextSizes(s);
        long total = 0;
        for (int k : sizes) { total += k; check(k > 0, "a worker served no request"); }
        check(total == served, "events in contexts " + total + " != " + served);
        check(s.workers.getPoolSize() == WORKERS, "pool " + s.workers.getPoolSize());
        check(s.products.bySku.size() == PRODUCTS, "products");
        check(s.tiles.tiles.size() == TILE_CAP, "tiles " + s.tiles.tiles.size());
        // checkout requests in flight at dump time: parked waiting for the payment gateway
        s.paymentGateway = new CountDownLatch(1);
        for (int i = 0; i < IN_FLIGHT; i++) {
            int[] skus = new int[CHECKOUT_ITEMS];
            for (int j = 0; j < CHECKOUT_ITEMS; j++) skus[j] = (i * 911 + j * 53) % PRODUCTS;
            Request r = new Request("req-co-" + (900 + i), "POST", "/api/checkout/" + (77_000 + i), System.currentTimeMillis(), skus);
            s.workers.submit(() -> { s.handle(r); return null; });
        }
        check(s.parked.await(10, TimeUnit.SECONDS), "checkouts not parked");
        long inFlight = IN_FLIGHT * (3L + 2L * CHECKOUT_ITEMS);
        check(s.eventsRecorded.sum() == served + inFlight, "in flight events");
        StringBuilder per = new StringBuilder();
        for (int k : sizes) per.append(' ').append(k);
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out + ": " + served + " leaked events / " + (served + inFlight)
            + " in " + WORKERS + " worker contexts (" + inFlight + " of " + IN_FLIGHT + " checkouts in flight); per worker before the checkouts:" + per);
        System.exit(0);
    }
}
