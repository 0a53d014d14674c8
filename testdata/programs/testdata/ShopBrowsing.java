// hprofscan-dump: name=shop-browsing jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=shop-browsing-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=shop-browsing-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=shop-browsing-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The storefront of an online bookshop with 12 regional shops: 20,000 titles (a catalogue
 * loaded at startup), and for every browsing session a small LRU of the titles it viewed
 * (capped at 24) kept in {@code Storefront.viewed} under {@code <shop>:<session token>}, to
 * show "recently viewed". 40 sessions start a minute over 8 simulated hours, each viewing 1 to 8
 * titles over a few minutes. Beside them: an LRU of 1,500 rendered title pages at its cap, per
 * shop a map of its 300 best sellers (keyed by short shop codes), a ring of the last 4,096 views.
 * <ul>
 * <li>{@code healthy}: a sweeper removes a session's LRU 30 minutes after its last view: the
 * map holds the sessions of the last half hour, each used minutes ago.
 * <li>{@code leak}: the sweeper looks sessions up under the token alone, not under the shop
 * prefix the map uses, so it never finds one: every session's LRU since the start stays.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class ShopBrowsing {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int TITLES = 20_000, SHOPS = 12, PER_MINUTE = 40, MINUTES = 480, PAGE_CAP = 1_500, RING = 4_096, VIEWED_CAP = 24;

    record Title(String isbn, String name, String author, int priceCents, byte[] blurb) {}

    record View(String isbn, long at) {}

    record ViewEvent(String session, String isbn, long at) {}

    static final class Lru<K, V> extends LinkedHashMap<K, V> {
        final int cap;

        Lru(int cap) {
            super(16, 0.75f, true);
            this.cap = cap;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> e) {
            return size() > cap;
        }
    }

    static final class Storefront {
        final boolean sweepByToken;
        final Map<String, Lru<String, View>> viewed = new ConcurrentHashMap<>();
        final Map<String, Long> lastSeen = new HashMap<>();
        final Map<String, Map<String, Integer>> bestSellers = new HashMap<>();
        final Lru<String, byte[]> pages = new Lru<>(PAGE_CAP);
        final ViewEvent[] recent = new ViewEvent[RING];

        Storefront(boolean sweepByToken) {
            this.sweepByToken = sweepByToken;
        }

        void view(String shop, String token, String isbn, long t) {
            String key = shop + ":" + token;
            viewed.computeIfAbsent(key, k -> new Lru<>(VIEWED_CAP)).put(isbn, new View(isbn, t));
            lastSeen.put(key, t);
            recent[(int) (STATS.views++ % RING)] = new ViewEvent(token, isbn, t);
            STATS.lastResponse = new byte[6_000 + (int) (t % 2_000)]; // the rendered response, dropped
        }

        void sweep(long t) {
            for (Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Long> e = it.next();
                if (t - e.getValue() < 30 * MINUTE) continue;
                String key = e.getKey();
                // BUG (leak): the token alone is no key of the map
                String lookup = sweepByToken ? key.substring(key.indexOf(':') + 1) : key;
                if (viewed.remove(lookup) != null) STATS.swept++;
                it.remove();
            }
        }
    }

    /** The metrics endpoint's counters. */
    static final class Stats {
        long views, sessions, swept;
        byte[] lastResponse;
    }

    static final Stats STATS = new Stats();
    static final Map<String, Title> CATALOGUE = new HashMap<>();
    static Storefront front;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        simulate(leak, System.currentTimeMillis());
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long now) {
        Random r = new Random(20261207L);
        String[] isbns = new String[TITLES];
        for (int i = 0; i < TITLES; i++) {
            isbns[i] = "978" + (1_000_000_000L + i * 7_919L);
            CATALOGUE.put(isbns[i], new Title(isbns[i], "Title " + i, "Author " + r.nextInt(5_000), 499 + r.nextInt(3_000), new byte[200 + r.nextInt(300)]));
        }
        front = new Storefront(leak);
        String[] shops = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            shops[s] = "shop" + (10 + s);
            Map<String, Integer> best = new HashMap<>();
            for (int k = 0; k < 300; k++) best.put(isbns[r.nextInt(TITLES)], 1 + r.nextInt(900));
            front.bestSellers.put(shops[s], best);
        }
        long start = now - MINUTES * MINUTE;
        for (int m = 0; m < MINUTES; m++) {
            for (int k = 0; k < PER_MINUTE; k++) session(r, shops, isbns, start + m * MINUTE + k * 1_500L);
            front.sweep(start + m * MINUTE);
        }
    }

    static void session(Random r, String[] shops, String[] isbns, long t) {
        String token = Long.toHexString(r.nextLong() | (1L << 62)) + Long.toHexString(r.nextLong() | (1L << 62)).substring(0, 8);
        String shop = shops[r.nextInt(SHOPS)];
        STATS.sessions++;
        int n = 1 + r.nextInt(8);
        for (int v = 0; v < n; v++) {
            String isbn = isbns[r.nextInt(TITLES)];
            front.view(shop, token, isbn, t + v * 40_000L);
            front.pages.put(isbn, new byte[300 + r.nextInt(500)]);
        }
    }

    static void report(boolean leak) {
        long inner = 0;
        for (Lru<String, View> l : front.viewed.values()) inner += l.size();
        System.out.printf("sessions %d, views %d, swept %d, viewed maps %d holding %d, pages %d%n", STATS.sessions, STATS.views, STATS.swept, front.viewed.size(), inner, front.pages.size());
        int expected = leak ? 19_200 : 1_342;
        if (front.viewed.size() != expected) throw new IllegalStateException("viewed " + front.viewed.size());
    }
}
