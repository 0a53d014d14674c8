// hprofscan-dump: name=val66-leak-freightforwarder jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val66-leak-freightforwarder-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 66 (written blind), LEAK: the back-office web console of a freight forwarder.
 * Port reference data, the shipment directory, a cache of rendered rate sheets at its cap, a pool
 * of PDF buffers, a ring of tracking events, and the HTTP session store (staff sessions expire
 * after 30 minutes idle). The operations wall board in the depot is one session that stays logged
 * in (it polls every minute, so it never idles out). Every page view of its "open shipments"
 * screen runs an export and stores the result in the session under a new attribute
 * "export-" + a counter (so that the download link of that page view can fetch it); nothing ever
 * removes these attributes, so that one session's attribute map holds every export since it
 * logged in. See VALIDATION66.md.
 */
public final class Val66LeakFreightForwarder {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int PORTS = 1_000, SHIPMENTS = 25_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, WALLBOARD_VIEWS_PER_HOUR = 1_000, STAFF_LOGINS_PER_HOUR = 240;
    static boolean FIXED;

    record Port(String unlocode, String country, double[] congestionByWeek) {}
    record Shipment(String billOfLading, String origin, String destination, byte[] manifest, long bookedAt) {}
    record RateSheet(String key, byte[] rendered, long at) {}
    record TrackingEvent(String billOfLading, String status, String port, long at) {}
    record ExportResult(String key, String query, int rows, long at, byte[] csv) {}

    static final class HttpSession {
        final String id, user; final long createdAt; long lastAccess; int views;
        final Map<String, Object> attributes = new HashMap<>();
        HttpSession(String id, String user, long createdAt) { this.id = id; this.user = user; this.createdAt = createdAt; this.lastAccess = createdAt; }
    }

    static final class SessionStore {
        final Map<String, HttpSession> sessions = new HashMap<>();
        long created, expired;
        HttpSession create(String id, String user, long at) { HttpSession s = new HttpSession(id, user, at); sessions.put(id, s); created++; return s; }
        void sweep(long now) {
            for (Iterator<HttpSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastAccess < now - IDLE_TIMEOUT) { it.remove(); expired++; }
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, RateSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RateSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class ConsoleService {
        final Map<String, Shipment> shipments = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final TrackingEvent[] tracking = new TrackingEvent[RING];
        long trackingWritten, exports;
        final SessionStore store = new SessionStore();
        HttpSession wallboard;
    }

    static ConsoleService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val66.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(66_020_001);
        String[] portCodes = new String[PORTS];
        for (int p = 0; p < PORTS; p++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble() * 40;
            portCodes[p] = "P" + (char) ('A' + p % 26) + (char) ('A' + (p / 26) % 26) + (100 + p);
            PORTS_BY_CODE.put(portCodes[p], new Port(portCodes[p], "C" + (p % 90), c));
        }
        ConsoleService svc = new ConsoleService();
        SERVICE = svc;
        String[] bols = new String[SHIPMENTS];
        for (int s = 0; s < SHIPMENTS; s++) {
            bols[s] = "BOL" + (40_000_000 + s * 3);
            svc.shipments.put(bols[s], new Shipment(bols[s], portCodes[rnd.nextInt(PORTS)], portCodes[rnd.nextInt(PORTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        SessionStore store = svc.store;
        svc.wallboard = store.create("JS-WALLBOARD-0001", "ops-wallboard", start);
        svc.wallboard.attributes.put("user", "ops-wallboard");
        svc.wallboard.attributes.put("locale", "en-GB");
        Random traffic = new Random(66_020_002);
        int views = WALLBOARD_VIEWS_PER_HOUR * HOURS;
        int logins = STAFF_LOGINS_PER_HOUR * HOURS;
        String[] statuses = {"BOOKED", "GATE_IN", "LOADED", "DEPARTED", "ARRIVED", "CUSTOMS_HOLD", "RELEASED", "DELIVERED"};
        long nextSweep = start + MINUTE;
        int loginDone = 0;
        long sessionSeq = 1;
        // staff sessions: each logs in, views 3-20 pages over up to 40 minutes
        java.util.List<HttpSession> active = new java.util.ArrayList<>();
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            while (nextSweep <= t) { store.sweep(nextSweep); nextSweep += MINUTE; }
            // the wall board's page view: an export of the open shipments
            HttpSession wb = svc.wallboard;
            wb.lastAccess = t; wb.views++;
            ExportResult r = new ExportResult("export-" + (svc.exports + 1), "status=OPEN&page=" + (i % 40), 20 + traffic.nextInt(200), t, new byte[400 + traffic.nextInt(400)]);
            svc.exports++;
            if (FIXED) wb.attributes.put("export-current", r); // the fix: one attribute, replaced by each page view
            else wb.attributes.put("export-" + svc.exports, r); // BUG: a new attribute per page view, never removed
            // staff logins, evenly spread
            while (loginDone < logins && (long) loginDone * views <= (long) i * logins) {
                HttpSession s = store.create("JS-" + Long.toHexString(0x5A00_0000L + sessionSeq++), "staff" + traffic.nextInt(400), t);
                s.attributes.put("user", s.user);
                s.attributes.put("locale", traffic.nextBoolean() ? "en-GB" : "nl-NL");
                s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
                s.attributes.put("filters", new byte[100 + traffic.nextInt(100)]);
                s.lastAccess = t + (long) traffic.nextInt(40) * MINUTE;
                if (s.lastAccess > end - MINUTE) s.lastAccess = end - MINUTE;
                loginDone++;
            }
            // tracking, rate sheets and the pool
            String bol = bols[traffic.nextInt(SHIPMENTS)];
            svc.tracking[(int) (svc.trackingWritten++ % RING)] = new TrackingEvent(bol, statuses[traffic.nextInt(statuses.length)], portCodes[traffic.nextInt(PORTS)], t);
            svc.tracking[(int) (svc.trackingWritten++ % RING)] = new TrackingEvent(bols[traffic.nextInt(SHIPMENTS)], statuses[traffic.nextInt(statuses.length)], portCodes[traffic.nextInt(PORTS)], t);
            String key = "rates-" + traffic.nextInt(4_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new RateSheet(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        store.sweep(end);
        int exportAttrs = 0;
        for (String k : svc.wallboard.attributes.keySet()) if (k.startsWith("export-")) exportAttrs++;
        System.out.println((FIXED ? "FIXED " : "") + "ports " + PORTS_BY_CODE.size() + " shipments " + svc.shipments.size() + " sessions " + store.sessions.size() + " (created " + store.created + ", expired " + store.expired
                + ") wallboard attributes " + svc.wallboard.attributes.size() + " (export attributes " + exportAttrs + ", views " + svc.wallboard.views + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted
                + ") pool " + svc.pdfBuffers.size() + " tracking " + svc.trackingWritten);
        check(PORTS_BY_CODE.size() == PORTS && svc.shipments.size() == SHIPMENTS, "reference data / directory");
        check(store.sessions.get("JS-WALLBOARD-0001") == svc.wallboard && store.created == logins + 1, "sessions");
        check(exportAttrs == (FIXED ? 1 : views) && svc.wallboard.attributes.size() == 2 + exportAttrs, "wallboard attributes: " + exportAttrs);
        check(store.sessions.size() < 400, "staff sessions expire: " + store.sessions.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.trackingWritten == 2L * views && svc.tracking[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
