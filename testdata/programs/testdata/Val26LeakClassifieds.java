// hprofscan-dump: name=val26-leak-classifieds jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-leak-classifieds-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 26 (written blind), LEAK: the listing service of a classified-ads site. Region
 * reference data, the user directory, a search-result cache at its cap, a pool of image buffers, a
 * ring of ad events, and the ad index: a primary map of live ads by id plus a secondary index of
 * ads by category. The bug: when an ad expires or is marked sold it is removed from the primary
 * map only; the secondary index (used for category browsing, which filters by the primary map so
 * users never see the stale ads) is never updated, so it keeps every ad ever posted.
 * See testdata/VALIDATION26.md.
 */
public final class Val26LeakClassifieds {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 3_000, USERS = 30_000, CATEGORIES = 240, RESULT_CAP = 2_000, POOL = 8, RING = 16_384, POSTS = 24_000;
    static boolean FIXED;

    record Region(String code, String name, double[] demandCurve) {}
    record User(String id, String handle, byte[] profile, long since) {}
    record Ad(long id, String title, String sellerId, String category, int priceCents, byte[] thumbnail, long postedAt, long expiresAt) {}
    record ResultPage(String query, byte[] rendered, long at) {}
    record AdEvent(long adId, String kind, long at) {}

    static final class AdIndex {
        final Map<Long, Ad> ads = new HashMap<>();
        final Map<String, List<Ad>> byCategory = new HashMap<>();
        final PriorityQueue<Ad> expiry = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt(), b.expiresAt()));
        long expired, sold;
        void post(Ad ad) { ads.put(ad.id(), ad); byCategory.computeIfAbsent(ad.category(), k -> new ArrayList<>()).add(ad); expiry.add(ad); }
        void remove(Ad ad) {
            ads.remove(ad.id()); // BUG: byCategory is not updated
            if (FIXED) byCategory.get(ad.category()).remove(ad);
        }
        void expireUntil(long t) { while (!expiry.isEmpty() && expiry.peek().expiresAt() <= t) { Ad ad = expiry.poll(); if (ads.containsKey(ad.id())) { remove(ad); expired++; } } }
        void markSold(long id) { Ad ad = ads.get(id); if (ad != null) { remove(ad); expiry.remove(ad); sold++; } }
        List<Ad> browse(String category) { List<Ad> out = new ArrayList<>(); for (Ad ad : byCategory.getOrDefault(category, List.of())) if (ads.containsKey(ad.id())) out.add(ad); return out; }
    }

    static final class ResultCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        ResultCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > RESULT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class ListingService {
        final Map<String, User> users = new HashMap<>();
        final AdIndex index = new AdIndex();
        final ResultCache results = new ResultCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final AdEvent[] events = new AdEvent[RING];
        long eventCount;
        void event(long adId, String kind, long at) { events[(int) (eventCount++ % RING)] = new AdEvent(adId, kind, at); }
    }

    static ListingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val26.fixed");
        int hours = 10;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_040_001);
        for (int r = 0; r < REGIONS; r++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "RG-" + (7_000 + r);
            REGIONS_BY_CODE.put(code, new Region(code, "Region " + r, curve));
        }
        ListingService svc = new ListingService();
        SERVICE = svc;
        for (int u = 0; u < USERS; u++) {
            String id = "U-" + (3_000_000 + u);
            svc.users.put(id, new User(id, "user" + u, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.imageBuffers.add(new byte[65_536]);
        Random traffic = new Random(26_040_002);
        long browsed = 0;
        for (int i = 0; i < POSTS; i++) {
            long t = start + (end - start) * i / POSTS;
            svc.index.expireUntil(t);
            long id = 600_000_000L + i;
            String category = "cat-" + traffic.nextInt(CATEGORIES);
            Ad ad = new Ad(id, "Item " + id, "U-" + (3_000_000 + traffic.nextInt(USERS)), category, 500 + traffic.nextInt(200_000), new byte[200 + traffic.nextInt(200)], t, t + (20 + traffic.nextInt(80)) * MINUTE);
            svc.index.post(ad);
            svc.event(id, "POSTED", t);
            if (traffic.nextInt(4) == 0 && i > 100) { long soldId = id - 1 - traffic.nextInt(100); svc.index.markSold(soldId); svc.event(soldId, "SOLD", t); }
            if ((i & 7) == 0) browsed += svc.index.browse("cat-" + traffic.nextInt(CATEGORIES)).size();
            String q = "q" + traffic.nextInt(20_000);
            if (svc.results.get(q) == null) svc.results.put(q, new ResultPage(q, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
        }
        svc.index.expireUntil(end);
        int live = svc.index.ads.size(), indexed = 0;
        for (List<Ad> l : svc.index.byCategory.values()) indexed += l.size();
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " users " + svc.users.size() + " posts " + POSTS + " live " + live + " expired " + svc.index.expired + " sold " + svc.index.sold
                + " byCategory ads " + indexed + " (categories " + svc.index.byCategory.size() + ") expiry queue " + svc.index.expiry.size() + " results " + svc.results.size() + " (evicted " + svc.results.evicted + ") events " + svc.eventCount + " browsed " + browsed);
        check(REGIONS_BY_CODE.size() == REGIONS && svc.users.size() == USERS, "reference data / directory");
        check(live + svc.index.expired + svc.index.sold == POSTS, "ads accounted");
        check(svc.index.expiry.size() == live, "expiry queue");
        check(indexed == (FIXED ? live : POSTS), "byCategory " + indexed);
        check(svc.results.size() == RESULT_CAP && svc.results.evicted > 0, "result cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.events[RING - 1] != null, "event ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
