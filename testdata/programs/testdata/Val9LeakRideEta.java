// hprofscan-dump: name=val9-leak-rideeta jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val9-leak-rideeta-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 9 (written blind), LEAK: a ride-hailing dispatch service after 10 simulated
 * hours. The leak: {@code TripTracker} creates a one-thread {@code ScheduledThreadPoolExecutor}
 * per trip to push ETA updates to the rider; when the trip completes it cancels the ETA task but
 * never shuts the executor down. Each completed trip leaves an idle live thread
 * {@code eta-<tripId>} whose executor keeps the trip's thread factory and, through it, the trip
 * context with its route polyline. 400 trips completed (400 leaked executors and threads), 20 are
 * still in progress (their trackers are legitimately running). Beside it: the zone directory
 * loaded at startup, the driver directory, a fare-quote LRU at capacity, a history of the last
 * 3,000 completed trips and a fixed dispatch pool of 6 threads with a route scratch buffer each.
 * See testdata/VALIDATION9.md.
 */
public final class Val9LeakRideEta {
    static final int ZONES = 30_000;
    static final int DRIVERS = 15_000;
    static final int FARE_CACHE_CAP = 5_000;
    static final int TRIP_HISTORY_CAP = 3_000;
    static final int DISPATCHERS = 6;
    static final int TRACKED_TRIPS = 420;
    static final int COMPLETED_TRACKED = 400;
    static final int TRIPS = 9_000;
    static final int POLYLINE_POINTS = 1_200;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 10 * HOUR;

    static DispatchService RUNNING;

    static final class Zone {
        final String h3Cell; final String city; final double[] boundary; final double baseSurge; final int maxPickupWaitSecs;
        Zone(String h3Cell, String city, double[] boundary, double baseSurge, int maxPickupWaitSecs) { this.h3Cell = h3Cell; this.city = city; this.boundary = boundary; this.baseSurge = baseSurge; this.maxPickupWaitSecs = maxPickupWaitSecs; }
    }

    /** Reference data: the service-area zones, loaded from the geo service at startup. */
    static final class ZoneDirectory {
        static final Map<String, Zone> BY_CELL = new HashMap<>();
    }

    static final class Driver {
        final long driverId; final String name; final String vehiclePlate; final String vehicleClass; final float rating; final long onboardedAt; double lat; double lon; long lastPingAt; String status;
        Driver(long driverId, String name, String vehiclePlate, String vehicleClass, float rating, long onboardedAt) { this.driverId = driverId; this.name = name; this.vehiclePlate = vehiclePlate; this.vehicleClass = vehicleClass; this.rating = rating; this.onboardedAt = onboardedAt; }
    }

    /** Every active driver of the city, loaded at startup. */
    static final class DriverDirectory {
        final Map<Long, Driver> drivers = new ConcurrentHashMap<>();
    }

    static final class FareQuote {
        final String quoteKey; final int fareCents; final double surge; final long quotedAt;
        FareQuote(String quoteKey, int fareCents, double surge, long quotedAt) { this.quoteKey = quoteKey; this.fareCents = fareCents; this.surge = surge; this.quotedAt = quotedAt; }
    }

    static final class FareQuoteCache extends LinkedHashMap<String, FareQuote> {
        final int maxSize;
        FareQuoteCache(int maxSize) { super(8192, 0.75f, true); this.maxSize = maxSize; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { return size() > maxSize; }
    }

    static final class CompletedTrip {
        final long tripId; final long riderId; final long driverId; final int fareCents; final long requestedAt; final long completedAt; final String status;
        CompletedTrip(long tripId, long riderId, long driverId, int fareCents, long requestedAt, long completedAt, String status) { this.tripId = tripId; this.riderId = riderId; this.driverId = driverId; this.fareCents = fareCents; this.requestedAt = requestedAt; this.completedAt = completedAt; this.status = status; }
    }

    /** Per-trip state while the trip runs. */
    static final class TripContext {
        final long tripId; final long riderId; final long driverId; final double[] routePolyline; final String pickupCell; final String dropoffCell; final long requestedAt; volatile int etaSecs;
        TripContext(long tripId, long riderId, long driverId, double[] routePolyline, String pickupCell, String dropoffCell, long requestedAt) { this.tripId = tripId; this.riderId = riderId; this.driverId = driverId; this.routePolyline = routePolyline; this.pickupCell = pickupCell; this.dropoffCell = dropoffCell; this.requestedAt = requestedAt; }
    }

