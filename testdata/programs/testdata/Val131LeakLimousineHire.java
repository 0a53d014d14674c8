// hprofscan-dump: name=val131-leak-limousinehire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val131-leak-limousinehire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 131 (written blind), LEAK: the multi-tenant booking platform of 48 limousine and
 * chauffeur-hire operators (airport transfers, weddings, proms, corporate roadshows). Venue reference
 * data, the operator and vehicle directories, a cache of rendered itineraries at its cap, a pool of
 * PDF buffers, a ring of booking events, a dispatch queue with its normal backlog, per-operator
 * counters, and the quote caches: one properly capped LRU (32 quotes) per operator, so customers of
 * one operator share the quotes for the same vehicle class, route and time band. The outer map is
 * keyed by RequestContext.scope() ("tenant:session", the rate limiter's key) instead of tenantId(),
 * so every booking session gets its own small inner cache, and none is ever removed.
 * See VALIDATION131.md.
 */
public final class Val131LeakLimousineHire {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int OPERATORS = 48, VENUES = 1_500, VEHICLES = 6_000, CHAUFFEURS = 4_000, ITINERARY_CAP = 2_000, POOL = 8, EVENT_RING = 4_096, HOURS = 10;
    static final int SESSIONS_PER_HOUR = 900, QUOTE_CAP = 32, POPULAR_VENUES = 24;
    static final String[] CLASSES = {"executive-saloon", "stretch-limousine", "vintage-rolls", "party-bus", "people-carrier", "hummer-limo"};
    static final String[] VENUE_KINDS = {"airport", "hotel", "wedding-venue", "station", "stadium", "conference-centre"};
    static boolean FIXED;

    record Venue(String code, String kind, String name, String postcode, double[] trafficByHalfHour) {}
    record Operator(String tenantId, String tradingName, String licence, String baseTown) {}
    record Vehicle(String fleetNo, String tenantId, String vehicleClass, String plate, int seats, byte[] inspection) {}
    record Chauffeur(String badge, String tenantId, String name, long licensedSince) {}
    record Quote(String key, String tenantId, String vehicleClass, String pickup, String dropoff, int priceCents, long quotedAt, long validUntil, byte[] breakdown) {}
    record Itinerary(String bookingRef, byte[] pdf, long at) {}
    record BookingEvent(String bookingRef, String tenantId, String type, long at) {}
    record DispatchRequest(String bookingRef, String tenantId, String vehicleClass, long pickupAt, long queuedAt) {}

    /** The context of one request to the booking widget. */
    record RequestContext(String tenantId, String sessionId, String requestId) {
        /** The rate limiter's key: per tenant and session. */
        String scope() { return tenantId + ":" + sessionId; }
    }

    static final class LruCache<K, V> extends LinkedHashMap<K, V> {
        final int cap;
        long evicted;
        LruCache(int cap) { super(16, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final class QuoteService {
        /** One LRU of quotes per operator, shared by all its customers. */
        final Map<String, LruCache<String, Quote>> caches = new ConcurrentHashMap<>();
        long requests, hits, computed;

        Quote quote(RequestContext ctx, String vehicleClass, String pickup, String dropoff, int band, long at) {
            requests++;
            String cacheKey = FIXED ? ctx.tenantId() : ctx.scope(); // BUG: scope() is tenant + session
            LruCache<String, Quote> cache = caches.computeIfAbsent(cacheKey, k -> new LruCache<>(QUOTE_CAP));
            String key = vehicleClass + "|" + pickup + "|" + dropoff + "|b" + band;
            Quote q = cache.get(key);
            if (q != null && q.validUntil() > at) { hits++; return q; }
            computed++;
            int h = Math.floorMod((ctx.tenantId() + key).hashCode(), 30_000); // the tariff engine: deterministic per operator and route
            q = new Quote(key, ctx.tenantId(), vehicleClass, pickup, dropoff, 9_000 + 250 * (h % 200), at, at + 2 * HOUR, new byte[100 + h % 150]);
            cache.put(key, q);
            return q;
        }
    }

    static final class ItineraryCache extends LinkedHashMap<String, Itinerary> {
        long evicted;
        ItineraryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Itinerary> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class Platform {
        final Map<String, Operator> operators = new LinkedHashMap<>();
        final String[] tenantIds = new String[OPERATORS];
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final Map<String, Chauffeur> chauffeurs = new HashMap<>();
        final String[] venueCodes = new String[VENUES];
        final QuoteService quotes = new QuoteService();
        final ItineraryCache itineraries = new ItineraryCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final BookingEvent[] events = new BookingEvent[EVENT_RING];
        final ArrayDeque<DispatchRequest> dispatchQueue = new ArrayDeque<>();
        final Map<String, long[]> countersByTenant = new HashMap<>();
        long sessions, bookings, eventCount, dispatched, itineraryViews, corporateSessions;

        void event(String ref, String tenant, String type, long at) { events[(int) (eventCount++ % EVENT_RING)] = new BookingEvent(ref, tenant, type, at); }

        String venue(Random r) { return r.nextInt(100) < 70 ? venueCodes[r.nextInt(POPULAR_VENUES)] : venueCodes[r.nextInt(VENUES)]; }

        void session(Random r, long at) {
            int t = r.nextInt(OPERATORS);
            String tenant = tenantIds[t];
            String sessionId = "bw-" + Long.toHexString(r.nextLong() | (1L << 62));
            long seq = sessions++;
            boolean corporate = r.nextInt(100) == 0; // a corporate travel desk pricing a roadshow
            if (corporate) corporateSessions++;
            int requests = corporate ? 40 + r.nextInt(41) : 1 + r.nextInt(6);
            String vehicleClass = CLASSES[r.nextInt(CLASSES.length)];
            String pickup = venue(r), dropoff = venue(r);
            long[] counters = countersByTenant.get(tenant);
            Quote last = null;
            for (int k = 0; k < requests; k++) {
                RequestContext ctx = new RequestContext(tenant, sessionId, "rq-" + seq + "-" + k);
                if (r.nextInt(3) == 0) vehicleClass = CLASSES[r.nextInt(CLASSES.length)];
                if (corporate || r.nextInt(4) == 0) { pickup = venue(r); dropoff = venue(r); }
                last = quotes.quote(ctx, vehicleClass, pickup, dropoff, r.nextInt(4), at + k * 20_000L);
                counters[0]++;
            }
            if (r.nextInt(100) < 25) {
                String ref = "LH" + (500_000 + bookings++);
                counters[1]++;
                event(ref, tenant, "BOOKED", at);
                byte[] buf = pdfBuffers.poll();
                buf[(int) (bookings % buf.length)] = (byte) last.priceCents();
                pdfBuffers.add(buf);
                itineraries.put(ref, new Itinerary(ref, new byte[400 + r.nextInt(400)], at));
                dispatchQueue.add(new DispatchRequest(ref, tenant, last.vehicleClass(), at + (long) (2 + r.nextInt(300)) * HOUR / 4, at));
            }
            if (r.nextInt(100) < 30) { // a customer or chauffeur re-opens an earlier itinerary
                String ref = "LH" + (500_000 + r.nextInt((int) Math.max(1, bookings)));
                itineraryViews++;
                if (itineraries.get(ref) == null) itineraries.put(ref, new Itinerary(ref, new byte[400 + r.nextInt(400)], at));
            }
        }

        /** Every 5 minutes the dispatchers assign chauffeurs to bookings queued at least 15 minutes ago. */
        void dispatch(long now) {
            while (!dispatchQueue.isEmpty() && dispatchQueue.peek().queuedAt() <= now - 15 * MINUTE) {
                DispatchRequest d = dispatchQueue.poll();
                dispatched++;
                event(d.bookingRef(), d.tenantId(), "CHAUFFEUR_ASSIGNED", now);
            }
        }
    }

    static Platform PLATFORM;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(131_030_001);
        Platform p = new Platform();
        PLATFORM = p;
        for (int v = 0; v < VENUES; v++) {
            double[] traffic = new double[48];
            for (int k = 0; k < traffic.length; k++) traffic[k] = 0.6 + rnd.nextDouble();
            p.venueCodes[v] = "VN" + (20_000 + v * 7);
            VENUES_BY_CODE.put(p.venueCodes[v], new Venue(p.venueCodes[v], VENUE_KINDS[v % VENUE_KINDS.length], "Venue " + v, "PC" + (v % 97) + " " + (v % 9) + "AB", traffic));
        }
        for (int t = 0; t < OPERATORS; t++) {
            p.tenantIds[t] = "op-" + (1_100 + t * 17);
            p.operators.put(p.tenantIds[t], new Operator(p.tenantIds[t], "Operator " + (t + 1) + " Chauffeurs Ltd", "PHV-" + (40_000 + t), "Town " + (t % 23)));
            p.countersByTenant.put(p.tenantIds[t], new long[2]);
        }
        for (int v = 0; v < VEHICLES; v++) {
            String fleet = "FL-" + (70_000 + v);
            p.vehicles.put(fleet, new Vehicle(fleet, p.tenantIds[v % OPERATORS], CLASSES[rnd.nextInt(CLASSES.length)], "LM" + (10 + v % 80) + " " + (char) ('A' + v % 26) + (char) ('A' + (v / 26) % 26) + (char) ('A' + (v / 676) % 26), 4 + rnd.nextInt(14), new byte[150 + rnd.nextInt(150)]));
        }
        for (int c = 0; c < CHAUFFEURS; c++) {
            String badge = "CH" + (300_000 + c * 11);
            p.chauffeurs.put(badge, new Chauffeur(badge, p.tenantIds[c % OPERATORS], "Chauffeur " + c, now - (long) (200 + rnd.nextInt(7_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) p.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(131_030_002);
        long spacing = HOUR / SESSIONS_PER_HOUR;
        long n = 0;
        for (int m = 1; m <= HOURS * 60; m++) {
            long tick = start + m * MINUTE;
            for (; start + n * spacing < tick; n++) p.session(traffic, start + n * spacing);
            if (m % 5 == 0) p.dispatch(tick);
        }
    }

    // {quote requests, hits, computed, inner caches, quotes cached, inner caches at their cap, bookings, dispatch backlog}
    static final long[] EXPECTED = {36_220, 4_137, 32_083, 9_000, 29_824, 87, 2_294, 61};
    static final long[] EXPECTED_FIXED = {36_220, 4_151, 32_069, 48, 1_536, 48, 2_294, 61};

    static void verify() {
        Platform p = PLATFORM;
        QuoteService q = p.quotes;
        long cached = 0;
        int atCap = 0, maxSize = 0;
        int[] sizes = new int[QUOTE_CAP + 1];
        for (LruCache<String, Quote> c : q.caches.values()) { cached += c.size(); if (c.size() == QUOTE_CAP) atCap++; maxSize = Math.max(maxSize, c.size()); sizes[c.size()]++; }
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " operators " + p.operators.size() + " vehicles " + p.vehicles.size() + " chauffeurs " + p.chauffeurs.size()
                + " | sessions " + p.sessions + " (corporate " + p.corporateSessions + ") quote requests " + q.requests + " hits " + q.hits + " computed " + q.computed
                + " | inner caches " + q.caches.size() + " quotes cached " + cached + " at cap " + atCap + " largest " + maxSize + " sizes 1..6 " + sizes[1] + "/" + sizes[2] + "/" + sizes[3] + "/" + sizes[4] + "/" + sizes[5] + "/" + sizes[6]
                + " | bookings " + p.bookings + " dispatched " + p.dispatched + " backlog " + p.dispatchQueue.size() + " itineraries " + p.itineraries.size() + " (evicted " + p.itineraries.evicted + ") pool " + p.pdfBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && p.operators.size() == OPERATORS && p.vehicles.size() == VEHICLES && p.chauffeurs.size() == CHAUFFEURS, "reference data / directories");
        check(p.sessions == (long) SESSIONS_PER_HOUR * HOURS, "sessions");
        if (FIXED) check(q.caches.size() == OPERATORS, "one cache per operator");
        else check(q.caches.size() == p.sessions, "one cache per session");
        check(p.itineraries.size() == ITINERARY_CAP && p.itineraries.evicted > 0, "itinerary cache at its cap");
        check(p.pdfBuffers.size() == POOL && p.events[EVENT_RING - 1] != null, "pool / ring");
        check(p.bookings == p.dispatched + p.dispatchQueue.size(), "dispatch");
        long[] e = FIXED ? EXPECTED_FIXED : EXPECTED;
        long[] got = {q.requests, q.hits, q.computed, q.caches.size(), cached, atCap, p.bookings, p.dispatchQueue.size()};
        check(java.util.Arrays.equals(e, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val131.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
