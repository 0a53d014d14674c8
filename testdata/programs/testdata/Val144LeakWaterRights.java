// hprofscan-dump: name=val144-leak-waterrights jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val144-leak-waterrights-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 144 (written blind), LEAK: the water-rights exchange of an irrigation district.
 * Each tradeable product (trading zone x product x season: 200 of them) is an event-sourced order
 * book aggregate that keeps its full {@code List<BookEvent>} in memory and rebuilds from its last
 * snapshot plus those events. Snapshotting is configured (every 500 events), but the threshold
 * check compares the journal writer's unflushed-event counter (reset by every flush, every 16
 * events) instead of the events since the last snapshot, so it never fires and each long-lived
 * book holds every event since the exchange started. Beside it: zone reference data, the licence
 * register, trader accounts, a confirmation cache at its cap, a pool of report buffers, the trade
 * tape ring and the registry settlement queue with its normal backlog. See VALIDATION144.md.
 */
public final class Val144LeakWaterRights {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ZONES = 25, PRODUCTS = 4, SEASONS = 2, LICENCES = 8_000, TRADERS = 3_000, CONFIRM_CAP = 1_500, POOL = 8, RING = 8_192, HOURS = 10,
            COMMANDS_PER_MINUTE = 300, SNAPSHOT_EVERY = 500, FLUSH_EVERY = 16, MAX_RESTING = 30, CONFIRM_VIEWS_PER_MINUTE = 8;
    static final long SETTLE_DELAY = 20 * MINUTE;
    static final String[] PRODUCT_NAMES = {"high-security-entitlement", "general-security-entitlement", "seasonal-allocation", "carryover"};
    static final String[] SEASON_NAMES = {"2024-25", "2025-26"};
    static final String[] CANCEL_REASONS = {"trader", "price-moved", "licence-suspended", "end-of-session"};
    static boolean FIXED;

    record Zone(String code, String river, double[] allocationPercentByFortnight, int[] trancheMegalitres) {}
    record Licence(String licenceNo, String holder, String zone, int shareComponent, byte[] conditions, long issuedAt) {}
    record Trader(String traderId, String name, String broker, long creditLimitCents, byte[] kyc) {}
    record Confirmation(String tradeId, byte[] pdf, long at) {}
    record TapeEntry(String bookKey, long tradeId, int priceCents, int megalitres, long at) {}
    record Settlement(long tradeId, String bookKey, String buyer, String seller, int megalitres, long at) {}

    /** An event of an order book aggregate. */
    abstract static class BookEvent {
        final int seq; final long at;
        BookEvent(int seq, long at) { this.seq = seq; this.at = at; }
    }
    static final class OrderPlaced extends BookEvent {
        final long orderId; final int priceCents, megalitres; final boolean bid; final String traderId;
        OrderPlaced(int seq, long at, long orderId, int priceCents, int megalitres, boolean bid, String traderId) {
            super(seq, at); this.orderId = orderId; this.priceCents = priceCents; this.megalitres = megalitres; this.bid = bid; this.traderId = traderId;
        }
    }
    static final class TradeExecuted extends BookEvent {
        final long buyOrderId, sellOrderId; final int priceCents, megalitres;
        TradeExecuted(int seq, long at, long buyOrderId, long sellOrderId, int priceCents, int megalitres) {
            super(seq, at); this.buyOrderId = buyOrderId; this.sellOrderId = sellOrderId; this.priceCents = priceCents; this.megalitres = megalitres;
        }
    }
    static final class OrderCancelled extends BookEvent {
        final long orderId; final String reason;
        OrderCancelled(int seq, long at, long orderId, String reason) { super(seq, at); this.orderId = orderId; this.reason = reason; }
    }
    static final class OrderExpired extends BookEvent {
        final long orderId;
        OrderExpired(int seq, long at, long orderId) { super(seq, at); this.orderId = orderId; }
    }

