// hprofscan-dump: name=val77-leak-carauctions jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val77-leak-carauctions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Validation set 77 (written blind), LEAK: the bidding API of an online used-car auction house. Auction
 * site reference data, the lot directory, a cache of rendered lot pages at its cap, a pool of photo
 * decode buffers, a ring of recent bids, and a fixed pool of 8 request worker threads. Each worker
 * has a per-thread scratch buffer (legitimate, one per thread) and a request profiler: a static
 * ThreadLocal holding a map of profiling spans keyed by request id and stage. The spans of a request
 * are summarized at its end, but the map is never cleared, so each worker's map holds every span of
 * every request it has served. The fix removes the thread's profiling map at the end of each request.
 * See VALIDATION77.md.
 */
public final class Val77LeakCarAuctions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_000, LOTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, WORKERS = 8, HOURS = 10, REQUESTS_PER_HOUR = 3_000;
    static final String[] STAGES = {"auth", "load-lot", "render"};
    static boolean FIXED;

    record AuctionSite(String code, String region, double[] hourlyTurnout) {}
    record Lot(String lotId, String siteCode, String make, byte[] conditionReport, long listedAt) {}
    record LotPage(String key, byte[] html, long at) {}
    record Bid(String lotId, String bidderId, long amountPence, long at) {}
    record Request(String requestId, String lotId, String endpoint, long at, int[] stageMicros, int samples) {}

    /** One profiling span: a stage of one request with its sampled timings. */
    static final class ProfileSpan {
        final String requestId, stage; final long startMs; final long micros; final long[] samples;
        ProfileSpan(String requestId, String stage, long startMs, long micros, long[] samples) { this.requestId = requestId; this.stage = stage; this.startMs = startMs; this.micros = micros; this.samples = samples; }
    }

    static final class Profiler {
        static final ThreadLocal<Map<String, ProfileSpan>> SPANS = ThreadLocal.withInitial(HashMap::new);
        static void record(Request r, int stage, long[] samples) {
            SPANS.get().put(r.requestId() + "/" + STAGES[stage], new ProfileSpan(r.requestId(), STAGES[stage], r.at(), r.stageMicros()[stage], samples));
        }
        /** Summarizes the request's spans; returns the thread's map size afterwards. */
        static int endRequest(Request r, long[] totals) {
            Map<String, ProfileSpan> m = SPANS.get();
            for (String st : STAGES) { ProfileSpan s = m.get(r.requestId() + "/" + st); if (s != null) totals[0] += s.micros; }
            if (FIXED) { SPANS.remove(); return 0; }
            return m.size(); // BUG: the spans stay in the thread's map
        }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final class PageCache extends LinkedHashMap<String, LotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, AuctionSite> SITES_BY_CODE = new HashMap<>();

    static final class Worker extends Thread {
        final int index; final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        final CountDownLatch done; final AtomicIntegerArray mapSizes; final long[] totals = new long[1]; long served;
        Worker(int index, CountDownLatch done, AtomicIntegerArray mapSizes) { super("auction-worker-" + index); this.index = index; this.done = done; this.mapSizes = mapSizes; setDaemon(true); }
        @Override public void run() {
            try {
                while (true) {
                    Request r = queue.take();
                    byte[] scratch = SCRATCH.get();
                    for (int s = 0; s < STAGES.length; s++) {
                        long[] samples = new long[r.samples()];
                        for (int k = 0; k < samples.length; k++) samples[k] = r.stageMicros()[s] / (k + 1);
                        scratch[(int) (served % scratch.length)] = (byte) s;
                        Profiler.record(r, s, samples);
                    }
                    served++;
                    mapSizes.set(index, Profiler.endRequest(r, totals));
                    done.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class BiddingApi {
        final Map<String, Lot> lots = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Bid[] recentBids = new Bid[RING];
        long bids;
        Worker[] workers;
    }

    static BiddingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val77.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int requests = REQUESTS_PER_HOUR * HOURS;
        Random rnd = new Random(77_030_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] turnout = new double[72];
            for (int k = 0; k < turnout.length; k++) turnout[k] = rnd.nextDouble() * 120;
            siteCodes[s] = "AS-" + (700 + s);
            SITES_BY_CODE.put(siteCodes[s], new AuctionSite(siteCodes[s], "Region " + (s % 40), turnout));
        }
        BiddingApi svc = new BiddingApi();
        SERVICE = svc;
        String[] makes = {"Ford", "Vauxhall", "Volkswagen", "BMW", "Audi", "Toyota", "Nissan", "Kia", "Skoda", "Peugeot"};
        String[] lotIds = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lotIds[l] = "LOT" + (5_000_000 + l * 3);
            svc.lots.put(lotIds[l], new Lot(lotIds[l], siteCodes[rnd.nextInt(SITES)], makes[l % makes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        CountDownLatch done = new CountDownLatch(requests);
        AtomicIntegerArray mapSizes = new AtomicIntegerArray(WORKERS);
        svc.workers = new Worker[WORKERS];
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new Worker(w, done, mapSizes); svc.workers[w].start(); }
        Random traffic = new Random(77_030_002);
        String[] endpoints = {"GET /lots/{id}", "POST /lots/{id}/bids", "GET /lots/{id}/watchers"};
        int[] perWorker = new int[WORKERS];
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int l = traffic.nextInt(LOTS);
            int[] micros = {200 + traffic.nextInt(800), 1_000 + traffic.nextInt(9_000), 500 + traffic.nextInt(3_000)};
            Request r = new Request("req-" + Long.toHexString(0xa0c0_0000_0000L + i * 7919L), lotIds[l], endpoints[i % endpoints.length], t, micros, 4 + traffic.nextInt(8));
            int w = l % WORKERS; // requests are routed by lot so one lot's bids are serialized on one worker
            perWorker[w]++;
            svc.workers[w].queue.add(r);
            if (i % 3 == 1) svc.recentBids[(int) (svc.bids++ % RING)] = new Bid(lotIds[l], "BD" + (300_000 + traffic.nextInt(90_000)), 100_000L + traffic.nextInt(2_000_000), t);
            String key = "lot-page-" + traffic.nextInt(4_500);
            if (svc.pages.get(key) == null) svc.pages.put(key, new LotPage(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 4 == 0) {
                byte[] buf = svc.photoBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.photoBuffers.add(buf);
            }
        }
        done.await();
        int totalSpans = 0;
        StringBuilder sizes = new StringBuilder();
        for (int w = 0; w < WORKERS; w++) { totalSpans += mapSizes.get(w); sizes.append(' ').append(mapSizes.get(w)); }
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " lots " + svc.lots.size() + " requests " + requests + " per worker " + java.util.Arrays.toString(perWorker) + " span maps" + sizes + " (total " + totalSpans
                + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.photoBuffers.size() + " bids " + svc.bids);
        check(SITES_BY_CODE.size() == SITES && svc.lots.size() == LOTS, "reference data / directory");
        long served = 0;
        for (Worker w : svc.workers) served += w.served;
        check(served == requests, "requests served");
        for (int w = 0; w < WORKERS; w++) {
            if (FIXED) check(mapSizes.get(w) == 0, "fixed: span map removed after each request");
            else check(mapSizes.get(w) == 3 * perWorker[w], "worker " + w + " keeps every span: " + mapSizes.get(w));
        }
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.bids == requests / 3 && svc.recentBids[RING - 1] != null, "bid ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
