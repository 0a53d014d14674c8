// hprofscan-dump: name=val10-leak-cdnlogs jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val10-leak-cdnlogs-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Validation set 10 (written blind), LEAK: a CDN access-log shipper after 10 simulated hours. Edge
 * log lines are parsed, sampled and written into gzip segment files (one open segment per log
 * shard), which are rotated every 8 minutes and uploaded. The leak: every segment writer is
 * registered in {@code SegmentRegistry.open} (for the "pending bytes" metrics endpoint) when it is
 * opened and deregistered by {@code close()}; rotation calls {@code finish()} (gzip trailer,
 * flush, upload) but never {@code close()}, so each rotated segment stays in the registry with its
 * open {@code FileOutputStream} (a real file descriptor), its {@code GZIPOutputStream} (a
 * {@code Deflater}) and its 8 KiB {@code BufferedOutputStream} buffer: 592 rotated writers, 8
 * active. Beside it: the customer (hostname) directory loaded at startup, the POP directory, a
 * GeoIP LRU at capacity, a ring of the last 20,000 sampled lines, a pool of 16 upload connections
 * and a fixed pool of 4 parser threads with a per-thread line buffer.
 * See testdata/VALIDATION10.md.
 */
public final class Val10LeakCdnLogShipper {
    static final int CUSTOMERS = 25_000;
    static final int POPS = 300;
    static final int GEO_CACHE_CAP = 10_000;
    static final int SAMPLE_RING = 20_000;
    static final int UPLOAD_CONNS = 16;
    static final int PARSERS = 4;
    static final int SHARDS = 8;
    static final int ROTATIONS_PER_SHARD = 74; // every 8 minutes for 10 hours (the 75th is due at the dump)
    static final int LINES = 120_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 10 * HOUR;

    static LogShipper RUNNING;

    static final class CustomerConfig {
        final String hostname; final long customerId; final String plan; final int sampleRatePermille; final String logFormat; final String bucket; final long onboardedAt;
        CustomerConfig(String hostname, long customerId, String plan, int sampleRatePermille, String logFormat, String bucket, long onboardedAt) { this.hostname = hostname; this.customerId = customerId; this.plan = plan; this.sampleRatePermille = sampleRatePermille; this.logFormat = logFormat; this.bucket = bucket; this.onboardedAt = onboardedAt; }
    }

    /** Reference data: per-hostname log delivery settings, loaded from the control plane at startup. */
    static final class CustomerDirectory {
        static final Map<String, CustomerConfig> BY_HOST = new HashMap<>();
    }

    static final class Pop {
        final String code; final String city; final String country; final int racks;
        Pop(String code, String city, String country, int racks) { this.code = code; this.city = city; this.country = country; this.racks = racks; }
    }

    static final class GeoInfo {
        final String ipPrefix; final String country; final String asn; final long resolvedAt;
        GeoInfo(String ipPrefix, String country, String asn, long resolvedAt) { this.ipPrefix = ipPrefix; this.country = country; this.asn = asn; this.resolvedAt = resolvedAt; }
    }

    static final class GeoIpCache extends LinkedHashMap<String, GeoInfo> {
        final int maxEntries;
        GeoIpCache(int maxEntries) { super(16_384, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GeoInfo> e) { return size() > maxEntries; }
    }

    /** A sampled line kept for the live-tail view; the ring's slots are allocated once and overwritten. */
    static final class SampledLine {
        String host; String path; int status; long bytes; long at; String pop;
    }

    static final class SampleRing {
        final SampledLine[] slots = new SampledLine[SAMPLE_RING];
        long written;
        SampleRing() { for (int i = 0; i < SAMPLE_RING; i++) slots[i] = new SampledLine(); }
        void append(String host, String path, int status, long bytes, long at, String pop) {
            SampledLine l = slots[(int) (written++ % SAMPLE_RING)];
            l.host = host; l.path = path; l.status = status; l.bytes = bytes; l.at = at; l.pop = pop;
        }
    }

