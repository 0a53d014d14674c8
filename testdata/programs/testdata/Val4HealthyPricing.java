// hprofscan-dump: name=val4-healthy-pricing jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), HEALTHY, series of three dumps (warming, then plateau): a
 * retail pricing engine.
 *
 * <p>The price book is loaded at startup (30,000 prices, static). The product directory is loaded
 * lazily and is bounded by the 10,000 products of the catalog: 6,000 at the first dump, 10,000 at
 * the second and third. The promotion cache is written like Caffeine (hash map + hand-made
 * access-order list + {@code maximumSize = 4,000}) with immutable keys ({@code PromoKey}: sku,
 * segment, quantity band; the counterpart of {@code val4-leak-quotecache}): 2,500 at the first
 * dump, at its maximum after that. A canonicalising pool of currency and country codes (the
 * counterpart of {@code val4-leak-interner}) interns only a bounded natural domain: 304, then
 * 404, 404 (currencies + 4 countries). The quote ring (8,192 slots) has 6,000 quotes at the first
 * dump, full after. A fixed
 * pool of 4 pricing workers keeps a scratch object per thread. Nothing here is a leak.
 * See testdata/VALIDATION4.md.
 */
public final class Val4HealthyPricing {
    static final int PRICES = 30_000;
    static final int PRODUCTS = 10_000;
    static final int PROMO_MAX = 4_000;
    static final int CODES = 400;
    static final int RING = 8_192;
    static final int WORKERS = 4;
    static final int[] PRODUCTS_AT_DUMP = {6_000, 10_000, 10_000};
    static final int[] PROMOS_AT_DUMP = {2_500, 4_000, 4_000};
    static final int[] CODES_AT_DUMP = {300, 400, 400};
    static final int[] QUOTES_IN_SEGMENT = {6_000, 12_000, 12_000};
    static final long SIM_MILLIS = 5L * 3600_000L;

    static PricingEngine RUNNING;

    static final class Price {
        final String sku; final String storeGroup; final BigDecimal amount; final String currency; final long validFrom; final long loadedAt;
        Price(String sku, String storeGroup, BigDecimal amount, String currency, long validFrom, long loadedAt) { this.sku = sku; this.storeGroup = storeGroup; this.amount = amount; this.currency = currency; this.validFrom = validFrom; this.loadedAt = loadedAt; }
    }

    static final class PriceBook {
        static final Map<String, Price> PRICES_BY_KEY = new HashMap<>();
        static void load(long now) {
            for (int i = 0; i < PRICES; i++) {
                String sku = "SKU" + (500_000 + i % PRODUCTS);
                String group = "SG" + (i / PRODUCTS);
                PRICES_BY_KEY.put(sku + "@" + group, new Price(sku, group, BigDecimal.valueOf(99 + (i * 37) % 90_000, 2), "EUR", now - 86_400_000L, now));
            }
        }
    }

    static final class Product {
        final String sku; final String title; final String brand; final int categoryId; final int[] attributes; final long loadedAt;
        Product(String sku, String title, String brand, int categoryId, int[] attributes, long loadedAt) { this.sku = sku; this.title = title; this.brand = brand; this.categoryId = categoryId; this.attributes = attributes; this.loadedAt = loadedAt; }
    }

    static final class ProductDirectory {
        final Map<String, Product> bySku = new ConcurrentHashMap<>();
        Product get(String sku, long now) {
            return bySku.computeIfAbsent(sku, s -> new Product(s, "Product " + s, "Brand" + (s.hashCode() & 127), s.hashCode() & 1023, new int[12], now));
        }
    }

    /** Immutable cache key. */
    static final class PromoKey {
        final String sku; final String segment; final int qtyBand;
        PromoKey(String sku, String segment, int qtyBand) { this.sku = sku; this.segment = segment; this.qtyBand = qtyBand; }
        @Override public boolean equals(Object o) { return o instanceof PromoKey && ((PromoKey) o).qtyBand == qtyBand && ((PromoKey) o).sku.equals(sku) && ((PromoKey) o).segment.equals(segment); }
        @Override public int hashCode() { return Objects.hash(sku, segment, qtyBand); }
    }

    static final class PromoResult {
        final BigDecimal discount; final String promoCode; final long computedAt;
        PromoResult(BigDecimal discount, String promoCode, long computedAt) { this.discount = discount; this.promoCode = promoCode; this.computedAt = computedAt; }
    }

    /** Caffeine-like bounded cache: map + access-order doubly linked list, evicts the LRU node. */
    static final class PromoCache {
        static final class Node {
            final PromoKey key; final PromoResult value; Node prev, next; long accessedAt;
            Node(PromoKey key, PromoResult value) { this.key = key; this.value = value; }
        }
        final ConcurrentHashMap<PromoKey, Node> data = new ConcurrentHashMap<>();
        final long maximumSize; Node first, last; long hits, misses, evictions;
        PromoCache(long maximumSize) { this.maximumSize = maximumSize; }
        PromoResult get(PromoKey key, long now) {
            Node n = data.get(key);
            if (n != null) { hits++; unlink(n); append(n); n.accessedAt = now; return n.value; }
            misses++;
            n = new Node(key, new PromoResult(BigDecimal.valueOf(key.qtyBand * 5L, 2), "PR" + (key.sku.hashCode() & 255), now));
            n.accessedAt = now;
            data.put(key, n); append(n);
            while (data.size() > maximumSize) { Node v = first; unlink(v); data.remove(v.key); evictions++; }
            return n.value;
        }
        void append(Node n) { n.prev = last; n.next = null; if (last != null) last.next = n; else first = n; last = n; }
        void unlink(Node n) { if (n.prev != null) n.prev.next = n.next; else first = n.next; if (n.next != null) n.next.prev = n.prev; else last = n.prev; n.prev = n.next = null; }
    }

