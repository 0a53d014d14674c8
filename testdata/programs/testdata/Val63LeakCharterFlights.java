// hprofscan-dump: name=val63-leak-charterflights-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val63-leak-charterflights-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val63-leak-charterflights jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val63-leak-charterflights-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 63 (written blind), LEAK: the quote service of a private-jet charter broker.
 * Airport reference data, the aircraft directory, a cache of rendered itineraries at its cap, a pool
 * of PDF buffers, a ring of recent quotes, and a fare index that is loaded at startup behind a
 * readiness future (fareIndexReady). Every quote request is answered from live pricing and chains
 * fareIndexReady.thenAccept(idx -> reprice(request, idx)) so that it is repriced once the index is
 * ready. The warm-up's completion path is broken (a failing cache-priming step is caught and logged
 * before complete() is reached), so the future never completes and every request's callback, with
 * the request it captures, piles up on it. See VALIDATION63.md.
 */
public final class Val63LeakCharterFlights {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int AIRPORTS = 1_300, AIRCRAFT = 24_000, ITINERARY_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 3_000, ROUTES = 3_000;
    static boolean FIXED;

    record Airport(String icao, String city, double[] slotFees) {}
    record Aircraft(String tail, String type, String homeBase, byte[] maintenanceLog, long certifiedAt) {}
    record Itinerary(String key, byte[] rendered, long at) {}
    record QuoteRequest(long id, String customerId, String from, String to, long at, byte[] body) {}
    record Quote(long requestId, String tail, long priceCents, long at) {}
    record FareIndex(Map<String, long[]> faresByRoute, long builtAt) {}

    static final class ItineraryCache extends LinkedHashMap<String, Itinerary> {
        long evicted;
        ItineraryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Itinerary> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Airport> AIRPORTS_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Aircraft> aircraft = new HashMap<>();
        final ItineraryCache itineraries = new ItineraryCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Quote[] recentQuotes = new Quote[RING];
        final CompletableFuture<FareIndex> fareIndexReady = new CompletableFuture<>();
        FareIndex loading;
        long quotes, repriced, warmupFailures;

        /** Startup warm-up: builds the fare index, primes the route cache, then signals readiness. */
        void warmUp(Random r, long at) {
            Map<String, long[]> fares = new HashMap<>();
            for (int i = 0; i < ROUTES; i++) {
                long[] f = new long[12];
                for (int k = 0; k < f.length; k++) f[k] = 800_000 + r.nextInt(4_000_000);
                fares.put("R" + i, f);
            }
            loading = new FareIndex(fares, at);
            try {
                primeRouteCache();
                fareIndexReady.complete(loading); // BUG: never reached, priming always throws
            } catch (IllegalStateException e) {
                warmupFailures++; // logged and swallowed
            }
            if (FIXED) fareIndexReady.complete(loading); // the fix: readiness is signalled whatever priming does
        }
        void primeRouteCache() { throw new IllegalStateException("route cache endpoint not configured"); }

        void handle(QuoteRequest req, String tail, long price) {
            recentQuotes[(int) (quotes++ % RING)] = new Quote(req.id(), tail, price, req.at());
            fareIndexReady.thenAccept(idx -> reprice(req, idx));
        }
        void reprice(QuoteRequest req, FareIndex idx) { if (req.body().length > 0 && idx.builtAt() > 0) repriced++; }
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val63.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(63_010_001);
        String[] icaos = new String[AIRPORTS];
        for (int a = 0; a < AIRPORTS; a++) {
            double[] fees = new double[64];
            for (int k = 0; k < fees.length; k++) fees[k] = rnd.nextDouble() * 1_200;
            icaos[a] = "K" + (char) ('A' + a / 676 % 26) + (char) ('A' + a / 26 % 26) + (char) ('A' + a % 26);
            AIRPORTS_BY_CODE.put(icaos[a], new Airport(icaos[a], "City " + (a % 400), fees));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] tails = new String[AIRCRAFT];
        String[] types = {"Citation XLS", "Challenger 350", "Phenom 300", "Gulfstream G450", "King Air 350", "Learjet 75", "Falcon 2000", "Pilatus PC-12"};
        for (int t = 0; t < AIRCRAFT; t++) {
            tails[t] = "N" + (100_000 + t * 3);
            svc.aircraft.put(tails[t], new Aircraft(tails[t], types[t % types.length], icaos[rnd.nextInt(AIRPORTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        svc.warmUp(new Random(63_010_003), start);
        Random traffic = new Random(63_010_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String from = icaos[traffic.nextInt(AIRPORTS)], to = icaos[traffic.nextInt(AIRPORTS)];
            QuoteRequest req = new QuoteRequest(5_000_000L + i, "CUST-" + (200_000 + traffic.nextInt(50_000)), from, to, t, new byte[120 + traffic.nextInt(120)]);
            svc.handle(req, tails[traffic.nextInt(AIRCRAFT)], 900_000 + traffic.nextInt(5_000_000));
            String key = "itin-" + traffic.nextInt(5_000);
            if (svc.itineraries.get(key) == null) svc.itineraries.put(key, new Itinerary(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        int dependents = svc.fareIndexReady.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " airports " + AIRPORTS_BY_CODE.size() + " aircraft " + svc.aircraft.size() + " quotes " + svc.quotes + " ready " + svc.fareIndexReady.isDone()
                + " dependents " + dependents + " repriced " + svc.repriced + " warmupFailures " + svc.warmupFailures + " itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ") pool " + svc.pdfBuffers.size());
        check(AIRPORTS_BY_CODE.size() == AIRPORTS && svc.aircraft.size() == AIRCRAFT && svc.loading.faresByRoute().size() == ROUTES, "reference data / directory / fare index");
        check(svc.quotes == requests && svc.warmupFailures == 1, "traffic");
        if (FIXED) check(svc.fareIndexReady.isDone() && dependents == 0 && svc.repriced == requests, "fixed: callbacks ran");
        else check(!svc.fareIndexReady.isDone() && dependents == requests && svc.repriced == 0, "every callback waits on the readiness future: " + dependents);
        check(svc.itineraries.size() == ITINERARY_CAP && svc.itineraries.evicted > 0, "itinerary cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recentQuotes[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
