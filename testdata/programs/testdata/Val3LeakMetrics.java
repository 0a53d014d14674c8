// hprofscan-dump: name=val3-leak-metrics-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validation set 3 (written blind), LEAKING: an orders REST API with a Micrometer-like metrics
 * registry.
 *
 * <p>Every HTTP request records its latency in a {@link Timer} looked up in
 * {@code MeterRegistry.meters} by a {@link MeterId} (name, method, uri tag, status). The router
 * tags requests with the route template ({@code /api/orders/{id}}), except the legacy
 * invoice-download controller, which passes the raw request path: every invoice download creates
 * a new timer with its own 64-bucket histogram, recorded once and never again (metric
 * cardinality explosion). 60,000 requests over 10 simulated hours ending now: 9,000 raw-path
 * timers beside the 48 legitimate templated ones (in the same map).
 *
 * <p>Healthy beside it: the route table (reference data, 2,000 templates with compiled
 * patterns), a customer directory (15,000), an order LRU (LinkedHashMap, access order, 5,000 at
 * capacity), rate-limiter buckets per API key (1,500 keys, a closed set), an access-log ring
 * buffer (8,192). See testdata/VALIDATION3.md.
 */
public final class Val3LeakMetrics {
    static final int ROUTES = 2_000;
    static final int CUSTOMERS = 15_000;
    static final int API_KEYS = 1_500;
    static final int ORDER_CACHE = 5_000;
    static final int REQUESTS = 60_000;
    static final int INVOICE_EVERY = 20; // 3 of every 20 requests are invoice downloads: 9,000
    static final int LOG_RING = 8_192;
    static final long SIM_MILLIS = 10L * 3600_000L;
    static final String[] TEMPLATES = {
        "/api/orders/{id}", "/api/orders", "/api/orders/{id}/lines", "/api/customers/{id}",
        "/api/customers/{id}/orders", "/api/products/{sku}", "/api/health", "/api/carts/{id}",
    };
    static final String[] METHODS = {"GET", "POST", "PUT"};
    static final int[] STATUSES = {200, 404};

    static OrdersApi RUNNING;

    static final class RouteTemplate {
        final String template; final Pattern pattern; final String controller; final long loadedAt;
        RouteTemplate(String template, Pattern pattern, String controller, long loadedAt) { this.template = template; this.pattern = pattern; this.controller = controller; this.loadedAt = loadedAt; }
    }

    /** Reference data: the route table, loaded at startup. */
    static final class RouteTable {
        static final List<RouteTemplate> ROUTES_LIST = new ArrayList<>();
        static void load(long now) {
            for (int i = 0; i < ROUTES; i++) {
                String t = "/api/v" + (1 + i % 4) + "/module" + (i / 4) + "/items/{id}";
                ROUTES_LIST.add(new RouteTemplate(t, Pattern.compile("/api/v" + (1 + i % 4) + "/module" + (i / 4) + "/items/([0-9]+)"), "Controller" + (i % 40), now));
            }
        }
    }

