// hprofscan-dump: name=val61-leak-solarinstalls jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val61-leak-solarinstalls-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 61 (written blind), LEAK: the order service of a rooftop-solar installer. Depot
 * reference data, the site-survey directory, a cache of rendered install plans at its cap, a pool
 * of PDF buffers, a ring of crew check-ins, and a saga coordinator that runs every order through
 * five steps (reserve panels, book crew, charge deposit, schedule inspection, notify customer) and
 * keeps each saga's state and step log in a map while it runs. Only sagas that ran a compensation
 * are removed from the map; successful sagas are marked COMPLETED and stay forever.
 * See VALIDATION61.md.
 */
public final class Val61LeakSolarInstalls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEPOTS = 1_100, SITES = 24_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, ORDERS_PER_HOUR = 1_000;
    static final String[] STEPS = {"RESERVE_PANELS", "BOOK_CREW", "CHARGE_DEPOSIT", "SCHEDULE_INSPECTION", "NOTIFY_CUSTOMER"};
    static boolean FIXED;

    record Depot(String code, String region, double[] irradianceByWeek) {}
    record SiteSurvey(String siteId, String depotCode, int roofPitch, byte[] survey, long surveyedAt) {}
    record InstallPlan(String key, byte[] rendered, long at) {}
    record CrewCheckIn(String crewId, String siteId, long at) {}
    record StepLog(String step, String outcome, long at, String note) {}

    static final class SagaState {
        final String sagaId, orderId;
        final long startedAt;
        final byte[] context;
        final List<StepLog> log = new ArrayList<>(6);
        String status = "RUNNING";
        int nextStep;
        long updatedAt;
        SagaState(String sagaId, String orderId, long startedAt, byte[] context) { this.sagaId = sagaId; this.orderId = orderId; this.startedAt = startedAt; this.context = context; this.updatedAt = startedAt; }
    }

    static final class SagaCoordinator {
        final Map<String, SagaState> sagas = new HashMap<>();
        long started, completed, compensated;
        void begin(SagaState s) { sagas.put(s.sagaId, s); started++; }
        void stepDone(SagaState s, String step, long at, String note) { s.log.add(new StepLog(step, "OK", at, note)); s.nextStep++; s.updatedAt = at; }
        void complete(SagaState s, long at) {
            s.status = "COMPLETED"; s.updatedAt = at; completed++;
            if (FIXED) sagas.remove(s.sagaId); // the fix: a finished saga is handed to the order archive
            // BUG: a completed saga is never removed from the map
        }
        void compensate(SagaState s, String failedStep, long at) {
            s.log.add(new StepLog(failedStep, "FAILED", at, "downstream refused"));
            for (int k = s.nextStep - 1; k >= 0; k--) s.log.add(new StepLog("UNDO_" + STEPS[k], "OK", at + (s.nextStep - k) * 1_000L, "compensated"));
            s.status = "COMPENSATED"; compensated++;
            sagas.remove(s.sagaId);
        }
    }

    static final class PlanCache extends LinkedHashMap<String, InstallPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, InstallPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, SiteSurvey> surveys = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final CrewCheckIn[] checkIns = new CrewCheckIn[RING];
        long checkInsWritten;
        final SagaCoordinator sagas = new SagaCoordinator();
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val61.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(61_030_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] irr = new double[96];
            for (int k = 0; k < irr.length; k++) irr[k] = rnd.nextDouble() * 8;
            depotCodes[d] = "DEP-" + (200 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), irr));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] siteIds = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            siteIds[s] = "SITE" + (70_000_000 + s * 13);
            svc.surveys.put(siteIds[s], new SiteSurvey(siteIds[s], depotCodes[rnd.nextInt(DEPOTS)], 10 + rnd.nextInt(40), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(61_030_002);
        int orders = ORDERS_PER_HOUR * HOURS;
        int inFlight = 0;
        SagaCoordinator co = svc.sagas;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            String site = siteIds[traffic.nextInt(SITES)];
            SagaState s = new SagaState("saga-" + Long.toHexString(0x3b00_0000L + i * 31L), "ORD-" + (5_500_000 + i), t, new byte[60 + traffic.nextInt(60)]);
            co.begin(s);
            int failAt = traffic.nextInt(12) == 0 ? traffic.nextInt(STEPS.length) : -1;
            long at = t;
            boolean finished = false;
            for (int k = 0; k < STEPS.length; k++) {
                at += 20_000L + traffic.nextInt(100_000);
                if (at >= end) break; // still running at the dump
                if (k == failAt) { co.compensate(s, STEPS[k], at); finished = true; break; }
                co.stepDone(s, STEPS[k], at, STEPS[k].toLowerCase() + " for " + site + " ref " + (traffic.nextInt(900_000) + 100_000));
                if (k == STEPS.length - 1) { co.complete(s, at); finished = true; }
            }
            if (!finished) inFlight++;
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CrewCheckIn("CREW-" + traffic.nextInt(400), site, t);
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CrewCheckIn("CREW-" + traffic.nextInt(400), site, t + 1_000L);
            String key = "plan-" + traffic.nextInt(4_000);
            if (svc.plans.get(key) == null) svc.plans.put(key, new InstallPlan(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        int running = 0, completedHeld = 0;
        for (SagaState s : co.sagas.values()) { if (s.status.equals("RUNNING")) running++; else if (s.status.equals("COMPLETED")) completedHeld++; }
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " surveys " + svc.surveys.size() + " sagas held " + co.sagas.size() + " (started " + co.started + ", completed " + co.completed + ", compensated " + co.compensated + ", running " + running
                + ", completed held " + completedHeld + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.pdfBuffers.size() + " check-ins " + svc.checkInsWritten);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.surveys.size() == SITES, "reference data / directory");
        check(co.started == orders && co.started == co.completed + co.compensated + inFlight && running == inFlight, "saga accounting");
        if (FIXED) check(co.sagas.size() == inFlight, "only running sagas held: " + co.sagas.size());
        else check(co.sagas.size() == inFlight + co.completed && completedHeld == co.completed, "completed sagas kept: " + co.sagas.size());
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.checkInsWritten == 2L * orders && svc.checkIns[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
