// hprofscan-dump: name=val83-leak-bincollection-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val83-leak-bincollection-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val83-leak-bincollection jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val83-leak-bincollection-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
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
 * Validation set 83 (written blind), LEAK: the back-office web application of a council's
 * waste-collection service (rounds, crews, missed-bin reports). Round reference data, the property
 * directory, a cache of rendered route maps at its cap, a pool of PDF-export buffers, a ring of
 * missed-bin reports, and the HTTP sessions of the 120 staff accounts (dispatchers, call-centre
 * agents, supervisors). Sessions expire after 30 idle minutes, but staff stay logged in all shift
 * and use the application continuously (and the dashboard polls every 5 minutes), so none ever expires. Each session keeps every page it
 * rendered in a "back-button cache" (StaffSession.backCache, an ArrayList) so that Back re-shows the
 * page without re-querying; nothing ever trims it, so it grows with every page view for as long as
 * the session lives. See VALIDATION83.md.
 */
public final class Val83LeakBinCollection {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int ROUNDS = 1_200, PROPERTIES = 25_000, MAP_CAP = 2_000, POOL = 8, RING = 2_048, STAFF = 120, VIEWS_PER_HOUR = 3_000, BACK_CAP = 10;
    static boolean FIXED;

    record Round(String code, String depot, String binType, double[] weeklyTonnage) {}
    record Property(String uprn, String roundCode, String address, byte[] accessNotes, long registeredAt) {}
    record RouteMap(String key, byte[] rendered, long at) {}
    record MissedBin(String uprn, String binType, String reportedBy, long reportedAt) {}
    record RenderedPage(String path, long renderedAt, byte[] html) {}

    /** One logged-in staff account's HTTP session. */
    static final class StaffSession {
        final String sessionId, staffId, role;
        final long loginAt;
        long lastSeen, views;
        final Map<String, Object> attributes = new HashMap<>();
        /** Back-button cache: the pages this session rendered, so Back does not re-query. */
        final List<RenderedPage> backCache = new ArrayList<>();
        StaffSession(String sessionId, String staffId, String role, long loginAt) {
            this.sessionId = sessionId; this.staffId = staffId; this.role = role; this.loginAt = loginAt; this.lastSeen = loginAt;
        }
        void remember(RenderedPage page) {
            backCache.add(page);
            // BUG: never trimmed. The fix keeps only the last BACK_CAP pages.
            if (FIXED && backCache.size() > BACK_CAP) backCache.remove(0);
        }
    }

    static final class RouteMapCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        RouteMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Round> ROUNDS_BY_CODE = new HashMap<>();

