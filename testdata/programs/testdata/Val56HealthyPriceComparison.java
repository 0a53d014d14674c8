// hprofscan-dump: name=val56-healthy-pricecomparison jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val56-healthy-pricecomparison-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 56 (written blind), HEALTHY: a price-comparison site. Merchant reference data, the
 * product directory keyed by GTIN, a cache of rendered offer pages at its cap, a ring of search log
 * entries, a pool of JSON parse buffers, a bounded debug ring of the last merchant-feed chunks, and an
 * asynchronous fan-out client that refreshes offers every 10 minutes by asking the merchants' APIs
 * for a batch of products: each call waits in pending (keyed by a sequential call id) with a timeout
 * task on one shared java.util.Timer; every reply removes its call and cancels its task, and the
 * timer is purged after every batch. The dump is taken while a batch is in flight (a few thousand
 * calls whose replies arrive within seconds). See VALIDATION56.md.
 */
public final class Val56HealthyPriceComparison {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, CALL_TIMEOUT = 120_000L;
    static final int MERCHANTS = 1_000, PRODUCTS = 26_000, PAGE_CAP = 2_000, POOL = 8, SEARCH_RING = 16_384, HOURS = 10, SEARCHES = 60_000, BATCH = 3_600,
            FEED_CHUNKS = 6_000, DEBUG_RING = 32, CHUNK = 4_096;

    record Merchant(String merchantId, String name, double[] latencyHistogram) {}
    record Product(String gtin, String title, byte[] specSheet, long listedAt) {}
    record OfferPage(String key, byte[] rendered, long at) {}
    record SearchLogEntry(String query, String gtin, int results, long at) {}

    static final class PendingCall {
        final long callId; final String merchantId; final String gtin; final byte[] request; final long sentAt; final TimeoutTask timeout;
        PendingCall(long callId, String merchantId, String gtin, byte[] request, long sentAt, TimeoutTask timeout) {
            this.callId = callId; this.merchantId = merchantId; this.gtin = gtin; this.request = request; this.sentAt = sentAt; this.timeout = timeout;
        }
    }

    static final class TimeoutTask extends TimerTask {
        final long callId; final MerchantFanout owner;
        TimeoutTask(long callId, MerchantFanout owner) { this.callId = callId; this.owner = owner; }
        @Override public void run() { synchronized (owner) { if (owner.pending.remove(callId) != null) owner.timedOut++; } }
    }

    static final class MerchantFanout {
        final Map<Long, PendingCall> pending = new HashMap<>();
        final Timer timeouts = new Timer("fanout-timeouts", true);
        long nextCallId = 1, sent, replied, timedOut, batches, purged;
        synchronized long call(String merchant, String gtin, byte[] req, long at) {
            long id = nextCallId++;
            TimeoutTask task = new TimeoutTask(id, this);
            pending.put(id, new PendingCall(id, merchant, gtin, req, at, task));
            timeouts.schedule(task, CALL_TIMEOUT);
            sent++;
            return id;
        }
        synchronized void onReply(long id) {
            PendingCall c = pending.remove(id);
            if (c != null) { c.timeout.cancel(); replied++; }
        }
        void batchDone() { purged += timeouts.purge(); batches++; }
    }

    static final class FeedReceiver {
        final ArrayDeque<ByteBuffer> lastChunks = new ArrayDeque<>();
        long chunks, bytes;
        void receive(byte[] chunk) {
            ByteBuffer copy = ByteBuffer.allocate(chunk.length);
            copy.put(chunk).flip();
            lastChunks.addLast(copy);
            if (lastChunks.size() > DEBUG_RING) lastChunks.removeFirst();
            chunks++; bytes += chunk.length;
        }
    }

    static final class PageCache extends LinkedHashMap<String, OfferPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, OfferPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Merchant> MERCHANTS_BY_ID = new HashMap<>();

    static final class ComparisonService {
        final Map<String, Product> products = new HashMap<>();
        final PageCache pages = new PageCache();
        final SearchLogEntry[] searchLog = new SearchLogEntry[SEARCH_RING];
        long searches;
        final ArrayDeque<ByteBuffer> parseBuffers = new ArrayDeque<>();
        final FeedReceiver feeds = new FeedReceiver();
        final MerchantFanout fanout = new MerchantFanout();
    }

