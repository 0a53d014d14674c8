// hprofscan-dump: name=val80-leak-movingvans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val80-leak-movingvans-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 80 (written blind), LEAK: the quote and route planner of a removals (moving-van)
 * company. Depot reference data, the van directory, a cache of rendered quotes at its cap, a pool
 * of route-solver buffers, a ring of recent jobs, and per-thread statistics: a static
 * ConcurrentHashMap<Thread, WorkerStats> filled by the tasks of a cached thread pool (core 0, idle
 * threads die after their keep-alive: one minute in production, scaled to 20 ms here like the rest of
 * the simulated time). The pool runs a burst of 8 route optimisations every 3 minutes; after each
 * burst the idle threads die and the next burst gets new threads, so the map keeps one entry per
 * dead thread (and the dead Thread itself). The fix removes a thread's entry when the thread ends
 * (the thread factory wraps the worker in try/finally). The pool's threads are the cause: no other
 * thread is started. See VALIDATION80.md.
 */
public final class Val80LeakMovingVans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_000, VANS = 22_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, BURST = 8;
    static final long KEEP_ALIVE_MS = 20; // one minute in production
    static boolean FIXED;

    record Depot(String code, String town, double[] hourlyLoad) {}
    record Van(String plate, String depotCode, String model, byte[] maintenanceLog, long inServiceSince) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Job(String plate, String customerRef, long movingDay, long bookedAt) {}

    static final class WorkerStats {
        final String threadName; final long firstTaskAt; long lastTaskAt; long tasks; long solverMillis;
        final long[] latencyHistogram = new long[96];
        WorkerStats(String threadName, long at) { this.threadName = threadName; this.firstTaskAt = at; this.lastTaskAt = at; }
    }

    /** Per-thread statistics of the route optimiser, keyed by the worker thread. */
    static final Map<Thread, WorkerStats> STATS_BY_THREAD = new ConcurrentHashMap<>();
    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final class Planner {
        final Map<String, Van> vans = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> solverBuffers = new ArrayDeque<>();
        final Job[] recent = new Job[RING];
        long jobs;
        ThreadPoolExecutor optimiser;
        long threadsCreated;
    }

    static Planner SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val80.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(80_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 40;
            String code = "DEP-" + (2_000 + d);
            depotCodes[d] = code;
            DEPOTS_BY_CODE.put(code, new Depot(code, "Town " + (d % 250), load));
        }
        Planner svc = new Planner();
        SERVICE = svc;
        String[] plates = new String[VANS];
        String[] models = {"Luton 3.5t", "7.5t box", "LWB panel", "18t rigid"};
        for (int v = 0; v < VANS; v++) {
            String plate = "MV" + (5_000_000 + v);
            plates[v] = plate;
            svc.vans.put(plate, new Van(plate, depotCodes[rnd.nextInt(DEPOTS)], models[v % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.solverBuffers.add(new byte[32_768]);
        svc.optimiser = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_MS, TimeUnit.MILLISECONDS, new SynchronousQueue<>(), r -> {
            svc.threadsCreated++;
            Runnable body = FIXED ? () -> { try { r.run(); } finally { STATS_BY_THREAD.remove(Thread.currentThread()); } } : r;
            // BUG (unfixed): nothing removes the entry of a thread that dies after its keep-alive
            return new Thread(body, "route-opt-" + svc.threadsCreated);
        });
        Random traffic = new Random(80_020_002);
        int bursts = (int) (HOURS * HOUR / (3 * MINUTE));
        int jobsPerBurst = 60;
        for (int b = 0; b < bursts; b++) {
            long t = start + b * 3 * MINUTE;
            CountDownLatch allRunning = new CountDownLatch(BURST);
            CountDownLatch done = new CountDownLatch(BURST);
            for (int k = 0; k < BURST; k++) {
                final long solverMs = 200 + traffic.nextInt(2_000);
                final int bucket = traffic.nextInt(96);
                svc.optimiser.execute(() -> {
                    WorkerStats s = STATS_BY_THREAD.computeIfAbsent(Thread.currentThread(), th -> new WorkerStats(th.getName(), t));
                    s.tasks++; s.lastTaskAt = t; s.solverMillis += solverMs; s.latencyHistogram[bucket]++;
                    allRunning.countDown();
                    try { allRunning.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    done.countDown();
                });
            }
            done.await();
            for (int j = 0; j < jobsPerBurst; j++) {
                String plate = plates[traffic.nextInt(VANS)];
                svc.recent[(int) (svc.jobs++ % RING)] = new Job(plate, "CUST-" + traffic.nextInt(90_000), t + (1 + traffic.nextInt(30)) * 24 * HOUR, t);
                String key = "quote-" + traffic.nextInt(6_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.solverBuffers.poll();
                buf[j] = (byte) b;
                svc.solverBuffers.add(buf);
            }
            // idle threads die after the keep-alive; the next burst (3 minutes later) starts new ones
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (svc.optimiser.getPoolSize() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
            check(svc.optimiser.getPoolSize() == 0, "idle threads died after burst " + b);
        }
        Thread.sleep(50); // let the last workers finish exiting
        long alive = STATS_BY_THREAD.keySet().stream().filter(Thread::isAlive).count();
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " vans " + svc.vans.size() + " bursts " + bursts + " threads created " + svc.threadsCreated
                + " stats entries " + STATS_BY_THREAD.size() + " (alive " + alive + ") completed " + svc.optimiser.getCompletedTaskCount() + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.solverBuffers.size() + " jobs " + svc.jobs);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.vans.size() == VANS, "reference data / directory");
        check(svc.threadsCreated == (long) bursts * BURST && svc.optimiser.getCompletedTaskCount() == (long) bursts * BURST, "one new thread per task of every burst");
        check(alive == 0, "no live worker");
        if (FIXED) check(STATS_BY_THREAD.isEmpty(), "stats of dead threads removed");
        else check(STATS_BY_THREAD.size() == bursts * BURST, "stats of every dead thread kept: " + STATS_BY_THREAD.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.solverBuffers.size() == POOL, "pool");
        check(svc.jobs == (long) bursts * jobsPerBurst && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
