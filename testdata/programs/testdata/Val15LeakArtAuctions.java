// hprofscan-dump: name=val15-leak-artauctions jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val15-leak-artauctions-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), LEAK: the live-bidding backend of an online art auction
 * house. Every accepted bid subscribes an "outbid" callback on the house-wide price event bus, so
 * the bidder's browser is told when someone bids higher; the callback is a lambda capturing the
 * bid request (with the signed websocket frame of the bid, kept for the dispute trail). The bug:
 * {@code AuctionHouse.closeLot} settles the lot and drops the lot room but never unsubscribes the
 * lot's callbacks, so the bus keeps one registration per bid ever placed. 10 simulated hours, a
 * new lot opens every minute and runs 30 minutes. Legitimate: the catalogue (the biggest
 * structure), the bidder registry, an artwork image LRU at its cap, a capped bid history, the open
 * lot rooms, 5 listeners registered once at startup and a fixed pool of notifier threads. See
 * testdata/VALIDATION15.md.
 */
public final class Val15LeakArtAuctions {
    static final int CATALOGUE = 30_000;
    static final int BIDDERS = 50_000;
    static final int LOTS = 600;
    static final int LOT_MINUTES = 30;
    static final int IMAGE_CAP = 2_000;
    static final int HISTORY_CAP = 5_000;
    static final int NOTIFIERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static AuctionHouse HOUSE;

    static final class Artwork { final long lotNo; final String title; final String artist; final int estimateLow; final int estimateHigh; final byte[] provenanceHash; final String condition;
        Artwork(long lotNo, String title, String artist, int estimateLow, int estimateHigh, byte[] provenanceHash, String condition) { this.lotNo = lotNo; this.title = title; this.artist = artist; this.estimateLow = estimateLow; this.estimateHigh = estimateHigh; this.provenanceHash = provenanceHash; this.condition = condition; } }

    /** Reference data: the sale catalogue. */
    static final class Catalogue {
        static final Map<Long, Artwork> LOTS_BY_NO = new HashMap<>();
    }

    static final class Bidder { final String paddle; final String name; final String country; final int creditLimit; final byte[] kycDigest;
        Bidder(String paddle, String name, String country, int creditLimit, byte[] kycDigest) { this.paddle = paddle; this.name = name; this.country = country; this.creditLimit = creditLimit; this.kycDigest = kycDigest; } }

    static final class BidRequest { final long bidId; final long lotNo; final Bidder bidder; final int amount; final long placedAt; final String sessionId; final byte[] signedFrame;
        BidRequest(long bidId, long lotNo, Bidder bidder, int amount, long placedAt, String sessionId, byte[] signedFrame) { this.bidId = bidId; this.lotNo = lotNo; this.bidder = bidder; this.amount = amount; this.placedAt = placedAt; this.sessionId = sessionId; this.signedFrame = signedFrame; } }

    static final class PriceEvent { final long lotNo; final int amount; final String paddle;
        PriceEvent(long lotNo, int amount, String paddle) { this.lotNo = lotNo; this.amount = amount; this.paddle = paddle; } }

    interface PriceListener { void onPrice(PriceEvent e); }

    /** The house-wide price event bus. */
    static final class AuctionEventBus {
        static final class Registration { final long lotNo; final PriceListener listener;
            Registration(long lotNo, PriceListener listener) { this.lotNo = lotNo; this.listener = listener; } }
        final List<Registration> registrations = new CopyOnWriteArrayList<>();
        final List<PriceListener> houseListeners = new CopyOnWriteArrayList<>();
        long delivered;
        void subscribe(long lotNo, PriceListener l) { registrations.add(new Registration(lotNo, l)); }
        void unsubscribeLot(long lotNo) { registrations.removeIf(r -> r.lotNo == lotNo); }
        void publish(PriceEvent e) {
            for (PriceListener l : houseListeners) l.onPrice(e);
            for (Registration r : registrations) if (r.lotNo == e.lotNo) r.listener.onPrice(e);
        }
    }

