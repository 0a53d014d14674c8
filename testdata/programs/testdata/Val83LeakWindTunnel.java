// hprofscan-dump: name=val83-leak-windtunnel jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val83-leak-windtunnel-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 83 (written blind), LEAK: the data-acquisition service of an aerodynamics wind
 * tunnel. Scale-model reference data, the pressure-sensor directory, a cache of rendered polar plots
 * at its cap, a pool of DAQ transfer buffers, a ring of force-balance readings, the sample blocks of
 * the current and the two previous runs (kept for overlays), and a native sample arena: every sample
 * block's samples live off-heap (a simulated native allocation), and BlockAllocator registers each
 * block with its java.lang.ref.Cleaner so the native memory is freed once the block is unreachable.
 * The cleaning action is the bound method reference block::release, which captures the block itself:
 * the Cleaner holds every block strongly through its action, no block ever becomes phantom reachable,
 * and nothing is ever freed. See VALIDATION83.md.
 */
public final class Val83LeakWindTunnel {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MODELS = 1_000, SENSORS = 22_000, PLOT_CAP = 2_000, POOL = 8, RING = 16_384, RUNS_PER_HOUR = 20, HOURS = 10, BLOCKS_PER_RUN = 60, KEPT_RUNS = 3;
    static boolean FIXED;

    record ScaleModel(String code, String name, double[] tapCoordinates) {}
    record Sensor(String sensorId, String modelCode, String port, byte[] calibration, long calibratedAt) {}
    record PolarPlot(String key, byte[] rendered, long at) {}
    record BalanceReading(String runId, double lift, double drag, double pitchMoment, long at) {}

    /** Simulated native memory: counts allocations and frees (the samples are not on the Java heap). */
    static final class NativeArena {
        long nextAddress = 0x7f3a_0000_0000L, allocations, frees, liveBytes;
        synchronized long allocate(int size) { allocations++; liveBytes += size; long a = nextAddress; nextAddress += (size + 63) & ~63; return a; }
        synchronized void free(long address, int size) { frees++; liveBytes -= size; }
        synchronized long live() { return allocations - frees; }
    }

    /** One channel's samples of one run: native samples plus an on-heap preview for the live plot. */
    static final class SampleBlock {
        final NativeArena arena;
        final long address;
        final int size, channel;
        final String runId;
        final long capturedAt;
        final float[] preview;
        Cleaner.Cleanable cleanable;
        SampleBlock(NativeArena arena, int size, int channel, String runId, long capturedAt, float[] preview) {
            this.arena = arena; this.address = arena.allocate(size); this.size = size; this.channel = channel; this.runId = runId; this.capturedAt = capturedAt; this.preview = preview;
        }
        void release() { arena.free(address, size); }
    }

    /** The fix's cleaning action: holds only what it needs to free, never the block. */
    record FreeSamples(NativeArena arena, long address, int size) implements Runnable {
        public void run() { arena.free(address, size); }
    }

    static final class BlockAllocator {
        final NativeArena arena = new NativeArena();
        final Cleaner cleaner = Cleaner.create();
        long registered;
        SampleBlock open(int size, int channel, String runId, long at, float[] preview) {
            SampleBlock block = new SampleBlock(arena, size, channel, runId, at, preview);
            // BUG: block::release captures the block, so the Cleaner keeps it reachable forever.
            block.cleanable = FIXED ? cleaner.register(block, new FreeSamples(arena, block.address, size)) : cleaner.register(block, block::release);
            registered++;
            return block;
        }
    }