    static ComparisonService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(56_060_001);
        String[] merchantIds = new String[MERCHANTS];
        for (int m = 0; m < MERCHANTS; m++) {
            double[] lat = new double[64];
            for (int k = 0; k < lat.length; k++) lat[k] = rnd.nextDouble() * 1_000;
            merchantIds[m] = "M" + (20_000 + m * 11);
            MERCHANTS_BY_ID.put(merchantIds[m], new Merchant(merchantIds[m], "Shop " + m, lat));
        }
        ComparisonService svc = new ComparisonService();
        SERVICE = svc;
        String[] gtins = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            gtins[p] = Long.toString(4_006_381_000_000L + p * 37L);
            svc.products.put(gtins[p], new Product(gtins[p], "Product " + (p % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(ByteBuffer.allocate(32_768));
        Random traffic = new Random(56_060_002);
        Random calls = new Random(56_060_003);
        MerchantFanout f = svc.fanout;
        // batches every 10 minutes; the last one starts 1.5 s before the dump moment
        int batches = HOURS * 6;
        long[] batchAt = new long[batches + 1];
        for (int k = 0; k < batches; k++) batchAt[k] = start + k * 10 * MINUTE;
        batchAt[batches] = end - 1_500;
        int nextBatch = 0, feedDone = 0;
        for (int i = 0; i <= SEARCHES; i++) {
            long t = i < SEARCHES ? start + (end - 2 * MINUTE - start) * i / SEARCHES : end;
            while (nextBatch <= batches && batchAt[nextBatch] <= t) { runBatch(f, batchAt[nextBatch], nextBatch == batches ? end : Long.MAX_VALUE, calls, merchantIds, gtins); nextBatch++; }
            if (i == SEARCHES) break;
            String gtin = gtins[traffic.nextInt(PRODUCTS)];
            svc.searchLog[(int) (svc.searches++ % SEARCH_RING)] = new SearchLogEntry("q" + traffic.nextInt(200_000), gtin, traffic.nextInt(40), t);
            String key = "offers-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new OfferPage(key, new byte[600 + traffic.nextInt(600)], t));
            ByteBuffer buf = svc.parseBuffers.poll();
            buf.put(i % buf.capacity(), (byte) i);
            svc.parseBuffers.add(buf);
            while (feedDone < (long) FEED_CHUNKS * (i + 1) / SEARCHES) { byte[] chunk = new byte[1_000 + traffic.nextInt(CHUNK - 1_000)]; svc.feeds.receive(chunk); feedDone++; }
        }
        System.out.println("merchants " + MERCHANTS_BY_ID.size() + " products " + svc.products.size() + " searches " + svc.searches + " batches " + f.batches + " calls sent " + f.sent + " replied " + f.replied + " timed out " + f.timedOut
                + " pending " + f.pending.size() + " (purged " + f.purged + ") feed chunks " + svc.feeds.chunks + " debug ring " + svc.feeds.lastChunks.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.parseBuffers.size());
        check(MERCHANTS_BY_ID.size() == MERCHANTS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(f.batches == batches + 1 && f.sent == (long) BATCH * (batches + 1) && f.timedOut == 0, "fan-out traffic");
        check(f.replied + f.pending.size() == f.sent && f.pending.size() > 2_000 && f.pending.size() < BATCH, "only the current batch in flight: " + f.pending.size());
        check(svc.feeds.chunks == FEED_CHUNKS && svc.feeds.lastChunks.size() == DEBUG_RING, "feed debug ring bounded");
        check(svc.searches == SEARCHES && svc.searchLog[SEARCH_RING - 1] != null, "search ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Sends one batch over 1 s; replies arrive 1-6 s after each call; delivered up to {@code until}. */
    static void runBatch(MerchantFanout f, long at, long until, Random r, String[] merchantIds, String[] gtins) {
        PriorityQueue<long[]> replies = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int c = 0; c < BATCH; c++) {
            long t = at + 1_000L * c / BATCH;
            while (!replies.isEmpty() && replies.peek()[0] <= t) f.onReply(replies.poll()[1]);
            long id = f.call(merchantIds[r.nextInt(merchantIds.length)], gtins[r.nextInt(gtins.length)], new byte[120 + r.nextInt(120)], t);
            replies.add(new long[] {t + 1_000 + r.nextInt(5_000), id});
        }
        while (!replies.isEmpty() && replies.peek()[0] <= until) f.onReply(replies.poll()[1]);
        if (until == Long.MAX_VALUE) f.batchDone();
        else f.batches++;
    }
}
