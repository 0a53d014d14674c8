// hprofscan-dump: name=val20-leak-dronesurvey-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val20-leak-dronesurvey-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val20-leak-dronesurvey jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val20-leak-dronesurvey-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 20 (written blind), LEAK: the photogrammetry back end of a drone survey company.
 * Uploaded flights are stitched by a job thread started per flight ("stitch-<flight>"), which ends
 * when the flight is done; the upload API runs on a fixed pool of 6 threads. Both record their
 * processing statistics in a static {@code Map<Thread, ProcessingStats>} keyed by the current
 * thread. The bug: the entry of a job thread is never removed when the thread ends, so every
 * terminated job thread (and its statistics) stays. Beside it: the airspace restrictions, the
 * fleet, the customer sites, a map-tile cache at its cap, the flight-log ring, the upload queue.
 * Series: stage 1 simulates 2 h, stage 2 4 h, stage 3 8 h. See testdata/VALIDATION20.md.
 */
public final class Val20LeakDroneSurvey {
    static final long HOUR = 3_600_000L;
    static final int ZONES = 5_000, DRONES = 3_000, SITES = 60_000, TILE_CAP = 1_500, API_THREADS = 6, RING = 8_192;
    static final int FLIGHTS_PER_HOUR = 300, UPLOADS_PER_HOUR = 900;

    static final class ProcessingStats {
        final String threadName; long jobs; long bytes; String lastFlightId; long lastUpdatedAt;
        final long[] tileLatencyHistogram = new long[256];
        final long[] bytesHistogram = new long[128];
        final double[] groundSampleErrors = new double[64];
        ProcessingStats(String threadName) { this.threadName = threadName; }
    }

    static final class Telemetry {
        static final Map<Thread, ProcessingStats> PER_THREAD = new ConcurrentHashMap<>();
        static ProcessingStats mine() { return PER_THREAD.computeIfAbsent(Thread.currentThread(), t -> new ProcessingStats(t.getName())); }
    }

