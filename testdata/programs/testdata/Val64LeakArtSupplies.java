// hprofscan-dump: name=val64-leak-artsupplies-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val64-leak-artsupplies-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val64-leak-artsupplies jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val64-leak-artsupplies-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 64 (written blind), LEAK: the storefront service of an online art-supplies shop.
 * Brand reference data, the product directory, a cache of rendered product pages at its cap, a pool
 * of image-resize buffers, a ring of recent orders, and a directory of a fixed set of signed-in
 * shoppers, each with a "recently viewed" list meant to be capped at 20 entries. Each view carries
 * the shopper's lifetime view sequence number (continued from the profile store, so already in the
 * hundreds or thousands) as a boxed Integer, and the cap check compares two boxed Integers with ==:
 * identity, which is false for values above 127, so no list is ever trimmed. See VALIDATION64.md.
 */
public final class Val64LeakArtSupplies {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BRANDS = 1_200, PRODUCTS = 25_000, SHOPPERS = 500, MAX_RECENT = 20, PAGE_CAP = 2_000, POOL = 8, RING = 4_096,
            VIEWS_PER_HOUR = 25_000;
    static boolean FIXED;

    record Brand(String code, String name, double[] weeklySales) {}
    record Product(String sku, String brandCode, String category, byte[] description, long listedAt) {}
    record Page(String sku, byte[] html, long renderedAt) {}
    record Order(String orderId, String shopperId, String sku, int quantity, long at) {}
    record ViewedItem(Integer seq, String sku, long at) {}

    static final class Shopper {
        final String id;
        final long since;
        Integer nextViewSeq; // lifetime view counter, continued from the profile store
        final ArrayDeque<ViewedItem> recentlyViewed = new ArrayDeque<>();
        Shopper(String id, long since, int lifetimeViews) { this.id = id; this.since = since; this.nextViewSeq = lifetimeViews; }

        void viewed(String sku, long at) {
            Integer seq = nextViewSeq;
            nextViewSeq = seq + 1;
            recentlyViewed.addLast(new ViewedItem(seq, sku, at));
            Integer evictAt = recentlyViewed.peekFirst().seq() + MAX_RECENT;
            boolean full = FIXED ? seq.equals(evictAt) : seq == evictAt; // BUG: identity of boxed Integers
            if (full) recentlyViewed.pollFirst();
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Brand> BRANDS_BY_CODE = new HashMap<>();

    static final class Storefront {
        final Map<String, Product> products = new HashMap<>();
        final Map<String, Shopper> shoppers = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Order[] orders = new Order[RING];
        long ordersPlaced;
    }

    static Storefront SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val64.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(64_010_001);
        String[] brandCodes = new String[BRANDS];
        for (int b = 0; b < BRANDS; b++) {
            double[] sales = new double[64];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 400;
            brandCodes[b] = "BRD-" + (3_000 + b);
            BRANDS_BY_CODE.put(brandCodes[b], new Brand(brandCodes[b], "Brand " + b, sales));
        }
        Storefront svc = new Storefront();
        SERVICE = svc;
        String[] categories = {"Oil paint", "Watercolour", "Brushes", "Canvas", "Pastels", "Sketchbooks", "Inks", "Easels"};
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "AS-" + (400_000 + p);
            svc.products.put(skus[p], new Product(skus[p], brandCodes[rnd.nextInt(BRANDS)], categories[p % categories.length],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        Shopper[] shoppers = new Shopper[SHOPPERS];
        for (int s = 0; s < SHOPPERS; s++) {
            shoppers[s] = new Shopper("SH-" + (80_000 + s), now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR, 200 + rnd.nextInt(20_000));
            svc.shoppers.put(shoppers[s].id, shoppers[s]);
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(64_010_002);
        int[] viewsBy = new int[SHOPPERS];
        for (int i = 0; i < views; i++) {
            long t = start + (end - MINUTE - start) * i / views;
            int s = traffic.nextInt(SHOPPERS);
            String sku = skus[traffic.nextInt(PRODUCTS)];
            shoppers[s].viewed(sku, t);
            viewsBy[s]++;
            String key = "page-" + traffic.nextInt(6_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % 10 == 0) {
                svc.orders[(int) (svc.ordersPlaced % RING)] = new Order("ORD-" + (5_000_000 + svc.ordersPlaced), shoppers[s].id, sku, 1 + traffic.nextInt(4), t);
                svc.ordersPlaced++;
                byte[] buf = svc.imageBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.imageBuffers.add(buf);
            }
        }
        long listed = 0, expectedFixed = 0, longest = 0;
        for (int s = 0; s < SHOPPERS; s++) {
            int n = shoppers[s].recentlyViewed.size();
            listed += n;
            longest = Math.max(longest, n);
            expectedFixed += Math.min(viewsBy[s], MAX_RECENT);
            check(n == (FIXED ? Math.min(viewsBy[s], MAX_RECENT) : viewsBy[s]), "recently viewed of " + shoppers[s].id + ": " + n);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " brands " + BRANDS_BY_CODE.size() + " products " + svc.products.size() + " shoppers " + svc.shoppers.size()
                + " views " + views + " recently-viewed entries " + listed + " (capped would be " + expectedFixed + ", longest list " + longest + ") pages " + svc.pages.size()
                + " (evicted " + svc.pages.evicted + ") pool " + svc.imageBuffers.size() + " orders " + svc.ordersPlaced);
        check(BRANDS_BY_CODE.size() == BRANDS && svc.products.size() == PRODUCTS && svc.shoppers.size() == SHOPPERS, "reference data / directories");
        check(listed == (FIXED ? expectedFixed : views), "recently viewed total " + listed);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.ordersPlaced == views / 10 && svc.orders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
