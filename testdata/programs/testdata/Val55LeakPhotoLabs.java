// hprofscan-dump: name=val55-leak-photolabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val55-leak-photolabs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 55 (written blind), LEAK: the print-render service of an online photo lab chain.
 * Lab reference data, the print-product directory, a cache of rendered proof thumbnails at its
 * cap, a pool of colour-transform buffers, a ring of accepted print orders, and a fixed pool of 6
 * render worker threads (each with its own queue; order i goes to worker i % 6). Each worker has a
 * legitimate per-thread 64 KiB scratch buffer (a ThreadLocal<byte[]>, reused), and a per-request
 * render context: a ThreadLocal<List<RenderRecord>> that every request appends its record to "for
 * the request's audit line" and that nothing ever clears or removes, so each pool thread keeps the
 * history of every request it served. See VALIDATION55.md.
 */
public final class Val55LeakPhotoLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LABS = 1_100, PRODUCTS = 24_000, THUMB_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 6, HOURS = 10, ORDERS = 36_000;
    static boolean FIXED;

    record Lab(String code, String region, double[] hourlyCapacity) {}
    record PrintProduct(String sku, String paper, byte[] iccProfile, long introducedAt) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record PrintOrder(String orderId, String labCode, String sku, int copies, long at) {}
    record RenderRecord(String orderId, String sku, int worker, long at, byte[] colourLog) {}

    /** Per-thread scratch buffer: bounded (one per worker), reused by every request. */
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
    /** Per-request render context. BUG: appended to by every request, never cleared or removed. */
    static final ThreadLocal<List<RenderRecord>> RENDER_CONTEXT = ThreadLocal.withInitial(ArrayList::new);

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final class RenderWorker extends Thread {
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        final int index; long served, contextSize;
        RenderWorker(int index) { super("render-worker-" + index); this.index = index; setDaemon(true); }
        @Override public void run() {
            try { while (true) queue.take().run(); } catch (InterruptedException e) { /* never interrupted */ }
        }
    }

    static final Map<String, Lab> LABS_BY_CODE = new HashMap<>();

    static final class RenderService {
        final Map<String, PrintProduct> products = new HashMap<>();
        final ThumbCache thumbs = new ThumbCache();
        final ArrayDeque<byte[]> transformBuffers = new ArrayDeque<>();
        final PrintOrder[] accepted = new PrintOrder[RING];
        long acceptedCount;
        final RenderWorker[] workers = new RenderWorker[WORKERS];
    }

    static RenderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void render(RenderWorker w, PrintOrder o, int logLength) {
        byte[] scratch = SCRATCH.get();
        scratch[(int) (w.served % scratch.length)] = (byte) o.copies();
        List<RenderRecord> ctx = RENDER_CONTEXT.get();
        try {
            ctx.add(new RenderRecord(o.orderId(), o.sku(), w.index, o.at(), new byte[logLength]));
            w.served++;
            w.contextSize = ctx.size();
        } finally {
            if (FIXED) RENDER_CONTEXT.remove(); // the fix: the context lives for one request only
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val55.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(55_030_001);
        String[] labCodes = new String[LABS];
        for (int l = 0; l < LABS; l++) {
            double[] cap = new double[72];
            for (int k = 0; k < cap.length; k++) cap[k] = rnd.nextDouble() * 500;
            String code = "LAB-" + (1_000 + l);
            labCodes[l] = code;
            LABS_BY_CODE.put(code, new Lab(code, "Region " + (l % 40), cap));
        }
        RenderService svc = new RenderService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] papers = {"lustre", "glossy", "matte", "metallic", "canvas", "fine-art"};
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "PR-" + (3_000_000 + p);
            skus[p] = sku;
            svc.products.put(sku, new PrintProduct(sku, papers[p % papers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.transformBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new RenderWorker(w); svc.workers[w].start(); }
        Random traffic = new Random(55_030_002);
        CountDownLatch done = new CountDownLatch(ORDERS);
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (end - MINUTE - start) * i / ORDERS;
            PrintOrder o = new PrintOrder("PO-" + (90_000_000 + i), labCodes[traffic.nextInt(LABS)], skus[traffic.nextInt(PRODUCTS)], 1 + traffic.nextInt(20), t);
            svc.accepted[(int) (svc.acceptedCount++ % RING)] = o;
            int logLength = 120 + traffic.nextInt(120);
            RenderWorker w = svc.workers[i % WORKERS];
            w.queue.add(() -> { render(w, o, logLength); done.countDown(); });
            String key = o.sku() + "/proof-" + traffic.nextInt(4);
            if (svc.thumbs.get(key) == null) svc.thumbs.put(key, new Thumbnail(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.transformBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.transformBuffers.add(buf);
        }
        done.await();
        long served = 0;
        StringBuilder perWorker = new StringBuilder();
        for (RenderWorker w : svc.workers) {
            served += w.served;
            perWorker.append(' ').append(w.served).append('/').append(w.contextSize);
            check(w.isAlive() && w.queue.isEmpty(), "worker idle and alive");
            check(w.served == ORDERS / WORKERS, "orders per worker");
            check(w.contextSize == (FIXED ? 1 : w.served), "render context of " + w.getName() + ": " + w.contextSize);
        }
        System.out.println((FIXED ? "FIXED " : "") + "labs " + LABS_BY_CODE.size() + " products " + svc.products.size() + " orders " + svc.acceptedCount + " served " + served + " per worker (served/context)" + perWorker
                + " thumbs " + svc.thumbs.size() + " (evicted " + svc.thumbs.evicted + ") pool " + svc.transformBuffers.size());
        check(LABS_BY_CODE.size() == LABS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(served == ORDERS && svc.acceptedCount == ORDERS && svc.accepted[RING - 1] != null, "orders / ring");
        check(svc.thumbs.size() == THUMB_CAP && svc.thumbs.evicted > 0, "thumbnail cache at cap");
        check(svc.transformBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
