// hprofscan-dump: name=val125-leak-cyclehire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val125-leak-cyclehire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 125 (written blind), LEAK: the rental back end of a city cycle-hire scheme. A
 * member unlocks a bike at a docking station; when the dock fails to release it (latch jam, bike
 * not detected, comms timeout, payment hold) the rental service calls the utility
 * DockDiagnostics.recordFailure, which appends the failure to a static ConcurrentLinkedQueue that
 * the support dashboard reads for its "failed releases in the last hour" panel. Nothing ever
 * removes an element: the queue holds every failure since the start.
 * Ordinary components beside it: docking-station reference data, the member directory, the bike
 * fleet, the open rentals, an LRU of journey receipts at its cap, a pool of receipt buffers, a
 * ring of recent journeys, the rebalancing van queue with its backlog. 10 simulated hours.
 * See VALIDATION125.md.
 */
public final class Val125LeakCycleHire {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STATIONS = 900, MEMBERS = 24_000, BIKES = 12_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192, UNLOCKS_PER_MINUTE = 200, HOURS = 10,
            VAN_LAG_MINUTES = 20, FIXED_KEEP = 500;
    static final String[] ERRORS = {"LATCH_JAM", "BIKE_NOT_DETECTED", "DOCK_COMMS_TIMEOUT", "PAYMENT_HOLD", "LOW_BATTERY_LOCKOUT"};
    static final String[] FIRMWARE = {"3.14.2", "3.14.3", "3.15.0", "4.0.1"};
    static boolean FIXED;

    record Station(String code, String name, int docks, double[] occupancyForecast) {}
    record Member(String memberId, String name, String email, byte[] paymentToken, long joinedAt) {}
    static final class Bike {
        final String frameId; final boolean electric; long lastServiceAt; int odometerKm; int batteryPct; String dockedAt;
        Bike(String frameId, boolean electric, long lastServiceAt, int odometerKm, String dockedAt) { this.frameId = frameId; this.electric = electric; this.lastServiceAt = lastServiceAt; this.odometerKm = odometerKm; this.dockedAt = dockedAt; this.batteryPct = electric ? 80 : -1; }
    }
    record Rental(String rentalId, String memberId, String bikeId, String fromStation, long startedAt, long dueBackAt) {}
    record Journey(String rentalId, String memberId, String bikeId, String fromStation, String toStation, long startedAt, long endedAt, int pence) {}
    record Receipt(String rentalId, byte[] pdf, long issuedAt) {}
    record VanTask(String taskId, String fromStation, String toStation, int bikes, long raisedAt) {}
    /** One failed release, as the dock reported it. */
    record ReleaseFailure(long at, String stationCode, String dockId, String bikeId, String memberId, String errorCode, String detail, byte[] lastFrame) {}

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    /** Utility class of the rental service: the support dashboard's failed-release panel reads it. */
    static final class DockDiagnostics {
        /** Every failed release. BUG: appended on each failure, never trimmed. */
        static final Queue<ReleaseFailure> RECENT_FAILURES = new ConcurrentLinkedQueue<>();
        static final AtomicInteger RECORDED = new AtomicInteger();
        private DockDiagnostics() {}

        static void recordFailure(ReleaseFailure f) {
            RECENT_FAILURES.add(f);
            RECORDED.incrementAndGet();
            if (FIXED) { // the fix: keep the last 500
                while (RECORDED.get() - FIXED_KEEP > 0 && RECENT_FAILURES.poll() != null) RECORDED.decrementAndGet();
            }
        }

        /** The dashboard panel: failures of the last hour by error code. */
        static Map<String, Integer> lastHour(long now) {
            Map<String, Integer> byCode = new HashMap<>();
            for (ReleaseFailure f : RECENT_FAILURES) if (f.at() > now - HOUR) byCode.merge(f.errorCode(), 1, Integer::sum);
            return byCode;
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final class RentalService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberIds = new String[MEMBERS];
        final Map<String, Bike> fleet = new HashMap<>();
        final Map<String, Rental> openRentals = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Journey[] journeys = new Journey[RING];
        final ArrayDeque<VanTask> vanQueue = new ArrayDeque<>();
        final List<List<String>> docked = new ArrayList<>(); // bikes docked per station index
        long unlocks, failures, rentals, returned, receiptViews, vanTasks, vanDone, dashboardReads, lastHourShown;
    }

