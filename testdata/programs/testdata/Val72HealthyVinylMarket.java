// hprofscan-dump: name=val72-healthy-vinylmarket-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val72-healthy-vinylmarket-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val72-healthy-vinylmarket jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val72-healthy-vinylmarket-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 72 (written blind), HEALTHY: the trading engine of a marketplace for collectible
 * vinyl records. Record-label reference data, the release directory (by catalogue number), a cache
 * of rendered listing pages at its cap, a pool of sleeve-print buffers, a ring of recent trades,
 * per-route hit counters keyed by the route template, and one order book per traded pressing: price
 * levels each with a FIFO queue of orders. A cancel takes the order out of its level's queue and
 * drops the level when it is empty, so the books hold only live orders. See VALIDATION72.md.
 */
public final class Val72HealthyVinylMarket {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 100L;
    static final int LABELS = 1_500, RELEASES = 25_000, TRADED = 60, PAGE_CAP = 2_000, POOL = 8, TRADE_RING = 8_192, ORDERS_PER_HOUR = 6_000;

    record RecordLabel(String code, String country, double[] salesByWeek) {}
    record Release(String catalogueNumber, String labelCode, String title, byte[] matrixNotes, long releasedAt) {}
    record ListingPage(String key, byte[] rendered, long at) {}
    record Trade(long id, String pressing, long priceCents, int qty, String buyer, String seller, long at) {}

    static final class Order {
        final long id; final String pressing, traderId, clientOrderId; final boolean buy; final long priceCents, placedAt; final int qty;
        int remaining; final byte[] gradingNotes;
        Order(long id, String pressing, String traderId, String clientOrderId, boolean buy, long priceCents, int qty, long placedAt, byte[] gradingNotes) {
            this.id = id; this.pressing = pressing; this.traderId = traderId; this.clientOrderId = clientOrderId; this.buy = buy; this.priceCents = priceCents; this.qty = qty; this.remaining = qty; this.placedAt = placedAt; this.gradingNotes = gradingNotes;
        }
    }

    static final class PriceLevel {
        final long priceCents; final ArrayDeque<Order> queue = new ArrayDeque<>();
        PriceLevel(long priceCents) { this.priceCents = priceCents; }
    }

    static final class OrderBook {
        final String pressing;
        final TreeMap<Long, PriceLevel> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, PriceLevel> asks = new TreeMap<>();
        OrderBook(String pressing) { this.pressing = pressing; }
        TreeMap<Long, PriceLevel> side(boolean buy) { return buy ? bids : asks; }
        long best(boolean buy) { Map.Entry<Long, PriceLevel> e = side(buy).firstEntry(); return e == null ? -1 : e.getKey(); }
    }

    static final class PageCache extends LinkedHashMap<String, ListingPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ListingPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RecordLabel> LABELS_BY_CODE = new HashMap<>();

    static final class MarketEngine {
        final Map<String, Release> releases = new HashMap<>();
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<Long, Order> liveOrders = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> sleeveBuffers = new ArrayDeque<>();
        final Trade[] recentTrades = new Trade[TRADE_RING];
        final ConcurrentHashMap<String, LongAdder> hitsByRoute = new ConcurrentHashMap<>();
        long trades, placed, rested, cancelled, filledMakers;

        void rest(Order o) {
            books.get(o.pressing).side(o.buy).computeIfAbsent(o.priceCents, PriceLevel::new).queue.addLast(o);
            liveOrders.put(o.id, o);
            rested++;
        }

        void take(Order o, long at) {
            Iterator<PriceLevel> levels = books.get(o.pressing).side(!o.buy).values().iterator();
            while (o.remaining > 0 && levels.hasNext()) {
                PriceLevel l = levels.next();
                if (o.buy ? l.priceCents > o.priceCents : l.priceCents < o.priceCents) break;
                while (o.remaining > 0 && !l.queue.isEmpty()) {
                    Order maker = l.queue.peekFirst();
                    int q = Math.min(o.remaining, maker.remaining);
                    o.remaining -= q; maker.remaining -= q;
                    recentTrades[(int) (trades % TRADE_RING)] = new Trade(trades, o.pressing, l.priceCents, q, o.buy ? o.traderId : maker.traderId, o.buy ? maker.traderId : o.traderId, at);
                    trades++;
                    if (maker.remaining == 0) { l.queue.pollFirst(); liveOrders.remove(maker.id); filledMakers++; }
                }
                if (l.queue.isEmpty()) levels.remove();
            }
        }

        boolean cancel(long orderId) {
            Order o = liveOrders.remove(orderId);
            if (o == null) return false;
            TreeMap<Long, PriceLevel> side = books.get(o.pressing).side(o.buy);
            PriceLevel l = side.get(o.priceCents);
            l.queue.remove(o);
            if (l.queue.isEmpty()) side.remove(o.priceCents);
            cancelled++;
            return true;
        }
    }

