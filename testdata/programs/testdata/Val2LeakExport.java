// hprofscan-dump: name=val2-leak-export jvm="-Xmx256m" variants=jcmd
package testdata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): a customer data-export service (CSV / gzip downloads). LEAKING.
 *
 * <p>Leak: every {@link SpoolStream} registers itself in the process-wide
 * {@link ResourceTracker} (so shutdown can close stragglers) and deregisters in {@code close()}.
 * For compressed exports the stream is wrapped in a {@link GzipSink}; the export code calls
 * {@code sink.finish()}, which flushes but does not close the underlying stream, so every gzip
 * export leaves an open SpoolStream (with its 8 KiB write buffer) in
 * {@code ResourceTracker.open} forever.
 *
 * <p>Healthy: customer directory and column catalog (reference data), a pool of 64 KiB chunk
 * buffers, a manifest cache (LRU at cap), an export job queue worked by two threads, metrics.
 */
public final class Val2LeakExport {
    static final int CUSTOMERS = 30_000;
    static final int TABLES = 400;
    static final int CHUNK_BUFFERS = 32;
    static final int CHUNK_BYTES = 64 * 1024;
    static final int SPOOL_BUFFER_BYTES = 8 * 1024;
    static final int MANIFEST_CACHE_CAP = 2_000;
    static final int JOBS = 2_400;
    static final int GZIP_EVERY = 3; // jobs with index % 3 == 1 ask for gzip
    static final long START = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

    static final AtomicLong CLOCK = new AtomicLong(START);

    static final class CustomerRecord {
        final String customerId; final String legalName; final String country; final String email; final String vatId; final long createdAtMillis;
        CustomerRecord(String id, String name, String country, String email, String vat, long created) {
            customerId = id; legalName = name; this.country = country; this.email = email; vatId = vat; createdAtMillis = created;
        }
    }

    static final class ColumnDef {
        final String name; final String sqlType; final boolean pii;
        ColumnDef(String name, String sqlType, boolean pii) { this.name = name; this.sqlType = sqlType; this.pii = pii; }
    }

    /** Process-wide open-resource tracker. */
    static final class ResourceTracker {
        static final ResourceTracker INSTANCE = new ResourceTracker();
        private final List<SpoolStream> open = new ArrayList<>();
        synchronized void opened(SpoolStream s) { open.add(s); }
        synchronized void closed(SpoolStream s) { open.remove(s); }
        synchronized int openCount() { return open.size(); }
    }

