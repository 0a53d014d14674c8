// hprofscan-dump: name=val7-leak-ratelimits jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val7-leak-ratelimits-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 7 (written blind), LEAK: a public API gateway that has run for 10 simulated
 * hours. The leak: {@code RateLimitFilter.LIMITERS}, a static map of per-client token-bucket rate
 * limiters keyed by the client IP address, to which every new client IP adds a limiter that is
 * never evicted (45,000 limiters, most idle for hours). Beside it: the route table loaded at
 * startup (immutable), the API-key directory, a response LRU cache at capacity, per-route
 * metrics and the config. See testdata/VALIDATION7.md.
 */
public final class Val7LeakRateLimits {
    static final int ROUTES = 2_000;
    static final int API_KEYS = 30_000;
    static final int RESPONSE_CAP = 3_000;
    static final int CLIENT_IPS = 45_000;
    static final int REQUESTS = 150_000;
    static final long HOUR = 3_600_000L;
    static final long SIM_MILLIS = 10 * HOUR;

    static Gateway RUNNING;

    static final class Route {
        final String method; final String pathPattern; final String upstream; final int timeoutMillis; final String[] requiredScopes; final boolean cacheable;
        Route(String method, String pathPattern, String upstream, int timeoutMillis, String[] requiredScopes, boolean cacheable) {
            this.method = method; this.pathPattern = pathPattern; this.upstream = upstream; this.timeoutMillis = timeoutMillis; this.requiredScopes = requiredScopes; this.cacheable = cacheable;
        }
    }

    /** Loaded once at startup from the gateway's route file. */
    static final class RouteTable {
        final List<Route> routes;
        RouteTable(List<Route> routes) { this.routes = Collections.unmodifiableList(routes); }
    }

    static final class ApiKey {
        final String keyId; final String tenantId; final String[] scopes; final int planRequestsPerMinute; final long createdAt; long lastUsedAt;
        ApiKey(String keyId, String tenantId, String[] scopes, int planRequestsPerMinute, long createdAt) { this.keyId = keyId; this.tenantId = tenantId; this.scopes = scopes; this.planRequestsPerMinute = planRequestsPerMinute; this.createdAt = createdAt; }
    }

    static final class ApiKeyDirectory {
        final Map<String, ApiKey> byKeyId = new HashMap<>();
    }

    static final class CachedResponse {
        final int status; final byte[] body; final String etag; final long storedAt;
        CachedResponse(int status, byte[] body, String etag, long storedAt) { this.status = status; this.body = body; this.etag = etag; this.storedAt = storedAt; }
    }

