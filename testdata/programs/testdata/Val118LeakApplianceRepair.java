// hprofscan-dump: name=val118-leak-appliancerepair jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val118-leak-appliancerepair-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 118 (written blind), LEAK: the service-request desk of a domestic appliance repair
 * network. Appliance-model reference data, the customer directory, a cache of exploded parts
 * diagrams at its cap, a pool of label buffers, a ring of recent visits and a technician dispatch
 * queue with its normal backlog. For every repair request it opens, the desk schedules a one-shot
 * "chase the technician" reminder five days ahead on ONE shared java.util.Timer; the task captures
 * its request and only sends if the request is still open. When a request is completed (most within
 * hours) the reminder is never cancelled, so the timer's queue keeps every request of the last five
 * days. See VALIDATION118.md.
 */
public final class Val118LeakApplianceRepair {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, CHASE_AFTER = 5 * DAY;
    static final int MODELS = 1_000, CUSTOMERS = 20_000, DIAGRAM_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS = 12_000;
    static boolean FIXED;

    record ApplianceModel(String code, String brand, double[] failureRateByAgeMonth) {}
    record Customer(String customerId, String postcode, String name, byte[] serviceHistory, long since) {}
    record Diagram(String key, byte[] svg, long at) {}
    record Visit(long requestId, String technician, String outcome, int minutes, long at) {}
    record Dispatch(long requestId, String technician, String postcode, long dueAt) {}

    static final class RepairRequest {
        final long requestId; final String customerId; final String modelCode; final String serialNo; final String fault; final byte[] diagnosticLog; final long openedAt;
        boolean completed; long completedAt; String resolution;
        RepairRequest(long requestId, String customerId, String modelCode, String serialNo, String fault, byte[] diagnosticLog, long openedAt) {
            this.requestId = requestId; this.customerId = customerId; this.modelCode = modelCode; this.serialNo = serialNo; this.fault = fault; this.diagnosticLog = diagnosticLog; this.openedAt = openedAt;
        }
    }

    /** Reminds the area coordinator if a request is still open after five days. */
    static final class ChaseTechnicianTask extends TimerTask {
        final RepairRequest request; final String coordinatorEmail;
        ChaseTechnicianTask(RepairRequest request, String coordinatorEmail) { this.request = request; this.coordinatorEmail = coordinatorEmail; }
        @Override public void run() { if (!request.completed) System.out.println("chase " + request.requestId + " -> " + coordinatorEmail); }
    }

    static final class FollowUps {
        final Timer timer = new Timer("repair-followups", true);
        final Map<Long, ChaseTechnicianTask> byRequest = new HashMap<>(); // used by the fixed code path only
        long scheduled, cancelled, purged;

        void schedule(RepairRequest r) {
            ChaseTechnicianTask task = new ChaseTechnicianTask(r, "coord-" + r.customerId.substring(2, 4) + "@repairs.example");
            timer.schedule(task, new Date(r.openedAt + CHASE_AFTER));
            scheduled++;
            if (FIXED) byRequest.put(r.requestId, task);
        }

        /** BUG: completing a request does not cancel its reminder (fixed: cancel, and purge now and then). */
        void completed(RepairRequest r) {
            if (!FIXED) return;
            ChaseTechnicianTask task = byRequest.remove(r.requestId);
            if (task != null && task.cancel()) cancelled++;
            if (cancelled % 200 == 0) purged += timer.purge();
        }
    }

