// hprofscan-dump: name=svc-leak-uploadsinks jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-uploadsinks-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Leak (tuning set, session 13): the upload endpoint of a document service. Each upload opens a
 * sink (an 8 KiB buffered stream over a 16 KiB staging buffer) and registers it in the static
 * {@code SinkRegistry.OPEN} so that shutdown can flush whatever is still open; a finished upload
 * closes its sink and unregisters it, but the client-abort path only forgets the upload, so
 * 1,500 aborted sinks (every sixth upload over 8 hours) stay open in the registry beside the 18
 * in flight, idle for hours. When the heap is dumped the
 * registry's metrics sampler is half way through iterating it (parked between two sinks), so
 * an iterator on its stack points into the registry's table as well: the registry does not
 * dominate its table, only the sinks' own nodes.
 *
 * <p>Beside it: the document index (30,000 documents, reference data), the thumbnail cache (an
 * LRU of 1,200 at its cap), the 18 uploads in flight with their sinks (also in the registry), a
 * ring of the last 4,000 upload records, and the tenant quota table (600 tenants).
 */
public class SvcLeakUploadSinks {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int DOCUMENTS = 30_000;
    static final int UPLOADS = 9_000;
    static final int ABORT_EVERY = 6;
    static final int IN_FLIGHT = 18;
    static final int THUMBNAILS = 1_200;
    static final int RING = 4_000;
    static final int TENANTS = 600;
    static volatile UploadService RUNNING;

    /** One stored document. */
    static final class Document {
        final long id; final String tenant; final String title; final long storedAt; final int[] pageSizes;
        Document(long id, String tenant, String title, long storedAt, int pages) {
            this.id = id; this.tenant = tenant; this.title = title; this.storedAt = storedAt; this.pageSizes = new int[pages];
        }
    }

    /** An upload's sink: open until the upload finishes. */
    static final class UploadSink {
        final long uploadId; final String tenant; final long openedAt; long lastWriteAt; long bytes; boolean closed;
        final ByteArrayOutputStream staging = new ByteArrayOutputStream(16 * 1024);
        final BufferedOutputStream out = new BufferedOutputStream(staging, 8 * 1024);
        UploadSink(long uploadId, String tenant, long openedAt) {
            this.uploadId = uploadId; this.tenant = tenant; this.openedAt = openedAt; this.lastWriteAt = openedAt;
            SinkRegistry.OPEN.put(uploadId, this);
        }
        void write(byte[] chunk, long at) throws IOException { out.write(chunk, 0, 64); bytes += chunk.length; lastWriteAt = at; }
        void close() throws IOException { if (closed) return; closed = true; out.close(); SinkRegistry.OPEN.remove(uploadId); }
    }

    /** Every sink still open, for the shutdown hook to flush. */
    static final class SinkRegistry {
        static final Map<Long, UploadSink> OPEN = new ConcurrentHashMap<>();
    }

    /** A finished or aborted upload, as logged. */
    static final class UploadRecord {
        final long uploadId; final String tenant; final long bytes; final boolean aborted; final long at;
        UploadRecord(long uploadId, String tenant, long bytes, boolean aborted, long at) {
            this.uploadId = uploadId; this.tenant = tenant; this.bytes = bytes; this.aborted = aborted; this.at = at;
        }
    }

    /** Thumbnails, least recently used first out. */
    static final class ThumbnailCache extends LinkedHashMap<Long, byte[]> {
        ThumbnailCache() { super(256, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return size() > THUMBNAILS; }
    }

    static final class UploadService {
        final Map<Long, Document> documents = new HashMap<>();
        final Map<Long, UploadSink> inFlight = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<UploadRecord> ring = new ArrayDeque<>();
        final Map<String, long[]> quotas = new HashMap<>();
        long finished, aborted;

        void log(UploadRecord r) { ring.addLast(r); if (ring.size() > RING) ring.removeFirst(); }

        /** The bug: an aborted upload is forgotten without closing its sink. */
        void abort(UploadSink s, long at) { aborted++; log(new UploadRecord(s.uploadId, s.tenant, s.bytes, true, at)); }

        void finish(UploadSink s, long at) throws IOException { s.close(); finished++; log(new UploadRecord(s.uploadId, s.tenant, s.bytes, false, at)); }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("self-check failed: " + what);
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        UploadService svc = simulate(now);
        verify(svc);
        // The metrics sampler walks the registry and is parked between two sinks at the dump.
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Thread sampler = new Thread(() -> sample(parked, never), "sink-metrics-sampler");
        sampler.setDaemon(true);
        sampler.start();
        parked.await();
        LeakCheck.histogram();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }

    static void sample(CountDownLatch parked, CountDownLatch never) {
        long bytes = 0;
        Iterator<UploadSink> it = SinkRegistry.OPEN.values().iterator();
        while (it.hasNext()) {
            bytes += it.next().bytes;
            parked.countDown();
            try { never.await(); } catch (InterruptedException e) { return; }
        }
        System.out.println(bytes);
    }

    static UploadService simulate(long now) throws IOException {
        long start = now - 8 * HOUR;
        Random rnd = new Random(13_013_002);
        UploadService svc = new UploadService();
        RUNNING = svc;
        for (int t = 0; t < TENANTS; t++) svc.quotas.put("tenant-" + t, new long[8]);
        for (int i = 0; i < DOCUMENTS; i++) {
            long id = 5_000_000L + i;
            svc.documents.put(id, new Document(id, "tenant-" + rnd.nextInt(TENANTS), "document " + i, start - rnd.nextInt(1_000) * HOUR, 1 + rnd.nextInt(12)));
        }
        byte[] chunk = new byte[4_096];
        for (int i = 0; i < UPLOADS; i++) {
            long at = start + 8 * HOUR * i / UPLOADS;
            UploadSink s = new UploadSink(70_000_000L + i, "tenant-" + rnd.nextInt(TENANTS), at);
            s.write(chunk, at + 1_000);
            if (i % ABORT_EVERY == 0) svc.abort(s, at + 2_000);
            else svc.finish(s, at + 3_000);
            svc.thumbnails.put(5_000_000L + rnd.nextInt(DOCUMENTS), new byte[1_024]);
        }
        for (int i = 0; i < IN_FLIGHT; i++) {
            long at = now - (i + 1) * 20_000L;
            UploadSink s = new UploadSink(80_000_000L + i, "tenant-" + rnd.nextInt(TENANTS), at);
            s.write(chunk, at + 500);
            svc.inFlight.put(s.uploadId, s);
        }
        return svc;
    }

    static void verify(UploadService svc) {
        int expectedAborted = (UPLOADS + ABORT_EVERY - 1) / ABORT_EVERY;
        int open = SinkRegistry.OPEN.size();
        System.out.println("documents " + svc.documents.size() + " open sinks " + open + " aborted " + svc.aborted
                + " finished " + svc.finished + " in flight " + svc.inFlight.size() + " thumbnails " + svc.thumbnails.size());
        check(svc.aborted == expectedAborted, "aborted");
        check(open == expectedAborted + IN_FLIGHT, "open sinks");
        check(svc.thumbnails.size() == THUMBNAILS, "thumbnails at cap");
        check(svc.ring.size() == RING, "ring full");
    }
}
