// hprofscan-dump: name=val48-leak-roofers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val48-leak-roofers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val48-leak-roofers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val48-leak-roofers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 48 (written blind), LEAK: the quoting API of a roofing contractor (roof surveys,
 * material take-offs, rendered quotes). Material reference data, the property directory, a cache of
 * rendered quote PDFs at its cap, a pool of PDF buffers, a ring of request log entries, and a
 * hand-written tracer: every started span goes into Tracer.activeSpans (keyed by its hex span id)
 * and is removed when it is finished; finished spans are exported into a bounded buffer of the last
 * 1,024. The request handler finishes its span only on the success path: when the supplier price
 * feed fails (about 3% of requests) the handler catches the exception, records it on the span,
 * answers 503 and returns, and the span stays in activeSpans forever with its tags and events.
 * See VALIDATION48.md.
 */
public final class Val48LeakRoofers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 1_400, PROPERTIES = 24_000, RENDER_CAP = 2_000, POOL = 8, RING = 8_192,
            EXPORTED_CAP = 1_024, REQUESTS_PER_HOUR = 10_000, IN_FLIGHT = 5, FAIL_PERCENT = 3;
    static boolean FIXED;

    record Material(String sku, String name, double[] priceCurve) {}
    record Property(String parcelId, String postcode, String roofType, byte[] survey, long surveyedAt) {}
    record RenderedQuote(String key, byte[] pdf, long at) {}
    record RequestLog(String route, int status, int durationMs, String customerId, long at) {}
    record SpanEvent(String name, long at, String message, String stackTrace) {}
    record Route(String name, String method, String path) {}

    static final class Span {
        final String spanId, traceId, name;
        final long startMs;
        long endMs;
        String status;
        final Map<String, String> tags = new HashMap<>();
        final List<SpanEvent> events = new ArrayList<>();
        Span(String spanId, String traceId, String name, long startMs) { this.spanId = spanId; this.traceId = traceId; this.name = name; this.startMs = startMs; }
    }

    /** Hand-written tracer: active spans by id until finished, then the last 1,024 finished ones. */
    static final class Tracer {
        final Map<String, Span> activeSpans = new HashMap<>();
        final ArrayDeque<Span> recentFinished = new ArrayDeque<>();
        final Random ids = new Random(48_010_009);
        long started, finished, dropped;
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
            activeSpans.remove(s.spanId);
            finished++;
            recentFinished.addLast(s);
            if (recentFinished.size() > EXPORTED_CAP) { recentFinished.removeFirst(); dropped++; }
        }
    }

    static final class PricingUnavailableException extends Exception {
        PricingUnavailableException(String message) { super(message, null, false, false); }
    }

    static final class RenderCache extends LinkedHashMap<String, RenderedQuote> {
        long evicted;
        RenderCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedQuote> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_SKU = new HashMap<>();
    static final String[] REGIONS = {"north", "south", "east", "west", "coast", "highlands"};
    static final Route[] ROUTES = {
            new Route("GET /quotes/{parcel}", "GET", "/quotes/{parcel}"),
            new Route("POST /quotes", "POST", "/quotes"),
            new Route("POST /surveys/{parcel}/takeoff", "POST", "/surveys/{parcel}/takeoff"),
            new Route("GET /materials/{sku}/price", "GET", "/materials/{sku}/price")};

    static final class QuoteService {
        final Map<String, Property> properties = new HashMap<>();
        final RenderCache renders = new RenderCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final RequestLog[] recentRequests = new RequestLog[RING];
        long requests, failures;
        final Tracer tracer = new Tracer();

        void log(RequestLog l) { recentRequests[(int) (requests++ % RING)] = l; }

        /** Calls the supplier price feed; it times out now and then. */
        int priceFeed(String parcelId, Random r, int duration) throws PricingUnavailableException {
            if (r.nextInt(100) < FAIL_PERCENT) {
                throw new PricingUnavailableException("supplier price feed timed out after " + duration + " ms for parcel " + parcelId);
            }
            return 1_000 + r.nextInt(90_000);
        }

        void handle(Route route, String customerId, String parcelId, long t, Random r) {
            Span span = tracer.start(route.name(), t);
            span.tags.put("http.method", route.method());
            span.tags.put("http.route", route.path());
            span.tags.put("customer.id", customerId);
            span.tags.put("parcel.id", parcelId);
            span.tags.put("region", REGIONS[r.nextInt(REGIONS.length)]);
            span.events.add(new SpanEvent("property.loaded", t + 2, null, null));
            int duration = 20 + r.nextInt(400);
            try {
                int priceCents = priceFeed(parcelId, r, duration);
                String key = "quote-" + r.nextInt(5_000);
                if (renders.get(key) == null) renders.put(key, new RenderedQuote(key, new byte[500 + r.nextInt(500)], t + duration));
                byte[] buf = pdfBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) priceCents;
                pdfBuffers.add(buf);
                span.tags.put("http.status_code", "200");
                tracer.finish(span, t + duration, "OK");
                log(new RequestLog(route.name(), 200, duration, customerId, t));
            } catch (PricingUnavailableException e) {
                failures++;
                span.tags.put("error", "true");
                span.tags.put("http.status_code", "503");
                span.events.add(new SpanEvent("exception", t + duration, e.getMessage(), stackTrace(e.getMessage(), r)));
                log(new RequestLog(route.name(), 503, duration, customerId, t));
                if (FIXED) tracer.finish(span, t + duration, "ERROR");
                // BUG: the span is finished only on the success path above; this one stays active
            }
        }

        /** The stack trace text a tracer records with an exception event. */
        static String stackTrace(String message, Random r) {
            return "testdata.Val48LeakRoofers$PricingUnavailableException: " + message
                    + "\n\tat com.rooftrade.pricing.SupplierFeedClient.fetch(SupplierFeedClient.java:" + (100 + r.nextInt(300)) + ")"
                    + "\n\tat com.rooftrade.pricing.PriceBook.priceFor(PriceBook.java:" + (40 + r.nextInt(200)) + ")"
                    + "\n\tat com.rooftrade.quotes.TakeoffCalculator.materials(TakeoffCalculator.java:" + (60 + r.nextInt(200)) + ")"
                    + "\n\tat com.rooftrade.quotes.QuoteService.quote(QuoteService.java:" + (80 + r.nextInt(150)) + ")"
                    + "\n\tat com.rooftrade.http.QuoteHandler.handle(QuoteHandler.java:" + (30 + r.nextInt(90)) + ")"
                    + "\n\tat com.rooftrade.http.Router.dispatch(Router.java:" + (50 + r.nextInt(90)) + ")"
                    + "\n\tat com.rooftrade.http.Server$Worker.run(Server.java:" + (200 + r.nextInt(90)) + ")"
                    + "\nCaused by: java.net.SocketTimeoutException: Read timed out"
                    + "\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)"
                    + "\n\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:309)"
                    + "\n\t... " + (20 + r.nextInt(20)) + " more";
        }
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val48.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(48_010_001);
        String[] names = {"Slate tile", "Clay pantile", "Felt underlay", "Lead flashing", "Ridge tile", "Batten", "EPDM membrane", "Gutter"};
        String[] skus = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] curve = new double[60];
            for (int k = 0; k < curve.length; k++) curve[k] = 2 + rnd.nextDouble() * 80;
            skus[m] = "MAT-" + (40_000 + m);
            MATERIALS_BY_SKU.put(skus[m], new Material(skus[m], names[m % names.length] + " " + (m / names.length), curve));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] parcels = new String[PROPERTIES];
        String[] roofTypes = {"gable", "hip", "flat", "mansard", "gambrel", "skillion"};
        for (int p = 0; p < PROPERTIES; p++) {
            parcels[p] = "PCL-" + (3_100_000 + p * 3);
            svc.properties.put(parcels[p], new Property(parcels[p], "RF" + (p % 90) + " " + (p % 9) + "QT", roofTypes[p % roofTypes.length],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(48_010_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            Route route = ROUTES[traffic.nextInt(ROUTES.length)];
            String customer = "CUS-" + (200_000 + traffic.nextInt(80_000));
            svc.handle(route, customer, parcels[traffic.nextInt(PROPERTIES)], t, traffic);
        }
        // requests in flight at the moment of the dump (long-running take-off calculations)
        for (int k = 0; k < IN_FLIGHT; k++) {
            Span s = svc.tracer.start(ROUTES[2].name(), end - (5 + k * 7) * 1_000L);
            s.tags.put("http.method", "POST");
            s.tags.put("http.route", ROUTES[2].path());
            s.tags.put("parcel.id", parcels[k * 1_000]);
        }
        Tracer tr = svc.tracer;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " materials " + MATERIALS_BY_SKU.size() + " properties " + svc.properties.size() + " requests " + svc.requests
                + " failures " + svc.failures + " active spans " + tr.activeSpans.size() + " started " + tr.started + " finished " + tr.finished + " recentFinished " + tr.recentFinished.size()
                + " (dropped " + tr.dropped + ") renders " + svc.renders.size() + " (evicted " + svc.renders.evicted + ") pool " + svc.pdfBuffers.size());
        check(MATERIALS_BY_SKU.size() == MATERIALS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.requests == requests && tr.started == requests + IN_FLIGHT, "traffic");
        check(svc.failures > 0 && svc.failures < requests / 20, "failure rate " + svc.failures);
        if (FIXED) check(tr.activeSpans.size() == IN_FLIGHT && tr.finished == requests, "fixed: only in-flight spans active");
        else check(tr.activeSpans.size() == svc.failures + IN_FLIGHT && tr.finished == requests - svc.failures, "failed requests' spans stay active: " + tr.activeSpans.size());
        check(tr.recentFinished.size() == EXPORTED_CAP && tr.dropped > 0, "exported spans bounded");
        check(svc.renders.size() == RENDER_CAP && svc.renders.evicted > 0, "render cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recentRequests[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
