// hprofscan-dump: name=val3-leak-pushretry jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 3 (written blind), LEAKING: a mobile push-notification service.
 *
 * <p>When the push provider answers 429 (throttled), the handler starts a {@link RetryThread}
 * (an application subclass of {@code Thread}, created with {@code new}, never named, so the JVM
 * calls it {@code Thread-<n>}) that parks until the provider's "retry-after" callback unparks it.
 * That callback was removed in a provider API upgrade, so every throttled push leaves a live
 * thread parked forever, holding its notification (payload 1.5 KiB). 24,000 pushes, every 80th
 * throttled: 300 parked {@code RetryThread}s. No application field holds them; they are live
 * threads (GC roots).
 *
 * <p>Healthy beside it: a device registry keyed by random 64-hex-digit device tokens (30,000, the
 * largest structure), notification templates (reference data, 400), a pool of 8 provider
 * connections (all idle), a fixed pool of 4 named workers with a 16 KiB ThreadLocal scratch
 * buffer each, a ring buffer of the last 8,192 delivery receipts, metrics.
 * See testdata/VALIDATION3.md.
 */
public final class Val3LeakPushRetry {
    static final int DEVICES = 30_000;
    static final int TEMPLATES = 400;
    static final int PUSHES = 24_000;
    static final int THROTTLED_EVERY = 80;
    static final int PROVIDER_CONNECTIONS = 8;
    static final int WORKERS = 4;
    static final int RECEIPTS = 8_192;
    static final long SIM_MILLIS = 12L * 3600_000L;

    static PushService RUNNING;

    static final class Device {
        final String token; final long userId; final String platform; final String appVersion; final long registeredAt;
        Device(String token, long userId, String platform, String appVersion, long registeredAt) { this.token = token; this.userId = userId; this.platform = platform; this.appVersion = appVersion; this.registeredAt = registeredAt; }
    }

    static final class Template {
        final String id; final String title; final String body;
        Template(String id, String title, String body) { this.id = id; this.title = title; this.body = body; }
    }

    static final class Templates {
        static final Map<String, Template> BY_ID;
        static {
            Map<String, Template> m = new HashMap<>();
            for (int i = 0; i < TEMPLATES; i++) m.put("tpl-" + (1000 + i), new Template("tpl-" + (1000 + i), "Title " + i, "Hello {name}, message body number " + i + " with details"));
            BY_ID = Map.copyOf(m);
        }
    }

    static final class PushNotification {
        final String deviceToken; final Template template; final byte[] payload; final long createdAt; int attempts;
        PushNotification(String deviceToken, Template template, byte[] payload, long createdAt) { this.deviceToken = deviceToken; this.template = template; this.payload = payload; this.createdAt = createdAt; }
    }

    /** Waits for the provider's retry-after callback, then re-sends. */
    static final class RetryThread extends Thread {
        final PushNotification notification; final PushService service; volatile boolean retryAllowed;
        RetryThread(PushNotification notification, PushService service) {
            this.notification = notification; this.service = service;
            setDaemon(true);
        }
        @Override public void run() {
            service.retryThreadsStarted.countDown();
            while (!retryAllowed) LockSupport.park(this); // nobody ever unparks us
            notification.attempts++;
        }
    }

    static final class ProviderConnection {
        final int id; final String host; final byte[] frameBuffer = new byte[4_096]; boolean inUse; long lastUsedAt;
        ProviderConnection(int id, String host) { this.id = id; this.host = host; }
    }

    static final class Receipt {
        final String deviceToken; final int status; final long at;
        Receipt(String deviceToken, int status, long at) { this.deviceToken = deviceToken; this.status = status; this.at = at; }
    }

    static final class PushService {
        final Map<String, Device> devices = new HashMap<>();
        final ArrayBlockingQueue<ProviderConnection> connections = new ArrayBlockingQueue<>(PROVIDER_CONNECTIONS);
        final ExecutorService workers;
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
        final Receipt[] receipts = new Receipt[RECEIPTS];
        long receiptCount;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final CountDownLatch retryThreadsStarted = new CountDownLatch(PUSHES / THROTTLED_EVERY);

        PushService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> {
                Thread t = new Thread(r, "push-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            for (int i = 0; i < PROVIDER_CONNECTIONS; i++) connections.add(new ProviderConnection(i, "api.push-provider.example:443"));
        }

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void send(PushNotification p, long now, boolean throttled) throws InterruptedException {
            ProviderConnection c = connections.take();
            try {
                c.inUse = true; c.lastUsedAt = now;
                System.arraycopy(p.payload, 0, c.frameBuffer, 0, Math.min(p.payload.length, c.frameBuffer.length));
                p.attempts++;
                int status = throttled ? 429 : 200;
                receipts[(int) (receiptCount++ % RECEIPTS)] = new Receipt(p.deviceToken, status, now);
                if (throttled) {
                    count("push.throttled");
                    new RetryThread(p, this).start();
                } else {
                    count("push.sent");
                }
            } finally {
                c.inUse = false;
                connections.add(c);
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hexToken(Random rnd) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 4; i++) sb.append(String.format("%016x", rnd.nextLong()));
        return sb.toString();
    }

    static PushService build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        PushService svc = new PushService();
        Random rnd = new Random(8_080);
        String[] tokens = new String[DEVICES];
        for (int i = 0; i < DEVICES; i++) {
            tokens[i] = hexToken(rnd);
            svc.devices.put(tokens[i], new Device(tokens[i], 12_000_000L + i, i % 3 == 0 ? "ios" : "android", "5." + (i % 20) + ".0", start - 1_000L * rnd.nextInt(30_000_000)));
        }
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        Future<?>[] warm = new Future<?>[WORKERS];
        for (int i = 0; i < WORKERS; i++) warm[i] = svc.workers.submit(() -> { PushService.SCRATCH.get(); barrier.await(); return null; });
        for (Future<?> f : warm) f.get();
        for (int i = 0; i < PUSHES; i++) {
            long t = start + SIM_MILLIS * i / PUSHES;
            String token = tokens[rnd.nextInt(DEVICES)];
            Template tpl = Templates.BY_ID.get("tpl-" + (1000 + rnd.nextInt(TEMPLATES)));
            byte[] payload = new byte[1_536];
            payload[0] = '{';
            PushNotification p = new PushNotification(token, tpl, payload, t);
            Future<?> f = svc.workers.submit(() -> {
                byte[] scratch = PushService.SCRATCH.get();
                scratch[0] = payload[0];
                svc.send(p, t, (p.createdAt - start) / (SIM_MILLIS / PUSHES) % THROTTLED_EVERY == THROTTLED_EVERY - 1);
                return null;
            });
            f.get();
        }
        svc.retryThreadsStarted.await();
        int parked = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t instanceof RetryThread && t.isAlive()) parked++;
        check(parked == PUSHES / THROTTLED_EVERY, "parked retry threads " + parked);
        check(svc.connections.size() == PROVIDER_CONNECTIONS, "connections");
        check(svc.devices.size() == DEVICES && Templates.BY_ID.size() == TEMPLATES, "reference data");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
