// hprofscan-dump: name=svc-leak-pool jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-pool-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leak #6: a shipping service uses a hand-written elastic connection pool (opens a new connection
 * when none is idle). The order repository borrows a connection per save and returns it in the
 * normal path, but a validation error path returns early without releasing it: every 40th of
 * 50,000 saves, so 1,250 connections stay borrowed forever (with their 8 KiB socket buffers and
 * statement caches). Beside it: static shipping-zone reference data, a customer directory by
 * customer number, an order LRU at capacity, and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakPool {
    static final int ZONES = 5_000;
    static final int CUSTOMERS = 12_000;
    static final int ORDER_CACHE = 3_000;
    static final int SAVES = 50_000;
    static final int FAIL_EVERY = 40;
    static final int LEAKED = SAVES / FAIL_EVERY;
    static final int INITIAL_CONNECTIONS = 16;
    static final long SIM_HOURS = 16;

    enum Carrier { DHL, UPS, FEDEX, DPD, GLS }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class ShippingZone {
        final String postalPrefix;
        final Carrier carrier;
        final BigDecimal baseRate;
        final int transitDays;
        final long loadedAt;

        ShippingZone(String postalPrefix, int i, long loadedAt) {
            this.postalPrefix = postalPrefix;
            this.carrier = Carrier.values()[i % 5];
            this.baseRate = BigDecimal.valueOf(399 + i % 2_000, 2);
            this.transitDays = 1 + i % 5;
            this.loadedAt = loadedAt;
        }
    }

    static final class ShippingZones {
        static final TreeMap<String, ShippingZone> BY_PREFIX = new TreeMap<>();

        static void load(long loadedAt) {
            for (int i = 0; i < ZONES; i++) {
                String p = "Z" + (10_000 + i);
                BY_PREFIX.put(p, new ShippingZone(p, i, loadedAt));
            }
        }
    }

    static final class Customer {
        final String customerNumber;
        final String name;
        final String email;
        final ShippingZone zone;
        final long createdAt;

        Customer(String customerNumber, ShippingZone zone, long createdAt) {
            this.customerNumber = customerNumber;
            this.name = "Customer " + customerNumber;
            this.email = customerNumber.toLowerCase() + "@ship.example";
            this.zone = zone;
            this.createdAt = createdAt;
        }
    }

    static final class CustomerDirectory {
        final Map<String, Customer> byNumber = new ConcurrentHashMap<>();

        Customer get(int k) {
            return byNumber.computeIfAbsent("CU" + (50_000_000 + k),
                    c -> new Customer(c, ShippingZones.BY_PREFIX.get("Z" + (10_000 + k % ZONES)), 1_550_000_000_000L + k * 1_000L));
        }
    }

    static final class PreparedStmt {
        final String sql;
        int executions;

        PreparedStmt(String sql) {
            this.sql = sql;
        }
    }

    static final class PooledConnection {
        final int id;
        final String url;
        final byte[] socketBuffer = new byte[8_192];
        final Map<String, PreparedStmt> statementCache = new HashMap<>();
        final long openedAt;

        PooledConnection(int id, long openedAt) {
            this.id = id;
            this.url = "jdbc:mysql://shipping-db:3306/orders?connection=" + id;
            this.openedAt = openedAt;
        }

        PreparedStmt prepare(String sql) {
            return statementCache.computeIfAbsent(sql, PreparedStmt::new);
        }
    }

    static final class BorrowInfo {
        final String borrower;
        final long borrowedAt;

        BorrowInfo(String borrower, long borrowedAt) {
            this.borrower = borrower;
            this.borrowedAt = borrowedAt;
        }
    }

    /** Elastic pool: opens a new connection when none is idle. */
    static final class ConnectionPool {
        final List<PooledConnection> all = new ArrayList<>();
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Map<PooledConnection, BorrowInfo> borrowed = new IdentityHashMap<>();
        final LongSupplier clock;

        ConnectionPool(int initial, LongSupplier clock) {
            this.clock = clock;
            for (int i = 0; i < initial; i++) {
                open();
            }
        }

        private void open() {
            PooledConnection c = new PooledConnection(all.size(), clock.getAsLong());
            all.add(c);
            idle.push(c);
        }

        PooledConnection borrow(String who) {
            if (idle.isEmpty()) {
                open();
            }
            PooledConnection c = idle.pop();
            borrowed.put(c, new BorrowInfo(who, clock.getAsLong()));
            return c;
        }

        void release(PooledConnection c) {
            borrowed.remove(c);
            idle.push(c);
        }
    }

    static final class Order {
        final String orderNumber;
        final Customer customer;
        final BigDecimal shippingCost;
        final long createdAt;

        Order(String orderNumber, Customer customer, BigDecimal shippingCost, long createdAt) {
            this.orderNumber = orderNumber;
            this.customer = customer;
            this.shippingCost = shippingCost;
            this.createdAt = createdAt;
        }
    }

    static final class OrderCache extends LinkedHashMap<String, Order> {
        final int capacity;

        OrderCache(int capacity) {
            super(256, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Order> eldest) {
            return size() > capacity;
        }
    }

    static final class OrderRepository {
        final ConnectionPool pool;

        OrderRepository(ConnectionPool pool) {
            this.pool = pool;
        }

        boolean save(Order o, int n) {
            PooledConnection c = pool.borrow("order-handler-" + (n % 8));
            PreparedStmt st = c.prepare("INSERT INTO orders(number, customer, cost) VALUES (?, ?, ?)");
            if (n % FAIL_EVERY == FAIL_EVERY - 1) {
                // Validation failed: early return, the connection is never released.
                return false;
            }
            st.executions++;
            pool.release(c);
            return true;
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new long[1])[0]++;
        }
    }

    static final class ShippingService {
        final SimClock clock;
        final ConnectionPool pool;
        final OrderRepository orders;
        final CustomerDirectory customers = new CustomerDirectory();
        final OrderCache recentOrders = new OrderCache(ORDER_CACHE);
        final MetricsRegistry metrics = new MetricsRegistry();

        ShippingService(SimClock clock) {
            this.clock = clock;
            this.pool = new ConnectionPool(INITIAL_CONNECTIONS, clock);
            this.orders = new OrderRepository(pool);
        }

        void placeOrder(int n) {
            Customer c = customers.get((n * 7) % CUSTOMERS);
            Order o = new Order("SO-" + (600_000_000L + n), c, c.zone.baseRate, clock.getAsLong());
            recentOrders.put(o.orderNumber, o);
            metrics.inc(orders.save(o, n) ? "orders.saved" : "orders.rejected");
        }
    }

    static ShippingService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        ShippingZones.load(start);
        SimClock clock = new SimClock(start);
        ShippingService s = new ShippingService(clock);
        for (int n = 0; n < SAVES; n++) {
            clock.now = start + (end - start) * (n + 1) / SAVES;
            s.placeOrder(n);
        }
        if (s.pool.borrowed.size() != LEAKED || s.pool.all.size() != LEAKED + s.pool.idle.size()
                || s.recentOrders.size() != ORDER_CACHE || s.customers.byNumber.size() != CUSTOMERS) {
            throw new IllegalStateException("unexpected sizes");
        }
        System.out.println("pool: " + s.pool.all.size() + " connections, " + s.pool.idle.size() + " idle");
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
