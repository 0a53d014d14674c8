// hprofscan-dump: name=val5-leak-httproutes jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), LEAKING, series of three dumps: a webhook delivery service
 * whose HTTP client connection manager keeps one pool per route (scheme, host, port) and never
 * removes a route's pool. Most deliveries go to 16 long-lived customer gateways, but "one-shot"
 * subscriptions call back to ephemeral tunnel hosts ({@code cb-<12 hex>.tunnel.example.net}), one
 * host per delivery: each leaves a {@code RoutePool} with its released, idle keep-alive connection
 * (and its 2 KiB receive buffer) in {@code HttpConnectionManager.poolsByRoute}.
 * 1,500 -> 3,000 -> 6,000 ephemeral routes. See testdata/VALIDATION5.md.
 */
public final class Val5LeakHttpRoutes {
    static final int GATEWAYS = 16;
    static final int CONNS_PER_GATEWAY = 6;
    static final int SUBSCRIPTIONS = 5_000;
    static final int TEMPLATES = 2_000;
    static final int KEY_CACHE = 1_000;
    static final int RING = 4_096;
    static final int[] EPHEMERAL_IN_SEGMENT = {1_500, 1_500, 3_000};
    static final int[] REGULAR_IN_SEGMENT = {12_000, 3_000, 6_000};
    static final long SIM_MILLIS = 6L * 3600_000L;

    static WebhookService RUNNING;

    static final class HttpRoute {
        final String scheme; final String host; final int port;
        HttpRoute(String scheme, String host, int port) { this.scheme = scheme; this.host = host; this.port = port; }
        @Override public boolean equals(Object o) { return o instanceof HttpRoute && ((HttpRoute) o).host.equals(host) && ((HttpRoute) o).port == port && ((HttpRoute) o).scheme.equals(scheme); }
        @Override public int hashCode() { return Objects.hash(scheme, host, port); }
    }

    static final class PooledConnection {
        final HttpRoute route; final long id; final byte[] receiveBuffer = new byte[2_048]; final long createdAt; long lastUsedAt; int requests;
        PooledConnection(HttpRoute route, long id, long createdAt) { this.route = route; this.id = id; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
    }

    static final class RoutePool {
        final HttpRoute route; final int maxPerRoute; final ArrayDeque<PooledConnection> available = new ArrayDeque<>(2); final Set<PooledConnection> leased = new HashSet<>(2);
        final long createdAt;
        RoutePool(HttpRoute route, int maxPerRoute, long createdAt) { this.route = route; this.maxPerRoute = maxPerRoute; this.createdAt = createdAt; }
    }

    /** Apache-HttpClient-like pooling manager: per-route pools, created on first use, never pruned. */
    static final class HttpConnectionManager {
        final Map<HttpRoute, RoutePool> poolsByRoute = new ConcurrentHashMap<>();
        final int maxPerRoute = 8; long nextId = 1; long created;
        PooledConnection lease(HttpRoute route, long now) {
            RoutePool p = poolsByRoute.computeIfAbsent(route, r -> new RoutePool(r, maxPerRoute, now));
            PooledConnection c = p.available.pollFirst();
            if (c == null) { c = new PooledConnection(route, nextId++, now); created++; }
            p.leased.add(c);
            c.lastUsedAt = now; c.requests++;
            return c;
        }
        void release(PooledConnection c, long now) {
            RoutePool p = poolsByRoute.get(c.route);
            p.leased.remove(c);
            c.lastUsedAt = now;
            p.available.addFirst(c); // keep-alive: kept for reuse; BUG: the route's pool is never removed
        }
    }

    static final class Subscription {
        final long id; final String tenant; final String url; final String event; final boolean oneShot; final long createdAt;
        Subscription(long id, String tenant, String url, String event, boolean oneShot, long createdAt) { this.id = id; this.tenant = tenant; this.url = url; this.event = event; this.oneShot = oneShot; this.createdAt = createdAt; }
    }

    static final class PayloadTemplate {
        final String event; final int version; final String body; final long loadedAt;
        PayloadTemplate(String event, int version, String body, long loadedAt) { this.event = event; this.version = version; this.body = body; this.loadedAt = loadedAt; }
    }

    static final class TemplateStore {
        static final Map<String, PayloadTemplate> TEMPLATES_BY_EVENT = new HashMap<>();
    }

    static final class SigningKey {
        final String tenant; final byte[] secret = new byte[64]; final long fetchedAt;
        SigningKey(String tenant, long fetchedAt) { this.tenant = tenant; this.fetchedAt = fetchedAt; }
    }

    static final class SigningKeyCache extends LinkedHashMap<String, SigningKey> {
        final int capacity;
        SigningKeyCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SigningKey> e) { return size() > capacity; }
    }

    static final class DeliveryRecord {
        final long subscriptionId; final int status; final long at; final int millis;
        DeliveryRecord(long subscriptionId, int status, long at, int millis) { this.subscriptionId = subscriptionId; this.status = status; this.at = at; this.millis = millis; }
    }

