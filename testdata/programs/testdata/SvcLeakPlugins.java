// hprofscan-build: javac --release 17 -nowarn -d testdata/build/svc-rule-classes testdata/redeploy-src/testdata/redeploy/*.java
// hprofscan-dump: name=svc-leak-plugins jvm="-Xmx256m" variants=mxbean args="testdata/build/svc-rule-classes"
package testdata;

import java.io.File;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leak #8: a pricing service hot-reloads its rule pack (testdata.redeploy.PluginImpl, compiled
 * into testdata/build/svc-rule-classes, not on the class path) 16 times, each time through a new
 * URLClassLoader. A static registry of rule handlers keyed by "pricing-rules@<generation>" keeps
 * the handler of every generation, so the 15 replaced loaders (each with its PluginCache's
 * byte[100,000]) can never be unloaded. Beside it: static tax tables, a product directory by SKU,
 * a hand-written FIFO price cache at capacity, and metrics. See testdata/SERVICES.md.
 *
 * Usage: SvcLeakPlugins <variant> <outpath> [ruleClassDir]
 */
public final class SvcLeakPlugins {
    static final int RELOADS = 16;
    static final int TAX_RATES = 10_000;
    static final int PRODUCTS = 8_000;
    static final int PRICE_CACHE = 2_500;
    static final int REQUESTS_PER_GENERATION = 1_250;
    static final String RULE_CLASS = "testdata.redeploy.PluginImpl";
    static final long SIM_HOURS = 20;

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

    static final class TaxRate {
        final String region;
        final String category;
        final BigDecimal rate;
        final long validFrom;

        TaxRate(String region, String category, BigDecimal rate, long validFrom) {
            this.region = region;
            this.category = category;
            this.rate = rate;
            this.validFrom = validFrom;
        }
    }

    static final class TaxTables {
        static final Map<String, TaxRate> RATES = new HashMap<>();

        static void load(long loadedAt) {
            for (int i = 0; i < TAX_RATES; i++) {
                String region = "R" + (1000 + i / 10);
                String cat = "cat" + (i % 10);
                RATES.put(region + "/" + cat, new TaxRate(region, cat, BigDecimal.valueOf(5 + i % 20, 2), loadedAt));
            }
        }
    }

    static final class Product {
        final String sku;
        final String name;
        final BigDecimal basePrice;
        final String taxKey;

        Product(String sku, int i) {
            this.sku = sku;
            this.name = "Item " + sku;
            this.basePrice = BigDecimal.valueOf(500 + i % 10_000, 2);
            this.taxKey = "R" + (1000 + i % 1000) + "/cat" + (i % 10);
        }
    }

    static final class ProductDirectory {
        final Map<String, Product> bySku = new ConcurrentHashMap<>();

        Product get(int i) {
            return bySku.computeIfAbsent("SKU" + (30_000_000 + i), s -> new Product(s, i));
        }
    }

    static final class Price {
        final String sku;
        final BigDecimal gross;
        final int ruleGeneration;
        final long computedAt;

        Price(String sku, BigDecimal gross, int ruleGeneration, long computedAt) {
            this.sku = sku;
            this.gross = gross;
            this.ruleGeneration = ruleGeneration;
            this.computedAt = computedAt;
        }
    }

    /** FIFO price cache: map + insertion queue, capped at maxEntries. */
    static final class PriceCache {
        final int maxEntries;
        final Map<String, Price> prices = new ConcurrentHashMap<>();
        final ArrayDeque<String> order = new ArrayDeque<>();

        PriceCache(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        synchronized void put(Price p) {
            if (prices.put(p.sku, p) == null) {
                order.add(p.sku);
                if (order.size() > maxEntries) {
                    prices.remove(order.poll());
                }
            }
        }
    }

    /** Every rule pack ever deployed, by name@generation ("for the admin UI"). Never pruned. */
    static final class RuleRegistry {
        static final Map<String, Runnable> HANDLERS = new HashMap<>();
    }

    static final class MetricsRegistry {
        final Map<String, long[]> histograms = new ConcurrentHashMap<>();

        void record(String name, long v) {
            histograms.computeIfAbsent(name, k -> new long[24])[(int) (v % 24)]++;
        }
    }

    static final class PricingService {
        final SimClock clock;
        final File ruleDir;
        final ProductDirectory products = new ProductDirectory();
        final PriceCache prices = new PriceCache(PRICE_CACHE);
        final MetricsRegistry metrics = new MetricsRegistry();
        Runnable activeRules;
        int generation;
        long requests;

        PricingService(SimClock clock, File ruleDir) {
            this.clock = clock;
            this.ruleDir = ruleDir;
        }

        void reloadRules() throws Exception {
            generation++;
            URLClassLoader loader = new URLClassLoader("rules-gen-" + generation, new URL[] {ruleDir.toURI().toURL()},
                    SvcLeakPlugins.class.getClassLoader());
            Class<?> impl = Class.forName(RULE_CLASS, true, loader);
            if (impl.getClassLoader() != loader) {
                throw new IllegalStateException("rule class is on the host class path: " + impl.getClassLoader());
            }
            Runnable rules = (Runnable) impl.getDeclaredConstructor().newInstance();
            RuleRegistry.HANDLERS.put("pricing-rules@" + generation, rules);
            activeRules = rules;
        }

        void price(long n) {
            Product p = products.get((int) ((n * 7) % PRODUCTS));
            activeRules.run();
            TaxRate tax = TaxTables.RATES.get(p.taxKey);
            prices.put(new Price(p.sku, p.basePrice.add(p.basePrice.multiply(tax.rate)), generation, clock.getAsLong()));
            metrics.record("pricing.latency", n);
            requests++;
        }
    }

    static PricingService RUNNING;

    static void build(File ruleDir) throws Exception {
        if (!new File(ruleDir, "testdata/redeploy/PluginImpl.class").isFile()) {
            throw new IllegalStateException("rule classes not compiled in " + ruleDir.getAbsolutePath());
        }
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        TaxTables.load(start);
        SimClock clock = new SimClock(start);
        PricingService s = new PricingService(clock, ruleDir);
        long total = (long) RELOADS * REQUESTS_PER_GENERATION;
        for (int g = 0; g < RELOADS; g++) {
            s.reloadRules();
            for (int i = 0; i < REQUESTS_PER_GENERATION; i++) {
                clock.now = start + (end - start) * (s.requests + 1) / total;
                s.price(s.requests);
            }
        }
        if (RuleRegistry.HANDLERS.size() != RELOADS || s.prices.prices.size() != PRICE_CACHE
                || s.products.bySku.size() != PRODUCTS) {
            throw new IllegalStateException("unexpected sizes");
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        String dir = args.length > 2 ? args[2] : System.getProperty("hprofscan.pluginDir", "testdata/build/svc-rule-classes");
        build(new File(dir));
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
