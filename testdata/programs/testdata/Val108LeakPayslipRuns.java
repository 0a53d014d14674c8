// hprofscan-dump: name=val108-leak-payslipruns-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val108-leak-payslipruns-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val108-leak-payslipruns jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val108-leak-payslipruns-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 108 (written blind), LEAK: the payroll bureau that runs payslip batch jobs for its
 * client employers. Employer reference data, the employee directory, a cache of rendered payslips at
 * its cap, a pool of 64 KiB staging buffers, a ring of finished runs, and a crash-cleanup shutdown
 * hook per job: each job registers Runtime.addShutdownHook(new Thread(cleanup)) whose runnable
 * captures the job (its spill manifest and temp-file list) and its staging buffer, so that a JVM
 * that dies mid-job deletes the job's temp files. The job never calls removeShutdownHook when it
 * finishes: the JDK keeps every job's unstarted hook thread. See VALIDATION108.md.
 */
public final class Val108LeakPayslipRuns {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int EMPLOYERS = 1_100, EMPLOYEES = 24_000, SLIP_CAP = 2_000, POOL = 8, RING = 512, JOBS_PER_HOUR = 500;
    static boolean FIXED;

    record Employer(String code, String name, double[] monthlyGross) {}
    record Employee(String payrollId, String employerCode, String taxCode, byte[] payHistory, long hiredAt) {}
    record Payslip(String key, byte[] rendered, long at) {}
    record RunRecord(long jobId, String employerCode, int slips, long startedAt, long finishedAt) {}

    static final class StagingBuffer {
        final int slot; final byte[] data = new byte[65_536]; long uses;
        StagingBuffer(int slot) { this.slot = slot; }
    }

    /** A payslip batch of one employer: spill manifest and temp files live until the job is done. */
    static final class PayrollJob {
        final long id; final String employerCode; final long startedAt; long finishedAt;
        final byte[] spillManifest; final List<String> tempFiles = new ArrayList<>(); boolean cleaned;
        PayrollJob(long id, String employerCode, long startedAt, byte[] spillManifest) { this.id = id; this.employerCode = employerCode; this.startedAt = startedAt; this.spillManifest = spillManifest; }
    }

    static final class SlipCache extends LinkedHashMap<String, Payslip> {
        long evicted;
        SlipCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Payslip> e) { if (size() > SLIP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Employer> EMPLOYERS_BY_CODE = new HashMap<>();

    static final class PayrunService {
        final Map<String, Employee> employees = new HashMap<>();
        final SlipCache slips = new SlipCache();
        final ArrayDeque<StagingBuffer> stagingPool = new ArrayDeque<>();
        final RunRecord[] recentRuns = new RunRecord[RING];
        long runs, hooksRegistered, hooksRemoved;

        /** Runs in the JVM's shutdown only if the process dies while the job runs. */
        static void cleanupAfterCrash(PayrollJob job, StagingBuffer staging) {
            if (job.cleaned) return;
            job.tempFiles.clear();
            Arrays.fill(staging.data, (byte) 0);
        }

        void runJob(PayrollJob job, int slipCount, Random r, String[] ids) {
            StagingBuffer staging = stagingPool.poll();
            Thread hook = new Thread(() -> cleanupAfterCrash(job, staging), "payrun-cleanup-" + job.id);
            Runtime.getRuntime().addShutdownHook(hook);
            hooksRegistered++;
            for (int p = 0; p < 3 + (int) (job.id % 4); p++) job.tempFiles.add("/var/spool/payrun/" + job.employerCode + "/job-" + job.id + "/part-" + p + ".tmp");
            long t = job.startedAt;
            for (int s = 0; s < slipCount; s++) {
                Employee e = employees.get(ids[r.nextInt(ids.length)]);
                staging.data[(s * 37) % staging.data.length] = (byte) e.payHistory().length;
                String key = "slip-" + r.nextInt(5_000);
                if (slips.get(key) == null) slips.put(key, new Payslip(key, new byte[400 + r.nextInt(400)], t));
                t += 200 + r.nextInt(300);
            }
            staging.uses++;
            stagingPool.add(staging);
            job.finishedAt = t;
            job.cleaned = true;
            recentRuns[(int) (runs++ % RING)] = new RunRecord(job.id, job.employerCode, slipCount, job.startedAt, t);
            if (FIXED) { Runtime.getRuntime().removeShutdownHook(hook); hooksRemoved++; }
            // BUG: the hook stays registered after the job is done (no removeShutdownHook)
        }
    }

    static PayrunService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(108_010_001);
        String[] employerCodes = new String[EMPLOYERS];
        for (int b = 0; b < EMPLOYERS; b++) {
            double[] gross = new double[48];
            for (int k = 0; k < gross.length; k++) gross[k] = 20_000 + rnd.nextDouble() * 900_000;
            employerCodes[b] = "EMP-" + (30_000 + b);
            EMPLOYERS_BY_CODE.put(employerCodes[b], new Employer(employerCodes[b], "Employer " + b, gross));
        }
        PayrunService svc = new PayrunService();
        SERVICE = svc;
        String[] ids = new String[EMPLOYEES];
        for (int e = 0; e < EMPLOYEES; e++) {
            ids[e] = "PR" + (4_400_000 + e * 3);
            svc.employees.put(ids[e], new Employee(ids[e], employerCodes[rnd.nextInt(EMPLOYERS)], (1000 + rnd.nextInt(300)) + "L", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stagingPool.add(new StagingBuffer(b));
        Random traffic = new Random(108_010_002);
        int jobs = JOBS_PER_HOUR * hours;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / jobs;
            PayrollJob job = new PayrollJob(80_000_000L + i, employerCodes[traffic.nextInt(EMPLOYERS)], t, new byte[1_000 + traffic.nextInt(1_000)]);
            svc.runJob(job, 4 + traffic.nextInt(12), traffic, ids);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val108.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        PayrunService svc = SERVICE;
        int jobs = JOBS_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " employers " + EMPLOYERS_BY_CODE.size() + " employees " + svc.employees.size() + " runs " + svc.runs + " hooks registered " + svc.hooksRegistered
                + " removed " + svc.hooksRemoved + " slips " + svc.slips.size() + " (evicted " + svc.slips.evicted + ") pool " + svc.stagingPool.size());
        check(EMPLOYERS_BY_CODE.size() == EMPLOYERS && svc.employees.size() == EMPLOYEES, "reference data / directory");
        check(svc.runs == jobs && svc.hooksRegistered == jobs, "jobs");
        check(svc.hooksRemoved == (FIXED ? jobs : 0), "hooks removed");
        check(svc.slips.size() == SLIP_CAP && svc.slips.evicted > 0, "slip cache at cap");
        check(svc.stagingPool.size() == POOL, "pool");
        check(svc.recentRuns[RING - 1] != null, "ring full");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.out.flush();
        // halt, not exit: the simulated process is killed after the dump; running thousands of
        // registered hook threads at exit is not part of the scenario
        Runtime.getRuntime().halt(0);
    }
}
