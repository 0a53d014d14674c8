// hprofscan-dump: name=val119-healthy-insectfarms-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val119-healthy-insectfarms-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val119-healthy-insectfarms jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val119-healthy-insectfarms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Validation set 119 (written blind), HEALTHY (growth series 1 / 4 / 8 h, warms up then flat): the
 * climate-control service of an insect-protein farm (black soldier fly larvae and mealworms reared
 * in crate stacks). Rearing-room reference data, the sensor directory, a cache of rendered climate
 * charts at its cap, a cache of crate-camera thumbnails that fills during stage 2, a pool of
 * fan-controller buffers, a ring of climate readings (filling in stage 1, wrapping from stage 2),
 * the misting queue, and
 * look-alikes of the set's leaks done right: the board of open rearing tasks is a HashSet whose
 * equals/hashCode use only the immutable task id (the status changes, the task is removed when
 * done); the energy-tariff cache is keyed by a record over a fixed set of 24 keys; every climate
 * export job registers a shutdown hook and removes it when the job closes (the job running at the
 * dump has one); larval-batch statistics live in a WeakHashMap whose values hold only the batch id.
 * See VALIDATION119.md.
 */
public final class Val119HealthyInsectFarms {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, EXPORT_EVERY = 30 * MINUTE;
    static final int ROOMS = 800, SENSORS = 20_000, CHART_CAP = 2_000, THUMB_CAP = 1_000, POOL = 8, RING = 16_384,
            READINGS_PER_HOUR = 5_000, EXPORT_HISTORY = 16;

    static final String[] STRAINS = {"black soldier fly on wheat bran", "black soldier fly on brewers' grain", "black soldier fly on vegetable waste",
            "mealworm on oat bran", "house cricket on feed pellets"};
    static final String[] TASKS = {"feeding", "sieving", "harvest", "frass removal", "mite inspection", "crate rotation"};
    static final String[] SUPPLIERS = {"GridOne", "Northern Power", "CHP-own", "Solar PPA"};
    static final String[] BANDS = {"peak", "shoulder", "off-peak"};
    static final String[] DAY_TYPES = {"weekday", "weekend"};

    record RearingRoom(String code, String strain, double squareMetres, double[] setpointByQuarterHour) {}
    record Sensor(String sensorId, String room, String kind, byte[] calibration, long installedAt) {}
    record Chart(String key, byte[] png, long at) {}
    record Thumbnail(String key, byte[] jpeg, long at) {}
    record Reading(String sensorId, double value, long at) {}
    record MistingCommand(String room, int nozzle, int millilitres, long dueAt) {}
    record TariffKey(String supplier, String band, String dayType) {}
    record EnergyTariff(TariffKey key, double pencePerKwh, double standingCharge, long loadedAt) {}
    record ExportSummary(long jobId, int rows, long startedAt, long finishedAt) {}

    /** A task on the rearing-work board; equality is the task id only. */
    static final class RearingTask {
        final String taskId;
        final String room;
        final String kind;
        final long dueAt;
        String status = "OPEN";
        String notes;

        RearingTask(String taskId, String room, String kind, long dueAt) {
            this.taskId = taskId; this.room = room; this.kind = kind; this.dueAt = dueAt;
        }
        @Override public boolean equals(Object o) { return o instanceof RearingTask && ((RearingTask) o).taskId.equals(taskId); }
        @Override public int hashCode() { return taskId.hashCode(); }
    }

    /** One batch of larvae in a crate stack of a room, from neonates to harvest. */
    static final class LarvalBatch {
        final String batchId;
        final String room;
        final long stockedAt;
        LarvalBatch(String batchId, String room, long stockedAt) { this.batchId = batchId; this.room = room; this.stockedAt = stockedAt; }
    }

    /** Running statistics of a larval batch: the batch id, not the batch. */
    static final class BatchStats {
        final String batchId;
        long readings;
        double sumTemperature;
        BatchStats(String batchId) { this.batchId = batchId; }
    }

