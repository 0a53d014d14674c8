// hprofscan-dump: name=val84-leak-bubbletea-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val84-leak-bubbletea-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val84-leak-bubbletea jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val84-leak-bubbletea-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 84 (written blind), LEAK: the order-status service of a bubble-tea chain. Store
 * reference data, the loyalty-member directory, a cache of rendered receipts at its cap, a pool of
 * label-printer buffers, a ring of finished orders, and an in-process topic broker
 * (Map<String, Set<Subscriber>> topics). Every order gets a topic "order/<id>/status" to which the
 * customer's app watcher subscribes; when the order is collected or cancelled the watcher
 * unsubscribes itself (removes itself from the set), but the emptied set and its topic key are never
 * removed from the map: one empty set per order ever placed. See VALIDATION84.md.
 */
public final class Val84LeakBubbleTea {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 900, MEMBERS = 22_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 4_096, ORDERS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Store(String code, String city, double[] hourlyFootfall) {}
    record Member(String memberId, String homeStore, byte[] preferences, long joinedAt) {}
    record Receipt(String orderId, byte[] rendered, long at) {}
    record FinishedOrder(String orderId, String storeCode, String memberId, String drink, long placedAt, long finishedAt, boolean cancelled) {}

    interface Subscriber { void onMessage(String topic, String status, long at); }

    /** In-process topic broker: topic name -> its current subscribers. */
    static final class Broker {
        final Map<String, Set<Subscriber>> topics = new HashMap<>();
        long published, delivered, subscribes, unsubscribes;
        void subscribe(String topic, Subscriber s) {
            topics.computeIfAbsent(topic, k -> new HashSet<>()).add(s);
            subscribes++;
        }
        void unsubscribe(String topic, Subscriber s) {
            Set<Subscriber> set = topics.get(topic);
            if (set == null) return;
            if (set.remove(s)) unsubscribes++;
            if (FIXED && set.isEmpty()) topics.remove(topic);
            // BUG: the emptied set and its topic key stay in the map
        }
        void publish(String topic, String status, long at) {
            published++;
            Set<Subscriber> set = topics.get(topic);
            if (set == null) return;
            for (Subscriber s : new ArrayList<>(set)) { s.onMessage(topic, status, at); delivered++; }
        }
    }

    /** The customer app's order-status watcher: follows one order, leaves when it is finished. */
    static final class AppWatcher implements Subscriber {
        final Broker broker; final String topic, memberId; final long subscribedAt;
        String lastStatus; int updates;
        AppWatcher(Broker broker, String topic, String memberId, long at) { this.broker = broker; this.topic = topic; this.memberId = memberId; this.subscribedAt = at; }
        @Override public void onMessage(String t, String status, long at) {
            lastStatus = status; updates++;
            if (status.equals("COLLECTED") || status.equals("CANCELLED")) broker.unsubscribe(topic, this);
        }
    }

    /** The "ready for pickup" screen of one store (long-lived subscriber of store/<code>/ready). */
    static final class PickupScreen implements Subscriber {
        final String storeCode; long shown, lastAt;
        PickupScreen(String storeCode) { this.storeCode = storeCode; }
        @Override public void onMessage(String t, String status, long at) { shown++; lastAt = at; }
    }

