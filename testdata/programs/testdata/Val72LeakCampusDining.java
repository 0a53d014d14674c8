// hprofscan-dump: name=val72-leak-campusdining jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val72-leak-campusdining-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 72 (written blind), LEAK: the web front end of a university's campus dining
 * service (menus, meal-plan balances, mobile orders). Menu-item reference data, the meal-plan
 * account directory, a cache of rendered menu pages at its cap, a pool of receipt-printer buffers,
 * a ring of recent card swipes, per-status-code counters, and an analytics counter map
 * (String -> LongAdder) that counts hits per URL. The key is the full request URL including its
 * query string, which carries per-request values (the session token, a cache-busting timestamp, the
 * order number), so almost every request adds a new counter that is never read again and never
 * pruned. See VALIDATION72.md.
 */
public final class Val72LeakCampusDining {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ITEMS = 1_500, ACCOUNTS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 3_000, HOURS = 10;
    static boolean FIXED;

    record MenuItem(String code, String station, double[] nutrients) {}
    record Account(String studentId, String plan, String hall, byte[] dietaryProfile, long openedAt) {}
    record MenuPage(String key, byte[] rendered, long at) {}
    record Swipe(String studentId, String hall, int cents, long at) {}

    static final class PageCache extends LinkedHashMap<String, MenuPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class Analytics {
        final ConcurrentHashMap<String, LongAdder> hitsByUrl = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        void record(String fullUrl, String routeTemplate, int status) {
            // BUG: keyed by the full URL with its query string; the fix keys by the route template
            hitsByUrl.computeIfAbsent(FIXED ? routeTemplate : fullUrl, k -> new LongAdder()).increment();
            byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        }
    }

    static final Map<String, MenuItem> ITEMS_BY_CODE = new HashMap<>();

    static final class DiningService {
        final Map<String, Account> accounts = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Swipe[] recentSwipes = new Swipe[RING];
        long swipes, requests;
        final Analytics analytics = new Analytics();
    }

    static DiningService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val72.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        DiningService svc = new DiningService();
        SERVICE = svc;
        int requests = REQUESTS_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + simulate(svc, start, end, now, requests));
        check(ITEMS_BY_CODE.size() == ITEMS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        long total = 0;
        for (LongAdder a : svc.analytics.hitsByUrl.values()) total += a.sum();
        check(total == requests && svc.requests == requests, "every request counted");
        if (FIXED) check(svc.analytics.hitsByUrl.size() == ROUTES.length, "one counter per route: " + svc.analytics.hitsByUrl.size());
        else check(svc.analytics.hitsByUrl.size() > requests * 9 / 10, "a counter per URL: " + svc.analytics.hitsByUrl.size());
        check(svc.analytics.byStatus.size() == 5, "status counters");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.swipes > RING && svc.recentSwipes[RING - 1] != null, "swipe ring wraps");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final String[] ROUTES = {"GET /menu/{hall}", "GET /menu/{hall}/item/{code}", "GET /balance", "POST /order", "GET /order/{number}", "GET /hours/{hall}", "GET /nutrition/{code}", "POST /feedback"};

    static String simulate(DiningService svc, long start, long end, long now, int requests) {
        Random rnd = new Random(72_030_001);
        String[] stations = {"Grill", "Salad", "Pasta", "Wok", "Bakery", "Vegan", "Deli", "Pizza"};
        String[] itemCodes = new String[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            double[] n = new double[64];
            for (int k = 0; k < n.length; k++) n[k] = rnd.nextDouble() * 30;
            itemCodes[i] = "MI-" + (10_000 + i * 7);
            ITEMS_BY_CODE.put(itemCodes[i], new MenuItem(itemCodes[i], stations[i % stations.length], n));
        }
        String[] halls = new String[24];
        for (int h = 0; h < halls.length; h++) halls[h] = "hall-" + (h < 10 ? "0" : "") + h;
        String[] students = new String[ACCOUNTS];
        String[] plans = {"UNLIMITED", "BLOCK-180", "BLOCK-120", "DINING-DOLLARS"};
        for (int a = 0; a < ACCOUNTS; a++) {
            students[a] = "S" + (40_000_000 + a * 3);
            svc.accounts.put(students[a], new Account(students[a], plans[a % plans.length], halls[rnd.nextInt(halls.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(72_030_002);
        int[] statuses = {200, 200, 200, 200, 200, 200, 304, 304, 404, 401, 500};
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int route = traffic.nextInt(ROUTES.length);
            String hall = halls[traffic.nextInt(halls.length)], item = itemCodes[traffic.nextInt(ITEMS)];
            String session = Long.toHexString(0x1000_0000_0000L + (traffic.nextLong() & 0x0fff_ffff_ffffL));
            String url = switch (route) {
                case 0 -> "/menu/" + hall + "?date=" + java.time.LocalDate.ofEpochDay(t / 86_400_000L) + "&sid=" + session + "&_=" + t;
                case 1 -> "/menu/" + hall + "/item/" + item + "?sid=" + session + "&_=" + t;
                case 2 -> "/balance?sid=" + session + "&_=" + t;
                case 3 -> "/order?sid=" + session + "&hall=" + hall + "&pickup=" + (t + 15 * MINUTE);
                case 4 -> "/order/" + (5_000_000 + i) + "?sid=" + session;
                case 5 -> "/hours/" + hall + "?sid=" + session + "&_=" + t;
                case 6 -> "/nutrition/" + item + "?sid=" + session;
                default -> "/feedback?sid=" + session + "&hall=" + hall;
            };
            svc.analytics.record(url, ROUTES[route], statuses[traffic.nextInt(statuses.length)]);
            svc.requests++;
            if (route == 3 || i % 2 == 0) {
                svc.recentSwipes[(int) (svc.swipes++ % RING)] = new Swipe(students[traffic.nextInt(ACCOUNTS)], hall, 250 + traffic.nextInt(1_200), t);
                byte[] buf = svc.receiptBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.receiptBuffers.add(buf);
            }
            String key = "page-" + hall + "-" + traffic.nextInt(180);
            if (svc.pages.get(key) == null) svc.pages.put(key, new MenuPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        return "items " + ITEMS_BY_CODE.size() + " accounts " + svc.accounts.size() + " requests " + svc.requests + " url counters " + svc.analytics.hitsByUrl.size() + " status counters " + svc.analytics.byStatus.size()
                + " swipes " + svc.swipes + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.receiptBuffers.size();
    }
}
