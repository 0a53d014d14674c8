// hprofscan-dump: name=val149-leak-tuxedohire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val149-leak-tuxedohire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 149 (written blind), LEAK: the order API of a formal-wear (tuxedo) hire chain.
 * Shop reference data, the garment directory, a cache of rendered fitting sheets at its cap, a
 * pool of invoice-render buffers, a ring of recent orders, and a request tracer: the configuration
 * flag debug.tracing was left on after a staging incident, so every request's context is
 * registered in a static Collections.synchronizedMap(new IdentityHashMap<>()) and removed only
 * when an operator exports the traces (/debug/traces/export), which never happens in production.
 * See VALIDATION149.md.
 */
public final class Val149LeakTuxedoHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SHOPS = 1_000, GARMENTS = 22_000, SHEET_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS_PER_HOUR = 2_400;
    static boolean FIXED;

    record Shop(String code, String town, double[] weeklyFittings) {}
    record Garment(String sku, String shopCode, String style, byte[] alterationNotes, long acquiredAt) {}
    record FittingSheet(String key, byte[] rendered, long at) {}
    record HireOrder(String orderId, String customerId, String sku, long eventDate, long at) {}

    /** The per-request context (what the tracer registers). */
    static final class RequestContext {
        final String requestId;
        final String customerId;
        final String path;
        final long startedAt;
        long finishedAt;
        int status;
        final HashMap<String, String> attributes = new HashMap<>();
        final byte[] bodyDigest;
        RequestContext(String requestId, String customerId, String path, long startedAt, byte[] bodyDigest) {
            this.requestId = requestId; this.customerId = customerId; this.path = path; this.startedAt = startedAt; this.bodyDigest = bodyDigest;
        }
    }

    /** Service configuration, loaded at startup. */
    static final Map<String, String> CONFIG = new HashMap<>();

    /** Debug tracing: contexts stay registered until an operator exports the traces. */
    static final class RequestTracer {
        static final Map<RequestContext, Long> ACTIVE = Collections.synchronizedMap(new IdentityHashMap<>());
        static long registered, exports;
        static void register(RequestContext c) {
            if (Boolean.parseBoolean(CONFIG.get("debug.tracing"))) { ACTIVE.put(c, c.startedAt); registered++; }
        }
        /** Called only by the operator endpoint /debug/traces/export. */
        static int export() {
            synchronized (ACTIVE) { int n = ACTIVE.size(); ACTIVE.clear(); exports++; return n; }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, FittingSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FittingSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class OrderApi {
        final Map<String, Garment> garments = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final HireOrder[] recent = new HireOrder[RING];
        long orders, requests;
    }

    static OrderApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val149.fixed");
        // BUG: the production config still has the staging override debug.tracing=true
        CONFIG.put("debug.tracing", FIXED ? "false" : "true");
        CONFIG.put("http.port", "8443");
        CONFIG.put("region", "eu-west");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(149_030_001);
        String[] shopCodes = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            double[] w = new double[64];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble() * 40;
            String code = "TX-" + (1_000 + s);
            shopCodes[s] = code;
            SHOPS_BY_CODE.put(code, new Shop(code, "Town " + (s % 250), w));
        }
        OrderApi svc = new OrderApi();
        SERVICE = svc;
        String[] skus = new String[GARMENTS];
        String[] styles = {"Black tie", "Morning suit", "Tailcoat", "Highland wear", "Lounge suit", "Dinner jacket"};
        for (int g = 0; g < GARMENTS; g++) {
            String sku = "GM" + (4_400_000 + g);
            skus[g] = sku;
            svc.garments.put(sku, new Garment(sku, shopCodes[rnd.nextInt(SHOPS)], styles[g % styles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(149_030_002);
        String[] paths = {"GET /garments/{sku}", "POST /orders", "GET /fittings/{id}", "PUT /orders/{id}/measurements"};
        String[] locales = {"en-GB", "fr-FR", "de-DE", "nl-NL"};
        RequestContext ctx = null;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String customer = "CU" + (300_000 + traffic.nextInt(80_000));
            String path = paths[traffic.nextInt(paths.length)];
            ctx = new RequestContext("req-" + (70_000_000L + i), customer, path, t, new byte[32 + traffic.nextInt(32)]);
            RequestTracer.register(ctx);
            String sku = skus[traffic.nextInt(GARMENTS)];
            String shop = shopCodes[traffic.nextInt(SHOPS)];
            ctx.attributes.put("shop", shop);
            ctx.attributes.put("sku", sku);
            ctx.attributes.put("locale", locales[traffic.nextInt(locales.length)]);
            svc.requests++;
            if (path.startsWith("POST")) {
                svc.recent[(int) (svc.orders++ % RING)] = new HireOrder("OR" + (90_000_000L + i), customer, sku, t + (3 + traffic.nextInt(60)) * 24 * HOUR, t);
                byte[] buf = svc.invoiceBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.invoiceBuffers.add(buf);
            } else {
                String key = "sheet-" + traffic.nextInt(6_000);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new FittingSheet(key, new byte[500 + traffic.nextInt(500)], t));
            }
            ctx.finishedAt = t + 20 + traffic.nextInt(200);
            ctx.status = 200;
        }
        int traced = RequestTracer.ACTIVE.size();
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " garments " + svc.garments.size() + " requests " + svc.requests + " traced " + traced
                + " registered " + RequestTracer.registered + " exports " + RequestTracer.exports + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool "
                + svc.invoiceBuffers.size() + " orders " + svc.orders);
        check(SHOPS_BY_CODE.size() == SHOPS && svc.garments.size() == GARMENTS, "reference data / directory");
        check(svc.requests == requests && RequestTracer.exports == 0, "traffic");
        if (FIXED) check(traced == 0 && RequestTracer.registered == 0, "tracing off");
        else check(traced == requests && RequestTracer.registered == requests, "tracer keeps every request: " + traced);
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "fitting-sheet cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recent[RING - 1] != null, "ring");
        svc = null; skus = null; shopCodes = null; ctx = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
