// hprofscan-dump: name=val102-leak-watermeters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val102-leak-watermeters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val102-leak-watermeters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val102-leak-watermeters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
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
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 102 (written blind), LEAK: the meter-reading import service of a water utility.
 * Pressure-zone reference data, the meter directory, a cache of rendered bill previews at its cap,
 * a pool of CSV parse buffers, a ring of recent readings, the last 64 batch summaries, and the
 * import of the reading files that the meter-reading contractors upload every 5 minutes: every
 * batch is validated in two halves on its own {@code Executors.newFixedThreadPool(2)}, whose
 * rejection handler is set to record refused chunks in the batch's report. The pool is never shut
 * down: its two idle threads live on, and through them the executor, its handler and the whole
 * batch (its manifest and rejected rows). See VALIDATION102.md.
 */
public final class Val102LeakWaterMeters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, BATCH_EVERY = 5 * MINUTE;
    static final int ZONES = 1_100, METERS = 24_000, BILL_CAP = 2_000, POOL = 8, RING = 16_384, ROWS_PER_BATCH = 1_200, SUMMARIES = 64;
    static boolean FIXED;

    record Zone(String code, String name, double[] hourlyDemand) {}
    record Meter(String serial, String zoneCode, String address, byte[] installRecord, long installedAt) {}
    record BillPreview(String key, byte[] rendered, long at) {}
    record Reading(String serial, long litres, long at) {}
    /** One line of an uploaded file as parsed by main; problem == null means the line is valid. */
    record Row(int line, String serial, long litres, long at, byte[] raw, String problem) {}
    record RejectedRow(int line, String reason, byte[] raw) {}
    record ChunkResult(List<Reading> valid, List<RejectedRow> rejected) {}
    record BatchSummary(String batchId, String contractor, long receivedAt, int accepted, int rejected) {}

    /** One uploaded reading file while it is imported. */
    static final class ImportBatch {
        final String batchId, contractor, fileName;
        final long receivedAt;
        final byte[] manifest; // the file's header block: column map, contractor certificate, per-route checksums
        final List<RejectedRow> rejected = new ArrayList<>();
        int accepted;
        ImportBatch(String batchId, String contractor, String fileName, long receivedAt, byte[] manifest) {
            this.batchId = batchId; this.contractor = contractor; this.fileName = fileName; this.receivedAt = receivedAt; this.manifest = manifest;
        }
        synchronized void reject(RejectedRow r) { rejected.add(r); }
    }

    /** Records a chunk the pool refused (shut down or saturated) so that the operator report stays complete. */
    static final class ChunkRejection implements RejectedExecutionHandler {
        final ImportBatch batch;
        ChunkRejection(ImportBatch batch) { this.batch = batch; }
        @Override public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            batch.reject(new RejectedRow(-1, "chunk refused by the import pool", new byte[0]));
        }
    }

    static final class BillCache extends LinkedHashMap<String, BillPreview> {
        long evicted;
        BillCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BillPreview> e) { if (size() > BILL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class ImportService {
        final Map<String, Meter> meters = new HashMap<>();
        final BillCache bills = new BillCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final Reading[] recent = new Reading[RING];
        final ArrayDeque<BatchSummary> summaries = new ArrayDeque<>();
        long readings, batches, rejectedRows, poolsCreated;

        /** Validates one half of a batch (runs on a pool thread; touches nothing shared). */
        static ChunkResult validate(List<Row> rows) {
            List<Reading> valid = new ArrayList<>();
            List<RejectedRow> rejected = new ArrayList<>();
            for (Row r : rows) {
                if (r.problem() == null) valid.add(new Reading(r.serial(), r.litres(), r.at()));
                else rejected.add(new RejectedRow(r.line(), r.problem(), r.raw()));
            }
            return new ChunkResult(valid, rejected);
        }

        void importBatch(ImportBatch batch, List<Row> rows, Random r) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            poolsCreated++;
            ((ThreadPoolExecutor) pool).setRejectedExecutionHandler(new ChunkRejection(batch));
            int half = rows.size() / 2;
            List<Row> first = rows.subList(0, half), second = rows.subList(half, rows.size());
            List<Callable<ChunkResult>> chunks = List.of(() -> validate(first), () -> validate(second));
            List<ChunkResult> results = new ArrayList<>();
            for (Future<ChunkResult> f : pool.invokeAll(chunks)) results.add(f.get());
            if (FIXED) { // the fix: the batch's pool is shut down once the batch is imported
                pool.shutdown();
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("pool did not terminate");
            }
            // BUG: no shutdown(): the two idle pool threads park forever in the queue's take()
            for (ChunkResult cr : results) {
                for (RejectedRow rr : cr.rejected()) batch.reject(rr);
                for (Reading rd : cr.valid()) {
                    recent[(int) (readings++ % RING)] = rd;
                    batch.accepted++;
                    if (readings % 3 == 0) {
                        String key = "bill-" + r.nextInt(6_000);
                        if (bills.get(key) == null) bills.put(key, new BillPreview(key, new byte[500 + r.nextInt(500)], rd.at()));
                        byte[] buf = parseBuffers.poll();
                        buf[(int) (readings % buf.length)] = (byte) readings;
                        parseBuffers.add(buf);
                    }
                }
            }
            rejectedRows += batch.rejected.size();
            batches++;
            summaries.addLast(new BatchSummary(batch.batchId, batch.contractor, batch.receivedAt, batch.accepted, batch.rejected.size()));
            if (summaries.size() > SUMMARIES) summaries.removeFirst();
        }
    }

    static ImportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int importThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("pool-")) n++;
        return n;
    }

    /** The lowest and highest pool number N of the live "pool-N-thread-M" threads. */
    static String importPoolRange() {
        int lo = Integer.MAX_VALUE, hi = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (!name.startsWith("pool-")) continue;
            int n = Integer.parseInt(name.substring(5, name.indexOf("-thread-")));
            lo = Math.min(lo, n); hi = Math.max(hi, n);
        }
        return hi == 0 ? "none" : "pool-" + lo + " .. pool-" + hi;
    }

    /** Simulates the uploads of the period; returns the number of batches. */
    static int simulate(ImportService svc, String[] serials, long start, long end) throws Exception {
        Random traffic = new Random(102_010_002);
        String[] contractors = {"AquaRead Ltd", "MeterLine", "Northern Reads", "ClearFlow Services", "RouteMeter"};
        String[] problems = {"unknown meter serial", "negative consumption", "duplicate reading", "reading below previous", "malformed line"};
        int n = 0;
        for (long t = start + BATCH_EVERY; t <= end; t += BATCH_EVERY) {
            String contractor = contractors[traffic.nextInt(contractors.length)];
            String batchId = "IMP-" + (610_000 + n);
            ImportBatch batch = new ImportBatch(batchId, contractor, contractor.replace(' ', '_') + "_" + batchId + ".csv", t, new byte[32_768 + traffic.nextInt(32_768)]);
            List<Row> rows = new ArrayList<>(ROWS_PER_BATCH);
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                long at = t - BATCH_EVERY + (BATCH_EVERY - 1_000) * i / ROWS_PER_BATCH;
                String problem = traffic.nextInt(100) < 3 ? problems[traffic.nextInt(problems.length)] : null;
                rows.add(new Row(i + 2, serials[traffic.nextInt(METERS)], 20 + traffic.nextInt(4_000), at, new byte[120 + traffic.nextInt(120)], problem));
            }
            svc.importBatch(batch, rows, traffic);
            n++;
        }
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the import pool's threads are not daemons: exit instead of hanging
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val102.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(102_010_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] demand = new double[72];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 400;
            zoneCodes[z] = "PZ-" + (3_000 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "Pressure zone " + (z % 250), demand));
        }
        ImportService svc = new ImportService();
        SERVICE = svc;
        String[] serials = new String[METERS];
        for (int m = 0; m < METERS; m++) {
            serials[m] = "WM" + (40_000_000 + m * 3);
            svc.meters.put(serials[m], new Meter(serials[m], zoneCodes[rnd.nextInt(ZONES)], (1 + rnd.nextInt(300)) + " Mill Lane " + (m % 900), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(new byte[32_768]);
        int baseThreads = importThreads();
        int batches = simulate(svc, serials, start, end);
        serials = null;
        zoneCodes = null;
        if (FIXED) { // terminated pool threads leave the JVM shortly after awaitTermination returns
            for (int i = 0; i < 1_000 && importThreads() > baseThreads; i++) Thread.sleep(10);
        }
        int threads = importThreads() - baseThreads;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " zones " + ZONES_BY_CODE.size() + " meters " + svc.meters.size() + " batches " + svc.batches + " pools created " + svc.poolsCreated
                + " idle import threads " + threads + " (" + importPoolRange() + ") readings " + svc.readings + " rejected rows " + svc.rejectedRows + " bills " + svc.bills.size() + " (evicted " + svc.bills.evicted + ") pool " + svc.parseBuffers.size() + " summaries " + svc.summaries.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.meters.size() == METERS, "reference data / directory");
        check(batches == hours * 12 && svc.batches == batches && svc.poolsCreated == batches, "batches: " + batches);
        check(svc.readings + svc.rejectedRows == (long) batches * ROWS_PER_BATCH, "rows");
        check(threads == (FIXED ? 0 : 2 * batches), "import threads alive: " + threads);
        check(svc.bills.size() == BILL_CAP && svc.bills.evicted > 0, "bill cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring wrapped");
        check(svc.summaries.size() == Math.min(SUMMARIES, batches), "summaries");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
