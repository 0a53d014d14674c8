// hprofscan-dump: name=val111-leak-shipyards-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val111-leak-shipyards-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val111-leak-shipyards jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val111-leak-shipyards-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * Validation set 111 (written blind), LEAK: the production-floor service of a shipyard's hull-block
 * assembly hall. Welding-procedure reference data, the hull-part directory, a cache of rendered
 * work-package drawings at its cap, a pool of plate-nesting buffers, a ring of weld inspections, the
 * status of the welding robots, and a telemetry shipper: the robots' gateway requests put every weld
 * sample into a PriorityBlockingQueue (ordered by sample time) that one background thread,
 * weld-telemetry-shipper, drains into batches of 500 for the process historian. 47 minutes after
 * start a newly commissioned robot, not yet assigned to a cell, sends its first sample; the shipper
 * dies on it with a NullPointerException (nothing catches it) and no thread drains the queue again,
 * while the gateway keeps adding 100 samples a minute. Growth series: 2 h / 4 h / 8 h.
 * See VALIDATION111.md.
 */
public final class Val111LeakShipyards {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PROCEDURES = 1_000, PARTS = 24_000, DRAWING_CAP = 2_000, POOL = 8, INSPECTION_RING = 2_048, ROBOTS = 60, CELLS = 12;
    static final int SAMPLES_PER_MIN = 100, DRAWINGS_PER_MIN = 30, INSPECTIONS_PER_MIN = 20, BATCH = 500, NEW_ROBOT_MINUTE = 47;
    static final int POISON_INDEX = NEW_ROBOT_MINUTE * SAMPLES_PER_MIN; // the new robot's first sample
    static boolean FIXED;

    record WeldProcedure(String code, String process, String baseMetal, double[] parameterTable) {}
    record HullPart(String partNo, String block, String grade, byte[] nestingData, long releasedAt) {}
    record Drawing(String key, byte[] rendered, long at) {}
    record Inspection(String seamId, String inspector, String method, boolean passed, long at) {}
    record WeldSample(long seq, String robotId, String cellCode, String seamId, long sampledAt, float amps, float volts, float travelMmPerS, byte[] waveform) {}

    static final class RobotStatus {
        final String robotId; String cellCode; long lastSampleAt; long samples;
        RobotStatus(String robotId, String cellCode) { this.robotId = robotId; this.cellCode = cellCode; }
    }

    static final Comparator<WeldSample> BY_SAMPLE_TIME = Comparator.comparingLong(WeldSample::sampledAt).thenComparingLong(WeldSample::seq);

    /** Ships weld samples to the process historian in batches; one drain thread. */
    static final class TelemetryShipper {
        final PriorityBlockingQueue<WeldSample> pending = new PriorityBlockingQueue<>(1_024, BY_SAMPLE_TIME);
        final Thread worker;
        volatile long taken, shipped, batches;
        volatile Throwable lastError;

        TelemetryShipper() {
            worker = new Thread(this::drain, "weld-telemetry-shipper");
            worker.setDaemon(true);
            worker.setUncaughtExceptionHandler((t, e) -> {
                lastError = e;
                System.err.println("thread " + t.getName() + " died: " + e);
            });
        }

        void start() { worker.start(); }

        void drain() {
            List<WeldSample> batch = new ArrayList<>(BATCH);
            Map<String, int[]> perCell = new HashMap<>();
            while (true) {
                WeldSample s;
                try {
                    s = pending.take();
                } catch (InterruptedException e) {
                    return;
                }
                taken++;
                if (FIXED && s.cellCode() == null) continue; // the fix: skip (and count) samples of unassigned robots
                // BUG: a robot not yet assigned to a cell has cellCode == null: NullPointerException, the thread dies
                String key = s.cellCode().toUpperCase() + "/" + s.robotId();
                perCell.computeIfAbsent(key, k -> new int[1])[0]++;
                batch.add(s);
                if (batch.size() == BATCH) {
                    byte[] body = new byte[BATCH * 24];
                    for (int i = 0; i < batch.size(); i++) body[i * 24] = (byte) batch.get(i).amps();
                    shipped += batch.size();
                    batches++;
                    batch.clear();
                    perCell.clear();
                }
            }
        }

        void submit(WeldSample s) { pending.add(s); }
    }

    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, WeldProcedure> PROCEDURES_BY_CODE = new HashMap<>();

    static final class YardService {
        final Map<String, HullPart> parts = new HashMap<>();
        final String[] partNos = new String[PARTS];
        final String[] seams = new String[4_000];
        final DrawingCache drawings = new DrawingCache();
        final ArrayDeque<byte[]> nestingBuffers = new ArrayDeque<>();
        final Inspection[] inspections = new Inspection[INSPECTION_RING];
        final Map<String, RobotStatus> robots = new HashMap<>();
        final String[] robotIds = new String[ROBOTS + 1];
        final TelemetryShipper telemetry = new TelemetryShipper();
        long samples, drawingRequests, inspectionCount;

        void sample(Random r, long t, int index) {
            // the commissioned robot (index ROBOTS) joins at NEW_ROBOT_MINUTE; it has no cell yet
            int robot = index == POISON_INDEX ? ROBOTS : index > POISON_INDEX && r.nextInt(ROBOTS + 1) == 0 ? ROBOTS : r.nextInt(ROBOTS);
            RobotStatus st = robots.get(robotIds[robot]);
            st.lastSampleAt = t; st.samples++;
            telemetry.submit(new WeldSample(samples++, st.robotId, st.cellCode, seams[r.nextInt(seams.length)], t, 180 + r.nextFloat() * 120, 22 + r.nextFloat() * 10, 3 + r.nextFloat() * 9, new byte[96 + r.nextInt(128)]));
        }

