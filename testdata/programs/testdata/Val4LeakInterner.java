// hprofscan-dump: name=val4-leak-interner jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Validation set 4 (written blind), LEAKING: an API gateway that canonicalises request header
 * strings through a hand-written {@code String.intern}-like pool to save memory.
 *
 * <p>{@code HeaderInterner.POOL} is a static {@code ConcurrentHashMap<String, String>} whose key
 * and value are the same canonical {@code String}. Header names and the common values (content
 * types, user agents, languages, ...) form a small closed set, but the gateway interns every
 * header value, including the per-request ones: {@code X-Request-Id} (32 random hex digits) and
 * {@code traceparent} ({@code 00-<32 hex>-<16 hex>-01}). Nothing is ever removed. 40,000
 * requests over 8 simulated hours ending now.
 *
 * <p>Healthy beside it: a route table (reference data, 3,000 routes with compiled patterns), an
 * API-client directory keyed by API key (2,000, random {@code ak_} tokens, a closed set), a
 * response cache ({@code LinkedHashMap}, access order, at its capacity of 3,000), token buckets
 * per API client (2,000), a pool of 24 upstream connections (all idle), a ring of the last 8,192
 * access-log lines, metrics. See testdata/VALIDATION4.md.
 */
public final class Val4LeakInterner {
    static final int ROUTES = 3_000;
    static final int CLIENTS = 2_000;
    static final int REQUESTS = 40_000;
    static final int RESPONSE_CACHE = 3_000;
    static final int UPSTREAMS = 24;
    static final int LOG_RING = 8_192;
    static final long SIM_MILLIS = 8L * 3600_000L;

    static GatewayService RUNNING;

    /** Canonicalising pool: one String instance per distinct value. */
    static final class HeaderInterner {
        static final ConcurrentHashMap<String, String> POOL = new ConcurrentHashMap<>();
        static String intern(String s) {
            String c = POOL.putIfAbsent(s, s);
            return c == null ? s : c;
        }
    }

    static final class Route {
        final String id; final String method; final Pattern pathPattern; final String upstream; final int timeoutMillis; final long loadedAt;
        Route(String id, String method, Pattern pathPattern, String upstream, int timeoutMillis, long loadedAt) { this.id = id; this.method = method; this.pathPattern = pathPattern; this.upstream = upstream; this.timeoutMillis = timeoutMillis; this.loadedAt = loadedAt; }
    }

    static final class RouteTable {
        static final List<Route> ROUTES_LIST = new ArrayList<>();
        static void load(long now) {
            String[] methods = {"GET", "POST", "PUT", "DELETE"};
            for (int i = 0; i < ROUTES; i++) {
                ROUTES_LIST.add(new Route("r" + i, methods[i % 4], Pattern.compile("/v" + (1 + i % 3) + "/svc" + (i / 40) + "/res" + i + "/[0-9]+(/items)?"), "svc-" + (i / 40) + ".internal:8080", 2_000 + (i % 5) * 1_000, now));
            }
        }
    }

    static final class ApiClient {
        final String apiKey; final String name; final String plan; final int ratePerSecond; final long createdAt;
        ApiClient(String apiKey, String name, String plan, int ratePerSecond, long createdAt) { this.apiKey = apiKey; this.name = name; this.plan = plan; this.ratePerSecond = ratePerSecond; this.createdAt = createdAt; }
    }

    static final class TokenBucket {
        double tokens; long lastRefillAt; final int capacity;
        TokenBucket(int capacity, long now) { this.capacity = capacity; this.tokens = capacity; this.lastRefillAt = now; }
        boolean take(long now) { tokens = Math.min(capacity, tokens + (now - lastRefillAt) / 1000.0 * capacity); lastRefillAt = now; if (tokens >= 1) { tokens -= 1; return true; } return false; }
    }

    static final class CachedResponse {
        final int status; final byte[] body; final String etag; final long storedAt;
        CachedResponse(int status, byte[] body, String etag, long storedAt) { this.status = status; this.body = body; this.etag = etag; this.storedAt = storedAt; }
    }