    static final class WebhookService {
        final HttpConnectionManager http = new HttpConnectionManager();
        final Map<Long, Subscription> subscriptions = new HashMap<>();
        final SigningKeyCache keys = new SigningKeyCache(KEY_CACHE);
        final DeliveryRecord[] recent = new DeliveryRecord[RING];
        int ringPos;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void deliver(Subscription s, HttpRoute route, Random rnd, long now) {
            SigningKey k = keys.get(s.tenant);
            if (k == null) { k = new SigningKey(s.tenant, now); rnd.nextBytes(k.secret); keys.put(s.tenant, k); }
            PooledConnection c = http.lease(route, now);
            int millis = 20 + rnd.nextInt(400);
            http.release(c, now + millis);
            recent[ringPos++ % RING] = new DeliveryRecord(s.id, 200, now, millis);
            count("webhook.delivered");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hex(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        WebhookService svc = new WebhookService();
        RUNNING = svc;
        Random rnd = new Random(5_010_001);
        String[] events = new String[TEMPLATES];
        for (int i = 0; i < TEMPLATES; i++) {
            events[i] = "evt." + (i % 40) + ".v" + i;
            TemplateStore.TEMPLATES_BY_EVENT.put(events[i], new PayloadTemplate(events[i], 1 + i % 5, "{\"type\":\"" + events[i] + "\",\"data\":" + "{\"field\":\"value\"},".repeat(6) + "}", start));
        }
        HttpRoute[] gateways = new HttpRoute[GATEWAYS];
        for (int g = 0; g < GATEWAYS; g++) gateways[g] = new HttpRoute("https", "hooks.customer" + g + ".example.com", 443);
        Subscription[] regular = new Subscription[SUBSCRIPTIONS];
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            long id = 7_000_000L + i;
            regular[i] = new Subscription(id, "tenant-" + (i % 1_200), "https://" + gateways[i % GATEWAYS].host + "/hooks/" + id, events[rnd.nextInt(TEMPLATES)], false, start);
            svc.subscriptions.put(id, regular[i]);
        }
        // Warm each gateway's pool to CONNS_PER_GATEWAY connections (concurrent deliveries at startup).
        for (HttpRoute g : gateways) {
            PooledConnection[] cs = new PooledConnection[CONNS_PER_GATEWAY];
            for (int j = 0; j < CONNS_PER_GATEWAY; j++) cs[j] = svc.http.lease(g, start);
            for (PooledConnection c : cs) svc.http.release(c, start + 5);
        }
        long from = start;
        int ephemeralTotal = 0;
        long oneShotId = 90_000_000L;
        for (int d = 0; d < count; d++) {
            long to = System.currentTimeMillis();
            int ne = EPHEMERAL_IN_SEGMENT[d], nr = REGULAR_IN_SEGMENT[d];
            int n = ne + nr;
            int eDone = 0;
            for (int i = 0; i < n; i++) {
                long t = from + (to - from) * i / n - 500;
                boolean eph = (long) (i + 1) * ne / n > eDone;
                if (eph) {
                    eDone++;
                    // One-shot subscription (e.g. a CI job's callback) to an ephemeral tunnel host; done after one delivery.
                    HttpRoute r = new HttpRoute("https", "cb-" + hex(rnd, 12) + ".tunnel.example.net", 443);
                    Subscription s = new Subscription(oneShotId++, "tenant-" + rnd.nextInt(1_200), "https://" + r.host + "/callback", events[rnd.nextInt(TEMPLATES)], true, t);
                    svc.deliver(s, r, rnd, t);
                } else {
                    Subscription s = regular[rnd.nextInt(SUBSCRIPTIONS)];
                    svc.deliver(s, gateways[(int) (s.id % GATEWAYS)], rnd, t);
                }
            }
            ephemeralTotal += ne;
            int pools = svc.http.poolsByRoute.size();
            System.out.println("dump " + (d + 1) + ": route pools " + pools + " connections created " + svc.http.created + " subscriptions " + svc.subscriptions.size() + " keys " + svc.keys.size());
            check(pools == GATEWAYS + ephemeralTotal, "pools " + pools);
            check(svc.http.created == GATEWAYS * CONNS_PER_GATEWAY + ephemeralTotal, "connections " + svc.http.created);
            for (HttpRoute g : gateways) check(svc.http.poolsByRoute.get(g).available.size() == CONNS_PER_GATEWAY, "gateway pool");
            check(svc.subscriptions.size() == SUBSCRIPTIONS, "subscriptions");
            check(svc.keys.size() == KEY_CACHE, "keys " + svc.keys.size());
            check(TemplateStore.TEMPLATES_BY_EVENT.size() == TEMPLATES, "templates");
            String path = LeakCheck.seriesPath(args[1], d + 1, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d + 1 < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
