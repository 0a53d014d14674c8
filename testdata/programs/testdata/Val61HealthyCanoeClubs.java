// hprofscan-dump: name=val61-healthy-canoeclubs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val61-healthy-canoeclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 61 (written blind), HEALTHY: the boat-rental service of a federation of canoe
 * clubs. Club reference data, the member directory, a cache of rendered river-condition pages at
 * its cap, a pool of waiver-PDF buffers, a ring of boat check-outs, a saga coordinator for rentals
 * (reserve boat, charge, issue paddle-locker code, notify) that removes every finished saga
 * (completed or compensated) so that it holds only running ones, and a per-thread diagnostic
 * context on the request thread that keeps only the last 64 breadcrumbs (a ring, for crash
 * reports). See VALIDATION61.md.
 */
public final class Val61HealthyCanoeClubs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLUBS = 1_000, MEMBERS = 28_000, PAGE_CAP = 2_000, POOL = 10, RING = 8_192, HOURS = 10, RENTALS_PER_HOUR = 1_200, CRUMB_RING = 64;
    static final String[] STEPS = {"RESERVE_BOAT", "CHARGE_CARD", "ISSUE_LOCKER_CODE", "NOTIFY_MEMBER"};

    record Club(String code, String river, double[] waterLevelByWeek) {}
    record Member(String memberId, String clubCode, String grade, byte[] certifications, long joinedAt) {}
    record RiverPage(String key, byte[] rendered, long at) {}
    record CheckOut(String memberId, String boatId, long at) {}
    record StepLog(String step, String outcome, long at, String note) {}
    record Breadcrumb(String message, long at) {}

    static final class SagaState {
        final String sagaId, rentalId; final long startedAt; final byte[] context;
        final List<StepLog> log = new ArrayList<>(5);
        String status = "RUNNING"; int nextStep;
        SagaState(String sagaId, String rentalId, long startedAt, byte[] context) { this.sagaId = sagaId; this.rentalId = rentalId; this.startedAt = startedAt; this.context = context; }
    }

    /** Holds running sagas only: every finished saga (completed or compensated) is removed. */
    static final class SagaCoordinator {
        final Map<String, SagaState> running = new HashMap<>();
        long started, completed, compensated, maxRunning;
        void begin(SagaState s) { running.put(s.sagaId, s); started++; maxRunning = Math.max(maxRunning, running.size()); }
        void finish(SagaState s, boolean ok) { s.status = ok ? "COMPLETED" : "COMPENSATED"; if (ok) completed++; else compensated++; running.remove(s.sagaId); }
    }

    /** Per-thread breadcrumb ring: only the last 64 are kept. */
    static final class CrumbRing {
        final Breadcrumb[] items = new Breadcrumb[CRUMB_RING];
        long written;
        void add(Breadcrumb b) { items[(int) (written++ % CRUMB_RING)] = b; }
    }
    static final ThreadLocal<CrumbRing> CRUMBS = ThreadLocal.withInitial(CrumbRing::new);

    static final class PageCache extends LinkedHashMap<String, RiverPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RiverPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class RentalService {
        final Map<String, Member> members = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> waiverBuffers = new ArrayDeque<>();
        final CheckOut[] checkOuts = new CheckOut[RING];
        long checkOutsWritten;
        final SagaCoordinator sagas = new SagaCoordinator();
    }

    static RentalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(61_060_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] lvl = new double[80];
            for (int k = 0; k < lvl.length; k++) lvl[k] = rnd.nextDouble() * 3;
            clubCodes[c] = "CC-" + (700 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "River " + (c % 120), lvl));
        }
        RentalService svc = new RentalService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        String[] grades = {"novice", "2-star", "3-star", "4-star", "coach"};
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "M" + (3_100_000 + m * 17);
            svc.members.put(memberIds[m], new Member(memberIds[m], clubCodes[rnd.nextInt(CLUBS)], grades[rnd.nextInt(grades.length)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.waiverBuffers.add(new byte[32_768]);
        Random traffic = new Random(61_060_002);
        int rentals = RENTALS_PER_HOUR * HOURS;
        SagaCoordinator co = svc.sagas;
        // sagas in flight, ordered by the time of their next step
        java.util.PriorityQueue<long[]> pendingSteps = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<Long, SagaState> byIndex = new HashMap<>();
        Map<Long, Integer> failAt = new HashMap<>();
        int inFlight = 0;
        for (int i = 0; i < rentals; i++) {
            long t = start + (end - MINUTE - start) * i / rentals;
            // advance every saga whose next step is due before this request
            while (!pendingSteps.isEmpty() && pendingSteps.peek()[0] <= t) advance(co, pendingSteps, byIndex, failAt, traffic);
            CrumbRing crumbs = CRUMBS.get();
            String member = memberIds[traffic.nextInt(MEMBERS)];
            crumbs.add(new Breadcrumb("rental request from " + member + " at club " + clubCodes[traffic.nextInt(CLUBS)], t));
            SagaState s = new SagaState("rent-" + Long.toHexString(0x4c00_0000L + i * 29L), "RNT-" + (2_200_000 + i), t, new byte[60 + traffic.nextInt(60)]);
            co.begin(s);
            byIndex.put((long) i, s);
            failAt.put((long) i, traffic.nextInt(15) == 0 ? traffic.nextInt(STEPS.length) : -1);
            pendingSteps.add(new long[] {t + 15_000L + traffic.nextInt(60_000), i});
            crumbs.add(new Breadcrumb("saga " + s.sagaId + " started", t + 5));
            svc.checkOuts[(int) (svc.checkOutsWritten++ % RING)] = new CheckOut(member, "BOAT-" + traffic.nextInt(3_000), t);
            String key = "river-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new RiverPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.waiverBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.waiverBuffers.add(buf);
        }
        while (!pendingSteps.isEmpty() && pendingSteps.peek()[0] < end) advance(co, pendingSteps, byIndex, failAt, traffic);
        inFlight = pendingSteps.size();
        CrumbRing crumbs = CRUMBS.get();
        System.out.println("clubs " + CLUBS_BY_CODE.size() + " members " + svc.members.size() + " sagas running " + co.running.size() + " (started " + co.started + ", completed " + co.completed + ", compensated " + co.compensated + ", max running " + co.maxRunning
                + ") breadcrumbs written " + crumbs.written + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.waiverBuffers.size() + " check-outs " + svc.checkOutsWritten);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.members.size() == MEMBERS, "reference data / directory");
        check(co.started == rentals && co.running.size() == inFlight && co.started == co.completed + co.compensated + inFlight && inFlight < 200, "sagas: only running ones held: " + co.running.size());
        check(crumbs.written == 2L * rentals + co.compensated && crumbs.items[CRUMB_RING - 1] != null, "breadcrumb ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.waiverBuffers.size() == POOL, "pool");
        check(svc.checkOutsWritten == rentals && svc.checkOuts[RING - 1] != null, "ring");
        byIndex.clear(); failAt.clear(); pendingSteps.clear();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Runs the next step of the saga whose step is due first. */
    static void advance(SagaCoordinator co, java.util.PriorityQueue<long[]> pending, Map<Long, SagaState> byIndex, Map<Long, Integer> failAt, Random r) {
        long[] due = pending.poll();
        long at = due[0], idx = due[1];
        SagaState s = byIndex.get(idx);
        int k = s.nextStep;
        if (failAt.get(idx) == k) {
            s.log.add(new StepLog(STEPS[k], "FAILED", at, "declined"));
            for (int u = k - 1; u >= 0; u--) s.log.add(new StepLog("UNDO_" + STEPS[u], "OK", at + 1_000L * (k - u), "compensated"));
            co.finish(s, false);
            CRUMBS.get().add(new Breadcrumb("saga " + s.sagaId + " compensated at " + STEPS[k], at));
            byIndex.remove(idx); failAt.remove(idx);
            return;
        }
        s.log.add(new StepLog(STEPS[k], "OK", at, STEPS[k].toLowerCase() + " ref " + (100_000 + r.nextInt(900_000))));
        s.nextStep++;
        if (s.nextStep == STEPS.length) { co.finish(s, true); byIndex.remove(idx); failAt.remove(idx); return; }
        pending.add(new long[] {at + 15_000L + r.nextInt(60_000), idx});
    }
}