    static final class PlotCache extends LinkedHashMap<String, PolarPlot> {
        long evicted;
        PlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PolarPlot> e) { if (size() > PLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ScaleModel> MODELS_BY_CODE = new HashMap<>();

    static final class DaqService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final PlotCache plots = new PlotCache();
        final ArrayDeque<byte[]> transferBuffers = new ArrayDeque<>();
        final BalanceReading[] balance = new BalanceReading[RING];
        final ArrayDeque<List<SampleBlock>> recentRuns = new ArrayDeque<>();
        final BlockAllocator allocator = new BlockAllocator();
        long readings, runs;
    }

    static DaqService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val83.fixed");
        int runs = RUNS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(83_040_001);
        String[] modelCodes = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] taps = new double[96];
            for (int k = 0; k < taps.length; k++) taps[k] = rnd.nextDouble();
            modelCodes[m] = "MDL-" + (600 + m);
            MODELS_BY_CODE.put(modelCodes[m], new ScaleModel(modelCodes[m], (m % 2 == 0 ? "Wing section " : "Vehicle body ") + m, taps));
        }
        DaqService svc = new DaqService();
        SERVICE = svc;
        String[] sensorIds = new String[SENSORS];
        for (int s = 0; s < SENSORS; s++) {
            sensorIds[s] = "PT-" + (80_000 + s);
            svc.sensors.put(sensorIds[s], new Sensor(sensorIds[s], modelCodes[rnd.nextInt(MODELS)], "port " + (s % 512), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.transferBuffers.add(new byte[65_536]);
        Random traffic = new Random(83_040_002);
        for (int r = 0; r < runs; r++) {
            long t = start + (end - MINUTE - start) * r / runs;
            String runId = "RUN-" + (41_000 + r);
            List<SampleBlock> blocks = new ArrayList<>(BLOCKS_PER_RUN);
            for (int c = 0; c < BLOCKS_PER_RUN; c++) {
                float[] preview = new float[64 + traffic.nextInt(128)];
                for (int k = 0; k < preview.length; k += 8) preview[k] = traffic.nextFloat();
                blocks.add(svc.allocator.open(262_144 + traffic.nextInt(262_144), c, runId, t + c * 500L, preview));
            }
            svc.recentRuns.addLast(blocks);
            if (svc.recentRuns.size() > KEPT_RUNS) svc.recentRuns.removeFirst(); // the oldest run's blocks are dropped
            svc.runs++;
            for (int k = 0; k < 90; k++) {
                svc.balance[(int) (svc.readings++ % RING)] = new BalanceReading(runId, traffic.nextDouble() * 900, traffic.nextDouble() * 120, traffic.nextDouble() * 40 - 20, t + k * 2_000L);
            }
            for (int k = 0; k < 30; k++) {
                String key = "polar-" + modelCodes[traffic.nextInt(MODELS)] + "-re" + traffic.nextInt(4);
                if (svc.plots.get(key) == null) svc.plots.put(key, new PolarPlot(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.transferBuffers.poll();
            buf[r % buf.length] = (byte) r;
            svc.transferBuffers.add(buf);
        }
        int held = 0;
        for (List<SampleBlock> b : svc.recentRuns) held += b.size();
        NativeArena arena = svc.allocator.arena;
        // Give the Cleaner every chance: collect and wait until the dropped blocks are freed (fix), or a while (bug).
        long deadline = System.currentTimeMillis() + (FIXED ? 30_000 : 1_500);
        while (arena.live() > held && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(50); }
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " sensors " + svc.sensors.size() + " runs " + svc.runs + " blocks registered " + svc.allocator.registered + " held by the app " + held
                + " native live " + arena.live() + " (" + arena.liveBytes + " bytes, freed " + arena.frees + ") plots " + svc.plots.size() + " (evicted " + svc.plots.evicted + ") readings " + svc.readings + " pool " + svc.transferBuffers.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.sensors.size() == SENSORS, "reference data / directory");
        check(svc.allocator.registered == (long) runs * BLOCKS_PER_RUN && held == KEPT_RUNS * BLOCKS_PER_RUN, "blocks");
        if (FIXED) check(arena.live() == held && arena.frees == svc.allocator.registered - held, "dropped blocks cleaned: " + arena.live());
        else check(arena.frees == 0 && arena.live() == svc.allocator.registered, "nothing ever cleaned: " + arena.frees);
        check(svc.plots.size() == PLOT_CAP && svc.plots.evicted > 0, "plot cache at cap");
        check(svc.transferBuffers.size() == POOL, "pool");
        check(svc.readings == 90L * runs && svc.balance[RING - 1] != null, "balance ring");
        LeakCheck.histogram(" [I (", "jdk.internal.ref.CleanerImpl$PhantomCleanableRef ", "$$Lambda$");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
