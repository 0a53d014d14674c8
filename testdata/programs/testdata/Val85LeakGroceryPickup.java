// hprofscan-dump: name=val85-leak-grocerypickup-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val85-leak-grocerypickup-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val85-leak-grocerypickup jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val85-leak-grocerypickup-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 85 (written blind), LEAK: the order service of a supermarket chain's curbside
 * grocery pickup. Store reference data, the product catalogue, a cache of rendered pickup-slot
 * pages at its cap, a pool of bag-label buffers, a ring of recent curbside handoffs, the map of
 * open orders, and per-order locking: every state change of an order (placed, picked, collected)
 * runs under that order's own ReentrantLock, taken from a ConcurrentHashMap filled with
 * computeIfAbsent(orderId, k -> new ReentrantLock()). The open order is removed when it is
 * collected, but its lock never is: the lock map keeps one entry per order ever placed.
 * See VALIDATION85.md.
 */
public final class Val85LeakGroceryPickup {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 900, PRODUCTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, ORDERS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Store(String code, String town, double[] slotCapacity) {}
    record Product(String sku, String name, int aisle, byte[] nutritionPanel, long listedAt) {}
    record SlotPage(String key, byte[] rendered, long at) {}
    record Handoff(String orderId, String storeCode, int bay, long at) {}

    static final class Order {
        static final int PLACED = 0, PICKED = 1, COLLECTED = 2;
        final String id, storeCode, customerId;
        final String[] skus;
        final long placedAt;
        long pickedAt, collectedAt;
        int state;
        Order(String id, String storeCode, String customerId, String[] skus, long placedAt) {
            this.id = id; this.storeCode = storeCode; this.customerId = customerId; this.skus = skus; this.placedAt = placedAt;
        }
    }

    record Due(long at, int next, Order order) {}

    /** Per-order locks ("lock striping by order id"): one ReentrantLock per order id. */
    static final class OrderLocks {
        final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        long created, removed;
        ReentrantLock lockFor(String orderId) {
            return locks.computeIfAbsent(orderId, k -> { created++; return new ReentrantLock(); });
        }
        /** Called when an order reaches its final state. */
        void orderFinished(String orderId) {
            if (FIXED && locks.remove(orderId) != null) removed++;
            // BUG: nothing is removed; the finished order's lock stays in the map forever
        }
    }

    static final class SlotPageCache extends LinkedHashMap<String, SlotPage> {
        long evicted;
        SlotPageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class PickupService {
        final Map<String, Product> catalog = new HashMap<>();
        final SlotPageCache slotPages = new SlotPageCache();
        final ArrayDeque<byte[]> bagLabelBuffers = new ArrayDeque<>();
        final Handoff[] handoffs = new Handoff[RING];
        long handoffCount;
        final Map<String, Order> openOrders = new HashMap<>();
        final OrderLocks orderLocks = new OrderLocks();
        long placed, picked, collected;

        void place(Order o) {
            ReentrantLock l = orderLocks.lockFor(o.id);
            l.lock();
            try {
                openOrders.put(o.id, o);
                placed++;
            } finally {
                l.unlock();
            }
        }

        void pick(Order o, long at) {
            ReentrantLock l = orderLocks.lockFor(o.id);
            l.lock();
            try {
                if (o.state == Order.PLACED) { o.state = Order.PICKED; o.pickedAt = at; picked++; }
            } finally {
                l.unlock();
            }
        }

        void collect(Order o, int bay, long at) {
            ReentrantLock l = orderLocks.lockFor(o.id);
            l.lock();
            try {
                if (o.state != Order.PICKED) throw new IllegalStateException("collect before pick: " + o.id);
                o.state = Order.COLLECTED;
                o.collectedAt = at;
                byte[] label = bagLabelBuffers.poll();
                label[(int) (collected % label.length)] = (byte) bay;
                bagLabelBuffers.add(label);
                handoffs[(int) (handoffCount++ % RING)] = new Handoff(o.id, o.storeCode, bay, at);
                openOrders.remove(o.id);
                collected++;
            } finally {
                l.unlock();
            }
            orderLocks.orderFinished(o.id);
        }
    }

