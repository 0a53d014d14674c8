// hprofscan-dump: name=val150-leak-cargobikes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val150-leak-cargobikes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val150-leak-cargobikes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val150-leak-cargobikes-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 150 (written blind), LEAK: the fleet service of an urban cargo-bike delivery
 * company. Hub reference data, the rider directory, a cache of rendered route maps at its cap, a
 * pool of telemetry-frame buffers, a ring of recent trips, and the bikes themselves as event-sourced
 * aggregates (a fixed fleet of 420): every telemetry / trip event is appended to the bike's event
 * list and a snapshot is taken every 20 events. The snapshot is taken, but the "truncation" that
 * follows replaces the list with a subList view of itself (events = events.subList(covered, size)):
 * the view keeps its backing ArrayList, so every event since start stays reachable and each bike's
 * list grows with traffic. See VALIDATION150.md.
 */
public final class Val150LeakCargoBikes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HUBS = 900, RIDERS = 22_000, BIKES = 420, ROUTE_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 6_000, SNAPSHOT_EVERY = 20;
    static boolean FIXED;

    record Hub(String code, String district, double[] hourlyDemand) {}
    record Rider(String riderId, String hubCode, String name, byte[] profile, long joinedAt) {}
    record RouteMap(String key, byte[] rendered, long at) {}
    record Trip(String bikeId, String riderId, long from, long to, int stops) {}
    record BikeEvent(long seq, String type, String bikeId, long at, int batteryPct, double lat, double lon, byte[] payload) {}
    record BikeSnapshot(String bikeId, long version, long at, int batteryPct, double lat, double lon, long odometerM, int trips) {}

    /** Event-sourced aggregate: state + the events since the last snapshot. */
    static final class BikeAggregate {
        final String bikeId;
        final long commissionedAt;
        List<BikeEvent> events = new ArrayList<>();
        BikeSnapshot snapshot;
        long version, applied, odometerM;
        int batteryPct = 100, trips, snapshots;
        double lat = 51.5, lon = -0.1;

        BikeAggregate(String bikeId, long commissionedAt) { this.bikeId = bikeId; this.commissionedAt = commissionedAt; }

        void apply(BikeEvent e) {
            events.add(e);
            version = e.seq();
            applied++;
            batteryPct = e.batteryPct();
            odometerM += (long) (Math.abs(e.lat() - lat) * 111_000 + Math.abs(e.lon() - lon) * 70_000);
            lat = e.lat();
            lon = e.lon();
            if (e.type().equals("TRIP_ENDED")) trips++;
        }

        /** Snapshots the state and drops the events it covers. */
        void takeSnapshot(long at) {
            snapshot = new BikeSnapshot(bikeId, version, at, batteryPct, lat, lon, odometerM, trips);
            snapshots++;
            int covered = events.size(); // every event so far is in the snapshot
            if (FIXED) {
                events.subList(0, covered).clear(); // really removes them from the list
            } else {
                // BUG: a view of the same list; the backing ArrayList keeps every covered event
                events = events.subList(covered, events.size());
            }
        }
    }

    static final class RouteCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hub> HUBS_BY_CODE = new HashMap<>();

    static final class FleetService {
        final Map<String, Rider> riders = new HashMap<>();
        final Map<String, BikeAggregate> bikes = new HashMap<>();
        final RouteCache routes = new RouteCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Trip[] recentTrips = new Trip[RING];
        long trips, applied;
    }

    static FleetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val150.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(150_010_001);
        String[] hubCodes = new String[HUBS];
        for (int h = 0; h < HUBS; h++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            hubCodes[h] = "HUB-" + (2_000 + h);
            HUBS_BY_CODE.put(hubCodes[h], new Hub(hubCodes[h], "District " + (h % 120), demand));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        String[] riderIds = new String[RIDERS];
        for (int r = 0; r < RIDERS; r++) {
            riderIds[r] = "RD-" + (300_000 + r * 3);
            svc.riders.put(riderIds[r], new Rider(riderIds[r], hubCodes[rnd.nextInt(HUBS)], "Rider " + r, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        String[] bikeIds = new String[BIKES];
        for (int b = 0; b < BIKES; b++) {
            bikeIds[b] = "CB-" + (10_000 + b);
            svc.bikes.put(bikeIds[b], new BikeAggregate(bikeIds[b], now - (long) (30 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_010_002);
        String[] types = {"TRIP_STARTED", "TRIP_ENDED", "BATTERY_SWAPPED", "GEOFENCE_ENTERED", "TELEMETRY"};
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            BikeAggregate bike = svc.bikes.get(bikeIds[traffic.nextInt(BIKES)]);
            bike.apply(new BikeEvent(50_000_000L + i, types[traffic.nextInt(types.length)], bike.bikeId, t, traffic.nextInt(101),
                    51.3 + traffic.nextDouble() * 0.4, -0.4 + traffic.nextDouble() * 0.6, new byte[40 + traffic.nextInt(40)]));
            svc.applied++;
            if (bike.events.size() >= SNAPSHOT_EVERY) bike.takeSnapshot(t);
            if (i % 2 == 0) {
                String rider = riderIds[traffic.nextInt(RIDERS)];
                svc.recentTrips[(int) (svc.trips++ % RING)] = new Trip(bike.bikeId, rider, t - (5 + traffic.nextInt(40)) * MINUTE, t, 1 + traffic.nextInt(12));
                String key = "route-" + traffic.nextInt(5_000);
                if (svc.routes.get(key) == null) svc.routes.put(key, new RouteMap(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.frameBuffers.add(buf);
            }
        }
        long live = 0, snapshots = 0, views = 0, maxLive = 0;
        for (BikeAggregate b : svc.bikes.values()) {
            live += b.events.size();
            maxLive = Math.max(maxLive, b.events.size());
            snapshots += b.snapshots;
            if (b.events.getClass() != ArrayList.class) views++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hubs " + HUBS_BY_CODE.size() + " riders " + svc.riders.size() + " bikes " + svc.bikes.size()
                + " events applied " + svc.applied + " since-snapshot " + live + " (max " + maxLive + ") snapshots " + snapshots + " subList views " + views
                + " retained by lists " + (FIXED ? live : svc.applied) + " routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") pool " + svc.frameBuffers.size() + " trips " + svc.trips);
        check(HUBS_BY_CODE.size() == HUBS && svc.riders.size() == RIDERS && svc.bikes.size() == BIKES, "reference data / directories");
        check(svc.applied == events && live + snapshots * SNAPSHOT_EVERY == events && maxLive < SNAPSHOT_EVERY, "event lists: " + live);
        check(FIXED ? views == 0 : views > 0, "subList views " + views);
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.trips == events / 2 && svc.recentTrips[RING - 1] != null, "trip ring");
        hubCodes = null;
        riderIds = null;
        bikeIds = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
