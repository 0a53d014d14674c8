// hprofscan-dump: name=val18-leak-solarquotes-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val18-leak-solarquotes-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val18-leak-solarquotes jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val18-leak-solarquotes-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 18 (written blind), LEAK: the quote engine of a residential solar installer.
 * The sales UI re-prices the same customer's roof with the same product again and again while
 * the customer talks to the adviser; the quote memo {@code QuoteService.quoteMemo} is meant to
 * serve those repeats. The bug: its key class {@code QuoteRequest} overrides {@code hashCode}
 * but not {@code equals}, so a repeated (logically equal) request never finds its memo entry
 * and a new entry is added on every request: the memo grows with the request count while the
 * logical key space (active customers x products x roof plans) is small. Legitimate beside it,
 * bigger: the product catalogue, the customer directory, the irradiance table, the shading
 * analysis LRU (a proper record key) at its cap, the survey booking queue and a fixed HTTP pool.
 * Series: stage 1 simulates 3 h, stage 2 6 h, stage 3 12 h. See testdata/VALIDATION18.md.
 */
public final class Val18LeakSolarQuotes {
    static final int PRODUCTS = 30_000;
    static final int CUSTOMERS = 40_000;
    static final int DISTRICTS = 1_500;
    static final int ACTIVE_LEADS = 300;
    static final int SHADING_CAP = 3_000;
    static final int REQUESTS_PER_HOUR = 2_500;
    static final int HTTP_THREADS = 8;
    static final int BOOKING_CAP = 2_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static QuoteService QUOTES;

    static final class Product { final String sku; final String name; final String description; final int watts; final double[] efficiencyCurve; final long priceCents;
        Product(String sku, String name, String description, int watts, double[] efficiencyCurve, long priceCents) { this.sku = sku; this.name = name; this.description = description; this.watts = watts; this.efficiencyCurve = efficiencyCurve; this.priceCents = priceCents; } }

    /** Reference data: panels, inverters and batteries, loaded at startup. */
    static final class ProductCatalog {
        static final Map<String, Product> BY_SKU = new HashMap<>();
        static final List<Product> ALL = new ArrayList<>();
    }

    /** Reference data: daily irradiance per postcode district (kWh/m2), loaded at startup. */
    static final class IrradianceTable {
        static final Map<String, float[]> BY_DISTRICT = new HashMap<>();
    }

    static final class Customer { final long id; final String name; final String address; final String district; final double[] roof; final long createdAt;
        Customer(long id, String name, String address, String district, double[] roof, long createdAt) { this.id = id; this.name = name; this.address = address; this.district = district; this.roof = roof; this.createdAt = createdAt; } }

    /** The key of the quote memo: which customer, which product, which roof layout. */
    static final class QuoteRequest {
        final long customerId; final String sku; final int roofPlan;
        QuoteRequest(long customerId, String sku, int roofPlan) { this.customerId = customerId; this.sku = sku; this.roofPlan = roofPlan; }
        @Override public int hashCode() { return Objects.hash(customerId, sku, roofPlan); }
        // BUG: no equals(Object) override; only the fixed variant (for measuring) compares fields.
        boolean sameAs(QuoteRequest o) { return customerId == o.customerId && roofPlan == o.roofPlan && sku.equals(o.sku); }
    }

    /** The same request with a proper equals, used only by the fixed run. */
    static final class FixedQuoteRequest {
        final QuoteRequest r;
        FixedQuoteRequest(QuoteRequest r) { this.r = r; }
        @Override public int hashCode() { return r.hashCode(); }
        @Override public boolean equals(Object o) { return o instanceof FixedQuoteRequest && r.sameAs(((FixedQuoteRequest) o).r); }
    }

    static final class Quote { final long customerId; final String sku; final long totalCents; final double[] monthlyYieldKwh; final String summary; final long computedAt; int served;
        Quote(long customerId, String sku, long totalCents, double[] monthlyYieldKwh, String summary, long computedAt) { this.customerId = customerId; this.sku = sku; this.totalCents = totalCents; this.monthlyYieldKwh = monthlyYieldKwh; this.summary = summary; this.computedAt = computedAt; } }

