// hprofscan-dump: name=val2-leak-quotes-1 jvm="-Xmx256m" variants=mxbean args="--hours=2"
// hprofscan-dump: name=val2-leak-quotes-2 jvm="-Xmx256m" variants=mxbean args="--hours=4"
// hprofscan-dump: name=val2-leak-quotes jvm="-Xmx256m" variants=mxbean args="--hours=8"
package testdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): an FX/equity request-for-quote (RFQ) service. LEAKING.
 *
 * <p>Leak: every RFQ registers an anonymous {@link QuoteListener} on the long-lived
 * {@link QuoteBus} to stream indicative prices to the client. Only the cancel path unregisters
 * it; a normally completed RFQ leaves its listener (which captures the handler and the whole
 * {@link PriceRequest}, including the raw FIX message) on the bus forever.
 *
 * <p>Healthy: instrument master (reference data), last-quote cache (one entry per traded
 * instrument), client throttles, a capped audit trail, metrics.
 *
 * <p>Usage: {@code Val2LeakQuotes <variant> <out> --hours=N} (20 RFQs per simulated minute).
 */
public final class Val2LeakQuotes {
    static final int INSTRUMENTS = 40_000;
    static final int TRADED = 10_000;
    static final int CLIENTS = 500;
    static final int RFQS_PER_MINUTE = 20;
    static final int AUDIT_CAP = 2_000;
    static final int STARTUP_LISTENERS = 3;
    static final long OPEN = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
    static final String[] SECTORS = {"Financials", "Industrials", "Utilities", "Energy", "Health Care", "Technology"};
    static final String[] MICS = {"XLON", "XPAR", "XETR", "XAMS", "XMIL", "XMAD", "XSWX", "XSTO"};

    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { nowMillis = start; }
        long millis() { return nowMillis; }
        void advance(long ms) { nowMillis += ms; }
    }

    // ------------------------------------------------------------ reference data
    static final class Instrument {
        final String isin; final String ticker; final String name; final String currency; final String mic;
        final BigDecimal tickSize; final int lotSize; final String sector; final String issuerLei;
        Instrument(String isin, String ticker, String name, String currency, String mic, BigDecimal tickSize, int lotSize) {
            this.isin = isin; this.ticker = ticker; this.name = name; this.currency = currency;
            this.sector = SECTORS[Math.abs(isin.hashCode()) % SECTORS.length];
            this.issuerLei = "5493" + Integer.toHexString(isin.hashCode()).toUpperCase() + "00EXAMPLE" + lotSize;
            this.mic = mic; this.tickSize = tickSize; this.lotSize = lotSize;
        }
    }

    static final class InstrumentMaster {
        final Map<String, Instrument> byTicker = new HashMap<>();
        final Map<String, Instrument> byIsin = new HashMap<>();
        void load() {
            BigDecimal[] ticks = {new BigDecimal("0.01"), new BigDecimal("0.005"), new BigDecimal("0.0001")};
            for (int i = 0; i < INSTRUMENTS; i++) {
                String isin = "GB00" + String.format("%07d", i * 7 + 1000) + (i % 10);
                String ticker = "T" + Integer.toString(i, 36).toUpperCase() + "." + MICS[i % MICS.length].substring(1, 3);
                Instrument ins = new Instrument(isin, ticker, "Example Holdings plc series " + i,
                        i % 3 == 0 ? "GBP" : "EUR", MICS[i % MICS.length], ticks[i % 3], i % 2 == 0 ? 1 : 100);
                byTicker.put(ticker, ins);
                byIsin.put(isin, ins);
            }
        }
    }

    // ------------------------------------------------------------ quotes and the bus
    static final class Quote {
        final String ticker; final long bidMicros; final long askMicros; final long publishedAtMillis;
        Quote(String ticker, long bid, long ask, long at) { this.ticker = ticker; bidMicros = bid; askMicros = ask; publishedAtMillis = at; }
    }

    interface QuoteListener { void onQuote(Quote q); }

    /** Long-lived in-process pub/sub for market data. */
    static final class QuoteBus {
        final CopyOnWriteArrayList<QuoteListener> listeners = new CopyOnWriteArrayList<>();
        final LongAdder published = new LongAdder();
        void subscribe(QuoteListener l) { listeners.add(l); }
        void unsubscribe(QuoteListener l) { listeners.remove(l); }
        void publish(Quote q) {
            published.increment();
            for (QuoteListener l : listeners) l.onQuote(q);
        }
    }

    static final class LastQuoteCache implements QuoteListener {
        final ConcurrentHashMap<String, Quote> last = new ConcurrentHashMap<>();
        @Override public void onQuote(Quote q) { last.put(q.ticker, q); }
    }

    static final class MetricsRegistry implements QuoteListener {
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void inc(String n) { counters.computeIfAbsent(n, k -> new LongAdder()).increment(); }
        @Override public void onQuote(Quote q) { inc("quotes.seen"); }
    }

    static final class AuditTrail implements QuoteListener {
        static final class Entry {
            final long atMillis; final String kind; final String ref;
            Entry(long atMillis, String kind, String ref) { this.atMillis = atMillis; this.kind = kind; this.ref = ref; }
        }
        final ArrayDeque<Entry> recent = new ArrayDeque<>();
        final SimClock clock;
        AuditTrail(SimClock clock) { this.clock = clock; }
        void record(String kind, String ref) {
            recent.addLast(new Entry(clock.millis(), kind, ref));
            while (recent.size() > AUDIT_CAP) recent.removeFirst();
        }
        @Override public void onQuote(Quote q) { if (q.bidMicros % 97 == 0) record("QUOTE", q.ticker); }
    }

    // ------------------------------------------------------------ RFQ handling
    static final class PriceRequest {
        final String requestId; final String clientId; final String ticker; final long quantity;
        final long receivedAtMillis; final Map<String, String> fixHeader = new LinkedHashMap<>();
        final byte[] rawFix; final List<Quote> streamed = new ArrayList<>(4);
        volatile boolean done;
        PriceRequest(String requestId, String clientId, String ticker, long quantity, long receivedAtMillis, byte[] rawFix) {
            this.requestId = requestId; this.clientId = clientId; this.ticker = ticker; this.quantity = quantity;
            this.receivedAtMillis = receivedAtMillis; this.rawFix = rawFix;
        }
    }

    static final class ClientThrottle {
        final String clientId; long windowStartMillis; int inWindow; long rejected;
        ClientThrottle(String clientId) { this.clientId = clientId; }
    }

    final class RfqHandler {
        long completed, cancelled;

        void handle(PriceRequest request, boolean clientCancels) {
            QuoteListener stream = new QuoteListener() {
                @Override public void onQuote(Quote q) {
                    if (!request.done && q.ticker.equals(request.ticker)) {
                        request.streamed.add(q);
                        metrics.inc("rfq.streamed");
                    }
                }
            };
            bus.subscribe(stream);
            Quote q = lastQuotes.last.get(request.ticker);
            if (q != null) request.streamed.add(q);
            audit.record("RFQ", request.requestId);
            if (clientCancels) {
                request.done = true;
                bus.unsubscribe(stream);
                cancelled++;
                metrics.inc("rfq.cancelled");
                return;
            }
            // Quote accepted / expired: the request is finished. The stream listener is not removed.
            request.done = true;
            completed++;
            metrics.inc("rfq.completed");
        }
    }

    final SimClock clock = new SimClock(OPEN);
    final InstrumentMaster master = new InstrumentMaster();
    final QuoteBus bus = new QuoteBus();
    final LastQuoteCache lastQuotes = new LastQuoteCache();
    final MetricsRegistry metrics = new MetricsRegistry();
    final AuditTrail audit = new AuditTrail(clock);
    final ConcurrentHashMap<String, ClientThrottle> throttles = new ConcurrentHashMap<>();
    final RfqHandler rfqHandler = new RfqHandler();
    final Random rnd = new Random(42);
    final List<String> tradedTickers = new ArrayList<>();
    long rfqSeq;

    static Val2LeakQuotes service;

    void start() {
        master.load();
        bus.subscribe(lastQuotes);
        bus.subscribe(metrics);
        bus.subscribe(audit);
        for (Instrument ins : master.byIsin.values()) {
            if (tradedTickers.size() < TRADED) tradedTickers.add(ins.ticker);
        }
        for (String t : tradedTickers) { // opening snapshot
            long mid = 1_000_000 + rnd.nextInt(50_000_000);
            lastQuotes.last.put(t, new Quote(t, mid - 500, mid + 500, clock.millis()));
        }
    }

    boolean admit(String clientId) {
        ClientThrottle t = throttles.computeIfAbsent(clientId, ClientThrottle::new);
        if (clock.millis() - t.windowStartMillis >= 60_000) { t.windowStartMillis = clock.millis(); t.inWindow = 0; }
        if (++t.inWindow > 100) { t.rejected++; return false; }
        return true;
    }

    void runMinute() {
        for (int i = 0; i < RFQS_PER_MINUTE; i++) {
            String clientId = "CL" + (rfqSeq % CLIENTS);
            String ticker = tradedTickers.get(rnd.nextInt(TRADED));
            byte[] raw = new byte[256 + rnd.nextInt(64)];
            rnd.nextBytes(raw);
            PriceRequest req = new PriceRequest("RFQ-" + clock.millis() + "-" + rfqSeq, clientId, ticker,
                    (1 + rnd.nextInt(100)) * 100L, clock.millis(), raw);
            req.fixHeader.put("35", "R");
            req.fixHeader.put("49", clientId);
            req.fixHeader.put("56", "RFQGW");
            req.fixHeader.put("52", Instant.ofEpochMilli(clock.millis()).toString());
            rfqSeq++;
            if (admit(clientId)) rfqHandler.handle(req, rfqSeq % 10 == 3);
            clock.advance(60_000 / RFQS_PER_MINUTE);
            if (i % 5 == 0) {
                String t = tradedTickers.get(rnd.nextInt(TRADED));
                long mid = 1_000_000 + rnd.nextInt(50_000_000);
                bus.publish(new Quote(t, mid - 400, mid + 400, clock.millis()));
            }
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) {
        int hours = 8;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--hours=")) hours = Integer.parseInt(args[i].substring(8));
        }
        Val2LeakQuotes svc = new Val2LeakQuotes();
        service = svc;
        svc.start();
        for (int m = 0; m < hours * 60; m++) svc.runMinute();

        long total = (long) hours * 60 * RFQS_PER_MINUTE;
        check(svc.rfqSeq == total, "rfqs " + svc.rfqSeq);
        check(svc.rfqHandler.cancelled == total / 10, "cancelled " + svc.rfqHandler.cancelled);
        check(svc.rfqHandler.completed == total - total / 10, "completed " + svc.rfqHandler.completed);
        check(svc.bus.listeners.size() == STARTUP_LISTENERS + svc.rfqHandler.completed, "listeners " + svc.bus.listeners.size());
        check(svc.master.byIsin.size() == INSTRUMENTS && svc.master.byTicker.size() == INSTRUMENTS, "instrument master");
        check(svc.lastQuotes.last.size() == TRADED, "last quotes " + svc.lastQuotes.last.size());
        check(svc.throttles.size() == CLIENTS, "throttles " + svc.throttles.size());
        check(svc.audit.recent.size() == AUDIT_CAP, "audit " + svc.audit.recent.size());

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