        void viewDrawing(Random r, long t) {
            drawingRequests++;
            HullPart p = parts.get(partNos[r.nextInt(PARTS)]);
            String key = "wp-" + p.block() + "-" + r.nextInt(60);
            if (drawings.get(key) == null) drawings.put(key, new Drawing(key, new byte[500 + r.nextInt(500)], t));
            byte[] nest = nestingBuffers.poll();
            nest[(int) (drawingRequests % nest.length)] = (byte) p.nestingData().length;
            nestingBuffers.add(nest);
        }

        void inspect(Random r, long t) {
            inspections[(int) (inspectionCount++ % INSPECTION_RING)] = new Inspection(seams[r.nextInt(seams.length)], "QC-" + (100 + r.nextInt(40)), r.nextBoolean() ? "UT" : "RT", r.nextInt(50) != 0, t);
        }
    }

    static YardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(111_030_001);
        String[] processes = {"FCAW", "SAW", "GMAW", "SMAW"};
        for (int p = 0; p < PROCEDURES; p++) {
            double[] table = new double[48];
            for (int k = 0; k < table.length; k++) table[k] = rnd.nextDouble() * 400;
            String code = "WPS-" + (5_000 + p);
            PROCEDURES_BY_CODE.put(code, new WeldProcedure(code, processes[rnd.nextInt(processes.length)], rnd.nextBoolean() ? "AH36" : "DH36", table));
        }
        YardService svc = new YardService();
        SERVICE = svc;
        for (int i = 0; i < PARTS; i++) {
            svc.partNos[i] = "HP-" + (600_000 + i * 5);
            svc.parts.put(svc.partNos[i], new HullPart(svc.partNos[i], "B" + (100 + rnd.nextInt(80)), rnd.nextBoolean() ? "AH36" : "EH36", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int s = 0; s < svc.seams.length; s++) svc.seams[s] = "SEAM-B" + (100 + s % 80) + "-" + (s / 80);
        for (int k = 0; k <= ROBOTS; k++) {
            svc.robotIds[k] = "R-" + (k < ROBOTS ? 300 + k : 417);
            svc.robots.put(svc.robotIds[k], new RobotStatus(svc.robotIds[k], k < ROBOTS ? "CELL-" + (1 + k % CELLS) : null));
        }
        for (int b = 0; b < POOL; b++) svc.nestingBuffers.add(new byte[32_768]);
        svc.telemetry.start();
        Random traffic = new Random(111_030_002);
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) {
            long t0 = start + m * MINUTE;
            for (int j = 0; j < SAMPLES_PER_MIN; j++) svc.sample(traffic, t0 + j * 600L, m * SAMPLES_PER_MIN + j);
            for (int j = 0; j < DRAWINGS_PER_MIN; j++) svc.viewDrawing(traffic, t0 + j * 2_000L);
            for (int j = 0; j < INSPECTIONS_PER_MIN; j++) svc.inspect(traffic, t0 + j * 3_000L);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            FIXED = Boolean.getBoolean("val111.fixed");
            int stage = Integer.parseInt(args[2]);
            int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
            simulate(hours);
            YardService svc = SERVICE;
            TelemetryShipper tm = svc.telemetry;
            int total = hours * 60 * SAMPLES_PER_MIN;
            if (FIXED) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (tm.taken < total && System.currentTimeMillis() < deadline) Thread.sleep(10);
                Thread.sleep(50);
            } else {
                tm.worker.join(60_000);
            }
            System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " procedures " + PROCEDURES_BY_CODE.size() + " parts " + svc.parts.size() + " samples " + svc.samples + " taken " + tm.taken + " shipped " + tm.shipped + " in " + tm.batches
                    + " batches, pending " + tm.pending.size() + ", shipper " + tm.worker.getState() + " (" + tm.lastError + ") drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted + ") pool " + svc.nestingBuffers.size() + " inspections " + svc.inspectionCount);
            check(PROCEDURES_BY_CODE.size() == PROCEDURES && svc.parts.size() == PARTS && svc.robots.size() == ROBOTS + 1, "reference data / directory / robots");
            check(svc.samples == total && svc.drawingRequests == hours * 60L * DRAWINGS_PER_MIN && svc.inspectionCount == hours * 60L * INSPECTIONS_PER_MIN, "traffic");
            if (FIXED) {
                check(tm.worker.isAlive() && tm.pending.isEmpty() && tm.taken == total, "fixed shipper keeps up");
            } else {
                check(tm.worker.getState() == Thread.State.TERMINATED && tm.lastError instanceof NullPointerException, "shipper died");
                check(tm.taken == POISON_INDEX + 1 && tm.shipped == (POISON_INDEX / BATCH) * BATCH, "taken before it died");
                check(tm.pending.size() == total - POISON_INDEX - 1, "pending samples");
            }
            check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted > 0, "drawing cache at cap");
            check(svc.nestingBuffers.size() == POOL, "pool");
            check(svc.inspections[INSPECTION_RING - 1] != null, "inspection ring full");
            svc = null; tm = null;
            LeakCheck.histogram("PriorityBlockingQueue", "java.lang.Object[] ");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
