// hprofscan-dump: name=val100-leak-interiordesign jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val100-leak-interiordesign-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 100 (written blind), LEAK: the client portal of an interior-design studio
 * (clients upload mood boards, designers publish room renders). Fabric-swatch reference data, the
 * client directory, a cache of rendered room thumbnails at its cap, a pool of upload buffers, a
 * ring of recent portal activity, and a cached thread pool of render workers ("render-N",
 * ThreadPoolExecutor(0, unbounded, 10 min keep-alive, SynchronousQueue)) to which requests hand
 * thumbnail renders. The request context (request id, client, route, attributes and the uploaded
 * mood-board preview) lives in an InheritableThreadLocal whose childValue() makes a defensive
 * copy. The pool creates its workers on demand, on the request thread that submits the task, so
 * every new worker inherits a copy of the context of the request that happened to create it and
 * keeps it for its whole (idle) life. Render-farm slowdowns grew the pool to a few hundred workers.
 * The requests run on the main thread (the portal's request loop, simulated). See
 * VALIDATION100.md.
 */
public final class Val100LeakInteriorDesign {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 30_000L;
    static final int FABRICS = 1_200, CLIENTS = 20_000, THUMB_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10;
    static boolean FIXED;

    record Fabric(String code, String collection, double[] spectrum) {}
    record Client(String clientId, String name, byte[] brief, long since) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record Activity(String clientId, String route, long at) {}

    /** The context of one portal request. */
    static final class RequestContext {
        final String requestId, clientId, route; final long startedAt;
        final Map<String, String> attributes;
        final byte[] moodBoardPreview;
        RequestContext(String requestId, String clientId, String route, long startedAt, Map<String, String> attributes, byte[] moodBoardPreview) {
            this.requestId = requestId; this.clientId = clientId; this.route = route; this.startedAt = startedAt;
            this.attributes = attributes; this.moodBoardPreview = moodBoardPreview;
        }
        /** Defensive copy, so that async work never sees later changes of the request's context. */
        RequestContext copy() { return new RequestContext(requestId, clientId, route, startedAt, new HashMap<>(attributes), moodBoardPreview.clone()); }
    }

    /** The current request's context: inheritable (the bug) or plain, passed explicitly (the fix). */
    static ThreadLocal<RequestContext> CONTEXT;

    static ThreadLocal<RequestContext> newContextHolder() {
        if (FIXED) return new ThreadLocal<>();
        return new InheritableThreadLocal<>() {
            @Override protected RequestContext childValue(RequestContext parent) { return parent == null ? null : parent.copy(); }
        };
    }

    static final ThreadGroup RENDER_GROUP = new ThreadGroup("render");

    static final class RenderThreads implements ThreadFactory {
        final AtomicLong created = new AtomicLong();
        long inheritedBytes, inheritedFrom = Long.MAX_VALUE, inheritedTo;
        @Override public Thread newThread(Runnable r) {
            RequestContext c = CONTEXT.get(); // runs on the submitting request thread: what the new worker inherits
            if (c != null) { inheritedBytes += c.moodBoardPreview.length; inheritedFrom = Math.min(inheritedFrom, c.startedAt); inheritedTo = Math.max(inheritedTo, c.startedAt); }
            Thread t = new Thread(RENDER_GROUP, r, "render-" + created.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Client> clients = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> uploadBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        long activityWritten, requests, rendersSubmitted;
        final AtomicLong rendersDone = new AtomicLong();
        final ThreadPoolExecutor renderPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.MINUTES, new SynchronousQueue<>(), new RenderThreads());
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /**
     * Waits until every render submitted so far has completed and every worker is parked in the
     * pool's queue (idle). (A worker that was handed a task can still look parked until it runs.)
     */
    static void awaitIdle(Portal portal) throws InterruptedException {
        ThreadPoolExecutor pool = portal.renderPool;
        while (true) {
            Thread[] ts = new Thread[RENDER_GROUP.activeCount() + 16];
            int n = RENDER_GROUP.enumerate(ts);
            boolean idle = portal.rendersDone.get() == portal.rendersSubmitted && pool.getActiveCount() == 0 && n == pool.getPoolSize();
            for (int i = 0; i < n && idle; i++) idle = ts[i].getState() == Thread.State.TIMED_WAITING;
            if (idle) return;
            Thread.sleep(1);
        }
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long last = end - MINUTE;
        Random rnd = new Random(100_040_001);
        for (int k = 0; k < FABRICS; k++) {
            double[] spectrum = new double[64];
            for (int w = 0; w < spectrum.length; w++) spectrum[w] = rnd.nextDouble();
            String code = "FAB-" + (7_000 + k);
            FABRICS_BY_CODE.put(code, new Fabric(code, "Collection " + (k % 40), spectrum));
        }
        Portal portal = new Portal();
        SERVICE = portal;
        String[] clientIds = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "IDC-" + (810_000 + c * 13);
            portal.clients.put(clientIds[c], new Client(clientIds[c], "Client " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) portal.uploadBuffers.add(new byte[65_536]);
        String[] routes = {"GET /portal/projects/{id}", "POST /portal/moodboards", "GET /portal/rooms/{id}/renders", "POST /portal/rooms/{id}/comments", "GET /portal/invoices"};
        String[] locales = {"en-GB", "en-US", "fr-FR", "de-DE", "it-IT"};
        // Render-farm slowdowns: while one lasts, no render completes; [start hour, minutes].
        double[][] slowdowns = {{2.0, 15}, {4.5, 30}, {6.5, 40}, {8.5, 55}};
        Random traffic = new Random(100_040_002);
        int ticks = (int) ((last - start) / TICK);
        CountDownLatch farm = new CountDownLatch(1);
        int outstanding = 0, peak = 0, model = 0; // model: workers the pool must have (idle ones are reused first)
        int slowdown = 0;
        long expectedBytes = 0;
        for (int k = 0; k <= ticks; k++) {
            long t = start + k * TICK;
            boolean slow = false;
            for (double[] s : slowdowns) {
                long from = start + (long) (s[0] * HOUR);
                if (t >= from && t < from + (long) s[1] * MINUTE) slow = true;
            }
            int requests = 3 + traffic.nextInt(6);
            for (int r = 0; r < requests; r++) {
                String clientId = clientIds[traffic.nextInt(CLIENTS)];
                int route = traffic.nextInt(routes.length);
                Map<String, String> attrs = new HashMap<>();
                attrs.put("locale", locales[traffic.nextInt(locales.length)]);
                attrs.put("traceId", Long.toHexString(0x5a00_0000_0000L + portal.requests));
                attrs.put("projectId", "PRJ-" + (30_000 + traffic.nextInt(9_000)));
                attrs.put("userAgent", "portal-web/" + (5 + traffic.nextInt(3)));
                attrs.put("tenant", "studio-" + (1 + traffic.nextInt(6)));
                byte[] preview = new byte[route == 1 ? 16_384 + traffic.nextInt(16_384) : 2_048 + traffic.nextInt(2_048)];
                RequestContext ctx = new RequestContext("req-" + (90_000_000L + portal.requests), clientId, routes[route], t, attrs, preview);
                CONTEXT.set(ctx);
                try {
                    portal.requests++;
                    portal.activity[(int) (portal.activityWritten++ % RING)] = new Activity(clientId, routes[route], t);
                    String key = "TH-" + traffic.nextInt(4_000);
                    if (portal.thumbnails.get(key) == null) portal.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], t));
                    if (route == 1) {
                        byte[] buf = portal.uploadBuffers.poll();
                        System.arraycopy(preview, 0, buf, 0, Math.min(preview.length, buf.length));
                        portal.uploadBuffers.add(buf);
                    }
                    int renders = route == 1 ? 1 + traffic.nextInt(3) : route == 2 ? traffic.nextInt(2) : 0;
                    for (int j = 0; j < renders; j++) {
                        CountDownLatch done = farm;
                        String requestId = ctx.requestId; // the fix passes what the render needs explicitly
                        portal.renderPool.execute(() -> {
                            try { done.await(); } catch (InterruptedException e) { return; }
                            if (requestId.isEmpty()) throw new IllegalStateException();
                            portal.rendersDone.incrementAndGet();
                        });
                        portal.rendersSubmitted++;
                        if (model == outstanding) { model++; expectedBytes += ctx.moodBoardPreview.length; }
                        outstanding++;
                        peak = Math.max(peak, outstanding);
                    }
                } finally {
                    CONTEXT.remove();
                }
            }
            if (!slow && outstanding > 0) { // the renders of this tick (and of a slowdown that just ended) complete
                farm.countDown();
                awaitIdle(portal);
                farm = new CountDownLatch(1);
                outstanding = 0;
            }
            if (slow) slowdown++;
        }
        farm.countDown();
        awaitIdle(portal);
        ThreadPoolExecutor pool = portal.renderPool;
        Thread[] ts = new Thread[RENDER_GROUP.activeCount() + 16];
        int n = RENDER_GROUP.enumerate(ts);
        System.out.println((FIXED ? "FIXED " : "") + "fabrics " + FABRICS_BY_CODE.size() + " clients " + portal.clients.size() + " requests " + portal.requests + " renders " + portal.rendersSubmitted + "/" + portal.rendersDone.get()
                + " slow ticks " + slowdown + " pool " + pool.getPoolSize() + " (largest " + pool.getLargestPoolSize() + ", peak " + peak + ", threads " + n + ") activity " + portal.activityWritten
                + " thumbnails " + portal.thumbnails.size() + " (evicted " + portal.thumbnails.evicted + ") uploads pool " + portal.uploadBuffers.size());
        java.util.Arrays.fill(ts, null);
        RenderThreads factory = (RenderThreads) pool.getThreadFactory();
        System.out.println("workers created on requests from " + (end - factory.inheritedFrom) / MINUTE + " to " + (end - factory.inheritedTo) / MINUTE + " minutes before the dump; their contexts' previews: " + factory.inheritedBytes + " bytes (expected " + expectedBytes + ")");
        check(factory.inheritedBytes == expectedBytes, "workers created by the expected requests");
        check(FABRICS_BY_CODE.size() == FABRICS && portal.clients.size() == CLIENTS, "reference data / directory");
        check(portal.rendersDone.get() == portal.rendersSubmitted, "every render done");
        check(pool.getPoolSize() == model && pool.getLargestPoolSize() == model && model == peak && n == model, "pool grew to the peak of concurrent renders: " + pool.getPoolSize());
        check(portal.thumbnails.size() == THUMB_CAP && portal.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(portal.uploadBuffers.size() == POOL, "upload buffer pool");
        check(portal.activityWritten > RING && portal.activity[RING - 1] != null, "activity ring wraps");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val100.fixed");
        CONTEXT = newContextHolder();
        build();
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
