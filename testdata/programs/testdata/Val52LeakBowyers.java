// hprofscan-dump: name=val52-leak-bowyers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val52-leak-bowyers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val52-leak-bowyers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val52-leak-bowyers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 52 (written blind), LEAK: the web shop of a maker of archery bows (longbows,
 * recurves, arrows, strings). Product reference data, the customer directory, each customer's
 * recent searches (bounded, loaded from the profile store at startup), each customer's "recently
 * viewed" list (loaded at startup with the last 12 views), a cache of rendered product pages at
 * its cap, a pool of thumbnail buffers and a ring of recent orders. The trim of the recently-viewed
 * list was copy-pasted from the search history and checks the size of the search list (at most
 * 10, never above the cap of 12), so it never fires: every customer's list keeps every product
 * viewed since start. See VALIDATION52.md.
 */
public final class Val52LeakBowyers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PRODUCTS = 2_400, CUSTOMERS = 3_000, SEARCH_CAP = 10, VIEWED_CAP = 12, PAGE_CAP = 1_500, POOL = 8, RING = 4_096,
            VIEWS_PER_HOUR = 12_000;
    static boolean FIXED;

    record Product(String sku, String title, String category, int priceCents, byte[] specSheet, long listedAt) {}
    record Customer(String id, String name, String club, byte[] preferences, long joinedAt) {}
    record ViewedItem(String sku, long viewedAt, String source, String referrer) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record Order(String orderNo, String customerId, String sku, int quantity, long at) {}

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> CATALOG = new HashMap<>();

    static final class Shop {
        final Map<String, Customer> customers = new HashMap<>();
        /** Per customer: the last SEARCH_CAP search queries (shown under the search box). */
        final Map<String, ArrayList<String>> recentSearches = new HashMap<>();
        /** Per customer: the "recently viewed" carousel, meant to hold the last VIEWED_CAP products. */
        final Map<String, ArrayList<ViewedItem>> recentlyViewed = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> thumbnailBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders, views, searches, viewTrims, searchTrims;

        void recordSearch(String customerId, String query) {
            ArrayList<String> list = recentSearches.get(customerId);
            list.add(query);
            searches++;
            if (list.size() > SEARCH_CAP) { list.remove(0); searchTrims++; }
        }

        void recordView(String customerId, ViewedItem item) {
            ArrayList<ViewedItem> list = recentlyViewed.get(customerId);
            list.add(item);
            views++;
            if (FIXED) {
                if (list.size() > VIEWED_CAP) { list.remove(0); viewTrims++; }
            } else if (recentSearches.get(customerId).size() > VIEWED_CAP) { // BUG: copy-pasted from recordSearch, checks the wrong list
                list.remove(0);
                viewTrims++;
            }
        }
    }

    static Shop SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val52.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(52_010_001);
        String[] categories = {"longbows", "recurves", "flatbows", "arrows", "strings", "quivers", "bracers", "targets"};
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "BW-" + (30_000 + p * 3);
            skus[p] = sku;
            String cat = categories[p % categories.length];
            CATALOG.put(sku, new Product(sku, cat + " model " + (p / categories.length), cat, 1_500 + rnd.nextInt(60_000), new byte[200 + rnd.nextInt(200)],
                    now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        Shop svc = new Shop();
        SERVICE = svc;
        String[] ids = new String[CUSTOMERS];
        String[] sources = {"search", "category", "recommendation", "newsletter", "home"};
        String[] sorts = {"price", "newest", "rating", "draw-weight"};
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "CU" + (4_100_000 + c * 11);
            ids[c] = id;
            svc.customers.put(id, new Customer(id, "Archer " + c, "Club " + (c % 140), new byte[120 + rnd.nextInt(120)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
            // Loaded from the profile store at startup: the last searches and the last views.
            ArrayList<String> searches = new ArrayList<>();
            for (int k = 0; k < SEARCH_CAP; k++) searches.add(categories[rnd.nextInt(categories.length)] + " " + (20 + rnd.nextInt(40)) + "lb");
            svc.recentSearches.put(id, searches);
            ArrayList<ViewedItem> viewed = new ArrayList<>();
            for (int k = 0; k < VIEWED_CAP; k++) {
                long at = start - (long) (1 + rnd.nextInt(90 * 24 * 60)) * MINUTE;
                viewed.add(new ViewedItem(skus[rnd.nextInt(PRODUCTS)], at, sources[rnd.nextInt(sources.length)], "/c/" + categories[rnd.nextInt(categories.length)] + "?page=" + (1 + rnd.nextInt(9))));
            }
            svc.recentlyViewed.put(id, viewed);
        }
        for (int b = 0; b < POOL; b++) svc.thumbnailBuffers.add(new byte[65_536]);
        Random traffic = new Random(52_010_002);
        int[] viewsBy = new int[CUSTOMERS];
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            int c = traffic.nextInt(CUSTOMERS);
            String sku = skus[traffic.nextInt(PRODUCTS)];
            String cat = categories[traffic.nextInt(categories.length)];
            svc.recordView(ids[c], new ViewedItem(sku, t, sources[traffic.nextInt(sources.length)],
                    "/c/" + cat + "?page=" + (1 + traffic.nextInt(12)) + "&sort=" + sorts[traffic.nextInt(sorts.length)]));
            viewsBy[c]++;
            String key = "page-" + sku;
            if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.thumbnailBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.thumbnailBuffers.add(buf);
            if (i % 4 == 0) svc.recordSearch(ids[c], cat + " " + (20 + traffic.nextInt(40)) + "lb");
            if (i % 5 == 0) svc.recentOrders[(int) (svc.orders++ % RING)] = new Order("ORD-" + (8_000_000 + svc.orders), ids[c], sku, 1 + traffic.nextInt(3), t);
        }
        long viewedTotal = 0;
        boolean perCustomer = true;
        for (int c = 0; c < CUSTOMERS; c++) {
            int size = svc.recentlyViewed.get(ids[c]).size();
            viewedTotal += size;
            perCustomer &= FIXED ? size == VIEWED_CAP : size == VIEWED_CAP + viewsBy[c];
            perCustomer &= svc.recentSearches.get(ids[c]).size() == SEARCH_CAP;
        }
        int minViews = Integer.MAX_VALUE, maxViews = 0;
        for (int v : viewsBy) { minViews = Math.min(minViews, v); maxViews = Math.max(maxViews, v); }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " products " + CATALOG.size() + " customers " + svc.customers.size() + " viewed entries " + viewedTotal
                + " (views " + svc.views + ", trimmed " + svc.viewTrims + ", per customer since start " + minViews + ".." + maxViews + ") searches " + svc.searches + " (trimmed " + svc.searchTrims
                + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.thumbnailBuffers.size() + " orders " + svc.orders);
        check(CATALOG.size() == PRODUCTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.recentlyViewed.size() == CUSTOMERS && svc.recentSearches.size() == CUSTOMERS, "per-customer maps");
        check(svc.views == views && perCustomer, "per-customer lists");
        if (FIXED) check(viewedTotal == (long) CUSTOMERS * VIEWED_CAP && svc.viewTrims == views, "trimmed views: " + viewedTotal);
        else check(viewedTotal == (long) CUSTOMERS * VIEWED_CAP + views && svc.viewTrims == 0, "views kept: " + viewedTotal);
        check(svc.searchTrims == svc.searches, "searches trimmed");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.thumbnailBuffers.size() == POOL, "pool");
        check(svc.orders == views / 5 && svc.recentOrders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
