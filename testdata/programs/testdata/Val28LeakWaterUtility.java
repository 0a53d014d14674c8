// hprofscan-dump: name=val28-leak-waterutility-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val28-leak-waterutility-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val28-leak-waterutility jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-leak-waterutility-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), LEAK: the smart-meter stream consumer of a water utility.
 * District reference data, the meter directory, a cache of rendered leak alerts at its cap, a pool
 * of decode buffers, a ring of recent readings, and per-partition consumer state (committed offset,
 * a one-hour aggregation window, a dedup ring of reading ids) keyed by topic + partition +
 * assignment generation. The bug: onPartitionsAssigned creates state for the new assignment, but
 * onPartitionsRevoked only commits offsets and never closes/removes the revoked partitions' state,
 * so the map gains one assignment's worth of state at every rebalance (every 10 minutes).
 * See VALIDATION28.md.
 */
public final class Val28LeakWaterUtility {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DISTRICTS = 800, METERS = 30_000, ALERT_CAP = 1_500, POOL = 8, RING = 8_192;
    static final int READINGS_PARTITIONS = 32, VALVE_PARTITIONS = 16, OWN_READINGS = 8, OWN_VALVE = 4, WINDOW_SLOTS = 360, DEDUP = 1_024;
    static final long REBALANCE_EVERY = 10 * MINUTE;
    static boolean FIXED;

    record District(String code, String name, double[] demandCurve) {}
    record Meter(String serial, String districtCode, String address, byte[] installRecord, long installedAt) {}
    record Alert(String key, byte[] rendered, long at) {}
    record Reading(String serial, long id, double litres, long at) {}
    record AssignmentKey(String topic, int partition, int generation) {}

    static final class PartitionState {
        final AssignmentKey key; final long openedAt;
        long committedOffset; long position;
        final double[] window = new double[WINDOW_SLOTS]; // 10-second slots over one hour
        final long[] dedupRing = new long[DEDUP];
        int dedupPos; boolean closed;
        PartitionState(AssignmentKey key, long openedAt) { this.key = key; this.openedAt = openedAt; }
        boolean seen(long id) { for (long v : dedupRing) if (v == id) return true; return false; }
        void apply(Reading r) { if (seen(r.id())) return; dedupRing[dedupPos++ % DEDUP] = r.id(); window[(int) (r.at() / 10_000 % WINDOW_SLOTS)] += r.litres(); position++; }
        void close() { closed = true; }
    }

    static final class AlertCache extends LinkedHashMap<String, Alert> {
        long evicted;
        AlertCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Alert> e) { if (size() > ALERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class MeterConsumer {
        final Map<String, Meter> meters = new HashMap<>();
        final AlertCache alerts = new AlertCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] recent = new Reading[RING];
        final Map<AssignmentKey, PartitionState> partitionStates = new HashMap<>();
        List<PartitionState> assigned = new ArrayList<>();
        int generation; long readingCount; long revoked;

        void onPartitionsRevoked() {
            for (PartitionState s : assigned) {
                s.committedOffset = s.position; // commit
                revoked++;
                if (FIXED) { s.close(); partitionStates.remove(s.key); }
                // BUG: the revoked partition's state is neither closed nor removed
            }
            assigned = new ArrayList<>();
        }

        void onPartitionsAssigned(Random r, long at) {
            generation++;
            for (String topic : new String[] {"meter-readings", "valve-events"}) {
                int total = topic.equals("meter-readings") ? READINGS_PARTITIONS : VALVE_PARTITIONS;
                int own = topic.equals("meter-readings") ? OWN_READINGS : OWN_VALVE;
                List<Integer> all = new ArrayList<>();
                for (int p = 0; p < total; p++) all.add(p);
                for (int k = 0; k < own; k++) {
                    int p = all.remove(r.nextInt(all.size()));
                    AssignmentKey key = new AssignmentKey(topic, p, generation);
                    PartitionState s = new PartitionState(key, at);
                    partitionStates.put(key, s);
                    assigned.add(s);
                }
            }
        }
    }

    static MeterConsumer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val28.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int readings = 10_000 * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(28_020_001);
        String[] districtCodes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 400;
            String code = "DST-" + (1_000 + d);
            districtCodes[d] = code;
            DISTRICTS_BY_CODE.put(code, new District(code, "District " + d, curve));
        }
        MeterConsumer svc = new MeterConsumer();
        SERVICE = svc;
        String[] serials = new String[METERS];
        for (int m = 0; m < METERS; m++) {
            String serial = "WM" + (40_000_000 + m);
            serials[m] = serial;
            svc.meters.put(serial, new Meter(serial, districtCodes[rnd.nextInt(DISTRICTS)], (m % 400) + " Reservoir Road", new byte[100 + rnd.nextInt(100)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random groups = new Random(28_020_003);
        Random traffic = new Random(28_020_002);
        svc.onPartitionsAssigned(groups, start);
        long nextRebalance = start + REBALANCE_EVERY;
        int rebalances = 0;
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (nextRebalance <= t) { svc.onPartitionsRevoked(); svc.onPartitionsAssigned(groups, nextRebalance); nextRebalance += REBALANCE_EVERY; rebalances++; }
            int m = traffic.nextInt(METERS);
            Reading r = new Reading(serials[m], 1_000_000_000L + i, traffic.nextDouble() * 50, t);
            svc.assigned.get(traffic.nextInt(svc.assigned.size())).apply(r);
            if (traffic.nextInt(10) == 0) {
                String key = "alert-" + traffic.nextInt(4_000);
                if (svc.alerts.get(key) == null) svc.alerts.put(key, new Alert(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
            svc.recent[(int) (svc.readingCount++ % RING)] = r;
        }
        int perGeneration = OWN_READINGS + OWN_VALVE;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " districts " + DISTRICTS_BY_CODE.size() + " meters " + svc.meters.size() + " rebalances " + rebalances + " generation " + svc.generation
                + " partition states " + svc.partitionStates.size() + " (assigned " + svc.assigned.size() + ", revoked " + svc.revoked + ") alerts " + svc.alerts.size() + " (evicted " + svc.alerts.evicted + ") pool " + svc.decodeBuffers.size() + " readings " + svc.readingCount);
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.meters.size() == METERS, "reference data / directory");
        check(rebalances == hours * 6 - 1 && svc.generation == rebalances + 1 && svc.assigned.size() == perGeneration, "rebalances: " + rebalances);
        if (FIXED) check(svc.partitionStates.size() == perGeneration, "only owned partitions' state");
        else check(svc.partitionStates.size() == svc.generation * perGeneration && svc.revoked == (long) rebalances * perGeneration, "revoked state kept: " + svc.partitionStates.size());
        check(svc.alerts.size() == ALERT_CAP && svc.alerts.evicted > 0, "alert cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.readingCount == readings && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
