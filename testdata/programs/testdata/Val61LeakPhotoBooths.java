// hprofscan-dump: name=val61-leak-photobooths jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val61-leak-photobooths-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 61 (written blind), LEAK: the print-job service of a fleet of photo booths
 * (weddings, malls, stations). Venue reference data, the booth directory, a cache of rendered
 * strip templates at its cap, a pool of colour-profile buffers, a ring of recent print jobs, and a
 * fixed pool of 4 render worker threads (jobs of a booth always go to the same worker, to keep a
 * booth's prints in order). Each worker has a legitimate per-thread 256 KiB scratch raster, and a
 * per-thread diagnostic context: a ThreadLocal list of breadcrumbs that every job appends to (for
 * the error report of a failed render) and that is never cleared, so each worker thread keeps the
 * breadcrumbs of every job it ever rendered. See VALIDATION61.md.
 */
public final class Val61LeakPhotoBooths {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 1_000, BOOTHS = 20_000, TEMPLATE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, JOBS_PER_HOUR = 2_400, WORKERS = 4, SCRATCH = 262_144;
    static boolean FIXED;

    record Venue(String code, String kind, double[] footfallByWeek) {}
    record Booth(String serial, String venueCode, String model, byte[] config, long installedAt) {}
    record StripTemplate(String key, byte[] rendered, long at) {}
    record PrintJob(String jobId, String boothSerial, String layout, int copies, boolean paperJam, long at) {}
    record Breadcrumb(String message, String level, long at) {}

    /** The per-thread diagnostic context: appended to by every job, meant to be reset after each job. */
    static final ThreadLocal<List<Breadcrumb>> CRUMBS = ThreadLocal.withInitial(ArrayList::new);
    /** Legitimate per-thread scratch raster, reused by every job of that thread. */
    static final ThreadLocal<byte[]> RASTER = ThreadLocal.withInitial(() -> new byte[SCRATCH]);

    static final class RenderWorker extends Thread {
        final LinkedBlockingQueue<PrintJob> queue = new LinkedBlockingQueue<>();
        final CountDownLatch done;
        volatile int crumbsHeld;
        volatile long rendered, crumbsAdded;
        RenderWorker(int n, CountDownLatch done) { super("booth-render-" + n); this.done = done; setDaemon(true); }
        @Override public void run() {
            try {
                while (true) {
                    PrintJob job = queue.take();
                    try { render(job); } finally { done.countDown(); }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        void render(PrintJob job) {
            List<Breadcrumb> crumbs = CRUMBS.get();
            try {
                long added = 0;
                crumbs.add(new Breadcrumb("job " + job.jobId() + " from booth " + job.boothSerial() + " layout " + job.layout(), "INFO", job.at()));
                byte[] raster = RASTER.get();
                for (int c = 0; c < job.copies(); c++) raster[(int) ((job.at() + c) % SCRATCH)] ^= (byte) c;
                crumbs.add(new Breadcrumb("rasterised " + job.copies() + " copies for " + job.jobId(), "DEBUG", job.at() + 400));
                added += 2;
                if (job.paperJam()) { crumbs.add(new Breadcrumb("paper jam on " + job.boothSerial() + ", retrying " + job.jobId(), "WARN", job.at() + 900)); added++; }
                crumbs.add(new Breadcrumb("sent " + job.jobId() + " to printer", "INFO", job.at() + 1_500));
                added++;
                rendered++;
                crumbsAdded += added;
            } finally {
                if (FIXED) CRUMBS.remove(); // the fix: reset the context after each job
                // BUG: the breadcrumbs are never cleared
                crumbsHeld = FIXED ? 0 : crumbs.size();
            }
        }
    }

    static final class TemplateCache extends LinkedHashMap<String, StripTemplate> {
        long evicted;
        TemplateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StripTemplate> e) { if (size() > TEMPLATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class PrintService {
        final Map<String, Booth> booths = new HashMap<>();
        final TemplateCache templates = new TemplateCache();
        final ArrayDeque<byte[]> colourProfiles = new ArrayDeque<>();
        final PrintJob[] recent = new PrintJob[RING];
        long jobs;
        RenderWorker[] workers;
    }

    static PrintService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val61.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(61_040_001);
        String[] venueCodes = new String[VENUES];
        String[] kinds = {"mall", "station", "wedding-venue", "arcade", "cinema"};
        for (int v = 0; v < VENUES; v++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 4_000;
            venueCodes[v] = "VEN-" + (10_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], kinds[v % kinds.length], footfall));
        }
        PrintService svc = new PrintService();
        SERVICE = svc;
        String[] serials = new String[BOOTHS];
        String[] models = {"SnapStrip 2", "SnapStrip 3", "GlamCube", "Mirror Pro"};
        for (int b = 0; b < BOOTHS; b++) {
            serials[b] = "PB-" + (1_000_000 + b * 7);
            svc.booths.put(serials[b], new Booth(serials[b], venueCodes[rnd.nextInt(VENUES)], models[b % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.colourProfiles.add(new byte[32_768]);
        int jobs = JOBS_PER_HOUR * HOURS;
        CountDownLatch done = new CountDownLatch(jobs);
        svc.workers = new RenderWorker[WORKERS];
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new RenderWorker(w, done); svc.workers[w].start(); }
        Random traffic = new Random(61_040_002);
        String[] layouts = {"strip-4", "strip-3", "postcard", "gif-6", "boomerang"};
        long expectedCrumbs = 0;
        long[] expectedPerWorker = new long[WORKERS];
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            int booth = traffic.nextInt(BOOTHS);
            PrintJob job = new PrintJob("PJ" + (30_000_000 + i), serials[booth], layouts[traffic.nextInt(layouts.length)], 1 + traffic.nextInt(4), traffic.nextInt(12) == 0, t);
            int w = booth % WORKERS;
            int crumbs = job.paperJam() ? 4 : 3;
            expectedCrumbs += crumbs;
            expectedPerWorker[w] += crumbs;
            svc.recent[(int) (svc.jobs++ % RING)] = job;
            svc.workers[w].queue.add(job);
            String key = "tpl-" + traffic.nextInt(4_000);
            if (svc.templates.get(key) == null) svc.templates.put(key, new StripTemplate(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.colourProfiles.poll();
            buf[i % buf.length] = (byte) i;
            svc.colourProfiles.add(buf);
        }
        done.await();
        long held = 0, rendered = 0, added = 0;
        StringBuilder per = new StringBuilder();
        for (int w = 0; w < WORKERS; w++) {
            RenderWorker rw = svc.workers[w];
            held += rw.crumbsHeld; rendered += rw.rendered; added += rw.crumbsAdded;
            per.append(' ').append(rw.getName()).append('=').append(rw.crumbsHeld).append('/').append(rw.rendered);
            if (!FIXED) check(rw.crumbsHeld == expectedPerWorker[w], "worker " + w + " keeps all its breadcrumbs: " + rw.crumbsHeld);
            check(rw.isAlive() && rw.queue.isEmpty(), "worker alive and idle");
        }
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " booths " + svc.booths.size() + " jobs " + jobs + " rendered " + rendered + " breadcrumbs held " + held + " (added " + added + ";" + per + ") templates " + svc.templates.size()
                + " (evicted " + svc.templates.evicted + ") pool " + svc.colourProfiles.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.booths.size() == BOOTHS, "reference data / directory");
        check(rendered == jobs && added == expectedCrumbs, "all jobs rendered");
        if (FIXED) check(held == 0, "contexts reset"); else check(held == expectedCrumbs, "breadcrumbs kept: " + held);
        check(svc.templates.size() == TEMPLATE_CAP && svc.templates.evicted > 0, "template cache at cap");
        check(svc.colourProfiles.size() == POOL, "pool");
        check(svc.jobs == jobs && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
