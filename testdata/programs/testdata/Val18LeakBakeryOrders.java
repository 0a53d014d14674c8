// hprofscan-dump: name=val18-leak-bakeryorders jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val18-leak-bakeryorders-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 18 (written blind), LEAK: the wholesale order service of an industrial bakery
 * that delivers to cafes and shops. Open orders are tracked in {@code OrderTracker.open}, a
 * {@code HashSet<WholesaleOrder>}; the bug: {@code WholesaleOrder.hashCode}/{@code equals} cover
 * the order's {@code status}, which changes after the order was added (PLACED, then BAKED, then
 * DELIVERED). {@code complete()} sets the status to DELIVERED and calls {@code open.remove(order)},
 * which looks in the wrong bucket and removes nothing; the tracker's own counter says the order
 * is gone, so every delivered order stays in the set with its lines and delivery note forever.
 * Legitimate beside it, bigger: the recipe book and the customer accounts (reference data), the
 * order index by id (removed correctly), the invoice LRU at its cap, the oven schedule and a fixed
 * HTTP pool. See testdata/VALIDATION18.md.
 */
public final class Val18LeakBakeryOrders {
    static final int RECIPES = 20_000;
    static final int CAFES = 15_000;
    static final int ROUTES = 400;
    static final int INVOICE_CAP = 4_000;
    static final int ORDERS_PER_HOUR = 900;
    static final long SIM_HOURS = 10;
    static final int HTTP_THREADS = 6;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static BakeryService BAKERY;

    enum Status { PLACED, BAKED, DELIVERED }

    static final class Recipe { final String code; final String name; final String[] ingredients; final double[] nutrition; final int bakeMinutes;
        Recipe(String code, String name, String[] ingredients, double[] nutrition, int bakeMinutes) { this.code = code; this.name = name; this.ingredients = ingredients; this.nutrition = nutrition; this.bakeMinutes = bakeMinutes; } }

    /** Reference data: the recipe book, loaded at startup. */
    static final class RecipeBook {
        static final Map<String, Recipe> BY_CODE = new HashMap<>();
        static final List<Recipe> ALL = new ArrayList<>();
    }

    static final class Cafe { final int id; final String name; final String address; final String routeId; final int[] standingOrder;
        Cafe(int id, String name, String address, String routeId, int[] standingOrder) { this.id = id; this.name = name; this.address = address; this.routeId = routeId; this.standingOrder = standingOrder; } }

    static final class Route { final String id; final String driver; final int[] stops;
        Route(String id, String driver, int[] stops) { this.id = id; this.driver = driver; this.stops = stops; } }

    static final class OrderLine { final String recipeCode; final int quantity; final long unitCents;
        OrderLine(String recipeCode, int quantity, long unitCents) { this.recipeCode = recipeCode; this.quantity = quantity; this.unitCents = unitCents; } }

    static final class WholesaleOrder {
        final long orderId; final int cafeId; final long placedAt; final List<OrderLine> lines; final byte[] deliveryNote;
        Status status = Status.PLACED; long bakedAt; long deliveredAt;
        WholesaleOrder(long orderId, int cafeId, long placedAt, List<OrderLine> lines, byte[] deliveryNote) { this.orderId = orderId; this.cafeId = cafeId; this.placedAt = placedAt; this.lines = lines; this.deliveryNote = deliveryNote; }
        // BUG: identity of an order includes its mutable status (generated from all "key" fields).
        @Override public boolean equals(Object o) { return o instanceof WholesaleOrder && ((WholesaleOrder) o).orderId == orderId && ((WholesaleOrder) o).status == status; }
        @Override public int hashCode() { return FIXED ? Long.hashCode(orderId) : Objects.hash(orderId, status); }
    }

    static boolean FIXED; // only for measuring: the fixed run hashes the order id alone

