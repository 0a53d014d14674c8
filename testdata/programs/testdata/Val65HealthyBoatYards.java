// hprofscan-dump: name=val65-healthy-boatyards-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val65-healthy-boatyards-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val65-healthy-boatyards jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val65-healthy-boatyards-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), HEALTHY: the service desk of a chain of boat yards (haul-outs,
 * antifouling, winter storage). Yard reference data, the boat directory, a quote memo keyed by
 * (customer, service) only and capped as an LRU at its cap, a cache of slip-availability query
 * results keyed by query text + yard + day (LRU at its cap), a pool of travel-lift slings with a
 * borrowed map (returned in finally, also when the lift is refused), the last 100 refused jobs
 * (trimmed correctly) and a ring of slip events. Warms up, then plateaus. See VALIDATION65.md.
 */
public final class Val65HealthyBoatYards {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int YARDS = 1_200, BOATS = 25_000, MEMO_CAP = 3_000, AVAIL_CAP = 2_000, SLINGS = 6, RING = 8_192, KEEP_ERRORS = 100, REQUESTS_PER_HOUR = 3_000, EVENTS_PER_HOUR = 6_000;
    static final String SLIP_SQL = "SELECT slip_no FROM slips WHERE yard_code = ? AND day = ? AND max_loa_m >= ?";

    record Yard(String code, String harbour, double[] tideTable) {}
    record Boat(String hullId, String owner, String type, byte[] surveyNotes, long registeredAt) {}
    record ServiceQuote(String customerId, String service, long cents, byte[] breakdown, long at) {}
    record SlipAvailability(String key, int[] freeSlips, long fetchedAt) {}
    record SlipEvent(String hullId, String yardCode, String kind, long at) {}
    record JobRequest(String jobId, String hullId, String yardCode, double weightTonnes, long at) {}
    record RefusedJob(long at, Exception error, JobRequest job) {}
    record SlingBorrow(long borrowedAt, String jobId) {}

    static final class LiftRefusedException extends Exception {
        LiftRefusedException(String msg) { super(msg); }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final class Sling { final int id; final byte[] loadCellLog = new byte[16_384]; long lifts; Sling(int id) { this.id = id; } }

    static final class SlingPool {
        final ArrayDeque<Sling> idle = new ArrayDeque<>();
        final Map<Sling, SlingBorrow> borrowed = new HashMap<>();
        long borrows, releases;
        SlingPool() { for (int k = 0; k < SLINGS; k++) idle.add(new Sling(k)); }
        Sling borrow(String jobId, long at) { Sling s = idle.poll(); borrowed.put(s, new SlingBorrow(at, jobId)); borrows++; return s; }
        void release(Sling s) { if (borrowed.remove(s) != null) { idle.add(s); releases++; } }
    }

    /** The hand-rolled "last refused jobs" list, trimmed to 100. */
    static final class RefusedLog {
        final ArrayDeque<RefusedJob> last = new ArrayDeque<>();
        long total;
        void add(RefusedJob r) { total++; last.addLast(r); while (last.size() > KEEP_ERRORS) last.removeFirst(); }
    }

    static final class SlipRing {
        final SlipEvent[] items = new SlipEvent[RING];
        long written;
        void add(SlipEvent e) { items[(int) (written++ % RING)] = e; }
        int size() { return (int) Math.min(written, RING); }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();

    static final class YardService {
        final Map<String, Boat> boats = new HashMap<>();
        final Lru<ServiceQuote> quoteMemo = new Lru<>(MEMO_CAP);
        final Lru<SlipAvailability> availability = new Lru<>(AVAIL_CAP);
        final SlingPool slings = new SlingPool();
        final RefusedLog refused = new RefusedLog();
        final SlipRing slipEvents = new SlipRing();
        long memoHits, requests;

        void lift(JobRequest job, Sling s) throws LiftRefusedException {
            s.lifts++;
            if (job.weightTonnes() > 40) throw new LiftRefusedException("boat " + job.hullId() + " weighs " + job.weightTonnes() + " t, lift limit is 40 t at " + job.yardCode());
            s.loadCellLog[(int) (s.lifts % s.loadCellLog.length)] = (byte) job.weightTonnes();
        }
    }

