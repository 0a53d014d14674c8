// hprofscan-dump: name=val6-leak-cursors jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-leak-cursors-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), LEAKING, small leak beside big legitimate data: a B2B
 * reporting service. It has a JDBC-like connection pool of 12 OLTP connections and one dedicated,
 * long-lived reporting connection. The "preview" endpoint runs a report's query on the reporting
 * connection, reads the first 10 rows of the result set for the preview and returns without
 * closing it; every open cursor stays registered in its connection's {@code openCursors} list
 * with its fetched rows. 1,500 previews over 10 simulated hours leave 1,500 open cursors on the
 * reporting connection; the pool's connections close theirs (2 cursors are open at the dump,
 * queries in flight). Beside it: the customer directory (the biggest structure), report
 * definitions (static), a hand-written capped result cache (map + FIFO queue) at its cap, the
 * per-connection statement LRUs, metrics. See testdata/VALIDATION6.md.
 */
public final class Val6LeakCursors {
    static final int CUSTOMERS = 80_000;
    static final int REPORT_DEFS = 800;
    static final int POOL = 12;
    static final int PREVIEWS = 1_500;
    static final int QUERIES = 60_000;
    static final int PREVIEW_ROWS = 10;
    static final int RESULT_CACHE_CAP = 500;
    static final int STMT_CACHE = 32;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static ReportService RUNNING;

    static final class Customer {
        final long customerId; final String accountNo; final String legalName; final String country; final String vatId; final BigDecimal creditLimit; final long createdAt;
        Customer(long customerId, String accountNo, String legalName, String country, String vatId, BigDecimal creditLimit, long createdAt) {
            this.customerId = customerId; this.accountNo = accountNo; this.legalName = legalName; this.country = country; this.vatId = vatId; this.creditLimit = creditLimit; this.createdAt = createdAt;
        }
    }

    static final class ReportDefinition {
        final String code; final String title; final String sql; final String[] columns; final int version;
        ReportDefinition(String code, String title, String sql, String[] columns, int version) { this.code = code; this.title = title; this.sql = sql; this.columns = columns; this.version = version; }
    }

    static final class ReportDefinitions {
        static final Map<String, ReportDefinition> DEFS_BY_CODE = new HashMap<>();
    }

    static final class ResultSetCursor {
        final long cursorId; final DbConnection connection; final String sql; final Object[] params; final int fetchSize; final Object[][] rows; final long openedAt; int position; boolean closed;
        ResultSetCursor(long cursorId, DbConnection connection, String sql, Object[] params, int fetchSize, Object[][] rows, long openedAt) {
            this.cursorId = cursorId; this.connection = connection; this.sql = sql; this.params = params; this.fetchSize = fetchSize; this.rows = rows; this.openedAt = openedAt;
        }
        void close() { if (!closed) { closed = true; connection.openCursors.remove(this); } }
    }

    static final class StatementCache extends LinkedHashMap<String, Long> {
        final int max;
        StatementCache(int max) { super(max * 2, 0.75f, true); this.max = max; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> e) { return size() > max; }
    }

    static final class DbConnection {
        final int connectionId; final String url; final List<ResultSetCursor> openCursors = new ArrayList<>(); final StatementCache statements = new StatementCache(STMT_CACHE);
        final long openedAt; long nextCursorId; long executed;
        DbConnection(int connectionId, String url, long openedAt) { this.connectionId = connectionId; this.url = url; this.openedAt = openedAt; }
        ResultSetCursor executeQuery(String sql, Object[] params, int fetchSize, Random rnd, long now) {
            statements.merge(sql, 1L, Long::sum);
            executed++;
            Object[][] rows = new Object[fetchSize][];
            for (int r = 0; r < fetchSize; r++) rows[r] = new Object[] {(long) (rnd.nextInt(CUSTOMERS) + 500_000), "INV-" + (2_000_000 + rnd.nextInt(900_000)), BigDecimal.valueOf(rnd.nextInt(10_000_000), 2), (int) (now / 86_400_000L)};
            ResultSetCursor c = new ResultSetCursor(((long) connectionId << 40) | nextCursorId++, this, sql, params, fetchSize, rows, now);
            openCursors.add(c);
            return c;
        }
    }

    static final class ResultCache {
        final int maxEntries; final Map<String, byte[]> entries = new ConcurrentHashMap<>(); final Queue<String> insertionOrder = new ConcurrentLinkedQueue<>(); long evictions;
        ResultCache(int maxEntries) { this.maxEntries = maxEntries; }
        void put(String key, byte[] csv) {
            if (entries.put(key, csv) == null) insertionOrder.add(key);
            while (entries.size() > maxEntries) { String old = insertionOrder.poll(); if (old != null && entries.remove(old) != null) evictions++; }
        }
    }

