// hprofscan-dump: name=val8-leak-adbidding jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val8-leak-adbidding-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 8 (written blind), LEAK: a real-time bidding service (an ad-exchange bidder) that
 * has run for 12 simulated hours. The leak: {@code WinNoticeDeduplicator.seen}, a map keyed by
 * the auction id (a random UUID per bid request) that was meant to drop duplicate win notices
 * for a few minutes but is never pruned (55,000 notices, the oldest 12 hours old). Beside it: the
 * campaign directory loaded at startup, a user-segment LRU at capacity, one budget pacer per
 * campaign, a preallocated ring of bid-log records, a scratch buffer per bidder thread and the
 * config. See testdata/VALIDATION8.md.
 */
public final class Val8LeakAdBidding {
    static final int CAMPAIGNS = 6_000;
    static final int SEGMENT_CAP = 20_000;
    static final int BID_LOG_SLOTS = 8_192;
    static final int BIDDERS = 4;
    static final int BID_REQUESTS = 200_000;
    static final int WINS = 55_000;
    static final long HOUR = 3_600_000L;
    static final long SIM_MILLIS = 12 * HOUR;

    static BidderService RUNNING;

    static final class Campaign {
        final long campaignId; final String advertiserId; final String name; final String[] targetedSegments; final int[] geoIds; final String[] creativeIds;
        final long bidCpmMicros; final long dailyBudgetMicros; final long startsAt; final long endsAt;
        Campaign(long campaignId, String advertiserId, String name, String[] targetedSegments, int[] geoIds, String[] creativeIds, long bidCpmMicros, long dailyBudgetMicros, long startsAt, long endsAt) {
            this.campaignId = campaignId; this.advertiserId = advertiserId; this.name = name; this.targetedSegments = targetedSegments; this.geoIds = geoIds; this.creativeIds = creativeIds;
            this.bidCpmMicros = bidCpmMicros; this.dailyBudgetMicros = dailyBudgetMicros; this.startsAt = startsAt; this.endsAt = endsAt;
        }
    }

    /** Reference data: every active campaign, loaded once at startup from the ad server. */
    static final class CampaignDirectory {
        static final Map<Long, Campaign> BY_ID = new HashMap<>(CAMPAIGNS * 2);
    }

    static final class UserSegments {
        final String userKey; final int[] segmentIds; final long fetchedAt;
        UserSegments(String userKey, int[] segmentIds, long fetchedAt) { this.userKey = userKey; this.segmentIds = segmentIds; this.fetchedAt = fetchedAt; }
    }

