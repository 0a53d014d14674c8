// hprofscan-dump: name=val64-leak-gardencentres jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val64-leak-gardencentres-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Validation set 64 (written blind), LEAK: the store-operations service of a garden-centre chain.
 * Store reference data, the plant directory, a cache of rendered care-sheet pages at its cap, a
 * pool of shelf-label buffers, a ring of booked deliveries, and an in-process event bus. Events
 * that nobody subscribed to (stock-level changes since the reorder module moved out, loyalty points
 * while the loyalty module is switched off) go to the bus's dead-event handler, which appends each
 * one to a list "for diagnostics" that nothing ever trims. See VALIDATION64.md.
 */
public final class Val64LeakGardenCentres {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 1_000, PLANTS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, DEAD_KEEP = 256,
            EVENTS = 60_000;
    static boolean FIXED;

    record Store(String code, String region, double[] footfallByHour) {}
    record Plant(String sku, String latinName, byte[] careGuide, long listedAt) {}
    record Page(String key, byte[] html, long renderedAt) {}
    record Delivery(String orderId, String storeCode, long slotStart, long bookedAt) {}

    record OrderPlaced(String orderId, String storeCode, int lines, long at) {}
    record OrderShipped(String orderId, String carrier, long at) {}
    record PriceChanged(String sku, int oldCents, int newCents, long at) {}
    record StockLevelChanged(String sku, String storeCode, int delta, int onHand, byte[] binSnapshot, long at) {}
    record LoyaltyPointsEarned(String customerId, String orderId, int points, long at) {}
    record DeadEvent(Object event, String type, long postedAt) {}

    static final class EventBus {
        final Map<Class<?>, List<Consumer<Object>>> subscribers = new HashMap<>();
        final List<DeadEvent> deadEvents = new ArrayList<>();          // the dead-event handler's diagnostics list
        final ArrayDeque<DeadEvent> recentDead = new ArrayDeque<>();   // the fix: only the last DEAD_KEEP
        final Map<String, Long> deadCounts = new HashMap<>();
        long posted, delivered, dead;

        void subscribe(Class<?> type, Consumer<Object> handler) { subscribers.computeIfAbsent(type, k -> new ArrayList<>()).add(handler); }

        void post(Object event, long at) {
            posted++;
            List<Consumer<Object>> handlers = subscribers.get(event.getClass());
            if (handlers == null || handlers.isEmpty()) { onDeadEvent(new DeadEvent(event, event.getClass().getSimpleName(), at)); return; }
            for (Consumer<Object> h : handlers) { h.accept(event); delivered++; }
        }

        void onDeadEvent(DeadEvent d) {
            dead++;
            deadCounts.merge(d.type(), 1L, Long::sum);
            if (FIXED) {
                recentDead.addLast(d);
                if (recentDead.size() > DEAD_KEEP) recentDead.pollFirst();
            } else {
                deadEvents.add(d); // BUG: kept "for diagnostics", never trimmed
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class GardenService {
        final Map<String, Plant> plants = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Delivery[] deliveries = new Delivery[RING];
        final EventBus bus = new EventBus();
        long deliveriesBooked, ordersSeen, shipmentsSeen, priceChanges;
    }

    static GardenService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val64.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(64_030_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[96];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 300;
            storeCodes[s] = "GC-" + (7_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Region " + (s % 40), footfall));
        }
        GardenService svc = new GardenService();
        SERVICE = svc;
        String[] skus = new String[PLANTS];
        for (int p = 0; p < PLANTS; p++) {
            skus[p] = "PL-" + (600_000 + p);
            svc.plants.put(skus[p], new Plant(skus[p], "Genus species " + (p % 3_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        svc.bus.subscribe(OrderPlaced.class, e -> svc.ordersSeen++);
        svc.bus.subscribe(OrderPlaced.class, e -> {
            OrderPlaced o = (OrderPlaced) e;
            svc.deliveries[(int) (svc.deliveriesBooked % RING)] = new Delivery(o.orderId(), o.storeCode(), o.at() + 2 * 24 * HOUR, o.at());
            svc.deliveriesBooked++;
        });
        svc.bus.subscribe(OrderShipped.class, e -> svc.shipmentsSeen++);
        svc.bus.subscribe(PriceChanged.class, e -> {
            svc.priceChanges++;
            byte[] buf = svc.labelBuffers.poll();
            buf[(int) (svc.priceChanges % buf.length)] = 1;
            svc.labelBuffers.add(buf);
        });
        Random traffic = new Random(64_030_002);
        long stock = 0, loyalty = 0, orders = 0;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            String store = storeCodes[traffic.nextInt(STORES)];
            String sku = skus[traffic.nextInt(PLANTS)];
            int kind = traffic.nextInt(10);
            if (kind < 5) {
                svc.bus.post(new StockLevelChanged(sku, store, -1 - traffic.nextInt(6), traffic.nextInt(400), new byte[40 + traffic.nextInt(40)], t), t);
                stock++;
            } else if (kind < 7) {
                String orderId = "GO-" + (3_000_000 + orders++);
                svc.bus.post(new OrderPlaced(orderId, store, 1 + traffic.nextInt(8), t), t);
                svc.bus.post(new LoyaltyPointsEarned("CU-" + (500_000 + traffic.nextInt(90_000)), orderId, 10 + traffic.nextInt(300), t), t);
                loyalty++;
            } else if (kind < 9) {
                svc.bus.post(new OrderShipped("GO-" + (3_000_000 + traffic.nextInt((int) Math.max(1, orders))), "Carrier " + traffic.nextInt(6), t), t);
            } else {
                svc.bus.post(new PriceChanged(sku, 100 + traffic.nextInt(5_000), 100 + traffic.nextInt(5_000), t), t);
            }
            String key = "care-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
        }
        EventBus bus = svc.bus;
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " plants " + svc.plants.size() + " posted " + bus.posted + " delivered " + bus.delivered
                + " dead " + bus.dead + " (stock " + stock + ", loyalty " + loyalty + ") deadEvents " + bus.deadEvents.size() + " recentDead " + bus.recentDead.size()
                + " orders " + orders + " deliveries " + svc.deliveriesBooked + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.labelBuffers.size());
        check(STORES_BY_CODE.size() == STORES && svc.plants.size() == PLANTS, "reference data / directory");
        check(bus.dead == stock + loyalty && bus.deadCounts.size() == 2 && bus.subscribers.size() == 3, "bus traffic");
        if (FIXED) check(bus.deadEvents.isEmpty() && bus.recentDead.size() == DEAD_KEEP, "bounded dead events");
        else check(bus.deadEvents.size() == stock + loyalty && bus.recentDead.isEmpty(), "dead events kept: " + bus.deadEvents.size());
        check(svc.deliveriesBooked == orders && orders > RING && svc.deliveries[RING - 1] != null, "delivery ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