    static final class ResponseCache extends LinkedHashMap<String, CachedResponse> {
        final int capacity;
        ResponseCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CachedResponse> e) { return size() > capacity; }
    }

    static final class UpstreamConnection {
        final int id; final String host; final byte[] readBuffer = new byte[8_192]; long lastUsedAt; int requests;
        UpstreamConnection(int id, String host, long now) { this.id = id; this.host = host; this.lastUsedAt = now; }
    }

    static final class RequestHeaders {
        final List<String> names = new ArrayList<>(); final List<String> values = new ArrayList<>();
        void add(String n, String v) { names.add(HeaderInterner.intern(n)); values.add(HeaderInterner.intern(v)); }
    }

    static final class GatewayService {
        final Map<String, ApiClient> clientsByKey = new ConcurrentHashMap<>();
        final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
        final ResponseCache responses = new ResponseCache(RESPONSE_CACHE);
        final ArrayBlockingQueue<UpstreamConnection> upstreams = new ArrayBlockingQueue<>(UPSTREAMS);
        final String[] accessLog = new String[LOG_RING];
        long logNext;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void handle(String apiKey, Route route, long resourceId, RequestHeaders headers, long now) throws InterruptedException {
            TokenBucket b = buckets.get(apiKey);
            if (!b.take(now)) { count("throttled"); return; }
            String path = route.pathPattern.pattern().replace("[0-9]+(/items)?", Long.toString(resourceId));
            CachedResponse r = route.method.equals("GET") ? responses.get(path) : null;
            if (r == null) {
                UpstreamConnection c = upstreams.take();
                c.lastUsedAt = now; c.requests++;
                r = new CachedResponse(200, new byte[256 + (int) (resourceId % 512)], "W/\"" + Long.toHexString(resourceId * 31) + "\"", now);
                upstreams.put(c);
                if (route.method.equals("GET")) responses.put(path, r);
                count("upstream");
            } else {
                count("cache.hit");
            }
            accessLog[(int) (logNext++ % LOG_RING)] = route.method + " " + path + " 200 " + headers.values.get(0);
        }
    }

    static String hex(Random rnd, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        GatewayService svc = new GatewayService();
        RUNNING = svc;
        RouteTable.load(start);
        Random rnd = new Random(4_040_202);
        String[] keys = new String[CLIENTS];
        String[] plans = {"free", "team", "business", "enterprise"};
        for (int i = 0; i < CLIENTS; i++) {
            keys[i] = "ak_" + hex(rnd, 32);
            svc.clientsByKey.put(keys[i], new ApiClient(keys[i], "client-" + i, plans[i % 4], 50 + (i % 4) * 100, start - rnd.nextInt(2_000_000_000)));
            svc.buckets.put(keys[i], new TokenBucket(1_000, start));
        }
        for (int i = 0; i < UPSTREAMS; i++) svc.upstreams.add(new UpstreamConnection(i, "svc-" + (i % 6) + ".internal:8080", start));
        // The closed set of header names and common values.
        String[] names = {"accept", "accept-encoding", "accept-language", "authorization", "cache-control", "connection", "content-length", "content-type", "cookie", "host",
            "if-none-match", "origin", "referer", "traceparent", "user-agent", "x-api-key", "x-forwarded-for", "x-forwarded-proto", "x-request-id", "x-client-version"};
        String[] contentTypes = new String[25];
        for (int i = 0; i < 25; i++) contentTypes[i] = "application/vnd.acme.v" + i + "+json";
        String[] agents = new String[100];
        for (int i = 0; i < 100; i++) agents[i] = "acme-sdk-" + (i % 5 == 0 ? "java" : i % 5 == 1 ? "python" : i % 5 == 2 ? "go" : i % 5 == 3 ? "node" : "ruby") + "/" + (1 + i / 20) + "." + (i % 20) + ".0";
        String[] langs = new String[40];
        for (int i = 0; i < 40; i++) langs[i] = "lang-" + i + ";q=0." + (1 + i % 9);
        String[] forwarded = new String[60];
        for (int i = 0; i < 60; i++) forwarded[i] = "10.20." + (i / 10) + "." + (i % 10 + 1);
        String[] versions = {"2024.1", "2024.2", "2025.1", "2025.2", "2026.1"};
        long end = System.currentTimeMillis();
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            int c = rnd.nextInt(CLIENTS);
            RequestHeaders h = new RequestHeaders();
            h.add(names[18], hex(rnd, 32));                                            // x-request-id: per request
            h.add(names[13], "00-" + hex(rnd, 32) + "-" + hex(rnd, 16) + "-01");     // traceparent: per request
            h.add(names[7], contentTypes[rnd.nextInt(25)]);
            h.add(names[14], agents[rnd.nextInt(100)]);
            h.add(names[2], langs[rnd.nextInt(40)]);
            h.add(names[16], forwarded[rnd.nextInt(60)]);
            h.add(names[19], versions[rnd.nextInt(5)]);
            h.add(names[15], keys[c]);
            h.add(names[rnd.nextInt(2)], "gzip");
            Route route = RouteTable.ROUTES_LIST.get(rnd.nextInt(ROUTES));
            svc.handle(keys[c], route, 1_000L + rnd.nextInt(20_000), h, t);
        }
        // 80,000 per-request values + the closed set: 10 header names, 25 + 100 + 40 + 60 + 5 common values, 2,000 API keys, "gzip".
        int expected = 2 * REQUESTS + 10 + 25 + 100 + 40 + 60 + 5 + CLIENTS + 1;
        System.out.println("pool " + HeaderInterner.POOL.size() + " expected " + expected + " responses " + svc.responses.size());
        check(HeaderInterner.POOL.size() == expected, "pool " + HeaderInterner.POOL.size());
        check(svc.responses.size() == RESPONSE_CACHE, "responses " + svc.responses.size());
        check(svc.clientsByKey.size() == CLIENTS && svc.buckets.size() == CLIENTS, "clients");
        check(svc.upstreams.size() == UPSTREAMS, "upstreams");
        check(RouteTable.ROUTES_LIST.size() == ROUTES, "routes");
        check(svc.logNext >= LOG_RING, "log ring");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
