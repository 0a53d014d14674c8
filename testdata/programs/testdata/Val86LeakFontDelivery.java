// hprofscan-dump: name=val86-leak-fontdelivery jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val86-leak-fontdelivery-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 86 (written blind), LEAK: the edge server of a web-font delivery network. Browsers
 * request font subsets (family / weight / unicode range); the server keeps the compressed subsets
 * in a hand-written LRU cache ({@code SubsetCache}: a {@code HashMap} of subsets plus a
 * {@code LinkedList} of keys in recency order, capacity 2,000). Font-family reference data, the
 * directory of licensed customer sites, a pool of compression buffers, a ring of access-log
 * entries, a per-thread glyph scratch buffer, and the cache, whose {@code get} adds the key to the
 * front of the order list on every hit without removing its old position: the map stays at its
 * cap while the list grows by one node (with the request's own key string) per hit. See
 * VALIDATION86.md.
 */
public final class Val86LeakFontDelivery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FAMILIES = 1_200, SITES = 24_000, SUBSET_CAP = 2_000, POOL = 8, RING = 16_384;
    static final int HOURS = 10, REQUESTS_PER_HOUR = 12_000;
    static final String[] RANGES = {"latin", "latin-ext", "cyrillic", "cyrillic-ext", "greek", "greek-ext", "vietnamese", "hebrew", "arabic", "devanagari"};
    static final int[] WEIGHTS = {300, 400, 500, 600, 700};
    static boolean FIXED;

    record FontFamily(String name, String foundry, double[] advanceWidths) {}
    record SiteLicence(String domain, String plan, byte[] licence, long since) {}
    record FontSubset(String key, byte[] woff2, long builtAt) {}
    record AccessLogEntry(String site, String key, int status, int bytes, long at) {}

    /** Hand-written LRU: a HashMap of values plus a LinkedList of keys, most recent first. */
    static final class SubsetCache {
        final Map<String, FontSubset> map = new HashMap<>();
        final LinkedList<String> order = new LinkedList<>();
        final int capacity;
        long hits, misses, evicted;
        SubsetCache(int capacity) { this.capacity = capacity; }
        FontSubset get(String key) {
            FontSubset v = map.get(key);
            if (v == null) { misses++; return null; }
            hits++;
            if (FIXED) order.remove(key); // the fix: move the key instead of adding it again
            order.addFirst(key);           // BUG: the key's old position stays in the list
            return v;
        }
        void put(String key, FontSubset v) {
            map.put(key, v);
            order.addFirst(key);
            while (map.size() > capacity) {
                String eldest = order.removeLast();
                if (map.remove(eldest) != null) evicted++;
            }
        }
    }

    static final Map<String, FontFamily> FAMILIES_BY_NAME = new HashMap<>();
    static final ThreadLocal<byte[]> GLYPH_SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final class EdgeServer {
        final Map<String, SiteLicence> licences = new HashMap<>();
        final SubsetCache subsets = new SubsetCache(SUBSET_CAP);
        final ArrayDeque<byte[]> brotliBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        long requests, bytesServed;
    }

    static EdgeServer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val86.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(86_040_001);
        String[] families = new String[FAMILIES];
        for (int f = 0; f < FAMILIES; f++) {
            double[] widths = new double[64];
            for (int k = 0; k < widths.length; k++) widths[k] = 200 + rnd.nextDouble() * 800;
            families[f] = "Family" + (f < 26 ? String.valueOf((char) ('A' + f)) : Integer.toString(f));
            FAMILIES_BY_NAME.put(families[f], new FontFamily(families[f], "Foundry " + (f % 90), widths));
        }
        EdgeServer svc = new EdgeServer();
        SERVICE = svc;
        String[] domains = new String[SITES];
        String[] plans = {"free", "pro", "business", "enterprise"};
        for (int s = 0; s < SITES; s++) {
            domains[s] = "site" + (100_000 + s * 13) + ".example.org";
            svc.licences.put(domains[s], new SiteLicence(domains[s], plans[s % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.brotliBuffers.add(new byte[32_768]);
        Random traffic = new Random(86_040_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String site = domains[traffic.nextInt(SITES)];
            // 150 popular families, the first ones most often; mostly latin / latin-ext, 1% any range
            double u = traffic.nextDouble();
            String family = families[(int) (u * u * 150)];
            int weight = WEIGHTS[traffic.nextInt(WEIGHTS.length)];
            String range = RANGES[traffic.nextInt(100) == 0 ? traffic.nextInt(RANGES.length) : traffic.nextInt(2)];
            String key = family + "/" + weight + "/" + range; // built per request
            FontSubset subset = svc.subsets.get(key);
            int status = 200;
            if (subset == null) {
                byte[] scratch = GLYPH_SCRATCH.get();
                byte[] buf = svc.brotliBuffers.poll();
                scratch[i % scratch.length] = (byte) i;
                buf[i % buf.length] = (byte) i;
                svc.brotliBuffers.add(buf);
                subset = new FontSubset(key, new byte[500 + traffic.nextInt(500)], t);
                svc.subsets.put(key, subset);
            } else if (traffic.nextInt(5) == 0) {
                status = 304;
            }
            svc.bytesServed += status == 200 ? subset.woff2().length : 0;
            svc.accessLog[(int) (svc.requests++ % RING)] = new AccessLogEntry(site, key, status, status == 200 ? subset.woff2().length : 0, t);
        }
        SubsetCache c = svc.subsets;
        System.out.println((FIXED ? "FIXED " : "") + "families " + FAMILIES_BY_NAME.size() + " sites " + svc.licences.size() + " requests " + svc.requests + " cache map " + c.map.size() + " order list " + c.order.size()
                + " (stale positions " + (c.order.size() - c.map.size()) + ") hits " + c.hits + " misses " + c.misses + " evicted " + c.evicted + " pool " + svc.brotliBuffers.size() + " served " + svc.bytesServed);
        check(FAMILIES_BY_NAME.size() == FAMILIES && svc.licences.size() == SITES, "reference data / directory");
        check(c.hits + c.misses == requests && c.map.size() == SUBSET_CAP && c.evicted > 0, "cache at its cap");
        if (FIXED) check(c.order.size() == c.map.size(), "order list has one position per key");
        else check(c.order.size() > c.map.size() + c.hits / 2, "order list grows with every hit: " + c.order.size());
        check(svc.brotliBuffers.size() == POOL, "pool");
        check(svc.requests == requests && svc.accessLog[RING - 1] != null, "access-log ring wraps");
        LeakCheck.histogram("java.util.LinkedList");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
