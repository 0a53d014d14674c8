// hprofscan-dump: name=svc-leak-leases jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-leases-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, resources): an order service on two hand-written connection pools of the same
 * class.
 *
 * <p>{@link PooledConnection} carries its lease state: {@code boolean borrowed},
 * {@code long borrowedAt}, {@code String borrowedBy}. The order database's pool
 * ({@code OrderService.ordersDb}) leaks: the refund endpoint returns early when the payment
 * provider rejects the refund and never gives the connection back; the pool is elastic
 * ({@code maxSize = 1,000}) and the housekeeper replaces what is missing, so 400 connections
 * stay {@code borrowed = true} with {@code borrowedAt} spread over 14 hours and nothing but the
 * pool's {@code all} list references them. The reporting pool ({@code ReportService.warehouseDb},
 * the same class) is healthy, but a nightly export is running right now: 120 of its 160
 * connections are borrowed, all within the last two seconds, each by a running
 * {@code ExportTask} (in {@code ReportService.running}). Also: a product catalog (reference data,
 * 20,000), a customer directory (8,000), an order LRU at capacity (3,000), metrics.
 * See testdata/SERVICES.md.
 */
public final class SvcLeakLeases {
    static final int PRODUCTS = 20_000;
    static final int CUSTOMERS = 8_000;
    static final int ORDER_CACHE = 3_000;
    static final int REQUESTS = 28_000;
    static final int REFUND_REJECTED_EVERY = 70;
    static final int MIN_IDLE = 16;
    static final int WAREHOUSE_POOL = 160;
    static final int EXPORT_TASKS = 120;
    static final long SIM_MILLIS = 14L * 3600_000L;

    static Service RUNNING;

    static final class Product {
        final String sku; final String name; final BigDecimal price; final long loadedAt;
        Product(String sku, String name, BigDecimal price, long loadedAt) { this.sku = sku; this.name = name; this.price = price; this.loadedAt = loadedAt; }
    }

    static final class Catalog {
        static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();
    }

    static final class Customer {
        final long id; final String name; final String email;
        Customer(long id, String name, String email) { this.id = id; this.name = name; this.email = email; }
    }

    static final class PooledConnection {
        final int id; final String poolName; final String url; final long createdAt; final byte[] buffer = new byte[6_144];
        boolean borrowed; long borrowedAt; String borrowedBy; long returnedAt; int uses;
        PooledConnection(int id, String poolName, String url, long createdAt) { this.id = id; this.poolName = poolName; this.url = url; this.createdAt = createdAt; }
    }

    static final class ConnectionPool {
        final String name; final String url; final int maxSize; final int minIdle;
        final List<PooledConnection> all = new ArrayList<>();
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        int nextId;
        ConnectionPool(String name, String url, int maxSize, int minIdle) { this.name = name; this.url = url; this.maxSize = maxSize; this.minIdle = minIdle; }
        PooledConnection create(long now) {
            if (all.size() >= maxSize) throw new IllegalStateException("pool " + name + " exhausted");
            PooledConnection c = new PooledConnection(nextId++, name, url, now);
            all.add(c);
            return c;
        }
        PooledConnection borrow(String who, long now) {
            PooledConnection c = idle.poll();
            if (c == null) c = create(now);
            c.borrowed = true; c.borrowedAt = now; c.borrowedBy = who; c.uses++;
            return c;
        }
        void giveBack(PooledConnection c, long now) { c.borrowed = false; c.borrowedBy = null; c.returnedAt = now; idle.push(c); }
        void housekeep(long now) { while (idle.size() < minIdle) idle.push(create(now)); }
        int borrowedCount() { int n = 0; for (PooledConnection c : all) if (c.borrowed) n++; return n; }
    }

    static final class Order {
        final long id; final Customer customer; final BigDecimal total; final long placedAt;
        Order(long id, Customer customer, BigDecimal total, long placedAt) { this.id = id; this.customer = customer; this.total = total; this.placedAt = placedAt; }
    }

