// hprofscan-dump: name=val40-leak-sailmakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val40-leak-sailmakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 40 (written blind), LEAK: the design-quote service of a sail loft. Sailcloth
 * reference data, the boat directory (rig measurements of the customers' yachts), an LRU of rendered
 * cutting plans at its cap, a pool of plotter buffers, a ring of confirmed sail orders, the sails on
 * the loft floor. Design quotes (sail plan + price) are kept in a TTL cache for 30 minutes. The
 * cache's entries() returns a defensive copy (added for the admin page, so that callers never hold
 * the lock), and the janitor, run every minute, prunes with cache.entries().removeIf(expired): it
 * removes the expired quotes from the copy, never from the cache. Every quote ever computed stays.
 * See VALIDATION40.md.
 */
public final class Val40LeakSailmakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TTL = 30 * MINUTE;
    static final int CLOTHS = 1_000, BOATS = 25_000, PLAN_CAP = 2_000, POOL = 8, RING = 1_024, HOURS = 10;
    static final String[] SAIL_TYPES = {"main", "genoa", "jib", "spinnaker", "gennaker", "mizzen"};
    static boolean FIXED;

    record Cloth(String code, String name, double[] stretchCurve) {}
    record Boat(String sailNumber, String className, byte[] rigMeasurements, long registeredAt) {}
    record CuttingPlan(String key, byte[] rendered, long at) {}
    record SailOrder(String orderId, String sailNumber, String sailType, int priceCents, long confirmedAt) {}
    record SailJob(String orderId, String sailNumber, String sailType, byte[] panelLayout, long startedAt, long dueAt) {}
    record DesignQuote(String key, String sailNumber, String sailType, String clothCode, int priceCents, byte[] sailPlan, long computedAt, long expiresAt) {}

    /** A TTL cache of design quotes. */
    static final class DesignQuoteCache {
        private final Map<String, DesignQuote> byKey = new HashMap<>();
        long hits, misses, expiredOnRead;

        synchronized DesignQuote get(String key, long now) {
            DesignQuote q = byKey.get(key);
            if (q == null) { misses++; return null; }
            if (q.expiresAt() <= now) { expiredOnRead++; misses++; return null; }
            hits++;
            return q;
        }

        synchronized void put(DesignQuote q) { byKey.put(q.key(), q); }

        synchronized int size() { return byKey.size(); }

        /** A snapshot, so that callers never hold the lock (the admin page lists it). */
        synchronized List<DesignQuote> entries() { return new ArrayList<>(byKey.values()); }

        /** What the janitor should call: prunes the cache itself. */
        synchronized int removeExpired(long now) {
            int before = byKey.size();
            byKey.values().removeIf(q -> q.expiresAt() <= now);
            return before - byKey.size();
        }
    }

    /** Runs every minute. */
    static final class CacheJanitor {
        final DesignQuoteCache cache;
        long runs, reportedRemoved;
        CacheJanitor(DesignQuoteCache cache) { this.cache = cache; }
        void sweep(long now) {
            runs++;
            if (FIXED) {
                reportedRemoved += cache.removeExpired(now);
                return;
            }
            List<DesignQuote> all = cache.entries();
            int before = all.size();
            all.removeIf(q -> q.expiresAt() <= now); // BUG: prunes the defensive copy, not the cache
            reportedRemoved += before - all.size();
        }
    }

    static final class PlanCache extends LinkedHashMap<String, CuttingPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CuttingPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cloth> CLOTHS_BY_CODE = new HashMap<>();

    static final class LoftService {
        final Map<String, Boat> boats = new HashMap<>();
        final DesignQuoteCache quotes = new DesignQuoteCache();
        final CacheJanitor janitor = new CacheJanitor(quotes);
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> plotterBuffers = new ArrayDeque<>();
        final SailOrder[] orders = new SailOrder[RING];
        long ordersWritten;
        final Map<String, SailJob> loftFloor = new HashMap<>();
    }

    static LoftService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val40.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(40_040_001);
        String[] clothCodes = new String[CLOTHS];
        for (int c = 0; c < CLOTHS; c++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = rnd.nextDouble() * 0.05;
            clothCodes[c] = "CL-" + (7_000 + c);
            CLOTHS_BY_CODE.put(clothCodes[c], new Cloth(clothCodes[c], "Cloth " + c, s));
        }
        LoftService svc = new LoftService();
        SERVICE = svc;
        String[] sailNumbers = new String[BOATS];
        for (int b = 0; b < BOATS; b++) {
            sailNumbers[b] = "GBR-" + (10_000 + b * 3);
            svc.boats.put(sailNumbers[b], new Boat(sailNumbers[b], "Class " + (b % 90), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(8_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotterBuffers.add(new byte[32_768]);

        Random traffic = new Random(40_040_002);
        String[] recentKeys = new String[64];
        int recentN = 0;
        long requests = 0, computed = 0, confirmed = 0, jobsDone = 0;
        PriorityQueue<SailJob> floor = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : a.orderId().compareTo(b.orderId()));
        for (long minute = start; minute < end; minute += MINUTE) {
            while (!floor.isEmpty() && floor.peek().dueAt() <= minute) { svc.loftFloor.remove(floor.poll().orderId()); jobsDone++; }
            int arrivals = 18 + traffic.nextInt(14);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                requests++;
                String key;
                if (recentN > 0 && traffic.nextInt(4) == 0) {
                    key = recentKeys[traffic.nextInt(Math.min(recentN, recentKeys.length))]; // the customer comes back to a quote
                } else {
                    key = sailNumbers[traffic.nextInt(BOATS)] + "/" + SAIL_TYPES[traffic.nextInt(SAIL_TYPES.length)] + "/" + clothCodes[traffic.nextInt(CLOTHS)];
                    recentKeys[recentN++ % recentKeys.length] = key;
                }
                DesignQuote q = svc.quotes.get(key, at);
                if (q == null) {
                    String[] parts = key.split("/");
                    byte[] buf = svc.plotterBuffers.poll();
                    buf[(int) (computed % buf.length)] = (byte) computed;
                    svc.plotterBuffers.add(buf);
                    q = new DesignQuote(key, parts[0], parts[1], parts[2], 80_000 + traffic.nextInt(900_000), new byte[250 + traffic.nextInt(250)], at, at + TTL);
                    svc.quotes.put(q);
                    computed++;
                }
                String planKey = q.sailNumber() + "/" + q.sailType() + "/plan";
                if (svc.plans.get(planKey) == null) svc.plans.put(planKey, new CuttingPlan(planKey, new byte[400 + traffic.nextInt(400)], at));
                if (traffic.nextInt(10) == 0) {
                    String orderId = "SO-" + (60_000 + confirmed++);
                    svc.orders[(int) (svc.ordersWritten++ % RING)] = new SailOrder(orderId, q.sailNumber(), q.sailType(), q.priceCents(), at);
                    SailJob job = new SailJob(orderId, q.sailNumber(), q.sailType(), new byte[300 + traffic.nextInt(300)], at, at + (long) (60 + traffic.nextInt(240)) * MINUTE);
                    svc.loftFloor.put(orderId, job);
                    floor.add(job);
                }
            }
            svc.janitor.sweep(minute + MINUTE); // the janitor runs at the end of every minute
        }
        floor = null;
        recentKeys = null;
        DesignQuoteCache c = svc.quotes;
        int expired = 0, live = 0;
        for (DesignQuote q : c.entries()) { if (q.expiresAt() <= end) expired++; else live++; }
        System.out.println((FIXED ? "FIXED " : "") + "cloths " + CLOTHS_BY_CODE.size() + " boats " + svc.boats.size() + " requests " + requests + " computed " + computed + " hits " + c.hits + " misses " + c.misses
                + " expired-on-read " + c.expiredOnRead + " cache " + c.size() + " (expired " + expired + ", live " + live + ") janitor-runs " + svc.janitor.runs + " janitor-reported-removed " + svc.janitor.reportedRemoved
                + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") orders " + confirmed + " loft-floor " + svc.loftFloor.size() + " (done " + jobsDone + ") pool " + svc.plotterBuffers.size());
        check(CLOTHS_BY_CODE.size() == CLOTHS && svc.boats.size() == BOATS, "reference data / directory");
        check(requests == EXPECTED_REQUESTS && computed == EXPECTED_COMPUTED && c.hits == EXPECTED_HITS && c.expiredOnRead == (FIXED ? 0 : 2), "quote traffic");
        check(live == EXPECTED_LIVE && expired == (FIXED ? 0 : EXPECTED_EXPIRED) && c.size() == (FIXED ? EXPECTED_LIVE : EXPECTED_LIVE + EXPECTED_EXPIRED), "quotes cached: " + c.size());
        check(svc.janitor.runs == HOURS * 60 && svc.janitor.reportedRemoved == (FIXED ? 10_464 : 2_974_036), "janitor");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.plotterBuffers.size() == POOL, "pool");
        check(confirmed == EXPECTED_ORDERS && svc.loftFloor.size() == EXPECTED_ON_FLOOR && svc.orders[RING - 1] != null, "orders / loft floor");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_REQUESTS = 14_670, EXPECTED_COMPUTED = 11_035, EXPECTED_HITS = 3_635;
    static final long EXPECTED_LIVE = 571, EXPECTED_EXPIRED = 10_462, EXPECTED_ORDERS = 1_465, EXPECTED_ON_FLOOR = 441;
}
