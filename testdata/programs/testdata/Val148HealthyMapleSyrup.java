// hprofscan-dump: name=val148-healthy-maplesyrup jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val148-healthy-maplesyrup-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 148 (written blind), HEALTHY: the grading and collection service of a maple-syrup
 * producers' co-operative. Sugarbush reference data, the producer directory, a cache of rendered
 * grade cards at its cap, a pool of drum-label buffers, a ring of barrel deliveries, a fixed pool of
 * 4 grading worker threads (all 4 busy at the dump, each on a batch waiting for the spectrometer's
 * evaporator cycle), the tap-line directory, and a WeakHashMap of per-tap-line sap statistics whose
 * values do not refer to their keys: the entries of retired tap lines are cleared after a GC.
 * See VALIDATION148.md.
 */
public final class Val148HealthyMapleSyrup {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUGARBUSHES = 900, PRODUCERS = 24_000, CARD_CAP = 2_000, POOL = 8, DELIVERY_RING = 16_384, WORKERS = 4,
            TAP_LINES = 3_000, RETIRED_LINES = 3_000, HOURS = 10, DELIVERIES = 60_000, GRADINGS = 6_000;

    record Sugarbush(String code, String township, double[] sapFlowByDay) {}
    record Producer(String producerId, String farm, byte[] certification, long memberSince) {}
    record GradeCard(String key, byte[] rendered, long at) {}
    record Delivery(String barrelId, String producerId, String grade, double litres, long at) {}

    /** A batch being graded: the sample's absorbance spectrum and the barrels it covers. */
    record GradingBatch(String batchId, String producerId, List<String> barrels, byte[] spectrum, long at) {}

    static final class TapLine {
        final String lineId, sugarbushCode; final int taps; final long installedAt;
        TapLine(String lineId, String sugarbushCode, int taps, long installedAt) { this.lineId = lineId; this.sugarbushCode = sugarbushCode; this.taps = taps; this.installedAt = installedAt; }
    }

    /** Sap statistics of a tap line; no reference to the TapLine. */
    static final class LineStats {
        final double[] hourlyFlow = new double[24]; double vacuum; long samples;
    }

