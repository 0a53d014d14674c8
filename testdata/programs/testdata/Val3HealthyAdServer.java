// hprofscan-dump: name=val3-healthy-adserver jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val3-healthy-adserver-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), HEALTHY: an ad server (real-time bidding).
 *
 * <p>A geo-IP database loaded at startup (400,000 ranges in primitive arrays, 20,000 locations),
 * 6,000 campaigns indexed by country (reference data), frequency caps per user cookie (random
 * UUID keys, 30-minute TTL, swept every minute: about 3,000 live), a pool of 256 reusable
 * {@code BidRequest} objects (all returned), a 64 KiB ThreadLocal scratch buffer on each of the
 * 6 bidder threads (fixed pool), a win-notice batch buffer flushed every 1,000 (640 waiting),
 * metrics. Nothing here is a leak. See testdata/VALIDATION3.md.
 */
public final class Val3HealthyAdServer {
    static final int GEO_RANGES = 400_000;
    static final int LOCATIONS = 20_000;
    static final int CAMPAIGNS = 6_000;
    static final int COUNTRIES = 250;
    static final int POOL = 256;
    static final int BIDDERS = 6;
    static final int WIN_BATCH = 1_000;
    static final long CAP_TTL = 30 * 60_000L;
    static final int AUCTIONS = 100_000;
    static final long SIM_MILLIS = 8L * 3600_000L;

    static AdServer RUNNING;

    static final class Location {
        final int id; final String country; final String city; final float lat; final float lon;
        Location(int id, String country, String city, float lat, float lon) { this.id = id; this.country = country; this.city = city; this.lat = lat; this.lon = lon; }
    }

    /** Reference data: sorted IPv4 range starts and the location of each range. */
    static final class GeoIpDatabase {
        static final GeoIpDatabase INSTANCE = new GeoIpDatabase();
        final long[] rangeStarts = new long[GEO_RANGES];
        final int[] locationIndex = new int[GEO_RANGES];
        final Location[] locations = new Location[LOCATIONS];
        final long loadedAt = System.currentTimeMillis();
        GeoIpDatabase() {
            for (int i = 0; i < LOCATIONS; i++) locations[i] = new Location(i, country(i % COUNTRIES), "City-" + i, (i % 180) - 90f, (i % 360) - 180f);
            long step = (1L << 32) / GEO_RANGES;
            for (int i = 0; i < GEO_RANGES; i++) { rangeStarts[i] = i * step; locationIndex[i] = (int) ((i * 2_654_435_761L) % LOCATIONS); }
        }
        Location lookup(long ip) {
            int idx = java.util.Arrays.binarySearch(rangeStarts, ip);
            if (idx < 0) idx = -idx - 2;
            return locations[locationIndex[idx]];
        }
    }

