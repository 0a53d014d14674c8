// hprofscan-dump: name=val109-healthy-dosimetry jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val109-healthy-dosimetry-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 109 (written blind), HEALTHY: the personal-dosimetry service of a radiation
 * protection provider for hospitals. Department reference data, the wearer directory, a memo of
 * dose-conversion coefficients keyed by their inputs only (bounded by its key space), a pool of
 * label buffers, a ring of badge readings, the reader-upload backlog, and look-alikes of the set's
 * leaks done right: reading batches fan out to one fixed pool of 3 threads shared by all batches
 * (each thread with its ThreadLocal parse scratch), and the two-hourly dose report creates its own
 * executor and shuts it down in a finally; radiation-safety dashboards register a listener on the
 * dose-alert bus and remove it on every close path; area-monitor watches schedule a periodic check
 * that is cancelled when the watch stops (remove-on-cancel policy). See VALIDATION109.md.
 */
public final class Val109HealthyDosimetry {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEPARTMENTS = 1_000, WEARERS = 24_000, POOL = 10, RING = 16_384, READERS = 8, HOURS = 10, READINGS_PER_MINUTE = 40,
            DASHBOARDS_PER_MINUTE = 3, WATCHES_PER_MINUTE = 2, UPLOAD_LAG_MINUTES = 4, REPORT_EVERY_MINUTES = 120;
    static final String[] RADIATION = {"photon", "beta", "neutron", "mixed"};
    static final String[] BADGE_MODELS = {"TLD-100", "TLD-700", "OSL-InLight", "OSL-Luxel", "EPD-Mk2", "DIS-1"};

    record Department(String code, String hospital, double[] collectiveDoseByMonth) {}
    record Wearer(String wearerId, String department, String badgeModel, byte[] doseHistory, long enrolledAt) {}
    record CoefficientKey(String radiation, int energyBandKeV, String badgeModel) {}
    record BadgeReading(String wearerId, String badgeSerial, double hp10MilliSv, double hp007MilliSv, long readAt) {}
    record ReaderUpload(String readerId, int readings, long receivedAt) {}
    record DoseAlert(String wearerId, String department, double milliSv, long at) {}
    record DoseReport(long from, long to, int wearers, double collectiveMilliSv) {}

    interface DoseAlertListener { void onAlert(DoseAlert a); }

    static final ThreadLocal<char[]> PARSE_SCRATCH = ThreadLocal.withInitial(() -> new char[8_192]);
    static final Map<String, Department> DEPARTMENTS_BY_CODE = new HashMap<>();

    static final class DoseAlertBus {
        final CopyOnWriteArrayList<DoseAlertListener> listeners = new CopyOnWriteArrayList<>();
        void register(DoseAlertListener l) { listeners.add(l); }
        void remove(DoseAlertListener l) { listeners.remove(l); }
        void publish(DoseAlert a) { for (DoseAlertListener l : listeners) l.onAlert(a); }
    }

    static final class Dashboard implements DoseAlertListener {
        final String sessionId, officer, department;
        final ArrayDeque<DoseAlert> shown = new ArrayDeque<>();
        final byte[] renderBuffer = new byte[4_096];
        boolean open = true;
        Dashboard(String sessionId, String officer, String department) { this.sessionId = sessionId; this.officer = officer; this.department = department; }
        @Override public void onAlert(DoseAlert a) {
            if (!open || !a.department().equals(department)) return;
            shown.addLast(a);
            if (shown.size() > 20) shown.removeFirst();
            renderBuffer[(int) (a.at() % renderBuffer.length)]++;
        }
    }

    static final class AreaWatch {
        final String watchId, monitorId;
        final double alarmMicroSvPerHour;
        final long startedAt;
        ScheduledFuture<?> check;
        AreaWatch(String watchId, String monitorId, double alarm, long startedAt) { this.watchId = watchId; this.monitorId = monitorId; this.alarmMicroSvPerHour = alarm; this.startedAt = startedAt; }
    }

    record Ending(long at, int kind, Object target) {}

    static final class DoseService {
        final Map<String, Wearer> wearers = new HashMap<>();
        final String[] wearerIds = new String[WEARERS];
        final Map<CoefficientKey, double[]> coefficients = new HashMap<>();
        final ThreadPoolExecutor readerPool;
        final DoseAlertBus bus = new DoseAlertBus();
        final Map<String, Dashboard> dashboards = new HashMap<>();
        final ScheduledThreadPoolExecutor monitorScheduler;
        final Map<String, AreaWatch> watches = new HashMap<>();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final BadgeReading[] readings = new BadgeReading[RING];
        final ArrayDeque<ReaderUpload> uploads = new ArrayDeque<>();
        final ArrayDeque<DoseReport> reports = new ArrayDeque<>();
        long readingCount, coefficientLookups, alerts, dashboardsOpened, dashboardsClosed, dashboardsExpired, watchesStarted, watchesStopped,
                uploadsReceived, uploadsFiled, reportRuns, reportThreads;

