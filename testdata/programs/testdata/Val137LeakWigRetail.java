// hprofscan-dump: name=val137-leak-wigretail jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val137-leak-wigretail-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 137 (written blind), LEAK: the storefront service of an online wig and hairpiece
 * retailer. Style reference data, the product directory, a cache of rendered product pages at its
 * cap, a pool of photo buffers, a ring of recent orders, a dispatch queue with a normal backlog,
 * and a request-coalescing ("single flight") stock lookup: concurrent lookups of one variant
 * (SKU / colour / cap size) at the wholesaler's stock API share one CompletableFuture in
 * StockLookup.inFlight. The entry is removed in thenAccept, which runs only when the lookup
 * succeeds: the lookups that time out or get a 5xx (about 5%) stay in the map for ever with their
 * exception (and every later lookup of that variant gets the old failure). See VALIDATION137.md.
 */
public final class Val137LeakWigRetail {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT = 5 * SECOND, DISPATCH_AFTER = 45 * MINUTE;
    static final int STYLES = 1_000, PRODUCTS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10, LOOKUPS_PER_HOUR = 8_000;
    static boolean FIXED;

    record Style(String code, String construction, String fibre, double[] priceByLength) {}
    record Product(String sku, String title, String style, String colourRange, int pricePence, byte[] description, long listedAt) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record Order(String orderNo, String variant, int pricePence, String postcode, long at) {}
    record Parcel(String orderNo, String postcode, long due) {}
    record StockLevel(String variant, int onHand, int inbound, long checkedAt) {}

    /** A timed-out call: keeps the request it was for, as the HTTP client builds it. */
    static final class StockApiTimeoutException extends RuntimeException {
        final String uri; final Map<String, String> requestHeaders; final long elapsedMillis;
        StockApiTimeoutException(String uri, Map<String, String> requestHeaders, long elapsedMillis) {
            super("GET " + uri + " timed out after " + elapsedMillis + " ms");
            this.uri = uri; this.requestHeaders = requestHeaders; this.elapsedMillis = elapsedMillis;
        }
    }

    /** A 5xx answer: keeps the response headers and the body (the gateway's error page). */
    static final class StockApiException extends RuntimeException {
        final int status; final String uri; final Map<String, String> responseHeaders; final byte[] body;
        StockApiException(int status, String uri, Map<String, String> responseHeaders, byte[] body) {
            super("GET " + uri + " -> " + status);
            this.status = status; this.uri = uri; this.responseHeaders = responseHeaders; this.body = body;
        }
    }

    /** The wholesaler's stock API; answers arrive later in simulated time. */
    static final class StockApiClient {
        record PendingCall(long dueAt, long seq, String variant, String uri, Map<String, String> headers, CompletableFuture<StockLevel> future, int outcome) {}
        final PriorityQueue<PendingCall> pending = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
        static final String API_TOKEN = "Bearer wk_live_7f3a0c91e4d2b8a65f10";
        final Random outcomes = new Random(137_020_004);
        long calls, ok, timeouts, errors;
        CompletableFuture<StockLevel> fetch(String variant, long t) {
            CompletableFuture<StockLevel> f = new CompletableFuture<>();
            int roll = outcomes.nextInt(1_000);
            int outcome = roll < 30 ? 1 : roll < 50 ? 2 : 0; // 3% time out, 2% 502/503/504
            long due = outcome == 1 ? t + TIMEOUT : t + 300 + outcomes.nextInt(4_000);
            String uri = "https://api.hairtrade-wholesale.example/v3/stock/" + variant.replace('/', ':') + "?warehouse=DE-2&include=inbound";
            Map<String, String> headers = null;
            if (outcome != 0) {
                headers = new LinkedHashMap<>();
                headers.put("Accept", "application/json");
                headers.put("Authorization", API_TOKEN);
                headers.put("X-Request-Id", "rq-" + Long.toHexString(0x51_0000_0000L + calls * 7_919));
                headers.put("X-Storefront", "wigs-uk-web-" + (1 + outcomes.nextInt(6)));
                headers.put("User-Agent", "storefront/4.18.2 java-http-client/17");
            }
            pending.add(new PendingCall(due, calls++, variant, uri, headers, f, outcome));
            return f;
        }
        void advance(long t) {
            while (!pending.isEmpty() && pending.peek().dueAt() <= t) {
                PendingCall c = pending.poll();
                if (c.outcome() == 0) {
                    ok++;
                    c.future().complete(new StockLevel(c.variant(), (int) (c.seq() % 23), (int) (c.seq() % 7), c.dueAt()));
                } else if (c.outcome() == 1) {
                    timeouts++;
                    c.future().completeExceptionally(new StockApiTimeoutException(c.uri(), c.headers(), TIMEOUT));
                } else {
                    errors++;
                    int status = 502 + (int) (c.seq() % 3);
                    Map<String, String> rh = new LinkedHashMap<>();
                    rh.put("Content-Type", "text/html; charset=utf-8");
                    rh.put("Server", "gateway-eu-" + (c.seq() % 4));
                    rh.put("Retry-After", "30");
                    rh.put("X-Upstream-Status", Integer.toString(status));
                    rh.put("X-Request-Id", c.headers().get("X-Request-Id"));
                    byte[] body = new byte[600 + (int) (c.seq() * 37 % 1_400)];
                    byte[] page = ("<html><head><title>" + status + " Bad Gateway</title></head><body><h1>" + status + "</h1><p>upstream stock-service did not answer for " + c.variant() + "</p>").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    System.arraycopy(page, 0, body, 0, Math.min(page.length, body.length));
                    c.future().completeExceptionally(new StockApiException(status, c.uri(), rh, body));
                }
            }
        }
    }

