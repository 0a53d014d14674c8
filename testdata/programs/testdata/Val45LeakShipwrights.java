// hprofscan-dump: name=val45-leak-shipwrights jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val45-leak-shipwrights-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 45 (written blind), LEAK: the work-order service of a boatyard (shipwrights).
 * Hull-class reference data, the vessel directory, a cache of rendered work-order sheets at its
 * cap, a pool of plot buffers, a ring of job status changes, and a fixed pool of 4 worker threads
 * (yard-worker-1..4; each work order's jobs are routed to one worker by hull, so they run in
 * order). A job appends its audit records to a per-thread list (a static ThreadLocal); when the
 * job commits it ships its records to the audit sink and truncates the list back to where it
 * started. A job that is rejected throws before that truncation and nothing else removes its
 * records, so every worker's list keeps the records of every rejected job since start. The
 * workers also have a legitimate 16 KiB scratch buffer each (another ThreadLocal). See
 * VALIDATION45.md.
 */
public final class Val45LeakShipwrights {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HULL_CLASSES = 1_200, VESSELS = 22_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 4, JOBS_PER_HOUR = 6_000, HOURS = 10, BATCH = 1_000;
    static final String[] ACTIONS = {"CHECK_IN", "MATERIALS_ISSUED", "LABOUR_BOOKED", "QA_SIGNED", "COMMITTED"};
    static final String[] REASONS = {"hull not hauled out", "timesheet exceeds the shift", "material lot quarantined", "QA inspector not certified for this hull class"};
    static boolean FIXED;

    record HullClass(String code, String type, double[] resistanceCurve) {}
    record Vessel(String hin, String hullClass, String owner, byte[] surveyRecord, long registeredAt) {}
    record WorkSheet(String key, byte[] rendered, long at) {}
    record JobStatus(String workOrderId, String status, long at) {}
    record AuditRecord(String workOrderId, String action, long at, byte[] details) {}
    /** steps: audit records a committed job writes; failAt: the step that rejects it, or -1. */
    record Job(String workOrderId, String hin, int stripe, int steps, int failAt, int detailBase, long at) {}

    static final class JobRejectedException extends Exception { JobRejectedException(String m) { super(m); } }

    static final class PendingAudit extends ThreadLocal<List<AuditRecord>> {
        @Override protected List<AuditRecord> initialValue() { return new ArrayList<>(); }
    }
    static final class Scratch extends ThreadLocal<byte[]> {
        @Override protected byte[] initialValue() { return new byte[16_384]; }
    }

    /** The job's audit trail, collected per worker thread until the job commits. */
    static final PendingAudit PENDING = new PendingAudit();
    static final Scratch SCRATCH = new Scratch();

    /** Ships audit records to the audit store (counted here; nothing is kept). */
    static final class AuditSink {
        final AtomicLong shippedRecords = new AtomicLong(), shippedBytes = new AtomicLong(), rejectedJobs = new AtomicLong(), committedJobs = new AtomicLong();
        void ship(List<AuditRecord> records) { for (AuditRecord r : records) { shippedRecords.incrementAndGet(); shippedBytes.addAndGet(r.details().length); } }
    }

    static final AuditSink SINK = new AuditSink();

    static final class JobTask implements Runnable {
        final Job job;
        JobTask(Job job) { this.job = job; }
        public void run() {
            List<AuditRecord> audit = PENDING.get();
            int mark = audit.size();
            byte[] scratch = SCRATCH.get();
            try {
                for (int k = 0; k < job.steps(); k++) {
                    audit.add(new AuditRecord(job.workOrderId(), ACTIONS[k], job.at() + k * 1_000L, new byte[job.detailBase() + (k * 13) % 32]));
                    scratch[(k * 977) % scratch.length]++;
                    if (k == job.failAt()) throw new JobRejectedException("work order " + job.workOrderId() + " on " + job.hin() + ": " + REASONS[k % REASONS.length]);
                }
                SINK.ship(audit.subList(mark, audit.size()));
                audit.subList(mark, audit.size()).clear(); // cleared only here, on the success path
                SINK.committedJobs.incrementAndGet();
            } catch (JobRejectedException e) {
                SINK.rejectedJobs.incrementAndGet(); // logged and counted
                // BUG: the rejected job's records stay in this thread's list; later jobs mark above them
            } finally {
                if (FIXED && audit.size() > mark) audit.subList(mark, audit.size()).clear();
            }
        }
    }

    /** Reads the calling worker's pending list (run on each worker by the self-check). */
    static final class Probe implements Callable<int[]> {
        public int[] call() { return new int[] {PENDING.get().size(), SCRATCH.get().length}; }
    }

