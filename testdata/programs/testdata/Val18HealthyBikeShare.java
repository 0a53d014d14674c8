// hprofscan-dump: name=val18-healthy-bikeshare-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val18-healthy-bikeshare-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val18-healthy-bikeshare jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val18-healthy-bikeshare-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 18 (written blind), HEALTHY: the ride service of a city bike-share scheme.
 * Looks like several leak shapes and is not one: every ride in progress has a fare meter task
 * scheduled at a fixed rate on the service's scheduler (cancelled, and removed from the queue,
 * when the bike is docked), rides in progress are kept in an {@code IdentityHashMap} keyed by
 * the bike (removed when the ride ends), payment holds per ride (released at the end). Reference
 * data: the docking stations (with a preallocated 24-hour occupancy ring each), the fleet and the
 * rider directory. Bounded: the trip history ring (full and wrapping from stage 2), the route tile
 * LRU (at its cap from stage 2), four fixed periodic tasks, a fixed API pool.
 * Series: stage 1 simulates 1 h, stage 2 4 h, stage 3 8 h: warm, then flat.
 * See testdata/VALIDATION18.md.
 */
public final class Val18HealthyBikeShare {
    static final int STATIONS = 3_000;
    static final int BIKES = 25_000;
    static final int RIDERS = 50_000;
    static final int RIDES_PER_HOUR = 3_000;
    static final int HISTORY_SLOTS = 8_192;
    static final int TILE_CAP = 2_000;
    static final int TILE_SPACE = 20_000;
    static final int TILES_PER_HOUR = 1_500;
    static final int API_THREADS = 8;
    static final int FIXED_TASKS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static RideService RIDES;

    static final class Dock { final int number; Bike bike; boolean faulty;
        Dock(int number) { this.number = number; } }

    static final class Station { final String id; final String name; final double[] location; final Dock[] docks; final float[] occupancy = new float[288]; int ringPos;
        Station(String id, String name, double[] location, Dock[] docks) { this.id = id; this.name = name; this.location = location; this.docks = docks; } }

    /** Reference data: the docking stations, loaded at startup. */
    static final class StationRegistry {
        static final Map<String, Station> BY_ID = new HashMap<>();
        static final Station[] ALL = new Station[STATIONS];
    }

    static final class Bike { final String id; final String model; final int[] maintenance = new int[16]; int batteryPct; Station dockedAt;
        Bike(String id, String model) { this.id = id; this.model = model; } }

    static final class Rider { final long id; final String name; final String email; final String plan; final long memberSince;
        Rider(long id, String name, String email, String plan, long memberSince) { this.id = id; this.name = name; this.email = email; this.plan = plan; this.memberSince = memberSince; } }

    static final class Ride { final long rideId; final Rider rider; final Bike bike; final Station from; final long startedAt; long fareCents; ScheduledFuture<?> meter;
        Ride(long rideId, Rider rider, Bike bike, Station from, long startedAt) { this.rideId = rideId; this.rider = rider; this.bike = bike; this.from = from; this.startedAt = startedAt; } }

    static final class PaymentHold { final long rideId; final long riderId; final long amountCents; final long placedAt;
        PaymentHold(long rideId, long riderId, long amountCents, long placedAt) { this.rideId = rideId; this.riderId = riderId; this.amountCents = amountCents; this.placedAt = placedAt; } }

    static final class TripRecord { long rideId; long riderId; String fromId; String toId; long startedAt; long endedAt; long fareCents; final float[] path = new float[24]; }

