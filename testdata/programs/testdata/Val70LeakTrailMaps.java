// hprofscan-dump: name=val70-leak-trailmaps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val70-leak-trailmaps-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 70 (written blind), LEAK: the public tile and route API of a hiking-trail map
 * service. Trail reference data, the tile directory, a cache of rendered tiles at its cap, a pool of
 * PNG encode buffers, a ring of access-log entries, the partner API-key quotas (one per registered
 * partner), and a per-client rate limiter keeping one token bucket per client IP address (IPv4 and
 * IPv6) in a map that is never pruned: scanners and bots rotating through large address spaces
 * leave one bucket each, forever. See VALIDATION70.md.
 */
public final class Val70LeakTrailMaps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TRAILS = 1_400, TILES = 24_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, PARTNERS = 400, REGULARS = 3_000, HOURS = 10, REQUESTS_PER_HOUR = 12_000;
    static final long IDLE_EVICT = 10 * MINUTE;
    static boolean FIXED;

    record Trail(String code, String park, double[] elevationProfile) {}
    record TileMeta(String tileKey, String trailCode, int zoom, byte[] attribution, long renderedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Access(String clientIp, String path, int status, long at) {}

    static final class TokenBucket {
        final String clientIp; final long firstSeen;
        double tokens; long lastRefill; long requests; int rejected;
        TokenBucket(String ip, long at, double capacity) { clientIp = ip; firstSeen = at; lastRefill = at; tokens = capacity; }
    }

    /** 20 requests of burst, refilled at 1 per 3 seconds. */
    static final class RateLimiter {
        static final double CAPACITY = 20, PER_MS = 1 / 3_000.0;
        final Map<String, TokenBucket> buckets = new HashMap<>();
        long allowed, rejected, evicted;
        boolean tryAcquire(String ip, long at) {
            TokenBucket b = buckets.computeIfAbsent(ip, k -> new TokenBucket(k, at, CAPACITY));
            b.tokens = Math.min(CAPACITY, b.tokens + (at - b.lastRefill) * PER_MS);
            b.lastRefill = at;
            b.requests++;
            if (b.tokens >= 1) { b.tokens -= 1; allowed++; return true; }
            b.rejected++; rejected++;
            return false;
        }
        /** The fix: a bucket idle for 10 minutes is full again, so dropping it changes nothing. */
        void sweep(long at) {
            for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) if (at - it.next().lastRefill > IDLE_EVICT) { it.remove(); evicted++; }
        }
    }

    record PartnerQuota(String apiKey, String partner, long dailyLimit, long usedToday) {}

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Trail> TRAILS_BY_CODE = new HashMap<>();

    static final class MapApi {
        final Map<String, TileMeta> tiles = new HashMap<>();
        final Map<String, PartnerQuota> partnerQuotas = new HashMap<>();
        final RateLimiter limiter = new RateLimiter();
        final TileCache rendered = new TileCache();
        final ArrayDeque<byte[]> pngBuffers = new ArrayDeque<>();
        final Access[] accessLog = new Access[RING];
        long logged;
    }

    static MapApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String ipv4(Random r) { return (11 + r.nextInt(212)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)); }

    static String ipv6(Random r) {
        return "2a0" + r.nextInt(10) + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000))
                + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(1 + r.nextInt(0xffff));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val70.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(70_030_001);
        String[] trailCodes = new String[TRAILS];
        for (int t = 0; t < TRAILS; t++) {
            double[] profile = new double[64];
            for (int k = 0; k < profile.length; k++) profile[k] = 200 + rnd.nextDouble() * 2_800;
            trailCodes[t] = "TR-" + (10_000 + t);
            TRAILS_BY_CODE.put(trailCodes[t], new Trail(trailCodes[t], "Park " + (t % 70), profile));
        }
        MapApi svc = new MapApi();
        SERVICE = svc;
        for (int i = 0; i < TILES; i++) {
            int z = 10 + i % 6;
            String key = z + "/" + (i * 7 % 4_096) + "/" + (i / 7);
            svc.tiles.put(key, new TileMeta(key, trailCodes[rnd.nextInt(TRAILS)], z, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int p = 0; p < PARTNERS; p++) {
            String apiKey = "pk_" + Long.toHexString(0x7a11_0000_0000L + p * 977L);
            svc.partnerQuotas.put(apiKey, new PartnerQuota(apiKey, "Partner " + p, 10_000 + rnd.nextInt(90_000), 0));
        }
        for (int b = 0; b < POOL; b++) svc.pngBuffers.add(new byte[32_768]);
        // regular clients (app users, hiking clubs, partner servers): a stable set of addresses
        String[] regulars = new String[REGULARS];
        for (int c = 0; c < REGULARS; c++) regulars[c] = c % 5 == 0 ? ipv6(rnd) : ipv4(rnd);
        Random traffic = new Random(70_030_002);
        String[] paths = {"/tiles/", "/routes/", "/trails/", "/elevation/", "/.env", "/wp-login.php"};
        long nextSweep = start + MINUTE;
        long scannerRequests = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            if (FIXED) while (nextSweep <= t) { svc.limiter.sweep(nextSweep); nextSweep += MINUTE; }
            String ip;
            int kind = traffic.nextInt(100);
            if (kind < 70) ip = regulars[traffic.nextInt(REGULARS)];
            else { ip = kind < 88 ? ipv4(traffic) : ipv6(traffic); scannerRequests++; } // scanners and bots: a new address almost every time
            boolean ok = svc.limiter.tryAcquire(ip, t);
            String path = kind < 70 ? paths[traffic.nextInt(4)] : paths[traffic.nextInt(paths.length)];
            svc.accessLog[(int) (svc.logged++ % RING)] = new Access(ip, path, ok ? 200 : 429, t);
            if (ok && kind < 70) {
                String key = "tile-" + traffic.nextInt(5_000);
                if (svc.rendered.get(key) == null) svc.rendered.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.pngBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pngBuffers.add(buf);
            }
        }
        RateLimiter lim = svc.limiter;
        long idle = 0, ipv6 = 0;
        for (TokenBucket b : lim.buckets.values()) { if (end - b.lastRefill > IDLE_EVICT + 2 * MINUTE) idle++; if (b.clientIp.indexOf(':') >= 0) ipv6++; }
        System.out.println((FIXED ? "FIXED " : "") + "trails " + TRAILS_BY_CODE.size() + " tiles " + svc.tiles.size() + " partners " + svc.partnerQuotas.size() + " buckets " + lim.buckets.size() + " (idle > 12 min " + idle + ", ipv6 " + ipv6
                + ") allowed " + lim.allowed + " rejected " + lim.rejected + " evicted " + lim.evicted + " scanner requests " + scannerRequests + " rendered " + svc.rendered.size() + " (evicted " + svc.rendered.evicted + ") pool " + svc.pngBuffers.size() + " logged " + svc.logged);
        check(TRAILS_BY_CODE.size() == TRAILS && svc.tiles.size() == TILES && svc.partnerQuotas.size() == PARTNERS, "reference data / directory / partners");
        check(lim.allowed + lim.rejected == requests, "limiter traffic");
        if (FIXED) check(idle == 0 && lim.evicted > 0 && lim.buckets.size() < 5_000, "idle buckets swept: " + lim.buckets.size());
        else check(lim.evicted == 0 && idle > 30_000, "every client ever seen keeps its bucket: " + lim.buckets.size());
        check(svc.rendered.size() == TILE_CAP && svc.rendered.evicted > 0, "tile cache at cap");
        check(svc.pngBuffers.size() == POOL, "pool");
        check(svc.logged == requests && svc.accessLog[RING - 1] != null, "access ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
