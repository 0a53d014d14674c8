// hprofscan-dump: name=val48-healthy-pewterers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val48-healthy-pewterers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
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
 * Validation set 48 (written blind), HEALTHY: the workshop service of a pewter foundry (tankards,
 * hip flasks, engraved trophies). Mould reference data, the customer directory, a cache of rendered
 * engraving proofs at its cap, a ring of casting events, a pool of polishing-machine buffers, and
 * two look-alikes done right: report exports share ONE java.util.Timer ("export-progress", the only
 * thread besides main, required by the look-alike) whose per-job progress task is cancelled when the
 * job completes (and the timer purged), and artwork uploads register a shutdown hook (an anonymous
 * Runnable capturing the upload handler) on the long-lived lifecycle object and remove it in a
 * finally block when the upload ends. See VALIDATION48.md.
 */
public final class Val48HealthyPewterers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 120_000L, UPLOAD_EVERY = 17_900L, PROGRESS_PERIOD_MS = 60_000L;
    static final int MOULDS = 1_200, CUSTOMERS = 26_000, PROOF_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10,
            JOBS_IN_PROGRESS = 2, UPLOADS = 2_000, UPLOADS_IN_PROGRESS = 3, COMPONENT_HOOKS = 4, CASTINGS_PER_HOUR = 5_000, SUMMARIES = 64;

    record Mould(String code, String piece, double[] wearCurve) {}
    record Customer(String account, String name, byte[] engravingPreferences, long since) {}
    record Proof(String key, byte[] svg, long at) {}
    record Casting(String mouldCode, String account, int grams, long at) {}
    record JobSummary(String jobId, String report, int rows, long finishedAt) {}

    /** The server's lifecycle: hooks run once, at shutdown. */
    static final class ServerLifecycle {
        final List<Runnable> shutdownHooks = new ArrayList<>();
        void onShutdown(Runnable hook) { shutdownHooks.add(hook); }
        boolean removeShutdownHook(Runnable hook) { return shutdownHooks.remove(hook); }
    }

    static final class ArtworkUpload {
        final String uploadId, account, tempPath;
        byte[] lastChunk;
        long bytes;
        Runnable cleanupHook;
        ArtworkUpload(String uploadId, String account) { this.uploadId = uploadId; this.account = account; this.tempPath = "/var/spool/pewter/" + uploadId + ".part"; }
        void begin(ServerLifecycle lc) {
            cleanupHook = new Runnable() {
                @Override public void run() { lastChunk = null; }
            };
            lc.onShutdown(cleanupHook);
        }
        void end(ServerLifecycle lc) {
            if (!lc.removeShutdownHook(cleanupHook)) throw new IllegalStateException("hook missing " + uploadId);
        }
    }

    static final class ExportJob {
        final String jobId, report;
        final List<byte[]> result = new ArrayList<>();
        int rows;
        volatile long reports;
        TimerTask progress;
        ExportJob(String jobId, String report) { this.jobId = jobId; this.report = report; }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Mould> MOULDS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final ServerLifecycle lifecycle = new ServerLifecycle();
        final Map<String, Customer> customers = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final Casting[] castings = new Casting[RING];
        final ArrayDeque<byte[]> polishBuffers = new ArrayDeque<>();
        final Timer progressTimer = new Timer("export-progress", true); // a daemon: it must not keep the JVM alive
        final Map<String, ExportJob> runningJobs = new HashMap<>();
        final JobSummary[] recentJobs = new JobSummary[SUMMARIES];
        final Map<String, ArtworkUpload> uploads = new HashMap<>();
        long castingCount, jobs, jobsDone, purged, uploadsStarted, uploadsDone, bytesStored;

        ExportJob startJob(String report) {
            ExportJob job = new ExportJob("RPT-" + (55_000 + jobs++), report);
            job.progress = new TimerTask() {
                @Override public void run() { job.reports++; }
            };
            progressTimer.scheduleAtFixedRate(job.progress, PROGRESS_PERIOD_MS, PROGRESS_PERIOD_MS);
            runningJobs.put(job.jobId, job);
            return job;
        }

        void finishJob(ExportJob job, long at) {
            job.progress.cancel();
            purged += progressTimer.purge(); // (the timer thread may already have dropped the cancelled task itself)
            runningJobs.remove(job.jobId);
            recentJobs[(int) (jobsDone++ % SUMMARIES)] = new JobSummary(job.jobId, job.report, job.rows, at);
        }
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the timer threads must not keep a failed run alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(48_060_001);
        String[] pieces = {"tankard", "hip flask", "quaich", "goblet", "trophy cup", "christening mug", "candlestick"};
        String[] mouldCodes = new String[MOULDS];
        for (int m = 0; m < MOULDS; m++) {
            double[] wear = new double[64];
            for (int k = 0; k < wear.length; k++) wear[k] = rnd.nextDouble() * (k + 1);
            mouldCodes[m] = "MLD-" + (300 + m);
            MOULDS_BY_CODE.put(mouldCodes[m], new Mould(mouldCodes[m], pieces[m % pieces.length], wear));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        svc.lifecycle.onShutdown(() -> svc.proofs.clear());
        svc.lifecycle.onShutdown(() -> svc.polishBuffers.clear());
        svc.lifecycle.onShutdown(svc.progressTimer::cancel);
        svc.lifecycle.onShutdown(() -> svc.uploads.clear());
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "PW-" + (700_000 + c * 7);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.polishBuffers.add(new byte[32_768]);
        Random traffic = new Random(48_060_002);
        int castings = CASTINGS_PER_HOUR * HOURS;
        int jobs = (int) (HOURS * HOUR / JOB_EVERY);
        int uploads = UPLOADS;
        String[] reports = {"daily-castings", "mould-wear", "engraving-backlog", "dispatch-manifest", "alloy-usage"};
        int nextJob = 0, nextUpload = 0;
        for (int i = 0; i < castings; i++) {
            long t = start + (end - MINUTE - start) * i / castings;
            String account = accounts[traffic.nextInt(CUSTOMERS)];
            svc.castings[(int) (svc.castingCount++ % RING)] = new Casting(mouldCodes[traffic.nextInt(MOULDS)], account, 150 + traffic.nextInt(900), t);
            String key = "proof-" + traffic.nextInt(5_000);
            if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.polishBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.polishBuffers.add(buf);
            while (nextJob < jobs && start + nextJob * JOB_EVERY <= t) {
                ExportJob job = svc.startJob(reports[traffic.nextInt(reports.length)]);
                int chunks = 1 + traffic.nextInt(4);
                for (int c = 0; c < chunks; c++) { job.result.add(new byte[8_192]); job.rows += 500; }
                if (nextJob < jobs - JOBS_IN_PROGRESS) svc.finishJob(job, t + 45_000L); // the result is delivered, the job dropped
                nextJob++;
            }
            while (nextUpload < uploads && start + nextUpload * UPLOAD_EVERY <= t) {
                ArtworkUpload up = new ArtworkUpload("ART-" + Long.toHexString(0x5e_0000_0000L + nextUpload * 104_729L), account);
                svc.uploads.put(up.uploadId, up);
                svc.uploadsStarted++;
                up.begin(svc.lifecycle);
                up.lastChunk = new byte[512 + traffic.nextInt(3_584)];
                up.bytes = 65_536L * traffic.nextInt(8) + up.lastChunk.length;
                if (nextUpload < uploads - UPLOADS_IN_PROGRESS) {
                    try {
                        svc.bytesStored += up.bytes; // the artwork is stored with the order
                    } finally {
                        up.end(svc.lifecycle);
                        svc.uploads.remove(up.uploadId);
                        svc.uploadsDone++;
                    }
                }
                nextUpload++;
            }
        }
        System.out.println("moulds " + MOULDS_BY_CODE.size() + " customers " + svc.customers.size() + " castings " + svc.castingCount + " proofs " + svc.proofs.size() + " (evicted "
                + svc.proofs.evicted + ") pool " + svc.polishBuffers.size() + " jobs " + svc.jobs + " done " + svc.jobsDone + " running " + svc.runningJobs.size() + " purged " + svc.purged
                + " uploads " + svc.uploadsStarted + " done " + svc.uploadsDone + " in progress " + svc.uploads.size() + " shutdown hooks " + svc.lifecycle.shutdownHooks.size());
        check(MOULDS_BY_CODE.size() == MOULDS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.castingCount == castings && svc.castings[RING - 1] != null, "casting ring wrapping");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.polishBuffers.size() == POOL, "pool");
        check(svc.jobs == jobs && svc.jobsDone == jobs - JOBS_IN_PROGRESS && svc.runningJobs.size() == JOBS_IN_PROGRESS && svc.purged <= svc.jobsDone, "export jobs: timer tasks cancelled and purged");
        check(svc.uploadsStarted == uploads && svc.uploadsDone == uploads - UPLOADS_IN_PROGRESS && svc.lifecycle.shutdownHooks.size() == COMPONENT_HOOKS + UPLOADS_IN_PROGRESS, "upload hooks removed");
        LeakCheck.histogram("java.util.TimerThread ", "java.util.TaskQueue ", "java.util.Timer ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
