// hprofscan-dump: name=val104-leak-telematics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val104-leak-telematics-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 104 (written blind), LEAK: the report exports of a fleet-telematics portal.
 * Vehicle-model reference data, the vehicle directory, an LRU of rendered map tiles at its cap, a
 * pool of CSV buffers, a ring of recent trips and a ring of finished-export summaries. Every export
 * job gets its own java.util.Timer ("export-timeout-<id>") with a one-shot TimeoutTask (30 minutes
 * of real time) that would abort the job. When the job finishes in time the code cancels the task
 * (TimerTask.cancel(); on the error path not even that) but never the Timer: one live Timer thread
 * per finished export, each queue keeping its cancelled or pending task and the job it captured
 * (with its column manifest and first-page preview). See VALIDATION104.md.
 */
public final class Val104LeakTelematics {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TIMEOUT_REAL_MS = 30 * MINUTE;
    static final int MODELS = 800, VEHICLES = 24_000, TILE_CAP = 1_500, POOL = 8, TRIP_RING = 16_384, SUMMARY_RING = 256, JOBS = 480, RUNNING = 3, HOURS = 10;
    static boolean FIXED;

    record VehicleModel(String code, String make, double[] fuelCurve) {}
    record Vehicle(String vin, String modelCode, String fleet, byte[] config, long commissionedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Trip(String vin, long from, long to, int meters) {}
    record ExportSummary(long jobId, String customer, int rows, long finishedAt) {}

    static final class ExportJob {
        final long id; final String customer, query; final long requestedAt; final byte[] manifest; int rows; long finishedAt; boolean failed;
        Timer timer; TimeoutTask timeout;
        ExportJob(long id, String customer, String query, long requestedAt, byte[] manifest) { this.id = id; this.customer = customer; this.query = query; this.requestedAt = requestedAt; this.manifest = manifest; }
    }

    static final class TimeoutTask extends TimerTask {
        final ExportJob job;
        TimeoutTask(ExportJob job) { this.job = job; }
        @Override public void run() { job.failed = true; }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, VehicleModel> MODELS_BY_CODE = new HashMap<>();

    static final class ReportService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> csvBuffers = new ArrayDeque<>();
        final Trip[] trips = new Trip[TRIP_RING];
        final ExportSummary[] finished = new ExportSummary[SUMMARY_RING];
        final Map<Long, ExportJob> running = new HashMap<>();
        /** Only with the fix: one shared timer for every job's timeout. */
        final Timer sharedTimeouts = FIXED ? new Timer("export-timeouts", true) : null;
        long tripsWritten, exportsStarted, exportsFinished, exportsFailed;

        void startExport(ExportJob job) {
            job.timeout = new TimeoutTask(job);
            if (FIXED) sharedTimeouts.schedule(job.timeout, TIMEOUT_REAL_MS);
            else { job.timer = new Timer("export-timeout-" + job.id); job.timer.schedule(job.timeout, TIMEOUT_REAL_MS); } // BUG: a Timer per job
            running.put(job.id, job);
            exportsStarted++;
        }
        void finishExport(ExportJob job, int rows, boolean error, long t) {
            job.rows = rows; job.finishedAt = t;
            running.remove(job.id);
            if (error) exportsFailed++; // the error path forgets the timeout entirely
            else job.timeout.cancel();  // BUG: cancels the task, never job.timer
            if (FIXED) { job.timeout.cancel(); sharedTimeouts.purge(); }
            finished[(int) (exportsFinished++ % SUMMARY_RING)] = new ExportSummary(job.id, job.customer, rows, t);
        }
    }

    static ReportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Waits until the named timer thread has taken its task and waits for the task's deadline. */
    static void awaitParked(String name) throws InterruptedException {
        for (int spins = 0; spins < 20_000; spins++) {
            Thread[] all = new Thread[Thread.activeCount() + 16];
            int n = Thread.currentThread().getThreadGroup().enumerate(all);
            for (int i = 0; i < n; i++) if (all[i].getName().equals(name) && all[i].getState() == Thread.State.TIMED_WAITING) return;
            Thread.sleep(1);
        }
        throw new IllegalStateException("timer thread did not park: " + name);
    }

    static void build() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(104_040_001);
        String[] modelCodes = new String[MODELS];
        String[] makes = {"Ford", "Mercedes", "Volvo", "Scania", "Iveco", "Renault", "DAF", "MAN"};
        for (int m = 0; m < MODELS; m++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = 5 + rnd.nextDouble() * 30;
            modelCodes[m] = "MDL-" + (100 + m);
            MODELS_BY_CODE.put(modelCodes[m], new VehicleModel(modelCodes[m], makes[m % makes.length], curve));
        }
        ReportService svc = new ReportService();
        SERVICE = svc;
        String[] vins = new String[VEHICLES];
        for (int v = 0; v < VEHICLES; v++) {
            vins[v] = "WDB9" + (6_000_000_000_000L + v * 37L);
            svc.vehicles.put(vins[v], new Vehicle(vins[v], modelCodes[rnd.nextInt(MODELS)], "Fleet " + (v % 300), new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.csvBuffers.add(new byte[32_768]);
        Random traffic = new Random(104_040_002);
        String[] reports = {"fuel-usage", "idle-time", "driver-behaviour", "trip-log", "geofence-events", "maintenance-due"};
        int tripsPerJob = 120, errors = 0;
        ExportJob pending = null;
        for (int j = 0; j < JOBS; j++) {
            long t = start + (end - 2 * MINUTE - start) * j / JOBS;
            for (int k = 0; k < tripsPerJob; k++) {
                long to = t - traffic.nextInt(60_000), from = to - 60_000 - traffic.nextInt(3_000_000);
                svc.trips[(int) (svc.tripsWritten++ % TRIP_RING)] = new Trip(vins[traffic.nextInt(VEHICLES)], from, to, 500 + traffic.nextInt(90_000));
                String key = "z12/" + traffic.nextInt(90) + "/" + traffic.nextInt(60);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], from));
            }
            ExportJob job = new ExportJob(7_700_000L + j, "CUST-" + (1_000 + traffic.nextInt(900)), reports[traffic.nextInt(reports.length)] + "?fleet=" + traffic.nextInt(300) + "&days=" + (1 + traffic.nextInt(90)), t, new byte[4_000 + traffic.nextInt(4_000)]);
            svc.startExport(job);
            if (!FIXED) awaitParked("export-timeout-" + job.id); // a real export runs for minutes: its timer thread is parked on the 30-minute deadline long before the job ends
            byte[] buf = svc.csvBuffers.poll();
            buf[j % buf.length] = (byte) j;
            svc.csvBuffers.add(buf);
            // the previous job finishes in time (before this one is requested, some 75 s later); the last RUNNING jobs are still running
            if (pending != null) { boolean err = traffic.nextInt(20) == 0; if (err) errors++; svc.finishExport(pending, 1_000 + traffic.nextInt(90_000), err, pending.requestedAt + 1 + (long) (traffic.nextDouble() * (t - pending.requestedAt - 1))); }
            pending = j < JOBS - RUNNING ? job : null;
        }
        int timerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("export-timeout")) timerThreads++;
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " exports started " + svc.exportsStarted + " finished " + svc.exportsFinished + " (failed " + svc.exportsFailed + ") running "
                + svc.running.size() + " timer threads " + timerThreads + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") trips " + svc.tripsWritten + " pool " + svc.csvBuffers.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(svc.exportsStarted == JOBS && svc.exportsFinished == JOBS - RUNNING && svc.running.size() == RUNNING && svc.exportsFailed == errors, "exports");
        check(timerThreads == (FIXED ? 1 : JOBS), "timer threads: " + timerThreads);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.csvBuffers.size() == POOL && svc.trips[TRIP_RING - 1] != null && svc.finished[SUMMARY_RING - 1] != null, "pool / rings");
    }

    public static void main(String[] args) throws Exception {
        try {
            FIXED = Boolean.getBoolean("val104.fixed");
            build();
            LeakCheck.histogram();
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // the timer threads are not daemons
        }
    }
}
