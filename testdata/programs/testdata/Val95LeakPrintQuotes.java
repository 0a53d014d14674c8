// hprofscan-dump: name=val95-leak-printquotes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val95-leak-printquotes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 95 (written blind), LEAK: the quoting service of an online print shop (business
 * cards, flyers, posters). SKU reference data (paper stock, finish and price breaks), the customer
 * directory, a cache of rendered print proofs at its cap, a pool of RIP (raster) buffers, a ring of
 * recent orders, and a memoisation cache of computed price quotes, a HashMap<QuoteKey, Quote> with
 * record QuoteKey(String sku, int qty, long requestedAtMillis). Because the request time is part of
 * the key, no lookup ever hits: every quote request computes a new quote and adds one entry, and
 * nothing ever removes one. See VALIDATION95.md.
 */
public final class Val95LeakPrintQuotes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SKUS = 3_000, POPULAR = 1_200, CUSTOMERS = 22_000, PROOF_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 8, REQUESTS = 40_000;
    static final int[] QUANTITIES = {100, 250, 500, 1_000, 2_500, 5_000};
    static boolean FIXED;

    record Sku(String code, String stock, String finish, double[] priceBreaks, long listedAt) {}
    record Customer(String id, String company, byte[] billingProfile, long since) {}
    record Proof(String key, byte[] rendered, long at) {}
    record Order(long orderNo, String customerId, String sku, int qty, long totalCents, long at) {}
    record QuoteKey(String sku, int qty, long requestedAtMillis) {}

    static final class Quote {
        final String quoteId, sku;
        final int qty;
        final long unitPriceMicros, totalCents, quotedAt, validUntil;
        final byte[] breakdown;
        Quote(String quoteId, String sku, int qty, long unitPriceMicros, long totalCents, long quotedAt, long validUntil, byte[] breakdown) {
            this.quoteId = quoteId; this.sku = sku; this.qty = qty; this.unitPriceMicros = unitPriceMicros; this.totalCents = totalCents; this.quotedAt = quotedAt; this.validUntil = validUntil; this.breakdown = breakdown;
        }
    }

    /** Memoises computed quotes (computing one means imposition, paper and ink costing). */
    static final class QuoteEngine {
        final Map<QuoteKey, Quote> memo = new HashMap<>();
        final Random costing = new Random(95_020_003); // the costing model's sheet-layout search
        long requests, computed, hits;
        Quote quote(String sku, int qty, long now) {
            requests++;
            // BUG: the request time is part of the key, so no two requests share a key.
            QuoteKey key = new QuoteKey(sku, qty, FIXED ? 0L : now); // the fix: quotes are memoised per (sku, qty)
            Quote q = memo.get(key);
            if (q != null) { hits++; return q; }
            Sku s = SKUS_BY_CODE.get(sku);
            long unit = (long) (s.priceBreaks()[qty % s.priceBreaks().length] * 1_000);
            q = new Quote("Q" + (50_000_000L + computed), sku, qty, unit, unit * qty / 10_000, now, now + DAY, new byte[48 + costing.nextInt(48)]);
            computed++;
            memo.put(key, q);
            return q;
        }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final class PrintShop {
        final Map<String, Customer> customers = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> ripBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final QuoteEngine quotes = new QuoteEngine();
    }

    static final Map<String, Sku> SKUS_BY_CODE = new HashMap<>();
    static PrintShop SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(95_020_001);
        String[] stocks = {"350gsm silk", "400gsm matt", "130gsm gloss", "170gsm recycled", "300gsm uncoated"};
        String[] finishes = {"none", "soft-touch", "spot UV", "foil", "gloss laminate"};
        String[] codes = new String[SKUS];
        for (int k = 0; k < SKUS; k++) {
            double[] breaks = new double[40];
            for (int j = 0; j < breaks.length; j++) breaks[j] = 20 + rnd.nextDouble() * 400;
            String code = "PS-" + (10_000 + k);
            codes[k] = code;
            SKUS_BY_CODE.put(code, new Sku(code, stocks[k % stocks.length], finishes[(k / 5) % finishes.length], breaks, now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        PrintShop svc = new PrintShop();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "CU" + (600_000 + c);
            customerIds[c] = id;
            svc.customers.put(id, new Customer(id, "Company " + (c % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.ripBuffers.add(new byte[32_768]);
        Random traffic = new Random(95_020_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String sku = codes[traffic.nextInt(POPULAR)];
            int qty = QUANTITIES[traffic.nextInt(QUANTITIES.length)];
            Quote q = svc.quotes.quote(sku, qty, t);
            if (traffic.nextInt(4) == 0) { // the customer orders
                String customer = customerIds[traffic.nextInt(CUSTOMERS)];
                svc.recentOrders[(int) (svc.orders % RING)] = new Order(8_000_000L + svc.orders, customer, sku, qty, q.totalCents, t);
                svc.orders++;
                String key = "proof-" + traffic.nextInt(6_000);
                if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.ripBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.ripBuffers.add(buf);
            }
        }
        QuoteEngine e = svc.quotes;
        System.out.println((FIXED ? "FIXED " : "") + "skus " + SKUS_BY_CODE.size() + " customers " + svc.customers.size() + " quote requests " + e.requests + " computed " + e.computed + " hits " + e.hits
                + " memo " + e.memo.size() + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.ripBuffers.size() + " orders " + svc.orders);
        check(SKUS_BY_CODE.size() == SKUS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(e.requests == REQUESTS && e.memo.size() == e.computed && e.computed + e.hits == REQUESTS, "memo");
        if (FIXED) check(e.memo.size() <= POPULAR * QUANTITIES.length, "fixed memo bounded by (sku, qty)");
        else check(e.memo.size() == REQUESTS && e.hits == 0, "every request misses: " + e.memo.size());
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.ripBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val95.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
