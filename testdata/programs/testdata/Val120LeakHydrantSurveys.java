// hprofscan-dump: name=val120-leak-hydrantsurveys jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val120-leak-hydrantsurveys-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 120 (written blind), LEAK: the hydrant inspection service of a water utility
 * (inspectors' tablets submit pressure and flow tests). Supply-zone reference data, the hydrant
 * register, an LRU of map tiles at its cap, a pool of PDF buffers, a ring of recent inspection
 * results and a queue of crew work orders with a normal backlog. The database access goes through a
 * pool of 10 long-lived connections; each connection keeps every statement created on it in
 * openStatements so that disconnect() can close them all. The lookup and the insert of a request
 * are closed, but the pressure-history query of every request is never closed, so each connection's
 * list keeps every history statement with its parameters and its result buffer.
 * See VALIDATION120.md.
 */
public final class Val120LeakHydrantSurveys {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int ZONES = 1_000, HYDRANTS = 20_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192, CONNECTIONS = 10, HOURS = 10, PER_MINUTE = 20;
    static final String SQL_LOOKUP = "SELECT id, zone, street, main_mm, last_inspected FROM hydrant WHERE id = ?";
    static final String SQL_HISTORY = "SELECT reading_at, static_kpa, residual_kpa, flow_lps FROM inspection WHERE hydrant_id = ? AND reading_at > ? ORDER BY reading_at DESC LIMIT ?";
    static final String SQL_INSERT = "INSERT INTO inspection (hydrant_id, inspector, reading_at, static_kpa, residual_kpa, flow_lps, defect) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static boolean FIXED;

    record Zone(String code, String name, double[] pressureByHalfHour) {}
    record Hydrant(String id, String zoneCode, String street, int mainDiameterMm, byte[] assetRecord, long installedAt) {}
    record MapTile(String key, byte[] png, long at) {}
    record InspectionResult(String hydrantId, String inspector, int staticKpa, int residualKpa, int flowLps, String defect, long at) {}
    record WorkOrder(String orderId, String hydrantId, String defect, String zoneCode, long raisedAt) {}

    /** A statement on a pooled connection: parameters bound, result rows fetched into a buffer. */
    static final class Statement implements AutoCloseable {
        final DbConnection connection; final String sql; final Object[] params; final long createdAt;
        byte[] resultBuffer; int rows; boolean closed;
        Statement(DbConnection connection, String sql, Object[] params, long createdAt) { this.connection = connection; this.sql = sql; this.params = params; this.createdAt = createdAt; }
        void execute(Random r) { rows = 1 + r.nextInt(24); resultBuffer = new byte[300 + r.nextInt(600)]; }
        @Override public void close() { if (closed) return; closed = true; resultBuffer = null; connection.openStatements.remove(this); connection.statementsClosed++; }
    }

    static final class DbConnection {
        final int id; final String url; final byte[] socketBuffer = new byte[16_384]; final long connectedAt;
        /** Every statement created on this connection, so that disconnect() can close them all. */
        final List<Statement> openStatements = new ArrayList<>();
        long statementsCreated, statementsClosed, borrows;
        DbConnection(int id, String url, long connectedAt) { this.id = id; this.url = url; this.connectedAt = connectedAt; }
        Statement prepare(String sql, long t, Object... params) { Statement s = new Statement(this, sql, params, t); openStatements.add(s); statementsCreated++; return s; }
        void disconnect() { for (Statement s : new ArrayList<>(openStatements)) s.close(); }
    }

    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        DbConnection borrow() { DbConnection c = idle.pollFirst(); c.borrows++; return c; }
        void release(DbConnection c) { idle.addLast(c); }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class InspectionService {
        final Map<String, Hydrant> hydrants = new HashMap<>();
        final String[] hydrantIds = new String[HYDRANTS];
        final ConnectionPool pool = new ConnectionPool();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final InspectionResult[] results = new InspectionResult[RING];
        final ArrayDeque<WorkOrder> workOrders = new ArrayDeque<>();
        long inspections, defects, ordersDispatched, reports, historyRows;

        void submitInspection(Random r, long t) {
            Hydrant h = hydrants.get(hydrantIds[r.nextInt(HYDRANTS)]);
            String inspector = "INS-" + (200 + r.nextInt(140));
            DbConnection c = pool.borrow();
            try {
                try (Statement lookup = c.prepare(SQL_LOOKUP, t, h.id())) { lookup.execute(r); }
                Statement history = c.prepare(SQL_HISTORY, t, h.id(), t - 730 * DAY, 24);
                if (FIXED) {
                    try (history) { history.execute(r); historyRows += history.rows; }
                } else {
                    history.execute(r);
                    historyRows += history.rows; // the trend chart is drawn; the statement is left open
                }
                int staticKpa = 250 + r.nextInt(450), residual = staticKpa - 20 - r.nextInt(120), flow = 8 + r.nextInt(60);
                String defect = r.nextInt(100) < 6 ? (r.nextBoolean() ? "SPINDLE-SEIZED" : "OUTLET-CAP-MISSING") : null;
                try (Statement insert = c.prepare(SQL_INSERT, t, h.id(), inspector, t, staticKpa, residual, flow, defect)) { insert.execute(r); }
                results[(int) (inspections++ % RING)] = new InspectionResult(h.id(), inspector, staticKpa, residual, flow, defect, t);
                if (defect != null) { defects++; workOrders.addLast(new WorkOrder("WO-" + (610_000 + defects), h.id(), defect, h.zoneCode(), t)); }
            } finally {
                pool.release(c);
            }
            String key = "tile-z15-" + r.nextInt(6_000);
            if (tiles.get(key) == null) tiles.put(key, new MapTile(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(10) == 0) {
                byte[] buf = pdfBuffers.poll();
                buf[(int) (inspections % buf.length)] = (byte) h.mainDiameterMm();
                pdfBuffers.add(buf);
                reports++;
            }
        }

        void dispatchWorkOrders(long t) {
            while (!workOrders.isEmpty() && workOrders.peekFirst().raisedAt() <= t - 30 * MINUTE) { workOrders.pollFirst(); ordersDispatched++; }
        }

        int openStatements() { int n = 0; for (DbConnection c : pool.all) n += c.openStatements.size(); return n; }
    }

    static InspectionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(120_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] pressure = new double[48];
            for (int k = 0; k < pressure.length; k++) pressure[k] = 200 + rnd.nextDouble() * 500;
            zoneCodes[z] = "DMA-" + (3_000 + z * 7);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District meter area " + z, pressure));
        }
        InspectionService svc = new InspectionService();
        SERVICE = svc;
        String[] streets = {"High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Road", "Park Avenue", "Queens Road", "The Crescent"};
        for (int i = 0; i < HYDRANTS; i++) {
            String id = "HYD-" + (100_000 + i * 3);
            svc.hydrantIds[i] = id;
            svc.hydrants.put(id, new Hydrant(id, zoneCodes[rnd.nextInt(ZONES)], (1 + rnd.nextInt(200)) + " " + streets[rnd.nextInt(streets.length)], 75 + 25 * rnd.nextInt(8), new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(15_000)) * DAY));
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            DbConnection c = new DbConnection(i, "jdbc:postgresql://assets-db-" + (i % 2) + ".internal:5432/hydrants", start - (3 + i) * HOUR);
            svc.pool.all[i] = c;
            svc.pool.idle.add(c);
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(120_030_002);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < PER_MINUTE; k++) svc.submitInspection(traffic, t + k * 3_000L);
            if (m % 10 == 9) svc.dispatchWorkOrders(t);
        }
    }

    static String report() {
        InspectionService svc = SERVICE;
        StringBuilder perConnection = new StringBuilder();
        long created = 0, closed = 0;
        for (DbConnection c : svc.pool.all) { perConnection.append(' ').append(c.openStatements.size()); created += c.statementsCreated; closed += c.statementsClosed; }
        return (FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " hydrants " + svc.hydrants.size() + " inspections " + svc.inspections + " statements created " + created + " closed " + closed + " open " + svc.openStatements()
                + " (per connection" + perConnection + ") history rows " + svc.historyRows + " defects " + svc.defects + " work orders dispatched " + svc.ordersDispatched + " backlog " + svc.workOrders.size()
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.pdfBuffers.size() + " reports " + svc.reports;
    }

    static void verify() {
        InspectionService svc = SERVICE;
        check(ZONES_BY_CODE.size() == ZONES && svc.hydrants.size() == HYDRANTS, "reference data / register");
        check(svc.inspections == (long) PER_MINUTE * 60 * HOURS, "inspections");
        check(svc.openStatements() == (FIXED ? 0 : svc.inspections), "open statements");
        for (DbConnection c : svc.pool.all) check(c.openStatements.size() == (FIXED ? 0 : svc.inspections / CONNECTIONS), "statements of connection " + c.id);
        check(svc.pool.idle.size() == CONNECTIONS, "all connections idle");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.results[RING - 1] != null, "ring");
        expect(svc.openStatements(), FIXED ? 0 : 12_000, "open statements");
        expect(svc.historyRows, 149_751, "history rows");
        expect(svc.defects, 760, "defects");
        expect(svc.workOrders.size(), 38, "work-order backlog");
        expect(svc.tiles.evicted, 6_407, "tiles evicted");
        expect(svc.reports, 1_234, "reports");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val120.fixed");
        simulate();
        System.out.println(report());
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
