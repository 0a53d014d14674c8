// hprofscan-dump: name=val117-leak-postcodelookup-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val117-leak-postcodelookup-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val117-leak-postcodelookup jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val117-leak-postcodelookup-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 117 (written blind), LEAK (growth series): a public postcode and address lookup
 * API. Postcode districts (reference data), the address directory by postcode, the paying
 * customers' API keys, a cache of rendered responses at its cap, a pool of JSON buffers, a ring of
 * the access log and a queue of usage records for billing. Every request passes a rate limiter:
 * one token bucket per API key, or per client IP address for anonymous callers, created on first
 * sight and never evicted. Anonymous callers come from mobile carriers' address ranges, nearly
 * every one new: the bucket map grows with every hour of traffic. See VALIDATION117.md.
 */
public final class Val117LeakPostcodeLookup {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DISTRICTS = 1_100, POSTCODES = 24_000, API_KEYS = 600, RESPONSE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 30_000;
    static boolean FIXED;

    record District(String code, String postTown, double[] deliveryPointsBySector) {}
    record AddressSet(String postcode, String district, byte[] premises, double lat, double lon, long updatedAt) {}
    record ApiCustomer(String apiKey, String company, String plan, int perMinute, long since) {}
    record Response(String key, byte[] json, long at) {}
    record AccessLog(long requestId, String client, String postcode, int status, long at) {}
    record UsageRecord(String apiKey, int calls, long windowEnd) {}

    /** A token bucket: refilled at {@code perMinute} tokens a minute up to its capacity. */
    static final class TokenBucket {
        final int capacity; final int perMinute;
        double tokens; long lastRefillAt; long lastSeenAt; long allowed; int rejected;
        TokenBucket(int capacity, int perMinute, long t) { this.capacity = capacity; this.perMinute = perMinute; this.tokens = capacity; this.lastRefillAt = t; this.lastSeenAt = t; }
        boolean tryTake(long t) {
            tokens = Math.min(capacity, tokens + (t - lastRefillAt) * perMinute / (double) MINUTE);
            lastRefillAt = t; lastSeenAt = t;
            if (tokens >= 1) { tokens -= 1; allowed++; return true; }
            rejected++;
            return false;
        }
    }

    static final class RateLimiter {
        final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
        long created, evicted, rejected;
        boolean allow(String client, int capacity, int perMinute, long t) {
            TokenBucket b = buckets.get(client);
            if (b == null) { b = new TokenBucket(capacity, perMinute, t); buckets.put(client, b); created++; }
            boolean ok = b.tryTake(t);
            if (!ok) rejected++;
            return ok;
        }
        /** The fix: drop buckets idle for 10 minutes (a full bucket is the same as no bucket). */
        void evictIdle(long t) {
            var it = buckets.values().iterator();
            while (it.hasNext()) if (it.next().lastSeenAt < t - 10 * MINUTE) { it.remove(); evicted++; }
        }
    }