    record NoFlyZone(String id, String authority, double[] polygon, long validUntil) {}
    record Drone(String serial, String model, long commissionedAt, int[] batteryCycles) {}
    record Site(String id, long customerId, String address, double lat, double lon) {}
    record Tile(String key, byte[] png) {}
    record FlightLogEvent(String flightId, String event, long at) {}
    record Upload(String flightId, String droneSerial, long receivedAt, int images) {}

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(1024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class SurveyService {
        final Map<String, NoFlyZone> airspace = new HashMap<>();
        final Map<String, Drone> fleet = new HashMap<>();
        final Map<String, Site> sites = new HashMap<>();
        final TileCache tiles = new TileCache();
        final FlightLogEvent[] flightLog = new FlightLogEvent[RING];
        long flightLogWritten;
        final LinkedBlockingQueue<Upload> uploads = new LinkedBlockingQueue<>();
        final ThreadPoolExecutor api = new ThreadPoolExecutor(API_THREADS, API_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r, "survey-api-" + System.nanoTime() % 100_000); t.setDaemon(true); return t; });
        long stitched;
        synchronized void log(String flightId, String event, long at) { flightLog[(int) (flightLogWritten++ % RING)] = new FlightLogEvent(flightId, event, at); }
    }

    static SurveyService SURVEY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val20.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(20_040_001);
        SurveyService svc = new SurveyService();
        SURVEY = svc;
        for (int z = 0; z < ZONES; z++) {
            double[] poly = new double[80];
            for (int k = 0; k < poly.length; k++) poly[k] = rnd.nextDouble() * 90;
            String id = "NFZ-" + (10_000 + z);
            svc.airspace.put(id, new NoFlyZone(id, z % 3 == 0 ? "Civil Aviation Authority" : "Municipality " + (z % 200), poly, now + (long) rnd.nextInt(365 * 24) * HOUR));
        }
        for (int d = 0; d < DRONES; d++) {
            int[] cycles = new int[16];
            for (int k = 0; k < cycles.length; k++) cycles[k] = rnd.nextInt(400);
            String serial = "DRN-" + Long.toHexString(0x1000_0000L + d);
            svc.fleet.put(serial, new Drone(serial, d % 2 == 0 ? "Quad X4" : "Fixed-wing W2", now - (long) rnd.nextInt(3 * 365 * 24) * HOUR, cycles));
        }
        for (int s = 0; s < SITES; s++) {
            String id = "SITE-" + (500_000 + s);
            svc.sites.put(id, new Site(id, 70_000L + rnd.nextInt(9_000), (1 + rnd.nextInt(999)) + " Quarry Road, Parcel " + s, 40 + rnd.nextDouble() * 10, -5 + rnd.nextDouble() * 10));
        }
        CyclicBarrier ready = new CyclicBarrier(API_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < API_THREADS; w++) warm.add(svc.api.submit(() -> { Telemetry.mine(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        int flights = (int) (FLIGHTS_PER_HOUR * hours), uploads = (int) (UPLOADS_PER_HOUR * hours);
        Random jobRnd = new Random(20_040_002);
        for (int i = 0; i < uploads; i++) {
            long t = start + (now - start) * i / uploads;
            final String flightId = "FLT-" + (3_000_000 + i);
            final int images = 50 + jobRnd.nextInt(400);
            svc.api.submit(() -> {
                ProcessingStats st = Telemetry.mine();
                st.jobs++; st.bytes += images * 6_000_000L; st.lastFlightId = flightId; st.lastUpdatedAt = t;
                st.bytesHistogram[Math.min(127, images / 4)]++;
            }).get();
            if (i % 3 == 0) {
                final int n = i / 3;
                final long seed = jobRnd.nextLong();
                Thread job = new Thread(() -> {
                    try {
                        Random r = new Random(seed);
                        ProcessingStats st = Telemetry.mine();
                        for (int k = 0; k < 40; k++) st.tileLatencyHistogram[r.nextInt(256)]++;
                        for (int k = 0; k < st.groundSampleErrors.length; k++) st.groundSampleErrors[k] = r.nextDouble() * 0.05;
                        st.jobs++; st.lastFlightId = flightId; st.lastUpdatedAt = t + 600_000;
                        synchronized (svc) {
                            for (int k = 0; k < 3; k++) svc.tiles.put(flightId + "/z17/" + k, new Tile(flightId + "/z17/" + k, new byte[1_000 + r.nextInt(1_000)]));
                            svc.stitched++;
                        }
                        svc.log(flightId, "STITCHED", t + 600_000);
                    } finally {
                        if (fixed) Telemetry.PER_THREAD.remove(Thread.currentThread()); // BUG in the leak run: never removed
                    }
                }, "stitch-" + flightId);
                job.start();
                job.join();
                check(n + 1 == svc.stitched, "job " + n);
            }
            svc.log(flightId, "UPLOADED", t);
        }
        for (int q = 0; q < 25; q++) svc.uploads.add(new Upload("FLT-" + (3_000_000 + uploads + q), "DRN-" + Long.toHexString(0x1000_0000L + rnd.nextInt(DRONES)), now - (25 - q) * 3_000L, 80 + rnd.nextInt(300)));
        int live = 0, dead = 0;
        for (Thread th : Telemetry.PER_THREAD.keySet()) { if (th.isAlive()) live++; else dead++; }
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " zones " + svc.airspace.size() + " drones " + svc.fleet.size() + " sites " + svc.sites.size() + " uploads " + uploads + " flights stitched " + svc.stitched + " per-thread stats " + Telemetry.PER_THREAD.size() + " (live threads " + live + ", terminated " + dead + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") flight log written " + svc.flightLogWritten + " queued uploads " + svc.uploads.size());
        check(svc.airspace.size() == ZONES && svc.fleet.size() == DRONES && svc.sites.size() == SITES, "reference data");
        check(svc.stitched == flights && uploads == 3 * flights, "traffic");
        check(live == API_THREADS && dead == (fixed ? 0 : flights), "per-thread stats: live " + live + " terminated " + dead);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted == 3L * flights - TILE_CAP, "tile cache at its cap");
        check(svc.flightLogWritten == uploads + flights && (svc.flightLog[RING - 1] != null) == (svc.flightLogWritten >= RING), "flight log ring");
        check(svc.api.getPoolSize() == API_THREADS && svc.uploads.size() == 25, "api pool and upload queue");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
