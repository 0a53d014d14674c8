// hprofscan-dump: name=val139-leak-foodrescue-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val139-leak-foodrescue-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val139-leak-foodrescue jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val139-leak-foodrescue-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 139 (written blind), LEAK (growth series 2 / 4 / 8 h): the listings service of a
 * surplus-food rescue app. Cafes, bakeries and supermarkets post what they have left at the end of
 * a service; members reserve it and collect it within the hour. Donor reference data, the member
 * directory, a map-tile cache at its cap, a pool of photo buffers, a ring of recent reservations and
 * a queue of charity pickups with its normal backlog. The listing store is bounded: listings expire
 * an hour after posting and the sweeper removes them from {@code byId} every minute. But the
 * secondary index {@code byTag} (category, offer type, dietary labels, postcode district -> listing
 * ids), filled on every post, is never cleaned by the sweeper: its ~310 sets keep the ids of every
 * listing ever posted. Searches skip the ids whose listing is gone, so nothing looks wrong. See
 * VALIDATION139.md.
 */
public final class Val139LeakFoodRescue {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, LISTING_TTL = HOUR, PICKUP_AFTER = 25 * MINUTE;
    static final int DONORS = 1_100, MEMBERS = 16_000, TILE_CAP = 2_000, POOL = 8, RING = 2_048, LISTINGS_PER_MINUTE = 100, SEARCHES_PER_MINUTE = 60;
    static boolean FIXED;

    static final String[] CATEGORIES = {"bread", "pastries", "cakes", "sandwiches", "wraps", "salads", "soup", "hot-meals", "sushi", "pizza",
        "curry", "noodles", "fruit", "vegetables", "dairy", "cheese", "eggs", "meat", "fish", "deli", "desserts", "doughnuts", "bagels",
        "smoothies", "juice", "coffee-beans", "groceries", "snacks", "ready-meals", "flowers", "baby-food", "pet-food", "frozen", "tinned",
        "cereal", "mixed"};
    static final String[] OFFER_TYPES = {"surprise-bag", "ready-meal", "groceries-box", "bakery-bag", "produce-box", "free-giveaway"};
    static final String[] DIETARY = {"vegan", "vegetarian", "halal", "kosher", "gluten-free", "dairy-free", "nut-free", "organic"};
    static final String[] AREAS = {"E", "EC", "N", "NW", "SE", "SW", "W", "WC", "BR", "CR", "HA", "IG", "KT", "TW", "UB", "EN", "RM", "SM", "DA"};

    record Donor(String code, String name, String district, double[] surplusBySlot) {}
    record Member(String memberNo, String district, String name, byte[] preferences, long joinedAt) {}
    record Listing(long id, String donorCode, String title, String[] tags, int pricePence, int portions, long postedAt, long collectBy) {}
    record MapTile(String key, byte[] png, long at) {}
    record Reservation(String reservationId, String memberNo, long listingId, long at) {}
    record Pickup(String donorCode, String charity, long listingId, long requestedAt) {}

    /** The listing store: the primary map is swept; the tag index is filled on post. */
    static final class ListingStore {
        final Map<Long, Listing> byId = new HashMap<>();
        final Map<String, Set<Long>> byTag = new HashMap<>();
        long posted, expired, staleSkipped;
        void post(Listing l) {
            byId.put(l.id(), l);
            for (String tag : l.tags()) byTag.computeIfAbsent(tag, k -> new HashSet<>()).add(l.id());
            posted++;
        }
        void sweep(long now) {
            List<Listing> gone = new ArrayList<>();
            for (Listing l : byId.values()) if (l.collectBy() < now) gone.add(l);
            for (Listing l : gone) {
                byId.remove(l.id());
                expired++;
                if (FIXED) { // the fix: drop the id from every tag set of the listing
                    for (String tag : l.tags()) {
                        Set<Long> ids = byTag.get(tag);
                        if (ids != null && ids.remove(l.id()) && ids.isEmpty()) byTag.remove(tag);
                    }
                }
                // BUG: byTag keeps l.id() in each of its tag sets
            }
        }
        List<Listing> search(String tag, int limit) {
            List<Listing> out = new ArrayList<>();
            Set<Long> ids = byTag.get(tag);
            if (ids == null) return out;
            for (Long id : ids) {
                Listing l = byId.get(id);
                if (l == null) { staleSkipped++; continue; }
                if (out.size() < limit) out.add(l);
            }
            return out;
        }
        long indexEntries() { long n = 0; for (Set<Long> s : byTag.values()) n += s.size(); return n; }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class RescueService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNos = new String[MEMBERS];
        final ListingStore listings = new ListingStore();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Reservation[] recentReservations = new Reservation[RING];
        final ArrayDeque<Pickup> pickups = new ArrayDeque<>();
        long searches, results, reservations, pickupsRequested, pickupsCollected, photosResized;
    }

