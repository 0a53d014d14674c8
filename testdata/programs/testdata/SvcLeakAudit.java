// hprofscan-dump: name=svc-leak-audit jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-audit-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Leak #2: a trading back office appends an audit record per order to a static list that is
 * "flushed later" by a job that was never scheduled. The leak (9,000 records) is small beside the
 * static instrument master data (30,000 instruments), a portfolio directory by account number,
 * a hand-written FIFO quote cache at its cap, and a metrics registry. See testdata/SERVICES.md.
 */
public final class SvcLeakAudit {
    static final int INSTRUMENTS = 30_000;
    static final int EXCHANGES = 40;
    static final int ACCOUNTS = 5_000;
    static final int QUOTE_CACHE = 3_000;
    static final int ORDERS = 9_000;
    static final long SIM_HOURS = 9;

    enum Side { BUY, SELL }

    enum AssetClass { EQUITY, BOND, ETF, FUTURE }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Exchange {
        final String mic;
        final String name;
        final String timeZone;

        Exchange(String mic, String name, String timeZone) {
            this.mic = mic;
            this.name = name;
            this.timeZone = timeZone;
        }
    }

    static final class Instrument {
        final String isin;
        final String symbol;
        final String name;
        final AssetClass assetClass;
        final Exchange exchange;
        final BigDecimal tickSize;
        final int lotSize;
        final long loadedAt;

        Instrument(String isin, int i, Exchange exchange, long loadedAt) {
            this.isin = isin;
            this.symbol = "S" + (100_000 + i);
            this.name = "Instrument Holdings " + (100_000 + i);
            this.assetClass = AssetClass.values()[i % 4];
            this.exchange = exchange;
            this.tickSize = i % 2 == 0 ? BigDecimal.valueOf(1, 2) : BigDecimal.valueOf(5, 3);
            this.lotSize = i % 3 == 0 ? 100 : 1;
            this.loadedAt = loadedAt;
        }
    }

    /** Master data, loaded at startup. */
    static final class InstrumentMaster {
        static final Map<String, Instrument> BY_ISIN = new HashMap<>();
        static final List<Exchange> EXCHANGES = new ArrayList<>();

        static void load(long loadedAt) {
            for (int e = 0; e < SvcLeakAudit.EXCHANGES; e++) {
                EXCHANGES.add(new Exchange("X" + (100 + e), "Exchange " + (100 + e), "Europe/City" + e));
            }
            for (int i = 0; i < INSTRUMENTS; i++) {
                String isin = "DE000" + (1_000_000 + i) + "0";
                BY_ISIN.put(isin, new Instrument(isin, i, EXCHANGES.get(i % SvcLeakAudit.EXCHANGES), loadedAt));
            }
        }
    }

    static final class Position {
        final Instrument instrument;
        long quantity;

        Position(Instrument instrument, long quantity) {
            this.instrument = instrument;
            this.quantity = quantity;
        }
    }

    static final class Portfolio {
        final String accountNumber;
        final String owner;
        final List<Position> positions = new ArrayList<>();
        BigDecimal cash;
        final long openedAt;

        Portfolio(String accountNumber, long openedAt) {
            this.accountNumber = accountNumber;
            this.owner = "Owner of " + accountNumber;
            this.cash = BigDecimal.valueOf(1_000_000, 2);
            this.openedAt = openedAt;
        }
    }

    /** Portfolios by account number, loaded on first order. */
    static final class PortfolioDirectory {
        final Map<String, Portfolio> byAccount = new ConcurrentHashMap<>();

        Portfolio get(int k) {
            return byAccount.computeIfAbsent("ACC" + (70_000_000 + k), a -> new Portfolio(a, 1_450_000_000_000L + k * 3_600_000L));
        }
    }

    static final class Quote {
        final String isin;
        final BigDecimal bid;
        final BigDecimal ask;
        final long quotedAt;

