// hprofscan-dump: name=val22-healthy-seismology-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val22-healthy-seismology-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val22-healthy-seismology jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val22-healthy-seismology-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 22 (written blind), HEALTHY: the real-time processing centre of a seismic network.
 * Big legitimate structures only: station and fault reference data, a catalogue future completed
 * at startup (its 3 dependents have run), an ingest pool that keeps up, one Timer per subsystem
 * (3), a SoftReference-valued waveform cache at its cap, a reusable 4 MiB assembly buffer, an LRU
 * of hypocentre solutions, a decoder pool, a detection ring.
 * Series: stage 1 simulates 1 h (warming), stage 2 4 h, stage 3 8 h (warm, flat).
 * See testdata/VALIDATION22.md.
 */
public final class Val22HealthySeismology {
    static final long HOUR = 3_600_000L;
    static final int STATIONS = 10_000, FAULTS = 800, WAVEFORM_CAP = 1_500, SOLUTION_CAP = 2_000, DECODERS = 16, DETECTION_RING = 16_384;
    static final int WAVEFORMS_PER_HOUR = 1_000, SOLUTIONS_PER_HOUR = 600, DETECTIONS_PER_HOUR = 5_000;

    record Station(String code, String network, double lat, double lon, double[] calibration) {}
    record FaultSegment(String id, String name, double[] trace) {}
    record Hypocentre(String eventId, double[] solution, long originAt) {}
    record Detection(String station, String phase, double amplitude, long at) {}

    static final class LruMap<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        LruMap(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static ThreadPoolExecutor executor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();
    static final Map<String, FaultSegment> FAULTS_BY_ID = new HashMap<>();

    static final class ProcessingCentre {
        final CompletableFuture<Void> catalogLoaded = new CompletableFuture<>();
        final ThreadPoolExecutor ingestPool = executor("ingest", 3);
        final Timer archiveRotation = new Timer("archive-rotation", true);
        final Timer stationHealth = new Timer("station-health", true);
        final Timer catalogRefresh = new Timer("catalog-refresh", true);
        final LruMap<SoftReference<double[]>> waveforms = new LruMap<>(WAVEFORM_CAP);
        final LruMap<Hypocentre> solutions = new LruMap<>(SOLUTION_CAP);
        final byte[] assemblyBuffer = new byte[4 << 20];
        final ArrayDeque<byte[]> decoders = new ArrayDeque<>();
        final Detection[] detections = new Detection[DETECTION_RING];
        final AtomicLong ingested = new AtomicLong();
        long detectionsWritten, startupCallbacks;
    }

    static ProcessingCentre CENTRE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(22_050_001);
        String[] networks = {"IU", "GE", "CI", "NC", "JP", "TW"};
        for (int s = 0; s < STATIONS; s++) {
            double[] cal = new double[64];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextGaussian();
            String code = "ST" + Integer.toString(s + 1_296, 36).toUpperCase();
            STATIONS_BY_CODE.put(code, new Station(code, networks[s % networks.length], rnd.nextDouble() * 180 - 90, rnd.nextDouble() * 360 - 180, cal));
        }
        for (int f = 0; f < FAULTS; f++) {
            double[] trace = new double[300];
            for (int k = 0; k < trace.length; k++) trace[k] = rnd.nextDouble();
            FAULTS_BY_ID.put("FLT-" + f, new FaultSegment("FLT-" + f, "Fault segment " + f, trace));
        }
        ProcessingCentre c = new ProcessingCentre();
        CENTRE = c;
        for (int d = 0; d < DECODERS; d++) c.decoders.push(new byte[16_384]);
        c.catalogLoaded.thenRun(() -> c.startupCallbacks++);
        c.catalogLoaded.thenRun(() -> c.startupCallbacks++);
        c.catalogLoaded.thenRun(() -> c.startupCallbacks++);
        c.catalogLoaded.complete(null);
        for (Timer t : List.of(c.archiveRotation, c.stationHealth, c.catalogRefresh)) t.schedule(new TimerTask() { @Override public void run() { } }, 600_000, 600_000);
        Random traffic = new Random(22_050_002);
        int detections = (int) (DETECTIONS_PER_HOUR * hours), waveforms = (int) (WAVEFORMS_PER_HOUR * hours), solutions = (int) (SOLUTIONS_PER_HOUR * hours);
        for (int i = 0; i < detections; i++) {
            long t = start + (now - start) * i / detections;
            String st = "ST" + Integer.toString(traffic.nextInt(STATIONS) + 1_296, 36).toUpperCase();
            c.detections[(int) (c.detectionsWritten++ % DETECTION_RING)] = new Detection(st, i % 3 == 0 ? "S" : "P", traffic.nextDouble(), t);
            if (i % 4 == 0) {
                int len = 1 + traffic.nextInt(c.assemblyBuffer.length - 1);
                c.assemblyBuffer[len] = (byte) i; // the packet is assembled in the reused buffer
                c.ingestPool.execute(c.ingested::incrementAndGet);
            }
        }
        for (int w = 0; w < waveforms; w++) {
            double[] samples = new double[256];
            for (int k = 0; k < samples.length; k += 8) samples[k] = traffic.nextGaussian();
            c.waveforms.put("WF-" + w, new SoftReference<>(samples));
        }
        for (int s = 0; s < solutions; s++) {
            long t = start + (now - start) * s / solutions;
            double[] sol = new double[24];
            for (int k = 0; k < sol.length; k++) sol[k] = traffic.nextDouble();
            c.solutions.put("EV" + (30_000_000 + s), new Hypocentre("EV" + (30_000_000 + s), sol, t));
        }
        long submitted = detections / 4;
        while (c.ingestPool.getCompletedTaskCount() < submitted) Thread.sleep(5);
        int softLive = 0;
        for (SoftReference<double[]> r : c.waveforms.values()) if (r.get() != null) softLive++;
        System.out.println("stage " + stage + " stations " + STATIONS_BY_CODE.size() + " faults " + FAULTS_BY_ID.size() + " startup callbacks " + c.startupCallbacks + " ingest submitted " + submitted + " done " + c.ingested.get() + " queue " + c.ingestPool.getQueue().size() + " waveforms " + c.waveforms.size() + " (evicted " + c.waveforms.evicted + ", live referents " + softLive + ") solutions " + c.solutions.size() + " (evicted " + c.solutions.evicted + ") detections " + c.detectionsWritten + " decoders " + c.decoders.size());
        check(STATIONS_BY_CODE.size() == STATIONS && FAULTS_BY_ID.size() == FAULTS && c.decoders.size() == DECODERS, "reference data");
        check(c.startupCallbacks == 3 && c.catalogLoaded.isDone() && c.catalogLoaded.getNumberOfDependents() == 0, "catalogue future");
        check(c.ingested.get() == submitted && c.ingestPool.getQueue().isEmpty(), "ingest pool keeps up");
        check(c.waveforms.size() == Math.min(waveforms, WAVEFORM_CAP) && c.waveforms.evicted == Math.max(0, waveforms - WAVEFORM_CAP), "waveform cache");
        check(c.solutions.size() == Math.min(solutions, SOLUTION_CAP) && c.solutions.evicted == Math.max(0, solutions - SOLUTION_CAP), "solution cache");
        check(c.detectionsWritten == detections && (stage == 1) == (c.detections[DETECTION_RING - 1] == null), "detection ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
