// hprofscan-dump: name=val82-healthy-farmshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val82-healthy-farmshops-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 82 (written blind), HEALTHY: the click-and-collect service of a farm-shop
 * cooperative. Farm reference data, the produce directory, a cache of rendered collection slips at
 * its cap, a ring of counter weighings, a pool of scale buffers, a pool of 4 label-printer handles
 * plus one temporary slip-printer handle per order (a legacy class with a finalize() safety net,
 * closed by the caller; the finalizer thread keeps up), and a memo of stock pages keyed by an
 * immutable record (bounded by the farms x categories x pages grid). See VALIDATION82.md.
 */
public final class Val82HealthyFarmShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FARMS = 1_200, PRODUCTS = 28_000, SLIP_CAP = 2_000, RING = 16_384, SCALE_POOL = 10, PRINTERS = 4, WEIGHINGS_PER_HOUR = 6_000, HOURS = 10;
    static final int FEATURED_FARMS = 40, CATEGORIES = 6, PAGES = 4;

    record Farm(String code, String county, double[] harvestForecast) {}
    record Product(String sku, String farmCode, String name, byte[] label, long listedAt) {}
    record Slip(String key, byte[] rendered, long at) {}
    record Weighing(String sku, int grams, int counter, long at) {}
    /** Immutable memo key: the next page is a new record. */
    record StockQuery(String farmCode, String category, int page) { StockQuery next() { return new StockQuery(farmCode, category, page + 1); } }
    record StockPage(int[] skuNumbers, byte[] rendered, String nextLink, long at) {}

    static final class PrinterRegistry {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong opened = new AtomicLong(), closed = new AtomicLong(), finalizeStarted = new AtomicLong(), finalizeDone = new AtomicLong();
        long unclosedAtFinalize; // guarded by lock
    }

    static final PrinterRegistry PRINTERS_REGISTRY = new PrinterRegistry();

    /** Legacy printer handle: closed by the caller; finalize() only reports a handle nobody closed. */
    static final class LabelPrinterHandle {
        final long id; final String printer; final byte[] spool; boolean closed;
        LabelPrinterHandle(long id, String printer, byte[] spool) { this.id = id; this.printer = printer; this.spool = spool; PRINTERS_REGISTRY.opened.incrementAndGet(); }
        void close() { closed = true; PRINTERS_REGISTRY.closed.incrementAndGet(); }
        @Override
        @SuppressWarnings("deprecation")
        protected void finalize() {
            PRINTERS_REGISTRY.finalizeStarted.incrementAndGet();
            PRINTERS_REGISTRY.lock.lock();
            try { if (!closed) PRINTERS_REGISTRY.unclosedAtFinalize++; } finally { PRINTERS_REGISTRY.lock.unlock(); }
            PRINTERS_REGISTRY.finalizeDone.incrementAndGet();
        }
    }

    static final class SlipCache extends LinkedHashMap<String, Slip> {
        long evicted;
        SlipCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Slip> e) { if (size() > SLIP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Farm> FARMS_BY_CODE = new HashMap<>();

    static final class ShopService {
        final Map<String, Product> produce = new HashMap<>();
        final SlipCache slips = new SlipCache();
        final Weighing[] weighings = new Weighing[RING];
        long weighed;
        final ArrayDeque<byte[]> scaleBuffers = new ArrayDeque<>();
        final ArrayDeque<LabelPrinterHandle> printerPool = new ArrayDeque<>();
        final PrinterRegistry printers = PRINTERS_REGISTRY;
        final Map<StockQuery, StockPage> stockPages = new HashMap<>();
        long orders, stockHits, stockMisses;

        StockPage stock(StockQuery q, long at, Random r) {
            StockPage p = stockPages.get(q);
            if (p != null) { stockHits++; return p; }
            stockMisses++;
            int[] skus = new int[20];
            for (int k = 0; k < skus.length; k++) skus[k] = 500_000 + r.nextInt(PRODUCTS) * 3;
            p = new StockPage(skus, new byte[100 + r.nextInt(100)], "/stock?farm=" + q.farmCode() + "&category=" + q.category() + "&page=" + q.next().page(), at);
            stockPages.put(q, p);
            return p;
        }
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int weighings = WEIGHINGS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(82_060_001);
        String[] farmCodes = new String[FARMS];
        for (int f = 0; f < FARMS; f++) {
            double[] forecast = new double[72];
            for (int k = 0; k < forecast.length; k++) forecast[k] = rnd.nextDouble() * 300;
            farmCodes[f] = "FARM-" + (2_000 + f);
            FARMS_BY_CODE.put(farmCodes[f], new Farm(farmCodes[f], "County " + (f % 48), forecast));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] names = {"Free-range eggs", "Raw milk", "Heritage carrots", "Lamb chops", "Cider vinegar", "Honey", "Sourdough", "Asparagus"};
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU" + (500_000 + p * 3);
            svc.produce.put(skus[p], new Product(skus[p], farmCodes[rnd.nextInt(FARMS)], names[p % names.length], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(1_000)) * 24 * HOUR));
        }
        for (int b = 0; b < SCALE_POOL; b++) svc.scaleBuffers.add(new byte[32_768]);
        for (int p = 0; p < PRINTERS; p++) svc.printerPool.add(new LabelPrinterHandle(p + 1, "label-printer-" + (p + 1), new byte[4_096]));
        traffic(svc, farmCodes, skus, start, end, weighings);
        long dropped = svc.orders;
        long deadline = System.currentTimeMillis() + 60_000;
        while (PRINTERS_REGISTRY.finalizeDone.get() < dropped && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(20); }
        System.gc();
        PrinterRegistry pr = PRINTERS_REGISTRY;
        System.out.println("farms " + FARMS_BY_CODE.size() + " produce " + svc.produce.size() + " weighings " + svc.weighed + " orders " + svc.orders + " stock pages " + svc.stockPages.size() + " (hits " + svc.stockHits + ", misses " + svc.stockMisses
                + ") handles opened " + pr.opened.get() + " closed " + pr.closed.get() + " finalized " + pr.finalizeDone.get() + " (started " + pr.finalizeStarted.get() + ", unclosed " + pr.unclosedAtFinalize + ") printer pool " + svc.printerPool.size()
                + " slips " + svc.slips.size() + " (evicted " + svc.slips.evicted + ") scale pool " + svc.scaleBuffers.size());
        check(FARMS_BY_CODE.size() == FARMS && svc.produce.size() == PRODUCTS, "reference data / directory");
        check(svc.weighed == weighings && svc.weighings[RING - 1] != null, "weighing ring");
        check(svc.orders == (weighings + 5) / 6 && svc.stockPages.size() == svc.stockMisses && svc.stockPages.size() <= FEATURED_FARMS * CATEGORIES * PAGES, "stock memo bounded by the grid");
        check(pr.opened.get() == PRINTERS + dropped && pr.closed.get() == dropped, "printer handles");
        check(pr.finalizeStarted.get() == dropped && pr.finalizeDone.get() == dropped && pr.unclosedAtFinalize == 0 && !pr.lock.isLocked(), "finalizer kept up: " + pr.finalizeDone.get());
        check(svc.printerPool.size() == PRINTERS && svc.scaleBuffers.size() == SCALE_POOL, "pools");
        check(svc.slips.size() == SLIP_CAP && svc.slips.evicted > 0, "slip cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Runs the traffic (its locals are gone before the dump). */
    static void traffic(ShopService svc, String[] farmCodes, String[] skus, long start, long end, int weighings) {
        Random traffic = new Random(82_060_002);
        String[] categories = {"veg", "dairy", "meat", "bakery", "preserves", "flowers"};
        long handleIds = 100;
        for (int i = 0; i < weighings; i++) {
            long t = start + (end - MINUTE - start) * i / weighings;
            String sku = skus[traffic.nextInt(PRODUCTS)];
            byte[] buf = svc.scaleBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scaleBuffers.add(buf);
            svc.weighings[(int) (svc.weighed++ % RING)] = new Weighing(sku, 50 + traffic.nextInt(3_000), 1 + traffic.nextInt(6), t);
            LabelPrinterHandle label = svc.printerPool.poll(); // pooled handle: returned after use
            label.spool[i % label.spool.length] = (byte) i;
            svc.printerPool.add(label);
            if (i % 6 == 0) { // a click-and-collect order
                svc.orders++;
                svc.stock(new StockQuery(farmCodes[traffic.nextInt(FEATURED_FARMS)], categories[traffic.nextInt(CATEGORIES)], 1 + traffic.nextInt(PAGES)), t, traffic);
                LabelPrinterHandle slipPrinter = new LabelPrinterHandle(handleIds++, "slip-printer-" + (1 + traffic.nextInt(3)), new byte[256 + traffic.nextInt(256)]);
                slipPrinter.spool[0] = 1;
                slipPrinter.close(); // closed by the caller, then dropped
                String key = "slip-" + traffic.nextInt(4_500);
                if (svc.slips.get(key) == null) svc.slips.put(key, new Slip(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
    }
}
