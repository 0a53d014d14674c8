// hprofscan-dump: name=val28-leak-openbanking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-leak-openbanking-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), LEAK: the API gateway of an open-banking aggregator.
 * Institution reference data, the directory of customer consents, a cache of account summaries at
 * its cap, a pool of TLS record buffers, a ring of access-log entries, and a token-bucket rate
 * limiter with one bucket per client IP. The bug: a bucket is created for every client IP ever
 * seen and never evicted, while the client population churns (mobile carriers, NAT pools).
 * See VALIDATION28.md.
 */
public final class Val28LeakOpenBanking {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int INSTITUTIONS = 2_000, CONSENTS = 25_000, SUMMARY_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS = 150_000, ACTIVE = 1_000, HOURS = 10;
    static final long IDLE_EVICT = 10 * MINUTE;
    static boolean FIXED;

    record Institution(String code, String name, String country, double[] feeSchedule) {}
    record Consent(String id, String customerId, String institution, byte[] scopes, long grantedAt, long expiresAt) {}
    record AccountSummary(String key, byte[] rendered, long at) {}
    record AccessLogEntry(String clientIp, String path, int status, long at) {}

    static final class TokenBucket {
        final String clientIp; final int capacity; final double refillPerMs;
        double tokens; long lastRefill; int rejected;
        TokenBucket(String clientIp, int capacity, double refillPerMs, long at) { this.clientIp = clientIp; this.capacity = capacity; this.refillPerMs = refillPerMs; this.tokens = capacity; this.lastRefill = at; }
        boolean tryAcquire(long at) {
            tokens = Math.min(capacity, tokens + (at - lastRefill) * refillPerMs);
            lastRefill = at;
            if (tokens >= 1) { tokens -= 1; return true; }
            rejected++;
            return false;
        }
    }

    static final class RateLimiter {
        final Map<String, TokenBucket> buckets = new HashMap<>();
        long created, evicted, rejected;
        boolean allow(String ip, long at) {
            TokenBucket b = buckets.get(ip);
            if (b == null) { b = new TokenBucket(ip, 20, 10.0 / SECOND, at); buckets.put(ip, b); created++; } // BUG: never evicted
            boolean ok = b.tryAcquire(at);
            if (!ok) rejected++;
            return ok;
        }
        void evictIdle(long now) { // only with the fix: an idle bucket is full again, dropping it changes nothing
            for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext();) if (it.next().lastRefill < now - IDLE_EVICT) { it.remove(); evicted++; }
        }
    }

    static final class SummaryCache extends LinkedHashMap<String, AccountSummary> {
        long evicted;
        SummaryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AccountSummary> e) { if (size() > SUMMARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Institution> INSTITUTIONS_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, Consent> consents = new HashMap<>();
        final SummaryCache summaries = new SummaryCache();
        final ArrayDeque<byte[]> tlsBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        final RateLimiter limiter = new RateLimiter();
        long requestCount;
    }

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String ip(Random r) { return (10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val28.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(28_030_001);
        String[] countries = {"GB", "DE", "FR", "NL", "ES", "IT", "IE", "SE"};
        String[] instCodes = new String[INSTITUTIONS];
        for (int k = 0; k < INSTITUTIONS; k++) {
            double[] fees = new double[64];
            for (int j = 0; j < fees.length; j++) fees[j] = rnd.nextDouble() * 3;
            String code = "INST-" + (20_000 + k);
            instCodes[k] = code;
            INSTITUTIONS_BY_CODE.put(code, new Institution(code, "Bank " + k, countries[k % countries.length], fees));
        }
        Gateway gw = new Gateway();
        SERVICE = gw;
        String[] consentIds = new String[CONSENTS];
        for (int c = 0; c < CONSENTS; c++) {
            String id = "CNS-" + (8_000_000 + c);
            consentIds[c] = id;
            long granted = now - (long) (1 + rnd.nextInt(85)) * 24 * HOUR;
            gw.consents.put(id, new Consent(id, "C" + (1_000_000 + rnd.nextInt(900_000)), instCodes[rnd.nextInt(INSTITUTIONS)], new byte[200 + rnd.nextInt(200)], granted, granted + 90L * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.tlsBuffers.add(new byte[65_536]);
        Random traffic = new Random(28_030_002);
        String[] active = new String[ACTIVE];
        for (int a = 0; a < ACTIVE; a++) active[a] = ip(traffic);
        String[] paths = {"/accounts", "/balances", "/transactions", "/payments", "/consents"};
        long nextSweep = start + MINUTE;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            if (FIXED) while (nextSweep <= t) { gw.limiter.evictIdle(nextSweep); nextSweep += MINUTE; }
            int slot = traffic.nextInt(ACTIVE);
            if (traffic.nextInt(10) < 4) active[slot] = ip(traffic); // churn: a new client replaces an old one
            String ip = active[slot];
            boolean ok = gw.limiter.allow(ip, t);
            String path = paths[traffic.nextInt(paths.length)];
            if (ok) {
                String key = consentIds[traffic.nextInt(CONSENTS)] + path;
                if (gw.summaries.get(key) == null && traffic.nextInt(3) == 0) gw.summaries.put(key, new AccountSummary(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = gw.tlsBuffers.poll();
            buf[i % buf.length] = (byte) i;
            gw.tlsBuffers.add(buf);
            gw.accessLog[(int) (gw.requestCount++ % RING)] = new AccessLogEntry(ip, path, ok ? 200 : 429, t);
        }
        if (FIXED) gw.limiter.evictIdle(end);
        RateLimiter rl = gw.limiter;
        System.out.println((FIXED ? "FIXED " : "") + "institutions " + INSTITUTIONS_BY_CODE.size() + " consents " + gw.consents.size() + " buckets " + rl.buckets.size() + " (created " + rl.created + " evicted " + rl.evicted
                + " rejected " + rl.rejected + ") summaries " + gw.summaries.size() + " (evicted " + gw.summaries.evicted + ") pool " + gw.tlsBuffers.size() + " requests " + gw.requestCount);
        check(INSTITUTIONS_BY_CODE.size() == INSTITUTIONS && gw.consents.size() == CONSENTS, "reference data / directory");
        check(rl.created - rl.evicted == rl.buckets.size(), "bucket accounting");
        if (FIXED) check(rl.buckets.size() < 2 * ACTIVE, "idle buckets evicted: " + rl.buckets.size());
        else check(rl.buckets.size() == rl.created && rl.evicted == 0 && rl.buckets.size() > 50_000, "every client ip kept: " + rl.buckets.size());
        check(gw.summaries.size() == SUMMARY_CAP && gw.summaries.evicted > 0, "summary cache at cap");
        check(gw.tlsBuffers.size() == POOL, "pool");
        check(gw.requestCount == REQUESTS && gw.accessLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