    static final class TileLru extends LinkedHashMap<Integer, byte[]> {
        long evicted;
        TileLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class RideService {
        final Map<String, Bike> fleet = new HashMap<>();
        final Map<Long, Rider> riders = new HashMap<>();
        final Map<Bike, Ride> active = new IdentityHashMap<>();
        final Map<Long, PaymentHold> holds = new HashMap<>();
        final TripRecord[] history = new TripRecord[HISTORY_SLOTS];
        long historyWritten;
        final TileLru tiles = new TileLru();
        final ScheduledThreadPoolExecutor meters;
        final AtomicInteger apiSeq = new AtomicInteger();
        final ThreadPoolExecutor api = new ThreadPoolExecutor(API_THREADS, API_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "bike-api-" + apiSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long ridesStarted, ridesEnded, metersCancelled, tilesRendered;

        RideService() {
            AtomicInteger seq = new AtomicInteger();
            meters = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "ride-meter-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
            meters.setRemoveOnCancelPolicy(true);
        }

        /** Adds a minute's fare while the ride is in progress. */
        static final class FareMeter implements Runnable {
            final Ride ride;
            FareMeter(Ride ride) { this.ride = ride; }
            @Override public void run() { ride.fareCents += 5; }
        }

        void start(Ride r) {
            active.put(r.bike, r);
            holds.put(r.rideId, new PaymentHold(r.rideId, r.rider.id, 1_500, r.startedAt));
            r.bike.dockedAt = null;
            r.meter = meters.scheduleAtFixedRate(new FareMeter(r), 2, 1, TimeUnit.MINUTES);
            ridesStarted++;
        }

        void end(Ride r, Station to, long t, Random rnd) {
            r.meter.cancel(false);
            metersCancelled++;
            active.remove(r.bike);
            holds.remove(r.rideId);
            r.bike.dockedAt = to;
            r.fareCents = 100 + (t - r.startedAt) / MINUTE * 5;
            int slot = (int) (historyWritten++ % HISTORY_SLOTS);
            TripRecord rec = history[slot];
            if (rec == null) { rec = new TripRecord(); history[slot] = rec; }
            rec.rideId = r.rideId; rec.riderId = r.rider.id; rec.fromId = r.from.id; rec.toId = to.id; rec.startedAt = r.startedAt; rec.endedAt = t; rec.fareCents = r.fareCents;
            for (int k = 0; k < rec.path.length; k++) rec.path[k] = (float) (r.from.location[k & 1] + rnd.nextDouble() * 0.01);
            ridesEnded++;
        }

        void tile(int z, long t, Random rnd) {
            byte[] img = tiles.get(z);
            if (img == null) { tiles.put(z, new byte[1_536 + rnd.nextInt(1_024)]); tilesRendered++; }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(18_050_005);
        RideService svc = new RideService();
        RIDES = svc;
        for (int i = 0; i < 40; i++) svc.config.setProperty("bike.zone." + i + ".tariff", Integer.toString(100 + i * 5));
        String[] fixedTasks = {"rebalancing-plan", "gbfs-status-feed", "stale-hold-sweep", "metrics-push"};
        for (int i = 0; i < FIXED_TASKS; i++) {
            final String name = fixedTasks[i];
            svc.meters.scheduleAtFixedRate(() -> svc.config.setProperty("bike.task." + name + ".lastRun", Long.toString(System.currentTimeMillis())), 5 + i, 5, TimeUnit.MINUTES);
        }
        String[] streets = {"Market Square", "Station Road", "Riverside", "University Park", "Harbour Gate", "Old Town Hall", "Canal Street"};
        for (int i = 0; i < STATIONS; i++) {
            Dock[] docks = new Dock[20 + rnd.nextInt(21)];
            for (int k = 0; k < docks.length; k++) docks[k] = new Dock(k + 1);
            Station s = new Station("ST" + (4_000 + i), streets[i % streets.length] + " " + (i / streets.length) + " (" + docks.length + " docks)", new double[] {51.4 + rnd.nextDouble() * 0.2, -0.2 + rnd.nextDouble() * 0.3}, docks);
            StationRegistry.BY_ID.put(s.id, s);
            StationRegistry.ALL[i] = s;
        }
        String[] models = {"Urban-3 e-bike", "Classic 7-speed", "Cargo trike"};
        Bike[] bikes = new Bike[BIKES];
        for (int i = 0; i < BIKES; i++) {
            Bike b = new Bike("BK" + (600_000 + i), models[i % 3]);
            for (int k = 0; k < 16; k++) b.maintenance[k] = rnd.nextInt(400);
            b.batteryPct = rnd.nextInt(101);
            b.dockedAt = StationRegistry.ALL[rnd.nextInt(STATIONS)];
            svc.fleet.put(b.id, b);
            bikes[i] = b;
        }
        String[] plans = {"pay-as-you-go", "monthly", "annual", "student"};
        Rider[] riders = new Rider[RIDERS];
        for (int i = 0; i < RIDERS; i++) {
            long id = 8_800_000L + i;
            Rider r = new Rider(id, "Rider " + id, "rider" + id + "@mail.example.com", plans[i % 4], start - (long) (rnd.nextDouble() * 3 * 365 * 24 * HOUR));
            svc.riders.put(id, r);
            riders[i] = r;
        }
        CyclicBarrier ready = new CyclicBarrier(API_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < API_THREADS; w++) warm.add(svc.api.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Rides start evenly spread, last 5-40 minutes; tile requests in between; every 5 minutes
        // each station records its occupancy into its ring.
        int rides = (int) (RIDES_PER_HOUR * hours);
        int tileRequests = (int) (TILES_PER_HOUR * hours);
        PriorityQueue<Object[]> ends = new PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        long nextSample = start + 5 * MINUTE;
        int tilesDone = 0, samples = 0;
        for (int i = 0; i <= rides; i++) {
            long t = i < rides ? start + (now - start) * i / rides : now;
            while (!ends.isEmpty() && (Long) ends.peek()[0] <= t) {
                Object[] e = ends.poll();
                svc.end((Ride) e[1], StationRegistry.ALL[rnd.nextInt(STATIONS)], (Long) e[0], rnd);
            }
            while (nextSample <= t) {
                for (Station s : StationRegistry.ALL) { s.occupancy[s.ringPos] = rnd.nextFloat(); s.ringPos = (s.ringPos + 1) % s.occupancy.length; }
                samples++;
                nextSample += 5 * MINUTE;
            }
            while (tilesDone < (long) tileRequests * i / Math.max(1, rides)) { svc.tile(rnd.nextInt(TILE_SPACE), t, rnd); tilesDone++; }
            if (i == rides) break;
            Bike b = bikes[rnd.nextInt(BIKES)];
            while (svc.active.containsKey(b)) b = bikes[rnd.nextInt(BIKES)];
            Ride r = new Ride(90_000_000L + i, riders[rnd.nextInt(RIDERS)], b, b.dockedAt, t);
            svc.start(r);
            ends.add(new Object[] {t + (5 + rnd.nextInt(36)) * MINUTE, r});
        }
        int activeNow = svc.active.size();
        int queued = svc.meters.getQueue().size();
        int filled = 0;
        for (TripRecord rec : svc.history) if (rec != null) filled++;
        System.out.println("stage " + stage + " stations " + StationRegistry.BY_ID.size() + " bikes " + svc.fleet.size() + " riders " + svc.riders.size() + " rides " + rides + " ended " + svc.ridesEnded + " active " + activeNow + " holds " + svc.holds.size() + " meter queue " + queued + " (fixed " + FIXED_TASKS + ", cancelled " + svc.metersCancelled + ") history " + filled + " (written " + svc.historyWritten + ") tiles " + svc.tiles.size() + " (rendered " + svc.tilesRendered + ", evicted " + svc.tiles.evicted + ") samples " + samples);
        check(StationRegistry.BY_ID.size() == STATIONS && svc.fleet.size() == BIKES && svc.riders.size() == RIDERS, "reference data");
        check(svc.ridesStarted == rides && svc.ridesEnded + activeNow == rides && activeNow == ends.size() && activeNow > 0, "rides");
        check(svc.holds.size() == activeNow, "payment holds");
        check(queued == FIXED_TASKS + activeNow && svc.metersCancelled == svc.ridesEnded, "meter scheduler");
        check(filled == Math.min(HISTORY_SLOTS, svc.historyWritten) && (stage == 1 || svc.historyWritten > HISTORY_SLOTS), "trip history ring");
        check(svc.tiles.size() == Math.min(TILE_CAP, svc.tilesRendered) && svc.tiles.evicted == svc.tilesRendered - svc.tiles.size() && (stage == 1 || svc.tiles.size() == TILE_CAP), "tile lru");
        check(svc.api.getPoolSize() == API_THREADS && svc.meters.getCompletedTaskCount() == 0, "pools");
        bikes = null; riders = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
