// hprofscan-dump: name=svc-leak-batchworkers jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-batchworkers-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 9; series): a batch ingestion service with long-lived worker threads
 * that are not a pool: six {@code BatchWorker extends Thread} kept in {@code WorkerGroup.workers}
 * and two plain {@code new Thread(...)} loaders. Every batch appends an audit record per item to a
 * {@code ThreadLocal<List<AuditRecord>>} ({@code BatchAudit.PROCESSED}) meant to be flushed at the
 * end of the batch; the flush was removed, so the lists only grow: 4,000 records at dump 1, 8,000
 * at dump 2, 16,000 at the last (doubling twice). Beside it: a legitimate per-thread encode buffer
 * ({@code ThreadLocal<byte[]>}, 128 KiB per worker, reused), a static schema registry, a customer
 * directory and a LinkedHashMap de-duplication window at its cap. See testdata/SCENARIOS.md,
 * "Session 9 tuning apps".
 */
public final class SvcLeakBatchWorkers {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 6 * HOUR;
    static final int WORKERS = 6;
    static final int LOADERS = 2;
    static final int THREADS = WORKERS + LOADERS;
    static final int BATCH = 50;
    static final int[] RECORDS_AT_DUMP = {4_000, 8_000, 16_000};
    static final int ENCODE_BUFFER = 128 * 1024;
    static final int SCHEMAS = 4_000;
    static final int CUSTOMERS = 20_000;
    static final int DEDUP_CAP = 3_000;

    static Service RUNNING;

    static final class AuditRecord {
        final String itemId; final long customerId; final String schema; final long processedAt; final int bytes; final byte[] checksum;
        AuditRecord(String itemId, long customerId, String schema, long processedAt, int bytes, byte[] checksum) { this.itemId = itemId; this.customerId = customerId; this.schema = schema; this.processedAt = processedAt; this.bytes = bytes; this.checksum = checksum; }
    }

    /** Leaking: per-thread audit trail of processed items, meant to be flushed after each batch. */
    static final class BatchAudit {
        static final ThreadLocal<List<AuditRecord>> PROCESSED = ThreadLocal.withInitial(ArrayList::new);
    }

    /** Legitimate: a reusable encode buffer per worker thread. */
    static final class Codec {
        static final ThreadLocal<byte[]> ENCODE_BUFFER = ThreadLocal.withInitial(() -> new byte[SvcLeakBatchWorkers.ENCODE_BUFFER]);
    }

    static final class Item {
        final String id; final long customerId; final String schema; final int size; final long at;
        Item(String id, long customerId, String schema, int size, long at) { this.id = id; this.customerId = customerId; this.schema = schema; this.size = size; this.at = at; }
    }

    static final class Batch {
        final Item[] items; final CompletableFuture<Integer> done = new CompletableFuture<>();
        Batch(Item[] items) { this.items = items; }
    }

    /** Processes one batch on the current thread; returns the size of this thread's audit list. */
    static int process(Batch b, Service s) {
        byte[] buf = Codec.ENCODE_BUFFER.get();
        List<AuditRecord> audit = BatchAudit.PROCESSED.get();
        for (Item it : b.items) {
            buf[it.size % buf.length] ^= (byte) it.customerId;
            byte[] sum = new byte[32];
            for (int i = 0; i < sum.length; i++) sum[i] = (byte) (it.id.charAt(i % it.id.length()) * (i + 1));
            audit.add(new AuditRecord(it.id, it.customerId, it.schema, it.at, it.size, sum));
            synchronized (s.dedup) { s.dedup.put(it.id, it.at); }
            s.count("item." + it.schema.substring(0, 3));
        }
        // audit.clear() after the flush was removed: the list grows with every batch (the bug)
        if (Boolean.getBoolean("batch.dropAudit") && b.items.length == 0) audit.clear(); // measuring runs only
        return audit.size();
    }

    /** A long-lived worker thread (not a pool), fed through its own queue. */
    static final class BatchWorker extends Thread {
        final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
        final Service service; long batches;
        BatchWorker(String name, Service service) { super(name); this.service = service; setDaemon(true); }
        @Override public void run() {
            try {
                while (true) { Batch b = queue.take(); batches++; b.done.complete(process(b, service)); }
            } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
    }

    static final class WorkerGroup {
        final List<BatchWorker> workers = new ArrayList<>();
        final List<LinkedBlockingQueue<Batch>> loaderQueues = new ArrayList<>();
    }

    static final class Schema {
        final String name; final int version; final String[] fields; final String json;
        Schema(String name, int version, String[] fields, String json) { this.name = name; this.version = version; this.fields = fields; this.json = json; }
    }

    /** Legitimate: static reference data loaded at startup. */
    static final class SchemaRegistry {
        static final HashMap<String, Schema> SCHEMAS = new HashMap<>();
    }

    static final class Customer {
        final long id; final String name; final String country; final String contact; final long createdAt;
        Customer(long id, String name, String country, String contact, long createdAt) { this.id = id; this.name = name; this.country = country; this.contact = contact; this.createdAt = createdAt; }
    }

    static final class CustomerDirectory {
        final HashMap<Long, Customer> customers = new HashMap<>();
    }

    /** Legitimate: ids seen recently, at its cap (removeEldestEntry). */
    static final class DedupWindow extends LinkedHashMap<String, Long> {
        DedupWindow() { super(DEDUP_CAP * 2); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> e) { return size() > DEDUP_CAP; }
    }

    static final class Service {
        final WorkerGroup group = new WorkerGroup();
        final CustomerDirectory directory = new CustomerDirectory();
        final DedupWindow dedup = new DedupWindow();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void count(String k) { counters.computeIfAbsent(k, x -> new LongAdder()).increment(); }

