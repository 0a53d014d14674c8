// hprofscan-dump: name=val109-leak-heatloss-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val109-leak-heatloss-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val109-leak-heatloss jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val109-leak-heatloss-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 109 (written blind), LEAK (growth series): the heat-loss calculator of a home
 * energy-survey firm. Surveyors' tablets ask for a room-by-room heat-loss calculation of a property;
 * the calculator memoises its results in a ConcurrentHashMap that was meant to hold one result per
 * distinct set of inputs (archetype, floor-area band, insulation grade, glazing, climate zone; a
 * few thousand combinations), but it is keyed by the whole request record, which carries the
 * request id: only a tablet's retry of the same request hits, every other request adds an entry.
 * Ordinary components beside it: building-material reference data, the property directory keyed by
 * UPRN, a cache of rendered survey reports at its cap, a pool of PDF buffers, a ring of recent
 * calculations, the photo-upload backlog. Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION109.md.
 */
public final class Val109LeakHeatLoss {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MATERIALS = 1_200, PROPERTIES = 22_000, REPORT_CAP = 1_500, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 2_500,
            SURVEYORS = 340, UPLOAD_LAG_MINUTES = 6;
    static final String[] ARCHETYPES = {"mid-terrace", "end-terrace", "semi-detached", "detached", "bungalow", "flat-ground", "flat-mid", "flat-top"};
    static final String[] ZONES = {"CZ-north", "CZ-central", "CZ-south", "CZ-coastal"};
    static final String[] ROOMS = {"living", "kitchen", "dining", "hall", "bed1", "bed2", "bed3", "bed4", "bath", "ensuite", "study", "utility", "landing", "wc"};
    static boolean FIXED;

    record Material(String code, String name, double[] conductivityByTemp) {}
    record Property(String uprn, String postcode, String archetype, int floorAreaM2, byte[] floorPlan, long surveyedAt) {}
    record HeatLossInputs(String archetype, int floorAreaBand, int insulationGrade, int glazing, String climateZone) {}
    /** What a tablet sends; the calculation depends on the inputs only. */
    record SurveyRequest(String requestId, String surveyorId, String uprn, String archetype, int floorAreaBand, int insulationGrade, int glazing, String climateZone) {
        HeatLossInputs inputs() { return new HeatLossInputs(archetype, floorAreaBand, insulationGrade, glazing, climateZone); }
    }
    record HeatLossResult(double[] roomLossesW, double totalW, String summary, long computedAt) {}
    record CalcSummary(String requestId, String uprn, double totalW, long at) {}
    record RenderedReport(String uprn, byte[] pdf, long renderedAt) {}
    record PhotoUpload(String uploadId, String uprn, int bytes, long receivedAt) {}

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class ReportCache extends LinkedHashMap<String, RenderedReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final class HeatLossCalculator {
        /** Memo of computed results (meant: one per distinct input set). */
        final Map<Record, HeatLossResult> memo = new ConcurrentHashMap<>();
        long calculations, hits;

        HeatLossResult calculate(SurveyRequest req, long t) {
            Record key = FIXED ? req.inputs() : req; // BUG: keyed by the whole request (its id differs every time)
            HeatLossResult cached = memo.get(key);
            if (cached != null) { hits++; return cached; }
            HeatLossResult result = compute(req.inputs(), t);
            memo.put(key, result);
            calculations++;
            return result;
        }

        static HeatLossResult compute(HeatLossInputs in, long t) {
            Random r = new Random(in.hashCode());
            int rooms = 8 + in.floorAreaBand() * 2 + r.nextInt(3);
            double[] losses = new double[rooms];
            double total = 0;
            for (int k = 0; k < rooms; k++) { losses[k] = 300 + r.nextDouble() * 900 * (6 - in.insulationGrade()) / (1 + in.glazing()); total += losses[k]; }
            String summary = in.archetype() + ", band " + in.floorAreaBand() + ", " + rooms + " rooms, design loss " + Math.round(total) + " W at -3 C";
            return new HeatLossResult(losses, total, summary, t);
        }
    }

    static final class SurveyService {
        final Map<String, Property> properties = new HashMap<>();
        final String[] uprns = new String[PROPERTIES];
        final HeatLossCalculator calculator = new HeatLossCalculator();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final CalcSummary[] recent = new CalcSummary[RING];
        final ArrayDeque<PhotoUpload> uploads = new ArrayDeque<>();
        long requests, retries, uploadsReceived, uploadsStored;