    /** A resting order of the book's state. */
    static final class RestingOrder {
        final long orderId; final int priceCents; int megalitres; final String traderId; final long placedAt;
        RestingOrder(long orderId, int priceCents, int megalitres, String traderId, long placedAt) {
            this.orderId = orderId; this.priceCents = priceCents; this.megalitres = megalitres; this.traderId = traderId; this.placedAt = placedAt;
        }
    }

    record BookSnapshot(String key, int version, long takenAt, List<RestingOrder> bids, List<RestingOrder> asks, int lastPriceCents, long volume) {}

    /** The aggregate: state (resting orders, last price) plus the events since its last snapshot. */
    static final class OrderBook {
        final String key;
        final List<BookEvent> events = new ArrayList<>();
        final ArrayList<RestingOrder> bids = new ArrayList<>(), asks = new ArrayList<>();
        int version, snapshotVersion, lastPriceCents;
        long volumeMegalitres;
        BookSnapshot snapshot;
        OrderBook(String key) { this.key = key; }
    }

    /** Appends events, flushes them to the durable journal, takes snapshots. */
    static final class BookRepository {
        final Map<String, OrderBook> books = new HashMap<>();
        final Map<String, BookSnapshot> snapshots = new HashMap<>();
        int unflushed;
        long appended, flushes, journalBytes, snapshotsTaken;

        void append(OrderBook b, BookEvent e) {
            b.events.add(e);
            b.version = e.seq;
            appended++;
            if (++unflushed >= FLUSH_EVERY) { flushes++; journalBytes += 48L * unflushed; unflushed = 0; }
            // configured: snapshot every SNAPSHOT_EVERY events
            int sinceSnapshot = FIXED ? b.version - b.snapshotVersion : unflushed; // BUG: the journal writer's counter, reset by every flush
            if (sinceSnapshot >= SNAPSHOT_EVERY) snapshot(b, e.at);
        }

        void snapshot(OrderBook b, long at) {
            BookSnapshot s = new BookSnapshot(b.key, b.version, at, List.copyOf(b.bids), List.copyOf(b.asks), b.lastPriceCents, b.volumeMegalitres);
            b.snapshot = s;
            snapshots.put(b.key, s);
            b.snapshotVersion = b.version;
            b.events.clear(); // replay starts from the snapshot; the journal keeps the history
            snapshotsTaken++;
        }
    }

