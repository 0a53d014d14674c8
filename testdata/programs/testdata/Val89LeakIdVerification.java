// hprofscan-dump: name=val89-leak-idverification jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val89-leak-idverification-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 89 (written blind), LEAK: the identity-verification (KYC) API of a fintech, 50
 * minutes after a deploy. Partner reference data, the ID-document template directory, a cache of
 * rendered result pages at its cap, a pool of image-decode buffers, a ring of completed checks, the
 * map of requests in flight, and a ScheduledThreadPoolExecutor that schedules a 1-hour timeout task
 * per request (the vendor may never call back) and cancels it when the request completes. The
 * executor keeps the default setRemoveOnCancelPolicy(false), so a cancelled timeout stays in the
 * executor's work queue until its hour is up; the executor decorates every task with the caller's
 * logging context (decorateTask), and the decorated task keeps its Runnable, whose lambda captures
 * the whole request. Every request of the last hour is pinned. See VALIDATION89.md.
 */
public final class Val89LeakIdVerification {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PARTNERS = 800, TEMPLATES = 22_000, RESULT_CAP = 2_000, POOL = 8, RING = 4_096, MINUTES = 50, REQUESTS = 9_000;
    static boolean FIXED;

    record Partner(String code, String name, double[] slaByHour) {}
    record DocTemplate(String key, String country, String docType, byte[] layout, long publishedAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record Completed(String requestId, String partnerCode, String outcome, long receivedAt, long completedAt) {}

    static final class VerificationRequest {
        final String requestId, partnerCode, applicantRef, templateKey; final long receivedAt; final byte[] evidence;
        long completesAt, completedAt; String outcome;
        ScheduledFuture<?> timeout;
        VerificationRequest(String requestId, String partnerCode, String applicantRef, String templateKey, long receivedAt, byte[] evidence) {
            this.requestId = requestId; this.partnerCode = partnerCode; this.applicantRef = applicantRef; this.templateKey = templateKey; this.receivedAt = receivedAt; this.evidence = evidence;
        }
    }

    /** Logging context of the scheduling caller, re-established when the task runs. */
    static final ThreadLocal<Map<String, String>> MDC = ThreadLocal.withInitial(HashMap::new);

    /** A scheduled task decorated with a copy of the caller's logging context. */
    static final class ContextTask<V> implements RunnableScheduledFuture<V> {
        final RunnableScheduledFuture<V> inner; final Runnable command; final Map<String, String> context; final TimeoutScheduler owner;
        ContextTask(RunnableScheduledFuture<V> inner, Runnable command, Map<String, String> context, TimeoutScheduler owner) {
            this.inner = inner; this.command = command; this.context = context; this.owner = owner;
        }
        @Override public void run() {
            Map<String, String> saved = MDC.get();
            MDC.set(context);
            try { inner.run(); } finally { MDC.set(saved); }
        }
        @Override public boolean cancel(boolean mayInterrupt) {
            boolean c = inner.cancel(mayInterrupt);
            // the JDK's own remove-on-cancel only sees the inner task, so honour the policy here
            if (c && owner.getRemoveOnCancelPolicy()) owner.remove(this);
            return c;
        }
        @Override public boolean isPeriodic() { return inner.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return inner.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return inner.compareTo(o instanceof ContextTask<?> c ? c.inner : o); }
        @Override public boolean isCancelled() { return inner.isCancelled(); }
        @Override public boolean isDone() { return inner.isDone(); }
        @Override public V get() throws InterruptedException, ExecutionException { return inner.get(); }
        @Override public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException { return inner.get(timeout, unit); }
    }

    static final class TimeoutScheduler extends ScheduledThreadPoolExecutor {
        TimeoutScheduler(ThreadFactory f) { super(1, f); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) {
            return new ContextTask<>(task, r, new HashMap<>(MDC.get()), this);
        }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
            return new ContextTask<>(task, null, new HashMap<>(MDC.get()), this);
        }
    }

    static final class ResultCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        ResultCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > RESULT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Partner> PARTNERS_BY_CODE = new HashMap<>();

    static final class VerificationService {
        final Map<String, DocTemplate> templates = new HashMap<>();
        final ResultCache results = new ResultCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Completed[] completed = new Completed[RING];
        long completedCount, timedOut, cancelledTimeouts;
        final Map<String, VerificationRequest> inFlight = new HashMap<>();
        final AtomicLong vendorPings = new AtomicLong();
        final TimeoutScheduler scheduler = new TimeoutScheduler(r -> { Thread t = new Thread(r, "kyc-timeouts"); t.setDaemon(true); return t; });

