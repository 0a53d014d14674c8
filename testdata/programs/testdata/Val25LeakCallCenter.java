// hprofscan-dump: name=val25-leak-callcenter-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val25-leak-callcenter-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val25-leak-callcenter jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val25-leak-callcenter-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 25 (written blind), LEAK: the statistics service of a contact center. Queue
 * reference data, the agent directory, a caller-history cache at its cap, a pool of recording
 * buffers, a ring of call records, and a per-minute rollup of call counters and wait-time
 * histograms. The bug: the rollup is keyed by the minute's start in epoch millis, but the cleanup
 * that should drop buckets older than an hour computes its cutoff in minutes since the epoch, so
 * no key is ever below it and one bucket per minute since start is kept. Series: stage 1
 * simulates 4 h, stage 2 8 h, stage 3 16 h. See testdata/VALIDATION25.md.
 */
public final class Val25LeakCallCenter {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int QUEUES = 600, AGENTS = 30_000, CALLER_CAP = 3_000, POOL = 12, RING = 16_384;
    static boolean FIXED;

    record CallQueue(String code, String skill, double[] staffingCurve) {}
    record Agent(String id, String name, String team, byte[] profile, long hiredAt) {}
    record CallerHistory(String msisdn, long[] lastCalls) {}
    record CallRecord(String callId, String queue, String agentId, int waitSeconds, int talkSeconds, long at) {}
    static final class Bucket { final long minuteStart; long calls, abandoned; final long[] waitHistogram = new long[1_024]; final int[] perQueue = new int[QUEUES / 2];
        Bucket(long minuteStart) { this.minuteStart = minuteStart; } }

    static final class Rollup {
        final TreeMap<Long, Bucket> byMinute = new TreeMap<>();
        long lastCleanupMinute;
        void record(long at, int queue, int waitSeconds, boolean abandoned) {
            long key = at - at % MINUTE; // minute start, epoch millis
            Bucket b = byMinute.computeIfAbsent(key, Bucket::new);
            b.calls++;
            if (abandoned) b.abandoned++;
            b.waitHistogram[Math.min(waitSeconds, 1_023)]++;
            b.perQueue[queue % b.perQueue.length]++;
            long minute = at / MINUTE;
            if (minute != lastCleanupMinute) { lastCleanupMinute = minute; dropOlderThanAnHour(at); }
        }
        void dropOlderThanAnHour(long now) {
            long cutoff = FIXED ? now - now % MINUTE - 59 * MINUTE : now / MINUTE - 59; // BUG: minutes, keys are millis
            byMinute.headMap(cutoff, false).clear();
        }
    }

    static final class CallerCache extends LinkedHashMap<String, CallerHistory> {
        long evicted;
        CallerCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CallerHistory> e) { if (size() > CALLER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CallQueue> QUEUES_BY_CODE = new HashMap<>();

    static final class StatsService {
        final Map<String, Agent> agents = new HashMap<>();
        final Rollup rollup = new Rollup();
        final CallerCache callers = new CallerCache();
        final ArrayDeque<byte[]> recordingBuffers = new ArrayDeque<>();
        final CallRecord[] calls = new CallRecord[RING];
        long callCount;
    }

    static StatsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val25.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 4 : stage == 2 ? 8 : 16;
        int callsTotal = hours * 5_000;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE; // the simulated period ends at the start of the current minute
        long start = end - hours * HOUR;
        Random rnd = new Random(25_010_001);
        String[] skills = {"billing", "roaming", "fibre", "mobile-upgrade", "fraud", "business", "retention"};
        for (int q = 0; q < QUEUES; q++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 40;
            String code = "Q-" + (3_000 + q);
            QUEUES_BY_CODE.put(code, new CallQueue(code, skills[q % skills.length], curve));
        }
        StatsService svc = new StatsService();
        SERVICE = svc;
        for (int a = 0; a < AGENTS; a++) {
            String id = "AG-" + (500_000 + a);
            svc.agents.put(id, new Agent(id, "Agent " + a, "T" + (a % 120), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.recordingBuffers.add(new byte[32_768]);
        Random traffic = new Random(25_010_002);
        for (int c = 0; c < callsTotal; c++) {
            long t = start + (end - start) * c / callsTotal;
            int queue = traffic.nextInt(QUEUES);
            int wait = traffic.nextInt(600);
            boolean abandoned = traffic.nextInt(100) < 7;
            svc.rollup.record(t, queue, wait, abandoned);
            String msisdn = "+4479" + (10_000_000 + traffic.nextInt(60_000));
            CallerHistory h = svc.callers.get(msisdn);
            if (h == null) svc.callers.put(msisdn, h = new CallerHistory(msisdn, new long[32]));
            h.lastCalls[c % 32] = t;
            byte[] buf = svc.recordingBuffers.poll();
            buf[c % buf.length] = (byte) c;
            svc.recordingBuffers.add(buf);
            svc.calls[(int) (svc.callCount++ % RING)] = new CallRecord("CALL-" + (90_000_000 + c), "Q-" + (3_000 + queue), "AG-" + (500_000 + traffic.nextInt(AGENTS)), wait, 30 + traffic.nextInt(900), t);
        }
        long bucketed = 0;
        for (Bucket b : svc.rollup.byMinute.values()) bucketed += b.calls;
        int buckets = svc.rollup.byMinute.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " queues " + QUEUES_BY_CODE.size() + " agents " + svc.agents.size() + " calls " + svc.callCount
                + " rollup buckets " + buckets + " (calls in them " + bucketed + ") callers " + svc.callers.size() + " (evicted " + svc.callers.evicted + ") pool " + svc.recordingBuffers.size());
        check(QUEUES_BY_CODE.size() == QUEUES && svc.agents.size() == AGENTS, "reference data / directory");
        check(buckets == (FIXED ? 60 : hours * 60), "rollup buckets " + buckets);
        check(FIXED || bucketed == callsTotal, "calls in buckets " + bucketed);
        check(svc.rollup.byMinute.firstKey() >= start && svc.rollup.byMinute.lastKey() == end - MINUTE, "bucket keys");
        check(svc.callers.size() == CALLER_CAP && svc.callers.evicted > 0, "caller cache at its cap");
        check(svc.recordingBuffers.size() == POOL, "recording pool");
        check(svc.callCount == callsTotal && svc.calls[RING - 1] != null, "call ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
