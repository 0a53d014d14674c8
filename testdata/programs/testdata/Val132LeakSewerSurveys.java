// hprofscan-dump: name=val132-leak-sewersurveys jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val132-leak-sewersurveys-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 132 (written blind), LEAK: the survey-processing service of a sewer CCTV
 * inspection contractor. Catchment reference data, the pipe-asset register (manhole to manhole),
 * a cache of rendered condition reports at its cap, a pool of video-frame buffers, a ring of
 * recent graded observations, the QA queue of uploaded surveys with its normal backlog, and the
 * defect-grading rules module, reloaded every 10 simulated minutes from the rules repository: each
 * reload creates a new GradingRulesLoader (a ClassLoader defining the module's classes from the
 * bytes of this program's own nested classes) and instantiates the module. On start the module
 * registers a RulesHealthCheck in the host's static HealthRegistry.CHECKS (a CopyOnWriteArrayList
 * behind the /health page); stop() never unregisters it, so every old generation (its loader,
 * classes and their static grading tables) stays reachable. See VALIDATION132.md.
 */
public final class Val132LeakSewerSurveys {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, RELOAD_EVERY = 10 * MINUTE;
    static final int CATCHMENTS = 900, PIPES = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, OBSERVATIONS = 60_000;
    static final String[] MODULE_CLASSES = {"SrmGradingRules", "RulesHealthCheck", "DefectCodeTable"};
    public static boolean FIXED;

    // ---- host API (loaded once, by the application class loader) -------------------------------

    /** A check shown on the service's /health page. */
    public interface HealthCheck {
        String name();
        boolean healthy();
    }

    /** The host's registry of health checks: components register on start. */
    public static final class HealthRegistry {
        public static final List<HealthCheck> CHECKS = new CopyOnWriteArrayList<>();
        public static void register(HealthCheck c) { CHECKS.add(c); }
        public static void unregister(HealthCheck c) { CHECKS.remove(c); }
    }

    /** One coded observation from a survey (MSCC5 style code, clock position, distance). */
    public record Observation(String surveyId, String pipeRef, String code, int clockFrom, int clockTo, double distanceM, int percent) {}

    /** The grading module's API. */
    public interface GradingModule {
        String version();
        void start();
        void stop();
        int grade(Observation o);
    }

    /** A host component's own health check. */
    record HostCheck(String name) implements HealthCheck { public boolean healthy() { return true; } }

    // ---- the module's classes: defined anew by every GradingRulesLoader generation ---------------

    /** Structural / service grading per defect code (WRc SRM style scores). */
    public static final class DefectCodeTable {
        public static final Map<String, int[]> SCORES = new HashMap<>();
        public static final Map<String, String> DESCRIPTIONS = new HashMap<>();
        static {
            String[] codes = {"CC", "CL", "CM", "CS", "FC", "FL", "FM", "FS", "B", "BJ", "D", "DE", "DEF", "DEG", "DEE", "RF", "RT", "RM", "ENC", "EL",
                    "JDS", "JDM", "JDL", "JN", "OJS", "OJM", "OJL", "SAV", "SAP", "SRI", "SRV", "SSS", "SSM", "SSL", "SW", "X", "XP", "WL", "LL", "LR",
                    "IS", "ID", "IR", "IG", "OBB", "OBC", "OBI", "OBJ", "OBM", "OBN", "OBP", "OBR", "OBS", "OBX", "LN", "CN", "CNI", "CX", "CXI", "MC"};
            for (int i = 0; i < codes.length; i++) {
                int[] s = new int[48];
                for (int k = 0; k < s.length; k++) s[k] = (i * 7 + k * 3) % 165;
                SCORES.put(codes[i], s);
                DESCRIPTIONS.put(codes[i], "Defect code " + codes[i] + ": grading per WRc Sewerage Risk Management manual, structural and service scores by clock span and length, revision " + (i % 5));
            }
        }
        public DefectCodeTable() {}
    }

    public static final class SrmGradingRules implements GradingModule {
        /** Peak score to grade curve by pipe length band and material. */
        static final double[] DEDUCTION_CURVE = new double[6_144];
        static final int[][] GRADE_MATRIX = new int[96][128];
        static {
            for (int i = 0; i < DEDUCTION_CURVE.length; i++) DEDUCTION_CURVE[i] = Math.log1p(i) * 7.5;
            for (int r = 0; r < GRADE_MATRIX.length; r++) for (int c = 0; c < GRADE_MATRIX[r].length; c++) GRADE_MATRIX[r][c] = 1 + (r * 31 + c * 17) % 5;
        }
        final String version;
        final long loadedAt;
        RulesHealthCheck check;
        public long graded;
        public SrmGradingRules(String version, Long loadedAt) { this.version = version; this.loadedAt = loadedAt; }
        public String version() { return version; }
        public void start() {
            check = new RulesHealthCheck(this);
            HealthRegistry.register(check);
        }
        public void stop() {
            // BUG: the module forgets to unregister its health check
            if (Val132LeakSewerSurveys.FIXED) HealthRegistry.unregister(check);
        }
        public int grade(Observation o) {
            graded++;
            int[] s = DefectCodeTable.SCORES.get(o.code());
            int peak = s == null ? 0 : s[(o.clockTo() - o.clockFrom() + 12) % 12 * 4 + o.percent() % 4];
            double adj = DEDUCTION_CURVE[(int) (o.distanceM() * 40) % DEDUCTION_CURVE.length];
            return GRADE_MATRIX[peak % 96][(int) adj % 128];
        }
    }

