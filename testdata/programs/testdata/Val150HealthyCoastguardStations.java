// hprofscan-dump: name=val150-healthy-coastguardstations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val150-healthy-coastguardstations-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 150 (written blind), HEALTHY: the incident-logging service of a coastguard's
 * maritime rescue coordination centre. Tide-gauge reference data, the directory of registered
 * vessels, a cache of rendered chart tiles at its cap, a pool of radio-frame decode buffers, a
 * ring of vessel position reports, a transaction manager whose after-commit callbacks (lambdas
 * capturing the incident) are removed in a finally block whether the unit of work commits or rolls
 * back (6% roll back), and a per-station map (computeIfAbsent) of locks and statistics keyed by the
 * fixed set of 64 coastguard stations. See VALIDATION150.md.
 */
public final class Val150HealthyCoastguardStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GAUGES = 1_400, VESSELS = 26_000, STATIONS = 64, TILE_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, INCIDENTS = 40_000, POSITIONS_PER_INCIDENT = 3;

    record TideGauge(String code, String harbour, double[] predictedHeights) {}
    record Vessel(String mmsi, String name, String homePort, byte[] certificateHistory, long registeredAt) {}
    record ChartTile(String key, byte[] rendered, long at) {}
    record PositionReport(String mmsi, double lat, double lon, int knots, long at) {}
    record Incident(String ref, String stationCode, String mmsi, String category, long at, byte[] narrative) {}

    static final class RollbackException extends RuntimeException {
        RollbackException(String why) { super(why, null, false, false); }
    }

    static final class TransactionManager {
        final List<Runnable> afterCommit = new ArrayList<>();
        int mark = -1;
        long begun, committed, rolledBack, callbacksRun;
        void begin() { mark = afterCommit.size(); begun++; }
        void registerAfterCommit(Runnable r) { afterCommit.add(r); }
        void commit() {
            for (Runnable r : afterCommit.subList(mark, afterCommit.size())) { r.run(); callbacksRun++; }
            committed++;
        }
        void rollback() { rolledBack++; }
        /** Always called, in a finally block: the unit of work's callbacks are removed whatever happened. */
        void end() { afterCommit.subList(mark, afterCommit.size()).clear(); mark = -1; }
    }

    static final class StationStats {
        final long[] incidentsByHour = new long[24];
        long incidents, rescues;
        long lastIncidentAt;
    }

    static final class StationGuard {
        final ReentrantLock lock = new ReentrantLock();
        final StationStats stats = new StationStats();
    }

    static final class TileCache extends LinkedHashMap<String, ChartTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ChartTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TideGauge> GAUGES_BY_CODE = new HashMap<>();

    static final class IncidentService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> radioBuffers = new ArrayDeque<>();
        final PositionReport[] positions = new PositionReport[RING];
        final TransactionManager tx = new TransactionManager();
        final ConcurrentHashMap<String, StationGuard> stations = new ConcurrentHashMap<>();
        long positionCount, published;

        void recordAtStation(Incident inc) {
            StationGuard g = stations.computeIfAbsent(inc.stationCode(), code -> new StationGuard());
            g.lock.lock();
            try {
                StationStats s = g.stats;
                s.incidents++;
                s.incidentsByHour[(int) ((inc.at() / HOUR) % 24)]++;
                if (inc.category().equals("PERSON_IN_WATER") || inc.category().equals("VESSEL_AGROUND")) s.rescues++;
                s.lastIncidentAt = inc.at();
            } finally {
                g.lock.unlock();
            }
        }

        boolean log(Incident inc, boolean conflict) {
            tx.begin();
            try {
                tx.registerAfterCommit(() -> recordAtStation(inc));
                tx.registerAfterCommit(() -> published += inc.narrative().length > 0 ? 1 : 0);
                if (conflict) throw new RollbackException("incident " + inc.ref() + " superseded by a merged report");
                tx.commit();
                return true;
            } catch (RollbackException e) {
                tx.rollback();
                return false;
            } finally {
                tx.end();
            }
        }
    }

    static IncidentService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(150_060_001);
        for (int g = 0; g < GAUGES; g++) {
            double[] heights = new double[96];
            for (int k = 0; k < heights.length; k++) heights[k] = -2 + rnd.nextDouble() * 9;
            String code = "TG-" + (1_000 + g);
            GAUGES_BY_CODE.put(code, new TideGauge(code, "Harbour " + (g % 400), heights));
        }
        IncidentService svc = new IncidentService();
        SERVICE = svc;
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) stationCodes[s] = "CGS-" + (10 + s);
        String[] mmsis = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            mmsis[v] = Integer.toString(232_000_000 + v * 17);
            svc.vessels.put(mmsis[v], new Vessel(mmsis[v], "Vessel " + v, "Port " + (v % 500), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.radioBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_060_002);
        String[] categories = {"MEDICAL", "PERSON_IN_WATER", "VESSEL_AGROUND", "MACHINERY_FAILURE", "FLARE_SIGHTED", "MISSING_DIVER"};
        long rollbacks = 0;
        int maxCallbacks = 0;
        for (int i = 0; i < INCIDENTS; i++) {
            long t = start + (end - MINUTE - start) * i / INCIDENTS;
            String mmsi = mmsis[traffic.nextInt(VESSELS)];
            for (int p = 0; p < POSITIONS_PER_INCIDENT; p++)
                svc.positions[(int) (svc.positionCount++ % RING)] = new PositionReport(mmsis[traffic.nextInt(VESSELS)], 49 + traffic.nextDouble() * 10, -8 + traffic.nextDouble() * 10, traffic.nextInt(30), t);
            Incident inc = new Incident("INC-" + (3_000_000 + i), stationCodes[traffic.nextInt(STATIONS)], mmsi, categories[traffic.nextInt(categories.length)], t, new byte[300 + traffic.nextInt(600)]);
            if (!svc.log(inc, traffic.nextInt(100) < 6)) rollbacks++;
            maxCallbacks = Math.max(maxCallbacks, svc.tx.afterCommit.size());
            String key = "tile-" + traffic.nextInt(4_500);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new ChartTile(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.radioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.radioBuffers.add(buf);
        }
        TransactionManager tx = svc.tx;
        long stationIncidents = 0;
        for (StationGuard g : svc.stations.values()) stationIncidents += g.stats.incidents;
        System.out.println("gauges " + GAUGES_BY_CODE.size() + " vessels " + svc.vessels.size() + " incidents " + INCIDENTS + " committed " + tx.committed + " rolled back " + tx.rolledBack + " callbacks run " + tx.callbacksRun
                + " afterCommit list " + tx.afterCommit.size() + " stations " + svc.stations.size() + " (incidents " + stationIncidents + ") positions " + svc.positionCount + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.radioBuffers.size());
        check(GAUGES_BY_CODE.size() == GAUGES && svc.vessels.size() == VESSELS, "reference data / directory");
        check(tx.begun == INCIDENTS && tx.committed + tx.rolledBack == INCIDENTS && tx.rolledBack == rollbacks && rollbacks > 0 && tx.callbacksRun == 2 * tx.committed, "units of work");
        check(tx.afterCommit.isEmpty() && maxCallbacks == 0 && tx.mark == -1, "after-commit callbacks cleared in finally");
        check(svc.stations.size() == STATIONS && stationIncidents == tx.committed && svc.published == tx.committed, "station guards bounded by the stations");
        check(svc.positionCount == (long) INCIDENTS * POSITIONS_PER_INCIDENT && svc.positions[RING - 1] != null, "position ring");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.radioBuffers.size() == POOL, "pool");
        stationCodes = null;
        mmsis = null;
        tx = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
