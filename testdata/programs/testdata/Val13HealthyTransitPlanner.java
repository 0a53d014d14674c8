// hprofscan-dump: name=val13-healthy-transit-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val13-healthy-transit-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val13-healthy-transit jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val13-healthy-transit-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 13 (written blind), HEALTHY (series: warming, then flat): the journey planner of
 * a regional public transit authority. Stage 1 after 1 hour, stage 2 after 4 hours, stage 3 after
 * 8 hours, each its own JVM run with the same seed. The timetable (stops and trips) is loaded at
 * startup; the journey-plan cache is an access-order LRU capped at 8,000 plans (5,000 plans in
 * stage 1, at its cap from stage 2 on); the realtime vehicle directory fills as vehicles report
 * (900 day-service vehicles in stage 1, the whole fleet of 1,400 from stage 2 on). A request-log
 * ring and a fixed pool of routing threads with a label scratch each. See
 * testdata/VALIDATION13.md.
 */
public final class Val13HealthyTransitPlanner {
    static final int STOPS = 20_000;
    static final int TRIPS = 12_000;
    static final int PLAN_CAP = 8_000;
    static final int FLEET = 1_400;
    static final int LOG_RING = 4_096;
    static final int ROUTERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static PlannerService RUNNING;

    static final class Stop {
        final String stopId; final String name; final double lat; final double lon; final int zone; final String[] platforms;
        Stop(String stopId, String name, double lat, double lon, int zone, String[] platforms) { this.stopId = stopId; this.name = name; this.lat = lat; this.lon = lon; this.zone = zone; this.platforms = platforms; }
    }

    static final class Trip {
        final String tripId; final String routeId; final int[] stopIdx; final int[] departures; final long validFrom;
        Trip(String tripId, String routeId, int[] stopIdx, int[] departures, long validFrom) { this.tripId = tripId; this.routeId = routeId; this.stopIdx = stopIdx; this.departures = departures; this.validFrom = validFrom; }
    }

    /** Reference data: the published timetable (GTFS feed), loaded at startup. */
    static final class Timetable {
        static final Map<String, Stop> STOPS_BY_ID = new HashMap<>();
        static final Map<String, Trip> TRIPS_BY_ID = new HashMap<>();
    }

    static final class Leg { final String tripId; final int fromStop; final int toStop; final int depart; final int arrive;
        Leg(String tripId, int fromStop, int toStop, int depart, int arrive) { this.tripId = tripId; this.fromStop = fromStop; this.toStop = toStop; this.depart = depart; this.arrive = arrive; } }

    static final class JourneyPlan { final String key; final Leg[] legs; final long computedAt; final int fareCents;
        JourneyPlan(String key, Leg[] legs, long computedAt, int fareCents) { this.key = key; this.legs = legs; this.computedAt = computedAt; this.fareCents = fareCents; } }

