// hprofscan-dump: name=svc-healthy-tokens jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-tokens-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Healthy (tuning set, session 6): a push-notification service. Its biggest structure is a device
 * directory keyed by random 64-hex push tokens: long-lived registrations (device id, platform,
 * registration date 1 to 10 months ago), no request state. Beside it, every structure the session-6
 * leak apps get wrong, done right: a static map of templates loaded once at startup
 * ({@code Templates.ASSETS}), a presence map keyed by {@link ClientKey} whose values were all
 * touched within the last minute (idle entries are swept), a delivery queue whose live consumer
 * has a modest backlog, a hand-written buffer pool with 4 buffers borrowed within the last second,
 * a hand-written linked LRU of recent deliveries at its capacity, and metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcHealthyTokens {
    static final int DEVICES = 40_000;
    static final int TEMPLATES = 80;
    static final int CLIENTS = 6_000;
    static final int PRESENCE_MAX_IDLE_MS = 60_000;
    static final int PRESENCE = 2_577;
    static final int BACKLOG = 50;
    static final int POOL_SIZE = 64;
    static final int POOL_BORROWED = 4;
    static final int RECENT_CAPACITY = 5_000;
    static final long SIM_MILLIS = 6L * 3600_000L;

    static Service RUNNING;

    enum Platform { IOS, ANDROID, WEB, DESKTOP }

    static final class DeviceRegistration {
        final String token; final String deviceId; final Platform platform; final long registeredAt;
        final String appVersion; final String locale; final long accountId;
        DeviceRegistration(String token, String deviceId, Platform platform, long registeredAt, String appVersion, String locale, long accountId) {
            this.token = token; this.deviceId = deviceId; this.platform = platform; this.registeredAt = registeredAt;
            this.appVersion = appVersion; this.locale = locale; this.accountId = accountId;
        }
    }

    static final class DeviceDirectory {
        final Map<String, DeviceRegistration> devices = new HashMap<>();
    }

    static final class Templates {
        static final Map<String, byte[]> ASSETS = new HashMap<>();
        static void loadAll(Random rnd) {
            String[] kinds = {"welcome", "reset-password", "order-shipped", "order-delivered", "weekly-digest",
                "price-drop", "back-in-stock", "login-alert", "invoice", "survey"};
            String[] langs = {"en", "de", "fr", "es", "it", "nl", "pl", "pt"};
            for (String k : kinds) for (String l : langs) {
                byte[] b = new byte[8_192 + rnd.nextInt(40_000)];
                rnd.nextBytes(b);
                ASSETS.put(k + "_" + l + ".html", b);
            }
        }
    }

    record ClientKey(String tenant, long accountId, Platform platform) {}

    static final class LastSeen {
        final long firstSeen; long lastAccess; int requests; String lastEndpoint;
        LastSeen(long firstSeen) { this.firstSeen = firstSeen; this.lastAccess = firstSeen; }
    }

    static final class PresenceTracker {
        final Map<ClientKey, LastSeen> lastSeen = new ConcurrentHashMap<>();
        void touch(ClientKey k, String endpoint, long now) {
            LastSeen s = lastSeen.computeIfAbsent(k, x -> new LastSeen(now));
            s.lastAccess = now; s.requests++; s.lastEndpoint = endpoint;
        }
        void sweep(long now) { lastSeen.values().removeIf(s -> now - s.lastAccess > PRESENCE_MAX_IDLE_MS); }
    }

    static final class Delivery {
        final long id; final String token; final String template; final long enqueuedAt; final byte[] payload;
        Delivery(long id, String token, String template, long enqueuedAt, byte[] payload) { this.id = id; this.token = token; this.template = template; this.enqueuedAt = enqueuedAt; this.payload = payload; }
    }

    static final class DeliveryQueue {
        final LinkedBlockingQueue<Delivery> pending = new LinkedBlockingQueue<>();
        final Semaphore rateLimit = new Semaphore(0);
        final AtomicLong delivered = new AtomicLong();
        final Thread consumer;
        DeliveryQueue() {
            consumer = new Thread(() -> {
                try {
                    while (true) {
                        rateLimit.acquire();
                        Delivery d = pending.take();
                        if (d.payload.length == 0) throw new IllegalStateException();
                        delivered.incrementAndGet();
                    }
                } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "push-delivery");
            consumer.setDaemon(true);
            consumer.start();
        }
    }

    static final class PayloadBuffer {
        final int id; final byte[] bytes = new byte[16_384]; long borrowedAt; String borrowedBy; int uses;
        PayloadBuffer(int id) { this.id = id; }
    }

    static final class BufferPool {
        final ArrayDeque<PayloadBuffer> available = new ArrayDeque<>();
        final Set<PayloadBuffer> inUse = new HashSet<>();
        BufferPool(int size) { for (int i = 0; i < size; i++) available.push(new PayloadBuffer(i)); }
        PayloadBuffer borrow(String who, long now) {
            PayloadBuffer b = available.pop(); b.borrowedAt = now; b.borrowedBy = who; b.uses++; inUse.add(b); return b;
        }
        void giveBack(PayloadBuffer b) { inUse.remove(b); b.borrowedBy = null; available.push(b); }
    }

    static final class RecentNode {
        final long deliveryId; final String token; long deliveredAt; RecentNode prev, next;
        RecentNode(long deliveryId, String token, long deliveredAt) { this.deliveryId = deliveryId; this.token = token; this.deliveredAt = deliveredAt; }
    }

    /** A hand-written LRU: doubly linked list (head = most recent) plus an index, capped. */
    static final class RecentDeliveries {
        final int capacity; RecentNode head, tail; int size;
        final Map<Long, RecentNode> index = new HashMap<>();
        RecentDeliveries(int capacity) { this.capacity = capacity; }
        void add(long id, String token, long now) {
            RecentNode n = new RecentNode(id, token, now);
            n.next = head; if (head != null) head.prev = n; head = n; if (tail == null) tail = n;
            index.put(id, n); size++;
            if (size > capacity) { RecentNode t = tail; tail = t.prev; tail.next = null; t.prev = null; index.remove(t.deliveryId); size--; }
        }
    }

    static final class Service {
        final DeviceDirectory directory = new DeviceDirectory();
        final PresenceTracker presence = new PresenceTracker();
        final DeliveryQueue queue = new DeliveryQueue();
        final BufferPool buffers = new BufferPool(POOL_SIZE);
        final RecentDeliveries recent = new RecentDeliveries(RECENT_CAPACITY);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static String hexToken(Random rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        StringBuilder sb = new StringBuilder(64);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return sb.toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() throws InterruptedException {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_601);
        Service s = new Service();
        Templates.loadAll(rnd);
        String[] tokens = new String[DEVICES];
        Platform[] ps = Platform.values();
        String[] locales = {"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pl-PL"};
        for (int i = 0; i < DEVICES; i++) {
            String t = hexToken(rnd);
            tokens[i] = t;
            long registered = now - 30L * 86_400_000L - (long) rnd.nextInt(270) * 86_400_000L - rnd.nextInt(86_400_000);
            s.directory.devices.put(t, new DeviceRegistration(t, "dev-" + (3_000_000 + i), ps[rnd.nextInt(ps.length)], registered,
                "5." + rnd.nextInt(12) + "." + rnd.nextInt(30), locales[rnd.nextInt(locales.length)], 900_000L + rnd.nextInt(25_000)));
        }
        String[] tenants = {"acme", "globex", "initech", "umbrella", "hooli"};
        String[] endpoints = {"/v1/inbox", "/v1/ack", "/v1/settings", "/v1/badge"};
        long id = 0;
        int steps = 40_000;
        for (int r = 0; r < steps; r++) {
            long t = start + (SIM_MILLIS - 1_000) * r / steps;
            ClientKey k = new ClientKey(tenants[rnd.nextInt(tenants.length)], 900_000L + rnd.nextInt(CLIENTS), ps[rnd.nextInt(ps.length)]);
            s.presence.touch(k, endpoints[rnd.nextInt(endpoints.length)], t);
            if (r % 200 == 199) s.presence.sweep(t);
            String tok = tokens[rnd.nextInt(DEVICES)];
            s.recent.add(++id, tok, t);
            s.count("delivered");
        }
        for (int i = 0; i < 2_500; i++) { // the last minute's traffic
            ClientKey k = new ClientKey(tenants[i % tenants.length], 900_000L + rnd.nextInt(CLIENTS), ps[rnd.nextInt(ps.length)]);
            s.presence.touch(k, endpoints[rnd.nextInt(endpoints.length)], now - 58_000 + i * 22L);
        }
        s.presence.sweep(now - 1_000);
        // the live consumer drains what came before, then is held by its rate limit
        for (int i = 0; i < 2_000; i++) s.queue.pending.add(new Delivery(++id, tokens[rnd.nextInt(DEVICES)], "welcome_en.html", now - 60_000 + i * 20L, new byte[256]));
        s.queue.rateLimit.release(2_000);
        while (s.queue.delivered.get() < 2_000) Thread.sleep(5);
        for (int i = 0; i < BACKLOG; i++) s.queue.pending.add(new Delivery(++id, tokens[rnd.nextInt(DEVICES)], "price-drop_de.html", now - 3_000 + i * 50L, new byte[256 + rnd.nextInt(512)]));
        for (int i = 0; i < 300; i++) s.buffers.giveBack(s.buffers.borrow("req-" + i, start + i * 1_000L));
        for (int i = 0; i < POOL_BORROWED; i++) s.buffers.borrow("POST /v1/push/" + (8_000 + i), now - 900 + i * 100L);
        check(s.directory.devices.size() == DEVICES, "devices");
        check(Templates.ASSETS.size() == TEMPLATES, "templates");
        check(s.queue.pending.size() == BACKLOG && s.queue.consumer.isAlive(), "backlog " + s.queue.pending.size());
        check(s.buffers.inUse.size() == POOL_BORROWED && s.buffers.available.size() == POOL_SIZE - POOL_BORROWED, "pool");
        check(s.recent.size == RECENT_CAPACITY && s.recent.index.size() == RECENT_CAPACITY, "recent");
        for (LastSeen x : s.presence.lastSeen.values()) check(now - x.lastAccess <= PRESENCE_MAX_IDLE_MS + 1_000, "presence age");
        check(s.presence.lastSeen.size() == PRESENCE, "presence " + s.presence.lastSeen.size());
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
