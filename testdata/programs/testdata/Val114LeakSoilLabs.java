// hprofscan-dump: name=val114-leak-soillabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val114-leak-soillabs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Validation set 114 (written blind), LEAK: the instrument service of an agricultural soil-testing
 * laboratory (farmers post soil samples; the lab measures pH, N, P, K and organic matter by
 * near-infrared spectroscopy and sends fertiliser recommendations). Crop reference data, the field
 * directory, a cache of rendered recommendation reports at its cap, a pool of spectrometer read
 * buffers, a ring of recent sample results, the goods-in queue of arriving sample kits with its
 * normal backlog, the bench board of plates on the manual benches, and the assay dispatcher: every
 * batch (one plate of 4-8 samples) gets its own thread, which analyses the spectra and then waits
 * on a CountDownLatch for the instrument to release the plate before it returns the carousel slot.
 * The robot arm's driver counts the latch down when it unloads a plate; on the two manual benches
 * (a sixth of the batches) the technician clears the plate on the bench board, which never counts
 * the latch down: those threads wait for ever, each holding its batch and spectra. 10 simulated
 * hours. See VALIDATION114.md.
 */
public final class Val114LeakSoilLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, GOODS_IN_SLA = 30 * MINUTE;
    static final int CROPS = 700, FIELDS = 20_000, FARMS = 4_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, BATCHES_PER_HOUR = 300, INSTRUMENTS = 12, SPECTRUM = 384;
    static boolean FIXED;

    static final String[] CROP_NAMES = {"winter wheat", "spring barley", "oilseed rape", "maize", "potatoes", "sugar beet", "field beans", "grassland", "oats", "peas"};
    static final String[] SOIL_TYPES = {"clay loam", "sandy loam", "silty clay", "chalk", "peat", "loamy sand"};

    record Crop(String code, String name, double[] uptakeByWeek) {}
    record Field(String fieldId, String farm, String cropCode, String soilType, byte[] boundary, long lastSampledAt) {}
    record Report(String key, byte[] pdf, long at) {}
    record SampleResult(String sampleId, String fieldId, double ph, double nitrogen, double phosphorus, double potassium, long at) {}
    record SampleKit(String kitId, String farm, int samples, long arrivedAt) {}

    static final class Sample {
        final String sampleId; final String fieldId; final double[] spectrum = new double[SPECTRUM];
        Sample(String sampleId, String fieldId) { this.sampleId = sampleId; this.fieldId = fieldId; }
    }

    /** One plate of samples on one instrument. */
    static final class AssayBatch {
        final String jobId; final String instrument; final boolean manualBench; final List<Sample> samples = new ArrayList<>(8); final long loadedAt;
        final CountDownLatch plateReleased = new CountDownLatch(1);
        volatile SampleResult[] results; volatile boolean slotReturned;
        AssayBatch(String jobId, String instrument, boolean manualBench, long loadedAt) { this.jobId = jobId; this.instrument = instrument; this.manualBench = manualBench; this.loadedAt = loadedAt; }
    }

    /** The batch's thread: analyses the spectra, then holds the carousel slot until the plate is released. */
    static final class AssayRunner implements Runnable {
        final AssayBatch batch;
        AssayRunner(AssayBatch batch) { this.batch = batch; }
        @Override public void run() {
            SampleResult[] out = new SampleResult[batch.samples.size()];
            for (int i = 0; i < out.length; i++) {
                Sample s = batch.samples.get(i);
                double a = 0, b = 0, c = 0, d = 0;
                for (int k = 0; k < SPECTRUM; k++) {
                    double v = s.spectrum[k];
                    if (k < 96) a += v; else if (k < 192) b += v; else if (k < 288) c += v; else d += v;
                }
                out[i] = new SampleResult(s.sampleId, s.fieldId, 4.5 + a / 96 * 4, b / 96 * 60, c / 96 * 40, d / 96 * 300, batch.loadedAt);
            }
            batch.results = out;
            try {
                batch.plateReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            batch.slotReturned = true;
        }
    }

    static final class AssayDispatcher {
        final Map<String, AssayBatch> benchBoard = new HashMap<>();
        long started, robotUnloads, benchClears;

        Thread submit(AssayBatch b) {
            Thread t = new Thread(new AssayRunner(b), "assay-" + b.jobId);
            t.setDaemon(true);
            t.start();
            if (b.manualBench) benchBoard.put(b.jobId, b);
            started++;
            return t;
        }

        /** Robot arm driver callback: the plate is back in the rack. */
        void onPlateUnloaded(AssayBatch b) { b.plateReleased.countDown(); robotUnloads++; }

        /** Manual bench: the technician ticks the plate off on the bench board. */
        void onBenchPlateCleared(AssayBatch b) {
            benchBoard.remove(b.jobId);
            benchClears++;
            // BUG: the batch's thread is never released; the fix counts its latch down here too
            if (FIXED) b.plateReleased.countDown();
        }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Crop> CROPS_BY_CODE = new HashMap<>();

    static final class LabService {
        final Map<String, Field> fields = new HashMap<>();
        final String[] fieldIds = new String[FIELDS];
        final ReportCache reports = new ReportCache();
        final ArrayDeque<double[]> readBuffers = new ArrayDeque<>();
        final SampleResult[] recentResults = new SampleResult[RING];
        final ArrayDeque<SampleKit> goodsIn = new ArrayDeque<>();
        final AssayDispatcher dispatcher = new AssayDispatcher();
        long batches, samples, resultsWritten, kitsArrived, kitsBookedIn, reads, jobSeq = 51_000, sampleSeq = 2_300_000;

        AssayBatch load(Random r, long t) {
            int instrument = r.nextInt(INSTRUMENTS);
            boolean manual = instrument >= INSTRUMENTS - 2;
            AssayBatch b = new AssayBatch("SL24-" + (jobSeq++), manual ? "bench-" + (instrument - INSTRUMENTS + 3) : "nir-" + (instrument + 1), manual, t);
            int n = 4 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                Sample s = new Sample("S" + (sampleSeq++), fieldIds[r.nextInt(FIELDS)]);
                double[] buf = readBuffers.poll();
                for (int k = 0; k < SPECTRUM; k++) buf[k] = r.nextDouble();
                System.arraycopy(buf, 0, s.spectrum, 0, SPECTRUM);
                readBuffers.add(buf);
                reads++;
                b.samples.add(s);
            }
            samples += n;
            batches++;
            if (r.nextInt(100) < 40) { goodsIn.add(new SampleKit("KIT-" + Long.toHexString(sampleSeq), "Farm " + r.nextInt(FARMS), 1 + r.nextInt(12), t)); kitsArrived++; }
            while (!goodsIn.isEmpty() && goodsIn.peek().arrivedAt() <= t - GOODS_IN_SLA) { goodsIn.poll(); kitsBookedIn++; }
            return b;
        }

        /** Writes the batch's results and renders the farm's recommendation report. */
        void publish(Random r, AssayBatch b, long t) {
            for (SampleResult res : b.results) recentResults[(int) (resultsWritten++ % RING)] = res;
            String key = b.samples.get(0).fieldId + "/" + b.jobId;
            reports.put(key, new Report(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(100) < 50) reports.get(b.samples.get(r.nextInt(b.samples.size())).fieldId + "/SL24-" + (51_000 + r.nextInt((int) (jobSeq - 51_000))));
        }
    }

    static LabService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Unload(long at, AssayBatch batch, Thread thread) {}

    /** Waits until the batch's thread has written its results and parked on the latch. */
    static void awaitParked(Unload u) throws InterruptedException {
        while (u.batch().results == null || (u.thread().getState() != Thread.State.WAITING && u.thread().getState() != Thread.State.TERMINATED)) Thread.sleep(1);
    }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(114_030_001);
        String[] cropCodes = new String[CROPS];
        for (int c = 0; c < CROPS; c++) {
            double[] weeks = new double[64];
            for (int k = 0; k < weeks.length; k++) weeks[k] = rnd.nextDouble() * 5;
            cropCodes[c] = "CR-" + (100 + c);
            CROPS_BY_CODE.put(cropCodes[c], new Crop(cropCodes[c], CROP_NAMES[c % CROP_NAMES.length] + " (variety " + c + ")", weeks));
        }
        LabService svc = new LabService();
        SERVICE = svc;
        for (int i = 0; i < FIELDS; i++) {
            svc.fieldIds[i] = "FLD-" + (300_000 + i * 7);
            svc.fields.put(svc.fieldIds[i], new Field(svc.fieldIds[i], "Farm " + rnd.nextInt(FARMS), cropCodes[rnd.nextInt(CROPS)], SOIL_TYPES[rnd.nextInt(SOIL_TYPES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.readBuffers.add(new double[SPECTRUM * 10]);
        Random traffic = new Random(114_030_002);
        int batches = HOURS * BATCHES_PER_HOUR;
        PriorityQueue<Unload> unloads = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.batch().jobId.compareTo(b.batch().jobId));
        ArrayDeque<Thread> finishing = new ArrayDeque<>();
        for (int i = 0; i < batches; i++) {
            long t = start + (end - MINUTE - start) * i / batches;
            while (!unloads.isEmpty() && unloads.peek().at() <= t) unload(svc, traffic, unloads.poll(), finishing);
            if (finishing.size() > 64) while (!finishing.isEmpty()) finishing.poll().join();
            AssayBatch b = svc.load(traffic, t);
            Thread th = svc.dispatcher.submit(b);
            unloads.add(new Unload(t + 25 * MINUTE + traffic.nextInt(20) * MINUTE, b, th));
        }
        while (!unloads.isEmpty() && unloads.peek().at() <= end) unload(svc, traffic, unloads.poll(), finishing);
        while (!finishing.isEmpty()) finishing.poll().join();
        // batches still on an instrument at the dump: their threads have analysed and wait for the plate
        for (Unload u : unloads) awaitParked(u);
    }

    static void unload(LabService svc, Random r, Unload u, ArrayDeque<Thread> finishing) throws InterruptedException {
        awaitParked(u);
        if (u.batch().manualBench) svc.dispatcher.onBenchPlateCleared(u.batch());
        else svc.dispatcher.onPlateUnloaded(u.batch());
        if (u.batch().plateReleased.getCount() == 0) finishing.add(u.thread());
        svc.publish(r, u.batch(), u.at());
    }

    static void verify() {
        LabService svc = SERVICE;
        AssayDispatcher d = svc.dispatcher;
        int batches = HOURS * BATCHES_PER_HOUR;
        int live = 0, waiting = 0, orphaned = 0, onInstrument = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith("assay-")) continue;
            live++;
            if (t.getState() == Thread.State.WAITING) waiting++;
        }
        // a live thread whose plate was already cleared from a bench is an orphan; the others are still on an instrument
        onInstrument = (int) (d.started - d.robotUnloads - d.benchClears);
        orphaned = live - onInstrument;
        long benchBatches = d.benchClears + d.benchBoard.size();
        System.out.println((FIXED ? "FIXED " : "") + "crops " + CROPS_BY_CODE.size() + " fields " + svc.fields.size() + " batches " + svc.batches + " samples " + svc.samples
                + " (robot unloads " + d.robotUnloads + ", bench clears " + d.benchClears + ", on an instrument " + onInstrument + ", bench board " + d.benchBoard.size() + ")"
                + " assay threads " + live + " (waiting " + waiting + ", orphaned " + orphaned + ") results " + svc.resultsWritten + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ")"
                + " reads " + svc.reads + " pool " + svc.readBuffers.size() + " kits " + svc.kitsArrived + "/" + svc.kitsBookedIn + " backlog " + svc.goodsIn.size());
        check(CROPS_BY_CODE.size() == CROPS && svc.fields.size() == FIELDS, "reference data / directory");
        check(svc.batches == batches && d.started == batches && onInstrument > 100 && onInstrument < 300, "batches");
        check(live == waiting, "every live assay thread waits on its latch");
        if (FIXED) check(orphaned == 0, "fixed: only the batches still on an instrument");
        else check(orphaned == d.benchClears && benchBatches * 7 > batches && benchBatches * 5 < batches, "every cleared bench batch's thread still waits");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.readBuffers.size() == POOL, "pool");
        check(svc.recentResults[RING - 1] != null, "ring");
        check(svc.goodsIn.size() > 0 && svc.goodsIn.size() < 200 && svc.kitsArrived == svc.kitsBookedIn + svc.goodsIn.size(), "goods-in backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val114.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
