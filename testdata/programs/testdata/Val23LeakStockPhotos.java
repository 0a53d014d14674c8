// hprofscan-dump: name=val23-leak-stockphotos jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val23-leak-stockphotos-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 23 (written blind), LEAK: the upload service of a stock-photo agency. Every
 * upload submits a thumbnail rendering task to {@code PhotoService.thumbnails}, an
 * {@code ExecutorCompletionService} over a 3-thread pool. The bug: the upload path is
 * fire-and-forget and nothing ever calls {@code take()} / {@code poll()} on that completion
 * service, so every completed task's {@code Future} (with its {@code Thumbnail} result) stays in
 * the service's completion queue. Beside it: the licence catalogue, the contributor directory, a
 * search-result cache at its cap, a pool of decode buffers, a download ring.
 * 6 simulated hours. See testdata/VALIDATION23.md.
 */
public final class Val23LeakStockPhotos {
    static final long HOUR = 3_600_000L;
    static final int LICENSES = 2_000, CONTRIBUTORS = 50_000, UPLOADS = 6_000, SEARCH_CAP = 2_500, POOL = 24, RING = 16_384, DOWNLOADS = 30_000;

    record License(String code, String terms, int[] territories) {}
    record Contributor(int id, String handle, String country, long joinedAt, int[] monthlySales) {}
    record SearchResult(String query, long[] photoIds) {}
    record Download(long photoId, int contributorId, String license, long at) {}
    record Thumbnail(String photoId, int contributorId, long renderedAt, byte[] jpeg) {}

    static final class SearchCache extends LinkedHashMap<String, SearchResult> {
        long evicted;
        SearchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchResult> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, License> LICENSES_BY_CODE = new HashMap<>();

    static final class PhotoService {
        final Map<Integer, Contributor> contributors = new HashMap<>();
        final SearchCache searches = new SearchCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Download[] downloads = new Download[RING];
        final ExecutorService renderPool = new ThreadPoolExecutor(3, 3, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r); t.setDaemon(true); t.setName("thumb-render-" + t.getId()); return t; });
        ExecutorCompletionService<Thumbnail> thumbnails;
        long downloadCount, uploads;

        void upload(String photoId, int contributorId, long at, int jpegSize) {
            thumbnails.submit(() -> new Thumbnail(photoId, contributorId, at + 1_500, new byte[jpegSize]));
            uploads++; // fire-and-forget: BUG, nobody ever take()s the completed thumbnails
        }
    }

    static PhotoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val23.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 6 * HOUR;
        Random rnd = new Random(23_020_001);
        for (int l = 0; l < LICENSES; l++) {
            int[] terr = new int[64];
            for (int k = 0; k < terr.length; k++) terr[k] = rnd.nextInt(250);
            String code = "LIC-" + (3_000 + l);
            LICENSES_BY_CODE.put(code, new License(code, "Royalty-free editorial use, print run up to " + (10_000 + l * 10) + " copies, tier " + l % 7, terr));
        }
        PhotoService svc = new PhotoService();
        SERVICE = svc;
        LinkedBlockingQueue<Future<Thumbnail>> completion = new LinkedBlockingQueue<>();
        svc.thumbnails = new ExecutorCompletionService<>(svc.renderPool, completion);
        String[] countries = {"IS", "KE", "PE", "VN", "IT", "NZ", "MX", "SE"};
        for (int c = 0; c < CONTRIBUTORS; c++) {
            int[] sales = new int[24];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextInt(500);
            svc.contributors.put(c, new Contributor(c, "lens" + Integer.toString(c * 37, 36), countries[c % countries.length], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR, sales));
        }
        for (int i = 0; i < POOL; i++) svc.decodeBuffers.add(new byte[16_384]);
        Random traffic = new Random(23_020_002);
        for (int d = 0; d < DOWNLOADS; d++) {
            long t = start + (now - start) * d / DOWNLOADS;
            svc.downloads[(int) (svc.downloadCount++ % RING)] = new Download(50_000_000L + traffic.nextInt(2_000_000), traffic.nextInt(CONTRIBUTORS), "LIC-" + (3_000 + traffic.nextInt(LICENSES)), t);
            String q = "q:" + Integer.toString(traffic.nextInt(12_000), 36);
            if (svc.searches.get(q) == null) {
                long[] ids = new long[48];
                for (int k = 0; k < ids.length; k++) ids[k] = 50_000_000L + traffic.nextInt(2_000_000);
                svc.searches.put(q, new SearchResult(q, ids));
            }
        }
        for (int u = 0; u < UPLOADS; u++) {
            long t = start + (now - start) * u / UPLOADS;
            svc.upload("PH-" + (80_000_000 + u), traffic.nextInt(CONTRIBUTORS), t, 512 + traffic.nextInt(1_024));
        }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) svc.renderPool;
        for (int w = 0; w < 4_000 && pool.getCompletedTaskCount() < UPLOADS; w++) Thread.sleep(5);
        int taken = 0;
        if (fixed) { while (svc.thumbnails.poll() != null) taken++; } // the fix: the publisher drains the completed thumbnails
        int queued = completion.size();
        completion = null;
        System.out.println((fixed ? "FIXED " : "") + "licenses " + LICENSES_BY_CODE.size() + " contributors " + svc.contributors.size() + " uploads " + svc.uploads + " rendered " + pool.getCompletedTaskCount()
                + " completed futures queued " + queued + " taken " + taken + " searches " + svc.searches.size() + " (evicted " + svc.searches.evicted + ") downloads " + svc.downloadCount + " pool " + svc.decodeBuffers.size());
        check(LICENSES_BY_CODE.size() == LICENSES && svc.contributors.size() == CONTRIBUTORS, "reference data / directory");
        check(svc.uploads == UPLOADS && pool.getCompletedTaskCount() == UPLOADS && pool.getQueue().isEmpty(), "render pool completed every task");
        check(queued == (fixed ? 0 : UPLOADS) && taken == (fixed ? UPLOADS : 0), "completion queue " + queued);
        check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted > 0, "search cache at its cap");
        check(svc.downloadCount == DOWNLOADS && svc.downloads[RING - 1] != null, "download ring");
        check(svc.decodeBuffers.size() == POOL, "decode buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
