// hprofscan-dump: name=val7-healthy-exchange jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val7-healthy-exchange-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 7 (written blind), HEALTHY: an equities order gateway that has run for 5 trading
 * days. It holds the instrument master loaded at startup, a book of open good-till-cancelled
 * orders whose creation times span all 5 days (legitimate: orders leave the book when filled or
 * cancelled), a last-quote LRU at capacity, FIX sessions that expire on missed heartbeats, a ring
 * buffer of recent execution reports, a 64 KiB scratch buffer per matching thread, metrics and
 * config. See testdata/VALIDATION7.md.
 */
public final class Val7HealthyExchange {
    static final int INSTRUMENTS = 12_000;
    static final int ORDERS_PLACED = 100_000;
    static final int QUOTE_CAP = 4_000;
    static final int EXEC_RING = 8_192;
    static final int MATCHERS = 6;
    static final long DAY = 86_400_000L;
    static final long SIM_MILLIS = 5 * DAY;
    static final long HEARTBEAT_TIMEOUT = 90_000L;

    static OrderGateway RUNNING;

    static final class Instrument {
        final String symbol; final String isin; final String mic; final String currency; final int lotSize; final long tickSizeNanos;
        final long[] priceBandsMicros = new long[6]; final long listedAt;
        Instrument(String symbol, String isin, String mic, String currency, int lotSize, long tickSizeNanos, long listedAt) {
            this.symbol = symbol; this.isin = isin; this.mic = mic; this.currency = currency; this.lotSize = lotSize; this.tickSizeNanos = tickSizeNanos; this.listedAt = listedAt;
        }
    }

    /** Reference data: the instrument master, loaded once at startup from the exchange's file. */
    static final class InstrumentMaster {
        static final Map<String, Instrument> BY_SYMBOL = new HashMap<>(INSTRUMENTS * 2);
    }

    static final class Order {
        final long orderId; final String clOrdId; final String account; final Instrument instrument; final char side; final long limitMicros;
        int leavesQty; int cumQty; final long createdAt; long updatedAt; final String timeInForce;
        Order(long orderId, String clOrdId, String account, Instrument instrument, char side, long limitMicros, int qty, long createdAt, String tif) {
            this.orderId = orderId; this.clOrdId = clOrdId; this.account = account; this.instrument = instrument; this.side = side; this.limitMicros = limitMicros;
            this.leavesQty = qty; this.createdAt = createdAt; this.updatedAt = createdAt; this.timeInForce = tif;
        }
    }

    /** Open orders; an order leaves the book when it is filled or cancelled. GTC orders stay for days. */
    static final class OrderBook {
        final Map<Long, Order> openOrders = new HashMap<>();
        long filled; long cancelled;
    }

    static final class Quote {
        final String symbol; final long bidMicros; final long askMicros; final int bidSize; final int askSize; final long quotedAt;
        Quote(String symbol, long bidMicros, long askMicros, int bidSize, int askSize, long quotedAt) {
            this.symbol = symbol; this.bidMicros = bidMicros; this.askMicros = askMicros; this.bidSize = bidSize; this.askSize = askSize; this.quotedAt = quotedAt;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        final int maxEntries;
        QuoteCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { return size() > maxEntries; }
    }

    static final class FixSession {
        final String senderCompId; final String targetCompId; final long loggedOnAt; long lastHeartbeatAt; int inSeqNum; int outSeqNum;
        final byte[] resendBuffer = new byte[2048];
        FixSession(String sender, String target, long loggedOnAt) { this.senderCompId = sender; this.targetCompId = target; this.loggedOnAt = loggedOnAt; this.lastHeartbeatAt = loggedOnAt; }
    }

    static final class FixSessionManager {
        final Map<String, FixSession> sessions = new ConcurrentHashMap<>();
        long timedOut;
        void expire(long now) {
            for (Iterator<FixSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastHeartbeatAt > HEARTBEAT_TIMEOUT) { it.remove(); timedOut++; }
            }
        }
    }

    static final class ExecReport {
        long execId; long orderId; int lastQty; long lastPxMicros; long transactTime;
    }

    /** Fixed-size ring of the most recent execution reports (for drop-copy replay). */
    static final class ExecRing {
        final ExecReport[] slots = new ExecReport[EXEC_RING];
        long written;
        ExecRing() { for (int i = 0; i < EXEC_RING; i++) slots[i] = new ExecReport(); }
        void add(long execId, long orderId, int qty, long px, long t) {
            ExecReport r = slots[(int) (written++ % EXEC_RING)];
            r.execId = execId; r.orderId = orderId; r.lastQty = qty; r.lastPxMicros = px; r.transactTime = t;
        }
    }

    static final class Counter { final String name; long value; final long createdAt; Counter(String name, long createdAt) { this.name = name; this.createdAt = createdAt; } }

    static final class OrderGateway {
        final OrderBook book = new OrderBook();
        final QuoteCache quotes = new QuoteCache(QUOTE_CAP);
        final FixSessionManager fix = new FixSessionManager();
        final ExecRing execs = new ExecRing();
        final Map<String, Counter> metrics = new ConcurrentHashMap<>();
        final Properties config = new Properties();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor matchers = new ThreadPoolExecutor(MATCHERS, MATCHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "matcher-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread encode buffer for outbound FIX messages. */
        static final ThreadLocal<ByteBuffer> ENCODE = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));

