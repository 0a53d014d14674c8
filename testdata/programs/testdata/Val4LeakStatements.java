// hprofscan-dump: name=val4-leak-statements-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), LEAKING: an account-statement service whose JDBC-style driver
 * caches prepared statements per physical connection, without a limit, keyed by SQL text.
 *
 * <p>The pool has 12 connections ({@code ConnectionPool.connections}); each
 * {@code JdbcConnection} has its own {@code statementCache} ({@code HashMap<String,
 * PreparedStatementImpl>}). The regular code paths use 25 parameterised statements (each prepared
 * once on every connection: 300). The statement-export path builds its SQL by concatenating the
 * account number and the date range into the text, so every export prepares a new statement that
 * is cached forever on whichever connection served it and never used again. 9,600 exports
 * (800 per connection, round robin) among 60,000 requests over 12 simulated hours ending now.
 *
 * <p>Healthy beside it: an account directory (15,000), exchange-rate history (reference data:
 * 120 currencies x 365 days), a rendered-statement LRU ({@code LinkedHashMap}, at its capacity of
 * 500), a 4-thread render pool with a per-thread {@code char[16,384]} scratch buffer
 * ({@code ThreadLocal}), metrics. See testdata/VALIDATION4.md.
 */
public final class Val4LeakStatements {
    static final int CONNECTIONS = 12;
    static final int ACCOUNTS = 15_000;
    static final int CURRENCIES = 120;
    static final int DAYS = 365;
    static final int REQUESTS = 60_000;
    static final int EXPORTS = 9_600;
    static final int SQL_TEMPLATES = 25;
    static final int RENDERED_LRU = 500;
    static final int WORKERS = 4;
    static final long SIM_MILLIS = 12L * 3600_000L;

    static StatementService RUNNING;

    static final class ColumnMeta {
        final String name; final int sqlType; final int precision;
        ColumnMeta(String name, int sqlType, int precision) { this.name = name; this.sqlType = sqlType; this.precision = precision; }
    }

    static final class PreparedStatementImpl {
        final String sql; final int[] paramTypes; final ColumnMeta[] columns; final byte[] describeBuffer; final long preparedAt; long lastUsedAt; int useCount;
        PreparedStatementImpl(String sql, int params, int columns, long now) {
            this.sql = sql; this.paramTypes = new int[params];
            this.columns = new ColumnMeta[columns];
            for (int i = 0; i < columns; i++) this.columns[i] = new ColumnMeta("c" + i, 4 + i % 8, 18);
            this.describeBuffer = new byte[384]; this.preparedAt = now; this.lastUsedAt = now;
        }
    }

    static final class JdbcConnection {
        final int id; final String url; final byte[] socketBuffer = new byte[16_384]; final long createdAt;
        final Map<String, PreparedStatementImpl> statementCache = new HashMap<>();
        long lastUsedAt; int leases;
        JdbcConnection(int id, String url, long createdAt) { this.id = id; this.url = url; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
        PreparedStatementImpl prepareStatement(String sql, int params, int columns, long now) {
            PreparedStatementImpl ps = statementCache.get(sql);
            if (ps == null) { ps = new PreparedStatementImpl(sql, params, columns, now); statementCache.put(sql, ps); }
            ps.lastUsedAt = now; ps.useCount++;
            return ps;
        }
    }

    static final class ConnectionPool {
        final List<JdbcConnection> connections = new ArrayList<>();
        final ArrayDeque<JdbcConnection> idle = new ArrayDeque<>();
        JdbcConnection borrow(long now) { JdbcConnection c = idle.pollFirst(); c.leases++; c.lastUsedAt = now; return c; }
        void giveBack(JdbcConnection c) { idle.addLast(c); }
    }

    static final class Account {
        final String number; final long customerId; final String currency; final BigDecimal balance; final long openedAt;
        Account(String number, long customerId, String currency, BigDecimal balance, long openedAt) { this.number = number; this.customerId = customerId; this.currency = currency; this.balance = balance; this.openedAt = openedAt; }
    }

    static final class ExchangeRates {
        static final Map<String, TreeMap<Integer, BigDecimal>> HISTORY = new HashMap<>();
        static void load() {
            for (int c = 0; c < CURRENCIES; c++) {
                TreeMap<Integer, BigDecimal> days = new TreeMap<>();
                for (int d = 0; d < DAYS; d++) days.put(20_250_000 + d, BigDecimal.valueOf(10_000 + c * 37 + d, 4));
                HISTORY.put("C" + (char) ('A' + c / 26 % 26) + (char) ('A' + c % 26), days);
            }
        }
    }

