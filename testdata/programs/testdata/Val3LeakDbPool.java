// hprofscan-dump: name=val3-leak-dbpool jvm="-Xmx256m" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), LEAKING: an order-history API on a hand-written JDBC-style
 * connection pool ("hikari-lite").
 *
 * <p>The pool keeps every physical connection in {@code ConnectionPool.all} (for validation and
 * shutdown) and the free ones in {@code idle}; the lease state lives on the connection itself
 * ({@code boolean inUse}, {@code long leasedAt}, {@code String leasedBy}). The CSV-export endpoint
 * throws when a customer has more rows than the export limit, before its {@code finally}, so the
 * connection is never given back: it stays {@code inUse = true} forever. The pool is elastic
 * ({@code maxSize = 5,000}, a misconfiguration) and the housekeeper tops the idle list back up to
 * {@code minIdle = 20}, so the service keeps working while {@code all} grows. 40,000 requests over
 * 16 simulated hours ending now; every 50th is an oversized export: 800 leaked connections, each
 * with two 4 KiB wire buffers and a statement cache. At dump time 6 requests are in flight
 * (leased within the last second, held by {@code OrderHistoryService.inflight}).
 *
 * <p>Healthy beside it: a product catalog (reference data, 25,000), a customer directory (10,000),
 * a hand-written Caffeine-like query-result cache at its maximum size, a ring buffer of the last
 * 4,096 request log lines, metrics. See testdata/VALIDATION3.md.
 */
public final class Val3LeakDbPool {
    static final int PRODUCTS = 25_000;
    static final int CUSTOMERS = 10_000;
    static final int REQUESTS = 40_000;
    static final int LEAK_EVERY = 50;
    static final int IN_FLIGHT = 6;
    static final int MIN_IDLE = 20;
    static final int QUERY_CACHE_MAX = 3_000;
    static final int LOG_RING = 4_096;
    static final long SIM_MILLIS = 16L * 3600_000L;

    static OrderHistoryService RUNNING;

    static final class Product {
        final String sku; final String title; final BigDecimal listPrice; final int categoryId; final long loadedAt;
        Product(String sku, String title, BigDecimal listPrice, int categoryId, long loadedAt) { this.sku = sku; this.title = title; this.listPrice = listPrice; this.categoryId = categoryId; this.loadedAt = loadedAt; }
    }

    static final class ProductCatalog {
        static final Map<String, Product> BY_SKU = new HashMap<>();
    }

    static final class Customer {
        final long id; final String email; final String tier; final int exportLimit;
        Customer(long id, String email, String tier, int exportLimit) { this.id = id; this.email = email; this.tier = tier; this.exportLimit = exportLimit; }
    }

    static final class PreparedStatementHandle {
        final String sql; final int parameterCount; final long serverHandle;
        PreparedStatementHandle(String sql, int parameterCount, long serverHandle) { this.sql = sql; this.parameterCount = parameterCount; this.serverHandle = serverHandle; }
    }

    static final class PgConnection {
        final int id; final String url; final long createdAt;
        final byte[] sendBuffer = new byte[4096]; final byte[] recvBuffer = new byte[4096];
        final Map<String, PreparedStatementHandle> statementCache = new HashMap<>();
        boolean inUse; long leasedAt; String leasedBy; long lastReturnedAt; int leaseCount;
        PgConnection(int id, String url, long createdAt) { this.id = id; this.url = url; this.createdAt = createdAt; }
        PreparedStatementHandle prepare(String sql) {
            return statementCache.computeIfAbsent(sql, s -> new PreparedStatementHandle(s, 2, 0x5000_0000L + id * 16L + statementCache.size()));
        }
    }

    static final class ConnectionPool {
        final String url = "jdbc:postgresql://orders-db.internal:5432/orders";
        final int minIdle = MIN_IDLE; final int maxSize = 5_000;
        final List<PgConnection> all = new ArrayList<>();
        final ArrayDeque<PgConnection> idle = new ArrayDeque<>();
        int nextId = 1;

        PgConnection open(long now) {
            if (all.size() >= maxSize) throw new IllegalStateException("pool exhausted");
            PgConnection c = new PgConnection(nextId++, url, now);
            all.add(c);
            return c;
        }
        PgConnection lease(String who, long now) {
            PgConnection c = idle.poll();
            if (c == null) c = open(now);
            c.inUse = true; c.leasedAt = now; c.leasedBy = who; c.leaseCount++;
            return c;
        }
        void giveBack(PgConnection c, long now) {
            c.inUse = false; c.leasedBy = null; c.lastReturnedAt = now;
            idle.push(c);
        }
        void housekeep(long now) {
            while (idle.size() < minIdle) idle.push(open(now));
        }
        int inUseCount() { int n = 0; for (PgConnection c : all) if (c.inUse) n++; return n; }
    }

    /** Hand-written Caffeine-like cache: hash map + access-ordered doubly linked list, bounded by maximumSize. */
    static final class QueryResultCache {
        static final class Node {
            final String key; Object[] rows; long accessTimeNanos; Node prev, next;
            Node(String key, Object[] rows, long t) { this.key = key; this.rows = rows; this.accessTimeNanos = t; }
        }
        final ConcurrentHashMap<String, Node> data = new ConcurrentHashMap<>();
        final long maximumSize;
        Node head, tail; // head = least recently used
        long evictionCount;
        QueryResultCache(long maximumSize) { this.maximumSize = maximumSize; }

