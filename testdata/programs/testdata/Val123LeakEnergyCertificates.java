// hprofscan-dump: name=val123-leak-energycertificates jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val123-leak-energycertificates-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 123 (written blind), LEAK: the lodgement service of a domestic energy performance
 * certificate (EPC) register. Postcode-district reference data, the assessor directory, an extract
 * of the certificate register, an LRU of rendered certificate summaries at its cap, a pool of PDF
 * buffers, a ring of recent lodgements, a queue of rejection notices, and four validation lanes
 * (single-thread pools; an assessor's lodgements always go to the same lane, in order). The
 * validator writes a step-by-step trace of every lodgement into a per-thread StringBuilder
 * (LodgementValidator.TRACE, a static ThreadLocal) so that a rejection notice can quote the
 * lodgement's own part of it; nothing ever clears the builder, so each lane thread's builder holds
 * the trace of every lodgement that lane has validated. See VALIDATION123.md.
 */
public final class Val123LeakEnergyCertificates {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW = 5 * MINUTE;
    static final int HOURS = 10, DISTRICTS = 1_200, ASSESSORS = 6_000, REGISTER = 20_000, RENDER_CAP = 2_000, POOL = 8,
            RING = 8_192, LODGEMENTS = 16_000, LANES = 4, TAIL = 600;
    static boolean FIXED;

    static final String[] PROPERTY_TYPES = {"house", "flat", "bungalow", "maisonette", "park-home"};
    static final String[] STEPS = {"schema", "walls", "roof", "floor", "glazing", "heating", "hot-water", "lighting", "renewables"};
    static final char[] BANDS = {'A', 'B', 'C', 'D', 'E', 'F', 'G'};

    record District(String code, String area, double[] sapByAgeBand) {}
    record Assessor(String id, String name, String scheme, byte[] accreditation, long accreditedSince) {}
    record Certificate(String rrn, String address, char band, int sap, long lodgedAt) {}
    record RenderedSummary(String rrn, byte[] html, long at) {}
    record LodgementRecord(String rrn, String assessorId, char band, int sap, boolean rejected, long at) {}
    record RejectionNotice(String rrn, String assessorId, String reason, String traceExtract, long at) {}

    /** One lodgement as received from the assessor's software (RdSAP data). */
    record Lodgement(String rrn, String assessorId, String district, String propertyType, byte[] rdsap, long at, int seed) {}
    record LodgementResult(String rrn, String assessorId, int sap, char band, boolean rejected, String reason, String traceExtract, long at) {}

    static final class LodgementValidator {
        /** The trace of the lodgement being validated, per lane thread (reused: no allocation per lodgement). */
        static final ThreadLocal<StringBuilder> TRACE = ThreadLocal.withInitial(() -> new StringBuilder(1_024));
        static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[64]);

        LodgementResult validate(Lodgement l) {
            StringBuilder trace = TRACE.get();
            int mark = trace.length(); // BUG: this lodgement's trace is appended after every earlier one; nothing clears the builder
            int[] scratch = SCRATCH.get();
            Random r = new Random(l.seed());
            int steps = 4 + r.nextInt(3);
            long at = l.at();
            int sap = 20 + r.nextInt(75);
            boolean rejected = false;
            String reason = null;
            for (int s = 0; s < steps; s++) {
                String step = STEPS[s == 0 ? 0 : 1 + r.nextInt(STEPS.length - 1)];
                int value = r.nextInt(1_000);
                scratch[s] = value;
                boolean warn = r.nextInt(40) == 0;
                boolean fail = s == steps - 1 && r.nextInt(33) == 0;
                at += 3 + r.nextInt(40);
                trace.append(at).append(' ').append(l.rrn()).append(' ').append(l.assessorId()).append(' ').append(step)
                     .append(fail ? " FAIL " : warn ? " WARN " : " ok ").append("u=").append(value / 400).append('.').append(value % 100)
                     .append(" src=").append(l.propertyType()).append('/').append(l.district()).append('\n');
                if (fail) { rejected = true; reason = "step " + step + " out of range"; }
            }
            char band = BANDS[Math.min(6, Math.max(0, (92 - sap) / 12))];
            trace.append(at).append(' ').append(l.rrn()).append(" rating sap=").append(sap).append(" band=").append(band).append('\n');
            String extract = rejected ? trace.substring(Math.max(mark, trace.length() - TAIL)) : null;
            if (FIXED) trace.setLength(0);
            return new LodgementResult(l.rrn(), l.assessorId(), sap, band, rejected, reason, extract, at);
        }
    }

    /** Four single-thread lanes; a lodgement goes to the lane of its assessor. */
    static final class ValidationLanes {
        final List<ExecutorService> lanes = new ArrayList<>();
        final LodgementValidator validator = new LodgementValidator();
        final long[] perLane = new long[LANES];
        ValidationLanes() {
            for (int i = 0; i < LANES; i++) {
                String name = "epc-lodge-" + i;
                lanes.add(Executors.newFixedThreadPool(1, r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; }));
            }
        }
        Future<LodgementResult> submit(Lodgement l, int lane) {
            perLane[lane]++;
            return lanes.get(lane).submit(() -> validator.validate(l));
        }
    }

    static final class RenderCache extends LinkedHashMap<String, RenderedSummary> {
        long evicted;
        RenderCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedSummary> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class LodgementService {
        final Map<String, Assessor> assessors = new HashMap<>();
        final Map<String, Certificate> register = new HashMap<>();
        final RenderCache summaries = new RenderCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final LodgementRecord[] recent = new LodgementRecord[RING];
        final ArrayDeque<RejectionNotice> rejections = new ArrayDeque<>();
        final ValidationLanes lanes = new ValidationLanes();
        long lodged, rejected, noticesSent, pdfs;

        void sendNotices(long boundary) {
            while (!rejections.isEmpty() && rejections.peekFirst().at() <= boundary - 10 * MINUTE) { rejections.pollFirst(); noticesSent++; }
        }
    }

    static LodgementService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String rrn(long n) {
        String d = "90" + (100_000_000_000_000_000L + n * 7_919_003L);
        return d.substring(0, 4) + "-" + d.substring(4, 8) + "-" + d.substring(8, 12) + "-" + d.substring(12, 16) + "-" + d.substring(16, 20);
    }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_030_001);
        String[] districts = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] sap = new double[40];
            for (int k = 0; k < sap.length; k++) sap[k] = 20 + rnd.nextDouble() * 70;
            districts[d] = (char) ('A' + d % 26) + "" + (char) ('A' + d / 26 % 26) + (1 + d % 29);
            DISTRICTS_BY_CODE.put(districts[d], new District(districts[d], "Area " + d, sap));
        }
        LodgementService svc = new LodgementService();
        SERVICE = svc;
        String[] assessorIds = new String[ASSESSORS];
        String[] schemes = {"Elmhurst", "Stroma", "Quidos", "ECMK", "Sterling"};
        for (int a = 0; a < ASSESSORS; a++) {
            assessorIds[a] = "EES" + (100_000 + 11 * a);
            svc.assessors.put(assessorIds[a], new Assessor(assessorIds[a], "Assessor " + a, schemes[a % schemes.length], new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int c = 0; c < REGISTER; c++) {
            String rrn = rrn(c);
            svc.register.put(rrn, new Certificate(rrn, (1 + c % 180) + " Street " + (c / 180), BANDS[rnd.nextInt(7)], 1 + rnd.nextInt(100), now - (long) (1 + rnd.nextInt(3_600)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(123_030_002);
        long span = end - MINUTE - start;
        int i = 0;
        List<Future<LodgementResult>> window = new ArrayList<>();
        for (long windowEnd = start + WINDOW; windowEnd <= end; windowEnd += WINDOW) {
            window.clear();
            for (; i < LODGEMENTS; i++) {
                long t = start + span * i / LODGEMENTS;
                if (t >= windowEnd) break;
                int a = traffic.nextInt(ASSESSORS);
                Lodgement l = new Lodgement(rrn(REGISTER + i), assessorIds[a], districts[traffic.nextInt(DISTRICTS)], PROPERTY_TYPES[traffic.nextInt(PROPERTY_TYPES.length)],
                        new byte[600 + traffic.nextInt(800)], t, traffic.nextInt());
                window.add(svc.lanes.submit(l, a % LANES));
                String key = rrn(traffic.nextInt(REGISTER));
                if (svc.summaries.get(key) == null) svc.summaries.put(key, new RenderedSummary(key, new byte[400 + traffic.nextInt(400)], t));
                if (traffic.nextInt(6) == 0) {
                    byte[] buf = svc.pdfBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.pdfBuffers.add(buf);
                    svc.pdfs++;
                }
            }
            for (Future<LodgementResult> f : window) {
                LodgementResult r = f.get();
                svc.recent[(int) (svc.lodged++ % RING)] = new LodgementRecord(r.rrn(), r.assessorId(), r.band(), r.sap(), r.rejected(), r.at());
                if (r.rejected()) { svc.rejected++; svc.rejections.add(new RejectionNotice(r.rrn(), r.assessorId(), r.reason(), r.traceExtract(), r.at())); }
            }
            svc.sendNotices(windowEnd);
        }
        window.clear();
    }

    static void selfCheck() throws Exception {
        LodgementService svc = SERVICE;
        long[] traceChars = new long[LANES];
        int[] traceCapacity = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            StringBuilder sb = svc.lanes.lanes.get(lane).submit(() -> LodgementValidator.TRACE.get()).get();
            traceChars[lane] = sb.length();
            traceCapacity[lane] = sb.capacity();
        }
        int laneThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("epc-lodge-")) laneThreads++;
        System.out.println((FIXED ? "FIXED " : "") + "districts " + DISTRICTS_BY_CODE.size() + " assessors " + svc.assessors.size() + " register " + svc.register.size()
                + " lodged " + svc.lodged + " rejected " + svc.rejected + " notices sent " + svc.noticesSent + " backlog " + svc.rejections.size()
                + " per lane " + java.util.Arrays.toString(svc.lanes.perLane) + " trace chars " + java.util.Arrays.toString(traceChars)
                + " capacity " + java.util.Arrays.toString(traceCapacity) + " lane threads " + laneThreads + " summaries " + svc.summaries.size()
                + " (evicted " + svc.summaries.evicted + ") pool " + svc.pdfBuffers.size() + " pdfs " + svc.pdfs);
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.assessors.size() == ASSESSORS && svc.register.size() == REGISTER, "reference data / directory");
        check(svc.lodged == LODGEMENTS && svc.rejected == EXPECTED_REJECTED && svc.rejections.size() == EXPECTED_BACKLOG, "lodgements: " + svc.rejected + " / " + svc.rejections.size());
        check(laneThreads == LANES, "lane threads: " + laneThreads);
        for (int lane = 0; lane < LANES; lane++) {
            check(svc.lanes.perLane[lane] == EXPECTED_PER_LANE[lane], "lane " + lane + ": " + svc.lanes.perLane[lane]);
            if (FIXED) check(traceChars[lane] == 0, "trace cleared on lane " + lane);
            else check(traceChars[lane] == EXPECTED_TRACE_CHARS[lane], "trace of lane " + lane + ": " + traceChars[lane]);
        }
        check(svc.summaries.size() == RENDER_CAP && svc.summaries.evicted > 0, "summary cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring full");
    }

    // The same in every run (fixed seeds; the trace lines have fixed-width times).
    static final long EXPECTED_REJECTED = 510, EXPECTED_BACKLOG = 6;
    static final long[] EXPECTED_PER_LANE = {3_995, 4_061, 4_021, 3_923}, EXPECTED_TRACE_CHARS = {1_900_295, 1_944_572, 1_924_755, 1_873_971};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val123.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