    static final class DiagramCache extends LinkedHashMap<String, Diagram> {
        long evicted;
        DiagramCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Diagram> e) { if (size() > DIAGRAM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ApplianceModel> MODELS_BY_CODE = new HashMap<>();

    static final class RepairDesk {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerIds = new String[CUSTOMERS];
        final DiagramCache diagrams = new DiagramCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Visit[] visits = new Visit[RING];
        final ArrayDeque<Dispatch> dispatchQueue = new ArrayDeque<>();
        final Map<Long, RepairRequest> open = new HashMap<>();
        final FollowUps followUps = new FollowUps();
        long opened, completed, dispatched, visitCount;

        RepairRequest open(Random r, String[] modelCodes, long t) {
            String customerId = customerIds[r.nextInt(CUSTOMERS)];
            String model = modelCodes[r.nextInt(MODELS)];
            byte[] log = new byte[300 + r.nextInt(500)];
            r.nextBytes(log);
            RepairRequest req = new RepairRequest(7_700_000L + opened++, customerId, model, "SN" + Long.toHexString(r.nextLong() & 0xffff_ffffL).toUpperCase(),
                    FAULTS[r.nextInt(FAULTS.length)] + " (customer says: " + SAYS[r.nextInt(SAYS.length)] + ", " + (1 + r.nextInt(9)) + " years old)", log, t);
            open.put(req.requestId, req);
            followUps.schedule(req);
            String key = "diagram-" + model + "-" + (r.nextInt(4));
            if (diagrams.get(key) == null) diagrams.put(key, new Diagram(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(3) > 0) dispatchQueue.addLast(new Dispatch(req.requestId, "TECH-" + (100 + r.nextInt(240)), customers.get(customerId).postcode(), t + (10 + r.nextInt(50)) * MINUTE));
            return req;
        }

        void complete(RepairRequest req, Random r, long t) {
            req.completed = true; req.completedAt = t; req.resolution = RESOLUTIONS[r.nextInt(RESOLUTIONS.length)];
            open.remove(req.requestId);
            completed++;
            visits[(int) (visitCount++ % RING)] = new Visit(req.requestId, "TECH-" + (100 + r.nextInt(240)), req.resolution, 20 + r.nextInt(100), t);
            byte[] buf = labelBuffers.poll();
            buf[(int) (req.requestId % buf.length)] = (byte) req.fault.length();
            labelBuffers.add(buf);
            followUps.completed(req);
        }

        void dispatch(long t) {
            while (!dispatchQueue.isEmpty() && dispatchQueue.peekFirst().dueAt() <= t) { dispatchQueue.pollFirst(); dispatched++; }
        }
    }

    static final String[] FAULTS = {"E21 drain fault, water left in drum", "not heating, F07 on display", "door seal torn at 5 o'clock", "compressor clicks, freezer warm",
            "drum bearing noise on spin", "oven fan stuck, element smells", "dishwasher E24 pump blocked", "hob zone 3 dead after power cut", "ice maker leaking onto floor", "tumble dryer stops after 10 min"};
    static final String[] SAYS = {"started last week", "after moving house", "intermittent", "loud bang then nothing", "only on eco programme", "kids pressed every button"};
    static final String[] RESOLUTIONS = {"pump replaced", "filter cleared", "PCB reflashed", "seal replaced", "bearing kit fitted", "no fault found", "customer advised", "element replaced"};

    static RepairDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(118_030_001);
        String[] modelCodes = new String[MODELS];
        String[] brands = {"Bosch", "Miele", "Beko", "Hotpoint", "Samsung", "LG", "AEG", "Whirlpool"};
        for (int m = 0; m < MODELS; m++) {
            double[] rates = new double[72];
            for (int k = 0; k < rates.length; k++) rates[k] = rnd.nextDouble() * 0.03;
            modelCodes[m] = brands[m % brands.length].toUpperCase() + "-" + (10_000 + m * 13);
            MODELS_BY_CODE.put(modelCodes[m], new ApplianceModel(modelCodes[m], brands[m % brands.length], rates));
        }
        RepairDesk svc = new RepairDesk();
        SERVICE = svc;
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerIds[i] = "CU" + (5_100_000 + i * 9);
            svc.customers.put(svc.customerIds[i], new Customer(svc.customerIds[i], "M" + (1 + rnd.nextInt(40)) + " " + (1 + rnd.nextInt(9)) + "AB", "Customer " + i, new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(118_030_002);
        // requests close 15 minutes to 4 hours after opening (some stay open past the dump)
        java.util.PriorityQueue<long[]> closing = new java.util.PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (!closing.isEmpty() && closing.peek()[0] <= t) {
                long[] c = closing.poll();
                svc.complete(svc.open.get(c[1]), traffic, c[0]);
            }
            RepairRequest req = svc.open(traffic, modelCodes, t);
            closing.add(new long[] {t + (15 + traffic.nextInt(225)) * MINUTE, req.requestId});
            svc.dispatch(t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val118.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        RepairDesk svc = SERVICE;
        FollowUps f = svc.followUps;
        long queued = f.scheduled - f.purged;
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " customers " + svc.customers.size() + " requests " + svc.opened + " completed " + svc.completed + " open " + svc.open.size()
                + " reminders scheduled " + f.scheduled + " cancelled " + f.cancelled + " purged " + f.purged + " in timer queue " + queued
                + " diagrams " + svc.diagrams.size() + " (evicted " + svc.diagrams.evicted + ") pool " + svc.labelBuffers.size() + " visits " + svc.visitCount + " dispatched " + svc.dispatched + " dispatch backlog " + svc.dispatchQueue.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.opened == REQUESTS && svc.completed + svc.open.size() == REQUESTS && svc.visitCount == svc.completed, "requests");
        check(f.scheduled == REQUESTS, "reminders");
        if (FIXED) check(f.cancelled == svc.completed && f.byRequest.size() == svc.open.size(), "fixed: reminders of completed requests cancelled");
        else check(f.cancelled == 0 && f.purged == 0, "no reminder cancelled");
        check(svc.diagrams.size() == DIAGRAM_CAP && svc.diagrams.evicted > 0, "diagram cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.visits[RING - 1] != null, "ring");
        check(!svc.dispatchQueue.isEmpty(), "dispatch backlog");
    }
}
