// hprofscan-dump: name=val17-leak-labimport jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val17-leak-labimport-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 17 (written blind), LEAK: the instrument-result import of a clinical laboratory
 * information system. Analysers drop result files (HL7 batches) every few minutes; each batch is
 * parsed by its own two-thread ThreadPoolExecutor (two halves in parallel, threads named after
 * the batch by a ThreadFactory that keeps the batch for its uncaught-exception report), and the
 * parse tasks put the batch into the static ThreadLocal {@code ImportService.CURRENT_BATCH} for
 * the validation code. The bug: the per-batch executor is never shut down, so its two core
 * threads park forever in {@code getTask()}, each keeping the batch (raw file and parsed rows)
 * through its thread-local and the executor's thread factory. Legitimate beside it: the patient
 * index by MRN and the test catalogue (a static map; each bigger than the leak), a result LRU at its
 * cap, the outbound HL7 queue, and a shared 16-thread worker pool with a per-thread scratch
 * buffer (so the thread count alone does not tell). See testdata/VALIDATION17.md.
 */
public final class Val17LeakLabImport {
    static final int TESTS = 30_000;
    static final int PATIENTS = 60_000;
    static final int RESULT_CAP = 5_000;
    static final int WORKERS = 16;
    static final int BATCHES_PER_HOUR = 12;
    static final long SIM_HOURS = 10;
    static final int OUTBOUND_CAP = 2_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static ImportService IMPORTS;

    static final class LabTest { final String loinc; final String name; final String unit; final double[] referenceRanges;
        LabTest(String loinc, String name, String unit, double[] referenceRanges) { this.loinc = loinc; this.name = name; this.unit = unit; this.referenceRanges = referenceRanges; } }

    /** Reference data: the laboratory's test catalogue by LOINC code, loaded at startup. */
    static final class TestCatalog {
        static final Map<String, LabTest> BY_LOINC = new HashMap<>();
        static final List<LabTest> ALL = new ArrayList<>();
    }

    static final class Patient { final String mrn; final String name; final long bornAt; final String sex; final String ward;
        Patient(String mrn, String name, long bornAt, String sex, String ward) { this.mrn = mrn; this.name = name; this.bornAt = bornAt; this.sex = sex; this.ward = ward; } }

    static final class ResultRow { final String accession; final Patient patient; final LabTest test; final double value; final String flag; final long observedAt;
        ResultRow(String accession, Patient patient, LabTest test, double value, String flag, long observedAt) { this.accession = accession; this.patient = patient; this.test = test; this.value = value; this.flag = flag; this.observedAt = observedAt; } }

    static final class ImportBatch { final String batchId; final String instrument; final long receivedAt; final byte[] rawFile; final int rowCount; final List<ResultRow> rows = new ArrayList<>(); long importedAt; int rejected;
        ImportBatch(String batchId, String instrument, long receivedAt, byte[] rawFile, int rowCount) { this.batchId = batchId; this.instrument = instrument; this.receivedAt = receivedAt; this.rawFile = rawFile; this.rowCount = rowCount; } }

    static final class BatchSummary { final String batchId; final String instrument; final long receivedAt; final long importedAt; final int rows; final int rejected;
        BatchSummary(String batchId, String instrument, long receivedAt, long importedAt, int rows, int rejected) { this.batchId = batchId; this.instrument = instrument; this.receivedAt = receivedAt; this.importedAt = importedAt; this.rows = rows; this.rejected = rejected; } }

