// hprofscan-dump: name=val140-healthy-butchers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val140-healthy-butchers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Validation set 140 (written blind), HEALTHY: the counter and click-and-collect service of a
 * chain of family butchers, wired by a small dependency-injection container. The container holds
 * 9 singletons and the destroy callbacks of the 6 that are disposable; the per-order picking
 * sessions are prototype beans owned by a request scope that destroys them when the pick ends
 * (the container does not track them). A large read-only cut catalogue, shop reference data, a
 * label LRU at its cap, a pool of scale-label printer buffers, a ring of till sales and a
 * click-and-collect queue with a normal backlog. See VALIDATION140.md.
 */
public final class Val140HealthyButchers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, PICK_AFTER = 25 * MINUTE;
    static final int SHOPS = 300, CUTS = 30_000, LABEL_CAP = 2_000, POOL = 10, RING = 8_192, SALES_PER_HOUR = 6_000, HOURS = 10;
    static final String[] SPECIES = {"beef", "lamb", "pork", "chicken", "venison", "duck", "turkey", "rabbit"};
    static final String[] PREP = {"diced", "minced", "rolled and tied", "french trimmed", "butterflied", "bone in", "boneless", "dry aged 28 days", "dry aged 45 days", "marinated"};

    interface Disposable { void destroy(); }

    record Shop(String code, String town, double[] takingsByHour) {}
    record CutSpec(String sku, String species, String name, String preparation, double pricePerKg, double[] yieldByGrade, String allergens) {}
    record ShelfLabel(String key, byte[] rendered, long printedAt) {}
    record TillSale(long saleId, String shopCode, String sku, int grams, int pence, long at) {}
    record CollectOrder(long orderId, String shopCode, String customerRef, String[] skus, long placedAt) {}

    /** Minimal DI container: singletons by name, prototype factories, destroy callbacks run at close(). */
    static final class Container {
        final Map<String, Object> singletons = new LinkedHashMap<>();
        final Map<String, Supplier<?>> prototypes = new HashMap<>();
        final List<Runnable> destroyCallbacks = new ArrayList<>();
        boolean closed;

        <T> T singleton(String name, T bean) {
            singletons.put(name, bean);
            if (bean instanceof Disposable d) destroyCallbacks.add(d::destroy);
            return bean;
        }

        void prototype(String name, Supplier<?> factory) { prototypes.put(name, factory); }

        @SuppressWarnings("unchecked") <T> T get(String name) { return (T) singletons.get(name); }

        /** A new prototype instance; its lifecycle belongs to the caller (not tracked here). */
        @SuppressWarnings("unchecked") <T> T create(String name) { return (T) prototypes.get(name).get(); }

        void close() {
            for (int i = destroyCallbacks.size() - 1; i >= 0; i--) destroyCallbacks.get(i).run();
            destroyCallbacks.clear();
            closed = true;
        }
    }

    /** The beans of one request, destroyed when the request ends. */
    static final class RequestScope implements AutoCloseable {
        final List<Disposable> beans = new ArrayList<>(4);
        <T extends Disposable> T track(T bean) { beans.add(bean); return bean; }
        @Override public void close() { for (int i = beans.size() - 1; i >= 0; i--) beans.get(i).destroy(); beans.clear(); }
    }

    // ---- singletons ----
    static final class CutCatalogue {
        final Map<String, CutSpec> bySku = new HashMap<>();
        final String[] skus = new String[CUTS];
    }
    static final class ShopDirectory { final Map<String, Shop> byCode = new HashMap<>(); final String[] codes = new String[SHOPS]; }
    static final class LabelCache extends LinkedHashMap<String, ShelfLabel> {
        final int capacity; long evicted;
        LabelCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShelfLabel> eldest) { if (size() > capacity) { evicted++; return true; } return false; }
    }
    static final class LabelPrinterPool implements Disposable {
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>(); long prints; boolean shut;
        LabelPrinterPool() { for (int b = 0; b < POOL; b++) buffers.add(new byte[32_768]); }
        void print(ShelfLabel l) { byte[] buf = buffers.poll(); System.arraycopy(l.rendered(), 0, buf, (int) (prints++ % 1_000), Math.min(200, l.rendered().length)); buffers.add(buf); }
        @Override public void destroy() { shut = true; }
    }
    static final class ScaleGateway implements Disposable {
        final String endpoint; long weighings; boolean shut;
        ScaleGateway(String endpoint) { this.endpoint = endpoint; }
        int weigh(Random r) { weighings++; return 150 + r.nextInt(2_350); }
        @Override public void destroy() { shut = true; }
    }
    static final class TillBridge implements Disposable {
        final TillSale[] sales = new TillSale[RING]; long count; boolean shut;
        void record(TillSale s) { sales[(int) (count++ % RING)] = s; }
        @Override public void destroy() { shut = true; }
    }
    static final class CollectQueue implements Disposable {
        final ArrayDeque<CollectOrder> waiting = new ArrayDeque<>(); long placed, picked; boolean shut;
        @Override public void destroy() { shut = true; }
    }
    static final class ColdRoomMonitor implements Disposable {
        final double[] lastTempByShop = new double[SHOPS]; long readings; boolean shut;
        @Override public void destroy() { shut = true; }
    }
    static final class AuditWriter implements Disposable {
        final StringBuilder line = new StringBuilder(512); long lines; boolean shut;
        void write(String what) { line.setLength(0); line.append(what); lines++; }
        @Override public void destroy() { shut = true; }
    }
    static final class Clock { long now; }

    // ---- prototype ----
    static final class PickingSession implements Disposable {
        final long orderId; byte[] weighSheet; int[] grams; boolean destroyed;
        PickingSession(long orderId, int lines) { this.orderId = orderId; this.weighSheet = new byte[300 + lines * 60]; this.grams = new int[lines]; }
        @Override public void destroy() { destroyed = true; weighSheet = null; grams = null; }
    }

    static final class CounterService {
        final Container container;
        final CutCatalogue catalogue; final ShopDirectory shops; final LabelCache labels; final LabelPrinterPool printers;
        final ScaleGateway scales; final TillBridge till; final CollectQueue collect; final ColdRoomMonitor coldRooms; final AuditWriter audit;
        long sessionsCreated, sessionsDestroyed, labelHits;
        CounterService(Container c) {
            container = c;
            catalogue = c.get("catalogue"); shops = c.get("shops"); labels = c.get("labels"); printers = c.get("printers");
            scales = c.get("scales"); till = c.get("till"); collect = c.get("collect"); coldRooms = c.get("coldRooms"); audit = c.get("audit");
        }

        void counterSale(Random r, long t) {
            String shop = shops.codes[r.nextInt(SHOPS)];
            String sku = catalogue.skus[r.nextInt(r.nextInt(4) == 0 ? CUTS : 3_000)];
            CutSpec spec = catalogue.bySku.get(sku);
            int grams = scales.weigh(r);
            till.record(new TillSale(70_000_000L + till.count, shop, sku, grams, (int) Math.round(spec.pricePerKg() * grams / 10.0), t));
            String key = sku + "@" + spec.pricePerKg();
            ShelfLabel l = labels.get(key);
            if (l != null) labelHits++;
            else { l = new ShelfLabel(key, new byte[400 + r.nextInt(400)], t); labels.put(key, l); }
            printers.print(l);
            if (r.nextInt(20) == 0) { coldRooms.lastTempByShop[r.nextInt(SHOPS)] = 1 + r.nextDouble() * 3; coldRooms.readings++; }
        }

        void placeOrder(Random r, long t) {
            String[] skus = new String[1 + r.nextInt(5)];
            for (int k = 0; k < skus.length; k++) skus[k] = catalogue.skus[r.nextInt(CUTS)];
            collect.waiting.addLast(new CollectOrder(5_400_000L + collect.placed++, shops.codes[r.nextInt(SHOPS)], "CC" + (100_000 + r.nextInt(400_000)), skus, t));
        }

        void pickDue(Random r, long t) {
            while (!collect.waiting.isEmpty() && collect.waiting.peekFirst().placedAt() + PICK_AFTER <= t) {
                CollectOrder o = collect.waiting.pollFirst();
                try (RequestScope scope = new RequestScope()) {
                    PickingSession s = scope.track(container.create("pickingSession"));
                    sessionsCreated++;
                    for (int k = 0; k < o.skus().length; k++) s.grams[k] = scales.weigh(r);
                    audit.write("picked " + o.orderId() + " for " + o.customerRef() + " at " + o.shopCode());
                    collect.picked++;
                    sessionsDestroyed++;
                }
            }
        }
    }

    static Container CONTAINER;
    static CounterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(140_060_001L);
        Container c = new Container();
        CONTAINER = c;
        Clock clock = c.singleton("clock", new Clock());
        ShopDirectory shops = c.singleton("shops", new ShopDirectory());
        for (int s = 0; s < SHOPS; s++) {
            double[] takings = new double[72];
            for (int k = 0; k < takings.length; k++) takings[k] = rnd.nextDouble() * 900;
            shops.codes[s] = "BS" + (500 + s);
            shops.byCode.put(shops.codes[s], new Shop(shops.codes[s], "Town " + (s % 140), takings));
        }
        CutCatalogue cat = c.singleton("catalogue", new CutCatalogue());
        for (int i = 0; i < CUTS; i++) {
            String sku = "BC-" + (200_000 + i * 3);
            double[] yield = new double[12];
            for (int k = 0; k < yield.length; k++) yield[k] = 0.4 + rnd.nextDouble() * 0.5;
            String species = SPECIES[rnd.nextInt(SPECIES.length)];
            cat.skus[i] = sku;
            cat.bySku.put(sku, new CutSpec(sku, species, species + " cut " + (i % 700), PREP[rnd.nextInt(PREP.length)], 4 + rnd.nextInt(4_000) / 100.0, yield, rnd.nextInt(10) == 0 ? "contains mustard, sulphites" : "none"));
        }
        c.singleton("labels", new LabelCache(LABEL_CAP));
        c.singleton("printers", new LabelPrinterPool());
        c.singleton("scales", new ScaleGateway("tcp://scales.internal:9100"));
        c.singleton("till", new TillBridge());
        c.singleton("collect", new CollectQueue());
        c.singleton("coldRooms", new ColdRoomMonitor());
        c.singleton("audit", new AuditWriter());
        c.prototype("pickingSession", () -> new PickingSession(900_000L + SERVICE.sessionsCreated, 6));
        CounterService svc = new CounterService(c);
        SERVICE = svc;
        Random traffic = new Random(140_060_002L), orders = new Random(140_060_003L);
        int sales = SALES_PER_HOUR * HOURS;
        for (int i = 0; i < sales; i++) {
            long t = start + (end - start) * i / sales;
            clock.now = t;
            svc.counterSale(traffic, t);
            if (i % 20 == 0) svc.placeOrder(orders, t);
            svc.pickDue(orders, t);
        }
    }

    static void report() {
        Container c = CONTAINER;
        CounterService svc = SERVICE;
        System.out.println("shops " + svc.shops.byCode.size() + " cuts " + svc.catalogue.bySku.size() + " singletons " + c.singletons.size() + " prototypes " + c.prototypes.size()
                + " destroy callbacks " + c.destroyCallbacks.size() + " sales " + svc.till.count + " labels " + svc.labels.size() + " (hits " + svc.labelHits + ", evicted " + svc.labels.evicted + ")");
        System.out.println("  collect orders " + svc.collect.placed + " picked " + svc.collect.picked + " backlog " + svc.collect.waiting.size() + " picking sessions " + svc.sessionsCreated + "/" + svc.sessionsDestroyed
                + " pool " + svc.printers.buffers.size() + " prints " + svc.printers.prints + " weighings " + svc.scales.weighings + " audit " + svc.audit.lines + " cold-room readings " + svc.coldRooms.readings);
        check(svc.shops.byCode.size() == SHOPS && svc.catalogue.bySku.size() == CUTS, "reference data / catalogue");
        check(c.singletons.size() == 10 && c.prototypes.size() == 1 && c.destroyCallbacks.size() == 6, "container");
        check(svc.till.count == (long) SALES_PER_HOUR * HOURS, "sales");
        check(svc.sessionsCreated == svc.collect.picked && svc.sessionsDestroyed == svc.sessionsCreated, "picking sessions destroyed");
        check(svc.collect.placed - svc.collect.picked == svc.collect.waiting.size() && svc.collect.waiting.size() == 125, "collect backlog " + svc.collect.waiting.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == 35_985, "label LRU at its cap: evicted " + svc.labels.evicted);
        check(svc.printers.buffers.size() == POOL && svc.till.sales[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
