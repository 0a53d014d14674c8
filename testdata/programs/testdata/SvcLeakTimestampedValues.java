// hprofscan-dump: name=svc-leak-lastseen jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-lastseen-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): an API gateway that records, per client, when it was last seen,
 * in {@code ClientActivity.lastSeen}, a {@code ConcurrentHashMap<ClientKey, LastSeen>} keyed by an
 * application record ({@code ClientKey(tenant, apiKeyId, region)}); nothing ever removes an entry.
 * After 12 hours, 13,961 clients are in it, and most were last seen hours ago. Each
 * {@link LastSeen} holds {@code firstSeen}/{@code lastAccess} epoch millis, a request count, the
 * last path and user agent and a ring of its last 64 latencies ({@code int[64]}). Healthy counterpart: the rate limiter's {@code RateLimiter.windows}, a
 * map of the same key class whose {@link Window} values were all touched within the last minute
 * (a sweeper drops windows idle for more than 60 s). Also: the API plan table (reference data),
 * an API key directory (14,000 keys, registration dates months ago), a response cache LRU at
 * capacity, routes, metrics. See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakTimestampedValues {
    static final int API_KEYS = 14_000;
    static final int RESPONSE_CACHE = 4_000;
    static final int REQUESTS = 200_000;
    static final long SIM_MILLIS = 12L * 3600_000L;
    static final long WINDOW_IDLE_MS = 60_000L;
    static final int WINDOWS = 1_592;
    static final int LAST_SEEN = 13_961;

    static Service RUNNING;

    record ClientKey(String tenant, long apiKeyId, String region) {}

    static final class LastSeen {
        final long firstSeen; long lastAccess; long requests; String lastPath; String userAgent;
        final int[] recentLatencyMicros = new int[64]; // ring of the last 64 latencies
        LastSeen(long firstSeen) { this.firstSeen = firstSeen; }
    }

    static final class Window {
        final long windowStart; long lastAccess; int count; final int limit;
        Window(long windowStart, int limit) { this.windowStart = windowStart; this.limit = limit; }
    }

    static final class Plan {
        final String name; final int requestsPerMinute; final int burst; final String[] features;
        Plan(String name, int rpm, int burst, String[] features) { this.name = name; this.requestsPerMinute = rpm; this.burst = burst; this.features = features; }
    }

    static final class ApiKey {
        final long id; final String tenant; final Plan plan; final long createdAt; final String owner;
        ApiKey(long id, String tenant, Plan plan, long createdAt, String owner) { this.id = id; this.tenant = tenant; this.plan = plan; this.createdAt = createdAt; this.owner = owner; }
    }

    static final class Plans { static final Map<String, Plan> BY_NAME = new LinkedHashMap<>(); }

    static final class ClientActivity {
        final Map<ClientKey, LastSeen> lastSeen = new ConcurrentHashMap<>();
        void seen(ClientKey k, String path, String ua, long now) {
            LastSeen s = lastSeen.computeIfAbsent(k, x -> new LastSeen(now));
            s.lastAccess = now; s.recentLatencyMicros[(int) (s.requests & 63)] = (int) (now % 90_000); s.requests++; s.lastPath = path; s.userAgent = ua;
        }
    }

    static final class RateLimiter {
        final Map<ClientKey, Window> windows = new ConcurrentHashMap<>();
        boolean allow(ClientKey k, int limit, long now) {
            Window w = windows.get(k);
            if (w == null || now - w.windowStart >= 60_000) { w = new Window(now, limit); windows.put(k, w); }
            w.lastAccess = now;
            return ++w.count <= w.limit;
        }
        void sweep(long now) { windows.values().removeIf(w -> now - w.lastAccess > WINDOW_IDLE_MS); }
    }

    static final class ResponseCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ResponseCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final Map<Long, ApiKey> apiKeys = new HashMap<>();
        final ClientActivity activity = new ClientActivity();
        final RateLimiter limiter = new RateLimiter();
        final ResponseCache responses = new ResponseCache(RESPONSE_CACHE);
        final List<String> routes = new ArrayList<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] TENANTS = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"};
    static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1"};
    static final String[] AGENTS = {"okhttp/4.12.0", "python-requests/2.31", "curl/8.4.0", "Go-http-client/2.0", "axios/1.6.2"};

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_603);
        Service s = new Service();
        Plans.BY_NAME.put("free", new Plan("free", 60, 10, new String[] {"read"}));
        Plans.BY_NAME.put("team", new Plan("team", 600, 100, new String[] {"read", "write"}));
        Plans.BY_NAME.put("business", new Plan("business", 6_000, 1_000, new String[] {"read", "write", "admin"}));
        Plan[] plans = Plans.BY_NAME.values().toArray(new Plan[0]);
        for (int i = 0; i < 400; i++) s.routes.add("/v2/resource" + i + "/{id}");
        ClientKey[] keys = new ClientKey[API_KEYS];
        for (int i = 0; i < API_KEYS; i++) {
            long id = 20_000_000L + i;
            String tenant = TENANTS[i % TENANTS.length];
            s.apiKeys.put(id, new ApiKey(id, tenant, plans[rnd.nextInt(plans.length)], now - 20L * 86_400_000L - (long) rnd.nextInt(300) * 86_400_000L, "owner" + i + "@" + tenant + ".example"));
            keys[i] = new ClientKey(tenant, id, REGIONS[rnd.nextInt(REGIONS.length)]);
        }
        // clients come and go: each is active for a while, then leaves; the newest keys are active now
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + (SIM_MILLIS - 2_000) * r / REQUESTS;
            int base = (int) ((long) (API_KEYS - 600) * r / REQUESTS);
            int k = base + rnd.nextInt(600);
            ClientKey key = keys[k];
            String path = s.routes.get(rnd.nextInt(s.routes.size()));
            s.activity.seen(key, path, AGENTS[k % AGENTS.length], t);
            s.limiter.allow(key, s.apiKeys.get(key.apiKeyId()).plan.requestsPerMinute, t);
            if (r % 100 == 99) s.limiter.sweep(t);
            s.responses.put(path.replace("{id}", Integer.toString(rnd.nextInt(50_000))), new byte[256 + rnd.nextInt(768)]);
            s.count("requests");
        }
        for (int r = 0; r < 3_000; r++) { // the last minute: a burst from the newest 2,000 clients
            long t = now - 50_000 + r * 16L;
            ClientKey key = keys[API_KEYS - 2_000 + rnd.nextInt(2_000)];
            s.activity.seen(key, s.routes.get(rnd.nextInt(s.routes.size())), AGENTS[rnd.nextInt(AGENTS.length)], t);
            s.limiter.allow(key, s.apiKeys.get(key.apiKeyId()).plan.requestsPerMinute, t);
        }
        s.limiter.sweep(now - 1_000);
        check(s.activity.lastSeen.size() == LAST_SEEN, "lastSeen " + s.activity.lastSeen.size());
        check(s.limiter.windows.size() == WINDOWS, "windows " + s.limiter.windows.size());
        for (Window w : s.limiter.windows.values()) check(now - w.lastAccess <= WINDOW_IDLE_MS + 1_000, "window age");
        check(s.responses.size() == RESPONSE_CACHE && s.apiKeys.size() == API_KEYS, "cache/keys");
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