    static String country(int i) { return "" + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26); }

    static final class Campaign {
        final long id; final String advertiser; final BitSet targetCountries; final int bidMicros; final byte[] creative;
        Campaign(long id, String advertiser, BitSet targetCountries, int bidMicros, byte[] creative) { this.id = id; this.advertiser = advertiser; this.targetCountries = targetCountries; this.bidMicros = bidMicros; this.creative = creative; }
    }

    static final class CampaignIndex {
        static final Map<String, List<Campaign>> BY_COUNTRY = new HashMap<>();
        static void load(Random rnd) {
            for (int c = 0; c < COUNTRIES; c++) BY_COUNTRY.put(country(c), new ArrayList<>());
            for (int i = 0; i < CAMPAIGNS; i++) {
                BitSet t = new BitSet(COUNTRIES);
                for (int k = 0; k < 3; k++) t.set((i * 31 + k * 83) % COUNTRIES);
                Campaign camp = new Campaign(50_000_000L + i, "Advertiser " + (i % 700), t, 500 + rnd.nextInt(5_000), new byte[256]);
                for (int c = t.nextSetBit(0); c >= 0; c = t.nextSetBit(c + 1)) BY_COUNTRY.get(country(c)).add(camp);
            }
        }
    }

    static final class FrequencyCap {
        final String cookieId; int impressions; long firstSeen; long lastSeen;
        FrequencyCap(String cookieId, long now) { this.cookieId = cookieId; firstSeen = lastSeen = now; }
    }

    static final class FrequencyCapStore {
        final Map<String, FrequencyCap> byCookie = new ConcurrentHashMap<>();
        final long ttlMillis = CAP_TTL;
        void sweep(long now) { byCookie.values().removeIf(c -> now - c.lastSeen > ttlMillis); }
    }

    static final class BidRequest {
        String auctionId; long ip; Location location; final byte[] rawBody = new byte[4_096]; int bodyLength;
        void reset() { auctionId = null; ip = 0; location = null; bodyLength = 0; }
    }

    static final class BidRequestPool {
        final ArrayDeque<BidRequest> free = new ArrayDeque<>();
        int outstanding;
        BidRequestPool() { for (int i = 0; i < POOL; i++) free.add(new BidRequest()); }
        BidRequest acquire() { outstanding++; BidRequest r = free.poll(); return r != null ? r : new BidRequest(); }
        void release(BidRequest r) { outstanding--; r.reset(); if (free.size() < POOL) free.push(r); }
    }

    static final class WinNotice {
        final String auctionId; final long campaignId; final int priceMicros; final long at;
        WinNotice(String auctionId, long campaignId, int priceMicros, long at) { this.auctionId = auctionId; this.campaignId = campaignId; this.priceMicros = priceMicros; this.at = at; }
    }

    static final class WinNoticeBatcher {
        final List<WinNotice> buffer = new ArrayList<>(WIN_BATCH);
        long flushed, added;
        void add(WinNotice w) { added++; buffer.add(w); if (buffer.size() == WIN_BATCH) { flushed += buffer.size(); buffer.clear(); } }
    }

    static final class AdServer {
        final FrequencyCapStore caps = new FrequencyCapStore();
        final BidRequestPool requests = new BidRequestPool();
        final WinNoticeBatcher wins = new WinNoticeBatcher();
        final ExecutorService bidders;
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        AdServer() {
            AtomicInteger n = new AtomicInteger();
            bidders = Executors.newFixedThreadPool(BIDDERS, r -> { Thread t = new Thread(r, "bidder-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void auction(Random rnd, String cookie, long now, int a) {
            BidRequest req = requests.acquire();
            try {
                req.auctionId = "auc-" + (800_000_000L + a);
                req.ip = rnd.nextLong() & 0xffff_ffffL;
                req.location = GeoIpDatabase.INSTANCE.lookup(req.ip);
                req.bodyLength = 600 + rnd.nextInt(2_000);
                FrequencyCap cap = caps.byCookie.computeIfAbsent(cookie, k -> new FrequencyCap(k, now));
                cap.impressions++; cap.lastSeen = now;
                List<Campaign> eligible = CampaignIndex.BY_COUNTRY.get(req.location.country);
                if (!eligible.isEmpty() && cap.impressions < 20) {
                    Campaign best = eligible.get(rnd.nextInt(eligible.size()));
                    if (a % 4 == 0) wins.add(new WinNotice(req.auctionId, best.id, best.bidMicros, now));
                    count("auction.bid");
                } else {
                    count("auction.nobid");
                }
            } finally {
                requests.release(req);
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static AdServer build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        GeoIpDatabase geo = GeoIpDatabase.INSTANCE;
        Random rnd = new Random(5_150);
        CampaignIndex.load(rnd);
        AdServer s = new AdServer();
        CyclicBarrier barrier = new CyclicBarrier(BIDDERS);
        Future<?>[] warm = new Future<?>[BIDDERS];
        for (int i = 0; i < BIDDERS; i++) warm[i] = s.bidders.submit(() -> { AdServer.SCRATCH.get(); barrier.await(); return null; });
        for (Future<?> f : warm) f.get();
        // a population of returning cookies plus new ones
        String[] returning = new String[2_000];
        for (int i = 0; i < returning.length; i++) returning[i] = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        for (int a = 0; a < AUCTIONS; a++) {
            long t = start + SIM_MILLIS * a / AUCTIONS;
            String cookie = a % 3 == 0 ? new UUID(rnd.nextLong(), rnd.nextLong()).toString() : returning[rnd.nextInt(returning.length)];
            s.auction(rnd, cookie, t, a);
            if (a % 208 == 207) s.caps.sweep(t); // about once a simulated minute
        }
        s.caps.sweep(now);
        System.out.println("frequency caps " + s.caps.byCookie.size() + ", wins waiting " + s.wins.buffer.size());
        check(s.requests.free.size() == POOL && s.requests.outstanding == 0, "bid request pool");
        check(s.wins.buffer.size() == s.wins.added % WIN_BATCH && s.wins.flushed > 0, "wins waiting " + s.wins.buffer.size());
        check(geo.locations.length == LOCATIONS && CampaignIndex.BY_COUNTRY.size() == COUNTRIES, "reference data");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
