// hprofscan-dump: name=val126-leak-dialysisunits jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val126-leak-dialysisunits-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 126 (written blind), LEAK: the treatment-charting service of a network of
 * haemodialysis units. Unit reference data, the patient directory, the clinician directory, a cache
 * of rendered flowsheets at its cap, a pool of report buffers, a ring of recent treatment records, a
 * lab-order queue with its normal backlog, and a fixed pool of 6 charting workers. Every charting
 * request runs on a worker and opens a request context through RequestContextHolder (a static
 * ThreadLocal&lt;ChartingContext&gt;): the context's audit trail and its per-request memo of patient
 * reads. The context was request-scoped behind the servlet filter; since the charting endpoints
 * moved onto the worker pool nobody calls RequestContextHolder.end(): begin() finds the worker's old
 * context and only resets its scalar fields, so each worker's audit list and read memo keep every
 * request the worker ever served. See VALIDATION126.md.
 */
public final class Val126LeakDialysisUnits {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int UNITS = 900, PATIENTS = 18_000, CLINICIANS = 1_200, SHEET_CAP = 2_000, POOL = 8, RING = 8_192,
            WORKERS = 6, HOURS = 10, REQUESTS_PER_HOUR = 3_000, WINDOW_MINUTES = 5;
    static boolean FIXED;

    static final String[] REGIONS = {"North West", "Yorkshire", "West Midlands", "East of England", "London", "South East", "South West", "Wales", "Scotland"};
    static final String[] ACCESS = {"AV fistula", "AV graft", "tunnelled line"};
    static final String[] DIALYSATE = {"K1 Ca1.25", "K2 Ca1.25", "K2 Ca1.5", "K3 Ca1.25"};

    record DialysisUnit(String code, String name, String region, double[] chairUtilisation) {}
    record Clinician(String id, String name, String role, String unitCode) {}
    record Patient(String mrn, String unitCode, String name, String access, double dryWeightKg, byte[] prescription, long registeredAt) {}
    record Flowsheet(String key, byte[] rendered, long at) {}
    record TreatmentRecord(long requestId, String mrn, String unitCode, String action, long at, int ufMl) {}
    record LabOrder(String orderId, String mrn, String panel, long orderedAt) {}
    record AuditEvent(long requestId, String clinicianId, String action, String mrn, String detail, long at) {}
    record PatientSnapshot(String mrn, double[] vitals, long readAt) {}
    record ChartRequest(long id, String clinicianId, String action, String mrn, long at, long seed) {}
    record ChartResult(long requestId, String mrn, String unitCode, String action, int ufMl, String sheetKey, boolean labOrder,
                       int auditAdded, int readsAdded, String worker, int auditSize, int readsSize) {}

    /** What a charting request knows about itself: who, when, its audit trail and its memo of patient reads. */
    static final class ChartingContext {
        long requestId; String clinicianId; long startedAt; int auditStart;
        final List<AuditEvent> audit = new ArrayList<>();
        final Map<String, PatientSnapshot> reads = new HashMap<>();

        void record(String action, String mrn, String detail, long at) {
            audit.add(new AuditEvent(requestId, clinicianId, action, mrn, detail, at));
        }

        /** Reads the patient's latest vitals once per request (the memo is keyed by request and patient). */
        PatientSnapshot vitals(Patient p, Random r, long at) {
            String key = "R" + requestId + "/" + p.mrn();
            PatientSnapshot s = reads.get(key);
            if (s == null) {
                double[] v = {p.dryWeightKg() + r.nextDouble() * 3, 110 + r.nextInt(60), 60 + r.nextInt(40), 60 + r.nextInt(50), 35.8 + r.nextDouble() * 1.5, 93 + r.nextInt(7)};
                s = new PatientSnapshot(p.mrn(), v, at);
                reads.put(key, s);
            }
            return s;
        }
    }

    /** Request scope of the charting endpoints. */
    static final class RequestContextHolder {
        static final ThreadLocal<ChartingContext> CONTEXT = new ThreadLocal<>();

