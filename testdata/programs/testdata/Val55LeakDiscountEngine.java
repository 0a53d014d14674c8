// hprofscan-dump: name=val55-leak-discountengine jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val55-leak-discountengine-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Validation set 55 (written blind), LEAK: the promotion engine of an online grocery's checkout.
 * Store reference data, the product directory, a cache of priced baskets at its cap, a pool of
 * receipt-render buffers, a ring of recent checkout evaluations, a metrics registry of gauges, and
 * the promotion rules: every 15 minutes the marketing team's rule script is reloaded into a new
 * class loader (RuleLoader, child-first for the compiled rule class, whose bytes are copied from
 * this program's own compiled RuleSet class), giving a new generation of the RuleSet class with its
 * static lookup table and an instance with its windows. The engine swaps to the new generation,
 * but each reload also registers a gauge "promo.rules.gen-N.hits" backed by that generation's
 * RuleSet instance in the static MetricsRegistry, and the old gauges are never unregistered: every
 * old generation's instance, class, static table and class loader (with its script source) stays
 * reachable. See VALIDATION55.md.
 */
public final class Val55LeakDiscountEngine {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 1_000, PRODUCTS = 25_000, BASKET_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, CHECKOUTS = 40_000;
    static final long RELOAD_EVERY = 15 * MINUTE;
    static final String RULE_CLASS = "testdata.Val55LeakDiscountEngine$RuleSet";
    static boolean FIXED;

    record Store(String code, String city, double[] weeklyFootfall) {}
    record Product(String sku, String aisle, byte[] nutrition, long listedAt) {}
    record PricedBasket(String key, byte[] lines, long at) {}
    record Evaluation(long basketId, String storeCode, int discountCents, int generation, long at) {}

    /**
     * The compiled rule set. Loaded once per reload, by that reload's RuleLoader (never by the
     * application loader); it uses only JDK types.
     */
    public static final class RuleSet implements ToIntFunction<String> {
        public static final int[] TIER_TABLE = new int[16_384];
        static { for (int i = 0; i < TIER_TABLE.length; i++) TIER_TABLE[i] = (i * 31) % 997; }
        public final long[] promoWindows = new long[4_096];
        public long hits;
        public RuleSet() { for (int i = 0; i < promoWindows.length; i++) promoWindows[i] = i * 60_000L; }
        @Override public int applyAsInt(String basketKey) { hits++; return TIER_TABLE[(basketKey.hashCode() & 0x7fffffff) % TIER_TABLE.length] / 10; }
    }

    /** One class loader per reload; child-first for the rule class. */
    static final class RuleLoader extends ClassLoader {
        final int generation; final long loadedAt; final byte[] scriptSource; private final byte[] classBytes;
        RuleLoader(int generation, long loadedAt, byte[] scriptSource, byte[] classBytes) {
            super("promo-rules-gen-" + generation, Val55LeakDiscountEngine.class.getClassLoader());
            this.generation = generation; this.loadedAt = loadedAt; this.scriptSource = scriptSource; this.classBytes = classBytes;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(RULE_CLASS)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, classBytes, 0, classBytes.length);
                return c;
            }
        }
    }

    record Gauge(String name, ToIntFunction<String> source) {}

    /** Process-wide metrics registry (static). */
    static final class MetricsRegistry {
        static final Map<String, Gauge> GAUGES = new LinkedHashMap<>();
        static void register(String name, ToIntFunction<String> source) { GAUGES.put(name, new Gauge(name, source)); }
        static void unregister(String name) { GAUGES.remove(name); }
    }

    static final class PromoEngine {
        ToIntFunction<String> current; RuleLoader currentLoader; int generation = -1; long reloads;
        void reload(long t, byte[] classBytes, Random rnd) throws Exception {
            int gen = generation + 1;
            RuleLoader loader = new RuleLoader(gen, t, new byte[40_000 + rnd.nextInt(20_000)], classBytes);
            @SuppressWarnings("unchecked")
            ToIntFunction<String> rules = (ToIntFunction<String>) loader.loadClass(RULE_CLASS).getConstructor().newInstance();
            MetricsRegistry.register("promo.rules.gen-" + gen + ".hits", rules); // BUG: never unregistered on the next reload
            if (FIXED && generation >= 0) MetricsRegistry.unregister("promo.rules.gen-" + generation + ".hits");
            current = rules; currentLoader = loader; generation = gen; reloads++;
        }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class CheckoutService {
        final Map<String, Product> products = new HashMap<>();
        final LinkedHashMap<String, PricedBasket> baskets = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, PricedBasket> e) { if (size() > BASKET_CAP) { basketsEvicted++; return true; } return false; }
        };
        long basketsEvicted;
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Evaluation[] recent = new Evaluation[RING];
        long evaluations;
        final PromoEngine engine = new PromoEngine();
    }

    static CheckoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val55.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        byte[] classBytes;
        try (InputStream in = Val55LeakDiscountEngine.class.getResourceAsStream("Val55LeakDiscountEngine$RuleSet.class")) { classBytes = in.readAllBytes(); }
        Random rnd = new Random(55_040_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 3_000;
            String code = "ST-" + (600 + s);
            storeCodes[s] = code;
            STORES_BY_CODE.put(code, new Store(code, "City " + (s % 200), footfall));
        }
        CheckoutService svc = new CheckoutService();
        SERVICE = svc;
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "GR-" + (1_000_000 + p);
            skus[p] = sku;
            svc.products.put(sku, new Product(sku, "Aisle " + (p % 60), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        for (int g = 0; g < 30; g++) { final int k = g; MetricsRegistry.register("pool.receipt-buffers." + k, s -> svc.receiptBuffers.size() + k); }
        Random scripts = new Random(55_040_003);
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        svc.engine.reload(start, classBytes, scripts);
        loaders.add(new WeakReference<>(svc.engine.currentLoader));
        long nextReload = start + RELOAD_EVERY;
        Random traffic = new Random(55_040_002);
        for (int i = 0; i < CHECKOUTS; i++) {
            long t = start + (end - MINUTE - start) * i / CHECKOUTS;
            while (nextReload <= t) { svc.engine.reload(nextReload, classBytes, scripts); loaders.add(new WeakReference<>(svc.engine.currentLoader)); nextReload += RELOAD_EVERY; }
            String store = storeCodes[traffic.nextInt(STORES)];
            String key = store + "/basket-" + traffic.nextInt(6_000);
            int discount = svc.engine.current.applyAsInt(key);
            svc.recent[(int) (svc.evaluations++ % RING)] = new Evaluation(800_000_000L + i, store, discount, svc.engine.generation, t);
            if (svc.baskets.get(key) == null) svc.baskets.put(key, new PricedBasket(key, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
        }
        int gens = (int) svc.engine.reloads;
        int alive = 0;
        for (int k = 0; k < 50; k++) {
            System.gc();
            alive = 0;
            for (WeakReference<ClassLoader> w : loaders) if (w.get() != null) alive++;
            if (alive == (FIXED ? 1 : gens)) break;
            Thread.sleep(20);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " products " + svc.products.size() + " generations " + gens + " current gen " + svc.engine.generation + " loaders alive " + alive
                + " gauges " + MetricsRegistry.GAUGES.size() + " evaluations " + svc.evaluations + " baskets " + svc.baskets.size() + " (evicted " + svc.basketsEvicted + ") pool " + svc.receiptBuffers.size());
        check(STORES_BY_CODE.size() == STORES && svc.products.size() == PRODUCTS, "reference data / directory");
        check(gens == HOURS * 4, "reloads: " + gens);
        check(svc.engine.current.getClass().getClassLoader() == svc.engine.currentLoader && svc.engine.current.getClass() != RuleSet.class, "rule class defined by its own loader");
        if (FIXED) check(alive == 1 && MetricsRegistry.GAUGES.size() == 31, "old generations collected: " + alive);
        else check(alive == gens && MetricsRegistry.GAUGES.size() == 30 + gens, "every generation kept: " + alive);
        check(svc.baskets.size() == BASKET_CAP && svc.basketsEvicted > 0, "basket cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.evaluations == CHECKOUTS && svc.recent[RING - 1] != null, "evaluation ring");
        LeakCheck.histogram("promo-rules", "RuleLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
