// hprofscan-dump: name=val110-leak-textileprinting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val110-leak-textileprinting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 110 (written blind), LEAK: the order service of a digital textile-printing house
 * (fabric printed to order for fashion labels and upholsterers). Fabric reference data, the design
 * directory, a cache of rendered previews at its cap, a pool of raster buffers, a ring of the job
 * log, a plotter queue with its normal backlog, and a fixed pool of 6 RIP (raster image processing)
 * workers. Each worker keeps a RipContext in a ThreadLocal whose proof memo is filled for every
 * order line it rips; only the wholesale batch path removes its lines' proofs when the batch ends.
 * Retail orders (most of the traffic) never remove theirs, so every long-lived worker's memo keeps
 * a colour proof per retail order it ever ripped. See VALIDATION110.md.
 */
public final class Val110LeakTextilePrinting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FABRICS = 1_200, DESIGNS = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, ORDERS = 16_000, HOURS = 8, WORKERS = 6;
    static final String[] COLOURWAYS = {"indigo", "madder", "ochre", "sage", "charcoal", "coral", "teal", "natural"};
    static boolean FIXED;

    record Fabric(String code, String composition, int gsm, double[] absorptionCurve) {}
    record Design(String designId, String label, String fabricCode, byte[] separationHeader, long createdAt) {}
    record Preview(String key, byte[] png, long renderedAt) {}
    record JobLogEntry(String orderNo, String designId, int lines, boolean wholesale, String worker, long at) {}
    record PlotterJob(String orderNo, int metres, long queuedAt) {}
    /** What a worker remembers about a ripped order line (so a reprint within a batch reuses it). */
    record ColourProof(String orderLine, String colourway, byte[] swatch, long rippedAt, int inkMl) {}
    record Order(String orderNo, String designId, int lines, boolean wholesale, long at, long seed) {}
    record RipResult(String worker, int memoSize, int inkMl) {}

    static final class RipContext {
        final String worker;
        final Map<String, ColourProof> proofs = new HashMap<>();
        long ripped;
        RipContext(String worker) { this.worker = worker; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();
    static final ThreadLocal<RipContext> RIP_CONTEXT = ThreadLocal.withInitial(() -> new RipContext(Thread.currentThread().getName()));

    static final class PrintService {
        final Map<String, Design> designs = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final LinkedBlockingQueue<byte[]> rasterBuffers = new LinkedBlockingQueue<>();
        final JobLogEntry[] jobLog = new JobLogEntry[RING];
        final ArrayDeque<PlotterJob> plotterQueue = new ArrayDeque<>();
        final ExecutorService rip;
        long jobs, plotted, retail, wholesale, wholesaleLines;

        PrintService() {
            AtomicInteger n = new AtomicInteger();
            rip = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "rip-worker-" + n.incrementAndGet()));
        }

        /** Runs on a RIP worker. */
        RipResult ripOrder(Order o) throws InterruptedException {
            RipContext ctx = RIP_CONTEXT.get();
            Random r = new Random(o.seed());
            byte[] raster = rasterBuffers.take();
            int ink = 0;
            try {
                if (!o.wholesale()) {
                    String key = o.orderNo() + "/L1";
                    try {
                        ink += ripLine(ctx, key, r, o.at(), raster);
                    } finally {
                        if (FIXED) ctx.proofs.remove(key);
                    }
                } else {
                    List<String> batchKeys = new ArrayList<>();
                    for (int l = 1; l <= o.lines(); l++) {
                        String key = o.orderNo() + "/L" + l;
                        batchKeys.add(key);
                        ink += ripLine(ctx, key, r, o.at(), raster);
                    }
                    // end of the batch: release the batch's proofs
                    for (String k : batchKeys) ctx.proofs.remove(k);
                }
            } finally {
                rasterBuffers.put(raster);
            }
            return new RipResult(ctx.worker, ctx.proofs.size(), ink);
        }

        int ripLine(RipContext ctx, String key, Random r, long at, byte[] raster) {
            ColourProof p = ctx.proofs.get(key);
            if (p == null) {
                byte[] swatch = new byte[240 + r.nextInt(240)];
                r.nextBytes(swatch);
                p = new ColourProof(key, COLOURWAYS[r.nextInt(COLOURWAYS.length)], swatch, at, 20 + r.nextInt(400));
                ctx.proofs.put(key, p);
            }
            raster[(int) (ctx.ripped++ % raster.length)] = p.swatch()[0];
            return p.inkMl();
        }
    }

    static PrintService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Map<String, Integer> simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(110_010_001);
        String[] fabricCodes = new String[FABRICS];
        String[] fibres = {"cotton poplin", "linen", "silk crepe", "viscose twill", "cotton-linen canvas", "polyester satin", "organic jersey", "hemp"};
        for (int f = 0; f < FABRICS; f++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 3.5;
            fabricCodes[f] = "FB-" + (char) ('A' + f % 12) + (3_000 + f);
            FABRICS_BY_CODE.put(fabricCodes[f], new Fabric(fabricCodes[f], fibres[f % fibres.length], 90 + rnd.nextInt(300), curve));
        }
        PrintService svc = new PrintService();
        SERVICE = svc;
        String[] designIds = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) {
            designIds[d] = "DS-" + (410_000 + d * 7);
            svc.designs.put(designIds[d], new Design(designIds[d], "Label " + rnd.nextInt(900), fabricCodes[rnd.nextInt(FABRICS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);

        Random traffic = new Random(110_010_002);
        Map<String, Integer> memoByWorker = new HashMap<>();
        final int chunk = 64;
        List<Order> orders = new ArrayList<>(chunk);
        List<Future<RipResult>> futures = new ArrayList<>(chunk);
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (end - MINUTE - start) * i / ORDERS;
            boolean wholesale = traffic.nextInt(100) < 15;
            int lines = wholesale ? 5 + traffic.nextInt(16) : 1;
            orders.add(new Order("ORD-" + (2_600_000 + i), designIds[traffic.nextInt(DESIGNS)], lines, wholesale, t, traffic.nextLong()));
            if (orders.size() == chunk || i == ORDERS - 1) {
                for (Order o : orders) futures.add(svc.rip.submit(() -> svc.ripOrder(o)));
                for (int k = 0; k < orders.size(); k++) {
                    Order o = orders.get(k);
                    RipResult res = futures.get(k).get();
                    memoByWorker.put(res.worker(), res.memoSize()); // in submission order = each worker's order
                    svc.jobLog[(int) (svc.jobs++ % RING)] = new JobLogEntry(o.orderNo(), o.designId(), o.lines(), o.wholesale(), res.worker(), o.at());
                    if (o.wholesale()) { svc.wholesale++; svc.wholesaleLines += o.lines(); } else svc.retail++;
                    String pkey = o.designId() + "@" + (o.seed() & 3);
                    if (svc.previews.get(pkey) == null) svc.previews.put(pkey, new Preview(pkey, new byte[400 + (int) ((o.seed() >>> 8) & 0x18f)], o.at()));
                    svc.plotterQueue.addLast(new PlotterJob(o.orderNo(), o.lines() * (2 + (int) ((o.seed() >>> 20) & 7)), o.at()));
                    // the plotters work through the queue: about 6 minutes of jobs are waiting
                    while (svc.plotterQueue.peekFirst().queuedAt() < o.at() - 6 * MINUTE) { svc.plotterQueue.pollFirst(); svc.plotted++; }
                }
                orders.clear();
                futures.clear();
            }
        }
        return memoByWorker;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val110.fixed");
        Map<String, Integer> memo = simulate();
        PrintService svc = SERVICE;
        int total = 0;
        for (int v : memo.values()) total += v;
        System.out.println((FIXED ? "FIXED " : "") + "fabrics " + FABRICS_BY_CODE.size() + " designs " + svc.designs.size() + " orders " + svc.jobs + " (retail " + svc.retail + ", wholesale " + svc.wholesale + " with " + svc.wholesaleLines + " lines)"
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.rasterBuffers.size() + " plotter backlog " + svc.plotterQueue.size() + " (plotted " + svc.plotted + ")"
                + " proofs per worker " + new java.util.TreeMap<>(memo) + " total " + total);
        check(FABRICS_BY_CODE.size() == FABRICS && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.jobs == ORDERS && svc.retail == 13_591 && svc.wholesale == 2_409 && svc.wholesaleLines == 29_874, "orders (seeded traffic)");
        check(memo.size() == WORKERS, "workers: " + memo.size());
        check(total == (FIXED ? 0 : svc.retail), "proofs kept by the workers: " + total);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.jobLog[RING - 1] != null, "ring");
        check(svc.plotterQueue.size() > 100 && svc.plotterQueue.size() < 400, "plotter backlog " + svc.plotterQueue.size());
        svc = null;
        memo = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
