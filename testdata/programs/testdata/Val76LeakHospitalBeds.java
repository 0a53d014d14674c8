// hprofscan-dump: name=val76-leak-hospitalbeds jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val76-leak-hospitalbeds-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 76 (written blind), LEAK: the bed-management service of a hospital group. Ward
 * reference data, the admissions directory, a cache of rendered ward boards at its cap, a pool of
 * HL7 parse buffers, a ring of recent bed events, and a database connection pool whose connections
 * are recycled every 10 minutes (max lifetime). Each connection has its own prepared-statement
 * cache. A metrics registry keeps every connection ever opened in a list (for per-connection use
 * counts on the metrics page) and never removes one when the pool closes it, so every closed
 * connection stays reachable with its statement cache. See VALIDATION76.md.
 */
public final class Val76LeakHospitalBeds {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, MAX_LIFETIME = 10 * MINUTE;
    static final int WARDS = 1_000, ADMISSIONS = 24_000, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 10, QUERIES = 40, STMT_CAP = 64;
    static final int HOURS = 10, REQUESTS_PER_HOUR = 8_000;
    static boolean FIXED;

    record Ward(String code, String site, double[] occupancyForecast) {}
    record Admission(String mrn, String wardCode, String bed, byte[] chartSummary, long admittedAt) {}
    record WardBoard(String key, byte[] rendered, long at) {}
    record BedEvent(String mrn, String bed, String kind, long at) {}
    record PreparedStmt(String sql, byte[] plan, long preparedAt) {}

    static final class StatementCache extends LinkedHashMap<String, PreparedStmt> {
        StatementCache() { super(16, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStmt> e) { return size() > STMT_CAP; }
    }

    static final class DbConnection {
        final long id; final String url; final long openedAt; long closedAt, uses; boolean closed;
        final StatementCache statements = new StatementCache();
        DbConnection(long id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
        PreparedStmt prepare(String sql, Random r, long at) {
            PreparedStmt s = statements.get(sql);
            if (s == null) { s = new PreparedStmt(sql, new byte[300 + r.nextInt(300)], at); statements.put(sql, s); }
            uses++;
            return s;
        }
        void close(long at) { closed = true; closedAt = at; }
    }

    /** Metrics page: per-connection use counts. */
    static final class ConnectionMetrics {
        final List<DbConnection> allConnections = new ArrayList<>();
        long opened, closed;
        void opened(DbConnection c) { allConnections.add(c); opened++; }
        void closed(DbConnection c) {
            closed++;
            if (FIXED) allConnections.remove(c); // only live connections are listed
            // BUG: the closed connection (and its statement cache) stays in allConnections forever
        }
    }

    static final class ConnectionPool {
        final String url = "jdbc:postgresql://beds-db:5432/beds";
        final DbConnection[] slots = new DbConnection[CONNECTIONS];
        final ConnectionMetrics metrics = new ConnectionMetrics();
        long nextId = 1, recycled;
        DbConnection open(long at) { DbConnection c = new DbConnection(nextId++, url, at); metrics.opened(c); return c; }
        DbConnection borrow(int slot, long at) {
            DbConnection c = slots[slot];
            if (at - c.openedAt >= MAX_LIFETIME) { // max lifetime reached: close and replace
                c.close(at);
                metrics.closed(c);
                recycled++;
                c = slots[slot] = open(at);
            }
            return c;
        }
    }

    static final class BoardCache extends LinkedHashMap<String, WardBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WardBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ward> WARDS_BY_CODE = new HashMap<>();

    static final class BedService {
        final Map<String, Admission> admissions = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> hl7Buffers = new ArrayDeque<>();
        final BedEvent[] recentEvents = new BedEvent[RING];
        long events;
        final ConnectionPool db = new ConnectionPool();
    }

