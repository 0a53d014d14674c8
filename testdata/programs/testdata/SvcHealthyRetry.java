// hprofscan-dump: name=svc-healthy-retry jvm="-Xmx256m" variants=mxbean
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
 * Healthy (tuning set, session 7; the twin of {@link SvcLeakRetryForever}): a webhook delivery
 * service with the same retry queue design ({@code DeliveryRetrier.retries}, a
 * {@code java.util.concurrent.DelayQueue<RetryTask>}), but with a limit of 5 attempts and a
 * dead-letter counter: a task whose 5th attempt fails is dropped and counted
 * ({@code DeliveryRetrier.deadLettered}). The queue holds 3,000 tasks, all first attempted within
 * the last 30 minutes, 1 to 4 attempts made each (the 5th and last one pending for some), each with a 1-3 KB
 * payload. The retry worker thread is alive (waiting for a delivery slot). Legitimate as well:
 * a product catalogue ({@code Catalogue.BY_SKU}, static, 16,000, about 30% of the heap), the
 * in-flight deliveries ({@code Dispatcher.inFlight}, 300), the endpoint directory (6,000), an
 * idempotency cache capped by size (20,000), metrics. Nothing leaks. See testdata/SCENARIOS.md,
 * "Session 7 tuning apps".
 */
public final class SvcHealthyRetry {
    static final int ENDPOINTS = 6_000;
    static final int QUEUED = 3_000;
    static final int MAX_ATTEMPTS = 5;
    static final int FLAKY = 400;
    static final int PRODUCTS = 16_000;
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

    /** Exponential backoff from 2 min, capped per endpoint, with jitter. */
    static long backoff(int attempts, long cap, Random rnd) {
        long base = attempts >= 12 ? cap : Math.min(cap, 120_000L << (attempts - 1));
        return base / 2 + (long) (rnd.nextDouble() * (base / 2));
    }

