// hprofscan-dump: name=val38-leak-upholsterers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val38-leak-upholsterers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 38 (written blind), LEAK: the workshop service of an upholstery business (sofas,
 * chairs, boat and car seats). Fabric reference data, the furniture-frame directory, an LRU of
 * rendered cutting plans at its cap, a pool of nesting buffers, a ring of finished jobs. Cut jobs go
 * through a hand-written array-backed FIFO (JobQueue: items[], head, tail). take() returns
 * items[head++] without clearing the slot, and put() grows the array by doubling when tail reaches
 * its end instead of compacting the taken prefix: every job ever queued stays referenced from the
 * array (obsolete references, Effective Java item 7), although only a handful are pending.
 * See VALIDATION38.md.
 */
public final class Val38LeakUpholsterers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FABRICS = 1_000, FRAMES = 25_000, PLAN_CAP = 2_000, POOL = 8, RING = 8_192, JOBS_PER_HOUR = 2_000, HOURS = 10, QUEUE_INITIAL = 1_024;
    static boolean FIXED;

    record Fabric(String code, String name, double[] stretchByAngle) {}
    record Frame(String frameId, String customerId, String style, byte[] measurements, long receivedAt) {}
    record CuttingPlan(String key, byte[] rendered, long at) {}
    record FinishedJob(String jobId, String frameId, String fabricCode, int panels, long finishedAt) {}

    static final class CutJob {
        final String jobId, orderNo, frameId, fabricCode;
        final long enqueuedAt;
        final byte[] pattern;
        CutJob(String jobId, String orderNo, String frameId, String fabricCode, long enqueuedAt, byte[] pattern) {
            this.jobId = jobId; this.orderNo = orderNo; this.frameId = frameId; this.fabricCode = fabricCode; this.enqueuedAt = enqueuedAt; this.pattern = pattern;
        }
    }

    /** Array-backed FIFO of cut jobs for the cutting table. */
    static final class JobQueue {
        CutJob[] items = new CutJob[QUEUE_INITIAL];
        int head, tail, grows;
        int size() { return tail - head; }
        void put(CutJob job) {
            if (tail == items.length) {
                if (FIXED && head > 0) { // compact the taken prefix first
                    System.arraycopy(items, head, items, 0, tail - head);
                    Arrays.fill(items, tail - head, tail, null);
                    tail -= head; head = 0;
                }
                if (tail == items.length) { items = Arrays.copyOf(items, items.length * 2); grows++; } // BUG (unfixed): grows instead of compacting
            }
            items[tail++] = job;
        }
        CutJob take() {
            if (head == tail) return null;
            CutJob job = items[head];
            if (FIXED) items[head] = null; // BUG (unfixed): the slot keeps the taken job
            head++;
            return job;
        }
    }

    static final class PlanCache extends LinkedHashMap<String, CuttingPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CuttingPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, Frame> frames = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> nestingBuffers = new ArrayDeque<>();
        final FinishedJob[] finished = new FinishedJob[RING];
        final JobQueue cutQueue = new JobQueue();
        long done;
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val38.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(38_040_001);
        String[] fabricCodes = new String[FABRICS];
        for (int f = 0; f < FABRICS; f++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = rnd.nextDouble() * 0.3;
            fabricCodes[f] = "FB-" + (5_000 + f);
            FABRICS_BY_CODE.put(fabricCodes[f], new Fabric(fabricCodes[f], "Fabric " + f, s));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        String[] frameIds = new String[FRAMES];
        String[] styles = {"chesterfield", "wingback", "club", "camelback", "boat-bench", "car-seat", "ottoman", "chaise"};
        for (int f = 0; f < FRAMES; f++) {
            frameIds[f] = "FR-" + (330_000 + f * 5);
            svc.frames.put(frameIds[f], new Frame(frameIds[f], "cust-" + rnd.nextInt(9_000), styles[rnd.nextInt(styles.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.nestingBuffers.add(new byte[32_768]);

        Random traffic = new Random(38_040_002);
        int jobs = JOBS_PER_HOUR * HOURS;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            String frameId = frameIds[traffic.nextInt(FRAMES)];
            String fabricCode = fabricCodes[traffic.nextInt(FABRICS)];
            svc.cutQueue.put(new CutJob("cut-" + (2_700_000L + i), "SO-" + (80_000 + i / 3), frameId, fabricCode, t, new byte[150 + traffic.nextInt(150)]));
            // the cutting table takes a job whenever it is free: usually one per new job, sometimes it lags
            int takes = traffic.nextInt(100) < 90 ? 1 : (traffic.nextBoolean() ? 0 : 2);
            for (int k = 0; k < takes; k++) {
                CutJob job = svc.cutQueue.take();
                if (job == null) break;
                byte[] buf = svc.nestingBuffers.poll();
                System.arraycopy(job.pattern, 0, buf, 0, job.pattern.length);
                svc.nestingBuffers.add(buf);
                svc.finished[(int) (svc.done++ % RING)] = new FinishedJob(job.jobId, job.frameId, job.fabricCode, 4 + job.pattern.length % 20, t);
                String key = job.frameId + "/" + job.fabricCode.charAt(3);
                if (svc.plans.get(key) == null) svc.plans.put(key, new CuttingPlan(key, new byte[400 + traffic.nextInt(400)], t));
            }
        }
        JobQueue q = svc.cutQueue;
        int referenced = 0;
        for (CutJob j : q.items) if (j != null) referenced++;
        System.out.println((FIXED ? "FIXED " : "") + "fabrics " + FABRICS_BY_CODE.size() + " frames " + svc.frames.size() + " jobs " + jobs + " done " + svc.done + " pending " + q.size()
                + " queue capacity " + q.items.length + " head " + q.head + " tail " + q.tail + " referenced " + referenced + " grows " + q.grows + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.nestingBuffers.size());
        check(FABRICS_BY_CODE.size() == FABRICS && svc.frames.size() == FRAMES, "reference data / directory");
        check(svc.done + q.size() == jobs && q.size() == EXPECTED_PENDING, "pending jobs: " + q.size());
        if (FIXED) check(referenced == q.size() && q.items.length == QUEUE_INITIAL, "fixed: only pending jobs referenced");
        else check(referenced == jobs && q.items.length == 32_768, "every job ever queued still referenced");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.nestingBuffers.size() == POOL, "pool");
        check(svc.finished[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int EXPECTED_PENDING = 14;
}
