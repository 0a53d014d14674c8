// hprofscan-dump: name=val17-leak-propertysearch-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val17-leak-propertysearch-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val17-leak-propertysearch jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val17-leak-propertysearch-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 17 (written blind), LEAK, series: the search API of a property-listing portal.
 * Search results are cached in {@code SearchService.queryCache}, a plain HashMap keyed by the
 * normalised query text (city, property type, bedrooms, price cap, sort); the bug: the cache has no
 * bound and no eviction, and the query space is effectively unbounded (price caps, bedroom counts
 * and cities combine freely), so it grows with traffic. Stage 1 after 2 hours (9,000 searches),
 * stage 2 after 4 hours (18,000), stage 3 after 8 hours (36,000). Legitimate beside it: the
 * listing index (a static map, the biggest structure), the lazily warmed agent directory (at full
 * size from stage 1), a listing-page LRU at its cap, the saved-search alert queue and a fixed
 * HTTP pool. See testdata/VALIDATION17.md.
 */
public final class Val17LeakPropertySearch {
    static final int LISTINGS = 50_000;
    static final int AGENTS = 2_500;
    static final int CITIES = 120;
    static final int PAGE_CAP = 2_000;
    static final int FIXED_QUERY_CAP = 2_000;
    static final int SEARCHES_PER_HOUR = 4_500;
    static final int VIEWS_PER_HOUR = 2_500;
    static final int HTTP_THREADS = 8;
    static final int ALERT_CAP = 4_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static SearchService SEARCH;

    static final class Listing { final long id; final String city; final String type; final int beds; final int price; final String address; final String description; final double[] location; final int[] features; final int agentId; final long listedAt;
        Listing(long id, String city, String type, int beds, int price, String address, String description, double[] location, int[] features, int agentId, long listedAt) { this.id = id; this.city = city; this.type = type; this.beds = beds; this.price = price; this.address = address; this.description = description; this.location = location; this.features = features; this.agentId = agentId; this.listedAt = listedAt; } }

    /** Reference data: every listing on the portal, loaded at startup from the listing feed. */
    static final class ListingIndex {
        static final Map<Long, Listing> BY_ID = new HashMap<>();
        static final List<Listing> ALL = new ArrayList<>();
    }

    static final class Agent { final int id; final String branch; final String phone; final byte[] logo;
        Agent(int id, String branch, String phone, byte[] logo) { this.id = id; this.branch = branch; this.phone = phone; this.logo = logo; } }

    static final class SearchPage { final String query; final long[] listingIds; final int[] facetCounts; final int totalHits; final long computedAt; int hits;
        SearchPage(String query, long[] listingIds, int[] facetCounts, int totalHits, long computedAt) { this.query = query; this.listingIds = listingIds; this.facetCounts = facetCounts; this.totalHits = totalHits; this.computedAt = computedAt; } }

    static final class PageLru extends LinkedHashMap<Long, String> {
        final int cap; long evicted;
        PageLru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, String> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    /** Used only by the fixed variant (for measuring): the query cache as it should be, bounded. */
    static final class BoundedQueryCache extends LinkedHashMap<String, SearchPage> {
        BoundedQueryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchPage> e) { return size() > FIXED_QUERY_CAP; }
    }

    static final class SavedSearchAlert { final String email; final String query; final long listingId; final long at;
        SavedSearchAlert(String email, String query, long listingId, long at) { this.email = email; this.query = query; this.listingId = listingId; this.at = at; } }

    static final class SearchService {
        final Map<String, SearchPage> queryCache;
        final Map<Integer, Agent> agents = new ConcurrentHashMap<>();
        final PageLru listingPages = new PageLru(PAGE_CAP);
        final ArrayBlockingQueue<SavedSearchAlert> alerts = new ArrayBlockingQueue<>(ALERT_CAP);
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "search-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long cacheMisses, alertsSent;
        // BUG: an unbounded HashMap (the fixed variant, only for measuring, uses a bounded LRU).
        SearchService(boolean fixed) { queryCache = fixed ? new BoundedQueryCache() : new HashMap<>(); }

        Agent agent(int id) {
            return agents.computeIfAbsent(id, k -> {
                Random r = new Random(k);
                byte[] logo = new byte[1_800 + r.nextInt(400)];
                r.nextBytes(logo);
                return new Agent(k, "Branch " + k + " Estates, " + (1 + k % 90) + " Market Street", "0113 " + (400_0000 + k), logo);
            });
        }

        SearchPage search(String city, String type, int beds, int maxPrice, String sort, long t) {
            String key = ("city=" + city + "|type=" + type + "|beds>=" + beds + "|price<=" + maxPrice + "|sort=" + sort).toLowerCase();
            SearchPage p = queryCache.get(key);
            if (p != null) { p.hits++; return p; }
            cacheMisses++;
            Random rnd = new Random(key.hashCode()); // stands in for the search engine: same query, same result
            long[] ids = new long[24];
            int[] facets = new int[24];
            for (int k = 0; k < ids.length; k++) ids[k] = ListingIndex.ALL.get(rnd.nextInt(LISTINGS)).id;
            for (int k = 0; k < facets.length; k++) facets[k] = rnd.nextInt(400);
            p = new SearchPage(key, ids, facets, 20 + rnd.nextInt(900), t);
            queryCache.put(key, p);
            for (long id : ids) agent(ListingIndex.BY_ID.get(id).agentId); // result cards show the agent's logo
            return p;
        }