        static ChartingContext begin(long requestId, String clinicianId, long at) {
            ChartingContext c = CONTEXT.get();
            if (c == null) {
                c = new ChartingContext();
                CONTEXT.set(c);
            }
            c.requestId = requestId; c.clinicianId = clinicianId; c.startedAt = at; c.auditStart = c.audit.size();
            return c;
        }

        static void end() { CONTEXT.remove(); }
    }

    /** Scratch builder for audit details, one per worker, emptied before every use (bounded). */
    static final ThreadLocal<StringBuilder> DETAIL = ThreadLocal.withInitial(() -> new StringBuilder(256));

    static final class FlowsheetCache extends LinkedHashMap<String, Flowsheet> {
        long evicted;
        FlowsheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Flowsheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DialysisUnit> UNITS_BY_CODE = new HashMap<>();

    static final class ChartingService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] mrns = new String[PATIENTS];
        final Map<String, Clinician> clinicians = new HashMap<>();
        final String[] clinicianIds = new String[CLINICIANS];
        final FlowsheetCache flowsheets = new FlowsheetCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final TreatmentRecord[] recent = new TreatmentRecord[RING];
        final ArrayDeque<LabOrder> labQueue = new ArrayDeque<>();
        final ExecutorService workers;
        final AtomicLong auditAdded = new AtomicLong(), readsAdded = new AtomicLong();
        long requests, labOrders, labSent, sheetHits, sheetRenders, bufferUses;

