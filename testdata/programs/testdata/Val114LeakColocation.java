// hprofscan-dump: name=val114-leak-colocation-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val114-leak-colocation-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val114-leak-colocation jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val114-leak-colocation-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 114 (written blind), LEAK: the physical access-control service of a colocation
 * data-centre operator (badge readers on the halls, cages and racks of its sites). Site reference
 * data, the badge directory, the reader directory, a cache of rendered floor plans at its cap, a
 * pool of camera snapshot buffers, a ring of recent swipes, the visitor-escort queue with its
 * normal backlog, and the access audit: every door request (granted or denied) is appended to a
 * static history that a housekeeping job is meant to trim to the last 10,000 records every
 * 5 minutes. The trim copies the history first (so the compliance export can keep iterating) and
 * then trims the copy, which is thrown away: the history keeps every record since start. A growth
 * series: 2, 4 and 8 simulated hours. See VALIDATION114.md.
 */
public final class Val114LeakColocation {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TRIM_EVERY = 5 * MINUTE, ESCORT_SLA = 20 * MINUTE;
    static final int SITES = 600, BADGES = 16_000, READERS = 3_000, COMPANIES = 240, PLAN_CAP = 1_500, POOL = 8, RING = 8_192, SWIPES_PER_HOUR = 10_000;
    static boolean FIXED;

    static final String[] DENIALS = {"badge expired", "no permission for this cage", "anti-passback violation", "PIN mismatch", "outside permitted hours", "escort required"};
    static final String[] METHODS = {"badge", "badge+PIN", "badge+palm vein"};
    static final String[] CITIES = {"London", "Frankfurt", "Amsterdam", "Paris", "Dublin", "Madrid", "Milan", "Stockholm", "Warsaw", "Zurich"};

    record Site(String code, String city, double[] powerKwByQuarterHour) {}
    record Badge(String badgeNo, String holder, String company, byte[] permissions, long issuedAt, long expiresAt) {}
    record Reader(String readerId, String siteCode, String door, String firmware) {}
    record FloorPlan(String key, byte[] svg, long at) {}
    record Swipe(String badgeNo, String readerId, long at, boolean granted) {}
    record EscortRequest(String visitor, String hostBadge, String siteCode, long at) {}
    record AuditRecord(long at, String requestId, String badgeNo, String readerId, boolean granted, String reason, String detail) {}

    /** The access audit, read by the compliance export. */
    static final class AccessAudit {
        static final List<AuditRecord> HISTORY = new ArrayList<>();
        static final int MAX_HISTORY = 10_000;
        static long appended, trims, lastTrimmedTo;

        static synchronized void record(AuditRecord r) {
            HISTORY.add(r);
            appended++;
        }

        /** Housekeeping, every 5 minutes: keep the last 10,000 records. */
        static synchronized void trim() {
            trims++;
            if (FIXED) {
                if (HISTORY.size() > MAX_HISTORY) HISTORY.subList(0, HISTORY.size() - MAX_HISTORY).clear();
                lastTrimmedTo = HISTORY.size();
                return;
            }
            // BUG: copies the history "so the export can keep iterating", trims the copy and drops it
            List<AuditRecord> retained = new ArrayList<>(HISTORY);
            if (retained.size() > MAX_HISTORY) retained.subList(0, retained.size() - MAX_HISTORY).clear();
            lastTrimmedTo = retained.size();
        }
    }

    static final class FloorPlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        FloorPlanCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class AccessService {
        final Map<String, Badge> badges = new HashMap<>();
        final String[] badgeNos = new String[BADGES];
        final Map<String, Reader> readers = new HashMap<>();
        final String[] readerIds = new String[READERS];
        final FloorPlanCache floorPlans = new FloorPlanCache();
        final ArrayDeque<byte[]> cameraBuffers = new ArrayDeque<>();
        final Swipe[] recentSwipes = new Swipe[RING];
        final ArrayDeque<EscortRequest> escorts = new ArrayDeque<>();
        long requests, granted, denied, snapshots, escortsRequested, escortsClosed, requestSeq = 0x5A_0000L;