    /** An access-order LRU of computed journey plans. */
    static final class PlanCache extends LinkedHashMap<String, JourneyPlan> {
        final int capacity; long evictions;
        PlanCache(int capacity) { super(capacity * 4 / 3 + 1, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, JourneyPlan> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    static final class VehiclePosition { final String vehicleId; volatile double lat; volatile double lon; volatile int delaySeconds; volatile long reportedAt; final String routeId;
        VehiclePosition(String vehicleId, String routeId) { this.vehicleId = vehicleId; this.routeId = routeId; } }

    static final class RequestLogSlot { long at; String origin; String destination; int legs; int micros; }

    static final class PlannerService {
        final PlanCache plans = new PlanCache(PLAN_CAP);
        final Map<String, VehiclePosition> vehicles = new ConcurrentHashMap<>();
        final RequestLogSlot[] log = new RequestLogSlot[LOG_RING];
        long requests;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor routers = new ThreadPoolExecutor(ROUTERS, ROUTERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "router-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<int[]> LABELS = ThreadLocal.withInitial(() -> new int[32_768]);
        final Properties config = new Properties();
        PlannerService() { for (int i = 0; i < LOG_RING; i++) log[i] = new RequestLogSlot(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = stage == 1 ? 5_000 : (int) (10_000 * hours);
        int activeFleet = stage == 1 ? 900 : FLEET;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(13_010_001);
        PlannerService svc = new PlannerService();
        RUNNING = svc;
        for (int i = 0; i < 55; i++) svc.config.setProperty("planner.raptor." + i, "rounds=" + (3 + i % 5));
        for (int i = 0; i < STOPS; i++) {
            String id = "STP" + (100_000 + i);
            String[] pf = new String[1 + rnd.nextInt(4)];
            for (int k = 0; k < pf.length; k++) pf[k] = id + ":" + (char) ('A' + k);
            Timetable.STOPS_BY_ID.put(id, new Stop(id, "Stop " + i + " " + (i % 3 == 0 ? "Station" : "Street"), 47 + rnd.nextDouble(), 8 + rnd.nextDouble(), 1 + rnd.nextInt(9), pf));
        }
        for (int i = 0; i < TRIPS; i++) {
            int n = 12 + rnd.nextInt(30);
            int[] st = new int[n], dep = new int[n];
            int t0 = 5 * 3_600 + rnd.nextInt(18 * 3_600);
            for (int k = 0; k < n; k++) { st[k] = rnd.nextInt(STOPS); dep[k] = t0 + k * (60 + rnd.nextInt(180)); }
            String id = "T" + (i % 300) + "-" + i;
            Timetable.TRIPS_BY_ID.put(id, new Trip(id, "R" + (i % 300), st, dep, now - DAY * (1 + rnd.nextInt(60))));
        }
        String[] tripIds = Timetable.TRIPS_BY_ID.keySet().toArray(new String[0]);
        CyclicBarrier warm = new CyclicBarrier(ROUTERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < ROUTERS; w++) fs.add(svc.routers.submit(() -> { PlannerService.LABELS.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: every request asks for a distinct origin/destination/time slot; the plan is computed
        // and cached. Vehicles report every request round-robin over the active fleet.
        for (int i = 0; i < requests; i++) {
            long t = start + (now - start) * i / requests;
            long pair = (i * 7_919L) % 200_003L;
            String key = "STP" + (100_000 + pair % STOPS) + ">" + "STP" + (100_000 + (pair * 13) % STOPS) + "@" + (i % 96);
            JourneyPlan p = svc.plans.get(key);
            if (p == null) {
                Leg[] legs = new Leg[1 + rnd.nextInt(4)];
                for (int k = 0; k < legs.length; k++) legs[k] = new Leg(tripIds[rnd.nextInt(TRIPS)], rnd.nextInt(STOPS), rnd.nextInt(STOPS), 20_000 + k * 900, 20_600 + k * 900);
                p = new JourneyPlan(key, legs, t, 280 + rnd.nextInt(900));
                svc.plans.put(key, p);
            }
            String vid = "BUS-" + (i % activeFleet);
            VehiclePosition v = svc.vehicles.computeIfAbsent(vid, id -> new VehiclePosition(id, "R" + (id.hashCode() & 255)));
            v.lat = 47 + rnd.nextDouble(); v.lon = 8 + rnd.nextDouble(); v.delaySeconds = rnd.nextInt(600); v.reportedAt = t;
            RequestLogSlot s = svc.log[(int) (svc.requests++ % LOG_RING)];
            s.at = t; s.origin = key.substring(0, 9); s.destination = key.substring(10, 19); s.legs = p.legs.length; s.micros = 200 + rnd.nextInt(20_000);
        }
        int expectedPlans = Math.min(requests, PLAN_CAP);
        System.out.println("stage " + stage + " stops " + Timetable.STOPS_BY_ID.size() + " trips " + Timetable.TRIPS_BY_ID.size() + " plans " + svc.plans.size() + " (evictions " + svc.plans.evictions + ") vehicles " + svc.vehicles.size() + " requests " + svc.requests);
        check(Timetable.STOPS_BY_ID.size() == STOPS && Timetable.TRIPS_BY_ID.size() == TRIPS, "reference data");
        check(svc.plans.size() == expectedPlans && svc.plans.evictions == requests - expectedPlans, "plan cache");
        check(svc.vehicles.size() == activeFleet, "vehicles");
        check(svc.requests == requests && requests > LOG_RING && svc.routers.getPoolSize() == ROUTERS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
