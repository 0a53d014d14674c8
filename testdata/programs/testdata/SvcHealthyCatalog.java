// hprofscan-dump: name=svc-healthy-catalog jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-catalog-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Healthy multi-tenant product catalog: a static product table (HashMap by numeric id) and a
 * category tree (TreeMap), a tenant directory by tenant code (instance HashMap), an insertion-order
 * price cache capped by removeEldestEntry, an event bus with a fixed set of 12 listeners registered
 * at startup, a metrics registry with long[] histograms and a scheduler with 2 periodic jobs.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyCatalog {
    static final int PRODUCTS = 9_000;
    static final int CATEGORIES = 120;
    static final int TENANTS = 400;
    static final int PRICE_CAPACITY = 3_000;
    static final int REQUESTS = 50_000;
    static final int LISTENERS = 12;
    static final long SIM_HOURS = 8;

    enum Availability { IN_STOCK, BACKORDER, DISCONTINUED }

    enum Plan { FREE, TEAM, ENTERPRISE }

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

    static final class Category {
        final String path;
        final String displayName;
        final int depth;

        Category(String path, String displayName, int depth) {
            this.path = path;
            this.displayName = displayName;
            this.depth = depth;
        }
    }

    static final class Product {
        final long id;
        final String sku;
        final String name;
        final String description;
        final BigDecimal listPrice;
        final Category category;
        final Availability availability;
        final List<String> tags;
        final long loadedAt;

        Product(long id, Category category, long loadedAt) {
            this.id = id;
            this.sku = "SKU-" + (10_000_000 + id);
            this.name = "Product " + id;
            this.description = "Durable product number " + id + " for everyday use";
            this.listPrice = BigDecimal.valueOf(199 + id % 50_000, 2);
            this.category = category;
            this.availability = Availability.values()[(int) (id % 3)];
            this.tags = List.of("tag-" + (1000 + id % 500), "brand-" + (100 + id % 80));
            this.loadedAt = loadedAt;
        }
    }

    /** Loaded once at startup. */
    static final class ProductCatalog {
        static final Map<Long, Product> PRODUCTS = new HashMap<>();
        static final TreeMap<String, Category> CATEGORIES = new TreeMap<>();

        static void load(long loadedAt) {
            List<Category> cats = new ArrayList<>();
            for (int i = 0; i < SvcHealthyCatalog.CATEGORIES; i++) {
                String path = "/c" + (100 + i / 12) + "/s" + (1000 + i);
                Category c = new Category(path, "Category " + (1000 + i), 2);
                CATEGORIES.put(path, c);
                cats.add(c);
            }
            for (int i = 0; i < SvcHealthyCatalog.PRODUCTS; i++) {
                long id = 5_000_000L + i;
                PRODUCTS.put(id, new Product(id, cats.get(i % cats.size()), loadedAt));
            }
        }
    }

    static final class Tenant {
        final String code;
        final String displayName;
        final Plan plan;
        final String currency;
        final Map<String, String> settings = new HashMap<>();
        final long createdAt;

        Tenant(String code, int i, long createdAt) {
            this.code = code;
            this.displayName = "Shop " + (1000 + i);
            this.plan = Plan.values()[i % 3];
            this.currency = i % 2 == 0 ? "EUR" : "USD";
            this.createdAt = createdAt;
            settings.put("locale", i % 2 == 0 ? "de_DE" : "en_US");
            settings.put("priceDisplay", i % 3 == 0 ? "gross" : "net");
        }
    }

    /** Tenants by code, loaded from the tenant database on first request. */
    static final class TenantDirectory {
        final Map<String, Tenant> byCode = new HashMap<>();

        Tenant get(int i) {
            return byCode.computeIfAbsent("tn" + (10_000 + i), code -> new Tenant(code, i, 1_500_000_000_000L + i * 86_400_000L));
        }
    }

    static final class PriceQuote {
        final long productId;
        final String tenant;
        final BigDecimal net;
        final BigDecimal gross;
        final long computedAt;

        PriceQuote(long productId, String tenant, BigDecimal net, long computedAt) {
            this.productId = productId;
            this.tenant = tenant;
            this.net = net;
            this.gross = net.multiply(BigDecimal.valueOf(119, 2));
            this.computedAt = computedAt;
        }
    }

    /** Tenant-specific prices, FIFO-capped at capacity. */
    static final class PriceCache {
        final int capacity;
        final Map<String, PriceQuote> prices;

        PriceCache(int capacity) {
            this.capacity = capacity;
            this.prices = new LinkedHashMap<>(4_096, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PriceQuote> eldest) {
                    return size() > PriceCache.this.capacity;
                }
            };
        }
    }

    interface CatalogListener {
        void onProductViewed(long productId, String tenant);
    }

    static final class ViewCounter implements CatalogListener {
        final String name;
        long views;

        ViewCounter(String name) {
            this.name = name;
        }

        @Override
        public void onProductViewed(long productId, String tenant) {
            views++;
        }
    }

    /** Listeners are registered once, when the components start. */
    static final class EventBus {
        final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

        void publish(long productId, String tenant) {
            for (CatalogListener l : listeners) {
                l.onProductViewed(productId, tenant);
            }
        }
    }

    static final class Histogram {
        final String name;
        final long[] buckets = new long[48];
        long count;

        Histogram(String name) {
            this.name = name;
        }

        void record(long v) {
            buckets[(int) Math.min(47, v / 10)]++;
            count++;
        }
    }

    static final class MetricsRegistry {
        final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

        Histogram histogram(String name) {
            return histograms.computeIfAbsent(name, Histogram::new);
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static final class CatalogService {
        final SimClock clock;
        final TenantDirectory tenants = new TenantDirectory();
        final PriceCache prices = new PriceCache(PRICE_CAPACITY);
        final EventBus events = new EventBus();
        final MetricsRegistry metrics = new MetricsRegistry();
        final ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("catalog-scheduler-"));

        CatalogService(SimClock clock) {
            this.clock = clock;
            for (int i = 0; i < LISTENERS; i++) {
                events.listeners.add(new ViewCounter("views-" + i));
            }
            for (String endpoint : new String[] {"product", "search", "price", "category", "tenant"}) {
                for (String m : new String[] {"latency", "bytes", "items"}) {
                    for (String region : new String[] {"eu", "us"}) {
                        metrics.histogram("http." + endpoint + "." + m + "." + region);
                    }
                }
            }
            scheduler.scheduleAtFixedRate(this::publishMetrics, 1, 1, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(this::reloadTenantSettings, 15, 15, TimeUnit.MINUTES);
        }

        void publishMetrics() {
            metrics.histogram("http.product.items.eu").record(prices.prices.size());
        }

        void reloadTenantSettings() {
            tenants.byCode.values().forEach(t -> t.settings.put("reloaded", "true"));
        }

        PriceQuote price(int n) {
            long now = clock.getAsLong();
            Tenant t = tenants.get(n % TENANTS);
            long productId = 5_000_000L + (n * 31L) % PRODUCTS;
            Product p = ProductCatalog.PRODUCTS.get(productId);
            String key = t.code + ":" + productId;
            PriceQuote q = prices.prices.get(key);
            if (q == null) {
                q = new PriceQuote(productId, t.code, p.listPrice, now);
                prices.prices.put(key, q);
            }
            events.publish(productId, t.code);
            metrics.histogram("http.price.latency." + (n % 2 == 0 ? "eu" : "us")).record(n % 400);
            return q;
        }
    }

    static CatalogService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        ProductCatalog.load(start);
        SimClock clock = new SimClock(start);
        CatalogService s = new CatalogService(clock);
        for (int n = 0; n < REQUESTS; n++) {
            clock.now = start + (end - start) * (n + 1) / REQUESTS;
            s.price(n);
        }
        if (s.prices.prices.size() != PRICE_CAPACITY || s.tenants.byCode.size() != TENANTS
                || s.events.listeners.size() != LISTENERS || s.metrics.histograms.size() != 30) {
            throw new IllegalStateException("unexpected sizes");
        }
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
