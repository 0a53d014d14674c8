// hprofscan-dump: name=val115-leak-seaplanetours-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val115-leak-seaplanetours-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val115-leak-seaplanetours jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val115-leak-seaplanetours-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 115 (written blind), LEAK (growth series): the booking site of a seaplane tour
 * operator. Web sessions are keyed by random UUID strings and hold the visitor's booking draft,
 * CSRF token, recently viewed tours and the search form state. A sweeper runs every minute and is
 * meant to drop sessions idle for 30 minutes, but it tests the wrong field: `expiresAt`, which is
 * the absolute lifetime cap (12 hours after creation), instead of the idle deadline kept in
 * `lastAccessedAt` + `maxInactiveMillis`. Only the 15% who log out leave the store. Ordinary
 * components beside it: tour routes (reference data), the customer directory, a fare-quote LRU at
 * its cap, a pool of boarding-pass buffers, a ring of recent bookings, the pilot-manifest backlog.
 * Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION115.md.
 */
public final class Val115LeakSeaplaneTours {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ROUTES = 1_000, CUSTOMERS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 1_024, SESSIONS_PER_HOUR = 2_000, MANIFEST_LAG_MINUTES = 10;
    static final long IDLE_TIMEOUT = 30 * MINUTE, ABSOLUTE_LIFETIME = 12 * HOUR;
    static final String[] BASES = {"Harbour Quay", "Loch Lomond", "Oban Bay", "Tobermory", "Skye Broadford", "Glasgow Science Centre", "Inverness Marina", "Fort William Pier"};
    static final String[] LOCALES = {"en-GB", "en-US", "de-DE", "fr-FR", "nl-NL", "ja-JP"};
    static boolean FIXED;

    record Route(String code, String from, String to, int minutes, double[] fareByQuarterHour) {}
    record Customer(String email, String name, int weightKg, byte[] preferences, long since) {}
    record FareQuote(String key, byte[] rendered, long quotedAt) {}
    record Booking(String ref, String route, String customer, int seats, int fareCents, long at) {}
    record ManifestEntry(String bookingRef, String route, int seats, long at) {}

    /** A booking in progress, kept in the session until paid. */
    static final class BookingDraft {
        String route;
        long departure;
        final List<String> passengers = new ArrayList<>(4);
        int[] weightsKg;
        String notes;
    }