    static final class RenderedStatement {
        final String accountNumber; final String period; final byte[] pdf; final long renderedAt;
        RenderedStatement(String accountNumber, String period, byte[] pdf, long renderedAt) { this.accountNumber = accountNumber; this.period = period; this.pdf = pdf; this.renderedAt = renderedAt; }
    }

    static final class RenderedLru extends LinkedHashMap<String, RenderedStatement> {
        final int capacity;
        RenderedLru(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedStatement> e) { return size() > capacity; }
    }

    static final class StatementService {
        final ConnectionPool pool = new ConnectionPool();
        final Map<String, Account> accounts = new HashMap<>();
        final RenderedLru rendered = new RenderedLru(RENDERED_LRU);
        final ExecutorService renderers;
        static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[16_384]);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        StatementService() {
            AtomicInteger n = new AtomicInteger();
            renderers = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "statement-render-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void regular(int template, long now) {
            JdbcConnection c = pool.borrow(now);
            try {
                c.prepareStatement("SELECT /* q" + template + " */ t.id, t.amount, t.booked_at FROM txn_" + (template % 5) + " t WHERE t.account_no = ? AND t.booked_at >= ? ORDER BY t.booked_at LIMIT ?", 3, 3 + template % 6, now);
            } finally { pool.giveBack(c); }
            count("regular");
        }

        void export(Account a, int fromDay, int toDay, long now) {
            JdbcConnection c = pool.borrow(now);
            try {
                // BUG: literals concatenated into the SQL text; every export prepares (and caches) a new statement.
                c.prepareStatement("SELECT t.id, t.amount, t.currency, t.booked_at, t.description FROM txn t WHERE t.account_no = '" + a.number
                        + "' AND t.booked_day BETWEEN " + fromDay + " AND " + toDay + " ORDER BY t.booked_at", 0, 5, now);
            } finally { pool.giveBack(c); }
            String key = a.number + "/" + fromDay;
            rendered.put(key, new RenderedStatement(a.number, fromDay + "-" + toDay, new byte[1_024], now));
            count("export");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        StatementService svc = new StatementService();
        RUNNING = svc;
        ExchangeRates.load();
        for (int i = 0; i < CONNECTIONS; i++) {
            JdbcConnection c = new JdbcConnection(i, "jdbc:acmedb://ledger-db-" + (i % 2) + ":5432/ledger", start);
            svc.pool.connections.add(c);
            svc.pool.idle.add(c);
        }
        Random rnd = new Random(4_040_303);
        List<Account> accountList = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String no = "DE" + (10_000_000_000L + i * 7919L);
            Account a = new Account(no, 2_000_000L + i, i % 7 == 0 ? "USD" : "EUR", BigDecimal.valueOf(rnd.nextInt(10_000_000), 2), start - rnd.nextInt(1_000_000_000));
            svc.accounts.put(no, a);
            accountList.add(a);
        }
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < WORKERS * 4; i++) fs.add(svc.renderers.submit(() -> StatementService.SCRATCH.get()[0] = 'x'));
        for (Future<?> f : fs) f.get();
        long end = System.currentTimeMillis();
        int exports = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            // The first requests prepare every template on every connection; then 5 of every 25 are exports until 9,600 (800 per connection).
            if (i < SQL_TEMPLATES * CONNECTIONS) { svc.regular(i / CONNECTIONS, t); continue; }
            if (exports < EXPORTS && (i % 25) < 5) {
                Account a = accountList.get(exports % ACCOUNTS);
                int from = 20_250_000 + rnd.nextInt(300);
                svc.export(a, from, from + 30, t);
                exports++;
            } else {
                svc.regular(rnd.nextInt(SQL_TEMPLATES), t);
            }
        }
        int total = 0;
        for (JdbcConnection c : svc.pool.connections) {
            int literal = 0;
            for (String sql : c.statementCache.keySet()) if (sql.contains("'")) literal++;
            check(literal == EXPORTS / CONNECTIONS, "connection " + c.id + " literal statements " + literal);
            check(c.statementCache.size() == EXPORTS / CONNECTIONS + SQL_TEMPLATES, "connection " + c.id + " cache " + c.statementCache.size());
            total += c.statementCache.size();
        }
        System.out.println("exports " + exports + " statements " + total + " rendered " + svc.rendered.size());
        check(exports == EXPORTS, "exports " + exports);
        check(total == EXPORTS + SQL_TEMPLATES * CONNECTIONS, "statements " + total);
        check(svc.pool.idle.size() == CONNECTIONS, "idle");
        check(svc.accounts.size() == ACCOUNTS, "accounts");
        check(svc.rendered.size() == RENDERED_LRU, "rendered " + svc.rendered.size());
        check(ExchangeRates.HISTORY.size() == CURRENCIES, "currencies");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
