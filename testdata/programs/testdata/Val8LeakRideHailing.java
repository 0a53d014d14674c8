// hprofscan-dump: name=val8-leak-ridehailing jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val8-leak-ridehailing-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 8 (written blind), LEAK (small): a ride-hailing dispatch service that has run for
 * 10 simulated hours. The leak: {@code DbConnectionPool.inUse}, the pool's set of borrowed
 * connections. The surge-report job borrows a connection and returns early, without releasing
 * it, when a zone has no trips; the pool is elastic (it opens a new connection when none is
 * idle), so 200 abandoned connections, each with its 12 KB socket buffer and statement cache, stay
 * "in use" for hours. 4 connections are really in use (borrowed a few ms before the dump). Beside
 * it, much bigger: the driver directory, the fare table loaded at startup, the index of online
 * drivers by grid cell, an ETA LRU at capacity, a ring of recent trip summaries, the trips in
 * progress and the config. See testdata/VALIDATION8.md.
 */
public final class Val8LeakRideHailing {
    static final int DRIVERS = 80_000;
    static final int CITIES = 300;
    static final int VEHICLE_CLASSES = 6;
    static final int ONLINE = 9_000;
    static final int ETA_CAP = 25_000;
    static final int TRIP_SLOTS = 32_768;
    static final int IN_PROGRESS = 1_500;
    static final int LEAKED_CONNECTIONS = 200;
    static final int IN_FLIGHT = 4;
    static final int POOL_MIN_IDLE = 10;
    static final int TRIPS = 60_000;
    static final long HOUR = 3_600_000L;
    static final long SIM_MILLIS = 10 * HOUR;

    static DispatchService RUNNING;

    static final class Driver {
        final long driverId; final String fullName; final String licensePlate; final String vehicleClass; final int cityId; final long onboardedAt; double rating; long lastTripAt;
        Driver(long driverId, String fullName, String licensePlate, String vehicleClass, int cityId, long onboardedAt) { this.driverId = driverId; this.fullName = fullName; this.licensePlate = licensePlate; this.vehicleClass = vehicleClass; this.cityId = cityId; this.onboardedAt = onboardedAt; }
    }

    static final class DriverDirectory {
        final Map<Long, Driver> byId = new HashMap<>(DRIVERS * 2);
    }

    static final class FareRule {
        final int cityId; final String vehicleClass; final int hourOfDay; final long baseCents; final long perKmCents; final long perMinuteCents; final long minimumCents;
        FareRule(int cityId, String vehicleClass, int hourOfDay, long baseCents, long perKmCents, long perMinuteCents, long minimumCents) {
            this.cityId = cityId; this.vehicleClass = vehicleClass; this.hourOfDay = hourOfDay; this.baseCents = baseCents; this.perKmCents = perKmCents; this.perMinuteCents = perMinuteCents; this.minimumCents = minimumCents;
        }
    }

    /** Reference data: the tariff of every city, vehicle class and hour of the day, loaded at startup. */
    static final class FareTable {
        static Map<String, FareRule> RULES;
    }

    static final class OnlineDriver { final long driverId; double lat; double lon; int heading; long pingAt; OnlineDriver(long driverId) { this.driverId = driverId; } }

    /** Online drivers by grid cell, for matching; a driver moves between cells and leaves when offline. */
    static final class GeoIndex {
        final Map<Long, List<OnlineDriver>> byCell = new ConcurrentHashMap<>();
        int size() { int n = 0; for (List<OnlineDriver> l : byCell.values()) n += l.size(); return n; }
    }

    static final class EtaEstimate { final long fromCell; final long toCell; final int seconds; final long computedAt; EtaEstimate(long fromCell, long toCell, int seconds, long computedAt) { this.fromCell = fromCell; this.toCell = toCell; this.seconds = seconds; this.computedAt = computedAt; } }

