// hprofscan-dump: name=svc-leak-retryforever jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-retryforever-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 7): a webhook delivery service whose retrier
 * ({@code DeliveryRetrier.retries}, a {@code java.util.concurrent.DelayQueue<RetryTask>}) has no
 * attempt limit and no dead-letter queue. Deliveries to 300 decommissioned endpoints (their hosts
 * are gone: every attempt fails) are re-enqueued forever: 6,000 such tasks, first attempted
 * between 12 hours and 20 minutes before the dump, last attempted within the last 12 minutes,
 * tens to several hundred attempts each, each with a 1-3 KB payload. Beside them the same queue
 * holds 150 ordinary retries (live endpoints, first attempted within the last 10 minutes, 1-4
 * attempts). The retry worker thread is alive (waiting for a delivery slot). Legitimate: the
 * in-flight deliveries ({@code Dispatcher.inFlight}, 300), the endpoint directory (6,000), an
 * idempotency cache capped by size (20,000), metrics. See testdata/SCENARIOS.md, "Session 7
 * tuning apps".
 */
public final class SvcLeakRetryForever {
    static final int ENDPOINTS = 6_000;
    static final int DECOMMISSIONED = 300;
    static final int STUCK_PER_ENDPOINT = 20;
    static final int TRANSIENT = 150;
    static final int IN_FLIGHT = 300;
    static final int IDEMPOTENCY_CAP = 20_000;
    static final long HOUR = 3600_000L;
    static final long MINUTE = 60_000L;

    static Service RUNNING;

    static final class Endpoint {
        final String id; final String tenant; final String url; final String secret; final long createdAt; final long retryCapMillis;
        volatile boolean healthy = true; long lastHealthCheckAt;
        Endpoint(String id, String tenant, String url, String secret, long createdAt, long retryCapMillis) { this.id = id; this.tenant = tenant; this.url = url; this.secret = secret; this.createdAt = createdAt; this.retryCapMillis = retryCapMillis; }
    }

    /** A failed delivery waiting for its next attempt. */
    static final class RetryTask implements Delayed {
        final String deliveryId; final Endpoint endpoint; final String eventType; final byte[] payload;
        final long firstAttemptAt; long lastAttemptAt; long nextAttemptAt; int attempts; int lastStatus; String lastError;
        RetryTask(String deliveryId, Endpoint endpoint, String eventType, byte[] payload, long firstAttemptAt) {
            this.deliveryId = deliveryId; this.endpoint = endpoint; this.eventType = eventType; this.payload = payload; this.firstAttemptAt = firstAttemptAt;
        }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(nextAttemptAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) { return Long.compare(nextAttemptAt, ((RetryTask) o).nextAttemptAt); }
    }

    /** Exponential backoff from 30 s, capped per endpoint, with jitter; no attempt limit. */
    static long backoff(int attempts, long cap, Random rnd) {
        long base = attempts >= 12 ? cap : Math.min(cap, 30_000L << (attempts - 1));
        return base / 2 + (long) (rnd.nextDouble() * (base / 2));
    }

    /** Leaking: a failed task is always re-enqueued; nothing ever gives up on it. */
    static final class DeliveryRetrier {
        final DelayQueue<RetryTask> retries = new DelayQueue<>();
        final Semaphore slots;
        final AtomicLong retried = new AtomicLong();
        final Thread worker;
        DeliveryRetrier(Semaphore slots) {
            this.slots = slots;
            worker = new Thread(() -> {
                try {
                    while (true) {
                        this.slots.acquire();
                        RetryTask t = retries.take();
                        t.attempts++;
                        t.lastAttemptAt = System.currentTimeMillis();
                        t.nextAttemptAt = t.lastAttemptAt + backoff(t.attempts, t.endpoint.retryCapMillis, new Random());
                        retries.put(t); // failed again: back in the queue, forever
                        retried.incrementAndGet();
                        this.slots.release();
                    }
                } catch (InterruptedException ie) { Thread.currentThread().interrupt(); }
            }, "delivery-retrier");
            worker.setDaemon(true);
            worker.start();
        }
    }

    static final class Delivery {
        final String deliveryId; final Endpoint endpoint; final String eventType; final byte[] payload; final long startedAt;
        Delivery(String deliveryId, Endpoint endpoint, String eventType, byte[] payload, long startedAt) { this.deliveryId = deliveryId; this.endpoint = endpoint; this.eventType = eventType; this.payload = payload; this.startedAt = startedAt; }
    }

    static final class Dispatcher {
        final ConcurrentHashMap<String, Delivery> inFlight = new ConcurrentHashMap<>();
    }

    /** Legitimate: delivery ids already acknowledged, capped by size. */
    static final class IdempotencyCache extends LinkedHashMap<String, Long> {
        IdempotencyCache() { super(2 * IDEMPOTENCY_CAP, 0.75f, false); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> e) { return size() > IDEMPOTENCY_CAP; }
    }

    static final class Service {
        final Map<String, Endpoint> endpoints = new HashMap<>();
        final Semaphore slots = new Semaphore(0);
        final Dispatcher dispatcher = new Dispatcher();
        final DeliveryRetrier retrier = new DeliveryRetrier(slots);
        final IdempotencyCache delivered = new IdempotencyCache();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static final Random RND = new Random(70_702);
    static final String[] EVENTS = {"invoice.paid", "invoice.created", "order.shipped", "order.cancelled", "customer.updated"};
    static long deliverySeq = 40_000_000L;