    /** Names the ETA thread after the trip and logs failures with the trip's context. */
    static final class TripThreadFactory implements ThreadFactory {
        final TripContext trip;
        TripThreadFactory(TripContext trip) { this.trip = trip; }
        @Override public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "eta-" + trip.tripId);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> System.err.println("eta failed for trip " + trip.tripId + ": " + e));
            return t;
        }
    }

    /** THE LEAK: one executor per trip; {@link #complete} cancels the task but never shuts the executor down. */
    static final class TripTracker {
        final Map<Long, ScheduledFuture<?>> etaTasks = new ConcurrentHashMap<>();
        long executorsCreated;
        void start(TripContext trip) {
            ScheduledThreadPoolExecutor etaExecutor = new ScheduledThreadPoolExecutor(1, new TripThreadFactory(trip));
            etaExecutor.setRemoveOnCancelPolicy(true);
            executorsCreated++;
            etaTasks.put(trip.tripId, etaExecutor.scheduleAtFixedRate(() -> trip.etaSecs = Math.max(0, trip.etaSecs - 15), 10, 15, TimeUnit.MINUTES));
        }
        void complete(long tripId) {
            ScheduledFuture<?> f = etaTasks.remove(tripId);
            if (f != null) f.cancel(false);
        }
    }

    static final class DispatchService {
        final DriverDirectory drivers = new DriverDirectory();
        final FareQuoteCache fares = new FareQuoteCache(FARE_CACHE_CAP);
        final ArrayDeque<CompletedTrip> history = new ArrayDeque<>();
        final TripTracker tracker = new TripTracker();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor dispatchers = new ThreadPoolExecutor(DISPATCHERS, DISPATCHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "dispatch-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread scratch for route matching. */
        static final ThreadLocal<double[]> ROUTE_SCRATCH = ThreadLocal.withInitial(() -> new double[8 * 1024]);
        final Properties config = new Properties();
        void record(CompletedTrip t) { history.addLast(t); if (history.size() > TRIP_HISTORY_CAP) history.removeFirst(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(9_060_001);
        DispatchService svc = new DispatchService();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("dispatch.city." + i + ".maxRadiusMeters", Integer.toString(2000 + i * 10));
        String[] cells = new String[ZONES];
        for (int i = 0; i < ZONES; i++) {
            String cell = "8a2a" + Long.toHexString(0x1000000000L + i * 977L) + "f";
            cells[i] = cell;
            double[] boundary = new double[12];
            for (int k = 0; k < boundary.length; k++) boundary[k] = 40.0 + rnd.nextDouble();
            ZoneDirectory.BY_CELL.put(cell, new Zone(cell, "City " + (i % 25), boundary, 1.0 + (i % 7) / 10.0, 300 + i % 600));
        }
        String[] classes = {"ECONOMY", "COMFORT", "XL", "BLACK"};
        for (int i = 0; i < DRIVERS; i++) {
            long id = 3_300_000L + i * 3L;
            Driver d = new Driver(id, "Driver " + i, String.format("NY-%05d", i), classes[i % 4], 4.0f + rnd.nextInt(100) / 100f, now - DAY * rnd.nextInt(1500));
            d.status = "AVAILABLE"; d.lastPingAt = now - rnd.nextInt(60_000);
            svc.drivers.drivers.put(id, d);
        }
        CyclicBarrier warm = new CyclicBarrier(DISPATCHERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < DISPATCHERS; w++) fs.add(svc.dispatchers.submit(() -> { DispatchService.ROUTE_SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 10 hours of trips. Only trips of riders who opted into live ETA sharing get a tracker (every
        // 21st trip, 420 in all); the last 20 tracked trips (long airport runs) are still running.
        int tracked = 0;
        List<Long> runningTracked = new ArrayList<>();
        for (int i = 0; i < TRIPS; i++) {
            long t = start + SIM_MILLIS * i / TRIPS;
            long tripId = 77_000_000L + i;
            long rider = 500_000_000L + rnd.nextInt(2_000_000);
            long driver = 3_300_000L + rnd.nextInt(DRIVERS) * 3L;
            String pickup = cells[rnd.nextInt(ZONES)], dropoff = cells[rnd.nextInt(ZONES)];
            String qk = pickup + ">" + dropoff + "@" + (i / 30);
            FareQuote q = svc.fares.get(qk);
            if (q == null) { q = new FareQuote(qk, 800 + rnd.nextInt(5000), ZoneDirectory.BY_CELL.get(pickup).baseSurge, t); svc.fares.put(qk, q); }
            Driver d = svc.drivers.drivers.get(driver);
            d.lastPingAt = t; d.status = "ON_TRIP";
            boolean trackedTrip = i % 21 == 20 && tracked < TRACKED_TRIPS;
            if (trackedTrip) {
                double[] polyline = new double[POLYLINE_POINTS];
                for (int k = 0; k < polyline.length; k++) polyline[k] = 40.0 + k / 10_000.0;
                svc.tracker.start(new TripContext(tripId, rider, driver, polyline, pickup, dropoff, t));
                tracked++;
                if (tracked > COMPLETED_TRACKED) { runningTracked.add(tripId); continue; }
            }
            svc.tracker.complete(tripId);
            d.status = "AVAILABLE";
            svc.record(new CompletedTrip(tripId, rider, driver, q.fareCents, t, t + MINUTE * (5 + rnd.nextInt(40)), "COMPLETED"));
        }
        int etaThreads = 0, dispatchThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("eta-")) etaThreads++;
            if (th.getName().startsWith("dispatch-")) dispatchThreads++;
        }
        System.out.println("zones " + ZoneDirectory.BY_CELL.size() + " drivers " + svc.drivers.drivers.size() + " fares " + svc.fares.size() + " history " + svc.history.size()
                + " executors created " + svc.tracker.executorsCreated + " eta threads " + etaThreads + " running eta tasks " + svc.tracker.etaTasks.size() + " dispatch threads " + dispatchThreads);
        check(ZoneDirectory.BY_CELL.size() == ZONES && svc.drivers.drivers.size() == DRIVERS, "reference data");
        check(svc.fares.size() == FARE_CACHE_CAP && svc.history.size() == TRIP_HISTORY_CAP, "lru/history");
        check(svc.tracker.executorsCreated == TRACKED_TRIPS && etaThreads == TRACKED_TRIPS, "eta threads " + etaThreads);
        check(svc.tracker.etaTasks.size() == TRACKED_TRIPS - COMPLETED_TRACKED && runningTracked.size() == TRACKED_TRIPS - COMPLETED_TRACKED, "running trips");
        check(dispatchThreads == DISPATCHERS, "dispatchers");
        LeakCheck.histogram("ScheduledThreadPoolExecutor ", "java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