    static final class LotRoom { final Artwork art; final long opensAt; final long closesAt; int highBid; String highPaddle; int bids;
        LotRoom(Artwork art, long opensAt, long closesAt) { this.art = art; this.opensAt = opensAt; this.closesAt = closesAt; } }

    static final class ImageLru extends LinkedHashMap<Long, byte[]> {
        long evicted;
        ImageLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { if (size() > IMAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class BidRecord { final long lotNo; final String paddle; final int amount; final long at;
        BidRecord(long lotNo, String paddle, int amount, long at) { this.lotNo = lotNo; this.paddle = paddle; this.amount = amount; this.at = at; } }

    static final class AuctionHouse {
        final Map<String, Bidder> biddersByPaddle = new HashMap<>();
        final AuctionEventBus bus = new AuctionEventBus();
        final Map<Long, LotRoom> openLots = new HashMap<>();
        final ImageLru images = new ImageLru();
        final ArrayDeque<BidRecord> bidHistory = new ArrayDeque<>();
        long historyRotated;
        long outbidPushes;
        long settled;
        final AtomicInteger notifierSeq = new AtomicInteger();
        final ThreadPoolExecutor notifiers = new ThreadPoolExecutor(NOTIFIERS, NOTIFIERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "bid-notify-" + notifierSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        AuctionHouse(boolean fixed) { this.fixed = fixed; }

        void pushOutbid(BidRequest mine, PriceEvent e) { if (e.amount > mine.amount && !e.paddle.equals(mine.bidder.paddle)) outbidPushes++; }

        boolean placeBid(BidRequest req) {
            LotRoom room = openLots.get(req.lotNo);
            if (room == null || req.amount <= room.highBid) return false;
            room.highBid = req.amount; room.highPaddle = req.bidder.paddle; room.bids++;
            bus.publish(new PriceEvent(req.lotNo, req.amount, req.bidder.paddle));
            bus.subscribe(req.lotNo, e -> pushOutbid(req, e));
            bidHistory.addLast(new BidRecord(req.lotNo, req.bidder.paddle, req.amount, req.placedAt));
            if (bidHistory.size() > HISTORY_CAP) { bidHistory.removeFirst(); historyRotated++; }
            return true;
        }

        void closeLot(long lotNo) {
            LotRoom room = openLots.remove(lotNo);
            if (room.highPaddle != null) settled++;
            // BUG: the lot's outbid callbacks are never unsubscribed (the fixed variant is only for measuring).
            if (fixed) bus.unsubscribeLot(lotNo);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val15.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(15_020_002);
        AuctionHouse house = new AuctionHouse(fixed);
        HOUSE = house;
        for (int i = 0; i < 35; i++) house.config.setProperty("auction.increment.band." + i, (50 * (i + 1)) + "");
        String[] artists = new String[800];
        for (int a = 0; a < artists.length; a++) artists[a] = "Artist " + a + " (" + (1850 + a % 170) + "-" + (1900 + a % 120) + ")";
        for (int i = 0; i < CATALOGUE; i++) {
            byte[] prov = new byte[512];
            rnd.nextBytes(prov);
            int low = 500 + rnd.nextInt(50_000);
            Catalogue.LOTS_BY_NO.put((long) (100_000 + i), new Artwork(100_000 + i, "Untitled composition no. " + i + ", oil on canvas", artists[rnd.nextInt(artists.length)], low, low * 2, prov, "Good; minor craquelure, relined " + (1950 + i % 70)));
        }
        String[] paddles = new String[BIDDERS];
        for (int b = 0; b < BIDDERS; b++) {
            byte[] kyc = new byte[48];
            rnd.nextBytes(kyc);
            paddles[b] = "P" + (700_000 + b);
            house.biddersByPaddle.put(paddles[b], new Bidder(paddles[b], "Collector " + b, b % 3 == 0 ? "GB" : b % 3 == 1 ? "US" : "HK", 10_000 * (1 + rnd.nextInt(50)), kyc));
        }
        // Listeners registered once at startup.
        long[] houseSeen = new long[5];
        for (int l = 0; l < houseSeen.length; l++) { final int k = l; house.bus.houseListeners.add(e -> houseSeen[k]++); }
        CyclicBarrier ready = new CyclicBarrier(NOTIFIERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < NOTIFIERS; w++) warm.add(house.notifiers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Minute by minute: lot m opens at minute m and closes at minute m + 30; each open lot
        // gets 0-2 bid attempts a minute (an attempt below the current high bid is rejected).
        long bidSeq = 0;
        int accepted = 0;
        for (int m = 0; m < 600; m++) {
            long t = start + m * MINUTE;
            int closing = m - LOT_MINUTES;
            if (closing >= 0) house.closeLot(100_000L + closing * 37L);
            long lotNo = 100_000L + m * 37L;
            house.openLots.put(lotNo, new LotRoom(Catalogue.LOTS_BY_NO.get(lotNo), t, t + LOT_MINUTES * MINUTE));
            for (long open = Math.max(0, m - LOT_MINUTES + 1); open <= m; open++) {
                long no = 100_000L + open * 37L;
                LotRoom room = house.openLots.get(no);
                int attempts = rnd.nextInt(3);
                for (int a = 0; a < attempts; a++) {
                    long at = t + rnd.nextInt(60_000);
                    Bidder b = house.biddersByPaddle.get(paddles[rnd.nextInt(BIDDERS)]);
                    int amount = Math.max(room.highBid, room.art.estimateLow / 2) + 50 * (rnd.nextInt(8) - 1);
                    byte[] frame = new byte[256 + rnd.nextInt(512)];
                    frame[0] = (byte) a;
                    if (house.placeBid(new BidRequest(++bidSeq, no, b, amount, at, "ws-" + Long.toHexString(bidSeq * 2_654_435_761L), frame))) accepted++;
                }
                if (house.images.get(no) == null) { byte[] img = new byte[4_096]; img[0] = (byte) open; house.images.put(no, img); }
                long browse = 100_000L + rnd.nextInt(CATALOGUE);
                if (house.images.get(browse) == null) { byte[] img = new byte[4_096]; img[1] = (byte) m; house.images.put(browse, img); }
            }
        }
        int openBids = 0;
        for (LotRoom r : house.openLots.values()) openBids += r.bids;
        int leaked = fixed ? 0 : accepted - openBids;
        System.out.println((fixed ? "FIXED " : "") + "catalogue " + Catalogue.LOTS_BY_NO.size() + " bidders " + house.biddersByPaddle.size() + " attempts " + bidSeq + " accepted " + accepted + " registrations " + house.bus.registrations.size() + " (open-lot bids " + openBids + ", leaked " + leaked + ") open lots " + house.openLots.size() + " settled " + house.settled + " images " + house.images.size() + " (evicted " + house.images.evicted + ") history " + house.bidHistory.size() + " (rotated " + house.historyRotated + ") outbid pushes " + house.outbidPushes);
        check(Catalogue.LOTS_BY_NO.size() == CATALOGUE && house.biddersByPaddle.size() == BIDDERS, "reference data");
        check(house.openLots.size() == LOT_MINUTES && house.settled <= LOTS - LOT_MINUTES, "open lots");
        check(house.bus.registrations.size() == openBids + leaked && house.bus.houseListeners.size() == 5 && houseSeen[0] == accepted, "bus");
        int closedRegs = 0;
        for (AuctionEventBus.Registration r : house.bus.registrations) if (!house.openLots.containsKey(r.lotNo)) closedRegs++;
        check(closedRegs == leaked, "registrations of closed lots");
        check(house.images.size() == IMAGE_CAP && house.images.evicted > 0, "image lru");
        check(house.bidHistory.size() == HISTORY_CAP && house.historyRotated == accepted - HISTORY_CAP, "bid history");
        check(house.notifiers.getPoolSize() == NOTIFIERS, "pool");
        paddles = null; artists = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
