// hprofscan-dump: name=val151-leak-muralcommissions-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val151-leak-muralcommissions-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val151-leak-muralcommissions jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val151-leak-muralcommissions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 151 (written blind), LEAK: the request service of a public-mural commissioning
 * platform (quote requests, portfolio views, wall-survey uploads, proposal submissions), served by a
 * fixed pool of 6 worker threads kept for the whole run. Wall reference data, the artist directory,
 * a cache of rendered quotes at its cap, a pool of render buffers, a ring of the last requests and a
 * ring of the last error reports. Each worker thread has a per-thread RequestContext (a static
 * ThreadLocal) with a list of breadcrumbs (per-request diagnostic records) appended at every step
 * of a request; a handler pops its own breadcrumbs when it ends, but only on the success path: a
 * failed request (about one in ten) leaves its breadcrumbs below every later mark, so each worker's
 * list grows with the failed requests it served. See VALIDATION151.md.
 */
public final class Val151LeakMuralCommissions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int WALLS = 1_400, ARTISTS = 22_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, ERROR_RING = 256,
            WORKERS = 6, REQUESTS_PER_HOUR = 15_000;
    static final String[] KINDS = {"QUOTE_REQUEST", "PORTFOLIO_VIEW", "WALL_SURVEY_UPLOAD", "PROPOSAL_SUBMIT"};
    static final String[] STEPS = {"auth", "load-artist", "load-wall", "price-paint", "scaffold-check", "permit-lookup", "render-quote", "notify", "audit"};
    static final String[] REASONS = {"wall survey missing", "permit pending", "budget below minimum", "artist unavailable"};
    static boolean FIXED;

    record Wall(String code, String borough, double[] sunByWeek) {}
    record Artist(String id, String homeWall, String style, byte[] portfolio, long joinedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Request(long seq, String requestId, String kind, String artistId, String wallCode, long at, int steps, int failReason) {}
    record LogEntry(String requestId, String kind, int status, long at) {}
    record ErrorReport(String requestId, String reason, int crumbsAtFailure, long at) {}
    record Breadcrumb(String requestId, String step, long at, byte[] detail) {}

    static final class RequestFailed extends Exception {
        RequestFailed(String reason) { super(reason, null, false, false); }
    }

    /** Per-thread diagnostic context of a worker. */
    static final class RequestContext {
        final String worker = Thread.currentThread().getName();
        final ArrayList<Breadcrumb> crumbs = new ArrayList<>();
        long tasks, failures;
        int mark() { return crumbs.size(); }
        void crumb(String requestId, String step, long at, byte[] detail) { crumbs.add(new Breadcrumb(requestId, step, at, detail)); }
        /** Drops the breadcrumbs added since {@code mark} (a handler's own). */
        void popTo(int mark) { crumbs.subList(mark, crumbs.size()).clear(); }
    }

    static final ThreadLocal<RequestContext> CONTEXT = ThreadLocal.withInitial(RequestContext::new);

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Wall> WALLS_BY_CODE = new HashMap<>();

    static final class CommissionService {
        final Map<String, Artist> artists = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final LogEntry[] recent = new LogEntry[RING];
        final ErrorReport[] errors = new ErrorReport[ERROR_RING];
        long logged, failed;
        ThreadPoolExecutor workers;

        void handle(Request r) {
            RequestContext ctx = CONTEXT.get();
            int mark = ctx.mark();
            ctx.tasks++;
            if (FIXED) {
                try {
                    process(ctx, r);
                } catch (RequestFailed e) {
                    reportFailure(ctx, r, e);
                } finally {
                    ctx.popTo(mark);
                }
            } else {
                try {
                    process(ctx, r);
                    ctx.popTo(mark); // BUG: only on the success path; a failed request keeps its breadcrumbs
                } catch (RequestFailed e) {
                    reportFailure(ctx, r, e);
                }
            }
        }

        void process(RequestContext ctx, Request r) throws RequestFailed {
            for (int s = 0; s < r.steps(); s++) {
                ctx.crumb(r.requestId(), STEPS[s], r.at() + 40L * s, new byte[24 + (int) ((r.seq() * 31 + s * 7) % 32)]);
            }
            if (r.failReason() >= 0) throw new RequestFailed(REASONS[r.failReason()]);
            synchronized (this) {
                if (r.kind().equals("QUOTE_REQUEST")) {
                    String key = "quote-" + r.artistId() + "-" + r.wallCode();
                    if (quotes.get(key) == null) quotes.put(key, new Quote(key, new byte[500 + (int) (r.seq() % 500)], r.at()));
                }
                byte[] buf = renderBuffers.poll();
                buf[(int) (r.seq() % buf.length)] = (byte) r.seq();
                renderBuffers.add(buf);
                recent[(int) (logged++ % RING)] = new LogEntry(r.requestId(), r.kind(), 200, r.at());
            }
        }

        void reportFailure(RequestContext ctx, Request r, RequestFailed e) {
            ctx.failures++;
            synchronized (this) {
                errors[(int) (failed++ % ERROR_RING)] = new ErrorReport(r.requestId(), e.getMessage(), ctx.crumbs.size(), r.at());
                recent[(int) (logged++ % RING)] = new LogEntry(r.requestId(), r.kind(), 422, r.at());
            }
        }
    }

    static CommissionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val151.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(151_010_001);
        String[] wallCodes = new String[WALLS];
        for (int w = 0; w < WALLS; w++) {
            double[] sun = new double[60];
            for (int k = 0; k < sun.length; k++) sun[k] = rnd.nextDouble() * 12;
            String code = "WALL-" + (30_000 + w);
            wallCodes[w] = code;
            WALLS_BY_CODE.put(code, new Wall(code, "Borough " + (w % 32), sun));
        }
        CommissionService svc = new CommissionService();
        SERVICE = svc;
        String[] artistIds = new String[ARTISTS];
        String[] styles = {"trompe-l'oeil", "geometric", "typographic", "photorealist", "botanical", "abstract"};
        for (int a = 0; a < ARTISTS; a++) {
            String id = "ART-" + (500_000 + a);
            artistIds[a] = id;
            svc.artists.put(id, new Artist(id, wallCodes[rnd.nextInt(WALLS)], styles[a % styles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "mural-worker-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        svc.workers.prestartAllCoreThreads();

        Random traffic = new Random(151_010_002);
        CountDownLatch done = new CountDownLatch(requests);
        long expectedFailures = 0, expectedCrumbs = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int steps = 6 + traffic.nextInt(4);
            int reason = traffic.nextInt(10) == 0 ? traffic.nextInt(REASONS.length) : -1;
            if (reason >= 0) { expectedFailures++; expectedCrumbs += steps; }
            Request r = new Request(i, "RQ-" + (700_000_000L + i), KINDS[traffic.nextInt(KINDS.length)],
                    artistIds[traffic.nextInt(ARTISTS)], wallCodes[traffic.nextInt(WALLS)], t, steps, reason);
            svc.workers.execute(() -> {
                try { SERVICE.handle(r); } finally { done.countDown(); }
            });
        }
        check(done.await(120, TimeUnit.SECONDS), "requests not all served");

        // One probe per worker (the barrier holds all six at once, so each runs on its own thread).
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        CountDownLatch probed = new CountDownLatch(WORKERS);
        AtomicLong crumbSum = new AtomicLong(), taskSum = new AtomicLong(), failSum = new AtomicLong();
        AtomicInteger contexts = new AtomicInteger();
        for (int w = 0; w < WORKERS; w++) {
            svc.workers.execute(() -> {
                try {
                    RequestContext ctx = CONTEXT.get();
                    crumbSum.addAndGet(ctx.crumbs.size());
                    taskSum.addAndGet(ctx.tasks);
                    failSum.addAndGet(ctx.failures);
                    contexts.incrementAndGet();
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    probed.countDown();
                }
            });
        }
        check(probed.await(60, TimeUnit.SECONDS) && contexts.get() == WORKERS, "probes");
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " walls " + WALLS_BY_CODE.size() + " artists " + svc.artists.size()
                + " requests " + requests + " failed " + svc.failed + " (expected " + expectedFailures + ") breadcrumbs held " + crumbSum.get()
                + " (failed requests' breadcrumbs " + expectedCrumbs + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted
                + ") pool " + svc.renderBuffers.size() + " logged " + svc.logged);
        check(WALLS_BY_CODE.size() == WALLS && svc.artists.size() == ARTISTS, "reference data / directory");
        check(taskSum.get() == requests && failSum.get() == expectedFailures && svc.failed == expectedFailures, "traffic " + taskSum.get() + " / " + failSum.get());
        if (FIXED) check(crumbSum.get() == 0, "contexts cleared: " + crumbSum.get());
        else check(crumbSum.get() == expectedCrumbs, "breadcrumbs of failed requests kept: " + crumbSum.get());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.logged == requests && svc.recent[RING - 1] != null && svc.errors[ERROR_RING - 1] != null, "rings");
        svc = null; artistIds = null; wallCodes = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