    /** Tracks the orders that are not delivered yet (the dispatch board reads it). */
    static final class OrderTracker {
        final Set<WholesaleOrder> open = new HashSet<>();
        int openCount;
        void add(WholesaleOrder o) { open.add(o); openCount++; }
        void baked(WholesaleOrder o, long t) { o.status = Status.BAKED; o.bakedAt = t; }
        void complete(WholesaleOrder o, long t) {
            o.status = Status.DELIVERED;
            o.deliveredAt = t;
            open.remove(o); // misses: the hash of a DELIVERED order is not the one it was stored under
            openCount--;
        }
    }

    static final class Invoice { final long orderId; final long totalCents; final byte[] pdf; final long issuedAt;
        Invoice(long orderId, long totalCents, byte[] pdf, long issuedAt) { this.orderId = orderId; this.totalCents = totalCents; this.pdf = pdf; this.issuedAt = issuedAt; } }

    static final class InvoiceLru extends LinkedHashMap<Long, Invoice> {
        long evicted;
        InvoiceLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Invoice> e) { if (size() > INVOICE_CAP) { evicted++; return true; } return false; }
    }

    static final class OvenBatch { final String recipeCode; final int trays; final long startAt;
        OvenBatch(String recipeCode, int trays, long startAt) { this.recipeCode = recipeCode; this.trays = trays; this.startAt = startAt; } }

    static final class BakeryService {
        final Map<Integer, Cafe> cafes = new HashMap<>();
        final Map<String, Route> routes = new HashMap<>();
        final Map<Long, WholesaleOrder> byId = new HashMap<>();
        final OrderTracker tracker = new OrderTracker();
        final InvoiceLru invoices = new InvoiceLru();
        final PriorityQueue<OvenBatch> ovenSchedule = new PriorityQueue<>((a, b) -> Long.compare(a.startAt, b.startAt));
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "bakery-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long invoicesIssued, batchesBaked;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val18.fixed"); // only for measuring the leak's share
        FIXED = fixed;
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(18_020_002);
        BakeryService svc = new BakeryService();
        BAKERY = svc;
        for (int i = 0; i < 40; i++) svc.config.setProperty("bakery.cutoff.route." + i, (14 + i % 6) + ":00");
        String[] breads = {"Sourdough loaf", "Rye bloomer", "Butter croissant", "Pain au chocolat", "Seeded batch", "Cinnamon bun", "Focaccia", "Bagel"};
        String[] flours = {"strong white flour", "wholemeal flour", "rye flour", "spelt flour", "butter", "salt", "yeast", "water", "sugar", "milk", "eggs", "sesame", "poppy seeds"};
        for (int i = 0; i < RECIPES; i++) {
            String[] ing = new String[4 + rnd.nextInt(6)];
            for (int k = 0; k < ing.length; k++) ing[k] = flours[rnd.nextInt(flours.length)];
            double[] nut = new double[16];
            for (int k = 0; k < nut.length; k++) nut[k] = rnd.nextDouble() * 50;
            String code = "RC-" + (70_000 + i);
            Recipe r = new Recipe(code, breads[i % breads.length] + ", variant " + (i % 2_500) + " (" + (300 + i % 700) + " g)", ing, nut, 18 + rnd.nextInt(40));
            RecipeBook.BY_CODE.put(code, r);
            RecipeBook.ALL.add(r);
        }
        for (int r = 0; r < ROUTES; r++) {
            int[] stops = new int[CAFES / ROUTES];
            for (int k = 0; k < stops.length; k++) stops[k] = 100_000 + r * stops.length + k;
            svc.routes.put("R" + (100 + r), new Route("R" + (100 + r), "Driver " + r, stops));
        }
        for (int i = 0; i < CAFES; i++) {
            int[] standing = new int[7];
            for (int k = 0; k < 7; k++) standing[k] = rnd.nextInt(60);
            svc.cafes.put(100_000 + i, new Cafe(100_000 + i, "Cafe " + i + " on " + (i % 300) + " High Street", (1 + i % 150) + " High Street, Borough " + (i % 40), "R" + (100 + i / (CAFES / ROUTES)), standing));
        }
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Orders spread evenly; each is baked 40-100 minutes after it was placed and delivered
        // 30-90 minutes after baking. The oven plans one batch per order line group every 2 min.
        int orders = (int) (ORDERS_PER_HOUR * SIM_HOURS);
        PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // {time, orderId, kind}
        int delivered = 0, baked = 0;
        long nextBatch = start;
        for (int i = 0; i < orders; i++) {
            long t = start + (now - start) * i / orders;
            while (!events.isEmpty() && events.peek()[0] <= t) {
                long[] e = events.poll();
                WholesaleOrder o = svc.byId.get(e[1]);
                if (e[2] == 0) {
                    svc.tracker.baked(o, e[0]); baked++;
                    events.add(new long[] {e[0] + (30 + rnd.nextInt(61)) * MINUTE, o.orderId, 1});
                } else {
                    svc.tracker.complete(o, e[0]);
                    svc.byId.remove(o.orderId);
                    long total = 0;
                    for (OrderLine l : o.lines) total += l.quantity * l.unitCents;
                    svc.invoices.put(o.orderId, new Invoice(o.orderId, total, new byte[1_024 + rnd.nextInt(1_024)], e[0]));
                    svc.invoicesIssued++;
                    delivered++;
                }
            }
            while (nextBatch <= t) {
                if (svc.ovenSchedule.size() >= 300) { svc.ovenSchedule.poll(); svc.batchesBaked++; }
                svc.ovenSchedule.add(new OvenBatch(RecipeBook.ALL.get(rnd.nextInt(RECIPES)).code, 4 + rnd.nextInt(20), nextBatch + 10 * HOUR));
                nextBatch += 2 * MINUTE;
            }
            List<OrderLine> lines = new ArrayList<>();
            int n = 5 + rnd.nextInt(16);
            for (int k = 0; k < n; k++) lines.add(new OrderLine(RecipeBook.ALL.get(rnd.nextInt(RECIPES)).code, 6 + rnd.nextInt(60), 80 + rnd.nextInt(400)));
            long orderId = 5_000_000L + i;
            WholesaleOrder o = new WholesaleOrder(orderId, 100_000 + rnd.nextInt(CAFES), t, lines, new byte[400 + rnd.nextInt(400)]);
            svc.byId.put(orderId, o);
            svc.tracker.add(o);
            events.add(new long[] {t + (40 + rnd.nextInt(61)) * MINUTE, orderId, 0});
        }
        int open = svc.tracker.open.size();
        int notDelivered = svc.byId.size();
        int deliveredInSet = 0;
        for (WholesaleOrder o : svc.tracker.open) if (o.status == Status.DELIVERED) deliveredInSet++;
        System.out.println((fixed ? "FIXED " : "") + "recipes " + RecipeBook.BY_CODE.size() + " cafes " + svc.cafes.size() + " routes " + svc.routes.size() + " orders " + orders + " baked " + baked + " delivered " + delivered + " open set " + open + " (delivered in it " + deliveredInSet + ", tracker count " + svc.tracker.openCount + ") byId " + notDelivered + " invoices " + svc.invoices.size() + " (evicted " + svc.invoices.evicted + ") oven " + svc.ovenSchedule.size());
        check(RecipeBook.BY_CODE.size() == RECIPES && svc.cafes.size() == CAFES && svc.routes.size() == ROUTES, "reference data");
        check(notDelivered == orders - delivered && svc.tracker.openCount == notDelivered, "order index");
        check(open == (fixed ? notDelivered : orders) && deliveredInSet == (fixed ? 0 : delivered), "open-order set");
        check(svc.invoices.size() == INVOICE_CAP && svc.invoices.evicted == svc.invoicesIssued - INVOICE_CAP, "invoice lru");
        check(svc.ovenSchedule.size() == 300, "oven schedule");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        events = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
