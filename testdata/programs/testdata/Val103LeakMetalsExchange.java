// hprofscan-dump: name=val103-leak-metalsexchange jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val103-leak-metalsexchange-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Validation set 103 (written blind), LEAK: the streaming price gateway of a precious-metals
 * exchange. Instrument reference data, the trading-account directory, a cache of rendered price
 * charts at its cap, a pool of frame buffers, a ring of recent trades, the map of open client
 * sessions, and a java.util.concurrent.SubmissionPublisher that pushes every price update to one
 * subscriber per client connection. Closing a connection removes its session from the map but never
 * cancels its Flow.Subscription, so the publisher keeps every closed client's subscriber, with its
 * subscription buffer (full of undelivered updates) and the client's session object. The publisher
 * runs its consumers on the calling thread (Runnable::run): no thread besides main. See
 * VALIDATION103.md.
 */
public final class Val103LeakMetalsExchange {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, HOURS = 10;
    static final int INSTRUMENTS = 1_200, ACCOUNTS = 22_000, CHART_CAP = 2_000, BUFFERS = 8, RING = 4_096;
    static final int UPDATES = 12_000, CLIENTS = 3_000, SUB_BUFFER = 256;
    static boolean FIXED;

    record Instrument(String code, String metal, double[] history) {}
    record Account(String id, String desk, byte[] kycRecord, long openedAt) {}
    record Chart(String key, byte[] rendered, long at) {}
    record Trade(String account, String instrument, long qtyGrams, long priceMicros, long at) {}
    record PriceUpdate(String instrument, long bidMicros, long askMicros, long at) {}

    static final class ClientSession {
        final String sessionId, account; final byte[] outbound; final long connectedAt, closeAt;
        boolean open = true; long delivered, closedAt; PriceSubscriber subscriber;
        ClientSession(String sessionId, String account, byte[] outbound, long connectedAt, long closeAt) { this.sessionId = sessionId; this.account = account; this.outbound = outbound; this.connectedAt = connectedAt; this.closeAt = closeAt; }
        void write(PriceUpdate u) { int p = (int) (delivered++ % (outbound.length - 8)); outbound[p] = (byte) u.bidMicros(); outbound[p + 1] = (byte) u.askMicros(); }
    }

    static final class PriceSubscriber implements Flow.Subscriber<PriceUpdate> {
        final ClientSession session; Flow.Subscription subscription;
        PriceSubscriber(ClientSession session) { this.session = session; }
        @Override public void onSubscribe(Flow.Subscription s) { subscription = s; s.request(16); }
        @Override public void onNext(PriceUpdate u) {
            if (!session.open) return; // socket closed: nothing is written and nothing more requested
            session.write(u);
            subscription.request(1);
        }
        @Override public void onError(Throwable t) { session.open = false; }
        @Override public void onComplete() { session.open = false; }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Instrument> INSTRUMENTS_BY_CODE = new HashMap<>();

    static final class PriceGateway {
        final Map<String, Account> accounts = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Trade[] recentTrades = new Trade[RING];
        final Map<String, ClientSession> sessions = new HashMap<>();
        final SubmissionPublisher<PriceUpdate> prices = new SubmissionPublisher<>(Runnable::run, SUB_BUFFER);
        long trades, connected, closed, published;

        void connect(ClientSession s) {
            s.subscriber = new PriceSubscriber(s);
            sessions.put(s.sessionId, s);
            prices.subscribe(s.subscriber);
            connected++;
        }
        void close(ClientSession s, long at) {
            s.open = false; s.closedAt = at;
            sessions.remove(s.sessionId);
            if (FIXED) s.subscriber.subscription.cancel();
            // BUG: the subscription is never cancelled, so the publisher keeps the subscriber
            closed++;
        }
    }

    static PriceGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val103.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(103_020_001);
        String[] metals = {"XAU", "XAG", "XPT", "XPD"};
        String[] codes = new String[INSTRUMENTS];
        for (int i = 0; i < INSTRUMENTS; i++) {
            double[] history = new double[64];
            for (int k = 0; k < history.length; k++) history[k] = 1_000 + rnd.nextDouble() * 900;
            codes[i] = metals[i % 4] + "-" + (i < 400 ? "SPOT" : "FWD") + "-" + (100 + i);
            INSTRUMENTS_BY_CODE.put(codes[i], new Instrument(codes[i], metals[i % 4], history));
        }
        PriceGateway svc = new PriceGateway();
        SERVICE = svc;
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "MX" + (610_000 + a);
            svc.accounts.put(accountIds[a], new Account(accountIds[a], "desk-" + (a % 30), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(103_020_002);
        PriorityQueue<ClientSession> closing = new PriorityQueue<>((x, y) -> Long.compare(x.closeAt, y.closeAt));
        int nextClient = 0;
        long span = end - MINUTE - start;
        for (int u = 0; u < UPDATES; u++) {
            long t = start + span * u / UPDATES;
            while (nextClient < CLIENTS && start + span * nextClient / CLIENTS <= t) {
                long at = start + span * nextClient / CLIENTS;
                ClientSession s = new ClientSession("ws-" + Long.toHexString(0x5a00_0000L + nextClient), accountIds[traffic.nextInt(ACCOUNTS)],
                        new byte[2_048 + traffic.nextInt(2_048)], at, at + (2 + traffic.nextInt(59)) * MINUTE);
                svc.connect(s);
                closing.add(s);
                nextClient++;
            }
            while (!closing.isEmpty() && closing.peek().closeAt <= t) svc.close(closing.poll(), t);
            String instrument = codes[traffic.nextInt(INSTRUMENTS)];
            long bid = 1_800_000_000L + traffic.nextInt(50_000_000);
            svc.prices.offer(new PriceUpdate(instrument, bid, bid + 400_000, t), null);
            svc.published++;
            if (u % 3 != 2) {
                String acct = accountIds[traffic.nextInt(ACCOUNTS)];
                svc.recentTrades[(int) (svc.trades++ % RING)] = new Trade(acct, instrument, 1 + traffic.nextInt(5_000), bid, t);
                String key = "chart-" + traffic.nextInt(7_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[u % buf.length] = (byte) u;
                svc.frameBuffers.add(buf);
            }
        }
        int stillOpen = closing.size();
        closing.clear(); closing = null; accountIds = null; codes = null;
        int subscribers = svc.prices.getNumberOfSubscribers();
        System.out.println((FIXED ? "FIXED " : "") + "instruments " + INSTRUMENTS_BY_CODE.size() + " accounts " + svc.accounts.size() + " connected " + svc.connected + " closed " + svc.closed
                + " open " + svc.sessions.size() + " subscribers " + subscribers + " published " + svc.published + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") buffers "
                + svc.frameBuffers.size() + " trades " + svc.trades);
        check(INSTRUMENTS_BY_CODE.size() == INSTRUMENTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(svc.connected == CLIENTS && svc.sessions.size() == stillOpen && svc.closed == CLIENTS - stillOpen, "sessions");
        if (FIXED) check(subscribers == stillOpen, "only open clients subscribed: " + subscribers);
        else check(subscribers == CLIENTS, "every client ever connected still subscribed: " + subscribers);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.frameBuffers.size() == BUFFERS, "buffer pool");
        check(svc.recentTrades[RING - 1] != null, "ring full");
        LeakCheck.histogram("java.util.concurrent.SubmissionPublisher");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
