// hprofscan-dump: name=val16-leak-fooddelivery-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val16-leak-fooddelivery-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val16-leak-fooddelivery jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val16-leak-fooddelivery-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 16 (written blind), LEAK, series: the dispatch backend of a food-delivery
 * platform. When an order is accepted, the dispatcher schedules a courier-position poller with
 * {@code scheduleAtFixedRate} (every 60 s) on a shared {@code ScheduledThreadPoolExecutor}; the
 * poller's lambda captures the whole {@code DeliveryOrder} (line items, drop-off address, the
 * 256-point route polyline). The bug: when the order is delivered it leaves the active-order map,
 * but its poller is never cancelled (the poller just returns early for a delivered order), so
 * the executor's delayed-work queue keeps every delivered order forever. Stage 1 after 2 hours
 * (1,600 orders), stage 2 after 4 hours (3,200), stage 3 after 8 hours (6,400). Legitimate: the
 * restaurant catalogue with menus (a static map, the biggest structure), the courier registry, a
 * route LRU at its cap, the active orders (in flight, their pollers wanted), a capped order
 * history and a fixed dispatch pool. See testdata/VALIDATION16.md.
 */
public final class Val16LeakFoodDelivery {
    static final int RESTAURANTS = 6_000;
    static final int MENU_ITEMS = 25;
    static final int COURIERS = 20_000;
    static final int ROUTE_CAP = 1_500;
    static final int ROUTE_POINTS = 256;
    static final int HISTORY_CAP = 1_000;
    static final int ORDERS_PER_HOUR = 800;
    static final int DISPATCHERS = 3;
    static final long POLL_SECONDS = 60;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static DispatchService DISPATCH;

    static final class MenuItem { final String sku; final String name; final String category; final int priceCents;
        MenuItem(String sku, String name, String category, int priceCents) { this.sku = sku; this.name = name; this.category = category; this.priceCents = priceCents; } }

    static final class Restaurant { final int id; final String name; final double lat; final double lon; final List<MenuItem> menu;
        Restaurant(int id, String name, double lat, double lon, List<MenuItem> menu) { this.id = id; this.name = name; this.lat = lat; this.lon = lon; this.menu = menu; } }

    /** Reference data: the restaurants and their menus, loaded at startup. */
    static final class RestaurantCatalog {
        static final Map<Integer, Restaurant> RESTAURANTS_BY_ID = new HashMap<>();
    }

    static final class Courier { final String id; final String name; final String vehicle; final double[] position = new double[2]; long lastPingAt;
        Courier(String id, String name, String vehicle) { this.id = id; this.name = name; this.vehicle = vehicle; } }

    static final class LineItem { final MenuItem item; final int qty; final String note;
        LineItem(MenuItem item, int qty, String note) { this.item = item; this.qty = qty; this.note = note; } }

    static final class DeliveryOrder { final long orderId; final String customerId; final Restaurant restaurant; final List<LineItem> items; final String dropoffAddress; final double[] routePolyline; final Courier courier; final long placedAt; final long dueAt; long deliveredAt; ScheduledFuture<?> poller; int polls;
        DeliveryOrder(long orderId, String customerId, Restaurant restaurant, List<LineItem> items, String dropoffAddress, double[] routePolyline, Courier courier, long placedAt, long dueAt) { this.orderId = orderId; this.customerId = customerId; this.restaurant = restaurant; this.items = items; this.dropoffAddress = dropoffAddress; this.routePolyline = routePolyline; this.courier = courier; this.placedAt = placedAt; this.dueAt = dueAt; } }

    static final class OrderSummary { final long orderId; final int restaurantId; final String courierId; final long placedAt; final long deliveredAt; final int totalCents;
        OrderSummary(long orderId, int restaurantId, String courierId, long placedAt, long deliveredAt, int totalCents) { this.orderId = orderId; this.restaurantId = restaurantId; this.courierId = courierId; this.placedAt = placedAt; this.deliveredAt = deliveredAt; this.totalCents = totalCents; } }