    static final class ConfirmationCache extends LinkedHashMap<String, Confirmation> {
        long evicted;
        ConfirmationCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Confirmation> e) { if (size() > CONFIRM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class Exchange {
        final BookRepository repository = new BookRepository();
        final String[] bookKeys = new String[ZONES * PRODUCTS * SEASONS];
        final Map<String, Licence> licences = new HashMap<>();
        final Map<String, Trader> traders = new HashMap<>();
        final String[] traderIds = new String[TRADERS];
        final ConfirmationCache confirmations = new ConfirmationCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final TapeEntry[] tape = new TapeEntry[RING];
        final ArrayDeque<Settlement> settlements = new ArrayDeque<>();
        long nextOrderId = 8_000_000, trades, placed, cancelled, expired, settled, views, reports;

        void command(OrderBook b, Random r, long t) {
            BookRepository repo = repository;
            int action = r.nextInt(100);
            if (action < 12 && (!b.bids.isEmpty() || !b.asks.isEmpty())) {
                List<RestingOrder> side = b.asks.isEmpty() || (!b.bids.isEmpty() && r.nextBoolean()) ? b.bids : b.asks;
                RestingOrder o = side.remove(r.nextInt(side.size()));
                repo.append(b, new OrderCancelled(b.version + 1, t, o.orderId, CANCEL_REASONS[r.nextInt(CANCEL_REASONS.length)]));
                cancelled++;
                return;
            }
            boolean bid = r.nextBoolean();
            int mid = 18_000 + Math.floorMod(b.key.hashCode(), 4_000);
            int price = mid + (bid ? -1 : 1) * (r.nextInt(900) - 450);
            int ml = 5 + r.nextInt(200);
            String trader = traderIds[r.nextInt(TRADERS)];
            long id = nextOrderId++;
            repo.append(b, new OrderPlaced(b.version + 1, t, id, price, ml, bid, trader));
            placed++;
            List<RestingOrder> opposite = bid ? b.asks : b.bids;
            for (Iterator<RestingOrder> it = opposite.iterator(); it.hasNext() && ml > 0; ) {
                RestingOrder o = it.next();
                if (bid ? o.priceCents > price : o.priceCents < price) continue;
                int fill = Math.min(ml, o.megalitres);
                repo.append(b, new TradeExecuted(b.version + 1, t, bid ? id : o.orderId, bid ? o.orderId : id, o.priceCents, fill));
                ml -= fill;
                o.megalitres -= fill;
                if (o.megalitres == 0) it.remove();
                b.lastPriceCents = o.priceCents;
                b.volumeMegalitres += fill;
                long tradeId = ++trades;
                tape[(int) (tradeId % RING)] = new TapeEntry(b.key, tradeId, o.priceCents, fill, t);
                settlements.addLast(new Settlement(tradeId, b.key, bid ? trader : o.traderId, bid ? o.traderId : trader, fill, t));
            }
            if (ml > 0) {
                List<RestingOrder> own = bid ? b.bids : b.asks;
                own.add(new RestingOrder(id, price, ml, trader, t));
                if (own.size() > MAX_RESTING) { // good-for-session orders lapse oldest first
                    RestingOrder old = own.remove(0);
                    repo.append(b, new OrderExpired(b.version + 1, t, old.orderId));
                    expired++;
                }
            }
        }

        void settle(long t) {
            while (!settlements.isEmpty() && settlements.peekFirst().at() <= t - SETTLE_DELAY) { settlements.pollFirst(); settled++; }
        }

        void viewConfirmation(Random r, long t) {
            views++;
            long tradeId = trades == 0 ? 0 : 1 + (trades - 1 - r.nextInt((int) Math.min(trades, 6_000)));
            String key = "TC-" + tradeId;
            if (confirmations.get(key) == null) confirmations.put(key, new Confirmation(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = reportBuffers.poll();
            buf[(int) (reports++ % buf.length)] = (byte) key.length();
            reportBuffers.add(buf);
        }
    }

    static Exchange SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(144_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] alloc = new double[26];
            for (int k = 0; k < alloc.length; k++) alloc[k] = rnd.nextDouble() * 100;
            int[] tranches = new int[52];
            for (int k = 0; k < tranches.length; k++) tranches[k] = rnd.nextInt(50_000);
            zoneCodes[z] = "Z" + (z < 9 ? "0" : "") + (z + 1) + (z % 3 == 0 ? "A" : "");
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "River " + (z % 7), alloc, tranches));
        }
        Exchange ex = new Exchange();
        SERVICE = ex;
        int k = 0;
        for (String z : zoneCodes) for (String p : PRODUCT_NAMES) for (String s : SEASON_NAMES) {
            String key = z + "/" + p + "/" + s;
            ex.bookKeys[k++] = key;
            ex.repository.books.put(key, new OrderBook(key));
        }
        for (int l = 0; l < LICENCES; l++) {
            String no = "WAL" + (40_000 + l * 3);
            ex.licences.put(no, new Licence(no, "Holder " + rnd.nextInt(6_000), zoneCodes[rnd.nextInt(ZONES)], 10 + rnd.nextInt(2_000), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(6_000)) * DAY));
        }
        for (int i = 0; i < TRADERS; i++) {
            ex.traderIds[i] = "TR-" + (70_000 + i * 7);
            ex.traders.put(ex.traderIds[i], new Trader(ex.traderIds[i], "Irrigator " + i, "Broker " + (i % 40), 1_000_000L * (1 + rnd.nextInt(500)), new byte[100 + rnd.nextInt(200)]));
        }
        for (int b = 0; b < POOL; b++) ex.reportBuffers.add(new byte[32_768]);