    /** Cell-to-cell ETAs from the routing engine, the 25,000 most recently used. */
    static final class EtaCache extends LinkedHashMap<String, EtaEstimate> {
        final int maxEntries;
        EtaCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EtaEstimate> e) { return size() > maxEntries; }
    }

    static final class TripSummary { long tripId; long driverId; long fareCents; int distanceMeters; long completedAt; }

    /** The last 32,768 completed trips for the support tool; preallocated, overwritten. */
    static final class TripRing {
        final TripSummary[] slots = new TripSummary[TRIP_SLOTS];
        long written;
        TripRing() { for (int i = 0; i < slots.length; i++) slots[i] = new TripSummary(); }
        TripSummary next() { return slots[(int) (written++ % TRIP_SLOTS)]; }
    }

    static final class Trip { final long tripId; final long riderId; final long driverId; final long requestedAt; final double pickupLat; final double pickupLon; String status; Trip(long tripId, long riderId, long driverId, long requestedAt, double pickupLat, double pickupLon) { this.tripId = tripId; this.riderId = riderId; this.driverId = driverId; this.requestedAt = requestedAt; this.pickupLat = pickupLat; this.pickupLon = pickupLon; this.status = "EN_ROUTE"; } }

    static final class PreparedStmt { final String sql; final int parameterCount; long executions; PreparedStmt(String sql, int parameterCount) { this.sql = sql; this.parameterCount = parameterCount; } }

    static final class PooledConnection {
        final String connectionId; final byte[] socketBuffer = new byte[12 * 1024]; final Map<String, PreparedStmt> statementCache = new HashMap<>(); final long openedAt; long borrowedAt; String borrowedBy; boolean open = true;
        PooledConnection(String connectionId, long openedAt) { this.connectionId = connectionId; this.openedAt = openedAt; }
        PreparedStmt prepare(String sql) { return statementCache.computeIfAbsent(sql, s -> new PreparedStmt(s, (int) s.chars().filter(c -> c == '?').count())); }
    }

    /** An elastic pool: 10 connections opened at startup, a new one opened whenever none is idle. */
    static final class DbConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        /** THE LEAK: borrowed connections; the surge job's early return never releases its one. */
        final Set<PooledConnection> inUse = ConcurrentHashMap.newKeySet();
        int opened;
        PooledConnection borrow(String who, long now) {
            PooledConnection c = idle.pollFirst();
            if (c == null) c = new PooledConnection(String.format("pg-dispatch-%05d", ++opened), now);
            c.borrowedAt = now; c.borrowedBy = who;
            inUse.add(c);
            return c;
        }
        void release(PooledConnection c) { inUse.remove(c); idle.addFirst(c); }
    }

    static final class DispatchService {
        final DriverDirectory drivers = new DriverDirectory();
        final GeoIndex online = new GeoIndex();
        final EtaCache etas = new EtaCache(ETA_CAP);
        final TripRing trips = new TripRing();
        final Map<Long, Trip> inProgress = new ConcurrentHashMap<>();
        final DbConnectionPool db = new DbConnectionPool();
        final Properties config = new Properties();
    }

    static final String[] SQL = {
        "select zone_id, count(*) from trips where completed_at > ? and zone_id = ? group by zone_id",
        "select driver_id, status from driver_shifts where zone_id = ? and shift_start < ?",
        "insert into surge_snapshots(zone_id, multiplier, computed_at) values (?, ?, ?)",
        "update trips set status = ?, updated_at = ? where trip_id = ?",
        "insert into trip_events(trip_id, kind, at, payload) values (?, ?, ?, ?)",
        "select rider_id, payment_method_id from rider_defaults where rider_id = ?"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static long liveBytes() throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.trim().startsWith("Total")) { String[] t = line.trim().split("\\s+"); total = Long.parseLong(t[2]); }
        }
        p.waitFor();
        return total;
    }

    static long cell(double lat, double lon) { return ((long) (lat * 50)) << 32 | ((long) (lon * 50) & 0xFFFF_FFFFL); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(8_040_001);
        DispatchService svc = new DispatchService();
        RUNNING = svc;
        for (int i = 0; i < 110; i++) svc.config.setProperty("dispatch.city." + i + ".maxPickupMinutes", Integer.toString(6 + i % 12));
        String[] classes = {"ECONOMY", "COMFORT", "XL", "BLACK", "GREEN", "PET"};
        Map<String, FareRule> rules = new HashMap<>();
        for (int c = 0; c < CITIES; c++)
            for (int v = 0; v < VEHICLE_CLASSES; v++)
                for (int h = 0; h < 24; h++)
                    rules.put(c + "/" + classes[v] + "/" + h, new FareRule(c, classes[v], h, 150 + 25L * v, 80 + 10L * v + (h >= 7 && h <= 9 ? 20 : 0), 20 + 5L * v, 500 + 100L * v));
        FareTable.RULES = Collections.unmodifiableMap(rules);
        long[] driverIds = new long[DRIVERS];
        for (int i = 0; i < DRIVERS; i++) {
            driverIds[i] = 5_000_000L + i * 3;
            svc.drivers.byId.put(driverIds[i], new Driver(driverIds[i], "Driver " + i + " " + (char) ('A' + i % 26) + ".", String.format("%s-%04d-%s", (char) ('A' + i % 26) + "" + (char) ('A' + i / 26 % 26), i % 10_000, "KX"),
                    classes[i % VEHICLE_CLASSES], i % CITIES, start - 86_400_000L * (i % 1_500)));
        }
        for (int c = 0; c < POOL_MIN_IDLE; c++) svc.db.idle.add(new PooledConnection(String.format("pg-dispatch-%05d", ++svc.db.opened), start));
        // Online drivers: the first 9,000 of a shuffled order, placed in cells.
        List<OnlineDriver> onl = new ArrayList<>();
        for (int i = 0; i < ONLINE; i++) {
            OnlineDriver od = new OnlineDriver(driverIds[(int) ((i * 7_919L) % DRIVERS)]);
            od.lat = 52.3 + rnd.nextDouble() * 0.4; od.lon = 13.1 + rnd.nextDouble() * 0.6; od.pingAt = now - rnd.nextInt(4_000);
            svc.online.byCell.computeIfAbsent(cell(od.lat, od.lon), k -> new ArrayList<>()).add(od);
            onl.add(od);
        }
        int leaked = 0;
        long tripSeq = 800_000_000L;
        for (int i = 0; i < TRIPS; i++) {
            long t = start + SIM_MILLIS * i / TRIPS;
            OnlineDriver od = onl.get(rnd.nextInt(ONLINE));
            long from = cell(52.3 + rnd.nextDouble() * 0.4, 13.1 + rnd.nextDouble() * 0.6), to = cell(52.3 + rnd.nextDouble() * 0.4, 13.1 + rnd.nextDouble() * 0.6);
            String etaKey = from + ">" + to;
            EtaEstimate eta = svc.etas.get(etaKey);
            if (eta == null) { eta = new EtaEstimate(from, to, 60 + rnd.nextInt(1_800), t); svc.etas.put(etaKey, eta); }
            PooledConnection c = svc.db.borrow("TripService.complete", t);
            c.prepare(SQL[3]).executions++; c.prepare(SQL[4]).executions++; c.prepare(SQL[5]).executions++;
            svc.db.release(c);
            TripSummary s = svc.trips.next();
            s.tripId = tripSeq++; s.driverId = od.driverId; s.fareCents = 500 + rnd.nextInt(4_000); s.distanceMeters = 500 + rnd.nextInt(20_000); s.completedAt = t + eta.seconds * 1000L;
            Driver d = svc.drivers.byId.get(od.driverId);
            d.lastTripAt = t; d.rating = 4 + rnd.nextDouble();
            // The surge job, every 100 trips: one zone in three has no trips in the window and returns early.
            if (i % 100 == 99) {
                PooledConnection sc = svc.db.borrow("SurgeReportJob.recompute", t);
                sc.prepare(SQL[0]).executions++;
                if ((i / 100) % 3 == 0) { leaked++; continue; }
                sc.prepare(SQL[1]).executions++; sc.prepare(SQL[2]).executions++;
                svc.db.release(sc);
            }
        }
        // Trips in progress, requested in the last 40 minutes.
        for (int i = 0; i < IN_PROGRESS; i++) {
            OnlineDriver od = onl.get((i * 13) % ONLINE);
            svc.inProgress.put(tripSeq, new Trip(tripSeq++, 70_000_000L + rnd.nextInt(5_000_000), od.driverId, now - rnd.nextInt(2_400_000), od.lat, od.lon));
        }
        // Requests being served right now hold a connection each.
        for (int i = 0; i < IN_FLIGHT; i++) svc.db.borrow("TripService.accept", now - 5 - i).prepare(SQL[3]).executions++;
        onl = null;
        long oldLeases = 0;
        for (PooledConnection c : svc.db.inUse) if (now - c.borrowedAt > HOUR) oldLeases++;
        System.out.println("drivers " + svc.drivers.byId.size() + " fare rules " + FareTable.RULES.size() + " online " + svc.online.size() + " in " + svc.online.byCell.size() + " cells, etas " + svc.etas.size()
                + " trips " + svc.trips.written + " in progress " + svc.inProgress.size() + " connections: opened " + svc.db.opened + " idle " + svc.db.idle.size() + " in use " + svc.db.inUse.size()
                + " (borrowed > 1 h ago: " + oldLeases + ")");
        check(svc.drivers.byId.size() == DRIVERS && FareTable.RULES.size() == CITIES * VEHICLE_CLASSES * 24, "reference data");
        check(svc.online.size() == ONLINE && svc.etas.size() == ETA_CAP && svc.inProgress.size() == IN_PROGRESS, "working sets");
        check(svc.trips.written == TRIPS, "trip ring");
        check(leaked == LEAKED_CONNECTIONS && svc.db.inUse.size() == LEAKED_CONNECTIONS + IN_FLIGHT, "connections in use");
        check(svc.db.opened == svc.db.idle.size() + svc.db.inUse.size(), "connections opened");
        System.gc();
        if (Boolean.getBoolean("val8.share")) {
            long before = liveBytes();
            svc.db.inUse.removeIf(c -> c.borrowedBy.startsWith("Surge"));
            System.gc();
            long after = liveBytes();
            System.out.printf("share: live %d, leak %d (%.1f%%)%n", before, before - after, 100.0 * (before - after) / before);
            System.exit(0);
        }
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
