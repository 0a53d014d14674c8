// hprofscan-dump: name=val125-leak-weddingvenues-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val125-leak-weddingvenues-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val125-leak-weddingvenues jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val125-leak-weddingvenues-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 125 (written blind), LEAK (growth series): the venue-search service of a wedding
 * venue marketplace. Couples search by region, wedding date, guest count, budget, style, sort order
 * and page; the search service memoises each rendered result page in a ConcurrentHashMap keyed by
 * the normalised query string, with no size bound and no expiry. Almost every query carries its
 * own date and guest count, so only refreshes and "back" clicks hit: the map grows with traffic.
 * Ordinary components beside it: region reference data, the venue directory (with its index by
 * region and each venue's availability bitmap), an LRU of rendered brochures at its cap, a pool of
 * image buffers, a ring of recent searches, the enquiry outbox with its backlog.
 * Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION125.md.
 */
public final class Val125LeakWeddingVenues {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGIONS = 600, VENUES = 18_000, BROCHURE_CAP = 600, POOL = 8, RING = 4_096, SEARCHES_PER_HOUR = 1_500,
            PAGE_SIZE = 10, RECENT_QUERIES = 64, OUTBOX_LAG_MINUTES = 10, FIXED_CAP = 1_000;
    static final String[] STYLES = {"barn", "country-house", "castle", "hotel", "marquee", "city-loft", "beach"};
    static final String[] SORTS = {"relevance", "price-asc", "price-desc", "capacity"};
    static final int[] BUDGETS = {4_000, 6_000, 8_000, 10_000, 12_500, 15_000, 20_000, 30_000};
    static final String[] COUNTIES = {"Cotswolds", "Peak District", "Lake District", "Cornwall", "Norfolk", "Yorkshire Dales", "Kent", "Devon", "Highlands", "Snowdonia"};
    static boolean FIXED;

    record Region(String code, String name, double[] enquiriesByWeek) {}
    record Venue(String id, String name, String region, String style, int capacity, int priceFrom, long[] bookedDays, byte[] brochureMeta, long listedAt) {}
    /** One rendered page of search results. */
    record SearchPage(String[] venueIds, int totalMatches, String html, long computedAt) {}
    record SearchLog(String query, int results, boolean cached, long at) {}
    record Brochure(String venueId, byte[] pdf, long renderedAt) {}
    record Enquiry(String enquiryId, String venueId, String coupleEmail, String message, long at) {}

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class BrochureCache extends LinkedHashMap<String, Brochure> {
        long evicted;
        BrochureCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Brochure> e) { if (size() > BROCHURE_CAP) { evicted++; return true; } return false; }
    }

    /** Used only with -Dval125.fixed=true: the bounded cache of the fix. */
    static final class BoundedPages extends LinkedHashMap<String, SearchPage> {
        BoundedPages() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchPage> e) { return size() > FIXED_CAP; }
    }

    static final class VenueDirectory {
        final Map<String, Venue> byId = new HashMap<>();
        final Map<String, List<Venue>> byRegion = new HashMap<>();
        final String[] ids = new String[VENUES];
        void add(int i, Venue v) { ids[i] = v.id(); byId.put(v.id(), v); byRegion.computeIfAbsent(v.region(), k -> new ArrayList<>()).add(v); }
    }

    static final class VenueSearch {
        /** Rendered result pages by normalised query string. BUG: no bound, no expiry. */
        final Map<String, SearchPage> resultCache = FIXED ? Collections.synchronizedMap(new BoundedPages()) : new ConcurrentHashMap<>();
        long searches, hits, rendered;

        SearchPage search(VenueDirectory dir, String query, String region, int dayOffset, int guests, int budget, String style, String sort, int page, long t) {
            searches++;
            SearchPage cached = resultCache.get(query);
            if (cached != null) { hits++; return cached; }
            List<Venue> matches = new ArrayList<>();
            for (Venue v : dir.byRegion.getOrDefault(region, List.of())) {
                boolean booked = (v.bookedDays()[dayOffset >> 6] & (1L << (dayOffset & 63))) != 0;
                if (!booked && v.capacity() >= guests && v.priceFrom() <= budget) matches.add(v);
            }
            switch (sort) {
                case "price-asc": matches.sort((a, b) -> Integer.compare(a.priceFrom(), b.priceFrom())); break;
                case "price-desc": matches.sort((a, b) -> Integer.compare(b.priceFrom(), a.priceFrom())); break;
                case "capacity": matches.sort((a, b) -> Integer.compare(b.capacity(), a.capacity())); break;
                default: matches.sort((a, b) -> Boolean.compare(b.style().equals(style), a.style().equals(style)));
            }
            int from = Math.min(matches.size(), (page - 1) * PAGE_SIZE), to = Math.min(matches.size(), from + PAGE_SIZE);
            String[] ids = new String[to - from];
            StringBuilder html = new StringBuilder(1_024).append("<ol class=\"results\" data-total=\"").append(matches.size()).append("\">");
            for (int k = from; k < to; k++) {
                Venue v = matches.get(k);
                ids[k - from] = v.id();
                html.append("<li data-id=\"").append(v.id()).append("\"><h3>").append(v.name()).append("</h3><span>").append(v.style()).append(" &middot; up to ")
                        .append(v.capacity()).append(" guests &middot; from &pound;").append(v.priceFrom()).append("</span></li>");
            }
            if (ids.length == 0) html.append("<li class=\"empty\">No venues match: try another date or a larger budget</li>");
            html.append("</ol>");
            SearchPage p = new SearchPage(ids, matches.size(), html.toString(), t);
            resultCache.put(query, p);
            rendered++;
            return p;
        }
    }

    static final class MarketplaceService {
        final VenueDirectory venues = new VenueDirectory();
        final VenueSearch search = new VenueSearch();
        final BrochureCache brochures = new BrochureCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final SearchLog[] recent = new SearchLog[RING];
        final String[] recentQueries = new String[RECENT_QUERIES];
        final ArrayDeque<Enquiry> outbox = new ArrayDeque<>();
        long logged, enquiries, enquiriesSent, brochureViews, repeats;
    }

    static MarketplaceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        long today = end - end % DAY;
        long todayEpochDay = today / DAY; // dates in queries: whole days after the start of today (UTC)
        Random rnd = new Random(125_010_001);
        String[] regionCodes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] w = new double[52];
            for (int j = 0; j < w.length; j++) w[j] = rnd.nextDouble() * 120;
            regionCodes[g] = "RG" + (1_000 + g * 7);
            REGIONS_BY_CODE.put(regionCodes[g], new Region(regionCodes[g], COUNTIES[g % COUNTIES.length] + " " + (1 + g / COUNTIES.length), w));
        }
        MarketplaceService svc = new MarketplaceService();
        SERVICE = svc;
        for (int i = 0; i < VENUES; i++) {
            long[] booked = new long[12];
            for (int d = 0; d < 768; d++) if (rnd.nextInt(100) < 35) booked[d >> 6] |= 1L << (d & 63);
            String style = STYLES[rnd.nextInt(STYLES.length)];
            svc.venues.add(i, new Venue("WV-" + (40_000 + i * 3), (i % 3 == 0 ? "The Old " : i % 3 == 1 ? "" : "Hall at ") + COUNTIES[rnd.nextInt(COUNTIES.length)] + " " + style + " " + (i % 97),
                    regionCodes[rnd.nextInt(REGIONS)], style, 60 + 10 * rnd.nextInt(25), 3_000 + 250 * rnd.nextInt(90), booked, new byte[150 + rnd.nextInt(150)],
                    today - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);

        Random traffic = new Random(125_010_002), browse = new Random(125_010_003);
        int total = SEARCHES_PER_HOUR * hours;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            String region, sort, style, query;
            int dayOffset, guests, budget, page;
            int kind = traffic.nextInt(100);
            String previous = i > 0 ? svc.recentQueries[(i - 1 - traffic.nextInt(Math.min(i, RECENT_QUERIES))) % RECENT_QUERIES] : null;
            if (previous != null && kind < 10) { // refresh or "back": the same query again
                query = previous;
                svc.repeats++;
            } else if (previous != null && kind < 18) { // next page of a recent query
                int p = Integer.parseInt(previous.substring(previous.lastIndexOf('=') + 1));
                query = previous.substring(0, previous.lastIndexOf('=') + 1) + (p % 4 + 1);
            } else {
                region = regionCodes[traffic.nextInt(4) == 0 ? traffic.nextInt(40) : traffic.nextInt(REGIONS)];
                dayOffset = 30 + traffic.nextInt(700);
                guests = 40 + 10 * traffic.nextInt(22);
                budget = BUDGETS[traffic.nextInt(BUDGETS.length)];
                style = STYLES[traffic.nextInt(STYLES.length)];
                sort = SORTS[traffic.nextInt(SORTS.length)];
                page = 1;
                query = "region=" + region + "&date=" + LocalDate.ofEpochDay(todayEpochDay + dayOffset) + "&guests=" + guests + "&budget=" + budget
                        + "&style=" + style + "&sort=" + sort + "&page=" + page;
            }
            // parse back (the cache key is what the service receives)
            Map<String, String> q = new HashMap<>();
            for (String kv : query.split("&")) q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            dayOffset = (int) (LocalDate.parse(q.get("date")).toEpochDay() - todayEpochDay);
            SearchPage res = svc.search.search(svc.venues, query, q.get("region"), dayOffset, Integer.parseInt(q.get("guests")), Integer.parseInt(q.get("budget")),
                    q.get("style"), q.get("sort"), Integer.parseInt(q.get("page")), t);
            svc.recentQueries[i % RECENT_QUERIES] = query;
            svc.recent[(int) (svc.logged++ % RING)] = new SearchLog(query, res.totalMatches(), res.computedAt() != t, t);
            if (res.venueIds().length > 0 && browse.nextInt(100) < 40) {
                String venueId = res.venueIds()[browse.nextInt(res.venueIds().length)];
                Brochure br = svc.brochures.get(venueId);
                if (br == null) svc.brochures.put(venueId, br = new Brochure(venueId, new byte[400 + browse.nextInt(400)], t));
                byte[] buf = svc.imageBuffers.poll();
                buf[browse.nextInt(buf.length)] = (byte) br.pdf().length;
                svc.imageBuffers.add(buf);
                svc.brochureViews++;
                if (browse.nextInt(100) < 12) {
                    StringBuilder msg = new StringBuilder("Hello, we are looking at ").append(q.get("date")).append(" for about ").append(q.get("guests"))
                            .append(" guests. Could you send your wedding packages and confirm the date is free? ");
                    int extra = browse.nextInt(200);
                    for (int k = 0; k < extra; k++) msg.append((char) ('a' + browse.nextInt(26)));
                    svc.outbox.addLast(new Enquiry("ENQ-" + (7_000_000 + svc.enquiries++), venueId, "couple" + browse.nextInt(900_000) + "@example.org", msg.toString(), t));
                }
            }
            while (!svc.outbox.isEmpty() && svc.outbox.peekFirst().at() <= t - OUTBOX_LAG_MINUTES * MINUTE) {
                svc.outbox.pollFirst();
                svc.enquiriesSent++;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val125.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        MarketplaceService svc = SERVICE;
        VenueSearch s = svc.search;
        int total = SEARCHES_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " regions " + REGIONS_BY_CODE.size() + " venues " + svc.venues.byId.size() + " region index " + svc.venues.byRegion.size()
                + " searches " + s.searches + " (repeats " + svc.repeats + ", hits " + s.hits + ", rendered " + s.rendered + ") result cache " + s.resultCache.size()
                + " brochures " + svc.brochures.size() + " (evicted " + svc.brochures.evicted + ", views " + svc.brochureViews + ") pool " + svc.imageBuffers.size()
                + " enquiries " + svc.enquiries + " sent " + svc.enquiriesSent + " backlog " + svc.outbox.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.venues.byId.size() == VENUES, "reference data / directory");
        check(s.searches == total && s.hits + s.rendered == total && svc.recent[(int) Math.min(RING, svc.logged) - 1] != null, "searches");
        long expected = stage == 1 ? 2_672 : stage == 2 ? 5_342 : 10_736;
        check(FIXED ? s.resultCache.size() == FIXED_CAP : s.resultCache.size() == s.rendered, "result cache");
        check(FIXED || s.resultCache.size() == expected, "result cache entries " + s.resultCache.size());
        check(svc.brochures.size() == BROCHURE_CAP && svc.brochures.evicted > 0, "brochure cache at cap");
        check(svc.imageBuffers.size() == POOL, "image buffer pool");
        check(svc.outbox.size() > 0 && svc.enquiries == svc.enquiriesSent + svc.outbox.size(), "enquiry outbox");
    }
}