    static final class ExportJob {
        final long jobId; final long startedAt; final byte[] partialFile; boolean flushed;
        ExportJob(long jobId, long startedAt, byte[] partialFile) { this.jobId = jobId; this.startedAt = startedAt; this.partialFile = partialFile; }
        void flushPartial() { flushed = true; }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) {
            if (size() > cap) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, RearingRoom> ROOMS_BY_CODE = new HashMap<>();

    static final class ClimateService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final String[] sensorIds = new String[SENSORS];
        final String[] roomCodes = new String[ROOMS];
        final Lru<Chart> charts = new Lru<>(CHART_CAP);
        final Lru<Thumbnail> thumbnails = new Lru<>(THUMB_CAP);
        final ArrayDeque<byte[]> fanBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<MistingCommand> misting = new ArrayDeque<>();
        final Set<RearingTask> openTasks = new HashSet<>();
        final PriorityQueue<RearingTask> taskOrder = new PriorityQueue<>(
                Comparator.comparingLong((RearingTask k) -> k.dueAt).thenComparing(k -> k.taskId));
        final Map<TariffKey, EnergyTariff> tariffs = new HashMap<>();
        final Map<String, LarvalBatch> batchOf = new HashMap<>(); // room -> current batch
        final Map<LarvalBatch, BatchStats> batchStats = new WeakHashMap<>();
        final ArrayDeque<ExportSummary> exportHistory = new ArrayDeque<>();
        ExportJob runningExport; Thread runningHook;
        long readingCount, tasksCreated, tasksDone, misted, batchesStocked, tariffLookups, exports, hooksAdded, hooksRemoved, fanWrites;

        void reading(Random r, long t) {
            Sensor s = sensors.get(sensorIds[r.nextInt(SENSORS)]);
            double value = 28 + r.nextGaussian() * 2.5;
            readings[(int) (readingCount++ % RING)] = new Reading(s.sensorId(), value, t);
            LarvalBatch batch = batchOf.get(s.room());
            BatchStats stats = batchStats.get(batch);
            stats.readings++;
            stats.sumTemperature += value;
            TariffKey key = new TariffKey(SUPPLIERS[r.nextInt(SUPPLIERS.length)], BANDS[r.nextInt(BANDS.length)], DAY_TYPES[r.nextInt(DAY_TYPES.length)]);
            tariffLookups++;
            tariffs.computeIfAbsent(key, k -> new EnergyTariff(k, 12 + r.nextInt(30) + r.nextInt(100) / 100.0, 45 + r.nextInt(20), t));
            byte[] buf = fanBuffers.poll();
            buf[(int) (fanWrites++ % buf.length)] = (byte) value;
            fanBuffers.add(buf);
            if (r.nextInt(2) == 0) {
                String ck = "chart-" + s.room() + "-" + r.nextInt(8);
                if (charts.get(ck) == null) charts.put(ck, new Chart(ck, new byte[400 + r.nextInt(400)], t));
            }
            if (r.nextInt(8) == 0) {
                String tk = "crate-cam-" + s.room() + "-" + r.nextInt(2);
                if (thumbnails.get(tk) == null) thumbnails.put(tk, new Thumbnail(tk, new byte[1_500 + r.nextInt(1_000)], t));
            }
            if (r.nextInt(8) == 0) misting.add(new MistingCommand(s.room(), r.nextInt(48), 200 + r.nextInt(800), t + 10 * MINUTE));
            if (r.nextInt(10) == 0) {
                RearingTask task = new RearingTask("RT-" + (3_300_000 + tasksCreated++), s.room(), TASKS[r.nextInt(TASKS.length)], t + (15 + r.nextInt(60)) * MINUTE);
                openTasks.add(task);
                taskOrder.add(task);
            }
        }

        void runMisting(long t) {
            while (!misting.isEmpty() && misting.peek().dueAt() <= t) { misting.poll(); misted++; }
        }

        /** Tasks are done in due order: the status changes, the task leaves the board (same hash). */
        void completeTasks(Random r, long t) {
            while (!taskOrder.isEmpty() && taskOrder.peek().dueAt <= t) {
                RearingTask task = taskOrder.poll();
                task.status = "DONE";
                task.notes = task.kind + " done in " + task.room + ", " + (5 + r.nextInt(40)) + " crates";
                if (openTasks.remove(task)) tasksDone++;
            }
        }

        /** A crate stack is harvested and restocked with neonates: the old batch is dropped. */
        void restock(String room, long t) {
            LarvalBatch batch = new LarvalBatch("LB-" + room + "-" + (batchesStocked++), room, t);
            batchOf.put(room, batch);
            batchStats.put(batch, new BatchStats(batch.batchId));
        }

        void startExport(Random r, long t) {
            ExportJob job = new ExportJob(880_000 + exports++, t, new byte[4_096 + r.nextInt(4_096)]);
            Thread hook = new Thread(job::flushPartial, "climate-export-flush-" + job.jobId);
            Runtime.getRuntime().addShutdownHook(hook);
            hooksAdded++;
            runningExport = job;
            runningHook = hook;
        }

        void finishExport(long t) {
            if (runningExport == null) return;
            if (Runtime.getRuntime().removeShutdownHook(runningHook)) hooksRemoved++;
            exportHistory.addLast(new ExportSummary(runningExport.jobId, (int) (readingCount % 10_000), runningExport.startedAt, t));
            if (exportHistory.size() > EXPORT_HISTORY) exportHistory.removeFirst();
            runningExport = null;
            runningHook = null;
        }
    }

