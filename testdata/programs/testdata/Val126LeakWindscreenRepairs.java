// hprofscan-dump: name=val126-leak-windscreenrepairs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val126-leak-windscreenrepairs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val126-leak-windscreenrepairs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val126-leak-windscreenrepairs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 126 (written blind), LEAK (growth series): the dispatch service of a mobile
 * windscreen repair and replacement company. Depot reference data, the glass parts catalogue, the
 * technician directory, a cache of vehicle (number plate) lookups at its cap, a pool of photo
 * buffers, a ring of job events, the open jobs on the dispatch board, and an invoice queue with its
 * normal backlog. Every dispatched job gets a one-shot "overrun escalation" on the escalation
 * scheduler (a ScheduledThreadPoolExecutor with remove-on-cancel), due 12 hours after dispatch (the
 * next morning's dispatcher): if the job is still open then, it is escalated. The future is kept in
 * the job and cancelled when the customer cancels; the happy path (the technician completes the job)
 * never cancels it, so the queue keeps a task, and through it the whole job with its damage photo,
 * for every job completed since start. See VALIDATION126.md.
 */
public final class Val126LeakWindscreenRepairs {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, ESCALATE_AFTER = 12 * HOUR;
    static final int DEPOTS = 400, PARTS = 16_000, TECHNICIANS = 1_500, LOOKUP_CAP = 2_000, POOL = 8, RING = 2_048, JOBS_PER_HOUR = 1_000;
    static boolean FIXED;

    static final String[] WORK = {"chip repair", "crack repair", "windscreen replacement", "rear screen replacement", "door glass replacement"};
    static final String[] FEATURES = {"rain sensor", "heated", "HUD", "acoustic", "camera bracket", "solar coated", "plain"};
    static final String[] STREETS = {"High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road", "Queens Drive", "The Green"};

    record Depot(String code, String town, double[] vanUtilisation) {}
    record GlassPart(String partNo, String fits, String features, byte[] spec, int priceGbp) {}
    record Technician(String id, String name, String depotCode, boolean adasCalibration) {}
    record VehicleData(String vrm, byte[] record, long lookedUpAt) {}
    record JobEvent(String jobId, String event, String technicianId, long at) {}
    record Invoice(String invoiceNo, String jobId, String insurer, int amountPence, long completedAt) {}
    record DamageReport(String notes, byte[] photoThumbnail, int chipCount, int crackMm) {}

    static final class RepairJob {
        final String jobId, vrm, customer, postcode, address, partNo, technicianId, work;
        final DamageReport damage;
        final long dispatchedAt;
        long dueAt, completedAt, cancelledAt;
        boolean willCancel;
        ScheduledFuture<?> escalation;
        RepairJob(String jobId, String vrm, String customer, String postcode, String address, String partNo, String technicianId, String work, DamageReport damage, long dispatchedAt) {
            this.jobId = jobId; this.vrm = vrm; this.customer = customer; this.postcode = postcode; this.address = address; this.partNo = partNo;
            this.technicianId = technicianId; this.work = work; this.damage = damage; this.dispatchedAt = dispatchedAt;
        }
        boolean open() { return completedAt == 0 && cancelledAt == 0; }
    }

    /** Runs 12 hours after dispatch: escalates the job to the morning dispatcher if it is still open. */
    static final class OverrunEscalation implements Runnable {
        final RepairJob job;
        OverrunEscalation(RepairJob job) { this.job = job; }
        @Override public void run() { if (job.open()) System.out.println("escalate " + job.jobId + " (" + job.work + ", " + job.postcode + ")"); }
    }

    static final class VehicleLookupCache extends LinkedHashMap<String, VehicleData> {
        long evicted;
        VehicleLookupCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VehicleData> e) { if (size() > LOOKUP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, GlassPart> parts = new HashMap<>();
        final String[] partNos = new String[PARTS];
        final Map<String, Technician> technicians = new HashMap<>();
        final String[] technicianIds = new String[TECHNICIANS];
        final VehicleLookupCache vehicles = new VehicleLookupCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final JobEvent[] events = new JobEvent[RING];
        final Map<String, RepairJob> openJobs = new HashMap<>();
        /** The dispatch board: open jobs by the time of their next step (arrival + completion, or cancellation). */
        final PriorityQueue<RepairJob> board = new PriorityQueue<>(Comparator.comparingLong((RepairJob j) -> j.dueAt).thenComparing(j -> j.jobId));
        final ArrayDeque<Invoice> invoiceQueue = new ArrayDeque<>();
        final ScheduledThreadPoolExecutor escalations;
        long dispatched, completed, cancelled, invoiced, eventCount, lookups, lookupHits;

        DispatchService() {
            escalations = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "job-escalations"); t.setDaemon(true); return t; });
            escalations.setRemoveOnCancelPolicy(true);
            // the dispatch board's wallboard refresh (first run 10 minutes after start)
            escalations.scheduleAtFixedRate(() -> { }, 10, 10, TimeUnit.MINUTES);
        }

        void event(String jobId, String what, String tech, long t) { events[(int) (eventCount++ % RING)] = new JobEvent(jobId, what, tech, t); }

        void dispatch(Random r, long t, long now) {
            // the customer's plate, plus the plates of the online quotes that did not turn into a job
            String vrm = null;
            for (int q = 1 + r.nextInt(3); q > 0; q--) {
                vrm = plate(r);
                lookups++;
                if (vehicles.get(vrm) != null) lookupHits++;
                else vehicles.put(vrm, new VehicleData(vrm, new byte[400 + r.nextInt(400)], t));
            }
            String work = WORK[r.nextInt(WORK.length)];
            DamageReport damage = new DamageReport(work + " on " + (r.nextBoolean() ? "driver" : "passenger") + " side, " + (1 + r.nextInt(4)) + " chips in the A-zone, customer reports "
                    + (r.nextBoolean() ? "stone strike on the motorway" : "crack spreading from the edge after frost"),
                    new byte[1_000 + r.nextInt(1_000)], r.nextInt(5), r.nextInt(300));
            String postcode = (char) ('A' + r.nextInt(26)) + "" + (char) ('A' + r.nextInt(26)) + (1 + r.nextInt(40)) + " " + r.nextInt(10) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
            String id = "WR-" + (52_000_000 + dispatched);
            RepairJob job = new RepairJob(id, vrm, "Customer " + r.nextInt(900_000), postcode, (1 + r.nextInt(180)) + " " + STREETS[r.nextInt(STREETS.length)],
                    partNos[r.nextInt(PARTS)], technicianIds[r.nextInt(TECHNICIANS)], work, damage, t);
            dispatched++;
            job.escalation = escalations.schedule(new OverrunEscalation(job), t + ESCALATE_AFTER - now, TimeUnit.MILLISECONDS);
            job.willCancel = r.nextInt(100) < 6;                                              // the customer cancels before arrival
            job.dueAt = t + (job.willCancel ? 5 + r.nextInt(55) : 40 + r.nextInt(80)) * MINUTE;  // else arrival and completion
            openJobs.put(id, job);
            board.add(job);
            event(id, "dispatched", job.technicianId, t);
            byte[] buf = photoBuffers.poll();
            buf[(int) (dispatched % buf.length)] = damage.photoThumbnail()[0];
            photoBuffers.add(buf);
        }

        /** The board's next steps up to time t: completions and customer cancellations. */
        void advance(long t, Random r) {
            while (!board.isEmpty() && board.peek().dueAt <= t) {
                RepairJob job = board.poll();
                openJobs.remove(job.jobId);
                if (job.willCancel) {
                    job.cancelledAt = job.dueAt;
                    job.escalation.cancel(false);
                    cancelled++;
                    event(job.jobId, "cancelled-by-customer", job.technicianId, job.dueAt);
                } else {
                    job.completedAt = job.dueAt;
                    if (FIXED) job.escalation.cancel(false);
                    completed++;
                    event(job.jobId, "completed", job.technicianId, job.dueAt);
                    invoiceQueue.add(new Invoice("INV-" + (9_100_000 + completed), job.jobId, r.nextInt(3) == 0 ? "self-pay" : "insurer-" + (100 + r.nextInt(40)), 4_500 + r.nextInt(40_000), job.dueAt));
                }
            }
        }

        /** The accounts run every 10 minutes takes the invoices of jobs completed at least 5 minutes ago. */
        void runInvoicing(long t) {
            while (!invoiceQueue.isEmpty() && invoiceQueue.peek().completedAt() <= t - 5 * MINUTE) { invoiceQueue.poll(); invoiced++; }
        }

        String plate(Random r) {
            return "" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (10 + r.nextInt(64)) + " " + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(126_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] util = new double[84];
            for (int k = 0; k < util.length; k++) util[k] = rnd.nextDouble();
            depotCodes[d] = "DEP" + (300 + d * 2);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Town " + d, util));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int i = 0; i < PARTS; i++) {
            svc.partNos[i] = (2_000 + i % 7_000) + "AG" + (char) ('A' + i / 7_000) + "N" + (char) ('A' + i % 26) + "Z";
            svc.parts.put(svc.partNos[i], new GlassPart(svc.partNos[i], "fits model family " + (i % 1_300), FEATURES[rnd.nextInt(FEATURES.length)],
                    new byte[150 + rnd.nextInt(150)], 90 + rnd.nextInt(900)));
        }
        for (int i = 0; i < TECHNICIANS; i++) {
            svc.technicianIds[i] = "TEC" + (5_000 + i);
            svc.technicians.put(svc.technicianIds[i], new Technician(svc.technicianIds[i], "Technician " + i, depotCodes[rnd.nextInt(DEPOTS)], rnd.nextInt(3) == 0));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(126_020_002), office = new Random(126_020_003);
        int jobs = JOBS_PER_HOUR * hours;
        long nextInvoicing = start + 10 * MINUTE;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            svc.advance(t, office);
            while (nextInvoicing <= t) { svc.runInvoicing(nextInvoicing); nextInvoicing += 10 * MINUTE; }
            svc.dispatch(traffic, t, now);
        }
        svc.advance(end, office);
        while (nextInvoicing <= end) { svc.runInvoicing(nextInvoicing); nextInvoicing += 10 * MINUTE; }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val126.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        DispatchService svc = SERVICE;
        int queued = svc.escalations.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " parts " + svc.parts.size() + " technicians " + svc.technicians.size()
                + " jobs dispatched " + svc.dispatched + " completed " + svc.completed + " cancelled " + svc.cancelled + " open " + svc.openJobs.size()
                + " escalation queue " + queued + " invoices " + (svc.invoiced + svc.invoiceQueue.size()) + " invoiced " + svc.invoiced + " backlog " + svc.invoiceQueue.size()
                + " lookups " + svc.lookups + " cached " + svc.vehicles.size() + " (evicted " + svc.vehicles.evicted + ", hits " + svc.lookupHits + ") events " + svc.eventCount + " pool " + svc.photoBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.parts.size() == PARTS && svc.technicians.size() == TECHNICIANS, "reference data / directories");
        check(svc.dispatched == (long) JOBS_PER_HOUR * hours && svc.dispatched == svc.completed + svc.cancelled + svc.openJobs.size() && svc.board.size() == svc.openJobs.size(), "jobs");
        long[] expect = EXPECT[stage - 1]; // completed, cancelled, open, invoice backlog
        check(svc.completed == expect[0] && svc.cancelled == expect[1] && svc.openJobs.size() == expect[2] && svc.invoiceQueue.size() == expect[3], "job counts");
        // the wallboard refresh + one escalation per job not cancelled (with the fix: per open job)
        check(queued == 1 + svc.openJobs.size() + (FIXED ? 0 : svc.completed), "escalation queue " + queued);
        check(svc.vehicles.size() == LOOKUP_CAP && svc.vehicles.evicted > 0, "lookup cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.events[RING - 1] != null, "ring");
    }

    static final long[][] EXPECT = {{644, 104, 1_252, 75}, {2_536, 230, 1_234, 79}, {6_254, 473, 1_273, 78}};
}