        void receive(VerificationRequest req) {
            inFlight.put(req.requestId, req);
            Map<String, String> mdc = MDC.get();
            mdc.put("requestId", req.requestId);
            mdc.put("partner", req.partnerCode);
            mdc.put("traceId", Long.toHexString(0x5a00_0000_0000L ^ req.receivedAt ^ req.requestId.hashCode()));
            // fail the request if the vendor never calls back within the hour
            req.timeout = scheduler.schedule(() -> expire(req), 1, TimeUnit.HOURS);
            mdc.clear();
        }
        void expire(VerificationRequest req) {
            if (inFlight.remove(req.requestId) != null) { req.outcome = "TIMED_OUT"; timedOut++; }
        }
        void complete(VerificationRequest req, String outcome) {
            inFlight.remove(req.requestId);
            req.outcome = outcome;
            req.completedAt = req.completesAt;
            if (req.timeout.cancel(false)) cancelledTimeouts++;
            req.timeout = null;
            completed[(int) (completedCount++ % RING)] = new Completed(req.requestId, req.partnerCode, outcome, req.receivedAt, req.completedAt);
        }
    }

    static VerificationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val89.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - MINUTES * MINUTE;
        Random rnd = new Random(89_030_001);
        String[] partnerCodes = new String[PARTNERS];
        for (int p = 0; p < PARTNERS; p++) {
            double[] sla = new double[96];
            for (int k = 0; k < sla.length; k++) sla[k] = 0.9 + rnd.nextDouble() * 0.1;
            partnerCodes[p] = "PTN-" + (10_000 + p);
            PARTNERS_BY_CODE.put(partnerCodes[p], new Partner(partnerCodes[p], "Partner app " + p, sla));
        }
        VerificationService svc = new VerificationService();
        SERVICE = svc;
        if (FIXED) svc.scheduler.setRemoveOnCancelPolicy(true);
        String[] countries = {"GB", "DE", "FR", "ES", "IT", "NL", "PL", "IE", "PT", "SE", "US", "CA"};
        String[] docTypes = {"PASSPORT", "ID_CARD", "DRIVING_LICENCE", "RESIDENCE_PERMIT"};
        String[] templateKeys = new String[TEMPLATES];
        for (int t = 0; t < TEMPLATES; t++) {
            String c = countries[t % countries.length], dt = docTypes[(t / countries.length) % docTypes.length];
            templateKeys[t] = c + "-" + dt + "-v" + t;
            svc.templates.put(templateKeys[t], new DocTemplate(templateKeys[t], c, dt, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        // one legitimate periodic task: the vendor health ping
        svc.scheduler.scheduleAtFixedRate(svc.vendorPings::incrementAndGet, 30, 30, TimeUnit.SECONDS);

        Random traffic = new Random(89_030_002);
        String[] outcomes = {"APPROVED", "APPROVED", "APPROVED", "REJECTED", "REFER"};
        PriorityQueue<VerificationRequest> pending = new PriorityQueue<>((x, y) -> Long.compare(x.completesAt, y.completesAt));
        long manualReviews = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            while (!pending.isEmpty() && pending.peek().completesAt <= t) { VerificationRequest r = pending.poll(); svc.complete(r, outcomes[(int) (r.receivedAt % outcomes.length)]); }
            VerificationRequest req = new VerificationRequest("KYC-" + (31_000_000 + i), partnerCodes[traffic.nextInt(PARTNERS)], "APL-" + (5_000_000 + traffic.nextInt(2_000_000)),
                    templateKeys[traffic.nextInt(TEMPLATES)], t, new byte[120 + traffic.nextInt(240)]);
            boolean manual = traffic.nextInt(50) == 0;
            if (manual) manualReviews++;
            req.completesAt = t + (manual ? (10 + traffic.nextInt(31)) * MINUTE : (2 + traffic.nextInt(89)) * SECOND);
            pending.add(req);
            svc.receive(req);
            String key = "result-" + traffic.nextInt(4_000);
            if (svc.results.get(key) == null) svc.results.put(key, new ResultPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
        }
        while (!pending.isEmpty() && pending.peek().completesAt <= end) { VerificationRequest r = pending.poll(); svc.complete(r, outcomes[(int) (r.receivedAt % outcomes.length)]); }
        pending = null;
        int queued = svc.scheduler.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "partners " + PARTNERS_BY_CODE.size() + " templates " + svc.templates.size() + " requests " + REQUESTS + " completed " + svc.completedCount + " in flight " + svc.inFlight.size()
                + " (manual reviews " + manualReviews + ") cancelled timeouts " + svc.cancelledTimeouts + " timed out " + svc.timedOut + " scheduler queue " + queued + " results " + svc.results.size() + " (evicted " + svc.results.evicted + ") pool " + svc.imageBuffers.size());
        check(PARTNERS_BY_CODE.size() == PARTNERS && svc.templates.size() == TEMPLATES, "reference data / directory");
        check(svc.completedCount + svc.inFlight.size() == REQUESTS && svc.cancelledTimeouts == svc.completedCount && svc.timedOut == 0 && svc.inFlight.size() > 0 && svc.inFlight.size() < 400, "requests");
        if (FIXED) check(queued == svc.inFlight.size() + 1, "queue holds in-flight timeouts and the ping: " + queued);
        else check(queued == REQUESTS + 1, "queue keeps every cancelled timeout: " + queued);
        check(svc.results.size() == RESULT_CAP && svc.results.evicted > 0, "result cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.completedCount > RING && svc.completed[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