    /** Healthy: a task is retried at most MAX_ATTEMPTS times, then dead-lettered (counted, dropped). */
    static final class DeliveryRetrier {
        final DelayQueue<RetryTask> retries = new DelayQueue<>();
        final Semaphore slots;
        final AtomicLong retried = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final Thread worker;
        DeliveryRetrier(Semaphore slots) {
            this.slots = slots;
            worker = new Thread(() -> {
                try {
                    while (true) {
                        this.slots.acquire();
                        RetryTask t = retries.take();
                        t.attempts++;
                        if (t.attempts > MAX_ATTEMPTS) { deadLettered.incrementAndGet(); this.slots.release(); continue; }
                        t.lastAttemptAt = System.currentTimeMillis();
                        t.nextAttemptAt = t.lastAttemptAt + backoff(t.attempts, t.endpoint.retryCapMillis, new Random());
                        if (t.attempts < MAX_ATTEMPTS) retries.put(t); else deadLettered.incrementAndGet();
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

    static final class Product {
        final String sku; final String name; final String description; final java.math.BigDecimal price; final String[] tags;
        Product(String sku, String name, String description, java.math.BigDecimal price, String[] tags) { this.sku = sku; this.name = name; this.description = description; this.price = price; this.tags = tags; }
    }

    /** Legitimate: reference data loaded at startup (event payloads are rendered from it). */
    static final class Catalogue { static final Map<String, Product> BY_SKU = new HashMap<>(); }

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

    static final Random RND = new Random(70_703);
    static final String[] EVENTS = {"invoice.paid", "invoice.created", "order.shipped", "order.cancelled", "customer.updated"};
    static long deliverySeq = 40_000_000L;

    static String hex(int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) sb.append(String.format("%02x", RND.nextInt(256)));
        return sb.toString();
    }

    static byte[] payload() { byte[] b = new byte[1_024 + RND.nextInt(2_048)]; RND.nextBytes(b); return b; }

    /**
     * A task's history up to now: attempts from firstAttemptAt with the endpoint's backoff; null
     * when its last allowed attempt is already past (dead-lettered).
     */
    static RetryTask history(Endpoint e, long first, long now, int status, String error) {
        RetryTask t = new RetryTask("dlv-" + (++deliverySeq), e, EVENTS[RND.nextInt(EVENTS.length)], payload(), first);
        long at = first;
        int attempts = 1;
        long delay = backoff(attempts, e.retryCapMillis, RND);
        while (at + delay < now - 5_000L) {
            at += delay;
            attempts++;
            if (attempts >= MAX_ATTEMPTS) return null;
            delay = backoff(attempts, e.retryCapMillis, RND);
        }
        t.attempts = attempts; t.lastAttemptAt = at; t.nextAttemptAt = at + delay; t.lastStatus = status; t.lastError = error;
        return t;
    }

    static Service build(long now) {
        Service s = new Service();
        long[] caps = {10 * MINUTE, 20 * MINUTE, 30 * MINUTE};
        Endpoint[] all = new Endpoint[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            String id = "ep_" + (100_000 + i);
            long created = now - (30L + RND.nextInt(700)) * 24 * HOUR;
            Endpoint e = new Endpoint(id, "tenant-" + (i % 900), "https://hooks.tenant" + (i % 900) + ".example.com/in/" + i, hex(16), created, caps[i % caps.length]);
            e.lastHealthCheckAt = now - RND.nextInt(60_000);
            all[i] = e;
            s.endpoints.put(id, e);
        }
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (7_000_000 + i);
            Catalogue.BY_SKU.put(sku, new Product(sku, "Product " + i, "A well made product number " + i + " in " + (1 + i % 9) + " sizes, dispatched within 24 hours",
                java.math.BigDecimal.valueOf(99 + RND.nextInt(50_000), 2), new String[] {"cat-" + (i % 40), "brand-" + (i % 300)}));
        }
        // flaky endpoints: deliveries to them fail for a while; 5 attempts at most, then dead-lettered
        for (int k = 0; k < FLAKY; k++) all[k * (ENDPOINTS / FLAKY)].healthy = false;
        while (s.retrier.retries.size() < QUEUED) {
            Endpoint e = all[RND.nextInt(FLAKY) * (ENDPOINTS / FLAKY)];
            long first = now - 30 * MINUTE + RND.nextInt((int) (30 * MINUTE - 10_000));
            RetryTask t = history(e, first, now, 503, "HTTP 503 Service Unavailable");
            if (t == null) { s.retrier.deadLettered.incrementAndGet(); s.count("delivery.deadlettered"); continue; }
            s.retrier.retries.add(t);
            s.count("delivery.failed");
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
        int maxAttempts = 0;
        long oldestFirst = Long.MAX_VALUE;
        for (RetryTask t : s.retrier.retries) {
            maxAttempts = Math.max(maxAttempts, t.attempts);
            oldestFirst = Math.min(oldestFirst, t.firstAttemptAt);
        }
        check(s.retrier.retries.size() == QUEUED && maxAttempts <= MAX_ATTEMPTS && now - oldestFirst <= 30 * MINUTE, "retries " + s.retrier.retries.size());
        check(s.dispatcher.inFlight.size() == IN_FLIGHT && s.delivered.size() == IDEMPOTENCY_CAP && s.endpoints.size() == ENDPOINTS && Catalogue.BY_SKU.size() == PRODUCTS, "components");
        check(s.retrier.worker.isAlive() && s.retrier.retried.get() == 0, "worker");
        System.gc();
        DumpUtil.dump(variant, path);
        System.out.println("dumped " + path + ": " + s.retrier.retries.size() + " retry tasks (first attempt up to "
            + (now - oldestFirst) / MINUTE + " min ago, up to " + maxAttempts + " attempts), " + s.retrier.deadLettered.get() + " dead-lettered");
        System.exit(0);
    }
}
