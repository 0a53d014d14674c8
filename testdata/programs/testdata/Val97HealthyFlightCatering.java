// hprofscan-dump: name=val97-healthy-flightcatering-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val97-healthy-flightcatering-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val97-healthy-flightcatering jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val97-healthy-flightcatering-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 97 (written blind), HEALTHY: the galley-planning service of an airline caterer
 * (meal loads per flight leg, trolley packing, galley load sheets). Station reference data, the
 * meal-spec directory, a cache of rendered load sheets at its cap, a pool of label buffers, a ring
 * of trolley scans, a sliding window of the open flight legs (the next 300 departures) with a
 * WeakHashMap of load plans keyed by the FlightLeg objects (the plans do not reference their legs,
 * so a departed leg's plan goes with it), and a fixed pool of 4 packing workers whose per-thread
 * scratch (ThreadLocal: a 16 KiB label buffer and a notes list) is fixed in size and cleared after
 * every request. Warms up, then plateaus. See VALIDATION97.md.
 */
public final class Val97HealthyFlightCatering {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, LEG_EVERY = 10_000L;
    static final int STATIONS = 1_200, SPECS = 25_000, SHEET_CAP = 2_000, POOL = 8, SCAN_RING = 8_192, OPEN_LEGS = 300,
            SCANS_PER_HOUR = 6_000, PACKERS = 4, NOTES_PER_REQUEST = 6;

    record Station(String iata, String region, double[] mealUpliftByWeek) {}
    record MealSpec(String specCode, String cabin, String stationCode, byte[] recipeCard, long validFrom) {}
    record LoadSheet(String key, byte[] rendered, long at) {}
    record TrolleyScan(String trolleyId, String legId, String position, long at) {}
    record PackingRequest(String legId, String trolleyId, int meals, long at) {}

    /** One flight leg, open from planning until departure. */
    static final class FlightLeg {
        final String legId, from, to;
        final long departsAt;
        FlightLeg(String legId, String from, String to, long departsAt) { this.legId = legId; this.from = from; this.to = to; this.departsAt = departsAt; }
    }

    /** Meal load plan of a leg; keeps the leg's id, not the leg. */
    static final class LoadPlan {
        final String legId;
        final int[] mealsByCabinAndType;
        final byte[] galleyLayout;
        final long computedAt;
        LoadPlan(String legId, int[] meals, byte[] galleyLayout, long computedAt) { this.legId = legId; this.mealsByCabinAndType = meals; this.galleyLayout = galleyLayout; this.computedAt = computedAt; }
    }

    /** Per-thread scratch of a packing worker: fixed size, cleared after every request. */
    static final class PackingScratch {
        final byte[] labelBuffer = new byte[16_384];
        final List<String> notes = new ArrayList<>();
        long used;
    }

    static final class SheetCache extends LinkedHashMap<String, LoadSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LoadSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class GalleyService {
        final Map<String, MealSpec> specs = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final TrolleyScan[] scans = new TrolleyScan[SCAN_RING];
        long scansWritten;
        final LinkedHashMap<String, FlightLeg> openLegs = new LinkedHashMap<>();
        final WeakHashMap<FlightLeg, LoadPlan> loadPlans = new WeakHashMap<>(1_024);
        long legsOpened, legsDeparted;
        final ThreadLocal<PackingScratch> scratch = ThreadLocal.withInitial(PackingScratch::new);
        final AtomicInteger packed = new AtomicInteger();
        final ThreadPoolExecutor packers;
        final CyclicBarrier tickBarrier = new CyclicBarrier(PACKERS);
        GalleyService() {
            AtomicInteger n = new AtomicInteger();
            packers = new ThreadPoolExecutor(PACKERS, PACKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> new Thread(r, "packing-worker-" + n.incrementAndGet()));
        }

        LoadPlan planFor(FlightLeg leg, Random r, long at) {
            LoadPlan p = loadPlans.get(leg);
            if (p == null) {
                int[] meals = new int[12];
                for (int k = 0; k < meals.length; k++) meals[k] = r.nextInt(60);
                p = new LoadPlan(leg.legId, meals, new byte[200 + r.nextInt(200)], at);
                loadPlans.put(leg, p);
            }
            return p;
        }

        int pack(PackingRequest q) {
            PackingScratch s = scratch.get();
            try {
                for (int k = 0; k < NOTES_PER_REQUEST; k++) s.notes.add(q.trolleyId() + " drawer " + k);
                for (int m = 0; m < q.meals(); m++) s.labelBuffer[(m * 131) % s.labelBuffer.length] = (byte) m;
                s.used++;
                packed.incrementAndGet();
                return s.notes.size();
            } finally {
                s.notes.clear(); // per-request state is cleared; the scratch itself is reused
            }
        }

        /** One packing tick: 4 requests run in parallel and meet at the barrier (one per worker). */
        void packTick(PackingRequest[] requests) throws Exception {
            List<Future<Integer>> fs = new ArrayList<>();
            for (PackingRequest q : requests) fs.add(packers.submit(() -> { int n = pack(q); tickBarrier.await(30, TimeUnit.SECONDS); return n; }));
            for (Future<Integer> f : fs) f.get(60, TimeUnit.SECONDS);
        }

        /** {used, notes} of each worker's scratch (one probe per thread, held apart by the barrier). */
        long[][] scratchState() throws Exception {
            List<Future<long[]>> fs = new ArrayList<>();
            for (int w = 0; w < PACKERS; w++) fs.add(packers.submit(() -> { PackingScratch s = scratch.get(); long[] st = {s.used, s.notes.size()}; tickBarrier.await(30, TimeUnit.SECONDS); return st; }));
            long[][] out = new long[PACKERS][];
            for (int w = 0; w < PACKERS; w++) out[w] = fs.get(w).get(60, TimeUnit.SECONDS);
            return out;
        }
    }

    static GalleyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int[] build(int stage) throws Exception {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int scans = SCANS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(97_050_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] uplift = new double[64];
            for (int k = 0; k < uplift.length; k++) uplift[k] = rnd.nextDouble() * 300;
            stationCodes[s] = "" + (char) ('A' + s / 676 % 26) + (char) ('A' + s / 26 % 26) + (char) ('A' + s % 26);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Region " + (s % 40), uplift));
        }
        GalleyService svc = new GalleyService();
        SERVICE = svc;
        String[] cabins = {"F", "J", "W", "Y"};
        for (int m = 0; m < SPECS; m++) {
            String code = "MS-" + (600_000 + m);
            svc.specs.put(code, new MealSpec(code, cabins[m % 4], stationCodes[rnd.nextInt(STATIONS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(97_050_002);
        Random planner = new Random(97_050_003);
        long nextLeg = start, nextPack = start, nextHour = start + HOUR;
        int ticks = 0;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            if (t >= nextHour) { // stands in for the collections of a real day: the plans of departed legs are cleared
                System.gc();
                nextHour += HOUR;
            }
            while (nextLeg <= t) {
                FlightLeg leg = new FlightLeg("LEG-" + (8_800_000 + svc.legsOpened), stationCodes[planner.nextInt(STATIONS)], stationCodes[planner.nextInt(STATIONS)], nextLeg + 20 * HOUR);
                svc.legsOpened++;
                svc.openLegs.put(leg.legId, leg);
                svc.planFor(leg, planner, nextLeg);
                if (svc.openLegs.size() > OPEN_LEGS) { // the earliest open leg departs: closed and dropped
                    Map.Entry<String, FlightLeg> first = svc.openLegs.entrySet().iterator().next();
                    svc.openLegs.remove(first.getKey());
                    svc.legsDeparted++;
                }
                nextLeg += LEG_EVERY;
            }
            while (nextPack <= t) {
                PackingRequest[] reqs = new PackingRequest[PACKERS];
                for (int w = 0; w < PACKERS; w++) reqs[w] = new PackingRequest("LEG-" + (8_800_000 + traffic.nextInt((int) svc.legsOpened)), "TR-" + traffic.nextInt(9_000), 20 + traffic.nextInt(80), nextPack);
                svc.packTick(reqs);
                ticks++;
                nextPack += MINUTE;
            }
            String legId = "LEG-" + (8_800_000 + traffic.nextInt((int) svc.legsOpened));
            svc.scans[(int) (svc.scansWritten++ % SCAN_RING)] = new TrolleyScan("TR-" + traffic.nextInt(9_000), legId, "G" + (1 + traffic.nextInt(6)), t);
            String key = "sheet-" + traffic.nextInt(4_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new LoadSheet(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        return new int[] {scans, ticks};
    }

    /** Runs System.gc() until the load-plan map has {@code expected} entries (stale ones expunged by size()). */
    static int settle(int expected) throws InterruptedException {
        int size = -1;
        for (int round = 0; round < 100; round++) {
            System.gc();
            Thread.sleep(50);
            size = SERVICE.loadPlans.size();
            if (size == expected) return size;
        }
        return size;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) { // the pool threads would keep a failed run alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int[] counts = build(stage);
        GalleyService svc = SERVICE;
        int plans = settle(OPEN_LEGS);
        long[][] scratch = svc.scratchState();
        for (int wait = 0; wait < 100 && svc.packers.getActiveCount() > 0; wait++) Thread.sleep(50);
        long used = 0;
        for (long[] s : scratch) used += s[0];
        System.out.println("stage " + stage + " stations " + STATIONS_BY_CODE.size() + " specs " + svc.specs.size() + " legs opened " + svc.legsOpened + " departed " + svc.legsDeparted
                + " open " + svc.openLegs.size() + " load plans " + plans + " packing ticks " + counts[1] + " packed " + svc.packed.get() + " scratch used " + used
                + " scans " + svc.scansWritten + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.labelBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.specs.size() == SPECS, "reference data / directory");
        check(svc.openLegs.size() == OPEN_LEGS && svc.legsOpened - svc.legsDeparted == OPEN_LEGS, "open-leg window");
        check(plans == OPEN_LEGS, "load plans only for open legs: " + plans);
        for (long[] s : scratch) check(s[0] == counts[1] && s[1] == 0, "scratch reused and cleared");
        check(svc.packed.get() == PACKERS * counts[1] && svc.packers.getPoolSize() == PACKERS && svc.packers.getActiveCount() == 0, "packing pool");
        check(svc.scansWritten == counts[0] && svc.scans[Math.min(SCAN_RING, counts[0]) - 1] != null, "scan ring");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        scratch = null;
        svc = null;
        LeakCheck.histogram("java.util.WeakHashMap", "ThreadLocal", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
