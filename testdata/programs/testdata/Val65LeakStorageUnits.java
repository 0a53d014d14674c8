// hprofscan-dump: name=val65-leak-storageunits jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val65-leak-storageunits-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), LEAK: the availability search of a self-storage operator.
 * Site reference data, the unit directory, a cache of rendered floor plans at its cap, a pool of
 * gate-code encoder buffers, a ring of gate events, and a query-result cache (QueryCache.results)
 * keyed by the SQL text plus its parameters, one of which is the "as of" instant of the search in
 * epoch milliseconds: no key ever repeats, nothing is ever evicted. See VALIDATION65.md.
 */
public final class Val65LeakStorageUnits {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REFRESH = 5 * MINUTE;
    static final int SITES = 400, SIZE_CLASSES = 6, UNITS = 30_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, SEARCHES_PER_HOUR = 4_000, HOURS = 10;
    static final String AVAILABILITY_SQL = "SELECT unit_id FROM units WHERE site_code = ? AND size_class = ? AND free_from <= ? ORDER BY monthly_rate";
    static boolean FIXED;

    record Site(String code, String city, double[] occupancyForecast) {}
    record Unit(String unitId, String siteCode, int sizeClass, byte[] leaseTerms, long builtAt) {}
    record FloorPlan(String key, byte[] rendered, long at) {}
    record GateEvent(String unitId, String siteCode, boolean opened, long at) {}
    record QueryResult(String key, int[] unitIds, long fetchedAt) {}

    /** Caches query results by "sql|param1|param2|...". */
    static final class QueryCache {
        final Map<String, QueryResult> results = new HashMap<>();
        long hits, misses, refreshed;
        QueryResult availability(String site, int sizeClass, long asOfMillis, Random r) {
            String key = FIXED
                    ? AVAILABILITY_SQL + "|" + site + "|" + sizeClass // the fix: "as of" is not part of the key; results older than 5 min are refetched
                    : AVAILABILITY_SQL + "|" + site + "|" + sizeClass + "|" + asOfMillis; // BUG: the current time in ms is a parameter of the key
            QueryResult q = results.get(key);
            if (q != null && asOfMillis - q.fetchedAt() < REFRESH) { hits++; return q; }
            if (q != null) refreshed++; else misses++;
            int[] ids = new int[3 + r.nextInt(13)];
            for (int k = 0; k < ids.length; k++) ids[k] = r.nextInt(UNITS);
            q = new QueryResult(key, ids, asOfMillis);
            results.put(key, q);
            return q;
        }
    }

    static final class PlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class StorageService {
        final Map<String, Unit> units = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final GateEvent[] gateEvents = new GateEvent[RING];
        long gateWritten;
        final QueryCache queries = new QueryCache();
    }

    static StorageService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val65.fixed");
        int searches = SEARCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(65_020_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] forecast = new double[72];
            for (int k = 0; k < forecast.length; k++) forecast[k] = rnd.nextDouble();
            siteCodes[s] = "SS-" + (7_100 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], "City " + (s % 120), forecast));
        }
        StorageService svc = new StorageService();
        SERVICE = svc;
        String[] unitIds = new String[UNITS];
        for (int u = 0; u < UNITS; u++) {
            unitIds[u] = "U" + (2_000_000 + u * 3);
            svc.units.put(unitIds[u], new Unit(unitIds[u], siteCodes[rnd.nextInt(SITES)], rnd.nextInt(SIZE_CLASSES), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[32_768]);
        Random traffic = new Random(65_020_002);
        Random db = new Random(65_020_003);
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            svc.queries.availability(siteCodes[traffic.nextInt(SITES)], traffic.nextInt(SIZE_CLASSES), t, db);
            for (int g = 0; g < 2; g++) {
                String unit = unitIds[traffic.nextInt(UNITS)];
                svc.gateEvents[(int) (svc.gateWritten++ % RING)] = new GateEvent(unit, siteCodes[traffic.nextInt(SITES)], traffic.nextBoolean(), t);
            }
            String key = "plan-" + traffic.nextInt(3_000);
            if (svc.plans.get(key) == null) svc.plans.put(key, new FloorPlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.encoderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encoderBuffers.add(buf);
        }
        QueryCache q = svc.queries;
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " units " + svc.units.size() + " query cache " + q.results.size() + " (misses " + q.misses + ", hits " + q.hits + ", refreshed " + q.refreshed
                + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.encoderBuffers.size() + " gate events " + svc.gateWritten);
        check(SITES_BY_CODE.size() == SITES && svc.units.size() == UNITS, "reference data / directory");
        check(q.hits + q.misses + q.refreshed == searches, "search traffic");
        if (FIXED) check(q.results.size() == q.misses && q.results.size() <= SITES * SIZE_CLASSES, "query cache bounded by (site, size class)");
        else check(q.results.size() == searches && q.hits == 0, "every search is a new key: " + q.results.size());
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.encoderBuffers.size() == POOL, "pool");
        check(svc.gateWritten == 2L * searches && svc.gateEvents[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