    static final class YardThreads implements ThreadFactory {
        final int stripe;
        YardThreads(int stripe) { this.stripe = stripe; }
        public Thread newThread(Runnable r) { return new Thread(r, "yard-worker-" + (stripe + 1)); }
    }

    static final class SheetCache extends LinkedHashMap<String, WorkSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WorkSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, HullClass> HULL_CLASSES_BY_CODE = new HashMap<>();

    static final class YardService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> plotBuffers = new ArrayDeque<>();
        final JobStatus[] statuses = new JobStatus[RING];
        long statusesWritten;
        final ExecutorService[] workers = new ExecutorService[WORKERS];
        final long[] expectedPending = new long[WORKERS];
        long submitted, expectedRejected;
        YardService() { for (int w = 0; w < WORKERS; w++) workers[w] = Executors.newSingleThreadExecutor(new YardThreads(w)); }
    }

    static YardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(long now) throws Exception {
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(45_040_001);
        String[] classCodes = new String[HULL_CLASSES];
        String[] types = {"sloop", "ketch", "trawler", "launch", "catamaran", "barge"};
        for (int c = 0; c < HULL_CLASSES; c++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 120;
            classCodes[c] = "HC-" + (400 + c);
            HULL_CLASSES_BY_CODE.put(classCodes[c], new HullClass(classCodes[c], types[c % types.length], curve));
        }
        YardService svc = new YardService();
        SERVICE = svc;
        String[] hins = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            hins[v] = "GB-YRD" + (10_000 + v) + "J" + (v % 10);
            svc.vessels.put(hins[v], new Vessel(hins[v], classCodes[rnd.nextInt(HULL_CLASSES)], "Owner " + (v % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotBuffers.add(new byte[32_768]);
        Random traffic = new Random(45_040_002);
        int jobs = JOBS_PER_HOUR * HOURS;
        List<Future<?>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            int vessel = traffic.nextInt(VESSELS);
            int steps = 3 + traffic.nextInt(3);
            int failAt = traffic.nextInt(100) < 10 ? traffic.nextInt(steps - 1) : -1;
            Job job = new Job("WO-" + (880_000 + i / 3) + "/" + (i % 3 + 1), hins[vessel], vessel % WORKERS, steps, failAt, 96 + traffic.nextInt(128), t);
            if (failAt >= 0) { svc.expectedRejected++; svc.expectedPending[job.stripe()] += failAt + 1; }
            batch.add(svc.workers[job.stripe()].submit(new JobTask(job)));
            svc.submitted++;
            svc.statuses[(int) (svc.statusesWritten++ % RING)] = new JobStatus(job.workOrderId(), "QUEUED", t);
            String key = "sheet-" + traffic.nextInt(5_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new WorkSheet(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.plotBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.plotBuffers.add(buf);
            if (batch.size() == BATCH || i == jobs - 1) {
                for (Future<?> f : batch) f.get();
                batch.clear();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val45.fixed");
        run(System.currentTimeMillis());
        YardService svc = SERVICE;
        long[] pending = new long[WORKERS];
        long pendingTotal = 0;
        for (int w = 0; w < WORKERS; w++) {
            int[] r = svc.workers[w].submit(new Probe()).get();
            pending[w] = r[0];
            pendingTotal += r[0];
            check(r[1] == 16_384, "scratch buffer");
        }
        System.out.println((FIXED ? "FIXED " : "") + "hull classes " + HULL_CLASSES_BY_CODE.size() + " vessels " + svc.vessels.size() + " jobs " + svc.submitted + " committed " + SINK.committedJobs.get() + " rejected " + SINK.rejectedJobs.get()
                + " shipped records " + SINK.shippedRecords.get() + " pending audit per worker " + java.util.Arrays.toString(pending) + " (total " + pendingTotal + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.plotBuffers.size() + " statuses " + svc.statusesWritten);
        check(HULL_CLASSES_BY_CODE.size() == HULL_CLASSES && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.submitted == (long) JOBS_PER_HOUR * HOURS && SINK.rejectedJobs.get() == svc.expectedRejected && SINK.committedJobs.get() + SINK.rejectedJobs.get() == svc.submitted, "jobs");
        for (int w = 0; w < WORKERS; w++) {
            if (FIXED) check(pending[w] == 0, "fixed: worker lists empty");
            else check(pending[w] == svc.expectedPending[w], "worker " + (w + 1) + " keeps its rejected jobs' records: " + pending[w]);
        }
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.plotBuffers.size() == POOL, "pool");
        check(svc.statusesWritten > RING && svc.statuses[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram("java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
