// hprofscan-dump: name=val51-leak-framers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val51-leak-framers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 51 (written blind), LEAK: the artwork-proofing service of a chain of picture
 * framers. Customers upload the artwork to be printed and framed; the service renders mock-ups and
 * books the frame order. Shop reference data, the customer directory, a cache of rendered mock-ups
 * at its cap, a pool of image-scaling buffers, a ring of recent frame orders, and a clean-up
 * executor (a ScheduledThreadPoolExecutor with one worker thread, "upload-cleaner"): every upload
 * schedules the deletion of its temporary file 24 hours ahead, and the task's lambda captures the
 * whole Upload, payload included, so the executor's queue holds every payload of the day.
 * See VALIDATION51.md.
 */
public final class Val51LeakFramers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, CLEANUP_AFTER = 24 * HOUR;
    static final int SHOPS = 1_000, CUSTOMERS = 22_000, MOCKUP_CAP = 2_000, POOL = 8, RING = 4_096, UPLOADS_PER_HOUR = 600, HOURS = 10;
    static boolean FIXED;

    record FrameShop(String code, String town, double[] monthlyVolume) {}
    record Customer(String id, String shopCode, byte[] profile, long since) {}
    record Mockup(String key, byte[] rendered, long at) {}
    record FrameOrder(String orderNo, String customerId, String uploadId, String moulding, int widthMm, int heightMm, long at) {}

    /** An uploaded artwork, decoded in memory for proofing. */
    static final class Upload {
        final String uploadId, customerId, fileName, tmpPath; final long receivedAt; final byte[] payload;
        Upload(String uploadId, String customerId, String fileName, long receivedAt, byte[] payload) {
            this.uploadId = uploadId; this.customerId = customerId; this.fileName = fileName; this.tmpPath = "/var/spool/proofs/" + uploadId + ".tmp";
            this.receivedAt = receivedAt; this.payload = payload;
        }
    }

    static final class MockupCache extends LinkedHashMap<String, Mockup> {
        long evicted;
        MockupCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Mockup> e) { if (size() > MOCKUP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FrameShop> SHOPS_BY_CODE = new HashMap<>();

    static final class ProofService {
        final Map<String, Customer> customers = new HashMap<>();
        final MockupCache mockups = new MockupCache();
        final ArrayDeque<byte[]> scaleBuffers = new ArrayDeque<>();
        final FrameOrder[] recentOrders = new FrameOrder[RING];
        long orders, purged, payloadBytes;
        final ScheduledThreadPoolExecutor cleaner = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "upload-cleaner");
            th.setDaemon(true);
            return th;
        });

        /** Deletes the temporary file of an upload (logs its size). */
        void purge(Upload u) { purged++; payloadBytes -= u.payload.length; }
        void purgeFile(String uploadId, String tmpPath) { purged++; }

        void accept(Upload u, long receivedAt) {
            payloadBytes += u.payload.length;
            long delay = receivedAt + CLEANUP_AFTER - System.currentTimeMillis();
            if (FIXED) {
                String id = u.uploadId, path = u.tmpPath;
                cleaner.schedule(() -> purgeFile(id, path), delay, TimeUnit.MILLISECONDS);
            } else {
                cleaner.schedule(() -> purge(u), delay, TimeUnit.MILLISECONDS); // BUG: the task keeps the whole upload
            }
        }
    }

    static ProofService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val51.fixed");
        int uploads = UPLOADS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(51_020_001);
        String[] shopCodes = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            double[] volume = new double[60];
            for (int k = 0; k < volume.length; k++) volume[k] = rnd.nextDouble() * 400;
            shopCodes[s] = "FR-" + (1_000 + s);
            SHOPS_BY_CODE.put(shopCodes[s], new FrameShop(shopCodes[s], "Town " + (s % 250), volume));
        }
        ProofService svc = new ProofService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "FC" + (800_000 + c * 3);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], shopCodes[rnd.nextInt(SHOPS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scaleBuffers.add(new byte[32_768]);
        Random traffic = new Random(51_020_002);
        String[] mouldings = {"Oak 20mm", "Black ash 30mm", "Walnut box", "Gilt swept", "White flat 15mm", "Aluminium slim"};
        String[] exts = {".jpg", ".png", ".tif", ".heic"};
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - MINUTE - start) * i / uploads;
            String customer = customerIds[traffic.nextInt(CUSTOMERS)];
            String uploadId = "UP" + Long.toString(0x51_0000_0000L + i * 11L + traffic.nextInt(11), 36);
            Upload u = new Upload(uploadId, customer, "artwork-" + traffic.nextInt(100_000) + exts[traffic.nextInt(exts.length)], t, new byte[1_000 + traffic.nextInt(2_000)]);
            byte[] buf = svc.scaleBuffers.poll();
            System.arraycopy(u.payload, 0, buf, 0, Math.min(u.payload.length, 512)); // scale a thumbnail
            svc.scaleBuffers.add(buf);
            for (int k = 0; k < 3; k++) {
                String key = "mock-" + traffic.nextInt(5_000);
                if (svc.mockups.get(key) == null) svc.mockups.put(key, new Mockup(key, new byte[500 + traffic.nextInt(500)], t));
            }
            svc.recentOrders[(int) (svc.orders++ % RING)] = new FrameOrder("FO-" + (6_000_000 + i), customer, uploadId, mouldings[traffic.nextInt(mouldings.length)], 200 + traffic.nextInt(800), 200 + traffic.nextInt(800), t);
            svc.accept(u, t);
        }
        int queued = svc.cleaner.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " customers " + svc.customers.size() + " uploads " + uploads + " queued clean-ups " + queued + " (completed " + svc.cleaner.getCompletedTaskCount()
                + ", purged " + svc.purged + ", payload bytes " + svc.payloadBytes + ") mockups " + svc.mockups.size() + " (evicted " + svc.mockups.evicted + ") pool " + svc.scaleBuffers.size() + " orders " + svc.orders);
        check(SHOPS_BY_CODE.size() == SHOPS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(queued == uploads && svc.purged == 0 && svc.cleaner.getPoolSize() == 1, "clean-up queue holds every upload of the period: " + queued);
        check(svc.mockups.size() == MOCKUP_CAP && svc.mockups.evicted > 0, "mock-up cache at cap");
        check(svc.scaleBuffers.size() == POOL, "pool");
        check(svc.orders == uploads && svc.recentOrders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
