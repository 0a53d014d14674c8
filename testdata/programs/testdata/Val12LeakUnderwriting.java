// hprofscan-dump: name=val12-leak-underwriting jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val12-leak-underwriting-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 12 (written blind), LEAK (small): the underwriting service of a commercial
 * property insurer. Each broker gets a worksheet cache created on demand, kept in a static map of
 * maps (broker id to application id to worksheet); a worksheet is put when an application is
 * opened and is meant to be dropped when the application is decided, but the decision path removes
 * it from the wrong key (the policy number instead of the application id), so every decided
 * application's worksheet stays. 2,400 decided applications leak; 150 open applications are
 * legitimately in the caches. Much bigger beside it: the actuarial rate tables and the in-force
 * policy directory (loaded at startup), a hand-written capped cache of geocoded risk locations at
 * capacity, a decision-log ring and a fixed pool of rating threads with a scratch each. See
 * testdata/VALIDATION12.md.
 */
public final class Val12LeakUnderwriting {
    static final int RATE_TABLES = 1_800;
    static final int POLICIES = 60_000;
    static final int BROKERS = 240;
    static final int DECIDED = 2_400;
    static final int OPEN = 150;
    static final int GEO_CAP = 12_000;
    static final int LOG_RING = 2_048;
    static final int RATERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static UnderwritingService RUNNING;

    static final class RateTable {
        final String code; final String occupancy; final double[] factors; final long effectiveFrom;
        RateTable(String code, String occupancy, double[] factors, long effectiveFrom) { this.code = code; this.occupancy = occupancy; this.factors = factors; this.effectiveFrom = effectiveFrom; }
    }

    /** Reference data: actuarial rate tables by class code, loaded at startup. */
    static final class RateTables {
        static final Map<String, RateTable> BY_CODE = new HashMap<>();
    }

    static final class Policy {
        final String policyNumber; final String insuredName; final String brokerId; final long inceptionAt; final long expiryAt; final long sumInsuredCents; final String classCode;
        Policy(String policyNumber, String insuredName, String brokerId, long inceptionAt, long expiryAt, long sumInsuredCents, String classCode) { this.policyNumber = policyNumber; this.insuredName = insuredName; this.brokerId = brokerId; this.inceptionAt = inceptionAt; this.expiryAt = expiryAt; this.sumInsuredCents = sumInsuredCents; this.classCode = classCode; }
    }

    static final class RiskWorksheet {
        final String applicationId; final String brokerId; final String insuredName; final long openedAt; final double[] locationScores; final String[] exclusions; final StringBuilder notes;
        long decidedAt; String decision; String policyNumber;
        RiskWorksheet(String applicationId, String brokerId, String insuredName, long openedAt, double[] locationScores, String[] exclusions, StringBuilder notes) { this.applicationId = applicationId; this.brokerId = brokerId; this.insuredName = insuredName; this.openedAt = openedAt; this.locationScores = locationScores; this.exclusions = exclusions; this.notes = notes; }
    }

    /** Per-broker worksheet caches, created on demand. */
    static final class Worksheets {
        /** THE LEAK: decided applications' worksheets are never removed (removed under the policy number). */
        static final Map<String, Map<String, RiskWorksheet>> BY_BROKER = new ConcurrentHashMap<>();
        static Map<String, RiskWorksheet> forBroker(String brokerId) { return BY_BROKER.computeIfAbsent(brokerId, b -> new HashMap<>()); }
    }

    static final class GeoRisk { final String address; final double lat; final double lon; final int floodZone; final int quakeZone; final long geocodedAt;
        GeoRisk(String address, double lat, double lon, int floodZone, int quakeZone, long geocodedAt) { this.address = address; this.lat = lat; this.lon = lon; this.floodZone = floodZone; this.quakeZone = quakeZone; this.geocodedAt = geocodedAt; } }

    /** A hand-written capped cache of geocoded locations (FIFO eviction). */
    static final class GeoCache {
        final int capacity;
        final Map<String, GeoRisk> byAddress = new HashMap<>();
        final ArrayDeque<String> fifo = new ArrayDeque<>();
        long evictions;
        GeoCache(int capacity) { this.capacity = capacity; }
        void put(GeoRisk g) {
            if (byAddress.put(g.address, g) == null) {
                fifo.addLast(g.address);
                while (byAddress.size() > capacity) { byAddress.remove(fifo.removeFirst()); evictions++; }
            }
        }
    }

    static final class DecisionLogSlot { long at; String applicationId; String decision; int premiumCents; }

