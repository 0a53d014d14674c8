// hprofscan-dump: name=svc-leak-tokens jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-tokens-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): a mobile backend. Every request gets a random 64-hex request token
 * and a {@link RequestContext} (method, path, captured headers, captured body, client address,
 * start time) registered in {@code RequestTracker.inFlight}, a
 * {@code ConcurrentHashMap<String, RequestContext>}; the success path removes it, the error path
 * does not. Over 8 hours 6,000 failed requests stayed (one in 25), seconds to 8 hours old, plus
 * the 12 requests in flight right now (started within the last second): 6,012 entries. Healthy
 * counterpart: the device directory {@code DeviceDirectory.devices}, 25,000 long-lived
 * registrations keyed by random 64-hex push tokens (device id, platform, registration date months
 * ago; no request state). Also: a feature-flag table (reference data), user profiles (10,000), a
 * profile-image LRU at capacity (1,500), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakTokens {
    static final int DEVICES = 25_000;
    static final int USERS = 10_000;
    static final int IMAGE_CACHE = 1_500;
    static final int REQUESTS = 150_000;
    static final int FAIL_EVERY = 25;
    static final int IN_FLIGHT = 12;
    static final long SIM_MILLIS = 8L * 3600_000L;

    static Service RUNNING;

    enum Platform { IOS, ANDROID, WEB }

    static final class DeviceRegistration {
        final String token; final String deviceId; final Platform platform; final long registeredAt; final long userId; final String model;
        DeviceRegistration(String token, String deviceId, Platform platform, long registeredAt, long userId, String model) {
            this.token = token; this.deviceId = deviceId; this.platform = platform; this.registeredAt = registeredAt; this.userId = userId; this.model = model;
        }
    }

    static final class DeviceDirectory { final Map<String, DeviceRegistration> devices = new HashMap<>(); }

    static final class RequestContext {
        final String requestId; final String method; final String path; final Map<String, String> headers; final byte[] body;
        final String clientAddress; final long startedAt; int status;
        RequestContext(String requestId, String method, String path, Map<String, String> headers, byte[] body, String clientAddress, long startedAt) {
            this.requestId = requestId; this.method = method; this.path = path; this.headers = headers; this.body = body; this.clientAddress = clientAddress; this.startedAt = startedAt;
        }
    }

    static final class RequestTracker {
        final Map<String, RequestContext> inFlight = new ConcurrentHashMap<>();
        RequestContext begin(RequestContext c) { inFlight.put(c.requestId, c); return c; }
        void end(RequestContext c, int status) { c.status = status; inFlight.remove(c.requestId); }
    }

    static final class UserProfile {
        final long id; final String displayName; final String email; final String locale;
        UserProfile(long id, String displayName, String email, String locale) { this.id = id; this.displayName = displayName; this.email = email; this.locale = locale; }
    }

    static final class FeatureFlags { static final Map<String, Boolean> FLAGS = new LinkedHashMap<>(); }

    static final class ImageCache extends LinkedHashMap<Long, byte[]> {
        final int capacity;
        ImageCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final DeviceDirectory directory = new DeviceDirectory();
        final RequestTracker tracker = new RequestTracker();
        final Map<Long, UserProfile> users = new HashMap<>();
        final ImageCache images = new ImageCache(IMAGE_CACHE);
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

    static final String[] PATHS = {"/api/v3/feed", "/api/v3/messages", "/api/v3/profile", "/api/v3/upload", "/api/v3/search"};

    static RequestContext request(Service s, Random rnd, String[] tokens, long t) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + hexToken(rnd).substring(0, 40));
        h.put("User-Agent", "MobileApp/7." + rnd.nextInt(20) + " (Android 14)");
        h.put("X-Device-Token", tokens[rnd.nextInt(tokens.length)]);
        h.put("Content-Type", "application/json");
        h.put("Accept-Language", "en-US");
        h.put("X-Forwarded-For", "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256));
        byte[] body = new byte[512 + rnd.nextInt(1_536)];
        rnd.nextBytes(body);
        return s.tracker.begin(new RequestContext(hexToken(rnd), rnd.nextBoolean() ? "POST" : "GET", PATHS[rnd.nextInt(PATHS.length)], h, body,
            "10.1." + rnd.nextInt(256) + "." + rnd.nextInt(256), t));
    }

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_605);
        Service s = new Service();
        for (String f : new String[] {"new-feed", "dark-mode", "stories", "video-upload", "search-v2", "reactions", "polls", "threads"}) FeatureFlags.FLAGS.put(f, rnd.nextBoolean());
        String[] tokens = new String[DEVICES];
        Platform[] ps = Platform.values();
        for (int i = 0; i < DEVICES; i++) {
            String t = hexToken(rnd);
            tokens[i] = t;
            s.directory.devices.put(t, new DeviceRegistration(t, "device-" + (6_000_000 + i), ps[rnd.nextInt(ps.length)],
                now - 45L * 86_400_000L - (long) rnd.nextInt(240) * 86_400_000L, 1_000_000L + rnd.nextInt(USERS), "Model " + rnd.nextInt(80)));
        }
        for (int i = 0; i < USERS; i++) s.users.put(1_000_000L + i, new UserProfile(1_000_000L + i, "User " + i, "user" + i + "@mail.example", "en-US"));
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + (SIM_MILLIS - 5_000) * r / REQUESTS;
            RequestContext c = request(s, rnd, tokens, t);
            long uid = 1_000_000L + rnd.nextInt(USERS);
            s.images.computeIfAbsent(uid, k -> new byte[2_048]);
            if (r % FAIL_EVERY == FAIL_EVERY - 1) { s.count("errors"); continue; } // BUG: the error path never calls end()
            s.tracker.end(c, 200);
            s.count("ok");
        }
        for (int i = 0; i < IN_FLIGHT; i++) request(s, rnd, tokens, now - 900 + i * 60L);
        check(s.tracker.inFlight.size() == REQUESTS / FAIL_EVERY + IN_FLIGHT, "inFlight " + s.tracker.inFlight.size());
        check(s.directory.devices.size() == DEVICES && s.users.size() == USERS && s.images.size() == IMAGE_CACHE, "others");
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
