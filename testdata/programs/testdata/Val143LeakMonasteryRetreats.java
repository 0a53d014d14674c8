// hprofscan-dump: name=val143-leak-monasteryretreats jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val143-leak-monasteryretreats-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 143 (written blind), LEAK: the booking site of a network of monastery and abbey
 * guesthouses that offer retreats (silent retreats, retreats with a guided programme, work weeks in
 * the garden). Guesthouse reference data, the retreat directory, an LRU of rendered retreat pages at
 * its cap, a pool of letter buffers, a ring of the search log, a confirmation-mail queue with a
 * backlog, and the search service's result cache, a {@code HashMap<RetreatQuery, SearchResult>}.
 * {@code RetreatQuery} has equals/hashCode over its region, month, nights and its filter list; the
 * search handler puts the query it was given (filters as the UI sent them: display labels, click
 * order) and afterwards normalises the filters of that same object in place (lower case, sorted) for
 * the search log and the availability service. The stored key then no longer equals any query the UI
 * sends, and it sits in the bucket of its old hash: every search with filters misses and adds an
 * entry. See VALIDATION143.md.
 */
public final class Val143LeakMonasteryRetreats {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOUSES = 700, RETREATS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, SEARCHES = 15_000, SHAPES = 2_400;
    static final String[] REGIONS = {"Burgundy", "Tuscany", "Umbria", "Bavaria", "Tyrol", "Castile", "Catalonia", "Provence", "Brittany", "Northumberland", "Wales", "Kerry", "Silesia", "Moravia", "Dalmatia", "Mount Athos", "Cappadocia", "Normandy", "Galicia", "Flanders", "Westphalia", "Lombardy", "Aragon", "Alsace"};
    static final String[] FILTERS = {"Silent", "Guided Programme", "Single Room", "Vegetarian Meals", "Garden Work", "Step-Free Access", "Chant and Vespers", "Icon Painting", "Walking", "Under 30s"};
    static boolean FIXED;

    record Guesthouse(String code, String name, String region, double[] occupancyByWeek) {}
    record Retreat(String retreatId, String houseCode, String title, byte[] description, int nights, int priceCents, long listedAt) {}
    record RetreatPage(String key, byte[] rendered, long at) {}
    record SearchLogEntry(long searchNo, String region, int month, int nights, String filters, int results, boolean cacheHit, long at) {}
    record Confirmation(String bookingRef, String email, byte[] letter, long queuedAt) {}

    /** A search as the UI sends it. equals/hashCode cover the filter list, which the handler normalises in place. */
    static final class RetreatQuery {
        final String region; final int month; final int nights; final List<String> filters;
        RetreatQuery(String region, int month, int nights, List<String> filters) { this.region = region; this.month = month; this.nights = nights; this.filters = filters; }
        /** Lower-cases and sorts the filters, in place. */
        void normalise() {
            for (int k = 0; k < filters.size(); k++) filters.set(k, filters.get(k).toLowerCase(Locale.ROOT));
            Collections.sort(filters);
        }
        @Override public boolean equals(Object o) {
            if (!(o instanceof RetreatQuery q)) return false;
            return month == q.month && nights == q.nights && region.equals(q.region) && filters.equals(q.filters);
        }
        @Override public int hashCode() { return Objects.hash(region, month, nights, filters); }
    }

    static final class SearchResult {
        final String[] retreatIds; final int[] priceCents; final byte[] facets; final long computedAt;
        SearchResult(String[] retreatIds, int[] priceCents, byte[] facets, long computedAt) { this.retreatIds = retreatIds; this.priceCents = priceCents; this.facets = facets; this.computedAt = computedAt; }
    }

    static final class SearchCache {
        final Map<RetreatQuery, SearchResult> results = new HashMap<>();
        long hits, misses;
    }

    static final class PageCache extends LinkedHashMap<String, RetreatPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RetreatPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Guesthouse> HOUSES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Retreat> retreats = new HashMap<>();
        final String[] retreatIds = new String[RETREATS];
        final Map<String, List<String>> byRegion = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> letterBuffers = new ArrayDeque<>();
        final SearchLogEntry[] searchLog = new SearchLogEntry[RING];
        final ArrayDeque<Confirmation> confirmations = new ArrayDeque<>();
        final SearchCache cache = new SearchCache();
        long searches, bookings, mailsSent, pageViews, withFilters;

        SearchResult compute(RetreatQuery q, Random r, long t) {
            List<String> inRegion = byRegion.get(q.region);
            int n = 8 + r.nextInt(25);
            String[] ids = new String[n];
            int[] prices = new int[n];
            for (int k = 0; k < n; k++) { ids[k] = inRegion.get(r.nextInt(inRegion.size())); prices[k] = retreats.get(ids[k]).priceCents(); }
            return new SearchResult(ids, prices, new byte[120 + r.nextInt(200)], t);
        }

        /** The search handler. */
        SearchResult search(RetreatQuery q, Random r, long t) {
            searches++;
            if (!q.filters.isEmpty()) withFilters++;
            if (FIXED) q.normalise();
            SearchResult res = cache.results.get(q);
            boolean hit = res != null;
            if (hit) cache.hits++;
            else {
                cache.misses++;
                res = compute(q, r, t);
                cache.results.put(q, res);
            }
            // the search log and the availability service want canonical filters
            q.normalise();
            searchLog[(int) ((searches - 1) % RING)] = new SearchLogEntry(searches, q.region, q.month, q.nights, String.join(",", q.filters), res.retreatIds.length, hit, t);
            return res;
        }