    static final class UnderwritingService {
        final Map<String, Policy> inForce = new LinkedHashMap<>();
        final GeoCache geo = new GeoCache(GEO_CAP);
        final DecisionLogSlot[] log = new DecisionLogSlot[LOG_RING];
        long logged;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor raters = new ThreadPoolExecutor(RATERS, RATERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "rating-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[16_384]);
        final Properties config = new Properties();
        UnderwritingService() { for (int i = 0; i < LOG_RING; i++) log[i] = new DecisionLogSlot(); }
        RiskWorksheet open(String brokerId, String insured, long t, Random rnd) {
            double[] scores = new double[12 + rnd.nextInt(20)];
            for (int k = 0; k < scores.length; k++) scores[k] = rnd.nextDouble();
            StringBuilder notes = new StringBuilder();
            for (int k = 0, n = 3 + rnd.nextInt(5); k < n; k++) notes.append("Survey note ").append(k).append(": sprinklers ").append(rnd.nextBoolean() ? "present" : "absent").append(", construction class ").append(rnd.nextInt(6)).append(". ");
            RiskWorksheet w = new RiskWorksheet(UUID.randomUUID().toString(), brokerId, insured, t, scores, new String[] {"flood", rnd.nextBoolean() ? "terrorism" : "cyber"}, notes);
            Worksheets.forBroker(brokerId).put(w.applicationId, w);
            return w;
        }
        void decide(RiskWorksheet w, long t, Random rnd, boolean fixed) {
            w.decidedAt = t; w.decision = rnd.nextInt(5) == 0 ? "DECLINED" : "BOUND"; w.policyNumber = "CP-" + (900_000 + rnd.nextInt(99_999));
            Worksheets.forBroker(w.brokerId).remove(fixed ? w.applicationId : w.policyNumber);
            DecisionLogSlot s = log[(int) (logged++ % LOG_RING)];
            s.at = t; s.applicationId = w.applicationId; s.decision = w.decision; s.premiumCents = 10_000 + rnd.nextInt(5_000_000);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val12.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(12_020_001);
        UnderwritingService svc = new UnderwritingService();
        RUNNING = svc;
        for (int i = 0; i < 75; i++) svc.config.setProperty("uw.authority." + i, "limit=" + (i * 250_000));
        String[] occ = {"office", "retail", "warehouse", "manufacturing", "hospitality", "healthcare"};
        for (int i = 0; i < RATE_TABLES; i++) {
            double[] f = new double[64];
            for (int k = 0; k < f.length; k++) f[k] = 0.5 + rnd.nextDouble();
            String code = "CC" + (1_000 + i);
            RateTables.BY_CODE.put(code, new RateTable(code, occ[i % occ.length], f, now - DAY * (30 + rnd.nextInt(700))));
        }
        for (int i = 0; i < POLICIES; i++) {
            String pn = "CP-" + (100_000 + i);
            long inc = now - DAY * rnd.nextInt(365);
            svc.inForce.put(pn, new Policy(pn, "Insured Company " + i + " Ltd", "BR" + (i % BROKERS), inc, inc + 365 * DAY, 1_000_000L * (1 + rnd.nextInt(5_000)), "CC" + (1_000 + rnd.nextInt(RATE_TABLES))));
        }
        CyclicBarrier warm = new CyclicBarrier(RATERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RATERS; w++) fs.add(svc.raters.submit(() -> { UnderwritingService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: applications opened over 10 hours, each decided 5-60 minutes later; the last 150
        // opened are still open at the dump. Each application geocodes 3-8 locations.
        List<RiskWorksheet> pending = new ArrayList<>();
        int total = DECIDED + OPEN;
        int decided = 0, geocoded = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (now - 3 * MINUTE - start) * i / total;
            RiskWorksheet w = svc.open("BR" + rnd.nextInt(BROKERS), "Applicant " + i + " GmbH", t, rnd);
            pending.add(w);
            for (int k = 0, n = 3 + rnd.nextInt(6); k < n; k++, geocoded++) svc.geo.put(new GeoRisk(i + "-" + k + " Industrial Road " + rnd.nextInt(999), rnd.nextDouble() * 60, rnd.nextDouble() * 30, rnd.nextInt(5), rnd.nextInt(4), t));
            if (i < DECIDED) { svc.decide(w, t + (5 + rnd.nextInt(55)) * MINUTE, rnd, fixed); decided++; }
        }
        int openIn = 0, decidedIn = 0, caches = Worksheets.BY_BROKER.size();
        for (Map<String, RiskWorksheet> m : Worksheets.BY_BROKER.values()) for (RiskWorksheet w : m.values()) { if (w.decidedAt > 0) decidedIn++; else openIn++; }
        int leaked = fixed ? 0 : DECIDED;
        System.out.println("rate tables " + RateTables.BY_CODE.size() + " policies " + svc.inForce.size() + " broker caches " + caches + " worksheets decided " + decidedIn + " open " + openIn
                + " geo " + svc.geo.byAddress.size() + " (evictions " + svc.geo.evictions + ", geocoded " + geocoded + ") log " + svc.logged);
        check(RateTables.BY_CODE.size() == RATE_TABLES && svc.inForce.size() == POLICIES, "reference data");
        check(decidedIn == leaked && openIn == OPEN && decided == DECIDED, "worksheets");
        check(svc.geo.byAddress.size() == GEO_CAP && svc.geo.evictions > 0 && svc.logged == DECIDED && svc.logged > LOG_RING && svc.raters.getPoolSize() == RATERS, "geo/log/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
