// hprofscan-dump: name=val102-healthy-castletours jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val102-healthy-castletours-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 102 (written blind), HEALTHY: the visitor service of a heritage trust's castles
 * (timed tickets, gates, the visitor photo wall). Castle reference data, the advance-ticket
 * directory, a cache of rendered floor-plan pages at its cap, a pool of PDF buffers, a ring of gate
 * scans, the photo wall (a ring of the latest 4,096 visitor posts) and a hashtag registry that
 * canonicalises the posts' tags in a {@code WeakHashMap<String, WeakReference<Tag>>}: the value is
 * only weakly referenced, so a tag that no post on the wall uses any more is cleared and its entry
 * expunged. See VALIDATION102.md.
 */
public final class Val102HealthyCastleTours {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CASTLES = 1_000, TICKETS = 25_000, PLAN_CAP = 2_000, POOL = 8, GATE_RING = 16_384, WALL = 4_096, SCANS_PER_HOUR = 6_000, HOURS = 10;
    static final String[] THEMES = {"#medieval", "#ramparts", "#greathall", "#dungeon", "#keep", "#portcullis", "#falconry", "#jousting", "#gardens",
        "#banquet", "#armoury", "#chapel", "#tapestry", "#moat", "#drawbridge", "#battlements", "#ghosttour", "#kidsquest", "#heritage", "#sunsetview"};

    record Castle(String code, String name, double[] weeklyVisitors) {}
    record Ticket(String ticketNo, String castleCode, String holder, byte[] booking, long bookedAt) {}
    record FloorPlan(String key, byte[] rendered, long at) {}
    record GateScan(String ticketNo, String gate, long at) {}

    static final class Tag {
        final String name; final boolean theme; final long firstSeenAt; int uses;
        Tag(String name, boolean theme, long at) { this.name = name; this.theme = theme; this.firstSeenAt = at; }
    }

    record Post(long id, String castleCode, Tag theme, Tag personal, String author, long at, byte[] thumbnailMeta) {}

    /** Canonical tags; the registry only weakly references a tag, the posts using it keep it. */
    static final class TagRegistry {
        final WeakHashMap<String, WeakReference<Tag>> tags = new WeakHashMap<>();
        long lookups, created;
        Tag canonical(String name, boolean theme, long at) {
            lookups++;
            WeakReference<Tag> ref = tags.get(name);
            Tag t = ref == null ? null : ref.get();
            if (t == null) {
                tags.remove(name); // the entry's key must be the new Tag's own name
                t = new Tag(name, theme, at);
                tags.put(name, new WeakReference<>(t));
                created++;
            }
            t.uses++;
            return t;
        }
    }

    static final class PlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Castle> CASTLES_BY_CODE = new HashMap<>();

    static final class VisitorService {
        final Map<String, Ticket> tickets = new HashMap<>();
        final PlanCache floorPlans = new PlanCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final GateScan[] gateScans = new GateScan[GATE_RING];
        final Post[] photoWall = new Post[WALL];
        final TagRegistry registry = new TagRegistry();
        long scans, posts;
    }

    static VisitorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(VisitorService svc, String[] ticketNos, String[] castleCodes, long start, long end) {
        Random traffic = new Random(102_060_002);
        int total = SCANS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            String ticket = ticketNos[traffic.nextInt(TICKETS)];
            svc.gateScans[(int) (svc.scans++ % GATE_RING)] = new GateScan(ticket, "Gate " + (char) ('A' + traffic.nextInt(3)), t);
            if (i % 3 == 0) { // a visitor posts a photo
                String castle = castleCodes[traffic.nextInt(CASTLES)];
                String author = "@visitor" + traffic.nextInt(50_000);
                Tag theme = svc.registry.canonical(THEMES[traffic.nextInt(THEMES.length)], true, t);
                Tag personal = svc.registry.canonical("#" + castle.toLowerCase() + "-" + author.substring(1), false, t);
                svc.photoWall[(int) (svc.posts++ % WALL)] = new Post(4_400_000L + i, castle, theme, personal, author, t, new byte[60 + traffic.nextInt(60)]);
            }
            String key = "plan-" + traffic.nextInt(5_000);
            if (svc.floorPlans.get(key) == null) svc.floorPlans.put(key, new FloorPlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
    }

    /** {distinct personal tags on the wall, distinct theme tags on the wall}. */
    static int[] tagsOnWall(VisitorService svc) {
        IdentityHashMap<Tag, Boolean> personal = new IdentityHashMap<>(), themes = new IdentityHashMap<>();
        for (Post p : svc.photoWall) { personal.put(p.personal(), Boolean.TRUE); themes.put(p.theme(), Boolean.TRUE); }
        return new int[] {personal.size(), themes.size()};
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(102_060_001);
        String[] castleCodes = new String[CASTLES];
        for (int c = 0; c < CASTLES; c++) {
            double[] weekly = new double[64];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 3_000;
            castleCodes[c] = "CST" + (1_000 + c);
            CASTLES_BY_CODE.put(castleCodes[c], new Castle(castleCodes[c], "Castle " + c, weekly));
        }
        VisitorService svc = new VisitorService();
        SERVICE = svc;
        String[] ticketNos = new String[TICKETS];
        for (int t = 0; t < TICKETS; t++) {
            ticketNos[t] = "HT" + (31_000_000 + t * 9);
            svc.tickets.put(ticketNos[t], new Ticket(ticketNos[t], castleCodes[rnd.nextInt(CASTLES)], "Party of " + (1 + rnd.nextInt(6)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        simulate(svc, ticketNos, castleCodes, start, end);
        ticketNos = null;
        castleCodes = null;
        int[] onWall = tagsOnWall(svc);
        int personal = onWall[0], themes = onWall[1];
        onWall = null;
        TagRegistry reg = svc.registry;
        // let the GC clear the tags no post uses any more and the map expunge their entries
        for (int i = 0; i < 500 && reg.tags.size() != THEMES.length + personal; i++) { System.gc(); Thread.sleep(20); }
        int total = SCANS_PER_HOUR * HOURS;
        System.out.println("castles " + CASTLES_BY_CODE.size() + " tickets " + svc.tickets.size() + " scans " + svc.scans + " posts " + svc.posts + " tags " + reg.tags.size() + " (created " + reg.created + ", lookups " + reg.lookups
                + "; on the wall: " + personal + " personal + " + themes + " theme) plans " + svc.floorPlans.size() + " (evicted " + svc.floorPlans.evicted + ") pool " + svc.pdfBuffers.size());
        check(CASTLES_BY_CODE.size() == CASTLES && svc.tickets.size() == TICKETS, "reference data / directory");
        check(svc.scans == total && svc.posts == (total + 2) / 3 && svc.gateScans[GATE_RING - 1] != null && svc.photoWall[WALL - 1] != null, "rings");
        check(themes == THEMES.length && reg.tags.size() == THEMES.length + personal, "tag registry bounded by the wall: " + reg.tags.size());
        check(svc.floorPlans.size() == PLAN_CAP && svc.floorPlans.evicted > 0, "floor-plan cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        reg = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
