// hprofscan-dump: name=val72-leak-insurancerenewals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val72-leak-insurancerenewals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 72 (written blind), LEAK: the renewal back office of a home-insurance company.
 * Rating-territory reference data, the policy directory, a cache of rendered renewal quotes at its
 * cap, a pool of letter-rendering buffers, a ring of recent policy events, the last result per job
 * type, and a job manager that runs every background job (renewal batches, premium recalculation,
 * lapse notices, broker commission statements) on its own new Thread. For its monitoring page the
 * manager keeps every run, with its Thread (terminated long ago) and the job's result (a CSV report
 * and its warnings), in a list that is never trimmed. See VALIDATION72.md.
 */
public final class Val72LeakInsuranceRenewals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 20_000L;
    static final int TERRITORIES = 1_200, POLICIES = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, HISTORY_CAP = 100, HOURS = 10, EVENTS_PER_HOUR = 4_000;
    static boolean FIXED;

    record Territory(String code, String region, double[] perilFactors) {}
    record Policy(String policyNumber, String territory, String holder, byte[] underwritingNotes, long inceptedAt) {}
    record RenewalQuote(String key, byte[] rendered, long at) {}
    record PolicyEvent(String policyNumber, String kind, long at) {}

    static final class JobResult {
        final int policiesProcessed; final byte[] reportCsv; final List<String> warnings = new ArrayList<>();
        JobResult(int policiesProcessed, byte[] reportCsv) { this.policiesProcessed = policiesProcessed; this.reportCsv = reportCsv; }
    }

    /** One row of the monitoring page. */
    static final class JobRun {
        final long runId; final String jobType; final long startedAt; long finishedAt;
        Thread thread; JobResult result;
        JobRun(long runId, String jobType, long startedAt) { this.runId = runId; this.jobType = jobType; this.startedAt = startedAt; }
    }

    static final class JobManager {
        final List<JobRun> history = new ArrayList<>();
        final Map<Long, JobRun> running = new HashMap<>();
        final Map<String, JobResult> lastResultByType = new HashMap<>();
        long runs;

        JobRun submit(String jobType, long at, long seed) throws InterruptedException {
            JobRun run = new JobRun(runs++, jobType, at);
            Thread th = new Thread(() -> {
                Random r = new Random(seed);
                JobResult res = new JobResult(200 + r.nextInt(1_800), new byte[2_048 + r.nextInt(2_048)]);
                int w = r.nextInt(4);
                for (int k = 0; k < w; k++) res.warnings.add("policy LP-" + (700_000 + r.nextInt(99_999)) + ": missing roof survey");
                run.result = res;
            }, "renewal-job-" + run.runId);
            run.thread = th;
            running.put(run.runId, run);
            history.add(run);
            th.start();
            th.join(); // the simulation waits for each job, so that only one job thread exists at a time
            running.remove(run.runId);
            run.finishedAt = at + 2_000 + run.result.policiesProcessed * 5L;
            lastResultByType.put(jobType, run.result);
            if (FIXED) { // the fix: drop the finished Thread and keep only the last HISTORY_CAP runs
                run.thread = null;
                if (history.size() > HISTORY_CAP) history.remove(0);
            }
            // BUG: every run stays in history with its dead Thread and its result
            return run;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, RenewalQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenewalQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Territory> TERRITORIES_BY_CODE = new HashMap<>();

    static final class RenewalService {
        final Map<String, Policy> policies = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> letterBuffers = new ArrayDeque<>();
        final PolicyEvent[] recentEvents = new PolicyEvent[RING];
        long events;
        final JobManager jobs = new JobManager();
    }

    static RenewalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val72.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        RenewalService svc = new RenewalService();
        SERVICE = svc;
        System.out.println((FIXED ? "FIXED " : "") + simulate(svc, start, end, now));
        int expectedRuns = (int) (HOURS * HOUR / JOB_EVERY);
        check(TERRITORIES_BY_CODE.size() == TERRITORIES && svc.policies.size() == POLICIES, "reference data / directory");
        check(svc.jobs.runs == expectedRuns && svc.jobs.running.isEmpty() && svc.jobs.lastResultByType.size() == 4, "job runs: " + svc.jobs.runs);
        int withThread = 0;
        for (JobRun r : svc.jobs.history) if (r.thread != null) { withThread++; check(r.thread.getState() == Thread.State.TERMINATED, "terminated"); }
        if (FIXED) check(svc.jobs.history.size() == HISTORY_CAP && withThread == 0, "bounded history");
        else check(svc.jobs.history.size() == expectedRuns && withThread == expectedRuns, "every run kept: " + svc.jobs.history.size());
        check(Thread.activeCount() <= 2, "no job thread alive: " + Thread.activeCount());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.letterBuffers.size() == POOL, "pool");
        check(svc.events > RING && svc.recentEvents[RING - 1] != null, "event ring wraps");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram("java.lang.Thread ", "[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String simulate(RenewalService svc, long start, long end, long now) throws InterruptedException {
        Random rnd = new Random(72_040_001);
        String[] territories = new String[TERRITORIES];
        for (int t = 0; t < TERRITORIES; t++) {
            double[] f = new double[80];
            for (int k = 0; k < f.length; k++) f[k] = 0.5 + rnd.nextDouble();
            territories[t] = "TER-" + (100 + t);
            TERRITORIES_BY_CODE.put(territories[t], new Territory(territories[t], "Region " + (t % 40), f));
        }
        String[] numbers = new String[POLICIES];
        for (int p = 0; p < POLICIES; p++) {
            numbers[p] = "HP-" + (8_100_000 + p * 9);
            svc.policies.put(numbers[p], new Policy(numbers[p], territories[rnd.nextInt(TERRITORIES)], "Holder " + p, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.letterBuffers.add(new byte[32_768]);
        String[] jobTypes = {"renewal-batch", "premium-recalc", "lapse-notices", "broker-commissions"};
        String[] kinds = {"RENEWAL_OFFERED", "RENEWED", "LAPSED", "ENDORSED", "CLAIM_NOTIFIED"};
        Random traffic = new Random(72_040_002);
        int events = EVENTS_PER_HOUR * HOURS;
        long nextJob = start;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextJob <= t) { svc.jobs.submit(jobTypes[(int) (svc.jobs.runs % jobTypes.length)], nextJob, 72_040_100L + svc.jobs.runs); nextJob += JOB_EVERY; }
            String policy = numbers[traffic.nextInt(POLICIES)];
            svc.recentEvents[(int) (svc.events++ % RING)] = new PolicyEvent(policy, kinds[traffic.nextInt(kinds.length)], t);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new RenewalQuote(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.letterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.letterBuffers.add(buf);
        }
        while (nextJob < end) { svc.jobs.submit(jobTypes[(int) (svc.jobs.runs % jobTypes.length)], nextJob, 72_040_100L + svc.jobs.runs); nextJob += JOB_EVERY; }
        long warnings = 0, reportBytes = 0;
        for (JobRun r : svc.jobs.history) { warnings += r.result.warnings.size(); reportBytes += r.result.reportCsv.length; }
        return "territories " + TERRITORIES_BY_CODE.size() + " policies " + svc.policies.size() + " job runs " + svc.jobs.runs + " history " + svc.jobs.history.size() + " (warnings " + warnings + ", report bytes " + reportBytes
                + ") events " + svc.events + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.letterBuffers.size();
    }
}