        void view(Random r, long t) {
            pageViews++;
            String key = "retreat-" + retreatIds[r.nextInt(RETREATS)];
            if (pages.get(key) == null) pages.put(key, new RetreatPage(key, new byte[400 + r.nextInt(400)], t));
        }

        void book(SearchResult res, Random r, long t) {
            bookings++;
            byte[] buf = letterBuffers.poll();
            buf[(int) (bookings % buf.length)] = (byte) res.retreatIds.length;
            letterBuffers.add(buf);
            confirmations.add(new Confirmation("BK" + (610_000 + bookings), "guest" + r.nextInt(90_000) + "@mail.example", new byte[300 + r.nextInt(300)], t));
        }

        void sendMail(long t) {
            while (!confirmations.isEmpty() && confirmations.peek().queuedAt() + 10 * MINUTE <= t) { confirmations.poll(); mailsSent++; }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The query a visitor submits for popular shape {@code shape}: filters as display labels, in click order. */
    static RetreatQuery query(int shape, Random click) {
        Random q = new Random(143_020_100L + shape);
        String region = REGIONS[q.nextInt(REGIONS.length)];
        int month = 1 + q.nextInt(12), nights = new int[] {2, 3, 5, 7}[q.nextInt(4)];
        List<String> filters = new ArrayList<>();
        if (q.nextInt(10) != 0) for (String f : FILTERS) if (q.nextInt(5) == 0) filters.add(f);
        Collections.shuffle(filters, click);
        return new RetreatQuery(region, month, nights, filters);
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(143_020_001);
        String[] houseCodes = new String[HOUSES];
        for (int h = 0; h < HOUSES; h++) {
            double[] occ = new double[52];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            houseCodes[h] = "GH-" + (3_000 + h);
            HOUSES_BY_CODE.put(houseCodes[h], new Guesthouse(houseCodes[h], "Abbey guesthouse " + h, REGIONS[h % REGIONS.length], occ));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] kinds = {"Silent retreat", "Guided retreat", "Work week", "Advent retreat", "Lent retreat", "Icon course", "Gregorian chant weekend", "Pilgrim stay"};
        for (int i = 0; i < RETREATS; i++) {
            String id = "RT-" + (500_000 + i * 3);
            String house = houseCodes[rnd.nextInt(HOUSES)];
            svc.retreatIds[i] = id;
            svc.retreats.put(id, new Retreat(id, house, kinds[rnd.nextInt(kinds.length)] + " " + i, new byte[150 + rnd.nextInt(150)], new int[] {2, 3, 5, 7}[rnd.nextInt(4)], 9_000 + rnd.nextInt(60_000), today - (long) (1 + rnd.nextInt(900)) * DAY));
            svc.byRegion.computeIfAbsent(HOUSES_BY_CODE.get(house).region(), k -> new ArrayList<>()).add(id);
        }
        for (int b = 0; b < POOL; b++) svc.letterBuffers.add(new byte[32_768]);
        Random traffic = new Random(143_020_002), click = new Random(143_020_003), results = new Random(143_020_004);
        for (int i = 0; i < SEARCHES; i++) {
            long t = start + (end - MINUTE - start) * i / SEARCHES;
            int shape = traffic.nextInt(100) < 70 ? traffic.nextInt(SHAPES / 4) : traffic.nextInt(SHAPES);
            SearchResult res = svc.search(query(shape, click), results, t);
            for (int v = traffic.nextInt(4); v > 0; v--) svc.view(traffic, t);
            if (traffic.nextInt(100) < 6) svc.book(res, traffic, t);
            svc.sendMail(t);
        }
    }

    // leaking run: cache entries, entries whose key was normalised after insertion, hits, bookings, mail backlog
    static final long[] EXPECT = {12_173, 11_803, 2_827, 892, 18};
    static final long[] EXPECT_FIXED = {2_052, 0, 12_948, 892, 18};

    static void report() {
        BookingService svc = SERVICE;
        long mutated = 0;
        for (RetreatQuery q : svc.cache.results.keySet()) if (!q.filters.isEmpty()) mutated++;
        long stranded = 0; // entries that no lookup can find any more
        for (RetreatQuery q : svc.cache.results.keySet()) if (svc.cache.results.get(q) == null) stranded++;
        long[] got = {svc.cache.results.size(), stranded, svc.cache.hits, svc.bookings, svc.confirmations.size()};
        System.out.println((FIXED ? "FIXED " : "") + "houses " + HOUSES_BY_CODE.size() + " retreats " + svc.retreats.size() + " searches " + svc.searches + " (with filters " + svc.withFilters + ") cache entries " + got[0]
                + " (with filters " + mutated + ", unreachable by lookup " + got[1] + ") hits " + got[2] + " misses " + svc.cache.misses + " page views " + svc.pageViews + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ")"
                + " bookings " + got[3] + " mails sent " + svc.mailsSent + " backlog " + got[4] + " pool " + svc.letterBuffers.size());
        check(HOUSES_BY_CODE.size() == HOUSES && svc.retreats.size() == RETREATS, "reference data / directory");
        check(svc.searches == SEARCHES && svc.cache.hits + svc.cache.misses == SEARCHES && svc.cache.results.size() == svc.cache.misses, "search accounting");
        if (FIXED) check(stranded == 0, "every entry reachable");
        else check(stranded == mutated && svc.cache.misses >= svc.withFilters, "every filtered search missed and stranded its entry");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.letterBuffers.size() == POOL && svc.searchLog[RING - 1] != null, "pool / ring");
        long[] want = FIXED ? EXPECT_FIXED : EXPECT;
        for (int k = 0; k < want.length; k++) check(got[k] == want[k], "count #" + k + " is " + got[k] + ", expected " + want[k]);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val143.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
