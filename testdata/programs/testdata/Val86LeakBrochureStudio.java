// hprofscan-dump: name=val86-leak-brochurestudio jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val86-leak-brochurestudio-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 86 (written blind), LEAK: the brochure studio of a real-estate agency network.
 * Agents order a print-ready PDF brochure of a property listing; the rendering is submitted to a
 * background executor (one worker thread, {@code brochure-render-1}, with a per-thread raster
 * scratch buffer). Office reference data, the listing directory, a cache of photo thumbnails at its
 * cap, a pool of font-raster buffers, a ring of listing page views, and the status page's list of
 * submitted render jobs: every {@code Future<Brochure>} returned by {@code submit} is appended to
 * {@code BrochureService.submitted} so that the status page can show the last 50 jobs, and the
 * list is never pruned: every completed future stays, holding its rendered brochure. See
 * VALIDATION86.md.
 */
public final class Val86LeakBrochureStudio {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int OFFICES = 1_000, LISTINGS = 22_000, THUMB_CAP = 2_000, POOL = 8, RING = 16_384, STATUS_CAP = 50;
    static final int HOURS = 10, BROCHURES_PER_HOUR = 800, VIEWS_PER_HOUR = 6_000, BATCH = 20;
    static boolean FIXED;

    record Office(String code, String town, double[] weeklyEnquiries) {}
    record Listing(String ref, String officeCode, String address, byte[] description, long listedAt) {}
    record Thumbnail(String key, byte[] jpeg, long at) {}
    record PageView(String listingRef, String visitor, long at) {}
    /** A rendered brochure: the result of one render job. */
    record Brochure(long jobId, String listingRef, String title, int pages, byte[] pdf, long renderedAt) {}

    static final ThreadLocal<byte[]> RENDER_SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Office> OFFICES_BY_CODE = new HashMap<>();

    static final class BrochureService {
        final Map<String, Listing> listings = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final PageView[] views = new PageView[RING];
        long viewCount;
        final ExecutorService renderer = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "brochure-render-1"); t.setDaemon(true); return t; });
        /** Jobs shown on the status page (the page shows the last STATUS_CAP). */
        final List<Future<Brochure>> submitted = new ArrayList<>();
        long jobIds, pruned;

        Future<Brochure> order(String listingRef, long at) {
            long jobId = 5_500_000L + jobIds++;
            Future<Brochure> f = renderer.submit(() -> render(jobId, listingRef, at));
            submitted.add(f);
            if (FIXED) { // the fix: keep only the last STATUS_CAP jobs, dropping finished ones
                while (submitted.size() > STATUS_CAP && submitted.get(0).isDone()) { submitted.remove(0); pruned++; }
            }
            // BUG: nothing is ever removed from submitted
            return f;
        }

        /** Runs on the render thread. */
        static Brochure render(long jobId, String listingRef, long at) {
            Random r = new Random(jobId);
            byte[] scratch = RENDER_SCRATCH.get();
            int pages = 2 + r.nextInt(6);
            byte[] pdf = new byte[600 + r.nextInt(600)];
            for (int i = 0; i < pdf.length; i++) scratch[i] = (byte) (i * pages);
            System.arraycopy(scratch, 0, pdf, 0, pdf.length);
            return new Brochure(jobId, listingRef, "Brochure " + listingRef + " (" + pages + " pages)", pages, pdf, at + 2_000 + r.nextInt(3_000));
        }

        List<Future<Brochure>> statusPage() { return submitted.subList(Math.max(0, submitted.size() - STATUS_CAP), submitted.size()); }
    }

    static BrochureService SERVICE;

    static void view(BrochureService svc, Random traffic, String[] refs, int v, long vt) {
        String ref = refs[traffic.nextInt(LISTINGS)];
        svc.views[(int) (svc.viewCount++ % RING)] = new PageView(ref, "V" + (200_000 + traffic.nextInt(90_000)), vt);
        String key = "thumb-" + traffic.nextInt(5_000);
        if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[500 + traffic.nextInt(500)], vt));
        byte[] buf = svc.rasterBuffers.poll();
        buf[v % buf.length] = (byte) v;
        svc.rasterBuffers.add(buf);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val86.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(86_020_001);
        String[] officeCodes = new String[OFFICES];
        for (int o = 0; o < OFFICES; o++) {
            double[] enq = new double[80];
            for (int k = 0; k < enq.length; k++) enq[k] = rnd.nextDouble() * 40;
            officeCodes[o] = "OF-" + (2_000 + o);
            OFFICES_BY_CODE.put(officeCodes[o], new Office(officeCodes[o], "Town " + (o % 250), enq));
        }
        BrochureService svc = new BrochureService();
        SERVICE = svc;
        String[] refs = new String[LISTINGS];
        for (int l = 0; l < LISTINGS; l++) {
            refs[l] = "LST-" + (810_000 + l * 11);
            svc.listings.put(refs[l], new Listing(refs[l], officeCodes[rnd.nextInt(OFFICES)], (1 + rnd.nextInt(400)) + " High Street", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);
        Random traffic = new Random(86_020_002);
        int brochures = BROCHURES_PER_HOUR * HOURS;
        int views = VIEWS_PER_HOUR * HOURS;
        List<Future<Brochure>> batch = new ArrayList<>();
        long pagesRendered = 0;
        int v = 0;
        for (int i = 0; i < brochures; i++) {
            long t = start + (end - MINUTE - start) * i / brochures;
            // page views up to this moment
            for (; v < views && start + (end - MINUTE - start) * v / views <= t; v++) view(svc, traffic, refs, v, start + (end - MINUTE - start) * v / views);
            batch.add(svc.order(refs[traffic.nextInt(LISTINGS)], t));
            if (batch.size() == BATCH) { // the order desk waits for its batch before mailing the agents
                for (Future<Brochure> f : batch) pagesRendered += f.get().pages();
                batch.clear();
            }
        }
        for (; v < views; v++) view(svc, traffic, refs, v, start + (end - MINUTE - start) * v / views);
        for (Future<Brochure> f : batch) pagesRendered += f.get().pages();
        batch.clear();
        if (FIXED) { while (svc.submitted.size() > STATUS_CAP && svc.submitted.get(0).isDone()) { svc.submitted.remove(0); svc.pruned++; } }
        int done = 0;
        for (Future<Brochure> f : svc.submitted) if (f.isDone()) done++;
        System.out.println((FIXED ? "FIXED " : "") + "offices " + OFFICES_BY_CODE.size() + " listings " + svc.listings.size() + " jobs " + svc.jobIds + " submitted list " + svc.submitted.size() + " (done " + done + ", pruned " + svc.pruned
                + ") pages " + pagesRendered + " views " + svc.viewCount + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.rasterBuffers.size()
                + " status page " + svc.statusPage().size());
        check(OFFICES_BY_CODE.size() == OFFICES && svc.listings.size() == LISTINGS, "reference data / directory");
        check(svc.jobIds == brochures && done == svc.submitted.size(), "all jobs finished");
        if (FIXED) check(svc.submitted.size() == STATUS_CAP && svc.pruned == brochures - STATUS_CAP, "status list pruned: " + svc.submitted.size());
        else check(svc.submitted.size() == brochures, "status list keeps every job: " + svc.submitted.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.viewCount == views && svc.views[RING - 1] != null, "view ring: " + svc.viewCount);
        LeakCheck.histogram("java.util.concurrent.FutureTask");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
