// hprofscan-dump: name=val54-leak-grantapplications jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val54-leak-grantapplications-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 54 (written blind), LEAK: the application-intake service of a research-grant
 * funding agency. Funder reference data, the applicant directory, a cache of rendered eligibility
 * reports at its cap, a pool of PDF buffers, a ring of recent decisions, a ring of import-job
 * summaries, and the batch importer: every uploaded batch of applications is validated on its own
 * single-thread pool (Executors.newFixedThreadPool(1, factory)) whose thread factory names the
 * thread after the job and reports uncaught errors to it (both lambdas capture the ImportJob with
 * its staged rows). The pool is never shut down: its idle worker thread stays alive (parked on the
 * empty queue) and keeps the executor, the factory and the job with every staged row.
 * See VALIDATION54.md.
 */
public final class Val54LeakGrantApplications {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FUNDERS = 1_000, APPLICANTS = 25_000, REPORT_CAP = 2_000, POOL = 8, RING = 4_096, JOB_RING = 64, HOURS = 10, JOBS_PER_HOUR = 24;
    static boolean FIXED;

    record Funder(String code, String programme, double[] budgetByMonth) {}
    record Applicant(String applicantId, String institution, byte[] profile, long registeredAt) {}
    record EligibilityReport(String key, byte[] rendered, long at) {}
    record Decision(String applicationId, String applicantId, String funderCode, boolean eligible, long at) {}
    record StagedRow(int line, String applicationId, String applicantId, String funderCode, long amountCents, byte[] abstractText) {}
    record JobSummary(String jobId, int rows, int rejected, long at) {}

    /** One uploaded batch of applications, parsed and staged for validation. */
    static final class ImportJob {
        final String jobId, uploadedBy;
        final long uploadedAt;
        final List<StagedRow> rows = new ArrayList<>();
        int rejected;
        String failure;
        ImportJob(String jobId, String uploadedBy, long uploadedAt) { this.jobId = jobId; this.uploadedBy = uploadedBy; this.uploadedAt = uploadedAt; }
        void fail(Throwable t) { failure = String.valueOf(t); }
    }

    static final class ReportCache extends LinkedHashMap<String, EligibilityReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EligibilityReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Funder> FUNDERS_BY_CODE = new HashMap<>();

    static final class IntakeService {
        final Map<String, Applicant> applicants = new HashMap<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Decision[] decisions = new Decision[RING];
        long decisionCount;
        final JobSummary[] jobSummaries = new JobSummary[JOB_RING];
        long jobs, rowsImported, poolsShutDown;

        /** Validates a staged batch on a pool of its own. */
        void runImport(ImportJob job) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
                Thread th = new Thread(r, "grant-import-" + job.jobId);
                th.setDaemon(true);
                th.setUncaughtExceptionHandler((x, e) -> job.fail(e));
                return th;
            });
            pool.submit(() -> {
                for (StagedRow row : job.rows) {
                    boolean ok = FUNDERS_BY_CODE.containsKey(row.funderCode()) && applicants.containsKey(row.applicantId()) && row.amountCents() < 90_000_000L;
                    if (!ok) job.rejected++;
                }
            }).get();
            jobSummaries[(int) (jobs++ % JOB_RING)] = new JobSummary(job.jobId, job.rows.size(), job.rejected, job.uploadedAt);
            rowsImported += job.rows.size();
            if (FIXED) {
                pool.shutdown();
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("import pool did not stop");
                poolsShutDown++;
            }
            // BUG: the pool is never shut down; its idle worker thread keeps the factory and the job
        }
    }

    static IntakeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int importThreads() {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("grant-import-") && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val54.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(54_020_001);
        String[] funderCodes = new String[FUNDERS];
        for (int f = 0; f < FUNDERS; f++) {
            double[] budget = new double[72];
            for (int k = 0; k < budget.length; k++) budget[k] = rnd.nextDouble() * 1_000_000;
            String code = "FND-" + (300 + f);
            funderCodes[f] = code;
            FUNDERS_BY_CODE.put(code, new Funder(code, "Programme " + (f % 90), budget));
        }
        IntakeService svc = new IntakeService();
        SERVICE = svc;
        String[] applicantIds = new String[APPLICANTS];
        for (int a = 0; a < APPLICANTS; a++) {
            String id = "APL" + (5_100_000 + a);
            applicantIds[a] = id;
            svc.applicants.put(id, new Applicant(id, "University " + (a % 400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_020_002);
        int jobs = HOURS * JOBS_PER_HOUR;
        int events = HOURS * 4_000;
        int job = 0, rowSerial = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String applicant = applicantIds[traffic.nextInt(APPLICANTS)];
            String funder = funderCodes[traffic.nextInt(FUNDERS)];
            svc.decisions[(int) (svc.decisionCount++ % RING)] = new Decision("GA-" + (800_000 + i), applicant, funder, traffic.nextInt(10) < 7, t);
            String key = "elig-" + traffic.nextInt(6_000);
            if (svc.reports.get(key) == null) svc.reports.put(key, new EligibilityReport(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
            if (job < jobs && (long) i * jobs >= (long) job * events) {
                ImportJob ij = new ImportJob("imp-" + (61_000 + job), "officer" + traffic.nextInt(40), t);
                int n = 60 + traffic.nextInt(60);
                for (int r = 0; r < n; r++) {
                    ij.rows.add(new StagedRow(r + 2, "GA-B" + (rowSerial++), applicantIds[traffic.nextInt(APPLICANTS)], funderCodes[traffic.nextInt(FUNDERS)], traffic.nextInt(50_000_000), new byte[100 + traffic.nextInt(100)]));
                }
                svc.runImport(ij);
                job++;
            }
        }
        int threads = importThreads();
        System.out.println((FIXED ? "FIXED " : "") + "funders " + FUNDERS_BY_CODE.size() + " applicants " + svc.applicants.size() + " jobs " + svc.jobs + " rows " + svc.rowsImported
                + " import threads alive " + threads + " pools shut down " + svc.poolsShutDown + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.pdfBuffers.size() + " decisions " + svc.decisionCount);
        check(FUNDERS_BY_CODE.size() == FUNDERS && svc.applicants.size() == APPLICANTS, "reference data / directory");
        check(svc.jobs == jobs && svc.rowsImported == rowSerial, "import traffic: " + svc.jobs);
        if (FIXED) check(threads == 0 && svc.poolsShutDown == jobs, "import pools shut down");
        else check(threads == jobs, "one idle import thread per job ever run: " + threads);
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.decisionCount == events && svc.decisions[RING - 1] != null && svc.jobSummaries[JOB_RING - 1] != null, "rings");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
