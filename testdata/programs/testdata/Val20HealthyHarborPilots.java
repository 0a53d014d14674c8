// hprofscan-dump: name=val20-healthy-harborpilots-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val20-healthy-harborpilots-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val20-healthy-harborpilots jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val20-healthy-harborpilots-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.lang.ref.Cleaner;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Validation set 20 (written blind), HEALTHY: the pilotage dispatch system of a port authority.
 * Legitimate look-alikes of this set's leak shapes: one {@link HttpClient} per downstream service
 * (tides, AIS feed, port community system, billing), built once; the dispatch logger's two
 * handlers added once at startup; radar frames that own a (simulated) native buffer freed by a
 * {@link Cleaner} whose action captures only the native state (dropped frames are cleaned; the
 * frames of the streaming radar channels are still registered); per-thread dispatch statistics in
 * a {@code Map<Thread, DispatchStats>} keyed by the fixed pool's live threads, removed when a
 * thread ends. Plus the vessel register, the berths, a tide-prediction cache at its cap, a pool of
 * telemetry decoders, and an AIS position ring (full and wrapping from stage 2).
 * Series: stage 1 simulates 1 h, stage 2 4 h, stage 3 8 h. See testdata/VALIDATION20.md.
 */
public final class Val20HealthyHarborPilots {
    static final long HOUR = 3_600_000L;
    static final int VESSELS = 60_000, BERTHS = 2_000, TIDE_CAP = 3_000, DECODERS = 32, DISPATCH_THREADS = 8, AIS_RING = 16_384, RADAR_CHANNELS = 64;
    static final int TIDE_QUERIES_PER_HOUR = 1_500, AIS_PER_HOUR = 8_000, RADAR_POLLS_PER_HOUR = 2_000, JOBS_PER_HOUR = 120;

    record Vessel(String imo, String name, String flag, int grossTonnage, double[] draughtByLoad) {}
    record Berth(String id, String terminal, double depth, int[] occupancyQuarterHours) {}
    record TidePrediction(String key, long validFrom, double[] heights) {}
    record AisPosition(String mmsi, double lat, double lon, float sog, long at) {}
    record PilotageJob(String jobId, String imo, String berth, long requestedAt) {}

    static final class NativeFrames {
        static final Cleaner CLEANER = Cleaner.create();
        static final AtomicLong allocated = new AtomicLong(), freed = new AtomicLong();
        static final AtomicLong NEXT = new AtomicLong(0x7e00_0000_0000L);
    }
    static final class FrameRelease implements Runnable {
        final long address; final int bytes;
        FrameRelease(long address, int bytes) { this.address = address; this.bytes = bytes; }
        @Override public void run() { NativeFrames.freed.incrementAndGet(); }
    }
    static final class RadarFrame {
        final int channel; final long capturedAt; final long address; final float[] echoSummary = new float[128];
        final Cleaner.Cleanable cleanable;
        RadarFrame(int channel, long capturedAt) {
            this.channel = channel; this.capturedAt = capturedAt;
            this.address = NativeFrames.NEXT.getAndAdd(512 * 1024);
            NativeFrames.allocated.incrementAndGet();
            this.cleanable = NativeFrames.CLEANER.register(this, new FrameRelease(address, 512 * 1024));
        }
    }

    static final class DispatchStats {
        final String thread; long jobs; long lastAt; final long[] latencyHistogram = new long[64];
        DispatchStats(String thread) { this.thread = thread; }
    }
    static final class DispatchTelemetry {
        static final Map<Thread, DispatchStats> PER_THREAD = new ConcurrentHashMap<>();
        static DispatchStats mine() { return PER_THREAD.computeIfAbsent(Thread.currentThread(), t -> new DispatchStats(t.getName())); }
    }