    static final class UploadConnection {
        final String endpoint; final byte[] sendBuffer = new byte[32 * 1024]; long uploads;
        UploadConnection(String endpoint) { this.endpoint = endpoint; }
    }

    /** One gzip segment file being written. */
    static final class SegmentWriter {
        final String segmentName; final int shard; final File path; final FileOutputStream file; final GZIPOutputStream gzip; final BufferedOutputStream out; final long openedAt;
        long rotatedAt; long bytesWritten; long lines;
        SegmentWriter(String segmentName, int shard, File path, long openedAt) throws IOException {
            this.segmentName = segmentName; this.shard = shard; this.path = path; this.openedAt = openedAt;
            this.file = new FileOutputStream(path);
            this.gzip = new GZIPOutputStream(file, 512);
            this.out = new BufferedOutputStream(gzip, 8192);
        }
        void write(byte[] line) throws IOException { out.write(line); bytesWritten += line.length; lines++; }
        /** Writes the gzip trailer and flushes; the segment is then uploaded. Does not close the file. */
        void finish(long t) throws IOException { out.flush(); gzip.finish(); file.flush(); rotatedAt = t; }
    }

    /** Writers currently open, for the metrics endpoint (pending bytes per shard). */
    static final class SegmentRegistry {
        final Map<String, SegmentWriter> open = new ConcurrentHashMap<>();
        void opened(SegmentWriter w) { open.put(w.segmentName, w); }
        void closed(SegmentWriter w) { open.remove(w.segmentName); }
    }

    static final class LogShipper {
        final Map<String, Pop> pops = new HashMap<>();
        final GeoIpCache geo = new GeoIpCache(GEO_CACHE_CAP);
        final SampleRing samples = new SampleRing();
        final ArrayBlockingQueue<UploadConnection> uploadPool = new ArrayBlockingQueue<>(UPLOAD_CONNS);
        final SegmentRegistry registry = new SegmentRegistry();
        final SegmentWriter[] current = new SegmentWriter[SHARDS];
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor parsers = new ThreadPoolExecutor(PARSERS, PARSERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "log-parser-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread line buffer of the parser pool. */
        static final ThreadLocal<StringBuilder> LINE_BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(16 * 1024));
        final Properties config = new Properties();
        File dir;
        long rotations; long uploads;

        SegmentWriter openSegment(int shard, long t) throws IOException {
            String name = String.format("edge-logs-shard%02d-%d.log.gz", shard, t / 1000);
            SegmentWriter w = new SegmentWriter(name, shard, new File(dir, name), t);
            registry.opened(w);
            current[shard] = w;
            return w;
        }

