// hprofscan-dump: name=val67-leak-bulliondesk jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val67-leak-bulliondesk-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 67 (written blind), LEAK: the web trading front end of a precious-metals dealer.
 * Instrument reference data, the account directory, a cache of rendered price charts at its cap, a
 * pool of frame-encoder buffers, a ring of the last ticks, the registry of open WebSocket sessions,
 * and a shared market-data bus. Every WebSocket session registers a price-tick listener (a lambda
 * capturing the session and its send buffer) on the bus; closing the session marks it closed and
 * drops it from the registry but never unregisters the listener, so the bus keeps every session
 * ever opened (the listener skips ticks for closed sessions). See VALIDATION67.md.
 */
public final class Val67LeakBullionDesk {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK_EVERY = 2_000L;
    static final int INSTRUMENTS = 1_000, TRADED = 40, ACCOUNTS = 22_000, CHART_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS = 3_000, HOURS = 10;
    static boolean FIXED;

    record Instrument(String code, String metal, double[] fixings) {}
    record Account(String accountId, String desk, byte[] kyc, long openedAt) {}
    record ChartImage(String key, byte[] png, long at) {}
    record Tick(String instrument, double bid, double ask, long at) {}

    interface TickListener { void onTick(Tick t); }

    static final class WsSession {
        final String sessionId, accountId; final long openedAt; final byte[] sendBuffer = new byte[2_048];
        long closedAt; boolean closed; int pending; long framesSent, ticksSkipped;
        TickListener tickListener;
        WsSession(String sessionId, String accountId, long openedAt) { this.sessionId = sessionId; this.accountId = accountId; this.openedAt = openedAt; }
    }

    static final class MarketDataBus {
        final List<TickListener> listeners = new ArrayList<>();
        long published;
        void register(TickListener l) { listeners.add(l); }
        void unregister(TickListener l) { listeners.remove(l); }
        void publish(Tick t) { published++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onTick(t); }
    }

    static final class ChartCache extends LinkedHashMap<String, ChartImage> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ChartImage> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Instrument> INSTRUMENTS_BY_CODE = new HashMap<>();

    static final class TradingGateway {
        final Map<String, Account> accounts = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final Tick[] lastTicks = new Tick[RING];
        long ticks;
        final Map<String, WsSession> openSessions = new HashMap<>();
        final MarketDataBus bus = new MarketDataBus();
        long opened, closed;

        WsSession open(String id, String accountId, long at) {
            WsSession s = new WsSession(id, accountId, at);
            s.tickListener = tick -> {
                if (s.closed) { s.ticksSkipped++; return; }
                byte[] buf = s.sendBuffer;
                int n = 24 + tick.instrument().length();
                if (s.pending + n > buf.length) { s.framesSent++; s.pending = 0; }
                buf[s.pending] = (byte) tick.at();
                s.pending += n;
            };
            bus.register(s.tickListener);
            openSessions.put(id, s);
            opened++;
            return s;
        }

        void close(WsSession s, long at) {
            s.closed = true;
            s.closedAt = at;
            openSessions.remove(s.sessionId);
            closed++;
            if (FIXED) bus.unregister(s.tickListener);
            // BUG: the listener stays registered on the bus, and it captures the session and its send buffer
        }
    }