    static final class BackOffice {
        final Map<String, Property> properties = new HashMap<>();
        final Map<String, StaffSession> sessions = new HashMap<>();
        final RouteMapCache routeMaps = new RouteMapCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final MissedBin[] missed = new MissedBin[RING];
        long missedReports, expiredSessions, sweeps;
        void sweep(long now) {
            sweeps++;
            for (Iterator<StaffSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastSeen > IDLE_TIMEOUT) { it.remove(); expiredSessions++; }
            }
        }
    }

    static BackOffice SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val83.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(83_010_001);
        String[] depots = {"North Depot", "Riverside Depot", "Eastfield Depot", "Southgate Depot"};
        String[] binTypes = {"REFUSE", "RECYCLING", "GARDEN", "FOOD"};
        String[] roundCodes = new String[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double[] tonnage = new double[64];
            for (int k = 0; k < tonnage.length; k++) tonnage[k] = 4 + rnd.nextDouble() * 9;
            roundCodes[r] = "RND-" + binTypes[r % 4].charAt(0) + (3_000 + r);
            ROUNDS_BY_CODE.put(roundCodes[r], new Round(roundCodes[r], depots[r % depots.length], binTypes[r % 4], tonnage));
        }
        BackOffice svc = new BackOffice();
        SERVICE = svc;
        String[] uprns = new String[PROPERTIES];
        for (int p = 0; p < PROPERTIES; p++) {
            uprns[p] = Long.toString(100_023_000_000L + p * 37L);
            svc.properties.put(uprns[p], new Property(uprns[p], roundCodes[rnd.nextInt(ROUNDS)], (1 + rnd.nextInt(220)) + " " + (char) ('A' + rnd.nextInt(26)) + "ill Road", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        String[] roles = {"dispatcher", "call-centre", "supervisor"};
        StaffSession[] staff = new StaffSession[STAFF];
        for (int s = 0; s < STAFF; s++) {
            String sid = Long.toHexString(0x5e55_0000_0000L + s * 7_919L);
            staff[s] = new StaffSession(sid, "staff-" + (400 + s), roles[s % 3], start - rnd.nextInt(20) * MINUTE);
            staff[s].attributes.put("locale", "en-GB");
            staff[s].attributes.put("depot", depots[s % depots.length]);
            staff[s].attributes.put("csrf", Long.toHexString(rnd.nextLong()));
            svc.sessions.put(sid, staff[s]);
        }
        Random traffic = new Random(83_010_002);
        String[] screens = {"/rounds/%s/crew", "/rounds/%s/schedule", "/properties/%s", "/missed-bins?round=%s", "/rounds/%s/map"};
        long nextSweep = start + MINUTE, nextPoll = start + 5 * MINUTE;
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            while (nextPoll <= t) { for (StaffSession s : staff) s.lastSeen = Math.max(s.lastSeen, nextPoll); nextPoll += 5 * MINUTE; } // the dashboard polls every 5 min
            while (nextSweep <= t) { svc.sweep(nextSweep); nextSweep += MINUTE; }
            StaffSession s = staff[traffic.nextInt(STAFF)];
            s.lastSeen = t;
            s.views++;
            int screen = traffic.nextInt(screens.length);
            String arg = screen == 2 ? uprns[traffic.nextInt(PROPERTIES)] : roundCodes[traffic.nextInt(ROUNDS)];
            String path = String.format(screens[screen], arg) + "?week=" + (1 + traffic.nextInt(52));
            s.remember(new RenderedPage(path, t, new byte[200 + traffic.nextInt(400)]));
            String mapRound = screen == 4 ? arg : roundCodes[traffic.nextInt(ROUNDS)];
            String key = "map-" + mapRound + "/w" + (1 + traffic.nextInt(8));
            if (svc.routeMaps.get(key) == null) svc.routeMaps.put(key, new RouteMap(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % 2 == 0) {
                svc.missed[(int) (svc.missedReports++ % RING)] = new MissedBin(uprns[traffic.nextInt(PROPERTIES)], binTypes[traffic.nextInt(4)], s.staffId, t);
            }
            if (i % 5 == 0) {
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            }
        }
        while (nextPoll <= end) { for (StaffSession s : staff) s.lastSeen = Math.max(s.lastSeen, nextPoll); nextPoll += 5 * MINUTE; }
        while (nextSweep <= end) { svc.sweep(nextSweep); nextSweep += MINUTE; }
        long pages = 0;
        int maxBack = 0, minBack = Integer.MAX_VALUE;
        for (StaffSession s : svc.sessions.values()) { pages += s.backCache.size(); maxBack = Math.max(maxBack, s.backCache.size()); minBack = Math.min(minBack, s.backCache.size()); }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " rounds " + ROUNDS_BY_CODE.size() + " properties " + svc.properties.size() + " sessions " + svc.sessions.size() + " (expired " + svc.expiredSessions + ", sweeps " + svc.sweeps
                + ") cached pages " + pages + " (min " + minBack + ", max " + maxBack + ") views " + views + " route maps " + svc.routeMaps.size() + " (evicted " + svc.routeMaps.evicted + ") missed " + svc.missedReports + " pool " + svc.pdfBuffers.size());
        check(ROUNDS_BY_CODE.size() == ROUNDS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.sessions.size() == STAFF && svc.expiredSessions == 0, "staff sessions stay logged in");
        if (FIXED) check(pages == (long) STAFF * BACK_CAP, "back caches trimmed: " + pages);
        else check(pages == views, "back caches keep every page: " + pages);
        check(svc.routeMaps.size() == MAP_CAP && svc.routeMaps.evicted > 0, "route map cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.missedReports == views / 2 && svc.missed[RING - 1] != null, "missed-bin ring");
        LeakCheck.histogram(" [I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