    static final class WebSession {
        final String id;
        final long createdAt;
        /** Absolute lifetime cap: the session ends 12 hours after creation whatever happens. */
        final long expiresAt;
        final long maxInactiveMillis = IDLE_TIMEOUT;
        long lastAccessedAt;
        int requests;
        final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, long now) { this.id = id; this.createdAt = now; this.expiresAt = now + ABSOLUTE_LIFETIME; this.lastAccessedAt = now; }
    }

    static final class SessionStore {
        final Map<String, WebSession> sessions = new ConcurrentHashMap<>();
        long created, loggedOut, expired, sweeps;

        WebSession create(String id, long now) { WebSession s = new WebSession(id, now); sessions.put(id, s); created++; return s; }
        WebSession touch(String id, long now) { WebSession s = sessions.get(id); if (s != null) { s.lastAccessedAt = now; s.requests++; } return s; }
        void invalidate(String id) { if (sessions.remove(id) != null) loggedOut++; }

        /** Runs every minute. */
        void sweep(long now) {
            sweeps++;
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) {
                WebSession s = it.next();
                boolean over = FIXED ? now - s.lastAccessedAt >= s.maxInactiveMillis || now >= s.expiresAt
                        : now >= s.expiresAt; // BUG: meant "idle for maxInactiveMillis"; expiresAt is the 12-hour cap
                if (over) { it.remove(); expired++; }
            }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, FareQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final class BookingService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] emails = new String[CUSTOMERS];
        final String[] routeCodes = new String[ROUTES];
        final SessionStore store = new SessionStore();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> passBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        final ArrayDeque<ManifestEntry> manifestQueue = new ArrayDeque<>();
        long pageViews, bookings, manifested, quoteHits;

        void page(WebSession s, Random r, long t) {
            pageViews++;
            int kind = r.nextInt(10);
            if (kind < 4) {
                @SuppressWarnings("unchecked") List<String> viewed = (List<String>) s.attributes.computeIfAbsent("recentlyViewed", k -> new ArrayList<String>());
                viewed.add(routeCodes[r.nextInt(ROUTES)]);
                if (viewed.size() > 10) viewed.remove(0);
            } else if (kind < 7) {
                String key = routeCodes[r.nextInt(ROUTES)] + "/" + (1 + r.nextInt(6)) + "/" + (r.nextInt(14) + 1) + "d";
                FareQuote q = quotes.get(key);
                if (q == null) quotes.put(key, new FareQuote(key, new byte[400 + r.nextInt(400)], t)); else quoteHits++;
                s.attributes.put("searchForm", new byte[200 + r.nextInt(300)]);
            } else if (kind < 9) {
                BookingDraft d = (BookingDraft) s.attributes.computeIfAbsent("bookingDraft", k -> new BookingDraft());
                d.route = routeCodes[r.nextInt(ROUTES)];
                d.departure = t + (long) (1 + r.nextInt(20)) * DAY;
                if (d.passengers.size() < 4) d.passengers.add("Passenger " + (char) ('A' + r.nextInt(26)) + ". " + (char) ('A' + r.nextInt(26)) + "son");
                d.weightsKg = new int[d.passengers.size()];
                for (int k = 0; k < d.weightsKg.length; k++) d.weightsKg[k] = 45 + r.nextInt(70);
                d.notes = "Seat request: " + (r.nextBoolean() ? "window" : "co-pilot seat") + ", luggage " + r.nextInt(25) + " kg";
            } else {
                BookingDraft d = (BookingDraft) s.attributes.remove("bookingDraft");
                if (d != null && d.route != null) {
                    Booking b = new Booking("SPT" + (4_000_000 + bookings), d.route, emails[r.nextInt(CUSTOMERS)], d.passengers.size(), 12_000 + r.nextInt(30_000), t);
                    recent[(int) (bookings++ % RING)] = b;
                    manifestQueue.addLast(new ManifestEntry(b.ref(), b.route(), b.seats(), t));
                    byte[] buf = passBuffers.poll();
                    buf[(int) (t % buf.length)] = (byte) b.seats();
                    passBuffers.add(buf);
                }
            }
        }

        void sendManifests(long t) {
            while (!manifestQueue.isEmpty() && manifestQueue.peekFirst().at() <= t - MANIFEST_LAG_MINUTES * MINUTE) { manifestQueue.pollFirst(); manifested++; }
        }
    }

    /** A visitor's next page view. */
    record Visit(long at, String sessionId, int remaining, boolean logsOut) {}

    static BookingService SERVICE;
    static long SIM_END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String sessionId(Random r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L, lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo).toString();
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        SIM_END = end;
        Random rnd = new Random(115_020_001);
        for (int k = 0; k < ROUTES; k++) {
            double[] fares = new double[96];
            for (int j = 0; j < fares.length; j++) fares[j] = 90 + rnd.nextDouble() * 300;
            String code = "SPR-" + (100 + k);
            ROUTES_BY_CODE.put(code, new Route(code, BASES[k % BASES.length], BASES[(k / BASES.length + k + 1) % BASES.length], 15 + rnd.nextInt(75), fares));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int k = 0; k < ROUTES; k++) svc.routeCodes[k] = "SPR-" + (100 + k);
        for (int c = 0; c < CUSTOMERS; c++) {
            svc.emails[c] = "guest" + (310_000 + c * 3) + "@mail" + (c % 40) + ".example";
            svc.customers.put(svc.emails[c], new Customer(svc.emails[c], "Guest " + c, 45 + rnd.nextInt(70), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.passBuffers.add(new byte[32_768]);

        Random arrivals = new Random(115_020_002), pages = new Random(115_020_003), ids = new Random(115_020_004);
        PriorityQueue<Visit> visits = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.sessionId().compareTo(b.sessionId()));
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            int arriving = (int) ((long) (m + 1) * SESSIONS_PER_HOUR / 60 - (long) m * SESSIONS_PER_HOUR / 60);
            for (int k = 0; k < arriving; k++) {
                long at = t + arrivals.nextInt(60) * SECOND;
                WebSession s = svc.store.create(sessionId(ids), at);
                s.attributes.put("csrf", Long.toHexString(ids.nextLong()) + Long.toHexString(ids.nextLong()));
                s.attributes.put("locale", LOCALES[arrivals.nextInt(LOCALES.length)]);
                svc.page(s, pages, at);
                int views = 1 + arrivals.nextInt(20);
                if (views > 1) visits.add(new Visit(at + (20 + arrivals.nextInt(340)) * SECOND, s.id, views - 1, arrivals.nextInt(100) < 15));
            }
            long minuteEnd = t + MINUTE;
            while (!visits.isEmpty() && visits.peek().at() < minuteEnd) {
                Visit v = visits.poll();
                WebSession s = svc.store.touch(v.sessionId(), v.at());
                if (s == null) continue; // expired meanwhile: the visitor is sent to the start page (not simulated)
                svc.page(s, pages, v.at());
                if (v.remaining() > 1) visits.add(new Visit(v.at() + (20 + pages.nextInt(340)) * SECOND, v.sessionId(), v.remaining() - 1, v.logsOut()));
                else if (v.logsOut()) svc.store.invalidate(v.sessionId());
            }
            svc.store.sweep(minuteEnd);
            svc.sendManifests(minuteEnd);
        }
    }

    static final Map<String, Route> ROUTES_BY_CODE = new HashMap<>();

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val115.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        BookingService svc = SERVICE;
        SessionStore st = svc.store;
        int idle = 0, withDraft = 0;
        for (WebSession s : st.sessions.values()) {
            if (SIM_END - s.lastAccessedAt >= IDLE_TIMEOUT) idle++;
            if (s.attributes.containsKey("bookingDraft")) withDraft++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " routes " + ROUTES_BY_CODE.size() + " customers " + svc.customers.size() + " sessions " + st.sessions.size()
                + " (created " + st.created + ", logged out " + st.loggedOut + ", expired " + st.expired + " in " + st.sweeps + " sweeps; idle 30+ min " + idle + ", active " + (st.sessions.size() - idle)
                + ", with a booking draft " + withDraft + ") page views " + svc.pageViews + " bookings " + svc.bookings + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted
                + ", hits " + svc.quoteHits + ") pool " + svc.passBuffers.size() + " manifest backlog " + svc.manifestQueue.size() + " (sent " + svc.manifested + ")");
        check(ROUTES_BY_CODE.size() == ROUTES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(st.created == (long) SESSIONS_PER_HOUR * hours && st.created == st.sessions.size() + st.loggedOut + st.expired, "session accounting");
        check(FIXED ? idle == 0 : st.expired == 0, "sweeper");
        long[] expectedIdle = {1_747, 5_168, 11_994}, expectedActive = {1_847, 1_866, 1_871};
        check(st.sessions.size() - idle == expectedActive[stage - 1] && (FIXED || idle == expectedIdle[stage - 1]), "sessions " + st.sessions.size() + " idle " + idle);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.passBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.manifestQueue.size() > 0 && svc.manifested + svc.manifestQueue.size() == svc.bookings, "manifest backlog");
    }
}
