// hprofscan-dump: name=val11-leak-abtesting jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val11-leak-abtesting-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 11 (written blind), LEAK: an A/B experiment assignment service after 6 simulated
 * hours. Every exposure (a user shown a variant) is sent asynchronously to the analytics collector;
 * the client keeps the request's {@code CompletableFuture} in a pending map under a correlation id
 * until the response arrives. The response handler completes the future it finds with {@code get}
 * instead of {@code remove}: only the timeout path removes. 18,000 answered exposures' completed
 * futures (with the collector's response body) stay; 64 requests are legitimately in flight at the
 * dump. Beside it: the experiment catalog (loaded at startup), the audience segments, a sticky
 * assignment cache at its capacity, an exposure ring and a fixed pool of 2 flusher threads with an
 * encode buffer each. See testdata/VALIDATION11.md.
 */
public final class Val11LeakAbTesting {
    static final int EXPERIMENTS = 3_000;
    static final int SEGMENTS = 4_000;
    static final int STICKY_CAP = 40_000;
    static final int EXPOSURE_RING = 16_384;
    static final int FLUSHERS = 2;
    static final int ANSWERED = 18_000;
    static final int TIMED_OUT = 300;
    static final int IN_FLIGHT = 64;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 6 * HOUR;

    static ExperimentService RUNNING;

    static final class Variant {
        final String name; final double weight; final String payloadJson;
        Variant(String name, double weight, String payloadJson) { this.name = name; this.weight = weight; this.payloadJson = payloadJson; }
    }

    static final class Experiment {
        final String key; final String owner; final Variant[] variants; final String[] segmentKeys; final double trafficShare; final long createdAt; final long startedAt;
        Experiment(String key, String owner, Variant[] variants, String[] segmentKeys, double trafficShare, long createdAt, long startedAt) { this.key = key; this.owner = owner; this.variants = variants; this.segmentKeys = segmentKeys; this.trafficShare = trafficShare; this.createdAt = createdAt; this.startedAt = startedAt; }
    }

    /** Reference data: every running experiment, loaded from the experiment store at startup. */
    static final class ExperimentCatalog {
        static final Map<String, Experiment> BY_KEY = new HashMap<>();
    }

    static final class Segment {
        final String key; final String rule; final long[] countryMask = new long[16]; final long updatedAt;
        Segment(String key, String rule, long updatedAt) { this.key = key; this.rule = rule; this.updatedAt = updatedAt; }
    }

    static final class Assignment {
        final String userId; final String experimentKey; final int variant; final long assignedAt;
        Assignment(String userId, String experimentKey, int variant, long assignedAt) { this.userId = userId; this.experimentKey = experimentKey; this.variant = variant; this.assignedAt = assignedAt; }
    }

    /** Hand-written bounded cache of sticky assignments: a map plus a FIFO of keys, evicting over capacity. */
    static final class StickyAssignmentCache {
        final int capacity;
        final Map<String, Assignment> map = new ConcurrentHashMap<>();
        final Queue<String> order = new ConcurrentLinkedQueue<>();
        final AtomicLong evictions = new AtomicLong();
        StickyAssignmentCache(int capacity) { this.capacity = capacity; }
        Assignment get(String key) { return map.get(key); }
        void put(String key, Assignment a) {
            if (map.put(key, a) == null) order.add(key);
            while (map.size() > capacity) { String k = order.poll(); if (k == null) break; map.remove(k); evictions.incrementAndGet(); }
        }
    }

    /** An exposure; the ring's slots are allocated once and overwritten. */
    static final class ExposureSlot {
        long at; String userId; String experimentKey; int variant; long correlationId;
    }

    static final class ExposureRing {
        final ExposureSlot[] slots = new ExposureSlot[EXPOSURE_RING];
        long written;
        ExposureRing() { for (int i = 0; i < EXPOSURE_RING; i++) slots[i] = new ExposureSlot(); }
        void append(long t, String user, String exp, int variant, long corr) {
            ExposureSlot s = slots[(int) (written++ % EXPOSURE_RING)];
            s.at = t; s.userId = user; s.experimentKey = exp; s.variant = variant; s.correlationId = corr;
        }
    }

    /** The collector's answer to one exposure request. */
    static final class ExposureAck {
        final long correlationId; final int status; final long receivedAt; final byte[] body;
        ExposureAck(long correlationId, int status, long receivedAt, byte[] body) { this.correlationId = correlationId; this.status = status; this.receivedAt = receivedAt; this.body = body; }
    }

    static final class CollectorMetrics {
        long acked; long failed; long lastAckAt;
        synchronized void record(ExposureAck ack, Throwable err) { if (err != null) failed++; else { acked++; lastAckAt = ack.receivedAt; } }
    }

    /** Asynchronous client of the analytics collector: requests wait in {@code pending} for their response. */
    static final class ExposureClient {
        /** THE LEAK: answered requests are completed but never removed. */
        final Map<Long, CompletableFuture<ExposureAck>> pending = new ConcurrentHashMap<>();
        final AtomicLong nextId = new AtomicLong(7_000_000_001L);
        final CollectorMetrics metrics = new CollectorMetrics();
        long sent; long answered; long timedOut;
        long send() {
            long id = nextId.getAndIncrement();
            CompletableFuture<ExposureAck> f = new CompletableFuture<>();
            f.whenComplete(metrics::record);
            pending.put(id, f);
            sent++;
            return id;
        }
        void onResponse(long id, int status, long t, byte[] body, boolean fixed) {
            CompletableFuture<ExposureAck> f = fixed ? pending.remove(id) : pending.get(id);
            if (f != null) { f.complete(new ExposureAck(id, status, t, body)); answered++; }
        }
        void onTimeout(long id) {
            CompletableFuture<ExposureAck> f = pending.remove(id);
            if (f != null) { f.completeExceptionally(new TimeoutException("collector did not answer")); timedOut++; }
        }
    }

    static final class ExperimentService {
        final Map<String, Segment> segments = new HashMap<>();
        final StickyAssignmentCache sticky = new StickyAssignmentCache(STICKY_CAP);
        final ExposureRing exposures = new ExposureRing();
        final ExposureClient collector = new ExposureClient();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor flushers = new ThreadPoolExecutor(FLUSHERS, FLUSHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "exposure-flusher-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread encode buffer of the flushers. */
        static final ThreadLocal<byte[]> ENCODE = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val11.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(11_020_001);
        ExperimentService svc = new ExperimentService();
        RUNNING = svc;
        for (int i = 0; i < 95; i++) svc.config.setProperty("experiments.guardrail." + i, Double.toString(0.01 * (i % 20)));
        String[] countries = {"US", "DE", "BR", "IN", "JP", "GB", "FR", "MX", "CA", "AU"};
        for (int i = 0; i < SEGMENTS; i++) {
            String key = "seg-" + Integer.toString(i * 17 + 5, 36);
            Segment s = new Segment(key, "country in (" + countries[i % 10] + ") and app_version >= 7." + (i % 30), now - DAY * rnd.nextInt(400));
            for (int k = 0; k < s.countryMask.length; k++) s.countryMask[k] = rnd.nextLong();
            svc.segments.put(key, s);
        }
        String[] teams = {"growth", "checkout", "search", "onboarding", "ads", "retention"};
        for (int i = 0; i < EXPERIMENTS; i++) {
            String key = "exp-" + teams[i % 6] + "-" + Integer.toString(i * 7 + 3, 36);
            int nv = 2 + i % 3;
            Variant[] vs = new Variant[nv];
            for (int v = 0; v < nv; v++) vs[v] = new Variant(v == 0 ? "control" : "treatment-" + v, 1.0 / nv, "{\"color\":\"#" + Integer.toHexString(rnd.nextInt(0xFFFFFF)) + "\",\"limit\":" + rnd.nextInt(100) + "}");
            String[] segs = {"seg-" + Integer.toString((i % SEGMENTS) * 17 + 5, 36), "seg-" + Integer.toString(((i * 3) % SEGMENTS) * 17 + 5, 36)};
            long created = now - DAY * (5 + rnd.nextInt(200));
            ExperimentCatalog.BY_KEY.put(key, new Experiment(key, teams[i % 6] + "@corp.example", vs, segs, 0.1 + 0.1 * (i % 9), created, created + DAY));
        }
        CyclicBarrier warm = new CyclicBarrier(FLUSHERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < FLUSHERS; w++) fs.add(svc.flushers.submit(() -> { ExperimentService.ENCODE.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] expKeys = ExperimentCatalog.BY_KEY.keySet().toArray(new String[0]);
        java.util.Arrays.sort(expKeys);
        // 6 hours of assignments: every exposure is sent to the collector; the collector answers
        // within ~200 ms, except every 61st request which times out; the last 64 are in flight.
        int total = ANSWERED + TIMED_OUT + IN_FLIGHT;
        int timedOutSoFar = 0;
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            String user = "u" + Long.toString(1_000_000L + rnd.nextInt(2_000_000), 36);
            String exp = expKeys[rnd.nextInt(EXPERIMENTS)];
            String key = user + "|" + exp;
            Assignment a = svc.sticky.get(key);
            if (a == null) { a = new Assignment(user, exp, rnd.nextInt(ExperimentCatalog.BY_KEY.get(exp).variants.length), t); svc.sticky.put(key, a); }
            // extra assignments without exposure (feature checks) fill the sticky cache
            for (int k = 0; k < 2; k++) {
                String u2 = "u" + Long.toString(1_000_000L + rnd.nextInt(2_000_000), 36);
                String k2 = u2 + "|" + expKeys[rnd.nextInt(EXPERIMENTS)];
                if (svc.sticky.get(k2) == null) svc.sticky.put(k2, new Assignment(u2, exp, 0, t));
            }
            long id = svc.collector.send();
            svc.exposures.append(t, user, exp, a.variant, id);
            if (i >= total - IN_FLIGHT) continue;
            if (i % 61 == 60 && timedOutSoFar < TIMED_OUT) { svc.collector.onTimeout(id); timedOutSoFar++; continue; }
            byte[] body = new byte[160 + rnd.nextInt(256)];
            rnd.nextBytes(body);
            svc.collector.onResponse(id, 202, t + 50 + rnd.nextInt(150), body, fixed);
        }
        int completedInMap = 0, inFlightInMap = 0;
        for (CompletableFuture<ExposureAck> f : svc.collector.pending.values()) { if (f.isDone()) completedInMap++; else inFlightInMap++; }
        int leaked = fixed ? 0 : ANSWERED;
        System.out.println("experiments " + ExperimentCatalog.BY_KEY.size() + " segments " + svc.segments.size() + " sticky " + svc.sticky.map.size() + " (evictions " + svc.sticky.evictions
                + ") exposures " + svc.exposures.written + " sent " + svc.collector.sent + " answered " + svc.collector.answered + " timed out " + svc.collector.timedOut
                + " pending " + svc.collector.pending.size() + " (completed " + completedInMap + ", in flight " + inFlightInMap + ") acked " + svc.collector.metrics.acked);
        check(ExperimentCatalog.BY_KEY.size() == EXPERIMENTS && svc.segments.size() == SEGMENTS, "reference data");
        check(svc.sticky.map.size() == STICKY_CAP && svc.sticky.evictions.get() > 0, "sticky cache");
        check(svc.collector.answered == ANSWERED && svc.collector.timedOut == TIMED_OUT && completedInMap == leaked && inFlightInMap == IN_FLIGHT
                && svc.collector.pending.size() == leaked + IN_FLIGHT && svc.collector.metrics.acked == ANSWERED, "pending");
        check(svc.exposures.written == total && svc.flushers.getPoolSize() == FLUSHERS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
