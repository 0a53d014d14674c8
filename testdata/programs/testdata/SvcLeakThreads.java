// hprofscan-dump: name=svc-leak-threads jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-threads-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Leak #9: a webhook delivery service starts a new thread per delivery that requires an
 * asynchronous callback, "callback-waiter-<n>", which waits on a CountDownLatch for the partner's
 * callback; partners that never call back leave the thread blocked forever. 350 such threads are
 * alive at dump time, each holding its delivery (with a 2 KiB payload). Beside it: a fixed pool of
 * 4 delivery workers, a subscription directory by tenant code, static HTTP status reference data,
 * a ring buffer of recent delivery attempts and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakThreads {
    static final int DELIVERIES = 12_000;
    static final int CALLBACK_EVERY = 20;
    static final int STUCK_THREADS = 350;
    static final int TENANTS = 3_000;
    static final int SUBSCRIPTIONS_PER_TENANT = 4;
    static final int STATUS_CODES = 600;
    static final int RING = 4_096;
    static final int WORKERS = 4;
    static final long SIM_HOURS = 10;

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class HttpStatus {
        final int code;
        final String reason;
        final boolean retryable;

        HttpStatus(int code, String reason, boolean retryable) {
            this.code = code;
            this.reason = reason;
            this.retryable = retryable;
        }
    }

    static final class StatusCatalog {
        static final Map<Integer, HttpStatus> BY_CODE = new HashMap<>();

        static void load() {
            for (int i = 0; i < STATUS_CODES; i++) {
                int code = 1000 + i;
                BY_CODE.put(code, new HttpStatus(code, "Status reason number " + code, i % 5 == 0));
            }
        }
    }

    static final class Subscription {
        final String id;
        final String url;
        final String secret;
        final String eventType;

        Subscription(String id, String url, String secret, String eventType) {
            this.id = id;
            this.url = url;
            this.secret = secret;
            this.eventType = eventType;
        }
    }

    static final class Tenant {
        final String code;
        final String name;
        final List<Subscription> subscriptions = new ArrayList<>(SUBSCRIPTIONS_PER_TENANT);
        final long createdAt;

        Tenant(String code, long createdAt) {
            this.code = code;
            this.name = "Tenant " + code;
            this.createdAt = createdAt;
            for (int s = 0; s < SUBSCRIPTIONS_PER_TENANT; s++) {
                subscriptions.add(new Subscription(code + "-sub" + s, "https://" + code.toLowerCase() + ".partner.example/hook/" + s,
                        "whsec_" + code + s, s % 2 == 0 ? "order.created" : "order.shipped"));
            }
        }
    }

    static final class SubscriptionDirectory {
        final Map<String, Tenant> byTenant = new ConcurrentHashMap<>();

        Tenant get(int k) {
            return byTenant.computeIfAbsent("TN" + (100_000 + k), c -> new Tenant(c, 1_600_000_000_000L + k * 10_000L));
        }
    }

    static final class Attempt {
        final String deliveryId;
        final int status;
        final long at;

        Attempt(String deliveryId, int status, long at) {
            this.deliveryId = deliveryId;
            this.status = status;
            this.at = at;
        }
    }

    static final class AttemptRing {
        final Attempt[] slots = new Attempt[RING];
        long written;

        void add(Attempt a) {
            slots[(int) (written++ % RING)] = a;
        }
    }

    static final class Delivery {
        final String deliveryId;
        final Subscription subscription;
        final byte[] payload = new byte[2_048];
        boolean callbackReceived;

        Delivery(String deliveryId, Subscription subscription) {
            this.deliveryId = deliveryId;
            this.subscription = subscription;
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new long[1])[0]++;
        }
    }

    static final class WebhookService {
        final SimClock clock;
        final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("webhook-worker-"));
        final SubscriptionDirectory subscriptions = new SubscriptionDirectory();
        final AttemptRing attempts = new AttemptRing();
        final MetricsRegistry metrics = new MetricsRegistry();
        final CountDownLatch waitersStarted = new CountDownLatch(STUCK_THREADS);
        int stuck;

        WebhookService(SimClock clock) {
            this.clock = clock;
        }

        void awaitCallback(Delivery d, CountDownLatch callback) {
            waitersStarted.countDown();
            try {
                callback.await();
                d.callbackReceived = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void deliver(int n) {
            Tenant t = subscriptions.get((n * 7) % TENANTS);
            Subscription sub = t.subscriptions.get(n % SUBSCRIPTIONS_PER_TENANT);
            String id = "whd-" + (20_000_000 + n);
            int status = 1000 + n % STATUS_CODES;
            attempts.add(new Attempt(id, status, clock.getAsLong()));
            metrics.inc(StatusCatalog.BY_CODE.get(status).retryable ? "webhook.retry" : "webhook.ok");
            if (n % CALLBACK_EVERY == 0 && stuck < STUCK_THREADS) {
                // Partner confirms asynchronously; these partners never call back.
                Delivery d = new Delivery(id, sub);
                CountDownLatch callback = new CountDownLatch(1);
                Thread waiter = new Thread(() -> awaitCallback(d, callback), "callback-waiter-" + (10_000 + n));
                waiter.setDaemon(true);
                waiter.start();
                stuck++;
            }
        }

        void warmUpWorkers() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                fs.add(workers.submit(() -> barrier.await()));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        }
    }

    static WebhookService RUNNING;

    static void build() throws Exception {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        StatusCatalog.load();
        SimClock clock = new SimClock(start);
        WebhookService s = new WebhookService(clock);
        s.warmUpWorkers();
        for (int n = 0; n < DELIVERIES; n++) {
            clock.now = start + (end - start) * (n + 1) / DELIVERIES;
            s.deliver(n);
        }
        s.waitersStarted.await();
        if (s.stuck != STUCK_THREADS || s.subscriptions.byTenant.size() != TENANTS || s.attempts.written != DELIVERIES) {
            throw new IllegalStateException("unexpected sizes " + s.stuck);
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
