// hprofscan-dump: name=val107-leak-cottagesearch jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val107-leak-cottagesearch-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 107 (written blind), LEAK: the search service of a holiday-cottage letting site.
 * Region reference data, the cottage directory, a size-capped cache of rendered result pages, a pool
 * of query-parse buffers, a ring of search-log lines, the guest directory, and the "recent
 * searches" drop-down: RecentSearches.byGuest, a HashMap from guest id to a LinkedList of the
 * guest's last queries. The trim runs only when size() == LIMIT, but a search that got a spelling
 * suggestion records two entries (the query and the suggestion) at once: a list that steps over the
 * limit is never trimmed again and grows with every later search of that guest. See
 * VALIDATION107.md.
 */
public final class Val107LeakCottageSearch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGIONS = 1_100, COTTAGES = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, GUESTS = 12_000, LIMIT = 8, HOURS = 10, SEARCHES = 140_000;
    static boolean FIXED;

    record Region(String code, String name, double[] weeklyOccupancy) {}
    record Cottage(String ref, String regionCode, int sleeps, byte[] description, long listedAt) {}
    record Guest(long id, String email, long registeredAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record SearchLogLine(long guestId, String query, int results, long at) {}

    static final class RecentSearches {
        final HashMap<Long, LinkedList<String>> byGuest = new HashMap<>();
        long recorded, withSuggestion;
        void record(long guestId, String query, String suggestion) {
            LinkedList<String> l = byGuest.computeIfAbsent(guestId, k -> new LinkedList<>());
            recorded++;
            if (FIXED) { // the fix: add, then trim down to the limit whatever was added
                l.addLast(query);
                if (suggestion != null) { l.addLast(suggestion); withSuggestion++; }
                while (l.size() > LIMIT) l.removeFirst();
                return;
            }
            if (l.size() == LIMIT) l.removeFirst(); // BUG: misses a list that is already over the limit
            l.addLast(query);
            if (suggestion != null) { l.addLast(suggestion); withSuggestion++; }
        }
    }

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Cottage> cottages = new HashMap<>();
        final Map<Long, Guest> guests = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<char[]> parseBuffers = new ArrayDeque<>();
        final SearchLogLine[] log = new SearchLogLine[RING];
        final RecentSearches recent = new RecentSearches();
        long searches;
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(107_020_001);
        String[] towns = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "RG" + (4_000 + r);
            towns[r] = "Pentre" + (char) ('a' + r % 26) + (r / 26);
            REGIONS_BY_CODE.put(code, new Region(code, towns[r], occ));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        for (int c = 0; c < COTTAGES; c++) {
            String ref = "CT-" + (70_000 + c);
            svc.cottages.put(ref, new Cottage(ref, "RG" + (4_000 + rnd.nextInt(REGIONS)), 2 + rnd.nextInt(10), new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(3_000)) * DAY));
        }
        for (int g = 0; g < GUESTS; g++) {
            long id = 5_000_000L + g;
            svc.guests.put(id, new Guest(id, "guest" + id + "@example.org", now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(new char[16_384]);
        Random traffic = new Random(107_020_002);
        String[] extras = {"", " dog friendly", " hot tub", " sea view", " wood burner", " ev charger"};
        for (int i = 0; i < SEARCHES; i++) {
            long t = start + (end - MINUTE - start) * i / SEARCHES;
            double u = traffic.nextDouble();
            long guest = 5_000_000L + (long) (GUESTS * u * u * u); // a few guests search a lot
            int town = traffic.nextInt(REGIONS);
            int sleeps = 2 + traffic.nextInt(10);
            boolean typo = traffic.nextInt(100) < 4;
            String query = (typo ? towns[town].substring(1) : towns[town]) + " sleeps " + sleeps + extras[traffic.nextInt(extras.length)];
            String suggestion = typo ? "did you mean " + towns[town] + " sleeps " + sleeps : null;
            svc.recent.record(guest, query, suggestion);
            svc.log[(int) (svc.searches++ % RING)] = new SearchLogLine(guest, query, traffic.nextInt(60), t);
            String key = "p-" + traffic.nextInt(6_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ResultPage(key, new byte[500 + traffic.nextInt(500)], t));
            char[] buf = svc.parseBuffers.poll();
            buf[i % buf.length] = 'q';
            svc.parseBuffers.add(buf);
        }
    }

    /** {entries, lists over the limit, entries beyond the limit, longest list}. */
    static long[] listStats(RecentSearches r) {
        long[] st = new long[4];
        for (LinkedList<String> l : r.byGuest.values()) {
            st[0] += l.size();
            st[3] = Math.max(st[3], l.size());
            if (l.size() > LIMIT) { st[1]++; st[2] += l.size() - LIMIT; }
        }
        return st;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val107.fixed");
        run();
        SearchService svc = SERVICE;
        RecentSearches r = svc.recent;
        long[] st = listStats(r);
        long entries = st[0], over = st[1], overEntries = st[2], maxSize = st[3];
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " cottages " + svc.cottages.size() + " guests " + svc.guests.size() + " searches " + svc.searches
                + " recorded " + r.recorded + " (with suggestion " + r.withSuggestion + ") lists " + r.byGuest.size() + " entries " + entries + " over limit " + over + " entries beyond limit " + overEntries
                + " longest " + maxSize + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.parseBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.cottages.size() == COTTAGES && svc.guests.size() == GUESTS, "reference data / directories");
        check(r.recorded == SEARCHES && svc.searches == SEARCHES, "searches");
        if (FIXED) check(over == 0 && maxSize == LIMIT, "fixed lists at most " + LIMIT);
        else check(over > 0 && maxSize > 10 * LIMIT, "lists over the limit: " + over);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.parseBuffers.size() == POOL && svc.log[RING - 1] != null, "pool / ring");
        svc = null; r = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
