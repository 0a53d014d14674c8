// hprofscan-dump: name=val142-leak-comicpublishing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val142-leak-comicpublishing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 142 (written blind), LEAK: the production service of an independent comic
 * publisher. Every finished issue is converted for each storefront (CBZ, EPUB fixed layout, print
 * PDF/X, web reader tiles) by an external converter started with ProcessBuilder (stubbed here by
 * `echo` with the converter's arguments: it prints its command line and exits at once). Each job
 * is recorded with its Process and its description in the static list {@code ConversionJobs.RUNNING}
 * (the "running jobs" panel of the editors' dashboard); a job leaves the list only when an editor
 * cancels it, never when its process exits. Series reference data, the page-asset directory, a
 * preview cache at its cap, a pool of raster buffers, a ring of editor activity and a storefront
 * upload queue with its normal backlog beside it. See VALIDATION142.md.
 */
public final class Val142LeakComicPublishing {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SERIES = 1_200, PAGES = 22_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 2_048, JOBS = 3_000, HOURS = 10;
    static boolean FIXED;

    record Series(String code, String title, String imprint, double[] salesByMonth) {}
    record PageAsset(String assetId, String seriesCode, int issue, int page, byte[] metadata, long uploadedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record Activity(String editor, String what, String target, long at) {}
    record Upload(String jobId, String storefront, String file, long queuedAt) {}

    /** A conversion job: its description, and the external process converting it. */
    static final class ConversionJob {
        final String jobId; final String seriesCode; final int issue; final String format; final List<String> command; final String[] pageIds;
        final byte[] ticket; final String requestedBy; final long submittedAt;
        Process process; byte[] log; int exitCode = -1; String state = "QUEUED";
        ConversionJob(String jobId, String seriesCode, int issue, String format, List<String> command, String[] pageIds, byte[] ticket, String requestedBy, long submittedAt) {
            this.jobId = jobId; this.seriesCode = seriesCode; this.issue = issue; this.format = format; this.command = command; this.pageIds = pageIds;
            this.ticket = ticket; this.requestedBy = requestedBy; this.submittedAt = submittedAt;
        }
    }

    /** The jobs started and not yet finished or cancelled, as the dashboard shows them. */
    static final class ConversionJobs {
        static final List<ConversionJob> RUNNING = new ArrayList<>();
        static long started, exitedOk, cancelled;

        static void start(ConversionJob job) throws IOException, InterruptedException {
            RUNNING.add(job);
            started++;
            job.state = "RUNNING";
            job.process = new ProcessBuilder(job.command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (InputStream in = job.process.getInputStream()) { job.log = in.readAllBytes(); }
            job.exitCode = job.process.waitFor();
            job.state = job.exitCode == 0 ? "DONE" : "FAILED";
            if (job.exitCode == 0) exitedOk++;
            if (FIXED) RUNNING.remove(job); // the fix: leave the list when the process exits
        }

        /** The dashboard's cancel button. */
        static boolean cancel(String jobId) {
            for (int i = 0; i < RUNNING.size(); i++) {
                ConversionJob j = RUNNING.get(i);
                if (j.jobId.equals(jobId)) {
                    if (j.process != null) j.process.destroy();
                    j.state = "CANCELLED";
                    RUNNING.remove(i);
                    cancelled++;
                    return true;
                }
            }
            return false;
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Series> SERIES_BY_CODE = new HashMap<>();

    static final class PublishingService {
        final Map<String, PageAsset> pages = new HashMap<>();
        final String[] pageIds = new String[PAGES];
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        final ArrayDeque<Upload> uploads = new ArrayDeque<>();
        final List<String> recentJobIds = new ArrayList<>();
        long activityCount, previewViews, uploadsQueued, uploadsDone, cancelRequests;

        void act(String editor, String what, String target, long t) { activity[(int) (activityCount++ % RING)] = new Activity(editor, what, target, t); }

        void convert(String[] seriesCodes, String[] editors, Random r, long jobNo, long t) throws IOException, InterruptedException {
            String[] formats = {"cbz", "epub-fxl", "pdfx-4", "webtiles"};
            String[] tools = {"cbzpack", "kepubify-fxl", "pdfx-press", "tilecutter"};
            int f = r.nextInt(formats.length);
            String series = seriesCodes[r.nextInt(SERIES)];
            int issue = 1 + r.nextInt(60);
            String jobId = "CJ-" + (880_000 + jobNo);
            int pageCount = 20 + r.nextInt(21);
            String[] jobPages = new String[pageCount];
            int first = r.nextInt(PAGES - pageCount);
            for (int p = 0; p < pageCount; p++) jobPages[p] = pageIds[first + p];
            String dir = "/srv/comics/" + series + "/issue-" + issue;
            List<String> command = List.of("echo", tools[f], "--profile=" + (f == 2 ? "print-cmyk" : "screen-rgb"), "--dpi=" + (f == 2 ? 600 : 300), "--pages=" + pageCount,
                    "--in=" + dir + "/pages", "--out=" + dir + "/out/" + series + "-" + issue + "." + formats[f]);
            byte[] ticket = new byte[800 + r.nextInt(1_200)]; // the job ticket (storefront metadata, ONIX extract)
            String editor = editors[r.nextInt(editors.length)];
            ConversionJob job = new ConversionJob(jobId, series, issue, formats[f], command, jobPages, ticket, editor, t);
            ConversionJobs.start(job);
            act(editor, "converted", jobId, t);
            uploads.add(new Upload(jobId, formats[f].equals("pdfx-4") ? "printer-ftp" : "storefront-" + (1 + r.nextInt(5)), dir + "/out/" + series + "-" + issue + "." + formats[f], t));
            uploadsQueued++;
            recentJobIds.add(jobId);
            if (recentJobIds.size() > 40) recentJobIds.remove(0);
        }

        /** An editor cancels a job the dashboard still shows as running. */
        void cancelOne(String[] editors, Random r, long t) {
            cancelRequests++;
            String jobId = recentJobIds.get(r.nextInt(recentJobIds.size()));
            String editor = editors[r.nextInt(editors.length)];
            if (ConversionJobs.cancel(jobId)) act(editor, "cancelled", jobId, t);
        }

        void viewPreview(Random r, long t) {
            previewViews++;
            String key = "preview/" + pageIds[r.nextInt(PAGES)] + "/w" + (r.nextBoolean() ? 480 : 960);
            if (previews.get(key) == null) previews.put(key, new Preview(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = rasterBuffers.poll();
            buf[(int) (previewViews % buf.length)] = (byte) key.length();
            rasterBuffers.add(buf);
        }

        void pushUploads(long t) {
            while (!uploads.isEmpty() && t - uploads.peek().queuedAt() >= 8 * MINUTE) { uploads.poll(); uploadsDone++; }
        }
    }

    static PublishingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(142_050_001);
        String[] imprints = {"Blackthorn Press", "Lantern Comics", "Red Kite", "Harbourlight"};
        String[] seriesCodes = new String[SERIES];
        for (int s = 0; s < SERIES; s++) {
            double[] sales = new double[60];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextInt(20_000);
            seriesCodes[s] = "SR" + (4_000 + s);
            SERIES_BY_CODE.put(seriesCodes[s], new Series(seriesCodes[s], "Series " + s, imprints[s % imprints.length], sales));
        }
        PublishingService svc = new PublishingService();
        SERVICE = svc;
        for (int i = 0; i < PAGES; i++) {
            svc.pageIds[i] = "PG-" + (1_500_000 + i * 3);
            svc.pages.put(svc.pageIds[i], new PageAsset(svc.pageIds[i], seriesCodes[rnd.nextInt(SERIES)], 1 + rnd.nextInt(60), 1 + i % 40, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);
        String[] editors = new String[24];
        for (int e = 0; e < editors.length; e++) editors[e] = "editor" + (e + 1) + "@blackthorn.example";
        Random jobs = new Random(142_050_002), views = new Random(142_050_003), cancels = new Random(142_050_004);
        for (int i = 0; i < JOBS; i++) {
            long t = start + (end - MINUTE - start) * i / JOBS;
            svc.convert(seriesCodes, editors, jobs, i, t + 5 * SECOND);
            if (i > 40 && cancels.nextInt(100) < 4) svc.cancelOne(editors, cancels, t + 30 * SECOND);
            for (int k = 0; k < 8; k++) svc.viewPreview(views, t);
            svc.pushUploads(t);
        }
    }

    static void report() {
        PublishingService svc = SERVICE;
        int listed = ConversionJobs.RUNNING.size(), listedExited = 0;
        for (ConversionJob j : ConversionJobs.RUNNING) if (!j.process.isAlive() && "DONE".equals(j.state)) listedExited++;
        System.out.println((FIXED ? "FIXED " : "") + "series " + SERIES_BY_CODE.size() + " pages " + svc.pages.size() + " jobs started " + ConversionJobs.started + " exited 0 " + ConversionJobs.exitedOk
                + " cancel requests " + svc.cancelRequests + " cancelled " + ConversionJobs.cancelled + " running list " + listed + " (process exited: " + listedExited + ")"
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") uploads " + svc.uploadsQueued + "/" + svc.uploadsDone + " backlog " + svc.uploads.size()
                + " activity " + svc.activityCount + " pool " + svc.rasterBuffers.size());
        check(SERIES_BY_CODE.size() == SERIES && svc.pages.size() == PAGES, "reference data / directory");
        check(ConversionJobs.started == JOBS && ConversionJobs.exitedOk == JOBS, "every converter ran and exited 0");
        if (FIXED) check(listed == 0, "no job listed after its process exited");
        else check(listed == JOBS - ConversionJobs.cancelled && listedExited == listed && ConversionJobs.cancelled > 0, "jobs kept after exit: " + listed);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.uploads.size() > 0 && svc.uploads.size() < 80 && svc.uploadsDone + svc.uploads.size() == svc.uploadsQueued, "upload backlog");
        check(svc.activity[RING - 1] != null && svc.activityCount > RING, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val142.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
