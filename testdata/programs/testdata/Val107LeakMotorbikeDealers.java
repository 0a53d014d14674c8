// hprofscan-dump: name=val107-leak-motorbikedealers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val107-leak-motorbikedealers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val107-leak-motorbikedealers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val107-leak-motorbikedealers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 107 (written blind), LEAK: the trade-in valuation service of a motorbike dealer
 * network. Dealer reference data, the bike-model directory, a size-capped cache of vehicle
 * histories, a pool of photo-decode buffers, a ring of recent valuations, and a request-coalescing
 * ("single flight") history loader: concurrent lookups of one VIN share one call to the national
 * vehicle registry through HistoryLoader.inFlight (VIN -> CompletableFuture). The whenComplete
 * callback removes the entry only when the call succeeded; a failed call (registry 503) leaves its
 * exceptionally completed future, with the exception and its error page, in the map forever (and
 * every later lookup of that VIN gets the old failure). See VALIDATION107.md.
 */
public final class Val107LeakMotorbikeDealers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, REGISTRY_LATENCY = 3_000L;
    static final int DEALERS = 900, MODELS = 24_000, HISTORY_CAP = 3_000, POOL = 8, RING = 8_192, LOOKUPS_PER_HOUR = 6_000, HOT_VINS = 2_500;
    static boolean FIXED;

    record Dealer(String code, String town, double[] monthlyTradeIns) {}
    record BikeModel(String code, String make, String name, byte[] specSheet, long launchedAt) {}
    record VehicleHistory(String vin, int owners, long firstRegistered, byte[] report, long fetchedAt) {}
    record Valuation(String vin, String dealerCode, int offerPence, long at) {}
    record RegistryCall(String vin, CompletableFuture<VehicleHistory> future, long dueAt, boolean fails, int reportBytes, int errorBytes) {}

    /** What the registry gateway answers when it is overloaded: status and its HTML error page. */
    static final class RegistryUnavailableException extends RuntimeException {
        final int status; final byte[] errorPage; final long at;
        RegistryUnavailableException(String vin, int status, byte[] errorPage, long at) {
            super("vehicle registry answered " + status + " for VIN " + vin);
            this.status = status; this.errorPage = errorPage; this.at = at;
        }
    }

    static final class HistoryCache extends LinkedHashMap<String, VehicleHistory> {
        long evicted;
        HistoryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VehicleHistory> e) { if (size() > HISTORY_CAP) { evicted++; return true; } return false; }
    }

    /** Request coalescing: one registry call per VIN at a time, shared by every caller. */
    static final class HistoryLoader {
        final ConcurrentHashMap<String, CompletableFuture<VehicleHistory>> inFlight = new ConcurrentHashMap<>();
        final HistoryCache cache = new HistoryCache();
        final ArrayDeque<RegistryCall> onTheWire = new ArrayDeque<>(); // answered in order, REGISTRY_LATENCY after the call
        long lookups, hits, calls, joined, failures, successes;

        CompletableFuture<VehicleHistory> lookup(String vin, long now, boolean fails, int reportBytes, int errorBytes) {
            lookups++;
            VehicleHistory h = cache.get(vin);
            if (h != null) { hits++; return CompletableFuture.completedFuture(h); }
            CompletableFuture<VehicleHistory> running = inFlight.get(vin);
            if (running != null) { joined++; return running; }
            CompletableFuture<VehicleHistory> f = new CompletableFuture<>();
            inFlight.put(vin, f);
            f.whenComplete((hist, error) -> {
                if (error == null) {
                    cache.put(vin, hist);
                    inFlight.remove(vin, f);
                } else if (FIXED) {
                    inFlight.remove(vin, f); // the fix: forget failed calls too, the next lookup retries
                }
                // BUG: on the error path the entry is never removed
            });
            onTheWire.add(new RegistryCall(vin, f, now + REGISTRY_LATENCY, fails, reportBytes, errorBytes));
            calls++;
            return f;
        }

        void answerDue(long now) {
            while (!onTheWire.isEmpty() && onTheWire.peek().dueAt() <= now) {
                RegistryCall c = onTheWire.poll();
                if (c.fails()) {
                    failures++;
                    c.future().completeExceptionally(new RegistryUnavailableException(c.vin(), 503, new byte[c.errorBytes()], c.dueAt()));
                } else {
                    successes++;
                    c.future().complete(new VehicleHistory(c.vin(), 1 + c.reportBytes() % 4, c.dueAt() - (c.reportBytes() % 3_000) * DAY, new byte[c.reportBytes()], c.dueAt()));
                }
            }
        }
    }

    static final Map<String, Dealer> DEALERS_BY_CODE = new HashMap<>();

    static final class ValuationService {
        final Map<String, BikeModel> models = new HashMap<>();
        final HistoryLoader histories = new HistoryLoader();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Valuation[] recent = new Valuation[RING];
        long valuations;
    }

    static ValuationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String vin(int n) { return "ZDM" + (n < 0 ? "H" : "C") + String.format("%013d", Math.abs((long) n) * 7_919L % 10_000_000_000_000L); }

    static void run(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int lookups = LOOKUPS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(107_010_001);
        String[] dealerCodes = new String[DEALERS];
        for (int d = 0; d < DEALERS; d++) {
            double[] m = new double[64];
            for (int k = 0; k < m.length; k++) m[k] = rnd.nextDouble() * 40;
            dealerCodes[d] = "DLR-" + (3_000 + d);
            DEALERS_BY_CODE.put(dealerCodes[d], new Dealer(dealerCodes[d], "Town " + (d % 250), m));
        }
        ValuationService svc = new ValuationService();
        SERVICE = svc;
        String[] makes = {"Ducati", "Triumph", "Honda", "Yamaha", "BMW", "KTM", "Kawasaki", "Suzuki"};
        for (int m = 0; m < MODELS; m++) {
            String code = "MDL" + (500_000 + m);
            svc.models.put(code, new BikeModel(code, makes[m % makes.length], "Model " + (m % 700), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(107_010_002);
        HistoryLoader loader = svc.histories;
        for (int i = 0; i < lookups; i++) {
            long t = start + (end - MINUTE - start) * i / lookups;
            loader.answerDue(t);
            boolean hot = traffic.nextInt(100) < 55;
            int n = hot ? -(1 + traffic.nextInt(HOT_VINS)) : 1 + traffic.nextInt(2_000_000);
            boolean fails = traffic.nextInt(100) < 8;
            int reportBytes = 300 + traffic.nextInt(300), errorBytes = 1_000 + traffic.nextInt(1_000);
            String dealer = dealerCodes[traffic.nextInt(DEALERS)];
            int offer = 150_000 + traffic.nextInt(1_500_000);
            String v = vin(n);
            loader.lookup(v, t, fails, reportBytes, errorBytes);
            svc.recent[(int) (svc.valuations++ % RING)] = new Valuation(v, dealer, offer, t);
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.photoBuffers.add(buf);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val107.fixed");
        int stage = Integer.parseInt(args[2]);
        run(stage);
        ValuationService svc = SERVICE;
        HistoryLoader l = svc.histories;
        long failedKept = l.inFlight.values().stream().filter(CompletableFuture::isCompletedExceptionally).count();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " dealers " + DEALERS_BY_CODE.size() + " models " + svc.models.size() + " lookups " + l.lookups + " hits " + l.hits + " calls " + l.calls
                + " joined " + l.joined + " successes " + l.successes + " failures " + l.failures + " onTheWire " + l.onTheWire.size() + " inFlight " + l.inFlight.size() + " (failed " + failedKept + ")"
                + " cache " + l.cache.size() + " (evicted " + l.cache.evicted + ") pool " + svc.photoBuffers.size() + " valuations " + svc.valuations);
        check(DEALERS_BY_CODE.size() == DEALERS && svc.models.size() == MODELS, "reference data / directory");
        check(l.calls == l.successes + l.failures + l.onTheWire.size(), "registry calls");
        if (FIXED) check(l.inFlight.size() == l.onTheWire.size() && failedKept == 0, "fixed in-flight map: " + l.inFlight.size());
        else check(l.inFlight.size() == l.failures + l.onTheWire.size() && failedKept == l.failures, "failed futures kept: " + l.inFlight.size());
        check(l.cache.size() == HISTORY_CAP && l.cache.evicted > 0, "history cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.valuations == l.lookups && svc.recent[RING - 1] != null, "ring");
        svc = null; l = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
