// hprofscan-dump: name=val61-leak-boatcharters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val61-leak-boatcharters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val61-leak-boatcharters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val61-leak-boatcharters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 61 (written blind), LEAK: the booking service of a yacht-charter marketplace.
 * Marina reference data, the yacht directory, a cache of rendered quote pages at its cap, a pool of
 * contract-printing buffers, a ring of recent bookings, and a circuit-breaker registry for the
 * downstream calls (berth availability, weather, deposits, insurance). The registry is keyed by the
 * full request URL (path with entity ids and query string) instead of the downstream operation, so
 * almost every call creates a new breaker (a ring of 16 outcomes and latencies, counters) that is
 * never removed. See VALIDATION61.md.
 */
public final class Val61LeakBoatCharters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MARINAS = 900, YACHTS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, CALLS_PER_HOUR = 5_000, OUTCOMES = 16;
    static boolean FIXED;

    record Marina(String code, String coast, double[] berthOccupancyByWeek) {}
    record Yacht(String hullId, String marinaCode, String model, byte[] survey, long registeredAt) {}
    record QuotePage(String key, byte[] rendered, long at) {}
    record Booking(String hullId, String customerId, long from, long until) {}

    /** One breaker: a ring of the last 16 outcomes (0 empty, 1 ok, 2 failed) with their latencies. */
    static final class CircuitBreaker {
        final String name;
        final byte[] outcomes = new byte[OUTCOMES];
        final int[] latencyMs = new int[OUTCOMES];
        String state = "CLOSED";
        int pos;
        long calls, failures, openedAt, lastCallAt;
        CircuitBreaker(String name) { this.name = name; }
        boolean allows(long at) {
            if (state.equals("OPEN") && at - openedAt >= 30_000L) state = "HALF_OPEN";
            return !state.equals("OPEN");
        }
        void record(boolean ok, int ms, long at) {
            outcomes[pos] = (byte) (ok ? 1 : 2);
            latencyMs[pos] = ms;
            pos = (pos + 1) % OUTCOMES;
            calls++;
            if (!ok) failures++;
            lastCallAt = at;
            int failed = 0;
            for (byte o : outcomes) if (o == 2) failed++;
            if (state.equals("HALF_OPEN")) state = ok ? "CLOSED" : "OPEN";
            else if (failed >= OUTCOMES / 2 && calls >= OUTCOMES) { state = "OPEN"; openedAt = at; }
            if (state.equals("OPEN") && !ok) openedAt = at;
        }
    }

    static final class BreakerRegistry {
        final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
        long created, rejected;
        CircuitBreaker forCall(String url, String operation) {
            // BUG: keyed by the full request URL (entity ids, query string); the fix keys by operation
            String key = FIXED ? operation : url;
            return breakers.computeIfAbsent(key, k -> { created++; return new CircuitBreaker(k); });
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, QuotePage> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePage> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Marina> MARINAS_BY_CODE = new HashMap<>();

    static final class CharterService {
        final Map<String, Yacht> yachts = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> contractBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        long bookings;
        final BreakerRegistry breakers = new BreakerRegistry();
    }

    static CharterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val61.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int calls = CALLS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(61_010_001);
        String[] marinaCodes = new String[MARINAS];
        String[] coasts = {"Dalmatia", "Cyclades", "Balearics", "Riviera", "Algarve", "Sardinia"};
        for (int m = 0; m < MARINAS; m++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            marinaCodes[m] = "MAR-" + (3_000 + m);
            MARINAS_BY_CODE.put(marinaCodes[m], new Marina(marinaCodes[m], coasts[m % coasts.length], occ));
        }
        CharterService svc = new CharterService();
        SERVICE = svc;
        String[] hulls = new String[YACHTS];
        String[] models = {"Bavaria C42", "Lagoon 40", "Beneteau Oceanis 46", "Jeanneau Sun Odyssey 410", "Fountaine Pajot Isla 40", "Hanse 458"};
        for (int y = 0; y < YACHTS; y++) {
            hulls[y] = "HIN-" + (40_000_000 + y * 3);
            svc.yachts.put(hulls[y], new Yacht(hulls[y], marinaCodes[rnd.nextInt(MARINAS)], models[y % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.contractBuffers.add(new byte[32_768]);
        Random traffic = new Random(61_010_002);
        long today = end / DAY;
        for (int i = 0; i < calls; i++) {
            long t = start + (end - MINUTE - start) * i / calls;
            int route = traffic.nextInt(10);
            String hull = hulls[traffic.nextInt(YACHTS)];
            String marina = marinaCodes[traffic.nextInt(MARINAS)];
            String url, op;
            if (route < 5) {
                LocalDate from = LocalDate.ofEpochDay(today + 1 + traffic.nextInt(240));
                url = "https://berths.marina-api.internal/v2/marinas/" + marina + "/berths/" + traffic.nextInt(120) + "/availability?from=" + from + "&nights=" + (2 + traffic.nextInt(13));
                op = "GET berths.marina-api /v2/marinas/{marina}/berths/{berth}/availability";
            } else if (route < 7) {
                url = "https://forecast.weather.internal/v1/points/" + marina + "/forecast?hours=" + (24 * (1 + traffic.nextInt(5))) + "&model=ecmwf&units=metric";
                op = "GET forecast.weather /v1/points/{marina}/forecast";
            } else if (route < 9) {
                url = "https://payments.internal/v3/customers/CU" + (2_000_000 + traffic.nextInt(400_000)) + "/deposits?yacht=" + hull + "&quote=Q" + (90_000_000 + i);
                op = "POST payments /v3/customers/{customer}/deposits";
            } else {
                LocalDate from = LocalDate.ofEpochDay(today + 1 + traffic.nextInt(240));
                url = "https://cover.insurance.internal/v1/policies/" + hull + "/cover?from=" + from + "&to=" + from.plusDays(7) + "&skipper=" + (traffic.nextBoolean() ? "licensed" : "hired");
                op = "GET cover.insurance /v1/policies/{hull}/cover";
            }
            CircuitBreaker cb = svc.breakers.forCall(url, op);
            if (cb.allows(t)) cb.record(traffic.nextInt(40) != 0, 20 + traffic.nextInt(400), t);
            else svc.breakers.rejected++;
            if (i % 2 == 0) {
                svc.recent[(int) (svc.bookings++ % RING)] = new Booking(hull, "CU" + (2_000_000 + traffic.nextInt(400_000)), t + DAY * (1 + traffic.nextInt(200)), t + DAY * (202 + traffic.nextInt(14)));
                String key = "quote-" + traffic.nextInt(4_500);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new QuotePage(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.contractBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.contractBuffers.add(buf);
            }
        }
        BreakerRegistry reg = svc.breakers;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " marinas " + MARINAS_BY_CODE.size() + " yachts " + svc.yachts.size() + " calls " + calls + " breakers " + reg.breakers.size() + " (created " + reg.created + ", rejected " + reg.rejected + ") quotes " + svc.quotes.size()
                + " (evicted " + svc.quotes.evicted + ") pool " + svc.contractBuffers.size() + " bookings " + svc.bookings);
        check(MARINAS_BY_CODE.size() == MARINAS && svc.yachts.size() == YACHTS, "reference data / directory");
        check(reg.created == reg.breakers.size(), "breakers are never removed");
        if (FIXED) check(reg.breakers.size() == 4, "one breaker per operation: " + reg.breakers.size());
        else check(reg.breakers.size() > calls * 7 / 10, "one breaker per URL: " + reg.breakers.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.contractBuffers.size() == POOL, "pool");
        check(svc.bookings == calls / 2 && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