    static String hex(int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) sb.append(String.format("%02x", RND.nextInt(256)));
        return sb.toString();
    }

    static byte[] payload() { byte[] b = new byte[1_024 + RND.nextInt(2_048)]; RND.nextBytes(b); return b; }

    /** A task's history up to now: attempts from firstAttemptAt with the endpoint's backoff. */
    static RetryTask history(Endpoint e, long first, long now, int status, String error) {
        RetryTask t = new RetryTask("dlv-" + (++deliverySeq), e, EVENTS[RND.nextInt(EVENTS.length)], payload(), first);
        long at = first;
        int attempts = 1;
        long delay = backoff(attempts, e.retryCapMillis, RND);
        while (at + delay < now - 5_000L) {
            at += delay;
            attempts++;
            delay = backoff(attempts, e.retryCapMillis, RND);
        }
        t.attempts = attempts; t.lastAttemptAt = at; t.nextAttemptAt = at + delay; t.lastStatus = status; t.lastError = error;
        return t;
    }

    static Service build(long now) {
        Service s = new Service();
        long[] caps = {2 * MINUTE, 5 * MINUTE, 12 * MINUTE};
        Endpoint[] all = new Endpoint[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            String id = "ep_" + (100_000 + i);
            long created = now - (30L + RND.nextInt(700)) * 24 * HOUR;
            Endpoint e = new Endpoint(id, "tenant-" + (i % 900), "https://hooks.tenant" + (i % 900) + ".example.com/in/" + i, hex(16), created, caps[i % caps.length]);
            e.lastHealthCheckAt = now - RND.nextInt(60_000);
            all[i] = e;
            s.endpoints.put(id, e);
        }
        // decommissioned endpoints: hosts gone, every attempt fails; their tasks never leave the queue
        for (int k = 0; k < DECOMMISSIONED; k++) {
            Endpoint e = all[k * (ENDPOINTS / DECOMMISSIONED)];
            e.healthy = false;
            long goneAt = now - 12 * HOUR + (long) k * (11 * HOUR + 40 * MINUTE) / DECOMMISSIONED;
            for (int j = 0; j < STUCK_PER_ENDPOINT; j++) {
                long first = goneAt + (now - 20 * MINUTE - goneAt) * j / STUCK_PER_ENDPOINT;
                s.retrier.retries.add(history(e, first, now, 0, "java.net.UnknownHostException: " + e.url.substring(8, e.url.indexOf('/', 8))));
                s.count("delivery.failed");
            }
        }
        // ordinary transient failures of live endpoints: a few attempts, they will succeed
        for (int i = 0; i < TRANSIENT; i++) {
            Endpoint e = all[1 + RND.nextInt(ENDPOINTS - 1)];
            if (!e.healthy) { i--; continue; }
            RetryTask t;
            do {
                long first = now - 10 * MINUTE + RND.nextInt((int) (10 * MINUTE - 20_000));
                t = history(e, first, now, 503, "HTTP 503 Service Unavailable");
            } while (t.attempts > 4);
            s.retrier.retries.add(t);
        }
        // acknowledged deliveries
        for (int i = 0; i < IDEMPOTENCY_CAP + 12_000; i++) {
            s.delivered.put("dlv-" + (30_000_000L + i), now - 6 * HOUR + i * 500L);
        }
        // in flight right now: every delivery slot taken
        for (int i = 0; i < IN_FLIGHT; i++) {
            Endpoint e = all[1 + RND.nextInt(ENDPOINTS - 1)];
            String id = "dlv-" + (++deliverySeq);
            s.dispatcher.inFlight.put(id, new Delivery(id, e, EVENTS[RND.nextInt(EVENTS.length)], payload(), now - RND.nextInt(5_000)));
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String path = args[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Service s = RUNNING;
        int stuck = 0, maxAttempts = 0, minAttempts = Integer.MAX_VALUE, transientMax = 0;
        long oldestFirst = Long.MAX_VALUE, oldestLast = Long.MAX_VALUE;
        for (RetryTask t : s.retrier.retries) {
            if (!t.endpoint.healthy) {
                stuck++;
                maxAttempts = Math.max(maxAttempts, t.attempts);
                minAttempts = Math.min(minAttempts, t.attempts);
                oldestFirst = Math.min(oldestFirst, t.firstAttemptAt);
                oldestLast = Math.min(oldestLast, t.lastAttemptAt);
            } else {
                transientMax = Math.max(transientMax, t.attempts);
            }
        }
        check(stuck == DECOMMISSIONED * STUCK_PER_ENDPOINT && s.retrier.retries.size() == stuck + TRANSIENT, "retries " + s.retrier.retries.size());
        check(now - oldestLast <= 15 * MINUTE && transientMax <= 4, "attempt times");
        check(s.dispatcher.inFlight.size() == IN_FLIGHT && s.delivered.size() == IDEMPOTENCY_CAP && s.endpoints.size() == ENDPOINTS, "components");
        check(s.retrier.worker.isAlive() && s.retrier.retried.get() == 0, "worker");
        System.gc();
        DumpUtil.dump(variant, path);
        System.out.println("dumped " + path + ": " + s.retrier.retries.size() + " retry tasks, " + stuck + " for decommissioned endpoints (first attempt up to "
            + (now - oldestFirst) / MINUTE + " min ago, last attempt at most " + (now - oldestLast) / MINUTE + " min ago, " + minAttempts + " to " + maxAttempts + " attempts)");
        System.exit(0);
    }
}