    /** Fixed pool of grading workers. */
    static final class GradingLab {
        final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "grading-worker-" + NEXT.incrementAndGet()); t.setDaemon(true); return t; });
        final CountDownLatch evaporatorCycle = new CountDownLatch(1); // released by the evaporator (after the dump)
        final AtomicInteger inFlight = new AtomicInteger();
        static final AtomicInteger NEXT = new AtomicInteger();
        String grade(GradingBatch b) {
            int light = b.spectrum()[0] & 0xff;
            return light > 200 ? "Golden" : light > 120 ? "Amber" : light > 60 ? "Dark" : "Very dark";
        }
        String gradeAfterCycle(GradingBatch b) throws InterruptedException {
            inFlight.incrementAndGet();
            evaporatorCycle.await();
            return grade(b);
        }
    }

    static final class CardCache extends LinkedHashMap<String, GradeCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GradeCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Sugarbush> SUGARBUSHES_BY_CODE = new HashMap<>();

    static final class CoopService {
        final Map<String, Producer> producers = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Delivery[] deliveries = new Delivery[DELIVERY_RING];
        long deliveryCount;
        final GradingLab lab = new GradingLab();
        final List<Future<String>> inProgress = new ArrayList<>();
        final Map<String, TapLine> tapLines = new HashMap<>();
        final WeakHashMap<TapLine, LineStats> lineStats = new WeakHashMap<>();
        long gradings;
    }

    static CoopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(148_060_001);
        String[] bushCodes = new String[SUGARBUSHES];
        for (int s = 0; s < SUGARBUSHES; s++) {
            double[] flow = new double[80];
            for (int k = 0; k < flow.length; k++) flow[k] = rnd.nextDouble() * 4;
            String code = "SB-" + (11_000 + s);
            bushCodes[s] = code;
            SUGARBUSHES_BY_CODE.put(code, new Sugarbush(code, "Township " + (s % 120), flow));
        }
        CoopService svc = new CoopService();
        SERVICE = svc;
        String[] producerIds = new String[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            String id = "PR-" + (90_000 + p);
            producerIds[p] = id;
            svc.producers.put(id, new Producer(id, "Farm " + (p % 2_000), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        // tap lines: 6,000 installed over the season; the oldest 3,000 retired (removed from the directory)
        Random lines = new Random(148_060_003);
        for (int l = 0; l < TAP_LINES + RETIRED_LINES; l++) {
            TapLine line = new TapLine("TL-" + (500_000 + l), bushCodes[lines.nextInt(SUGARBUSHES)], 20 + lines.nextInt(80), start - (long) (TAP_LINES + RETIRED_LINES - l) * HOUR);
            svc.tapLines.put(line.lineId, line);
            LineStats st = new LineStats();
            for (int h = 0; h < 24; h++) st.hourlyFlow[h] = lines.nextDouble() * 3;
            st.vacuum = 20 + lines.nextDouble() * 5;
            svc.lineStats.put(line, st);
        }
        for (int l = 0; l < RETIRED_LINES; l++) svc.tapLines.remove("TL-" + (500_000 + l));
        Random traffic = new Random(148_060_002);
        String[] grades = {"Golden", "Amber", "Dark", "Very dark"};
        for (int i = 0; i < DELIVERIES; i++) {
            long t = start + HOURS * HOUR * i / DELIVERIES;
            String producer = producerIds[traffic.nextInt(PRODUCERS)];
            svc.deliveries[(int) (svc.deliveryCount++ % DELIVERY_RING)] = new Delivery("BRL-" + (3_000_000 + i), producer, grades[traffic.nextInt(grades.length)], 150 + traffic.nextDouble() * 60, t);
            if (i % 10 == 0) { // one grading batch per 10 barrels, graded by the pool
                List<String> barrels = new ArrayList<>(List.of("BRL-" + (3_000_000 + i)));
                byte[] spectrum = new byte[2_048];
                spectrum[0] = (byte) traffic.nextInt(256);
                GradingBatch batch = new GradingBatch("GB-" + (70_000 + i / 10), producer, barrels, spectrum, t);
                String g = svc.lab.workers.submit(() -> svc.lab.grade(batch)).get();
                if (g.isEmpty()) throw new IllegalStateException();
                svc.gradings++;
            }
            String key = "card-" + traffic.nextInt(5_000);
            if (svc.cards.get(key) == null) svc.cards.put(key, new GradeCard(key, new byte[600 + traffic.nextInt(600)], t));
            TapLine line = svc.tapLines.get("TL-" + (503_000 + traffic.nextInt(TAP_LINES)));
            LineStats st = svc.lineStats.get(line);
            st.samples++;
            st.hourlyFlow[(int) ((t / HOUR) % 24)] += 0.01;
            line = null; st = null;
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        // the current batches: all 4 workers busy, each waiting for the evaporator cycle
        for (int w = 0; w < WORKERS; w++) {
            byte[] spectrum = new byte[2_048];
            spectrum[0] = (byte) traffic.nextInt(256);
            List<String> barrels = new ArrayList<>();
            for (int k = 0; k < 10; k++) barrels.add("BRL-" + (3_060_000 + w * 10 + k));
            GradingBatch batch = new GradingBatch("GB-" + (76_000 + w), producerIds[traffic.nextInt(PRODUCERS)], barrels, spectrum, end - MINUTE);
            svc.inProgress.add(svc.lab.workers.submit(() -> svc.lab.gradeAfterCycle(batch)));
        }
        while (svc.lab.inFlight.get() < WORKERS) Thread.sleep(1);
        int statsSize = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // retired lines are only weakly reachable: their stats go after a GC
            System.gc();
            Thread.sleep(50);
            statsSize = svc.lineStats.size();
            if (statsSize == TAP_LINES) break;
        }
        int workerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("grading-worker-")) workerThreads++;
        System.out.println("sugarbushes " + SUGARBUSHES_BY_CODE.size() + " producers " + svc.producers.size() + " deliveries " + svc.deliveryCount + " gradings " + svc.gradings
                + " in flight " + svc.lab.inFlight.get() + " worker threads " + workerThreads + " tap lines " + svc.tapLines.size() + " line stats " + statsSize
                + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") pool " + svc.labelBuffers.size());
        check(SUGARBUSHES_BY_CODE.size() == SUGARBUSHES && svc.producers.size() == PRODUCERS, "reference data / directory");
        check(svc.deliveryCount == DELIVERIES && svc.deliveries[DELIVERY_RING - 1] != null && svc.gradings == GRADINGS, "deliveries / gradings");
        check(workerThreads == WORKERS && svc.lab.inFlight.get() == WORKERS && svc.inProgress.size() == WORKERS, "busy pool");
        check(svc.tapLines.size() == TAP_LINES && statsSize == TAP_LINES, "line stats of live tap lines only: " + statsSize);
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "grade-card cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        Thread.sleep(50);
        check(svc.lineStats.size() == TAP_LINES, "line stats before the dump");
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