    static PickupService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val85.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int orders = ORDERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(85_010_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] capacity = new double[96];
            for (int k = 0; k < capacity.length; k++) capacity[k] = rnd.nextDouble() * 24;
            storeCodes[s] = "ST" + (3_100 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Town " + (s % 260), capacity));
        }
        PickupService svc = new PickupService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        String[] kinds = {"Oat milk 1l", "Sourdough loaf", "Free-range eggs x6", "Bananas 1kg", "Basmati rice 2kg", "Cheddar 400g", "Tinned tomatoes", "Coffee beans 500g"};
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "SKU" + (40_000_000 + p * 3);
            svc.catalog.put(skus[p], new Product(skus[p], kinds[p % kinds.length], 1 + rnd.nextInt(40), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.bagLabelBuffers.add(new byte[32_768]);
        Random traffic = new Random(85_010_002);
        PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            while (!due.isEmpty() && due.peek().at() <= t) advance(svc, due, traffic);
            String store = storeCodes[traffic.nextInt(STORES)];
            String[] basket = new String[3 + traffic.nextInt(10)];
            for (int k = 0; k < basket.length; k++) basket[k] = skus[traffic.nextInt(PRODUCTS)];
            Order o = new Order("PU-" + store + "-" + (7_000_000 + i), store, "CU" + (200_000 + traffic.nextInt(90_000)), basket, t);
            svc.place(o);
            String pageKey = "slots-" + store + "-d" + traffic.nextInt(4);
            if (svc.slotPages.get(pageKey) == null) svc.slotPages.put(pageKey, new SlotPage(pageKey, new byte[500 + traffic.nextInt(500)], t));
            due.add(new Due(t + (10 + traffic.nextInt(21)) * MINUTE, Order.PICKED, o));
        }
        while (!due.isEmpty() && due.peek().at() <= end - MINUTE) advance(svc, due, traffic);
        int open = 0, pickedOpen = 0;
        for (Order o : svc.openOrders.values()) { open++; if (o.state == Order.PICKED) pickedOpen++; }
        OrderLocks locks = svc.orderLocks;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stores " + STORES_BY_CODE.size() + " products " + svc.catalog.size() + " placed " + svc.placed + " picked " + svc.picked
                + " collected " + svc.collected + " open " + open + " (picked, waiting " + pickedOpen + ") locks " + locks.locks.size() + " (created " + locks.created + ", removed " + locks.removed
                + ") pages " + svc.slotPages.size() + " (evicted " + svc.slotPages.evicted + ") pool " + svc.bagLabelBuffers.size() + " handoffs " + svc.handoffCount);
        check(STORES_BY_CODE.size() == STORES && svc.catalog.size() == PRODUCTS, "reference data / catalogue");
        check(svc.placed == orders && svc.collected + open == orders && svc.openOrders.size() == open && open < 5_000, "orders: " + open);
        check(locks.created == orders, "one lock per order: " + locks.created);
        if (FIXED) check(locks.locks.size() == open && locks.removed == svc.collected, "locks of open orders only");
        else check(locks.locks.size() == orders && locks.removed == 0, "lock map keeps every order: " + locks.locks.size());
        check(svc.slotPages.size() == PAGE_CAP && svc.slotPages.evicted > 0, "slot page cache at cap");
        check(svc.bagLabelBuffers.size() == POOL, "pool");
        check(svc.handoffCount == svc.collected && svc.handoffCount > RING && svc.handoffs[RING - 1] != null, "handoff ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void advance(PickupService svc, PriorityQueue<Due> due, Random traffic) {
        Due d = due.poll();
        if (d.next() == Order.PICKED) {
            svc.pick(d.order(), d.at());
            due.add(new Due(d.at() + (5 + traffic.nextInt(36)) * MINUTE, Order.COLLECTED, d.order()));
        } else {
            svc.collect(d.order(), 1 + traffic.nextInt(12), d.at());
        }
    }
}
