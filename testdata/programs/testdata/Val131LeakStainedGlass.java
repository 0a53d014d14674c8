// hprofscan-dump: name=val131-leak-stainedglass jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val131-leak-stainedglass-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 131 (written blind), LEAK: the design and production service of a stained-glass
 * studio (church windows, domestic panels, restorations). Glass catalogue (reference data), the
 * commission directory, a cache of rendered thumbnails at its cap, a pool of scratch buffers, a
 * ring of the job log, a kiln-firing queue with its normal backlog, 20 render workers with their
 * waiting queue, and the JobTracker's set of running jobs (ConcurrentHashMap.newKeySet()), behind the
 * "jobs in progress" page. RenderJob's equals/hashCode cover jobId, kind and status; a worker sets
 * the status to DONE (or FAILED) and stores the result before it calls tracker.finished(job), whose
 * running.remove(job) then looks in the wrong bucket and fails: every finished job stays in the set
 * with its result (preview image, piece counts, cut-list summary). Only the jobs on the workers
 * should be there. See VALIDATION131.md.
 */
public final class Val131LeakStainedGlass {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int GLASSES = 1_100, COMMISSIONS = 20_000, THUMB_CAP = 2_000, POOL = 8, LOG_RING = 2_048, WORKERS = 20, HOURS = 10;
    static final int JOBS_PER_HOUR = 400, KILN_LOAD = 80;
    static final String[] KINDS = {"cartoon-render", "cut-list", "lead-came-estimate", "kiln-plan"};
    static final String[] MAKERS = {"Lamberts", "Wissmach", "Spectrum", "Bullseye", "Kokomo", "Oceanside", "Uroboros"};
    static final String[] SITES = {"St Mary's", "St Andrew's", "Holy Trinity", "All Saints", "St Peter's", "Christ Church", "private residence", "town hall"};
    static boolean FIXED;

    enum Status { QUEUED, RUNNING, DONE, FAILED }

    record Glass(String code, String maker, String colour, double[] transmission) {}
    record Commission(String commissionId, String site, String window, int panels, long orderedAt, byte[] brief) {}
    record Thumbnail(String key, byte[] png, long at) {}
    record JobRecord(String jobId, String kind, String status, long submittedAt, long finishedAt) {}
    record KilnLoad(String jobId, String commissionId, int pieces, long readyAt) {}

    /** The output of a render job. */
    record RenderResult(byte[] preview, int[] piecesByGlass, String cutListSummary) {}

