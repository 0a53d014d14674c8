// hprofscan-dump: name=val106-healthy-nordicskiing-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val106-healthy-nordicskiing-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val106-healthy-nordicskiing jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val106-healthy-nordicskiing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 106 (written blind), HEALTHY: the trail-pass and gate service of a cross-country
 * (Nordic) ski centre. Trail reference data (with a long-lived TrailConditions model per trail that
 * fires property changes), the season-pass directory, a cache of rendered trail maps at its cap, a
 * pool of ticket-printer buffers, a ring of gate scans, a hand-written metrics registry whose meters
 * are tagged by trail and operation only (bounded by the trails), and trail-map pages whose view
 * models register "grooming" listeners and remove them when the page closes. See VALIDATION106.md.
 */
public final class Val106HealthyNordicSkiing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TRAILS = 60, PASSES = 26_000, MAP_CAP = 2_000, POOL = 8, RING = 16_384, SCANS_PER_HOUR = 6_000, OPEN_PAGES = 120, WATCHED = 6, BUCKETS = 16;

    enum Stat { COUNT, ERRORS, TOTAL_MS, MAX_MS }

    record Trail(String code, String name, double[] snowDepthByHour) {}
    record SeasonPass(String passId, String holder, byte[] photoAndWaiver, long issuedAt) {}
    record TrailMap(String key, byte[] rendered, long at) {}
    record GateScan(String passId, String trailCode, boolean admitted, long at) {}

    static final class Meter {
        final String name; final long createdAt; long lastUpdatedAt;
        final EnumMap<Stat, LongAdder> stats = new EnumMap<>(Stat.class);
        final long[] histogram = new long[BUCKETS];
        Meter(String name, long at) { this.name = name; createdAt = lastUpdatedAt = at; for (Stat s : Stat.values()) stats.put(s, new LongAdder()); }
        void record(long ms, boolean error, long at) {
            stats.get(Stat.COUNT).increment();
            if (error) stats.get(Stat.ERRORS).increment();
            stats.get(Stat.TOTAL_MS).add(ms);
            histogram[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, ms)))]++;
            lastUpdatedAt = at;
        }
    }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();
        Meter meter(String name, long at) { return meters.computeIfAbsent(name, n -> new Meter(n, at)); }
    }

    /** Long-lived model of one trail's conditions. */
    static final class TrailConditions {
        final String trailCode; String grooming = "classic+skate"; long groomedAt;
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        TrailConditions(String trailCode) { this.trailCode = trailCode; }
        void groom(String state, long at) { String old = grooming; grooming = state; groomedAt = at; changes.firePropertyChange("grooming", old, state); }
    }

    /** View model of an open trail-map page; unregisters on close. */
    static final class TrailPageView {
        final String viewId; final long openedAt; long repaints;
        final List<TrailConditions> watched = new ArrayList<>(WATCHED);
        final List<PropertyChangeListener> listeners = new ArrayList<>(WATCHED);
        final List<byte[]> rows = new ArrayList<>(WATCHED);
        TrailPageView(String viewId, long openedAt) { this.viewId = viewId; this.openedAt = openedAt; }
        final class GroomingListener implements PropertyChangeListener {
            final int row;
            GroomingListener(int row) { this.row = row; }
            @Override public void propertyChange(PropertyChangeEvent e) { rows.get(row)[0]++; repaints++; }
        }
        void open(TrailConditions[] trails, Random rnd) {
            for (int k = 0; k < trails.length; k++) {
                rows.add(new byte[80 + rnd.nextInt(80)]);
                GroomingListener l = new GroomingListener(k);
                trails[k].changes.addPropertyChangeListener("grooming", l);
                watched.add(trails[k]);
                listeners.add(l);
            }
        }
        void close() {
            for (int k = 0; k < watched.size(); k++) watched.get(k).changes.removePropertyChangeListener("grooming", listeners.get(k));
            watched.clear();
            listeners.clear();
        }
    }

    static final class MapCache extends LinkedHashMap<String, TrailMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrailMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Trail> TRAILS_BY_CODE = new HashMap<>();
    static final Map<String, TrailConditions> CONDITIONS = new HashMap<>();

    static final class GateService {
        final Map<String, SeasonPass> passes = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        long scanned, pagesOpened, pagesClosed, groomings;
        final MetricsRegistry metrics = new MetricsRegistry();
        final Map<String, TrailPageView> openPages = new LinkedHashMap<>();
    }

    static GateService SERVICE;
    static int HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        HOURS = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int scans = SCANS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_050_001);
        String[] trailCodes = new String[TRAILS];
        TrailConditions[] conditions = new TrailConditions[TRAILS];
        for (int t = 0; t < TRAILS; t++) {
            double[] depth = new double[24 * 30];
            for (int k = 0; k < depth.length; k++) depth[k] = 20 + rnd.nextDouble() * 80;
            trailCodes[t] = "TR-" + (100 + t);
            TRAILS_BY_CODE.put(trailCodes[t], new Trail(trailCodes[t], "Loop " + t, depth));
            conditions[t] = new TrailConditions(trailCodes[t]);
            CONDITIONS.put(trailCodes[t], conditions[t]);
        }
        GateService svc = new GateService();
        SERVICE = svc;
        String[] passIds = new String[PASSES];
        for (int p = 0; p < PASSES; p++) {
            passIds[p] = "SP" + (4_400_000 + p);
            svc.passes.put(passIds[p], new SeasonPass(passIds[p], "Holder " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(150)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_050_002);
        String[] ops = {"gate.scan", "trail.status"};
        String[] groomStates = {"classic", "skate", "classic+skate", "closed"};
        ArrayDeque<TrailPageView> pageOrder = new ArrayDeque<>();
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            String pass = passIds[traffic.nextInt(PASSES)];
            String trail = trailCodes[traffic.nextInt(TRAILS)];
            long ms = 5 + traffic.nextInt(200);
            svc.metrics.meter(ops[i % 2] + "{trail=" + trail + "}", t).record(ms, traffic.nextInt(80) == 0, t); // bounded: trail x operation
            svc.scans[(int) (svc.scanned++ % RING)] = new GateScan(pass, trail, traffic.nextInt(40) != 0, t);
            if (i % 5 == 0) { // a trail-map page is opened; the oldest page closes once 120 are open
                TrailPageView v = new TrailPageView("page-" + (svc.pagesOpened++), t);
                TrailConditions[] w = new TrailConditions[WATCHED];
                for (int k = 0; k < WATCHED; k++) w[k] = conditions[traffic.nextInt(TRAILS)];
                v.open(w, traffic);
                svc.openPages.put(v.viewId, v);
                pageOrder.add(v);
                if (pageOrder.size() > OPEN_PAGES) { TrailPageView old = pageOrder.poll(); old.close(); svc.openPages.remove(old.viewId); svc.pagesClosed++; }
            }
            if (i % 50 == 0) { conditions[traffic.nextInt(TRAILS)].groom(groomStates[traffic.nextInt(groomStates.length)], t); svc.groomings++; }
            String key = "map-" + traffic.nextInt(5_000);
            if (svc.maps.get(key) == null) svc.maps.put(key, new TrailMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.ticketBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ticketBuffers.add(buf);
        }
    }

    static void selfCheck(int stage) throws Exception {
        GateService svc = SERVICE;
        long listeners = 0;
        for (TrailConditions c : CONDITIONS.values()) listeners += c.changes.getPropertyChangeListeners("grooming").length;
        System.out.println("stage " + stage + " hours " + HOURS + " trails " + TRAILS_BY_CODE.size() + " passes " + svc.passes.size() + " meters " + svc.metrics.meters.size()
                + " open pages " + svc.openPages.size() + " (opened " + svc.pagesOpened + ", closed " + svc.pagesClosed + ") listeners " + listeners + " groomings " + svc.groomings
                + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.ticketBuffers.size() + " scans " + svc.scanned);
        check(TRAILS_BY_CODE.size() == TRAILS && CONDITIONS.size() == TRAILS && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.metrics.meters.size() == 2 * TRAILS, "meters: trail x operation");
        check(svc.openPages.size() == OPEN_PAGES && listeners == (long) OPEN_PAGES * WATCHED, "listeners of open pages only: " + listeners);
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(svc.scanned == (long) SCANS_PER_HOUR * HOURS, "ring traffic");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        run(stage);
        selfCheck(stage); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
