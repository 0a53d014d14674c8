// hprofscan-dump: name=val49-leak-lapidaries jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val49-leak-lapidaries-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 49 (written blind), LEAK: the order platform of a gem-cutting marketplace
 * (lapidary workshops cut and certify stones for jewellers). Workshop reference data, the stone
 * directory keyed by certificate number, a cache of rendered grading certificates at its cap, a
 * pool of image buffers, a ring of delivery attempts, and the partner webhook endpoints. Every
 * order event is delivered by webhook to the partner's endpoint; a failed delivery is rescheduled
 * on a ScheduledThreadPoolExecutor with capped exponential backoff (1, 2, 4, 8, 16, then every 30
 * minutes). There is no give-up: deliveries to endpoints that no longer exist (partners that moved
 * or shut their shop) are rescheduled forever, each retry task holding the delivery's payload.
 * Deliveries to live endpoints succeed (a transient failure is retried once) and are gone.
 *
 * <p>The simulated period runs in simulated time: a retry is scheduled on the executor with its
 * real delay (at least one minute, so the executor's worker never runs one during the few seconds
 * the program lives), and the simulation driver in main cancels that scheduled task and runs the
 * attempt itself when simulated time reaches it. At the dump the driver is gone and the executor's
 * queue holds exactly the retries still pending. See VALIDATION49.md.
 */
