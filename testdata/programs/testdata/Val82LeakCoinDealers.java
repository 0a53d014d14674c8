// hprofscan-dump: name=val82-leak-coindealers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val82-leak-coindealers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 82 (written blind), LEAK: the catalogue search of an online marketplace for coin
 * dealers. Mint reference data, the lot directory, a cache of coin images at its cap, a pool of
 * image buffers and a ring of recent bids. Search result pages are memoised in a
 * HashMap<ListingQuery, ResultPage>; ListingQuery's equals/hashCode cover its page number, and
 * after a miss the service builds the page's "next page" link with query.nextPage(), which advances
 * the page number of the very object that was just used as the key. The stored key then no longer
 * matches its own bucket, every later lookup of the same (filter, page) misses, and every request
 * inserts another entry. See VALIDATION82.md.
 */
public final class Val82LeakCoinDealers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MINTS = 1_100, LOTS = 26_000, IMAGE_CAP = 2_000, POOL = 8, RING = 8_192, SEARCHES_PER_HOUR = 2_500, HOURS = 10, PAGES = 5;
    static final String[] COUNTRIES = {"AT", "AU", "BE", "CA", "CH", "CN", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "HU", "IE", "IN", "IT", "JP", "MX", "NL", "PL", "SE", "US"};
    static final String[] ERAS = {"ancient", "medieval", "early-modern", "19th-century", "modern"};
    static final String[] GRADES = {"VF", "EF", "AU", "UNC"};
    static boolean FIXED;

    record Mint(String code, String city, double[] mintageByYear) {}
    record Listing(String lot, String dealer, String mintCode, byte[] description, long listedAt) {}
    record CoinImage(String key, byte[] jpeg, long at) {}
    record Bid(long bidId, String lot, String bidder, int amountCents, long at) {}

    /** A search request; equals/hashCode cover all four fields, page included. */
    static final class ListingQuery {
        final String country, era, grade;
        int page;
        ListingQuery(String country, String era, String grade, int page) { this.country = country; this.era = era; this.grade = grade; this.page = page; }
        /** The query of the next page, for the "next" link. */
        ListingQuery nextPage() {
            if (FIXED) return new ListingQuery(country, era, grade, page + 1); // the fix: a new query object
            page++; // BUG: advances this object, which may already be a key of the memo
            return this;
        }
        String toQueryString() { return "country=" + country + "&era=" + era + "&grade=" + grade + "&page=" + page; }
        @Override public boolean equals(Object o) {
            return o instanceof ListingQuery q && page == q.page && country.equals(q.country) && era.equals(q.era) && grade.equals(q.grade);
        }
        @Override public int hashCode() { return Objects.hash(country, era, grade, page); }
    }

    static final class ResultPage {
        final int[] lotNumbers; final byte[] rendered; final long renderedAt;
        String nextLink;
        ResultPage(int[] lotNumbers, byte[] rendered, long renderedAt) { this.lotNumbers = lotNumbers; this.rendered = rendered; this.renderedAt = renderedAt; }
    }

    static final class ImageCache extends LinkedHashMap<String, CoinImage> {
        long evicted;
        ImageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CoinImage> e) { if (size() > IMAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Mint> MINTS_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Listing> listings = new HashMap<>();
        final ImageCache images = new ImageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Bid[] recentBids = new Bid[RING];
        long bids;
        /** Memo of rendered result pages, invalidated only when the catalogue is re-indexed (nightly). */
        final Map<ListingQuery, ResultPage> memo = new HashMap<>();
        long hits, misses;

        ResultPage search(ListingQuery q, long at, Random r) {
            ResultPage p = memo.get(q);
            if (p != null) { hits++; return p; }
            misses++;
            int[] lots = new int[24];
            for (int k = 0; k < lots.length; k++) lots[k] = 3_000_000 + r.nextInt(LOTS) * 7;
            p = new ResultPage(lots, new byte[100 + r.nextInt(100)], at);
            memo.put(q, p);
            p.nextLink = "/search?" + q.nextPage().toQueryString();
            return p;
        }
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val82.fixed");
        int searches = SEARCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(82_040_001);
        String[] mintCodes = new String[MINTS];
        for (int m = 0; m < MINTS; m++) {
            double[] mintage = new double[48];
            for (int k = 0; k < mintage.length; k++) mintage[k] = rnd.nextDouble() * 1e6;
            mintCodes[m] = "MINT-" + COUNTRIES[m % COUNTRIES.length] + "-" + m;
            MINTS_BY_CODE.put(mintCodes[m], new Mint(mintCodes[m], "Mint city " + m, mintage));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] lots = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lots[l] = "LOT-" + (3_000_000 + l * 7);
            svc.listings.put(lots[l], new Listing(lots[l], "Dealer " + (l % 450), mintCodes[rnd.nextInt(MINTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(82_040_002);
        Random renderer = new Random(82_040_003); // draws only on a memo miss, so the request stream is the same with and without the fix
        Set<String> logicalKeys = new HashSet<>();
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            String country = COUNTRIES[traffic.nextInt(COUNTRIES.length)], era = ERAS[traffic.nextInt(ERAS.length)], grade = GRADES[traffic.nextInt(GRADES.length)];
            int page = 1 + Math.min(traffic.nextInt(PAGES), traffic.nextInt(PAGES)); // page 1 is the most common
            logicalKeys.add(country + "/" + era + "/" + grade + "/" + page);
            svc.search(new ListingQuery(country, era, grade, page), t, renderer);
            String lot = lots[traffic.nextInt(LOTS)];
            svc.recentBids[(int) (svc.bids++ % RING)] = new Bid(800_000_000L + i, lot, "bidder-" + traffic.nextInt(20_000), 500 + traffic.nextInt(200_000), t);
            String key = lot + "/obverse";
            if (svc.images.get(key) == null) svc.images.put(key, new CoinImage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
        }
        System.out.println((FIXED ? "FIXED " : "") + "mints " + MINTS_BY_CODE.size() + " lots " + svc.listings.size() + " searches " + searches + " logical keys " + logicalKeys.size() + " memo " + svc.memo.size()
                + " hits " + svc.hits + " misses " + svc.misses + " images " + svc.images.size() + " (evicted " + svc.images.evicted + ") pool " + svc.imageBuffers.size() + " bids " + svc.bids);
        check(MINTS_BY_CODE.size() == MINTS && svc.listings.size() == LOTS, "reference data / directory");
        check(svc.hits + svc.misses == searches && svc.memo.size() == svc.misses, "memo traffic");
        if (FIXED) check(svc.memo.size() == logicalKeys.size(), "memo holds one page per logical query: " + svc.memo.size());
        else check(svc.hits == 0 && svc.memo.size() == searches, "every lookup misses: " + svc.memo.size());
        check(svc.images.size() == IMAGE_CAP && svc.images.evicted > 0, "image cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.bids == searches && svc.recentBids[RING - 1] != null, "bid ring");
        logicalKeys = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
