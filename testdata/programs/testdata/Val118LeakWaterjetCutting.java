// hprofscan-dump: name=val118-leak-waterjetcutting-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val118-leak-waterjetcutting-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val118-leak-waterjetcutting jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val118-leak-waterjetcutting-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 118 (written blind), LEAK (growth series): the job planner of a waterjet cutting
 * job shop. Material reference data, the customer part directory, a cache of rendered cut-sheet
 * previews at its cap, a pool of plotter buffers, a ring of finished jobs and a machine queue with
 * its normal backlog. Each nesting job runs on a thread of its own (started per job, three at a time,
 * joined), and the nesting code keeps per-thread working state (G-code line buffer, kerf table,
 * part index) in a static map keyed by the thread id, created on first use and never removed: every
 * job's thread has ended, its context stays. See VALIDATION118.md.
 */
public final class Val118LeakWaterjetCutting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MATERIALS = 1_000, PARTS = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, JOBS_PER_HOUR = 150, BATCH = 3;
    static boolean FIXED;

    record Material(String code, String grade, double[] cutSpeedByThickness) {}
    record Part(String partNo, String customer, String drawing, byte[] dxfOutline, long uploadedAt) {}
    record Preview(String key, byte[] png, long at) {}
    record FinishedJob(long jobId, String sheetMaterial, int parts, double yield, String thread, long at) {}
    record MachineSlot(long jobId, String machine, long queuedAt) {}

    /** Per-thread working state of the nesting code. */
    static final class NestingContext {
        final long threadId; final String threadName; final long createdAt;
        final StringBuilder gcode = new StringBuilder(4_096);
        final double[] kerfTable = new double[256];
        final int[] partIndex = new int[512];
        final Map<String, Object> attributes = new HashMap<>();
        long jobsRun, linesWritten;
        NestingContext(long threadId, String threadName, long createdAt) { this.threadId = threadId; this.threadName = threadName; this.createdAt = createdAt; }
    }

    /** Working contexts by thread id. BUG: filled on first use by each thread, never removed. */
    static final Map<Long, NestingContext> CONTEXTS = new ConcurrentHashMap<>();

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    /** A nesting job: runs on its own thread, writes only its own result fields. */
    static final class NestingJob implements Runnable {
        final long jobId; final String material; final int parts; final long at;
        double yield; String threadName; int lines;
        NestingJob(long jobId, String material, int parts, long at) { this.jobId = jobId; this.material = material; this.parts = parts; this.at = at; }

        @Override public void run() {
            Thread me = Thread.currentThread();
            NestingContext ctx = CONTEXTS.computeIfAbsent(me.getId(), id -> new NestingContext(id, me.getName(), at));
            try {
                Random r = new Random(jobId);
                ctx.gcode.setLength(0);
                ctx.attributes.put("job", jobId);
                ctx.attributes.put("material", material);
                ctx.attributes.put("nozzle", "0.76mm");
                ctx.attributes.put("abrasive", "garnet-80");
                for (int k = 0; k < ctx.kerfTable.length; k++) ctx.kerfTable[k] = 0.8 + r.nextDouble() * 0.2;
                double used = 0;
                for (int p = 0; p < parts; p++) {
                    ctx.partIndex[p % ctx.partIndex.length] = r.nextInt(PARTS);
                    used += 0.01 + r.nextDouble() * 0.05;
                    ctx.gcode.setLength(0);
                    ctx.gcode.append("G01 X").append(r.nextInt(3_000)).append(" Y").append(r.nextInt(1_500)).append(" F").append(200 + r.nextInt(800));
                    lines++;
                }
                ctx.jobsRun++;
                ctx.linesWritten += lines;
                yield = Math.min(0.97, used);
                threadName = me.getName();
            } finally {
                if (FIXED) CONTEXTS.remove(me.getId());
            }
        }
    }

    static final class PlannerService {
        final Map<String, Part> parts = new HashMap<>();
        final String[] partNos = new String[PARTS];
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> plotterBuffers = new ArrayDeque<>();
        final FinishedJob[] finished = new FinishedJob[RING];
        final ArrayDeque<MachineSlot> machineQueue = new ArrayDeque<>();
        long jobs, threadsStarted, lines, cut;

        void runBatch(List<NestingJob> batch) throws InterruptedException {
            List<Thread> threads = new ArrayList<>(batch.size());
            for (NestingJob j : batch) {
                Thread th = new Thread(j, "nest-job-" + j.jobId);
                threadsStarted++;
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) th.join();
            for (NestingJob j : batch) {
                finished[(int) (jobs++ % RING)] = new FinishedJob(j.jobId, j.material, j.parts, j.yield, j.threadName, j.at);
                lines += j.lines;
                machineQueue.addLast(new MachineSlot(j.jobId, "WJ-" + (1 + j.jobId % 4), j.at));
                byte[] buf = plotterBuffers.poll();
                buf[(int) (j.jobId % buf.length)] = (byte) j.parts;
                plotterBuffers.add(buf);
            }
        }

        void preview(Random r, long t) {
            String key = "preview-" + partNos[r.nextInt(PARTS)] + "-" + (r.nextBoolean() ? "top" : "iso");
            if (previews.get(key) == null) previews.put(key, new Preview(key, new byte[400 + r.nextInt(400)], t));
        }

        void cutFinished(long t) {
            while (!machineQueue.isEmpty() && machineQueue.peekFirst().queuedAt() <= t - 25 * MINUTE) { machineQueue.pollFirst(); cut++; }
        }
    }

    static PlannerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] GRADES = {"S355", "304L", "316L", "AlMg3", "Ti-6Al-4V", "granite", "float-glass", "HDPE", "Cu-ETP"};

    static void simulate(int hours) throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(118_020_001);
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] speed = new double[64];
            for (int k = 0; k < speed.length; k++) speed[k] = 20 + rnd.nextDouble() * 2_000;
            materialCodes[m] = "MAT-" + GRADES[m % GRADES.length] + "-" + (m / GRADES.length);
            MATERIALS_BY_CODE.put(materialCodes[m], new Material(materialCodes[m], GRADES[m % GRADES.length], speed));
        }
        PlannerService svc = new PlannerService();
        SERVICE = svc;
        for (int i = 0; i < PARTS; i++) {
            svc.partNos[i] = "P" + (880_000 + i * 3);
            svc.parts.put(svc.partNos[i], new Part(svc.partNos[i], "CUST-" + (100 + rnd.nextInt(700)), "DWG-" + (40_000 + i), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotterBuffers.add(new byte[32_768]);
        Random traffic = new Random(118_020_002);
        int jobs = JOBS_PER_HOUR * hours;
        List<NestingJob> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            batch.add(new NestingJob(2_400_000L + i, materialCodes[traffic.nextInt(MATERIALS)], 4 + traffic.nextInt(40), t));
            for (int p = 0; p < 10; p++) svc.preview(traffic, t);
            if (batch.size() == BATCH) { svc.runBatch(batch); batch = new ArrayList<>(BATCH); svc.cutFinished(t); }
        }
        if (!batch.isEmpty()) svc.runBatch(batch);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val118.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        PlannerService svc = SERVICE;
        int jobs = JOBS_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " materials " + MATERIALS_BY_CODE.size() + " parts " + svc.parts.size() + " jobs " + svc.jobs + " threads " + svc.threadsStarted + " g-code lines " + svc.lines
                + " contexts " + CONTEXTS.size() + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.plotterBuffers.size() + " cut " + svc.cut + " machine queue " + svc.machineQueue.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.parts.size() == PARTS, "reference data / directory");
        check(svc.jobs == jobs && svc.threadsStarted == jobs, "jobs");
        check(CONTEXTS.size() == (FIXED ? 0 : jobs), "contexts: " + CONTEXTS.size());
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.plotterBuffers.size() == POOL, "pool");
        check(svc.finished[Math.min(jobs, RING) - 1] != null, "ring");
        check(svc.cut + svc.machineQueue.size() == jobs && !svc.machineQueue.isEmpty(), "machine queue");
    }
}