        double[] weight = new double[ex.bookKeys.length];
        double total = 0;
        for (int i = 0; i < weight.length; i++) { weight[i] = 0.8 + (i * 13 % 17) / 40.0; total += weight[i]; }
        Random traffic = new Random(144_030_002), views = new Random(144_030_003);
        for (long t = start; t < end; t += MINUTE) {
            for (int i = 0; i < COMMANDS_PER_MINUTE; i++) {
                double x = traffic.nextDouble() * total;
                int bi = 0;
                while (bi < weight.length - 1 && x >= weight[bi]) { x -= weight[bi]; bi++; }
                OrderBook b = ex.repository.books.get(ex.bookKeys[bi]);
                ex.command(b, traffic, t + i * 200L);
            }
            for (int i = 0; i < CONFIRM_VIEWS_PER_MINUTE; i++) ex.viewConfirmation(views, t + i * 7 * SECOND);
            ex.settle(t + MINUTE - 1);
        }
    }

    static void report() {
        Exchange ex = SERVICE;
        BookRepository repo = ex.repository;
        long held = 0, resting = 0;
        int min = Integer.MAX_VALUE, max = 0;
        Map<String, Integer> byType = new java.util.TreeMap<>();
        for (OrderBook b : repo.books.values()) {
            held += b.events.size();
            min = Math.min(min, b.events.size());
            max = Math.max(max, b.events.size());
            resting += b.bids.size() + b.asks.size();
            for (BookEvent e : b.events) byType.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        }
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " licences " + ex.licences.size() + " traders " + ex.traders.size() + " books " + repo.books.size()
                + " events appended " + repo.appended + " held " + held + " (min " + min + ", max " + max + ") " + byType + " snapshots taken " + repo.snapshotsTaken + " in map " + repo.snapshots.size()
                + " flushes " + repo.flushes + " resting " + resting + " placed " + ex.placed + " trades " + ex.trades + " cancelled " + ex.cancelled + " expired " + ex.expired
                + " confirmations " + ex.confirmations.size() + " (evicted " + ex.confirmations.evicted + ") pool " + ex.reportBuffers.size()
                + " settlement backlog " + ex.settlements.size() + " (settled " + ex.settled + ")");
        check(ZONES_BY_CODE.size() == ZONES && ex.licences.size() == LICENCES && ex.traders.size() == TRADERS && repo.books.size() == 200, "reference data / directories");
        check(repo.appended == EXPECTED[0] && ex.placed + ex.trades + ex.cancelled + ex.expired == repo.appended, "events appended " + repo.appended);
        check(held == (FIXED ? EXPECTED[1] : repo.appended) && repo.snapshotsTaken == (FIXED ? EXPECTED[2] : 0), "events held " + held + " snapshots " + repo.snapshotsTaken);
        check(min == (FIXED ? EXPECTED[3] : EXPECTED[4]) && max == (FIXED ? EXPECTED[5] : EXPECTED[6]), "min / max " + min + " / " + max);
        check(ex.trades == EXPECTED[7] && resting == EXPECTED[8], "trades / resting " + ex.trades + " / " + resting);
        check(ex.confirmations.size() == CONFIRM_CAP && ex.confirmations.evicted == EXPECTED[9], "confirmation cache " + ex.confirmations.evicted);
        check(ex.reportBuffers.size() == POOL && ex.tape[RING - 1] != null, "pool / tape");
        check(ex.settlements.size() == EXPECTED[10], "settlement backlog " + ex.settlements.size());
    }

    /** Appended, held with the fix, snapshots with the fix, min / max held with the fix, min / max held, trades, resting, confirmations evicted, settlement backlog. */
    static final long[] EXPECTED = {310_475, 51_975, 517, 1, 1_175, 499, 1_993, 127_690, 5_759, 3_210, 4_300};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val144.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