        ChartingService() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory f = r -> new Thread(r, "charting-worker-" + n.incrementAndGet());
            workers = Executors.newFixedThreadPool(WORKERS, f);
        }

        /** Runs on a charting worker. */
        ChartResult handle(ChartRequest q) {
            ChartingContext ctx = RequestContextHolder.begin(q.id(), q.clinicianId(), q.at());
            try {
                Random r = new Random(q.seed());
                Patient p = patients.get(q.mrn());
                int audited = 0, reads = ctx.reads.size(), uf = 0;
                boolean lab = false;
                StringBuilder sb = DETAIL.get();
                switch (q.action()) {
                    case "pre-assessment" -> {
                        PatientSnapshot s = ctx.vitals(p, r, q.at());
                        ctx.record("viewed-chart", p.mrn(), "unit " + p.unitCode() + ", access " + p.access(), q.at()); audited++;
                        sb.setLength(0);
                        sb.append("pre-weight ").append(Math.round(s.vitals()[0] * 10) / 10.0).append(" kg, BP ").append((int) s.vitals()[1]).append('/').append((int) s.vitals()[2]);
                        ctx.record("recorded-pre-weight", p.mrn(), sb.toString(), q.at() + 1_000); audited++;
                    }
                    case "intradialytic-obs" -> {
                        PatientSnapshot s = ctx.vitals(p, r, q.at());
                        sb.setLength(0);
                        sb.append("Qb ").append(250 + r.nextInt(15) * 10).append(" ml/min, VP ").append(120 + r.nextInt(100)).append(", pulse ").append((int) s.vitals()[3]);
                        ctx.record("recorded-obs", p.mrn(), sb.toString(), q.at()); audited++;
                        if (r.nextInt(2) == 0) { ctx.record("alarm-acknowledged", p.mrn(), "venous pressure alarm at " + (180 + r.nextInt(120)) + " mmHg", q.at() + 2_000); audited++; }
                    }
                    case "post-assessment" -> {
                        PatientSnapshot s = ctx.vitals(p, r, q.at());
                        uf = 800 + r.nextInt(2_800);
                        sb.setLength(0);
                        sb.append("post-weight ").append(Math.round((s.vitals()[0] - uf / 1000.0) * 10) / 10.0).append(" kg, UF ").append(uf).append(" ml, dialysate ").append(DIALYSATE[r.nextInt(DIALYSATE.length)]);
                        ctx.record("recorded-post-weight", p.mrn(), sb.toString(), q.at()); audited++;
                        ctx.record("signed-off", p.mrn(), "session signed off by " + q.clinicianId(), q.at() + 3_000); audited++;
                        lab = r.nextInt(8) == 0;
                    }
                    default -> { // prescription-review
                        ctx.vitals(p, r, q.at());
                        Patient prev = patients.get(mrns[r.nextInt(PATIENTS)]);
                        ctx.vitals(prev, r, q.at());
                        ctx.record("viewed-prescription", p.mrn(), "prescription of " + p.prescription().length + " bytes", q.at()); audited++;
                        ctx.record("changed-prescription", p.mrn(), "dry weight " + p.dryWeightKg() + " -> " + Math.round((p.dryWeightKg() - 0.5 + r.nextDouble()) * 10) / 10.0 + " kg", q.at() + 4_000); audited++;
                        ctx.record("countersigned", p.mrn(), "countersigned by consultant " + clinicianIds[r.nextInt(CLINICIANS)], q.at() + 9_000); audited++;
                    }
                }
                int readsNew = ctx.reads.size() - reads;
                auditAdded.addAndGet(audited);
                readsAdded.addAndGet(readsNew);
                String sheetKey = "flowsheet-" + p.unitCode() + "-" + r.nextInt(12);
                return new ChartResult(q.id(), p.mrn(), p.unitCode(), q.action(), uf, sheetKey, lab, audited, readsNew,
                        Thread.currentThread().getName(), ctx.audit.size(), ctx.reads.size());
            } finally {
                if (FIXED) RequestContextHolder.end();
            }
        }

        /** Back on the request thread: the shared components, in request order. */
        void apply(ChartResult c, Random r, long t) {
            requests++;
            recent[(int) ((requests - 1) % RING)] = new TreatmentRecord(c.requestId(), c.mrn(), c.unitCode(), c.action(), t, c.ufMl());
            if (flowsheets.get(c.sheetKey()) != null) sheetHits++;
            else { sheetRenders++; flowsheets.put(c.sheetKey(), new Flowsheet(c.sheetKey(), new byte[400 + r.nextInt(400)], t)); }
            if (c.action().equals("post-assessment")) {
                byte[] buf = reportBuffers.poll();
                buf[(int) (c.requestId() % buf.length)] = (byte) c.ufMl();
                reportBuffers.add(buf);
                bufferUses++;
            }
            if (c.labOrder()) {
                labOrders++;
                labQueue.add(new LabOrder("LAB-" + (7_700_000 + labOrders), c.mrn(), r.nextBoolean() ? "U&E, Hb, phosphate" : "monthly bloods (URR, Hb, ferritin, PTH)", t));
            }
        }

        /** The lab interface takes orders at least 20 minutes old (the phlebotomy round). */
        void sendLabOrders(long t) {
            while (!labQueue.isEmpty() && labQueue.peek().orderedAt() <= t - 20 * MINUTE) { labQueue.poll(); labSent++; }
        }
    }

    static ChartingService SERVICE;
    static long CONTEXT_AUDIT, CONTEXT_READS, CONTEXT_WORKERS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(126_010_001);
        String[] unitCodes = new String[UNITS];
        for (int u = 0; u < UNITS; u++) {
            double[] util = new double[56];
            for (int k = 0; k < util.length; k++) util[k] = 0.55 + rnd.nextDouble() * 0.45;
            unitCodes[u] = "DU-" + (1_000 + u * 3);
            UNITS_BY_CODE.put(unitCodes[u], new DialysisUnit(unitCodes[u], "Renal Unit " + (u + 1), REGIONS[u % REGIONS.length], util));
        }
        ChartingService svc = new ChartingService();
        SERVICE = svc;
        String[] roles = {"staff nurse", "senior nurse", "healthcare assistant", "registrar", "consultant nephrologist"};
        for (int c = 0; c < CLINICIANS; c++) {
            svc.clinicianIds[c] = "CL" + (40_000 + c * 7);
            svc.clinicians.put(svc.clinicianIds[c], new Clinician(svc.clinicianIds[c], "Clinician " + c, roles[c % roles.length], unitCodes[rnd.nextInt(UNITS)]));
        }
        for (int i = 0; i < PATIENTS; i++) {
            svc.mrns[i] = "MRN" + (3_100_000 + i * 13);
            svc.patients.put(svc.mrns[i], new Patient(svc.mrns[i], unitCodes[rnd.nextInt(UNITS)], "Patient " + i, ACCESS[rnd.nextInt(ACCESS.length)],
                    Math.round((48 + rnd.nextDouble() * 70) * 10) / 10.0, new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);

        Random traffic = new Random(126_010_002), shared = new Random(126_010_003);
        int total = REQUESTS_PER_HOUR * HOURS;
        int windows = HOURS * 60 / WINDOW_MINUTES;
        Map<String, int[]> lastSizes = new HashMap<>();
        long nextId = 36_000_000L;
        for (int w = 0; w < windows; w++) {
            int from = (int) ((long) total * w / windows), to = (int) ((long) total * (w + 1) / windows);
            List<ChartRequest> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                long t = start + (end - MINUTE - start) * i / total;
                int a = traffic.nextInt(100);
                String action = a < 30 ? "pre-assessment" : a < 70 ? "intradialytic-obs" : a < 95 ? "post-assessment" : "prescription-review";
                batch.add(new ChartRequest(nextId++, svc.clinicianIds[traffic.nextInt(CLINICIANS)], action, svc.mrns[traffic.nextInt(PATIENTS)], t, traffic.nextLong()));
            }
            List<Future<ChartResult>> futures = new ArrayList<>();
            for (ChartRequest q : batch) futures.add(svc.workers.submit(() -> svc.handle(q)));
            for (int k = 0; k < futures.size(); k++) {
                ChartResult c = futures.get(k).get();
                svc.apply(c, shared, batch.get(k).at());
                int[] s = lastSizes.computeIfAbsent(c.worker(), x -> new int[2]);
                s[0] = Math.max(s[0], c.auditSize()); s[1] = Math.max(s[1], c.readsSize());
            }
            svc.sendLabOrders(start + (w + 1) * WINDOW_MINUTES * MINUTE);
        }
        long audit = 0, reads = 0;
        for (int[] s : lastSizes.values()) { audit += s[0]; reads += s[1]; }
        CONTEXT_AUDIT = audit; CONTEXT_READS = reads; CONTEXT_WORKERS = lastSizes.size();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val126.fixed");
        try {
            simulate();
            report();
        } catch (Throwable e) { // the charting workers are not daemons: fail the run instead of hanging
            e.printStackTrace();
            System.exit(1);
        }
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ChartingService svc = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "units " + UNITS_BY_CODE.size() + " patients " + svc.patients.size() + " clinicians " + svc.clinicians.size()
                + " requests " + svc.requests + " audit events " + svc.auditAdded.get() + " patient reads " + svc.readsAdded.get()
                + " workers " + CONTEXT_WORKERS + " (largest audit per worker summed " + CONTEXT_AUDIT + ", reads " + CONTEXT_READS + ")"
                + " flowsheets " + svc.flowsheets.size() + " (evicted " + svc.flowsheets.evicted + ", hits " + svc.sheetHits + ")"
                + " lab orders " + svc.labOrders + " sent " + svc.labSent + " backlog " + svc.labQueue.size() + " pool " + svc.reportBuffers.size() + " buffer uses " + svc.bufferUses);
        check(UNITS_BY_CODE.size() == UNITS && svc.patients.size() == PATIENTS && svc.clinicians.size() == CLINICIANS, "reference data / directories");
        check(svc.requests == 30_000 && svc.auditAdded.get() == EXPECT_AUDIT && svc.readsAdded.get() == EXPECT_READS, "traffic");
        check(CONTEXT_WORKERS == WORKERS, "workers");
        if (FIXED) check(CONTEXT_AUDIT < 100 && CONTEXT_READS < 100, "contexts are per request");
        else check(CONTEXT_AUDIT == EXPECT_AUDIT && CONTEXT_READS == EXPECT_READS, "every event and read still in the workers' contexts");
        check(svc.flowsheets.size() == SHEET_CAP && svc.flowsheets.evicted > 0, "flowsheet cache at cap");
        check(svc.labOrders == EXPECT_LAB && svc.labQueue.size() == EXPECT_LAB_BACKLOG, "lab queue");
        check(svc.reportBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
    }

    static final long EXPECT_AUDIT = 55_383, EXPECT_READS = 31_434, EXPECT_LAB = 929, EXPECT_LAB_BACKLOG = 23;
}