    /** Names the batch's threads and reports uncaught parse errors against the batch. */
    static final class BatchThreadFactory implements ThreadFactory {
        final ImportBatch batch;
        final AtomicInteger seq = new AtomicInteger();
        BatchThreadFactory(ImportBatch batch) { this.batch = batch; }
        @Override public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "lis-import-" + batch.batchId + "-" + seq.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> batch.rejected = -1);
            return t;
        }
    }

    static final class ResultLru extends LinkedHashMap<String, ResultRow> {
        long evicted;
        ResultLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultRow> e) { if (size() > RESULT_CAP) { evicted++; return true; } return false; }
    }

    static final class ImportService {
        /** The batch the current thread is parsing (read by the validation code). */
        static final ThreadLocal<ImportBatch> CURRENT_BATCH = new ThreadLocal<>();
        /** Legitimate per-thread HL7 segment scratch of the shared workers, cleared per task. */
        static final ThreadLocal<char[]> SEGMENT_SCRATCH = ThreadLocal.withInitial(() -> new char[8 * 1024]);

        final Map<String, Patient> patients = new HashMap<>();
        final ResultLru recentResults = new ResultLru();
        final ArrayBlockingQueue<byte[]> outbound = new ArrayBlockingQueue<>(OUTBOUND_CAP);
        final ArrayDeque<BatchSummary> importLog = new ArrayDeque<>();
        final List<ThreadPoolExecutor> batchExecutors = new ArrayList<>(); // bookkeeping for the self-check only, cleared before the histogram and the dump
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "lis-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        long sent;
        ImportService(boolean fixed) { this.fixed = fixed; }

        void parseHalf(ImportBatch b, int from, int to, long seed, Patient[] pats) {
            CURRENT_BATCH.set(b); // never removed: the thread was meant to die with the batch
            Random r = new Random(seed);
            String[] flags = {"N", "N", "N", "H", "L", "HH"};
            List<ResultRow> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                LabTest test = TestCatalog.ALL.get(r.nextInt(TESTS));
                Patient p = pats[r.nextInt(pats.length)];
                out.add(new ResultRow(CURRENT_BATCH.get().batchId + "-" + i, p, test, test.referenceRanges[0] + r.nextDouble() * 50, flags[r.nextInt(flags.length)], b.receivedAt - r.nextInt(30) * MINUTE));
            }
            synchronized (b) { b.rows.addAll(out); }
        }

        void importBatch(ImportBatch b, long t, Random rnd, Patient[] pats) throws Exception {
            ThreadPoolExecutor ex = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new BatchThreadFactory(b));
            long s1 = rnd.nextLong(), s2 = rnd.nextLong();
            int half = b.rowCount / 2;
            Future<?> f1 = ex.submit(() -> parseHalf(b, 0, half, s1, pats));
            Future<?> f2 = ex.submit(() -> parseHalf(b, half, b.rowCount, s2, pats));
            f1.get(); f2.get();
            // BUG: ex.shutdown() is missing (the fixed variant is only for measuring).
            if (fixed) { ex.shutdown(); ex.awaitTermination(10, TimeUnit.SECONDS); }
            batchExecutors.add(ex);
            b.rows.sort((x, y) -> x.accession.compareTo(y.accession));
            for (ResultRow row : b.rows) recentResults.put(row.accession, row);
            b.importedAt = t;
            importLog.addLast(new BatchSummary(b.batchId, b.instrument, b.receivedAt, t, b.rows.size(), b.rejected));
        }

        void sendOutbound(byte[] msg) { if (!outbound.offer(msg)) throw new IllegalStateException("outbound full"); }
        void drainOutbound() { sent += outbound.size(); outbound.clear(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val17.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(17_020_002);
        ImportService svc = new ImportService(fixed);
        IMPORTS = svc;
        for (int i = 0; i < 35; i++) svc.config.setProperty("lis.instrument." + i + ".port", Integer.toString(2_575 + i));
        String[] units = {"mmol/L", "g/L", "U/L", "10*9/L", "%", "mg/dL", "umol/L", "ng/mL"};
        String[] analytes = {"Sodium", "Potassium", "Creatinine", "Haemoglobin", "Alanine aminotransferase", "C-reactive protein", "Troponin T", "Glucose", "Ferritin", "Thyroid stimulating hormone"};
        for (int i = 0; i < TESTS; i++) {
            double[] ranges = new double[8];
            for (int k = 0; k < 8; k++) ranges[k] = k * 3 + rnd.nextDouble() * 3;
            String loinc = (10_000 + i) + "-" + (i % 10);
            LabTest lt = new LabTest(loinc, analytes[i % analytes.length] + " [Mass/volume] in Serum or Plasma, method " + (i % 37), units[i % units.length], ranges);
            TestCatalog.BY_LOINC.put(loinc, lt);
            TestCatalog.ALL.add(lt);
        }
        String[] wards = {"ED", "ICU", "Cardiology", "Oncology", "Renal", "Maternity", "Outpatients"};
        Patient[] pats = new Patient[PATIENTS];
        for (int i = 0; i < PATIENTS; i++) {
            pats[i] = new Patient("MRN" + (7_000_000 + i * 3), "Patient " + i, now - (long) rnd.nextInt(90 * 365) * 24 * HOUR, i % 2 == 0 ? "F" : "M", wards[rnd.nextInt(wards.length)]);
            svc.patients.put(pats[i].mrn, pats[i]);
        }
        CyclicBarrier ready = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) warm.add(svc.workers.submit(() -> { ImportService.SEGMENT_SCRATCH.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Batches spread evenly up to the dump; results are released outbound by the workers
        // and the interface engine collects the outbound queue every 10 minutes.
        int batches = (int) (BATCHES_PER_HOUR * SIM_HOURS);
        String[] instruments = {"cobas-8000-A", "cobas-8000-B", "Alinity-ci-1", "Sysmex-XN-3", "Atellica-2"};
        int rows = 0;
        long nextDrain = start + 10 * MINUTE;
        for (int i = 0; i < batches; i++) {
            long t = start + (now - start) * i / batches;
            while (nextDrain <= t) { svc.drainOutbound(); nextDrain += 10 * MINUTE; }
            int n = 150 + rnd.nextInt(151);
            byte[] raw = new byte[n * 96];
            rnd.nextBytes(raw);
            ImportBatch b = new ImportBatch("B" + (880_000 + i), instruments[rnd.nextInt(instruments.length)], t, raw, n);
            svc.importBatch(b, t + 20_000, rnd, pats);
            rows += n;
            List<Future<?>> rel = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int size = 512 + rnd.nextInt(512);
                rel.add(svc.workers.submit(() -> { char[] seg = ImportService.SEGMENT_SCRATCH.get(); Arrays.fill(seg, ' '); svc.sendOutbound(new byte[size]); return null; }));
            }
            for (Future<?> f : rel) f.get();
        }
        int expectedThreads = fixed ? 0 : 2 * batches;
        int importThreads = 0;
        for (int round = 0; round < 50; round++) {
            importThreads = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("lis-import-") && th.isAlive()) importThreads++;
            if (importThreads == expectedThreads) break;
            Thread.sleep(100);
        }
        int workerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("lis-worker-")) workerThreads++;
        int liveExecutors = 0;
        for (ThreadPoolExecutor ex : svc.batchExecutors) if (!ex.isShutdown() && ex.getPoolSize() == 2) liveExecutors++;
        int executorsCreated = svc.batchExecutors.size();
        svc.batchExecutors.clear(); // the service itself keeps no reference to the per-batch executors
        int outboundPending = svc.outbound.size();
        System.out.println((fixed ? "FIXED " : "") + "tests " + TestCatalog.BY_LOINC.size() + " patients " + svc.patients.size() + " batches " + batches + " rows " + rows + " results lru " + svc.recentResults.size() + " (evicted " + svc.recentResults.evicted + ") import log " + svc.importLog.size() + " outbound pending " + outboundPending + " sent " + svc.sent + " per-batch executors " + executorsCreated + " still running " + liveExecutors + " lis-import threads " + importThreads + " lis-worker threads " + workerThreads);
        check(TestCatalog.BY_LOINC.size() == TESTS && svc.patients.size() == PATIENTS, "reference data");
        check(executorsCreated == batches && liveExecutors == (fixed ? 0 : batches), "per-batch executors");
        check(importThreads == expectedThreads, "lis-import threads");
        check(workerThreads == WORKERS && svc.workers.getPoolSize() == WORKERS, "worker pool");
        check(svc.recentResults.size() == RESULT_CAP && svc.recentResults.evicted == rows - RESULT_CAP, "result lru");
        check(svc.importLog.size() == batches, "import log");
        check(svc.sent + outboundPending == 4L * batches && outboundPending > 0 && outboundPending <= 4 * 3, "outbound queue");
        pats = null;
        LeakCheck.histogram("java.lang.Thread ", "java.util.concurrent.ThreadPoolExecutor ", "ThreadPoolExecutor$Worker");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