        void request(Random r, long t) {
            Badge b = badges.get(badgeNos[r.nextInt(BADGES)]);
            Reader reader = readers.get(readerIds[r.nextInt(READERS)]);
            boolean ok = r.nextInt(100) < 93;
            String reason = ok ? "ok" : DENIALS[r.nextInt(DENIALS.length)];
            String method = METHODS[r.nextInt(METHODS.length)];
            String requestId = "acr-" + Long.toHexString(requestSeq++);
            String detail = reader.siteCode() + " " + reader.door() + " " + (ok ? "granted" : "denied (" + reason + ")") + " via " + method + " for " + b.holder();
            AccessAudit.record(new AuditRecord(t, requestId, b.badgeNo(), reader.readerId(), ok, reason, detail));
            recentSwipes[(int) (requests++ % RING)] = new Swipe(b.badgeNo(), reader.readerId(), t, ok);
            if (ok) granted++; else denied++;
            if (!ok || r.nextInt(100) < 5) {
                byte[] buf = cameraBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) t;
                cameraBuffers.add(buf);
                snapshots++;
            }
            if (r.nextInt(100) < 20) {
                String key = reader.siteCode() + "/level-" + r.nextInt(4) + "/zone-" + r.nextInt(12);
                if (floorPlans.get(key) == null) floorPlans.put(key, new FloorPlan(key, new byte[800 + r.nextInt(800)], t));
            }
            if (r.nextInt(100) == 0) {
                escorts.add(new EscortRequest("Visitor " + Long.toHexString(requestSeq), b.badgeNo(), reader.siteCode(), t));
                escortsRequested++;
            }
            while (!escorts.isEmpty() && escorts.peek().at() <= t - ESCORT_SLA) { escorts.poll(); escortsClosed++; }
        }
    }

    static AccessService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(114_020_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] quarterHours = new double[96];
            for (int k = 0; k < quarterHours.length; k++) quarterHours[k] = 200 + rnd.nextDouble() * 1_800;
            siteCodes[s] = CITIES[s % CITIES.length].substring(0, 2).toUpperCase() + (s / CITIES.length + 1);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], CITIES[s % CITIES.length], quarterHours));
        }
        AccessService svc = new AccessService();
        SERVICE = svc;
        String[] companies = new String[COMPANIES];
        for (int c = 0; c < COMPANIES; c++) companies[c] = "Customer " + (char) ('A' + c % 26) + (c / 26) + " Ltd";
        for (int i = 0; i < BADGES; i++) {
            svc.badgeNos[i] = "BDG-" + (100_000 + i * 11);
            long issued = now - (long) (1 + rnd.nextInt(700)) * DAY;
            svc.badges.put(svc.badgeNos[i], new Badge(svc.badgeNos[i], "Holder " + i, companies[rnd.nextInt(COMPANIES)], new byte[150 + rnd.nextInt(150)], issued, issued + 730 * DAY));
        }
        for (int i = 0; i < READERS; i++) {
            svc.readerIds[i] = "RDR-" + (7_000 + i);
            String site = siteCodes[rnd.nextInt(SITES)];
            String door = rnd.nextInt(3) == 0 ? "hall-" + (1 + rnd.nextInt(6)) : "cage-" + (1 + rnd.nextInt(40)) + "/rack-" + (1 + rnd.nextInt(30));
            svc.readers.put(svc.readerIds[i], new Reader(svc.readerIds[i], site, door, rnd.nextBoolean() ? "3.1.4" : "3.2.0"));
        }
        for (int b = 0; b < POOL; b++) svc.cameraBuffers.add(new byte[32_768]);
        Random traffic = new Random(114_020_002);
        int requests = hours * SWIPES_PER_HOUR;
        long nextTrim = start + TRIM_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTrim <= t) { AccessAudit.trim(); nextTrim += TRIM_EVERY; }
            svc.request(traffic, t);
        }
    }

    static void verify(int stage, int hours) {
        AccessService svc = SERVICE;
        int requests = hours * SWIPES_PER_HOUR;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " sites " + SITES_BY_CODE.size() + " badges " + svc.badges.size() + " readers " + svc.readers.size()
                + " requests " + svc.requests + " (granted " + svc.granted + ", denied " + svc.denied + ") audit history " + AccessAudit.HISTORY.size() + " (appended " + AccessAudit.appended
                + ", trims " + AccessAudit.trims + ", last trimmed to " + AccessAudit.lastTrimmedTo + ") floor plans " + svc.floorPlans.size() + " (evicted " + svc.floorPlans.evicted + ")"
                + " snapshots " + svc.snapshots + " pool " + svc.cameraBuffers.size() + " escorts " + svc.escortsRequested + "/" + svc.escortsClosed + " backlog " + svc.escorts.size());
        check(SITES_BY_CODE.size() == SITES && svc.badges.size() == BADGES && svc.readers.size() == READERS, "reference data / directories");
        check(svc.requests == requests && AccessAudit.appended == requests && AccessAudit.trims == hours * 12L - 1, "traffic");
        if (FIXED) check(AccessAudit.HISTORY.size() <= AccessAudit.MAX_HISTORY + SWIPES_PER_HOUR / 12, "fixed: the last 10,000 records and those since the last trim");
        else check(AccessAudit.HISTORY.size() == requests && AccessAudit.lastTrimmedTo == AccessAudit.MAX_HISTORY, "every record since start");
        check(svc.floorPlans.size() == PLAN_CAP && svc.floorPlans.evicted > 0, "floor-plan cache at cap");
        check(svc.cameraBuffers.size() == POOL, "pool");
        check(svc.recentSwipes[RING - 1] != null, "ring");
        check(svc.escorts.size() > 0 && svc.escorts.size() < 200 && svc.escortsRequested == svc.escortsClosed + svc.escorts.size(), "escort backlog");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        FIXED = Boolean.getBoolean("val114.fixed");
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
