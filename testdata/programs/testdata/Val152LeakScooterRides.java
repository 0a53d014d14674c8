// hprofscan-dump: name=val152-leak-scooterrides jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val152-leak-scooterrides-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 152 (written blind), LEAK: the ride service of an e-scooter rental operator. Zone
 * reference data, the scooter directory, a cache of rendered parking-map tiles at its cap, a pool
 * of telemetry decode buffers, a ring of ride receipts, the open rides, and a forgotten-ride
 * safeguard: every ride start schedules a 12-hour force-end task on a ScheduledThreadPoolExecutor
 * (one daemon thread "ride-safeguard"); ending the ride calls future.cancel(false), but the
 * executor was created without setRemoveOnCancelPolicy(true), so each cancelled task stays in the
 * work queue until its 12 hours pass. The scheduler decorates each task (TracedTask: the runnable,
 * kept for the admin page, and the MDC context of the ride), so a queued cancelled task keeps the
 * ride (and its GPS track) its lambda captured.
 * See VALIDATION152.md.
 */
public final class Val152LeakScooterRides {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SAFEGUARD_HOURS = 12;
    static final int ZONES = 900, SCOOTERS = 22_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192, RIDES_PER_HOUR = 2_000, HOURS = 6;
    static boolean FIXED;

    record Zone(String code, String city, double[] demandByHalfHour) {}
    record Scooter(String id, String zone, String model, byte[] maintenanceLog, long commissionedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Receipt(long rideId, String scooterId, int cents, long endedAt) {}

    static final class Ride {
        final long id; final String scooterId, riderId; final long startedAt; long endedAt; final byte[] gpsTrack;
        ScheduledFuture<?> safeguard;
        Ride(long id, String scooterId, String riderId, long startedAt, byte[] gpsTrack) { this.id = id; this.scooterId = scooterId; this.riderId = riderId; this.startedAt = startedAt; this.gpsTrack = gpsTrack; }
    }

    /**
     * A scheduler that decorates every task with the MDC context of the code that scheduled it (the
     * ride and rider ids for the logs of the task) and keeps the runnable for the admin page's
     * description of queued tasks. Cancelling a decorated task honours the remove-on-cancel policy.
     */
    static final class TracingScheduler extends ScheduledThreadPoolExecutor {
        TracingScheduler(String name) { super(1, r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; }); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) { return new TracedTask<>(this, runnable, task, CURRENT_MDC); }
    }

    static final class TracedTask<V> implements RunnableScheduledFuture<V> {
        final TracingScheduler owner; final Runnable runnable; final RunnableScheduledFuture<V> task; final Map<String, String> mdc;
        TracedTask(TracingScheduler owner, Runnable runnable, RunnableScheduledFuture<V> task, Map<String, String> mdc) { this.owner = owner; this.runnable = runnable; this.task = task; this.mdc = mdc; }
        @Override public void run() { task.run(); }
        @Override public boolean cancel(boolean interrupt) { boolean c = task.cancel(interrupt); if (c && owner.getRemoveOnCancelPolicy()) owner.remove(this); return c; }
        @Override public boolean isCancelled() { return task.isCancelled(); }
        @Override public boolean isDone() { return task.isDone(); }
        @Override public V get() throws InterruptedException, ExecutionException { return task.get(); }
        @Override public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException { return task.get(timeout, unit); }
        @Override public boolean isPeriodic() { return task.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return task.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS)); }
    }

    static Map<String, String> CURRENT_MDC;

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class RideService {
        final Map<String, Scooter> scooters = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        final Map<Long, Ride> openRides = new HashMap<>();
        final TracingScheduler safeguard = new TracingScheduler("ride-safeguard");
        long started, ended, forceEnded;
        RideService() { if (FIXED) safeguard.setRemoveOnCancelPolicy(true); } // the fix

        void start(Ride ride) {
            openRides.put(ride.id, ride);
            started++;
            Map<String, String> mdc = new HashMap<>();
            mdc.put("rideId", Long.toString(ride.id)); mdc.put("riderId", ride.riderId); mdc.put("scooterId", ride.scooterId);
            CURRENT_MDC = mdc;
            ride.safeguard = safeguard.schedule(() -> forceEnd(ride), SAFEGUARD_HOURS, TimeUnit.HOURS);
            CURRENT_MDC = null;
        }
        synchronized void forceEnd(Ride ride) { forceEnded++; openRides.remove(ride.id); }
        void end(Ride ride, long at, int cents) {
            ride.endedAt = at;
            ride.safeguard.cancel(false); // BUG (without the remove-on-cancel policy): the cancelled task stays queued for 12 h
            openRides.remove(ride.id);
            receipts[(int) (ended++ % RING)] = new Receipt(ride.id, ride.scooterId, cents, at);
        }
    }

    static RideService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int rides = RIDES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(152_020_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            zoneCodes[z] = "Z-" + (z / 30) + "-" + (z % 30);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "City " + (z / 30), demand));
        }
        RideService svc = new RideService();
        SERVICE = svc;
        String[] ids = new String[SCOOTERS];
        String[] models = {"Ninebot G30", "Okai ES400", "Segway Max", "Niu KQi3"};
        for (int s = 0; s < SCOOTERS; s++) {
            ids[s] = "SC" + (880_000 + s);
            svc.scooters.put(ids[s], new Scooter(ids[s], zoneCodes[rnd.nextInt(ZONES)], models[s % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(152_020_002);
        // rides start spread over the period; each lasts 4-40 minutes; the ones that have not ended by "end" are open
        java.util.PriorityQueue<long[]> ends = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<Long, Ride> byId = new HashMap<>();
        for (int i = 0; i < rides; i++) {
            long t = start + (end - MINUTE - start) * i / rides;
            while (!ends.isEmpty() && ends.peek()[0] <= t) {
                long[] e = ends.poll();
                svc.end(byId.remove(e[1]), e[0], (int) e[2]);
            }
            Ride ride = new Ride(60_000_000L + i, ids[traffic.nextInt(SCOOTERS)], "R" + (300_000 + traffic.nextInt(400_000)), t, new byte[300 + traffic.nextInt(300)]);
            svc.start(ride);
            byId.put(ride.id, ride);
            ends.add(new long[] {t + (4 + traffic.nextInt(37)) * MINUTE, ride.id, 100 + traffic.nextInt(900)});
            String key = "tile-" + traffic.nextInt(4_500);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        while (!ends.isEmpty() && ends.peek()[0] <= end) {
            long[] e = ends.poll();
            svc.end(byId.remove(e[1]), e[0], (int) e[2]);
        }
        int open = byId.size();
        int queued = svc.safeguard.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " scooters " + svc.scooters.size() + " rides started " + svc.started + " ended " + svc.ended + " open " + svc.openRides.size()
                + " safeguard queue " + queued + " (force-ended " + svc.forceEnded + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.decodeBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.scooters.size() == SCOOTERS, "reference data / directory");
        check(svc.started == rides && svc.ended + open == rides && svc.openRides.size() == open && open > 0 && svc.forceEnded == 0, "rides");
        check(queued == (FIXED ? open : rides), "safeguard queue: " + queued);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val152.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
