// hprofscan-dump: name=val84-leak-travelinsurance jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val84-leak-travelinsurance-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 84 (written blind), LEAK: the quote engine of a travel-insurance broker. Risk-zone
 * reference data, the policy directory, a cache of rendered policy certificates at its cap, a pool
 * of PDF buffers, a ring of recent quotes, and a premium memo (ConcurrentHashMap keyed by QuoteKey).
 * The key space is finite (24 regions x 8 trip bands x 6 age bands x 3 cover levels = 3,456), which
 * is why the memo has no eviction; but QuoteKey overrides neither equals nor hashCode, every quote
 * request builds a fresh key, misses (identity semantics) and inserts another entry. See
 * VALIDATION84.md.
 */
public final class Val84LeakTravelInsurance {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_300, POLICIES = 26_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, QUOTES_PER_HOUR = 4_000, HOURS = 10;
    static final String[] REGIONS = {"UK", "IE", "FR", "ES", "PT", "IT", "GR", "DE", "NL", "SCAN", "CEE", "TR", "MA", "EG", "UAE", "IN", "TH", "ID", "JP", "AU", "NZ", "US", "CA", "LATAM"};
    static final String[] COVERS = {"Basic", "Standard", "Premier"};
    static final int TRIP_BANDS = 8, AGE_BANDS = 6;
    static boolean FIXED;

    record Zone(String code, String name, double[] claimFrequency) {}
    record Policy(String policyNo, String holder, String zoneCode, byte[] wording, long issuedAt) {}
    record Certificate(String policyNo, byte[] pdf, long at) {}
    record QuoteLog(long quoteId, String region, String cover, int premiumCents, long at) {}
    record Premium(String region, String cover, double basePremium, double[] breakdown, long computedAt) {}

    /** The memo key. BUG: neither equals nor hashCode is overridden (identity semantics). */
    static final class QuoteKey {
        final String region, cover; final int tripBand, ageBand;
        QuoteKey(String region, int tripBand, int ageBand, String cover) { this.region = region; this.tripBand = tripBand; this.ageBand = ageBand; this.cover = cover; }
    }

    /** Used only with -Dval84.fixed=true: the same key with value semantics. */
    record ValueQuoteKey(String region, int tripBand, int ageBand, String cover) {}

    static final class PremiumCalculator {
        final ConcurrentHashMap<Object, Premium> memo = new ConcurrentHashMap<>();
        long requests, computed;
        Premium quote(String region, int tripBand, int ageBand, String cover, long at) {
            requests++;
            Object key = FIXED ? new ValueQuoteKey(region, tripBand, ageBand, cover) : new QuoteKey(region, tripBand, ageBand, cover);
            return memo.computeIfAbsent(key, k -> compute(region, tripBand, ageBand, cover, at));
        }
        Premium compute(String region, int tripBand, int ageBand, String cover, long at) {
            computed++;
            double[] breakdown = new double[12];
            double base = 9.5 + region.length() * 1.7 + tripBand * 6.25 + ageBand * ageBand * 3.1;
            for (int k = 0; k < breakdown.length; k++) breakdown[k] = base * (0.02 + 0.01 * ((k * 7 + tripBand + ageBand) % 9));
            return new Premium(region, cover, base * (cover.equals("Basic") ? 1.0 : cover.equals("Standard") ? 1.45 : 2.1), breakdown, at);
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class QuoteEngine {
        final Map<String, Policy> policies = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final QuoteLog[] recentQuotes = new QuoteLog[RING];
        long quotesLogged;
        final PremiumCalculator calculator = new PremiumCalculator();
    }

    static QuoteEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val84.fixed");
        int quotes = QUOTES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(84_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] freq = new double[64];
            for (int k = 0; k < freq.length; k++) freq[k] = rnd.nextDouble() * 0.08;
            zoneCodes[z] = "RZ-" + REGIONS[z % REGIONS.length] + "-" + (100 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "Zone " + z, freq));
        }
        QuoteEngine svc = new QuoteEngine();
        SERVICE = svc;
        String[] policyNos = new String[POLICIES];
        for (int p = 0; p < POLICIES; p++) {
            policyNos[p] = "TI-" + (31_000_000 + p * 13);
            svc.policies.put(policyNos[p], new Policy(policyNos[p], "Holder " + (p % 9_000), zoneCodes[rnd.nextInt(ZONES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(84_030_002);
        PremiumCalculator calc = svc.calculator;
        java.util.Set<String> distinct = new java.util.HashSet<>(); // distinct (region, trip, age, cover) requested
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            String region = REGIONS[traffic.nextInt(REGIONS.length)];
            int trip = traffic.nextInt(TRIP_BANDS), age = traffic.nextInt(AGE_BANDS);
            String cover = COVERS[traffic.nextInt(COVERS.length)];
            distinct.add(region + "|" + trip + "|" + age + "|" + cover);
            Premium pr = calc.quote(region, trip, age, cover, t);
            svc.recentQuotes[(int) (svc.quotesLogged++ % RING)] = new QuoteLog(5_000_000_000L + i, region, cover, (int) Math.round(pr.basePremium() * 100), t);
            if (i % 5 == 0) {
                String policy = policyNos[traffic.nextInt(6_000)];
                if (svc.certificates.get(policy) == null) {
                    byte[] buf = svc.pdfBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.pdfBuffers.add(buf);
                    svc.certificates.put(policy, new Certificate(policy, new byte[500 + traffic.nextInt(500)], t));
                }
            }
        }
        int keys = distinct.size();
        distinct = null;
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " policies " + svc.policies.size() + " memo " + calc.memo.size() + " (requests " + calc.requests + ", computed " + calc.computed + ", distinct keys " + keys + ") certificates "
                + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.pdfBuffers.size() + " quotes logged " + svc.quotesLogged);
        check(ZONES_BY_CODE.size() == ZONES && svc.policies.size() == POLICIES, "reference data / directory");
        check(calc.requests == quotes, "quote traffic");
        if (FIXED) check(calc.memo.size() == keys && calc.computed == keys, "fixed memo bounded by the key space: " + calc.memo.size());
        else check(calc.memo.size() == quotes && calc.computed == quotes, "identity memo: one entry per request: " + calc.memo.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.quotesLogged == quotes && svc.recentQuotes[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
