// hprofscan-dump: name=val4-leak-quotecache jvm="-Xmx256m" variants=mxbean,jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), LEAKING: a car-insurance quote service with a hand-written
 * size-capped quote cache whose eviction is broken by mutable keys.
 *
 * <p>{@code QuoteCache} is a {@code HashMap<QuoteKey, CachedQuote>} plus a FIFO {@code ArrayDeque}
 * of keys; when the deque exceeds {@code maximumSize = 2,000} the oldest key is polled and removed
 * from the map. {@code QuoteKey} holds the request's add-on list by reference (no defensive copy)
 * and its {@code hashCode} covers that list. The upsell step adds the recommended add-on to the
 * request's list after the quote was cached (3 of every 10 requests), so the key's hash code
 * changes while it sits in the map: the lookup misses it and the eviction's {@code map.remove(key)}
 * misses it too. Those entries stay in the map forever, beyond the cap, unreachable by any lookup.
 * 36,000 quote requests over 10 simulated hours ending now.
 *
 * <p>Healthy beside it: rating tables (reference data, 20,000 factors), a broker directory (3,000),
 * a postcode directory loaded lazily (bounded by the 12,000 postcodes, full), a pool of 16 PDF
 * render buffers (all returned), a ring of the last 4,096 quote audit records, metrics.
 * See testdata/VALIDATION4.md.
 */
public final class Val4LeakQuoteCache {
    static final int FACTORS = 20_000;
    static final int BROKERS = 3_000;
    static final int POSTCODES = 12_000;
    static final int REQUESTS = 36_000;
    static final int CACHE_MAX = 2_000;
    static final int PDF_BUFFERS = 16;
    static final int AUDIT_RING = 4_096;
    static final long SIM_MILLIS = 10L * 3600_000L;
    // Measured once and fixed here; the program throws if a run differs (seeded Random).
    static final int EXPECT_MAP = 12_056;
    static final int EXPECT_MUTATED = 10_636;
    static final int EXPECT_MUTATED_EVICTED = 10_056;

    static QuoteService RUNNING;

    static final class RatingFactor {
        final String code; final String dimension; final BigDecimal multiplier; final long loadedAt;
        RatingFactor(String code, String dimension, BigDecimal multiplier, long loadedAt) { this.code = code; this.dimension = dimension; this.multiplier = multiplier; this.loadedAt = loadedAt; }
    }

    static final class RatingTables {
        static final Map<String, RatingFactor> FACTORS_BY_CODE = new HashMap<>();
        static void load(long now) {
            String[] dims = {"AGE", "REGION", "VEHICLE", "USAGE", "NCD"};
            for (int i = 0; i < FACTORS; i++) {
                String code = dims[i % 5] + "-" + (10_000 + i);
                FACTORS_BY_CODE.put(code, new RatingFactor(code, dims[i % 5], BigDecimal.valueOf(80 + i % 90, 2), now));
            }
        }
    }

    static final class Broker {
        final long id; final String name; final String agency; final BigDecimal commission; final long onboardedAt;
        Broker(long id, String name, String agency, BigDecimal commission, long onboardedAt) { this.id = id; this.name = name; this.agency = agency; this.commission = commission; this.onboardedAt = onboardedAt; }
    }

    static final class Postcode {
        final String code; final String district; final int riskBand; final double lat, lon;
        Postcode(String code, String district, int riskBand, double lat, double lon) { this.code = code; this.district = district; this.riskBand = riskBand; this.lat = lat; this.lon = lon; }
    }

    static final class PostcodeDirectory {
        final Map<String, Postcode> byPostcode = new ConcurrentHashMap<>();
        Postcode get(String code) {
            return byPostcode.computeIfAbsent(code, c -> new Postcode(c, "D" + (c.hashCode() & 511), 1 + (c.hashCode() & 7), 51.0 + (c.hashCode() & 1023) / 1000.0, -0.5 + (c.hashCode() & 255) / 500.0));
        }
    }

