// hprofscan-dump: name=val135-healthy-sleddograces-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val135-healthy-sleddograces-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val135-healthy-sleddograces jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val135-healthy-sleddograces-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 135 (written blind), HEALTHY: the live-tracking and race-office service of a
 * long-distance sled-dog race. Trail-segment reference data, the dog register, a warm cache of
 * rendered map tiles at its cap, a pool of tile-render buffers, a ring of GPS fixes, the vet-check
 * queue with its normal backlog, and look-alikes of the set's leaks done right: the public fan API's
 * sliding-window rate limiter (a {@code ConcurrentHashMap<String, ArrayDeque<Long>>} keyed by client
 * and connection) is swept of idle keys every minute, so it plateaus at the active clients; the race
 * office's legacy audit log ({@code Hashtable<String, Vector<AuditEntry>>} per official) keeps only
 * the last 24 entries of each official, trimmed on every append. Series: 2 / 4 / 8 simulated hours.
 * See VALIDATION135.md.
 */
public final class Val135HealthySledDogRaces {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SEGMENTS = 1_000, DOGS = 20_000, TEAMS = 90, PARTNERS = 250, OFFICIALS = 300,
            TILE_CAP = 2_000, POOL = 8, RING = 8_192, AUDIT_KEEP = 24, WINDOW_LIMIT = 20;
    static final long WINDOW = MINUTE;

    static final String[] KENNELS = {"Northern Lights", "Tanana Ridge", "Birch Creek", "Ptarmigan Pass", "Spruce Hollow", "Iditarod Trail", "Yukon Bend", "Kobuk Flats"};
    static final String[] OFFICIAL_ACTIONS = {"VET_CHECK_PASSED", "DOG_DROPPED", "TIME_CORRECTED", "PENALTY_ISSUED", "MANDATORY_REST_LOGGED", "GEAR_CHECK", "BIB_REISSUED"};
    static final String[] FAN_ENDPOINTS = {"/api/v3/leaderboard", "/api/v3/teams/%s/track", "/api/v3/checkpoints", "/api/v3/teams/%s/dogs"};

    record TrailSegment(String code, String name, int lengthM, double[] elevationProfile) {}
    record Dog(String chip, String name, String kennel, String bib, byte[] vetRecord, long registeredAt) {}
    record MapTile(String key, byte[] png, long renderedAt) {}
    record PositionFix(String bib, double lat, double lon, float speedKmh, long at) {}
    record VetCheck(String bib, String checkpoint, int dogsIn, long requestedAt) {}

    /** One line of the race office's audit log (written by the old race-office application). */
    static final class AuditEntry {
        final String official; final long at; final String action; final String bib; final String detail;
        AuditEntry(String official, long at, String action, String bib, String detail) { this.official = official; this.at = at; this.action = action; this.bib = bib; this.detail = detail; }
    }

    /** The race office's audit log, JDK 1.1 style; keeps the last AUDIT_KEEP entries of each official. */
    static final class RaceOfficeAudit {
        static final Hashtable<String, Vector<AuditEntry>> byOfficial = new Hashtable<>();
        static long appended, trimmed;

        static synchronized void append(AuditEntry e) {
            Vector<AuditEntry> v = byOfficial.get(e.official);
            if (v == null) { v = new Vector<>(); byOfficial.put(e.official, v); }
            v.addElement(e);
            appended++;
            while (v.size() > AUDIT_KEEP) { v.removeElementAt(0); trimmed++; }
        }

        static synchronized int entries() {
            int n = 0;
            for (Enumeration<Vector<AuditEntry>> en = byOfficial.elements(); en.hasMoreElements();) n += en.nextElement().size();
            return n;
        }
    }

    /** Sliding-window limiter of the public fan API: 20 calls per client per minute; idle keys swept every minute. */
    static final class FanApiLimiter {
        final ConcurrentHashMap<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
        long allowed, rejected, sweeps, swept;

        boolean tryAcquire(String clientKey, long now) {
            ArrayDeque<Long> q = windows.computeIfAbsent(clientKey, k -> new ArrayDeque<>());
            synchronized (q) {
                while (!q.isEmpty() && q.peekFirst() <= now - WINDOW) q.pollFirst();
                if (q.size() >= WINDOW_LIMIT) { rejected++; return false; }
                q.addLast(now);
                allowed++;
                return true;
            }
        }

        void sweepIdle(long now) {
            sweeps++;
            for (Iterator<Map.Entry<String, ArrayDeque<Long>>> it = windows.entrySet().iterator(); it.hasNext();) {
                ArrayDeque<Long> q = it.next().getValue();
                synchronized (q) {
                    Long last = q.peekLast();
                    if (last == null || last <= now - WINDOW) { it.remove(); swept++; }
                }
            }
        }
    }

