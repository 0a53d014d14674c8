// hprofscan-dump: name=val127-healthy-ramenshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val127-healthy-ramenshops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 127 (written blind), HEALTHY: the order and kitchen service of a chain of ramen
 * shops. Shop reference data, the menu and the app-customer directory, a warm cache of rendered
 * kitchen-display tiles at its cap, a pool of receipt-printer buffers, a ring of served bowls, a
 * queue of delivery handoffs with a normal backlog, and look-alikes of the set's leaks done right:
 * each broth batch has its own CompletableFuture&lt;Void&gt; "batchReady"; the orders taken while it
 * simmers attach thenRun callbacks to it, it completes at the end of the batch (every 12 minutes)
 * and is replaced, so only the current batch's callbacks are held; the service's "shutdown"
 * future has the one callback registered at startup; and a canonicalising table of topping sets
 * (HashMap&lt;String, WeakReference&lt;ToppingSet&gt;&gt;) whose cleared entries are purged at every
 * batch. See VALIDATION127.md.
 */
public final class Val127HealthyRamenShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long EVENT_EVERY = 500L, BATCH_EVERY = 12 * MINUTE, HANDOFF_AFTER = 15 * MINUTE;
    static final int SHOPS = 250, MENU = 1_500, CUSTOMERS = 22_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10;
    static final String[] BROTHS = {"tonkotsu", "shoyu", "shio", "miso", "tantanmen", "vegan-miso"};
    static final String[] TOPPINGS = {"chashu", "ajitama", "menma", "nori", "negi", "kikurage", "corn", "butter", "beansprouts", "naruto", "extra-garlic", "chili-oil", "spinach", "karaage"};

    record Shop(String code, String name, String city, double[] bowlsByHalfHour) {}
    record MenuItem(String sku, String name, String broth, int priceCents, byte[] allergens) {}
    record Customer(String id, String name, String favouriteShop, byte[] preferences, long joinedAt) {}
    record DisplayTile(String key, byte[] rendered, long renderedAt) {}
    record ServedBowl(long orderId, String shop, String broth, String toppings, long servedAt) {}
    record Handoff(long orderId, String rider, String address, long readyAt) {}

    /** An immutable, shared set of toppings, canonicalised by its text. */
    static final class ToppingSet {
        final String key; final String[] toppings; final int extraCents;
        ToppingSet(String key, String[] toppings, int extraCents) { this.key = key; this.toppings = toppings; this.extraCents = extraCents; }
    }

    static final class BowlOrder {
        final long id; final String shop; final String broth; final ToppingSet toppings; final long orderedAt; final boolean delivery;
        boolean served;
        BowlOrder(long id, String shop, String broth, ToppingSet toppings, long orderedAt, boolean delivery) { this.id = id; this.shop = shop; this.broth = broth; this.toppings = toppings; this.orderedAt = orderedAt; this.delivery = delivery; }
    }

    static final class ToppingRegistry {
        final Map<String, WeakReference<ToppingSet>> sets = new HashMap<>();
        long lookups, purged;

        ToppingSet canonical(ToppingSet candidate) {
            lookups++;
            WeakReference<ToppingSet> ref = sets.get(candidate.key);
            ToppingSet existing = ref == null ? null : ref.get();
            if (existing != null) return existing;
            sets.put(candidate.key, new WeakReference<>(candidate));
            return candidate;
        }

        void purge() {
            int before = sets.size();
            sets.values().removeIf(r -> r.get() == null);
            purged += before - sets.size();
        }
    }

    static final class TileCache extends LinkedHashMap<String, DisplayTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DisplayTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class KitchenService {
        final Map<String, MenuItem> menu = new HashMap<>();
        final Map<String, Customer> customers = new HashMap<>();
        final String[] skus = new String[MENU], customerIds = new String[CUSTOMERS], shopCodes = new String[SHOPS];
        final CompletableFuture<Void> shutdown = new CompletableFuture<>();
        CompletableFuture<Void> batchReady = new CompletableFuture<>();
        final ToppingRegistry toppings = new ToppingRegistry();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final ServedBowl[] served = new ServedBowl[RING];
        final ArrayDeque<Handoff> handoffs = new ArrayDeque<>();
        long nextOrderId = 88_000_000L, orders, batches, bowlsServed, handoffsQueued, handoffsDone, tileViews, receipts, flushedAtShutdown;

        void order(Random r, long t) {
            String sku = skus[r.nextInt(MENU)];
            MenuItem item = menu.get(sku);
            int n = r.nextInt(4);
            boolean[] pick = new boolean[TOPPINGS.length];
            for (int k = 0; k < n; k++) pick[r.nextInt(TOPPINGS.length)] = true;
            StringBuilder key = new StringBuilder(item.broth());
            int count = 0;
            for (int k = 0; k < pick.length; k++) if (pick[k]) { key.append('+').append(TOPPINGS[k]); count++; }
            String[] chosen = new String[count];
            for (int k = 0, c = 0; k < pick.length; k++) if (pick[k]) chosen[c++] = TOPPINGS[k];
            ToppingSet set = toppings.canonical(new ToppingSet(key.toString(), chosen, count * 150));
            BowlOrder o = new BowlOrder(nextOrderId++, shopCodes[r.nextInt(SHOPS)], item.broth(), set, t, r.nextInt(4) == 0);
            orders++;
            batchReady.thenRun(() -> serve(o)); // runs when this batch of broth is ready
        }

        void serve(BowlOrder o) {
            o.served = true;
            served[(int) (bowlsServed++ % RING)] = new ServedBowl(o.id, o.shop, o.broth, o.toppings.key, o.orderedAt);
            byte[] buf = receiptBuffers.poll();
            buf[(int) (o.id % buf.length)] = (byte) o.toppings.toppings.length;
            receiptBuffers.addLast(buf);
            receipts++;
            if (o.delivery) { handoffs.addLast(new Handoff(o.id, "rider-" + (o.id % 300), o.shop + " delivery zone " + (o.id % 40), batchEndAt)); handoffsQueued++; }
        }

        long batchEndAt;

        /** The batch is ready: its waiting orders are served, a new batch starts, cleared topping sets are purged. */
        void finishBatch(long t) {
            batchEndAt = t;
            CompletableFuture<Void> done = batchReady;
            batchReady = new CompletableFuture<>();
            done.complete(null);
            batches++;
            toppings.purge();
        }

        void handOff(long t) {
            while (!handoffs.isEmpty() && handoffs.peekFirst().readyAt() <= t - HANDOFF_AFTER) { handoffs.pollFirst(); handoffsDone++; }
        }

        void viewTile(Random r, long t) {
            tileViews++;
            String key = "kds-" + shopCodes[r.nextInt(SHOPS)] + "-s" + r.nextInt(12);
            if (tiles.get(key) == null) tiles.put(key, new DisplayTile(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static KitchenService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(127_060_001);
        KitchenService svc = new KitchenService();
        SERVICE = svc;
        String[] cities = {"Sapporo", "Fukuoka", "Kyoto", "London", "Leeds", "Glasgow", "Lyon", "Lisbon"};
        for (int i = 0; i < SHOPS; i++) {
            double[] bowls = new double[72];
            for (int k = 0; k < bowls.length; k++) bowls[k] = rnd.nextDouble() * 120;
            svc.shopCodes[i] = "RS" + (700 + i * 4);
            SHOPS_BY_CODE.put(svc.shopCodes[i], new Shop(svc.shopCodes[i], "Ramen-ya " + i, cities[i % cities.length], bowls));
        }
        for (int i = 0; i < MENU; i++) {
            svc.skus[i] = "RM" + (10_000 + i);
            svc.menu.put(svc.skus[i], new MenuItem(svc.skus[i], "Bowl " + i, BROTHS[rnd.nextInt(BROTHS.length)], 900 + rnd.nextInt(900), new byte[100 + rnd.nextInt(100)]));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerIds[i] = "RC" + (3_300_000 + i * 9);
            svc.customers.put(svc.customerIds[i], new Customer(svc.customerIds[i], "Customer " + i, svc.shopCodes[rnd.nextInt(SHOPS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        svc.shutdown.thenRun(() -> svc.flushedAtShutdown++); // the one shutdown callback: flush the receipt printers
        Random traffic = new Random(127_060_002);
        long events = HOURS * HOUR / EVENT_EVERY;
        long nextBatch = start + BATCH_EVERY, nextHandoff = start + MINUTE;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            while (nextBatch <= t) { svc.finishBatch(nextBatch); nextBatch += BATCH_EVERY; }
            while (nextHandoff <= t) { svc.handOff(nextHandoff); nextHandoff += MINUTE; }
            if (traffic.nextInt(100) < 55) svc.order(traffic, t);
            else svc.viewTile(traffic, t);
        }
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

    static void report() {
        KitchenService svc = SERVICE;
        System.gc(); // the served orders' topping sets are collected
        svc.toppings.purge(); // as the next batch would
        int cleared = 0;
        for (WeakReference<ToppingSet> ref : svc.toppings.sets.values()) if (ref.get() == null) cleared++;
        int waiting = svc.batchReady.getNumberOfDependents();
        System.out.println("shops " + SHOPS_BY_CODE.size() + " menu " + svc.menu.size() + " customers " + svc.customers.size() + " orders " + svc.orders + " batches " + svc.batches
                + " served " + svc.bowlsServed + " waiting for the batch " + waiting + " shutdown callbacks " + svc.shutdown.getNumberOfDependents()
                + " topping sets " + svc.toppings.sets.size() + " (cleared " + cleared + ", lookups " + svc.toppings.lookups + ")"
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.receiptBuffers.size() + " handoffs " + svc.handoffsQueued + "/" + svc.handoffsDone + " backlog " + svc.handoffs.size());
        check(SHOPS_BY_CODE.size() == SHOPS && svc.menu.size() == MENU && svc.customers.size() == CUSTOMERS, "reference data / directories");
        check(svc.batches == HOURS * 5L - 1 && svc.orders == svc.bowlsServed + waiting, "every order served or waiting for the current batch");
        check(svc.shutdown.getNumberOfDependents() == 1 && !svc.shutdown.isDone(), "one shutdown callback");
        check(cleared == 0 && svc.toppings.sets.size() == 429, "topping sets purged: " + svc.toppings.sets.size());
        check(svc.orders == 39_822 && waiting == 787, "orders: " + svc.orders + " waiting " + waiting);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.served[RING - 1] != null, "ring full");
        check(svc.handoffs.size() == svc.handoffsQueued - svc.handoffsDone, "handoff backlog");
    }
}
