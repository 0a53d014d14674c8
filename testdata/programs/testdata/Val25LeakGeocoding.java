// hprofscan-dump: name=val25-leak-geocoding jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val25-leak-geocoding-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 25 (written blind), LEAK: a geocoding API (address -> coordinates). Postcode
 * reference data, the API-key directory, a geocode result cache at its cap, a pool of
 * tokenizer buffers, a ring of request-log entries, and the latency statistics behind the
 * "p50 / p95 / p99 since start" status page. The bug: LatencyStats keeps every raw latency sample
 * (a boxed Long in an ArrayList) and sorts a copy to compute the percentiles, instead of counting
 * samples in a fixed set of histogram buckets: memory grows with the number of requests served.
 * Simulated period: 10 h. See testdata/VALIDATION25.md.
 */
public final class Val25LeakGeocoding {
    static final long HOUR = 3_600_000L;
    static final int POSTCODES = 25_000, API_KEYS = 12_000, CACHE_CAP = 6_000, POOL = 8, RING = 16_384, REQUESTS = 360_000;
    static boolean FIXED;

    record Postcode(String code, double lat, double lon, float[] polygon) {}
    record ApiKey(String key, String customer, String plan, byte[] quotaProfile, long createdAt) {}
    record GeocodeResult(String query, double lat, double lon, byte[] components) {}
    record RequestLog(String requestId, String apiKey, int latencyMicros, int status, long at) {}

    /** Latency statistics for the status page: p50 / p95 / p99 since start. */
    static final class LatencyStats {
        final List<Long> samples = new ArrayList<>(); // BUG: every raw sample, kept forever
        final long[] buckets = new long[2_048]; // the fix: a fixed histogram of 50-microsecond buckets
        long count;
        void record(long micros) {
            count++;
            if (FIXED) buckets[(int) Math.min(micros / 50, buckets.length - 1)]++;
            else samples.add(micros);
        }
        long percentile(double p) {
            if (FIXED) {
                long rank = (long) Math.ceil(p * count), seen = 0;
                for (int i = 0; i < buckets.length; i++) { seen += buckets[i]; if (seen >= rank) return i * 50L + 25; }
                return -1;
            }
            List<Long> copy = new ArrayList<>(samples);
            Collections.sort(copy);
            return copy.get((int) Math.max(0, Math.ceil(p * copy.size()) - 1));
        }
    }

    static final class ResultCache extends LinkedHashMap<String, GeocodeResult> {
        long evicted;
        ResultCache() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GeocodeResult> e) { if (size() > CACHE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Postcode> POSTCODES_BY_CODE = new HashMap<>();

    static final class GeocodeService {
        final Map<String, ApiKey> apiKeys = new HashMap<>();
        final LatencyStats latency = new LatencyStats();
        final ResultCache results = new ResultCache();
        final ArrayDeque<char[]> tokenizerBuffers = new ArrayDeque<>();
        final RequestLog[] log = new RequestLog[RING];
        long logCount;
    }

    static GeocodeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val25.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(25_040_001);
        for (int p = 0; p < POSTCODES; p++) {
            float[] polygon = new float[48];
            for (int k = 0; k < polygon.length; k++) polygon[k] = rnd.nextFloat();
            String code = "PC" + (10_000 + p);
            POSTCODES_BY_CODE.put(code, new Postcode(code, 50 + rnd.nextDouble() * 8, -5 + rnd.nextDouble() * 7, polygon));
        }
        GeocodeService svc = new GeocodeService();
        SERVICE = svc;
        String[] plans = {"free", "starter", "business", "enterprise"};
        for (int k = 0; k < API_KEYS; k++) {
            String key = "gk_" + Long.toHexString(0x5a5a0000L + k * 7919L);
            svc.apiKeys.put(key, new ApiKey(key, "CUST-" + (k / 3), plans[k % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.tokenizerBuffers.add(new char[8_192]);
        Random traffic = new Random(25_040_002);
        long statusPageViews = 0, lastP99 = 0;
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + (now - start) * r / REQUESTS;
            String query = (1 + traffic.nextInt(300)) + " High St PC" + (10_000 + traffic.nextInt(POSTCODES));
            boolean hit = svc.results.get(query) != null;
            if (!hit) svc.results.put(query, new GeocodeResult(query, 51 + traffic.nextDouble(), -1 + traffic.nextDouble(), new byte[300 + traffic.nextInt(300)]));
            char[] buf = svc.tokenizerBuffers.poll();
            buf[r % buf.length] = 'x';
            svc.tokenizerBuffers.add(buf);
            int micros = hit ? 200 + traffic.nextInt(800) : 2_000 + traffic.nextInt(40_000);
            svc.latency.record(micros);
            svc.log[(int) ((svc.logCount++) % RING)] = new RequestLog("REQ-" + (300_000_000L + r), "gk_" + Long.toHexString(0x5a5a0000L + traffic.nextInt(API_KEYS) * 7919L), micros, 200, t);
            if (r % 60_000 == 59_999) { lastP99 = svc.latency.percentile(0.99); statusPageViews++; }
        }
        LatencyStats ls = svc.latency;
        System.out.println((FIXED ? "FIXED " : "") + "postcodes " + POSTCODES_BY_CODE.size() + " api keys " + svc.apiKeys.size() + " requests " + ls.count + " samples " + ls.samples.size()
                + " p99 " + lastP99 + " (status page views " + statusPageViews + ") results " + svc.results.size() + " (evicted " + svc.results.evicted + ") pool " + svc.tokenizerBuffers.size() + " log " + svc.logCount);
        check(POSTCODES_BY_CODE.size() == POSTCODES && svc.apiKeys.size() == API_KEYS, "reference data / directory");
        check(ls.count == REQUESTS && ls.samples.size() == (FIXED ? 0 : REQUESTS) && statusPageViews == 6, "latency samples " + ls.samples.size());
        check(svc.results.size() == CACHE_CAP && svc.results.evicted > 0, "result cache at its cap");
        check(svc.tokenizerBuffers.size() == POOL, "tokenizer pool");
        check(svc.logCount == REQUESTS && svc.log[RING - 1] != null, "request log ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