        Object[] getIfPresent(String key) {
            Node n = data.get(key);
            if (n == null) return null;
            n.accessTimeNanos = System.nanoTime();
            unlink(n); linkLast(n);
            return n.rows;
        }
        void put(String key, Object[] rows) {
            Node n = new Node(key, rows, System.nanoTime());
            Node old = data.put(key, n);
            if (old != null) unlink(old);
            linkLast(n);
            while (data.size() > maximumSize) {
                Node victim = head;
                unlink(victim);
                data.remove(victim.key);
                evictionCount++;
            }
        }
        private void unlink(Node n) {
            if (n.prev != null) n.prev.next = n.next; else head = n.next;
            if (n.next != null) n.next.prev = n.prev; else tail = n.prev;
            n.prev = n.next = null;
        }
        private void linkLast(Node n) {
            n.prev = tail;
            if (tail != null) tail.next = n; else head = n;
            tail = n;
        }
    }

    static final class RequestLogRing {
        final String[] lines = new String[LOG_RING];
        long written;
        void add(String line) { lines[(int) (written++ % LOG_RING)] = line; }
    }

    static final class RequestContext {
        final String requestId; final Customer customer; final PgConnection connection; final long startedAt;
        RequestContext(String requestId, Customer customer, PgConnection connection, long startedAt) { this.requestId = requestId; this.customer = customer; this.connection = connection; this.startedAt = startedAt; }
    }

    static final class ExportTooLargeException extends RuntimeException {
        ExportTooLargeException(String m) { super(m, null, false, false); }
    }

    static final class OrderHistoryService {
        final ConnectionPool pool = new ConnectionPool();
        final Map<Long, Customer> customers = new ConcurrentHashMap<>();
        final QueryResultCache queryCache = new QueryResultCache(QUERY_CACHE_MAX);
        final RequestLogRing accessLog = new RequestLogRing();
        final Map<String, RequestContext> inflight = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        Object[] orderHistory(Customer c, String requestId, long now, Random rnd) {
            String key = "orders:" + c.id + ":page" + rnd.nextInt(3);
            Object[] rows = queryCache.getIfPresent(key);
            if (rows != null) { count("cache.hit"); return rows; }
            PgConnection conn = pool.lease("http-" + requestId, now);
            try {
                conn.prepare("SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at DESC LIMIT ?");
                rows = new Object[4 + rnd.nextInt(8)];
                for (int i = 0; i < rows.length; i++) rows[i] = "order-" + c.id + "-" + i;
                queryCache.put(key, rows);
                return rows;
            } finally {
                pool.giveBack(conn, now);
            }
        }

        void exportCsv(Customer c, String requestId, long now, int rowCount) {
            PgConnection conn = pool.lease("export-" + requestId, now);
            conn.prepare("SELECT * FROM orders WHERE customer_id = ?");
            if (rowCount > c.exportLimit) {
                count("export.rejected");
                throw new ExportTooLargeException("customer " + c.id + " has " + rowCount + " rows"); // BUG: leaks conn
            }
            try {
                conn.prepare("SELECT * FROM order_lines WHERE order_id = ANY(?)");
            } finally {
                pool.giveBack(conn, now);
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static OrderHistoryService build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        OrderHistoryService svc = new OrderHistoryService();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (5_000_000 + i);
            ProductCatalog.BY_SKU.put(sku, new Product(sku, "Product " + i + " deluxe edition", BigDecimal.valueOf(199 + i % 5000, 2), i % 300, start));
        }
        String[] tiers = {"standard", "gold", "platinum"};
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 8_000_000L + i;
            svc.customers.put(id, new Customer(id, "customer" + i + "@example.org", tiers[i % 3], 5_000 * (1 + i % 3)));
        }
        svc.pool.housekeep(start);
        Random rnd = new Random(777);
        long step = SIM_MILLIS / REQUESTS;
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + r * step;
            Customer c = svc.customers.get(8_000_000L + rnd.nextInt(CUSTOMERS));
            String rid = Long.toString(900_000_000L + r, 36);
            if (r % LEAK_EVERY == LEAK_EVERY - 1) {
                try {
                    svc.exportCsv(c, rid, t, c.exportLimit + 1 + rnd.nextInt(1000));
                } catch (ExportTooLargeException e) {
                    svc.count("http.500");
                }
            } else if (r % LEAK_EVERY == 7) {
                svc.exportCsv(c, rid, t, rnd.nextInt(c.exportLimit));
            } else {
                svc.orderHistory(c, rid, t, rnd);
            }
            svc.accessLog.add("GET /customers/" + c.id + "/orders 200 rid=" + rid);
            if (r % 60 == 59) svc.pool.housekeep(t);
        }
        svc.pool.housekeep(now - 1_000L);
        for (int i = 0; i < IN_FLIGHT; i++) {
            long t = now - 900L + i * 100L;
            Customer c = svc.customers.get(8_000_000L + rnd.nextInt(CUSTOMERS));
            String rid = Long.toString(900_000_000L + REQUESTS + i, 36);
            PgConnection conn = svc.pool.lease("http-" + rid, t);
            svc.inflight.put(rid, new RequestContext(rid, c, conn, t));
        }
        int leaked = REQUESTS / LEAK_EVERY;
        check(svc.pool.inUseCount() == leaked + IN_FLIGHT, "in use " + svc.pool.inUseCount());
        check(svc.pool.idle.size() == MIN_IDLE - IN_FLIGHT, "idle " + svc.pool.idle.size());
        check(svc.pool.all.size() == leaked + MIN_IDLE, "all " + svc.pool.all.size());
        check(svc.queryCache.data.size() == QUERY_CACHE_MAX && svc.queryCache.evictionCount > 0, "query cache " + svc.queryCache.data.size());
        check(svc.customers.size() == CUSTOMERS && ProductCatalog.BY_SKU.size() == PRODUCTS, "reference data");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
