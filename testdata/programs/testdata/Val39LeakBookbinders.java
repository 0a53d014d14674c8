// hprofscan-dump: name=val39-leak-bookbinders jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val39-leak-bookbinders-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 39 (written blind), LEAK: the production service of a bookbindery (case binding:
 * sewing signatures, casing in, covering in leather or cloth). Cover-material reference data, the
 * binding-order directory, an LRU of rendered cover proofs at its cap, a pool of glue-robot path
 * buffers, a ring of finished books, the six sewing lines with their run in progress. Each sewing
 * run records one StitchSample per signature (thread tension and its deviation) in an ArrayList;
 * when the run finishes, the QA log keeps a RunRecord for the day's traceability report with the
 * five worst stitches, taken as {@code samples.subList(0, 5)} of the sorted list. A subList is a
 * view: it references the whole backing ArrayList, so every finished run's full sample list (300
 * to 700 samples) stays reachable from the QA log instead of five samples. See VALIDATION39.md.
 */
public final class Val39LeakBookbinders {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long STITCH_EVERY = 1_200L, CHANGEOVER = 2 * MINUTE;
    static final int MATERIALS = 1_000, ORDERS = 25_000, PROOF_CAP = 2_000, POOL = 8, RING = 8_192, LINES = 6, HOURS = 10, WORST = 5, BOOKS_PER_RUN = 40;
    static boolean FIXED;

    record CoverMaterial(String code, String name, double[] stretchByHumidity) {}
    record BindingOrder(String orderNo, String materialCode, String customer, byte[] spec, long orderedAt) {}
    record CoverProof(String key, byte[] rendered, long at) {}
    record BookOut(String runId, int bookNo, String orderNo, long at) {}

    static final class StitchSample {
        final int signatureNo;
        final float tensionN, deviation;
        final long stitchedAt;
        StitchSample(int signatureNo, float tensionN, float deviation, long stitchedAt) { this.signatureNo = signatureNo; this.tensionN = tensionN; this.deviation = deviation; this.stitchedAt = stitchedAt; }
    }

    /** A sewing run in progress on one line. */
    static final class SewingRun {
        final String runId, orderNo;
        final int line, signatures;
        final long startedAt;
        final ArrayList<StitchSample> samples = new ArrayList<>();
        SewingRun(String runId, String orderNo, int line, int signatures, long startedAt) { this.runId = runId; this.orderNo = orderNo; this.line = line; this.signatures = signatures; this.startedAt = startedAt; }
    }

    /** The QA record of a finished run, kept for the day's traceability report. */
    record RunRecord(String runId, String orderNo, int line, long startedAt, long finishedAt, int signatures, float meanTensionN, List<StitchSample> worstStitches) {}

    static final class QaLog {
        final ArrayList<RunRecord> records = new ArrayList<>();
        void record(SewingRun run, long finishedAt) {
            float sum = 0;
            for (StitchSample s : run.samples) sum += s.tensionN;
            run.samples.sort(Comparator.comparingDouble((StitchSample s) -> -Math.abs(s.deviation)).thenComparingInt(s -> s.signatureNo));
            List<StitchSample> worst = run.samples.subList(0, WORST); // BUG (unfixed): a view that pins the whole sample list
            if (FIXED) worst = List.copyOf(worst);
            records.add(new RunRecord(run.runId, run.orderNo, run.line, run.startedAt, finishedAt, run.signatures, sum / run.samples.size(), worst));
        }
    }

    static final class ProofCache extends LinkedHashMap<String, CoverProof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CoverProof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CoverMaterial> MATERIALS_BY_CODE = new HashMap<>();

    static final class BinderyService {
        final Map<String, BindingOrder> orders = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> glueBuffers = new ArrayDeque<>();
        final BookOut[] finishedBooks = new BookOut[RING];
        final SewingRun[] lines = new SewingRun[LINES];
        final QaLog qaLog = new QaLog();
        long booksOut;
    }

