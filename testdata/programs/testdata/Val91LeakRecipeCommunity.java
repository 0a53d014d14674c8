// hprofscan-dump: name=val91-leak-recipecommunity-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val91-leak-recipecommunity-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val91-leak-recipecommunity jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val91-leak-recipecommunity-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 91 (written blind), LEAK: the social graph service of a recipe-sharing community.
 * Cuisine reference data, the member directory, a cache of rendered feed pages at its cap, a pool of
 * photo-resize buffers, a ring of recent follow activity, a per-thread render scratch buffer, and
 * the follower index: two maps {@code followersOf} / {@code followingOf} (member id to a set of
 * member ids). Follows and unfollows churn with traffic; unfollow removes the pair from
 * {@code followingOf} only, so {@code followersOf} keeps every follow ever made. See
 * VALIDATION91.md.
 */
public final class Val91LeakRecipeCommunity {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CUISINES = 1_000, MEMBERS = 20_000, CHEFS = 300, INITIAL_FOLLOWS = 50_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int CHURN_PER_HOUR = 18_000; // follows per hour, and as many unfollows
    static final long FIRST_ID = 40_000_000L;
    static boolean FIXED;

    record Cuisine(String code, String name, double[] seasonality) {}
    record Member(long id, String handle, String cuisineCode, byte[] bio, long joinedAt) {}
    record FeedPage(String key, byte[] rendered, long at) {}
    record Activity(long memberId, long targetId, String kind, long at) {}

    /** The follower index: both directions of every follow. */
    static final class SocialGraph {
        final Map<Long, Set<Long>> followersOf = new HashMap<>();
        final Map<Long, Set<Long>> followingOf = new HashMap<>();
        long follows, unfollows, refollowedStale;

        boolean follow(Long follower, Long followee) {
            if (!followingOf.computeIfAbsent(follower, k -> new HashSet<>()).add(followee)) return false;
            if (!followersOf.computeIfAbsent(followee, k -> new HashSet<>()).add(follower)) refollowedStale++;
            follows++;
            return true;
        }

        void unfollow(Long follower, Long followee) {
            removePair(followingOf, follower, followee);
            if (FIXED) removePair(followersOf, followee, follower);
            // BUG: followersOf.get(followee) still lists the follower
            unfollows++;
        }

        static void removePair(Map<Long, Set<Long>> m, Long key, Long value) {
            Set<Long> s = m.get(key);
            if (s != null && s.remove(value) && s.isEmpty()) m.remove(key);
        }

        static long pairs(Map<Long, Set<Long>> m) {
            long n = 0;
            for (Set<Long> s : m.values()) n += s.size();
            return n;
        }
    }

    static final class FeedCache extends LinkedHashMap<String, FeedPage> {
        long evicted;
        FeedCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FeedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cuisine> CUISINES_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> RENDER_SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class SocialService {
        final Map<Long, Member> members = new HashMap<>();
        final SocialGraph graph = new SocialGraph();
        final FeedCache feedPages = new FeedCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        long activityWritten;

        void record(Activity a) { activity[(int) (activityWritten++ % RING)] = a; }
    }

    static SocialService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static long pickFollowee(Random r) {
        return r.nextInt(10) < 4 ? FIRST_ID + r.nextInt(CHEFS) : FIRST_ID + r.nextInt(MEMBERS);
    }

    /** A random pair the member currently follows (the unfollow button). */
    static Long[] pickFollowed(SocialService svc, Random r) {
        while (true) {
            Long u = FIRST_ID + r.nextInt(MEMBERS);
            Set<Long> s = svc.graph.followingOf.get(u);
            if (s == null) continue;
            int k = r.nextInt(s.size());
            Iterator<Long> it = s.iterator();
            Long v = it.next();
            while (k-- > 0) v = it.next();
            return new Long[] {u, v};
        }
    }