    static MarketEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] ROUTES = {"GET /release/{catno}", "GET /pressing/{id}/book", "POST /order", "DELETE /order/{id}", "GET /trades/{id}", "GET /label/{code}", "GET /search", "GET /wantlist"};

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        MarketEngine svc = new MarketEngine();
        SERVICE = svc;
        int orders = ORDERS_PER_HOUR * hours;
        System.out.println("stage " + stage + " " + simulate(svc, start, end, now, orders));
        check(LABELS_BY_CODE.size() == LABELS && svc.releases.size() == RELEASES && svc.books.size() == TRADED, "reference data / directory");
        check(svc.placed == orders, "orders placed");
        long queued = 0, levels = 0;
        for (OrderBook b : svc.books.values())
            for (TreeMap<Long, PriceLevel> side : java.util.List.of(b.bids, b.asks))
                for (PriceLevel l : side.values()) { levels++; check(!l.queue.isEmpty(), "no empty level"); queued += l.queue.size(); }
        check(queued == svc.liveOrders.size() && queued < 1_000, "only live orders in the books: " + queued);
        System.out.println("queued " + queued + " in " + levels + " levels");
        long hits = 0;
        for (LongAdder a : svc.hitsByRoute.values()) hits += a.sum();
        check(svc.hitsByRoute.size() == ROUTES.length && hits == orders, "route counters");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.sleeveBuffers.size() == POOL, "pool");
        check(svc.trades > 0 && (svc.trades < TRADE_RING) == (svc.recentTrades[TRADE_RING - 1] == null), "trade ring");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String simulate(MarketEngine svc, long start, long end, long now, int orders) {
        Random rnd = new Random(72_050_001);
        String[] labelCodes = new String[LABELS];
        for (int l = 0; l < LABELS; l++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = rnd.nextDouble() * 500;
            labelCodes[l] = "LBL-" + (2_000 + l);
            LABELS_BY_CODE.put(labelCodes[l], new RecordLabel(labelCodes[l], "C" + (l % 40), s));
        }
        String[] catnos = new String[RELEASES];
        for (int r = 0; r < RELEASES; r++) {
            catnos[r] = "CAT-" + (300_000 + r * 17);
            svc.releases.put(catnos[r], new Release(catnos[r], labelCodes[rnd.nextInt(LABELS)], "Release " + r, new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(20_000)) * 24 * HOUR));
        }
        String[] traded = new String[TRADED];
        long[] anchor = new long[TRADED], mid = new long[TRADED];
        for (int k = 0; k < TRADED; k++) {
            traded[k] = catnos[k * 401 % RELEASES] + "/p" + (1 + k % 3);
            svc.books.put(traded[k], new OrderBook(traded[k]));
            anchor[k] = mid[k] = (40 + rnd.nextInt(300)) * TICK;
        }
        for (int b = 0; b < POOL; b++) svc.sleeveBuffers.add(new byte[32_768]);
        String[] traders = new String[900];
        for (int t = 0; t < traders.length; t++) traders[t] = "VM-" + (50_000 + t);
        Random traffic = new Random(72_050_002);
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
            long id = 91_000_000L + i;
            Order o = new Order(id, traded[k], traders[traffic.nextInt(traders.length)], "VC-" + Long.toHexString(0x4b000000L + traffic.nextInt(0x0fffffff)), buy, price, 1 + traffic.nextInt(3), t,
                    new byte[60 + traffic.nextInt(60)]);
            svc.placed++;
            svc.hitsByRoute.computeIfAbsent(ROUTES[marketable ? 2 : traffic.nextInt(ROUTES.length)], r -> new LongAdder()).increment();
            byte[] buf = svc.sleeveBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.sleeveBuffers.add(buf);
            if (marketable) svc.take(o, t);
            else {
                svc.rest(o);
                cancelPlan.add(new long[] {t + (2 + traffic.nextInt(19)) * MINUTE, id});
            }
            maxLive = Math.max(maxLive, svc.liveOrders.size());
            String key = "page-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ListingPage(key, new byte[600 + traffic.nextInt(600)], t));
        }
        return "labels " + LABELS_BY_CODE.size() + " releases " + svc.releases.size() + " books " + svc.books.size() + " placed " + svc.placed + " rested " + svc.rested + " cancelled " + svc.cancelled
                + " filled makers " + svc.filledMakers + " live " + svc.liveOrders.size() + " (max " + maxLive + ", cancels still planned " + cancelPlan.size() + ") trades " + svc.trades
                + " routes " + svc.hitsByRoute.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.sleeveBuffers.size();
    }
}
