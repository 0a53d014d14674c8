// hprofscan-dump: name=val111-leak-truffleauctions jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val111-leak-truffleauctions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.MemoryHandler;

/**
 * Validation set 111 (written blind), LEAK: the bidding service of an online truffle auction house
 * (fresh white and black truffles, sold by lot in timed sales). Truffle-region reference data, the
 * bidder directory, the lots of the running sales, a cache of rendered lot pages at its cap, a pool
 * of photo buffers, a ring of recent bids, and a static java.util.logging Logger with one ops-console
 * handler. Every bid request attaches a per-request capture handler to that logger (a JDK
 * MemoryHandler of 32 records whose target keeps the request's context, so that a request that fails
 * can push its last log lines into an incident bundle) and removes it in a finally block; but the
 * validation that rejects a bid below the current minimum returns before that try/finally, so every
 * rejected bid leaves its handler on the logger for good. See VALIDATION111.md.
 */
public final class Val111LeakTruffleAuctions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGIONS = 900, BIDDERS = 22_000, LOTS = 3_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int HOURS = 10, BIDS_PER_HOUR = 3_000, CONSOLE_LINES = 2_000, CAPTURE_RECORDS = 32;
    static final int EXPECTED_REJECTED = 4_988;
    static boolean FIXED;

    static final String[] SPECIES = {"Tuber magnatum", "Tuber melanosporum", "Tuber aestivum", "Tuber uncinatum", "Tuber borchii"};

    record Region(String code, String name, double[] weeklyPriceIndex) {}
    record Bidder(String paddle, String regionCode, String name, byte[] biddingHistory, long registeredAt) {}
    record LotPage(String key, byte[] rendered, long at) {}
    record BidEntry(String requestId, String lotCode, String paddle, long amountCents, long at, boolean accepted) {}

    static final class Lot {
        final String code; final String regionCode; final String species; final int grams; final long reserveCents; final long closesAt;
        long highestCents; String highestPaddle; int bids;
        Lot(String code, String regionCode, String species, int grams, long reserveCents, long closesAt) {
            this.code = code; this.regionCode = regionCode; this.species = species; this.grams = grams; this.reserveCents = reserveCents; this.closesAt = closesAt;
        }
        long minimumNext() { return highestCents == 0 ? reserveCents : highestCents + Math.max(500, highestCents / 20); }
    }

    /** What a request's incident bundle needs: kept by the capture handler of that request. */
    static final class BidContext {
        final String requestId; final String paddle; final String lotCode; final long receivedAt; final byte[] requestBody;
        BidContext(String requestId, String paddle, String lotCode, long receivedAt, byte[] requestBody) {
            this.requestId = requestId; this.paddle = paddle; this.lotCode = lotCode; this.receivedAt = receivedAt; this.requestBody = requestBody;
        }
    }

    /** Target of a request's MemoryHandler: receives the buffered records when a SEVERE record is pushed. */
    static final class IncidentCapture extends Handler {
        final BidContext context; final List<String> lines = new ArrayList<>();
        IncidentCapture(BidContext context) { this.context = context; }
        @Override public void publish(LogRecord r) { lines.add(context.requestId + " " + r.getLevel().getName() + " " + r.getMessage()); }
        @Override public void flush() {}
        @Override public void close() { lines.clear(); }
    }

    /** The ops console's tail: the last CONSOLE_LINES formatted lines. Added once, at startup. */
    static final class ConsoleRingHandler extends Handler {
        final String[] ring = new String[CONSOLE_LINES]; long published;
        @Override public synchronized void publish(LogRecord r) {
            if (!isLoggable(r)) return;
            ring[(int) (published++ % ring.length)] = r.getMillis() + " " + r.getLevel().getName() + " " + r.getMessage();
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class PageCache extends LinkedHashMap<String, LotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("com.tartufo.auction.bids");

    static final class AuctionService {
        final Map<String, Bidder> bidders = new HashMap<>();
        final String[] paddles = new String[BIDDERS];
        final Map<String, Lot> lots = new HashMap<>();
        final Lot[] lotList = new Lot[LOTS];
        final PageCache lotPages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final BidEntry[] recentBids = new BidEntry[RING];
        final ConsoleRingHandler console = new ConsoleRingHandler();
        long requests, accepted, rejected, handlersAdded, handlersRemoved;

        void placeBid(Random r, long t) {
            String requestId = "bid-" + Long.toHexString(0x7c40_0000L + requests);
            requests++;
            Bidder bidder = bidders.get(paddles[r.nextInt(BIDDERS)]);
            Lot lot = lotList[r.nextInt(LOTS)];
            long minimum = lot.minimumNext();
            // one bidder in six bids from a stale lot page, below the current minimum
            long amount = r.nextInt(6) == 0 ? minimum - 100 - r.nextInt(4_000) : minimum + 500L * r.nextInt(6);
            BidContext ctx = new BidContext(requestId, bidder.paddle(), lot.code, t, new byte[1_000 + r.nextInt(1_000)]);
            MemoryHandler capture = new MemoryHandler(new IncidentCapture(ctx), CAPTURE_RECORDS, Level.SEVERE);
            LOG.addHandler(capture);
            handlersAdded++;
            LOG.fine(requestId + " received: lot " + lot.code + " paddle " + bidder.paddle() + " " + amount);
            if (!FIXED && amount < minimum) {
                reject(requestId, lot, bidder, amount, minimum, t);
                return; // BUG: returns before the try/finally below, the capture handler stays on LOG
            }
            try {
                if (amount < minimum) {
                    reject(requestId, lot, bidder, amount, minimum, t);
                    return;
                }
                lot.highestCents = amount; lot.highestPaddle = bidder.paddle(); lot.bids++;
                accepted++;
                recentBids[(int) ((requests - 1) % RING)] = new BidEntry(requestId, lot.code, bidder.paddle(), amount, t, true);
                String key = "page-" + lot.code + "-" + (lot.bids % 3);
                if (lotPages.get(key) == null) lotPages.put(key, new LotPage(key, new byte[500 + r.nextInt(500)], t));
                byte[] photo = photoBuffers.poll();
                photo[(int) (requests % photo.length)] = (byte) ctx.requestBody.length;
                photoBuffers.add(photo);
                LOG.info(requestId + " accepted: lot " + lot.code + " (" + lot.species + ", " + lot.grams + " g) now " + amount + " by " + bidder.paddle());
            } finally {
                LOG.removeHandler(capture);
                handlersRemoved++;
            }
        }

        void reject(String requestId, Lot lot, Bidder bidder, long amount, long minimum, long t) {
            rejected++;
            recentBids[(int) ((requests - 1) % RING)] = new BidEntry(requestId, lot.code, bidder.paddle(), amount, t, false);
            LOG.warning(requestId + " rejected: lot " + lot.code + " bid " + amount + " below minimum " + minimum + " (paddle " + bidder.paddle() + ")");
        }
    }

    static AuctionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(111_010_001);
        String[] regionCodes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] index = new double[52];
            for (int k = 0; k < index.length; k++) index[k] = 80 + rnd.nextDouble() * 60;
            regionCodes[g] = "TR-" + (1_000 + g);
            REGIONS_BY_CODE.put(regionCodes[g], new Region(regionCodes[g], "Truffle region " + g, index));
        }
        AuctionService svc = new AuctionService();
        SERVICE = svc;
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(svc.console);
        for (int b = 0; b < BIDDERS; b++) {
            svc.paddles[b] = "P" + (510_000 + b * 7);
            svc.bidders.put(svc.paddles[b], new Bidder(svc.paddles[b], regionCodes[rnd.nextInt(REGIONS)], "Bidder " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int l = 0; l < LOTS; l++) {
            String code = "LOT-" + (24_000 + l);
            Lot lot = new Lot(code, regionCodes[rnd.nextInt(REGIONS)], SPECIES[rnd.nextInt(SPECIES.length)], 20 + rnd.nextInt(400), 5_000L + rnd.nextInt(200_000), end + (1 + rnd.nextInt(48)) * HOUR);
            svc.lots.put(code, lot);
            svc.lotList[l] = lot;
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(111_010_002);
        int bids = BIDS_PER_HOUR * HOURS;
        for (int i = 0; i < bids; i++) {
            long t = start + (end - MINUTE - start) * i / bids;
            svc.placeBid(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            FIXED = Boolean.getBoolean("val111.fixed");
            simulate();
            AuctionService svc = SERVICE;
            int onLogger = LOG.getHandlers().length;
            int bids = BIDS_PER_HOUR * HOURS;
            System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " bidders " + svc.bidders.size() + " lots " + svc.lots.size() + " bids " + svc.requests + " accepted " + svc.accepted + " rejected " + svc.rejected
                    + " handlers +" + svc.handlersAdded + " -" + svc.handlersRemoved + " on logger " + onLogger + " console lines " + svc.console.published + " pages " + svc.lotPages.size() + " (evicted " + svc.lotPages.evicted + ") pool " + svc.photoBuffers.size());
            check(REGIONS_BY_CODE.size() == REGIONS && svc.bidders.size() == BIDDERS && svc.lots.size() == LOTS, "reference data / directory / lots");
            check(svc.requests == bids && svc.accepted + svc.rejected == bids && svc.rejected == EXPECTED_REJECTED, "bids");
            check(svc.handlersAdded == bids && svc.handlersRemoved == (FIXED ? bids : bids - EXPECTED_REJECTED), "capture handlers");
            check(onLogger == 1 + (FIXED ? 0 : EXPECTED_REJECTED), "handlers on the logger");
            check(svc.console.published == bids, "console lines");
            check(svc.lotPages.size() == PAGE_CAP && svc.lotPages.evicted > 0, "page cache at cap");
            check(svc.photoBuffers.size() == POOL, "pool");
            check(svc.recentBids[RING - 1] != null, "ring full");
            svc = null;
            LeakCheck.histogram("java.util.logging.");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
