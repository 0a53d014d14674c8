// hprofscan-dump: name=val134-leak-segwaytours jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val134-leak-segwaytours-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 134 (written blind), LEAK: the booking and guide-app API of a Segway tour
 * franchise. Tour-route reference data, the booking directory, a cache of rendered e-tickets at its
 * cap, a pool of photo buffers, a ring of ride events, the waiver-archive queue with its normal
 * backlog, the live app tokens, and a session cache in front of the session store: every API call
 * digests its bearer token (SHA-256) and looks the session up by the digest. The bug: the cache is
 * a HashMap<byte[], TourSession> and arrays compare by identity, so the fresh digest of every call
 * misses, the session is loaded again and put under a new key, and logout's remove misses too:
 * one entry per call for a token that is already there. See VALIDATION134.md.
 */
public final class Val134LeakSegwayTours {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, ARCHIVE_AFTER = 20 * MINUTE;
    static final int ROUTES = 1_000, BOOKINGS = 20_000, TICKET_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, CALLS_PER_HOUR = 4_000, LIVE_TARGET = 300;
    static boolean FIXED;

    record Route(String code, String city, double[] waypoints) {}
    record Booking(String ref, String customer, String route, String email, byte[] waiver, long slotAt) {}
    record Ticket(String key, byte[] rendered, long at) {}
    record RideEvent(String bookingRef, String segwaySerial, String kind, long at) {}
    record Waiver(String bookingRef, long signedAt) {}

    static final class TourSession {
        final String bookingRef; final String customer; final String route; final String[] scopes; final byte[] claims; final long loadedAt;
        TourSession(String bookingRef, String customer, String route, String[] scopes, byte[] claims, long loadedAt) {
            this.bookingRef = bookingRef; this.customer = customer; this.route = route; this.scopes = scopes; this.claims = claims; this.loadedAt = loadedAt;
        }
    }

    /** The session cache in front of the session store, keyed by the SHA-256 of the bearer token. */
    static final class SessionCache {
        // BUG: keyed by the digest's byte[] itself, and arrays compare by identity (the fix keys by ByteBuffer.wrap(digest))
        final HashMap<Object, TourSession> byDigest = new HashMap<>();
        final MessageDigest sha256;
        final Random claims = new Random(134_040_003);
        long lookups, hits, loads, logouts, removed;
        SessionCache() throws Exception { sha256 = MessageDigest.getInstance("SHA-256"); }

        byte[] digest(String token) { return sha256.digest(token.getBytes(StandardCharsets.UTF_8)); }

        Object key(byte[] digest) { return FIXED ? ByteBuffer.wrap(digest) : digest; }

        TourSession lookup(String token, Map<String, Booking> bookings, long t) {
            lookups++;
            byte[] d = digest(token);
            TourSession s = byDigest.get(key(d));
            if (s != null) { hits++; return s; }
            loads++;
            Booking b = bookings.get(token.substring(4, token.indexOf('.')));
            s = new TourSession(b.ref(), b.customer(), b.route(), SCOPES, new byte[160 + claims.nextInt(160)], t);
            byDigest.put(key(d), s);
            return s;
        }

        void logout(String token) {
            logouts++;
            byte[] d = digest(token);
            TourSession s = byDigest.remove(key(d));
            if (s != null) removed++;
        }

        int size() { return byDigest.size(); }
    }