    static BedService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val76.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(76_030_001);
        String[] wardCodes = new String[WARDS];
        for (int w = 0; w < WARDS; w++) {
            double[] f = new double[96];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble();
            wardCodes[w] = "W" + (w / 50) + "-" + (100 + w % 50);
            WARDS_BY_CODE.put(wardCodes[w], new Ward(wardCodes[w], "Site " + (w / 50), f));
        }
        BedService svc = new BedService();
        SERVICE = svc;
        String[] mrns = new String[ADMISSIONS];
        for (int a = 0; a < ADMISSIONS; a++) {
            mrns[a] = "MRN" + (80_000_000 + a * 13);
            String ward = wardCodes[rnd.nextInt(WARDS)];
            svc.admissions.put(mrns[a], new Admission(mrns[a], ward, ward + "-B" + rnd.nextInt(30), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.hl7Buffers.add(new byte[32_768]);
        String[] sql = new String[QUERIES];
        String[] tables = {"bed", "admission", "ward", "transfer", "discharge", "cleaning_task", "isolation_flag", "porter_job"};
        for (int q = 0; q < QUERIES; q++) sql[q] = "select * from " + tables[q % tables.length] + " where site_id = ? and variant_" + q + " = ? order by updated_at desc";
        // the pool starts with 10 connections opened one minute apart (staggered max lifetimes)
        for (int c = 0; c < CONNECTIONS; c++) svc.db.slots[c] = svc.db.open(start - (CONNECTIONS - c) * MINUTE);

        Random traffic = new Random(76_030_002);
        String[] kinds = {"ADMIT", "TRANSFER", "DISCHARGE", "CLEANED", "BLOCKED"};
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            DbConnection c = svc.db.borrow(i % CONNECTIONS, t);
            int q = traffic.nextInt(QUERIES);
            c.prepare(sql[q], traffic, t);
            String mrn = mrns[traffic.nextInt(ADMISSIONS)];
            svc.recentEvents[(int) (svc.events++ % RING)] = new BedEvent(mrn, "B" + traffic.nextInt(30), kinds[traffic.nextInt(kinds.length)], t);
            String key = "board-" + traffic.nextInt(5_000);
            if (svc.boards.get(key) == null) svc.boards.put(key, new WardBoard(key, new byte[700 + traffic.nextInt(700)], t));
            byte[] buf = svc.hl7Buffers.poll();
            buf[i % buf.length] = (byte) q;
            svc.hl7Buffers.add(buf);
        }
        ConnectionPool db = svc.db;
        ConnectionMetrics m = db.metrics;
        long closedListed = m.allConnections.stream().filter(c -> c.closed).count();
        long closedStatements = m.allConnections.stream().filter(c -> c.closed).mapToLong(c -> c.statements.size()).sum();
        long liveStatements = 0;
        for (DbConnection c : db.slots) liveStatements += c.statements.size();
        System.out.println((FIXED ? "FIXED " : "") + "wards " + WARDS_BY_CODE.size() + " admissions " + svc.admissions.size() + " connections opened " + m.opened + " closed " + m.closed + " listed " + m.allConnections.size()
                + " (closed listed " + closedListed + " with " + closedStatements + " statements; live statements " + liveStatements + ") boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") pool " + svc.hl7Buffers.size() + " events " + svc.events);
        check(WARDS_BY_CODE.size() == WARDS && svc.admissions.size() == ADMISSIONS, "reference data / directory");
        check(m.opened == m.closed + CONNECTIONS && m.closed == db.recycled && m.closed > 500, "connection recycling: " + m.closed);
        if (FIXED) check(m.allConnections.size() == CONNECTIONS && closedListed == 0, "metrics lists live connections");
        else check(m.allConnections.size() == m.opened && closedListed == m.closed, "metrics keeps every connection: " + m.allConnections.size());
        check(liveStatements <= (long) CONNECTIONS * QUERIES, "statement caches bounded");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at cap");
        check(svc.hl7Buffers.size() == POOL, "pool");
        check(svc.events > RING && svc.recentEvents[RING - 1] != null, "event ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
