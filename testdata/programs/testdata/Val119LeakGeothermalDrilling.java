// hprofscan-dump: name=val119-leak-geothermaldrilling jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val119-leak-geothermaldrilling-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 119 (written blind), LEAK: the site service of a ground-source heat-pump borehole
 * drilling contractor. Geology reference data (thermal conductivity per map tile), the borehole
 * directory, a cache of rendered depth charts at its cap, a pool of render buffers, a ring of rig
 * telemetry, the customer-mail outbox with its normal backlog, and the borehole reports: every
 * report opened for rendering registers a JVM shutdown hook ("delete my temp files if the server
 * stops mid-render") whose thread captures the report with its temperature profile and strata log.
 * close() deletes the temp files but never removes the hook, so ApplicationShutdownHooks keeps one
 * thread, and one whole report, per report ever opened. See VALIDATION119.md.
 */
public final class Val119LeakGeothermalDrilling {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int TILES = 1_000, BOREHOLES = 20_000, CHART_CAP = 2_000, POOL = 8, RING = 8_192, RIGS = 60, HOURS = 10,
            REPORTS_PER_HOUR = 300, READINGS_PER_REPORT = 12;
    static boolean FIXED;

    static final String[] STRATA = {"topsoil and made ground", "firm brown clay", "weathered mudstone", "grey siltstone",
            "fine sandstone, water strike", "dolerite sill", "chalk with flints", "coarse gravel, running sand", "dark shale",
            "oolitic limestone"};

    record GeologyTile(String gridRef, String formation, double[] conductivityByLayer) {}
    record Borehole(String ref, String tileRef, String address, byte[] consent, long drilledAt, int depthMetres) {}
    record DepthChart(String key, byte[] png, long at) {}
    record RigReading(String rigId, String boreholeRef, double depthMetres, double torqueKnm, long at) {}
    record CustomerMail(String to, String subject, String link, long queuedAt) {}

    /** A borehole report being rendered: temp files on disk, the data in memory. */
    static final class BoreholeReport {
        final String reportId;
        final String boreholeRef;
        final String tempDir;
        final double[] temperatureProfile;
        final List<String> strataLog;
        final long openedAt;
        final long renderedAt;
        boolean tempFilesDeleted;

        BoreholeReport(String reportId, String boreholeRef, String tempDir, double[] temperatureProfile, List<String> strataLog, long openedAt, long renderedAt) {
            this.reportId = reportId; this.boreholeRef = boreholeRef; this.tempDir = tempDir; this.temperatureProfile = temperatureProfile;
            this.strataLog = strataLog; this.openedAt = openedAt; this.renderedAt = renderedAt;
        }

        void deleteTempFiles() { tempFilesDeleted = true; }
    }

    /** Opens and closes borehole reports; a report's temp files are removed on exit if it is still open. */
    static final class ReportRenderer {
        final PriorityQueue<BoreholeReport> rendering = new PriorityQueue<>(
                Comparator.comparingLong((BoreholeReport r) -> r.renderedAt).thenComparing(r -> r.reportId));
        final Map<String, Thread> hookOfReport = new HashMap<>(); // used only with the fix
        long opened, closed, hooksAdded, hooksRemoved;

        BoreholeReport open(String reportId, Borehole bh, Random r, long t) {
            double[] profile = new double[bh.depthMetres() * 2];
            for (int k = 0; k < profile.length; k++) profile[k] = 10.5 + k * 0.0125 + r.nextGaussian() * 0.05;
            List<String> strata = new ArrayList<>();
            double top = 0;
            for (int k = 0, n = 6 + r.nextInt(7); k < n; k++) {
                double bottom = k == n - 1 ? bh.depthMetres() : top + 2 + r.nextInt(30) + r.nextInt(10) / 10.0;
                strata.add(String.format(Locale.ROOT, "%.1f-%.1f m: %s", top, Math.min(bottom, bh.depthMetres()), STRATA[r.nextInt(STRATA.length)]));
                top = Math.min(bottom, bh.depthMetres());
            }
            BoreholeReport report = new BoreholeReport(reportId, bh.ref(), "/var/tmp/reports/" + reportId, profile, strata, t,
                    t + (2 + r.nextInt(19)) * MINUTE);
            Thread hook = new Thread(report::deleteTempFiles, "report-cleanup-" + reportId);
            Runtime.getRuntime().addShutdownHook(hook);
            hooksAdded++;
            if (FIXED) hookOfReport.put(reportId, hook);
            rendering.add(report);
            opened++;
            return report;
        }

        BoreholeReport nextRendered(long t) {
            BoreholeReport r = rendering.peek();
            return r != null && r.renderedAt <= t ? rendering.poll() : null;
        }

        void close(BoreholeReport report) {
            report.deleteTempFiles();
            if (FIXED && Runtime.getRuntime().removeShutdownHook(hookOfReport.remove(report.reportId))) hooksRemoved++;
            closed++;
        }
    }

    static final class ChartCache extends LinkedHashMap<String, DepthChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DepthChart> e) {
            if (size() > CHART_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, GeologyTile> TILES_BY_REF = new HashMap<>();

    static final class DrillingService {
        final Map<String, Borehole> boreholes = new HashMap<>();
        final String[] boreholeRefs = new String[BOREHOLES];
        final String[] rigIds = new String[RIGS];
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final RigReading[] telemetry = new RigReading[RING];
        final ArrayDeque<CustomerMail> outbox = new ArrayDeque<>();
        final ReportRenderer renderer = new ReportRenderer();
        long readings, mailsQueued, mailsSent, renders, nextReport = 250_000;

        void rigReading(Random r, long t) {
            Borehole bh = boreholes.get(boreholeRefs[r.nextInt(BOREHOLES)]);
            telemetry[(int) (readings++ % RING)] = new RigReading(rigIds[r.nextInt(RIGS)], bh.ref(), r.nextInt(bh.depthMetres() * 10) / 10.0,
                    2 + r.nextDouble() * 9, t);
        }

        void requestReport(Random r, long t) {
            Borehole bh = boreholes.get(boreholeRefs[r.nextInt(BOREHOLES)]);
            renderer.open("GR-" + nextReport++, bh, r, t);
        }

        void finishReport(BoreholeReport report, Random r, long t) {
            byte[] buf = renderBuffers.poll();
            buf[(int) (renders++ % buf.length)] = (byte) report.strataLog.size();
            renderBuffers.add(buf);
            String key = "chart-" + report.boreholeRef;
            if (charts.get(key) == null) charts.put(key, new DepthChart(key, new byte[400 + r.nextInt(400)], t));
            outbox.add(new CustomerMail("owner-" + report.boreholeRef.toLowerCase(Locale.ROOT) + "@example.net", "Your borehole report " + report.reportId,
                    "https://reports.example.net/" + report.reportId + ".pdf", t));
            mailsQueued++;
            renderer.close(report);
        }

        /** The mailer runs every 10 minutes and sends what was queued at least 5 minutes ago. */
        void sendMail(long t) {
            while (!outbox.isEmpty() && outbox.peek().queuedAt() <= t - 5 * MINUTE) {
                outbox.poll();
                mailsSent++;
            }
        }
    }

    static DrillingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(119_030_001);
        String[] tileRefs = new String[TILES];
        for (int g = 0; g < TILES; g++) {
            double[] k = new double[64];
            for (int j = 0; j < k.length; j++) k[j] = 1.2 + rnd.nextDouble() * 2.4;
            tileRefs[g] = "S" + (char) ('E' + g % 20) + String.format(Locale.ROOT, "%02d%02d", (g / 20) % 100, g % 97);
            TILES_BY_REF.put(tileRefs[g], new GeologyTile(tileRefs[g], STRATA[rnd.nextInt(STRATA.length)], k));
        }
        DrillingService svc = new DrillingService();
        SERVICE = svc;
        for (int i = 0; i < BOREHOLES; i++) {
            svc.boreholeRefs[i] = "BH-" + (40_000 + i * 3);
            svc.boreholes.put(svc.boreholeRefs[i], new Borehole(svc.boreholeRefs[i], tileRefs[rnd.nextInt(TILES)], (1 + rnd.nextInt(200)) + " Field Lane",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY, 80 + rnd.nextInt(121)));
        }
        for (int k = 0; k < RIGS; k++) svc.rigIds[k] = "RIG-" + (10 + k);
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(119_030_002), render = new Random(119_030_003);
        int reports = REPORTS_PER_HOUR * HOURS;
        long nextMail = start + 10 * MINUTE;
        for (int i = 0; i < reports; i++) {
            long t = start + (end - MINUTE - start) * i / reports;
            for (BoreholeReport rep; (rep = svc.renderer.nextRendered(t)) != null; ) svc.finishReport(rep, render, rep.renderedAt);
            while (nextMail <= t) { svc.sendMail(nextMail); nextMail += 10 * MINUTE; }
            for (int k = 0; k < READINGS_PER_REPORT; k++) svc.rigReading(traffic, t);
            svc.requestReport(traffic, t);
        }
    }

    static String verify() {
        DrillingService svc = SERVICE;
        ReportRenderer rr = svc.renderer;
        int reports = REPORTS_PER_HOUR * HOURS;
        long hooks = rr.hooksAdded - rr.hooksRemoved;
        String summary = (FIXED ? "FIXED " : "") + "tiles " + TILES_BY_REF.size() + " boreholes " + svc.boreholes.size() + " reports opened " + rr.opened
                + " closed " + rr.closed + " rendering " + rr.rendering.size() + " shutdown hooks " + hooks + " (added " + rr.hooksAdded + ", removed "
                + rr.hooksRemoved + ") charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.renderBuffers.size()
                + " telemetry " + svc.readings + " mails " + svc.mailsQueued + " sent " + svc.mailsSent + " queued " + svc.outbox.size();
        check(TILES_BY_REF.size() == TILES && svc.boreholes.size() == BOREHOLES, "reference data / directory");
        check(rr.opened == reports && rr.closed + rr.rendering.size() == reports && rr.hooksAdded == reports, "reports");
        check(rr.closed == 2_947 && rr.rendering.size() == 53, "closed / rendering: " + rr.closed + " / " + rr.rendering.size());
        if (FIXED) check(hooks == rr.rendering.size() && rr.hookOfReport.size() == rr.rendering.size(), "a hook per open report");
        else check(hooks == reports && rr.hooksRemoved == 0, "a hook per report ever opened: " + hooks);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.renderBuffers.size() == POOL && svc.readings == (long) reports * READINGS_PER_REPORT && svc.telemetry[RING - 1] != null, "pool / ring");
        check(svc.mailsQueued == rr.closed && svc.mailsSent + svc.outbox.size() == svc.mailsQueued && svc.outbox.size() < 100, "mail");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val119.fixed");
        simulate();
        System.out.println(verify());
        LeakCheck.histogram("java.lang.Thread ", "java.util.IdentityHashMap", "[D ", "java.lang.String ", "java.security.AccessControlContext");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.out.flush();
        Runtime.getRuntime().halt(0); // as a killed server: the registered hooks do not run
    }
}
