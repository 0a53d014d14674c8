// hprofscan-dump: name=meter-retention jvm="-Xmx200m" variants=mxbean args="healthy 24"
// hprofscan-dump: name=meter-retention-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy 24"
// hprofscan-dump: name=meter-retention-leak jvm="-Xmx200m" variants=mxbean args="leak 1"
// hprofscan-dump: name=meter-retention-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak 1"
package testdata;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The telemetry service of a water utility: 1,500 smart meters (reference data), each with
 * its recent readings (a deque, the oldest first) kept for {@code ReadingStore.retention}, a
 * {@code java.time.Duration}, and trimmed on every reading; 120 readings a minute over 8
 * simulated hours. Beside it: an LRU of 1,200 rendered usage charts at its cap, a ring of the
 * last 4,096 readings, per-meter counters.
 * <ul>
 * <li>{@code healthy 24}: a 24-hour retention (a daily usage profile): after 8 hours nothing is
 * old enough to trim, every reading is still within it; the retention field says so.
 * <li>{@code leak 1}: a 1-hour retention, but the trim compares reading times in milliseconds
 * with a cutoff computed from {@code retention.toSeconds()}: nothing is ever trimmed.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class MeterRetention {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int METERS = 1_500, PER_MINUTE = 120, MINUTES = 480, CHART_CAP = 1_200, RING = 4_096;

    record Meter(String serial, String district, String tariff, long installedAt, double[] calibration) {}

    record Reading(String serial, long at, int litres, short flowRate, byte quality) {}

    /** Every meter's readings within the retention. */
    static final class ReadingStore {
        final Duration retention;
        final boolean secondsCutoff;
        final Map<String, ArrayDeque<Reading>> recent = new HashMap<>();
        final Map<String, long[]> counters = new HashMap<>();
        long trimmed;

        ReadingStore(Duration retention, boolean secondsCutoff) {
            this.retention = retention;
            this.secondsCutoff = secondsCutoff;
        }

        void add(Reading x) {
            ArrayDeque<Reading> d = recent.computeIfAbsent(x.serial(), k -> new ArrayDeque<>());
            // BUG (leak): a cutoff in seconds against times in milliseconds
            long cutoff = secondsCutoff ? x.at() / 1000 - retention.toSeconds() : x.at() - retention.toMillis();
            while (!d.isEmpty() && d.peekFirst().at() < cutoff) {
                d.removeFirst();
                trimmed++;
            }
            d.addLast(x);
            counters.computeIfAbsent(x.serial(), k -> new long[2])[0] += x.litres();
        }
    }

    static final Map<String, Meter> METERS_BY_SERIAL = new HashMap<>();
    static final Map<String, byte[]> CHARTS = new LinkedHashMap<>(CHART_CAP, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > CHART_CAP;
        }
    };
    static final Reading[] RING_OF_READINGS = new Reading[RING];
    static ReadingStore store;
    static long readings;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long hours = Long.parseLong(args[3]);
        simulate(leak, Duration.ofHours(hours), System.currentTimeMillis());
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, Duration retention, long now) {
        Random r = new Random(20261207L);
        String[] serials = new String[METERS];
        String[] districts = {"north", "harbour", "old-town", "riverside", "hill", "east"};
        for (int i = 0; i < METERS; i++) {
            serials[i] = "WM" + (400_000 + i * 13);
            double[] cal = new double[16];
            for (int k = 0; k < cal.length; k++) cal[k] = 0.98 + r.nextDouble() * 0.04;
            METERS_BY_SERIAL.put(serials[i], new Meter(serials[i], districts[r.nextInt(districts.length)], r.nextBoolean() ? "domestic" : "business", now - (100L + r.nextInt(2_000)) * 24 * HOUR, cal));
        }
        store = new ReadingStore(retention, leak);
        long start = now - MINUTES * MINUTE;
        for (int m = 0; m < MINUTES; m++) {
            for (int k = 0; k < PER_MINUTE; k++) {
                int i = (int) Math.min(METERS - 1, Math.abs(r.nextGaussian()) * METERS / 3);
                long t = start + m * MINUTE + k * MINUTE / PER_MINUTE;
                Reading x = new Reading(serials[i], t, r.nextInt(400), (short) r.nextInt(2_000), (byte) r.nextInt(4));
                store.add(x);
                RING_OF_READINGS[(int) (readings++ % RING)] = x;
                CHARTS.computeIfAbsent("chart-" + serials[i] + "-" + r.nextInt(2), key -> new byte[200 + (key.hashCode() & 255)]);
            }
        }
    }

    static void report(boolean leak) {
        long held = 0;
        for (ArrayDeque<Reading> d : store.recent.values()) held += d.size();
        System.out.println((leak ? "leak" : "healthy") + " readings " + readings + " held " + held + " trimmed " + store.trimmed
                + " meters " + store.recent.size() + " charts " + CHARTS.size());
        check(readings == (long) PER_MINUTE * MINUTES, "readings");
        check(held == readings && store.trimmed == 0, "nothing trimmed in 8 hours: a 24 h retention still filling, or the broken trim");
        check(store.recent.size() == 1_467, "meters with readings");
        check(CHARTS.size() == CHART_CAP, "charts");
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("count mismatch: " + what);
    }
}
