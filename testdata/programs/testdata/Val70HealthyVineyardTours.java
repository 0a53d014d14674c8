// hprofscan-dump: name=val70-healthy-vineyardtours jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val70-healthy-vineyardtours-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 70 (written blind), HEALTHY: the booking site of a wine region's vineyard tours.
 * Vineyard reference data, the booking directory, a cache of rendered tasting menus at its cap, a
 * pool of label-printer buffers, a ring of tour check-ins, a per-client-IP rate limiter whose idle
 * buckets are swept every minute (a bucket idle for 10 minutes is full again), and a header-value
 * canonicalising map restricted to the headers with few distinct values (cookies, request ids and
 * trace ids are never interned). See VALIDATION70.md.
 */
public final class Val70HealthyVineyardTours {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_EVICT = 10 * MINUTE;
    static final int VINEYARDS = 1_200, BOOKINGS = 26_000, MENU_CAP = 2_000, POOL = 8, RING = 16_384, REGULARS = 2_500, HOURS = 10, REQUESTS_PER_HOUR = 9_000;
    static final Set<String> LOW_CARDINALITY = Set.of("Host", "Accept", "Accept-Language", "User-Agent");

    record Vineyard(String code, String appellation, double[] harvestByWeek) {}
    record Booking(String bookingRef, String vineyardCode, String guest, byte[] dietaryNotes, long bookedAt) {}
    record Menu(String key, byte[] rendered, long at) {}
    record CheckIn(String bookingRef, String vineyardCode, int guests, long at) {}

    static final class TokenBucket {
        final String clientIp; double tokens; long lastRefill; long requests;
        TokenBucket(String ip, long at) { clientIp = ip; lastRefill = at; tokens = 30; }
    }

    static final class RateLimiter {
        final Map<String, TokenBucket> buckets = new HashMap<>();
        long allowed, rejected, evicted, maxSize;
        boolean tryAcquire(String ip, long at) {
            TokenBucket b = buckets.computeIfAbsent(ip, k -> new TokenBucket(k, at));
            b.tokens = Math.min(30, b.tokens + (at - b.lastRefill) / 2_000.0);
            b.lastRefill = at; b.requests++;
            maxSize = Math.max(maxSize, buckets.size());
            if (b.tokens >= 1) { b.tokens -= 1; allowed++; return true; }
            rejected++;
            return false;
        }
        void sweep(long at) {
            for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) if (at - it.next().lastRefill > IDLE_EVICT) { it.remove(); evicted++; }
        }
    }

    static final class HeaderCanonicalizer {
        final Map<String, String> canonical = new HashMap<>();
        long lookups, skipped;
        String canon(String name, String value) {
            lookups++;
            if (!LOW_CARDINALITY.contains(name)) { skipped++; return value; }
            String c = canonical.putIfAbsent(value, value);
            return c != null ? c : value;
        }
    }

    static final class MenuCache extends LinkedHashMap<String, Menu> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Menu> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Vineyard> VINEYARDS_BY_CODE = new HashMap<>();

    static final class TourSite {
        final Map<String, Booking> bookings = new HashMap<>();
        final RateLimiter limiter = new RateLimiter();
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInsWritten;
    }

    static TourSite SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String ipv4(Random r) { return (11 + r.nextInt(212)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)); }

    static String ipv6(Random r) {
        return "2001:" + Integer.toHexString(0x4000 + r.nextInt(0x1000)) + ":" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000)) + "::" + Integer.toHexString(1 + r.nextInt(0xffff));
    }

    static String hex(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(70_060_001);
        String[] codes = new String[VINEYARDS];
        for (int v = 0; v < VINEYARDS; v++) {
            double[] harvest = new double[64];
            for (int k = 0; k < harvest.length; k++) harvest[k] = rnd.nextDouble() * 12;
            codes[v] = "VY-" + (2_000 + v);
            VINEYARDS_BY_CODE.put(codes[v], new Vineyard(codes[v], "Appellation " + (v % 45), harvest));
        }
        TourSite svc = new TourSite();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "VT" + (7_700_000 + b * 13);
            svc.bookings.put(refs[b], new Booking(refs[b], codes[rnd.nextInt(VINEYARDS)], "Guest " + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        String[] regulars = new String[REGULARS];
        for (int c = 0; c < REGULARS; c++) regulars[c] = c % 4 == 0 ? ipv6(rnd) : ipv4(rnd);
        String[] hosts = {"tours.vineyard-trail.example", "www.vineyard-trail.example"};
        String[] accepts = {"text/html,application/xhtml+xml", "application/json", "*/*", "image/avif,image/webp,*/*"};
        String[] langs = {"fr-FR,fr;q=0.9", "en-GB,en;q=0.8", "de-DE", "en-US", "nl-NL", "it-IT", "es-ES", "ja-JP"};
        String[] agents = new String[30];
        for (int a = 0; a < agents.length; a++) agents[a] = "Mozilla/5.0 (" + (a % 3 == 0 ? "iPhone" : a % 3 == 1 ? "Windows NT 10.0" : "Macintosh") + ") Browser/" + (100 + a);
        Random traffic = new Random(70_060_002);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextSweep <= t) { svc.limiter.sweep(nextSweep); nextSweep += MINUTE; }
            int kind = traffic.nextInt(100);
            String ip = kind < 75 ? regulars[traffic.nextInt(REGULARS)] : kind < 90 ? ipv4(traffic) : ipv6(traffic); // a quarter from crawlers and scanners
            boolean ok = svc.limiter.tryAcquire(ip, t);
            HeaderCanonicalizer h = svc.headers;
            h.canon("Host", hosts[traffic.nextInt(hosts.length)]);
            h.canon("Accept", accepts[traffic.nextInt(accepts.length)]);
            h.canon("Accept-Language", langs[traffic.nextInt(langs.length)]);
            h.canon("User-Agent", agents[traffic.nextInt(agents.length)]);
            h.canon("Cookie", "vt_session=" + hex(traffic, 24) + "; vt_consent=yes");
            h.canon("X-Request-Id", hex(traffic, 32));
            if (!ok) continue;
            if (i % 3 == 0) svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(refs[traffic.nextInt(BOOKINGS)], codes[traffic.nextInt(VINEYARDS)], 1 + traffic.nextInt(8), t);
            String key = "menu-" + traffic.nextInt(4_500);
            if (svc.menus.get(key) == null) svc.menus.put(key, new Menu(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        RateLimiter lim = svc.limiter;
        HeaderCanonicalizer h = svc.headers;
        System.out.println("vineyards " + VINEYARDS_BY_CODE.size() + " bookings " + svc.bookings.size() + " buckets " + lim.buckets.size() + " (max " + lim.maxSize + ", evicted " + lim.evicted + ", allowed " + lim.allowed + ", rejected " + lim.rejected
                + ") canonical " + h.canonical.size() + " (lookups " + h.lookups + ", skipped " + h.skipped + ") menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") pool " + svc.labelBuffers.size() + " check-ins " + svc.checkInsWritten);
        check(VINEYARDS_BY_CODE.size() == VINEYARDS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(lim.allowed + lim.rejected == requests && lim.evicted > 0 && lim.buckets.size() < 4_000, "limiter swept: " + lim.buckets.size());
        for (TokenBucket b : lim.buckets.values()) check(end - b.lastRefill <= IDLE_EVICT + 2 * MINUTE, "no idle bucket");
        check(h.canonical.size() == hosts.length + accepts.length + langs.length + agents.length && h.skipped == 2L * requests, "canonical map bounded by its header names");
        check(svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.checkInsWritten > RING && svc.checkIns[RING - 1] != null, "check-in ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
