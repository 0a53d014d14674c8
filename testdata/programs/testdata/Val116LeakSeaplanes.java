// hprofscan-dump: name=val116-leak-seaplanes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val116-leak-seaplanes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val116-leak-seaplanes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val116-leak-seaplanes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 116 (written blind), LEAK: the quoting and booking service of a seaplane charter
 * operator. Seaplane-base reference data, the customer directory, an LRU of rendered fare tables
 * at its cap, a pool of manifest buffers, a ring of the last 2,048 booked flight legs, the quotes awaiting the
 * customer's answer (valid 30 minutes) and a metadata cache of the weather and water conditions
 * worked out for each quote request: a WeakHashMap keyed by the per-request QuoteRequest, "so the
 * entries go away with the requests". The ConditionsAssessment value keeps a reference to its own
 * request (for the audit line), so every key stays strongly reachable from the map itself and no
 * entry is ever cleared. A growth series (2 / 4 / 8 h). See VALIDATION116.md.
 */
public final class Val116LeakSeaplanes {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, QUOTE_VALIDITY = 30 * MINUTE;
    static final int BASES = 900, REGIONS = 60, CUSTOMERS = 20_000, FARE_CAP = 2_000, POOL = 8, RING = 2_048, QUOTES_PER_HOUR = 4_000;
    static final int[] STAGE_HOURS = {0, 2, 4, 8};
    static final String[] WATERS = {"Loch", "Lake", "Fjord", "Sound", "Bay", "Harbour", "Reservoir", "Inlet"};
    static final String[] FIRST = {"Ailsa", "Bram", "Cora", "Dougal", "Effie", "Finlay", "Greer", "Hamish", "Isla", "Jock", "Kirsty", "Lachlan"};
    static final String[] LAST = {"MacLeod", "Fraser", "Munro", "Grant", "Sinclair", "Ross", "Gunn", "Mackay", "Murray", "Drummond"};
    static final String[] WIND_DIRS = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};
    static boolean FIXED;

    record SeaplaneBase(String code, String water, int region, double[] tideByHalfHour) {}
    record Customer(String number, String name, String homeBase, byte[] profile, long since) {}
    record FareTable(String route, byte[] rendered, long builtAt) {}
    record FlightLeg(String quoteId, String from, String to, int passengers, int pricePence, long departsAt) {}

    /** One request for a charter quote, created per request (identity equality). */
    static final class QuoteRequest {
        final String quoteId, customer, from, to;
        final int passengers, baggageKg;
        final long receivedAt;
        QuoteRequest(String quoteId, String customer, String from, String to, int passengers, int baggageKg, long receivedAt) {
            this.quoteId = quoteId; this.customer = customer; this.from = from; this.to = to;
            this.passengers = passengers; this.baggageKg = baggageKg; this.receivedAt = receivedAt;
        }
    }

    /** Weather and water conditions worked out for one quote request. */
    static final class ConditionsAssessment {
        final QuoteRequest request; // BUG: the value points back at its own WeakHashMap key (kept for the audit line)
        final String quoteId;
        final String summary;
        final byte[] windSamples;
        final int surchargePence;
        final long assessedAt;
        ConditionsAssessment(QuoteRequest request, String quoteId, String summary, byte[] windSamples, int surchargePence, long assessedAt) {
            this.request = request; this.quoteId = quoteId; this.summary = summary; this.windSamples = windSamples;
            this.surchargePence = surchargePence; this.assessedAt = assessedAt;
        }
        String auditLine() { return (request != null ? request.quoteId : quoteId) + ": " + summary; }
    }

    /** Metadata attached to a quote request without holding the request (or so it was meant). */
    static final class ConditionsCache {
        final WeakHashMap<QuoteRequest, ConditionsAssessment> byRequest = new WeakHashMap<>();
        long assessed, reused;
        ConditionsAssessment assess(QuoteRequest q, Random r) {
            ConditionsAssessment a = byRequest.get(q);
            if (a != null) { reused++; return a; }
            int wind = 4 + r.nextInt(28), gust = wind + r.nextInt(12);
            String summary = "wind " + WIND_DIRS[r.nextInt(WIND_DIRS.length)] + " " + wind + "kt gust " + gust + "kt, swell " + (r.nextInt(16) / 10.0)
                    + "m, vis " + (2 + r.nextInt(18)) + "km, " + q.from + "->" + q.to;
            a = new ConditionsAssessment(FIXED ? null : q, q.quoteId, summary, new byte[120 + r.nextInt(160)], gust > 30 ? 4_500 : gust > 24 ? 1_800 : 0, q.receivedAt + 1_500);
            byRequest.put(q, a);
            assessed++;
            return a;
        }
    }

    static final class FareCache extends LinkedHashMap<String, FareTable> {
        long evicted;
        FareCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareTable> e) { if (size() > FARE_CAP) { evicted++; return true; } return false; }
    }

    record PendingQuote(QuoteRequest request, int pricePence, long expiresAt) {}

    static final Map<String, SeaplaneBase> BASES_BY_CODE = new HashMap<>();

    static final class CharterService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerNumbers = new String[CUSTOMERS];
        final String[] baseCodes = new String[BASES];
        final FareCache fares = new FareCache();
        final ArrayDeque<byte[]> manifestBuffers = new ArrayDeque<>();
        final FlightLeg[] legs = new FlightLeg[RING];
        final LinkedHashMap<String, PendingQuote> pending = new LinkedHashMap<>();
        final ConditionsCache conditions = new ConditionsCache();
        long quotes, accepted, expired, legCount, fareHits;

        void quote(int seq, long t, Random r) {
            String from = baseCodes[r.nextInt(BASES)], to = baseCodes[r.nextInt(BASES)];
            QuoteRequest q = new QuoteRequest("Q" + (410_000_000 + seq), customerNumbers[r.nextInt(CUSTOMERS)], from, to, 1 + r.nextInt(9), 10 + r.nextInt(200), t);
            ConditionsAssessment c = conditions.assess(q, r);
            String route = BASES_BY_CODE.get(from).region() + "-" + BASES_BY_CODE.get(to).region() + (q.passengers > 4 ? "/beaver" : "/cessna");
            FareTable f = fares.get(route);
            if (f == null) fares.put(route, new FareTable(route, new byte[400 + r.nextInt(400)], t));
            else fareHits++;
            int price = 18_000 + q.passengers * 9_500 + q.baggageKg * 12 + conditions.assess(q, r).surchargePence;
            if (c.auditLine().isEmpty()) throw new IllegalStateException();
            pending.put(q.quoteId, new PendingQuote(q, price, t + QUOTE_VALIDITY));
            quotes++;
        }

        /** Once a minute: quotes the customer accepted become flight legs, quotes past their validity lapse. */
        void sweep(long t, Random r) {
            for (Iterator<PendingQuote> it = pending.values().iterator(); it.hasNext(); ) {
                PendingQuote p = it.next();
                if (p.expiresAt() <= t) { it.remove(); expired++; continue; }
                if (r.nextInt(1_000) >= 15) continue;
                it.remove();
                accepted++;
                QuoteRequest q = p.request();
                ConditionsAssessment c = conditions.byRequest.get(q);
                byte[] buf = manifestBuffers.poll();
                buf[(int) (accepted % buf.length)] = (byte) q.passengers;
                manifestBuffers.add(buf);
                legs[(int) (legCount++ % RING)] = new FlightLeg(q.quoteId, q.from, q.to, q.passengers, p.pricePence(), t + (c.surchargePence > 0 ? 2 : 1) * DAY);
            }
        }
    }

    static CharterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        int hours = STAGE_HOURS[stage], n = QUOTES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(116_010_001);
        CharterService svc = new CharterService();
        SERVICE = svc;
        for (int b = 0; b < BASES; b++) {
            double[] tide = new double[48];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 4.5;
            String code = "SPB-" + (2_000 + b);
            svc.baseCodes[b] = code;
            BASES_BY_CODE.put(code, new SeaplaneBase(code, WATERS[b % WATERS.length] + " " + (b / WATERS.length), b % REGIONS, tide));
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            String no = "SPC" + (700_000 + c * 3);
            svc.customerNumbers[c] = no;
            svc.customers.put(no, new Customer(no, FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)], svc.baseCodes[rnd.nextInt(BASES)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.manifestBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_010_002);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            while (nextSweep <= t) { svc.sweep(nextSweep, traffic); nextSweep += MINUTE; }
            svc.quote(i, t, traffic);
        }
    }

    /** The fixed build: entries of finished requests are cleared by the GC; wait for it. */
    static int settledSize(WeakHashMap<?, ?> map, int expected) throws InterruptedException {
        for (int k = 0; k < 300 && map.size() != expected; k++) { System.gc(); Thread.sleep(20); }
        return map.size();
    }

    static final int[] EXPECTED_PENDING = {0, 1_697, 1_665, 1_663};

    static void report(int stage) throws InterruptedException {
        CharterService svc = SERVICE;
        int weak = FIXED ? settledSize(svc.conditions.byRequest, svc.pending.size()) : svc.conditions.byRequest.size();
        String line = (FIXED ? "FIXED " : "") + "stage " + stage + " bases " + BASES_BY_CODE.size() + " customers " + svc.customers.size() + " quotes " + svc.quotes
                + " accepted " + svc.accepted + " expired " + svc.expired + " pending " + svc.pending.size() + " conditions entries " + weak
                + " (assessed " + svc.conditions.assessed + ", reused " + svc.conditions.reused + ") fares " + svc.fares.size() + " (evicted " + svc.fares.evicted + ", hits " + svc.fareHits
                + ") legs " + svc.legCount + " pool " + svc.manifestBuffers.size();
        System.out.println(line);
        check(BASES_BY_CODE.size() == BASES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.quotes == (long) QUOTES_PER_HOUR * STAGE_HOURS[stage] && svc.accepted + svc.expired + svc.pending.size() == svc.quotes, "quotes");
        check(svc.pending.size() == EXPECTED_PENDING[stage], "pending quotes: " + svc.pending.size());
        check(weak == (FIXED ? svc.pending.size() : svc.quotes), "conditions entries: " + weak);
        check(svc.fares.size() == FARE_CAP && svc.fares.evicted > 0, "fare cache at cap");
        check(svc.manifestBuffers.size() == POOL && svc.legs[RING - 1] != null, "pool / legs ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val116.fixed");
        int stage = Integer.parseInt(args[2]);
        run(stage);
        report(stage);
        LeakCheck.histogram("java.util.WeakHashMap$Entry ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
