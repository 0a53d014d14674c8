// hprofscan-dump: name=val79-leak-stocktickerapi-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val79-leak-stocktickerapi-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val79-leak-stocktickerapi jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val79-leak-stocktickerapi-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), LEAK: the public API gateway of a stock-ticker market-data
 * service. Exchange reference data, the API-client directory, a cache of rendered quote snapshots at
 * its cap, a pool of JSON encode buffers, a ring of recent access-log entries, and a per-minute rate
 * limiter that counts strikes per (API key, minute window) in a map keyed by strings like
 * "key-1ab12:202612041530". Windows that are over are never removed, so the map grows with
 * traffic. See VALIDATION79.md.
 */
public final class Val79LeakStockTickerApi {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int EXCHANGES = 1_000, CLIENTS = 20_000, ACTIVE = 400, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096;
    static final int REQUESTS_PER_HOUR = 12_000, LIMIT_PER_MINUTE = 60;
    static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
    static boolean FIXED;

    record Exchange(String code, String name, double[] sessionVolumes) {}
    record ApiClient(String apiKey, String company, String plan, byte[] profile, long createdAt) {}
    record QuoteSnapshot(String symbol, byte[] json, long at) {}
    record AccessLogEntry(String apiKey, String path, int status, long at) {}

    static final class Strike {
        final long windowStart;
        int count;
        Strike(long windowStart) { this.windowStart = windowStart; }
    }

    /** Fixed-window rate limiter: one counter per (API key, minute). */
    static final class RateLimiter {
        final Map<String, Strike> strikes = new HashMap<>();
        long currentWindow = -1, allowed, rejected, windowsDropped;
        boolean tryAcquire(String apiKey, long at) {
            long window = at - at % MINUTE;
            if (window != currentWindow) {
                currentWindow = window;
                if (FIXED) { // drop every window that is over
                    int before = strikes.size();
                    strikes.values().removeIf(s -> s.windowStart < window);
                    windowsDropped += before - strikes.size();
                }
                // BUG: windows that are over are never removed
            }
            String k = apiKey + ":" + WINDOW.format(Instant.ofEpochMilli(window));
            Strike s = strikes.computeIfAbsent(k, x -> new Strike(window));
            if (++s.count > LIMIT_PER_MINUTE) { rejected++; return false; }
            allowed++;
            return true;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, QuoteSnapshot> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuoteSnapshot> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Exchange> EXCHANGES_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, ApiClient> clients = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        long requests;
        final RateLimiter limiter = new RateLimiter();
    }

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val79.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(79_010_001);
        String[] exchangeCodes = new String[EXCHANGES];
        for (int e = 0; e < EXCHANGES; e++) {
            double[] volumes = new double[64];
            for (int k = 0; k < volumes.length; k++) volumes[k] = rnd.nextDouble() * 1e6;
            String code = "X" + (3_000 + e);
            exchangeCodes[e] = code;
            EXCHANGES_BY_CODE.put(code, new Exchange(code, "Exchange " + e, volumes));
        }
        Gateway gw = new Gateway();
        SERVICE = gw;
        String[] keys = new String[CLIENTS];
        String[] plans = {"free", "starter", "pro", "enterprise"};
        for (int c = 0; c < CLIENTS; c++) {
            String key = "key-" + Integer.toHexString(0x10000 + c * 7);
            keys[c] = key;
            gw.clients.put(key, new ApiClient(key, "Company " + c, plans[c % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.encodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(79_010_002);
        String[] paths = {"/v1/quote", "/v1/candles", "/v1/depth", "/v1/trades"};
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String key = keys[traffic.nextInt(ACTIVE) * (CLIENTS / ACTIVE)];
            boolean ok = gw.limiter.tryAcquire(key, t);
            gw.accessLog[(int) (gw.requests++ % RING)] = new AccessLogEntry(key, paths[traffic.nextInt(paths.length)], ok ? 200 : 429, t);
            if (ok) {
                String symbol = exchangeCodes[traffic.nextInt(EXCHANGES)] + ":S" + traffic.nextInt(6);
                if (gw.quotes.get(symbol) == null) gw.quotes.put(symbol, new QuoteSnapshot(symbol, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = gw.encodeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                gw.encodeBuffers.add(buf);
            }
        }
        RateLimiter l = gw.limiter;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " exchanges " + EXCHANGES_BY_CODE.size() + " clients " + gw.clients.size() + " strikes " + l.strikes.size()
                + " dropped " + l.windowsDropped + " allowed " + l.allowed + " rejected " + l.rejected + " quotes " + gw.quotes.size() + " (evicted " + gw.quotes.evicted + ") pool " + gw.encodeBuffers.size() + " requests " + gw.requests);
        check(EXCHANGES_BY_CODE.size() == EXCHANGES && gw.clients.size() == CLIENTS, "reference data / directory");
        check(l.allowed + l.rejected == requests, "limiter traffic");
        if (FIXED) check(l.strikes.size() <= ACTIVE && l.strikes.size() + l.windowsDropped > hours * 60L * 100, "limiter keeps only the current window: " + l.strikes.size());
        else check(l.strikes.size() > hours * 60L * 100 && l.windowsDropped == 0, "limiter keeps every window: " + l.strikes.size());
        check(gw.quotes.size() == QUOTE_CAP && gw.quotes.evicted > 0, "quote cache at cap");
        check(gw.encodeBuffers.size() == POOL, "pool");
        check(gw.requests == requests && gw.accessLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