    static final class Order {
        final String id, storeCode, memberId, drink; final long placedAt; final boolean cancel;
        final long readyAt, doneAt; int step; long nextAt;
        Order(String id, String storeCode, String memberId, String drink, long placedAt, boolean cancel, long readyAt, long doneAt) {
            this.id = id; this.storeCode = storeCode; this.memberId = memberId; this.drink = drink; this.placedAt = placedAt; this.cancel = cancel; this.readyAt = readyAt; this.doneAt = doneAt;
            this.nextAt = cancel ? doneAt : readyAt;
        }
        String topic() { return "order/" + id + "/status"; }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class OrderStatusService {
        final Map<String, Member> members = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final FinishedOrder[] finished = new FinishedOrder[RING];
        long finishedCount, cancelled;
        final Broker broker = new Broker();
        final PriorityQueue<Order> open = new PriorityQueue<>(Comparator.comparingLong((Order o) -> o.nextAt));

        void advance(long now, Random r) {
            while (!open.isEmpty() && open.peek().nextAt <= now) {
                Order o = open.poll();
                String topic = o.topic();
                if (o.cancel) {
                    broker.publish(topic, "CANCELLED", o.nextAt);
                    finish(o, true);
                } else if (o.step == 0) {
                    broker.publish(topic, "READY", o.readyAt);
                    broker.publish("store/" + o.storeCode + "/ready", o.id, o.readyAt);
                    o.step = 1; o.nextAt = o.doneAt;
                    open.add(o);
                } else {
                    broker.publish(topic, "COLLECTED", o.doneAt);
                    receipts.put(o.id, new Receipt(o.id, new byte[400 + r.nextInt(400)], o.doneAt));
                    finish(o, false);
                }
            }
        }
        void finish(Order o, boolean wasCancelled) {
            if (wasCancelled) cancelled++;
            finished[(int) (finishedCount++ % RING)] = new FinishedOrder(o.id, o.storeCode, o.memberId, o.drink, o.placedAt, o.nextAt, wasCancelled);
        }
    }

    static OrderStatusService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val84.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int orders = ORDERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(84_010_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 120;
            storeCodes[s] = "TEA-" + (3_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "City " + (s % 210), footfall));
        }
        OrderStatusService svc = new OrderStatusService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "M" + (60_000_000 + m * 3);
            svc.members.put(memberIds[m], new Member(memberIds[m], storeCodes[rnd.nextInt(STORES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int s = 0; s < STORES; s++) svc.broker.subscribe("store/" + storeCodes[s] + "/ready", new PickupScreen(storeCodes[s]));
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(84_010_002);
        String[] drinks = {"Brown sugar milk tea", "Taro slush", "Jasmine green tea", "Mango yakult", "Matcha latte", "Passionfruit QQ", "Oolong cheese foam", "Lychee jelly tea"};
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            svc.advance(t, traffic);
            String id = "BT" + (40_000_000 + i);
            String store = storeCodes[traffic.nextInt(STORES)];
            String member = memberIds[traffic.nextInt(MEMBERS)];
            boolean cancel = traffic.nextInt(100) < 4;
            long readyAt = t + (3 + traffic.nextInt(10)) * MINUTE;
            long doneAt = cancel ? t + (1 + traffic.nextInt(4)) * MINUTE : readyAt + (1 + traffic.nextInt(15)) * MINUTE;
            Order o = new Order(id, store, member, drinks[traffic.nextInt(drinks.length)], t, cancel, readyAt, doneAt);
            String topic = o.topic();
            svc.broker.subscribe(topic, new AppWatcher(svc.broker, topic, member, t));
            svc.broker.publish(topic, "ACCEPTED", t);
            svc.open.add(o);
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        svc.advance(end, traffic);
        Broker br = svc.broker;
        int empty = 0, orderTopics = 0;
        for (Map.Entry<String, Set<Subscriber>> e : br.topics.entrySet()) {
            if (e.getKey().startsWith("order/")) orderTopics++;
            if (e.getValue().isEmpty()) empty++;
        }
        int openOrders = svc.open.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stores " + STORES_BY_CODE.size() + " members " + svc.members.size() + " topics " + br.topics.size() + " (order topics " + orderTopics + ", empty " + empty + ") open orders " + openOrders
                + " finished " + svc.finishedCount + " (cancelled " + svc.cancelled + ") published " + br.published + " delivered " + br.delivered + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.labelBuffers.size());
        check(STORES_BY_CODE.size() == STORES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.finishedCount + openOrders == orders && br.unsubscribes == svc.finishedCount, "order traffic");
        if (FIXED) check(br.topics.size() == STORES + openOrders && empty == 0, "fixed broker: " + br.topics.size());
        else check(br.topics.size() == STORES + orders && empty == svc.finishedCount, "broker keeps every emptied topic: " + br.topics.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.finishedCount > RING && svc.finished[RING - 1] != null, "ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