    static final class SpoolStream implements AutoCloseable {
        final String path; final String jobId; final long openedAtMillis;
        final byte[] buffer = new byte[SPOOL_BUFFER_BYTES]; int pos; long bytesWritten; boolean closed;
        SpoolStream(String path, String jobId, long at) {
            this.path = path; this.jobId = jobId; openedAtMillis = at;
            ResourceTracker.INSTANCE.opened(this);
        }
        void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                if (pos == buffer.length) flush();
                buffer[pos++] = b[off + i];
            }
        }
        void flush() { bytesWritten += pos; pos = 0; }
        @Override public void close() {
            if (closed) return;
            flush();
            closed = true;
            ResourceTracker.INSTANCE.closed(this);
        }
    }

    /** "Compressing" wrapper; finish() flushes the trailer, close() would also close the target. */
    static final class GzipSink implements AutoCloseable {
        final SpoolStream target; long crc;
        GzipSink(SpoolStream target) { this.target = target; }
        void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) crc = crc * 31 + b[i];
            target.write(b, off, len / 2 + 1);
        }
        void finish() { target.flush(); }
        @Override public void close() { finish(); target.close(); }
    }

    static final class ChunkBufferPool {
        final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNK_BUFFERS);
        ChunkBufferPool() { for (int i = 0; i < CHUNK_BUFFERS; i++) free.add(new byte[CHUNK_BYTES]); }
        byte[] take() throws InterruptedException { return free.take(); }
        void give(byte[] b) { free.add(b); }
    }

    static final class ExportManifest {
        final String jobId; final String customerId; final String table; final String path; final long rows; final long finishedAtMillis;
        ExportManifest(String jobId, String customerId, String table, String path, long rows, long at) {
            this.jobId = jobId; this.customerId = customerId; this.table = table; this.path = path; this.rows = rows; finishedAtMillis = at;
        }
    }

    static final class ExportJob {
        final String jobId; final String customerId; final String table; final boolean gzip; final long submittedAtMillis;
        ExportJob(String jobId, String customerId, String table, boolean gzip, long at) {
            this.jobId = jobId; this.customerId = customerId; this.table = table; this.gzip = gzip; submittedAtMillis = at;
        }
    }

    final Map<String, CustomerRecord> customers = new HashMap<>();
    final Map<String, List<ColumnDef>> columnsByTable = new HashMap<>();
    final ChunkBufferPool chunks = new ChunkBufferPool();
    final Map<String, ExportManifest> manifestCache = new LinkedHashMap<>(MANIFEST_CACHE_CAP * 2, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, ExportManifest> e) { return size() > MANIFEST_CACHE_CAP; }
    };
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "export-worker");
        t.setDaemon(true);
        return t;
    });

    static Val2LeakExport service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void start(Random rnd) {
        String[] countries = {"DE", "FR", "NL", "BE", "AT", "IT", "ES", "PL"};
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "CUST-" + (700_000 + i);
            String c = countries[i % countries.length];
            customers.put(id, new CustomerRecord(id, "Example Trading " + i + " GmbH", c, "billing+" + i + "@example-" + (i % 97) + ".com",
                    c + String.format("%09d", 100_000_000 + i), START - rnd.nextInt(1_000_000) * 1000L));
        }
        String[] types = {"VARCHAR(64)", "BIGINT", "TIMESTAMP", "DECIMAL(18,4)", "BOOLEAN"};
        for (int t = 0; t < TABLES; t++) {
            List<ColumnDef> cols = new ArrayList<>();
            for (int c = 0; c < 12; c++) cols.add(new ColumnDef("col_" + t + "_" + c, types[c % types.length], c % 4 == 0));
            columnsByTable.put("table_" + t, cols);
        }
    }

    ExportManifest runExport(ExportJob job, Random rnd) throws InterruptedException {
        CustomerRecord c = customers.get(job.customerId);
        List<ColumnDef> cols = columnsByTable.get(job.table);
        String path = "/var/spool/exports/" + job.jobId + (job.gzip ? ".csv.gz" : ".csv");
        SpoolStream out = new SpoolStream(path, job.jobId, CLOCK.get());
        byte[] chunk = chunks.take();
        long rows = 0;
        try {
            int n = 0;
            for (ColumnDef col : cols) {
                byte[] h = (col.name + ",").getBytes();
                System.arraycopy(h, 0, chunk, n, h.length);
                n += h.length;
            }
            for (int r = 0; r < 200 + rnd.nextInt(200); r++, rows++) {
                byte[] line = (c.customerId + "," + r + "," + c.country + "," + c.vatId + "\n").getBytes();
                System.arraycopy(line, 0, chunk, n, line.length);
                n += line.length;
            }
            if (job.gzip) {
                GzipSink sink = new GzipSink(out);
                sink.write(chunk, 0, n);
                sink.finish(); // BUG: should be sink.close(); the spool stream stays open
            } else {
                try (SpoolStream s = out) {
                    s.write(chunk, 0, n);
                }
            }
        } finally {
            chunks.give(chunk);
        }
        inc(job.gzip ? "export.gzip" : "export.csv");
        return new ExportManifest(job.jobId, job.customerId, job.table, path, rows, CLOCK.get());
    }

    static void awaitCompleted(AtomicLong completed, long n) throws InterruptedException {
        while (completed.get() < n) Thread.sleep(1);
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) throws Exception {
        Val2LeakExport svc = new Val2LeakExport();
        service = svc;
        Random rnd = new Random(31337);
        svc.start(rnd);
        int gzipJobs = 0;
        AtomicLong completed = new AtomicLong();
        List<ExportManifest> finished = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int j = 0; j < JOBS; j++) {
            boolean gzip = j % GZIP_EVERY == 1;
            if (gzip) gzipJobs++;
            ExportJob job = new ExportJob("EXP-" + CLOCK.get() / 1000 + "-" + j, "CUST-" + (700_000 + rnd.nextInt(CUSTOMERS)),
                    "table_" + rnd.nextInt(TABLES), gzip, CLOCK.get());
            long seed = rnd.nextLong();
            svc.workers.submit(() -> {
                try {
                    finished.add(svc.runExport(job, new Random(seed)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    completed.incrementAndGet();
                }
            });
            CLOCK.addAndGet(36_000); // 2400 jobs over a simulated day
            if (j % 100 == 99) {
                awaitCompleted(completed, j + 1); // the submitter waits for each batch of 100
            }
        }
        awaitCompleted(completed, JOBS);
        synchronized (finished) {
            for (ExportManifest m : finished) svc.manifestCache.put(m.jobId, m);
            finished.clear();
        }

        check(svc.metrics.get("export.gzip").sum() == gzipJobs, "gzip jobs");
        check(ResourceTracker.INSTANCE.openCount() == gzipJobs, "open spool streams " + ResourceTracker.INSTANCE.openCount() + " vs " + gzipJobs);
        check(svc.chunks.free.size() == CHUNK_BUFFERS, "chunk pool");
        check(svc.manifestCache.size() == MANIFEST_CACHE_CAP, "manifests " + svc.manifestCache.size());
        check(svc.customers.size() == CUSTOMERS && svc.columnsByTable.size() == TABLES, "reference data");

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
