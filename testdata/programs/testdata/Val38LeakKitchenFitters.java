// hprofscan-dump: name=val38-leak-kitchenfitters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val38-leak-kitchenfitters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val38-leak-kitchenfitters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val38-leak-kitchenfitters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 38 (written blind), LEAK (series): the online kitchen planner of a kitchen-fitting
 * company. Showroom reference data, the cabinet catalogue, an LRU of rendered 3D previews at its
 * cap, a pool of render buffers, a ring of saved quotes. Customers' design sessions live in an idle
 * cache that evicts a session 30 minutes after its last access (a sweep every minute). A stats
 * reporter runs every minute too and reads every session through the cache's get(), which records
 * an access: every session ever opened looks touched within the last minute and is never idle, so
 * nothing is ever evicted. Stage k (args 1 / 2 / 3) simulates 2 / 3 / 5 hours,
 * so the sessions that should have been evicted double (1 / 2 / 4 hours of traffic). See VALIDATION38.md.
 */
public final class Val38LeakKitchenFitters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int SHOWROOMS = 1_000, CABINETS = 30_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096, SESSIONS_PER_HOUR = 1_500;
    static boolean FIXED;

    record Showroom(String code, String city, double[] footfallByHour) {}
    record Cabinet(String sku, String range, String finish, byte[] spec, long introducedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record SavedQuote(String sessionId, String customerId, int cabinets, long savedAt) {}

    static final class DesignSession {
        final String sessionId, customerId, showroomCode;
        final long createdAt;
        volatile long lastAccessAt;
        final int[] cabinetIds;
        final byte[] layout;
        DesignSession(String sessionId, String customerId, String showroomCode, long createdAt, int[] cabinetIds, byte[] layout) {
            this.sessionId = sessionId; this.customerId = customerId; this.showroomCode = showroomCode; this.createdAt = createdAt; this.lastAccessAt = createdAt; this.cabinetIds = cabinetIds; this.layout = layout;
        }
    }

    /** Design sessions by id, evicted after 30 minutes without access. */
    static final class IdleSessionCache {
        final ConcurrentHashMap<String, DesignSession> sessions = new ConcurrentHashMap<>();
        final long idleTimeout;
        long evicted;
        IdleSessionCache(long idleTimeout) { this.idleTimeout = idleTimeout; }
        void put(DesignSession s) { sessions.put(s.sessionId, s); }
        /** Returns the session and records the access. */
        DesignSession get(String id, long now) { DesignSession s = sessions.get(id); if (s != null) s.lastAccessAt = now; return s; }
        /** Returns the session without recording an access (for monitoring). */
        DesignSession peek(String id) { return sessions.get(id); }
        void evictIdle(long now) {
            for (Iterator<DesignSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastAccessAt <= now - idleTimeout) { it.remove(); evicted++; }
            }
        }
    }

    /** Publishes the number of open designs and cabinets every minute. */
    static final class StatsReporter {
        long lastSessions, lastCabinets, reports;
        void report(IdleSessionCache cache, long now) {
            long n = 0, cabinets = 0;
            for (String id : cache.sessions.keySet()) {
                DesignSession s = FIXED ? cache.peek(id) : cache.get(id, now); // BUG: get() records an access
                if (s == null) continue;
                n++; cabinets += s.cabinetIds.length;
            }
            lastSessions = n; lastCabinets = cabinets; reports++;
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Showroom> SHOWROOMS_BY_CODE = new HashMap<>();

    static final class PlannerService {
        final Map<String, Cabinet> catalogue = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final SavedQuote[] savedQuotes = new SavedQuote[RING];
        final IdleSessionCache sessions = new IdleSessionCache(IDLE_TIMEOUT);
        final StatsReporter stats = new StatsReporter();
        long quotes;
    }

    static PlannerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    // stage -> {sessions with the bug, sessions left with the fix, evicted with the fix}
    static final int[][] EXPECTED = {{}, {3_000, 1_510, 1_490}, {4_500, 1_490, 3_010}, {7_500, 1_493, 6_007}};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val38.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = new int[] {0, 2, 3, 5}[stage]; // the idle sessions double: 1 h, 2 h, 4 h of sessions older than the working set
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(38_030_001);
        String[] showroomCodes = new String[SHOWROOMS];
        for (int s = 0; s < SHOWROOMS; s++) {
            double[] f = new double[64];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 120;
            showroomCodes[s] = "SR-" + (700 + s);
            SHOWROOMS_BY_CODE.put(showroomCodes[s], new Showroom(showroomCodes[s], "City " + (s % 300), f));
        }
        PlannerService svc = new PlannerService();
        SERVICE = svc;
        String[] skus = new String[CABINETS];
        String[] finishes = {"oak", "walnut", "matt-white", "gloss-grey", "sage", "navy", "ash", "cashmere"};
        for (int c = 0; c < CABINETS; c++) {
            skus[c] = "CAB-" + (120_000 + c * 3);
            svc.catalogue.put(skus[c], new Cabinet(skus[c], "Range " + (c % 40), finishes[rnd.nextInt(finishes.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);

        Random traffic = new Random(38_030_002);
        int minutes = hours * 60, perMinute = SESSIONS_PER_HOUR / 60, seq = 0;
        List<DesignSession> designing = new ArrayList<>();
        List<long[]> activeUntil = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < perMinute; k++) {
                int[] cab = new int[12 + traffic.nextInt(29)];
                for (int j = 0; j < cab.length; j++) cab[j] = traffic.nextInt(CABINETS);
                DesignSession s = new DesignSession("kd-" + Long.toHexString(0x5a000000L + seq++), "cust-" + traffic.nextInt(200_000), showroomCodes[traffic.nextInt(SHOWROOMS)], t, cab, new byte[200 + traffic.nextInt(200)]);
                svc.sessions.put(s);
                designing.add(s);
                activeUntil.add(new long[] {t + (5 + traffic.nextInt(56)) * MINUTE});
            }
            // customers still designing touch their session every 3 minutes
            for (int i = designing.size() - 1; i >= 0; i--) {
                DesignSession s = designing.get(i);
                if (t >= activeUntil.get(i)[0]) {
                    if (traffic.nextInt(100) < 30) svc.savedQuotes[(int) (svc.quotes++ % RING)] = new SavedQuote(s.sessionId, s.customerId, s.cabinetIds.length, t);
                    designing.remove(i); activeUntil.remove(i);
                    continue;
                }
                if ((t - s.createdAt) % (3 * MINUTE) == 0 && t > s.createdAt) {
                    svc.sessions.get(s.sessionId, t);
                    String key = svc.catalogue.get(skus[s.cabinetIds[0]]).sku() + "/" + s.showroomCode;
                    if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[400 + traffic.nextInt(400)], t));
                    byte[] buf = svc.renderBuffers.poll();
                    buf[seq % buf.length] = (byte) m;
                    svc.renderBuffers.add(buf);
                }
            }
            svc.stats.report(svc.sessions, t);
            svc.sessions.evictIdle(t);
        }
        designing.clear(); activeUntil.clear();
        IdleSessionCache c = svc.sessions;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hours " + hours + " showrooms " + SHOWROOMS_BY_CODE.size() + " catalogue " + svc.catalogue.size() + " opened " + seq + " sessions " + c.sessions.size() + " evicted " + c.evicted
                + " stats reports " + svc.stats.reports + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") quotes " + svc.quotes + " pool " + svc.renderBuffers.size());
        check(SHOWROOMS_BY_CODE.size() == SHOWROOMS && svc.catalogue.size() == CABINETS, "reference data / catalogue");
        check(seq == EXPECTED[stage][0], "sessions opened");
        if (FIXED) check((c.sessions.size() == EXPECTED[stage][1] && c.evicted == EXPECTED[stage][2]), "fixed: only sessions accessed in the last 30 minutes");
        else check(c.sessions.size() == seq && c.evicted == 0, "every session ever opened is still cached");
        long oldest = Long.MAX_VALUE;
        for (DesignSession s : c.sessions.values()) oldest = Math.min(oldest, s.lastAccessAt);
        check(oldest > end - 2 * MINUTE - IDLE_TIMEOUT, "every cached session accessed within the idle timeout");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.quotes > 0, "quotes");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