        DoseService() {
            AtomicInteger n = new AtomicInteger(), m = new AtomicInteger();
            readerPool = new ThreadPoolExecutor(3, 3, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "badge-reader-" + n.incrementAndGet()));
            monitorScheduler = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "area-monitor-" + m.incrementAndGet()));
            monitorScheduler.setRemoveOnCancelPolicy(true);
        }

        double[] coefficient(CoefficientKey k) {
            synchronized (coefficients) {
                coefficientLookups++;
                return coefficients.computeIfAbsent(k, key -> {
                    Random r = new Random(key.hashCode());
                    double[] c = new double[32];
                    for (int i = 0; i < c.length; i++) c[i] = 0.5 + r.nextDouble();
                    return c;
                });
            }
        }

        BadgeReading parse(String wearerId, String serial, int energyBand, String radiation, long at, long seed) {
            char[] scratch = PARSE_SCRATCH.get();
            scratch[(int) (seed % scratch.length)] = (char) energyBand;
            Wearer w = wearers.get(wearerId);
            double[] c = coefficient(new CoefficientKey(radiation, energyBand, w.badgeModel()));
            Random r = new Random(seed);
            double raw = r.nextDouble() * 0.8;
            return new BadgeReading(wearerId, serial, raw * c[energyBand % c.length], raw * c[(energyBand + 7) % c.length], at);
        }

        void readBatch(Random r, long t, int seq) throws Exception {
            List<Future<BadgeReading>> parts = new ArrayList<>();
            for (int k = 0; k < READINGS_PER_MINUTE; k++) {
                String wearerId = wearerIds[r.nextInt(WEARERS)];
                String serial = "BG" + (40_000_000 + r.nextInt(9_000_000));
                int band = r.nextInt(25);
                String rad = RADIATION[r.nextInt(RADIATION.length)];
                long at = t + k * 1_500L, seed = 109_060_100L + (long) seq * READINGS_PER_MINUTE + k;
                parts.add(readerPool.submit(() -> parse(wearerId, serial, band, rad, at, seed)));
            }
            for (Future<BadgeReading> f : parts) {
                BadgeReading b = f.get();
                readings[(int) (readingCount++ % RING)] = b;
                if (b.hp10MilliSv() > 0.95) { alerts++; bus.publish(new DoseAlert(b.wearerId(), wearers.get(b.wearerId()).department(), b.hp10MilliSv(), b.readAt())); }
            }
            for (int k = 0; k < READERS; k++) {
                uploads.addLast(new ReaderUpload("RDR-" + (100 + (seq * READERS + k) % 37), READINGS_PER_MINUTE / READERS, t + k * 7 * SECOND));
                uploadsReceived++;
            }
        }

        void runReport(long from, long to) throws Exception {
            AtomicInteger n = new AtomicInteger();
            ExecutorService exec = Executors.newFixedThreadPool(2, r -> { reportThreads++; return new Thread(r, "dose-report-" + reportRuns + "-" + n.incrementAndGet()); });
            try {
                Future<Double> a = exec.submit(() -> { double s = 0; for (int i = 0; i < RING / 2; i++) if (readings[i] != null) s += readings[i].hp10MilliSv(); return s; });
                Future<Double> b = exec.submit(() -> { double s = 0; for (int i = RING / 2; i < RING; i++) if (readings[i] != null) s += readings[i].hp10MilliSv(); return s; });
                reports.addLast(new DoseReport(from, to, WEARERS, a.get() + b.get()));
                if (reports.size() > 12) reports.removeFirst();
                reportRuns++;
            } finally {
                exec.shutdown();
                if (!exec.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("report executor did not stop");
            }
        }

        void openDashboard(Dashboard d) { bus.register(d); dashboards.put(d.sessionId, d); dashboardsOpened++; }
        void endDashboard(Dashboard d, boolean expired) {
            d.open = false;
            bus.remove(d); // on logout and on session expiry alike
            dashboards.remove(d.sessionId);
            if (expired) dashboardsExpired++; else dashboardsClosed++;
        }

        void startWatch(AreaWatch w) {
            w.check = monitorScheduler.scheduleAtFixedRate(() -> checkMonitor(w), 3, 1, TimeUnit.MINUTES);
            watches.put(w.watchId, w);
            watchesStarted++;
        }
        void checkMonitor(AreaWatch w) { if (w.alarmMicroSvPerHour < 0) throw new IllegalStateException(); }
        void stopWatch(AreaWatch w) {
            w.check.cancel(false);
            watches.remove(w.watchId);
            watchesStopped++;
        }
    }

    static DoseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(109_060_001);
        String[] deptCodes = new String[DEPARTMENTS];
        for (int d = 0; d < DEPARTMENTS; d++) {
            double[] dose = new double[60];
            for (int m = 0; m < dose.length; m++) dose[m] = rnd.nextDouble() * 12;
            deptCodes[d] = "H" + (100 + d / 8) + "-D" + (1 + d % 8);
            DEPARTMENTS_BY_CODE.put(deptCodes[d], new Department(deptCodes[d], "Hospital " + (100 + d / 8), dose));
        }
        DoseService svc = new DoseService();
        SERVICE = svc;
        for (int w = 0; w < WEARERS; w++) {
            svc.wearerIds[w] = "WR" + (5_500_000 + w * 11);
            svc.wearers.put(svc.wearerIds[w], new Wearer(svc.wearerIds[w], deptCodes[rnd.nextInt(DEPARTMENTS)], BADGE_MODELS[rnd.nextInt(BADGE_MODELS.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_650)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[16_384]);
        svc.bus.register(a -> { });                                                     // regulator notification feed
        svc.monitorScheduler.scheduleAtFixedRate(() -> { }, 15, 15, TimeUnit.MINUTES);     // monitor health poll

        Random traffic = new Random(109_060_002), dash = new Random(109_060_003), watch = new Random(109_060_004);
        PriorityQueue<Ending> endings = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int seq = 0, dashSeq = 0, watchSeq = 0;
        long lastReport = start;
        for (long t = start; t < end; t += MINUTE) {
            while (!endings.isEmpty() && endings.peek().at() <= t) {
                Ending e = endings.poll();
                if (e.kind() == 2) svc.stopWatch((AreaWatch) e.target());
                else svc.endDashboard((Dashboard) e.target(), e.kind() == 1);
            }
            for (int k = 0; k < DASHBOARDS_PER_MINUTE; k++) {
                Dashboard d = new Dashboard("rso-" + Long.toHexString(0x51_0000L + dashSeq++), "RSO" + (200 + dash.nextInt(300)), deptCodes[dash.nextInt(DEPARTMENTS)]);
                svc.openDashboard(d);
                boolean expires = dash.nextInt(100) < 30;
                endings.add(new Ending(t + (3 + dash.nextInt(50)) * MINUTE + (expires ? 30 * MINUTE : 0), expires ? 1 : 0, d));
            }
            for (int k = 0; k < WATCHES_PER_MINUTE; k++) {
                AreaWatch w = new AreaWatch("AW" + (800_000 + watchSeq++), "MON-" + (1_000 + watch.nextInt(400)), 2.5 + watch.nextInt(20), t);
                svc.startWatch(w);
                endings.add(new Ending(t + (15 + watch.nextInt(90)) * MINUTE, 2, w));
            }
            svc.readBatch(traffic, t, seq++);
            byte[] buf = svc.labelBuffers.poll();
            buf[(int) (t / MINUTE % buf.length)]++;
            svc.labelBuffers.add(buf);
            while (!svc.uploads.isEmpty() && svc.uploads.peekFirst().receivedAt() <= t - UPLOAD_LAG_MINUTES * MINUTE) {
                svc.uploads.pollFirst();
                svc.uploadsFiled++;
            }
            if (t - lastReport >= REPORT_EVERY_MINUTES * MINUTE) { svc.runReport(lastReport, t); lastReport = t; }
        }
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix) && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the pools' threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        simulate();
        DoseService svc = SERVICE;
        int queued = svc.monitorScheduler.getQueue().size();
        int reportAlive = liveThreads("dose-report-");
        System.out.println("departments " + DEPARTMENTS_BY_CODE.size() + " wearers " + svc.wearers.size() + " readings " + svc.readingCount + " alerts " + svc.alerts + " coefficients " + svc.coefficients.size()
                + " (lookups " + svc.coefficientLookups + ") dashboards +" + svc.dashboardsOpened + " -" + svc.dashboardsClosed + " expired " + svc.dashboardsExpired + " open " + svc.dashboards.size()
                + " bus " + svc.bus.listeners.size() + " watches +" + svc.watchesStarted + " -" + svc.watchesStopped + " active " + svc.watches.size() + " monitor queue " + queued
                + " uploads backlog " + svc.uploads.size() + " reports " + svc.reportRuns + " (threads " + svc.reportThreads + ", alive " + reportAlive + ") reader threads " + liveThreads("badge-reader-")
                + " pool " + svc.labelBuffers.size());
        check(DEPARTMENTS_BY_CODE.size() == DEPARTMENTS && svc.wearers.size() == WEARERS, "reference data / directory");
        check(svc.readingCount == (long) READINGS_PER_MINUTE * HOURS * 60 && svc.readings[RING - 1] != null, "readings");
        check(svc.coefficients.size() == RADIATION.length * 25 * BADGE_MODELS.length, "coefficient memo (bounded by its key space)");
        check(svc.dashboardsOpened == svc.dashboardsClosed + svc.dashboardsExpired + svc.dashboards.size() && svc.bus.listeners.size() == svc.dashboards.size() + 1, "alert bus");
        check(svc.watchesStarted == svc.watchesStopped + svc.watches.size() && queued == svc.watches.size() + 1, "area watches");
        check(svc.reportRuns == HOURS * 60 / REPORT_EVERY_MINUTES - 1 && svc.reportThreads == 2 * svc.reportRuns && reportAlive == 0, "report executors shut down");
        check(liveThreads("badge-reader-") == 3 && liveThreads("area-monitor-") == 1, "shared pools");
        check(svc.uploads.size() == READERS * (UPLOAD_LAG_MINUTES + 1) - 1 && svc.uploadsReceived == svc.uploadsFiled + svc.uploads.size(), "upload backlog");
        check(svc.labelBuffers.size() == POOL, "label buffer pool");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
