// hprofscan-dump: name=val46-healthy-firestations-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val46-healthy-firestations-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val46-healthy-firestations jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val46-healthy-firestations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 46 (written blind), HEALTHY: the computer-aided dispatch service of a county fire
 * department. Response-zone reference data, the premises directory (pre-incident plans), status
 * boards rendered per (station, board, request minute) and kept for the last 10 minutes only (older
 * minutes dropped), a fixed window of the last 8,192 radio-gateway sequence numbers for
 * deduplication, a pool of 6 database connections whose statements are always closed, a metrics
 * registry with one gauge per open incident (a lambda capturing the incident) unregistered when the
 * incident closes, and a ring of the last 16,384 emergency calls. Warms up over the first hours (the
 * ring fills, the open incidents reach their steady number) and is then flat. See VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46HealthyFireStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ZONES = 1_500, PREMISES = 25_000, CONNECTIONS = 6, RING = 16_384, DEDUP_WINDOW = 8_192, BOARD_MINUTES = 10;
    static final int CALLS_PER_HOUR = 6_000, MESSAGES_PER_CALL = 2, PROCESS_GAUGES = 30;
    static final String PREMISE_SQL = "SELECT plan, hazards, hydrants FROM premise_plan WHERE premise_id = ?";
    static final String UNIT_SQL = "UPDATE unit_status SET status = ?, at = ? WHERE unit_id = ?";
    static final String[] NATURES = {"structure fire", "medical", "vehicle accident", "alarm", "brush fire", "hazmat", "rescue", "smoke investigation"};
    static final String[] BOARDS = {"unit-status", "open-incidents", "coverage", "hydrant-outages", "staffing"};

    record Zone(String code, String district, double[] travelTimeModel) {}
    record Premise(String id, String zoneCode, String occupancy, byte[] prePlan, long surveyedAt) {}
    record Call(String callerNumber, String premiseId, String nature, long at) {}
    record RenderedBoard(String station, String board, long minute, byte[] html) {}

    @FunctionalInterface
    interface Gauge { double value(); }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Gauge> gauges = new ConcurrentHashMap<>();
        long registered, unregistered;
        void gauge(String name, Gauge g) { gauges.put(name, g); registered++; }
        void unregister(String name) { if (gauges.remove(name) != null) unregistered++; }
    }

    static final MetricsRegistry METRICS = new MetricsRegistry();

    static final class Incident {
        final String number, premiseId, nature, gaugeName; final long openedAt, closesAt; final byte[] narrative;
        final List<String> assignedUnits = new ArrayList<>();
        Incident(String number, String premiseId, String nature, long openedAt, long closesAt, byte[] narrative) {
            this.number = number; this.premiseId = premiseId; this.nature = nature; this.openedAt = openedAt; this.closesAt = closesAt; this.narrative = narrative;
            this.gaugeName = "incident.units." + number;
            METRICS.gauge(gaugeName, () -> this.assignedUnits.size());
        }
        void close() { METRICS.unregister(gaugeName); } // done right: the gauge goes with the incident
    }

    /** Status boards keyed by (station, board, minute); only the last BOARD_MINUTES minutes are kept. */
    static final class BoardCache {
        final TreeMap<Long, Map<String, RenderedBoard>> byMinute = new TreeMap<>();
        long requests, hits, renders, minutesDropped;
        RenderedBoard board(String station, String board, long at, int size) {
            requests++;
            long minute = at / MINUTE;
            while (!byMinute.isEmpty() && byMinute.firstKey() <= minute - BOARD_MINUTES) { byMinute.pollFirstEntry(); minutesDropped++; }
            Map<String, RenderedBoard> m = byMinute.computeIfAbsent(minute, k -> new HashMap<>());
            String key = station + "|" + board + "|" + minute;
            RenderedBoard b = m.get(key);
            if (b != null) { hits++; return b; }
            renders++;
            b = new RenderedBoard(station, board, minute, new byte[size]);
            m.put(key, b);
            return b;
        }
        int size() { int n = 0; for (Map<String, RenderedBoard> m : byMinute.values()) n += m.size(); return n; }
    }

    /** Deduplication of radio-gateway redeliveries over a fixed window of sequence numbers. */
    static final class DedupWindow {
        final long[] slots = new long[DEDUP_WINDOW];
        long maxSeq = -1, accepted, duplicates, tooOld;
        boolean firstTime(long seq) {
            if (maxSeq >= 0 && seq <= maxSeq - DEDUP_WINDOW) { tooOld++; return false; }
            int slot = (int) (seq & (DEDUP_WINDOW - 1));
            if (slots[slot] == seq + 1) { duplicates++; return false; }
            slots[slot] = seq + 1;
            maxSeq = Math.max(maxSeq, seq);
            accepted++;
            return true;
        }
    }

    static final class Statement implements AutoCloseable {
        final Connection connection; final String sql; final Object[] params; byte[] result; boolean closed;
        Statement(Connection connection, String sql, Object[] params) { this.connection = connection; this.sql = sql; this.params = params; }
        void execute(int bytes) { result = new byte[bytes]; connection.executions++; }
        @Override public void close() { if (!closed) { closed = true; result = null; connection.openStatements.remove(this); } }
    }

    static final class Connection {
        final String id; final List<Statement> openStatements = new ArrayList<>(); long executions;
        Connection(String id) { this.id = id; }
        Statement prepare(String sql, Object... params) { Statement s = new Statement(this, sql, params); openStatements.add(s); return s; }
    }

    static final class ConnectionPool {
        final Connection[] all = new Connection[CONNECTIONS];
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        ConnectionPool() { for (int c = 0; c < CONNECTIONS; c++) { all[c] = new Connection("cad-db-" + c); idle.add(all[c]); } }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Premise> premises = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final DedupWindow dedup = new DedupWindow();
        final ConnectionPool db = new ConnectionPool();
        final Call[] recentCalls = new Call[RING];
        long calls, incidentsOpened, incidentsClosed, queries;
        final List<Incident> open = new ArrayList<>();

        int lookupPremise(String premiseId, int bytes) {
            Connection c = db.idle.poll();
            try (Statement st = c.prepare(PREMISE_SQL, premiseId)) {
                st.execute(bytes);
                queries++;
                return st.result.length;
            } finally {
                db.idle.add(c);
            }
        }

        void updateUnit(String unit, String status, long at) {
            Connection c = db.idle.poll();
            try (Statement st = c.prepare(UNIT_SQL, status, at, unit)) {
                st.execute(8);
                queries++;
            } finally {
                db.idle.add(c);
            }
        }

        void closeDue(long t) {
            for (Iterator<Incident> it = open.iterator(); it.hasNext(); ) {
                Incident inc = it.next();
                if (inc.closesAt <= t) { inc.close(); incidentsClosed++; it.remove(); }
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int calls = CALLS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(46_050_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] model = new double[64];
            for (int k = 0; k < model.length; k++) model[k] = 2 + rnd.nextDouble() * 14;
            zoneCodes[z] = "RZ-" + (z / 100) + "-" + (z % 100);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + (z / 100), model));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] premiseIds = new String[PREMISES];
        String[] occupancies = {"residential", "mercantile", "industrial", "assembly", "educational", "storage", "health care"};
        for (int p = 0; p < PREMISES; p++) {
            premiseIds[p] = "PRM-" + (1_000_000 + p * 17);
            svc.premises.put(premiseIds[p], new Premise(premiseIds[p], zoneCodes[rnd.nextInt(ZONES)], occupancies[rnd.nextInt(occupancies.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_500)) * DAY));
        }
        String[] processGauges = {"premises.size", "boards.cached", "dedup.accepted", "dedup.duplicates", "db.idle", "incidents.open", "calls.total", "db.queries", "boards.renders", "incidents.closed"};
        for (int g = 0; g < PROCESS_GAUGES; g++) {
            final int k = g % processGauges.length;
            String name = processGauges[k] + (g < processGauges.length ? "" : ".station-" + (g / processGauges.length));
            METRICS.gauge(name, () -> switch (k) {
                case 0 -> svc.premises.size();
                case 1 -> svc.boards.size();
                case 2 -> svc.dedup.accepted;
                case 3 -> svc.dedup.duplicates;
                case 4 -> svc.db.idle.size();
                case 5 -> svc.open.size();
                case 6 -> svc.calls;
                case 7 -> svc.queries;
                case 8 -> svc.boards.renders;
                default -> svc.incidentsClosed;
            });
        }

        Random traffic = new Random(46_050_002);
        long seq = 5_500_000_000L;
        long redeliveries = 0;
        int maxOpen = 0;
        for (int i = 0; i < calls; i++) {
            long t = start + (end - MINUTE - start) * i / calls;
            svc.closeDue(t);
            String premise = premiseIds[traffic.nextInt(PREMISES)];
            String nature = NATURES[traffic.nextInt(NATURES.length)];
            svc.recentCalls[(int) (svc.calls++ % RING)] = new Call("+1555" + (1_000_000 + traffic.nextInt(9_000_000)), premise, nature, t);
            for (int m = 0; m < MESSAGES_PER_CALL; m++) { // radio-gateway messages (unit status)
                seq++;
                String unit = "E" + (1 + traffic.nextInt(60));
                if (svc.dedup.firstTime(seq)) svc.updateUnit(unit, m == 0 ? "dispatched" : "on scene", t);
                if (traffic.nextInt(40) == 0 && i > 300) { redeliveries++; check(!svc.dedup.firstTime(seq - traffic.nextInt(300)), "redelivery accepted"); }
            }
            int planBytes = 200 + traffic.nextInt(400);
            svc.lookupPremise(premise, planBytes);
            if (traffic.nextInt(20) == 0) { // one call in 20 becomes an incident, open for 20-90 minutes
                Incident inc = new Incident("F" + (24_000_000 + i), premise, nature, t, t + (20 + traffic.nextInt(71)) * MINUTE, new byte[400 + traffic.nextInt(400)]);
                int units = 1 + traffic.nextInt(5);
                for (int u = 0; u < units; u++) inc.assignedUnits.add("E" + (1 + traffic.nextInt(60)));
                svc.open.add(inc);
                svc.incidentsOpened++;
                maxOpen = Math.max(maxOpen, svc.open.size());
            }
            for (int b = 0; b < 2; b++) { // station crews refresh their boards
                String station = "ST-" + (1 + traffic.nextInt(40));
                String board = BOARDS[traffic.nextInt(BOARDS.length)];
                int size = 600 + traffic.nextInt(600);
                svc.boards.board(station, board, t, size);
            }
        }
        svc.closeDue(end);
        int openStatements = 0;
        for (Connection c : svc.db.all) openStatements += c.openStatements.size();
        int incidentGauges = 0;
        for (String name : METRICS.gauges.keySet()) if (name.startsWith("incident.units.")) incidentGauges++;
        long oldestOpen = Long.MAX_VALUE;
        for (Incident inc : svc.open) oldestOpen = Math.min(oldestOpen, inc.openedAt);
        System.out.println("stage " + stage + " zones " + ZONES_BY_CODE.size() + " premises " + svc.premises.size() + " calls " + svc.calls + " incidents opened " + svc.incidentsOpened + " closed " + svc.incidentsClosed
                + " open " + svc.open.size() + " (max " + maxOpen + ", oldest " + (end - oldestOpen) / MINUTE + " min) gauges " + METRICS.gauges.size() + " (incident " + incidentGauges + ", registered " + METRICS.registered + ", unregistered " + METRICS.unregistered
                + ") boards " + svc.boards.size() + " in " + svc.boards.byMinute.size() + " minutes (requests " + svc.boards.requests + ", hits " + svc.boards.hits + ", minutes dropped " + svc.boards.minutesDropped
                + ") dedup accepted " + svc.dedup.accepted + " duplicates " + svc.dedup.duplicates + " (redeliveries " + redeliveries + ") queries " + svc.queries + " open statements " + openStatements + " idle connections " + svc.db.idle.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.premises.size() == PREMISES, "reference data / directory");
        check(svc.calls == calls && svc.recentCalls[(calls - 1) % RING] != null && (calls < RING || svc.recentCalls[RING - 1] != null), "ring");
        check(svc.dedup.accepted == (long) calls * MESSAGES_PER_CALL && svc.dedup.duplicates == redeliveries && svc.dedup.tooOld == 0, "dedup window");
        check(openStatements == 0 && svc.db.idle.size() == CONNECTIONS, "statements closed");
        check(incidentGauges == svc.open.size() && METRICS.gauges.size() == PROCESS_GAUGES + svc.open.size() && METRICS.unregistered == svc.incidentsClosed, "incident gauges");
        check(svc.boards.byMinute.size() <= BOARD_MINUTES && svc.boards.size() <= BOARD_MINUTES * 40 * BOARDS.length, "boards bounded");
        LeakCheck.histogram(" [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
