// hprofscan-dump: name=val27-leak-fitnesstrackers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-leak-fitnesstrackers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 27 (written blind), LEAK: the sync backend of a fitness-tracker maker.
 * Activity reference data, the member directory, a leaderboard cache at its cap, a pool of
 * compression buffers, a ring of sync events, and a write-behind buffer of step samples that is
 * flushed to the time-series store in batches of 500. The bug: the flush condition is
 * pending.size() == FLUSH_AT, but device syncs add 3-30 samples at a time with addAll, so the size
 * jumps past 500 and never equals it again: the buffer is never flushed and keeps every sample
 * since. See VALIDATION27.md.
 */
public final class Val27LeakFitnessTrackers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ACTIVITIES = 1_200, MEMBERS = 30_000, BOARD_CAP = 2_000, POOL = 8, RING = 4_096, SYNCS = 4_200, FLUSH_AT = 500, HOURS = 10;
    static boolean FIXED;

    record ActivityType(String code, String name, double[] metCurve) {}
    record Member(String id, String name, String plan, byte[] goals, long since) {}
    record Leaderboard(String key, byte[] rendered, long at) {}
    record SyncEvent(String memberId, long deviceId, int samples, long at) {}

    static final class StepSample {
        final long deviceId; final long at; final int steps; final short heartRate; final float kcal; final byte[] motion;
        StepSample(long deviceId, long at, int steps, short heartRate, float kcal, byte[] motion) { this.deviceId = deviceId; this.at = at; this.steps = steps; this.heartRate = heartRate; this.kcal = kcal; this.motion = motion; }
    }

    static final class SampleWriter {
        final List<StepSample> pending = new ArrayList<>();
        long written, flushes, received;
        void addBatch(List<StepSample> batch) {
            received += batch.size();
            pending.addAll(batch);
            if (FIXED ? pending.size() >= FLUSH_AT : pending.size() == FLUSH_AT) flush(); // BUG: == is skipped over
        }
        void flush() { written += pending.size(); flushes++; pending.clear(); }
    }

    static final class BoardCache extends LinkedHashMap<String, Leaderboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Leaderboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ActivityType> ACTIVITIES_BY_CODE = new HashMap<>();

    static final class SyncService {
        final Map<String, Member> members = new HashMap<>();
        final BoardCache leaderboards = new BoardCache();
        final ArrayDeque<byte[]> compressionBuffers = new ArrayDeque<>();
        final SyncEvent[] syncs = new SyncEvent[RING];
        final SampleWriter writer = new SampleWriter();
        long syncCount;
    }

    static SyncService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val27.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(27_040_001);
        for (int a = 0; a < ACTIVITIES; a++) {
            double[] curve = new double[120];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 12;
            String code = "ACT-" + (100 + a);
            ACTIVITIES_BY_CODE.put(code, new ActivityType(code, "Activity " + a, curve));
        }
        SyncService svc = new SyncService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String id = "M" + (5_000_000 + m);
            memberIds[m] = id;
            svc.members.put(id, new Member(id, "Member " + m, m % 5 == 0 ? "premium" : "basic", new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.compressionBuffers.add(new byte[65_536]);
        Random traffic = new Random(27_040_002);
        for (int i = 0; i < SYNCS; i++) {
            long t = start + (end - start) * i / SYNCS;
            int m = traffic.nextInt(MEMBERS);
            long deviceId = 90_000_000L + m;
            int n = 3 + traffic.nextInt(28);
            List<StepSample> batch = new ArrayList<>(n);
            for (int s = 0; s < n; s++) batch.add(new StepSample(deviceId, t - (n - s) * MINUTE, traffic.nextInt(200), (short) (60 + traffic.nextInt(100)), traffic.nextFloat() * 10, new byte[24 + traffic.nextInt(24)]));
            svc.writer.addBatch(batch);
            String key = "board-" + traffic.nextInt(5_000);
            if (svc.leaderboards.get(key) == null) svc.leaderboards.put(key, new Leaderboard(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.compressionBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.compressionBuffers.add(buf);
            svc.syncs[(int) (svc.syncCount++ % RING)] = new SyncEvent(memberIds[m], deviceId, n, t);
        }
        SampleWriter w = svc.writer;
        System.out.println((FIXED ? "FIXED " : "") + "activities " + ACTIVITIES_BY_CODE.size() + " members " + svc.members.size() + " samples received " + w.received + " pending " + w.pending.size()
                + " written " + w.written + " flushes " + w.flushes + " boards " + svc.leaderboards.size() + " (evicted " + svc.leaderboards.evicted + ") pool " + svc.compressionBuffers.size() + " syncs " + svc.syncCount);
        check(ACTIVITIES_BY_CODE.size() == ACTIVITIES && svc.members.size() == MEMBERS, "reference data / directory");
        check(w.written + w.pending.size() == w.received, "sample accounting");
        if (FIXED) check(w.pending.size() < FLUSH_AT && w.flushes > 100, "flushed");
        else check(w.flushes == 0 && w.pending.size() == w.received, "never flushed: " + w.flushes);
        check(svc.leaderboards.size() == BOARD_CAP && svc.leaderboards.evicted > 0, "leaderboard cache at cap");
        check(svc.compressionBuffers.size() == POOL, "pool");
        check(svc.syncCount == SYNCS && svc.syncs[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
