// hprofscan-dump: name=val5-leak-loggers-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), LEAKING: an order API whose request handler asks the logging
 * framework for a logger named after the request ({@code "http.access.GET /v2/orders/58123941/lines"})
 * instead of a fixed name. The logger registry ({@code LoggerRegistry.LOGGERS}, like
 * log4j's/JUL's logger repository) keeps every logger it ever created, each with its appender list
 * and a small ring of recent events. 14,000 request-named loggers over 10 simulated hours ending
 * now, beside 360 legitimate class-named loggers. See testdata/VALIDATION5.md.
 */
public final class Val5LeakLoggers {
    static final int CLASS_LOGGERS = 360;
    static final int REQUESTS = 14_000;
    static final int ORDERS = 10_000;
    static final int PRODUCTS = 8_000;
    static final int IDEMPOTENCY = 2_000;
    static final int APPENDER_QUEUE = 1_024;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static OrderApi RUNNING;

    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    static final class LogEvent {
        final long at; final Level level; final String message;
        LogEvent(long at, Level level, String message) { this.at = at; this.level = level; this.message = message; }
    }

    interface Appender { void append(String logger, LogEvent e); }

    static final class AsyncAppender implements Appender {
        final ArrayBlockingQueue<LogEvent> queue = new ArrayBlockingQueue<>(APPENDER_QUEUE); long dropped; long written;
        @Override public void append(String logger, LogEvent e) {
            if (!queue.offer(e)) { queue.poll(); written++; queue.offer(e); }
        }
    }

    static final class AppLogger {
        final String name; final AppLogger parent; Level level; final List<Appender> appenders = new ArrayList<>(2);
        final LogEvent[] recent = new LogEvent[8]; int pos; final long createdAt; long lastLogAt; long events;
        AppLogger(String name, AppLogger parent, long createdAt) { this.name = name; this.parent = parent; this.createdAt = createdAt; this.lastLogAt = createdAt; this.level = parent == null ? Level.INFO : parent.level; }
        void log(Level l, String msg, long now) {
            LogEvent e = new LogEvent(now, l, msg);
            recent[pos++ % recent.length] = e; lastLogAt = now; events++;
            for (Appender a : appenders) a.append(name, e);
        }
    }

    /** Logger repository: a logger per name, created on first request, kept forever (as in log4j/JUL). */
    static final class LoggerRegistry {
        static final Map<String, AppLogger> LOGGERS = new ConcurrentHashMap<>();
        static AppLogger root;
        static AsyncAppender appender;
        static AppLogger getLogger(String name, long now) {
            return LOGGERS.computeIfAbsent(name, n -> {
                int dot = n.lastIndexOf('.');
                AppLogger parent = dot < 0 ? root : LOGGERS.getOrDefault(n.substring(0, dot), root);
                AppLogger l = new AppLogger(n, parent, now);
                l.appenders.add(appender);
                return l;
            });
        }
    }

    static final class Product {
        final String sku; final String name; final BigDecimal price; final long loadedAt;
        Product(String sku, String name, BigDecimal price, long loadedAt) { this.sku = sku; this.name = name; this.price = price; this.loadedAt = loadedAt; }
    }

    static final class ProductCatalog {
        static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();
    }

    static final class OrderLine {
        final String sku; final int qty; final BigDecimal price;
        OrderLine(String sku, int qty, BigDecimal price) { this.sku = sku; this.qty = qty; this.price = price; }
    }

    static final class Order {
        final long id; final long customerId; final List<OrderLine> lines = new ArrayList<>(3); final long placedAt; String status = "PLACED";
        Order(long id, long customerId, long placedAt) { this.id = id; this.customerId = customerId; this.placedAt = placedAt; }
    }

    static final class IdempotencyCache extends LinkedHashMap<String, Long> {
        final int maxEntries;
        IdempotencyCache(int maxEntries) { super(maxEntries * 2); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> e) { return size() > maxEntries; }
    }