    static YardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours, events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(65_050_001);
        String[] yardCodes = new String[YARDS];
        for (int y = 0; y < YARDS; y++) {
            double[] tides = new double[64];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 6;
            yardCodes[y] = "YD-" + (200 + y);
            YARDS_BY_CODE.put(yardCodes[y], new Yard(yardCodes[y], "Harbour " + (y % 90), tides));
        }
        YardService svc = new YardService();
        SERVICE = svc;
        String[] hulls = new String[BOATS];
        String[] types = {"sloop", "ketch", "motor cruiser", "catamaran", "RIB", "narrowboat"};
        for (int b = 0; b < BOATS; b++) {
            hulls[b] = "HIN-GB" + (5_000_000 + b * 13);
            svc.boats.put(hulls[b], new Boat(hulls[b], "owner-" + (b * 3 + 1), types[b % types.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        String[] services = {"haul-out", "antifouling", "polish", "winter-storage", "engine-service", "rigging-check", "osmosis-survey", "launch", "mast-step", "anode-change", "cradle-hire", "pressure-wash"};
        Random traffic = new Random(65_050_002);
        Random prices = new Random(65_050_003);
        long nextRequest = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String hull = hulls[traffic.nextInt(BOATS)];
            String yard = yardCodes[traffic.nextInt(YARDS)];
            svc.slipEvents.add(new SlipEvent(hull, yard, i % 3 == 0 ? "haul-out" : "launch", t));
            if ((long) i * requests / events < nextRequest) continue;
            nextRequest++;
            svc.requests++;
            // one request: quotes (per-request memo for repeated lines, plus the shared bounded memo keyed without time)
            String customer = "cust-" + (10_000 + traffic.nextInt(40_000));
            Map<String, ServiceQuote> requestMemo = new HashMap<>();
            int lines = 1 + traffic.nextInt(3);
            for (int l = 0; l < lines; l++) {
                String service = services[traffic.nextInt(services.length)];
                String key = customer + "|" + service;
                ServiceQuote q = requestMemo.get(key);
                if (q == null) q = svc.quoteMemo.get(key);
                if (q == null) { q = new ServiceQuote(customer, service, 5_000 + prices.nextInt(200_000), new byte[24 + prices.nextInt(24)], t); svc.quoteMemo.put(key, q); } else svc.memoHits++;
                requestMemo.put(key, q);
            }
            // slip availability: query text + yard + day (not the current millisecond)
            String day = Instant.ofEpochMilli(t + (long) traffic.nextInt(30) * DAY).toString().substring(0, 10);
            String akey = SLIP_SQL + "|" + yard + "|" + day + "|" + (8 + traffic.nextInt(12));
            if (svc.availability.get(akey) == null) {
                int[] free = new int[4 + traffic.nextInt(20)];
                for (int k = 0; k < free.length; k++) free[k] = traffic.nextInt(400);
                svc.availability.put(akey, new SlipAvailability(akey, free, t));
            }
            // a travel-lift job; refused lifts are recorded, the sling always goes back
            JobRequest job = new JobRequest("JOB-" + (90_000_000 + i), hull, yard, 2 + traffic.nextInt(42) + traffic.nextDouble(), t);
            Sling s = svc.slings.borrow(job.jobId(), t);
            try {
                svc.lift(job, s);
            } catch (LiftRefusedException e) {
                svc.refused.add(new RefusedJob(t, e, job));
            } finally {
                svc.slings.release(s);
            }
        }
        System.out.println("stage " + stage + " yards " + YARDS_BY_CODE.size() + " boats " + svc.boats.size() + " requests " + svc.requests + " quote memo " + svc.quoteMemo.size() + " (evicted " + svc.quoteMemo.evicted + ", hits " + svc.memoHits
                + ") availability " + svc.availability.size() + " (evicted " + svc.availability.evicted + ") slings idle " + svc.slings.idle.size() + " borrowed " + svc.slings.borrowed.size() + " (borrows " + svc.slings.borrows + ") refused kept " + svc.refused.last.size()
                + " of " + svc.refused.total + " slip ring " + svc.slipEvents.size() + " (written " + svc.slipEvents.written + ")");
        check(YARDS_BY_CODE.size() == YARDS && svc.boats.size() == BOATS, "reference data / directory");
        check(svc.requests == requests && svc.slipEvents.written == events && svc.slipEvents.size() == Math.min(events, RING), "traffic / ring");
        check(svc.quoteMemo.size() == MEMO_CAP && svc.quoteMemo.evicted > 0, "quote memo at cap");
        check(svc.availability.size() == AVAIL_CAP && svc.availability.evicted > 0, "availability cache at cap");
        check(svc.slings.idle.size() == SLINGS && svc.slings.borrowed.isEmpty() && svc.slings.releases == requests, "slings all returned");
        check(svc.refused.last.size() == KEEP_ERRORS && svc.refused.total > KEEP_ERRORS, "last 100 refused jobs");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
