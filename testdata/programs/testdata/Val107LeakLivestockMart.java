// hprofscan-dump: name=val107-leak-livestockmart jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val107-leak-livestockmart-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Validation set 107 (written blind), LEAK: the live-bidding service of an online livestock mart.
 * Market reference data, the lot directory keyed by ear tag, a size-capped cache of rendered lot
 * cards, a pool of image-resize buffers, a ring of recent bids, the open web-socket sessions, and a
 * hand-written event bus (LotEventBus.subscribers, a CopyOnWriteArraySet of Subscriber). Every
 * web-socket session subscribes a lambda that captures the session (with its send buffer) to push
 * lot events to the bidder; closing a session removes it from the session map but never
 * unsubscribes the lambda, so every closed session stays reachable from the bus. See
 * VALIDATION107.md.
 */
public final class Val107LeakLivestockMart {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MARKETS = 1_000, LOTS = 24_000, CARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SESSIONS = 2_600, EVENTS = 6_000, BIDS = 60_000;
    static boolean FIXED;

    record Market(String code, String town, double[] weeklyThroughput) {}
    record Lot(String earTag, String marketCode, String breed, byte[] healthRecord, long bornAt) {}
    record LotCard(String key, byte[] rendered, long at) {}
    record Bid(String earTag, String bidder, int pence, long at) {}
    record LotEvent(String earTag, String kind, int pence, long at) {}

    interface Subscriber { void onEvent(LotEvent e); }

    static final class LotEventBus {
        final CopyOnWriteArraySet<Subscriber> subscribers = new CopyOnWriteArraySet<>();
        long published, delivered;
        void subscribe(Subscriber s) { subscribers.add(s); }
        void unsubscribe(Subscriber s) { subscribers.remove(s); }
        void publish(LotEvent e) { published++; for (Subscriber s : subscribers) s.onEvent(e); }
    }

    static final class WsSession {
        final String id, bidder; final long openedAt; long closedAt, framesSent;
        final byte[] sendBuffer; boolean open = true; Subscriber subscription;
        WsSession(String id, String bidder, long openedAt, int bufferBytes) { this.id = id; this.bidder = bidder; this.openedAt = openedAt; this.sendBuffer = new byte[bufferBytes]; }
        void send(LotEvent e) {
            if (!open) return; // a closed socket drops the frame
            sendBuffer[(int) (framesSent++ % sendBuffer.length)] = (byte) e.pence();
        }
    }

    static final class CardCache extends LinkedHashMap<String, LotCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Market> MARKETS_BY_CODE = new HashMap<>();

    static final class BiddingService {
        final Map<String, Lot> lots = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Bid[] recentBids = new Bid[RING];
        final ConcurrentHashMap<String, WsSession> sessions = new ConcurrentHashMap<>();
        final LotEventBus bus = new LotEventBus();
        long bids, opened, closed;

        void open(WsSession s) {
            sessions.put(s.id, s);
            s.subscription = e -> s.send(e);
            bus.subscribe(s.subscription);
            opened++;
        }

        void close(WsSession s, long at) {
            s.open = false;
            s.closedAt = at;
            sessions.remove(s.id);
            if (FIXED) bus.unsubscribe(s.subscription); // the fix
            // BUG: the subscription (and through it the session) stays on the bus
            closed++;
        }
    }

    static BiddingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(107_030_001);
        for (int m = 0; m < MARKETS; m++) {
            double[] w = new double[64];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble() * 500;
            String code = "MKT" + (200 + m);
            MARKETS_BY_CODE.put(code, new Market(code, "Market town " + (m % 400), w));
        }
        BiddingService svc = new BiddingService();
        SERVICE = svc;
        String[] breeds = {"Texel", "Suffolk", "Hereford", "Angus", "Limousin", "Charolais", "Swaledale", "Welsh Mule"};
        String[] tags = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            tags[l] = "UK" + (7_300_000 + l * 13);
            svc.lots.put(tags[l], new Lot(tags[l], "MKT" + (200 + rnd.nextInt(MARKETS)), breeds[l % breeds.length], new byte[150 + rnd.nextInt(150)], now - (long) (60 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(107_030_002);
        // Sessions open at a steady rate over the period; each lasts 3-25 minutes.
        WsSession[] all = new WsSession[SESSIONS];
        long[] closeAt = new long[SESSIONS];
        for (int s = 0; s < SESSIONS; s++) {
            long openAt = start + (end - MINUTE - start) * s / SESSIONS;
            all[s] = new WsSession("ws-" + Long.toHexString(0x5E55_0000L + s * 977L), "bidder-" + (10_000 + traffic.nextInt(9_000)), openAt, 2_048 + traffic.nextInt(2_048));
            closeAt[s] = openAt + (3 + traffic.nextInt(23)) * MINUTE;
        }
        String[] kinds = {"LOT_OPEN", "NEW_HIGH_BID", "GOING_ONCE", "SOLD", "PASSED"};
        int nextOpen = 0, nextClose = 0, nextEvent = 0;
        for (int i = 0; i < BIDS; i++) {
            long t = start + (end - MINUTE - start) * i / BIDS;
            while (nextOpen < SESSIONS && all[nextOpen].openedAt <= t) svc.open(all[nextOpen++]);
            for (int s = nextClose; s < nextOpen; s++) if (all[s].open && closeAt[s] <= t) svc.close(all[s], closeAt[s]);
            while (nextClose < nextOpen && !all[nextClose].open) nextClose++;
            String tag = tags[traffic.nextInt(LOTS)];
            Bid bid = new Bid(tag, "bidder-" + (10_000 + traffic.nextInt(9_000)), 40_000 + traffic.nextInt(300_000), t);
            svc.recentBids[(int) (svc.bids++ % RING)] = bid;
            if (i % (BIDS / EVENTS) == 0) { svc.bus.publish(new LotEvent(tag, kinds[nextEvent % kinds.length], bid.pence(), t)); nextEvent++; }
            String key = "card-" + traffic.nextInt(5_000);
            if (svc.cards.get(key) == null) svc.cards.put(key, new LotCard(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val107.fixed");
        run();
        BiddingService svc = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "markets " + MARKETS_BY_CODE.size() + " lots " + svc.lots.size() + " sessions opened " + svc.opened + " closed " + svc.closed + " open " + svc.sessions.size()
                + " subscribers " + svc.bus.subscribers.size() + " events " + svc.bus.published + " bids " + svc.bids + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") pool " + svc.imageBuffers.size());
        check(MARKETS_BY_CODE.size() == MARKETS && svc.lots.size() == LOTS, "reference data / directory");
        check(svc.opened == SESSIONS && svc.opened == svc.closed + svc.sessions.size(), "sessions");
        if (FIXED) check(svc.bus.subscribers.size() == svc.sessions.size(), "fixed bus: only open sessions");
        else check(svc.bus.subscribers.size() == SESSIONS, "bus keeps every session: " + svc.bus.subscribers.size());
        check(svc.bus.published == EVENTS, "events");
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.imageBuffers.size() == POOL && svc.recentBids[RING - 1] != null, "pool / ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
