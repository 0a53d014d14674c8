// hprofscan-dump: name=val50-leak-beadmakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val50-leak-beadmakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 50 (written blind), LEAK: the pricing API of a glass-bead wholesaler. Bead-family
 * reference data, the SKU directory, a cache of rendered product pages at its cap, a pool of image
 * buffers, a ring of recent quotes, and a fixed pool of 4 worker threads whose
 * ThreadLocal<HashMap<String, PriceDto>> lookup cache stores per-request DTOs under request-scoped
 * keys and is never cleared. See VALIDATION50.md.
 */
public final class Val50LeakBeadmakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FAMILIES = 1_000, SKUS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS = 40_000, WORKERS = 4;
    static boolean FIXED;

    record BeadFamily(String code, String glass, double[] colourSpectrum) {}
    record Sku(String sku, String familyCode, int sizeMm, byte[] photoMeta, long listedAt) {}
    record Page(String key, byte[] html, long at) {}
    record PriceDto(String requestId, String sku, long unitPriceMicros, int tier, long at, byte[] breakdown) {}
    record QuoteLine(String sku, int qty, long at) {}

    /** Per worker thread: DTOs looked up while serving a request, keyed "requestId:sku". */
    static final ThreadLocal<HashMap<String, PriceDto>> LOOKUPS = ThreadLocal.withInitial(HashMap::new);

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, BeadFamily> FAMILIES_BY_CODE = new HashMap<>();

    static final class PricingApi {
        final Map<String, Sku> skus = new HashMap<>();
        final Map<String, Page> pages = Collections.synchronizedMap(new PageCache());
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final QuoteLine[] recent = new QuoteLine[RING];
        long quoted;
        ExecutorService workers;
        String[] skuIds;
        long start, end;

        /** One request: prices 1-3 SKUs; the DTO of each is looked up in the thread's cache first. */
        void serve(int i) {
            Random r = new Random(50_040_100L + i);
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String requestId = "req-" + Long.toString(7_700_000_000L + i, 36);
            HashMap<String, PriceDto> cache = LOOKUPS.get();
            try {
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) {
                    String sku = skuIds[r.nextInt(SKUS)];
                    String key = requestId + ":" + sku;
                    long price = 1_000 + r.nextInt(90_000);
                    int tier = 1 + r.nextInt(4), len = 40 + r.nextInt(40), qty = 1 + r.nextInt(500);
                    PriceDto dto = cache.get(key);
                    if (dto == null) {
                        dto = new PriceDto(requestId, sku, price, tier, t, new byte[len]);
                        cache.put(key, dto);
                    }
                    synchronized (this) { recent[(int) (quoted++ % RING)] = new QuoteLine(sku, qty, t); }
                }
                String pageKey = "page-" + r.nextInt(6_000);
                if (pages.get(pageKey) == null) pages.put(pageKey, new Page(pageKey, new byte[500 + r.nextInt(500)], t));
                synchronized (imageBuffers) {
                    byte[] buf = imageBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    imageBuffers.add(buf);
                }
            } finally {
                if (FIXED) LOOKUPS.remove(); // request scope ends: drop the request's lookups
                // BUG: nothing clears the thread's map; every request's DTOs stay in it
            }
        }
    }

    static PricingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val50.fixed");
        long now = System.currentTimeMillis();
        PricingApi svc = new PricingApi();
        SERVICE = svc;
        svc.end = now - now % MINUTE;
        svc.start = svc.end - HOURS * HOUR;
        Random rnd = new Random(50_040_001);
        String[] families = new String[FAMILIES];
        for (int f = 0; f < FAMILIES; f++) {
            double[] spectrum = new double[64];
            for (int k = 0; k < spectrum.length; k++) spectrum[k] = rnd.nextDouble();
            families[f] = "BF-" + (1_000 + f);
            FAMILIES_BY_CODE.put(families[f], new BeadFamily(families[f], f % 2 == 0 ? "Czech" : "Murano", spectrum));
        }
        svc.skuIds = new String[SKUS];
        for (int s = 0; s < SKUS; s++) {
            svc.skuIds[s] = "BD" + (5_500_000 + s);
            svc.skus.put(svc.skuIds[s], new Sku(svc.skuIds[s], families[rnd.nextInt(FAMILIES)], 2 + rnd.nextInt(14), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        svc.workers = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) { final int req = i; done.add(svc.workers.submit(() -> svc.serve(req))); }
        for (Future<?> f : done) f.get();
        // Probe: one task per worker (a barrier holds all four) reports the size of its thread's cache.
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        List<Future<Integer>> probes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) probes.add(svc.workers.submit(() -> { barrier.await(); return LOOKUPS.get().size(); }));
        long cached = 0;
        StringBuilder per = new StringBuilder();
        for (Future<Integer> f : probes) { int n = f.get(); cached += n; per.append(' ').append(n); }
        long dtos = 0;
        for (int i = 0; i < REQUESTS; i++) { Random r = new Random(50_040_100L + i); int n = 1 + r.nextInt(3); java.util.Set<Integer> seen = new java.util.HashSet<>(); for (int k = 0; k < n; k++) { seen.add(r.nextInt(SKUS)); r.nextInt(90_000); r.nextInt(4); r.nextInt(40); r.nextInt(500); } dtos += seen.size(); }
        System.out.println((FIXED ? "FIXED " : "") + "families " + FAMILIES_BY_CODE.size() + " skus " + svc.skus.size() + " requests " + REQUESTS + " dtos " + dtos + " cached in thread-locals " + cached + " (" + per.toString().trim() + ")"
                + " pages " + svc.pages.size() + " pool " + svc.imageBuffers.size() + " quoted " + svc.quoted);
        check(FAMILIES_BY_CODE.size() == FAMILIES && svc.skus.size() == SKUS, "reference data / directory");
        if (FIXED) check(cached == 0, "thread-local caches cleared: " + cached);
        else check(cached == dtos, "thread-local caches keep every request's DTOs: " + cached + " vs " + dtos);
        check(svc.pages.size() == PAGE_CAP, "page cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.quoted > RING && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
