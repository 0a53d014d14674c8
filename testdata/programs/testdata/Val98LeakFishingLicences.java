// hprofscan-dump: name=val98-leak-fishinglicences-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val98-leak-fishinglicences-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val98-leak-fishinglicences jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val98-leak-fishinglicences-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 98 (written blind), LEAK: the web shop of a regional fishing-licence authority.
 * Fishing waters (reference data), the angler directory, a cache of rendered permit pages at its
 * cap, a pool of PDF buffers, a ring of recent licence sales, and the HTTP session store: a
 * ConcurrentHashMap<String, Session> keyed by the session's random id. An expiry sweeper runs
 * every minute and finds the sessions idle for more than 30 minutes correctly, but removes them
 * with the session's numeric sequence number (a Long) instead of its String id, so remove()
 * never finds anything and every session ever created stays in the store. See VALIDATION98.md.
 */
public final class Val98LeakFishingLicences {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int WATERS = 1_400, ANGLERS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 1_024, SESSIONS_PER_HOUR = 2_000;
    static boolean FIXED;

    record Water(String code, String name, String species, double[] catchByWeek) {}
    record Angler(String anglerNo, String county, byte[] profile, long registeredAt) {}
    record PermitPage(String key, byte[] rendered, long at) {}
    record Sale(String anglerNo, String waterCode, String licenceType, long pricePence, long at) {}

    /** One HTTP session of the web shop. */
    static final class Session {
        final String id;
        final long number;
        final String anglerNo;
        final long createdAt;
        long lastAccessAt;
        final Map<String, Object> attributes = new HashMap<>();
        Session(String id, long number, String anglerNo, long createdAt) {
            this.id = id; this.number = number; this.anglerNo = anglerNo; this.createdAt = createdAt; this.lastAccessAt = createdAt;
        }
    }

    /** Session store keyed by the random session id (the cookie value). */
    static final class SessionStore {
        final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
        long nextNumber = 880_000_001L, created, sweeps, expiredSeen, lastSweepAt;

        Session create(String anglerNo, long at, Random r) {
            String id = Long.toHexString(r.nextLong() | 0x1000_0000_0000_0000L) + Long.toHexString(r.nextLong() | 0x1000_0000_0000_0000L);
            Session s = new Session(id, nextNumber++, anglerNo, at);
            sessions.put(id, s);
            created++;
            return s;
        }

