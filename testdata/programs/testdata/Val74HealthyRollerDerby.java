// hprofscan-dump: name=val74-healthy-rollerderby jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val74-healthy-rollerderby-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 74 (written blind), HEALTHY: the bout-day service of a roller-derby league.
 * Arena reference data, the skater directory, a cache of rendered bout programmes at its cap, a ring
 * of jam records, a pool of scoreboard-video buffers, a history of highlight-reel render jobs capped
 * at 1,000 by a check on the right list (with each job's input clip list), and a static
 * request-context stack popped in a finally block (empty at the dump). See VALIDATION74.md.
 */
public final class Val74HealthyRollerDerby {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ARENAS = 1_200, SKATERS = 28_000, PROGRAMME_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, JAMS_PER_HOUR = 6_000,
            HISTORY_CAP = 1_000, FAILED_CAP = 200;

    record Arena(String code, String city, double[] floorGrip) {}
    record Skater(String skaterId, String derbyName, String teamCode, byte[] insuranceRecord, long joinedAt) {}
    record Programme(String key, byte[] rendered, long at) {}
    record Jam(long jamNo, String boutId, String leadJammer, int pointsHome, int pointsAway, long at) {}
    record ReelJob(String jobId, String boutId, int clips, long finishedAt, boolean failed, byte[] clipList) {}

    static final class RequestContext {
        final String requestId, endpoint; final long startedAt; final Map<String, String> attributes = new HashMap<>(); final byte[] body;
        RequestContext(String requestId, String endpoint, long startedAt, byte[] body) { this.requestId = requestId; this.endpoint = endpoint; this.startedAt = startedAt; this.body = body; }
    }

    static final class RequestScope {
        static final ArrayDeque<RequestContext> STACK = new ArrayDeque<>();
    }

    static final class PenaltyDisputed extends RuntimeException { PenaltyDisputed() { super("disputed", null, false, false); } }

    static final class ReelHistory {
        final ArrayDeque<ReelJob> completed = new ArrayDeque<>(), failed = new ArrayDeque<>();
        long completedTotal, failedTotal, trimmed;
        void record(ReelJob j) {
            if (j.failed()) { failed.addLast(j); failedTotal++; if (failed.size() > FAILED_CAP) failed.removeFirst(); return; }
            completed.addLast(j); completedTotal++;
            if (completed.size() > HISTORY_CAP) { completed.removeFirst(); trimmed++; }
        }
    }

    static final class ProgrammeCache extends LinkedHashMap<String, Programme> {
        long evicted;
        ProgrammeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Programme> e) { if (size() > PROGRAMME_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class BoutService {
        final Map<String, Skater> skaters = new HashMap<>();
        final ProgrammeCache programmes = new ProgrammeCache();
        final Jam[] jams = new Jam[RING];
        final ArrayDeque<byte[]> videoBuffers = new ArrayDeque<>();
        final ReelHistory reels = new ReelHistory();
        long jamsWritten, requests, disputed;

        void penalty(Random r, String skaterId, long at) {
            RequestContext ctx = new RequestContext(Long.toHexString(0xde4b_0000_0000L + requests++), "POST /penalties", at, new byte[200 + r.nextInt(200)]);
            ctx.attributes.put("skater", skaterId);
            ctx.attributes.put("code", "P" + r.nextInt(12));
            RequestScope.STACK.push(ctx);
            try {
                if (r.nextInt(100) < 8) throw new PenaltyDisputed();
                String key = "prog-" + r.nextInt(4_500);
                if (programmes.get(key) == null) programmes.put(key, new Programme(key, new byte[600 + r.nextInt(600)], at));
            } finally {
                RequestScope.STACK.pop();
            }
        }
    }

    static BoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(74_060_001);
        String[] arenaCodes = new String[ARENAS];
        for (int a = 0; a < ARENAS; a++) {
            double[] grip = new double[72];
            for (int k = 0; k < grip.length; k++) grip[k] = rnd.nextDouble();
            arenaCodes[a] = "AR-" + (800 + a);
            ARENAS_BY_CODE.put(arenaCodes[a], new Arena(arenaCodes[a], "City " + (a % 160), grip));
        }
        BoutService svc = new BoutService();
        SERVICE = svc;
        String[] skaterIds = new String[SKATERS];
        for (int s = 0; s < SKATERS; s++) {
            skaterIds[s] = "SK" + (250_000 + s * 3);
            svc.skaters.put(skaterIds[s], new Skater(skaterIds[s], "Derby " + s, "TM-" + (s % 700), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.videoBuffers.add(new byte[32_768]);
        Random traffic = new Random(74_060_002);
        int jams = JAMS_PER_HOUR * HOURS;
        for (int i = 0; i < jams; i++) {
            long t = start + (end - MINUTE - start) * i / jams;
            String bout = "BT-" + (90_000 + i / 40);
            svc.jams[(int) (svc.jamsWritten++ % RING)] = new Jam(1 + i % 40, bout, skaterIds[traffic.nextInt(SKATERS)], traffic.nextInt(25), traffic.nextInt(25), t);
            try { svc.penalty(traffic, skaterIds[traffic.nextInt(SKATERS)], t); } catch (PenaltyDisputed e) { svc.disputed++; }
            if (i % 4 == 0) svc.reels.record(new ReelJob("RL-" + (300_000 + i / 4), bout, 5 + traffic.nextInt(40), t, traffic.nextInt(100) < 3, new byte[400 + traffic.nextInt(400)]));
            byte[] buf = svc.videoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.videoBuffers.add(buf);
        }
        ReelHistory h = svc.reels;
        System.out.println("arenas " + ARENAS_BY_CODE.size() + " skaters " + svc.skaters.size() + " jams " + svc.jamsWritten + " requests " + svc.requests + " disputed " + svc.disputed + " context stack " + RequestScope.STACK.size()
                + " reels completed " + h.completedTotal + " kept " + h.completed.size() + " (trimmed " + h.trimmed + ") failed " + h.failedTotal + " kept " + h.failed.size()
                + " programmes " + svc.programmes.size() + " (evicted " + svc.programmes.evicted + ") pool " + svc.videoBuffers.size());
        check(ARENAS_BY_CODE.size() == ARENAS && svc.skaters.size() == SKATERS, "reference data / directory");
        check(svc.jamsWritten == jams && svc.jams[RING - 1] != null, "ring");
        check(RequestScope.STACK.isEmpty() && svc.disputed > 0 && svc.requests == jams, "context stack empty");
        check(h.completed.size() == HISTORY_CAP && h.failed.size() == FAILED_CAP && h.completedTotal + h.failedTotal == jams / 4, "reel history capped");
        check(svc.programmes.size() == PROGRAMME_CAP && svc.programmes.evicted > 0, "programme cache at cap");
        check(svc.videoBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
