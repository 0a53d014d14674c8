// hprofscan-dump: name=val12-leak-sportsodds jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val12-leak-sportsodds-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 12 (written blind), LEAK: the odds service of a sportsbook. For every price
 * snapshot request it opens a stream on the feed provider's snapshot (a buffered stream over the
 * payload) and registers it in the feed client's list of open streams, "to be closed on
 * shutdown"; the request reads the snapshot but never closes the stream nor takes it out of the
 * list, so every stream ever opened stays, with its 8 KiB buffer and the snapshot payload. 2,400
 * finished requests' streams leak; 16 snapshot reads are in progress at the dump. Beside it: the
 * event catalog and the market directory (loaded at startup), an LRU of price ladders at capacity,
 * a bet-slip ring, a pool of pricing-engine connections and a fixed pool of pricing threads. See
 * testdata/VALIDATION12.md.
 */
public final class Val12LeakSportsOdds {
    static final int EVENTS = 8_000;
    static final int MARKETS = 40_000;
    static final int LADDER_CAP = 6_000;
    static final int LEAKED = 2_400;
    static final int IN_FLIGHT = 16;
    static final int SLIP_RING = 16_384;
    static final int ENGINE_CONNS = 10;
    static final int PRICERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static OddsService RUNNING;

    static final class SportEvent {
        final long eventId; final String competition; final String home; final String away; final long kickoffAt; final long createdAt;
        SportEvent(long eventId, String competition, String home, String away, long kickoffAt, long createdAt) { this.eventId = eventId; this.competition = competition; this.home = home; this.away = away; this.kickoffAt = kickoffAt; this.createdAt = createdAt; }
    }

    /** Reference data: the fixture list, loaded at startup. */
    static final class EventCatalog {
        static final Map<Long, SportEvent> BY_ID = new HashMap<>();
    }

    static final class Market {
        final long marketId; final long eventId; final String type; final String[] selections; final double margin;
        Market(long marketId, long eventId, String type, String[] selections, double margin) { this.marketId = marketId; this.eventId = eventId; this.type = type; this.selections = selections; this.margin = margin; }
    }

    /** A snapshot stream on the feed provider's payload. */
    static final class SnapshotStream extends BufferedInputStream {
        final String requestId; final long marketId; final long openedAt; boolean consumed;
        SnapshotStream(InputStream in, String requestId, long marketId, long openedAt) { super(in, 8_192); this.requestId = requestId; this.marketId = marketId; this.openedAt = openedAt; }
    }

    static final class FeedClient {
        final String provider;
        /** THE LEAK: streams opened per request, registered here, never closed nor removed. */
        final List<SnapshotStream> openStreams = new ArrayList<>();
        long opened;
        FeedClient(String provider) { this.provider = provider; }
        SnapshotStream open(byte[] payload, String requestId, long marketId, long t) {
            SnapshotStream s = new SnapshotStream(new ByteArrayInputStream(payload), requestId, marketId, t);
            openStreams.add(s);
            opened++;
            return s;
        }
    }

    /** Price ladders by market: an LRU. */
    static final class LadderCache extends LinkedHashMap<Long, double[]> {
        final int capacity; long evictions;
        LadderCache(int capacity) { super(16, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, double[]> e) { boolean r = size() > capacity; if (r) evictions++; return r; }
    }

    static final class BetSlip { long at; long marketId; int selection; int stakeCents; double price; }

    static final class EngineConnection { final int id; final byte[] sendBuffer = new byte[16_384]; long lastUsedAt; EngineConnection(int id) { this.id = id; } }