    /** Single flight: concurrent lookups of one variant share one call. */
    static final class StockLookup {
        final ConcurrentHashMap<String, CompletableFuture<StockLevel>> inFlight = new ConcurrentHashMap<>();
        final StockApiClient client = new StockApiClient();
        long lookups, coalesced, staleFailures;
        CompletableFuture<StockLevel> stockOf(String variant, long t) {
            lookups++;
            CompletableFuture<StockLevel> existing = inFlight.get(variant);
            if (existing != null) {
                if (existing.isCompletedExceptionally()) staleFailures++; else coalesced++;
                return existing;
            }
            CompletableFuture<StockLevel> f = client.fetch(variant, t);
            inFlight.put(variant, f);
            if (FIXED) f.whenComplete((s, err) -> inFlight.remove(variant, f));
            else f.thenAccept(s -> inFlight.remove(variant, f)); // BUG: runs on success only
            return f;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Style> STYLES_BY_CODE = new HashMap<>();
    static final String[] CONSTRUCTION = {"lace front", "monofilament top", "full lace", "capless", "hand-tied", "360 lace", "topper", "hair system"};
    static final String[] FIBRE = {"synthetic", "heat-friendly synthetic", "remy human hair", "european human hair", "blend"};
    static final String[] COLOURS = {"1B", "2", "4", "6", "8", "10", "12", "14", "16", "18", "22", "24", "27", "30", "33", "60", "613", "4-27-613", "R8-25", "SS14-88", "GL16-27",
        "silver-stone", "ash-blonde", "chocolate-frost", "mocha-melt", "pearl-platinum", "ginger-h", "salt-pepper", "plum", "grey-blend"};
    static final String[] CAPS = {"P", "S", "M", "L", "XL"};

    static final class StorefrontService {
        final Map<String, Product> products = new HashMap<>();
        final String[] skus = new String[PRODUCTS];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        final ArrayDeque<Parcel> dispatch = new ArrayDeque<>();
        final StockLookup stock = new StockLookup();
        final ArrayDeque<String> recentVariants = new ArrayDeque<>();
        long views, orders, dispatched, shownInStock, shownUnknown;
    }

    static StorefrontService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(137_020_001);
        String[] styleCodes = new String[STYLES];
        for (int s = 0; s < STYLES; s++) {
            double[] prices = new double[48];
            for (int k = 0; k < prices.length; k++) prices[k] = 40 + rnd.nextDouble() * 900;
            styleCodes[s] = "STY-" + (1_000 + s);
            STYLES_BY_CODE.put(styleCodes[s], new Style(styleCodes[s], CONSTRUCTION[s % CONSTRUCTION.length], FIBRE[rnd.nextInt(FIBRE.length)], prices));
        }
        StorefrontService svc = new StorefrontService();
        SERVICE = svc;
        for (int i = 0; i < PRODUCTS; i++) {
            svc.skus[i] = "WG-" + (100_000 + i * 13);
            String style = styleCodes[rnd.nextInt(STYLES)];
            svc.products.put(svc.skus[i], new Product(svc.skus[i], CONSTRUCTION[rnd.nextInt(CONSTRUCTION.length)] + " " + (8 + rnd.nextInt(20)) + "in wig no. " + i, style,
                    COLOURS[rnd.nextInt(COLOURS.length)] + ".." + COLOURS[rnd.nextInt(COLOURS.length)], 4_900 + rnd.nextInt(90_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_020_002);
        int total = LOOKUPS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.stock.client.advance(t);
            while (!svc.dispatch.isEmpty() && svc.dispatch.peekFirst().due() <= t) { svc.dispatch.pollFirst(); svc.dispatched++; }
            String sku = svc.skus[traffic.nextInt(PRODUCTS)];
            String variant;
            if (!svc.recentVariants.isEmpty() && traffic.nextInt(100) < 12) { // another shopper (or the basket check) asks for a variant just asked for
                int back = traffic.nextInt(svc.recentVariants.size());
                variant = (String) svc.recentVariants.toArray()[back];
            } else {
                variant = sku + "/" + COLOURS[traffic.nextInt(COLOURS.length)] + "/" + CAPS[traffic.nextInt(CAPS.length)];
                svc.recentVariants.addLast(variant);
                if (svc.recentVariants.size() > 64) svc.recentVariants.pollFirst();
            }
            svc.views++;
            svc.stock.stockOf(variant, t).whenComplete((lvl, err) -> { if (err == null) svc.shownInStock++; else svc.shownUnknown++; });
            if (traffic.nextInt(20) == 0) {
                Order o = new Order("WR" + (7_700_000 + svc.orders), variant, 4_900 + traffic.nextInt(90_000), (char) ('A' + traffic.nextInt(26)) + "" + (char) ('A' + traffic.nextInt(26)) + (1 + traffic.nextInt(30)) + " " + traffic.nextInt(10) + "XY", t);
                svc.recentOrders[(int) (svc.orders++ % RING)] = o;
                svc.dispatch.addLast(new Parcel(o.orderNo(), o.postcode(), t + DISPATCH_AFTER));
            }
            String key = sku + "/page/" + traffic.nextInt(2);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.photoBuffers.add(buf);
        }
        svc.stock.client.advance(end - MINUTE);
    }

    static void report() {
        StorefrontService svc = SERVICE;
        StockLookup sl = svc.stock;
        StockApiClient c = sl.client;
        int failed = 0, pending = 0, succeeded = 0;
        for (CompletableFuture<StockLevel> f : sl.inFlight.values()) {
            if (f.isCompletedExceptionally()) failed++; else if (f.isDone()) succeeded++; else pending++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "styles " + STYLES_BY_CODE.size() + " products " + svc.products.size() + " views " + svc.views + " lookups " + sl.lookups + " calls " + c.calls
                + " coalesced " + sl.coalesced + " stale failures " + sl.staleFailures + " ok " + c.ok + " timeouts " + c.timeouts + " 5xx " + c.errors + " pending " + c.pending.size()
                + " inFlight map " + sl.inFlight.size() + " (failed " + failed + ", pending " + pending + ", done " + succeeded + ") shown " + svc.shownInStock + "/" + svc.shownUnknown
                + " orders " + svc.orders + " dispatched " + svc.dispatched + " backlog " + svc.dispatch.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ")");
        check(STYLES_BY_CODE.size() == STYLES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.views == (long) LOOKUPS_PER_HOUR * HOURS && sl.lookups == svc.views && c.ok + c.timeouts + c.errors + c.pending.size() == c.calls, "lookups");
        check(succeeded == 0 && pending == c.pending.size() && pending >= 1 && pending <= 12, "in flight: " + pending);
        if (FIXED) check(failed == 0 && sl.inFlight.size() == pending, "fixed: only in-flight lookups");
        else check(failed == c.timeouts + c.errors && sl.inFlight.size() == failed + pending, "every failed lookup kept: " + failed);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.photoBuffers.size() == POOL && svc.recentOrders[RING - 1] != null && svc.orders > RING, "pool / orders");
        check(svc.dispatch.size() > 200 && svc.dispatch.size() < 450, "dispatch backlog " + svc.dispatch.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val137.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