    static final class FanConnection {
        final long connId; final String clientId; final String remote; final long openedAt; long calls;
        FanConnection(long connId, String clientId, String remote, long openedAt) { this.connId = connId; this.clientId = clientId; this.remote = remote; this.openedAt = openedAt; }
        String limiterKey() { return clientId + "@" + remote + "#" + connId; }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TrailSegment> SEGMENTS_BY_CODE = new HashMap<>();

    static final class RaceService {
        final Map<String, Dog> dogs = new HashMap<>();
        final String[] chips = new String[DOGS];
        final String[] bibs = new String[TEAMS];
        final String[] officials = new String[OFFICIALS];
        final String[] checkpoints = new String[24];
        final FanApiLimiter limiter = new FanApiLimiter();
        final Map<Long, FanConnection> openConnections = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final PositionFix[] fixes = new PositionFix[RING];
        final ArrayDeque<VetCheck> vetQueue = new ArrayDeque<>();
        long nextConnId = 880_000L, fixCount, calls, tileRequests, tileRenders, connectionsOpened, connectionsClosed, vetRequested, vetDone, officeActions;

        FanConnection open(String clientId, String remote, long t) {
            FanConnection c = new FanConnection(nextConnId++, clientId, remote, t);
            openConnections.put(c.connId, c);
            connectionsOpened++;
            return c;
        }

        void close(FanConnection c) { if (openConnections.remove(c.connId) != null) connectionsClosed++; }

        void call(FanConnection c, Random r, long t) {
            calls++;
            c.calls++;
            if (!limiter.tryAcquire(c.limiterKey(), t)) return;
            if (r.nextInt(4) == 0) tile(r, t);
        }

        void tile(Random r, long t) {
            tileRequests++;
            String key = "z" + (8 + r.nextInt(4)) + "/" + r.nextInt(60) + "/" + r.nextInt(100);
            if (tiles.get(key) == null) {
                byte[] buf = renderBuffers.poll();
                buf[(int) (tileRenders % buf.length)] = (byte) key.length();
                renderBuffers.add(buf);
                tiles.put(key, new MapTile(key, new byte[400 + r.nextInt(400)], t));
                tileRenders++;
            }
        }

        void fix(int team, Random r, long t) {
            fixes[(int) (fixCount++ % RING)] = new PositionFix(bibs[team], 61.0 + r.nextDouble() * 3, -150.0 - r.nextDouble() * 12, 6f + r.nextFloat() * 10f, t);
        }

        void officeAction(Random r, long t) {
            String official = officials[r.nextInt(OFFICIALS)];
            String bib = bibs[r.nextInt(TEAMS)];
            String action = OFFICIAL_ACTIONS[r.nextInt(OFFICIAL_ACTIONS.length)];
            RaceOfficeAudit.append(new AuditEntry(official, t, action, bib, action.toLowerCase() + " bib " + bib + " at " + checkpoints[r.nextInt(checkpoints.length)] + " ref " + (9_000_000 + officeActions)));
            officeActions++;
        }

        void runVetChecks(Random r, long t) {
            while (!vetQueue.isEmpty() && vetQueue.peekFirst().requestedAt() <= t - 20 * MINUTE) {
                VetCheck v = vetQueue.pollFirst();
                vetDone++;
                RaceOfficeAudit.append(new AuditEntry(officials[r.nextInt(40)], t, "VET_CHECK_PASSED", v.bib(), "vet check " + v.checkpoint() + " bib " + v.bib() + " dogs " + v.dogsIn() + " seq " + vetDone));
            }
        }
    }

