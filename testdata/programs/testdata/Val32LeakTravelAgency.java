// hprofscan-dump: name=val32-leak-travelagency jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val32-leak-travelagency-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
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
 * Validation set 32 (written blind), LEAK: the package-booking backend of an online travel agency.
 * Airport reference data, the customer directory, a cache of rendered itinerary pages at its cap, a
 * pool of e-ticket buffers, a ring of saga step events (audit), and a saga orchestrator: every package
 * booking (flight hold, hotel hold, optional car hold, card charge) is a saga registered in a static
 * registry by saga id; each step records a compensation action (a lambda capturing the step's request)
 * so a later failure can undo the earlier steps. Completed and compensated sagas are never removed
 * from the registry, so it holds every saga since start with all its compensations and requests.
 * See VALIDATION32.md.
 */
public final class Val32LeakTravelAgency {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int AIRPORTS = 1_100, CUSTOMERS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SAGAS_PER_HOUR = 1_400;
    static boolean FIXED;

    record Airport(String iata, String city, double[] slotLoadByHour) {}
    record Customer(String id, String email, byte[] travelProfile, long since) {}
    record ItineraryPage(String key, byte[] rendered, long at) {}
    record StepEvent(String sagaId, String step, String outcome, long at) {}
    record FlightHold(String pnr, String flightNo, String origin, String destination, int seats, long fareCents, byte[] manifest) {}
    record HotelHold(String confirmation, String hotelCode, int nights, long rateCents, byte[] guests) {}
    record CarHold(String voucher, String station, int days, long rateCents) {}
    record CardCharge(String paymentToken, long amountCents, String authCode) {}

    enum SagaState { RUNNING, COMPLETED, COMPENSATED }
    enum Step { HOLD_FLIGHT, HOLD_HOTEL, HOLD_CAR, CHARGE_CARD }

    static final class Saga {
        final String id, customerId; final long startedAt; final Step[] steps; final int failAt;
        final List<Runnable> compensations = new ArrayList<>();
        SagaState state = SagaState.RUNNING; int nextStep; long nextStepAt, endedAt; long amountCents;
        Saga(String id, String customerId, long startedAt, Step[] steps, int failAt) {
            this.id = id; this.customerId = customerId; this.startedAt = startedAt; this.steps = steps; this.failAt = failAt; this.nextStepAt = startedAt;
        }
    }

    static final class SupplierClient {
        final String name; long holds, releases;
        SupplierClient(String name) { this.name = name; }
        void hold(Object request) { holds++; }
        void release(Object request) { releases++; }
    }

    static final class PageCache extends LinkedHashMap<String, ItineraryPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ItineraryPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class SagaOrchestrator {
        /** Every saga by saga id. */
        static final Map<String, Saga> SAGAS = new HashMap<>();
        final PriorityQueue<Saga> timers = new PriorityQueue<>(Comparator.comparingLong((Saga s) -> s.nextStepAt));
        final SupplierClient airline = new SupplierClient("gds"), hotels = new SupplierClient("bedbank"), cars = new SupplierClient("car-broker"), payments = new SupplierClient("psp");
        final StepEvent[] audit = new StepEvent[RING];
        long auditWritten, started, completed, compensated, compensationsRun;

        void begin(Saga s) { SAGAS.put(s.id, s); started++; timers.add(s); }

        void advance(Saga s, Random r, long at) {
            Step step = s.steps[s.nextStep];
            if (s.nextStep == s.failAt) { record(s, step, "FAILED", at); compensate(s, at); return; }
            switch (step) {
                case HOLD_FLIGHT -> {
                    FlightHold hold = new FlightHold("PNR" + Long.toString(0x2A_0000_0000L + r.nextInt(1 << 30), 36).toUpperCase(), "VX" + (100 + r.nextInt(900)), "LHR", "A" + r.nextInt(AIRPORTS),
                            1 + r.nextInt(4), 9_000 + r.nextInt(90_000), new byte[80 + r.nextInt(80)]);
                    SupplierClient gds = airline;
                    gds.hold(hold);
                    s.amountCents += hold.fareCents();
                    s.compensations.add(() -> gds.release(hold));
                }
                case HOLD_HOTEL -> {
                    HotelHold hold = new HotelHold("HB-" + (70_000_000 + r.nextInt(20_000_000)), "H" + r.nextInt(9_000), 1 + r.nextInt(10), 6_000 + r.nextInt(30_000), new byte[40 + r.nextInt(40)]);
                    SupplierClient bedbank = hotels;
                    bedbank.hold(hold);
                    s.amountCents += hold.rateCents() * hold.nights();
                    s.compensations.add(() -> bedbank.release(hold));
                }
                case HOLD_CAR -> {
                    CarHold hold = new CarHold("CV" + (30_000_000 + r.nextInt(60_000_000)), "ST-" + r.nextInt(400), 1 + r.nextInt(10), 2_500 + r.nextInt(8_000));
                    SupplierClient broker = cars;
                    broker.hold(hold);
                    s.amountCents += hold.rateCents() * hold.days();
                    s.compensations.add(() -> broker.release(hold));
                }
                case CHARGE_CARD -> {
                    CardCharge charge = new CardCharge("tok_" + Long.toHexString(0x5EED_0000_0000L + r.nextInt(1 << 30)), s.amountCents, "AUTH" + (100_000 + r.nextInt(900_000)));
                    SupplierClient psp = payments;
                    psp.hold(charge);
                    s.compensations.add(() -> psp.release(charge));
                }
            }
            record(s, step, "OK", at);
            s.nextStep++;
            if (s.nextStep == s.steps.length) {
                s.state = SagaState.COMPLETED; s.endedAt = at; completed++;
                if (FIXED) SAGAS.remove(s.id);
                // BUG: a completed saga stays in SAGAS with its compensations
            } else {
                s.nextStepAt = at + 20 * SECOND + r.nextInt(160) * SECOND;
                timers.add(s);
            }
        }

        void compensate(Saga s, long at) {
            for (int k = s.compensations.size() - 1; k >= 0; k--) { s.compensations.get(k).run(); compensationsRun++; }
            s.state = SagaState.COMPENSATED; s.endedAt = at; compensated++;
            record(s, s.steps[s.failAt], "COMPENSATED", at);
            if (FIXED) SAGAS.remove(s.id);
            // BUG: a compensated saga stays in SAGAS too
        }

        void record(Saga s, Step step, String outcome, long at) { audit[(int) (auditWritten++ % RING)] = new StepEvent(s.id, step.name(), outcome, at); }
    }

    static final Map<String, Airport> AIRPORTS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Customer> customers = new HashMap<>();
        final PageCache itineraries = new PageCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final SagaOrchestrator orchestrator = new SagaOrchestrator();
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val32.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(32_030_001);
        for (int a = 0; a < AIRPORTS; a++) {
            double[] load = new double[64];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble();
            String code = "A" + a;
            AIRPORTS_BY_CODE.put(code, new Airport(code, "City " + a, load));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU" + (80_000_000 + c * 13);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "traveller" + c + "@example.com", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        SagaOrchestrator orch = svc.orchestrator;
        Random traffic = new Random(32_030_002);
        Random steps = new Random(32_030_003);
        int sagas = SAGAS_PER_HOUR * HOURS;
        long ticketsIssued = 0;
        for (int i = 0; i < sagas; i++) {
            long t = start + (end - MINUTE - start) * i / sagas;
            while (!orch.timers.isEmpty() && orch.timers.peek().nextStepAt <= t) {
                Saga s = orch.timers.poll();
                orch.advance(s, steps, s.nextStepAt);
                if (s.state == SagaState.COMPLETED) {
                    byte[] buf = svc.ticketBuffers.poll();
                    buf[(int) (ticketsIssued++ % buf.length)] = (byte) i;
                    svc.ticketBuffers.add(buf);
                }
            }
            Step[] plan = traffic.nextBoolean()
                    ? new Step[] {Step.HOLD_FLIGHT, Step.HOLD_HOTEL, Step.HOLD_CAR, Step.CHARGE_CARD}
                    : new Step[] {Step.HOLD_FLIGHT, Step.HOLD_HOTEL, Step.CHARGE_CARD};
            int failAt = traffic.nextInt(10) == 0 ? 1 + traffic.nextInt(plan.length - 1) : -1;
            orch.begin(new Saga("SAGA-" + Long.toHexString(0x51_0000_0000L + i * 7919L), customerIds[traffic.nextInt(CUSTOMERS)], t, plan, failAt));
            String key = "itin-" + traffic.nextInt(5_000);
            if (svc.itineraries.get(key) == null) svc.itineraries.put(key, new ItineraryPage(key, new byte[600 + traffic.nextInt(600)], t));
        }
        while (!orch.timers.isEmpty() && orch.timers.peek().nextStepAt < end) {
            Saga s = orch.timers.poll();
            orch.advance(s, steps, s.nextStepAt);
        }
        long inFlight = 0, kept = 0, keptFinished = 0, keptCompensations = 0;
        for (Saga s : SagaOrchestrator.SAGAS.values()) {
            kept++; keptCompensations += s.compensations.size();
            if (s.state == SagaState.RUNNING) inFlight++; else keptFinished++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "airports " + AIRPORTS_BY_CODE.size() + " customers " + svc.customers.size() + " sagas started " + orch.started + " completed " + orch.completed + " compensated " + orch.compensated
                + " (compensations run " + orch.compensationsRun + ") registry " + kept + " (in flight " + inFlight + ", finished " + keptFinished + ", compensation actions " + keptCompensations + ") timers " + orch.timers.size()
                + " holds " + orch.airline.holds + "/" + orch.hotels.holds + "/" + orch.cars.holds + "/" + orch.payments.holds + " audit " + orch.auditWritten
                + " itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ") pool " + svc.ticketBuffers.size());
        check(AIRPORTS_BY_CODE.size() == AIRPORTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(orch.started == sagas && orch.completed + orch.compensated + inFlight == sagas && inFlight == orch.timers.size() && inFlight > 0, "saga traffic");
        if (FIXED) check(kept == inFlight, "registry holds the sagas in flight: " + kept);
        else check(kept == sagas && keptFinished == orch.completed + orch.compensated, "registry keeps every saga: " + kept);
        check(orch.auditWritten > RING && orch.audit[RING - 1] != null, "audit ring");
        check(svc.itineraries.size() == PAGE_CAP && svc.itineraries.evicted > 0, "itinerary cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