        Quote(String isin, BigDecimal bid, BigDecimal ask, long quotedAt) {
            this.isin = isin;
            this.bid = bid;
            this.ask = ask;
            this.quotedAt = quotedAt;
        }
    }

    /** Hand-written FIFO cache: map + insertion queue, evicts beyond maxSize. */
    static final class QuoteCache {
        final int maxSize;
        final ConcurrentHashMap<String, Quote> quotes = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> fifo = new ConcurrentLinkedQueue<>();

        QuoteCache(int maxSize) {
            this.maxSize = maxSize;
        }

        Quote get(String isin, LongSupplier clock, long n) {
            Quote q = quotes.get(isin);
            if (q == null) {
                BigDecimal mid = BigDecimal.valueOf(1_000 + n % 90_000, 2);
                q = new Quote(isin, mid, mid.add(BigDecimal.valueOf(1, 2)), clock.getAsLong());
                quotes.put(isin, q);
                fifo.add(isin);
                while (quotes.size() > maxSize) {
                    quotes.remove(fifo.poll());
                }
            }
            return q;
        }
    }

    static final class AuditRecord {
        final long timestamp;
        final String actor;
        final String action;
        final String orderId;
        final byte[] diff;

        AuditRecord(long timestamp, String actor, String action, String orderId) {
            this.timestamp = timestamp;
            this.actor = actor;
            this.action = action;
            this.orderId = orderId;
            this.diff = new byte[96];
        }
    }

    /** Records waiting for the (never scheduled) flush to the audit database. */
    static final class AuditTrail {
        static final List<AuditRecord> RECORDS = new ArrayList<>();

        static void record(AuditRecord r) {
            RECORDS.add(r);
        }
    }

    static final class Meter {
        final String name;
        final long[] buckets = new long[32];
        long count;

        Meter(String name) {
            this.name = name;
        }
    }

    static final class MetricsRegistry {
        final Map<String, Meter> meters = new ConcurrentHashMap<>();

        void mark(String name, long v) {
            Meter m = meters.computeIfAbsent(name, Meter::new);
            m.buckets[(int) (v % 32)]++;
            m.count++;
        }
    }

    static final class OrderService {
        final SimClock clock;
        final PortfolioDirectory portfolios = new PortfolioDirectory();
        final QuoteCache quotes = new QuoteCache(QUOTE_CACHE);
        final MetricsRegistry metrics = new MetricsRegistry();
        final List<String> isins = new ArrayList<>(InstrumentMaster.BY_ISIN.keySet());

        OrderService(SimClock clock) {
            this.clock = clock;
            isins.sort(null);
        }

        void placeOrder(int n) {
            long now = clock.getAsLong();
            Portfolio p = portfolios.get((n * 3) % ACCOUNTS);
            String isin = isins.get((n * 7) % INSTRUMENTS);
            Quote q = quotes.get(isin, clock, n);
            Side side = n % 2 == 0 ? Side.BUY : Side.SELL;
            if (p.positions.size() < 2) {
                p.positions.add(new Position(InstrumentMaster.BY_ISIN.get(isin), 10));
            }
            String orderId = "ORD-" + (500_000_000L + n);
            AuditTrail.record(new AuditRecord(now, "trader-" + (n % 40), side + " " + q.isin, orderId));
            metrics.mark("orders." + side.name().toLowerCase(), n);
        }
    }

    static OrderService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        InstrumentMaster.load(start);
        SimClock clock = new SimClock(start);
        OrderService s = new OrderService(clock);
        for (int n = 0; n < ORDERS; n++) {
            clock.now = start + (end - start) * (n + 1) / ORDERS;
            s.placeOrder(n);
        }
        if (AuditTrail.RECORDS.size() != ORDERS || s.quotes.quotes.size() != QUOTE_CACHE
                || s.portfolios.byAccount.size() != ACCOUNTS || s.metrics.meters.size() != 2) {
            throw new IllegalStateException("unexpected sizes");
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