    static final class RollingMemoryHandler extends Handler {
        final byte[][] segments = new byte[4][32 * 1024];
        int segment, pos; long published;
        @Override public void publish(LogRecord r) {
            byte[] line = (r.getMillis() + " " + r.getLevel() + " " + r.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            if (pos + line.length > segments[segment].length) { segment = (segment + 1) % segments.length; pos = 0; }
            System.arraycopy(line, 0, segments[segment], pos, line.length); pos += line.length; published++;
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class TelemetryDecoder { final byte[] frame = new byte[16 * 1024]; long uses; }

    static final class TideCache extends LinkedHashMap<String, TidePrediction> {
        long evicted;
        TideCache() { super(1024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TidePrediction> e) { if (size() > TIDE_CAP) { evicted++; return true; } return false; }
    }

    static final class DispatchService {
        static final Logger LOG = Logger.getLogger("harbor.dispatch");
        final Map<String, HttpClient> downstream = new LinkedHashMap<>();
        final Map<String, Vessel> vessels = new HashMap<>();
        final Map<String, Berth> berths = new HashMap<>();
        final TideCache tides = new TideCache();
        final ArrayDeque<TelemetryDecoder> decoders = new ArrayDeque<>();
        final AisPosition[] ais = new AisPosition[AIS_RING];
        long aisWritten;
        final RadarFrame[] streaming = new RadarFrame[RADAR_CHANNELS];
        final RollingMemoryHandler file = new RollingMemoryHandler();
        final ConsoleHandler console = new ConsoleHandler();
        final ThreadPoolExecutor dispatch = new ThreadPoolExecutor(DISPATCH_THREADS, DISPATCH_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> { try { r.run(); } finally { DispatchTelemetry.PER_THREAD.remove(Thread.currentThread()); } }, "dispatch-" + System.nanoTime() % 100_000);
            t.setDaemon(true);
            return t;
        });
        long jobs;

        void start() {
            for (String name : new String[] {"tides", "ais-feed", "port-community", "billing"})
                downstream.put(name, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
            LOG.setUseParentHandlers(false);
            LOG.setLevel(Level.INFO);
            console.setLevel(Level.SEVERE);
            LOG.addHandler(console);
            LOG.addHandler(file);
            for (int d = 0; d < DECODERS; d++) decoders.push(new TelemetryDecoder());
        }
    }

    static DispatchService HARBOR;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(20_050_001);
        DispatchService svc = new DispatchService();
        HARBOR = svc;
        svc.start();
        String[] flags = {"PA", "LR", "MH", "MT", "BS", "SG", "NO", "DE"};
        for (int v = 0; v < VESSELS; v++) {
            double[] draught = new double[24];
            for (int k = 0; k < draught.length; k++) draught[k] = 4 + rnd.nextDouble() * 12;
            String imo = "IMO" + (9_100_000 + v);
            svc.vessels.put(imo, new Vessel(imo, "MV Vessel " + v, flags[v % flags.length], 2_000 + rnd.nextInt(200_000), draught));
        }
        for (int b = 0; b < BERTHS; b++) {
            int[] occ = new int[96];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextInt(3);
            String id = "BRT-" + (100 + b);
            svc.berths.put(id, new Berth(id, "Terminal " + (b % 12), 8 + rnd.nextDouble() * 10, occ));
        }
        CyclicBarrier ready = new CyclicBarrier(DISPATCH_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < DISPATCH_THREADS; w++) warm.add(svc.dispatch.submit(() -> { DispatchTelemetry.mine(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // traffic: one loop over the simulated minutes
        int minutes = (int) (hours * 60);
        Random tideRnd = new Random(20_050_002);
        for (int m = 0; m < minutes; m++) {
            long t = start + m * 60_000L;
            for (int k = 0; k < AIS_PER_HOUR / 60; k++) { svc.ais[(int) (svc.aisWritten++ % AIS_RING)] = new AisPosition(Integer.toString(200_000_000 + rnd.nextInt(9_000_000)), 51 + rnd.nextDouble(), 3 + rnd.nextDouble(), rnd.nextFloat() * 20, t + k * 400L); }
            for (int k = 0; k < TIDE_QUERIES_PER_HOUR / 60; k++) {
                // tide predictions per berth and 15-minute slot of the next day: a bounded key space (2,000 x 96), hot set drifting with the clock
                String key = "BRT-" + (100 + tideRnd.nextInt(BERTHS)) + "@" + ((t / 900_000L + tideRnd.nextInt(8)) % 96);
                if (svc.tides.get(key) == null) { double[] h = new double[48]; for (int j = 0; j < h.length; j++) h[j] = tideRnd.nextDouble() * 5; svc.tides.put(key, new TidePrediction(key, t, h)); }
            }
            for (int k = 0; k < RADAR_POLLS_PER_HOUR / 60 + (m % 3 == 0 ? 1 : 0); k++) {
                int ch = rnd.nextInt(RADAR_CHANNELS);
                RadarFrame f = new RadarFrame(ch, t);
                f.echoSummary[0] = rnd.nextFloat();
                svc.streaming[ch] = f; // the previous frame of the channel is dropped (cleaned)
            }
            {
                for (int k = 0; k < JOBS_PER_HOUR / 60; k++) {
                    final long at = t;
                    svc.dispatch.submit(() -> {
                        TelemetryDecoder dec;
                        synchronized (svc.decoders) { dec = svc.decoders.pop(); }
                        dec.uses++;
                        DispatchStats st = DispatchTelemetry.mine();
                        st.jobs++; st.lastAt = at; st.latencyHistogram[(int) (at % 64)]++;
                        synchronized (svc.decoders) { svc.decoders.push(dec); }
                        synchronized (svc) { svc.jobs++; }
                        DispatchService.LOG.info("pilot assigned at " + at);
                    }).get();
                }
            }
        }
        for (int ch = 0; ch < RADAR_CHANNELS; ch++) if (svc.streaming[ch] == null) svc.streaming[ch] = new RadarFrame(ch, now);
        for (int k = 0; k < 100 && NativeFrames.allocated.get() - NativeFrames.freed.get() > RADAR_CHANNELS; k++) { System.gc(); Thread.sleep(50); }
        long registered = NativeFrames.allocated.get() - NativeFrames.freed.get();
        int live = 0;
        for (Thread th : DispatchTelemetry.PER_THREAD.keySet()) if (th.isAlive()) live++;
        int selector = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("HttpClient-") && th.getName().endsWith("-SelectorManager")) selector++;
        System.out.println("stage " + stage + " vessels " + svc.vessels.size() + " berths " + svc.berths.size() + " http clients " + svc.downstream.size() + " (selector threads " + selector + ") logger handlers " + DispatchService.LOG.getHandlers().length + " tides " + svc.tides.size() + " (evicted " + svc.tides.evicted + ") ais written " + svc.aisWritten + " radar frames " + NativeFrames.allocated.get() + " freed " + NativeFrames.freed.get() + " registered " + registered + " dispatch stats " + DispatchTelemetry.PER_THREAD.size() + " (live " + live + ") jobs " + svc.jobs + " file log lines " + svc.file.published + " decoders idle " + svc.decoders.size());
        check(svc.vessels.size() == VESSELS && svc.berths.size() == BERTHS, "reference data");
        check(svc.downstream.size() == 4 && selector == 4 && DispatchService.LOG.getHandlers().length == 2, "fixed clients and handlers");
        check(registered == RADAR_CHANNELS, "radar frames registered: " + registered);
        check(DispatchTelemetry.PER_THREAD.size() == DISPATCH_THREADS && live == DISPATCH_THREADS && svc.dispatch.getPoolSize() == DISPATCH_THREADS, "per-thread stats of the live pool threads");
        check(svc.jobs == (long) minutes * (JOBS_PER_HOUR / 60) && svc.file.published == svc.jobs, "jobs");
        check(svc.decoders.size() == DECODERS, "decoder pool idle");
        check(svc.aisWritten == (long) minutes * (AIS_PER_HOUR / 60), "ais");
        if (stage >= 2) check(svc.tides.size() == TIDE_CAP && svc.ais[AIS_RING - 1] != null, "warm from stage 2");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
