// hprofscan-dump: name=svc-leak-perconncache jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-perconncache-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6b): an order service over two hand-written JDBC-like connection
 * pools. The orders pool ({@code Service.ordersDb}) has 16 {@link Connection}s, each with its own
 * unbounded statement cache {@code Connection.statementCache} ({@code HashMap<String,
 * PreparedStmt>} keyed by SQL text); the order lookups build their SQL with literals
 * ({@code "... WHERE o.id = 81234567"}), so every call prepares and caches a new statement:
 * 24,000 statements over the 16 caches (1,500 each: the pool lends its connections in turn), each cache about 3% of the heap,
 * together about half. Healthy counterpart: the reporting pool ({@code Service.reportsDb}, 16
 * connections of another class) caches parameterised SQL in an LRU {@code LinkedHashMap} capped
 * at 64 statements per connection (64 each, full). Also: a customer directory (40,000), currency
 * rates (static, 30), an order-summary LRU at capacity (5,000), metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6b".
 */
public final class SvcLeakPerConnectionCache {
    static final int CONNECTIONS = 16;
    static final int LOOKUPS = 24_000;
    static final int REPORT_CACHE_CAP = 64;
    static final int CUSTOMERS = 40_000;
    static final int SUMMARY_CACHE = 5_000;
    static final long SIM_MILLIS = 6L * 3600_000L;

    static Service RUNNING;

    /** A prepared statement as a driver keeps it: the SQL, parameter metadata, the server-side plan. */
    static final class PreparedStmt {
        final String sql; final int[] parameterTypes; final byte[] plan; final String serverName; int executions;
        PreparedStmt(String sql, int[] parameterTypes, byte[] plan, String serverName) { this.sql = sql; this.parameterTypes = parameterTypes; this.plan = plan; this.serverName = serverName; }
    }

    /** Leaking: a per-connection statement cache without a bound. */
    static final class Connection {
        final int id; final String url; final long createdAt; long lastUsedAt; boolean inUse;
        final Map<String, PreparedStmt> statementCache = new HashMap<>();
        int prepared;
        Connection(int id, String url, long createdAt) { this.id = id; this.url = url; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
        PreparedStmt prepare(String sql, Random rnd) {
            PreparedStmt p = statementCache.get(sql);
            if (p == null) {
                p = new PreparedStmt(sql, new int[] {4, 12}, new byte[160 + rnd.nextInt(160)], "S_" + (++prepared));
                statementCache.put(sql, p);
            }
            p.executions++;
            return p;
        }
    }

    /** Healthy: the same idea, capped by an LRU. */
    static final class StatementLru extends LinkedHashMap<String, PreparedStmt> {
        final int capacity;
        StatementLru(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStmt> e) { return size() > capacity; }
    }

    static final class ReportingConnection {
        final int id; final String url; final long createdAt; long lastUsedAt; boolean inUse;
        final StatementLru statementCache = new StatementLru(REPORT_CACHE_CAP);
        int prepared;
        ReportingConnection(int id, String url, long createdAt) { this.id = id; this.url = url; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
        PreparedStmt prepare(String sql, Random rnd) {
            PreparedStmt p = statementCache.get(sql);
            if (p == null) { p = new PreparedStmt(sql, new int[] {4, 91, 91}, new byte[160 + rnd.nextInt(160)], "R_" + (++prepared)); statementCache.put(sql, p); }
            p.executions++;
            return p;
        }
    }

    static final class OrdersPool {
        final List<Connection> connections = new ArrayList<>();
        int next;
        Connection borrow(long now) { Connection c = connections.get(next++ % connections.size()); c.inUse = true; c.lastUsedAt = now; return c; }
        void giveBack(Connection c) { c.inUse = false; }
    }

    static final class ReportsPool {
        final List<ReportingConnection> connections = new ArrayList<>();
        int next;
        ReportingConnection borrow(long now) { ReportingConnection c = connections.get(next++ % connections.size()); c.inUse = true; c.lastUsedAt = now; return c; }
        void giveBack(ReportingConnection c) { c.inUse = false; }
    }

