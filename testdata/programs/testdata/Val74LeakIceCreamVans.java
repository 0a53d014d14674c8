// hprofscan-dump: name=val74-leak-icecreamvans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val74-leak-icecreamvans-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 74 (written blind), LEAK: the order API of an ice-cream van fleet (card sales
 * taken at the van, stock top-ups, route check-ins). Sales-zone reference data, the directory of
 * licensed street pitches, a cache of rendered menu cards at its cap, a pool of receipt-printer
 * buffers, a ring of recent sales, and a static request-context stack (RequestScope.STACK, an
 * ArrayDeque) that every request pushes its context onto when it starts. The handler pops it only
 * on the success path: a request that throws (declined card, stale GPS fix, stock conflict) leaves
 * its context on the stack forever. See VALIDATION74.md.
 */
public final class Val74LeakIceCreamVans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_000, PITCHES = 20_000, VANS = 420, MENU_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Zone(String code, String town, double[] hourlyFootfall) {}
    record Pitch(String pitchId, String zoneCode, String street, byte[] licence, long licensedAt) {}
    record MenuCard(String key, byte[] rendered, long at) {}
    record Sale(String requestId, String vanId, String pitchId, int amountPence, long at) {}

    static final class RequestContext {
        final String requestId, vanId, endpoint; final long startedAt;
        final Map<String, String> attributes = new HashMap<>();
        final byte[] requestBody;
        RequestContext(String requestId, String vanId, String endpoint, long startedAt, byte[] requestBody) {
            this.requestId = requestId; this.vanId = vanId; this.endpoint = endpoint; this.startedAt = startedAt; this.requestBody = requestBody;
        }
    }

    /** The per-process request scope: the current request is the top of the stack. */
    static final class RequestScope {
        static final ArrayDeque<RequestContext> STACK = new ArrayDeque<>();
        static void push(RequestContext c) { STACK.push(c); }
        static RequestContext current() { return STACK.peek(); }
        static void pop() { STACK.pop(); }
    }

    static final class RequestFailed extends RuntimeException {
        RequestFailed(String reason) { super(reason, null, false, false); }
    }

    static final class MenuCache extends LinkedHashMap<String, MenuCard> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuCard> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class OrderApi {
        final Map<String, Pitch> pitches = new HashMap<>();
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Sale[] sales = new Sale[RING];
        long salesWritten, requests, failed;

        void process(Random r, String pitchId, long at) {
            RequestContext ctx = RequestScope.current();
            int roll = r.nextInt(100);
            if (roll < 4) throw new RequestFailed("card declined");
            if (roll < 6) throw new RequestFailed("stale GPS fix");
            if (roll < 8) throw new RequestFailed("stock conflict");
            String key = "menu-" + r.nextInt(4_500);
            if (menus.get(key) == null) menus.put(key, new MenuCard(key, new byte[500 + r.nextInt(500)], at));
            byte[] buf = receiptBuffers.poll();
            buf[(int) (requests % buf.length)] = (byte) roll;
            receiptBuffers.add(buf);
            sales[(int) (salesWritten++ % RING)] = new Sale(ctx.requestId, ctx.vanId, pitchId, 150 + r.nextInt(900), at);
        }

        /** One API request. */
        void handle(Random r, String vanId, String pitchId, long at) {
            RequestContext ctx = new RequestContext(Long.toHexString(0x5a1e_0000_0000L + requests++), vanId, "POST /sales", at, new byte[200 + r.nextInt(200)]);
            ctx.attributes.put("pitch", pitchId);
            ctx.attributes.put("amount", Integer.toString(150 + r.nextInt(900)));
            ctx.attributes.put("gps", (51 + r.nextInt(1_000) / 1000.0) + "," + (-(r.nextInt(3_000) / 1000.0)));
            ctx.attributes.put("payment", r.nextBoolean() ? "contactless" : "chip");
            RequestScope.push(ctx);
            if (FIXED) { // the fix: pop in finally
                try { process(r, pitchId, at); } finally { RequestScope.pop(); }
                return;
            }
            process(r, pitchId, at);
            RequestScope.pop(); // BUG: only reached on success
        }
    }

    static OrderApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val74.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(74_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] foot = new double[64];
            for (int k = 0; k < foot.length; k++) foot[k] = rnd.nextDouble() * 500;
            zoneCodes[z] = "ZN-" + (1_000 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "Town " + (z % 120), foot));
        }
        OrderApi svc = new OrderApi();
        SERVICE = svc;
        String[] pitchIds = new String[PITCHES];
        for (int p = 0; p < PITCHES; p++) {
            pitchIds[p] = "PT" + (300_000 + p * 7);
            svc.pitches.put(pitchIds[p], new Pitch(pitchIds[p], zoneCodes[rnd.nextInt(ZONES)], "Street " + (p % 2_500), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        String[] vanIds = new String[VANS];
        for (int v = 0; v < VANS; v++) vanIds[v] = "VAN-" + (100 + v);
        Random traffic = new Random(74_030_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            try {
                svc.handle(traffic, vanIds[traffic.nextInt(VANS)], pitchIds[traffic.nextInt(PITCHES)], t);
            } catch (RequestFailed e) {
                svc.failed++; // answered 4xx/5xx by the dispatcher
            }
        }
        int stack = RequestScope.STACK.size();
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " pitches " + svc.pitches.size() + " requests " + svc.requests + " failed " + svc.failed + " context stack " + stack
                + " sales " + svc.salesWritten + " menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") pool " + svc.receiptBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.pitches.size() == PITCHES, "reference data / directory");
        check(svc.requests == requests && svc.salesWritten + svc.failed == requests, "traffic");
        check(stack == (FIXED ? 0 : svc.failed), "context stack " + stack);
        check(svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.salesWritten > RING && svc.sales[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