        void start() {
            for (int i = 1; i <= WORKERS; i++) { BatchWorker w = new BatchWorker("batch-worker-" + i, this); group.workers.add(w); w.start(); }
            for (int i = 1; i <= LOADERS; i++) {
                LinkedBlockingQueue<Batch> q = new LinkedBlockingQueue<>();
                group.loaderQueues.add(q);
                Thread t = new Thread(() -> {
                    try { while (true) { Batch b = q.take(); b.done.complete(process(b, this)); } } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }, "ingest-loader-" + i);
                t.setDaemon(true);
                t.start();
            }
        }

        LinkedBlockingQueue<Batch> queue(int thread) { return thread < WORKERS ? group.workers.get(thread).queue : group.loaderQueues.get(thread - WORKERS); }
    }

    static final String[] SCHEMA_NAMES = {"order", "shipment", "invoice", "payment", "refund", "customer", "product", "stock"};
    static final String[] COUNTRIES = {"DE", "FR", "US", "BR", "JP", "IN", "NL", "SE"};

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static long customerId(int k) { return 40_000_000L + k * 19L; }

    static void load(Service s, Random r, long start) {
        for (int i = 0; i < SCHEMAS; i++) {
            String name = SCHEMA_NAMES[i % SCHEMA_NAMES.length] + ".v" + (i / SCHEMA_NAMES.length);
            String[] fields = new String[6 + i % 10];
            StringBuilder json = new StringBuilder("{\"type\":\"record\",\"fields\":[");
            for (int f = 0; f < fields.length; f++) { fields[f] = "f" + f + "_" + SCHEMA_NAMES[(i + f) % SCHEMA_NAMES.length]; json.append("{\"name\":\"").append(fields[f]).append("\",\"type\":\"string\"},"); }
            SchemaRegistry.SCHEMAS.put(name, new Schema(name, i / SCHEMA_NAMES.length, fields, json.append("]}").toString()));
        }
        for (int k = 0; k < CUSTOMERS; k++) s.directory.customers.put(customerId(k), new Customer(customerId(k), "Customer " + k + " " + SCHEMA_NAMES[k % 8], COUNTRIES[k % COUNTRIES.length], "ops+" + k + "@cust" + (k % 300) + ".example.com", start - (1 + k % 1000) * DAY));
    }

    /** Records per thread already held (0 before the first run). */
    static int held;

    /** Sends batches round-robin to the 8 threads until each holds {@code perThread} records; item times from {@code from} to {@code to}. */
    static void run(Service s, Random r, int perThread, long from, long to) throws Exception {
        List<Batch> sent = new ArrayList<>();
        int batches = (perThread - held) / BATCH * THREADS;
        for (int j = 0; j < batches; j++) {
            Item[] items = new Item[BATCH];
            for (int i = 0; i < BATCH; i++) {
                long at = from + (to - from) * ((long) j * BATCH + i) / ((long) batches * BATCH);
                items[i] = new Item("it-" + hex(r, 16), customerId(r.nextInt(CUSTOMERS)), SCHEMA_NAMES[r.nextInt(8)] + ".v" + r.nextInt(SCHEMAS / 8), 200 + r.nextInt(4_000), at);
            }
            Batch b = new Batch(items);
            s.queue(j % THREADS).add(b);
            sent.add(b);
        }
        for (int j = 0; j < sent.size(); j++) {
            int size = sent.get(j).done.get(30, TimeUnit.SECONDS);
            if (j >= sent.size() - THREADS && size != perThread) throw new IllegalStateException("audit list " + size);
        }
        held = perThread;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String outBase = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - UPTIME;
        Random r = new Random(0xba7c_2026L);
        RUNNING = new Service();
        Service s = RUNNING;
        load(s, r, start);
        s.start();
        for (int d = 1; d <= 3; d++) {
            if (d == 1) run(s, r, RECORDS_AT_DUMP[0] / THREADS, start + 5 * MINUTE, now - MINUTE);
            else {
                if (count == 3) Thread.sleep(1_100);
                long from = System.currentTimeMillis();
                run(s, r, RECORDS_AT_DUMP[d - 1] / THREADS, from, from + 1_000);
            }
            if (count != 3 && d < 3) continue;
            int live = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("batch-worker-") || t.getName().startsWith("ingest-loader-")) live++;
            check(live == THREADS, "threads " + live);
            check(s.dedup.size() == DEDUP_CAP, "dedup " + s.dedup.size());
            check(s.directory.customers.size() == CUSTOMERS && SchemaRegistry.SCHEMAS.size() == SCHEMAS, "reference data");
            if (d == 3 && Boolean.getBoolean("batch.dropAudit")) for (int t = 0; t < THREADS; t++) { Batch b = new Batch(new Item[0]); s.queue(t).add(b); b.done.get(); } // measuring runs only
            LeakCheck.histogram();
            System.gc();
            String path = LeakCheck.seriesPath(outBase, d == 3 ? count : d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + ": " + RECORDS_AT_DUMP[d - 1] + " audit records in BatchAudit.PROCESSED (" + THREADS + " threads x "
                + RECORDS_AT_DUMP[d - 1] / THREADS + "; " + WORKERS + " BatchWorker + " + LOADERS + " plain), encode buffers " + THREADS + " x "
                + ENCODE_BUFFER + ", dedup " + s.dedup.size() + ", customers " + CUSTOMERS + ", schemas " + SCHEMAS);
        }
        System.exit(0);
    }
}
