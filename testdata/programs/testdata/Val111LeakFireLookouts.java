// hprofscan-dump: name=val111-leak-firelookouts jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val111-leak-firelookouts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;

/**
 * Validation set 111 (written blind), LEAK: the dispatch dashboard of a wildfire lookout-tower network
 * (lookouts report smoke, dispatchers watch the live map). Tower reference data, the incident
 * directory, a cache of rendered map tiles at its cap, a pool of render buffers, a ring of smoke
 * sightings, the open dashboard sessions. Each session keeps its own cache of map tiles and, when it
 * opens, registers a listener on the JVM's memory MXBean (the platform MBean java.lang:type=Memory,
 * through NotificationEmitter.addNotificationListener) so that it drops its tiles when a heap usage
 * threshold is crossed. Logging out removes the listener; a session that times out is removed by the
 * idle reaper, which forgets the listener: the MXBean's listener list keeps every expired session.
 * See VALIDATION111.md.
 */
public final class Val111LeakFireLookouts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int TOWERS = 1_000, INCIDENTS = 20_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int HOURS = 10, SESSIONS_PER_HOUR = 1_200, SIGHTINGS_PER_HOUR = 3_000, TILES_PER_SESSION = 3;
    static final int EXPECTED_EXPIRED = 4_182, EXPECTED_OPEN = 1_450;
    static boolean FIXED;

    record Tower(String code, String name, int elevationM, double[] visibilityByAzimuth) {}
    record Incident(String number, String towerCode, String cause, byte[] perimeterSummary, long reportedAt) {}
    record Tile(String key, byte[] rendered, long at) {}
    record Sighting(long seq, String towerCode, String observer, int azimuthDeg, int distanceKm, long at) {}

    static final class DashboardSession {
        final String sessionId; final String userId; final String role; final long openedAt; long lastActiveAt;
        byte[] tileCache; MemoryPressureListener listener; int tilesDropped;
        DashboardSession(String sessionId, String userId, String role, long openedAt, byte[] tileCache) {
            this.sessionId = sessionId; this.userId = userId; this.role = role; this.openedAt = openedAt; this.lastActiveAt = openedAt; this.tileCache = tileCache;
        }
    }

    /** Drops the session's tile cache when the heap crosses a usage threshold. */
    static final class MemoryPressureListener implements NotificationListener {
        final DashboardSession session;
        MemoryPressureListener(DashboardSession session) { this.session = session; }
        @Override public void handleNotification(Notification n, Object handback) {
            session.tileCache = new byte[0];
            session.tilesDropped++;
        }
    }

    /** The ops alarm: one listener for the process, registered at startup. */
    static final class OpsHeapAlarm implements NotificationListener {
        long alarms;
        @Override public void handleNotification(Notification n, Object handback) { alarms++; }
    }

    static final NotificationFilter HEAP_THRESHOLDS = n -> MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())
            || MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType());

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Tower> TOWERS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final NotificationEmitter memoryBean = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        final OpsHeapAlarm alarm = new OpsHeapAlarm();
        final Map<String, Incident> incidents = new HashMap<>();
        final String[] incidentNumbers = new String[INCIDENTS];
        final String[] towerCodes = new String[TOWERS];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Sighting[] sightings = new Sighting[RING];
        final Map<String, DashboardSession> sessions = new HashMap<>();
        long sightingCount, opened, loggedOut, expired, listenersAdded, listenersRemoved, tileRequests;

        void openSession(Random r, long t, int n) {
            DashboardSession s = new DashboardSession("ds-" + Long.toHexString(0x3e10_0000L + n * 7L), "U" + (40_000 + r.nextInt(3_000)), r.nextInt(5) == 0 ? "lookout" : "dispatcher", t, new byte[1_024 + r.nextInt(2_048)]);
            s.listener = new MemoryPressureListener(s);
            memoryBean.addNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
            listenersAdded++;
            sessions.put(s.sessionId, s);
            opened++;
            for (int k = 0; k < TILES_PER_SESSION; k++) {
                tileRequests++;
                String key = "7/" + (20 + r.nextInt(60)) + "/" + (40 + r.nextInt(100));
                if (tiles.get(key) == null) tiles.put(key, new Tile(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = renderBuffers.poll();
                buf[(int) (tileRequests % buf.length)] = (byte) key.length();
                renderBuffers.add(buf);
            }
        }

        void logout(String sessionId, long t) throws ListenerNotFoundException {
            DashboardSession s = sessions.remove(sessionId);
            s.lastActiveAt = t;
            memoryBean.removeNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
            listenersRemoved++;
            loggedOut++;
        }

        /** The idle reaper: forgets a session 30 minutes after its last activity. */
        void expire(String sessionId) throws ListenerNotFoundException {
            DashboardSession s = sessions.remove(sessionId);
            expired++;
            if (FIXED) { memoryBean.removeNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId); listenersRemoved++; }
            // BUG: the reaper never removes the session's listener from the memory MXBean
        }

        void sighting(Random r, long t) {
            sightings[(int) (sightingCount % RING)] = new Sighting(sightingCount, towerCodes[r.nextInt(TOWERS)], "obs-" + r.nextInt(400), r.nextInt(360), 1 + r.nextInt(60), t);
            sightingCount++;
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** A session end: at time {@code at}, logout (true) or idle expiry (false). */
    record SessionEnd(long at, String sessionId, boolean logout) {}

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(111_040_001);
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int k = 0; k < TOWERS; k++) {
            double[] vis = new double[72];
            for (int a = 0; a < vis.length; a++) vis[a] = 5 + rnd.nextDouble() * 80;
            svc.towerCodes[k] = "LO-" + (2_000 + k);
            TOWERS_BY_CODE.put(svc.towerCodes[k], new Tower(svc.towerCodes[k], "Lookout " + k, 600 + rnd.nextInt(2_800), vis));
        }
        String[] causes = {"lightning", "campfire", "equipment", "debris burning", "powerline", "undetermined"};
        for (int i = 0; i < INCIDENTS; i++) {
            svc.incidentNumbers[i] = "INC-" + (2_100_000 + i * 3);
            svc.incidents.put(svc.incidentNumbers[i], new Incident(svc.incidentNumbers[i], svc.towerCodes[rnd.nextInt(TOWERS)], causes[rnd.nextInt(causes.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        svc.memoryBean.addNotificationListener(svc.alarm, HEAP_THRESHOLDS, "ops");
        Random traffic = new Random(111_040_002), sightings = new Random(111_040_003);
        PriorityQueue<SessionEnd> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int sessions = SESSIONS_PER_HOUR * HOURS, sightingTotal = SIGHTINGS_PER_HOUR * HOURS;
        int nextSighting = 0;
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / sessions;
            while (!ends.isEmpty() && ends.peek().at() <= t) {
                SessionEnd e = ends.poll();
                if (e.logout()) svc.logout(e.sessionId(), e.at()); else svc.expire(e.sessionId());
            }
            while (nextSighting < sightingTotal && start + (end - 2 * MINUTE - start) * nextSighting / sightingTotal <= t) {
                svc.sighting(sightings, start + (end - 2 * MINUTE - start) * nextSighting / sightingTotal);
                nextSighting++;
            }
            svc.openSession(traffic, t, i);
            long active = (5 + traffic.nextInt(116)) * MINUTE;
            boolean logout = traffic.nextInt(10) < 6;
            String id = "ds-" + Long.toHexString(0x3e10_0000L + i * 7L);
            svc.sessions.get(id).lastActiveAt = Math.min(t + active, end);
            ends.add(new SessionEnd(logout ? t + active : t + active + IDLE_TIMEOUT, id, logout));
        }
        while (!ends.isEmpty() && ends.peek().at() <= end) {
            SessionEnd e = ends.poll();
            if (e.logout()) svc.logout(e.sessionId(), e.at()); else svc.expire(e.sessionId());
        }
        while (nextSighting < sightingTotal) {
            svc.sighting(sightings, start + (end - 2 * MINUTE - start) * nextSighting / sightingTotal);
            nextSighting++;
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            FIXED = Boolean.getBoolean("val111.fixed");
            simulate();
            DispatchService svc = SERVICE;
            long registered = svc.listenersAdded - svc.listenersRemoved;
            System.out.println((FIXED ? "FIXED " : "") + "towers " + TOWERS_BY_CODE.size() + " incidents " + svc.incidents.size() + " sessions opened " + svc.opened + " logged out " + svc.loggedOut + " expired " + svc.expired + " open " + svc.sessions.size()
                    + " listeners +" + svc.listenersAdded + " -" + svc.listenersRemoved + " registered (sessions) " + registered + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.renderBuffers.size() + " sightings " + svc.sightingCount);
            check(TOWERS_BY_CODE.size() == TOWERS && svc.incidents.size() == INCIDENTS, "reference data / directory");
            check(svc.opened == (long) SESSIONS_PER_HOUR * HOURS && svc.expired == EXPECTED_EXPIRED && svc.sessions.size() == EXPECTED_OPEN && svc.loggedOut + svc.expired + svc.sessions.size() == svc.opened, "sessions");
            check(svc.listenersAdded == svc.opened && registered == (FIXED ? EXPECTED_OPEN : EXPECTED_OPEN + EXPECTED_EXPIRED), "session listeners on the memory MXBean");
            check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
            check(svc.renderBuffers.size() == POOL, "pool");
            check(svc.sightingCount == (long) SIGHTINGS_PER_HOUR * HOURS && svc.sightings[RING - 1] != null, "sightings ring full");
            svc = null;
            LeakCheck.histogram("NotificationEmitterSupport");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
