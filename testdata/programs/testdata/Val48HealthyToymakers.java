// hprofscan-dump: name=val48-healthy-toymakers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val48-healthy-toymakers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val48-healthy-toymakers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val48-healthy-toymakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 48 (written blind), HEALTHY: the trade-order API of a wooden-toy maker that sells
 * to independent toy shops. Product reference data, the retailer directory, a cache of rendered
 * catalogue pages at its cap, a pool of shipping-label buffers, a ring of order events (filling in
 * stage 1, full and wrapping from stage 2), a hand-written tracer that finishes every span in a
 * finally block (failed requests' spans too, with their exception event; only the requests in flight
 * are active at the dump; the last 1,024 finished spans are kept for the debug page) and a
 * feature-flag client whose exposure de-duplication set is per hour (replaced when the hour rolls
 * over), beside an outbox flushed every 30 seconds. Warms up, then plateaus. See VALIDATION48.md.
 */
public final class Val48HealthyToymakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, FLUSH_EVERY = 30_000L;
    static final int PRODUCTS = 1_500, RETAILERS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, EXPORTED_CAP = 1_024,
            REQUESTS_PER_HOUR = 8_000, IN_FLIGHT = 3, FAIL_PERCENT = 3, FLAGS = 10, BUYER_BASE = 3_000_000;

    record Toy(String sku, String name, double[] weeklySales) {}
    record Retailer(String account, String shopName, String town, byte[] creditRecord, long openedAt) {}
    record CataloguePage(String key, byte[] html, long at) {}
    record OrderEvent(String orderId, String account, String kind, int lines, long at) {}
    record SpanEvent(String name, long at, String message, String stackTrace) {}
    record Exposure(String flagKey, String buyerId, String variant, long at) {}

    static final class Span {
        final String spanId, traceId, name;
        final long startMs;
        long endMs;
        String status;
        final Map<String, String> tags = new HashMap<>();
        final List<SpanEvent> events = new ArrayList<>();
        Span(String spanId, String traceId, String name, long startMs) { this.spanId = spanId; this.traceId = traceId; this.name = name; this.startMs = startMs; }
    }

    static final class Tracer {
        final Map<String, Span> activeSpans = new HashMap<>();
        final ArrayDeque<Span> recentFinished = new ArrayDeque<>();
        final Random ids = new Random(48_050_009);
        long started, finished, dropped, errors;
        Span start(String name, long at) {
            String spanId = String.format("%016x", ids.nextLong());
            String traceId = String.format("%016x%016x", ids.nextLong(), ids.nextLong());
            Span s = new Span(spanId, traceId, name, at);
            if (activeSpans.put(spanId, s) != null) throw new IllegalStateException("span id collision " + spanId);
            started++;
            return s;
        }
        void finish(Span s, long at, String status) {
            s.endMs = at;
            s.status = status;
            if (activeSpans.remove(s.spanId) == null) throw new IllegalStateException("finished twice " + s.spanId);
            finished++;
            if (!"OK".equals(status)) errors++;
            recentFinished.addLast(s);
            if (recentFinished.size() > EXPORTED_CAP) { recentFinished.removeFirst(); dropped++; }
        }
    }

    static final class StockServiceException extends Exception {
        StockServiceException(String message) { super(message, null, false, false); }
    }

    /** Feature flags with exposures de-duplicated per hour. */
    static final class FlagClient {
        final Map<String, Integer> rollout = new HashMap<>();
        final List<Exposure> outbox = new ArrayList<>();
        Set<String> seenThisHour = new HashSet<>();
        long windowStart, windows, evaluations, sent, suppressed, flushes;
        int largestWindow;
        String evaluate(String flagKey, String buyerId, long at) {
            evaluations++;
            if (at - windowStart >= HOUR) {
                largestWindow = Math.max(largestWindow, seenThisHour.size());
                seenThisHour = new HashSet<>();
                windowStart = at - (at - windowStart) % HOUR;
                windows++;
            }
            int bucket = Math.floorMod(buyerId.hashCode() * 31 + flagKey.hashCode(), 100);
            String variant = bucket < rollout.get(flagKey) ? "on" : "off";
            if (seenThisHour.add(flagKey + ":" + buyerId)) outbox.add(new Exposure(flagKey, buyerId, variant, at));
            else suppressed++;
            return variant;
        }
        void flush() { sent += outbox.size(); outbox.clear(); flushes++; }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Toy> PRODUCTS_BY_SKU = new HashMap<>();

    static final class OrderService {
        final Map<String, Retailer> retailers = new HashMap<>();
        final PageCache catalogPages = new PageCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final OrderEvent[] orderLog = new OrderEvent[RING];
        long events, requests, failures;
        final Tracer tracer = new Tracer();
        final FlagClient flags = new FlagClient();

        void handle(String route, String account, String buyerId, long t, Random r) {
            requests++;
            Span span = tracer.start(route, t);
            int duration = 15 + r.nextInt(300);
            String status = "OK";
            try {
                span.tags.put("http.route", route);
                span.tags.put("retailer.account", account);
                span.tags.put("buyer.id", buyerId);
                span.tags.put("http.method", route.startsWith("GET") ? "GET" : "POST");
                span.events.add(new SpanEvent("retailer.loaded", t + 1, null, null));
                String variant = flags.evaluate("catalogue-" + r.nextInt(FLAGS), buyerId, t);
                if (r.nextInt(100) < FAIL_PERCENT) throw new StockServiceException("stock service returned 503 for " + account + " after " + duration + " ms");
                String key = "page-" + r.nextInt(4_000) + "-" + variant;
                if (catalogPages.get(key) == null) catalogPages.put(key, new CataloguePage(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = labelBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) duration;
                labelBuffers.add(buf);
                orderLog[(int) (events++ % RING)] = new OrderEvent("TO-" + (2_000_000 + requests), account, route.startsWith("GET") ? "VIEWED" : "PLACED", 1 + r.nextInt(30), t);
                span.tags.put("http.status_code", "200");
            } catch (StockServiceException e) {
                failures++;
                status = "ERROR";
                span.tags.put("error", "true");
                span.tags.put("http.status_code", "503");
                span.events.add(new SpanEvent("exception", t + duration, e.getMessage(),
                        "testdata.Val48HealthyToymakers$StockServiceException: " + e.getMessage()
                                + "\n\tat com.woodentoys.stock.StockClient.reserve(StockClient.java:" + (80 + r.nextInt(200)) + ")"
                                + "\n\tat com.woodentoys.orders.OrderService.place(OrderService.java:" + (40 + r.nextInt(300)) + ")"
                                + "\n\tat com.woodentoys.http.OrderHandler.handle(OrderHandler.java:" + (20 + r.nextInt(100)) + ")"
                                + "\n\tat com.woodentoys.http.Router.dispatch(Router.java:" + (50 + r.nextInt(90)) + ")"
                                + "\n\tat com.woodentoys.http.Server$Worker.run(Server.java:" + (200 + r.nextInt(90)) + ")"
                                + "\n\t... " + (15 + r.nextInt(20)) + " more"));
            } finally {
                tracer.finish(span, t + duration, status);
            }
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(48_050_001);
        String[] toyNames = {"Stacking rainbow", "Pull-along duck", "Marble run", "Train set", "Doll's house", "Spinning top", "Puzzle cube", "Rocking horse"};
        for (int p = 0; p < PRODUCTS; p++) {
            double[] sales = new double[52];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 400;
            String sku = "WT-" + (10_000 + p);
            PRODUCTS_BY_SKU.put(sku, new Toy(sku, toyNames[p % toyNames.length] + " " + (p / toyNames.length), sales));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] accounts = new String[RETAILERS];
        for (int a = 0; a < RETAILERS; a++) {
            accounts[a] = "RET-" + (60_000 + a * 3);
            svc.retailers.put(accounts[a], new Retailer(accounts[a], "Toy shop " + a, "Town " + (a % 400), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int f = 0; f < FLAGS; f++) svc.flags.rollout.put("catalogue-" + f, 10 + rnd.nextInt(80));
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(48_050_002);
        String[] routes = {"GET /catalogue/{page}", "POST /orders", "GET /orders/{id}", "POST /orders/{id}/lines"};
        svc.flags.windowStart = start;
        long nextFlush = start + FLUSH_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextFlush <= t) { svc.flags.flush(); nextFlush += FLUSH_EVERY; }
            String account = accounts[traffic.nextInt(RETAILERS)];
            String buyer = "B" + (20_000_000 + traffic.nextInt(BUYER_BASE));
            svc.handle(routes[traffic.nextInt(routes.length)], account, buyer, t, traffic);
        }
        for (int k = 0; k < IN_FLIGHT; k++) {
            Span s = svc.tracer.start(routes[1], end - (4 + k * 9) * 1_000L);
            s.tags.put("http.route", routes[1]);
            s.tags.put("retailer.account", accounts[k * 100]);
        }
        Tracer tr = svc.tracer;
        FlagClient fc = svc.flags;
        System.out.println("stage " + stage + " products " + PRODUCTS_BY_SKU.size() + " retailers " + svc.retailers.size() + " requests " + svc.requests + " failures " + svc.failures
                + " active spans " + tr.activeSpans.size() + " finished " + tr.finished + " (errors " + tr.errors + ") recentFinished " + tr.recentFinished.size() + " (dropped " + tr.dropped
                + ") exposure window " + fc.seenThisHour.size() + " (windows rolled " + fc.windows + ", largest earlier " + fc.largestWindow + ", sent " + fc.sent + ", outbox " + fc.outbox.size()
                + ", suppressed " + fc.suppressed + ") pages " + svc.catalogPages.size() + " (evicted " + svc.catalogPages.evicted + ") pool " + svc.labelBuffers.size() + " order events "
                + svc.events);
        check(PRODUCTS_BY_SKU.size() == PRODUCTS && svc.retailers.size() == RETAILERS, "reference data / directory");
        check(svc.requests == requests && tr.started == requests + IN_FLIGHT && tr.finished == requests && tr.errors == svc.failures && svc.failures > 0, "traffic");
        check(tr.activeSpans.size() == IN_FLIGHT, "only in-flight spans active: " + tr.activeSpans.size());
        check(tr.recentFinished.size() == Math.min(EXPORTED_CAP, requests), "exported spans bounded");
        check(fc.windows == hours - 1 && fc.seenThisHour.size() <= REQUESTS_PER_HOUR && fc.outbox.size() < 200, "exposure window per hour: " + fc.seenThisHour.size());
        check(fc.sent + fc.outbox.size() + fc.suppressed == fc.evaluations && fc.evaluations == requests, "exposure accounting");
        check(svc.catalogPages.size() == PAGE_CAP && svc.catalogPages.evicted > 0, "page cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.events == requests - svc.failures && (svc.events >= RING ? svc.orderLog[RING - 1] != null : svc.orderLog[RING - 1] == null), "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
