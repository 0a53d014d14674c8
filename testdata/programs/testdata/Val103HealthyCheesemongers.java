// hprofscan-dump: name=val103-healthy-cheesemongers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val103-healthy-cheesemongers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 103 (written blind), HEALTHY: the shop and wholesale service of a chain of
 * cheesemongers. Dairy reference data, the cheese (SKU) directory, a cache of rendered price labels
 * at its cap, a ring of till sales, a pool of label-printer buffers, a board of wholesale orders
 * keyed by an immutable order number (status is a plain field; collected orders are removed), and a
 * fixed crew of 4 photo-upload worker threads (application Thread subclass), each with a 64 KiB
 * scratch buffer, parked on the job queue between uploads; every job's latch is counted down, also
 * when the client aborts. See VALIDATION103.md.
 */
public final class Val103HealthyCheesemongers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, HOURS = 10;
    static final int DAIRIES = 1_000, CHEESES = 26_000, LABEL_CAP = 2_000, BUFFERS = 8, RING = 8_192, WORKERS = 4;
    static final int SALES = 60_000, UPLOADS = 3_000, ORDERS = 6_000;

    record Dairy(String code, String region, double[] ripeningCurve) {}
    record Cheese(String sku, String dairy, String name, byte[] tastingNotes, long listedAt) {}
    record PriceLabel(String key, byte[] rendered, long at) {}
    record Sale(String sku, String shop, int grams, long at) {}

    static final class WholesaleOrder { final String orderNo, customer; final byte[] lines; final long placedAt, collectAt; String status = "PLACED";
        WholesaleOrder(String orderNo, String customer, byte[] lines, long placedAt, long collectAt) { this.orderNo = orderNo; this.customer = customer; this.lines = lines; this.placedAt = placedAt; this.collectAt = collectAt; } }

    static final class UploadJob { final String sku; final byte[] photo; final boolean aborted; final CountDownLatch done = new CountDownLatch(1); long checksum;
        UploadJob(String sku, byte[] photo, boolean aborted) { this.sku = sku; this.photo = photo; this.aborted = aborted; } }

    /** Fixed crew: each worker parks on the queue between jobs and always counts the job's latch down. */
    static final class UploadWorker extends Thread {
        final LinkedBlockingQueue<UploadJob> queue; final byte[] scratch = new byte[65_536]; long processed, discarded;
        UploadWorker(int n, LinkedBlockingQueue<UploadJob> queue) { super(null, null, "photo-upload-" + n, 256 * 1024); this.queue = queue; setDaemon(true); }
        @Override public void run() {
            while (true) {
                UploadJob job;
                try { job = queue.take(); } catch (InterruptedException e) { return; }
                try {
                    if (job.aborted) { discarded++; continue; }
                    int n = Math.min(job.photo.length, scratch.length);
                    System.arraycopy(job.photo, 0, scratch, 0, n);
                    long sum = 7;
                    for (int i = 0; i < n; i += 16) sum = sum * 31 + scratch[i];
                    job.checksum = sum; processed++;
                } finally { job.done.countDown(); }
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, PriceLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PriceLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Dairy> DAIRIES_BY_CODE = new HashMap<>();

    static final class ShopService {
        final Map<String, Cheese> cheeses = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final Sale[] sales = new Sale[RING];
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Map<String, WholesaleOrder> orders = new HashMap<>();
        final LinkedBlockingQueue<UploadJob> uploadQueue = new LinkedBlockingQueue<>();
        final List<UploadWorker> crew = new ArrayList<>();
        long sold, placed, collected, uploads, aborted;
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(103_060_001);
        String[] dairyCodes = new String[DAIRIES];
        for (int d = 0; d < DAIRIES; d++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            dairyCodes[d] = "DY-" + (600 + d);
            DAIRIES_BY_CODE.put(dairyCodes[d], new Dairy(dairyCodes[d], "Region " + (d % 50), curve));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        String[] skus = new String[CHEESES];
        String[] kinds = {"Comte", "Stilton", "Manchego", "Gouda", "Brie", "Cheddar", "Pecorino", "Taleggio"};
        for (int c = 0; c < CHEESES; c++) {
            skus[c] = "CH" + (250_000 + c);
            svc.cheeses.put(skus[c], new Cheese(skus[c], dairyCodes[rnd.nextInt(DAIRIES)], kinds[c % kinds.length] + " " + (c % 97), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.printerBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) { UploadWorker worker = new UploadWorker(w, svc.uploadQueue); svc.crew.add(worker); worker.start(); }
        Random traffic = new Random(103_060_002);
        PriorityQueue<WholesaleOrder> due = new PriorityQueue<>((x, y) -> Long.compare(x.collectAt, y.collectAt));
        long span = end - MINUTE - start;
        for (int i = 0; i < SALES; i++) {
            long t = start + span * i / SALES;
            while (!due.isEmpty() && due.peek().collectAt <= t) { WholesaleOrder o = due.poll(); o.status = "COLLECTED"; svc.orders.remove(o.orderNo); svc.collected++; }
            String sku = skus[traffic.nextInt(CHEESES)];
            svc.sales[(int) (svc.sold++ % RING)] = new Sale(sku, "shop-" + traffic.nextInt(40), 50 + traffic.nextInt(950), t);
            String key = "label-" + traffic.nextInt(5_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new PriceLabel(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
            if (i % (SALES / ORDERS) == 0) {
                WholesaleOrder o = new WholesaleOrder("WS-" + (70_000 + svc.placed), "trade-" + traffic.nextInt(900), new byte[200 + traffic.nextInt(200)], t, t + (10 + traffic.nextInt(110)) * MINUTE);
                svc.orders.put(o.orderNo, o); due.add(o); svc.placed++;
                o.status = "PICKING"; // a plain field, the key (order number) never changes
            }
            if (i % (SALES / UPLOADS) == 0) {
                boolean abort = traffic.nextInt(12) == 0;
                UploadJob job = new UploadJob(sku, new byte[24_576 + traffic.nextInt(32_768)], abort);
                svc.uploadQueue.put(job);
                job.done.await();
                svc.uploads++;
                if (abort) svc.aborted++;
            }
        }
        int open = due.size();
        due.clear(); due = null; skus = null; dairyCodes = null;
        long processed = 0, discarded = 0;
        for (int tries = 0; tries < 1_000; tries++) {
            boolean allWaiting = true;
            for (UploadWorker w : svc.crew) allWaiting &= w.getState() == Thread.State.WAITING;
            if (allWaiting) break;
            Thread.sleep(10);
        }
        int waiting = 0;
        for (UploadWorker w : svc.crew) { processed += w.processed; discarded += w.discarded; if (w.getState() == Thread.State.WAITING) waiting++; }
        System.out.println("dairies " + DAIRIES_BY_CODE.size() + " cheeses " + svc.cheeses.size() + " sales " + svc.sold + " orders open " + svc.orders.size() + " (placed " + svc.placed + ", collected "
                + svc.collected + ") uploads " + svc.uploads + " (aborted " + svc.aborted + ", processed " + processed + ", discarded " + discarded + ") workers waiting " + waiting
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") buffers " + svc.printerBuffers.size());
        check(DAIRIES_BY_CODE.size() == DAIRIES && svc.cheeses.size() == CHEESES, "reference data / directory");
        check(svc.sold == SALES && svc.sales[RING - 1] != null, "sales ring full");
        check(svc.orders.size() == open && svc.placed == ORDERS && svc.collected + open == ORDERS, "order board");
        check(svc.uploads == UPLOADS && processed + discarded == UPLOADS && discarded == svc.aborted && svc.uploadQueue.isEmpty(), "uploads");
        check(svc.crew.size() == WORKERS && waiting == WORKERS, "crew parked on the queue");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.printerBuffers.size() == BUFFERS, "buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
