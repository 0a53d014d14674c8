// hprofscan-dump: name=val102-leak-potholereports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val102-leak-potholereports-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
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
 * Validation set 102 (written blind), LEAK: the street-issue reporting service of a city council
 * (potholes, broken street lights, fly-tipping). Ward reference data, the street directory, a cache
 * of rendered map tiles at its cap, a pool of photo-upload buffers, a ring of the latest reports,
 * and a label registry that canonicalises the labels attached to reports in a
 * {@code WeakHashMap<String, Label>} so that equal labels share one object and unused ones "fall
 * out by themselves". Every report gets a category label and a location label built from the
 * request ({@code "loc:<usrn>/<house number>"}); the {@code Label} keeps its own name, the map's
 * key, so no key is ever only weakly reachable and no entry is ever cleared. See VALIDATION102.md.
 */
public final class Val102LeakPotholeReports {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WARDS = 1_000, STREETS = 22_000, TILE_CAP = 2_000, POOL = 8, RING = 4_096, REPORTS_PER_HOUR = 4_000, HOURS = 10;
    static final String[] CATEGORIES = {"pothole", "street-light-out", "fly-tipping", "graffiti", "blocked-drain", "damaged-sign", "overgrown-hedge",
        "abandoned-vehicle", "broken-bench", "dog-fouling", "icy-footpath", "loose-paving", "missing-drain-cover", "faded-road-marking", "fallen-tree",
        "litter-bin-full", "needle-found", "noise-roadworks", "obstructed-pavement", "pedestrian-crossing-fault", "road-sign-twisted", "sinkhole",
        "traffic-light-fault", "bus-shelter-damage", "cycle-lane-blocked", "flooding", "dead-animal", "oil-spill", "unsafe-scaffold", "manhole-rattle"};
    static boolean FIXED;

    record Ward(String code, String name, double[] weeklyConditionIndex) {}
    record Street(String usrn, String name, String wardCode, byte[] surveyRecord, long surveyedAt) {}
    record MapTile(String key, byte[] png, long at) {}

    static final class Label {
        final String name;     // the canonical name: the registry's key
        final String display;  // shown on the report page
        final boolean location;
        final long firstSeenAt;
        int uses;
        Label(String name, boolean location, long at) { this.name = name; this.location = location; this.display = location ? name.substring(4) : name; this.firstSeenAt = at; }
    }

    record Report(long id, String usrn, Label category, Label location, String reporter, long at, byte[] photoMeta) {}

    /** Canonicalises labels: equal names share one Label; meant to drop labels no report uses any more. */
    static final class LabelRegistry {
        final WeakHashMap<String, Label> labels = new WeakHashMap<>();
        /** The fix: the value is only weakly referenced, so the Label (and with it its name, the key) can go. */
        final WeakHashMap<String, WeakReference<Label>> labelRefs = new WeakHashMap<>();
        long lookups, created;

        Label canonical(String name, boolean location, long at) {
            lookups++;
            Label l;
            if (FIXED) {
                WeakReference<Label> ref = labelRefs.get(name);
                l = ref == null ? null : ref.get();
                if (l == null) {
                    labelRefs.remove(name); // so that the entry's key is the new Label's own name
                    l = new Label(name, location, at);
                    labelRefs.put(name, new WeakReference<>(l));
                    created++;
                }
            } else {
                l = labels.get(name);
                if (l == null) {
                    l = new Label(name, location, at);
                    labels.put(name, l); // BUG: the value strongly references its key (Label.name)
                    created++;
                }
            }
            l.uses++;
            return l;
        }
        int size() { return FIXED ? labelRefs.size() : labels.size(); }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ward> WARDS_BY_CODE = new HashMap<>();

    static final class ReportingService {
        final Map<String, Street> streets = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Report[] recent = new Report[RING];
        final LabelRegistry registry = new LabelRegistry();
        long reports;
    }

    static ReportingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(ReportingService svc, String[] usrns, long start, long end) {
        Random traffic = new Random(102_030_002);
        int total = REPORTS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            String usrn = usrns[traffic.nextInt(STREETS)];
            Label category = svc.registry.canonical(CATEGORIES[traffic.nextInt(CATEGORIES.length)], false, t);
            Label location = svc.registry.canonical("loc:" + usrn + "/" + (1 + traffic.nextInt(120)), true, t);
            svc.recent[(int) (svc.reports++ % RING)] = new Report(8_800_000L + i, usrn, category, location, "R" + (100_000 + traffic.nextInt(90_000)), t, new byte[60 + traffic.nextInt(60)]);
            String key = "tile-" + traffic.nextInt(6_000);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new MapTile(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.photoBuffers.add(buf);
        }
    }

    /** Distinct labels referenced by the reports in the ring (what a correct registry keeps, with the categories). */
    static int[] liveLabels(ReportingService svc) {
        IdentityHashMap<Label, Boolean> seen = new IdentityHashMap<>();
        int locations = 0;
        for (Report r : svc.recent) {
            if (seen.put(r.category(), Boolean.TRUE) == null) { /* category */ }
            if (seen.put(r.location(), Boolean.TRUE) == null) locations++;
        }
        return new int[] {locations, seen.size() - locations};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val102.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(102_030_001);
        String[] wardCodes = new String[WARDS];
        for (int w = 0; w < WARDS; w++) {
            double[] idx = new double[64];
            for (int k = 0; k < idx.length; k++) idx[k] = rnd.nextDouble() * 10;
            wardCodes[w] = "E0" + (5_000_000 + w * 13);
            WARDS_BY_CODE.put(wardCodes[w], new Ward(wardCodes[w], "Ward " + w, idx));
        }
        ReportingService svc = new ReportingService();
        SERVICE = svc;
        String[] usrns = new String[STREETS];
        for (int s = 0; s < STREETS; s++) {
            usrns[s] = "USRN" + (8_000_000 + s * 11);
            svc.streets.put(usrns[s], new Street(usrns[s], "Street " + (s % 4_000), wardCodes[rnd.nextInt(WARDS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        simulate(svc, usrns, start, end);
        usrns = null;
        wardCodes = null;
        int[] live = liveLabels(svc);
        int liveLocations = live[0], liveCategories = live[1];
        live = null;
        LabelRegistry reg = svc.registry;
        if (FIXED) { // let the GC clear the unused labels and the map expunge their entries
            for (int i = 0; i < 500 && reg.size() != CATEGORIES.length + liveLocations; i++) { System.gc(); Thread.sleep(20); }
        } else {
            System.gc(); Thread.sleep(100); // nothing may be cleared
        }
        int total = REPORTS_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + "wards " + WARDS_BY_CODE.size() + " streets " + svc.streets.size() + " reports " + svc.reports + " labels " + reg.size() + " (created " + reg.created + ", lookups " + reg.lookups
                + "; referenced by the ring: " + liveLocations + " location + " + liveCategories + " category) tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.photoBuffers.size());
        check(WARDS_BY_CODE.size() == WARDS && svc.streets.size() == STREETS, "reference data / directory");
        check(svc.reports == total && reg.lookups == 2L * total, "reports");
        check(liveCategories == CATEGORIES.length, "categories in the ring");
        if (FIXED) check(reg.size() == CATEGORIES.length + liveLocations, "registry keeps the labels in use: " + reg.size());
        else check(reg.size() == reg.created, "registry keeps every label ever created: " + reg.size());
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring wrapped");
        reg = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
