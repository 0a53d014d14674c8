// hprofscan-dump: name=print-farm jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=print-farm-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="healthy"
// hprofscan-dump: name=print-farm-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=print-farm-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A 3D-print farm. Each print job is sliced on a thread of its own ({@code slice-job-N}), which
 * registers its {@code SliceContext} (G-code buffer, layer heights, the thread's name) in the
 * static {@code ACTIVE_SLICES}, a {@code ConcurrentHashMap<Long, SliceContext>} keyed by
 * {@code Thread.currentThread().getId()}, so that a progress endpoint can find it. Leak: the
 * entry is never removed: 1,200 jobs, all threads ended, 1,200 contexts under the ids of threads
 * that no longer exist. Healthy: removed in {@code finally}.
 *
 * <p>Beside it: 48 printer-controller threads that stay alive, each with its
 * {@code ControllerState} in {@code CONTROLLERS_BY_THREAD} (keyed by thread id, every key a live
 * thread's), a printer directory keyed by printer number 1..1,500 (numbers in the same range as
 * the thread ids), 800 filaments loaded at start, an LRU of 1,000 sliced models, and a ring of
 * the last 2,048 temperature readings.
 */
public final class PrintFarm {
    static final int JOBS = 1_200;
    static final int CONTROLLERS = 48;
    static final int PRINTERS = 1_500;
    static final int MODEL_CAP = 1_000;
    static final long HOUR = 3_600_000L;

    record Filament(String code, String material, double[] profile) {}

    record Printer(long number, String model, String bay, int[] calibration) {}

    record Model(String key, byte[] mesh, long slicedAt) {}

    record Reading(long printer, double celsius, long at) {}

    static final class SliceContext {
        final String threadName;
        final String jobId;
        final long startedAt;
        final byte[] gcode = new byte[4_096];
        final double[] layers = new double[200];
        int progress;

        SliceContext(String threadName, String jobId, long startedAt) {
            this.threadName = threadName;
            this.jobId = jobId;
            this.startedAt = startedAt;
        }
    }

    static final class ControllerState {
        final String threadName;
        final byte[] frame = new byte[8_192];
        long commands;

        ControllerState(String threadName) {
            this.threadName = threadName;
        }
    }

    static final Map<Long, SliceContext> ACTIVE_SLICES = new ConcurrentHashMap<>();
    static final Map<Long, ControllerState> CONTROLLERS_BY_THREAD = new ConcurrentHashMap<>();
    static final Map<Long, Printer> PRINTERS_BY_NUMBER = new HashMap<>();
    static final Map<String, Filament> FILAMENTS = new HashMap<>();
    static final Map<String, Model> MODELS = new LinkedHashMap<>(2_048, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Model> e) {
            return size() > MODEL_CAP;
        }
    };
    static final Reading[] READINGS = new Reading[2_048];
    static long readingCount;
    static final CountDownLatch SHUTDOWN = new CountDownLatch(1);
    static final List<Thread> CONTROLLER_THREADS = new ArrayList<>();

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected count: " + what);
    }

    static void load(Random rnd) throws InterruptedException {
        for (int i = 0; i < 800; i++) {
            double[] p = new double[32];
            for (int k = 0; k < p.length; k++) p[k] = rnd.nextDouble() * 260;
            String code = "FIL-" + (10_000 + i);
            FILAMENTS.put(code, new Filament(code, i % 3 == 0 ? "PETG" : "PLA", p));
        }
        for (long n = 1; n <= PRINTERS; n++) {
            PRINTERS_BY_NUMBER.put(n, new Printer(n, "MK" + (3 + n % 3), "bay-" + (n % 40), new int[64]));
        }
        CountDownLatch registered = new CountDownLatch(CONTROLLERS);
        for (int c = 0; c < CONTROLLERS; c++) {
            Thread t = new Thread(() -> {
                CONTROLLERS_BY_THREAD.put(Thread.currentThread().getId(), new ControllerState(Thread.currentThread().getName()));
                registered.countDown();
                try {
                    SHUTDOWN.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    CONTROLLERS_BY_THREAD.remove(Thread.currentThread().getId());
                }
            }, "printer-controller-" + c);
            t.setDaemon(true);
            t.start();
            CONTROLLER_THREADS.add(t);
        }
        registered.await();
    }

    /** One job on its own thread: registers its context, slices, and (healthy) deregisters. */
    static void sliceJob(int n, long startedAt, boolean leak, Random rnd) throws InterruptedException {
        int seed = rnd.nextInt();
        Thread t = new Thread(() -> {
            long id = Thread.currentThread().getId();
            SliceContext ctx = new SliceContext(Thread.currentThread().getName(), "JOB-" + (400_000 + n), startedAt);
            ACTIVE_SLICES.put(id, ctx);
            try {
                Random r = new Random(seed);
                for (int l = 0; l < ctx.layers.length; l++) ctx.layers[l] = 0.1 + r.nextInt(20) / 100.0;
                ctx.gcode[seed & 4_095] = 1;
                ctx.progress = 100;
            } finally {
                if (!leak) ACTIVE_SLICES.remove(id);
            }
        }, "slice-job-" + n);
        t.start();
        t.join();
    }

    static void traffic(boolean leak, long now) throws InterruptedException {
        Random rnd = new Random(46_101);
        long end = now - now % 60_000L;
        long start = end - 8 * HOUR;
        for (int i = 0; i < JOBS; i++) {
            long t = start + (end - 60_000L - start) * i / JOBS;
            sliceJob(i, t, leak, rnd);
            for (int k = 0; k < 4; k++) {
                String key = "model-" + rnd.nextInt(3_000);
                if (MODELS.get(key) == null) MODELS.put(key, new Model(key, new byte[1_000 + rnd.nextInt(800)], t));
            }
            for (int k = 0; k < 5; k++) {
                READINGS[(int) (readingCount++ % READINGS.length)] = new Reading(1 + rnd.nextInt(PRINTERS), 190 + rnd.nextDouble() * 40, t);
            }
        }
    }

    static void report(boolean leak) {
        System.out.println((leak ? "leak" : "healthy") + " jobs " + JOBS + " active slices " + ACTIVE_SLICES.size() + " controllers "
                + CONTROLLERS_BY_THREAD.size() + " printers " + PRINTERS_BY_NUMBER.size() + " filaments " + FILAMENTS.size()
                + " models " + MODELS.size() + " readings " + readingCount);
        check(ACTIVE_SLICES.size() == (leak ? JOBS : 0), "active slices " + ACTIVE_SLICES.size());
        check(CONTROLLERS_BY_THREAD.size() == CONTROLLERS && MODELS.size() == MODEL_CAP, "controllers, models");
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        load(new Random(46_100));
        traffic(leak, System.currentTimeMillis());
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        SHUTDOWN.countDown();
        for (Thread t : CONTROLLER_THREADS) t.join();
        System.exit(0);
    }
}
