// hprofscan-dump: name=val46-leak-surveypanels jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val46-leak-surveypanels-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 46 (written blind), LEAK: the response-import service of a market-research survey
 * panel. Panel reference data, the respondent directory, a cache of rendered crosstabs at its cap, a
 * pool of CSV parse buffers, a ring of recent submissions, and a global metrics registry. Every
 * uploaded response file gets its own ImportJob (a request-scoped component: the raw upload, a queue
 * of parsed rows) which registers a gauge {@code () -> this.queue.size()} named after its panel and
 * job id in the registry. The job drains its queue and finishes, but never unregisters the gauge,
 * so each lambda keeps its finished job (and its raw upload) alive in the registry. The fix
 * unregisters the gauge when the job finishes. See VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46LeakSurveyPanels {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SCRAPE_EVERY = MINUTE;
    static final int PANELS = 1_000, RESPONDENTS = 24_000, CROSSTAB_CAP = 2_000, POOL = 8, RING = 16_384, IMPORTS_PER_HOUR = 420, HOURS = 10, PROCESS_GAUGES = 40;
    static boolean FIXED;

    record Panel(String code, String client, String[] columns, double[] quotaTargets) {}
    record Respondent(String id, String panelCode, byte[] profile, long joinedAt) {}
    record Crosstab(String key, byte[] rendered, long at) {}
    record Submission(String respondentId, String panelCode, long at) {}
    record ResponseRow(String respondentId, byte[] answers) {}

    @FunctionalInterface
    interface Gauge { double value(); }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Gauge> gauges = new ConcurrentHashMap<>();
        long registered, unregistered, scrapes, lastScrapeSeries;
        double lastScrapeSum;
        void gauge(String name, Gauge g) { gauges.put(name, g); registered++; }
        void unregister(String name) { if (gauges.remove(name) != null) unregistered++; }
        void scrape() {
            double sum = 0;
            for (Gauge g : gauges.values()) sum += g.value();
            scrapes++; lastScrapeSeries = gauges.size(); lastScrapeSum = sum;
        }
    }

    static final MetricsRegistry METRICS = new MetricsRegistry();

    /** One uploaded response file; request-scoped. */
    static final class ImportJob {
        final String jobId, panelCode, gaugeName; final byte[] upload; final String[] columns; final long startedAt, finishAt;
        final ArrayDeque<ResponseRow> queue = new ArrayDeque<>();
        int imported; boolean finished;
        ImportJob(String jobId, Panel panel, byte[] upload, long startedAt, long finishAt) {
            this.jobId = jobId; this.panelCode = panel.code(); this.columns = panel.columns(); this.upload = upload; this.startedAt = startedAt; this.finishAt = finishAt;
            this.gaugeName = "import.queue." + panelCode + "." + jobId;
            METRICS.gauge(gaugeName, () -> this.queue.size());
        }
        void finish(ImportService svc, long at) {
            while (!queue.isEmpty()) {
                ResponseRow row = queue.poll();
                Respondent r = svc.respondents.get(row.respondentId());
                svc.recentSubmissions[(int) (svc.submissions++ % RING)] = new Submission(r.id(), panelCode, at);
                imported++;
            }
            finished = true;
            if (FIXED) METRICS.unregister(gaugeName);
            // BUG: the gauge (and through its lambda this job) stays registered forever
        }
    }

    static final class CrosstabCache extends LinkedHashMap<String, Crosstab> {
        long evicted;
        CrosstabCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Crosstab> e) { if (size() > CROSSTAB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Panel> PANELS_BY_CODE = new HashMap<>();

    static final class ImportService {
        final Map<String, Respondent> respondents = new HashMap<>();
        final CrosstabCache crosstabs = new CrosstabCache();
        final ArrayDeque<byte[]> csvBuffers = new ArrayDeque<>();
        final Submission[] recentSubmissions = new Submission[RING];
        long submissions, jobsStarted, jobsFinished, rowsParsed;
        final List<ImportJob> running = new ArrayList<>();

        void finishDue(long t) {
            for (Iterator<ImportJob> it = running.iterator(); it.hasNext(); ) {
                ImportJob j = it.next();
                if (j.finishAt <= t) { j.finish(this, j.finishAt); jobsFinished++; it.remove(); }
            }
        }
    }

    static ImportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val46.fixed");
        int imports = IMPORTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(46_040_001);
        String[] panelCodes = new String[PANELS];
        String[] clients = {"Northwind Foods", "Contoso Telecom", "Fabrikam Auto", "Tailspin Air", "Litware Media", "Adatum Health"};
        for (int p = 0; p < PANELS; p++) {
            double[] quotas = new double[80];
            for (int k = 0; k < quotas.length; k++) quotas[k] = rnd.nextDouble() * 0.2;
            String[] columns = new String[8 + rnd.nextInt(8)];
            for (int c = 0; c < columns.length; c++) columns[c] = "Q" + (c + 1);
            panelCodes[p] = "PNL-" + (2_000 + p);
            PANELS_BY_CODE.put(panelCodes[p], new Panel(panelCodes[p], clients[p % clients.length], columns, quotas));
        }
        ImportService svc = new ImportService();
        SERVICE = svc;
        String[] respondentIds = new String[RESPONDENTS];
        for (int r = 0; r < RESPONDENTS; r++) {
            respondentIds[r] = "R" + (8_800_000 + r * 11);
            svc.respondents.put(respondentIds[r], new Respondent(respondentIds[r], panelCodes[rnd.nextInt(PANELS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.csvBuffers.add(new byte[32_768]);
        // process-level gauges registered once at startup (long-lived components)
        String[] processGauges = {"respondents.size", "crosstabs.size", "crosstabs.evicted", "csv.buffers.idle", "imports.running", "imports.started", "imports.finished", "submissions.total"};
        for (int g = 0; g < PROCESS_GAUGES; g++) {
            final int k = g % processGauges.length;
            String name = processGauges[k] + (g < processGauges.length ? "" : ".shard-" + (g / processGauges.length));
            METRICS.gauge(name, () -> switch (k) {
                case 0 -> svc.respondents.size();
                case 1 -> svc.crosstabs.size();
                case 2 -> svc.crosstabs.evicted;
                case 3 -> svc.csvBuffers.size();
                case 4 -> svc.running.size();
                case 5 -> svc.jobsStarted;
                case 6 -> svc.jobsFinished;
                default -> svc.submissions;
            });
        }

        Random traffic = new Random(46_040_002);
        long nextScrape = start + SCRAPE_EVERY;
        for (int i = 0; i < imports; i++) {
            long t = start + (end - MINUTE - start) * i / imports;
            while (nextScrape <= t) { svc.finishDue(nextScrape); METRICS.scrape(); nextScrape += SCRAPE_EVERY; }
            svc.finishDue(t);
            Panel panel = PANELS_BY_CODE.get(panelCodes[traffic.nextInt(PANELS)]);
            long finishAt = t + (2 + traffic.nextInt(7)) * MINUTE; // a job takes 2-8 minutes
            ImportJob job = new ImportJob("job-" + (50_000_000 + i), panel, new byte[600 + traffic.nextInt(600)], t, finishAt);
            svc.jobsStarted++;
            int rows = 20 + traffic.nextInt(60);
            for (int r = 0; r < rows; r++) job.queue.add(new ResponseRow(respondentIds[traffic.nextInt(RESPONDENTS)], new byte[24 + traffic.nextInt(24)]));
            svc.rowsParsed += rows;
            svc.running.add(job);
            String ckey = "xt-" + traffic.nextInt(5_000);
            int ctSize = 500 + traffic.nextInt(500);
            for (int v = 0; v < 3; v++) { // analysts view crosstabs of the panel
                String key = ckey + "-" + v;
                if (svc.crosstabs.get(key) == null) svc.crosstabs.put(key, new Crosstab(key, new byte[ctSize], t));
            }
            byte[] buf = svc.csvBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.csvBuffers.add(buf);
        }
        while (nextScrape <= end) { svc.finishDue(nextScrape); METRICS.scrape(); nextScrape += SCRAPE_EVERY; }
        long finishedGauges = 0, runningGauges = 0;
        for (String name : METRICS.gauges.keySet()) {
            if (!name.startsWith("import.queue.")) continue;
            boolean isRunning = false;
            for (ImportJob j : svc.running) if (j.gaugeName.equals(name)) { isRunning = true; break; }
            if (isRunning) runningGauges++; else finishedGauges++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "panels " + PANELS_BY_CODE.size() + " respondents " + svc.respondents.size() + " jobs started " + svc.jobsStarted + " finished " + svc.jobsFinished + " running " + svc.running.size()
                + " rows " + svc.rowsParsed + " gauges " + METRICS.gauges.size() + " (finished jobs " + finishedGauges + ", running jobs " + runningGauges + ", registered " + METRICS.registered + ", unregistered " + METRICS.unregistered
                + ", scrapes " + METRICS.scrapes + ", last scrape " + METRICS.lastScrapeSeries + " series) crosstabs " + svc.crosstabs.size() + " (evicted " + svc.crosstabs.evicted + ") pool " + svc.csvBuffers.size() + " submissions " + svc.submissions);
        check(PANELS_BY_CODE.size() == PANELS && svc.respondents.size() == RESPONDENTS, "reference data / directory");
        check(svc.jobsStarted == imports && svc.jobsFinished + svc.running.size() == imports && !svc.running.isEmpty(), "import traffic");
        check(runningGauges == svc.running.size(), "running jobs' gauges");
        check(finishedGauges == (FIXED ? 0 : svc.jobsFinished), "finished jobs' gauges: " + finishedGauges);
        check(METRICS.gauges.size() == PROCESS_GAUGES + runningGauges + finishedGauges, "registry");
        check(svc.crosstabs.size() == CROSSTAB_CAP && svc.crosstabs.evicted > 0, "crosstab cache at cap");
        check(svc.csvBuffers.size() == POOL, "pool");
        long queued = 0;
        for (ImportJob j : svc.running) queued += j.queue.size();
        check(svc.submissions + queued == svc.rowsParsed && svc.recentSubmissions[RING - 1] != null, "ring");
        LeakCheck.histogram(" [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