    static final class RouteLru extends LinkedHashMap<String, double[]> {
        long evicted;
        RouteLru() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, double[]> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final class DispatchService {
        final Map<String, Courier> couriers = new HashMap<>();
        final RouteLru routes = new RouteLru();
        final Map<Long, DeliveryOrder> activeOrders = new HashMap<>();
        final ArrayDeque<OrderSummary> history = new ArrayDeque<>();
        long historyRotated;
        final AtomicInteger trackerSeq = new AtomicInteger();
        final ScheduledThreadPoolExecutor tracker = new ScheduledThreadPoolExecutor(2,
                r -> { Thread t = new Thread(r, "courier-tracker-" + trackerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final AtomicInteger dispatchSeq = new AtomicInteger();
        final ThreadPoolExecutor dispatchers = new ThreadPoolExecutor(DISPATCHERS, DISPATCHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "dispatch-" + dispatchSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        DispatchService(boolean fixed) { this.fixed = fixed; tracker.setRemoveOnCancelPolicy(true); }

        void accept(DeliveryOrder o) {
            activeOrders.put(o.orderId, o);
            o.poller = tracker.scheduleAtFixedRate(() -> pollCourier(o), POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
        }

        void pollCourier(DeliveryOrder o) {
            if (o.deliveredAt != 0) return; // nothing to track any more (but the task stays scheduled)
            o.polls++;
            o.courier.lastPingAt = System.currentTimeMillis();
        }

        void delivered(DeliveryOrder o, long t) {
            o.deliveredAt = t;
            activeOrders.remove(o.orderId);
            int total = 0;
            for (LineItem li : o.items) total += li.item.priceCents * li.qty;
            history.addLast(new OrderSummary(o.orderId, o.restaurant.id, o.courier.id, o.placedAt, t, total));
            if (history.size() > HISTORY_CAP) { history.removeFirst(); historyRotated++; }
            // BUG: o.poller.cancel(false) is missing (the fixed variant is only for measuring).
            if (fixed) o.poller.cancel(false);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val16.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(16_010_001);
        DispatchService svc = new DispatchService(fixed);
        DISPATCH = svc;
        for (int i = 0; i < 45; i++) svc.config.setProperty("dispatch.zone.radius." + i, Integer.toString(1_500 + i * 100));
        String[] categories = {"Starters", "Mains", "Sides", "Desserts", "Drinks", "Specials"};
        String[] dishes = {"Chicken tikka masala", "Margherita pizza", "Pad thai with prawns", "Beef burrito bowl", "Salmon poke", "Falafel wrap", "Ramen tonkotsu", "Caesar salad", "Lamb kofta", "Veggie burger"};
        for (int r = 0; r < RESTAURANTS; r++) {
            List<MenuItem> menu = new ArrayList<>(MENU_ITEMS);
            for (int m = 0; m < MENU_ITEMS; m++) menu.add(new MenuItem("R" + r + "-M" + m, dishes[(r + m) % dishes.length] + " (" + (m % 3 == 0 ? "large" : "regular") + ")", categories[m % categories.length], 450 + rnd.nextInt(2_000)));
            RestaurantCatalog.RESTAURANTS_BY_ID.put(10_000 + r, new Restaurant(10_000 + r, "Kitchen " + r, 51.3 + rnd.nextDouble() * 0.4, -0.4 + rnd.nextDouble() * 0.6, menu));
        }
        String[] vehicles = {"bike", "e-bike", "scooter", "car"};
        Courier[] couriers = new Courier[COURIERS];
        for (int c = 0; c < COURIERS; c++) {
            couriers[c] = new Courier("CR-" + (300_000 + c), "Courier " + c, vehicles[c % 4]);
            couriers[c].position[0] = 51.3 + rnd.nextDouble() * 0.4; couriers[c].position[1] = -0.4 + rnd.nextDouble() * 0.6;
            couriers[c].lastPingAt = now - rnd.nextInt(120_000);
            svc.couriers.put(couriers[c].id, couriers[c]);
        }
        CyclicBarrier ready = new CyclicBarrier(DISPATCHERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < DISPATCHERS; w++) warm.add(svc.dispatchers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Orders spread evenly up to the dump; each is delivered 20-55 minutes after it was placed.
        int orders = (int) (ORDERS_PER_HOUR * hours);
        PriorityQueue<DeliveryOrder> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
        int delivered = 0, routeMisses = 0;
        String[] streets = {"High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Park Avenue", "Kings Road"};
        for (int i = 0; i < orders; i++) {
            long t = start + (now - start) * i / orders;
            while (!due.isEmpty() && due.peek().dueAt <= t) { DeliveryOrder d = due.poll(); svc.delivered(d, d.dueAt); delivered++; }
            Restaurant rest = RestaurantCatalog.RESTAURANTS_BY_ID.get(10_000 + rnd.nextInt(RESTAURANTS));
            int n = 2 + rnd.nextInt(5);
            List<LineItem> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) items.add(new LineItem(rest.menu.get(rnd.nextInt(MENU_ITEMS)), 1 + rnd.nextInt(3), k == 0 ? "no onions please, ring the bell twice" : null));
            String address = (1 + rnd.nextInt(240)) + " " + streets[rnd.nextInt(streets.length)] + ", Flat " + (1 + rnd.nextInt(40)) + ", London SE" + (1 + rnd.nextInt(28));
            String routeKey = rest.id + ">" + address.hashCode();
            double[] cached = svc.routes.get(routeKey);
            if (cached == null) {
                routeMisses++;
                cached = new double[ROUTE_POINTS / 2];
                for (int k = 0; k < cached.length; k++) cached[k] = rest.lat + rnd.nextDouble() * 0.01;
                svc.routes.put(routeKey, cached);
            }
            double[] polyline = new double[ROUTE_POINTS];
            for (int k = 0; k < ROUTE_POINTS; k++) polyline[k] = cached[k % cached.length] + k * 1e-5;
            DeliveryOrder o = new DeliveryOrder(90_000_000L + i, "CUS-" + (4_000_000 + rnd.nextInt(900_000)), rest, items, address, polyline, couriers[rnd.nextInt(COURIERS)], t, t + (20 + rnd.nextInt(36)) * MINUTE);
            svc.accept(o);
            due.add(o);
        }
        while (!due.isEmpty() && due.peek().dueAt <= now) { DeliveryOrder d = due.poll(); svc.delivered(d, d.dueAt); delivered++; }
        int inFlight = orders - delivered;
        int scheduled = svc.tracker.getQueue().size();
        System.out.println("stage " + stage + (fixed ? " FIXED" : "") + " restaurants " + RestaurantCatalog.RESTAURANTS_BY_ID.size() + " couriers " + svc.couriers.size() + " orders " + orders + " delivered " + delivered + " active " + svc.activeOrders.size() + " scheduled pollers " + scheduled + " routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") history " + svc.history.size() + " (rotated " + svc.historyRotated + ")");
        check(RestaurantCatalog.RESTAURANTS_BY_ID.size() == RESTAURANTS && svc.couriers.size() == COURIERS, "reference data");
        check(svc.activeOrders.size() == inFlight && inFlight == due.size(), "active orders");
        check(scheduled == (fixed ? inFlight : orders), "scheduled pollers");
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted == routeMisses - ROUTE_CAP, "route lru");
        check(svc.history.size() == Math.min(delivered, HISTORY_CAP) && svc.historyRotated == delivered - svc.history.size(), "history");
        check(svc.dispatchers.getPoolSize() == DISPATCHERS, "pool");
        couriers = null; due = null;
        LeakCheck.histogram("ScheduledThreadPoolExecutor$ScheduledFutureTask", "Executors$RunnableAdapter", "Val16LeakFoodDelivery$DispatchService$$Lambda");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
