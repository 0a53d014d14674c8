// hprofscan-dump: name=val152-leak-pcbassembly jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val152-leak-pcbassembly-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 152 (written blind), LEAK: the line controller of a PCB assembly plant. Component
 * reference data, the work-order directory, a cache of rendered stencil previews at its cap, a
 * pool of camera frame buffers, a ring of finished panel records, and the optical-inspection (AOI)
 * step: every panel batch gets its own Executors.newFixedThreadPool(1 or 2) with a daemon thread
 * factory naming the threads after the batch ("aoi-<lot>-<n>"); the batch's inspection tasks run
 * and complete, but the executor is never shut down: its idle workers wait forever on their empty
 * queues, and each thread keeps its executor, whose thread factory lambda captured the batch (its
 * board serials and the AOI report). See VALIDATION152.md.
 */
public final class Val152LeakPcbAssembly {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COMPONENTS = 1_600, ORDERS = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 256, BATCHES = 600, HOURS = 10;
    static boolean FIXED;

    record Component(String mpn, String footprint, double[] reelLevels) {}
    record WorkOrder(String ref, String customer, String boardRev, byte[] bom, long openedAt) {}
    record Preview(String key, byte[] png, long at) {}
    record PanelRecord(String lot, int boards, int defects, long at) {}

    static final class Batch {
        final String lot; final String[] boardSerials; final byte[] aoiReport; final long at; int defects;
        Batch(String lot, String[] boardSerials, byte[] aoiReport, long at) { this.lot = lot; this.boardSerials = boardSerials; this.aoiReport = aoiReport; this.at = at; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Component> COMPONENTS_BY_MPN = new HashMap<>();

    static final class LineController {
        final Map<String, WorkOrder> orders = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final PanelRecord[] finished = new PanelRecord[RING];
        long batches, tasks, threadsStarted;

        /** Inspects one batch: 1 worker for small batches, 2 for 24 boards or more. */
        void inspect(Batch batch) throws Exception {
            AtomicInteger n = new AtomicInteger();
            int workers = batch.boardSerials.length >= 24 ? 2 : 1;
            ExecutorService aoi = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "aoi-" + batch.lot + "-" + n.incrementAndGet());
                t.setDaemon(true);
                threadsStarted++;
                return t;
            });
            List<Future<Integer>> parts = new ArrayList<>();
            int perPart = (batch.boardSerials.length + 3) / 4;
            for (int p = 0; p < batch.boardSerials.length; p += perPart) {
                int from = p, to = Math.min(batch.boardSerials.length, p + perPart);
                parts.add(aoi.submit(() -> {
                    int d = 0;
                    for (int b = from; b < to; b++) if ((batch.aoiReport[(b * 37) % batch.aoiReport.length] & 0x3f) == 0) d++;
                    return d;
                }));
            }
            for (Future<Integer> f : parts) batch.defects += f.get();
            tasks += parts.size();
            if (FIXED) { // the fix: shut the batch's executor down when the batch is done
                aoi.shutdown();
                if (!aoi.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("aoi executor did not stop");
            }
            // BUG: no shutdown(); the fixed pool's core threads never time out
            finished[(int) (batches++ % RING)] = new PanelRecord(batch.lot, batch.boardSerials.length, batch.defects, batch.at);
        }
    }

    static LineController SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int liveAoiThreads() {
        int live = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("aoi-") && t.isAlive()) live++;
        return live;
    }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(152_030_001);
        String[] footprints = {"0402", "0603", "0805", "SOIC-8", "QFN-32", "BGA-256", "SOT-23"};
        for (int c = 0; c < COMPONENTS; c++) {
            double[] reels = new double[60];
            for (int k = 0; k < reels.length; k++) reels[k] = rnd.nextDouble() * 5_000;
            String mpn = "MPN-" + (410_000 + c * 13);
            COMPONENTS_BY_MPN.put(mpn, new Component(mpn, footprints[c % footprints.length], reels));
        }
        LineController svc = new LineController();
        SERVICE = svc;
        String[] refs = new String[ORDERS];
        for (int o = 0; o < ORDERS; o++) {
            refs[o] = "WO-" + (2_200_000 + o);
            svc.orders.put(refs[o], new WorkOrder(refs[o], "Customer " + (o % 700), "rev " + (char) ('A' + o % 6), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[65_536]);
        Random line = new Random(152_030_002);
        int expectedThreads = 0;
        for (int i = 0; i < BATCHES; i++) {
            long t = start + (end - MINUTE - start) * i / BATCHES;
            int boards = 8 + line.nextInt(33);
            expectedThreads += boards >= 24 ? 2 : 1;
            String lot = "L" + (51_000 + i);
            String[] serials = new String[boards];
            for (int b = 0; b < boards; b++) serials[b] = lot + "-" + String.format("%03d", b);
            svc.inspect(new Batch(lot, serials, new byte[3_000 + line.nextInt(3_000)], t));
            for (int k = 0; k < 30; k++) {
                String key = "stencil-" + line.nextInt(3_500);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + line.nextInt(500)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[(i * 30 + k) % buf.length] = (byte) k;
                svc.frameBuffers.add(buf);
            }
        }
        int live = liveAoiThreads();
        System.out.println((FIXED ? "FIXED " : "") + "components " + COMPONENTS_BY_MPN.size() + " orders " + svc.orders.size() + " batches " + svc.batches + " tasks " + svc.tasks + " aoi threads started " + svc.threadsStarted + " live " + live
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.frameBuffers.size());
        check(COMPONENTS_BY_MPN.size() == COMPONENTS && svc.orders.size() == ORDERS, "reference data / directory");
        check(svc.batches == BATCHES && svc.threadsStarted == expectedThreads, "batches / threads started");
        check(live == (FIXED ? 0 : expectedThreads), "live aoi threads: " + live);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.finished[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val152.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