    /** The cache key. BUG: {@code addOns} is the request's own list, not a copy. */
    static final class QuoteKey {
        final String product; final String postcode; final int driverAge; final List<String> addOns;
        QuoteKey(String product, String postcode, int driverAge, List<String> addOns) { this.product = product; this.postcode = postcode; this.driverAge = driverAge; this.addOns = addOns; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof QuoteKey)) return false;
            QuoteKey k = (QuoteKey) o;
            return driverAge == k.driverAge && product.equals(k.product) && postcode.equals(k.postcode) && addOns.equals(k.addOns);
        }
        @Override public int hashCode() { return Objects.hash(product, postcode, driverAge, addOns); }
    }

    static final class CachedQuote {
        final QuoteKey key; final BigDecimal annualPremium; final long[] breakdownMinor; final int hashAtInsert; final long createdAt; long lastHitAt; int hits;
        CachedQuote(QuoteKey key, BigDecimal annualPremium, long[] breakdownMinor, long createdAt) { this.key = key; this.annualPremium = annualPremium; this.breakdownMinor = breakdownMinor; this.hashAtInsert = key.hashCode(); this.createdAt = createdAt; this.lastHitAt = createdAt; }
    }

    /** Size-capped quote cache: map + FIFO eviction queue. */
    static final class QuoteCache {
        final Map<QuoteKey, CachedQuote> map = new HashMap<>();
        final ArrayDeque<QuoteKey> order = new ArrayDeque<>();
        final int maximumSize;
        long hits, misses, evictions;
        QuoteCache(int maximumSize) { this.maximumSize = maximumSize; }
        CachedQuote get(QuoteKey k, long now) {
            CachedQuote q = map.get(k);
            if (q != null) { hits++; q.hits++; q.lastHitAt = now; }
            return q;
        }
        void put(QuoteKey k, CachedQuote q) {
            map.put(k, q);
            order.addLast(k);
            while (order.size() > maximumSize) { map.remove(order.pollFirst()); evictions++; }
        }
    }

    static final class PdfBufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        PdfBufferPool(int n) { for (int i = 0; i < n; i++) free.add(new byte[32_768]); }
        byte[] borrow() { borrowed++; return free.pop(); }
        void giveBack(byte[] b) { borrowed--; free.push(b); }
    }

    static final class QuoteAudit {
        final String quoteRef; final long brokerId; final String product; final long premiumMinor; final long at;
        QuoteAudit(String quoteRef, long brokerId, String product, long premiumMinor, long at) { this.quoteRef = quoteRef; this.brokerId = brokerId; this.product = product; this.premiumMinor = premiumMinor; this.at = at; }
    }

    static final class QuoteAuditRing {
        final QuoteAudit[] records = new QuoteAudit[AUDIT_RING];
        long next;
        void add(QuoteAudit a) { records[(int) (next++ % AUDIT_RING)] = a; }
    }

    static final class QuoteRequest {
        final long brokerId; final String product; final String postcode; final int driverAge; final List<String> addOns;
        QuoteRequest(long brokerId, String product, String postcode, int driverAge, List<String> addOns) { this.brokerId = brokerId; this.product = product; this.postcode = postcode; this.driverAge = driverAge; this.addOns = addOns; }
    }

    static final class QuoteService {
        final Map<Long, Broker> brokers = new HashMap<>();
        final PostcodeDirectory postcodes = new PostcodeDirectory();
        final QuoteCache quotes = new QuoteCache(CACHE_MAX);
        final PdfBufferPool pdfBuffers = new PdfBufferPool(PDF_BUFFERS);
        final QuoteAuditRing audit = new QuoteAuditRing();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        long quoteSeq;

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        BigDecimal handle(QuoteRequest req, boolean upsell, long now) {
            Postcode pc = postcodes.get(req.postcode);
            QuoteKey key = new QuoteKey(req.product, pc.code, req.driverAge, req.addOns);
            CachedQuote q = quotes.get(key, now);
            if (q == null) {
                long[] breakdown = new long[12];
                long premium = 30_000 + pc.riskBand * 4_000L + Math.max(0, 25 - req.driverAge) * 2_500L + req.addOns.size() * 3_000L;
                for (int i = 0; i < breakdown.length; i++) breakdown[i] = premium / 12;
                q = new CachedQuote(key, BigDecimal.valueOf(premium, 2), breakdown, now);
                quotes.put(key, q);
                count("quote.miss");
            } else {
                count("quote.hit");
            }
            if (upsell) {
                // BUG: the recommended add-on goes into the request's list, which the cached key shares.
                req.addOns.add(req.addOns.contains("ROADSIDE") ? "LEGAL" : "ROADSIDE");
                count("quote.upsell");
            }
            byte[] pdf = pdfBuffers.borrow();
            pdf[0] = (byte) q.hits;
            pdfBuffers.giveBack(pdf);
            audit.add(new QuoteAudit("Q" + (90_000_000L + quoteSeq++), req.brokerId, req.product, q.annualPremium.unscaledValue().longValue(), now));
            return q.annualPremium;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        QuoteService svc = new QuoteService();
        RUNNING = svc;
        RatingTables.load(start);
        Random rnd = new Random(4_040_101);
        for (int i = 0; i < BROKERS; i++) {
            long id = 500_000L + i;
            svc.brokers.put(id, new Broker(id, "Broker " + id, "Agency " + (i % 120), BigDecimal.valueOf(500 + rnd.nextInt(1_000), 2), start - rnd.nextInt(1_000_000_000)));
        }
        String[] products = {"MOTOR-COMP", "MOTOR-TPFT", "MOTOR-TPO", "VAN-COMP", "FLEET", "LEARNER"};
        String[] addOnPool = {"BREAKDOWN", "COURTESY-CAR", "KEYCARE", "WINDSCREEN", "PERSONAL-ACCIDENT"};
        long end = System.currentTimeMillis();
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - start) * i / REQUESTS;
            // Popular postcodes first, then the long tail: all 12,000 get touched.
            String postcode = i < POSTCODES ? "PC" + (100_000 + i) : "PC" + (100_000 + (rnd.nextInt(4) == 0 ? rnd.nextInt(POSTCODES) : rnd.nextInt(300)));
            List<String> addOns = new ArrayList<>();
            int na = rnd.nextInt(3);
            for (int a = 0; a < na; a++) addOns.add(addOnPool[(a * 2 + rnd.nextInt(2)) % addOnPool.length]);
            QuoteRequest req = new QuoteRequest(500_000L + rnd.nextInt(BROKERS), products[rnd.nextInt(products.length)], postcode, 18 + rnd.nextInt(3) * 10 + (rnd.nextInt(4) == 0 ? 5 : 0), addOns);
            boolean upsell = rnd.nextInt(10) < 3;
            svc.handle(req, upsell, t);
        }
        QuoteCache c = svc.quotes;
        int mutated = 0, mutatedEvicted = 0;
        java.util.Set<QuoteKey> inOrder = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        inOrder.addAll(c.order);
        for (CachedQuote q : c.map.values()) {
            if (q.key.hashCode() != q.hashAtInsert) { mutated++; if (!inOrder.contains(q.key)) mutatedEvicted++; }
        }
        System.out.println("map " + c.map.size() + " order " + c.order.size() + " mutated " + mutated + " mutated+evicted " + mutatedEvicted
                + " hits " + c.hits + " evictions " + c.evictions);
        check(c.order.size() == CACHE_MAX, "order " + c.order.size());
        check(c.map.size() == EXPECT_MAP, "map " + c.map.size());
        check(mutated == EXPECT_MUTATED, "mutated " + mutated);
        check(mutatedEvicted == EXPECT_MUTATED_EVICTED, "mutated evicted " + mutatedEvicted);
        check(c.map.size() - CACHE_MAX == mutatedEvicted, "orphans");
        check(RatingTables.FACTORS_BY_CODE.size() == FACTORS, "factors");
        check(svc.brokers.size() == BROKERS, "brokers");
        check(svc.postcodes.byPostcode.size() == POSTCODES, "postcodes " + svc.postcodes.byPostcode.size());
        check(svc.pdfBuffers.free.size() == PDF_BUFFERS && svc.pdfBuffers.borrowed == 0, "pdf pool");
        check(svc.audit.next >= AUDIT_RING, "audit ring");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
