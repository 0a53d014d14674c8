// hprofscan-dump: name=val5-leak-futures-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), LEAKING: a shipping-rate aggregator that asks carriers for
 * quotes asynchronously. Each request's {@code CompletableFuture} chain (carrier call ->
 * {@code thenApply(normalise)}) is registered in {@code QuoteAggregator.inflight} by request id so
 * that a cancel can find it; the entry is removed only on the timeout path, never when the chain
 * completes normally. 12,000 completed chains (each holding its {@code NormalizedQuote} and the
 * carrier's raw response) over 8 simulated hours ending now, beside 8 chains still in flight.
 * See testdata/VALIDATION5.md.
 */
public final class Val5LeakFutures {
    static final int CARRIERS = 40;
    static final int ZONES = 5_000;
    static final int SHIPMENTS = 12_000;
    static final int COMPLETED = 12_000;
    static final int PENDING = 8;
    static final int IO_THREADS = 4;
    static final int LABEL_BUFFERS = 16;
    static final long SIM_MILLIS = 8L * 3600_000L;

    static QuoteAggregator RUNNING;

    static final class Carrier {
        final String code; final String name; final String endpoint; final int timeoutMillis;
        Carrier(String code, String name, String endpoint, int timeoutMillis) { this.code = code; this.name = name; this.endpoint = endpoint; this.timeoutMillis = timeoutMillis; }
    }

    static final class CarrierRegistry {
        static final Map<String, Carrier> CARRIERS_BY_CODE = new HashMap<>();
    }

    static final class RateTables {
        /** zone code -> 64 weight-band rates in cents, loaded at startup. */
        static final Map<String, int[]> RATES_BY_ZONE = new HashMap<>();
        static long loadedAt;
    }

    static final class CarrierQuote {
        final long requestId; final String carrier; final long requestedAt; final long respondedAt; final byte[] rawResponse;
        CarrierQuote(long requestId, String carrier, long requestedAt, long respondedAt, byte[] rawResponse) { this.requestId = requestId; this.carrier = carrier; this.requestedAt = requestedAt; this.respondedAt = respondedAt; this.rawResponse = rawResponse; }
    }

    static final class NormalizedQuote {
        final long requestId; final BigDecimal amount; final String currency; final int transitDays; final CarrierQuote source;
        NormalizedQuote(long requestId, BigDecimal amount, String currency, int transitDays, CarrierQuote source) { this.requestId = requestId; this.amount = amount; this.currency = currency; this.transitDays = transitDays; this.source = source; }
    }

    static final class Shipment {
        final long id; final String fromZone; final String toZone; final int grams; final long createdAt; BigDecimal quotedAmount;
        Shipment(long id, String fromZone, String toZone, int grams, long createdAt) { this.id = id; this.fromZone = fromZone; this.toZone = toZone; this.grams = grams; this.createdAt = createdAt; }
    }

    static final class LabelBufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        LabelBufferPool(int n) { for (int i = 0; i < n; i++) free.add(new byte[16_384]); }
        byte[] take() { return free.poll(); }
        void give(byte[] b) { free.push(b); }
    }

    static final class QuoteAggregator {
        final Map<Long, CompletableFuture<NormalizedQuote>> inflight = new ConcurrentHashMap<>();
        final Map<Long, Shipment> shipments = new HashMap<>();
        /** Carrier client: calls awaiting their HTTP response, removed when it arrives. */
        final Map<Long, CompletableFuture<CarrierQuote>> awaitingResponse = new ConcurrentHashMap<>();
        final ThreadPoolExecutor carrierIo;
        final LabelBufferPool labels = new LabelBufferPool(LABEL_BUFFERS);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        QuoteAggregator() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> { Thread t = new Thread(r, "carrier-io-" + n.incrementAndGet()); t.setDaemon(true); return t; };
            carrierIo = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), tf);
            carrierIo.prestartAllCoreThreads();
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** Starts the chain; the carrier's response completes {@code call} later. */
        CompletableFuture<CarrierQuote> request(long requestId, Shipment s) {
            CompletableFuture<CarrierQuote> call = new CompletableFuture<>();
            CompletableFuture<NormalizedQuote> chain = call.thenApply(q -> normalise(q, s));
            awaitingResponse.put(requestId, call);
            inflight.put(requestId, chain); // BUG: removed only by cancel() (timeouts), not on completion
            count("quote.requested");
            return call;
        }
        void cancel(long requestId) { CompletableFuture<NormalizedQuote> f = inflight.remove(requestId); if (f != null) f.cancel(false); }

        NormalizedQuote normalise(CarrierQuote q, Shipment s) {
            int[] rates = RateTables.RATES_BY_ZONE.get(s.toZone);
            NormalizedQuote n = new NormalizedQuote(q.requestId, BigDecimal.valueOf(rates[Math.min(63, s.grams / 500)], 2), "EUR", 1 + (int) (q.requestId % 6), q);
            s.quotedAmount = n.amount;
            count("quote.completed");
            return n;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        QuoteAggregator svc = new QuoteAggregator();
        RUNNING = svc;
        Random rnd = new Random(5_030_003);
        for (int i = 0; i < CARRIERS; i++) {
            String code = "CR" + (10 + i);
            CarrierRegistry.CARRIERS_BY_CODE.put(code, new Carrier(code, "Carrier " + i, "https://api.carrier" + i + ".example/rates", 2_000 + 100 * i));
        }
        String[] zones = new String[ZONES];
        RateTables.loadedAt = start;
        for (int i = 0; i < ZONES; i++) {
            zones[i] = "Z" + (10_000 + i);
            int[] r = new int[64];
            for (int j = 0; j < 64; j++) r[j] = 400 + j * 35 + rnd.nextInt(200);
            RateTables.RATES_BY_ZONE.put(zones[i], r);
        }
        // The io pool does the carrier calls; here it only runs a checked housekeeping batch.
        List<Future<Integer>> warm = new java.util.ArrayList<>();
        for (int i = 0; i < IO_THREADS * 4; i++) { final int k = i; warm.add(svc.carrierIo.submit(() -> k)); }
        int sum = 0; for (Future<Integer> f : warm) sum += f.get();
        check(sum == 120, "warm-up tasks");
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        int total = COMPLETED + PENDING;
        String[] carrierCodes = CarrierRegistry.CARRIERS_BY_CODE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(carrierCodes);
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            if (i >= COMPLETED) t = now - 4_000 + 400L * (i - COMPLETED);
            long id = 31_000_000L + i;
            Shipment s = new Shipment(id, zones[rnd.nextInt(ZONES)], zones[rnd.nextInt(ZONES)], 100 + rnd.nextInt(30_000), t);
            svc.shipments.put(id, s);
            CompletableFuture<CarrierQuote> call = svc.request(id, s);
            if (i < COMPLETED) {
                byte[] raw = new byte[600 + rnd.nextInt(500)];
                rnd.nextBytes(raw);
                byte[] label = svc.labels.take();
                svc.awaitingResponse.remove(id);
                call.complete(new CarrierQuote(id, carrierCodes[rnd.nextInt(CARRIERS)], t, t + 150 + rnd.nextInt(900), raw));
                svc.labels.give(label);
            }
        }
        int done = 0, pending = 0;
        for (CompletableFuture<NormalizedQuote> f : svc.inflight.values()) { if (f.isDone()) done++; else pending++; }
        System.out.println("inflight " + svc.inflight.size() + " done " + done + " pending " + pending + " shipments " + svc.shipments.size());
        check(svc.inflight.size() == total, "inflight " + svc.inflight.size());
        check(done == COMPLETED && pending == PENDING, "done/pending " + done + "/" + pending);
        check(svc.shipments.size() == SHIPMENTS + PENDING, "shipments " + svc.shipments.size());
        check(svc.awaitingResponse.size() == PENDING, "awaiting " + svc.awaitingResponse.size());
        check(svc.labels.free.size() == LABEL_BUFFERS, "label buffers");
        check(RateTables.RATES_BY_ZONE.size() == ZONES && CarrierRegistry.CARRIERS_BY_CODE.size() == CARRIERS, "reference data");
        check(svc.carrierIo.getPoolSize() == IO_THREADS && svc.carrierIo.getQueue().isEmpty(), "io pool");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