    /** The segments of the most recently seen 20,000 users (a DMP lookup costs 8 ms). */
    static final class SegmentCache extends LinkedHashMap<String, UserSegments> {
        final int maxEntries;
        SegmentCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, UserSegments> e) { return size() > maxEntries; }
    }

    static final class BudgetPacer {
        final long campaignId; long spentTodayMicros; long windowStartedAt; int bidsThisWindow; final long[] hourlySpendMicros = new long[24];
        BudgetPacer(long campaignId) { this.campaignId = campaignId; }
    }

    static final class BidLogRecord { long auctionAt; long campaignId; long bidMicros; int exchangeId; boolean won; }

    /** The last 8,192 bids for the debugging endpoint; records are preallocated and overwritten. */
    static final class BidLog {
        final BidLogRecord[] slots = new BidLogRecord[BID_LOG_SLOTS];
        long written;
        BidLog() { for (int i = 0; i < slots.length; i++) slots[i] = new BidLogRecord(); }
        BidLogRecord next() { return slots[(int) (written++ % BID_LOG_SLOTS)]; }
    }

    static final class WinNotice {
        final String auctionId; final long campaignId; final String creativeId; final long clearingPriceMicros; final String exchange; final long receivedAt; final String impressionUrl;
        WinNotice(String auctionId, long campaignId, String creativeId, long clearingPriceMicros, String exchange, long receivedAt, String impressionUrl) {
            this.auctionId = auctionId; this.campaignId = campaignId; this.creativeId = creativeId; this.clearingPriceMicros = clearingPriceMicros; this.exchange = exchange; this.receivedAt = receivedAt; this.impressionUrl = impressionUrl;
        }
    }

    /**
     * THE LEAK: exchanges resend win notices, so each notice is remembered by auction id to be
     * counted once. The "forget after 10 minutes" part was never written.
     */
    static final class WinNoticeDeduplicator {
        final Map<String, WinNotice> seen = new ConcurrentHashMap<>();
        long duplicates;
        boolean firstTime(WinNotice n) {
            if (seen.putIfAbsent(n.auctionId, n) == null) return true;
            duplicates++;
            return false;
        }
    }

    static final class BidEncoder {
        /** A 256 KB scratch buffer per bidder thread for the OpenRTB response. */
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256 * 1024]);
    }

    static final class BidderService {
        final SegmentCache segments = new SegmentCache(SEGMENT_CAP);
        final Map<Long, BudgetPacer> pacers = new ConcurrentHashMap<>();
        final BidLog bidLog = new BidLog();
        final WinNoticeDeduplicator wins = new WinNoticeDeduplicator();
        final ExecutorService bidders = Executors.newFixedThreadPool(BIDDERS, new java.util.concurrent.ThreadFactory() {
            final AtomicInteger n = new AtomicInteger();
            @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, "bidder-" + n.incrementAndGet()); t.setDaemon(true); return t; }
        });
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Live heap bytes from the class histogram's Total line (only with -Dval8.share=true). */
    static long liveBytes() throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.trim().startsWith("Total")) { String[] t = line.trim().split("\\s+"); total = Long.parseLong(t[2]); }
        }
        p.waitFor();
        return total;
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(8_010_001);
        BidderService svc = new BidderService();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("bidder.exchange." + i + ".timeoutMillis", Integer.toString(80 + i % 40));
        String[] exchanges = {"adx", "openx", "pubmatic", "rubicon", "xandr", "index", "triplelift", "sovrn"};
        long[] campaignIds = new long[CAMPAIGNS];
        for (int i = 0; i < CAMPAIGNS; i++) {
            campaignIds[i] = 9_100_000L + i * 7;
            String[] segs = new String[12 + i % 12];
            for (int s = 0; s < segs.length; s++) segs[s] = "seg-" + ((i * 31 + s * 17) % 4_000);
            int[] geos = new int[20 + i % 40];
            for (int g = 0; g < geos.length; g++) geos[g] = 1_000 + (i + g * 13) % 9_000;
            String[] creatives = new String[2 + i % 6];
            for (int c = 0; c < creatives.length; c++) creatives[c] = "cr-" + campaignIds[i] + "-" + c;
            CampaignDirectory.BY_ID.put(campaignIds[i], new Campaign(campaignIds[i], "ADV-" + (i % 900), "Campaign " + i + " spring push", segs, geos, creatives,
                    500_000L + rnd.nextInt(4_000_000), 50_000_000L * (1 + i % 20), start - 86_400_000L * (1 + i % 60), now + 86_400_000L * (1 + i % 30)));
            svc.pacers.put(campaignIds[i], new BudgetPacer(campaignIds[i]));
        }
        // Warm a scratch buffer on each bidder thread (all four run at once).
        CyclicBarrier warm = new CyclicBarrier(BIDDERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < BIDDERS; w++) fs.add(svc.bidders.submit(() -> { BidEncoder.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        int wins = 0;
        List<WinNotice> resend = new ArrayList<>();
        for (int i = 0; i < BID_REQUESTS; i++) {
            long t = start + SIM_MILLIS * i / BID_REQUESTS;
            String auctionId = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            String userKey = "u" + Long.toHexString(0x5A00_0000L + rnd.nextInt(60_000));
            UserSegments us = svc.segments.get(userKey);
            if (us == null) {
                int[] ids = new int[8 + rnd.nextInt(24)];
                for (int s = 0; s < ids.length; s++) ids[s] = rnd.nextInt(4_000);
                svc.segments.put(userKey, new UserSegments(userKey, ids, t));
            }
            Campaign c = CampaignDirectory.BY_ID.get(campaignIds[rnd.nextInt(CAMPAIGNS)]);
            BudgetPacer p = svc.pacers.get(c.campaignId);
            p.bidsThisWindow++;
            int ex = rnd.nextInt(exchanges.length);
            BidLogRecord rec = svc.bidLog.next();
            rec.auctionAt = t; rec.campaignId = c.campaignId; rec.bidMicros = c.bidCpmMicros; rec.exchangeId = ex; rec.won = false;
            // About 27.5% of the bids win: exactly WINS notices over the run.
            if (wins < WINS && (long) (i + 1) * WINS / BID_REQUESTS > wins) {
                wins++;
                rec.won = true;
                long price = c.bidCpmMicros * (60 + rnd.nextInt(40)) / 100;
                WinNotice n = new WinNotice(auctionId, c.campaignId, c.creativeIds[rnd.nextInt(c.creativeIds.length)], price, exchanges[ex], t + 150 + rnd.nextInt(900),
                        "https://imp." + exchanges[ex] + ".example/win?auction=" + auctionId + "&price=" + Long.toHexString(price * 31));
                if (svc.wins.firstTime(n)) { p.spentTodayMicros += price / 1000; p.hourlySpendMicros[(int) ((t / HOUR) % 24)] += price / 1000; }
                if (rnd.nextInt(100) < 4) resend.add(n);
                if (resend.size() > 50) { for (WinNotice r : resend) svc.wins.firstTime(r); resend.clear(); }
            }
        }
        long olderThanHour = 0;
        for (WinNotice n : svc.wins.seen.values()) if (now - n.receivedAt > HOUR) olderThanHour++;
        System.out.println("campaigns " + CampaignDirectory.BY_ID.size() + " pacers " + svc.pacers.size() + " segments " + svc.segments.size() + " bidlog " + svc.bidLog.written
                + " wins " + svc.wins.seen.size() + " (duplicates " + svc.wins.duplicates + ", older than 1 h " + olderThanHour + ")");
        check(CampaignDirectory.BY_ID.size() == CAMPAIGNS && svc.pacers.size() == CAMPAIGNS, "campaigns");
        check(svc.segments.size() == SEGMENT_CAP, "segments");
        check(svc.bidLog.written == BID_REQUESTS, "bid log");
        check(svc.wins.seen.size() == WINS, "win notices");
        System.gc();
        if (Boolean.getBoolean("val8.share")) {
            long before = liveBytes();
            svc.wins.seen.clear();
            System.gc();
            long after = liveBytes();
            System.out.printf("share: live %d, leak %d (%.1f%%)%n", before, before - after, 100.0 * (before - after) / before);
            System.exit(0);
        }
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
