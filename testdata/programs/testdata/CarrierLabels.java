// hprofscan-dump: name=carrier-labels jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=carrier-labels-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=carrier-labels-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=carrier-labels-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * The label service of a parcel shipping platform: 40 carriers (reference data with their rate
 * tables), 15,000 shipments (a directory), 60 labels a minute posted to the carriers' APIs over
 * 8 simulated hours. A failed post becomes a {@code LabelRetry} in {@code Retrier.retries} (a
 * {@code DelayQueue} ordered by the next attempt) with its label bytes. Beside it: an LRU of
 * 1,500 rendered labels at its cap, a ring of the last 4,096 label events, and a health prober
 * ({@code Prober.probes}, a {@code PriorityQueue} of 400 endpoint probes created at startup, each
 * with its attempts since the last success and its next probe within the minute).
 * <ul>
 * <li>{@code healthy}: three carriers are down from hour 3 to the dump; a retry backs off
 * exponentially (1, 2, 4 ... minutes, at most 2 hours) and gives up after 12 attempts or 24 hours:
 * five hours of those carriers' labels wait, counting 5 to 9 attempts, due over the next 2 hours.
 * <li>{@code leak}: six carriers' endpoints never answer from the start; the timeout path re-queues
 * a retry a minute later without counting the attempt, so the give-up rule never sees them: every
 * label to those carriers since the start waits, counting 0 attempts, due within the minute.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class CarrierLabels {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int CARRIERS = 40, SHIPMENTS = 15_000, PER_MINUTE = 60, MINUTES = 480, LRU_CAP = 1_500, RING = 4_096, PROBES = 400;
    static final int OK = 0, TIMEOUT = 1, UNAVAILABLE = 2;

    /** The simulated clock, read by the retries' delays. */
    static long clock;

    record Carrier(String code, String name, String endpoint, double[] rates, boolean downFromStart, boolean downFromHour3) {}

    record Shipment(String id, String carrier, String postcode, int grams, long createdAt) {}

    record LabelEvent(String shipmentId, String carrier, int status, long at) {}

    /** A label post that failed and waits for its next attempt. */
    static final class LabelRetry implements Delayed {
        final long seq;
        final String shipmentId;
        final int carrier;
        final byte[] label;
        final long firstFailedAt;
        long nextAttemptAt;
        int attempts;
        String lastError;

        LabelRetry(long seq, String shipmentId, int carrier, byte[] label, long firstFailedAt) {
            this.seq = seq;
            this.shipmentId = shipmentId;
            this.carrier = carrier;
            this.label = label;
            this.firstFailedAt = firstFailedAt;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(nextAttemptAt - clock, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            LabelRetry r = (LabelRetry) o;
            int c = Long.compare(nextAttemptAt, r.nextAttemptAt);
            return c != 0 ? c : Long.compare(seq, r.seq);
        }
    }

    /** A carrier endpoint's health probe, due every minute. */
    static final class Probe {
        final String endpoint;
        final long createdAt;
        long nextProbeAt;
        int attempts;
        final byte[] lastResponse;

        Probe(String endpoint, long createdAt, byte[] lastResponse) {
            this.endpoint = endpoint;
            this.createdAt = createdAt;
            this.lastResponse = lastResponse;
        }
    }

    static final class Retrier {
        final boolean countTimeouts;
        final DelayQueue<LabelRetry> retries = new DelayQueue<>();
        long queued, retried, delivered, givenUp;

        Retrier(boolean countTimeouts) {
            this.countTimeouts = countTimeouts;
        }

        static long backoff(int attempts) {
            return Math.min(2 * HOUR, MINUTE << Math.min(attempts, 10));
        }

        void failed(LabelRetry r, int status, long t) {
            r.lastError = status == TIMEOUT ? "timeout after 20 s: POST " + CARRIER_LIST.get(r.carrier).endpoint() : "503 Service Unavailable";
            if (status == TIMEOUT && !countTimeouts) {
                r.nextAttemptAt = t + MINUTE; // BUG: the attempt is not counted, the give-up rule is skipped
                retries.add(r);
                return;
            }
            r.attempts++;
            if (r.attempts >= 12 || t - r.firstFailedAt >= 24 * HOUR) {
                givenUp++;
                return;
            }
            r.nextAttemptAt = t + backoff(r.attempts);
            retries.add(r);
        }

        void runDue(long t) {
            LabelRetry r;
            while ((r = retries.poll()) != null) {
                retried++;
                int status = post(r.carrier, t);
                if (status == OK) delivered++;
                else failed(r, status, t);
            }
        }
    }

    static final class Prober {
        final PriorityQueue<Probe> probes = new PriorityQueue<>((a, b) -> Long.compare(a.nextProbeAt, b.nextProbeAt));
        long runs;

        void runDue(long t) {
            while (!probes.isEmpty() && probes.peek().nextProbeAt <= t) {
                Probe p = probes.poll();
                runs++;
                p.attempts = runs % 7 == 0 ? p.attempts + 1 : 0;
                p.nextProbeAt = t + MINUTE;
                probes.add(p);
            }
        }
    }

    static final List<Carrier> CARRIER_LIST = new ArrayList<>();
    static final Map<String, Shipment> SHIPMENTS_BY_ID = new HashMap<>();
    static final Map<String, byte[]> RENDERED = new LinkedHashMap<>(2_048, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > LRU_CAP;
        }
    };
    static final LabelEvent[] RECENT = new LabelEvent[RING];
    static Retrier retrier;
    static Prober prober;
    static long events, posts;
    static Random outcomes;
    static boolean leakMode;

    static int post(int carrier, long t) {
        posts++;
        Carrier c = CARRIER_LIST.get(carrier);
        int roll = outcomes.nextInt(100);
        if (leakMode && c.downFromStart()) return TIMEOUT;
        if (!leakMode && c.downFromHour3() && t >= clockStart + 3 * HOUR) return TIMEOUT;
        if (roll < 2) return UNAVAILABLE;
        return OK;
    }

    static long clockStart;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        simulate(leak, System.currentTimeMillis());
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long now) {
        Random r = new Random(20261207L);
        outcomes = new Random(7_207L);
        leakMode = leak;
        clockStart = now - MINUTES * MINUTE;
        for (int i = 0; i < CARRIERS; i++) {
            double[] rates = new double[120];
            for (int k = 0; k < rates.length; k++) rates[k] = 2 + r.nextDouble() * 30;
            String code = "CR" + (100 + i * 3);
            CARRIER_LIST.add(new Carrier(code, "Carrier " + code, "https://api." + code.toLowerCase() + ".example.net/v3/labels", rates, i % 7 == 3, i % 13 == 5));
        }
        String[] ids = new String[SHIPMENTS];
        for (int i = 0; i < SHIPMENTS; i++) {
            ids[i] = "SH" + (5_000_000 + i * 11);
            String carrier = CARRIER_LIST.get(r.nextInt(CARRIERS)).code();
            SHIPMENTS_BY_ID.put(ids[i], new Shipment(ids[i], carrier, "PC" + (1000 + r.nextInt(8999)), 100 + r.nextInt(20_000), now - (1 + r.nextInt(20)) * 24 * HOUR));
        }
        retrier = new Retrier(!leak);
        prober = new Prober();
        for (int i = 0; i < PROBES; i++) {
            Probe p = new Probe(CARRIER_LIST.get(i % CARRIERS).endpoint() + "/health?shard=" + i, clockStart, new byte[4_000 + r.nextInt(2_000)]);
            p.nextProbeAt = clockStart + r.nextInt(60) * 1_000L;
            prober.probes.add(p);
        }
        for (int m = 0; m < MINUTES; m++) {
            clock = clockStart + m * MINUTE;
            for (int k = 0; k < PER_MINUTE; k++) label(r, clock + k * 1_000L);
            retrier.runDue(clock);
            prober.runDue(clock);
        }
        clock = now;
    }

    static void label(Random r, long t) {
        String id = "SH" + (5_000_000 + r.nextInt(SHIPMENTS) * 11);
        int carrier = r.nextInt(CARRIERS);
        byte[] label = new byte[1_000 + r.nextInt(1_000)];
        RENDERED.put(id + "/" + events, new byte[300 + r.nextInt(300)]);
        int status = post(carrier, t);
        RECENT[(int) (events++ % RING)] = new LabelEvent(id, CARRIER_LIST.get(carrier).code(), status, t);
        if (status == OK) return;
        retrier.queued++;
        retrier.failed(new LabelRetry(retrier.queued, id, carrier, label, t), status, t);
    }

    static void report(boolean leak) {
        int zero = 0, old = 0;
        for (LabelRetry x : retrier.retries) {
            if (x.attempts == 0) zero++;
            if (clock - x.firstFailedAt >= HOUR) old++;
        }
        System.out.printf("labels %d, posts %d, queued %d, retried %d, delivered %d, given up %d%n", events, posts, retrier.queued, retrier.retried, retrier.delivered, retrier.givenUp);
        System.out.printf("retries %d (attempts 0: %d, older than an hour: %d), probes %d, rendered %d%n", retrier.retries.size(), zero, old, prober.probes.size(), RENDERED.size());
        int expected = leak ? 4_336 : 1_301;
        if (retrier.retries.size() != expected) throw new IllegalStateException("retries " + retrier.retries.size());
    }
}