    static final class Customer {
        final long id; final String name; final String email; final String country;
        Customer(long id, String name, String email, String country) { this.id = id; this.name = name; this.email = email; this.country = country; }
    }

    static final class Rates { static final Map<String, BigDecimal> TO_EUR = new HashMap<>(); }

    static final class SummaryCache extends LinkedHashMap<Long, String> {
        final int capacity;
        SummaryCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, String> e) { return size() > capacity; }
    }

    static final class Service {
        final OrdersPool ordersDb = new OrdersPool();
        final ReportsPool reportsDb = new ReportsPool();
        final Map<Long, Customer> customers = new HashMap<>();
        final SummaryCache summaries = new SummaryCache(SUMMARY_CACHE);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static final String[] REPORTS = {"daily_revenue", "top_customers", "refund_rate", "basket_size", "country_mix", "late_shipments",
        "payment_methods", "stock_turnover", "coupon_usage", "new_vs_returning"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_651);
        Service s = new Service();
        for (int i = 0; i < CONNECTIONS; i++) {
            s.ordersDb.connections.add(new Connection(i, "jdbc:pg://orders-db:5432/orders", start + i * 200L));
            s.reportsDb.connections.add(new ReportingConnection(i, "jdbc:pg://replica-db:5432/orders", start + i * 200L));
        }
        String[] countries = {"DE", "FR", "NL", "AT", "CH", "IT", "ES", "PL"};
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 3_000_000L + i;
            s.customers.put(id, new Customer(id, "Customer " + i, "customer" + i + "@mail.example", countries[rnd.nextInt(countries.length)]));
        }
        for (String c : new String[] {"EUR", "USD", "GBP", "CHF", "PLN", "SEK", "NOK", "DKK", "CZK", "HUF", "JPY", "CNY", "AUD", "CAD", "NZD",
            "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY", "ILS", "AED", "SAR", "THB", "MYR", "IDR", "PHP"}) {
            Rates.TO_EUR.put(c, BigDecimal.valueOf(50 + rnd.nextInt(20_000), 4));
        }
        java.util.Set<Long> orderIds = new java.util.HashSet<>();
        for (int i = 0; i < LOOKUPS; i++) {
            long t = start + (SIM_MILLIS - 1_000) * i / LOOKUPS;
            Connection c = s.ordersDb.borrow(t);
            long orderId;
            do { orderId = 80_000_000L + rnd.nextInt(5_000_000); } while (!orderIds.add(orderId));
            // the leak: SQL built with a literal, a new cache key per order
            c.prepare("SELECT o.id, o.status, o.total, o.customer_id, o.placed_at FROM orders o WHERE o.id = " + orderId, rnd);
            s.ordersDb.giveBack(c);
            s.summaries.put(orderId, "order " + orderId + ": " + (1 + rnd.nextInt(9)) + " items");
            if (i % 3 == 0) {
                ReportingConnection r = s.reportsDb.borrow(t);
                String report = REPORTS[rnd.nextInt(REPORTS.length)];
                r.prepare("SELECT * FROM report_" + report + " WHERE day BETWEEN ? AND ? AND shard = " + rnd.nextInt(10), rnd);
                s.reportsDb.giveBack(r);
            }
            s.count("lookups");
        }
        orderIds = null;
        int total = 0, min = Integer.MAX_VALUE, max = 0;
        for (Connection c : s.ordersDb.connections) { int n = c.statementCache.size(); total += n; min = Math.min(min, n); max = Math.max(max, n); }
        check(total == LOOKUPS, "statements " + total);
        for (ReportingConnection r : s.reportsDb.connections) check(r.statementCache.size() == REPORT_CACHE_CAP, "report cache " + r.statementCache.size());
        check(s.customers.size() == CUSTOMERS && s.summaries.size() == SUMMARY_CACHE && Rates.TO_EUR.size() == 30, "reference data");
        check(min == LOOKUPS / CONNECTIONS && max == LOOKUPS / CONNECTIONS, "per connection " + min + " .. " + max);
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
