// hprofscan-dump: name=val14-healthy-elevators jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val14-healthy-elevators-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 14 (written blind), HEALTHY: the cloud group controller of an elevator company's
 * connected buildings. It holds the building registry with every car (loaded at startup), the
 * learned traffic-demand profiles per building (one double per floor and 15-minute slot, rebuilt
 * nightly: the biggest structure), the hall calls assigned and not yet served (the last ~1
 * minute), the last 25,000 finished trips (a capped history for the analytics export), an LRU of
 * maintenance alarms capped at 2,000, 4 listeners on an internal event bus registered once at
 * startup, and a fixed pool of dispatch threads. 6 simulated hours. See
 * testdata/VALIDATION14.md.
 */
public final class Val14HealthyElevatorDispatch {
    static final int BUILDINGS = 400;
    static final int SLOTS = 96;
    static final int TRIP_HISTORY_CAP = 25_000;
    static final int ALARM_CAP = 2_000;
    static final int DISPATCHERS = 4;
    static final int CALLS = 90_000;
    static final int ALARMS = 7_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static GroupController CONTROLLER;

    static final class Car { final String carId; final int ratedKg; final double speedMs; int floor; int direction; long lastMovedAt;
        Car(String carId, int ratedKg, double speedMs) { this.carId = carId; this.ratedKg = ratedKg; this.speedMs = speedMs; } }

    static final class Building { final String siteCode; final String address; final int floors; final Car[] cars; final String[] floorLabels; final long commissionedAt;
        Building(String siteCode, String address, int floors, Car[] cars, String[] floorLabels, long commissionedAt) { this.siteCode = siteCode; this.address = address; this.floors = floors; this.cars = cars; this.floorLabels = floorLabels; this.commissionedAt = commissionedAt; } }

    /** Reference data: every connected building and its cars. */
    static final class Portfolio {
        static final Map<String, Building> BUILDINGS_BY_SITE = new HashMap<>();
    }

    /** Demand learned from history, rebuilt nightly: arrivals per floor and 15-minute slot. */
    static final class DemandModel { final Map<String, double[]> arrivalsPerSlot = new HashMap<>(); long builtAt; }

    static final class HallCall { final long callId; final String siteCode; final int fromFloor; final int toFloor; final long pressedAt; final Car assigned;
        HallCall(long callId, String siteCode, int fromFloor, int toFloor, long pressedAt, Car assigned) { this.callId = callId; this.siteCode = siteCode; this.fromFloor = fromFloor; this.toFloor = toFloor; this.pressedAt = pressedAt; this.assigned = assigned; } }

    static final class TripRecord { final long callId; final String carId; final short fromFloor; final short toFloor; final int waitMs; final int rideMs; final long arrivedAt;
        TripRecord(long callId, String carId, short fromFloor, short toFloor, int waitMs, int rideMs, long arrivedAt) { this.callId = callId; this.carId = carId; this.fromFloor = fromFloor; this.toFloor = toFloor; this.waitMs = waitMs; this.rideMs = rideMs; this.arrivedAt = arrivedAt; } }

    static final class Alarm { final String alarmKey; final String carId; final String code; final String detail; final long raisedAt; int repeats;
        Alarm(String alarmKey, String carId, String code, String detail, long raisedAt) { this.alarmKey = alarmKey; this.carId = carId; this.code = code; this.detail = detail; this.raisedAt = raisedAt; } }