    static final class MeterId {
        final String name; final String method; final String uri; final int status;
        MeterId(String name, String method, String uri, int status) { this.name = name; this.method = method; this.uri = uri; this.status = status; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof MeterId)) return false;
            MeterId m = (MeterId) o;
            return status == m.status && name.equals(m.name) && method.equals(m.method) && uri.equals(m.uri);
        }
        @Override public int hashCode() { return Objects.hash(name, method, uri, status); }
    }

    static final class Timer {
        final MeterId id; final long[] bucketCounts = new long[64]; long count; long totalNanos; long maxNanos; long lastRecordedMillis;
        Timer(MeterId id) { this.id = id; }
        void record(long nanos, long now) {
            count++; totalNanos += nanos; maxNanos = Math.max(maxNanos, nanos); lastRecordedMillis = now;
            bucketCounts[Math.min(63, 63 - Long.numberOfLeadingZeros(Math.max(1, nanos / 1000)))]++;
        }
    }

    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Timer> meters = new ConcurrentHashMap<>();
        Timer timer(String name, String method, String uri, int status) {
            return meters.computeIfAbsent(new MeterId(name, method, uri, status), Timer::new);
        }
    }

    static final class Customer {
        final long id; final String name; final String country;
        Customer(long id, String name, String country) { this.id = id; this.name = name; this.country = country; }
    }

    static final class Order {
        final long id; final Customer customer; final BigDecimal total; final List<String> skus; final long placedAt;
        Order(long id, Customer customer, BigDecimal total, List<String> skus, long placedAt) { this.id = id; this.customer = customer; this.total = total; this.skus = skus; this.placedAt = placedAt; }
    }

    static final class OrderCache extends LinkedHashMap<Long, Order> {
        final int capacity;
        OrderCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Order> e) { return size() > capacity; }
    }

    static final class TokenBucket {
        final String apiKey; double tokens; long refilledAt; final int ratePerSecond;
        TokenBucket(String apiKey, int ratePerSecond, long now) { this.apiKey = apiKey; this.ratePerSecond = ratePerSecond; tokens = ratePerSecond; refilledAt = now; }
    }

    static final class OrdersApi {
        final MeterRegistry registry = new MeterRegistry();
        final Map<Long, Customer> customers = new HashMap<>();
        final OrderCache orders = new OrderCache(ORDER_CACHE);
        final Map<String, TokenBucket> rateLimits = new ConcurrentHashMap<>();
        final String[] accessLog = new String[LOG_RING];
        long logged;

        void handle(Random rnd, long now, int r) {
            String apiKey = "key-" + (500_000 + rnd.nextInt(API_KEYS));
            TokenBucket b = rateLimits.computeIfAbsent(apiKey, k -> new TokenBucket(k, 50, now));
            b.tokens = Math.min(b.ratePerSecond, b.tokens + (now - b.refilledAt) / 1000.0 * b.ratePerSecond) - 1; b.refilledAt = now;
            String uri; String method = "GET"; int status = 200;
            int slot = r % INVOICE_EVERY;
            if (slot == 3 || slot == 8 || slot == 13) {
                long invoice = 70_000_000L + r;
                uri = "/api/invoices/" + invoice + "/pdf"; // BUG: raw path as the uri tag
            } else {
                int t = rnd.nextInt(TEMPLATES.length);
                uri = TEMPLATES[t];
                method = METHODS[r % METHODS.length];
                status = STATUSES[(r / 7) % 2];
                if (t == 0) {
                    long id = 90_000_000L + rnd.nextInt(40_000);
                    Order o = orders.get(id);
                    if (o == null) {
                        Customer c = customers.get(6_000_000L + rnd.nextInt(CUSTOMERS));
                        orders.put(id, new Order(id, c, BigDecimal.valueOf(rnd.nextInt(100_000), 2), List.of("SKU-" + rnd.nextInt(9999), "SKU-" + rnd.nextInt(9999)), now - rnd.nextInt(86_400_000)));
                    }
                }
            }
            registry.timer("http.server.requests", method, uri, status).record(200_000 + rnd.nextInt(50_000_000), now);
            accessLog[(int) (logged++ % LOG_RING)] = method + " " + uri + " " + status;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int rawTimers(OrdersApi api) {
        int n = 0;
        for (MeterId id : api.registry.meters.keySet()) if (id.uri.startsWith("/api/invoices/")) n++;
        return n;
    }

    static OrdersApi build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        OrdersApi api = new OrdersApi();
        RouteTable.load(start);
        String[] countries = {"DE", "AT", "CH", "FR", "NL"};
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 6_000_000L + i;
            api.customers.put(id, new Customer(id, "Customer " + i, countries[i % countries.length]));
        }
        Random rnd = new Random(2_718_281);
        for (int r = 0; r < REQUESTS; r++) api.handle(rnd, start + SIM_MILLIS * r / REQUESTS, r);
        int raw = rawTimers(api);
        check(raw == 9_000, "raw-path timers " + raw);
        check(api.registry.meters.size() - raw == TEMPLATES.length * METHODS.length * STATUSES.length, "templated timers " + (api.registry.meters.size() - raw));
        check(api.orders.size() == ORDER_CACHE, "orders " + api.orders.size());
        check(api.rateLimits.size() == API_KEYS, "rate limits " + api.rateLimits.size());
        check(api.customers.size() == CUSTOMERS && RouteTable.ROUTES_LIST.size() == ROUTES, "reference data");
        return api;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