        /** THE LEAK: the finished segment is uploaded but never closed, so it stays registered and open. */
        void rotate(int shard, long t, boolean fixed) throws IOException {
            SegmentWriter w = current[shard];
            w.finish(t);
            UploadConnection c = uploadPool.poll();
            c.uploads++; uploads++;
            uploadPool.add(c);
            if (fixed) { w.out.close(); registry.closed(w); }
            rotations++;
            openSegment(shard, t);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val10.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(10_040_001);
        LogShipper svc = new LogShipper();
        RUNNING = svc;
        svc.dir = Files.createTempDirectory("val10-cdnlogs").toFile();
        for (int i = 0; i < 70; i++) svc.config.setProperty("shipper.sink." + i + ".batchBytes", Integer.toString(1 << (10 + i % 10)));
        String[] plans = {"free", "pro", "business", "enterprise"};
        String[] hosts = new String[CUSTOMERS];
        for (int i = 0; i < CUSTOMERS; i++) {
            hosts[i] = "www.customer" + i + ".example." + (i % 3 == 0 ? "com" : "net");
            CustomerDirectory.BY_HOST.put(hosts[i], new CustomerConfig(hosts[i], 60_000_000L + i, plans[i % 4], 10 + i % 990, i % 2 == 0 ? "combined" : "json",
                    "s3://cdn-logs-" + (i % 50) + "/customer" + i, now - DAY * rnd.nextInt(3000)));
        }
        String[] countries = {"US", "DE", "JP", "BR", "IN", "FR", "GB", "AU", "SG", "ZA"};
        for (int i = 0; i < POPS; i++) {
            String code = countries[i % 10].toLowerCase() + "-" + Integer.toString(100 + i, 36);
            svc.pops.put(code, new Pop(code, "City " + i, countries[i % 10], 4 + i % 40));
        }
        String[] popCodes = svc.pops.keySet().toArray(new String[0]);
        java.util.Arrays.sort(popCodes);
        for (int i = 0; i < UPLOAD_CONNS; i++) svc.uploadPool.add(new UploadConnection("https://ingest-" + (i % 4) + ".logs.example/v1/segments"));
        CyclicBarrier warm = new CyclicBarrier(PARSERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < PARSERS; w++) fs.add(svc.parsers.submit(() -> { LogShipper.LINE_BUFFER.get().append('#'); warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        for (int s = 0; s < SHARDS; s++) svc.openSegment(s, start);
        // 10 hours of log lines; each shard rotates its segment every 8 minutes.
        long rotateEvery = 8 * MINUTE;
        long nextRotation = start + rotateEvery;
        for (int i = 0; i < LINES; i++) {
            long t = start + SIM_MILLIS * i / LINES;
            while (t >= nextRotation && svc.rotations < (long) SHARDS * ROTATIONS_PER_SHARD) {
                for (int s = 0; s < SHARDS; s++) svc.rotate(s, nextRotation, fixed);
                nextRotation += rotateEvery;
            }
            String host = hosts[rnd.nextInt(CUSTOMERS)];
            String prefix = (rnd.nextInt(200) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
            if (svc.geo.get(prefix) == null) svc.geo.put(prefix, new GeoInfo(prefix, countries[rnd.nextInt(10)], "AS" + (1000 + rnd.nextInt(60_000)), t));
            String pop = popCodes[rnd.nextInt(POPS)];
            String path = "/assets/" + Integer.toString(rnd.nextInt(1 << 20), 36) + ".js";
            int status = rnd.nextInt(20) == 0 ? 404 : 200;
            byte[] line = (host + " " + prefix + ".0 " + path + " " + status + " " + t + "\n").getBytes(StandardCharsets.US_ASCII);
            svc.current[i % SHARDS].write(line);
            if (i % 4 == 0) svc.samples.append(host, path, status, 1000 + rnd.nextInt(100_000), t, pop);
        }
        int leaked = fixed ? 0 : SHARDS * ROTATIONS_PER_SHARD;
        int finishedInRegistry = 0;
        for (SegmentWriter w : svc.registry.open.values()) if (w.rotatedAt != 0) finishedInRegistry++;
        System.out.println("customers " + CustomerDirectory.BY_HOST.size() + " pops " + svc.pops.size() + " geo " + svc.geo.size() + " samples " + svc.samples.written
                + " rotations " + svc.rotations + " uploads " + svc.uploads + " registry " + svc.registry.open.size() + " (finished " + finishedInRegistry + ")");
        check(CustomerDirectory.BY_HOST.size() == CUSTOMERS && svc.pops.size() == POPS, "reference data");
        check(svc.geo.size() == GEO_CACHE_CAP && svc.samples.written > SAMPLE_RING && svc.uploadPool.size() == UPLOAD_CONNS, "geo/ring/pool");
        check(svc.rotations == (long) SHARDS * ROTATIONS_PER_SHARD && finishedInRegistry == leaked && svc.registry.open.size() == leaked + SHARDS, "segments");
        check(svc.parsers.getPoolSize() == PARSERS, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        for (SegmentWriter w : svc.registry.open.values()) w.file.close();
        for (File f : svc.dir.listFiles()) f.delete();
        svc.dir.delete();
        System.exit(0);
    }
}
