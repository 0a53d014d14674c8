// hprofscan-dump: name=val76-leak-campinggear-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val76-leak-campinggear-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val76-leak-campinggear jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val76-leak-campinggear-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 76 (written blind), LEAK: the storefront service of an outdoor and camping-gear web
 * shop. Warehouse reference data, the product directory, a cache of rendered product pages at its
 * cap, a pool of image-resize buffers, a ring of recent orders, and a "recently viewed products"
 * store keyed by anonymous visitor id (a UUID per browser session): each visitor's list is trimmed
 * to its cap of 20, but visitors who left are never dropped from the map, so it grows with traffic.
 * See VALIDATION76.md.
 */
public final class Val76LeakCampingGear {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, STEP = 10_000L, IDLE = 30 * MINUTE;
    static final int WAREHOUSES = 900, PRODUCTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, VIEW_CAP = 20, VISITORS_PER_HOUR = 2_500;
    static boolean FIXED;

    record Warehouse(String code, String region, double[] weeklyStock) {}
    record Product(String sku, String warehouseCode, String title, byte[] description, long listedAt) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record Order(String orderId, String visitorId, String sku, int priceCents, long at) {}
    record ViewedProduct(String sku, int priceCents, long at) {}

    /** One visitor's recently viewed list, trimmed to VIEW_CAP. */
    static final class VisitorViews {
        final String visitorId;
        final ArrayDeque<ViewedProduct> items = new ArrayDeque<>(VIEW_CAP);
        long firstSeen, lastSeen;
        VisitorViews(String visitorId, long at) { this.visitorId = visitorId; this.firstSeen = at; }
    }

    static final class RecentlyViewedStore {
        final Map<String, VisitorViews> byVisitor = new HashMap<>();
        long views, trimmed, expired, sweeps, lastSweepAt;
        void viewed(String visitorId, Product p, int priceCents, long at) {
            VisitorViews v = byVisitor.get(visitorId);
            if (v == null) { v = new VisitorViews(visitorId, at); byVisitor.put(visitorId, v); }
            v.items.addLast(new ViewedProduct(p.sku(), priceCents, at));
            if (v.items.size() > VIEW_CAP) { v.items.removeFirst(); trimmed++; }
            v.lastSeen = at;
            views++;
        }
        /** Runs every 5 minutes. */
        void sweep(long now) {
            sweeps++;
            lastSweepAt = now;
            if (FIXED) { // drop visitors idle for 30 minutes (their session cookie has expired)
                for (Iterator<VisitorViews> it = byVisitor.values().iterator(); it.hasNext(); ) {
                    if (it.next().lastSeen < now - IDLE) { it.remove(); expired++; }
                }
            }
            // BUG: only the lists are trimmed (in viewed); a visitor who left is never removed
        }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Warehouse> WAREHOUSES_BY_CODE = new HashMap<>();

    static final class Storefront {
        final Map<String, Product> products = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> resizeBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final RecentlyViewedStore recentlyViewed = new RecentlyViewedStore();
    }

    /** Simulation only: a browsing session (not kept). */
    static final class Session {
        final String visitorId; int viewsLeft; long nextAt;
        Session(String visitorId, int viewsLeft, long nextAt) { this.visitorId = visitorId; this.viewsLeft = viewsLeft; this.nextAt = nextAt; }
    }

    static Storefront SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val76.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int visitors = VISITORS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(76_010_001);
        String[] whCodes = new String[WAREHOUSES];
        for (int w = 0; w < WAREHOUSES; w++) {
            double[] stock = new double[64];
            for (int k = 0; k < stock.length; k++) stock[k] = rnd.nextDouble() * 500;
            whCodes[w] = "WH-" + (3_000 + w);
            WAREHOUSES_BY_CODE.put(whCodes[w], new Warehouse(whCodes[w], "Region " + (w % 40), stock));
        }
        Storefront svc = new Storefront();
        SERVICE = svc;
        Product[] catalogue = new Product[PRODUCTS];
        String[] kinds = {"Tent", "Sleeping bag", "Stove", "Headlamp", "Backpack", "Trekking poles", "Water filter", "Camp chair"};
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "CG-" + (400_000 + p);
            catalogue[p] = new Product(sku, whCodes[rnd.nextInt(WAREHOUSES)], kinds[p % kinds.length] + " model " + (p % 997), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR);
            svc.products.put(sku, catalogue[p]);
        }
        for (int b = 0; b < POOL; b++) svc.resizeBuffers.add(new byte[65_536]);

        Random traffic = new Random(76_010_002);
        PriorityQueue<Session> active = new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
        int arrived = 0;
        long nextSweep = start + 5 * MINUTE;
        long views = 0;
        for (long t = start; t < end; t += STEP) {
            while (arrived < visitors && start + (end - MINUTE - start) * arrived / visitors <= t) {
                String id = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
                active.add(new Session(id, 3 + traffic.nextInt(28), t));
                arrived++;
            }
            while (nextSweep <= t) { svc.recentlyViewed.sweep(nextSweep); nextSweep += 5 * MINUTE; }
            while (!active.isEmpty() && active.peek().nextAt <= t) {
                Session s = active.poll();
                Product p = catalogue[traffic.nextInt(PRODUCTS)];
                int price = 999 + traffic.nextInt(60_000);
                svc.recentlyViewed.viewed(s.visitorId, p, price, t);
                views++;
                String key = "pp-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.resizeBuffers.poll();
                buf[(int) (views % buf.length)] = (byte) views;
                svc.resizeBuffers.add(buf);
                if (traffic.nextInt(12) == 0) {
                    svc.recentOrders[(int) (svc.orders % RING)] = new Order("ORD-" + (20_000_000 + svc.orders), s.visitorId, p.sku(), price, t);
                    svc.orders++;
                }
                if (--s.viewsLeft > 0) { s.nextAt = t + 30_000 + traffic.nextInt(150_000); active.add(s); }
            }
        }
        active = null;
        RecentlyViewedStore rv = svc.recentlyViewed;
        int atCap = 0, maxList = 0, idle = 0, idleAtLastSweep = 0;
        for (VisitorViews v : rv.byVisitor.values()) {
            if (v.items.size() == VIEW_CAP) atCap++;
            maxList = Math.max(maxList, v.items.size());
            if (v.lastSeen < end - IDLE) idle++;
            if (v.lastSeen < rv.lastSweepAt - IDLE) idleAtLastSweep++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " warehouses " + WAREHOUSES_BY_CODE.size() + " products " + svc.products.size() + " visitors " + arrived + " in store " + rv.byVisitor.size()
                + " (idle >30min " + idle + ", lists at cap " + atCap + ", max " + maxList + ") views " + rv.views + " trimmed " + rv.trimmed + " expired " + rv.expired + " sweeps " + rv.sweeps
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.resizeBuffers.size() + " orders " + svc.orders);
        check(WAREHOUSES_BY_CODE.size() == WAREHOUSES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(arrived == visitors && maxList == VIEW_CAP && atCap > 0, "visitor traffic, lists trimmed to cap");
        if (FIXED) check(idleAtLastSweep == 0 && rv.byVisitor.size() + rv.expired == visitors, "idle visitors expired: " + rv.byVisitor.size());
        else check(rv.byVisitor.size() == visitors && rv.expired == 0, "store keeps every visitor: " + rv.byVisitor.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.resizeBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring wrapping: " + svc.orders);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
