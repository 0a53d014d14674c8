// hprofscan-dump: name=val89-leak-skiphire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val89-leak-skiphire-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 89 (written blind), LEAK: the booking service of a skip-hire (waste container)
 * company. Depot reference data, the skip directory, a cache of rendered council permit pages at
 * its cap, a pool of label buffers, a ring of recent bookings, and a pool of 10 long-lived database
 * connections. A debugging aid for statement leaks records a new Throwable() (the creation stack
 * trace) for every statement prepared on a connection, in a per-connection list that is meant to
 * be reported and cleared when the connection closes. The pooled connections are never closed, and
 * closing a statement does not remove its trace, so every connection keeps the stack trace of every
 * statement it ever prepared. See VALIDATION89.md.
 */
public final class Val89LeakSkipHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_100, SKIPS = 25_000, PERMIT_CAP = 2_000, BUFFERS = 8, RING = 512, CONNECTIONS = 10, HOURS = 10, REQUESTS = 2_500;
    static boolean FIXED;

    record Depot(String code, String town, double[] utilisationByWeek) {}
    record Skip(String assetNo, String size, String depotCode, byte[] inspectionRecord, long commissionedAt) {}
    record PermitPage(String key, byte[] rendered, long at) {}
    record Booking(String bookingRef, String assetNo, String postcode, long from, long until) {}

    /** Where (and when) a statement was prepared: kept to report statements that are never closed. */
    record PrepareTrace(long statementId, String sql, long preparedAt, Throwable site) {}

    static final class Statement {
        final long id; final String sql; final PooledConnection connection; boolean closed; long executions;
        Statement(long id, String sql, PooledConnection connection) { this.id = id; this.sql = sql; this.connection = connection; }
        void execute() { executions++; connection.executed++; }
        void close() { closed = true; connection.closeStatement(this); }
    }

    static final class PooledConnection {
        final int number; final long openedAt;
        final List<Statement> openStatements = new ArrayList<>();
        final List<PrepareTrace> prepareTraces = new ArrayList<>();
        long prepared, executed;
        PooledConnection(int number, long openedAt) { this.number = number; this.openedAt = openedAt; }
        Statement prepareStatement(String sql, long at) {
            Statement s = new Statement(STATEMENT_IDS++, sql, this);
            openStatements.add(s);
            prepareTraces.add(new PrepareTrace(s.id, sql, at, new Throwable()));
            prepared++;
            return s;
        }
        void closeStatement(Statement s) {
            openStatements.remove(s);
            if (FIXED) { // forget the trace of a closed statement
                for (int k = prepareTraces.size() - 1; k >= 0; k--) if (prepareTraces.get(k).statementId() == s.id) { prepareTraces.remove(k); break; }
            }
            // BUG: the trace stays until close() of the connection, which the pool never calls
        }
        void close() { prepareTraces.clear(); openStatements.clear(); }
    }

    static long STATEMENT_IDS = 1_000_000;

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final List<PooledConnection> all = new ArrayList<>();
        PooledConnection borrow() { return idle.pollFirst(); }
        void giveBack(PooledConnection c) { idle.addLast(c); }
    }

    static final class PermitCache extends LinkedHashMap<String, PermitPage> {
        long evicted;
        PermitCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PermitPage> e) { if (size() > PERMIT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final String SQL_VALIDATE = "SELECT 1";
    static final String SQL_SKIP = "SELECT size, depot, status FROM skips WHERE asset_no = ?";
    static final String SQL_AVAIL = "SELECT asset_no FROM skips WHERE depot = ? AND size = ? AND status = 'YARD' LIMIT 5";
    static final String SQL_BOOK = "INSERT INTO bookings (ref, asset_no, postcode, from_ts, until_ts) VALUES (?, ?, ?, ?, ?)";
    static final String SQL_STATUS = "UPDATE skips SET status = ? WHERE asset_no = ?";
    static final String SQL_PERMIT = "SELECT permit_ref FROM permits WHERE postcode = ? AND valid_until > ?";

    static final class HireService {
        final Map<String, Skip> skips = new HashMap<>();
        final PermitCache permits = new PermitCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        long bookings, lookups;
        final ConnectionPool pool = new ConnectionPool();
        final List<Statement> validationStatements = new ArrayList<>();

        /** A repository method: prepares, executes and closes one statement. */
        void run(PooledConnection c, String sql, long at) {
            Statement s = c.prepareStatement(sql, at);
            s.execute();
            s.close();
        }
        void book(Random r, String assetNo, String postcode, long at) {
            PooledConnection c = pool.borrow();
            try {
                run(c, SQL_AVAIL, at);
                run(c, SQL_PERMIT, at);
                run(c, SQL_BOOK, at);
                run(c, SQL_STATUS, at);
            } finally { pool.giveBack(c); }
            recent[(int) (bookings++ % RING)] = new Booking("BK-" + (40_000_000 + bookings), assetNo, postcode, at, at + (3 + r.nextInt(12)) * 24 * HOUR);
        }
        void lookup(String assetNo, long at) {
            PooledConnection c = pool.borrow();
            try {
                run(c, SQL_SKIP, at);
                run(c, SQL_PERMIT, at);
            } finally { pool.giveBack(c); }
            lookups++;
        }
    }

    static HireService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val89.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(89_040_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] util = new double[72];
            for (int k = 0; k < util.length; k++) util[k] = rnd.nextDouble();
            depotCodes[d] = "DEP-" + (700 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Town " + (d % 260), util));
        }
        HireService svc = new HireService();
        SERVICE = svc;
        String[] sizes = {"2yd mini", "4yd midi", "6yd builders", "8yd builders", "12yd maxi", "20yd roll-on", "40yd roll-on"};
        String[] assets = new String[SKIPS];
        for (int s = 0; s < SKIPS; s++) {
            assets[s] = "SK" + (8_000_000 + s);
            svc.skips.put(assets[s], new Skip(assets[s], sizes[s % sizes.length], depotCodes[rnd.nextInt(DEPOTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.labelBuffers.add(new byte[32_768]);
        // the pool opens its connections at startup (10 h before the dump) and keeps them;
        // each keeps one validation statement open for its whole life
        for (int c = 0; c < CONNECTIONS; c++) {
            PooledConnection pc = new PooledConnection(c + 1, start);
            svc.pool.all.add(pc);
            svc.pool.idle.add(pc);
            svc.validationStatements.add(pc.prepareStatement(SQL_VALIDATE, start));
        }
        Random traffic = new Random(89_040_002);
        String[] postcodes = new String[3_000];
        for (int p = 0; p < postcodes.length; p++) postcodes[p] = "PC" + (char) ('A' + p % 26) + (p / 26) + " " + (1 + p % 9) + (char) ('A' + (p * 7) % 26) + (char) ('A' + (p * 11) % 26);
        int bookingsExpected = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + MINUTE + (end - 2 * MINUTE - start) * i / REQUESTS;
            for (Statement v : svc.validationStatements) if (i % 50 == 0) v.execute();
            String asset = assets[traffic.nextInt(SKIPS)];
            if (traffic.nextInt(5) < 2) { svc.book(traffic, asset, postcodes[traffic.nextInt(postcodes.length)], t); bookingsExpected++; }
            else svc.lookup(asset, t);
            for (int v = 0; v < 3; v++) { // the booking page shows three permit pages
                String key = "permit-" + traffic.nextInt(4_000);
                if (svc.permits.get(key) == null) svc.permits.put(key, new PermitPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        long traces = 0, open = 0, prepared = 0, minTraces = Long.MAX_VALUE, maxTraces = 0;
        for (PooledConnection c : svc.pool.all) { traces += c.prepareTraces.size(); open += c.openStatements.size(); prepared += c.prepared; minTraces = Math.min(minTraces, c.prepareTraces.size()); maxTraces = Math.max(maxTraces, c.prepareTraces.size()); }
        long preparedExpected = CONNECTIONS + 4L * bookingsExpected + 2L * (REQUESTS - bookingsExpected);
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " skips " + svc.skips.size() + " requests " + REQUESTS + " bookings " + svc.bookings + " lookups " + svc.lookups + " statements prepared " + prepared
                + " open " + open + " traces " + traces + " (per connection " + minTraces + ".." + maxTraces + ") permits " + svc.permits.size() + " (evicted " + svc.permits.evicted + ") buffers " + svc.labelBuffers.size() + " idle connections " + svc.pool.idle.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.skips.size() == SKIPS, "reference data / directory");
        check(svc.bookings == bookingsExpected && svc.bookings + svc.lookups == REQUESTS && prepared == preparedExpected && open == CONNECTIONS && svc.pool.idle.size() == CONNECTIONS, "traffic");
        if (FIXED) check(traces == CONNECTIONS, "traces of open statements only: " + traces);
        else check(traces == prepared && minTraces > 0, "every trace kept: " + traces);
        check(svc.permits.size() == PERMIT_CAP && svc.permits.evicted > 0, "permit cache at cap");
        check(svc.labelBuffers.size() == BUFFERS, "buffer pool");
        check(svc.bookings > RING && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
