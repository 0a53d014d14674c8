// hprofscan-dump: name=val48-leak-brickworks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val48-leak-brickworks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 48 (written blind), LEAK: the export service of a brickworks (kiln-batch quality
 * reports exported as CSV for builders' merchants and the standards auditor). Clay-recipe reference
 * data, the production-batch directory, a cache of rendered firing charts at its cap, a pool of CSV
 * buffers, a ring of finished-job summaries and the map of running jobs. Every export job creates
 * its own java.util.Timer (one thread each, named export-progress-JOBID) for a periodic progress
 * report every minute and never cancels it: when the job completes, the timer thread lives on,
 * parked on its queue, and the queue keeps the periodic TimerTask, an anonymous inner class of the
 * job that captures the job with its result buffers. One live timer thread per finished job.
 * The threads are required by the cause. See VALIDATION48.md.
 */
public final class Val48LeakBrickworks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 150_000L, PROGRESS_PERIOD_MS = 60_000L;
    static final int RECIPES = 1_000, BATCHES = 20_000, CHART_CAP = 1_500, POOL = 6, HISTORY = 128, HOURS = 10, IN_PROGRESS = 3, CHUNK = 8_192;
    static final String THREAD_PREFIX = "export-progress-";
    static boolean FIXED;

    record ClayRecipe(String code, String clayPit, double[] firingCurve) {}
    record ProductionBatch(String batchCode, String recipeCode, String kiln, byte[] qcRecord, long firedAt) {}
    record RenderedChart(String key, byte[] png, long at) {}
    record JobSummary(String jobId, String customer, int rows, long bytes, long requestedAt, long finishedAt) {}

    static final class ExportJob {
        final String jobId, customer, format;
        final long requestedAt;
        long finishedAt;
        int rowsTotal, rowsWritten;
        final List<byte[]> resultChunks = new ArrayList<>();
        Timer progressTimer;
        volatile long progressReports;

        ExportJob(String jobId, String customer, String format, long requestedAt, int rowsTotal) {
            this.jobId = jobId; this.customer = customer; this.format = format; this.requestedAt = requestedAt; this.rowsTotal = rowsTotal;
        }

        void start() {
            progressTimer = new Timer(THREAD_PREFIX + jobId);
            progressTimer.scheduleAtFixedRate(new TimerTask() {
                @Override public void run() { reportProgress(); }
            }, PROGRESS_PERIOD_MS, PROGRESS_PERIOD_MS);
        }

        void reportProgress() { progressReports++; }

        void complete(long at) {
            finishedAt = at;
            if (FIXED) progressTimer.cancel();
            // BUG: the progress timer is never cancelled; its thread and periodic task outlive the job
        }
    }

    static final class ChartCache extends LinkedHashMap<String, RenderedChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ClayRecipe> RECIPES_BY_CODE = new HashMap<>();

    static final class ExportService {
        final Map<String, ProductionBatch> batches = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> csvBuffers = new ArrayDeque<>();
        final JobSummary[] history = new JobSummary[HISTORY];
        final Map<String, ExportJob> running = new HashMap<>();
        long jobs, finished, chunks, bytesExported;

        ExportJob submit(String customer, long at, Random r) {
            String id = "EXP-" + (880_000 + jobs++);
            ExportJob job = new ExportJob(id, customer, r.nextBoolean() ? "csv" : "xlsx", at, 2_000 + r.nextInt(20_000));
            running.put(id, job);
            job.start();
            return job;
        }

        /** Writes one chunk of rows through a pooled CSV buffer into the job's result. */
        void writeChunk(ExportJob job, int rows, Random r) {
            byte[] buf = csvBuffers.poll();
            buf[(int) (chunks++ % buf.length)] = (byte) rows;
            byte[] chunk = new byte[CHUNK];
            System.arraycopy(buf, 0, chunk, 0, 64);
            chunk[r.nextInt(CHUNK)] = 1;
            job.resultChunks.add(chunk);
            job.rowsWritten += rows;
            csvBuffers.add(buf);
        }

        void complete(ExportJob job, long at) {
            job.complete(at);
            running.remove(job.jobId);
            long bytes = (long) job.resultChunks.size() * CHUNK;
            bytesExported += bytes;
            history[(int) (finished++ % HISTORY)] = new JobSummary(job.jobId, job.customer, job.rowsWritten, bytes, job.requestedAt, at);
        }
    }

    static ExportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int liveProgressThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith(THREAD_PREFIX) && t.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the timer threads must not keep a failed run alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val48.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int jobs = (int) (HOURS * HOUR / JOB_EVERY);
        Random rnd = new Random(48_030_001);
        String[] pits = {"Etruria marl", "Weald clay", "Keuper marl", "London clay", "Oxford clay", "Fireclay"};
        String[] recipeCodes = new String[RECIPES];
        for (int c = 0; c < RECIPES; c++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 200 + k * 15 + rnd.nextDouble() * 30;
            recipeCodes[c] = "RCP-" + (1_000 + c);
            RECIPES_BY_CODE.put(recipeCodes[c], new ClayRecipe(recipeCodes[c], pits[c % pits.length], curve));
        }
        ExportService svc = new ExportService();
        SERVICE = svc;
        for (int b = 0; b < BATCHES; b++) {
            String code = "KB-" + (6_000_000 + b * 11);
            svc.batches.put(code, new ProductionBatch(code, recipeCodes[rnd.nextInt(RECIPES)], "Kiln " + (1 + b % 4), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.csvBuffers.add(new byte[65_536]);
        Random traffic = new Random(48_030_002);
        String[] customers = {"Travis Perkins", "Jewson", "Selco", "MKM", "Buildbase", "Standards auditor", "Ibstock sales", "Wickes"};
        List<ExportJob> inProgress = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            long at = start + j * JOB_EVERY;
            ExportJob job = svc.submit(customers[traffic.nextInt(customers.length)], at, traffic);
            int chunks = 2 + traffic.nextInt(4);
            boolean stillRunning = j >= jobs - IN_PROGRESS;
            int written = stillRunning ? 1 : chunks;
            for (int c = 0; c < written; c++) svc.writeChunk(job, job.rowsTotal / chunks, traffic);
            for (int k = 0; k < 25; k++) { // QC dashboard views between two jobs, one every 6 s
                String key = "chart-" + traffic.nextInt(3_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new RenderedChart(key, new byte[600 + traffic.nextInt(600)], at + k * 6_000L));
            }
            if (stillRunning) inProgress.add(job);
            else svc.complete(job, at + (30 + traffic.nextInt(90)) * 1_000L);
        }
        int expectedThreads = FIXED ? IN_PROGRESS : jobs;
        int live = liveProgressThreads();
        for (int waited = 0; live != expectedThreads && waited < 200; waited++) { Thread.sleep(50); live = liveProgressThreads(); }
        System.out.println((FIXED ? "FIXED " : "") + "recipes " + RECIPES_BY_CODE.size() + " batches " + svc.batches.size() + " jobs " + svc.jobs + " finished " + svc.finished + " running "
                + svc.running.size() + " live progress threads " + live + " chunks " + svc.chunks + " bytes exported " + svc.bytesExported + " charts " + svc.charts.size()
                + " (evicted " + svc.charts.evicted + ") pool " + svc.csvBuffers.size());
        check(RECIPES_BY_CODE.size() == RECIPES && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.jobs == jobs && svc.finished == jobs - IN_PROGRESS && svc.running.size() == IN_PROGRESS && inProgress.size() == IN_PROGRESS, "jobs");
        check(live == expectedThreads, "live progress timer threads " + live + " expected " + expectedThreads);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.csvBuffers.size() == POOL, "pool");
        check(svc.finished > HISTORY && svc.history[HISTORY - 1] != null, "history ring wrapping");
        inProgress = null;
        LeakCheck.histogram("java.util.TimerThread ", "java.util.TaskQueue ", "java.util.Timer ", "java.util.TimerTask[] ", "java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