    static final class OrderApi {
        final Map<Long, Order> orders = new HashMap<>();
        final IdempotencyCache idempotency = new IdempotencyCache(IDEMPOTENCY);
        final AsyncAppender appender;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        OrderApi(AsyncAppender appender) { this.appender = appender; }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void handle(String method, String path, String idemKey, Random rnd, long now) {
            // BUG: logger named after the request line, one per distinct path.
            AppLogger log = LoggerRegistry.getLogger("http.access." + method + " " + path, now);
            log.log(Level.INFO, "start " + method + " " + path + " from 10.20." + rnd.nextInt(256) + "." + rnd.nextInt(256), now);
            idempotency.put(idemKey, now);
            log.log(Level.INFO, "done 200 in " + (3 + rnd.nextInt(200)) + " ms", now + 5);
            count("http.requests");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        AsyncAppender appender = new AsyncAppender();
        LoggerRegistry.appender = appender;
        LoggerRegistry.root = new AppLogger("", null, start);
        LoggerRegistry.root.appenders.add(appender);
        OrderApi api = new OrderApi(appender);
        RUNNING = api;
        Random rnd = new Random(5_020_002);
        String[] pkgs = {"com.acme.orders", "com.acme.orders.api", "com.acme.orders.db", "com.acme.payments", "com.acme.inventory", "com.acme.shipping"};
        for (String p : pkgs) LoggerRegistry.getLogger(p, start);
        for (int i = 0; i < CLASS_LOGGERS - pkgs.length; i++) {
            AppLogger l = LoggerRegistry.getLogger(pkgs[i % pkgs.length] + ".Component" + i, start);
            l.log(Level.INFO, "started", start + i);
        }
        check(LoggerRegistry.LOGGERS.size() == CLASS_LOGGERS, "class loggers " + LoggerRegistry.LOGGERS.size());
        String[] skus = new String[PRODUCTS];
        for (int i = 0; i < PRODUCTS; i++) {
            skus[i] = "SKU-" + (400_000 + i);
            ProductCatalog.PRODUCTS_BY_SKU.put(skus[i], new Product(skus[i], "Product " + i, BigDecimal.valueOf(99 + rnd.nextInt(40_000), 2), start));
        }
        for (int i = 0; i < ORDERS; i++) {
            long id = 58_000_000L + i;
            Order o = new Order(id, 1_000_000L + rnd.nextInt(50_000), start + SIM_MILLIS * i / ORDERS);
            int nl = 1 + rnd.nextInt(3);
            for (int j = 0; j < nl; j++) { Product p = ProductCatalog.PRODUCTS_BY_SKU.get(skus[rnd.nextInt(PRODUCTS)]); o.lines.add(new OrderLine(p.sku, 1 + rnd.nextInt(4), p.price)); }
            api.orders.put(id, o);
        }
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        String[] shapes = {"/v2/orders/%d", "/v2/orders/%d/lines", "/v2/orders/%d/status", "/v2/orders/%d/invoice"};
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + SIM_MILLIS * i / REQUESTS;
            // every request hits a distinct (order, resource) pair: 10,000 orders x 4 shapes
            int oi = i % ORDERS;
            int shape = i / ORDERS + (i % 2) * 2;
            String path = String.format(shapes[shape % 4], 58_000_000L + oi);
            api.handle(i % 3 == 0 ? "PUT" : "GET", path, Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()), rnd, t);
        }
        int loggers = LoggerRegistry.LOGGERS.size();
        System.out.println("loggers " + loggers + " orders " + api.orders.size() + " idempotency " + api.idempotency.size() + " appender queue " + appender.queue.size());
        check(loggers == CLASS_LOGGERS + REQUESTS, "loggers " + loggers);
        check(api.orders.size() == ORDERS, "orders");
        check(api.idempotency.size() == IDEMPOTENCY, "idempotency");
        check(appender.queue.size() == APPENDER_QUEUE, "appender queue");
        check(ProductCatalog.PRODUCTS_BY_SKU.size() == PRODUCTS, "products");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
