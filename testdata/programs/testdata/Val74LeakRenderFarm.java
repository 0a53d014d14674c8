// hprofscan-dump: name=val74-leak-renderfarm jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val74-leak-renderfarm-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 74 (written blind), LEAK: the scheduler of an architectural-visualisation render
 * farm. Client-studio reference data, the texture/asset library, a cache of rendered thumbnails at
 * its cap, a pool of frame buffers, a ring of render-node heartbeats, and a job history for the
 * "recent jobs" page: every completed job is kept with its full input (the scene payload), meant to
 * be capped at the newest 1,000. The cap check measures the wrong list (the failed-job list, itself
 * capped at 200, so never over 1,000): the completed-job history is never trimmed. See
 * VALIDATION74.md.
 */
public final class Val74LeakRenderFarm {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 1_100, ASSETS = 24_000, THUMB_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, JOBS_PER_HOUR = 1_500,
            HISTORY_CAP = 1_000, FAILED_CAP = 200, NODES = 240;
    static boolean FIXED;

    record Studio(String code, String city, double[] monthlyLoad) {}
    record Asset(String assetId, String studioCode, String kind, byte[] metadata, long uploadedAt) {}
    record Thumbnail(String key, byte[] png, long at) {}
    record Heartbeat(String nodeId, int gpuTempC, int queueDepth, long at) {}
    record FinishedJob(String jobId, String studioCode, String artist, String nodeId, int frames, long submittedAt, long finishedAt, boolean failed, byte[] scenePayload) {}

    static final class JobHistory {
        final ArrayDeque<FinishedJob> completed = new ArrayDeque<>();
        final ArrayDeque<FinishedJob> failed = new ArrayDeque<>();
        long completedTotal, failedTotal, trimmed;
        void recordCompleted(FinishedJob j) {
            completed.addLast(j);
            completedTotal++;
            Collection<FinishedJob> measured = FIXED ? completed : failed; // BUG: measures the failed list
            if (measured.size() > HISTORY_CAP) { completed.removeFirst(); trimmed++; }
        }
        void recordFailed(FinishedJob j) {
            failed.addLast(j);
            failedTotal++;
            if (failed.size() > FAILED_CAP) failed.removeFirst();
        }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class Scheduler {
        final Map<String, Asset> assets = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Heartbeat[] heartbeats = new Heartbeat[RING];
        final JobHistory history = new JobHistory();
        long heartbeatsWritten;
    }

    static Scheduler SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val74.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(74_040_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] load = new double[80];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 1_000;
            studioCodes[s] = "STU-" + (2_000 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 150), load));
        }
        Scheduler svc = new Scheduler();
        SERVICE = svc;
        String[] kinds = {"texture", "hdri", "mesh", "material", "proxy"};
        for (int a = 0; a < ASSETS; a++) {
            String id = "AS" + (9_000_000 + a * 11);
            svc.assets.put(id, new Asset(id, studioCodes[rnd.nextInt(STUDIOS)], kinds[a % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[65_536]);
        String[] nodeIds = new String[NODES];
        for (int n = 0; n < NODES; n++) nodeIds[n] = "rn-" + (n / 40) + "-" + (n % 40);
        Random traffic = new Random(74_040_002);
        int jobs = JOBS_PER_HOUR * HOURS;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            String node = nodeIds[traffic.nextInt(NODES)];
            long submitted = t - (2 + traffic.nextInt(40)) * MINUTE;
            boolean failed = traffic.nextInt(100) < 3;
            FinishedJob job = new FinishedJob("RJ-" + (40_000_000 + i), studioCodes[traffic.nextInt(STUDIOS)], "artist" + traffic.nextInt(900), node,
                    1 + traffic.nextInt(240), submitted, t, failed, new byte[400 + traffic.nextInt(400)]);
            if (failed) svc.history.recordFailed(job); else svc.history.recordCompleted(job);
            for (int k = 0; k < 4; k++) svc.heartbeats[(int) (svc.heartbeatsWritten++ % RING)] = new Heartbeat(nodeIds[traffic.nextInt(NODES)], 40 + traffic.nextInt(45), traffic.nextInt(12), t);
            String key = "thumb-" + traffic.nextInt(4_500);
            if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        JobHistory h = svc.history;
        System.out.println((FIXED ? "FIXED " : "") + "studios " + STUDIOS_BY_CODE.size() + " assets " + svc.assets.size() + " jobs " + jobs + " completed " + h.completedTotal + " kept " + h.completed.size()
                + " (trimmed " + h.trimmed + ") failed " + h.failedTotal + " kept " + h.failed.size() + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.frameBuffers.size()
                + " heartbeats " + svc.heartbeatsWritten);
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.assets.size() == ASSETS, "reference data / directory");
        check(h.completedTotal + h.failedTotal == jobs && h.failed.size() == FAILED_CAP, "job traffic");
        if (FIXED) check(h.completed.size() == HISTORY_CAP, "capped history");
        else check(h.completed.size() == h.completedTotal && h.trimmed == 0, "history never trimmed: " + h.completed.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.heartbeatsWritten > RING && svc.heartbeats[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
