// hprofscan-dump: name=val45-leak-lacemakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val45-leak-lacemakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
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

/**
 * Validation set 45 (written blind), LEAK: the customer portal of a lace-making pattern shop
 * (lacemakers). Pattern reference data, the customer directory, a cache of rendered pattern
 * previews at its cap, a pool of pricking-render buffers, a ring of page views, the session store
 * (sessions expire after 30 idle minutes and are swept every minute, as they should), and an
 * "online users" index: user id -> list of that user's sessions (session id, device, login time,
 * push token) used to notify a user on all their devices. Logout removes the session from the
 * index; expiry removes it only from the session store, so every expired session stays in its
 * user's list forever. See VALIDATION45.md.
 */
public final class Val45LeakLacemakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int PATTERNS = 1_000, CUSTOMERS = 20_000, REGULARS = 2_500, PREVIEW_CAP = 2_000, POOL = 8, RING = 16_384, LOGINS_PER_HOUR = 3_000, HOURS = 10;
    static final String[] DEVICES = {"web-desktop", "web-mobile", "ios-app", "android-app", "tablet"};
    static boolean FIXED;

    record LacePattern(String code, String style, double[] prickingDensity) {}
    record Customer(String userId, String displayName, byte[] profile, long joinedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record PageView(String userId, String path, long at) {}
    record IndexEntry(String sessionId, String device, long loginAt, byte[] pushToken) {}

    static final class Session {
        final String sessionId, userId; final long loginAt; long lastSeen; final byte[] attributes;
        Session(String sessionId, String userId, long loginAt, byte[] attributes) { this.sessionId = sessionId; this.userId = userId; this.loginAt = loginAt; this.lastSeen = loginAt; this.attributes = attributes; }
    }

    static final class SessionStore {
        final Map<String, Session> sessions = new HashMap<>();
        long created, loggedOut, expired;
    }

    /** user id -> that user's sessions, for "notify on all devices". */
    static final class OnlineIndex {
        final Map<String, List<IndexEntry>> byUser = new HashMap<>();
        void add(String userId, IndexEntry e) {
            List<IndexEntry> l = byUser.get(userId);
            if (l == null) { l = new ArrayList<>(2); byUser.put(userId, l); }
            l.add(e);
        }
        void remove(String userId, String sessionId) {
            List<IndexEntry> l = byUser.get(userId);
            if (l == null) return;
            for (Iterator<IndexEntry> it = l.iterator(); it.hasNext(); ) if (it.next().sessionId().equals(sessionId)) { it.remove(); break; }
            if (l.isEmpty()) byUser.remove(userId);
        }
        int entries() { int n = 0; for (List<IndexEntry> l : byUser.values()) n += l.size(); return n; }
    }

    /** The end of a session's activity: its last request, then either an explicit logout or silence. */
    record Activity(long at, long seq, Session session, boolean logout) implements Comparable<Activity> {
        public int compareTo(Activity o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LacePattern> PATTERNS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Customer> customers = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final PageView[] views = new PageView[RING];
        long viewsWritten;
        final SessionStore store = new SessionStore();
        final OnlineIndex online = new OnlineIndex();

        void logout(Session s) {
            store.sessions.remove(s.sessionId);
            store.loggedOut++;
            online.remove(s.userId, s.sessionId);
        }
        /** Runs every minute: drops sessions idle for 30 minutes. */
        void sweep(long now) {
            for (Iterator<Session> it = store.sessions.values().iterator(); it.hasNext(); ) {
                Session s = it.next();
                if (s.lastSeen + IDLE_TIMEOUT <= now) {
                    it.remove();
                    store.expired++;
                    if (FIXED) online.remove(s.userId, s.sessionId);
                    // BUG: the expired session's entry stays in online.byUser (only logout removes it)
                }
            }
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(long now) {
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(45_030_001);
        String[] styles = {"torchon", "bucks point", "honiton", "bruges", "milanese", "cluny"};
        for (int p = 0; p < PATTERNS; p++) {
            double[] density = new double[80];
            for (int k = 0; k < density.length; k++) density[k] = rnd.nextDouble() * 40;
            String code = "LP-" + (20_000 + p);
            PATTERNS_BY_CODE.put(code, new LacePattern(code, styles[p % styles.length], density));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] userIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            userIds[c] = "U" + (3_100_000 + c * 3);
            svc.customers.put(userIds[c], new Customer(userIds[c], "Lacemaker " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(45_030_002);
        PriorityQueue<Activity> pending = new PriorityQueue<>();
        long seq = 0;
        int logins = LOGINS_PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < logins; i++) {
            long t = start + (end - MINUTE - start) * i / logins;
            while (true) { // activities and sweeps up to t, in time order
                long nextActivity = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
                if (nextActivity <= t && nextActivity < nextSweep) {
                    Activity a = pending.poll();
                    a.session().lastSeen = a.at();
                    svc.views[(int) (svc.viewsWritten++ % RING)] = new PageView(a.session().userId, "/account/orders", a.at());
                    if (a.logout()) svc.logout(a.session());
                } else if (nextSweep <= t) {
                    svc.sweep(nextSweep);
                    nextSweep += MINUTE;
                } else break;
            }
            String user = traffic.nextInt(10) < 7 ? userIds[traffic.nextInt(REGULARS)] : userIds[traffic.nextInt(CUSTOMERS)];
            String sessionId = Long.toHexString(0x5e55_0000_0000L + i * 7_919L) + "-" + Integer.toHexString(traffic.nextInt(1 << 20));
            Session s = new Session(sessionId, user, t, new byte[100 + traffic.nextInt(100)]);
            svc.store.sessions.put(sessionId, s);
            svc.store.created++;
            svc.online.add(user, new IndexEntry(sessionId, DEVICES[traffic.nextInt(DEVICES.length)], t, new byte[32 + traffic.nextInt(32)]));
            svc.views[(int) (svc.viewsWritten++ % RING)] = new PageView(user, "/patterns", t);
            pending.add(new Activity(t + (2 + traffic.nextInt(24)) * MINUTE + traffic.nextInt(60) * 1_000L, seq++, s, traffic.nextInt(4) == 0));
            String key = "preview-" + traffic.nextInt(4_000);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        while (true) { // up to the start of the current minute
            long nextActivity = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
            if (nextActivity < end && nextActivity < nextSweep) {
                Activity a = pending.poll();
                a.session().lastSeen = a.at();
                svc.views[(int) (svc.viewsWritten++ % RING)] = new PageView(a.session().userId, "/account/orders", a.at());
                if (a.logout()) svc.logout(a.session());
            } else if (nextSweep <= end) {
                svc.sweep(nextSweep);
                nextSweep += MINUTE;
            } else break;
        }
        // sessions still active at the dump keep their pending activity only in this (discarded) queue
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val45.fixed");
        run(System.currentTimeMillis());
        PortalService svc = SERVICE;
        SessionStore st = svc.store;
        int entries = svc.online.entries(), maxList = 0, liveInIndex = 0;
        for (List<IndexEntry> l : svc.online.byUser.values()) {
            maxList = Math.max(maxList, l.size());
            for (IndexEntry e : l) if (st.sessions.containsKey(e.sessionId())) liveInIndex++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "patterns " + PATTERNS_BY_CODE.size() + " customers " + svc.customers.size() + " sessions created " + st.created + " live " + st.sessions.size() + " logged out " + st.loggedOut + " expired " + st.expired
                + " online users " + svc.online.byUser.size() + " index entries " + entries + " (live " + liveInIndex + ", longest list " + maxList + ") previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.renderBuffers.size() + " views " + svc.viewsWritten);
        check(PATTERNS_BY_CODE.size() == PATTERNS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(st.created == (long) LOGINS_PER_HOUR * HOURS && st.created == st.sessions.size() + st.loggedOut + st.expired && liveInIndex == st.sessions.size(), "sessions");
        if (FIXED) check(entries == st.sessions.size(), "fixed: the index holds live sessions only");
        else check(entries == st.created - st.loggedOut, "every expired session stays indexed: " + entries);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.viewsWritten > RING && svc.views[RING - 1] != null, "ring");
        svc = null; st = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
