// hprofscan-dump: name=val104-leak-vanleasing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val104-leak-vanleasing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 104 (written blind), LEAK: the customer portal of a van-leasing company. Depot
 * reference data, the fleet directory, the live web sessions, an LRU of rendered lease quotes at its
 * cap, a pool of PDF buffers and a ring of recent portal requests. Sessions expire after 24 hours
 * of inactivity through a java.util.concurrent.DelayQueue of SessionExpiry elements: every request
 * that touches a session adds a new SessionExpiry instead of re-arming the existing one, and the
 * reaper only takes elements whose delay has passed, so the queue holds one element per request of
 * the last 24 hours. The clock is the simulated one. See VALIDATION104.md.
 */
public final class Val104LeakVanLeasing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_LIMIT = 24 * HOUR;
    static final int DEPOTS = 900, VANS = 22_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS = 9_000, HOURS = 30;
    static boolean FIXED;
    /** The simulated clock the expiry queue reads. */
    static long CLOCK;

    record Depot(String code, String region, double[] weeklyUtilisation) {}
    record Van(String plate, String depotCode, String model, byte[] specSheet, long registeredAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record PortalRequest(String sessionId, String path, long at) {}

    static final class Session {
        final String id, customerId; final long createdAt; long lastAccess; final byte[] attributes; int requests;
        Session(String id, String customerId, long createdAt, byte[] attributes) { this.id = id; this.customerId = customerId; this.createdAt = createdAt; this.lastAccess = createdAt; this.attributes = attributes; }
    }

    static final class SessionExpiry implements Delayed {
        final String sessionId; final long deadline;
        SessionExpiry(String sessionId, long deadline) { this.sessionId = sessionId; this.deadline = deadline; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(deadline - CLOCK, TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) { return Long.compare(deadline, ((SessionExpiry) o).deadline); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Van> vans = new HashMap<>();
        final Map<String, Session> sessions = new HashMap<>();
        final DelayQueue<SessionExpiry> expiries = new DelayQueue<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final PortalRequest[] recent = new PortalRequest[RING];
        long requests, expired, rearmed;

        void touch(Session s, long t) {
            s.lastAccess = t; s.requests++;
            if (!FIXED) expiries.add(new SessionExpiry(s.id, t + IDLE_LIMIT)); // BUG: one element per request
        }
        /** Takes every element whose delay has passed; expires the session if it was idle since. */
        void reap() {
            SessionExpiry e;
            while ((e = expiries.poll()) != null) {
                Session s = sessions.get(e.sessionId);
                if (s == null) continue;
                if (CLOCK - s.lastAccess >= IDLE_LIMIT) { sessions.remove(e.sessionId); expired++; }
                else if (FIXED) { expiries.add(new SessionExpiry(s.id, s.lastAccess + IDLE_LIMIT)); rearmed++; } // fix: re-arm the one element
            }
        }
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(104_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] util = new double[96];
            for (int k = 0; k < util.length; k++) util[k] = rnd.nextDouble();
            depotCodes[d] = "DEP-" + (400 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), util));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] models = {"Transit Custom", "Sprinter", "Vivaro", "Trafic", "Crafter", "Master", "Boxer", "Ducato"};
        for (int v = 0; v < VANS; v++) {
            String plate = "VL" + (10 + v % 60) + " " + (char) ('A' + v % 26) + (char) ('A' + (v / 26) % 26) + (char) ('A' + (v / 676) % 26);
            svc.vans.put(plate, new Van(plate, depotCodes[rnd.nextInt(DEPOTS)], models[v % models.length], new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        // Traffic: each session is created at some time and makes 8-40 requests over the next 10 min - 6 h.
        Random traffic = new Random(104_020_002);
        long[] events = new long[SESSIONS * 41];
        int n = 0;
        long span = end - MINUTE - start;
        for (int s = 0; s < SESSIONS; s++) {
            long created = start + (long) (traffic.nextDouble() * (span - 6 * HOUR - MINUTE));
            int reqs = 8 + traffic.nextInt(33);
            long active = 10 * MINUTE + (long) (traffic.nextDouble() * 5 * HOUR + 50 * MINUTE);
            events[n++] = (created << 20) | s;
            for (int r = 1; r < reqs; r++) events[n++] = ((created + 1 + (long) (traffic.nextDouble() * active)) << 20) | s;
        }
        events = Arrays.copyOf(events, n);
        Arrays.sort(events);
        Session[] byIndex = new Session[SESSIONS];
        String[] paths = {"/lease/quote", "/vans/search", "/account/invoices", "/lease/extend", "/damage/report", "/vans/detail"};
        int lastDayRequests = 0;
        for (int i = 0; i < n; i++) {
            long t = events[i] >>> 20; int s = (int) (events[i] & 0xFFFFF);
            CLOCK = t;
            if (i % 64 == 0) svc.reap();
            Session sess = byIndex[s];
            if (sess == null) {
                sess = new Session("JS" + Long.toHexString(0x5a00_0000_0000L + s * 7_919L), "CU" + (200_000 + traffic.nextInt(50_000)), t, new byte[200 + traffic.nextInt(200)]);
                byIndex[s] = sess;
                svc.sessions.put(sess.id, sess);
                if (FIXED) svc.expiries.add(new SessionExpiry(sess.id, t + IDLE_LIMIT));
            }
            svc.touch(sess, t);
            if (t > end - IDLE_LIMIT) lastDayRequests++;
            svc.recent[(int) (svc.requests++ % RING)] = new PortalRequest(sess.id, paths[traffic.nextInt(paths.length)], t);
            if (traffic.nextInt(3) == 0) {
                String key = "quote-" + traffic.nextInt(6_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            }
        }
        CLOCK = end;
        svc.reap();
        int live = 0;
        for (Session s : byIndex) if (s != null && end - s.lastAccess < IDLE_LIMIT) live++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " vans " + svc.vans.size() + " requests " + svc.requests + " (last 24 h " + lastDayRequests + ") sessions live " + svc.sessions.size()
                + " expired " + svc.expired + " expiry queue " + svc.expiries.size() + " rearmed " + svc.rearmed + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.pdfBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.vans.size() == VANS, "reference data / directory");
        check(svc.requests == n && svc.sessions.size() == live && svc.expired == SESSIONS - live, "sessions: " + svc.sessions.size());
        if (FIXED) check(svc.expiries.size() == live, "one expiry per live session");
        else check(svc.expiries.size() == lastDayRequests, "one expiry per request of the last 24 h: " + svc.expiries.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.pdfBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val104.fixed");
        build();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
