// hprofscan-dump: name=val95-leak-fleetreports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val95-leak-fleetreports-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 95 (written blind), LEAK: the web dashboard of a van-fleet telematics service.
 * Depot reference data, the vehicle directory, a cache of rendered map tiles at its cap, a pool of
 * GPS decode buffers, a ring of recent vehicle positions, the open report views, and a long-lived
 * FleetEventBus. Each utilisation report view a dispatcher opens registers a PositionListener, a
 * non-static inner class of ReportView, on the bus so that it can refresh itself; views are closed
 * after 10 idle minutes but close() never unregisters the listener, so the bus's listener list pins
 * every closed view and its rendered chart. See VALIDATION95.md.
 */
public final class Val95LeakFleetReports {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, VIEW_IDLE = 10 * MINUTE;
    static final int DEPOTS = 800, VEHICLES = 20_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, VIEWS = 6_000, POSITIONS = 36_000;
    static boolean FIXED;

    record Depot(String code, String region, double[] dailyMileage) {}
    record Vehicle(String reg, String depotCode, String model, byte[] telematicsProfile, long commissionedAt) {}
    record MapTile(String key, byte[] png, long at) {}
    record Position(String reg, double lat, double lon, int speedKmh, long at) {}

    interface VehicleListener { void onPosition(Position p); }

    /** Long-lived: one per process. */
    static final class FleetEventBus {
        final List<VehicleListener> listeners = new ArrayList<>();
        long posted;
        void register(VehicleListener l) { listeners.add(l); }
        void unregister(VehicleListener l) { listeners.remove(l); }
        void post(Position p) { posted++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onPosition(p); }
    }

    /** Permanent subscribers of the bus (the live map, geofence alerts, tachograph export). */
    static final class LiveMapFeed implements VehicleListener { long seen; public void onPosition(Position p) { seen++; } }
    static final class GeofenceAlerts implements VehicleListener { long alerts; public void onPosition(Position p) { if (p.speedKmh() > 110) alerts++; } }
    static final class TachographExport implements VehicleListener { long rows; public void onPosition(Position p) { rows++; } }

    /** A short-lived report view (one dispatcher's "fleet utilisation" page). */
    static final class ReportView {
        final long viewId;
        final String dispatcher, title;
        final byte[] renderedChart;
        final long openedAt;
        long closedAt, refreshes;
        boolean closed;
        final PositionListener listener = new PositionListener();

        ReportView(long viewId, String dispatcher, String title, byte[] renderedChart, long openedAt) {
            this.viewId = viewId; this.dispatcher = dispatcher; this.title = title; this.renderedChart = renderedChart; this.openedAt = openedAt;
        }

        /** Non-static inner class: holds ReportView.this. */
        final class PositionListener implements VehicleListener {
            public void onPosition(Position p) { if (!closed) refreshes++; }
            ReportView outer() { return ReportView.this; }
        }

        void close(FleetEventBus bus, long at) {
            closed = true;
            closedAt = at;
            if (FIXED) bus.unregister(listener); // the fix
            // BUG: the listener stays registered on the long-lived bus
        }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class Dashboard {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> gpsBuffers = new ArrayDeque<>();
        final Position[] positions = new Position[RING];
        long positionsWritten;
        final ArrayDeque<ReportView> openViews = new ArrayDeque<>();
        final FleetEventBus bus = new FleetEventBus();
        long viewsOpened, viewsClosed;
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();
    static Dashboard SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void closeIdle(Dashboard svc, long t) {
        while (!svc.openViews.isEmpty() && svc.openViews.peek().openedAt + VIEW_IDLE <= t) {
            svc.openViews.poll().close(svc.bus, t);
            svc.viewsClosed++;
        }
    }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(95_030_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] mileage = new double[64];
            for (int k = 0; k < mileage.length; k++) mileage[k] = rnd.nextDouble() * 500;
            String code = "DP-" + (2_000 + d);
            depotCodes[d] = code;
            DEPOTS_BY_CODE.put(code, new Depot(code, "Region " + (d % 40), mileage));
        }
        Dashboard svc = new Dashboard();
        SERVICE = svc;
        String[] regs = new String[VEHICLES];
        String[] models = {"Transit", "Sprinter", "Vivaro", "e-Deliver 7", "Daily", "Master"};
        for (int v = 0; v < VEHICLES; v++) {
            String reg = "VN" + (70_000 + v);
            regs[v] = reg;
            svc.vehicles.put(reg, new Vehicle(reg, depotCodes[rnd.nextInt(DEPOTS)], models[v % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.gpsBuffers.add(new byte[32_768]);
        svc.bus.register(new LiveMapFeed());
        svc.bus.register(new GeofenceAlerts());
        svc.bus.register(new TachographExport());
        String[] dispatchers = new String[120];
        for (int k = 0; k < dispatchers.length; k++) dispatchers[k] = "dispatcher" + k + "@vanfleet.example";
        Random traffic = new Random(95_030_002);
        long period = end - start;
        int v = 0;
        for (int p = 0; p < POSITIONS; p++) {
            long t = start + period * p / POSITIONS;
            // views are opened every 6 s: those due up to t
            while (v < VIEWS && start + period * v / VIEWS <= t) {
                long at = start + period * v / VIEWS;
                closeIdle(svc, at);
                ReportView view = new ReportView(900_000L + v, dispatchers[traffic.nextInt(dispatchers.length)], "Utilisation " + depotCodes[traffic.nextInt(DEPOTS)] + " week " + (1 + traffic.nextInt(52)),
                        new byte[600 + traffic.nextInt(600)], at);
                svc.bus.register(view.listener);
                svc.openViews.add(view);
                svc.viewsOpened++;
                v++;
            }
            closeIdle(svc, t);
            Position pos = new Position(regs[traffic.nextInt(VEHICLES)], 51 + traffic.nextDouble(), -1 + traffic.nextDouble(), traffic.nextInt(130), t);
            svc.positions[(int) (svc.positionsWritten++ % RING)] = pos;
            svc.bus.post(pos);
            String key = "tile-" + traffic.nextInt(12) + "-" + traffic.nextInt(600);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new MapTile(key, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.gpsBuffers.poll();
            buf[p % buf.length] = (byte) p;
            svc.gpsBuffers.add(buf);
        }
        closeIdle(svc, end);
        int closedListeners = 0;
        for (VehicleListener l : svc.bus.listeners) if (l instanceof ReportView.PositionListener pl && pl.outer().closed) closedListeners++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " views opened " + svc.viewsOpened + " closed " + svc.viewsClosed + " open " + svc.openViews.size()
                + " listeners " + svc.bus.listeners.size() + " (of closed views " + closedListeners + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.gpsBuffers.size() + " positions " + svc.positionsWritten);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(svc.viewsOpened == VIEWS && svc.viewsClosed + svc.openViews.size() == VIEWS, "views");
        check(svc.bus.listeners.size() == 3 + (FIXED ? svc.openViews.size() : VIEWS), "listeners " + svc.bus.listeners.size());
        check(closedListeners == (FIXED ? 0 : svc.viewsClosed), "listeners of closed views");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.gpsBuffers.size() == POOL, "pool");
        check(svc.positionsWritten == POSITIONS && svc.positions[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val95.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
