// hprofscan-dump: name=val39-leak-stonemasons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val39-leak-stonemasons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 39 (written blind), LEAK: the workshop service of a stonemason (granite and marble
 * worktops, memorials, cladding cut on CNC bridge saws). Stone reference data, the slab-job
 * directory, an LRU of rendered cut drawings at its cap, a pool of waterjet path buffers, a ring of
 * per-minute saw statistics. The saws stream telemetry (spindle load, water flow, every 5 s) into
 * a queue drained by one long-running worker thread, "saw-telemetry-aggregator", which aggregates
 * the readings into one-minute tumbling windows per saw, kept in a HashMap that is a local variable
 * of its run() loop. When the watermark passes a window's end plus the allowed lateness (2 minutes),
 * the window is emitted to the statistics ring and marked emitted, but never removed from the map:
 * every window ever opened stays on the worker's stack. No static field reaches it. See
 * VALIDATION39.md.
 */
public final class Val39LeakStonemasons {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long READING_EVERY = 5 * SECOND, ALLOWED_LATENESS = 2 * MINUTE;
    static final int STONES = 1_000, SLABS = 25_000, DRAWING_CAP = 2_000, POOL = 8, RING = 8_192, SAWS = 24, HOURS = 10, DRAWINGS_PER_MINUTE = 30;
    static boolean FIXED;

    record Stone(String code, String name, double[] hardnessCurve) {}
    record SlabJob(String slabId, String stoneCode, String customer, byte[] cutList, long orderedAt) {}
    record CutDrawing(String key, byte[] rendered, long at) {}
    record SawReading(String sawId, long eventAt, long arrivedAt, float spindleLoadKw, float waterLpm) {}
    record MinuteStat(String sawId, long windowStart, int readings, float meanLoadKw, float maxLoadKw, float meanWaterLpm) {}
    record WindowKey(String sawId, long windowStart) {}

    /** One saw's one-minute tumbling window. */
    static final class WindowAgg {
        final String sawId;
        final long windowStart;
        final float[] loadBySecond = new float[60];
        int readings;
        float sumLoad, maxLoad, sumWater;
        boolean emitted;
        WindowAgg(String sawId, long windowStart) { this.sawId = sawId; this.windowStart = windowStart; }
    }

    /** Counters the worker publishes (no reference to its windows). */
    static final class AggregatorStats {
        volatile long consumed, emitted, lateDropped;
        volatile int windowsHeld, pendingWindows;
    }

    /** The worker: drains the inbox forever; its window map is a local variable of run(). */
    static final class TelemetryAggregator implements Runnable {
        final BlockingQueue<SawReading> inbox;
        final MinuteStat[] ring;
        final AggregatorStats stats;
        TelemetryAggregator(BlockingQueue<SawReading> inbox, MinuteStat[] ring, AggregatorStats stats) { this.inbox = inbox; this.ring = ring; this.stats = stats; }

        @Override public void run() {
            Map<WindowKey, WindowAgg> windows = new HashMap<>();
            ArrayDeque<WindowAgg> toEmit = new ArrayDeque<>();
            long watermark = Long.MIN_VALUE, consumed = 0, emitted = 0, late = 0;
            while (true) {
                SawReading r;
                try {
                    r = inbox.take();
                } catch (InterruptedException e) {
                    return;
                }
                long ws = r.eventAt() - r.eventAt() % MINUTE;
                WindowKey key = new WindowKey(r.sawId(), ws);
                WindowAgg w = windows.get(key);
                if (w == null && ws + MINUTE + ALLOWED_LATENESS <= watermark) {
                    late++; // its window was emitted and pruned already
                } else if (w != null && w.emitted) {
                    late++; // its window was emitted already
                } else {
                    if (w == null) {
                        w = new WindowAgg(r.sawId(), ws);
                        windows.put(key, w);
                        toEmit.add(w);
                    }
                    int sec = (int) ((r.eventAt() - ws) / SECOND);
                    w.loadBySecond[sec] = r.spindleLoadKw();
                    w.readings++;
                    w.sumLoad += r.spindleLoadKw();
                    w.sumWater += r.waterLpm();
                    w.maxLoad = Math.max(w.maxLoad, r.spindleLoadKw());
                }
                watermark = Math.max(watermark, r.eventAt());
                while (!toEmit.isEmpty() && toEmit.peek().windowStart + MINUTE + ALLOWED_LATENESS <= watermark) {
                    WindowAgg e = toEmit.poll();
                    ring[(int) (emitted++ % ring.length)] = new MinuteStat(e.sawId, e.windowStart, e.readings, e.sumLoad / e.readings, e.maxLoad, e.sumWater / e.readings);
                    e.emitted = true;
                    if (FIXED) windows.remove(new WindowKey(e.sawId, e.windowStart)); // BUG (unfixed): the emitted window is never removed
                }
                consumed++;
                stats.emitted = emitted;
                stats.lateDropped = late;
                stats.windowsHeld = windows.size();
                stats.pendingWindows = toEmit.size();
                stats.consumed = consumed;
            }
        }
    }