public final class Val49LeakLapidaries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, MAX_BACKOFF = 30 * MINUTE;
    static final int WORKSHOPS = 1_200, STONES = 24_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, ENDPOINTS = 400, DEAD = 30,
            HOURS = 10, DELIVERIES_PER_HOUR = 5_000, GIVE_UP_AFTER = 8;
    static boolean FIXED;

    record Workshop(String code, String town, double[] weeklyThroughput) {}
    record Stone(String certificateNo, String workshopCode, String cut, byte[] gradingReport, long certifiedAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record Attempt(long deliveryId, int endpoint, int status, int attempt, long at) {}

    static final class Endpoint {
        final int index;
        final String url, secret;
        final long goneSince; // Long.MAX_VALUE: alive
        long delivered, failed;
        Endpoint(int index, String url, String secret, long goneSince) { this.index = index; this.url = url; this.secret = secret; this.goneSince = goneSince; }
    }

    static final class Delivery {
        final long id;
        final Endpoint endpoint;
        final String event;
        final byte[] payload;
        final long createdAt;
        int attempts;
        long lastAttemptAt;
        Delivery(long id, Endpoint endpoint, String event, byte[] payload, long createdAt) { this.id = id; this.endpoint = endpoint; this.event = event; this.payload = payload; this.createdAt = createdAt; }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    /** Simulation driver (not part of the service): runs scheduled retries in simulated time. */
    static final class VirtualTime {
        record Due(long at, long seq, ScheduledFuture<?> future, Runnable task) {}
        final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
        long now, seq;
        void track(long at, ScheduledFuture<?> f, Runnable task) { due.add(new Due(at, seq++, f, task)); }
        void advanceTo(long t) {
            while (!due.isEmpty() && due.peek().at() <= t) {
                Due d = due.poll();
                now = d.at();
                if (d.future().cancel(false)) d.task().run();
            }
            now = t;
        }
    }

    static final Map<String, Workshop> WORKSHOPS_BY_CODE = new HashMap<>();

    static final class WebhookDispatcher {
        final Endpoint[] endpoints = new Endpoint[ENDPOINTS];
        final ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "webhook-retry-1"); t.setDaemon(true); return t; });
        final Attempt[] attemptLog = new Attempt[RING];
        long attemptsMade, delivered, retried, givenUp, transientFailures;
        VirtualTime clock;
        final Random net;
        WebhookDispatcher(Random net) { this.net = net; retries.setRemoveOnCancelPolicy(true); }

        void deliver(Delivery d) { attempt(d); }

        void attempt(Delivery d) {
            long at = clock.now;
            d.attempts++;
            d.lastAttemptAt = at;
            boolean gone = at >= d.endpoint.goneSince;
            boolean transientFailure = !gone && d.attempts == 1 && net.nextInt(40) == 0;
            int status = gone ? 410 : transientFailure ? 503 : 200;
            attemptLog[(int) (attemptsMade++ % RING)] = new Attempt(d.id, d.endpoint.index, status, d.attempts, at);
            if (status == 200) { delivered++; d.endpoint.delivered++; return; }
            d.endpoint.failed++;
            if (transientFailure) transientFailures++;
            if (FIXED && d.attempts >= GIVE_UP_AFTER) { givenUp++; return; } // fix: give up (dead-letter count, endpoint flagged)
            // BUG: no give-up; a delivery to a gone endpoint is rescheduled forever
            long delay = Math.min(MAX_BACKOFF, MINUTE << Math.min(d.attempts - 1, 5));
            Runnable task = new RetryTask(this, d);
            ScheduledFuture<?> f = retries.schedule(task, delay, TimeUnit.MILLISECONDS);
            clock.track(at + delay, f, task);
            retried++;
        }
    }

    static final class RetryTask implements Runnable {
        final WebhookDispatcher dispatcher;
        final Delivery delivery;
        RetryTask(WebhookDispatcher dispatcher, Delivery delivery) { this.dispatcher = dispatcher; this.delivery = delivery; }
        @Override public void run() { dispatcher.attempt(delivery); }
    }

    static final class OrderPlatform {
        final Map<String, Stone> stones = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final WebhookDispatcher webhooks;
        long events;
        OrderPlatform(Random net) { webhooks = new WebhookDispatcher(net); }
    }

    static OrderPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val49.fixed");
        int deliveries = DELIVERIES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(49_040_001);
        String[] workshopCodes = new String[WORKSHOPS];
        for (int w = 0; w < WORKSHOPS; w++) {
            double[] tp = new double[72];
            for (int k = 0; k < tp.length; k++) tp[k] = rnd.nextDouble() * 40;
            workshopCodes[w] = "LW-" + (3_000 + w);
            WORKSHOPS_BY_CODE.put(workshopCodes[w], new Workshop(workshopCodes[w], "Town " + (w % 250), tp));
        }
        OrderPlatform svc = new OrderPlatform(new Random(49_040_003));
        SERVICE = svc;
        String[] cuts = {"Brilliant", "Emerald", "Cushion", "Oval", "Pear", "Cabochon", "Princess", "Marquise"};
        String[] certs = new String[STONES];
        for (int s = 0; s < STONES; s++) {
            certs[s] = "GC" + (40_000_000 + s * 11);
            svc.stones.put(certs[s], new Stone(certs[s], workshopCodes[rnd.nextInt(WORKSHOPS)], cuts[s % cuts.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        WebhookDispatcher wh = svc.webhooks;
        // DEAD of the endpoints are gone: some before the period starts, the rest during its first 8 hours.
        for (int e = 0; e < ENDPOINTS; e++) {
            long goneSince = e % (ENDPOINTS / DEAD) == 7 && e / (ENDPOINTS / DEAD) < DEAD ? start - 2 * HOUR + (long) (e / (ENDPOINTS / DEAD)) * (10 * HOUR) / DEAD : Long.MAX_VALUE;
            wh.endpoints[e] = new Endpoint(e, "https://partner" + e + ".jewellers.example/hooks/orders", Long.toHexString(rnd.nextLong()), goneSince);
        }
        VirtualTime clock = new VirtualTime();
        wh.clock = clock;
        Random traffic = new Random(49_040_002);
        String[] events = {"order.placed", "stone.cut", "stone.certified", "order.shipped", "order.invoiced"};
        for (int i = 0; i < deliveries; i++) {
            long t = start + (end - MINUTE - start) * i / deliveries;
            clock.advanceTo(t);
            String cert = certs[traffic.nextInt(STONES)];
            String key = "cert-" + traffic.nextInt(4_500);
            if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
            Endpoint ep = wh.endpoints[traffic.nextInt(ENDPOINTS)];
            wh.deliver(new Delivery(7_000_000L + i, ep, events[traffic.nextInt(events.length)], new byte[1_000 + traffic.nextInt(2_000)], t));
            svc.events++;
        }
        clock.advanceTo(end);
        // Pending retries at the dump (from the executor's own queue).
        int pending = wh.retries.getQueue().size(), pendingGone = 0, pendingLive = 0;
        long minDelayMs = Long.MAX_VALUE;
        for (Runnable r : wh.retries.getQueue()) minDelayMs = Math.min(minDelayMs, ((ScheduledFuture<?>) r).getDelay(TimeUnit.MILLISECONDS));
        for (VirtualTime.Due d : clock.due) { if (((RetryTask) d.task()).delivery.endpoint.goneSince <= end) pendingGone++; else pendingLive++; }
        int tracked = clock.due.size();
        clock.due.clear();
        wh.clock = null;
        clock = null;
        int goneEndpoints = 0;
        for (Endpoint e : wh.endpoints) if (e.goneSince <= end) goneEndpoints++;
        System.out.println((FIXED ? "FIXED " : "") + "workshops " + WORKSHOPS_BY_CODE.size() + " stones " + svc.stones.size() + " deliveries " + svc.events + " attempts " + wh.attemptsMade + " delivered " + wh.delivered
                + " retried " + wh.retried + " transient " + wh.transientFailures + " given up " + wh.givenUp + " pending retries " + pending + " (gone endpoints " + pendingGone + ", live " + pendingLive
                + ", min delay " + minDelayMs + " ms, completed by worker " + wh.retries.getCompletedTaskCount() + ") gone endpoints " + goneEndpoints
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.imageBuffers.size());
        check(WORKSHOPS_BY_CODE.size() == WORKSHOPS && svc.stones.size() == STONES, "reference data / directory");
        check(goneEndpoints == DEAD && svc.events == deliveries, "endpoints / traffic");
        check(pending == tracked && pending == pendingGone + pendingLive && wh.retries.getCompletedTaskCount() == 0 && minDelayMs > 20_000, "executor queue holds the pending retries");
        check(wh.delivered + wh.givenUp + pending == deliveries, "every delivery delivered, given up or pending");
        if (FIXED) check(wh.givenUp > 0 && pendingGone < 700, "gone deliveries given up after " + GIVE_UP_AFTER + " attempts: " + pendingGone);
        else check(wh.givenUp == 0 && pendingGone > 2_000, "gone deliveries rescheduled forever: " + pendingGone);
        check(pendingLive < 10, "live retries short-lived: " + pendingLive);
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(wh.attemptsMade > RING && wh.attemptLog[RING - 1] != null, "attempt ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