        void count(String n, long t) { metrics.computeIfAbsent(n, k -> new Counter(k, t)).value++; }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(7_010_001);
        OrderGateway gw = new OrderGateway();
        RUNNING = gw;
        String[] cfg = {"gateway.maxOrderQty", "gateway.priceCollarBps", "gateway.throttle.msgsPerSec", "fix.heartbeatSecs", "fix.resendWindow", "risk.maxNotional"};
        for (int i = 0; i < 150; i++) gw.config.setProperty(cfg[i % cfg.length] + "." + i, Integer.toString(100 + i * 7));
        String[] mics = {"XNAS", "XNYS", "ARCX", "BATS", "IEXG"};
        String[] symbols = new String[INSTRUMENTS];
        for (int i = 0; i < INSTRUMENTS; i++) {
            String sym = Integer.toString(46_656 + i * 17, 36).toUpperCase();
            symbols[i] = sym;
            Instrument ins = new Instrument(sym, String.format("US%09dX%d", 100_000_000 + i * 31, i % 10), mics[i % mics.length], "USD", 100, 10_000_000L, start - DAY * (30 + i % 3000));
            for (int b = 0; b < 6; b++) ins.priceBandsMicros[b] = 1_000_000L * (5 + rnd.nextInt(500));
            InstrumentMaster.BY_SYMBOL.put(sym, ins);
        }
        CyclicBarrier warm = new CyclicBarrier(MATCHERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < MATCHERS; w++) fs.add(gw.matchers.submit(() -> { OrderGateway.ENCODE.get().put((byte) 1); warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 5 days of order flow: orders are placed, filled or cancelled; about a quarter are GTC and rest.
        String[] firms = new String[300];
        for (int i = 0; i < firms.length; i++) firms[i] = "FIRM" + (1000 + i);
        long execId = 9_000_000_000L;
        long lastExpire = start;
        for (int i = 0; i < ORDERS_PLACED; i++) {
            long t = start + SIM_MILLIS * i / ORDERS_PLACED;
            Instrument ins = InstrumentMaster.BY_SYMBOL.get(symbols[rnd.nextInt(INSTRUMENTS)]);
            String firm = firms[rnd.nextInt(firms.length)];
            long orderId = 5_000_000_000L + i;
            Order o = new Order(orderId, firm + "-" + Long.toString(orderId, 36), firm + "/ACC" + rnd.nextInt(50), ins, rnd.nextBoolean() ? 'B' : 'S',
                    ins.priceBandsMicros[0], 100 * (1 + rnd.nextInt(20)), t, i % 4 == 0 ? "GTC" : "DAY");
            gw.book.openOrders.put(orderId, o);
            gw.count("orders.new", t);
            // Earlier orders get filled or cancelled.
            if (i >= 10) {
                long victim = 5_000_000_000L + i - 1 - rnd.nextInt(Math.min(i, 20_000));
                Order v = gw.book.openOrders.get(victim);
                if (v != null && rnd.nextInt(100) < 80) {
                    gw.book.openOrders.remove(victim);
                    if (rnd.nextBoolean()) { gw.book.filled++; gw.execs.add(execId++, victim, v.leavesQty, v.limitMicros, t); gw.count("orders.filled", t); }
                    else { gw.book.cancelled++; gw.count("orders.cancelled", t); }
                }
            }
            Quote q = new Quote(ins.symbol, ins.priceBandsMicros[1], ins.priceBandsMicros[1] + 10_000, 100 * rnd.nextInt(50), 100 * rnd.nextInt(50), t);
            gw.quotes.put(ins.symbol, q);
            if (i % 200 == 0) { // FIX logons; connected firms send heartbeats
                String sender = firms[rnd.nextInt(firms.length)];
                FixSession s = new FixSession(sender + "-" + (i / 200), "GATEWAY", t);
                gw.fix.sessions.put(s.senderCompId, s);
            }
            if (i % 10 == 0) {
                // A quarter of the counterparties disconnect without a logout after half an hour; their sessions time out.
                for (FixSession s : gw.fix.sessions.values()) {
                    if ((s.senderCompId.hashCode() & 3) == 0 && t - s.loggedOnAt > 1_800_000L) continue;
                    s.lastHeartbeatAt = t; s.inSeqNum++;
                }
            }
            if (t - lastExpire >= 60_000L) { gw.fix.expire(t); lastExpire = t; }
        }
        // At the end of each day the DAY orders expire; the last day's DAY orders are still open.
        long lastOpen = now - DAY;
        gw.book.openOrders.values().removeIf(o -> o.timeInForce.equals("DAY") && o.createdAt < lastOpen);
        for (FixSession s : gw.fix.sessions.values()) s.lastHeartbeatAt = now - rnd.nextInt(30_000);
        int open = gw.book.openOrders.size();
        int gtc = 0; long oldest = now;
        for (Order o : gw.book.openOrders.values()) { if (o.timeInForce.equals("GTC")) gtc++; oldest = Math.min(oldest, o.createdAt); }
        System.out.println("instruments " + InstrumentMaster.BY_SYMBOL.size() + " open orders " + open + " (gtc " + gtc + ", oldest " + (now - oldest) / 3_600_000 + " h)"
                + " quotes " + gw.quotes.size() + " fix sessions " + gw.fix.sessions.size() + " timed out " + gw.fix.timedOut + " execs " + gw.execs.written + " metrics " + gw.metrics.size());
        check(InstrumentMaster.BY_SYMBOL.size() == INSTRUMENTS, "instruments");
        check(gw.quotes.size() == QUOTE_CAP, "quotes");
        check(open > 10_000 && now - oldest > 4 * DAY, "open orders " + open);
        check(gw.execs.written > EXEC_RING, "exec ring");
        check(gw.fix.sessions.size() > 250 && gw.fix.timedOut > 50, "fix sessions");
        check(gw.matchers.getPoolSize() == MATCHERS, "matchers");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