    static TradingGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Runs the simulated trading day; returns {sessions still open, closed}. */
    static long[] simulate(TradingGateway gw, String[] instrumentCodes, String[] accountIds, long start, long end) {
        Random traffic = new Random(67_020_002);
        Random market = new Random(67_020_003);
        PriorityQueue<long[]> closing = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<Long, WsSession> byNo = new HashMap<>();
        double[] mid = new double[TRADED];
        for (int k = 0; k < TRADED; k++) mid[k] = 20 + 2_000 * market.nextDouble();
        long nextTick = start;
        for (int i = 0; i < SESSIONS; i++) {
            long t = start + (end - MINUTE - start) * i / SESSIONS;
            while (true) {
                long due = closing.isEmpty() ? Long.MAX_VALUE : closing.peek()[0];
                if (nextTick <= t && nextTick <= due) {
                    int k = (int) ((nextTick / TICK_EVERY) % TRADED);
                    mid[k] *= 1 + (market.nextDouble() - 0.5) / 500;
                    Tick tick = new Tick(instrumentCodes[k], mid[k] * 0.9995, mid[k] * 1.0005, nextTick);
                    gw.lastTicks[(int) (gw.ticks++ % RING)] = tick;
                    gw.bus.publish(tick);
                    String key = "chart-" + instrumentCodes[k] + "-" + market.nextInt(100);
                    if (gw.charts.get(key) == null) gw.charts.put(key, new ChartImage(key, new byte[600 + market.nextInt(600)], nextTick));
                    byte[] enc = gw.encoderBuffers.poll();
                    enc[(int) (gw.ticks % enc.length)] = (byte) k;
                    gw.encoderBuffers.add(enc);
                    nextTick += TICK_EVERY;
                } else if (due <= t) {
                    long[] c = closing.poll();
                    gw.close(byNo.remove(c[1]), c[0]);
                } else {
                    break;
                }
            }
            WsSession s = gw.open("ws-" + Long.toHexString(0x5ea0_0000L + i * 17L), accountIds[traffic.nextInt(ACCOUNTS)], t);
            long closeAt = t + (1 + traffic.nextInt(90)) * MINUTE + traffic.nextInt(60_000);
            byNo.put((long) i, s);
            closing.add(new long[] {closeAt, i});
        }
        while (nextTick < end) { // the last minute: ticks, and sessions closing before the end
            long due = closing.isEmpty() ? Long.MAX_VALUE : closing.peek()[0];
            if (due <= nextTick) { long[] c = closing.poll(); gw.close(byNo.remove(c[1]), c[0]); continue; }
            int k = (int) ((nextTick / TICK_EVERY) % TRADED);
            Tick tick = new Tick(instrumentCodes[k], mid[k] * 0.9995, mid[k] * 1.0005, nextTick);
            gw.lastTicks[(int) (gw.ticks++ % RING)] = tick;
            gw.bus.publish(tick);
            nextTick += TICK_EVERY;
        }
        return new long[] {byNo.size(), gw.closed};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val67.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(67_020_001);
        String[] metals = {"XAU", "XAG", "XPT", "XPD"};
        String[] instrumentCodes = new String[INSTRUMENTS];
        for (int k = 0; k < INSTRUMENTS; k++) {
            double[] fixings = new double[96];
            for (int d = 0; d < fixings.length; d++) fixings[d] = 20 + rnd.nextDouble() * 2_000;
            instrumentCodes[k] = metals[k % 4] + (k < 4 ? "USD" : "-FWD-" + k);
            INSTRUMENTS_BY_CODE.put(instrumentCodes[k], new Instrument(instrumentCodes[k], metals[k % 4], fixings));
        }
        TradingGateway gw = new TradingGateway();
        SERVICE = gw;
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "ACC" + (61_000_000 + a * 11);
            gw.accounts.put(accountIds[a], new Account(accountIds[a], "Desk " + (a % 12), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.encoderBuffers.add(new byte[32_768]);
        long[] r = simulate(gw, instrumentCodes, accountIds, start, end);
        long stillOpen = r[0], closedSessions = r[1];
        System.out.println((FIXED ? "FIXED " : "") + "instruments " + INSTRUMENTS_BY_CODE.size() + " accounts " + gw.accounts.size() + " sessions opened " + gw.opened + " closed " + gw.closed + " open " + gw.openSessions.size()
                + " listeners " + gw.bus.listeners.size() + " ticks " + gw.ticks + " charts " + gw.charts.size() + " (evicted " + gw.charts.evicted + ") pool " + gw.encoderBuffers.size());
        check(INSTRUMENTS_BY_CODE.size() == INSTRUMENTS && gw.accounts.size() == ACCOUNTS, "reference data / directory");
        check(gw.opened == SESSIONS && gw.openSessions.size() == stillOpen && gw.closed == closedSessions && stillOpen + closedSessions == SESSIONS, "sessions");
        if (FIXED) check(gw.bus.listeners.size() == stillOpen, "listeners of open sessions only");
        else check(gw.bus.listeners.size() == SESSIONS, "one listener per session ever opened: " + gw.bus.listeners.size());
        check(gw.ticks == HOURS * HOUR / TICK_EVERY && gw.lastTicks[RING - 1] != null, "tick ring");
        check(gw.charts.size() == CHART_CAP && gw.charts.evicted > 0, "chart cache at cap");
        check(gw.encoderBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