    static void simulate(SocialService svc, long start, long end, int hours) {
        Random traffic = new Random(91_010_002);
        int events = 2 * CHURN_PER_HOUR * hours;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (i % 2 == 0) {
                while (true) {
                    Long u = FIRST_ID + traffic.nextInt(MEMBERS);
                    Long v = pickFollowee(traffic);
                    if (u.equals(v) || !svc.graph.follow(u, v)) continue;
                    svc.record(new Activity(u, v, "FOLLOW", t));
                    break;
                }
            } else {
                Long[] p = pickFollowed(svc, traffic);
                svc.graph.unfollow(p[0], p[1]);
                svc.record(new Activity(p[0], p[1], "UNFOLLOW", t));
            }
            String key = "feed-" + traffic.nextInt(5_000);
            if (svc.feedPages.get(key) == null) {
                byte[] scratch = RENDER_SCRATCH.get();
                scratch[i % scratch.length] = (byte) i;
                svc.feedPages.put(key, new FeedPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            if (i % 4 == 0) {
                byte[] buf = svc.photoBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.photoBuffers.add(buf);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val91.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(91_010_001);
        String[] cuisineCodes = new String[CUISINES];
        for (int c = 0; c < CUISINES; c++) {
            double[] season = new double[64];
            for (int k = 0; k < season.length; k++) season[k] = rnd.nextDouble() * 10;
            cuisineCodes[c] = "CUI-" + (3_000 + c);
            CUISINES_BY_CODE.put(cuisineCodes[c], new Cuisine(cuisineCodes[c], "Cuisine " + (c % 250), season));
        }
        SocialService svc = new SocialService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            long id = FIRST_ID + m;
            svc.members.put(id, new Member(id, "cook" + (m * 7 + 13), cuisineCodes[rnd.nextInt(CUISINES)], new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        // the follows loaded from the database at startup
        Random load = new Random(91_010_003);
        int loaded = 0;
        while (loaded < INITIAL_FOLLOWS) {
            Long u = FIRST_ID + load.nextInt(MEMBERS);
            Long v = pickFollowee(load);
            if (!u.equals(v) && svc.graph.follow(u, v)) loaded++;
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        simulate(svc, start, end, hours);
        SocialGraph g = svc.graph;
        long followers = SocialGraph.pairs(g.followersOf), following = SocialGraph.pairs(g.followingOf);
        long churn = (long) CHURN_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " cuisines " + CUISINES_BY_CODE.size() + " members " + svc.members.size() + " followingOf " + g.followingOf.size() + " keys / " + following
                + " pairs, followersOf " + g.followersOf.size() + " keys / " + followers + " pairs (stale " + (followers - following) + ", refollowed stale " + g.refollowedStale + ") follows " + g.follows + " unfollows " + g.unfollows
                + " feed pages " + svc.feedPages.size() + " (evicted " + svc.feedPages.evicted + ") pool " + svc.photoBuffers.size() + " activity " + svc.activityWritten);
        check(CUISINES_BY_CODE.size() == CUISINES && svc.members.size() == MEMBERS, "reference data / directory");
        check(g.follows == INITIAL_FOLLOWS + churn && g.unfollows == churn, "churn");
        check(following == INITIAL_FOLLOWS, "followingOf holds the current follows: " + following);
        if (FIXED) check(followers == INITIAL_FOLLOWS && g.refollowedStale == 0, "followersOf mirrors followingOf");
        else check(followers == INITIAL_FOLLOWS + churn - g.refollowedStale, "followersOf keeps every follow: " + followers);
        for (Map.Entry<Long, Set<Long>> e : g.followingOf.entrySet())
            for (Long v : e.getValue()) check(g.followersOf.get(v).contains(e.getKey()), "index consistent");
        check(svc.feedPages.size() == PAGE_CAP && svc.feedPages.evicted > 0, "feed cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.activityWritten == 2 * churn && svc.activity[RING - 1] != null, "activity ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
