// hprofscan-dump: name=val101-leak-aquaculture jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val101-leak-aquaculture-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 101 (written blind), LEAK: the monitoring portal of a salmon-farming
 * (aquaculture) company. Farm-site reference data, the sensor directory, a cache of rendered
 * charts at its cap, a pool of export buffers, a ring of recent sensor readings, the map of active
 * report subscriptions, and one shared ScheduledThreadPoolExecutor on which every subscription
 * schedules its digest (a DigestTask holding the subscriber's full query and a result buffer) with
 * scheduleAtFixedRate, daily or weekly. Unsubscribing removes the subscription from the map but
 * never cancels its ScheduledFuture, so the task, its query and its buffer stay in the executor's
 * queue and keep being rescheduled forever. See VALIDATION101.md.
 */
public final class Val101LeakAquaculture {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SITES = 900, SENSORS = 22_000, CHART_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SUBSCRIPTIONS = 6_000, READINGS = 60_000;
    static boolean FIXED;
    /** Runs of any scheduled task (the worker thread increments it; none is due before the dump). */
    static final AtomicLong RUNS = new AtomicLong();

    record FarmSite(String code, String region, double[] oxygenProfile) {}
    record Sensor(String id, String siteCode, String kind, byte[] calibration, long installedAt) {}
    record Chart(String key, byte[] png, long renderedAt) {}
    record Reading(String sensorId, double value, long at) {}
    record Filter(String field, String op, String value) {}
    /** A planned simulation step (kept only by the simulation loop, never by the service). */
    record Planned<T>(long at, T item) {}

    /** The subscriber's full report query. */
    static final class ReportQuery {
        final String siteCode, groupBy, recipient;
        final String[] metrics;
        final List<Filter> filters = new ArrayList<>();
        final long windowMs;
        ReportQuery(String siteCode, String groupBy, String recipient, String[] metrics, long windowMs) {
            this.siteCode = siteCode; this.groupBy = groupBy; this.recipient = recipient; this.metrics = metrics; this.windowMs = windowMs;
        }
    }

    /** The periodic digest of one subscription. */
    static final class DigestTask implements Runnable {
        final String subscriptionId;
        final ReportQuery query;
        final StringBuilder resultBuffer;
        long runs;
        DigestTask(String subscriptionId, ReportQuery query, int bufferChars) { this.subscriptionId = subscriptionId; this.query = query; this.resultBuffer = new StringBuilder(bufferChars); }
        @Override public void run() {
            runs++;
            RUNS.incrementAndGet();
            resultBuffer.setLength(0);
            resultBuffer.append(query.siteCode).append(':').append(query.metrics.length);
        }
    }

    static final class Subscription {
        final String id, cadence;
        final ReportQuery query;
        final long createdAt;
        ScheduledFuture<?> future;
        Subscription(String id, String cadence, ReportQuery query, long createdAt) { this.id = id; this.cadence = cadence; this.query = query; this.createdAt = createdAt; }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final class Maintenance implements Runnable {
        final String name; long runs;
        Maintenance(String name) { this.name = name; }
        @Override public void run() { runs++; RUNS.incrementAndGet(); }
    }

    static final Map<String, FarmSite> SITES_BY_CODE = new HashMap<>();

    static final class ReportService {
        final Map<String, Subscription> subscriptions = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler;
        long subscribed, unsubscribed;
        ReportService() {
            scheduler = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "report-scheduler-1"); t.setDaemon(true); return t; });
            scheduler.setRemoveOnCancelPolicy(true);
        }
        void subscribe(Subscription s, int bufferChars, long initialDelayMs) {
            DigestTask task = new DigestTask(s.id, s.query, bufferChars);
            long period = s.cadence.equals("WEEKLY") ? 7 * DAY : DAY;
            s.future = scheduler.scheduleAtFixedRate(task, initialDelayMs, period, TimeUnit.MILLISECONDS);
            subscriptions.put(s.id, s);
            subscribed++;
        }
        void unsubscribe(String id) {
            Subscription s = subscriptions.remove(id);
            if (FIXED) s.future.cancel(false);
            // BUG: the ScheduledFuture is never cancelled; the DigestTask stays in the scheduler's queue
            unsubscribed++;
        }
    }

    static final class MonitoringPortal {
        final Map<String, Sensor> sensors = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingsWritten;
        final ReportService reports = new ReportService();
        final List<Maintenance> maintenance = new ArrayList<>();
    }

    static MonitoringPortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(101_020_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] profile = new double[96];
            for (int k = 0; k < profile.length; k++) profile[k] = 6 + rnd.nextDouble() * 5;
            siteCodes[s] = "SITE-" + (1_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new FarmSite(siteCodes[s], "Fjord " + (s % 45), profile));
        }
        MonitoringPortal svc = new MonitoringPortal();
        SERVICE = svc;
        String[] sensorIds = new String[SENSORS];
        String[] kinds = {"OXYGEN", "TEMPERATURE", "SALINITY", "TURBIDITY", "CURRENT", "FEED_CAMERA"};
        for (int i = 0; i < SENSORS; i++) {
            sensorIds[i] = "SN" + (60_000_000 + i * 3);
            svc.sensors.put(sensorIds[i], new Sensor(sensorIds[i], siteCodes[rnd.nextInt(SITES)], kinds[i % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        String[] maintenanceNames = {"purge-expired-readings", "recompute-baselines", "rotate-export-files"};
        long[] maintenancePeriods = {HOUR, 6 * HOUR, DAY};
        for (int m = 0; m < maintenanceNames.length; m++) {
            Maintenance task = new Maintenance(maintenanceNames[m]);
            svc.maintenance.add(task);
            svc.reports.scheduler.scheduleAtFixedRate(task, 30 * MINUTE + m * HOUR, maintenancePeriods[m], TimeUnit.MILLISECONDS);
        }

        Random traffic = new Random(101_020_002);
        Random subs = new Random(101_020_003);
        String[] metrics = {"dissolved_o2", "water_temp", "salinity", "lice_count", "feed_kg", "biomass_t", "mortality", "current_speed"};
        String[] groupBys = {"pen", "site", "hour", "day"};
        String[] ops = {">", "<", ">=", "<="};
        String[] cadences = {"DAILY", "DAILY", "DAILY", "WEEKLY"};
        PriorityQueue<Planned<String>> ending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int nextSub = 0, maxActive = 0;
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - MINUTE - start) * i / READINGS;
            while (nextSub < SUBSCRIPTIONS && start + (end - MINUTE - start) * nextSub / SUBSCRIPTIONS <= t) {
                long at = start + (end - MINUTE - start) * nextSub / SUBSCRIPTIONS;
                while (!ending.isEmpty() && ending.peek().at() <= at) svc.reports.unsubscribe(ending.poll().item());
                String[] chosen = new String[2 + subs.nextInt(4)];
                for (int k = 0; k < chosen.length; k++) chosen[k] = metrics[subs.nextInt(metrics.length)];
                ReportQuery q = new ReportQuery(siteCodes[subs.nextInt(SITES)], groupBys[subs.nextInt(groupBys.length)], "ops" + subs.nextInt(5_000) + "@farm.example", chosen, (1 + subs.nextInt(7)) * DAY);
                int filters = 1 + subs.nextInt(3);
                for (int k = 0; k < filters; k++) q.filters.add(new Filter(metrics[subs.nextInt(metrics.length)], ops[subs.nextInt(ops.length)], Double.toString(subs.nextInt(200) / 10.0)));
                String cadence = cadences[subs.nextInt(cadences.length)];
                long endsAt = at + (20 + subs.nextInt(280)) * MINUTE;
                Subscription s = new Subscription("SUB-" + (700_000 + nextSub), cadence, q, at);
                // the first digest goes out at the next delivery hour (05:00-08:00 UTC) at least 30 minutes away
                long firstRun = end - end % DAY + (5 + subs.nextInt(4)) * HOUR;
                while (firstRun < now + 30 * MINUTE) firstRun += DAY;
                svc.reports.subscribe(s, 1_024 + subs.nextInt(1_024), firstRun - now);
                ending.add(new Planned<>(endsAt, s.id));
                maxActive = Math.max(maxActive, svc.reports.subscriptions.size());
                nextSub++;
            }
            String sensor = sensorIds[traffic.nextInt(SENSORS)];
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new Reading(sensor, traffic.nextDouble() * 20, t);
            if (i % 3 == 0) {
                String key = "chart-" + traffic.nextInt(5_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.exportBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.exportBuffers.add(buf);
        }
        while (!ending.isEmpty() && ending.peek().at() <= end) svc.reports.unsubscribe(ending.poll().item());
        int active = ending.size();
        ReportService r = svc.reports;
        long ran = RUNS.get();
        String summary = (FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " sensors " + svc.sensors.size() + " subscribed " + r.subscribed + " unsubscribed " + r.unsubscribed
                + " active " + r.subscriptions.size() + " (max " + maxActive + ") scheduler queue " + r.scheduler.getQueue().size() + " completed " + r.scheduler.getCompletedTaskCount()
                + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.exportBuffers.size() + " readings " + svc.readingsWritten;
        check(SITES_BY_CODE.size() == SITES && svc.sensors.size() == SENSORS, "reference data / directory");
        check(r.subscribed == SUBSCRIPTIONS && r.unsubscribed + active == SUBSCRIPTIONS && r.subscriptions.size() == active, "subscriptions");
        check(ran == 0 && r.scheduler.getCompletedTaskCount() == 0, "no scheduled task ran before the dump");
        if (FIXED) check(r.scheduler.getQueue().size() == 3 + active, "queue holds the active subscriptions only");
        else check(r.scheduler.getQueue().size() == 3 + SUBSCRIPTIONS, "queue keeps every subscription's task: " + r.scheduler.getQueue().size());
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == READINGS && svc.readings[RING - 1] != null, "ring");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val101.fixed");
        String summary = build();
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
