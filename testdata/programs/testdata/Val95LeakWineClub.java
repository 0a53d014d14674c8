// hprofscan-dump: name=val95-leak-wineclub jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val95-leak-wineclub-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 95 (written blind), LEAK: the order fulfilment service of a wine subscription
 * club. Wine reference data, the member directory, a cache of rendered bottle labels at its cap, a
 * pool of packing-slip buffers, a ring of recent shipments, the open orders (removed when shipped),
 * and a ConcurrentHashMap<Long, Object> of per-order monitors: every update of an order runs in
 * synchronized (orderLocks.computeIfAbsent(orderId, k -> new Object())). Order ids are sequential
 * longs; nothing removes an order's monitor when the order is shipped (closed), so the map holds
 * one entry per order ever placed. See VALIDATION95.md.
 */
public final class Val95LeakWineClub {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SHIP_AFTER = 30 * MINUTE;
    static final int WINES = 2_000, MEMBERS = 20_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, ORDERS = 100_000;
    static final long FIRST_ORDER_ID = 7_000_000_001L;
    static boolean FIXED;

    record Wine(String sku, String producer, String region, double[] vintageScores) {}
    record Member(String id, String name, byte[] tastingProfile, long joinedAt) {}
    record Label(String key, byte[] rendered, long at) {}
    record Shipment(long orderId, String memberId, String carrier, long shippedAt) {}

    static final class Order {
        final long id;
        final String memberId, wineSku;
        final int bottles;
        final long placedAt;
        final byte[] giftNote;
        int status; // 0 placed, 1 paid, 2 address changed, 3 shipped
        Order(long id, String memberId, String wineSku, int bottles, long placedAt, byte[] giftNote) {
            this.id = id; this.memberId = memberId; this.wineSku = wineSku; this.bottles = bottles; this.placedAt = placedAt; this.giftNote = giftNote;
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final class Fulfilment {
        final Map<String, Member> members = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> slipBuffers = new ArrayDeque<>();
        final Shipment[] shipments = new Shipment[RING];
        long shipped;
        final Map<Long, Order> openOrders = new HashMap<>();
        final ArrayDeque<Order> shipQueue = new ArrayDeque<>();
        /** Serialises the updates of one order (payment callback, address change, shipping). */
        final ConcurrentHashMap<Long, Object> orderLocks = new ConcurrentHashMap<>();
        long updates, addressChanges;

        Object lockFor(long orderId) { return orderLocks.computeIfAbsent(orderId, k -> new Object()); }

        void update(long orderId, int status) {
            synchronized (lockFor(orderId)) {
                Order o = openOrders.get(orderId);
                o.status = status;
                updates++;
            }
        }

        void ship(Order o, long at) {
            synchronized (lockFor(o.id)) {
                o.status = 3;
                openOrders.remove(o.id);
                shipments[(int) (shipped++ % RING)] = new Shipment(o.id, o.memberId, o.bottles > 6 ? "pallet" : "parcel", at);
            }
            if (FIXED) orderLocks.remove(o.id); // the fix: the order is closed, drop its monitor
            // BUG: the monitor of a shipped order stays in orderLocks forever
        }
    }

    static final Map<String, Wine> WINES_BY_SKU = new HashMap<>();
    static Fulfilment SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void shipDue(Fulfilment svc, long t) {
        while (!svc.shipQueue.isEmpty() && svc.shipQueue.peek().placedAt + SHIP_AFTER <= t) svc.ship(svc.shipQueue.poll(), t);
    }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(95_040_001);
        String[] regions = {"Rioja", "Barossa", "Mosel", "Douro", "Willamette", "Marlborough", "Etna", "Bordeaux"};
        String[] skus = new String[WINES];
        for (int w = 0; w < WINES; w++) {
            double[] scores = new double[48];
            for (int k = 0; k < scores.length; k++) scores[k] = 80 + rnd.nextDouble() * 20;
            String sku = "WN-" + (40_000 + w);
            skus[w] = sku;
            WINES_BY_SKU.put(sku, new Wine(sku, "Producer " + (w % 700), regions[w % regions.length], scores));
        }
        Fulfilment svc = new Fulfilment();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String id = "M" + (300_000 + m);
            memberIds[m] = id;
            svc.members.put(id, new Member(id, "Member " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.slipBuffers.add(new byte[32_768]);
        Random traffic = new Random(95_040_002);
        long period = end - start;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + period * i / ORDERS;
            shipDue(svc, t);
            long id = FIRST_ORDER_ID + i;
            Order o = new Order(id, memberIds[traffic.nextInt(MEMBERS)], skus[traffic.nextInt(WINES)], 3 + traffic.nextInt(10), t, new byte[40 + traffic.nextInt(40)]);
            svc.openOrders.put(id, o);
            svc.shipQueue.add(o);
            svc.update(id, 1); // payment authorised
            if (traffic.nextInt(10) == 0 && i > 0) { // an address change on a recent, still open order
                long other = id - 1 - traffic.nextInt((int) Math.min(i, 200));
                if (svc.openOrders.containsKey(other)) { svc.update(other, 2); svc.addressChanges++; }
            }
            String key = "label-" + traffic.nextInt(5_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.slipBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.slipBuffers.add(buf);
        }
        shipDue(svc, end);
        System.out.println((FIXED ? "FIXED " : "") + "wines " + WINES_BY_SKU.size() + " members " + svc.members.size() + " orders " + ORDERS + " shipped " + svc.shipped + " open " + svc.openOrders.size()
                + " orderLocks " + svc.orderLocks.size() + " updates " + svc.updates + " address changes " + svc.addressChanges + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.slipBuffers.size());
        check(WINES_BY_SKU.size() == WINES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.shipped + svc.openOrders.size() == ORDERS && svc.shipQueue.size() == svc.openOrders.size(), "orders");
        check(svc.orderLocks.size() == (FIXED ? svc.openOrders.size() : ORDERS), "order locks " + svc.orderLocks.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.slipBuffers.size() == POOL, "pool");
        check(svc.shipped > RING && svc.shipments[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val95.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