    static final class ResponseCache extends LinkedHashMap<String, Response> {
        long evicted;
        ResponseCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Response> e) { if (size() > RESPONSE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class LookupService {
        final Map<String, AddressSet> addresses = new HashMap<>();
        final String[] postcodes = new String[POSTCODES];
        final Map<String, ApiCustomer> customers = new HashMap<>();
        final String[] apiKeys = new String[API_KEYS];
        final RateLimiter limiter = new RateLimiter();
        final ResponseCache responses = new ResponseCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final AccessLog[] accessLog = new AccessLog[RING];
        final ArrayDeque<UsageRecord> billing = new ArrayDeque<>();
        final Map<String, Integer> usageWindow = new HashMap<>();
        final String[] recentAnon = new String[256];
        long requests, anonymous, keyed, served, billed;

        void request(Random r, long t) {
            String client; int capacity, perMinute;
            if (r.nextInt(100) < 60) {
                ApiCustomer c = customers.get(apiKeys[r.nextInt(API_KEYS)]);
                client = c.apiKey(); capacity = c.perMinute() * 2; perMinute = c.perMinute(); keyed++;
                usageWindow.merge(client, 1, Integer::sum);
            } else {
                if (anonymous > 0 && r.nextInt(100) < 30) client = recentAnon[r.nextInt((int) Math.min(anonymous, recentAnon.length))];
                else client = carrierAddress(r);
                recentAnon[(int) (anonymous++ % recentAnon.length)] = client;
                capacity = 20; perMinute = 10;
            }
            requests++;
            String postcode = postcodes[r.nextInt(POSTCODES)];
            int status = 429;
            if (limiter.allow(client, capacity, perMinute, t)) {
                status = 200; served++;
                String key = postcode + "?fmt=" + (r.nextInt(3) == 0 ? "full" : "short");
                if (responses.get(key) == null && r.nextInt(3) > 0) responses.put(key, new Response(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = jsonBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) status;
                jsonBuffers.add(buf);
            }
            accessLog[(int) ((requests - 1) % RING)] = new AccessLog(requests, client, postcode, status, t);
        }

        /** Anonymous callers: mobile carriers' CGNAT and public ranges. */
        static String carrierAddress(Random r) {
            int[][] ranges = {{31, 94}, {37, 205}, {82, 132}, {86, 4}, {92, 40}, {109, 144}, {148, 252}, {176, 24}, {213, 205}, {5, 64}};
            int[] p = ranges[r.nextInt(ranges.length)];
            return p[0] + "." + (p[1] + r.nextInt(4)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        }

        void closeUsageWindow(long t) {
            for (Map.Entry<String, Integer> e : usageWindow.entrySet()) billing.addLast(new UsageRecord(e.getKey(), e.getValue(), t));
            usageWindow.clear();
        }

        void sendBilling(long t) {
            // the billing system takes the windows closed at least 30 minutes ago
            while (!billing.isEmpty() && billing.peekFirst().windowEnd() <= t - 30 * MINUTE) { billing.removeFirst(); billed++; }
        }
    }

    static LookupService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(117_020_001);
        String[] codes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] dp = new double[40];
            for (int k = 0; k < dp.length; k++) dp[k] = rnd.nextDouble() * 3_000;
            codes[d] = (char) ('A' + d % 26) + "" + (char) ('A' + d / 26 % 26) + (1 + d % 40);
            DISTRICTS_BY_CODE.put(codes[d], new District(codes[d], "Town " + (d % 300), dp));
        }
        LookupService svc = new LookupService();
        SERVICE = svc;
        for (int i = 0; i < POSTCODES; i++) {
            String d = codes[i % DISTRICTS];
            svc.postcodes[i] = d + " " + (i / DISTRICTS % 10) + (char) ('A' + i % 23) + (char) ('A' + i / 23 % 26);
            svc.addresses.put(svc.postcodes[i], new AddressSet(svc.postcodes[i], d, new byte[150 + rnd.nextInt(150)], 50 + rnd.nextDouble() * 8, -5 + rnd.nextDouble() * 6,
                    now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        check(svc.addresses.size() == POSTCODES, "unique postcodes " + svc.addresses.size());
        String[] plans = {"starter", "business", "enterprise"};
        for (int k = 0; k < API_KEYS; k++) {
            svc.apiKeys[k] = "pk_live_" + Long.toHexString(0x7a3f_0000_0000L + k * 0x1_0001L);
            int plan = rnd.nextInt(3);
            svc.customers.put(svc.apiKeys[k], new ApiCustomer(svc.apiKeys[k], "Company " + k, plans[plan], 300 * (1 + plan * 4), now - (long) (10 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);
        Random traffic = new Random(117_020_002);
        int requests = hours * REQUESTS_PER_HOUR;
        long nextMinute = start + MINUTE, nextWindow = start + 15 * MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextMinute <= t) {
                if (FIXED) svc.limiter.evictIdle(nextMinute);
                svc.sendBilling(nextMinute);
                nextMinute += MINUTE;
            }
            while (nextWindow <= t) { svc.closeUsageWindow(nextWindow); nextWindow += 15 * MINUTE; }
            svc.request(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val117.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int[] EXPECTED_BUCKETS = {17_265, 33_729, 66_811};

    static void report(int stage, int hours) {
        LookupService svc = SERVICE;
        RateLimiter l = svc.limiter;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " districts " + DISTRICTS_BY_CODE.size() + " postcodes " + svc.addresses.size() + " api keys " + svc.customers.size()
                + " requests " + svc.requests + " (keyed " + svc.keyed + ", anonymous " + svc.anonymous + ") served " + svc.served + " rejected " + l.rejected
                + " buckets " + l.buckets.size() + " (created " + l.created + ", evicted " + l.evicted + ") responses " + svc.responses.size() + " (evicted " + svc.responses.evicted + ") billing queue " + svc.billing.size()
                + " billed " + svc.billed + " pool " + svc.jsonBuffers.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.customers.size() == API_KEYS, "reference data / directory");
        check(svc.requests == (long) hours * REQUESTS_PER_HOUR, "requests");
        check(l.buckets.size() == l.created - l.evicted, "buckets");
        if (!FIXED) check(l.evicted == 0 && l.buckets.size() == EXPECTED_BUCKETS[stage - 1], "buckets " + l.buckets.size());
        check(svc.responses.size() == RESPONSE_CAP && svc.responses.evicted > 0, "response cache at cap");
        check(svc.jsonBuffers.size() == POOL, "pool");
        check(svc.accessLog[RING - 1] != null, "ring");
    }
}
