// hprofscan-dump: name=val108-leak-taxidispatch jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val108-leak-taxidispatch-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 108 (written blind), LEAK: the booking dispatcher of a city taxi company, serving
 * requests on a fixed pool of 4 named worker threads. Taxi-rank reference data, the driver
 * directory, a cache of fare quotes at its cap, a pool of route-planning buffers, a ring of recent
 * trips, a bounded ring of exported trace summaries, and per-thread tracing: every request appends
 * its spans to the worker's ThreadLocal&lt;List&lt;TraceSpan&gt;&gt; and exports the spans it added.
 * The request's finally clears a different ThreadLocal (the request context), never the span list,
 * so each worker's list keeps every span it ever recorded. See VALIDATION108.md.
 */
public final class Val108LeakTaxiDispatch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RANKS = 1_000, DRIVERS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, TRACE_RING = 1_024, REQUESTS = 16_000, HOURS = 10, WORKERS = 4;
    static final String[] STEPS = {"geocode-pickup", "match-driver", "quote-fare", "reserve-driver", "notify-rider", "notify-driver"};
    static boolean FIXED;

    record Rank(String code, String street, double[] demandByHalfHour) {}
    record Driver(String licence, String rankCode, String plate, byte[] vehicleProfile, long licensedAt) {}
    record FareQuote(String key, byte[] breakdown, long at) {}
    record Trip(String bookingId, String licence, long pickupAt) {}
    record TraceSpan(String traceId, String name, long startMs, long durationMicros, byte[] attributes) {}
    record TraceSummary(String traceId, int spans, long totalMicros) {}
    record RequestContext(String bookingId, String riderId, long receivedAt) {}
    record BookingRequest(int seq, String riderId, long at) {}

    static final ThreadLocal<List<TraceSpan>> SPANS = ThreadLocal.withInitial(ArrayList::new);
    static final ThreadLocal<RequestContext> CONTEXT = new ThreadLocal<>();
    static final Map<String, Rank> RANKS_BY_CODE = new HashMap<>();

    static final class QuoteCache extends LinkedHashMap<String, FareQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final class DispatchService {
        final Map<String, Driver> drivers = new HashMap<>();
        final String[] licences = new String[DRIVERS];
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> routeBuffers = new ArrayDeque<>();
        final Trip[] trips = new Trip[RING];
        final TraceSummary[] exported = new TraceSummary[TRACE_RING];
        final AtomicLong tripCount = new AtomicLong(), spansRecorded = new AtomicLong(), exportedCount = new AtomicLong();

        void handle(BookingRequest req) {
            Random r = new Random(108_040_100L + req.seq());
            String bookingId = "BK" + (90_000_000 + req.seq());
            CONTEXT.set(new RequestContext(bookingId, req.riderId(), req.at()));
            List<TraceSpan> spans = SPANS.get();
            int mark = spans.size();
            try {
                long t = req.at();
                int steps = 3 + r.nextInt(4);
                for (int s = 0; s < steps; s++) {
                    long micros = 200 + r.nextInt(40_000);
                    spans.add(new TraceSpan(bookingId, STEPS[s], t, micros, new byte[16 + r.nextInt(32)]));
                    t += micros / 1_000;
                }
                spansRecorded.addAndGet(steps);
                String licence = licences[r.nextInt(DRIVERS)];
                byte[] buf;
                synchronized (routeBuffers) { buf = routeBuffers.poll(); }
                buf[req.seq() % buf.length] = (byte) steps;
                synchronized (routeBuffers) { routeBuffers.add(buf); }
                String key = "fare-" + r.nextInt(5_000);
                synchronized (quotes) { if (quotes.get(key) == null) quotes.put(key, new FareQuote(key, new byte[300 + r.nextInt(300)], t)); }
                long n = tripCount.getAndIncrement();
                synchronized (trips) { trips[(int) (n % RING)] = new Trip(bookingId, licence, t + 4 * MINUTE); }
                long total = 0;
                for (int k = mark; k < spans.size(); k++) total += spans.get(k).durationMicros();
                long e = exportedCount.getAndIncrement();
                synchronized (exported) { exported[(int) (e % TRACE_RING)] = new TraceSummary(bookingId, spans.size() - mark, total); }
            } finally {
                CONTEXT.remove(); // BUG: the span list (SPANS) is never cleared
                if (FIXED) SPANS.remove();
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static ExecutorService POOL_THREADS;

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(108_040_001);
        String[] rankCodes = new String[RANKS];
        for (int k = 0; k < RANKS; k++) {
            double[] demand = new double[48];
            for (int j = 0; j < demand.length; j++) demand[j] = rnd.nextDouble() * 30;
            rankCodes[k] = "RANK-" + (400 + k);
            RANKS_BY_CODE.put(rankCodes[k], new Rank(rankCodes[k], "Street " + (k % 350), demand));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int d = 0; d < DRIVERS; d++) {
            svc.licences[d] = "HCL" + (600_000 + d * 7);
            svc.drivers.put(svc.licences[d], new Driver(svc.licences[d], rankCodes[rnd.nextInt(RANKS)], "TX" + (10_000 + rnd.nextInt(80_000)), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.routeBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        POOL_THREADS = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "dispatch-worker-" + threadNo.incrementAndGet()));
        List<Future<?>> done = new ArrayList<>();
        Random traffic = new Random(108_040_002);
        for (int i = 0; i < REQUESTS; i++) {
            BookingRequest req = new BookingRequest(i, "R" + (3_000_000 + traffic.nextInt(90_000)), start + (end - MINUTE - start) * i / REQUESTS);
            done.add(POOL_THREADS.submit(() -> svc.handle(req)));
        }
        for (Future<?> f : done) f.get();
    }

    /** One probe task per worker (the barrier keeps each on its own thread): sizes of the span lists. */
    static long[] spanListSizes() throws Exception {
        long[] sizes = new long[WORKERS];
        AtomicInteger slot = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        List<Future<?>> probes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) probes.add(POOL_THREADS.submit(() -> {
            sizes[slot.getAndIncrement()] = SPANS.get().size();
            if (FIXED) SPANS.remove();
            barrier.await();
            return null;
        }));
        for (Future<?> f : probes) f.get();
        return sizes;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val108.fixed");
        simulate();
        long[] sizes = spanListSizes();
        DispatchService svc = SERVICE;
        long sum = 0;
        for (long s : sizes) sum += s;
        System.out.println((FIXED ? "FIXED " : "") + "ranks " + RANKS_BY_CODE.size() + " drivers " + svc.drivers.size() + " trips " + svc.tripCount.get() + " spans recorded " + svc.spansRecorded.get() + " span lists " + java.util.Arrays.toString(sizes)
                + " (sum " + sum + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.routeBuffers.size() + " exported " + svc.exportedCount.get());
        check(RANKS_BY_CODE.size() == RANKS && svc.drivers.size() == DRIVERS, "reference data / directory");
        check(svc.tripCount.get() == REQUESTS && svc.exportedCount.get() == REQUESTS, "traffic");
        check(sum == (FIXED ? 0 : svc.spansRecorded.get()), "span lists: " + sum);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.routeBuffers.size() == POOL, "pool");
        check(svc.trips[RING - 1] != null && svc.exported[TRACE_RING - 1] != null, "rings");
        sizes = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