    static final class DrawingCache extends LinkedHashMap<String, CutDrawing> {
        long evicted;
        DrawingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CutDrawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stone> STONES_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, SlabJob> slabJobs = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final ArrayDeque<byte[]> waterjetBuffers = new ArrayDeque<>();
        final MinuteStat[] minuteStats = new MinuteStat[RING];
        final BlockingQueue<SawReading> telemetryInbox = new LinkedBlockingQueue<>(4_096);
        final AggregatorStats aggregatorStats = new AggregatorStats();
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val39.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(39_020_001);
        String[] stoneCodes = new String[STONES];
        for (int s = 0; s < STONES; s++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 3 + rnd.nextDouble() * 4;
            stoneCodes[s] = "ST-" + (5_000 + s);
            STONES_BY_CODE.put(stoneCodes[s], new Stone(stoneCodes[s], "Stone " + s, c));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        String[] slabIds = new String[SLABS];
        for (int j = 0; j < SLABS; j++) {
            slabIds[j] = "SLB-" + (600_000 + j * 11);
            svc.slabJobs.put(slabIds[j], new SlabJob(slabIds[j], stoneCodes[rnd.nextInt(STONES)], "cust-" + rnd.nextInt(9_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.waterjetBuffers.add(new byte[32_768]);
        Thread worker = new Thread(new TelemetryAggregator(svc.telemetryInbox, svc.minuteStats, svc.aggregatorStats), "saw-telemetry-aggregator");
        worker.setDaemon(true);
        worker.start();

        // Telemetry of the period, in arrival order (a few readings arrive late, some too late).
        Random traffic = new Random(39_020_002);
        String[] sawIds = new String[SAWS];
        for (int s = 0; s < SAWS; s++) sawIds[s] = "saw-" + (s + 1);
        int perSaw = (int) ((end - start) / READING_EVERY);
        SawReading[] readings = new SawReading[SAWS * perSaw];
        int n = 0;
        for (int k = 0; k < perSaw; k++) {
            for (int s = 0; s < SAWS; s++) {
                long at = start + k * READING_EVERY + s * 150L;
                int roll = traffic.nextInt(1_000);
                long delay = roll < 970 ? traffic.nextInt(3_000) : roll < 995 ? 3_000 + traffic.nextInt(87_000) : 150_000 + traffic.nextInt(250_000);
                readings[n++] = new SawReading(sawIds[s], at, at + delay, 5 + traffic.nextFloat() * 20, 8 + traffic.nextFloat() * 6);
            }
        }
        Arrays.sort(readings, (a, b) -> a.arrivedAt() != b.arrivedAt() ? Long.compare(a.arrivedAt(), b.arrivedAt()) : Long.compare(a.eventAt(), b.eventAt()));
        int total = 0;
        long nextDrawingMinute = start;
        int d = 0;
        for (int i = 0; i < readings.length; i++) {
            SawReading r = readings[i];
            readings[i] = null;
            if (r.arrivedAt() > end) continue; // not arrived yet
            while (nextDrawingMinute <= r.arrivedAt()) {
                for (int q = 0; q < DRAWINGS_PER_MINUTE; q++, d++) {
                    String key = slabIds[traffic.nextInt(SLABS)] + "/drawing";
                    if (svc.drawings.get(key) == null) svc.drawings.put(key, new CutDrawing(key, new byte[400 + traffic.nextInt(400)], nextDrawingMinute));
                    byte[] buf = svc.waterjetBuffers.poll();
                    buf[d % buf.length] = (byte) d;
                    svc.waterjetBuffers.add(buf);
                }
                nextDrawingMinute += MINUTE;
            }
            svc.telemetryInbox.put(r);
            total++;
        }
        readings = null;
        AggregatorStats st = svc.aggregatorStats;
        while (st.consumed < total) Thread.sleep(5);
        while (worker.getState() != Thread.State.WAITING) Thread.sleep(5);

        System.out.println((FIXED ? "FIXED " : "") + "stones " + STONES_BY_CODE.size() + " slab-jobs " + svc.slabJobs.size() + " readings " + total + " consumed " + st.consumed + " late-dropped " + st.lateDropped
                + " emitted " + st.emitted + " windows-held " + st.windowsHeld + " pending " + st.pendingWindows + " drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted + ") pool " + svc.waterjetBuffers.size()
                + " worker " + worker.getName() + " " + worker.getState());
        check(STONES_BY_CODE.size() == STONES && svc.slabJobs.size() == SLABS, "reference data / directory");
        check(total == EXPECTED_READINGS && st.lateDropped == EXPECTED_LATE && st.emitted == EXPECTED_EMITTED && st.pendingWindows == EXPECTED_PENDING, "telemetry");
        check(st.windowsHeld == (FIXED ? EXPECTED_PENDING : EXPECTED_EMITTED + EXPECTED_PENDING), "windows held by the aggregator: " + st.windowsHeld);
        check(worker.isAlive() && svc.telemetryInbox.isEmpty(), "aggregator alive and idle");
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted > 0, "drawing cache at cap");
        check(svc.waterjetBuffers.size() == POOL, "pool");
        check(svc.minuteStats[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int EXPECTED_READINGS = 172_782, EXPECTED_LATE = 840, EXPECTED_EMITTED = 14_328, EXPECTED_PENDING = 72;
}
