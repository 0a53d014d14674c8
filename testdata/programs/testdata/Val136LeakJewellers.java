// hprofscan-dump: name=val136-leak-jewellers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val136-leak-jewellers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 136 (written blind), LEAK: the storefront service of an online jeweller. Gemstone
 * reference prices, the product catalogue, a cache of rendered product pages at its cap, a pool of
 * image buffers, a ring of the latest page views (the "trending now" strip), the engraving queue
 * with a normal backlog, and the "recently viewed" strip: a HashMap<String, ArrayDeque<PageView>>
 * keyed by the visitor cookie id. Each deque is capped correctly at the visitor's last 15 views,
 * but almost every visitor comes once (a new cookie id per browser), and no entry is ever evicted:
 * the map gains a small capped deque per visitor for ever. See VALIDATION136.md.
 */
public final class Val136LeakJewellers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long ENGRAVING_AFTER = 45 * MINUTE, IDLE_EXPIRY = 30 * MINUTE, SWEEP_EVERY = 5 * MINUTE;
    static final int GEMS = 1_000, PRODUCTS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, VIEW_CAP = 15;
    static final int HOURS = 10, VIEWS_PER_HOUR = 22_000, MAX_ACTIVE = 400;
    static boolean FIXED;

    record Gemstone(String code, String name, String grade, double[] pricePerCaratStep) {}
    record Product(String sku, String title, String metal, int priceCents, byte[] description, long listedAt) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record PageView(String sku, long at, String referrer, int dwellMs) {}
    record EngravingJob(String orderId, String sku, String text, long orderedAt) {}

    /** The "recently viewed" strip. */
    static final class RecentlyViewed {
        final Map<String, ArrayDeque<PageView>> byVisitor = new HashMap<>();
        final Map<String, Long> lastSeen = new HashMap<>(); // fix only: idle tracking for the sweep
        long recorded, swept;
        void record(String visitorId, PageView v) {
            ArrayDeque<PageView> views = byVisitor.computeIfAbsent(visitorId, id -> new ArrayDeque<>(VIEW_CAP));
            if (views.size() == VIEW_CAP) views.removeFirst();
            views.addLast(v);
            recorded++;
            if (FIXED) lastSeen.put(visitorId, v.at());
        }
        List<PageView> strip(String visitorId) { ArrayDeque<PageView> d = byVisitor.get(visitorId); return d == null ? List.of() : new ArrayList<>(d); }
        void sweep(long now) { // fix only: drop visitors idle for 30 minutes
            for (Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> e = it.next();
                if (e.getValue() <= now - IDLE_EXPIRY) { byVisitor.remove(e.getKey()); it.remove(); swept++; }
            }
        }
    }

    static final class Visit {
        final String visitorId; int remaining;
        Visit(String visitorId, int remaining) { this.visitorId = visitorId; this.remaining = remaining; }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Gemstone> GEMS_BY_CODE = new HashMap<>();

    static final class StoreService {
        final Map<String, Product> products = new HashMap<>();
        final String[] skus = new String[PRODUCTS];
        final PageCache productPages = new PageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final PageView[] trending = new PageView[RING];
        final ArrayDeque<EngravingJob> engravingQueue = new ArrayDeque<>();
        final RecentlyViewed recentlyViewed = new RecentlyViewed();
        final List<Visit> active = new ArrayList<>();
        final ArrayDeque<String> recentVisitors = new ArrayDeque<>(); // the last 2,000 cookie ids seen (returning visitors)
        long views, visits, newVisitors, returningVisits, orders, engraved, stripsShown;

        void view(Random r, long t) {
            boolean arriving = active.isEmpty() || (active.size() < MAX_ACTIVE && r.nextInt(5) == 0);
            if (arriving) startVisit(r);
            int k = arriving ? active.size() - 1 : r.nextInt(active.size());
            Visit visit = active.get(k);
            String sku = r.nextInt(10) < 7 ? skus[r.nextInt(1_500)] : skus[r.nextInt(PRODUCTS)]; // the bestsellers get most of the views
            PageView v = new PageView(sku, t, REFERRERS[r.nextInt(REFERRERS.length)], 800 + r.nextInt(90_000));
            recentlyViewed.record(visit.visitorId, v);
            stripsShown += recentlyViewed.strip(visit.visitorId).size() > 1 ? 1 : 0;
            trending[(int) (views++ % RING)] = v;
            String key = "page-" + sku;
            if (productPages.get(key) == null) productPages.put(key, new ProductPage(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = imageBuffers.poll();
            buf[(int) (views % buf.length)] = (byte) v.dwellMs();
            imageBuffers.add(buf);
            if (r.nextInt(150) == 0) {
                String orderId = "JO-" + (880_000 + orders++);
                if (r.nextInt(3) == 0) { engravingQueue.addLast(new EngravingJob(orderId, sku, "With love " + (char) ('A' + r.nextInt(26)) + " & " + (char) ('A' + r.nextInt(26)), t)); }
            }
            if (--visit.remaining == 0) { active.set(k, active.get(active.size() - 1)); active.remove(active.size() - 1); }
        }

        void startVisit(Random r) {
            visits++;
            String id;
            if (!recentVisitors.isEmpty() && r.nextInt(100) < 9) {
                int back = r.nextInt(recentVisitors.size());
                Iterator<String> it = recentVisitors.descendingIterator();
                id = it.next();
                for (int i = 0; i < back; i++) id = it.next();
                returningVisits++;
            } else {
                id = "v_" + Long.toHexString(0x5eed_0000_0000_0000L ^ (r.nextLong() & 0x0000_ffff_ffff_ffffL));
                newVisitors++;
                recentVisitors.addLast(id);
                if (recentVisitors.size() > 2_000) recentVisitors.removeFirst();
            }
            int n = r.nextInt(10) == 0 ? 12 + r.nextInt(30) : 1 + r.nextInt(8); // most look at a few pieces, one in ten browses long
            active.add(new Visit(id, n));
        }

        void engrave(long now) {
            while (!engravingQueue.isEmpty() && engravingQueue.peekFirst().orderedAt() <= now - ENGRAVING_AFTER) { engravingQueue.pollFirst(); engraved++; }
        }
    }

    static final String[] REFERRERS = {"direct", "google", "instagram", "pinterest", "newsletter", "affiliate:giftguide", "bing", "facebook"};

    static StoreService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(136_020_001);
        for (int g = 0; g < GEMS; g++) {
            double[] prices = new double[60];
            for (int k = 0; k < prices.length; k++) prices[k] = 40 + rnd.nextDouble() * 4_000;
            String code = "GEM-" + (2_000 + g);
            GEMS_BY_CODE.put(code, new Gemstone(code, "Gemstone " + (g % 60), "grade " + (char) ('A' + g % 6), prices));
        }
        StoreService svc = new StoreService();
        SERVICE = svc;
        String[] metals = {"9ct gold", "18ct gold", "platinum", "sterling silver", "rose gold", "white gold"};
        for (int i = 0; i < PRODUCTS; i++) {
            svc.skus[i] = "JW-" + (1_000_000 + i * 13);
            svc.products.put(svc.skus[i], new Product(svc.skus[i], "Piece " + i, metals[rnd.nextInt(metals.length)], 2_500 + rnd.nextInt(400_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(136_020_002);
        int views = VIEWS_PER_HOUR * HOURS;
        long nextMinute = start + MINUTE, nextSweep = start + SWEEP_EVERY;
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            while (nextMinute <= t) {
                svc.engrave(nextMinute);
                if (FIXED && nextSweep <= nextMinute) { svc.recentlyViewed.sweep(nextSweep); nextSweep += SWEEP_EVERY; }
                nextMinute += MINUTE;
            }
            svc.view(traffic, t);
        }
    }

    static void verify() {
        StoreService svc = SERVICE;
        RecentlyViewed rv = svc.recentlyViewed;
        long held = 0; int atCap = 0, single = 0;
        for (ArrayDeque<PageView> d : rv.byVisitor.values()) { held += d.size(); if (d.size() == VIEW_CAP) atCap++; if (d.size() == 1) single++; }
        System.out.println((FIXED ? "FIXED " : "") + "gems " + GEMS_BY_CODE.size() + " products " + svc.products.size() + " views " + svc.views + " visits " + svc.visits + " new visitors " + svc.newVisitors
                + " returning " + svc.returningVisits + " active " + svc.active.size() + " visitors held " + rv.byVisitor.size() + " views held " + held + " at cap " + atCap + " single " + single + " swept " + rv.swept
                + " pages " + svc.productPages.size() + " (evicted " + svc.productPages.evicted + ") orders " + svc.orders + " engraving backlog " + svc.engravingQueue.size() + " engraved " + svc.engraved);
        check(GEMS_BY_CODE.size() == GEMS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.views == (long) VIEWS_PER_HOUR * HOURS && rv.recorded == svc.views, "traffic");
        check(svc.imageBuffers.size() == POOL && svc.trending[RING - 1] != null, "pool / ring");
        check(svc.productPages.size() == PAGE_CAP && svc.productPages.evicted > 0, "page cache at cap");
        check(svc.newVisitors == 30_328 && svc.returningVisits == 2_961, "visitors: new " + svc.newVisitors + " returning " + svc.returningVisits);
        check(svc.engravingQueue.size() == 38 && svc.orders == 1_487, "engraving backlog " + svc.engravingQueue.size() + " orders " + svc.orders);
        if (FIXED) check(rv.byVisitor.size() == 2_190 && rv.byVisitor.size() == rv.lastSeen.size(), "fixed: idle visitors swept");
        else check(rv.byVisitor.size() == svc.newVisitors && held == 180_134 && atCap == 3_084, "every visitor kept: held " + held + " at cap " + atCap);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val136.fixed");
        run();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
