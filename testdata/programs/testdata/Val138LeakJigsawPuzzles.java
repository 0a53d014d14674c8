// hprofscan-dump: name=val138-leak-jigsawpuzzles jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val138-leak-jigsawpuzzles-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 138 (written blind), LEAK: the storefront API of an online jigsaw-puzzle shop.
 * Every request's User-Agent goes through UserAgentInterner.canonical (a ConcurrentHashMap<String,
 * String>, putIfAbsent(s, s)) so that the access log and the analytics counters share one String
 * per user agent: meant for a few hundred browsers and app builds. The puzzle marketplace's partner
 * widget SDK appends its build id and the request id to its User-Agent ("PuzzleMarketSDK/3.4.1
 * (Android 14; SM-S918B) build/7f3a9c2e41 req/9b1f0c7a-..."), so nearly every request of that client
 * adds an entry that is never used again. Plus manufacturer reference data, the puzzle catalogue,
 * a product-page cache at its cap, a pool of image buffers, a ring of recent requests (sharing the
 * canonical strings), a ring of orders and the warehouse pick queue with its normal backlog.
 * See VALIDATION138.md.
 */
public final class Val138LeakJigsawPuzzles {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int BRANDS = 800, PUZZLES = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, ORDER_RING = 2_048, HOURS = 10, REQUESTS_PER_HOUR = 12_000;
    static boolean FIXED;

    record Brand(String code, String name, String country, double[] salesByWeek) {}
    record Puzzle(String sku, String title, String brandCode, int pieces, int priceCents, byte[] description, long listedAt) {}
    record ProductPage(String key, byte[] html, long renderedAt) {}
    record AccessLogEntry(String method, String path, int status, String userAgent, int micros, long at) {}
    record Order(String orderNo, String sku, int quantity, String channel, long at) {}
    record PickTask(String orderNo, String sku, String bin, long orderedAt) {}

    /** Canonicalises User-Agent strings so that log entries and counters share them. */
    static final class UserAgentInterner {
        final ConcurrentHashMap<String, String> canonical = new ConcurrentHashMap<>();
        long calls, hits;
        String intern(String ua) {
            calls++;
            String key = FIXED ? stripSdkSuffix(ua) : ua; // the fix: the build id and request id are not part of the user agent
            String prev = canonical.putIfAbsent(key, key);
            if (prev != null) { hits++; return prev; }
            return key;
        }
        static String stripSdkSuffix(String ua) {
            int i = ua.indexOf(" build/");
            return i < 0 ? ua : ua.substring(0, i);
        }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Brand> BRANDS_BY_CODE = new HashMap<>();

    static final class StoreService {
        final Map<String, Puzzle> catalogue = new HashMap<>();
        final String[] skus = new String[PUZZLES];
        final UserAgentInterner agents = new UserAgentInterner();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        final Order[] recentOrders = new Order[ORDER_RING];
        final ArrayDeque<PickTask> pickQueue = new ArrayDeque<>();
        final Map<String, long[]> requestsByChannel = new HashMap<>();
        long requests, orders, picked, sdkRequests;
    }

    static StoreService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The browsers and the shop's own app builds: a fixed few hundred user agents. */
    static String[] boundedAgents(Random rnd) {
        List<String> out = new ArrayList<>();
        String[] oses = {"Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64", "Linux; Android 14; SM-S918B", "Linux; Android 13; Pixel 7"};
        for (int v = 112; v <= 126; v++) for (int o = 0; o < oses.length; o++)
            out.add("Mozilla/5.0 (" + oses[o] + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + v + ".0.0.0 " + (o >= 3 ? "Mobile " : "") + "Safari/537.36");
        for (int v = 115; v <= 127; v++) for (int o = 0; o < 3; o++)
            out.add("Mozilla/5.0 (" + oses[o] + "; rv:" + v + ".0) Gecko/20100101 Firefox/" + v + ".0");
        for (int v = 15; v <= 17; v++) for (int m = 0; m < 6; m++) {
            out.add("Mozilla/5.0 (iPhone; CPU iPhone OS " + v + "_" + m + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + v + "." + m + " Mobile/15E148 Safari/604.1");
            out.add("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + v + "." + m + " Safari/605.1.15");
        }
        for (int v = 118; v <= 126; v++) out.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + v + ".0.0.0 Safari/537.36 Edg/" + v + ".0." + (2_000 + rnd.nextInt(400)) + ".0");
        for (int b = 0; b < 24; b++) {
            out.add("PieceTogether/6." + (b / 4) + "." + (b % 4) + " (iPhone; iOS 17." + (b % 5) + "; Scale/3.00)");
            out.add("PieceTogether/6." + (b / 4) + "." + (b % 4) + " (Android 14; okhttp/4.12.0)");
        }
        out.add("Googlebot/2.1 (+http://www.google.com/bot.html)");
        out.add("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");
        out.add("UptimeRobot/2.0 (http://www.uptimerobot.com/)");
        out.add("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)");
        return out.toArray(new String[0]);
    }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(138_030_001);
        String[] brandCodes = new String[BRANDS];
        String[] countries = {"DE", "GB", "NL", "US", "IT", "FR", "ES", "JP"};
        for (int b = 0; b < BRANDS; b++) {
            double[] sales = new double[52];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 400;
            brandCodes[b] = "BR-" + (300 + b);
            BRANDS_BY_CODE.put(brandCodes[b], new Brand(brandCodes[b], "Puzzle maker " + b, countries[b % countries.length], sales));
        }
        StoreService svc = new StoreService();
        SERVICE = svc;
        int[] pieceCounts = {300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000};
        String[] themes = {"Alpine Lake", "Cat Cafe", "Harbour at Dusk", "Vintage Map", "Autumn Woods", "Hot Air Balloons", "Bookshop Window", "Village Fete", "Night Sky", "Tulip Fields"};
        for (int i = 0; i < PUZZLES; i++) {
            svc.skus[i] = "JP-" + (100_000 + i * 3);
            svc.catalogue.put(svc.skus[i], new Puzzle(svc.skus[i], themes[rnd.nextInt(themes.length)] + " " + (i % 97), brandCodes[rnd.nextInt(BRANDS)], pieceCounts[rnd.nextInt(pieceCounts.length)], 999 + rnd.nextInt(4_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        String[] bounded = boundedAgents(new Random(138_030_002));
        String[] sdkDevices = {"Android 14; SM-S918B", "Android 13; Pixel 7", "iOS 17.4; iPhone15,2", "iOS 16.7; iPhone12,1", "Android 12; moto g(60)"};
        String[] sdkBuilds = {"7f3a9c2e41", "7f3a9c2e41", "81d0b5aa07", "a4e61c9f32", "c0ffee4b19", "d2b7e85013"};
        String[] sdkVersions = {"3.4.1", "3.4.1", "3.4.2", "3.5.0"};
        Random traffic = new Random(138_030_003);
        int n = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            String ua, channel;
            int src = traffic.nextInt(100);
            if (src < 46) { // the marketplace's partner widget
                long reqHi = traffic.nextLong(), reqLo = traffic.nextLong();
                ua = "PuzzleMarketSDK/" + sdkVersions[traffic.nextInt(sdkVersions.length)] + " (" + sdkDevices[traffic.nextInt(sdkDevices.length)] + ") build/" + sdkBuilds[traffic.nextInt(sdkBuilds.length)]
                        + " req/" + hex8(reqHi >>> 32) + "-" + hex4(reqHi >>> 16) + "-4" + hex4(reqHi).substring(1) + "-a" + hex4(reqLo >>> 48).substring(1) + "-" + hex8(reqLo) + hex4(reqLo >>> 32);
                channel = "marketplace";
                svc.sdkRequests++;
            } else {
                ua = bounded[(int) Math.min(bounded.length - 1, Math.abs(traffic.nextGaussian()) * bounded.length / 2.5)];
                channel = ua.startsWith("PieceTogether/") ? "app" : ua.contains("bot") || ua.contains("Robot") ? "bot" : "web";
            }
            request(svc, traffic, ua, channel, t);
            while (!svc.pickQueue.isEmpty() && svc.pickQueue.peekFirst().orderedAt() <= t - 25 * MINUTE) { svc.pickQueue.pollFirst(); svc.picked++; }
        }
    }

    static String hex8(long v) { String s = Long.toHexString((v & 0xffffffffL) | 0x100000000L); return s.substring(1); }
    static String hex4(long v) { String s = Long.toHexString((v & 0xffffL) | 0x10000L); return s.substring(1); }

    static void request(StoreService svc, Random traffic, String rawUa, String channel, long t) {
        String ua = svc.agents.intern(rawUa);
        svc.requestsByChannel.computeIfAbsent(channel, c -> new long[1])[0]++;
        String sku = svc.skus[traffic.nextInt(PUZZLES)];
        String path;
        int kind = traffic.nextInt(10);
        if (kind < 6) {
            path = "/puzzles/" + sku;
            String key = "page-" + svc.skus[traffic.nextInt(5_000)];
            if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[500 + traffic.nextInt(700)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[(int) (svc.requests % buf.length)] = (byte) kind;
            svc.imageBuffers.add(buf);
        } else if (kind < 9) {
            path = "/search?pieces=" + (500 * (1 + traffic.nextInt(4))) + "&theme=" + traffic.nextInt(40);
        } else {
            path = "/basket/checkout";
            String orderNo = "JO-" + (5_500_000 + svc.orders);
            svc.recentOrders[(int) (svc.orders++ % ORDER_RING)] = new Order(orderNo, sku, 1 + traffic.nextInt(3), channel, t);
            svc.pickQueue.addLast(new PickTask(orderNo, sku, "A" + traffic.nextInt(40) + "-" + traffic.nextInt(12), t));
        }
        svc.accessLog[(int) (svc.requests++ % RING)] = new AccessLogEntry(kind == 9 ? "POST" : "GET", path, 200, ua, 800 + traffic.nextInt(40_000), t);
    }

    static void report() {
        StoreService svc = SERVICE;
        UserAgentInterner a = svc.agents;
        long sdkEntries = 0;
        for (String k : a.canonical.keySet()) if (k.startsWith("PuzzleMarketSDK/")) sdkEntries++;
        System.out.println((FIXED ? "FIXED " : "") + "brands " + BRANDS_BY_CODE.size() + " puzzles " + svc.catalogue.size() + " requests " + svc.requests + " sdk " + svc.sdkRequests + " interned " + a.calls + " hits " + a.hits
                + " entries " + a.canonical.size() + " (sdk " + sdkEntries + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") orders " + svc.orders + " picked " + svc.picked + " queued " + svc.pickQueue.size());
        check(BRANDS_BY_CODE.size() == BRANDS && svc.catalogue.size() == PUZZLES, "reference data / catalogue");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && a.calls == svc.requests, "requests");
        if (FIXED) check(a.canonical.size() < 400, "fix: bounded user agents");
        else check(a.canonical.size() == 55_338 && sdkEntries == 55_127, "interner entries " + a.canonical.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0 && svc.imageBuffers.size() == POOL && svc.accessLog[RING - 1] != null && svc.recentOrders[ORDER_RING - 1] != null, "cache at cap / pool / rings");
        check(svc.pickQueue.size() == 498, "pick backlog " + svc.pickQueue.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val138.fixed");
        run();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
