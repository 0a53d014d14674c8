// hprofscan-dump: name=val32-healthy-studenthousing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val32-healthy-studenthousing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 32 (written blind), HEALTHY: the room-booking service of a university's student
 * accommodation office. Hall reference data, the student directory, a cache of rendered availability
 * pages at its cap, a ring of door-access events, a saga orchestrator whose registry keeps only the
 * sagas in flight (a finished saga is removed; the last 1,000 finished are kept in a ring for the admin
 * page), and a pool of payment-gateway connections whose borrow-site tracking (a Throwable per lease)
 * is removed on release. See VALIDATION32.md.
 */
public final class Val32HealthyStudentHousing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int HALLS = 800, STUDENTS = 26_000, PAGE_CAP = 2_000, GATEWAY_CONNECTIONS = 10, DOOR_RING = 16_384, FINISHED_RING = 1_000, HOURS = 10, SAGAS_PER_HOUR = 1_200, SWIPES_PER_SAGA = 7;

    record Hall(String code, String name, double[] occupancyByWeek) {}
    record Student(String studentNo, String course, byte[] record, long enrolledAt) {}
    record AvailabilityPage(String key, byte[] rendered, long at) {}
    record DoorSwipe(String cardId, String door, boolean granted, long at) {}
    record RoomHold(String holdRef, String hallCode, String room, int weeks, long rentCents, byte[] contractDraft) {}
    record DepositCharge(String paymentRef, long amountCents, String authCode) {}
    record KeycardIssue(String cardId, String hallCode, long validUntil) {}

    enum SagaState { RUNNING, COMPLETED, COMPENSATED }
    enum Step { HOLD_ROOM, CHARGE_DEPOSIT, ISSUE_KEYCARD }

    static final class Saga {
        final String id, studentNo; final long startedAt; final int failAt;
        final List<Runnable> compensations = new ArrayList<>();
        SagaState state = SagaState.RUNNING; int nextStep; long nextStepAt, endedAt;
        Saga(String id, String studentNo, long startedAt, int failAt) { this.id = id; this.studentNo = studentNo; this.startedAt = startedAt; this.failAt = failAt; this.nextStepAt = startedAt; }
    }

    static final class GatewayConnection {
        final String endpoint; final byte[] tlsBuffer = new byte[4_096]; long requests;
        GatewayConnection(String endpoint) { this.endpoint = endpoint; }
    }
    static final class Lease {
        final GatewayConnection connection; final String borrower; final long leasedAt;
        Lease(GatewayConnection connection, String borrower, long leasedAt) { this.connection = connection; this.borrower = borrower; this.leasedAt = leasedAt; }
    }
    static final class LeasedConnection {
        final Lease lease;
        LeasedConnection(Lease lease) { this.lease = lease; }
        void send(int bytes) { lease.connection.tlsBuffer[bytes % lease.connection.tlsBuffer.length]++; lease.connection.requests++; }
    }

    /** Payment-gateway connection pool; tracks the borrow site of every outstanding lease. */
    static final class GatewayPool {
        final List<GatewayConnection> all = new ArrayList<>();
        final ArrayDeque<GatewayConnection> idle = new ArrayDeque<>();
        final Map<Lease, Throwable> borrowSites = new HashMap<>();
        long borrows, releases;
        LeasedConnection borrow(String borrower, long at) {
            GatewayConnection c = idle.poll();
            if (c == null) throw new IllegalStateException("gateway pool exhausted");
            Lease lease = new Lease(c, borrower, at);
            borrowSites.put(lease, new Throwable("gateway connection borrowed by " + borrower));
            borrows++;
            return new LeasedConnection(lease);
        }
        void release(LeasedConnection handle) {
            if (borrowSites.remove(handle.lease) == null) throw new IllegalStateException("release of an unknown lease");
            idle.add(handle.lease.connection);
            releases++;
        }
    }

    static final class SupplierClient {
        long calls, undone;
        void call(Object request) { calls++; }
        void undo(Object request) { undone++; }
    }

    static final class SagaOrchestrator {
        /** The sagas in flight, by saga id. */
        static final Map<String, Saga> IN_FLIGHT = new HashMap<>();
        /** The last 1,000 finished sagas, for the admin page. */
        final ArrayDeque<Saga> recentlyFinished = new ArrayDeque<>();
        final PriorityQueue<Saga> timers = new PriorityQueue<>(Comparator.comparingLong((Saga s) -> s.nextStepAt));
        final SupplierClient rooms = new SupplierClient(), keycards = new SupplierClient();
        final GatewayPool gateway;
        long started, completed, compensated, compensationsRun;
        SagaOrchestrator(GatewayPool gateway) { this.gateway = gateway; }

        void begin(Saga s) { IN_FLIGHT.put(s.id, s); started++; timers.add(s); }

        void advance(Saga s, Random r, long at) {
            Step step = Step.values()[s.nextStep];
            if (s.nextStep == s.failAt) { compensate(s, at); return; }
            switch (step) {
                case HOLD_ROOM -> {
                    RoomHold hold = new RoomHold("RH-" + (40_000_000 + r.nextInt(50_000_000)), "H" + r.nextInt(HALLS), "R" + (100 + r.nextInt(600)), 30 + r.nextInt(22), 12_000 + r.nextInt(10_000), new byte[120 + r.nextInt(120)]);
                    SupplierClient client = rooms;
                    client.call(hold);
                    s.compensations.add(() -> client.undo(hold));
                }
                case CHARGE_DEPOSIT -> {
                    DepositCharge charge = new DepositCharge("PAY-" + Long.toHexString(0xD0_0000_0000L + r.nextInt(1 << 30)), 25_000 + r.nextInt(25_000), "AC" + (100_000 + r.nextInt(900_000)));
                    LeasedConnection c = gateway.borrow("deposit " + s.id, at);
                    try { c.send(300 + r.nextInt(300)); } finally { gateway.release(c); }
                    GatewayPool pool = gateway;
                    s.compensations.add(() -> {
                        LeasedConnection rc = pool.borrow("refund " + charge.paymentRef(), at);
                        try { rc.send(200); } finally { pool.release(rc); }
                    });
                }
                case ISSUE_KEYCARD -> {
                    KeycardIssue card = new KeycardIssue("KC" + (9_000_000 + r.nextInt(1_000_000)), "H" + r.nextInt(HALLS), at + 40L * 7 * 24 * HOUR);
                    SupplierClient client = keycards;
                    client.call(card);
                    s.compensations.add(() -> client.undo(card));
                }
            }
            s.nextStep++;
            if (s.nextStep == Step.values().length) { s.state = SagaState.COMPLETED; s.endedAt = at; completed++; finish(s); }
            else { s.nextStepAt = at + 15 * SECOND + r.nextInt(240) * SECOND; timers.add(s); }
        }

        void compensate(Saga s, long at) {
            for (int k = s.compensations.size() - 1; k >= 0; k--) { s.compensations.get(k).run(); compensationsRun++; }
            s.state = SagaState.COMPENSATED; s.endedAt = at; compensated++;
            finish(s);
        }

        void finish(Saga s) {
            IN_FLIGHT.remove(s.id);
            recentlyFinished.addLast(s);
            if (recentlyFinished.size() > FINISHED_RING) recentlyFinished.removeFirst();
        }
    }

    static final class PageCache extends LinkedHashMap<String, AvailabilityPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AvailabilityPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hall> HALLS_BY_CODE = new HashMap<>();

    static final class HousingService {
        final Map<String, Student> students = new HashMap<>();
        final PageCache pages = new PageCache();
        final DoorSwipe[] doorLog = new DoorSwipe[DOOR_RING];
        final GatewayPool gateway = new GatewayPool();
        final SagaOrchestrator orchestrator = new SagaOrchestrator(gateway);
        final List<LeasedConnection> settlementRuns = new ArrayList<>();
        long swipes;
    }

    static HousingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(32_060_001);
        String[] hallCodes = new String[HALLS];
        for (int h = 0; h < HALLS; h++) {
            double[] occ = new double[96];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            hallCodes[h] = "H" + h;
            HALLS_BY_CODE.put(hallCodes[h], new Hall(hallCodes[h], "Hall " + h, occ));
        }
        HousingService svc = new HousingService();
        SERVICE = svc;
        String[] studentNos = new String[STUDENTS];
        for (int s = 0; s < STUDENTS; s++) {
            studentNos[s] = "S" + (2_100_000 + s * 3);
            svc.students.put(studentNos[s], new Student(studentNos[s], "Course " + (s % 240), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int g = 0; g < GATEWAY_CONNECTIONS; g++) {
            GatewayConnection c = new GatewayConnection("https://gateway.example/pay/" + g);
            svc.gateway.all.add(c);
            svc.gateway.idle.add(c);
        }
        SagaOrchestrator orch = svc.orchestrator;
        Random traffic = new Random(32_060_002);
        Random steps = new Random(32_060_003);
        int sagas = SAGAS_PER_HOUR * HOURS;
        String[] doors = {"Main entrance", "Bike store", "Laundry", "Block A", "Block B", "Block C"};
        for (int i = 0; i < sagas; i++) {
            long t = start + (end - MINUTE - start) * i / sagas;
            while (!orch.timers.isEmpty() && orch.timers.peek().nextStepAt <= t) { Saga s = orch.timers.poll(); orch.advance(s, steps, s.nextStepAt); }
            int failAt = traffic.nextInt(8) == 0 ? 1 + traffic.nextInt(2) : -1;
            orch.begin(new Saga("BKG-" + Long.toHexString(0xB0_0000L + i * 131L), studentNos[traffic.nextInt(STUDENTS)], t, failAt));
            String key = "avail-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new AvailabilityPage(key, new byte[600 + traffic.nextInt(600)], t));
            for (int k = 0; k < SWIPES_PER_SAGA; k++) {
                svc.doorLog[(int) (svc.swipes++ % DOOR_RING)] = new DoorSwipe("KC" + (9_000_000 + traffic.nextInt(1_000_000)), doors[traffic.nextInt(doors.length)], traffic.nextInt(50) != 0, t + k);
            }
        }
        while (!orch.timers.isEmpty() && orch.timers.peek().nextStepAt < end) { Saga s = orch.timers.poll(); orch.advance(s, steps, s.nextStepAt); }
        // the nightly settlement export holds two gateway connections at the dump (legitimately outstanding)
        svc.settlementRuns.add(svc.gateway.borrow("settlement export part 1", end - 3 * MINUTE));
        svc.settlementRuns.add(svc.gateway.borrow("settlement export part 2", end - MINUTE));
        long running = 0;
        for (Saga s : SagaOrchestrator.IN_FLIGHT.values()) if (s.state == SagaState.RUNNING) running++;
        GatewayPool pool = svc.gateway;
        System.out.println("halls " + HALLS_BY_CODE.size() + " students " + svc.students.size() + " sagas started " + orch.started + " completed " + orch.completed + " compensated " + orch.compensated + " (compensations run " + orch.compensationsRun
                + ") in flight " + SagaOrchestrator.IN_FLIGHT.size() + " timers " + orch.timers.size() + " finished ring " + orch.recentlyFinished.size() + " gateway borrows " + pool.borrows + " releases " + pool.releases
                + " borrow sites " + pool.borrowSites.size() + " idle " + pool.idle.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") swipes " + svc.swipes);
        check(HALLS_BY_CODE.size() == HALLS && svc.students.size() == STUDENTS, "reference data / directory");
        check(orch.started == sagas && orch.completed + orch.compensated + SagaOrchestrator.IN_FLIGHT.size() == sagas, "saga accounting");
        check(running == SagaOrchestrator.IN_FLIGHT.size() && running == orch.timers.size() && running > 0 && running < 500, "registry holds only the sagas in flight: " + running);
        check(orch.recentlyFinished.size() == FINISHED_RING, "finished ring full");
        check(pool.borrowSites.size() == 2 && pool.releases == pool.borrows - 2 && pool.idle.size() == GATEWAY_CONNECTIONS - 2 && pool.borrows > 10_000, "borrow sites of outstanding leases only");
        check(svc.swipes == (long) sagas * SWIPES_PER_SAGA && svc.doorLog[DOOR_RING - 1] != null, "door ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