    static final class TicketCache extends LinkedHashMap<String, Ticket> {
        long evicted;
        TicketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Ticket> e) { if (size() > TICKET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Route> ROUTES_BY_CODE = new HashMap<>();

    static final class TourService {
        final Map<String, Booking> bookings = new HashMap<>();
        final String[] bookingRefs = new String[BOOKINGS];
        final TicketCache tickets = new TicketCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final RideEvent[] rideEvents = new RideEvent[RING];
        final ArrayDeque<Waiver> waiverArchive = new ArrayDeque<>();
        final List<String> liveTokens = new ArrayList<>();
        final SessionCache sessions;
        long calls, logins, rides, waiversQueued, waiversArchived, photos;
        TourService() throws Exception { sessions = new SessionCache(); }

        void call(Random r, long t) {
            calls++;
            if (liveTokens.size() < LIVE_TARGET || r.nextInt(10) == 0) { // a customer logs in to the app
                Booking b = bookings.get(bookingRefs[r.nextInt(BOOKINGS)]);
                String token = "sgt_" + b.ref() + "." + Long.toHexString(r.nextLong());
                liveTokens.add(token);
                logins++;
                sessions.lookup(token, bookings, t);
                waiverArchive.addLast(new Waiver(b.ref(), t));
                waiversQueued++;
                return;
            }
            if (r.nextInt(9) == 0 || liveTokens.size() > 360) { // logout after the tour
                sessions.logout(liveTokens.remove(r.nextInt(liveTokens.size())));
                return;
            }
            String token = liveTokens.get(r.nextInt(liveTokens.size()));
            TourSession s = sessions.lookup(token, bookings, t);
            rideEvents[(int) (rides++ % RING)] = new RideEvent(s.bookingRef, "SW" + (51_000 + r.nextInt(2_400)), KINDS[r.nextInt(KINDS.length)], t);
            String tk = "ticket-" + r.nextInt(6_000);
            if (tickets.get(tk) == null) tickets.put(tk, new Ticket(tk, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(6) == 0) {
                byte[] buf = photoBuffers.poll();
                buf[(int) (photos++ % buf.length)] = (byte) s.scopes.length;
                photoBuffers.add(buf);
            }
        }

        void minuteTick(long t) {
            while (!waiverArchive.isEmpty() && waiverArchive.peekFirst().signedAt() <= t - ARCHIVE_AFTER) { waiverArchive.pollFirst(); waiversArchived++; }
        }
    }

    static final String[] SCOPES = {"booking:read", "ride:telemetry", "photos:read", "waiver:sign"};
    static final String[] KINDS = {"unlock", "start", "geofence-warning", "battery-low", "stop", "photo-stop", "return"};

    static TourService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(134_040_001);
        String[] routeCodes = new String[ROUTES];
        for (int i = 0; i < ROUTES; i++) {
            double[] waypoints = new double[96];
            for (int k = 0; k < waypoints.length; k++) waypoints[k] = (k % 2 == 0 ? 48.0 : 2.0) + rnd.nextDouble();
            routeCodes[i] = "RT-" + (600 + i);
            ROUTES_BY_CODE.put(routeCodes[i], new Route(routeCodes[i], "City " + (i % 300), waypoints));
        }
        TourService svc = new TourService();
        SERVICE = svc;
        for (int i = 0; i < BOOKINGS; i++) {
            svc.bookingRefs[i] = "SGT" + (7_700_000 + i * 9);
            svc.bookings.put(svc.bookingRefs[i], new Booking(svc.bookingRefs[i], "Guest " + rnd.nextInt(90_000), routeCodes[rnd.nextInt(ROUTES)], "guest" + rnd.nextInt(90_000) + "@example.com",
                    new byte[150 + rnd.nextInt(150)], end + (long) (rnd.nextInt(60 * 24 * 30) - 60 * 24 * 20) * MINUTE));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(134_040_002);
        int calls = CALLS_PER_HOUR * HOURS;
        long nextTick = start + MINUTE;
        for (int i = 0; i < calls; i++) {
            long t = start + (end - MINUTE - start) * i / calls;
            while (nextTick <= t) { svc.minuteTick(nextTick); nextTick += MINUTE; }
            svc.call(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick); nextTick += MINUTE; }
    }

    static void verify() {
        TourService svc = SERVICE;
        SessionCache c = svc.sessions;
        java.util.Set<ByteBuffer> live = new java.util.HashSet<>(), distinct = new java.util.HashSet<>();
        for (String token : svc.liveTokens) live.add(ByteBuffer.wrap(c.digest(token)));
        int forLive = 0;
        for (Object k : c.byDigest.keySet()) {
            ByteBuffer b = k instanceof ByteBuffer ? (ByteBuffer) k : ByteBuffer.wrap((byte[]) k);
            distinct.add(b);
            if (live.contains(b)) forLive++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "routes " + ROUTES_BY_CODE.size() + " bookings " + svc.bookings.size() + " calls " + svc.calls + " logins " + svc.logins + " logouts " + c.logouts + " live tokens " + svc.liveTokens.size()
                + " sessions " + c.size() + " (" + distinct.size() + " distinct tokens, " + forLive + " entries for live tokens; lookups " + c.lookups + " hits " + c.hits + " loads " + c.loads + " removed " + c.removed + ") rides " + svc.rides + " tickets " + svc.tickets.size() + " (evicted " + svc.tickets.evicted + ")"
                + " waivers " + svc.waiverArchive.size() + " (" + svc.waiversQueued + " queued, " + svc.waiversArchived + " archived)");
        check(ROUTES_BY_CODE.size() == ROUTES && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.calls == (long) CALLS_PER_HOUR * HOURS && svc.logins - c.logouts == svc.liveTokens.size(), "calls / live tokens");
        if (FIXED) check(c.size() == svc.liveTokens.size() && c.loads == svc.logins && c.removed == c.logouts, "fixed: one entry per live token");
        else check(c.size() == c.lookups && c.hits == 0 && c.removed == 0, "every lookup misses and adds an entry");
        check(svc.tickets.size() == TICKET_CAP && svc.tickets.evicted > 0, "ticket cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.waiversQueued - svc.waiversArchived == svc.waiverArchive.size() && svc.waiverArchive.size() > 0, "waiver backlog");
        check(svc.liveTokens.size() == 348 && svc.logins == 4_283 && svc.waiverArchive.size() == 121 && svc.tickets.evicted == 19_683, "exact token / waiver counts"); // VALIDATION134.md
        check(c.size() == (FIXED ? 348 : 36_065) && distinct.size() == (FIXED ? 348 : 4_283) && forLive == (FIXED ? 348 : 3_117), "exact session-cache counts");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val134.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