    static final class OrderCache extends LinkedHashMap<Long, Order> {
        final int capacity;
        OrderCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Order> e) { return size() > capacity; }
    }

    static final class OrderService {
        final ConnectionPool ordersDb = new ConnectionPool("orders", "jdbc:postgresql://orders-db:5432/orders", 1_000, MIN_IDLE);
        final Map<Long, Customer> customers = new ConcurrentHashMap<>();
        final OrderCache orders = new OrderCache(ORDER_CACHE);

        void getOrder(long orderId, Random rnd, long now) {
            if (orders.get(orderId) != null) return;
            PooledConnection c = ordersDb.borrow("GET /orders/" + orderId, now);
            try {
                Customer cu = customers.get(5_000_000L + rnd.nextInt(CUSTOMERS));
                orders.put(orderId, new Order(orderId, cu, BigDecimal.valueOf(rnd.nextInt(500_000), 2), now - rnd.nextInt(86_400_000)));
            } finally {
                ordersDb.giveBack(c, now);
            }
        }

        boolean refund(long orderId, boolean providerRejects, long now) {
            PooledConnection c = ordersDb.borrow("POST /orders/" + orderId + "/refund", now);
            if (providerRejects) return false; // BUG: the connection is never given back
            ordersDb.giveBack(c, now);
            return true;
        }
    }

    static final class ExportTask {
        final String exportId; final PooledConnection connection; final long startedAt; long rowsWritten;
        ExportTask(String exportId, PooledConnection connection, long startedAt) { this.exportId = exportId; this.connection = connection; this.startedAt = startedAt; }
    }

    static final class ReportService {
        final ConnectionPool warehouseDb = new ConnectionPool("warehouse", "jdbc:postgresql://dwh:5432/reporting", WAREHOUSE_POOL, WAREHOUSE_POOL);
        final Map<String, ExportTask> running = new ConcurrentHashMap<>();
    }

    static final class Service {
        final OrderService orders = new OrderService();
        final ReportService reports = new ReportService();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Service s = new Service();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "P-" + (7_000_000 + i);
            Catalog.PRODUCTS_BY_SKU.put(sku, new Product(sku, "Product " + i, BigDecimal.valueOf(99 + i % 90_000, 2), start));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 5_000_000L + i;
            s.orders.customers.put(id, new Customer(id, "Customer " + i, "c" + i + "@shop.example"));
        }
        s.orders.ordersDb.housekeep(start);
        s.reports.warehouseDb.housekeep(start);
        Random rnd = new Random(70_707);
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + SIM_MILLIS * r / REQUESTS;
            if (r % 14 == 6) {
                boolean rejected = r % REFUND_REJECTED_EVERY == 6;
                if (!s.orders.refund(40_000_000L + rnd.nextInt(100_000), rejected, t)) s.count("refund.rejected");
            } else {
                s.orders.getOrder(40_000_000L + rnd.nextInt(20_000), rnd, t);
            }
            if (r % 30 == 29) s.orders.ordersDb.housekeep(t);
            if (r % 500 == 0) { // a short report every few minutes
                PooledConnection c = s.reports.warehouseDb.borrow("report-" + r, t);
                s.reports.warehouseDb.giveBack(c, t + 2_000);
            }
        }
        s.orders.ordersDb.housekeep(now - 5_000);
        for (int i = 0; i < EXPORT_TASKS; i++) { // the nightly export, running right now
            long t = now - 2_000 + i * 15L;
            String id = "export-" + (9_100_000 + i);
            PooledConnection c = s.reports.warehouseDb.borrow(id, t);
            s.reports.running.put(id, new ExportTask(id, c, t));
        }
        int leaked = REQUESTS / REFUND_REJECTED_EVERY;
        check(s.orders.ordersDb.borrowedCount() == leaked, "orders borrowed " + s.orders.ordersDb.borrowedCount());
        check(s.orders.ordersDb.all.size() == leaked + MIN_IDLE && s.orders.ordersDb.idle.size() == MIN_IDLE, "orders pool " + s.orders.ordersDb.all.size());
        check(s.reports.warehouseDb.all.size() == WAREHOUSE_POOL && s.reports.warehouseDb.borrowedCount() == EXPORT_TASKS, "warehouse pool");
        check(s.orders.orders.size() == ORDER_CACHE, "order cache " + s.orders.orders.size());
        check(Catalog.PRODUCTS_BY_SKU.size() == PRODUCTS && s.orders.customers.size() == CUSTOMERS, "reference data");
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