    record SiteKey(long latE5, long lonE5) {}

    static final class ShadingAnalysis { final SiteKey site; final float[] horizon; final long analysedAt;
        ShadingAnalysis(SiteKey site, float[] horizon, long analysedAt) { this.site = site; this.horizon = horizon; this.analysedAt = analysedAt; } }

    static final class ShadingLru extends LinkedHashMap<SiteKey, ShadingAnalysis> {
        long evicted;
        ShadingLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<SiteKey, ShadingAnalysis> e) { if (size() > SHADING_CAP) { evicted++; return true; } return false; }
    }

    static final class SurveyBooking { final long customerId; final String district; final long requestedAt; final long slotAt;
        SurveyBooking(long customerId, String district, long requestedAt, long slotAt) { this.customerId = customerId; this.district = district; this.requestedAt = requestedAt; this.slotAt = slotAt; } }

    static final class QuoteService {
        final Map<Long, Customer> customers = new HashMap<>();
        final Map<Object, Quote> quoteMemo = new ConcurrentHashMap<>();
        final ShadingLru shading = new ShadingLru();
        final ArrayBlockingQueue<SurveyBooking> bookings = new ArrayBlockingQueue<>(BOOKING_CAP);
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "quote-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        long memoHits, computed, shadingRuns, bookingsSent;
        QuoteService(boolean fixed) { this.fixed = fixed; }

        ShadingAnalysis shading(Customer c, long t) {
            SiteKey k = new SiteKey(Math.round(c.roof[0] * 1e5), Math.round(c.roof[1] * 1e5));
            ShadingAnalysis a = shading.get(k);
            if (a == null) {
                shadingRuns++;
                float[] h = new float[96];
                for (int i = 0; i < h.length; i++) h[i] = (float) ((c.id * 31 + i * 7) % 23);
                a = new ShadingAnalysis(k, h, t);
                shading.put(k, a);
            }
            return a;
        }

        Quote quote(QuoteRequest req, long t) {
            Object key = fixed ? new FixedQuoteRequest(req) : req;
            Quote q = quoteMemo.get(key);
            if (q != null) { memoHits++; q.served++; return q; }
            computed++;
            Customer c = customers.get(req.customerId);
            Product p = ProductCatalog.BY_SKU.get(req.sku);
            float[] irr = IrradianceTable.BY_DISTRICT.get(c.district);
            ShadingAnalysis sh = shading(c, t);
            double[] monthly = new double[36];
            for (int m = 0; m < monthly.length; m++) monthly[m] = irr[(m * 30) % 365] * p.watts * p.efficiencyCurve[m % 24] * (1 - sh.horizon[m] / 100.0) / 1000.0;
            long total = p.priceCents * (4 + req.roofPlan * 2) + 120_000;
            q = new Quote(req.customerId, req.sku, total, monthly, "Quote for " + c.name + ": " + (4 + req.roofPlan * 2) + " x " + p.name + ", plan " + req.roofPlan + ", est. " + Math.round(monthly[5] * 12) + " kWh/yr", t);
            quoteMemo.put(key, q);
            return q;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val18.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 3 : stage == 2 ? 6 : 12;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(18_010_001);
        QuoteService svc = new QuoteService(fixed);
        QUOTES = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("quote.margin.region." + i, Integer.toString(12 + i % 9));
        String[] kinds = {"Monocrystalline panel", "Bifacial panel", "Hybrid inverter", "String inverter", "LFP battery", "Optimiser"};
        for (int i = 0; i < PRODUCTS; i++) {
            double[] curve = new double[24];
            for (int k = 0; k < curve.length; k++) curve[k] = 0.15 + rnd.nextDouble() * 0.08;
            String sku = "SOL-" + (300_000 + i);
            Product p = new Product(sku, kinds[i % kinds.length] + " " + (350 + i % 120) + "W", "A " + kinds[i % kinds.length].toLowerCase() + " from manufacturer " + (i % 80) + ", 25-year product warranty, tier-1 cells, model line " + (i % 900), 300 + rnd.nextInt(150), curve, 9_000 + rnd.nextInt(40_000));
            ProductCatalog.BY_SKU.put(sku, p);
            ProductCatalog.ALL.add(p);
        }
        for (int d = 0; d < DISTRICTS; d++) {
            float[] year = new float[365];
            for (int k = 0; k < year.length; k++) year[k] = 0.5f + rnd.nextFloat() * 6f;
            IrradianceTable.BY_DISTRICT.put("D" + (1_000 + d), year);
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 9_000_000L + i;
            Customer c = new Customer(id, "Customer " + id, (1 + i % 200) + " Orchard Lane, Town " + (i % 900), "D" + (1_000 + rnd.nextInt(DISTRICTS)),
                    new double[] {50 + rnd.nextDouble() * 5, -4 + rnd.nextDouble() * 5, 20 + rnd.nextDouble() * 30, rnd.nextDouble() * 360, 10 + rnd.nextDouble() * 40, 0, 0, 0}, start - (long) (rnd.nextDouble() * 400 * 24 * HOUR));
            svc.customers.put(id, c);
        }
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // The active leads: each talks to an adviser about a few products and roof plans.
        long[] leadCustomer = new long[ACTIVE_LEADS];
        String[][] leadSkus = new String[ACTIVE_LEADS][];
        for (int l = 0; l < ACTIVE_LEADS; l++) {
            leadCustomer[l] = 9_000_000L + rnd.nextInt(CUSTOMERS);
            leadSkus[l] = new String[2];
            for (int k = 0; k < 2; k++) leadSkus[l][k] = ProductCatalog.ALL.get(rnd.nextInt(PRODUCTS)).sku;
        }
        int requests = (int) (REQUESTS_PER_HOUR * hours);
        Set<String> logical = new HashSet<>();
        long nextSend = start + 10 * MINUTE;
        int booked = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (now - start) * i / requests;
            while (nextSend <= t) { svc.bookingsSent += svc.bookings.size(); svc.bookings.clear(); nextSend += 10 * MINUTE; }
            int l = rnd.nextInt(ACTIVE_LEADS);
            QuoteRequest req = new QuoteRequest(leadCustomer[l], leadSkus[l][rnd.nextInt(2)], rnd.nextInt(2));
            logical.add(req.customerId + "|" + req.sku + "|" + req.roofPlan);
            svc.quote(req, t);
            if (rnd.nextInt(25) == 0) {
                Customer c = svc.customers.get(req.customerId);
                svc.bookings.add(new SurveyBooking(c.id, c.district, t, t + (2 + rnd.nextInt(12)) * 24 * HOUR));
                booked++;
            }
            // other customers look at their site analysis in the self-service portal
            svc.shading(svc.customers.get(9_000_000L + rnd.nextInt(CUSTOMERS)), t);
        }
        int memo = svc.quoteMemo.size();
        int pendingBookings = svc.bookings.size();
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " products " + ProductCatalog.BY_SKU.size() + " customers " + svc.customers.size() + " districts " + IrradianceTable.BY_DISTRICT.size() + " requests " + requests + " logical keys " + logical.size() + " memo " + memo + " (hits " + svc.memoHits + ", computed " + svc.computed + ") shading " + svc.shading.size() + " (evicted " + svc.shading.evicted + ") bookings pending " + pendingBookings + " sent " + svc.bookingsSent);
        check(ProductCatalog.BY_SKU.size() == PRODUCTS && svc.customers.size() == CUSTOMERS && IrradianceTable.BY_DISTRICT.size() == DISTRICTS, "reference data");
        check(memo == (fixed ? logical.size() : requests), "quote memo");
        check(svc.computed == memo && svc.memoHits == requests - memo, "memo hits");
        check(svc.shading.size() == SHADING_CAP && svc.shading.evicted == svc.shadingRuns - SHADING_CAP, "shading lru");
        check(pendingBookings + svc.bookingsSent == booked && pendingBookings > 0, "booking queue");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        logical = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
