// hprofscan-dump: name=val69-healthy-stampcollectors jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val69-healthy-stampcollectors-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 69 (written blind), HEALTHY: the online auction house of a philatelic society.
 * Stamp-issue reference data (catalogue), the collector directory, a cache of rendered lot pages at
 * its cap, a ring of recent bids, a pool of image-scan buffers, a bounded metrics registry (route
 * and status tags; trace id kept only as an exemplar), and 4 certificate-render worker threads, each
 * with a ThreadLocal cache of parsed certificate templates keyed by the template's design name (30
 * designs) and capped at 64 entries. See VALIDATION69.md.
 */
public final class Val69HealthyStampCollectors {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ISSUES = 3_000, COLLECTORS = 26_000, LOT_CAP = 2_000, POOL = 8, RING = 16_384, BIDS = 60_000, HOURS = 10, WORKERS = 4, DESIGNS = 30, TL_CAP = 64, SAMPLES = 8;

    record StampIssue(String sgNumber, String country, int year, double[] valuationHistory) {}
    record Collector(String memberId, String name, String region, byte[] wantList, long joinedAt) {}
    record LotPage(String key, byte[] rendered, long at) {}
    record Bid(String lotId, String memberId, long amountPence, long at) {}

    static final class ParsedCertificate {
        final String design;
        final String[] literals;
        ParsedCertificate(String design, String source) { this.design = design; this.literals = source.split("\\{\\{[a-z]+}}"); }
    }

    static final class TemplateLru extends LinkedHashMap<String, ParsedCertificate> {
        TemplateLru() { super(128, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ParsedCertificate> e) { return size() > TL_CAP; }
    }

    static final ThreadLocal<TemplateLru> CERT_TEMPLATES = ThreadLocal.withInitial(TemplateLru::new);

    record CertJob(String design, String source, String lotId) {}

    static final class CertWorker extends Thread {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile long rendered, cacheSize;
        CertWorker(int n) { super("cert-render-" + n); setDaemon(true); }
        @Override public void run() {
            try {
                while (true) {
                    Object o = queue.take();
                    if (o instanceof CountDownLatch l) { cacheSize = CERT_TEMPLATES.get().size(); l.countDown(); continue; }
                    CertJob job = (CertJob) o;
                    CERT_TEMPLATES.get().computeIfAbsent(job.design(), k -> new ParsedCertificate(job.design(), job.source()));
                    rendered++;
                }
            } catch (InterruptedException e) { /* shut down */ }
        }
    }

    record SeriesKey(String name, String route, String status) {}

    static final class Series {
        final SeriesKey key;
        final long[] sampleAt = new long[SAMPLES];
        final double[] sampleValue = new double[SAMPLES];
        int next; long count; String exemplarTraceId;
        Series(SeriesKey key) { this.key = key; }
        void record(long at, double v, String traceId) { sampleAt[next] = at; sampleValue[next] = v; next = (next + 1) % SAMPLES; count++; exemplarTraceId = traceId; }
    }

    static final class LotCache extends LinkedHashMap<String, LotPage> {
        long evicted;
        LotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotPage> e) { if (size() > LOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, StampIssue> CATALOGUE = new HashMap<>();

    static final class AuctionService {
        final Map<String, Collector> collectors = new HashMap<>();
        final LotCache lots = new LotCache();
        final Bid[] recentBids = new Bid[RING];
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final Map<SeriesKey, Series> series = new HashMap<>();
        final CertWorker[] workers = new CertWorker[WORKERS];
        long bids, requests;
    }

    static AuctionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(69_060_001);
        String[] countries = {"GB", "FR", "DE", "US", "IT", "NL", "CH", "AT", "BE", "ES"};
        for (int s = 0; s < ISSUES; s++) {
            double[] v = new double[48];
            for (int k = 0; k < v.length; k++) v[k] = rnd.nextDouble() * 500;
            String sg = "SG" + (1_000 + s);
            CATALOGUE.put(sg, new StampIssue(sg, countries[s % countries.length], 1840 + rnd.nextInt(180), v));
        }
        AuctionService svc = new AuctionService();
        SERVICE = svc;
        String[] members = new String[COLLECTORS];
        for (int c = 0; c < COLLECTORS; c++) {
            members[c] = "PHS" + (200_000 + c);
            svc.collectors.put(members[c], new Collector(members[c], "Collector " + c, "Region " + (c % 30), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        String[] designs = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) designs[d] = "Certificate of authenticity, design " + d + ": lot {{lot}} examined by {{expert}} on {{date}} and found {{opinion}}.";
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new CertWorker(w); svc.workers[w].start(); }
        String[] routes = {"GET /lots/{id}", "POST /lots/{id}/bids", "GET /catalogue/{sg}", "GET /members/{id}", "POST /members/{id}/wants", "GET /sales", "GET /sales/{id}/lots",
                "POST /certificates", "GET /certificates/{id}", "POST /consignments"};
        String[] statuses = {"200", "201", "400", "404", "409", "429"};
        Random traffic = new Random(69_060_002);
        for (int i = 0; i < BIDS; i++) {
            long t = start + (end - MINUTE - start) * i / BIDS;
            String lot = "LOT-" + (400_000 + traffic.nextInt(30_000));
            svc.recentBids[(int) (svc.bids++ % RING)] = new Bid(lot, members[traffic.nextInt(COLLECTORS)], 100 + traffic.nextInt(500_000), t);
            String traceId = Long.toHexString(traffic.nextLong()) + Long.toHexString(traffic.nextLong());
            SeriesKey sk = new SeriesKey("http.server.requests", routes[traffic.nextInt(routes.length)], statuses[traffic.nextInt(10) < 7 ? 0 : traffic.nextInt(statuses.length)]);
            svc.series.computeIfAbsent(sk, Series::new).record(t, 1 + traffic.nextDouble() * 150, traceId);
            svc.requests++;
            if (i % 3 == 0) {
                int d = traffic.nextInt(DESIGNS);
                svc.workers[i % WORKERS].queue.add(new CertJob("cert-" + d, designs[d], lot));
            }
            String key = "lotpage-" + traffic.nextInt(5_000);
            if (svc.lots.get(key) == null) svc.lots.put(key, new LotPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.scanBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scanBuffers.add(buf);
        }
        CountDownLatch drained = new CountDownLatch(WORKERS);
        for (CertWorker w : svc.workers) w.queue.add(drained);
        drained.await();
        long cached = 0, rendered = 0; StringBuilder per = new StringBuilder();
        for (CertWorker w : svc.workers) { cached += w.cacheSize; rendered += w.rendered; per.append(' ').append(w.cacheSize); }
        System.out.println("issues " + CATALOGUE.size() + " collectors " + svc.collectors.size() + " bids " + svc.bids + " series " + svc.series.size() + " (requests " + svc.requests + ") certificates " + rendered
                + " cached templates " + cached + " (per worker" + per + ") lots " + svc.lots.size() + " (evicted " + svc.lots.evicted + ") pool " + svc.scanBuffers.size());
        check(CATALOGUE.size() == ISSUES && svc.collectors.size() == COLLECTORS, "reference data / directory");
        check(svc.bids == BIDS && svc.recentBids[RING - 1] != null, "bid ring");
        check(svc.series.size() == routes.length * statuses.length, "series bounded: " + svc.series.size());
        check(rendered == BIDS / 3 && cached == (long) WORKERS * DESIGNS, "per-worker template caches bounded by designs: " + cached);
        check(svc.lots.size() == LOT_CAP && svc.lots.evicted > 0, "lot cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