    static final class OddsService {
        final Map<Long, Market> markets = new HashMap<>();
        final FeedClient feed = new FeedClient("feed-provider-a");
        final LadderCache ladders = new LadderCache(LADDER_CAP);
        final BetSlip[] slips = new BetSlip[SLIP_RING];
        long slipCount;
        final ArrayBlockingQueue<EngineConnection> engine = new ArrayBlockingQueue<>(ENGINE_CONNS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor pricers = new ThreadPoolExecutor(PRICERS, PRICERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "odds-pricer-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        OddsService() { for (int i = 0; i < SLIP_RING; i++) slips[i] = new BetSlip(); for (int i = 0; i < ENGINE_CONNS; i++) engine.add(new EngineConnection(i)); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int drain(SnapshotStream s) throws IOException { int n = 0; byte[] b = new byte[1_024]; int r; while ((r = s.read(b)) > 0) n += r; s.consumed = true; return n; }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val12.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 6 * HOUR;
        Random rnd = new Random(12_030_001);
        OddsService svc = new OddsService();
        RUNNING = svc;
        for (int i = 0; i < 80; i++) svc.config.setProperty("odds.margin." + i, "0.0" + (i % 9 + 1));
        String[] comps = {"Premier League", "La Liga", "Serie A", "Bundesliga", "NBA", "NHL", "ATP", "Ligue 1"};
        for (int i = 0; i < EVENTS; i++) EventCatalog.BY_ID.put(5_000_000L + i, new SportEvent(5_000_000L + i, comps[i % comps.length], "Home Team " + i, "Away Team " + i, now + HOUR * (rnd.nextInt(24 * 14)), now - DAY * (1 + rnd.nextInt(60))));
        String[] types = {"1X2", "OU2.5", "BTTS", "AH-1", "CS"};
        for (int i = 0; i < MARKETS; i++) svc.markets.put(70_000_000L + i, new Market(70_000_000L + i, 5_000_000L + i % EVENTS, types[i % types.length], new String[] {"home", "draw", "away"}, 0.04 + rnd.nextInt(5) / 100.0));
        CyclicBarrier warm = new CyclicBarrier(PRICERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < PRICERS; w++) fs.add(svc.pricers.submit(() -> { warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: snapshot requests over 6 hours; each reads its snapshot fully and updates the
        // market's price ladder; bets are placed between them. The last 16 are being read.
        long bytes = 0;
        List<SnapshotStream> reading = new ArrayList<>();
        for (int i = 0; i < LEAKED + IN_FLIGHT; i++) {
            boolean inFlight = i >= LEAKED;
            long t = inFlight ? now - 2_000 + i - LEAKED : start + (now - 5 * MINUTE - start) * i / LEAKED;
            long marketId = 70_000_000L + rnd.nextInt(MARKETS);
            byte[] payload = new byte[1_024 + rnd.nextInt(2_048)];
            rnd.nextBytes(payload);
            SnapshotStream s = svc.feed.open(payload, "req-" + Long.toHexString(rnd.nextLong()), marketId, t);
            if (inFlight) { s.read(new byte[256]); reading.add(s); continue; }
            bytes += drain(s);
            if (fixed) { s.close(); svc.feed.openStreams.remove(s); }
            for (int k = 0; k < 8; k++) {
                long m = 70_000_000L + rnd.nextInt(MARKETS);
                double[] ladder = svc.ladders.get(m);
                if (ladder == null) { ladder = new double[32]; for (int j = 0; j < 32; j++) ladder[j] = 1.01 + j * 0.05; svc.ladders.put(m, ladder); }
                BetSlip b = svc.slips[(int) (svc.slipCount++ % SLIP_RING)];
                b.at = t; b.marketId = m; b.selection = rnd.nextInt(3); b.stakeCents = 100 + rnd.nextInt(50_000); b.price = ladder[rnd.nextInt(32)];
            }
            EngineConnection c = svc.engine.take(); c.lastUsedAt = t; svc.engine.put(c);
        }
        int consumed = 0, open = 0;
        for (SnapshotStream s : svc.feed.openStreams) { if (s.consumed) consumed++; else open++; }
        int leaked = fixed ? 0 : LEAKED;
        System.out.println("events " + EventCatalog.BY_ID.size() + " markets " + svc.markets.size() + " open streams " + svc.feed.openStreams.size() + " (consumed " + consumed + ", in progress " + open
                + ") opened " + svc.feed.opened + " ladders " + svc.ladders.size() + " (evictions " + svc.ladders.evictions + ") slips " + svc.slipCount + " engine " + svc.engine.size() + " bytes " + bytes);
        check(EventCatalog.BY_ID.size() == EVENTS && svc.markets.size() == MARKETS, "reference data");
        check(consumed == leaked && open == IN_FLIGHT && reading.size() == IN_FLIGHT && svc.feed.opened == LEAKED + IN_FLIGHT, "streams");
        check(svc.ladders.size() == LADDER_CAP && svc.ladders.evictions > 0 && svc.slipCount > SLIP_RING && svc.engine.size() == ENGINE_CONNS && svc.pricers.getPoolSize() == PRICERS, "ladders/ring/pools");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