    /** Canonicalising pool for ISO currency and country codes (a closed set). */
    static final class CodeInterner {
        static final ConcurrentHashMap<String, String> CODES_POOL = new ConcurrentHashMap<>();
        static String intern(String s) { String c = CODES_POOL.putIfAbsent(s, s); return c == null ? s : c; }
    }

    static final class PriceQuote {
        final String sku; final String currency; final String country; final BigDecimal net; final long at;
        PriceQuote(String sku, String currency, String country, BigDecimal net, long at) { this.sku = sku; this.currency = currency; this.country = country; this.net = net; this.at = at; }
    }

    static final class QuoteRing {
        final PriceQuote[] slots = new PriceQuote[RING];
        long next;
        void add(PriceQuote q) { slots[(int) (next++ % RING)] = q; }
        int filled() { int n = 0; for (PriceQuote q : slots) if (q != null) n++; return n; }
    }

    static final class PricingScratch {
        final long[] lineTotals = new long[1_024]; final StringBuilder keyBuilder = new StringBuilder(128);
    }

    static final class PricingEngine {
        final ProductDirectory products = new ProductDirectory();
        final PromoCache promos = new PromoCache(PROMO_MAX);
        final QuoteRing quotes = new QuoteRing();
        final ExecutorService workers;
        static final ThreadLocal<PricingScratch> SCRATCH = ThreadLocal.withInitial(PricingScratch::new);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        PricingEngine() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "pricing-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void quote(String sku, String segment, int qty, boolean withPromo, String currency, String country, long now) {
            Product p = products.get(sku, now);
            Price base = PriceBook.PRICES_BY_KEY.get(p.sku + "@SG" + (qty % 3));
            BigDecimal net = base.amount;
            if (withPromo) net = net.subtract(promos.get(new PromoKey(p.sku, segment, qty / 2), now).discount);
            quotes.add(new PriceQuote(p.sku, CodeInterner.intern(currency), CodeInterner.intern(country), net, now));
            count("quote");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /**
     * Segment d's quotes. Segment 0 touches products 0..5,999, 2,500 promo keys (products 0..2,499,
     * segment "retail", band 0) and currencies 0..299; the later ones touch all 10,000 products,
     * far more promo keys (sku x 2 segments x 5 bands) than the cache holds, and all 400
     * currencies. The four country codes are interned from the first quote.
     */
    static final String[] COUNTRIES = {"DE", "FR", "IT", "ES"};

    static void segment(PricingEngine e, int d, Random rnd, long from, long to) {
        int n = QUOTES_IN_SEGMENT[d];
        for (int i = 0; i < n; i++) {
            long t = from + (to - from) * i / n;
            int prod = d == 0 ? i : (i < PRODUCTS ? i : rnd.nextInt(PRODUCTS));
            String seg = d == 0 || rnd.nextBoolean() ? "retail" : "member";
            int qty = d == 0 ? 0 : rnd.nextInt(10);
            boolean withPromo = d > 0 || prod < PROMOS_AT_DUMP[0];
            int code = d == 0 ? i % CODES_AT_DUMP[0] : (i < CODES ? i : rnd.nextInt(CODES));
            e.quote("SKU" + (500_000 + prod), seg, qty, withPromo, "C" + (100 + code), COUNTRIES[i % 4], t);
        }
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        PricingEngine e = new PricingEngine();
        RUNNING = e;
        PriceBook.load(start);
        List<Future<?>> warm = new ArrayList<>();
        for (int i = 0; i < WORKERS * 3; i++) warm.add(e.workers.submit(() -> PricingEngine.SCRATCH.get().keyBuilder.setLength(0)));
        for (Future<?> f : warm) f.get();
        Random rnd = new Random(4_040_808);
        long from = start;
        for (int d = 0; d < count; d++) {
            segment(e, d, rnd, from, System.currentTimeMillis());
            System.out.println("dump " + (d + 1) + ": products " + e.products.bySku.size() + " promos " + e.promos.data.size() + " codes " + CodeInterner.CODES_POOL.size() + " ring " + e.quotes.filled() + " evictions " + e.promos.evictions);
            check(e.products.bySku.size() == PRODUCTS_AT_DUMP[d], "products " + e.products.bySku.size());
            check(e.promos.data.size() == PROMOS_AT_DUMP[d], "promos " + e.promos.data.size());
            check(CodeInterner.CODES_POOL.size() == CODES_AT_DUMP[d] + COUNTRIES.length, "codes " + CodeInterner.CODES_POOL.size());
            check(e.quotes.filled() == (d == 0 ? 6_000 : RING), "ring " + e.quotes.filled());
            check(PriceBook.PRICES_BY_KEY.size() == PRICES, "prices");
            String path = LeakCheck.seriesPath(args[1], d + 1, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d + 1 < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
