// hprofscan-dump: name=val102-healthy-verticalfarms-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val102-healthy-verticalfarms-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val102-healthy-verticalfarms jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val102-healthy-verticalfarms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 102 (written blind), HEALTHY: the climate-control back end of a vertical-farming
 * company. Grow-rack reference data, the sensor directory, a cache of rendered climate charts at
 * its cap, a pool of upload buffers, a ring of the latest sensor readings, the import of the
 * sensor-gateway batches (every 5 minutes) on ONE shared {@code Executors.newFixedThreadPool(2)}
 * created at start-up and reused by every batch, whose tasks buffer their audit events per thread
 * and flush them every 64 events and at the end of every task, and a retry queue of grower pager
 * alerts ordered by next retry time that gives up after 5 attempts. Warms up, then plateaus.
 * See VALIDATION102.md.
 */
public final class Val102HealthyVerticalFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, BATCH_EVERY = 5 * MINUTE, RETRY_DELAY = 5 * MINUTE;
    static final int RACKS = 1_300, SENSORS = 24_000, CHART_CAP = 2_000, POOL = 8, RING = 8_192, ROWS_PER_BATCH = 400, AUDIT_FLUSH_AT = 64, MAX_ATTEMPTS = 5;

    record Rack(String code, String farm, double[] lightRecipe) {}
    record Sensor(String sensorId, String rackCode, String kind, byte[] calibration, long installedAt) {}
    record Chart(String key, byte[] rendered, long at) {}
    record Reading(String sensorId, double value, long at) {}
    record RawRow(String sensorId, double value, long at) {}
    record AuditEvent(String batchId, String type, int rows, long at) {}
    record PagerAlert(long id, String growerId, String pager, String rackCode, byte[] text, long raisedAt) {}

    static final class PendingAlert {
        final PagerAlert alert; int attempts; long nextRetryAt;
        PendingAlert(PagerAlert alert, long at) { this.alert = alert; this.attempts = 1; this.nextRetryAt = at + RETRY_DELAY; }
    }

    /** Audit events of the import tasks, buffered per pool thread, flushed every 64 events and at the end of each task. */
    static final class ImportAudit {
        static final ThreadLocal<List<AuditEvent>> BUFFER = ThreadLocal.withInitial(ArrayList::new);
        static final AtomicLong written = new AtomicLong(), flushes = new AtomicLong();
        static void record(AuditEvent e) { List<AuditEvent> b = BUFFER.get(); b.add(e); if (b.size() >= AUDIT_FLUSH_AT) flush(b); }
        static void flush(List<AuditEvent> b) { if (b.isEmpty()) return; written.addAndGet(b.size()); flushes.incrementAndGet(); b.clear(); }
        static void endOfTask() { flush(BUFFER.get()); }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Rack> RACKS_BY_CODE = new HashMap<>();

    static final class ClimateService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> uploadBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        /** One pool for the service's lifetime, reused by every import batch. */
        final ExecutorService importPool = Executors.newFixedThreadPool(2);
        final PriorityQueue<PendingAlert> alertRetries = new PriorityQueue<>(Comparator.comparingLong((PendingAlert p) -> p.nextRetryAt).thenComparingLong(p -> p.alert.id()));
        long readingCount, batches, alertsRaised, alertsDelivered, alertsGivenUp, retries;

        static List<Reading> parse(String batchId, List<RawRow> rows, long at) {
            List<Reading> out = new ArrayList<>(rows.size());
            int n = 0;
            for (RawRow r : rows) {
                out.add(new Reading(r.sensorId(), r.value(), r.at()));
                if (++n % 10 == 0) ImportAudit.record(new AuditEvent(batchId, "ROWS_ACCEPTED", 10, at));
            }
            ImportAudit.record(new AuditEvent(batchId, "CHUNK_DONE", rows.size(), at));
            ImportAudit.endOfTask();
            return out;
        }

        List<Reading> importBatch(String batchId, List<RawRow> rows, long at) throws Exception {
            int half = rows.size() / 2;
            List<RawRow> first = rows.subList(0, half), second = rows.subList(half, rows.size());
            List<Callable<List<Reading>>> chunks = List.of(() -> parse(batchId, first, at), () -> parse(batchId, second, at));
            List<Reading> all = new ArrayList<>(rows.size());
            for (Future<List<Reading>> f : importPool.invokeAll(chunks)) all.addAll(f.get());
            batches++;
            return all;
        }

        void retryAlerts(Set<String> outOfService, long now) {
            while (!alertRetries.isEmpty() && alertRetries.peek().nextRetryAt <= now) {
                PendingAlert p = alertRetries.poll();
                p.attempts++; retries++;
                if (!outOfService.contains(p.alert.pager())) { alertsDelivered++; continue; }
                if (p.attempts >= MAX_ATTEMPTS) { alertsGivenUp++; continue; } // reported to the shift lead instead
                p.nextRetryAt = now + RETRY_DELAY;
                alertRetries.add(p);
            }
        }
    }

    static ClimateService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int importThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("pool-")) n++;
        return n;
    }

    static int simulate(ClimateService svc, String[] sensorIds, long start, long end) throws Exception {
        Random traffic = new Random(102_050_002);
        Set<String> outOfService = new HashSet<>();
        for (int g = 0; g < 400; g++) if (g % 10 == 3) outOfService.add("PGR-" + (9_000 + g));
        int n = 0;
        long nextRetry = start + MINUTE;
        for (long t = start + BATCH_EVERY; t <= end; t += BATCH_EVERY) {
            while (nextRetry <= t) { svc.retryAlerts(outOfService, nextRetry); nextRetry += MINUTE; }
            String batchId = "GW-" + (20_000 + n);
            List<RawRow> rows = new ArrayList<>(ROWS_PER_BATCH);
            for (int i = 0; i < ROWS_PER_BATCH; i++) rows.add(new RawRow(sensorIds[traffic.nextInt(SENSORS)], 15 + traffic.nextDouble() * 15, t - BATCH_EVERY + (BATCH_EVERY - 1_000) * i / ROWS_PER_BATCH));
            for (Reading rd : svc.importBatch(batchId, rows, t)) {
                svc.readings[(int) (svc.readingCount++ % RING)] = rd;
                if (rd.value() > 28.0) { // too warm: page the rack's grower
                    int g = traffic.nextInt(400);
                    svc.alertsRaised++;
                    PagerAlert a = new PagerAlert(svc.alertsRaised, "GR-" + g, "PGR-" + (9_000 + g), svc.sensors.get(rd.sensorId()).rackCode(), new byte[120 + traffic.nextInt(120)], t);
                    if (outOfService.contains(a.pager())) svc.alertRetries.add(new PendingAlert(a, t)); else svc.alertsDelivered++;
                }
                String key = "chart-" + traffic.nextInt(5_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.uploadBuffers.poll();
            buf[n % buf.length] = (byte) n;
            svc.uploadBuffers.add(buf);
            n++;
        }
        while (nextRetry <= end) { svc.retryAlerts(outOfService, nextRetry); nextRetry += MINUTE; }
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the import pool's threads are not daemons: exit instead of hanging
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(102_050_001);
        String[] rackCodes = new String[RACKS];
        for (int r = 0; r < RACKS; r++) {
            double[] recipe = new double[64];
            for (int k = 0; k < recipe.length; k++) recipe[k] = rnd.nextDouble() * 600;
            rackCodes[r] = "RK-" + (r / 100) + "-" + (r % 100);
            RACKS_BY_CODE.put(rackCodes[r], new Rack(rackCodes[r], "Farm " + (r / 100), recipe));
        }
        ClimateService svc = new ClimateService();
        SERVICE = svc;
        String[] sensorIds = new String[SENSORS];
        String[] kinds = {"temperature", "humidity", "co2", "par-light", "ec", "ph"};
        for (int s = 0; s < SENSORS; s++) {
            sensorIds[s] = "SN" + (6_100_000 + s * 5);
            svc.sensors.put(sensorIds[s], new Sensor(sensorIds[s], rackCodes[rnd.nextInt(RACKS)], kinds[s % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.uploadBuffers.add(new byte[32_768]);
        int batches = simulate(svc, sensorIds, start, end);
        sensorIds = null;
        rackCodes = null;
        int threads = importThreads();
        System.out.println("stage " + stage + " racks " + RACKS_BY_CODE.size() + " sensors " + svc.sensors.size() + " batches " + svc.batches + " import threads " + threads + " readings " + svc.readingCount + " (ring " + Math.min(RING, svc.readingCount) + ")"
                + " audit written " + ImportAudit.written.get() + " in " + ImportAudit.flushes.get() + " flushes; alerts raised " + svc.alertsRaised + " delivered " + svc.alertsDelivered + " given up " + svc.alertsGivenUp + " pending retry " + svc.alertRetries.size()
                + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.uploadBuffers.size());
        check(RACKS_BY_CODE.size() == RACKS && svc.sensors.size() == SENSORS, "reference data / directory");
        check(batches == hours * 12 && svc.batches == batches && svc.readingCount == (long) batches * ROWS_PER_BATCH, "batches");
        check(threads == 2, "one shared import pool: " + threads);
        check(ImportAudit.written.get() == (long) batches * (ROWS_PER_BATCH / 10 + 2), "every audit event flushed");
        check(svc.alertsRaised == svc.alertsDelivered + svc.alertsGivenUp + svc.alertRetries.size() && svc.alertRetries.size() < 100, "alert retries bounded: " + svc.alertRetries.size());
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.uploadBuffers.size() == POOL, "pool");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
