// hprofscan-dump: name=val109-leak-lossadjusters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val109-leak-lossadjusters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 109 (written blind), LEAK: the claims-assessment service of a loss-adjusting firm.
 * Insurers push hourly batches of storm-damage claims; each batch is scored by a small
 * {@code AssessmentPool} (a ThreadPoolExecutor subclass of 1 or 2 threads, created for the batch)
 * whose afterExecute collects every finished assessment for the batch's progress page. The service
 * waits for the batch, records the decisions and returns, but never shuts the pool down: its idle
 * worker threads park forever and keep the pool, its collected assessments (with their damage
 * feature vectors) and the logging context each thread inherited. Ordinary components beside it:
 * postcode-district storm risk, the policy directory, a thumbnail cache at its cap, a pool of scan
 * buffers, a ring of claim decisions, the first-notice-of-loss inbox with its normal backlog.
 * See VALIDATION109.md.
 */
public final class Val109LeakLossAdjusters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DISTRICTS = 1_100, POLICIES = 20_000, INSURERS = 36, HOURS = 8, THUMB_CAP = 1_500,
            POOL = 8, RING = 4_096, SMALL_BATCH = 12, REPORTS = 64, NOTICES_PER_MINUTE = 14, TRIAGE_AFTER_MINUTES = 12;
    static final String[] PERILS = {"hail", "windstorm", "flood", "lightning", "falling-tree", "subsidence"};
    static final String[] REGIONS = {"North West", "North East", "Midlands", "East Anglia", "South West", "South East", "Wales", "Scotland"};
    static boolean FIXED;

    record District(String code, String region, double[] weeklyStormRisk) {}
    record Policy(String policyNo, String insurer, String district, long sumInsuredCents, byte[] coverSchedule, long inceptedAt) {}
    record Claim(String claimId, String policyNo, String peril, long reportedAt, int photos) {}
    record ClaimBatch(String insurer, int batchNo, long receivedAt, List<Claim> claims) {}
    record ClaimAssessment(String claimId, String policyNo, String peril, long assessedAt, int reserveCents, byte[] damageFeatures) {}
    record ClaimDecision(String claimId, String insurer, int reserveCents, long decidedAt) {}
    record Thumbnail(String key, byte[] jpeg, long decodedAt) {}
    record ClaimNotice(String noticeId, String policyNo, long receivedAt, String text) {}
    record BatchReport(String insurer, int batchNo, int claims, long reserveCents, long finishedAt) {}

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();
    /** Logging context (MDC style); every thread created while it is set inherits the map. */
    static final InheritableThreadLocal<Map<String, String>> LOG_CONTEXT = new InheritableThreadLocal<>();

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static ThreadFactory namedThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }

    /** A pool per claim batch; afterExecute collects each finished assessment (progress page). */
    static final class AssessmentPool extends ThreadPoolExecutor {
        final List<ClaimAssessment> assessed = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch remaining;
        volatile int failures;

        AssessmentPool(int threads, String namePrefix, int tasks) {
            super(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), namedThreads(namePrefix));
            remaining = new CountDownLatch(tasks);
        }

        @Override protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            try {
                if (t == null && r instanceof Future<?> f && f.isDone()) assessed.add((ClaimAssessment) f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                failures++;
            } finally {
                remaining.countDown();
            }
        }
    }

    static final class ClaimsService {
        final Map<String, Policy> policies = new HashMap<>();
        final String[] policyNos = new String[POLICIES];
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayBlockingQueue<byte[]> scanBuffers = new ArrayBlockingQueue<>(POOL);
        final ClaimDecision[] decisions = new ClaimDecision[RING];
        final ArrayDeque<ClaimNotice> inbox = new ArrayDeque<>();
        final ArrayDeque<BatchReport> reports = new ArrayDeque<>();
        long batches, claims, decided, poolsCreated, threadsStarted, noticesReceived, noticesTriaged, thumbsDecoded;

        ClaimAssessment assess(Claim c, ClaimBatch batch) throws InterruptedException {
            Random r = new Random(109_010_100L + c.claimId().hashCode());
            Policy p = policies.get(c.policyNo());
            byte[] buf = scanBuffers.take();
            try {
                byte[] features = new byte[600 + r.nextInt(600)];
                r.nextBytes(features);
                buf[(int) (c.reportedAt() % buf.length)] = features[0];
                int reserve = (int) Math.min(p.sumInsuredCents() / 20, 50_000 + r.nextInt(2_000_000));
                return new ClaimAssessment(c.claimId(), c.policyNo(), c.peril(), batch.receivedAt() + (1 + r.nextInt(9)) * MINUTE, reserve, features);
            } finally {
                scanBuffers.put(buf);
            }
        }

        void assessBatch(ClaimBatch batch) throws InterruptedException {
            int n = batch.claims().size();
            int threads = n < SMALL_BATCH ? 1 : 2;
            Map<String, String> ctx = new HashMap<>();
            ctx.put("insurer", batch.insurer());
            ctx.put("batch", batch.insurer() + "/" + batch.batchNo());
            ctx.put("receivedAt", Long.toString(batch.receivedAt()));
            ctx.put("traceId", Long.toHexString(0x6d00_0000_0000L + batch.receivedAt() / 1_000 * 37 + batch.batchNo()));
            LOG_CONTEXT.set(ctx);
            AssessmentPool pool = new AssessmentPool(threads, "assess-" + batch.insurer() + "-b" + batch.batchNo(), n);
            poolsCreated++;
            threadsStarted += Math.min(n, threads);
            try {
                for (Claim c : batch.claims()) pool.submit(() -> assess(c, batch));
                pool.remaining.await();
                if (pool.failures > 0 || pool.assessed.size() != n) throw new IllegalStateException("batch " + batch.batchNo() + " incomplete");
                long reserve = 0;
                synchronized (pool.assessed) {
                    for (ClaimAssessment a : pool.assessed) {
                        decisions[(int) (decided++ % RING)] = new ClaimDecision(a.claimId(), batch.insurer(), a.reserveCents(), a.assessedAt());
                        reserve += a.reserveCents();
                    }
                }
                reports.addLast(new BatchReport(batch.insurer(), batch.batchNo(), n, reserve, batch.receivedAt() + 10 * MINUTE));
                if (reports.size() > REPORTS) reports.removeFirst();
                batches++;
                claims += n;
            } finally {
                LOG_CONTEXT.remove();
                if (FIXED) {
                    pool.shutdown();
                    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("pool did not stop");
                }
            }
        }

        void decodeThumbnails(Claim c, Random r, long t) {
            for (int k = 0; k < c.photos(); k++) {
                String key = c.claimId() + "/photo-" + k;
                if (thumbnails.get(key) == null) {
                    thumbnails.put(key, new Thumbnail(key, new byte[600 + r.nextInt(600)], t));
                    thumbsDecoded++;
                }
            }
        }
    }

    static ClaimsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(109_010_001);
        String[] districtCodes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] risk = new double[52];
            for (int w = 0; w < risk.length; w++) risk[w] = rnd.nextDouble() * 4;
            districtCodes[d] = (char) ('A' + d % 26) + "" + (char) ('A' + d / 26 % 26) + (1 + d % 29);
            DISTRICTS_BY_CODE.put(districtCodes[d], new District(districtCodes[d], REGIONS[d % REGIONS.length], risk));
        }
        String[] insurers = new String[INSURERS];
        for (int i = 0; i < INSURERS; i++) insurers[i] = "INS" + (110 + i * 7);
        ClaimsService svc = new ClaimsService();
        SERVICE = svc;
        for (int p = 0; p < POLICIES; p++) {
            svc.policyNos[p] = "POL-" + (4_100_000 + p * 13);
            svc.policies.put(svc.policyNos[p], new Policy(svc.policyNos[p], insurers[rnd.nextInt(INSURERS)], districtCodes[rnd.nextInt(DISTRICTS)],
                    (150_000 + rnd.nextInt(900_000)) * 100L, new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);

        Random traffic = new Random(109_010_002), notices = new Random(109_010_003), thumbs = new Random(109_010_004);
        int claimSeq = 0, noticeSeq = 0;
        int[] batchNo = new int[INSURERS];
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < NOTICES_PER_MINUTE; k++) {
                svc.inbox.addLast(new ClaimNotice("FNOL-" + (8_800_000 + noticeSeq++), svc.policyNos[notices.nextInt(POLICIES)], t + k * 4_000L,
                        "Customer reports " + PERILS[notices.nextInt(PERILS.length)] + " damage to " + (notices.nextBoolean() ? "roof" : "outbuilding") + ", " + (1 + notices.nextInt(40)) + " photos to follow"));
                svc.noticesReceived++;
            }
            while (!svc.inbox.isEmpty() && svc.inbox.peekFirst().receivedAt() <= t - TRIAGE_AFTER_MINUTES * MINUTE) {
                svc.inbox.pollFirst();
                svc.noticesTriaged++;
            }
            long minuteOfHour = (t - start) / MINUTE % 60;
            if (minuteOfHour < INSURERS) {
                int i = (int) minuteOfHour;
                int n = 6 + traffic.nextInt(35);
                List<Claim> claims = new ArrayList<>(n);
                for (int c = 0; c < n; c++) {
                    claims.add(new Claim("CLM-" + (52_000_000 + claimSeq++), svc.policyNos[traffic.nextInt(POLICIES)], PERILS[traffic.nextInt(PERILS.length)],
                            t - (1 + traffic.nextInt(72)) * HOUR, 1 + traffic.nextInt(6)));
                }
                ClaimBatch batch = new ClaimBatch(insurers[i], ++batchNo[i], t, claims);
                for (Claim c : claims) svc.decodeThumbnails(c, thumbs, t);
                svc.assessBatch(batch);
            }
        }
    }

    static int liveAssessThreads() {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("assess-")) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the parked pool threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val109.fixed");
        simulate();
        ClaimsService svc = SERVICE;
        int live = liveAssessThreads();
        System.out.println((FIXED ? "FIXED " : "") + "districts " + DISTRICTS_BY_CODE.size() + " policies " + svc.policies.size() + " batches " + svc.batches + " claims " + svc.claims
                + " pools " + svc.poolsCreated + " threads started " + svc.threadsStarted + " live assess threads " + live + " decided " + svc.decided
                + " thumbnails " + svc.thumbnails.size() + " (decoded " + svc.thumbsDecoded + ", evicted " + svc.thumbnails.evicted + ") pool " + svc.scanBuffers.size()
                + " inbox " + svc.inbox.size() + " (received " + svc.noticesReceived + ", triaged " + svc.noticesTriaged + ") reports " + svc.reports.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.policies.size() == POLICIES, "reference data / directory");
        check(svc.batches == (long) INSURERS * HOURS && svc.poolsCreated == svc.batches, "batches");
        check(svc.claims == 6_399 && svc.decided == svc.claims, "claims");
        check(svc.threadsStarted == 526, "threads started");
        check(live == (FIXED ? 0 : svc.threadsStarted), "live pool threads: " + live);
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.scanBuffers.size() == POOL, "scan buffer pool");
        check(svc.inbox.size() == 181 && svc.noticesReceived == (long) NOTICES_PER_MINUTE * HOURS * 60, "inbox backlog");
        check(svc.reports.size() == REPORTS, "report history");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
