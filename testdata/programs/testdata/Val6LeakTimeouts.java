// hprofscan-dump: name=val6-leak-timeouts jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-leak-timeouts-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), LEAKING (threads): an FX quote gateway. Each call to a
 * slow liquidity provider (LP) creates its own {@code ScheduledThreadPoolExecutor} with one
 * thread named {@code lp-timeout-<callId>} to enforce the call's timeout; the timeout task is
 * cancelled when the LP answers, but the executor is never shut down, so its worker thread
 * waits forever. 400 LP calls leave 400 idle executors with 400 live threads. Beside it: the
 * currency-pair specs (static), the latest quote per pair, a tick ring of 65,536 ticks,
 * per-pair minute candles of the trading day, client sessions with send buffers, the shared
 * I/O pool (4 threads) and metrics. See testdata/VALIDATION6.md.
 */
public final class Val6LeakTimeouts {
    static final String[] CCY = {"EUR", "USD", "JPY", "GBP", "CHF", "AUD", "CAD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY",
        "ZAR", "MXN", "SGD", "HKD", "CNH", "INR", "KRW", "BRL", "ILS", "THB", "TWD", "PHP", "IDR", "MYR", "RON"};
    static final int RING = 65_536;
    static final int CLIENTS = 2_000;
    static final int LP_CALLS = 400;
    static final int TICKS = 300_000;
    static final long SIM_MILLIS = 4L * 3600_000L;

    static QuoteGateway RUNNING;

    static final class PairSpec {
        final String symbol; final String base; final String quote; final int pipScale; final long minQty; final long maxQty; final String[] venues;
        PairSpec(String symbol, String base, String quote, int pipScale, long minQty, long maxQty, String[] venues) { this.symbol = symbol; this.base = base; this.quote = quote; this.pipScale = pipScale; this.minQty = minQty; this.maxQty = maxQty; this.venues = venues; }
    }

    static final class CurrencyPairs {
        static final Map<String, PairSpec> PAIRS = new HashMap<>();
    }

    static final class Quote {
        final String symbol; final long bidE8; final long askE8; final long[] ladderE8 = new long[10]; final long at;
        Quote(String symbol, long bidE8, long askE8, long at) { this.symbol = symbol; this.bidE8 = bidE8; this.askE8 = askE8; this.at = at; }
    }

    static final class Tick {
        final String symbol; final long priceE8; final long qty; final long at;
        Tick(String symbol, long priceE8, long qty, long at) { this.symbol = symbol; this.priceE8 = priceE8; this.qty = qty; this.at = at; }
    }

    static final class ClientSession {
        final long sessionId; final String compId; final byte[] sendBuffer = new byte[2_048]; final long loggedOnAt; long lastHeartbeatAt; int seqNum;
        ClientSession(long sessionId, String compId, long loggedOnAt) { this.sessionId = sessionId; this.compId = compId; this.loggedOnAt = loggedOnAt; this.lastHeartbeatAt = loggedOnAt; }
    }

    static final class LpClient {
        final String lpName; long nextCallId = 1; long answered, timedOut;
        LpClient(String lpName) { this.lpName = lpName; }
        /** Requests a firm quote from the LP. BUG: a timeout executor per call, never shut down. */
        long requestFirmQuote(String symbol, Random rnd) throws Exception {
            long callId = nextCallId++;
            ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "lp-timeout-" + lpName + "-" + callId); t.setDaemon(true); return t; });
            timeouts.setRemoveOnCancelPolicy(true);
            ScheduledFuture<?> timeout = timeouts.schedule(() -> { timedOut++; }, 2, TimeUnit.SECONDS);
            long price = 100_000_000L + rnd.nextInt(1_000_000); // the LP answers
            timeout.cancel(false);
            answered++;
            return price;
        }
    }

    static final class QuoteGateway {
        final Map<String, Quote> latest = new ConcurrentHashMap<>();
        final Tick[] ticks = new Tick[RING];
        long tickPos;
        final Map<String, double[]> candles = new HashMap<>();
        final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
        final LpClient lp = new LpClient("lp3");
        final ExecutorService io = Executors.newFixedThreadPool(4, r -> { Thread t = new Thread(r, "gateway-io"); t.setDaemon(true); return t; });
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_080_001);
        QuoteGateway gw = new QuoteGateway();
        RUNNING = gw;
        String[] venues = {"EBS", "REUTERS", "HOTSPOT", "CURRENEX", "FXALL"};
        for (String b : CCY) for (String q : CCY) {
            if (b.equals(q)) continue;
            String sym = b + q;
            CurrencyPairs.PAIRS.put(sym, new PairSpec(sym, b, q, q.equals("JPY") ? 3 : 5, 1_000, 50_000_000, venues));
            gw.candles.put(sym, new double[4 * 1_440 / 4]); // OHLC of every minute of the trading day
        }
        String[] symbols = CurrencyPairs.PAIRS.keySet().toArray(new String[0]);
        for (int c = 0; c < CLIENTS; c++) {
            long id = 9_000_000L + c;
            gw.sessions.put(id, new ClientSession(id, "CLIENT" + (c % 700) + "-" + (c / 700), start + 1_000L * c));
        }
        for (int i = 0; i < TICKS; i++) {
            long t = start + SIM_MILLIS * i / TICKS;
            String sym = symbols[rnd.nextInt(symbols.length)];
            long px = 100_000_000L + rnd.nextInt(5_000_000);
            Tick tk = new Tick(sym, px, 1_000_000L * (1 + rnd.nextInt(20)), t);
            gw.ticks[(int) (gw.tickPos++ % RING)] = tk;
            Quote q = new Quote(sym, px - 500, px + 500, t);
            for (int k = 0; k < 10; k++) q.ladderE8[k] = px + (k - 5) * 100;
            gw.latest.put(sym, q);
            double[] cd = gw.candles.get(sym);
            cd[(int) ((t / 60_000L) % (cd.length / 4)) * 4 + 3] = px / 1e8;
            if (i % (TICKS / LP_CALLS) == 0) gw.lp.requestFirmQuote(sym, rnd); // large tickets go to the LP for a firm quote
            if (i % 50 == 0) { ClientSession s = gw.sessions.get(9_000_000L + rnd.nextInt(CLIENTS)); s.lastHeartbeatAt = t; s.seqNum++; }
            gw.metrics.computeIfAbsent("ticks.in", k -> new LongAdder()).increment();
        }
        for (int i = 0; i < 8; i++) gw.io.submit(() -> gw.metrics.computeIfAbsent("io.flush", k -> new LongAdder()).increment()).get();
        int lpThreads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("lp-timeout-") && t.isAlive()) lpThreads++;
        System.out.println("lp calls " + gw.lp.answered + " lp-timeout threads alive " + lpThreads + " pairs " + CurrencyPairs.PAIRS.size() + " quotes " + gw.latest.size()
                + " sessions " + gw.sessions.size() + " ticks " + gw.tickPos);
        check(gw.lp.answered == LP_CALLS && lpThreads == LP_CALLS && gw.lp.timedOut == 0, "lp threads " + lpThreads);
        check(CurrencyPairs.PAIRS.size() == CCY.length * (CCY.length - 1) && gw.latest.size() == CurrencyPairs.PAIRS.size(), "pairs");
        check(gw.sessions.size() == CLIENTS, "sessions");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
