// hprofscan-dump: name=val115-leak-tachographimports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val115-leak-tachographimports-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 115 (written blind), LEAK: the drivers'-hours compliance service of a haulage
 * software firm. Operators upload tachograph downloads (.ddd files from driver cards and vehicle
 * units); each import job creates its own single-thread ThreadPoolExecutor to parse the file's
 * blocks and never shuts it down. The job's context (raw download, parsed activities, job log) is
 * published in an InheritableThreadLocal, like a logging MDC, so that the parse tasks can tag their
 * log lines; the executor's worker thread is created while the context is set and inherits it, then
 * parks forever in the executor's queue: every job's buffers stay reachable from its idle worker
 * thread. Ordinary components beside it: operator licences (reference data), the driver directory
 * keyed by card number, an infringement-report LRU at its cap, a pool of PDF buffers, a ring of
 * recent duty events, the e-mail alert backlog. See VALIDATION115.md.
 */
public final class Val115LeakTachographImports {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOURS = 10, OPERATORS = 1_000, DRIVERS = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, JOBS_PER_HOUR = 24, BLOCKS = 4,
            ALERT_EVERY_MINUTES = 10;
    static final String[] ACTIVITIES = {"BREAK/REST", "AVAILABILITY", "WORK", "DRIVING"};
    static boolean FIXED;

    record OperatorLicence(String licence, String name, String trafficArea, double[] infringementsByWeek) {}
    record Driver(String cardNo, String name, String operator, byte[] qualifications, long cardExpiry) {}
    record ActivityRecord(long start, int minutes, byte activity, boolean crew) {}
    record DutyEvent(String cardNo, String activity, int minutes, long at) {}
    record Report(String key, byte[] pdf, long renderedAt) {}
    record Alert(String cardNo, String rule, long at) {}
    record JobSummary(String jobId, String cardNo, int activities, int infringements, long finishedAt) {}

    /** What a running import knows; published to the parse tasks through IMPORT_CONTEXT. */
    static final class ImportContext {
        final String jobId, operator, cardNo;
        final byte[] raw;
        final List<ActivityRecord> activities = new ArrayList<>();
        final StringBuilder log = new StringBuilder(256);
        ImportContext(String jobId, String operator, String cardNo, byte[] raw) { this.jobId = jobId; this.operator = operator; this.cardNo = cardNo; this.raw = raw; }
    }