    static final class ResponseCache extends LinkedHashMap<String, CachedResponse> {
        final int maxEntries;
        ResponseCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CachedResponse> e) { return size() > maxEntries; }
    }

    static final class TokenBucket {
        final String clientIp; final int capacity; final double refillPerMilli; double tokens; long lastRefillAt; final long createdAt; long rejected;
        final long[] recentRequestAt = new long[16]; int cursor;
        TokenBucket(String clientIp, int capacity, double refillPerMilli, long createdAt) { this.clientIp = clientIp; this.capacity = capacity; this.refillPerMilli = refillPerMilli; this.tokens = capacity; this.lastRefillAt = createdAt; this.createdAt = createdAt; }
        boolean tryAcquire(long now) {
            tokens = Math.min(capacity, tokens + (now - lastRefillAt) * refillPerMilli);
            lastRefillAt = now;
            recentRequestAt[cursor++ & 15] = now;
            if (tokens >= 1) { tokens -= 1; return true; }
            rejected++; return false;
        }
    }

    /** THE LEAK: one limiter per client IP, created on first sight and never evicted. */
    static final class RateLimitFilter {
        static final Map<String, TokenBucket> LIMITERS = new ConcurrentHashMap<>();
        static boolean allow(String ip, long now) { return LIMITERS.computeIfAbsent(ip, k -> new TokenBucket(k, 50, 0.01, now)).tryAcquire(now); }
    }

    static final class RouteStats { final String route; long requests; long errors; final long[] latencyBuckets = new long[24]; RouteStats(String route) { this.route = route; } }

    static final class Gateway {
        RouteTable routes;
        final ApiKeyDirectory keys = new ApiKeyDirectory();
        final ResponseCache responses = new ResponseCache(RESPONSE_CAP);
        final Map<String, RouteStats> stats = new ConcurrentHashMap<>();
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(7_040_001);
        Gateway gw = new Gateway();
        RUNNING = gw;
        for (int i = 0; i < 80; i++) gw.config.setProperty("gateway.upstream." + i + ".poolSize", Integer.toString(10 + i % 30));
        String[] upstreams = {"orders-svc", "catalog-svc", "payments-svc", "users-svc", "search-svc", "shipping-svc"};
        List<Route> rs = new ArrayList<>(ROUTES);
        for (int i = 0; i < ROUTES; i++) {
            rs.add(new Route(i % 3 == 0 ? "POST" : "GET", "/v" + (1 + i % 3) + "/" + upstreams[i % upstreams.length].replace("-svc", "") + "/resource" + i + "/{id}",
                    "http://" + upstreams[i % upstreams.length] + ".internal:8080", 1000 + 250 * (i % 8), new String[] {"read:" + (i % 40), "write:" + (i % 17)}, i % 3 != 0));
        }
        gw.routes = new RouteTable(rs);
        String[] keyIds = new String[API_KEYS];
        for (int i = 0; i < API_KEYS; i++) {
            keyIds[i] = String.format("TEN%06d-K%02d", 100_000 + i / 3, i % 3);
            gw.keys.byKeyId.put(keyIds[i], new ApiKey(keyIds[i], String.format("TEN%06d", 100_000 + i / 3), new String[] {"read:" + (i % 40), "write:" + (i % 17), "admin:" + (i % 5)}, 600 * (1 + i % 10), start - 86_400_000L * (1 + i % 700)));
        }
        // Client IPs: new clients appear all the time (mobile carriers, NAT pools, crawlers), a few come back.
        String[] ips = new String[CLIENT_IPS];
        for (int i = 0; i < CLIENT_IPS; i++) {
            int a = 100 + (i * 7) % 120, b = (i * 13) % 256, c = (i / 256) % 256, d = i % 256;
            ips[i] = a + "." + b + "." + c + "." + d;
        }
        int seen = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + SIM_MILLIS * i / REQUESTS;
            String ip;
            if (seen < CLIENT_IPS && (i % 3 == 0 || seen == 0)) ip = ips[seen++];
            else ip = ips[Math.max(0, seen - 1 - rnd.nextInt(Math.min(seen, 500)))];
            if (!RateLimitFilter.allow(ip, t)) continue;
            Route r = gw.routes.routes.get(rnd.nextInt(ROUTES));
            ApiKey k = gw.keys.byKeyId.get(keyIds[rnd.nextInt(API_KEYS)]);
            k.lastUsedAt = t;
            gw.stats.computeIfAbsent(r.pathPattern, RouteStats::new).requests++;
            if (r.cacheable) {
                String key = r.method + " " + r.pathPattern.replace("{id}", Integer.toString(rnd.nextInt(4_000)));
                if (gw.responses.get(key) == null) gw.responses.put(key, new CachedResponse(200, new byte[512 + rnd.nextInt(2048)], Long.toHexString(rnd.nextLong()), t));
            }
        }
        long idleHour = 0;
        for (TokenBucket b : RateLimitFilter.LIMITERS.values()) if (now - b.lastRefillAt > HOUR) idleHour++;
        System.out.println("routes " + gw.routes.routes.size() + " keys " + gw.keys.byKeyId.size() + " responses " + gw.responses.size() + " stats " + gw.stats.size()
                + " limiters " + RateLimitFilter.LIMITERS.size() + " (idle > 1 h: " + idleHour + ")");
        check(gw.routes.routes.size() == ROUTES && gw.keys.byKeyId.size() == API_KEYS, "reference data");
        check(gw.responses.size() == RESPONSE_CAP, "responses");
        check(RateLimitFilter.LIMITERS.size() == CLIENT_IPS, "limiters");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