    static ClimateService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(119_050_001);
        ClimateService svc = new ClimateService();
        SERVICE = svc;
        for (int c = 0; c < ROOMS; c++) {
            double[] setpoints = new double[96];
            for (int k = 0; k < setpoints.length; k++) setpoints[k] = 24 + rnd.nextDouble() * 8;
            svc.roomCodes[c] = "IF" + (1 + c / 40) + "-R" + (100 + c % 40);
            ROOMS_BY_CODE.put(svc.roomCodes[c], new RearingRoom(svc.roomCodes[c], STRAINS[rnd.nextInt(STRAINS.length)], 40 + rnd.nextInt(300), setpoints));
            svc.restock(svc.roomCodes[c], start - (long) (1 + rnd.nextInt(14)) * DAY);
        }
        String[] kinds = {"air temperature", "relative humidity", "CO2", "ammonia", "substrate temperature", "substrate moisture"};
        for (int i = 0; i < SENSORS; i++) {
            svc.sensorIds[i] = "IS-" + (210_000 + i * 3);
            svc.sensors.put(svc.sensorIds[i], new Sensor(svc.sensorIds[i], svc.roomCodes[rnd.nextInt(ROOMS)], kinds[rnd.nextInt(kinds.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.fanBuffers.add(new byte[32_768]);
        Random traffic = new Random(119_050_002), crew = new Random(119_050_003), exportRnd = new Random(119_050_004);
        int readings = READINGS_PER_HOUR * hours;
        long nextExport = start + EXPORT_EVERY, nextMisting = start + 5 * MINUTE, nextRestock = start + 5 * MINUTE;
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (nextExport <= t) { svc.finishExport(nextExport); svc.startExport(exportRnd, nextExport); nextExport += EXPORT_EVERY; }
            while (nextMisting <= t) { svc.runMisting(nextMisting); nextMisting += 5 * MINUTE; }
            while (nextRestock <= t) { svc.restock(svc.roomCodes[crew.nextInt(ROOMS)], nextRestock); nextRestock += 5 * MINUTE; }
            svc.completeTasks(crew, t);
            svc.reading(traffic, t);
        }
    }

    /** Lets the collector clear the dropped batches; the WeakHashMap expunges on size(). */
    static int settledBatchStats(int expected) throws InterruptedException {
        int size = SERVICE.batchStats.size();
        for (int tries = 0; tries < 50 && size != expected; tries++) {
            System.gc();
            Thread.sleep(20);
            size = SERVICE.batchStats.size();
        }
        return size;
    }

    static String verify(int stage, int hours) throws InterruptedException {
        ClimateService svc = SERVICE;
        int readings = READINGS_PER_HOUR * hours;
        int stats = settledBatchStats(ROOMS);
        long hooks = svc.hooksAdded - svc.hooksRemoved;
        String summary = "stage " + stage + " rooms " + ROOMS_BY_CODE.size() + " sensors " + svc.sensors.size() + " readings " + svc.readingCount
                + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted
                + ") pool " + svc.fanBuffers.size() + " misting queued " + svc.misting.size() + " (done " + svc.misted + ") tasks " + svc.tasksCreated
                + " done " + svc.tasksDone + " open " + svc.openTasks.size() + " tariffs " + svc.tariffs.size() + " (lookups " + svc.tariffLookups + ") batches stocked "
                + svc.batchesStocked + " batch stats " + stats + " exports " + svc.exports + " hooks " + hooks + " history " + svc.exportHistory.size();
        check(ROOMS_BY_CODE.size() == ROOMS && svc.sensors.size() == SENSORS, "reference data / directory");
        check(svc.readingCount == readings && svc.tariffLookups == readings, "readings");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(stage == 1 ? svc.thumbnails.size() < THUMB_CAP : svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnails " + svc.thumbnails.size());
        check(svc.fanBuffers.size() == POOL && svc.readings[Math.min(readings, RING) - 1] != null && (stage == 1) == (readings < RING), "pool / ring");
        check(svc.openTasks.size() == svc.taskOrder.size() && svc.tasksDone + svc.openTasks.size() == svc.tasksCreated && svc.openTasks.size() < 500, "open tasks");
        check(svc.tariffs.size() == SUPPLIERS.length * BANDS.length * DAY_TYPES.length, "tariffs");
        check(svc.batchOf.size() == ROOMS && stats == ROOMS && svc.batchesStocked == ROOMS + 12L * hours - 1, "batch stats " + stats);
        check(svc.exports == 2L * hours - 1 && hooks == 1 && svc.runningExport != null && svc.exportHistory.size() == Math.min(EXPORT_HISTORY, (int) svc.exports - 1), "exports");
        check(svc.misting.size() < 300, "misting backlog");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(verify(stage, hours));
        LeakCheck.histogram("java.util.WeakHashMap", "java.lang.Thread ", "java.util.IdentityHashMap");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.out.flush();
        Runtime.getRuntime().halt(0); // as a killed server: the running export's hook does not run
    }
}
