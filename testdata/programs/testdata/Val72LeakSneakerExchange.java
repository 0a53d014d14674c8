// hprofscan-dump: name=val72-leak-sneakerexchange-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val72-leak-sneakerexchange-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val72-leak-sneakerexchange jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val72-leak-sneakerexchange-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 72 (written blind), LEAK: the order-matching engine of a sneaker resale exchange.
 * Sneaker-model reference data, the listing directory (style + size), a cache of rendered
 * market-data snapshots at its cap, a pool of FIX decode buffers, a ring of recent trades, the index
 * of live resting orders, and one order book per traded listing: price levels (TreeMap) each with a
 * FIFO queue of orders. Cancelling an order only sets its `cancelled` flag (and takes it out of the
 * live index): the order stays in its price level's queue, matching skips it, and nothing ever
 * compacts the queues, so every cancelled order since start stays in the books. See VALIDATION72.md.
 */
public final class Val72LeakSneakerExchange {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 100L;
    static final int MODELS = 1_200, LISTINGS = 24_000, TRADED = 60, SNAPSHOT_CAP = 2_000, POOL = 8, TRADE_RING = 4_096, ORDERS_PER_HOUR = 6_000;
    static boolean FIXED;

    record SneakerModel(String styleCode, String brand, double[] resaleHistory) {}
    record Listing(String symbol, String styleCode, String size, byte[] authenticationRecord, long listedAt) {}
    record Snapshot(String key, byte[] rendered, long at) {}
    record Trade(long id, String symbol, long priceCents, int qty, String buyer, String seller, long at) {}

    static final class Order {
        final long id; final String symbol, traderId, clientOrderId; final boolean buy; final long priceCents, placedAt; final int qty;
        int remaining; boolean cancelled; final byte[] fixMessage;
        Order(long id, String symbol, String traderId, String clientOrderId, boolean buy, long priceCents, int qty, long placedAt, byte[] fixMessage) {
            this.id = id; this.symbol = symbol; this.traderId = traderId; this.clientOrderId = clientOrderId; this.buy = buy; this.priceCents = priceCents; this.qty = qty; this.remaining = qty; this.placedAt = placedAt; this.fixMessage = fixMessage;
        }
    }

    static final class PriceLevel {
        final long priceCents; final ArrayDeque<Order> queue = new ArrayDeque<>(); int live;
        PriceLevel(long priceCents) { this.priceCents = priceCents; }
    }

    static final class OrderBook {
        final String symbol;
        final TreeMap<Long, PriceLevel> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, PriceLevel> asks = new TreeMap<>();
        OrderBook(String symbol) { this.symbol = symbol; }
        TreeMap<Long, PriceLevel> side(boolean buy) { return buy ? bids : asks; }
        /** Best price with at least one live order on that side, or -1. */
        long best(boolean buy) {
            for (PriceLevel l : side(buy).values()) if (l.live > 0) return l.priceCents;
            return -1;
        }
    }