        void handle(SurveyRequest req, Random r, long t) {
            HeatLossResult res = calculator.calculate(req, t);
            recent[(int) (requests++ % RING)] = new CalcSummary(req.requestId(), req.uprn(), res.totalW(), t);
            if (r.nextInt(2) == 0) {
                RenderedReport rep = reports.get(req.uprn());
                if (rep == null) reports.put(req.uprn(), rep = new RenderedReport(req.uprn(), new byte[500 + r.nextInt(500)], t));
                byte[] buf = pdfBuffers.poll();
                buf[(int) (t % buf.length)] = (byte) rep.pdf().length;
                pdfBuffers.add(buf);
            }
        }
    }

    static SurveyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(109_030_001);
        for (int m = 0; m < MATERIALS; m++) {
            double[] k = new double[48];
            for (int j = 0; j < k.length; j++) k[j] = 0.02 + rnd.nextDouble() * 1.5;
            String code = "MAT-" + (5_000 + m * 3);
            MATERIALS_BY_CODE.put(code, new Material(code, "Material " + m + " (" + (m % 5 == 0 ? "masonry" : m % 5 == 1 ? "insulation" : m % 5 == 2 ? "timber" : m % 5 == 3 ? "glazing" : "membrane") + ")", k));
        }
        SurveyService svc = new SurveyService();
        SERVICE = svc;
        for (int p = 0; p < PROPERTIES; p++) {
            svc.uprns[p] = "UPRN" + (100_023_000_000L + p * 41L);
            svc.properties.put(svc.uprns[p], new Property(svc.uprns[p], "PC" + (10 + rnd.nextInt(80)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)),
                    ARCHETYPES[rnd.nextInt(ARCHETYPES.length)], 40 + rnd.nextInt(220), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);

        Random traffic = new Random(109_030_002), uploads = new Random(109_030_003);
        int total = REQUESTS_PER_HOUR * hours;
        SurveyRequest previous = null;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            SurveyRequest req;
            if (previous != null && traffic.nextInt(100) < 3) {
                req = previous; // the tablet timed out and sent the same request again
                svc.retries++;
            } else {
                Property p = svc.properties.get(svc.uprns[traffic.nextInt(PROPERTIES)]);
                req = new SurveyRequest("HLC-" + Long.toString(t / SECOND, 36) + "-" + (100_000 + i), "SV" + (700 + traffic.nextInt(SURVEYORS)), p.uprn(), p.archetype(),
                        Math.min(5, p.floorAreaM2() / 45), traffic.nextInt(4), traffic.nextInt(3), ZONES[traffic.nextInt(ZONES.length)]);
            }
            svc.handle(req, traffic, t);
            previous = req;
            if (i % 2 == 0) {
                svc.uploads.addLast(new PhotoUpload("UP" + (60_000_000 + i), req.uprn(), 200_000 + uploads.nextInt(3_000_000), t));
                svc.uploadsReceived++;
            }
            while (!svc.uploads.isEmpty() && svc.uploads.peekFirst().receivedAt() <= t - UPLOAD_LAG_MINUTES * MINUTE) {
                svc.uploads.pollFirst();
                svc.uploadsStored++;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val109.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        SurveyService svc = SERVICE;
        HeatLossCalculator calc = svc.calculator;
        int total = REQUESTS_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " materials " + MATERIALS_BY_CODE.size() + " properties " + svc.properties.size() + " requests " + svc.requests
                + " (retries " + svc.retries + ") memo " + calc.memo.size() + " (calculations " + calc.calculations + ", hits " + calc.hits + ") reports " + svc.reports.size()
                + " (evicted " + svc.reports.evicted + ") pool " + svc.pdfBuffers.size() + " uploads backlog " + svc.uploads.size() + " (received " + svc.uploadsReceived + ", stored " + svc.uploadsStored + ")");
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.requests == total && calc.calculations + calc.hits == total, "requests");
        check(calc.memo.size() == calc.calculations && (FIXED || calc.hits == svc.retries), "memo");
        long expected = stage == 1 ? 4_841 : stage == 2 ? 9_699 : 19_405;
        check(FIXED || calc.memo.size() == expected, "memo entries " + calc.memo.size());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pdf buffer pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(svc.uploads.size() > 0 && svc.uploadsReceived == svc.uploadsStored + svc.uploads.size(), "upload backlog");
        svc = null;
        calc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