    static RaceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String remoteAddress(Random r) {
        return (20 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)) + ":" + (32_768 + r.nextInt(28_000));
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(135_010_001);
        for (int s = 0; s < SEGMENTS; s++) {
            double[] elev = new double[48];
            for (int k = 0; k < elev.length; k++) elev[k] = 100 + rnd.nextDouble() * 900;
            String code = "SEG-" + (4_000 + s);
            SEGMENTS_BY_CODE.put(code, new TrailSegment(code, "Trail segment " + s, 500 + rnd.nextInt(9_500), elev));
        }
        RaceService svc = new RaceService();
        SERVICE = svc;
        for (int b = 0; b < TEAMS; b++) svc.bibs[b] = "BIB-" + (b + 1);
        for (int o = 0; o < OFFICIALS; o++) svc.officials[o] = (o < 40 ? "vet." : o < 120 ? "checker." : "official.") + (7_100 + o);
        for (int c = 0; c < svc.checkpoints.length; c++) svc.checkpoints[c] = "CP" + (c + 1);
        for (int i = 0; i < DOGS; i++) {
            svc.chips[i] = "985112" + (300_000_000 + i * 7L);
            svc.dogs.put(svc.chips[i], new Dog(svc.chips[i], "Dog " + i, KENNELS[rnd.nextInt(KENNELS.length)], svc.bibs[i % TEAMS], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random partnersR = new Random(135_010_002), fans = new Random(135_010_003), track = new Random(135_010_004), office = new Random(135_010_005), vets = new Random(135_010_006);
        FanConnection[] partners = new FanConnection[PARTNERS];
        for (int p = 0; p < PARTNERS; p++) partners[p] = svc.open("partner-" + (300 + p), remoteAddress(partnersR), start);
        int seconds = hours * 3_600;
        for (int s = 0; s < seconds; s++) {
            long t = start + s * SECOND;
            if (s % 60 == 0 && s > 0) svc.limiter.sweepIdle(t);
            if (s % 300 == 0) svc.runVetChecks(vets, t);
            // partners (newsrooms, the race app's backend) poll every 30 s on their long-lived connections
            for (int p = (30 - s % 30) % 30; p < PARTNERS; p += 30) svc.call(partners[p], partnersR, t + (p * 37L) % 1_000);
            // fans: ~3,000 short connections an hour, 1-5 calls each; 2% are scrapers with 40 calls in 10 s
            if (fans.nextInt(6) < 5) {
                FanConnection c = svc.open("fan-" + fans.nextInt(50_000), remoteAddress(fans), t);
                int n = fans.nextInt(50) == 0 ? 40 : 1 + fans.nextInt(5);
                for (int k = 0; k < n; k++) svc.call(c, fans, t + k * 250L);
                svc.close(c);
            }
            // GPS trackers: each team every 60 s
            for (int b = (60 - s % 60) % 60; b < TEAMS; b += 60) svc.fix(b, track, t + 500);
            // race office and checkpoints
            if (office.nextInt(6) < 5) svc.officeAction(office, t + 100);
            if (office.nextInt(8) == 0) { svc.vetQueue.addLast(new VetCheck(svc.bibs[office.nextInt(TEAMS)], svc.checkpoints[office.nextInt(svc.checkpoints.length)], 8 + office.nextInt(7), t)); svc.vetRequested++; }
        }
    }

    static final long[][] EXPECTED = {
        // keys, rejected, audit entries, vet backlog, tiles evicted, fixes
        {0, 0, 0, 0, 0, 0},
        {348, 2_660, 6_022, 181, 16_508, 10_800},
        {350, 4_920, 7_200, 181, 34_773, 21_600},
        {345, 10_340, 7_200, 182, 71_484, 43_200},
    };

    static void report(int stage, int hours) {
        RaceService svc = SERVICE;
        int keys = svc.limiter.windows.size();
        int audit = RaceOfficeAudit.entries();
        System.out.println("stage " + stage + " (" + hours + " h) segments " + SEGMENTS_BY_CODE.size() + " dogs " + svc.dogs.size() + " calls " + svc.calls + " allowed " + svc.limiter.allowed + " rejected " + svc.limiter.rejected
                + " limiter keys " + keys + " (sweeps " + svc.limiter.sweeps + ", swept " + svc.limiter.swept + ") connections opened " + svc.connectionsOpened + " open " + svc.openConnections.size());
        System.out.println("  audit officials " + RaceOfficeAudit.byOfficial.size() + " entries " + audit + " (appended " + RaceOfficeAudit.appended + ", trimmed " + RaceOfficeAudit.trimmed + ") vet " + svc.vetRequested + " requested, " + svc.vetDone + " done, backlog " + svc.vetQueue.size()
                + " tiles " + svc.tiles.size() + " (requests " + svc.tileRequests + ", evicted " + svc.tiles.evicted + ") fixes " + svc.fixCount + " pool " + svc.renderBuffers.size());
        check(SEGMENTS_BY_CODE.size() == SEGMENTS && svc.dogs.size() == DOGS, "reference data / directory");
        check(svc.openConnections.size() == PARTNERS, "open connections = partners");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.fixCount == (long) hours * 3_600 / 60 * TEAMS, "fixes");
        long[] e = EXPECTED[stage];
        long[] got = {keys, svc.limiter.rejected, audit, svc.vetQueue.size(), svc.tiles.evicted, svc.fixCount};
        for (int k = 0; k < e.length; k++) check(e[k] < 0 || e[k] == got[k], "count " + k + ": " + got[k] + " (expected " + e[k] + ")");
        for (Enumeration<Vector<AuditEntry>> en = RaceOfficeAudit.byOfficial.elements(); en.hasMoreElements();) check(en.nextElement().size() <= AUDIT_KEEP, "audit trimmed");
    }

    public static void main(String[] args) throws Exception {
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
}
