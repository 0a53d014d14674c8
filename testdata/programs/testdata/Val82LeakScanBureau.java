// hprofscan-dump: name=val82-leak-scanbureau jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val82-leak-scanbureau-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 82 (written blind), LEAK: the scan service of a document-scanning bureau that
 * digitises archive boxes for its clients. Client reference data, the archive-box directory, a
 * cache of rendered page thumbnails at its cap, a pool of page buffers, a ring of completed scan
 * jobs and a short OCR hand-off queue. Every scanned page is spooled through a legacy
 * SpoolFile wrapper (a temp file with a header page) whose finalize() safety net reports the
 * released spool space to the TempDirRegistry under the registry's ReentrantLock. The registry's
 * quota scanner thread takes that lock and then waits for the reply of a hung NFS mount that never
 * comes, so the JVM's finalizer thread blocks in the first finalize() it runs and every later
 * unreachable SpoolFile stays queued for finalization. See VALIDATION82.md.
 */
public final class Val82LeakScanBureau {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLIENTS = 900, BOXES = 24_000, THUMB_CAP = 2_000, POOL = 8, RING = 1_024, OCR_QUEUE = 4, PAGES_PER_HOUR = 1_000, HOURS = 10;
    static boolean FIXED;

    record Client(String code, String name, int[] retentionYearsByDocType, double[] monthlyVolume) {}
    record ArchiveBox(String barcode, String clientCode, String shelf, byte[] index, long receivedAt) {}
    record Thumbnail(String key, byte[] png, long at) {}
    record ScanJob(long jobId, String barcode, int pages, long at) {}

    /** Registry of the spool directory: counters are lock-free, the released-space account is under the lock. */
    static final class TempDirRegistry {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong opened = new AtomicLong(), closedByCaller = new AtomicLong(), finalizeStarted = new AtomicLong(), finalizeDone = new AtomicLong();
        long releasedBytes, quotaScans; // guarded by lock
        void released(SpoolFile f) {
            lock.lock();
            try { releasedBytes += f.headerPage.length; } finally { lock.unlock(); }
        }
    }

    static final TempDirRegistry REGISTRY = new TempDirRegistry();

    /** Legacy wrapper of a spooled temp file: closed by the caller, finalize() is the safety net. */
    static final class SpoolFile {
        final long id;
        final String path, boxBarcode;
        final byte[] headerPage;
        final long openedAt;
        boolean closed;
        SpoolFile(long id, String boxBarcode, byte[] headerPage, long openedAt) {
            this.id = id; this.path = "/var/spool/scan/tmp/page-" + id + ".tif"; this.boxBarcode = boxBarcode; this.headerPage = headerPage; this.openedAt = openedAt;
            REGISTRY.opened.incrementAndGet();
        }
        void close() { closed = true; REGISTRY.closedByCaller.incrementAndGet(); }
        @Override
        @SuppressWarnings("deprecation")
        protected void finalize() {
            REGISTRY.finalizeStarted.incrementAndGet();
            REGISTRY.released(this); // takes the registry lock
            REGISTRY.finalizeDone.incrementAndGet();
        }
    }

