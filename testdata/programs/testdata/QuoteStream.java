// hprofscan-dump: name=quote-stream jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=quote-stream-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=quote-stream-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=quote-stream-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The quote-streaming gateway of a retail broker: clients open a streaming session, follow 1-4
 * of 40 listed symbols (a few very popular, most rarely followed), and receive every quote of
 * them. {@code QuoteBus.bySymbol}, a {@code ConcurrentHashMap<String,
 * CopyOnWriteArrayList<Consumer<Quote>>>}, holds one subscriber list per symbol; each
 * subscription is a bound method reference {@code session::onQuote}. A session keeps its last
 * 16 frames for resending and is closed after 5-90 minutes. Beside the bus: the instrument
 * directory (600 listings, loaded at startup), an LRU of rendered charts (capped at 800), the
 * open sessions by id, and a ring of recent trades. Eight hours of traffic, 10 sessions a
 * minute.
 * <ul>
 * <li>{@code healthy}: {@code close} unsubscribes the session from each symbol it follows. The
 * bus holds only the open sessions' subscriptions. No leak.
 * <li>{@code leak}: {@code close} marks the session closed and drops it from the open
 * sessions, but never unsubscribes: the bus keeps every session of the eight hours through its
 * method references. The leak is {@code QuoteBus.bySymbol}. The two most followed symbols'
 * lists each hold more than 1% of the heap; the others less.
 * </ul>
 * Deterministic (seeded) counts, printed; nothing in main's frame refers to a session at the dump.
 */
public final class QuoteStream {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int SYMBOLS = 40, LISTINGS = 600, PER_MINUTE = 10, HOURS = 8, CHARTS_CAP = 800, RING = 4_096, FRAMES = 16;

    record Quote(String symbol, long bidMicros, long askMicros, long at) {}

    record Listing(String symbol, String isin, String venue, long listedAt, double[] closes) {}

    record Trade(String account, String symbol, int qty, long priceMicros, long at) {}

    static final class StreamSession {
        final String id, account;
        final long openedAt;
        final List<String> following = new ArrayList<>();
        final ArrayDeque<String> lastFrames = new ArrayDeque<>();
        long quotesSent, closedAt;
        boolean closed;

        StreamSession(String id, String account, long openedAt) {
            this.id = id;
            this.account = account;
            this.openedAt = openedAt;
        }

        void onQuote(Quote q) {
            if (closed) return;
            quotesSent++;
            lastFrames.addLast("{\"s\":\"" + q.symbol() + "\",\"b\":" + q.bidMicros() + ",\"a\":" + q.askMicros() + ",\"t\":" + q.at() + "}");
            if (lastFrames.size() > FRAMES) lastFrames.removeFirst();
        }
    }

    static final class QuoteBus {
        final Map<String, CopyOnWriteArrayList<Consumer<Quote>>> bySymbol = new ConcurrentHashMap<>();

        void subscribe(String symbol, Consumer<Quote> c) {
            bySymbol.computeIfAbsent(symbol, s -> new CopyOnWriteArrayList<>()).add(c);
        }

        void unsubscribe(String symbol, Consumer<Quote> c) {
            List<Consumer<Quote>> l = bySymbol.get(symbol);
            if (l != null) l.remove(c);
        }

        void publish(Quote q) {
            List<Consumer<Quote>> l = bySymbol.get(q.symbol());
            if (l != null) for (Consumer<Quote> c : l) c.accept(q);
        }
    }