    /** Like a logging MDC: inherited by threads created while it is set. */
    static final InheritableThreadLocal<ImportContext> IMPORT_CONTEXT = new InheritableThreadLocal<>();
    static final Map<String, OperatorLicence> OPERATORS_BY_LICENCE = new HashMap<>();

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final class ImportService {
        final ArrayDeque<JobSummary> history = new ArrayDeque<>();
        long jobs, activities, infringements, tasks;

        JobSummary importDownload(String jobId, String operator, String cardNo, byte[] raw, long t) throws Exception {
            ImportContext ctx = new ImportContext(jobId, operator, cardNo, raw);
            IMPORT_CONTEXT.set(ctx);
            ThreadPoolExecutor parser = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "ddd-import-" + jobId));
            try {
                ctx.log.append(jobId).append(": ").append(raw.length).append(" bytes from card ").append(cardNo).append('\n');
                List<Future<List<ActivityRecord>>> parts = new ArrayList<>();
                int blockLen = raw.length / BLOCKS;
                for (int b = 0; b < BLOCKS; b++) {
                    int from = b * blockLen, to = b == BLOCKS - 1 ? raw.length : from + blockLen;
                    long base = t - (long) (BLOCKS - b) * 7 * DAY;
                    parts.add(parser.submit(() -> parseBlock(from, to, base)));
                    tasks++;
                }
                for (Future<List<ActivityRecord>> f : parts) ctx.activities.addAll(f.get());
                int found = 0;
                int driving = 0;
                for (ActivityRecord a : ctx.activities) {
                    if (a.activity() == 3) { driving += a.minutes(); if (driving > 270) { found++; driving = 0; } } else if (a.activity() == 0 && a.minutes() >= 45) driving = 0;
                }
                ctx.log.append(jobId).append(": ").append(ctx.activities.size()).append(" activities, ").append(found).append(" infringements\n");
                jobs++;
                activities += ctx.activities.size();
                infringements += found;
                JobSummary s = new JobSummary(jobId, cardNo, ctx.activities.size(), found, t);
                history.addLast(s);
                if (history.size() > 256) history.removeFirst();
                return s;
            } finally {
                IMPORT_CONTEXT.remove();
                if (FIXED) { parser.shutdown(); parser.awaitTermination(10, TimeUnit.SECONDS); }
                // BUG: otherwise the executor is never shut down; its worker parks in getTask() forever
            }
        }

        /** Runs on the job's parser thread: decodes the activity-change words of one block. */
        static List<ActivityRecord> parseBlock(int from, int to, long base) {
            ImportContext ctx = IMPORT_CONTEXT.get();
            byte[] raw = ctx.raw;
            List<ActivityRecord> out = new ArrayList<>((to - from) / 64 + 1);
            long at = base;
            for (int i = from; i + 1 < to; i += 64) {
                int word = ((raw[i] & 0xFF) << 8) | (raw[i + 1] & 0xFF);
                int minutes = 1 + (word & 0x1FF) % 300;
                out.add(new ActivityRecord(at, minutes, (byte) ((word >>> 11) & 3), (word & 0x8000) != 0));
                at += minutes * MINUTE;
            }
            synchronized (ctx.log) { ctx.log.append(ctx.jobId).append(": block ").append(from).append('-').append(to).append(" -> ").append(out.size()).append('\n'); }
            return out;
        }
    }

    static final class ComplianceService {
        final Map<String, Driver> drivers = new HashMap<>();
        final String[] cardNos = new String[DRIVERS];
        final String[] licences = new String[OPERATORS];
        final ImportService imports = new ImportService();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final DutyEvent[] recent = new DutyEvent[RING];
        final ArrayDeque<Alert> alertOutbox = new ArrayDeque<>();
        long events, alertsRaised, alertsSent, reportViews;

        void dutyEvent(Random r, long t) {
            String card = cardNos[r.nextInt(DRIVERS)];
            recent[(int) (events++ % RING)] = new DutyEvent(card, ACTIVITIES[r.nextInt(ACTIVITIES.length)], 1 + r.nextInt(240), t);
            if (r.nextInt(20) == 0) { alertOutbox.addLast(new Alert(card, r.nextBoolean() ? "EU561 art.7 break" : "EU561 art.8 daily rest", t)); alertsRaised++; }
        }

        void viewReport(Random r, long t) {
            reportViews++;
            String key = licences[r.nextInt(OPERATORS)] + "/wk" + r.nextInt(26);
            if (reports.get(key) == null) {
                reports.put(key, new Report(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = pdfBuffers.poll();
                buf[(int) (t % buf.length)] = 1;
                pdfBuffers.add(buf);
            }
        }

        void sendAlerts(long t) {
            while (!alertOutbox.isEmpty() && alertOutbox.peekFirst().at() <= t - 5 * MINUTE) { alertOutbox.pollFirst(); alertsSent++; }
        }
    }

    static ComplianceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(115_030_001);
        String[] areas = {"North East", "North West", "West Midlands", "East of England", "Wales", "Scotland", "London and the South East", "West of England"};
        ComplianceService svc = new ComplianceService();
        SERVICE = svc;
        for (int o = 0; o < OPERATORS; o++) {
            double[] weekly = new double[52];
            for (int j = 0; j < weekly.length; j++) weekly[j] = rnd.nextDouble() * 12;
            String lic = "O" + (char) ('B' + o % 8) + (1_000_000 + o * 37);
            svc.licences[o] = lic;
            OPERATORS_BY_LICENCE.put(lic, new OperatorLicence(lic, "Haulage operator " + o, areas[o % areas.length], weekly));
        }
        for (int d = 0; d < DRIVERS; d++) {
            svc.cardNos[d] = "DB" + String.format("%014d", 70_000_000_000L + d * 7_919L);
            svc.drivers.put(svc.cardNos[d], new Driver(svc.cardNos[d], "Driver " + d, svc.licences[rnd.nextInt(OPERATORS)], new byte[150 + rnd.nextInt(150)],
                    now + (long) (30 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);

        Random traffic = new Random(115_030_002), uploads = new Random(115_030_003);
        int minutes = HOURS * 60;
        int jobs = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < 20; k++) svc.dutyEvent(traffic, t + k * 3 * SECOND);
            for (int k = 0; k < 4; k++) svc.viewReport(traffic, t + k * 15 * SECOND);
            int due = (int) ((long) (m + 1) * JOBS_PER_HOUR / 60 - (long) m * JOBS_PER_HOUR / 60);
            for (int k = 0; k < due; k++) {
                String card = svc.cardNos[uploads.nextInt(DRIVERS)];
                boolean vehicleUnit = uploads.nextInt(4) == 0;
                byte[] raw = new byte[(vehicleUnit ? 36_000 : 16_000) + uploads.nextInt(16_000)];
                uploads.nextBytes(raw);
                svc.imports.importDownload("TIJ-" + (880_000 + jobs++), svc.drivers.get(card).operator(), card, raw, t + 30 * SECOND);
            }
            if (m % ALERT_EVERY_MINUTES == ALERT_EVERY_MINUTES - 1) svc.sendAlerts(t + MINUTE);
        }
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix) && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            FIXED = Boolean.getBoolean("val115.fixed");
            simulate();
            if (FIXED) for (int w = 0; w < 500 && liveThreads("ddd-import-") > 0; w++) Thread.sleep(10);
            report();
            LeakCheck.histogram();
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.exit(0);
        } catch (Throwable t) { // the parser threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void report() {
        ComplianceService svc = SERVICE;
        ImportService imp = svc.imports;
        int threads = liveThreads("ddd-import-");
        System.out.println((FIXED ? "FIXED " : "") + "operators " + OPERATORS_BY_LICENCE.size() + " drivers " + svc.drivers.size() + " import jobs " + imp.jobs + " (parse tasks " + imp.tasks
                + ", activities " + imp.activities + ", infringements " + imp.infringements + ") parser threads alive " + threads + " history " + imp.history.size() + " duty events " + svc.events
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ", views " + svc.reportViews + ") pool " + svc.pdfBuffers.size() + " alerts backlog " + svc.alertOutbox.size()
                + " (raised " + svc.alertsRaised + ", sent " + svc.alertsSent + ")");
        check(OPERATORS_BY_LICENCE.size() == OPERATORS && svc.drivers.size() == DRIVERS, "reference data / directory");
        check(imp.jobs == (long) JOBS_PER_HOUR * HOURS && imp.tasks == imp.jobs * BLOCKS, "import jobs");
        check(threads == (FIXED ? 0 : imp.jobs), "parser threads " + threads);
        check(IMPORT_CONTEXT.get() == null, "main thread's context cleared");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.pdfBuffers.size() == POOL && svc.recent[RING - 1] != null && imp.history.size() == 240, "pool / ring / history");
        check(svc.alertOutbox.size() > 0 && svc.alertsSent + svc.alertOutbox.size() == svc.alertsRaised, "alert backlog");
    }
}