    static final class SnapshotCache extends LinkedHashMap<String, Snapshot> {
        long evicted;
        SnapshotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Snapshot> e) { if (size() > SNAPSHOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SneakerModel> MODELS_BY_STYLE = new HashMap<>();

    static final class MatchingEngine {
        final Map<String, Listing> listings = new HashMap<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<Long, Order> liveOrders = new HashMap<>();
        final SnapshotCache snapshots = new SnapshotCache();
        final ArrayDeque<byte[]> fixBuffers = new ArrayDeque<>();
        final Trade[] recentTrades = new Trade[TRADE_RING];
        long trades, placed, rested, cancelled, filledMakers, levelsRemoved;

        /** Rests a passive limit order at the back of its price level. */
        void rest(Order o) {
            OrderBook b = books.get(o.symbol);
            PriceLevel l = b.side(o.buy).computeIfAbsent(o.priceCents, PriceLevel::new);
            l.queue.addLast(o);
            l.live++;
            liveOrders.put(o.id, o);
            rested++;
        }

        /** Immediate-or-cancel order: matches against the opposite side, the remainder is dropped. */
        void take(Order o, long at) {
            OrderBook b = books.get(o.symbol);
            TreeMap<Long, PriceLevel> opposite = b.side(!o.buy);
            Iterator<PriceLevel> levels = opposite.values().iterator();
            while (o.remaining > 0 && levels.hasNext()) {
                PriceLevel l = levels.next();
                if (o.buy ? l.priceCents > o.priceCents : l.priceCents < o.priceCents) break;
                if (l.live == 0) continue;
                Iterator<Order> it = l.queue.iterator();
                while (o.remaining > 0 && it.hasNext()) {
                    Order maker = it.next();
                    if (maker.cancelled) continue; // skipped; BUG: left in the queue, never compacted
                    int q = Math.min(o.remaining, maker.remaining);
                    o.remaining -= q; maker.remaining -= q;
                    recentTrades[(int) (trades % TRADE_RING)] = new Trade(trades, o.symbol, l.priceCents, q, o.buy ? o.traderId : maker.traderId, o.buy ? maker.traderId : o.traderId, at);
                    trades++;
                    if (maker.remaining == 0) { it.remove(); l.live--; liveOrders.remove(maker.id); filledMakers++; }
                }
                if (l.queue.isEmpty()) { levels.remove(); levelsRemoved++; }
            }
        }

        boolean cancel(long orderId) {
            Order o = liveOrders.remove(orderId);
            if (o == null) return false; // already filled
            o.cancelled = true;
            cancelled++;
            TreeMap<Long, PriceLevel> side = books.get(o.symbol).side(o.buy);
            PriceLevel l = side.get(o.priceCents);
            l.live--;
            if (FIXED) { // remove it from the queue and drop the level when it is empty
                l.queue.remove(o);
                if (l.queue.isEmpty()) { side.remove(o.priceCents); levelsRemoved++; }
            }
            // BUG: only flagged; it stays in l.queue
            return true;
        }
    }

    static MatchingEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val72.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        MatchingEngine svc = new MatchingEngine();
        SERVICE = svc;
        int orders = ORDERS_PER_HOUR * hours;
        String summary = simulate(svc, start, end, now, orders);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " " + summary);
        check(MODELS_BY_STYLE.size() == MODELS && svc.listings.size() == LISTINGS && svc.books.size() == TRADED, "reference data / directory");
        check(svc.placed == orders, "orders placed");
        long queued = 0, queuedCancelled = 0, live = 0;
        for (OrderBook b : svc.books.values())
            for (TreeMap<Long, PriceLevel> side : java.util.List.of(b.bids, b.asks))
                for (PriceLevel l : side.values()) {
                    int lc = 0;
                    for (Order o : l.queue) { queued++; if (o.cancelled) queuedCancelled++; else lc++; }
                    check(lc == l.live, "level live count");
                    live += lc;
                }
        check(live == svc.liveOrders.size(), "live orders in the books: " + live + " vs " + svc.liveOrders.size());
        if (FIXED) check(queuedCancelled == 0, "no cancelled order left in the queues");
        else check(queuedCancelled == svc.cancelled, "every cancelled order still queued: " + queuedCancelled + " of " + svc.cancelled);
        System.out.println("queued " + queued + " (cancelled " + queuedCancelled + ", live " + live + ")");
        check(svc.snapshots.size() == SNAPSHOT_CAP && svc.snapshots.evicted > 0, "snapshot cache at cap");
        check(svc.fixBuffers.size() == POOL, "pool");
        check(svc.trades > TRADE_RING && svc.recentTrades[TRADE_RING - 1] != null, "trade ring wraps");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String simulate(MatchingEngine svc, long start, long end, long now, int orders) {
        Random rnd = new Random(72_010_001);
        String[] brands = {"Nike", "Adidas", "New Balance", "Asics", "Jordan", "Yeezy", "Puma", "Salomon"};
        String[] styles = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] hist = new double[64];
            for (int k = 0; k < hist.length; k++) hist[k] = 80 + rnd.nextDouble() * 400;
            styles[m] = "ST-" + (410_000 + m * 13);
            MODELS_BY_STYLE.put(styles[m], new SneakerModel(styles[m], brands[m % brands.length], hist));
        }
        String[] symbols = new String[LISTINGS];
        for (int i = 0; i < LISTINGS; i++) {
            String style = styles[i % MODELS];
            String size = "US" + (4 + (i / MODELS) % 20 / 2.0);
            symbols[i] = style + "-" + size;
            svc.listings.put(symbols[i], new Listing(symbols[i], style, size, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        String[] traded = new String[TRADED];
        long[] anchor = new long[TRADED], mid = new long[TRADED];
        for (int k = 0; k < TRADED; k++) {
            traded[k] = symbols[k * 397 % LISTINGS];
            svc.books.put(traded[k], new OrderBook(traded[k]));
            anchor[k] = mid[k] = (120 + rnd.nextInt(400)) * TICK;
        }
        for (int b = 0; b < POOL; b++) svc.fixBuffers.add(new byte[32_768]);
        String[] traders = new String[900];
        for (int t = 0; t < traders.length; t++) traders[t] = "TR-" + (20_000 + t);
        Random traffic = new Random(72_010_002);
        PriorityQueue<long[]> cancelPlan = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int maxLive = 0;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            while (!cancelPlan.isEmpty() && cancelPlan.peek()[0] <= t) svc.cancel(cancelPlan.poll()[1]);
            int k = traffic.nextInt(TRADED);
            mid[k] = Math.max(anchor[k] - 25 * TICK, Math.min(anchor[k] + 25 * TICK, mid[k] + (traffic.nextInt(3) - 1) * TICK));
            boolean buy = traffic.nextBoolean();
            boolean marketable = traffic.nextInt(10) < 3;
            OrderBook book = svc.books.get(traded[k]);
            long price;
            if (marketable) {
                long bestOpp = book.best(!buy);
                price = bestOpp < 0 ? mid[k] : bestOpp + (buy ? 1 : -1) * traffic.nextInt(3) * TICK;
            } else {
                price = mid[k] + (buy ? -1 : 1) * (1 + traffic.nextInt(8)) * TICK;
            }
            long id = 88_000_000L + i;
            Order o = new Order(id, traded[k], traders[traffic.nextInt(traders.length)], "CL-" + Long.toHexString(0x5a000000L + traffic.nextInt(0x0fffffff)), buy, price, 1 + traffic.nextInt(3), t,
                    new byte[60 + traffic.nextInt(60)]);
            svc.placed++;
            byte[] buf = svc.fixBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.fixBuffers.add(buf);
            if (marketable) svc.take(o, t);
            else {
                svc.rest(o);
                // market makers cancel a quote they no longer want 2-20 minutes later, unless it was filled
                cancelPlan.add(new long[] {t + (2 + traffic.nextInt(19)) * MINUTE, id});
            }
            maxLive = Math.max(maxLive, svc.liveOrders.size());
            String key = "md-" + traffic.nextInt(4_000);
            if (svc.snapshots.get(key) == null) svc.snapshots.put(key, new Snapshot(key, new byte[400 + traffic.nextInt(400)], t));
        }
        long levels = 0;
        for (OrderBook b : svc.books.values()) levels += b.bids.size() + b.asks.size();
        return "models " + MODELS_BY_STYLE.size() + " listings " + svc.listings.size() + " books " + svc.books.size() + " levels " + levels + " placed " + svc.placed + " rested " + svc.rested + " cancelled " + svc.cancelled
                + " filled makers " + svc.filledMakers + " live " + svc.liveOrders.size() + " (max " + maxLive + ", cancels still planned " + cancelPlan.size() + ") trades " + svc.trades + " levels removed " + svc.levelsRemoved
                + " snapshots " + svc.snapshots.size() + " (evicted " + svc.snapshots.evicted + ") pool " + svc.fixBuffers.size();
    }
}