        String listingPage(Listing l) {
            String page = listingPages.get(l.id);
            if (page == null) {
                Agent a = agent(l.agentId);
                StringBuilder sb = new StringBuilder(1_600);
                sb.append("<article><h1>").append(l.address).append("</h1><p>").append(l.description).append("</p><p>Agent: ").append(a.branch).append(", ").append(a.phone).append("</p>");
                while (sb.length() < 1_400) sb.append("<li>feature ").append(sb.length() % 97).append("</li>");
                page = sb.append("</article>").toString();
                listingPages.put(l.id, page);
            }
            return page;
        }

        void alert(SavedSearchAlert a) { if (!alerts.offer(a)) throw new IllegalStateException("alert queue full"); }
        void sendAlerts() { alertsSent += alerts.size(); alerts.clear(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val17.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(17_040_004);
        SearchService svc = new SearchService(fixed);
        SEARCH = svc;
        for (int i = 0; i < 40; i++) svc.config.setProperty("search.boost.field." + i, Double.toString(1 + i * 0.05));
        String[] cities = new String[CITIES];
        for (int c = 0; c < CITIES; c++) cities[c] = "Town" + (char) ('A' + c % 26) + (c / 26);
        String[] types = {"Detached", "Semi-Detached", "Terraced", "Flat", "Bungalow", "Cottage"};
        String[] sorts = {"newest", "price-asc", "price-desc", "relevance"};
        for (int i = 0; i < LISTINGS; i++) {
            int[] features = new int[6];
            for (int k = 0; k < 6; k++) features[k] = rnd.nextInt(50);
            String city = cities[rnd.nextInt(CITIES)];
            String type = types[rnd.nextInt(types.length)];
            int beds = 1 + rnd.nextInt(5);
            Listing l = new Listing(3_000_000L + i, city, type, beds, 90_000 + rnd.nextInt(900) * 1_000, (1 + rnd.nextInt(200)) + " Orchard Close, " + city, beds + " bedroom " + type.toLowerCase() + " for sale in " + city + ", close to schools and the station, with garden and off-street parking",
                    new double[] {53 + rnd.nextDouble(), -1.5 + rnd.nextDouble()}, features, rnd.nextInt(AGENTS), start - rnd.nextInt(90 * 24) * HOUR);
            ListingIndex.BY_ID.put(l.id, l);
            ListingIndex.ALL.add(l);
        }
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // 300 popular searches make up a third of the traffic; the rest combine freely.
        String[] popular = new String[300];
        int searches = (int) (SEARCHES_PER_HOUR * hours);
        int views = (int) (VIEWS_PER_HOUR * hours);
        long nextAlertRun = start + 15 * MINUTE;
        int[][] pop = new int[300][5];
        for (int k = 0; k < 300; k++) pop[k] = new int[] {rnd.nextInt(CITIES), rnd.nextInt(types.length), 1 + rnd.nextInt(4), 150 + 25 * rnd.nextInt(12), rnd.nextInt(sorts.length)};
        int viewsDone = 0;
        for (int i = 0; i < searches; i++) {
            long t = start + (now - start) * i / searches;
            while (nextAlertRun <= t) { svc.sendAlerts(); nextAlertRun += 15 * MINUTE; }
            int[] q = rnd.nextInt(3) == 0 ? pop[rnd.nextInt(300)] : new int[] {rnd.nextInt(CITIES), rnd.nextInt(types.length), 1 + rnd.nextInt(5), 100 + 5 * rnd.nextInt(180), rnd.nextInt(sorts.length)};
            SearchPage p = svc.search(cities[q[0]], types[q[1]], q[2], q[3] * 1_000, sorts[q[4]], t);
            int targetViews = (int) ((long) views * (i + 1) / searches);
            while (viewsDone < targetViews) {
                Listing l = ListingIndex.BY_ID.get(rnd.nextInt(4) == 0 ? p.listingIds[rnd.nextInt(p.listingIds.length)] : 3_000_000L + rnd.nextInt(LISTINGS));
                svc.listingPage(l);
                viewsDone++;
            }
            if (i % 7 == 0) svc.alert(new SavedSearchAlert("user" + rnd.nextInt(500_000) + "@mail.example.com", p.query, p.listingIds[0], t));
        }
        int neverHit = 0;
        for (SearchPage p : svc.queryCache.values()) if (p.hits == 0) neverHit++;
        System.out.println("stage " + stage + (fixed ? " FIXED" : "") + " listings " + ListingIndex.BY_ID.size() + " searches " + searches + " cache misses " + svc.cacheMisses + " query cache " + svc.queryCache.size() + " (never hit again " + neverHit + ") agents " + svc.agents.size() + " listing pages " + svc.listingPages.size() + " (evicted " + svc.listingPages.evicted + ") views " + viewsDone + " alerts pending " + svc.alerts.size() + " sent " + svc.alertsSent);
        check(ListingIndex.BY_ID.size() == LISTINGS, "listings");
        check(svc.queryCache.size() == (fixed ? FIXED_QUERY_CAP : svc.cacheMisses), "query cache");
        check(svc.agents.size() == AGENTS, "agent directory fully warm");
        check(svc.listingPages.size() == PAGE_CAP && viewsDone == views, "listing page lru");
        check(svc.alerts.size() + svc.alertsSent == (searches + 6) / 7 && svc.alerts.size() > 0, "alert queue");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        pop = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
