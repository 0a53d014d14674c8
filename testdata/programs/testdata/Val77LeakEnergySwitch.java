// hprofscan-dump: name=val77-leak-energyswitch jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val77-leak-energyswitch-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 77 (written blind), LEAK: the web front end of an energy-tariff switching site.
 * Tariff reference data, the meter-point directory, a cache of postcode region lookups at its cap, a
 * pool of PDF render buffers, a ring of recent switch requests, the live web sessions, and a
 * crash-recovery store: on every change of a session's attributes the front end appends a snapshot
 * (a copy of the attribute map, including the ~200 KiB generated comparison report) to a list, so
 * that sessions can be restored after a crash. Sessions time out after 30 minutes of inactivity and
 * are removed from the session map, but nothing removes their snapshots, and the stale snapshots of
 * live sessions stay too. The fix keeps only the latest snapshot per session in a map and removes
 * it when the session times out or is invalidated. See VALIDATION77.md.
 */
public final class Val77LeakEnergySwitch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SESSION_TIMEOUT = 30 * MINUTE;
    static final int TARIFFS = 2_000, METER_POINTS = 22_000, REGION_CAP = 2_000, POOL = 8, RING = 1_024, SESSIONS = 120, HOURS = 10;
    static boolean FIXED;

    record Tariff(String code, String supplier, double[] halfHourlyRates) {}
    record MeterPoint(String mpan, String postcode, byte[] consumptionProfile, long registeredAt) {}
    record Region(String postcode, byte[] lookup, long at) {}
    record SwitchRequest(String requestId, String mpan, String tariffCode, long at) {}

    static final class WebSession {
        final String id; final long createdAt; long lastAccess; int version;
        final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, long createdAt) { this.id = id; this.createdAt = createdAt; this.lastAccess = createdAt; }
    }

    record SessionSnapshot(String sessionId, int version, long savedAt, Map<String, Object> attributes) {}

    static final class RecoveryStore {
        final List<SessionSnapshot> snapshots = new ArrayList<>();            // leak version: appended on every change
        final Map<String, SessionSnapshot> latestBySession = new HashMap<>(); // fixed version
        long saved, discarded;
        void save(WebSession s, long at) {
            SessionSnapshot snap = new SessionSnapshot(s.id, s.version, at, new HashMap<>(s.attributes));
            saved++;
            if (FIXED) latestBySession.put(s.id, snap);
            else snapshots.add(snap);
        }
        void sessionEnded(String id) {
            if (FIXED && latestBySession.remove(id) != null) discarded++;
            // BUG: the snapshots of the ended session stay in the list
        }
        int size() { return FIXED ? latestBySession.size() : snapshots.size(); }
    }

    static final class SessionManager {
        final Map<String, WebSession> sessions = new HashMap<>();
        long created, expired;
        void expireIdle(long at, RecoveryStore store) {
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) {
                WebSession s = it.next();
                if (s.lastAccess + SESSION_TIMEOUT <= at) { it.remove(); expired++; store.sessionEnded(s.id); }
            }
        }
    }

    static final class RegionCache extends LinkedHashMap<String, Region> {
        long evicted;
        RegionCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Region> e) { if (size() > REGION_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Tariff> TARIFFS_BY_CODE = new HashMap<>();

    static final class SwitchingFrontEnd {
        final Map<String, MeterPoint> meterPoints = new HashMap<>();
        final RegionCache regions = new RegionCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final SwitchRequest[] recentSwitches = new SwitchRequest[RING];
        long switches;
        final SessionManager sessions = new SessionManager();
        final RecoveryStore recovery = new RecoveryStore();
    }

    static SwitchingFrontEnd SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** {distinct reports held by snapshots, of which also held by a live session}. */
    static int[] countReports(SwitchingFrontEnd svc) {
        java.util.Set<Object> inSnapshots = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (SessionSnapshot s : svc.recovery.snapshots) if (s.attributes().get("comparisonReport") != null) inSnapshots.add(s.attributes().get("comparisonReport"));
        for (SessionSnapshot s : svc.recovery.latestBySession.values()) if (s.attributes().get("comparisonReport") != null) inSnapshots.add(s.attributes().get("comparisonReport"));
        int live = 0;
        for (WebSession w : svc.sessions.sessions.values()) if (inSnapshots.contains(w.attributes.get("comparisonReport"))) live++;
        return new int[] {inSnapshots.size(), live};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val77.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(77_020_001);
        String[] suppliers = {"Northgrid", "Brightwatt", "Solent Power", "Peak Energy", "Ember", "Tidewater", "Greenfold"};
        String[] tariffCodes = new String[TARIFFS];
        for (int t = 0; t < TARIFFS; t++) {
            double[] rates = new double[48];
            for (int k = 0; k < rates.length; k++) rates[k] = 0.12 + rnd.nextDouble() * 0.3;
            tariffCodes[t] = "TRF-" + (10_000 + t);
            TARIFFS_BY_CODE.put(tariffCodes[t], new Tariff(tariffCodes[t], suppliers[t % suppliers.length], rates));
        }
        SwitchingFrontEnd svc = new SwitchingFrontEnd();
        SERVICE = svc;
        String[] mpans = new String[METER_POINTS];
        for (int m = 0; m < METER_POINTS; m++) {
            mpans[m] = "MP" + (1_900_000_000L + m * 13L);
            svc.meterPoints.put(mpans[m], new MeterPoint(mpans[m], "PC" + (m % 3_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[65_536]);
        Random traffic = new Random(77_020_002);
        String[] steps = {"postcode", "usage", "compare", "choose-tariff", "details", "confirm", "payment"};
        long lastStart = end - 12 * MINUTE;
        int reports = 0, changes = 0;
        for (int n = 0; n < SESSIONS; n++) {
            long t = start + (lastStart - start) * n / SESSIONS;
            svc.sessions.expireIdle(t, svc.recovery);
            WebSession s = new WebSession(Long.toHexString(0x5e55_0000_0000L + traffic.nextInt(1 << 30)) + "-" + n, t);
            svc.sessions.sessions.put(s.id, s);
            svc.sessions.created++;
            int nChanges = 3 + traffic.nextInt(6);
            boolean reachesCompare = traffic.nextInt(10) < 7;
            for (int c = 0; c < nChanges; c++) {
                t = Math.min(t + (1 + traffic.nextInt(4)) * MINUTE, end - MINUTE); // no change after the dump
                String step = steps[Math.min(c, steps.length - 1)];
                s.attributes.put("step", step);
                if (c == 0) s.attributes.put("mpan", mpans[traffic.nextInt(METER_POINTS)]);
                if (c == 1) s.attributes.put("annualKwh", 1_800 + traffic.nextInt(4_000));
                if (c == 2 && reachesCompare || c > 2 && reachesCompare && traffic.nextInt(4) == 0) {
                    byte[] report = new byte[190_000 + traffic.nextInt(25_000)]; // generated comparison report
                    report[0] = (byte) n;
                    s.attributes.put("comparisonReport", report);
                    reports++;
                    byte[] buf = svc.pdfBuffers.poll();
                    buf[n % buf.length] = (byte) c;
                    svc.pdfBuffers.add(buf);
                }
                if (c >= 3) s.attributes.put("tariff", tariffCodes[traffic.nextInt(TARIFFS)]);
                s.version++;
                s.lastAccess = t;
                svc.recovery.save(s, t);
                changes++;
            }
            if (nChanges >= 7) {
                String mpan = (String) s.attributes.get("mpan");
                svc.recentSwitches[(int) (svc.switches++ % RING)] = new SwitchRequest("SW-" + (600_000 + n), mpan, (String) s.attributes.get("tariff"), t);
            }
            for (int q = 0; q < 150; q++) { // postcode lookups by all visitors, not only sessions that change attributes
                String pc = "PC" + traffic.nextInt(6_000);
                if (svc.regions.get(pc) == null) svc.regions.put(pc, new Region(pc, new byte[300 + traffic.nextInt(300)], t));
                if (q % 10 == 0) svc.recentSwitches[(int) (svc.switches++ % RING)] = new SwitchRequest("SW-" + (700_000 + n * 150 + q), mpans[traffic.nextInt(METER_POINTS)], tariffCodes[traffic.nextInt(TARIFFS)], t);
            }
        }
        svc.sessions.expireIdle(end, svc.recovery);
        int live = svc.sessions.sessions.size();
        RecoveryStore r = svc.recovery;
        System.out.println("reports held by snapshots " + java.util.Arrays.toString(countReports(svc)));
        System.out.println((FIXED ? "FIXED " : "") + "tariffs " + TARIFFS_BY_CODE.size() + " meterPoints " + svc.meterPoints.size() + " sessions created " + svc.sessions.created + " expired " + svc.sessions.expired + " live " + live
                + " changes " + changes + " reports " + reports + " snapshots " + r.size() + " (saved " + r.saved + ", discarded " + r.discarded + ") regions " + svc.regions.size() + " (evicted " + svc.regions.evicted + ") pool " + svc.pdfBuffers.size() + " switches " + svc.switches);
        check(TARIFFS_BY_CODE.size() == TARIFFS && svc.meterPoints.size() == METER_POINTS, "reference data / directory");
        check(svc.sessions.created == SESSIONS && live > 0 && live < 40 && svc.sessions.expired == SESSIONS - live, "sessions: " + live);
        check(r.saved == changes, "snapshot traffic");
        if (FIXED) check(r.latestBySession.size() == live && r.snapshots.isEmpty(), "fixed store: one snapshot per live session");
        else check(r.snapshots.size() == changes, "store keeps every snapshot: " + r.snapshots.size());
        check(svc.regions.size() == REGION_CAP && svc.regions.evicted > 0, "region cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.switches > RING && svc.recentSwitches[RING - 1] != null, "switch ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
