// hprofscan-dump: name=val42-leak-ropemakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val42-leak-ropemakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 42 (written blind), LEAK: the production service of a rope works (mooring lines,
 * rigging, climbing ropes laid on a rope walk). Fibre reference data, the customer directory, an LRU
 * of rendered spec sheets at its cap, a pool of splice-controller buffers, a ring of dispatch notes,
 * the laying jobs in progress. The rope walk stops for planned maintenance on Sunday 06:00 UTC; the
 * stop is signalled by completing RopeWalkService.maintenanceStop, a CompletableFuture created at
 * startup. Every laying job registers maintenanceStop.thenRun(() -> job.parkCarriage()) when it
 * starts, so that a running job parks its carriage at the stop. Finished jobs are removed from
 * activeJobs, but their callbacks stay in the future's dependent stack (a CompletableFuture$UniRun per
 * job, its lambda capturing the job) until the future completes, days away. The finished jobs are
 * reachable only through the captured state of those lambdas. No thread besides main (an incomplete
 * future runs nothing). See VALIDATION42.md.
 */
public final class Val42LeakRopemakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FIBRES = 800, CUSTOMERS = 20_000, SHEET_CAP = 1_200, POOL = 8, RING = 2_048, HOURS = 10;
    static final String[] CONSTRUCTIONS = {"3-strand", "8-plait", "12-plait", "double-braid", "kernmantle", "cable-laid"};
    static boolean FIXED;

    record Fibre(String code, String name, double[] breakingStrainCurve) {}
    record Customer(String id, String name, byte[] shippingNotes, long since) {}
    record SpecSheet(String key, byte[] rendered, long at) {}
    record DispatchNote(String jobId, String customerId, int metres, long dispatchedAt) {}

    /** One rope being laid on the walk: request-scoped, finished after 15-134 minutes. */
    static final class LayingJob {
        final String jobId, orderId, customerId, fibreCode, construction;
        final int diameterMm, lengthM;
        final byte[] tensionLog;
        final long startedAt;
        long finishedAt;
        boolean carriageParked;
        LayingJob(String jobId, String orderId, String customerId, String fibreCode, String construction, int diameterMm, int lengthM, byte[] tensionLog, long startedAt) {
            this.jobId = jobId; this.orderId = orderId; this.customerId = customerId; this.fibreCode = fibreCode; this.construction = construction;
            this.diameterMm = diameterMm; this.lengthM = lengthM; this.tensionLog = tensionLog; this.startedAt = startedAt;
        }
        void parkCarriage() { if (finishedAt == 0) carriageParked = true; }
    }

    static final class SheetCache extends LinkedHashMap<String, SpecSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SpecSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fibre> FIBRES_BY_CODE = new HashMap<>();

    static final class RopeWalkService {
        final Map<String, Customer> customers = new HashMap<>();
        final SheetCache specSheets = new SheetCache();
        final ArrayDeque<byte[]> spliceBuffers = new ArrayDeque<>();
        final DispatchNote[] dispatches = new DispatchNote[RING];
        final Map<String, LayingJob> activeJobs = new HashMap<>();
        final CompletableFuture<Void> maintenanceStop = new CompletableFuture<>();
        final long maintenanceAt;
        long dispatchesWritten;

        RopeWalkService(long maintenanceAt) {
            this.maintenanceAt = maintenanceAt;
            if (FIXED) maintenanceStop.thenRun(this::parkAllCarriages); // one callback for the whole walk
        }

        void parkAllCarriages() { for (LayingJob j : activeJobs.values()) j.parkCarriage(); }

        void startJob(LayingJob job) {
            activeJobs.put(job.jobId, job);
            if (!FIXED) maintenanceStop.thenRun(() -> job.parkCarriage()); // per job, never deregistered
        }

        void finishJob(LayingJob job, long at) {
            job.finishedAt = at;
            activeJobs.remove(job.jobId);
            dispatches[(int) (dispatchesWritten++ % RING)] = new DispatchNote(job.jobId, job.customerId, job.lengthM, at);
        }
    }

    static RopeWalkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val42.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        // Next Sunday 06:00 UTC at least a day away (1970-01-01 was a Thursday).
        long day = end / DAY;
        long nextSunday = day + ((3 - (day % 7) + 7) % 7);
        long maintenanceAt = nextSunday * DAY + 6 * HOUR;
        if (maintenanceAt - now < DAY) maintenanceAt += 7 * DAY;
        Random rnd = new Random(42_020_001);
        String[] fibreCodes = new String[FIBRES];
        for (int f = 0; f < FIBRES; f++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 5 + rnd.nextDouble() * 60;
            fibreCodes[f] = "FB-" + (4_000 + f);
            FIBRES_BY_CODE.put(fibreCodes[f], new Fibre(fibreCodes[f], "Fibre " + f, c));
        }
        RopeWalkService svc = new RopeWalkService(maintenanceAt);
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "RC-" + (300_000 + c * 11);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.spliceBuffers.add(new byte[32_768]);

        Random traffic = new Random(42_020_002);
        List<WeakReference<LayingJob>> probes = new ArrayList<>();
        Map<Long, List<LayingJob>> finishing = new HashMap<>();
        long started = 0, finished = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            List<LayingJob> due = finishing.remove(minute);
            if (due != null) for (LayingJob j : due) { svc.finishJob(j, minute); finished++; }
            int jobs = 6 + traffic.nextInt(7);
            for (int k = 0; k < jobs; k++) {
                long at = minute + traffic.nextInt(60_000);
                String customer = customerIds[traffic.nextInt(CUSTOMERS)];
                String fibre = fibreCodes[traffic.nextInt(FIBRES)];
                String construction = CONSTRUCTIONS[traffic.nextInt(CONSTRUCTIONS.length)];
                int diameter = 6 + traffic.nextInt(60);
                LayingJob job = new LayingJob("LJ-" + (900_000 + started), "SO-" + (40_000 + started / 3), customer, fibre, construction, diameter,
                        50 + traffic.nextInt(400), new byte[800 + traffic.nextInt(800)], at);
                svc.startJob(job);
                probes.add(new WeakReference<>(job));
                started++;
                byte[] buf = svc.spliceBuffers.poll();
                buf[(int) (started % buf.length)] = (byte) started;
                svc.spliceBuffers.add(buf);
                String sheetKey = fibre + "/" + construction + "/" + diameter;
                if (svc.specSheets.get(sheetKey) == null) svc.specSheets.put(sheetKey, new SpecSheet(sheetKey, new byte[500 + traffic.nextInt(500)], at));
                long done = minute + (long) (15 + traffic.nextInt(120)) * MINUTE;
                finishing.computeIfAbsent(done, x -> new ArrayList<>()).add(job);
            }
        }
        finishing = null;
        System.gc();
        int liveJobs = 0;
        for (WeakReference<LayingJob> r : probes) if (r.get() != null) liveJobs++;
        probes = null;
        int dependents = svc.maintenanceStop.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "fibres " + FIBRES_BY_CODE.size() + " customers " + svc.customers.size() + " started " + started + " finished " + finished
                + " active " + svc.activeJobs.size() + " jobs alive " + liveJobs + " dependents " + dependents + " maintenance in " + (maintenanceAt - now) / HOUR + " h"
                + " sheets " + svc.specSheets.size() + " (evicted " + svc.specSheets.evicted + ") dispatches " + svc.dispatchesWritten + " pool " + svc.spliceBuffers.size());
        check(FIBRES_BY_CODE.size() == FIBRES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(started == EXPECTED_STARTED && finished == EXPECTED_FINISHED && svc.activeJobs.size() == started - finished, "jobs");
        check(liveJobs == (FIXED ? started - finished : started) && dependents == (FIXED ? 1 : started), "jobs alive " + liveJobs + " dependents " + dependents);
        check(!svc.maintenanceStop.isDone() && maintenanceAt > now + DAY, "maintenance stop pending");
        check(svc.specSheets.size() == SHEET_CAP && svc.specSheets.evicted == EXPECTED_SHEETS_EVICTED, "sheet LRU at cap");
        check(svc.spliceBuffers.size() == POOL && svc.dispatchesWritten == finished && svc.dispatches[RING - 1] != null, "pool / dispatches");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_STARTED = 5_473, EXPECTED_FINISHED = 4_807, EXPECTED_SHEETS_EVICTED = 4_254;
}