    static final class RenderJob {
        final String jobId; final String commissionId; final String kind; final long submittedAt; final int minutes;
        volatile Status status = Status.QUEUED;
        long startedAt, finishedAt;
        RenderResult result;
        String error;
        RenderJob(String jobId, String commissionId, String kind, long submittedAt, int minutes) { this.jobId = jobId; this.commissionId = commissionId; this.kind = kind; this.submittedAt = submittedAt; this.minutes = minutes; }
        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof RenderJob)) return false;
            RenderJob j = (RenderJob) o;
            return jobId.equals(j.jobId) && kind.equals(j.kind) && status == j.status;
        }
        @Override public int hashCode() { return Objects.hash(jobId, kind, status); }
    }

    /** Backs the "jobs in progress" page and the shutdown drain. */
    static final class JobTracker {
        final Set<RenderJob> running = ConcurrentHashMap.newKeySet();
        long started, finished, removeMisses;
        void started(RenderJob j) { running.add(j); started++; }
        void finished(RenderJob j) { finished++; if (!running.remove(j)) removeMisses++; }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Glass> GLASS_BY_CODE = new HashMap<>();

    static final class Studio {
        final Map<String, Commission> commissions = new HashMap<>();
        final String[] commissionIds = new String[COMMISSIONS];
        final String[] glassCodes = new String[GLASSES];
        final ThumbCache thumbs = new ThumbCache();
        final ArrayDeque<byte[]> scratchBuffers = new ArrayDeque<>();
        final JobRecord[] jobLog = new JobRecord[LOG_RING];
        final ArrayDeque<KilnLoad> kilnQueue = new ArrayDeque<>();
        final ArrayDeque<RenderJob> waiting = new ArrayDeque<>();
        final RenderJob[] workers = new RenderJob[WORKERS];
        final JobTracker tracker = new JobTracker();
        long submitted, done, failed, logged, kilnLoads, fired, thumbViews;

        void submit(Random r, long at) {
            String commission = commissionIds[r.nextInt(COMMISSIONS)];
            String kind = KINDS[r.nextInt(KINDS.length)];
            waiting.add(new RenderJob("RJ-" + (260_000 + submitted++), commission, kind, at, 1 + r.nextInt(3)));
        }

        void view(Random r, long at) {
            String key = commissionIds[r.nextInt(COMMISSIONS)] + "/panel-" + r.nextInt(4);
            thumbViews++;
            if (thumbs.get(key) == null) thumbs.put(key, new Thumbnail(key, new byte[400 + r.nextInt(400)], at));
        }

        void complete(RenderJob j, Random r, long now) {
            j.finishedAt = now;
            if (r.nextInt(100) < 3) {
                j.error = "render failed: self-intersecting lead line in panel " + r.nextInt(12) + " of " + j.commissionId;
                if (FIXED) tracker.finished(j);
                j.status = Status.FAILED;
                failed++;
            } else {
                byte[] scratch = scratchBuffers.poll();
                int[] pieces = new int[32];
                for (int k = 0; k < pieces.length; k++) pieces[k] = r.nextInt(40);
                scratch[(int) (done % scratch.length)] = (byte) pieces[0];
                scratchBuffers.add(scratch);
                j.result = new RenderResult(new byte[2_000 + r.nextInt(4_000)], pieces, j.kind + " " + j.commissionId + ": " + (100 + r.nextInt(900)) + " pieces, " + (20 + r.nextInt(200)) / 10.0 + " m of lead came");
                if (FIXED) tracker.finished(j);
                j.status = Status.DONE;
                done++;
                if (j.kind.equals("kiln-plan")) { kilnQueue.add(new KilnLoad(j.jobId, j.commissionId, pieces[0] + pieces[1], now)); kilnLoads++; }
            }
            if (!FIXED) tracker.finished(j); // BUG: the status is part of the hash
            jobLog[(int) (logged++ % LOG_RING)] = new JobRecord(j.jobId, j.kind, j.status.name(), j.submittedAt, j.finishedAt);
        }

        /** Each minute: workers finish their due jobs and take waiting ones. */
        void runWorkers(Random r, long now) {
            for (int k = 0; k < WORKERS; k++) {
                RenderJob j = workers[k];
                if (j != null && j.startedAt + j.minutes * MINUTE <= now) { complete(j, r, now); workers[k] = null; }
                if (workers[k] == null && !waiting.isEmpty()) {
                    RenderJob n = waiting.poll();
                    n.status = Status.RUNNING;
                    n.startedAt = now;
                    tracker.started(n);
                    workers[k] = n;
                }
            }
        }

        /** Every 30 minutes the kiln takes up to 80 loads that have waited at least an hour (for cutting and painting). */
        void fireKiln(long now) {
            int n = 0;
            while (n < KILN_LOAD && !kilnQueue.isEmpty() && kilnQueue.peek().readyAt() <= now - HOUR) { kilnQueue.poll(); n++; fired++; }
        }
    }

    static Studio STUDIO;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(131_040_001);
        Studio st = new Studio();
        STUDIO = st;
        for (int g = 0; g < GLASSES; g++) {
            double[] tr = new double[40];
            for (int k = 0; k < tr.length; k++) tr[k] = rnd.nextDouble();
            st.glassCodes[g] = MAKERS[g % MAKERS.length].substring(0, 2).toUpperCase() + "-" + (1_000 + g);
            GLASS_BY_CODE.put(st.glassCodes[g], new Glass(st.glassCodes[g], MAKERS[g % MAKERS.length], "colour " + (g % 140), tr));
        }
        for (int c = 0; c < COMMISSIONS; c++) {
            st.commissionIds[c] = "SG" + (24_000 + c);
            st.commissions.put(st.commissionIds[c], new Commission(st.commissionIds[c], SITES[rnd.nextInt(SITES.length)], "window " + (1 + rnd.nextInt(30)), 1 + rnd.nextInt(12), now - (long) (1 + rnd.nextInt(900)) * DAY, new byte[150 + rnd.nextInt(150)]));
        }
        for (int b = 0; b < POOL; b++) st.scratchBuffers.add(new byte[32_768]);
        Random traffic = new Random(131_040_002), work = new Random(131_040_003);
        long jobSpacing = HOUR / JOBS_PER_HOUR, viewSpacing = HOUR / 1_500;
        long nj = 0, nv = 0;
        for (int m = 1; m <= HOURS * 60; m++) {
            long tick = start + m * MINUTE;
            for (; start + nj * jobSpacing < tick; nj++) st.submit(traffic, start + nj * jobSpacing);
            for (; start + nv * viewSpacing < tick; nv++) st.view(traffic, start + nv * viewSpacing);
            st.runWorkers(work, tick);
            if (m % 30 == 0) st.fireKiln(tick);
        }
    }

    // {submitted, done, failed, on workers, waiting, running set, kiln backlog}
    static final long[] EXPECTED = {4_000, 3_874, 113, 13, 0, 4_000, 101};
    static final long[] EXPECTED_FIXED = {4_000, 3_874, 113, 13, 0, 13, 101};

    static void verify() {
        Studio st = STUDIO;
        JobTracker t = st.tracker;
        int onWorkers = 0, finishedInSet = 0;
        for (RenderJob j : st.workers) if (j != null) onWorkers++;
        for (RenderJob j : t.running) if (j.status == Status.DONE || j.status == Status.FAILED) finishedInSet++;
        System.out.println((FIXED ? "FIXED " : "") + "glasses " + GLASS_BY_CODE.size() + " commissions " + st.commissions.size()
                + " | jobs submitted " + st.submitted + " done " + st.done + " failed " + st.failed + " on workers " + onWorkers + " waiting " + st.waiting.size()
                + " | running set " + t.running.size() + " finished in set " + finishedInSet + " remove misses " + t.removeMisses
                + " | thumbs " + st.thumbs.size() + " (evicted " + st.thumbs.evicted + ") kiln loads " + st.kilnLoads + " fired " + st.fired + " backlog " + st.kilnQueue.size() + " pool " + st.scratchBuffers.size());
        check(GLASS_BY_CODE.size() == GLASSES && st.commissions.size() == COMMISSIONS, "reference data / directory");
        check(st.submitted == (long) JOBS_PER_HOUR * HOURS && st.submitted == st.done + st.failed + onWorkers + st.waiting.size(), "jobs");
        check(t.started == st.done + st.failed + onWorkers && t.finished == st.done + st.failed, "tracker counters");
        if (FIXED) check(t.running.size() == onWorkers && finishedInSet == 0 && t.removeMisses == 0, "only in-flight jobs");
        else check(t.running.size() == onWorkers + st.done + st.failed && finishedInSet == st.done + st.failed && t.removeMisses == finishedInSet, "every finished job stays");
        check(st.thumbs.size() == THUMB_CAP && st.thumbs.evicted > 0, "thumbnail cache at its cap");
        check(st.scratchBuffers.size() == POOL && st.jobLog[LOG_RING - 1] != null, "pool / log");
        check(st.kilnLoads == st.fired + st.kilnQueue.size(), "kiln");
        long[] got = {st.submitted, st.done, st.failed, onWorkers, st.waiting.size(), t.running.size(), st.kilnQueue.size()};
        long[] e = FIXED ? EXPECTED_FIXED : EXPECTED;
        check(java.util.Arrays.equals(e, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val131.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
