// hprofscan-dump: name=val29-leak-furnituredelivery jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val29-leak-furnituredelivery-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 29 (written blind), LEAK: the order-tracking service of a furniture retailer's
 * home-delivery arm. Warehouse reference data, the product catalogue, a cache of rendered delivery
 * slots at its cap, a pool of notification buffers, a ring of recent driver check-ins, and an
 * in-process event bus. The bus keeps the last event posted for each (event type, order id) as a
 * "sticky" event so that a late subscriber (the customer's tracking page opened later, the support
 * console) immediately gets the current state. When an order is delivered or cancelled nothing
 * removes its sticky events, and order ids never come back, so the sticky map keeps four or five
 * events for every order ever placed. See VALIDATION29.md.
 */
public final class Val29LeakFurnitureDelivery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WAREHOUSES = 1_000, PRODUCTS = 24_000, SLOT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, ORDERS = 8_000;
    static boolean FIXED;

    record Warehouse(String code, String region, double[] dockSchedule) {}
    record Product(String sku, String name, byte[] assemblyGuide, long listedAt) {}
    record SlotPage(String key, byte[] rendered, long at) {}
    record CheckIn(String driverId, String orderId, long at) {}
    record StickyKey(String type, String entityId) {}
    record OrderEvent(String type, String orderId, long at, String status, byte[] payload) {}

    interface Subscriber { void on(OrderEvent e); }

    static final class EventBus {
        final Map<String, List<Subscriber>> subscribers = new HashMap<>();
        final Map<StickyKey, OrderEvent> sticky = new HashMap<>();
        long posted, delivered;
        void subscribe(String type, Subscriber s) {
            subscribers.computeIfAbsent(type, k -> new ArrayList<>()).add(s);
            for (Map.Entry<StickyKey, OrderEvent> e : sticky.entrySet()) if (e.getKey().type().equals(type)) s.on(e.getValue());
        }
        void postSticky(OrderEvent e) {
            posted++;
            sticky.put(new StickyKey(e.type(), e.orderId()), e);
            for (Subscriber s : subscribers.getOrDefault(e.type(), List.of())) { s.on(e); delivered++; }
        }
        void removeStickyFor(String entityId, String[] types) { for (String t : types) sticky.remove(new StickyKey(t, entityId)); }
    }

    static final class SlotCache extends LinkedHashMap<String, SlotPage> {
        long evicted;
        SlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotPage> e) { if (size() > SLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Warehouse> WAREHOUSES_BY_CODE = new HashMap<>();

    static final class TrackingService {
        final Map<String, Product> products = new HashMap<>();
        final SlotCache slots = new SlotCache();
        final ArrayDeque<byte[]> notifyBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInCount;
        final EventBus bus = new EventBus();
        final long[] countsByType = new long[5];
        long finished, open;
    }

    static TrackingService SERVICE;
    static final String[] TYPES = {"OrderPlaced", "DeliveryScheduled", "OutForDelivery", "Delivered", "Cancelled"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val29.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(29_030_001);
        for (int w = 0; w < WAREHOUSES; w++) {
            double[] dock = new double[96];
            for (int k = 0; k < dock.length; k++) dock[k] = rnd.nextDouble() * 12;
            String code = "WH-" + (3_000 + w);
            WAREHOUSES_BY_CODE.put(code, new Warehouse(code, "Region " + (w % 40), dock));
        }
        TrackingService svc = new TrackingService();
        SERVICE = svc;
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "FN-" + (800_000 + p);
            svc.products.put(sku, new Product(sku, "Item " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.notifyBuffers.add(new byte[65_536]);
        for (int k = 0; k < TYPES.length; k++) { final int type = k; svc.bus.subscribe(TYPES[k], e -> svc.countsByType[type]++); }
        Random traffic = new Random(29_030_002);
        // Each order: placed, scheduled, out for delivery, then delivered (or cancelled after being scheduled), over ~1-3 hours.
        record Step(long at, int order, int type) {}
        List<Step> steps = new ArrayList<>();
        for (int o = 0; o < ORDERS; o++) {
            long placed = start + (long) ((end - 90 * MINUTE - start) * (double) o / ORDERS) + traffic.nextInt(20) * MINUTE;
            long scheduled = placed + (5 + traffic.nextInt(30)) * MINUTE;
            steps.add(new Step(placed, o, 0));
            steps.add(new Step(scheduled, o, 1));
            if (traffic.nextInt(10) == 0) { steps.add(new Step(scheduled + (10 + traffic.nextInt(50)) * MINUTE, o, 4)); continue; }
            long out = scheduled + (20 + traffic.nextInt(60)) * MINUTE;
            steps.add(new Step(out, o, 2));
            steps.add(new Step(out + (15 + traffic.nextInt(60)) * MINUTE, o, 3));
        }
        steps.removeIf(s -> s.at() >= end - MINUTE); // not happened yet: those orders are still open
        steps.sort((a, b) -> Long.compare(a.at(), b.at()));
        int posts = 0;
        int[] postsPerOrder = new int[ORDERS];
        boolean[] done = new boolean[ORDERS];
        for (Step s : steps) {
            postsPerOrder[s.order()]++;
            if (s.type() >= 3) done[s.order()] = true;
            String orderId = "ORD-" + (4_000_000 + s.order());
            String type = TYPES[s.type()];
            svc.bus.postSticky(new OrderEvent(type, orderId, s.at(), type.toUpperCase(), new byte[40 + traffic.nextInt(40)]));
            posts++;
            if (s.type() >= 3) { svc.finished++; if (FIXED) svc.bus.removeStickyFor(orderId, TYPES); }
            svc.checkIns[(int) (svc.checkInCount++ % RING)] = new CheckIn("DRV-" + traffic.nextInt(900), orderId, s.at());
            String key = "slots-" + traffic.nextInt(6_000);
            if (svc.slots.get(key) == null) svc.slots.put(key, new SlotPage(key, new byte[500 + traffic.nextInt(500)], s.at()));
            byte[] buf = svc.notifyBuffers.poll();
            buf[posts % buf.length] = (byte) posts;
            svc.notifyBuffers.add(buf);
        }
        check(steps.get(steps.size() - 1).at() < end, "all events before the end of the period");
        long cancelled = steps.stream().filter(s -> s.type() == 4).count();
        System.out.println((FIXED ? "FIXED " : "") + "warehouses " + WAREHOUSES_BY_CODE.size() + " products " + svc.products.size() + " orders " + ORDERS + " finished " + svc.finished + " (cancelled " + cancelled + ", open " + (ORDERS - svc.finished) + ") posts " + svc.bus.posted
                + " sticky " + svc.bus.sticky.size() + " slots " + svc.slots.size() + " (evicted " + svc.slots.evicted + ") pool " + svc.notifyBuffers.size() + " check-ins " + svc.checkInCount);
        check(WAREHOUSES_BY_CODE.size() == WAREHOUSES && svc.products.size() == PRODUCTS, "reference data / directory");
        int openEntries = 0, finishedEntries = 0;
        for (int o = 0; o < ORDERS; o++) { if (done[o]) finishedEntries += postsPerOrder[o]; else openEntries += postsPerOrder[o]; }
        System.out.println("sticky entries of finished orders " + finishedEntries + ", of open orders " + openEntries);
        check(svc.finished > 0 && svc.finished < ORDERS && svc.bus.posted == posts && svc.bus.delivered == posts, "orders finished, every event delivered");
        if (FIXED) check(svc.bus.sticky.size() == openEntries, "sticky events of finished orders removed");
        else check(svc.bus.sticky.size() == posts, "one sticky event per (type, order): " + svc.bus.sticky.size());
        check(svc.slots.size() == SLOT_CAP && svc.slots.evicted > 0, "slot cache at cap");
        check(svc.notifyBuffers.size() == POOL, "pool");
        check(svc.checkInCount == posts && svc.checkIns[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
