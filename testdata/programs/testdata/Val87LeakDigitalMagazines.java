// hprofscan-dump: name=val87-leak-digitalmagazines jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val87-leak-digitalmagazines-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 87 (written blind), LEAK: the page server of a digital-magazine subscription app.
 * Publisher reference data, the issue directory keyed by issue id, a cache of rendered covers at
 * its cap, a pool of render buffers, a ring of reading events, and a cache of rendered page images
 * keyed by (issue id, page, zoom) where the zoom is the float the reader app sends: 1.0 for the
 * default view, 1.05 / 1.0999999 / 1.15 ... from the zoom buttons (steps of 0.05f added up on the
 * device) and any value at all from pinch gestures. The key hardly ever repeats, and the cache has
 * no cap and no expiry, so it grows with every page view. See VALIDATION87.md.
 */
public final class Val87LeakDigitalMagazines {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PUBLISHERS = 900, ISSUES = 20_000, CURRENT_ISSUES = 300, PAGES = 120, COVER_CAP = 1_500, POOL = 8, RING = 16_384,
        VIEWS_PER_HOUR = 1_800, HOURS = 10, FIXED_PAGE_CAP = 3_000;
    static final float[] ZOOM_LEVELS = {0.5f, 0.75f, 1.0f, 1.25f, 1.5f, 2.0f, 3.0f};
    static boolean FIXED;

    record Publisher(String code, String name, double[] royaltySchedule) {}
    record Issue(String issueId, String publisherCode, String title, byte[] tableOfContents, long publishedAt) {}
    record Cover(String issueId, byte[] rendered, long at) {}
    record ReadingEvent(String issueId, int page, String readerId, long at) {}
    record PageKey(String issueId, int page, float zoom) {}
    record PageImage(PageKey key, byte[] webp, long renderedAt) {}

    /** Rendered page images. */
    static final class PageImageCache {
        final Map<PageKey, PageImage> images = FIXED ? new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<PageKey, PageImage> e) { if (size() > FIXED_PAGE_CAP) { evicted++; return true; } return false; }
        } : new HashMap<>(); // BUG: no cap, no expiry
        long hits, misses, evicted;
        PageImage get(String issueId, int page, float clientZoom, Random r, long at) {
            float zoom = clientZoom;
            if (FIXED) { // snap to the nearest of the levels the renderer supports; the app scales the rest
                float best = ZOOM_LEVELS[0];
                for (float z : ZOOM_LEVELS) if (Math.abs(z - clientZoom) < Math.abs(best - clientZoom)) best = z;
                zoom = best;
            }
            int renderedSize = 300 + r.nextInt(300); // drawn for every view, so both builds see the same traffic
            PageKey key = new PageKey(issueId, page, zoom);
            PageImage img = images.get(key);
            if (img != null) { hits++; return img; }
            misses++;
            img = new PageImage(key, new byte[renderedSize], at);
            images.put(key, img);
            return img;
        }
    }

    static final class CoverCache extends LinkedHashMap<String, Cover> {
        long evicted;
        CoverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Cover> e) { if (size() > COVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Publisher> PUBLISHERS_BY_CODE = new HashMap<>();

    static final class KioskService {
        final Map<String, Issue> issues = new HashMap<>();
        final CoverCache covers = new CoverCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final ReadingEvent[] readingLog = new ReadingEvent[RING];
        long views;
        final PageImageCache pageImages = new PageImageCache();
    }

    static KioskService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static KioskService build(long now, long start, long end) {
        Random rnd = new Random(87_030_001);
        String[] pubCodes = new String[PUBLISHERS];
        for (int p = 0; p < PUBLISHERS; p++) {
            double[] schedule = new double[80];
            for (int k = 0; k < schedule.length; k++) schedule[k] = rnd.nextDouble() * 0.4;
            pubCodes[p] = "PUB" + (10_000 + p);
            PUBLISHERS_BY_CODE.put(pubCodes[p], new Publisher(pubCodes[p], "Publisher " + p, schedule));
        }
        KioskService svc = new KioskService();
        String[] issueIds = new String[ISSUES];
        for (int i = 0; i < ISSUES; i++) {
            int title = i % 1_000, number = i / 1_000;
            issueIds[i] = String.format("%04d-%04d/%03d", 2_000 + title, 1_000 + title * 7 % 9_000, 200 - number);
            svc.issues.put(issueIds[i], new Issue(issueIds[i], pubCodes[title % PUBLISHERS], "Title " + title, new byte[150 + rnd.nextInt(150)], now - (long) number * 14 * DAY - rnd.nextInt(14) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[65_536]);
        Random traffic = new Random(87_030_002);
        int total = VIEWS_PER_HOUR * HOURS;
        for (int v = 0; v < total; v++) {
            long t = start + (end - MINUTE - start) * v / total;
            // 90% of reading is in the current issues (the newest of each title; a few titles are most of it), the rest in
            // the back catalogue; most views are of the first pages
            double u = traffic.nextDouble();
            String issueId = traffic.nextInt(10) < 9 ? issueIds[(int) (CURRENT_ISSUES * u * u * u)] : issueIds[traffic.nextInt(ISSUES)];
            double w = traffic.nextDouble();
            int page = 1 + (int) (PAGES * w * w);
            int gesture = traffic.nextInt(100);
            float zoom;
            if (gesture < 35) zoom = 1.0f;                                  // default view
            else if (gesture < 65) { zoom = 1.0f; for (int s = traffic.nextInt(30); s > 0; s--) zoom += 0.05f; } // zoom buttons
            else zoom = 0.5f + traffic.nextFloat() * 2.5f;                    // pinch
            String reader = "rd" + (500_000 + traffic.nextInt(40_000));
            svc.pageImages.get(issueId, page, zoom, traffic, t);
            svc.readingLog[(int) (svc.views++ % RING)] = new ReadingEvent(issueId, page, reader, t);
            if (svc.covers.get(issueId) == null) svc.covers.put(issueId, new Cover(issueId, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[(int) (svc.views % buf.length)] = (byte) page;
            svc.renderBuffers.add(buf);
        }
        return svc;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val87.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        KioskService svc = build(now, start, end);
        SERVICE = svc;
        PageImageCache c = svc.pageImages;
        System.out.println((FIXED ? "FIXED " : "") + "publishers " + PUBLISHERS_BY_CODE.size() + " issues " + svc.issues.size() + " views " + svc.views + " page images " + c.images.size()
                + " (hits " + c.hits + ", misses " + c.misses + ", evicted " + c.evicted + ") covers " + svc.covers.size() + " (evicted " + svc.covers.evicted + ") pool " + svc.renderBuffers.size());
        check(PUBLISHERS_BY_CODE.size() == PUBLISHERS && svc.issues.size() == ISSUES, "reference data / directory");
        check(svc.views == (long) VIEWS_PER_HOUR * HOURS && c.hits + c.misses == svc.views, "traffic");
        if (FIXED) check(c.images.size() == FIXED_PAGE_CAP && c.evicted == c.misses - FIXED_PAGE_CAP, "fixed page cache at its cap");
        else check(c.images.size() == c.misses && c.evicted == 0 && c.misses > svc.views * 3 / 4, "page cache keeps every miss: " + c.images.size());
        check(svc.covers.size() == COVER_CAP && svc.covers.evicted > 0, "cover cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.readingLog[RING - 1] != null && svc.views > RING, "ring");
        LeakCheck.histogram(" [I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
