// hprofscan-dump: name=val3-healthy-ingest jvm="-Xmx256m" variants=mxbean,jcmd
package testdata;

import java.io.BufferedWriter;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), HEALTHY: an event-ingestion service (collects events from
 * tenants' SDKs, deduplicates, validates against schemas, journals and ships them).
 *
 * <p>Legitimately open resources: the write-ahead journal ({@code FileChannel}, open for the
 * life of the process) and the access log ({@code BufferedWriter} over a
 * {@code FileOutputStream}); a keep-alive pool of 16 upstream connections, all returned except 3
 * leased by requests in flight right now. Beside them: a schema registry (reference data, 3,000
 * schemas with their fields), a tenant directory (2,500), a dedup window of the last 20,000 event
 * ids (random UUIDs; HashSet + ArrayDeque, FIFO at capacity), the current ingest batch (flushed
 * every 2,000), the shipping queue (ConcurrentLinkedQueue) drained by a live consumer thread,
 * a ring of the last 1,024 validation errors, metrics. Nothing here is a leak.
 * See testdata/VALIDATION3.md.
 */
public final class Val3HealthyIngest {
    static final int SCHEMAS = 3_000;
    static final int TENANTS = 2_500;
    static final int UPSTREAM = 16;
    static final int IN_FLIGHT = 3;
    static final int DEDUP_WINDOW = 20_000;
    static final int BATCH = 2_000;
    static final int ERROR_RING = 1_024;
    static final int EVENTS = 81_234;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static IngestService RUNNING;

    static final class FieldDef {
        final String name; final String type; final boolean required;
        FieldDef(String name, String type, boolean required) { this.name = name; this.type = type; this.required = required; }
    }

    static final class EventSchema {
        final String name; final int version; final List<FieldDef> fields; final long loadedAt;
        EventSchema(String name, int version, List<FieldDef> fields, long loadedAt) { this.name = name; this.version = version; this.fields = fields; this.loadedAt = loadedAt; }
    }

    static final class SchemaRegistry {
        static final Map<String, EventSchema> SCHEMAS_BY_NAME = new HashMap<>();
        static void load(long now) {
            String[] types = {"string", "long", "double", "bool", "timestamp"};
            for (int i = 0; i < SCHEMAS; i++) {
                List<FieldDef> f = new ArrayList<>();
                for (int k = 0; k < 8; k++) f.add(new FieldDef("field_" + i + "_" + k, types[k % 5], k < 3));
                String name = "event.type." + (10_000 + i);
                SCHEMAS_BY_NAME.put(name, new EventSchema(name, 1 + i % 4, f, now));
            }
        }
    }

    static final class Tenant {
        final String id; final String plan; final int eventsPerSecondLimit; final String writeKey;
        Tenant(String id, String plan, int eventsPerSecondLimit, String writeKey) { this.id = id; this.plan = plan; this.eventsPerSecondLimit = eventsPerSecondLimit; this.writeKey = writeKey; }
    }

    static final class Journal {
        final File file; final FileChannel channel; final ByteBuffer buffer = ByteBuffer.allocate(32 * 1024); long position;
        Journal(File file) throws IOException { this.file = file; channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND); }
        void append(byte[] record) throws IOException {
            if (buffer.remaining() < record.length) flush();
            buffer.put(record);
        }
        void flush() throws IOException { buffer.flip(); while (buffer.hasRemaining()) position += channel.write(buffer); buffer.clear(); }
    }

    static final class AccessLog {
        final BufferedWriter writer;
        AccessLog(File file) throws IOException { writer = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file, true), StandardCharsets.UTF_8), 16 * 1024); }
        void line(String s) throws IOException { writer.write(s); writer.write('\n'); }
    }

    static final class UpstreamConnection {
        final int id; final String host; final byte[] buffer = new byte[8_192]; boolean inUse; long leasedAt; long lastUsedAt; long requests;
        UpstreamConnection(int id, String host) { this.id = id; this.host = host; }
    }

    static final class UpstreamPool {
        final List<UpstreamConnection> all = new ArrayList<>();
        final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
        UpstreamPool() { for (int i = 0; i < UPSTREAM; i++) { UpstreamConnection c = new UpstreamConnection(i, "warehouse-loader.internal:8443"); all.add(c); idle.add(c); } }
        UpstreamConnection lease(long now) { UpstreamConnection c = idle.poll(); c.inUse = true; c.leasedAt = now; c.requests++; return c; }
        void release(UpstreamConnection c, long now) { c.inUse = false; c.lastUsedAt = now; idle.push(c); }
    }

    static final class DedupWindow {
        final HashSet<String> seen = new HashSet<>();
        final ArrayDeque<String> order = new ArrayDeque<>();
        final int capacity;
        DedupWindow(int capacity) { this.capacity = capacity; }
        boolean firstTime(String id) {
            if (!seen.add(id)) return false;
            order.add(id);
            if (order.size() > capacity) seen.remove(order.poll());
            return true;
        }
    }

    static final class IngestEvent {
        final String eventId; final Tenant tenant; final EventSchema schema; final byte[] body; final long receivedAt;
        IngestEvent(String eventId, Tenant tenant, EventSchema schema, byte[] body, long receivedAt) { this.eventId = eventId; this.tenant = tenant; this.schema = schema; this.body = body; this.receivedAt = receivedAt; }
    }

    static final class ShipBatch {
        final long seq; final int events; final byte[] compressed;
        ShipBatch(long seq, int events, byte[] compressed) { this.seq = seq; this.events = events; this.compressed = compressed; }
    }

    static final class Shipper {
        final ConcurrentLinkedQueue<ShipBatch> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong shipped = new AtomicLong();
        final Thread consumer;
        volatile boolean paused;
        Shipper(UpstreamPool pool) {
            consumer = new Thread(() -> {
                while (true) {
                    ShipBatch b = paused ? null : queue.poll();
                    if (b == null) { try { Thread.sleep(1); } catch (InterruptedException e) { return; } continue; }
                    UpstreamConnection c;
                    synchronized (pool) { c = pool.lease(System.currentTimeMillis()); }
                    synchronized (pool) { pool.release(c, System.currentTimeMillis()); }
                    shipped.incrementAndGet();
                }
            }, "ingest-shipper");
            consumer.setDaemon(true);
        }
    }

    static final class ValidationError {
        final String tenantId; final String message; final long at;
        ValidationError(String tenantId, String message, long at) { this.tenantId = tenantId; this.message = message; this.at = at; }
    }

    static final class RequestInFlight {
        final String requestId; final Tenant tenant; final UpstreamConnection connection; final long startedAt;
        RequestInFlight(String requestId, Tenant tenant, UpstreamConnection connection, long startedAt) { this.requestId = requestId; this.tenant = tenant; this.connection = connection; this.startedAt = startedAt; }
    }

    static final class IngestService {
        final Map<String, Tenant> tenants = new HashMap<>();
        final Journal journal; final AccessLog accessLog;
        final UpstreamPool upstream = new UpstreamPool();
        final DedupWindow dedup = new DedupWindow(DEDUP_WINDOW);
        final List<IngestEvent> batch = new ArrayList<>(BATCH);
        final Shipper shipper = new Shipper(upstream);
        final ValidationError[] errors = new ValidationError[ERROR_RING];
        long errorCount, batchSeq;
        final Map<String, RequestInFlight> inflight = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        IngestService(File dir) throws IOException {
            journal = new Journal(new File(dir, "wal-000001.log"));
            accessLog = new AccessLog(new File(dir, "access.log"));
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void ingest(Tenant t, EventSchema schema, String eventId, Random rnd, long now) throws IOException {
            if (!dedup.firstTime(eventId)) { count("dup"); return; }
            byte[] body = new byte[64 + rnd.nextInt(192)];
            if (rnd.nextInt(50) == 0) {
                errors[(int) (errorCount++ % ERROR_RING)] = new ValidationError(t.id, "missing required field field_x_0", now);
                count("invalid");
                return;
            }
            journal.append(body);
            batch.add(new IngestEvent(eventId, t, schema, body, now));
            if (batch.size() == BATCH) {
                synchronized (upstream) { shipper.queue.add(new ShipBatch(batchSeq++, BATCH, new byte[4_096])); }
                batch.clear();
                journal.flush();
            }
            if (rnd.nextInt(100) == 0) accessLog.line("POST /v1/batch tenant=" + t.id + " 202");
            count("ok");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void deleteDir(File dir) {
        File[] files = dir.listFiles();
        if (files != null) for (File f : files) f.delete();
        dir.delete();
    }

    static IngestService build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        File dir = new File(System.getProperty("java.io.tmpdir"), "hprofscan-val3-ingest-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!dir.mkdirs()) throw new IOException("cannot create " + dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteDir(dir)));
        SchemaRegistry.load(start);
        IngestService s = new IngestService(dir);
        String[] plans = {"free", "team", "business", "enterprise"};
        for (int i = 0; i < TENANTS; i++) {
            String id = "tn_" + (40_000 + i);
            s.tenants.put(id, new Tenant(id, plans[i % 4], 100 * (1 + i % 4), "wk_" + Long.toHexString(0x9e3779b97f4a7c15L * (i + 1))));
        }
        s.shipper.consumer.start();
        Random rnd = new Random(31_415);
        String lastId = null;
        for (int e = 0; e < EVENTS; e++) {
            long t = start + SIM_MILLIS * e / EVENTS;
            Tenant tn = s.tenants.get("tn_" + (40_000 + rnd.nextInt(TENANTS)));
            EventSchema sc = SchemaRegistry.SCHEMAS_BY_NAME.get("event.type." + (10_000 + rnd.nextInt(SCHEMAS)));
            String id = (e % 97 == 0 && lastId != null) ? lastId : new UUID(rnd.nextLong(), rnd.nextLong()).toString(); // SDK retries send duplicates
            s.ingest(tn, sc, id, rnd, t);
            lastId = id;
        }
        // let the consumer drain, then requests in flight right now
        while (!s.shipper.queue.isEmpty()) Thread.sleep(1);
        s.shipper.paused = true;
        Thread.sleep(20);
        synchronized (s.upstream) {
            for (int i = 0; i < IN_FLIGHT; i++) {
                Tenant tn = s.tenants.get("tn_" + (40_000 + i * 17));
                String rid = "req-" + (555_000 + i);
                s.inflight.put(rid, new RequestInFlight(rid, tn, s.upstream.lease(now - 30 + i * 10), now - 30 + i * 10));
            }
        }
        s.accessLog.writer.flush();
        s.journal.flush();
        System.out.println("batch " + s.batch.size() + ", dedup " + s.dedup.seen.size() + ", errors " + Math.min(s.errorCount, ERROR_RING) + ", shipped " + s.shipper.shipped.get());
        check(s.dedup.seen.size() == DEDUP_WINDOW && s.dedup.order.size() == DEDUP_WINDOW, "dedup " + s.dedup.seen.size());
        check(s.batch.size() < BATCH && s.batch.size() > 0, "batch " + s.batch.size());
        check(s.upstream.idle.size() == UPSTREAM - IN_FLIGHT && s.upstream.all.size() == UPSTREAM, "upstream");
        check(s.shipper.queue.isEmpty() && s.shipper.consumer.isAlive(), "shipper");
        check(s.errorCount > ERROR_RING, "errors " + s.errorCount);
        check(s.tenants.size() == TENANTS && SchemaRegistry.SCHEMAS_BY_NAME.size() == SCHEMAS, "reference data");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
