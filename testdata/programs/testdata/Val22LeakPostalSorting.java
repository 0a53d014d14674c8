// hprofscan-dump: name=val22-leak-postalsorting jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val22-leak-postalsorting-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 22 (written blind), LEAK: the parcel sorting centre of a postal operator. Every
 * scanned parcel is handed to a single-thread "sort-index-writer" executor that writes it to the
 * search index. The writer's first task opens the index and waits for the schema migration
 * ({@code schemaReady.await()}); the migration's failure path never counts the latch down, so
 * the one worker is parked forever and every parcel task submitted since (each capturing its scan
 * with the image crop) waits in the executor's {@code LinkedBlockingQueue}. Beside it: a label
 * rendering pool of 3 threads that keeps up, the postcode routes, depots, scanner sessions, a
 * rendered-label cache at its cap, a tray pool, a scan ring.
 * 6 simulated hours. See testdata/VALIDATION22.md.
 */
public final class Val22LeakPostalSorting {
    static final long HOUR = 3_600_000L;
    static final int ROUTES = 30_000, DEPOTS = 400, SCANNERS = 120, LABEL_CAP = 3_000, TRAYS = 24, SCAN_RING = 16_384, PARCELS_PER_HOUR = 1_000, HOURS = 6;

    record DeliveryRoute(String postcode, String depot, int[] walkSequence) {}
    record Depot(String code, String name, double[] geofence) {}
    record ScannerSession(String scannerId, String lane, long loggedInAt) {}
    record ScanEvent(String barcode, String postcode, String lane, long at) {}

    static final class ParcelScan {
        final String barcode, postcode; final long scannedAt; final byte[] imageCrop; final int[] dims;
        ParcelScan(String barcode, String postcode, long scannedAt, byte[] imageCrop, int[] dims) { this.barcode = barcode; this.postcode = postcode; this.scannedAt = scannedAt; this.imageCrop = imageCrop; this.dims = dims; }
    }

    /** The task handed to the index writer: captures the scan. */
    static final class IndexTask implements Runnable {
        final ParcelScan scan; final AtomicLong indexed;
        IndexTask(ParcelScan scan, AtomicLong indexed) { this.scan = scan; this.indexed = indexed; }
        @Override public void run() { indexed.incrementAndGet(); }
    }

    static final class LabelCache extends LinkedHashMap<String, String> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static ThreadPoolExecutor executor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static final Map<String, DeliveryRoute> ROUTES_BY_POSTCODE = new HashMap<>();
    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class SortingService {
        final Map<String, ScannerSession> scanners = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> trays = new ArrayDeque<>();
        final ScanEvent[] scanRing = new ScanEvent[SCAN_RING];
        final ThreadPoolExecutor labelPool = executor("label-render", 3);
        final ThreadPoolExecutor indexWriter = executor("sort-index-writer", 1);
        final CountDownLatch schemaReady = new CountDownLatch(1);
        final AtomicLong labelsRendered = new AtomicLong(), indexed = new AtomicLong();
        long scans;
    }

    static SortingService SORTING;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val22.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - HOURS * HOUR;
        Random rnd = new Random(22_020_001);
        for (int d = 0; d < DEPOTS; d++) {
            double[] fence = new double[200];
            for (int k = 0; k < fence.length; k++) fence[k] = rnd.nextDouble();
            String code = "D" + (100 + d);
            DEPOTS_BY_CODE.put(code, new Depot(code, "Delivery office " + d, fence));
        }
        for (int r = 0; r < ROUTES; r++) {
            int[] walk = new int[48];
            for (int k = 0; k < walk.length; k++) walk[k] = rnd.nextInt(500);
            String pc = "PC" + (10_000 + r);
            ROUTES_BY_POSTCODE.put(pc, new DeliveryRoute(pc, "D" + (100 + rnd.nextInt(DEPOTS)), walk));
        }
        SortingService svc = new SortingService();
        SORTING = svc;
        for (int s = 0; s < SCANNERS; s++) svc.scanners.put("SCN-" + s, new ScannerSession("SCN-" + s, "lane " + (s % 30), now - 7 * HOUR + s * 30_000L));
        for (int t = 0; t < TRAYS; t++) svc.trays.push(new byte[16_384]);
        // the index writer's first task opens the index and waits for the schema migration
        CountDownLatch writerStarted = new CountDownLatch(1);
        svc.indexWriter.execute(() -> {
            writerStarted.countDown();
            try { svc.schemaReady.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        });
        writerStarted.await();
        if (fixed) svc.schemaReady.countDown(); // the fix: the migration's failure path releases the latch too; in the leak run nothing ever does
        int total = (int) (PARCELS_PER_HOUR * HOURS);
        Random traffic = new Random(22_020_002);
        long labelTasks = 0; // counted here: getTaskCount() is approximate while a worker is between tasks
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            String pc = "PC" + (10_000 + traffic.nextInt(ROUTES));
            int[] dims = new int[8];
            for (int k = 0; k < dims.length; k++) dims[k] = 5 + traffic.nextInt(60);
            ParcelScan scan = new ParcelScan("JJ" + (400_000_000L + i) + "GB", pc, t, new byte[500 + traffic.nextInt(1_000)], dims);
            svc.scanRing[(int) (svc.scans++ % SCAN_RING)] = new ScanEvent(scan.barcode, pc, "lane " + traffic.nextInt(30), t);
            String labelKey = pc + "/" + (i % 5_000);
            if (svc.labels.get(labelKey) == null) {
                svc.labels.put(labelKey, "^XA^FO50,50^ADN,36,20^FD" + labelKey + " " + "ROUTE ".repeat(60 + traffic.nextInt(50)) + "^FS^XZ");
                svc.labelPool.execute(svc.labelsRendered::incrementAndGet);
                labelTasks++;
            }
            svc.indexWriter.execute(new IndexTask(scan, svc.indexed)); // waits behind the parked worker in the leak run
        }
        while (svc.labelPool.getCompletedTaskCount() < labelTasks) Thread.sleep(5);
        if (fixed) { while (svc.indexWriter.getCompletedTaskCount() < total + 1) Thread.sleep(5); }
        int queued = svc.indexWriter.getQueue().size();
        System.out.println((fixed ? "FIXED " : "") + "routes " + ROUTES_BY_POSTCODE.size() + " depots " + DEPOTS_BY_CODE.size() + " scanners " + svc.scanners.size() + " parcels " + total + " index-writer queue " + queued + " indexed " + svc.indexed.get() + " writer active " + svc.indexWriter.getActiveCount() + " label tasks " + labelTasks + " rendered " + svc.labelsRendered.get() + " label queue " + svc.labelPool.getQueue().size() + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") trays " + svc.trays.size() + " scans " + svc.scans);
        check(ROUTES_BY_POSTCODE.size() == ROUTES && DEPOTS_BY_CODE.size() == DEPOTS && svc.scanners.size() == SCANNERS && svc.trays.size() == TRAYS, "reference data");
        check(queued == (fixed ? 0 : total) && svc.indexed.get() == (fixed ? total : 0) && svc.indexWriter.getPoolSize() == 1 && svc.indexWriter.getActiveCount() == (fixed ? 0 : 1), "index writer queue " + queued);
        check(svc.labelPool.getQueue().isEmpty() && svc.labelsRendered.get() == labelTasks && labelTasks > 0, "label pool keeps up");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == labelTasks - LABEL_CAP, "label cache at its cap");
        check(svc.scans == total && total < SCAN_RING || svc.scanRing[SCAN_RING - 1] != null, "scan ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