    static final class ReportService {
        final Map<Long, Customer> customers = new HashMap<>();
        final DbConnection[] pool = new DbConnection[POOL];
        DbConnection reporting;
        final ResultCache results = new ResultCache(RESULT_CACHE_CAP);
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** GET /reports/{code}/preview: BUG: the result set is never closed. */
        Object[][] preview(ReportDefinition def, long customerId, Random rnd, long now) {
            ResultSetCursor rs = reporting.executeQuery(def.sql, new Object[] {customerId, "2026-Q" + (1 + rnd.nextInt(4))}, PREVIEW_ROWS, rnd, now);
            Object[][] page = new Object[PREVIEW_ROWS][];
            for (int r = 0; r < PREVIEW_ROWS; r++) page[r] = rs.rows[rs.position++];
            count("reports.preview");
            return page;
        }

        /** GET /reports/{code}/export: closes its cursor in a finally block. */
        void export(ReportDefinition def, long customerId, int conn, Random rnd, long now) {
            ResultSetCursor rs = pool[conn].executeQuery(def.sql, new Object[] {customerId}, 20, rnd, now);
            try {
                String key = def.code + "/" + customerId;
                results.put(key, new byte[2_048 + rnd.nextInt(2_048)]);
            } finally {
                rs.close();
            }
            count("reports.export");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_060_001);
        ReportService svc = new ReportService();
        RUNNING = svc;
        String[] countries = {"DE", "FR", "NL", "GB", "US", "ES", "IT", "PL", "SE", "AT"};
        long[] ids = new long[CUSTOMERS];
        for (int i = 0; i < CUSTOMERS; i++) {
            ids[i] = 500_000L + i;
            String c = countries[i % countries.length];
            svc.customers.put(ids[i], new Customer(ids[i], String.format("ACC-%08d", 10_000_000 + i * 3), "Customer " + i + " GmbH & Co. KG Handelsgesellschaft", c,
                    c + String.format("%09d", 100_000_000 + i * 11), BigDecimal.valueOf(1_000_000L + i * 100L, 2), start - 86_400_000L * (i % 2_000)));
        }
        for (int i = 0; i < REPORT_DEFS; i++) {
            String code = "RPT-" + (1_000 + i);
            String sql = "SELECT c.account_no, i.invoice_no, i.amount, i.due_day FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.customer_id = ? AND i.period = ? AND i.kind = " + (i % 17) + " ORDER BY i.due_day /* " + code + " */";
            ReportDefinitions.DEFS_BY_CODE.put(code, new ReportDefinition(code, "Report " + i, sql, new String[] {"account_no", "invoice_no", "amount", "due_day"}, 1 + i % 4));
        }
        ReportDefinition[] defs = ReportDefinitions.DEFS_BY_CODE.values().toArray(new ReportDefinition[0]);
        for (int c = 0; c < POOL; c++) svc.pool[c] = new DbConnection(c + 1, "jdbc:postgresql://db-primary:5432/billing", start);
        svc.reporting = new DbConnection(100, "jdbc:postgresql://db-replica:5432/billing?readOnly=true", start);
        int total = QUERIES + PREVIEWS, previews = 0;
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            ReportDefinition def = defs[rnd.nextInt(defs.length)];
            long customer = ids[rnd.nextInt(CUSTOMERS)];
            if ((long) (i + 1) * PREVIEWS / total > previews) { svc.preview(def, customer, rnd, t); previews++; }
            else svc.export(def, customer, i % POOL, rnd, t);
        }
        // Two exports in flight at the dump (their cursors are legitimately open).
        svc.pool[3].executeQuery(defs[0].sql, new Object[] {ids[0]}, 20, rnd, now);
        svc.pool[7].executeQuery(defs[1].sql, new Object[] {ids[1]}, 20, rnd, now);
        int poolOpen = 0;
        for (DbConnection c : svc.pool) { poolOpen += c.openCursors.size(); check(c.statements.size() == STMT_CACHE, "stmt cache"); }
        System.out.println("reporting open cursors " + svc.reporting.openCursors.size() + " pool open cursors " + poolOpen + " customers " + svc.customers.size()
                + " result cache " + svc.results.entries.size() + " evicted " + svc.results.evictions + " defs " + ReportDefinitions.DEFS_BY_CODE.size());
        check(previews == PREVIEWS && svc.reporting.openCursors.size() == PREVIEWS, "reporting cursors");
        check(poolOpen == 2, "pool cursors");
        check(svc.customers.size() == CUSTOMERS && ReportDefinitions.DEFS_BY_CODE.size() == REPORT_DEFS, "directories");
        check(svc.results.entries.size() == RESULT_CACHE_CAP, "result cache");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
