// hprofscan-dump: name=val36-leak-hairsalons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val36-leak-hairsalons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 36 (written blind), LEAK: the online booking API of a chain of hair salons. Salon
 * reference data, the client directory, a cache of rendered availability pages at its cap, a pool
 * of style-photo buffers, a ring of booked appointments, the requests in flight, and a per-request
 * metadata cache: a WeakHashMap<RequestContext, RequestMetadata> that was meant to empty itself once
 * a request is finished and its context dropped. Each RequestMetadata keeps a field back to its
 * RequestContext (for log correlation), so the value strongly references its own key: no key ever
 * becomes weakly reachable and no entry is ever removed. See VALIDATION36.md.
 */
public final class Val36LeakHairSalons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SALONS = 1_200, CLIENTS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, IN_FLIGHT = 16, HOURS = 10, REQUESTS = 16_000;
    static boolean FIXED;

    record Salon(String code, String city, double[] chairOccupancy) {}
    record Client(String clientId, String homeSalon, String name, byte[] hairProfile, long joinedAt) {}
    record SlotPage(String key, byte[] rendered, long at) {}
    record Appointment(String clientId, String salonCode, String service, long bookedAt, long startsAt) {}

    static final class RequestContext {
        final String requestId, route, clientId, salonCode;
        final long receivedAt;
        RequestContext(String requestId, String route, String clientId, String salonCode, long receivedAt) {
            this.requestId = requestId; this.route = route; this.clientId = clientId; this.salonCode = salonCode; this.receivedAt = receivedAt;
        }
    }

    static final class RequestMetadata {
        final RequestContext context; // for log correlation; the value -> key reference
        final String requestId;
        final String[] roles;
        final byte[] branding;
        final long resolvedAt;
        RequestMetadata(RequestContext context, String requestId, String[] roles, byte[] branding, long resolvedAt) {
            this.context = context; this.requestId = requestId; this.roles = roles; this.branding = branding; this.resolvedAt = resolvedAt;
        }
    }

    static final class PageCache extends LinkedHashMap<String, SlotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Salon> SALONS_BY_CODE = new HashMap<>();

    static final class BookingApi {
        final Map<String, Client> clients = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Appointment[] appointments = new Appointment[RING];
        long booked;
        final ArrayDeque<RequestContext> inFlight = new ArrayDeque<>();
        /** Per-request metadata (claims, branding), resolved once, read by the handlers and the access log. */
        final WeakHashMap<RequestContext, RequestMetadata> metadata = new WeakHashMap<>();
        long requests;

        RequestMetadata resolve(RequestContext ctx, Random r, long at) {
            String[] roles = r.nextInt(20) == 0 ? new String[] {"client", "stylist"} : new String[] {"client"};
            RequestMetadata m = FIXED
                    ? new RequestMetadata(null, ctx.requestId, roles, new byte[160 + r.nextInt(160)], at) // the fix: keep the id, not the context
                    : new RequestMetadata(ctx, ctx.requestId, roles, new byte[160 + r.nextInt(160)], at);
            metadata.put(ctx, m);
            return m;
        }
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val36.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(36_030_001);
        String[] salonCodes = new String[SALONS];
        for (int s = 0; s < SALONS; s++) {
            double[] occupancy = new double[84];
            for (int k = 0; k < occupancy.length; k++) occupancy[k] = rnd.nextDouble();
            salonCodes[s] = "HS" + (700 + s);
            SALONS_BY_CODE.put(salonCodes[s], new Salon(salonCodes[s], "City " + (s % 150), occupancy));
        }
        BookingApi svc = new BookingApi();
        SERVICE = svc;
        String[] clientIds = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "CL-" + (880_000 + c * 11);
            svc.clients.put(clientIds[c], new Client(clientIds[c], salonCodes[rnd.nextInt(SALONS)], "Client " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(36_030_002);
        String[] routes = {"GET /salons/{salon}/slots", "POST /appointments", "GET /clients/{client}/history", "PUT /appointments/{id}"};
        String[] services = {"CUT", "COLOUR", "BALAYAGE", "BLOW_DRY", "BEARD_TRIM", "PERM"};
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String client = clientIds[traffic.nextInt(CLIENTS)];
            String salon = salonCodes[traffic.nextInt(SALONS)];
            RequestContext ctx = new RequestContext("req-" + Long.toHexString(0xA1_0000_0000L + i * 104_729L), routes[traffic.nextInt(routes.length)], client, salon, t);
            svc.requests++;
            svc.inFlight.addLast(ctx);
            RequestMetadata meta = svc.resolve(ctx, traffic, t);
            String key = salon + "/" + (traffic.nextInt(4));
            if (svc.pages.get(key) == null) svc.pages.put(key, new SlotPage(key, new byte[500 + traffic.nextInt(500)], t));
            svc.appointments[(int) (svc.booked++ % RING)] = new Appointment(client, salon, services[traffic.nextInt(services.length)], t, t + (long) (1 + traffic.nextInt(21)) * 24 * HOUR);
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = meta.branding[0];
            svc.photoBuffers.add(buf);
            if (svc.inFlight.size() > IN_FLIGHT) svc.inFlight.removeFirst(); // the oldest request has been answered; its context is dropped
        }
        salonCodes = clientIds = null; // startup arrays dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = traffic = null;
        System.gc();
        int expected = FIXED ? IN_FLIGHT : REQUESTS;
        for (int i = 0; i < 100 && svc.metadata.size() != expected; i++) { Thread.sleep(20); System.gc(); }
        System.out.println((FIXED ? "FIXED " : "") + "salons " + SALONS_BY_CODE.size() + " clients " + svc.clients.size() + " requests " + svc.requests + " in flight " + svc.inFlight.size() + " metadata entries " + svc.metadata.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") appointments " + svc.booked + " pool " + svc.photoBuffers.size());
        check(SALONS_BY_CODE.size() == SALONS && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.requests == REQUESTS && svc.inFlight.size() == IN_FLIGHT, "requests");
        check(svc.metadata.size() == expected, "metadata entries: " + svc.metadata.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.booked == REQUESTS && svc.appointments[RING - 1] != null, "appointment ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