    /** The module's check: healthy while the module has graded recently. */
    public static final class RulesHealthCheck implements HealthCheck {
        final SrmGradingRules module;
        public RulesHealthCheck(SrmGradingRules module) { this.module = module; }
        public String name() { return "grading-rules " + module.version(); }
        public boolean healthy() { return module.graded >= 0; }
    }

    /** Child-first for the module classes (defined from bytes), parent-first for everything else. */
    static final class GradingRulesLoader extends ClassLoader {
        final String release; final long loadedAt; final Map<String, byte[]> bytecode;
        GradingRulesLoader(String release, long loadedAt, Map<String, byte[]> bytecode) {
            super("srm-grading-" + release, Val132LeakSewerSurveys.class.getClassLoader());
            this.release = release; this.loadedAt = loadedAt; this.bytecode = bytecode;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    // ---- the host service -------------------------------------------------------------------------

    record Catchment(String code, String name, String treatmentWorks, double[] rainfallByMonth, double[] infiltrationByMonth) {}
    record Pipe(String ref, String upstreamManhole, String downstreamManhole, String catchment, String material, int diameterMm, double lengthM, byte[] surveyHistory, long laidAt) {}
    record Report(String key, byte[] pdf, long renderedAt) {}
    record GradedObservation(String surveyId, String pipeRef, String code, int grade, String rulesVersion, long at) {}
    record UploadedSurvey(String surveyId, String crew, String pipeRef, long uploadedAt) {}

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final class RulesHost {
        final Map<String, byte[]> bytecode = new HashMap<>();
        GradingModule current;
        int reloads;
        void reload(long at) throws Exception {
            reloads++;
            String release = "r" + (2_400 + reloads);
            GradingRulesLoader loader = new GradingRulesLoader(release, at, bytecode);
            GradingModule next = (GradingModule) loader.loadClass(Val132LeakSewerSurveys.class.getName() + "$SrmGradingRules")
                    .getConstructor(String.class, Long.class).newInstance(release, at);
            next.start();
            GradingModule old = current;
            current = next;
            if (old != null) old.stop();
        }
    }

    static final class SurveyService {
        final Map<String, Pipe> pipes = new HashMap<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final GradedObservation[] recent = new GradedObservation[RING];
        long graded;
        final ArrayDeque<UploadedSurvey> qaQueue = new ArrayDeque<>();
        long uploaded, reviewed;
        final RulesHost rules = new RulesHost();
        long reportRequests;
    }

    static final Map<String, Catchment> CATCHMENTS_BY_CODE = new HashMap<>();
    static SurveyService SERVICE;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(132_040_001);
        String[] catchmentCodes = new String[CATCHMENTS];
        for (int c = 0; c < CATCHMENTS; c++) {
            double[] rain = new double[60], infiltration = new double[60];
            for (int k = 0; k < rain.length; k++) { rain[k] = 20 + rnd.nextDouble() * 120; infiltration[k] = rnd.nextDouble() * 15; }
            catchmentCodes[c] = "SC" + (10_000 + c * 3);
            CATCHMENTS_BY_CODE.put(catchmentCodes[c], new Catchment(catchmentCodes[c], "Catchment " + c, "STW-" + (c % 70), rain, infiltration));
        }
        HealthRegistry.register(new HostCheck("database"));
        HealthRegistry.register(new HostCheck("video-store"));
        HealthRegistry.register(new HostCheck("qa-queue"));
        HealthRegistry.register(new HostCheck("gis-sync"));
        SurveyService svc = new SurveyService();
        SERVICE = svc;
        for (String simple : MODULE_CLASSES) {
            try (InputStream in = Val132LeakSewerSurveys.class.getResourceAsStream("Val132LeakSewerSurveys$" + simple + ".class")) {
                svc.rules.bytecode.put(Val132LeakSewerSurveys.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        String[] materials = {"VC", "CO", "PVC", "BR", "AC", "PE", "DI"};
        String[] pipeRefs = new String[PIPES];
        for (int p = 0; p < PIPES; p++) {
            String up = "MH" + (4_100_000 + p * 2), down = "MH" + (4_100_000 + p * 2 + 1);
            pipeRefs[p] = up + "-" + down;
            svc.pipes.put(pipeRefs[p], new Pipe(pipeRefs[p], up, down, catchmentCodes[rnd.nextInt(CATCHMENTS)], materials[rnd.nextInt(materials.length)],
                    150 + 75 * rnd.nextInt(8), 5 + rnd.nextInt(900) / 10.0, new byte[150 + rnd.nextInt(150)], now - (long) (3_650 + rnd.nextInt(30_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);

        Random traffic = new Random(132_040_002);
        String[] codes = {"CC", "CL", "FC", "FL", "B", "D", "RF", "RT", "JDS", "JDM", "OJS", "SAV", "SRI", "DEG", "DEE", "ENC", "X", "IS", "WL", "LL"};
        String[] crews = {"CCTV-01", "CCTV-02", "CCTV-03", "CCTV-04", "CCTV-05", "CCTV-06", "CCTV-07"};
        long nextReload = start;
        int survey = 0;
        for (int i = 0; i < OBSERVATIONS; i++) {
            long t = start + (end - MINUTE - start) * i / OBSERVATIONS;
            while (nextReload <= t) { svc.rules.reload(nextReload); nextReload += RELOAD_EVERY; }
            if (i % 12 == 0) {
                survey++;
                svc.qaQueue.addLast(new UploadedSurvey("SV-" + (300_000 + survey), crews[traffic.nextInt(crews.length)], pipeRefs[traffic.nextInt(PIPES)], t));
                svc.uploaded++;
            }
            while (!svc.qaQueue.isEmpty() && svc.qaQueue.peekFirst().uploadedAt() <= t - 45 * MINUTE) { svc.qaQueue.pollFirst(); svc.reviewed++; }
            String pipe = pipeRefs[traffic.nextInt(PIPES)];
            int from = traffic.nextInt(12);
            Observation o = new Observation("SV-" + (300_000 + survey), pipe, codes[traffic.nextInt(codes.length)], from, (from + traffic.nextInt(6)) % 12,
                    traffic.nextInt(9_000) / 100.0, traffic.nextInt(100));
            int grade = svc.rules.current.grade(o);
            svc.recent[(int) (svc.graded++ % RING)] = new GradedObservation(o.surveyId(), pipe, o.code(), grade, svc.rules.current.version(), t);
            if (i % 3 == 0) {
                String key = "report-" + pipeRefs[traffic.nextInt(6_000)];
                svc.reportRequests++;
                if (svc.reports.get(key) == null) svc.reports.put(key, new Report(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) grade;
            svc.frameBuffers.add(buf);
        }
        int gens = (int) (HOURS * HOUR / RELOAD_EVERY);
        Map<ClassLoader, Boolean> loaders = new IdentityHashMap<>();
        int moduleChecks = 0;
        for (HealthCheck c : HealthRegistry.CHECKS) {
            if (c.getClass().getClassLoader() instanceof GradingRulesLoader) { moduleChecks++; loaders.put(c.getClass().getClassLoader(), Boolean.TRUE); }
        }
        SUMMARY = (FIXED ? "FIXED " : "") + "catchments " + CATCHMENTS_BY_CODE.size() + " pipes " + svc.pipes.size() + " observations graded " + svc.graded
                + " reloads " + svc.rules.reloads + " current " + svc.rules.current.version() + " health checks " + HealthRegistry.CHECKS.size() + " (module checks "
                + moduleChecks + ", distinct loaders " + loaders.size() + ") surveys " + svc.uploaded + " reviewed " + svc.reviewed + " qa backlog " + svc.qaQueue.size()
                + " reports " + svc.reports.size() + " (requests " + svc.reportRequests + " evicted " + svc.reports.evicted + ") pool " + svc.frameBuffers.size();
        check(CATCHMENTS_BY_CODE.size() == CATCHMENTS && svc.pipes.size() == PIPES, "reference data / directory");
        check(svc.rules.reloads == gens && svc.graded == OBSERVATIONS, "reloads: " + svc.rules.reloads);
        check(moduleChecks == (FIXED ? 1 : gens) && loaders.size() == moduleChecks && HealthRegistry.CHECKS.size() == 4 + moduleChecks, "health checks: " + HealthRegistry.CHECKS.size());
        check(svc.rules.current.getClass().getClassLoader() instanceof GradingRulesLoader, "module defined by the rules loader");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.uploaded == svc.reviewed + svc.qaQueue.size() && svc.qaQueue.size() > 0, "qa backlog");
        check(svc.recent[RING - 1] != null, "ring");
        // the exact counts of the truth table (VALIDATION132.md)
        long[] got = {HealthRegistry.CHECKS.size(), svc.uploaded, svc.qaQueue.size(), svc.reports.evicted};
        long[] expect = {FIXED ? 5 : 64, 5_000, 375, 11_659};
        check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val132.fixed");
        simulate();
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