        /** Runs every minute: drops the sessions idle for more than 30 minutes. */
        void sweep(long now) {
            sweeps++;
            lastSweepAt = now;
            List<Session> expired = new ArrayList<>();
            for (Session s : sessions.values()) {
                if (now - s.lastAccessAt > IDLE_TIMEOUT) expired.add(s);
            }
            for (Session s : expired) {
                if (FIXED) sessions.remove(s.id);
                else sessions.remove(s.number); // BUG: a Long on a String-keyed map: removes nothing
                expiredSeen++;
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, PermitPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PermitPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Water> WATERS_BY_CODE = new HashMap<>();

    static final class LicenceService {
        final Map<String, Angler> anglers = new HashMap<>();
        final PageCache permitPages = new PageCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Sale[] recentSales = new Sale[RING];
        long sales;
        final SessionStore store = new SessionStore();
    }

    static LicenceService SERVICE;
    static int STAGE, HOURS;
    static long EXPECTED_LIVE, REQUESTS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build(int stage) {
        STAGE = stage;
        HOURS = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int total = SESSIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_010_001);
        String[] species = {"brown trout", "sea trout", "salmon", "grayling", "pike", "carp", "perch", "tench"};
        String[] waterCodes = new String[WATERS];
        for (int w = 0; w < WATERS; w++) {
            double[] catches = new double[64];
            for (int k = 0; k < catches.length; k++) catches[k] = rnd.nextDouble() * 40;
            waterCodes[w] = "FW-" + (20_000 + w);
            WATERS_BY_CODE.put(waterCodes[w], new Water(waterCodes[w], "Water " + w, species[w % species.length], catches));
        }
        LicenceService svc = new LicenceService();
        SERVICE = svc;
        String[] anglerNos = new String[ANGLERS];
        String[] counties = {"Powys", "Gwynedd", "Cumbria", "Devon", "Argyll", "Kerry", "Galway", "Northumberland"};
        for (int a = 0; a < ANGLERS; a++) {
            anglerNos[a] = "ANG" + (4_000_000 + a * 3);
            svc.anglers.put(anglerNos[a], new Angler(anglerNos[a], counties[a % counties.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(98_010_002);
        String[] locales = {"en-GB", "cy-GB", "ga-IE", "gd-GB"};
        String[] licenceTypes = {"DAY", "WEEK", "SEASON", "JUNIOR-SEASON", "CONCESSION"};
        long nextSweep = start + MINUTE;
        long live = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextSweep <= t) { svc.store.sweep(nextSweep); nextSweep += MINUTE; }
            String angler = anglerNos[traffic.nextInt(ANGLERS)];
            Session s = svc.store.create(angler, t, traffic);
            s.attributes.put("locale", locales[traffic.nextInt(locales.length)]);
            s.attributes.put("csrf", Long.toString(traffic.nextLong() & Long.MAX_VALUE, 36));
            s.attributes.put("cart", new byte[100 + traffic.nextInt(100)]);
            // the session's requests over up to 25 minutes (only those before now have happened)
            int requests = 1 + traffic.nextInt(8);
            long last = t;
            for (int q = 0; q < requests; q++) {
                long at = t + traffic.nextInt(25 * 60) * 1_000L;
                if (at < end && at > last) last = at;
                REQUESTS++;
                String key = "permit-" + traffic.nextInt(5_000);
                if (svc.permitPages.get(key) == null) svc.permitPages.put(key, new PermitPage(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.pdfBuffers.poll();
                buf[q % buf.length] = (byte) q;
                svc.pdfBuffers.add(buf);
            }
            s.lastAccessAt = last;
            if (traffic.nextInt(3) == 0) {
                String water = waterCodes[traffic.nextInt(WATERS)];
                s.attributes.put("lastWater", water);
                svc.recentSales[(int) (svc.sales++ % RING)] = new Sale(angler, water, licenceTypes[traffic.nextInt(licenceTypes.length)], 600 + traffic.nextInt(8_000), last);
            }
            if (end - last <= IDLE_TIMEOUT) live++;
        }
        while (nextSweep <= end) { svc.store.sweep(nextSweep); nextSweep += MINUTE; }
        EXPECTED_LIVE = live;
    }

    static void verify() {
        LicenceService svc = SERVICE;
        SessionStore st = svc.store;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + STAGE + " (" + HOURS + " h) waters " + WATERS_BY_CODE.size() + " anglers " + svc.anglers.size() + " sessions " + st.sessions.size()
                + " (created " + st.created + ", live " + EXPECTED_LIVE + ", sweeps " + st.sweeps + ", expired seen " + st.expiredSeen + ") requests " + REQUESTS + " pages " + svc.permitPages.size()
                + " (evicted " + svc.permitPages.evicted + ") pool " + svc.pdfBuffers.size() + " sales " + svc.sales);
        check(WATERS_BY_CODE.size() == WATERS && svc.anglers.size() == ANGLERS, "reference data / directory");
        check(st.created == (long) SESSIONS_PER_HOUR * HOURS && st.sweeps == HOURS * 60L, "session traffic");
        if (FIXED) check(st.sessions.size() == EXPECTED_LIVE, "only live sessions: " + st.sessions.size());
        else check(st.sessions.size() == st.created, "every session kept: " + st.sessions.size());
        check(svc.permitPages.size() == PAGE_CAP && svc.permitPages.evicted > 0, "page cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.sales > RING && svc.recentSales[RING - 1] != null, "sales ring wrapping");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val98.fixed");
        build(Integer.parseInt(args[2]));
        verify();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
