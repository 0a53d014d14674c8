// hprofscan-dump: name=val54-leak-concerthalls jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val54-leak-concerthalls-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 54 (written blind), LEAK: the seat-map pricing service of a concert-hall group's
 * box office. Hall reference data, the concert directory, a cache of rendered hall plans at its
 * cap, a pool of render buffers, a ring of sold tickets, and a memoisation cache of priced seat
 * maps (PricingService.memo, a HashMap filled with computeIfAbsent and never evicted: a memo, meant
 * to be bounded by concerts x sections). Its key is the request's canonical query string, which
 * carries the request id ("...&rid=r-..."), so every request makes a new key: the memo never hits
 * and holds one priced seat map per request since start. See VALIDATION54.md.
 */
public final class Val54LeakConcertHalls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HALLS = 1_000, CONCERTS = 24_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, EVENTS_PER_HOUR = 6_000;
    static final int HOT_CONCERTS = 300, SECTIONS = 12;
    static boolean FIXED;

    record Hall(String code, String city, double[] acousticProfile) {}
    record Concert(String concertId, String hallCode, String title, byte[] programmeNotes, long announcedAt) {}
    record HallPlan(String key, byte[] rendered, long at) {}
    record Ticket(String concertId, String section, int seat, int priceCents, long soldAt) {}
    record PricedSeatMap(String concertId, String section, long computedAt, int[] priceCents) {}

    static final class PlanCache extends LinkedHashMap<String, HallPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HallPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hall> HALLS_BY_CODE = new HashMap<>();

    static final class PricingService {
        final Map<String, Concert> concerts = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Ticket[] sold = new Ticket[RING];
        long soldCount;
        /** Memo of priced seat maps by canonical query. */
        final Map<String, PricedSeatMap> memo = new HashMap<>();
        long lookups, computed;

        static String canonicalQuery(String concertId, String section, String requestId) {
            String q = "/seatmap?concert=" + concertId + "&section=" + section;
            if (FIXED) return q; // the request id is not part of what is being computed
            return q + "&rid=" + requestId; // BUG: the per-request id makes every key unique
        }

        PricedSeatMap seatMap(String concertId, String section, String requestId, long t, Random demand) {
            lookups++;
            return memo.computeIfAbsent(canonicalQuery(concertId, section, requestId), k -> {
                computed++;
                int[] prices = new int[40 + demand.nextInt(40)];
                for (int s = 0; s < prices.length; s++) prices[s] = 2_500 + demand.nextInt(12_000);
                return new PricedSeatMap(concertId, section, t, prices);
            });
        }
    }

    static PricingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val54.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(54_040_001);
        String[] hallCodes = new String[HALLS];
        for (int h = 0; h < HALLS; h++) {
            double[] acoustic = new double[64];
            for (int k = 0; k < acoustic.length; k++) acoustic[k] = rnd.nextDouble() * 3;
            String code = "HALL-" + (700 + h);
            hallCodes[h] = code;
            HALLS_BY_CODE.put(code, new Hall(code, "City " + (h % 250), acoustic));
        }
        PricingService svc = new PricingService();
        SERVICE = svc;
        String[] concertIds = new String[CONCERTS];
        for (int c = 0; c < CONCERTS; c++) {
            String id = "CN" + (880_000 + c);
            concertIds[c] = id;
            svc.concerts.put(id, new Concert(id, hallCodes[rnd.nextInt(HALLS)], "Concert " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_040_002);
        Random demand = new Random(54_040_003);
        String[] sections = new String[SECTIONS];
        for (int s = 0; s < SECTIONS; s++) sections[s] = "S" + (char) ('A' + s);
        int events = HOURS * EVENTS_PER_HOUR;
        int requests = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String key = "plan-" + hallCodes[traffic.nextInt(HALLS)] + "-" + traffic.nextInt(6);
            if (svc.plans.get(key) == null) svc.plans.put(key, new HallPlan(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
            // seat-map requests concentrate on the concerts on sale now
            String concert = concertIds[(i * 7 + traffic.nextInt(HOT_CONCERTS)) % HOT_CONCERTS * 80];
            String section = sections[traffic.nextInt(SECTIONS)];
            if (i % 2 == 0) {
                PricedSeatMap map = svc.seatMap(concert, section, "r-" + Long.toString(5_000_000_000L + i, 36), t, demand);
                requests++;
                svc.sold[(int) (svc.soldCount++ % RING)] = new Ticket(concert, section, traffic.nextInt(map.priceCents().length), map.priceCents()[0], t);
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "halls " + HALLS_BY_CODE.size() + " concerts " + svc.concerts.size() + " requests " + requests + " memo " + svc.memo.size() + " computed " + svc.computed
                + " hits " + (svc.lookups - svc.computed) + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.renderBuffers.size() + " sold " + svc.soldCount);
        check(HALLS_BY_CODE.size() == HALLS && svc.concerts.size() == CONCERTS, "reference data / directory");
        check(requests == events / 2 && svc.lookups == requests, "request traffic");
        if (FIXED) check(svc.memo.size() <= HOT_CONCERTS * SECTIONS && svc.memo.size() == svc.computed, "memo bounded by concerts x sections: " + svc.memo.size());
        else check(svc.memo.size() == requests && svc.computed == requests, "memo never hits: " + svc.memo.size());
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.soldCount == requests && svc.sold[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