    static final Map<String, Donor> DONORS_BY_CODE = new HashMap<>();
    static final List<String> DISTRICTS = new ArrayList<>();
    static RescueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void startup(long now, Random rnd) {
        for (String a : AREAS) for (int d = 1; d <= 14; d++) DISTRICTS.add(a + d);
        String[] kinds = {"Bakery", "Cafe", "Supermarket", "Deli", "Canteen", "Hotel", "Greengrocer", "Sushi bar", "Pizzeria", "Juice bar"};
        for (int i = 0; i < DONORS; i++) {
            double[] slots = new double[56];
            for (int k = 0; k < slots.length; k++) slots[k] = rnd.nextDouble() * 12;
            String code = "DN-" + (50_000 + i);
            DONORS_BY_CODE.put(code, new Donor(code, kinds[i % kinds.length] + " " + i, DISTRICTS.get(rnd.nextInt(DISTRICTS.size())), slots));
        }
        RescueService svc = new RescueService();
        SERVICE = svc;
        for (int i = 0; i < MEMBERS; i++) {
            String no = "FR" + (2_000_000 + i * 17);
            svc.memberNos[i] = no;
            svc.members.put(no, new Member(no, DISTRICTS.get(rnd.nextInt(DISTRICTS.size())), "Member " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(139_030_001);
        startup(now, rnd);
        RescueService svc = SERVICE;
        String[] donorCodes = DONORS_BY_CODE.keySet().stream().sorted().toArray(String[]::new);
        Random posts = new Random(139_030_002), members = new Random(139_030_003);
        long seq = 0;
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            svc.listings.sweep(t);
            while (!svc.pickups.isEmpty() && svc.pickups.peekFirst().requestedAt() <= t - PICKUP_AFTER) { svc.pickups.pollFirst(); svc.pickupsCollected++; }
            for (int k = 0; k < LISTINGS_PER_MINUTE; k++) {
                Donor d = DONORS_BY_CODE.get(donorCodes[posts.nextInt(DONORS)]);
                String category = CATEGORIES[posts.nextInt(CATEGORIES.length)];
                int dietary = posts.nextInt(2);
                String[] tags = new String[3 + dietary];
                tags[0] = category;
                tags[1] = OFFER_TYPES[posts.nextInt(OFFER_TYPES.length)];
                tags[2] = d.district();
                int first = posts.nextInt(DIETARY.length);
                for (int j = 0; j < dietary; j++) tags[3 + j] = DIETARY[(first + j) % DIETARY.length];
                long postedAt = t + k * 300L;
                Listing l = new Listing(7_310_000_000L + seq++, d.code(), (2 + posts.nextInt(8)) + " x " + category + " from " + d.name(), tags,
                        posts.nextInt(4) == 0 ? 0 : 150 + posts.nextInt(600), 1 + posts.nextInt(6), postedAt, postedAt + LISTING_TTL);
                svc.listings.post(l);
                byte[] buf = svc.photoBuffers.poll();
                buf[(int) (seq % buf.length)] = (byte) seq;
                svc.photoBuffers.add(buf);
                svc.photosResized++;
                if (posts.nextInt(20) == 0) { svc.pickups.addLast(new Pickup(d.code(), "Charity " + posts.nextInt(40), l.id(), postedAt)); svc.pickupsRequested++; }
            }
            for (int k = 0; k < SEARCHES_PER_MINUTE; k++) {
                Member mem = svc.members.get(svc.memberNos[members.nextInt(MEMBERS)]);
                int what = members.nextInt(10);
                String tag = what < 5 ? mem.district() : what < 8 ? CATEGORIES[members.nextInt(CATEGORIES.length)] : DIETARY[members.nextInt(DIETARY.length)];
                List<Listing> found = svc.listings.search(tag, 20);
                svc.searches++;
                svc.results += found.size();
                String tileKey = "tile-" + mem.district() + "-" + members.nextInt(40);
                if (svc.tiles.get(tileKey) == null) svc.tiles.put(tileKey, new MapTile(tileKey, new byte[400 + members.nextInt(400)], t));
                if (!found.isEmpty() && members.nextInt(3) == 0) {
                    Listing l = found.get(members.nextInt(found.size()));
                    svc.recentReservations[(int) (svc.reservations++ % RING)] = new Reservation("RS-" + Long.toHexString(0x3a00_0000L + svc.reservations), mem.memberNo(), l.id(), t + k * 1_000L);
                }
            }
        }
        svc.listings.sweep(end);
    }

    static void verify(int stage, int hours) {
        RescueService svc = SERVICE;
        ListingStore st = svc.listings;
        long entries = st.indexEntries(), liveEntries = 0;
        for (Listing l : st.byId.values()) liveEntries += l.tags().length;
        long posted = (long) hours * 60 * LISTINGS_PER_MINUTE;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " donors " + DONORS_BY_CODE.size() + " districts " + DISTRICTS.size() + " members " + svc.members.size()
                + " listings posted " + st.posted + " live " + st.byId.size() + " expired " + st.expired + " tags " + st.byTag.size() + " index entries " + entries + " (live " + liveEntries
                + ", stale " + (entries - liveEntries) + ") searches " + svc.searches + " results " + svc.results + " stale skipped " + st.staleSkipped + " reservations " + svc.reservations
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pickups " + svc.pickupsRequested + " collected " + svc.pickupsCollected + " backlog " + svc.pickups.size());
        check(DONORS_BY_CODE.size() == DONORS && svc.members.size() == MEMBERS && DISTRICTS.size() == 266, "reference data / directory");
        check(st.posted == posted && st.byId.size() == 60 * LISTINGS_PER_MINUTE && st.expired == posted - st.byId.size(), "listing store swept: " + st.byId.size());
        if (FIXED) check(entries == liveEntries && st.staleSkipped == 0, "index follows the store");
        else check(entries > liveEntries && st.byTag.size() > 300, "index keeps expired ids");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at its cap");
        check(svc.photoBuffers.size() == POOL && svc.recentReservations[RING - 1] != null, "pool / ring");
        check(svc.pickups.size() > 0 && svc.pickups.size() < 400 && svc.pickupsRequested == svc.pickupsCollected + svc.pickups.size(), "pickup backlog");
        // the truth table (VALIDATION139.md)
        long[] expectEntries = {0, 42_010, 83_975, 167_871}, expectLive = {0, 20_999, 21_025, 20_986}, expectBacklog = {0, 142, 125, 136};
        check(st.byTag.size() == 311 && liveEntries == expectLive[stage] && entries == (FIXED ? expectLive[stage] : expectEntries[stage]) && svc.pickups.size() == expectBacklog[stage], "truth table, stage " + stage);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val139.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