    static final class Gateway {
        final QuoteBus bus = new QuoteBus();
        final Map<String, StreamSession> open = new ConcurrentHashMap<>();
        final Map<String, Listing> listings = new HashMap<>();
        final Map<String, byte[]> charts = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > CHARTS_CAP;
            }
        };
        final Trade[] recentTrades = new Trade[RING];
        final Map<StreamSession, List<Consumer<Quote>>> handles = new HashMap<>();
        final boolean leak;
        long opened, closedCount, trades;

        Gateway(boolean leak) {
            this.leak = leak;
        }

        void open(StreamSession s, List<String> symbols) {
            List<Consumer<Quote>> mine = new ArrayList<>();
            for (String sym : symbols) {
                Consumer<Quote> c = s::onQuote;
                bus.subscribe(sym, c);
                s.following.add(sym);
                mine.add(c);
            }
            if (!leak) handles.put(s, mine);
            open.put(s.id, s);
            opened++;
        }

        void close(StreamSession s, long at) {
            s.closed = true;
            s.closedAt = at;
            open.remove(s.id);
            closedCount++;
            // The bug: the leaking gateway never unsubscribes the session's method references.
            List<Consumer<Quote>> mine = handles.remove(s);
            if (mine != null) {
                for (int i = 0; i < mine.size(); i++) bus.unsubscribe(s.following.get(i), mine.get(i));
            }
        }
    }

    static Gateway GATEWAY;

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected: " + what);
    }

    /** A symbol index skewed to the first few (Zipf-like). */
    static int popular(Random rnd) {
        double u = rnd.nextDouble();
        return Math.min(SYMBOLS - 1, (int) (SYMBOLS * u * u * u));
    }

    static void simulate(Gateway g, long start, long end) {
        Random rnd = new Random(40_311);
        String[] symbols = new String[SYMBOLS];
        for (int i = 0; i < LISTINGS; i++) {
            double[] closes = new double[250];
            for (int d = 0; d < closes.length; d++) closes[d] = 20 + rnd.nextDouble() * 180;
            String sym = "SYM" + (1_000 + i * 7);
            if (i < SYMBOLS) symbols[i] = sym;
            g.listings.put(sym, new Listing(sym, "GB00" + (40_000_000 + i * 13), i % 3 == 0 ? "XLON" : "XAMS", start - (400L + rnd.nextInt(4_000)) * 24 * HOUR, closes));
        }
        List<long[]> closing = new ArrayList<>();
        List<StreamSession> byIndex = new ArrayList<>();
        long sid = 7_000_000L;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < PER_MINUTE; k++) {
                long at = t + k * (MINUTE / PER_MINUTE);
                StreamSession s = new StreamSession("STR-" + sid++, "ACC-" + (200_000 + rnd.nextInt(30_000)), at);
                List<String> follow = new ArrayList<>();
                int n = 1 + rnd.nextInt(4);
                while (follow.size() < n) {
                    String sym = symbols[popular(rnd)];
                    if (!follow.contains(sym)) follow.add(sym);
                }
                g.open(s, follow);
                closing.add(new long[] {at + (5 + rnd.nextInt(86)) * MINUTE, byIndex.size()});
                byIndex.add(s);
            }
            for (long[] c : closing) {
                StreamSession s = byIndex.get((int) c[1]);
                if (c[0] <= t && !s.closed) g.close(s, t);
            }
            for (int k = 0; k < 4; k++) {
                String sym = symbols[popular(rnd)];
                long mid = 5_000_000L + rnd.nextInt(50_000_000);
                g.bus.publish(new Quote(sym, mid - 500, mid + 500, t + k * 15_000));
            }
            for (int k = 0; k < 3; k++) {
                String sym = symbols[rnd.nextInt(SYMBOLS)];
                g.recentTrades[(int) (g.trades++ % RING)] = new Trade("ACC-" + (200_000 + rnd.nextInt(30_000)), sym, 1 + rnd.nextInt(500), 5_000_000L + rnd.nextInt(50_000_000), t);
                g.charts.put(sym + "/" + (t / (15 * MINUTE)), new byte[1_000 + rnd.nextInt(1_000)]);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        GATEWAY = new Gateway(leak);
        simulate(GATEWAY, end - HOURS * HOUR, end);
        report(GATEWAY);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Prints the counts and checks them (a method of its own: main's frame keeps no session). */
    static void report(Gateway g) {
        long subs = 0, ofOpen = 0, biggest = 0;
        for (List<Consumer<Quote>> l : g.bus.bySymbol.values()) {
            subs += l.size();
            biggest = Math.max(biggest, l.size());
        }
        for (StreamSession s : g.open.values()) ofOpen += s.following.size();
        System.out.println((g.leak ? "leak" : "healthy") + " sessions opened " + g.opened + " closed " + g.closedCount + " open " + g.open.size() + " subscriptions " + subs
                + " (of open sessions " + ofOpen + ", biggest list " + biggest + ", lists " + g.bus.bySymbol.size() + ") charts " + g.charts.size() + " listings " + g.listings.size());
        check(g.leak ? subs > ofOpen * 5 : subs == ofOpen, "subscriptions as the variant says");
    }
}
