// hprofscan-dump: name=val96-leak-holidaylets jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val96-leak-holidaylets-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 96 (written blind), LEAK: the search front end of a holiday-lettings portal.
 * Region reference data, the property directory, the directory of 3,000 signed-in users (fixed), a
 * cache of rendered result pages at its cap, a pool of render buffers, a ring of the search log, and
 * per-user "recent searches" lists (LinkedList<String>) meant to hold 20 entries. Each search adds a
 * batch (the query plus 0-3 accepted suggestions). BUG: the cap is enforced with
 * {@code if (list.size() == CAP) list.removeFirst()} before {@code addAll(batch)}, so a batch of two
 * or more takes the list past 20 and the check never fires again: every user's list grows with
 * every search. See VALIDATION96.md.
 */
public final class Val96LeakHolidayLets {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 1_200, PROPERTIES = 22_000, USERS = 3_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, SEARCHES = 60_000, HOURS = 8, RECENT_CAP = 20;
    static boolean FIXED;

    record Region(String code, String name, double[] seasonalPriceIndex) {}
    record Property(String listingId, String regionCode, int sleeps, byte[] description, long listedAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record SearchLogEntry(String userId, String query, int results, long at) {}

    static final class UserProfile {
        final String userId; final String email; final long joinedAt;
        final LinkedList<String> recentSearches = new LinkedList<>();
        long searches;
        UserProfile(String userId, String email, long joinedAt) { this.userId = userId; this.email = email; this.joinedAt = joinedAt; }

        void remember(List<String> batch) {
            LinkedList<String> recent = recentSearches;
            if (FIXED) {
                while (!recent.isEmpty() && recent.size() + batch.size() > RECENT_CAP) recent.removeFirst();
                recent.addAll(batch);
            } else {
                if (recent.size() == RECENT_CAP) recent.removeFirst(); // BUG: == lets a batch jump past the cap
                recent.addAll(batch);
            }
            searches++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Property> properties = new HashMap<>();
        final Map<String, UserProfile> users = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final SearchLogEntry[] searchLog = new SearchLogEntry[RING];
        long logged;
        final String[] suggestions = new String[400];
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(96_020_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] idx = new double[72];
            for (int k = 0; k < idx.length; k++) idx[k] = 0.5 + rnd.nextDouble();
            regionCodes[r] = "RG-" + (r / 40) + "-" + (r % 40);
            REGIONS_BY_CODE.put(regionCodes[r], new Region(regionCodes[r], "Region " + r, idx));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        for (int p = 0; p < PROPERTIES; p++) {
            String id = "HL" + (800_000 + p * 3);
            svc.properties.put(id, new Property(id, regionCodes[rnd.nextInt(REGIONS)], 2 + rnd.nextInt(10), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        String[] userIds = new String[USERS];
        for (int u = 0; u < USERS; u++) {
            userIds[u] = "U" + (5_100_000 + u * 11);
            svc.users.put(userIds[u], new UserProfile(userIds[u], "guest" + u + "@mail.example", now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        String[] places = {"Keswick", "St Ives", "Whitby", "Tenby", "Aviemore", "Padstow", "Ambleside", "Rye", "Portree", "Hay-on-Wye", "Bakewell", "Dartmouth"};
        String[] kinds = {"cottage", "lodge", "barn conversion", "apartment", "cabin with hot tub", "farmhouse"};
        for (int s = 0; s < svc.suggestions.length; s++) svc.suggestions[s] = kinds[s % kinds.length] + " near " + places[(s / kinds.length) % places.length] + " sleeps " + (2 + s % 9);
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(96_020_002);
        long entriesAdded = 0;
        int[] batchSizes = new int[5];
        for (int i = 0; i < SEARCHES; i++) {
            long t = start + (end - MINUTE - start) * i / SEARCHES;
            UserProfile user = svc.users.get(userIds[traffic.nextInt(USERS)]);
            String query = kinds[traffic.nextInt(kinds.length)] + " " + places[traffic.nextInt(places.length)] + " " + (1 + traffic.nextInt(28)) + "/" + (1 + traffic.nextInt(12)) + " for " + (1 + traffic.nextInt(14)) + " nights, " + (1 + traffic.nextInt(8)) + " guests" + (traffic.nextInt(3) == 0 ? ", dog friendly" : "");
            int accepted = traffic.nextInt(4);
            List<String> batch = new java.util.ArrayList<>(1 + accepted);
            batch.add(query);
            for (int k = 0; k < accepted; k++) batch.add(svc.suggestions[traffic.nextInt(svc.suggestions.length)]);
            user.remember(batch);
            entriesAdded += batch.size();
            batchSizes[batch.size()]++;
            svc.searchLog[(int) (svc.logged++ % RING)] = new SearchLogEntry(user.userId, query, traffic.nextInt(300), t);
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ResultPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        long held = 0; int maxList = 0, overCap = 0, atMostCap = 0;
        for (UserProfile u : svc.users.values()) {
            held += u.recentSearches.size();
            maxList = Math.max(maxList, u.recentSearches.size());
            if (u.recentSearches.size() > RECENT_CAP) overCap++; else atMostCap++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " properties " + svc.properties.size() + " users " + svc.users.size() + " searches " + svc.logged
                + " entries added " + entriesAdded + " (batches of 1/2/3/4: " + batchSizes[1] + "/" + batchSizes[2] + "/" + batchSizes[3] + "/" + batchSizes[4] + ") recent entries held " + held
                + " (lists over the cap " + overCap + ", at most the cap " + atMostCap + ", longest " + maxList + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.renderBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.properties.size() == PROPERTIES && svc.users.size() == USERS, "reference data / directories");
        if (FIXED) check(maxList <= RECENT_CAP, "fixed: capped lists");
        else check(overCap > USERS * 9 / 10 && held > entriesAdded * 9 / 10, "lists grow past the cap: " + held);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.logged == SEARCHES && svc.searchLog[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val96.fixed");
        build();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