    static BinderyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val39.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(39_040_001);
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = 0.5 + rnd.nextDouble() * 3;
            materialCodes[m] = "CV-" + (1_000 + m);
            MATERIALS_BY_CODE.put(materialCodes[m], new CoverMaterial(materialCodes[m], "Cover " + m, s));
        }
        BinderyService svc = new BinderyService();
        SERVICE = svc;
        String[] orderNos = new String[ORDERS];
        for (int o = 0; o < ORDERS; o++) {
            orderNos[o] = "BO-" + (230_000 + o * 7);
            svc.orders.put(orderNos[o], new BindingOrder(orderNos[o], materialCodes[rnd.nextInt(MATERIALS)], "cust-" + rnd.nextInt(8_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.glueBuffers.add(new byte[32_768]);

        Random traffic = new Random(39_040_002);
        long[] nextStitchAt = new long[LINES];
        int runs = 0, finishedRuns = 0;
        long samplesFinished = 0, samplesInProgress = 0;
        for (int l = 0; l < LINES; l++) nextStitchAt[l] = start + l * 37 * SECOND;
        // advance the six lines in time order, one signature at a time
        while (true) {
            int l = 0;
            for (int k = 1; k < LINES; k++) if (nextStitchAt[k] < nextStitchAt[l]) l = k;
            long t = nextStitchAt[l];
            if (t > end) break;
            SewingRun run = svc.lines[l];
            if (run == null) {
                String orderNo = orderNos[traffic.nextInt(ORDERS)];
                run = new SewingRun("RUN-" + (l + 1) + "-" + (90_000 + runs), orderNo, l + 1, 300 + traffic.nextInt(401), t);
                svc.lines[l] = run;
                runs++;
            }
            if (traffic.nextInt(10) == 0) { // a customer or the cover shop opens a cover proof
                String key = orderNos[traffic.nextInt(ORDERS)] + "/proof";
                if (svc.proofs.get(key) == null) svc.proofs.put(key, new CoverProof(key, new byte[400 + traffic.nextInt(400)], t));
            }
            float tension = 18 + (float) traffic.nextGaussian() * 1.5f;
            run.samples.add(new StitchSample(run.samples.size() + 1, tension, tension - 18, t));
            byte[] buf = svc.glueBuffers.poll();
            buf[run.samples.size() % buf.length] = (byte) l;
            svc.glueBuffers.add(buf);
            if (run.samples.size() == run.signatures) {
                svc.qaLog.record(run, t);
                for (int b = 1; b <= BOOKS_PER_RUN; b++) svc.finishedBooks[(int) (svc.booksOut++ % RING)] = new BookOut(run.runId, b, run.orderNo, t);
                finishedRuns++;
                samplesFinished += run.signatures;
                svc.lines[l] = null;
                nextStitchAt[l] = t + CHANGEOVER;
            } else {
                nextStitchAt[l] = t + STITCH_EVERY;
            }
        }
        int inProgress = 0;
        for (SewingRun r : svc.lines) if (r != null) { inProgress++; samplesInProgress += r.samples.size(); }
        long pinned = 0;
        for (RunRecord r : svc.qaLog.records) {
            check(r.worstStitches().size() == WORST, "five worst stitches");
            pinned += r.signatures();
        }
        long retainedSamples = FIXED ? (long) WORST * finishedRuns : samplesFinished;
        System.out.println((FIXED ? "FIXED " : "") + "materials " + MATERIALS_BY_CODE.size() + " orders " + svc.orders.size() + " runs " + runs + " finished " + finishedRuns + " in-progress " + inProgress
                + " samples-finished " + samplesFinished + " samples-in-progress " + samplesInProgress + " qa-records " + svc.qaLog.records.size() + " retained-finished-samples " + retainedSamples
                + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") books-out " + svc.booksOut + " pool " + svc.glueBuffers.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.orders.size() == ORDERS, "reference data / directory");
        check(runs == EXPECTED_RUNS && finishedRuns == EXPECTED_FINISHED && inProgress == LINES && samplesFinished == EXPECTED_SAMPLES_FINISHED && samplesInProgress == EXPECTED_SAMPLES_IN_PROGRESS, "production");
        check(svc.qaLog.records.size() == finishedRuns && pinned == samplesFinished, "qa log");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.glueBuffers.size() == POOL, "pool");
        check(svc.finishedBooks[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int EXPECTED_RUNS = 307, EXPECTED_FINISHED = 301;
    static final long EXPECTED_SAMPLES_FINISHED = 147_775, EXPECTED_SAMPLES_IN_PROGRESS = 1_967;
}