    static RentalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(125_020_001);
        String[] stationCodes = new String[STATIONS];
        RentalService svc = new RentalService();
        SERVICE = svc;
        for (int s = 0; s < STATIONS; s++) {
            double[] f = new double[96];
            for (int j = 0; j < f.length; j++) f[j] = rnd.nextDouble();
            stationCodes[s] = "ST" + (2_000 + s * 3);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Docking station " + s + ", " + (s % 2 == 0 ? "Quay Street" : "Market Square"), 12 + rnd.nextInt(30), f));
            svc.docked.add(new ArrayList<>());
        }
        for (int m = 0; m < MEMBERS; m++) {
            svc.memberIds[m] = "CH-" + (3_100_000 + m * 7);
            svc.members.put(svc.memberIds[m], new Member(svc.memberIds[m], "Member " + rnd.nextInt(1_000_000), "rider" + m + "@example.net", new byte[150 + rnd.nextInt(150)],
                    end - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < BIKES; b++) {
            int s = rnd.nextInt(STATIONS);
            Bike bike = new Bike("BK" + (510_000 + b), rnd.nextInt(4) == 0, end - (long) (1 + rnd.nextInt(90)) * DAY, rnd.nextInt(12_000), stationCodes[s]);
            svc.fleet.put(bike.frameId, bike);
            svc.docked.get(s).add(bike.frameId);
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[16_384]);

        Random traffic = new Random(125_020_002), docks = new Random(125_020_003), extras = new Random(125_020_004);
        PriorityQueue<Rental> due = new PriorityQueue<>((a, b) -> a.dueBackAt() != b.dueBackAt() ? Long.compare(a.dueBackAt(), b.dueBackAt()) : a.rentalId().compareTo(b.rentalId()));
        for (long t = start; t < end; t += MINUTE) {
            while (!due.isEmpty() && due.peek().dueBackAt() <= t) {
                Rental r = due.poll();
                svc.openRentals.remove(r.rentalId());
                int to = traffic.nextInt(STATIONS);
                Bike bike = svc.fleet.get(r.bikeId());
                bike.dockedAt = stationCodes[to];
                bike.odometerKm += 1 + (int) ((r.dueBackAt() - r.startedAt()) / (6 * MINUTE));
                svc.docked.get(to).add(r.bikeId());
                Journey j = new Journey(r.rentalId(), r.memberId(), r.bikeId(), r.fromStation(), stationCodes[to], r.startedAt(), r.dueBackAt(), 150 + (int) ((r.dueBackAt() - r.startedAt()) / MINUTE) * 5);
                svc.journeys[(int) (svc.returned++ % RING)] = j;
                if (extras.nextInt(100) < 30) {
                    Receipt rc = svc.receipts.get(j.rentalId());
                    if (rc == null) svc.receipts.put(j.rentalId(), rc = new Receipt(j.rentalId(), new byte[300 + extras.nextInt(300)], t));
                    byte[] buf = svc.receiptBuffers.poll();
                    buf[extras.nextInt(buf.length)] = (byte) rc.pdf().length;
                    svc.receiptBuffers.add(buf);
                    svc.receiptViews++;
                }
            }
            for (int k = 0; k < UNLOCKS_PER_MINUTE; k++) {
                int s = traffic.nextInt(STATIONS);
                List<String> here = svc.docked.get(s);
                String memberId = svc.memberIds[traffic.nextInt(MEMBERS)];
                long at = t + k * 300L;
                if (here.isEmpty()) continue; // no bike: the app shows the nearest station instead
                svc.unlocks++;
                String bikeId = here.get(traffic.nextInt(here.size()));
                int dockNo = 1 + docks.nextInt(STATIONS_BY_CODE.get(stationCodes[s]).docks());
                if (docks.nextInt(100) < 9) {
                    String code = ERRORS[docks.nextInt(ERRORS.length)];
                    String fw = FIRMWARE[docks.nextInt(FIRMWARE.length)];
                    StringBuilder detail = new StringBuilder("dock ").append(stationCodes[s]).append('-').append(dockNo).append(" refused release of ").append(bikeId).append(": ").append(code)
                            .append(" (motor current ").append(docks.nextInt(1_500)).append(" mA, retry ").append(1 + docks.nextInt(3)).append("/3, fw ").append(fw).append(", rssi -")
                            .append(50 + docks.nextInt(50)).append(" dBm)");
                    int ctx = docks.nextInt(90);
                    if (ctx > 0) detail.append(" ctx=");
                    for (int c = 0; c < ctx; c++) detail.append(Character.forDigit(docks.nextInt(16), 16));
                    byte[] frame = new byte[64];
                    docks.nextBytes(frame);
                    DockDiagnostics.recordFailure(new ReleaseFailure(at, stationCodes[s], stationCodes[s] + "-" + dockNo, bikeId, memberId, code, detail.toString(), frame));
                    svc.failures++;
                    continue;
                }
                here.remove(bikeId);
                Rental r = new Rental("R" + (80_000_000 + svc.rentals++), memberId, bikeId, stationCodes[s], at, at + (5 + traffic.nextInt(31)) * MINUTE);
                svc.openRentals.put(r.rentalId(), r);
                due.add(r);
            }
            if ((t - start) % (5 * MINUTE) == 0) { // rebalancing: move bikes from the fullest sample to the emptiest
                int from = docks.nextInt(STATIONS), to = docks.nextInt(STATIONS);
                svc.vanQueue.addLast(new VanTask("VAN-" + (60_000 + svc.vanTasks++), stationCodes[from], stationCodes[to], 1 + docks.nextInt(12), t));
            }
            while (!svc.vanQueue.isEmpty() && svc.vanQueue.peekFirst().raisedAt() <= t - VAN_LAG_MINUTES * MINUTE) {
                svc.vanQueue.pollFirst();
                svc.vanDone++;
            }
            if ((t - start) % (5 * MINUTE) == 0) {
                Map<String, Integer> panel = DockDiagnostics.lastHour(t);
                svc.dashboardReads++;
                svc.lastHourShown = panel.values().stream().mapToInt(Integer::intValue).sum();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val125.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        RentalService svc = SERVICE;
        int queued = DockDiagnostics.RECORDED.get();
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " members " + svc.members.size() + " bikes " + svc.fleet.size() + " unlocks " + svc.unlocks
                + " failures " + svc.failures + " (queue " + queued + ", last hour " + svc.lastHourShown + ", dashboard reads " + svc.dashboardReads + ") rentals " + svc.rentals
                + " returned " + svc.returned + " open " + svc.openRentals.size() + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ", views " + svc.receiptViews
                + ") pool " + svc.receiptBuffers.size() + " van tasks " + svc.vanTasks + " done " + svc.vanDone + " backlog " + svc.vanQueue.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.members.size() == MEMBERS && svc.fleet.size() == BIKES, "reference data / directories");
        check(svc.unlocks == svc.failures + svc.rentals && svc.rentals == svc.returned + svc.openRentals.size(), "rentals");
        check(FIXED ? queued == FIXED_KEEP : queued == svc.failures, "failure queue");
        long expected = 9_975;
        check(svc.failures == expected, "failures " + svc.failures);
        check(svc.journeys[RING - 1] != null && svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "journey ring / receipt cache");
        check(svc.receiptBuffers.size() == POOL, "receipt buffer pool");
        check(svc.vanQueue.size() > 0 && svc.vanTasks == svc.vanDone + svc.vanQueue.size(), "van queue");
    }
}