    static final class AlarmLru extends LinkedHashMap<String, Alarm> {
        long evicted;
        AlarmLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Alarm> eldest) { if (size() > ALARM_CAP) { evicted++; return true; } return false; }
    }

    interface DispatchListener { void onTrip(TripRecord r); }

    static final class GroupController {
        final DemandModel demand = new DemandModel();
        final Map<Long, HallCall> assignedCalls = new ConcurrentHashMap<>();
        final ArrayDeque<TripRecord> tripHistory = new ArrayDeque<>();
        long tripsRotated;
        final AlarmLru alarms = new AlarmLru();
        final List<DispatchListener> busListeners = new CopyOnWriteArrayList<>();
        final long[] tripsPerDispatcher = new long[DISPATCHERS];
        final AtomicInteger threadSeq = new AtomicInteger();
        final ThreadPoolExecutor dispatchers = new ThreadPoolExecutor(DISPATCHERS, DISPATCHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "dispatch-" + threadSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties limits = new Properties();
        void finish(TripRecord r) {
            tripHistory.addLast(r);
            while (tripHistory.size() > TRIP_HISTORY_CAP) { tripHistory.removeFirst(); tripsRotated++; }
            for (DispatchListener l : busListeners) l.onTrip(r);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 6 * HOUR;
        Random rnd = new Random(14_030_001);
        GroupController ctl = new GroupController();
        CONTROLLER = ctl;
        for (int i = 0; i < 40; i++) ctl.limits.setProperty("dispatch.max.wait.s." + i, Integer.toString(30 + i));
        long cars = 0;
        for (int b = 0; b < BUILDINGS; b++) {
            int floors = 8 + rnd.nextInt(53);
            Car[] cs = new Car[4 + rnd.nextInt(13)];
            for (int c = 0; c < cs.length; c++) cs[c] = new Car("S" + (10_000 + b) + "-L" + (c + 1), 630 + 100 * rnd.nextInt(12), 1.0 + rnd.nextInt(60) / 10.0);
            cars += cs.length;
            String[] labels = new String[floors];
            for (int f = 0; f < floors; f++) labels[f] = f == 0 ? "G" : "Level " + f;
            String site = "S" + (10_000 + b);
            Portfolio.BUILDINGS_BY_SITE.put(site, new Building(site, (100 + b) + " Harbour Street, Tower " + (b % 7), floors, cs, labels, now - DAY * (200 + rnd.nextInt(3_000))));
            double[] prof = new double[floors * SLOTS * 2];
            for (int k = 0; k < prof.length; k++) prof[k] = rnd.nextDouble() * 4;
            ctl.demand.arrivalsPerSlot.put(site, prof);
        }
        ctl.demand.builtAt = start - 2 * HOUR;
        long[] tripsSeen = new long[1];
        ctl.busListeners.add(r -> tripsSeen[0]++);
        ctl.busListeners.add(r -> ctl.tripsPerDispatcher[(int) (r.callId % DISPATCHERS)]++);
        ctl.busListeners.add(r -> { if (r.waitMs > 120_000) tripsSeen[0] += 0; });
        ctl.busListeners.add(r -> { });
        CyclicBarrier ready = new CyclicBarrier(DISPATCHERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < DISPATCHERS; w++) warm.add(ctl.dispatchers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        String[] sites = Portfolio.BUILDINGS_BY_SITE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(sites);
        // Hall calls spread over 6 hours up to the dump; served 10-90 s after the press (wait plus
        // ride): calls whose service ends after "now" are still assigned.
        int stillAssigned = 0;
        for (int i = 0; i < CALLS; i++) {
            long t = start + (now - start) * i / CALLS;
            Building b = Portfolio.BUILDINGS_BY_SITE.get(sites[rnd.nextInt(sites.length)]);
            Car car = b.cars[rnd.nextInt(b.cars.length)];
            int from = rnd.nextInt(b.floors), to = rnd.nextInt(b.floors);
            long id = 70_000_000L + i;
            HallCall call = new HallCall(id, b.siteCode, from, to, t, car);
            ctl.assignedCalls.put(id, call);
            int wait = 5_000 + rnd.nextInt(45_000), ride = 5_000 + rnd.nextInt(40_000);
            if (t + wait + ride <= now) {
                ctl.assignedCalls.remove(id);
                car.floor = to; car.lastMovedAt = t + wait + ride;
                ctl.finish(new TripRecord(id, car.carId, (short) from, (short) to, wait, ride, t + wait + ride));
            } else stillAssigned++;
        }
        for (int i = 0; i < ALARMS; i++) {
            long t = start + (now - start) * i / ALARMS;
            Building b = Portfolio.BUILDINGS_BY_SITE.get(sites[rnd.nextInt(sites.length)]);
            Car car = b.cars[rnd.nextInt(b.cars.length)];
            String code = "E" + (100 + rnd.nextInt(60));
            String key = car.carId + "/" + code;
            Alarm a = ctl.alarms.get(key);
            if (a == null) ctl.alarms.put(key, new Alarm(key, car.carId, code, "door reopen count above threshold at floor " + rnd.nextInt(b.floors), t));
            else a.repeats++;
        }
        int finished = CALLS - stillAssigned;
        System.out.println("buildings " + Portfolio.BUILDINGS_BY_SITE.size() + " cars " + cars + " profiles " + ctl.demand.arrivalsPerSlot.size() + " assigned " + ctl.assignedCalls.size() + " trips " + ctl.tripHistory.size() + " (rotated " + ctl.tripsRotated + ") alarms " + ctl.alarms.size() + " (evicted " + ctl.alarms.evicted + ") listeners " + ctl.busListeners.size());
        check(Portfolio.BUILDINGS_BY_SITE.size() == BUILDINGS && ctl.demand.arrivalsPerSlot.size() == BUILDINGS, "reference data");
        check(ctl.assignedCalls.size() == stillAssigned && stillAssigned > 100 && stillAssigned < 600, "assigned calls");
        check(ctl.tripHistory.size() == TRIP_HISTORY_CAP && ctl.tripsRotated == finished - TRIP_HISTORY_CAP && tripsSeen[0] == finished, "trip history");
        check(ctl.alarms.size() == ALARM_CAP && ctl.alarms.evicted > 0, "alarms");
        check(ctl.busListeners.size() == 4 && ctl.dispatchers.getPoolSize() == DISPATCHERS, "listeners/pool");
        sites = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