    /** The registry's quota scanner: asks the NFS server for the spool directory's usage. */
    static final class QuotaScanner implements Runnable {
        final CountDownLatch scanning = new CountDownLatch(1);
        final CountDownLatch nfsReply = new CountDownLatch(1); // the mount is hung: never counted down
        @Override public void run() {
            try {
                if (FIXED) { // the fix: account under the lock, wait for the NFS server outside it
                    REGISTRY.lock.lock();
                    try { REGISTRY.quotaScans++; } finally { REGISTRY.lock.unlock(); }
                    scanning.countDown();
                    nfsReply.await();
                } else { // BUG: waits for the NFS reply while holding the registry lock
                    REGISTRY.lock.lock();
                    try {
                        REGISTRY.quotaScans++;
                        scanning.countDown();
                        nfsReply.await();
                    } finally { REGISTRY.lock.unlock(); }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Client> CLIENTS_BY_CODE = new HashMap<>();

    static final class ScanService {
        final Map<String, ArchiveBox> boxes = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final ArrayDeque<byte[]> pageBuffers = new ArrayDeque<>();
        final ScanJob[] completed = new ScanJob[RING];
        long jobsCompleted;
        /** Spooled pages handed to OCR; OCR closes a spool when it takes the next one (at most OCR_QUEUE wait). */
        final ArrayDeque<SpoolFile> ocrQueue = new ArrayDeque<>();
        final TempDirRegistry registry = REGISTRY;
        QuotaScanner scanner;
    }

    static ScanService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val82.fixed");
        int pages = PAGES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(82_020_001);
        String[] clientCodes = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            int[] retention = new int[40];
            for (int k = 0; k < retention.length; k++) retention[k] = 1 + rnd.nextInt(30);
            double[] volume = new double[24];
            for (int k = 0; k < volume.length; k++) volume[k] = rnd.nextDouble() * 5_000;
            clientCodes[c] = "CL-" + (4_000 + c);
            CLIENTS_BY_CODE.put(clientCodes[c], new Client(clientCodes[c], "Client " + c, retention, volume));
        }
        ScanService svc = new ScanService();
        SERVICE = svc;
        String[] barcodes = new String[BOXES];
        for (int b = 0; b < BOXES; b++) {
            barcodes[b] = "BX" + (60_000_000 + b * 11);
            svc.boxes.put(barcodes[b], new ArchiveBox(barcodes[b], clientCodes[rnd.nextInt(CLIENTS)], "Aisle " + (b % 120) + "/" + (b % 7), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pageBuffers.add(new byte[65_536]);
        svc.scanner = new QuotaScanner();
        Thread scannerThread = new Thread(svc.scanner, "tempdir-quota-scan");
        scannerThread.setDaemon(true);
        scannerThread.start();
        if (!svc.scanner.scanning.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("quota scanner did not start");
        traffic(svc, barcodes, start, end, pages);
        long unreachable = pages - OCR_QUEUE;
        long deadline = System.currentTimeMillis() + 60_000;
        if (FIXED) { // the finalizer keeps up: wait until every dropped spool is finalized
            while (REGISTRY.finalizeDone.get() < unreachable && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(20); }
        } else { // wait until the finalizer thread is stuck in its first finalize()
            while (REGISTRY.finalizeStarted.get() < 1 && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(20); }
            Thread.sleep(200);
        }
        System.gc();
        long started = REGISTRY.finalizeStarted.get(), done = REGISTRY.finalizeDone.get();
        System.out.println((FIXED ? "FIXED " : "") + "clients " + CLIENTS_BY_CODE.size() + " boxes " + svc.boxes.size() + " spools opened " + REGISTRY.opened.get() + " closed " + REGISTRY.closedByCaller.get()
                + " ocr queue " + svc.ocrQueue.size() + " finalize started " + started + " done " + done + " awaiting finalization " + (unreachable - started) + " thumbnails " + svc.thumbnails.size()
                + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.pageBuffers.size() + " jobs " + svc.jobsCompleted + " scanner " + scannerThread.getState());
        check(CLIENTS_BY_CODE.size() == CLIENTS && svc.boxes.size() == BOXES, "reference data / directory");
        check(REGISTRY.opened.get() == pages && REGISTRY.closedByCaller.get() == unreachable && svc.ocrQueue.size() == OCR_QUEUE, "spool traffic");
        if (FIXED) check(started == unreachable && done == unreachable, "every dropped spool finalized: " + done);
        else check(started == 1 && done == 0 && REGISTRY.lock.isLocked() && REGISTRY.lock.hasQueuedThreads(), "finalizer blocked in its first finalize(): " + started + "/" + done);
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.pageBuffers.size() == POOL, "pool");
        check(svc.completed[RING - 1] != null, "job ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void traffic(ScanService svc, String[] barcodes, long start, long end, int pages) {
        Random traffic = new Random(82_020_002);
        long jobId = 7_100_000L;
        int pagesInJob = 0, jobPages = 1 + traffic.nextInt(12);
        String box = barcodes[traffic.nextInt(BOXES)];
        for (int i = 0; i < pages; i++) {
            long t = start + (end - MINUTE - start) * i / pages;
            byte[] buf = svc.pageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            SpoolFile spool = new SpoolFile(50_000_001L + i, box, new byte[512 + traffic.nextInt(512)], t);
            svc.pageBuffers.add(buf);
            svc.ocrQueue.addLast(spool);
            if (svc.ocrQueue.size() > OCR_QUEUE) svc.ocrQueue.removeFirst().close(); // OCR done: closed and dropped
            String key = "th-" + traffic.nextInt(4_500);
            if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], t));
            if (++pagesInJob == jobPages) {
                svc.completed[(int) (svc.jobsCompleted++ % RING)] = new ScanJob(jobId++, box, jobPages, t);
                pagesInJob = 0;
                jobPages = 1 + traffic.nextInt(12);
                box = barcodes[traffic.nextInt(BOXES)];
            }
        }
    }
}
