// hprofscan-dump: name=svc-healthy-resources jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-resources-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Healthy (tuning set, resources): the healthy twin of {@code SvcLeakStreams} and
 * {@code SvcLeakLeases} in one service, with the same components and the bugs fixed.
 *
 * <p>The mail gateway closes every {@link AttachmentStream} (the quarantine path too): only the
 * 8 streams being read by requests in flight are open and registered in
 * {@code BodyStreams.OPEN}. The access log ({@code FileOutputStream}) is open, the keep-alive pool
 * holds 128 connected {@code Socket}s (idle, returned), the backend stand-in
 * {@code ServerSocket} listens. The order service's pool gives every connection back (the
 * refund path in a {@code finally}): 16 connections, 4 borrowed by requests in flight within the
 * last second; the reporting pool has 120 of its 160 connections borrowed by the nightly export
 * running right now. Reference data (20,000 signatures, 20,000 products), a customer directory
 * (8,000), a verdict LRU (5,000) and an order LRU (3,000) at capacity, metrics. Nothing here is a
 * leak. See testdata/SERVICES.md.
 */
public final class SvcHealthyResources {
    static final int SIGNATURES = 20_000;
    static final int ATTACHMENTS = 3_000;
    static final int QUARANTINE_EVERY = 5;
    static final int IN_FLIGHT = 8;
    static final int KEEP_ALIVE = 128;
    static final int VERDICT_CAP = 5_000;
    static final int PRODUCTS = 20_000;
    static final int CUSTOMERS = 8_000;
    static final int ORDER_CACHE = 3_000;
    static final int REQUESTS = 28_000;
    static final int REFUND_REJECTED_EVERY = 70;
    static final int MIN_IDLE = 16;
    static final int ORDERS_IN_FLIGHT = 4;
    static final int WAREHOUSE_POOL = 160;
    static final int EXPORT_TASKS = 120;
    static final long SIM_MILLIS = 14L * 3600_000L;
    static final long GATEWAY_SIM_MILLIS = 9L * 3600_000L;

    static MailGateway GATEWAY;
    static Service RUNNING;

    static final class Signature {
        final String name; final byte[] sha256; final int severity; final long loadedAt;
        Signature(String name, byte[] sha256, int severity, long loadedAt) { this.name = name; this.sha256 = sha256; this.severity = severity; this.loadedAt = loadedAt; }
    }

    /** Reference data, loaded at startup. */
    static final class SignatureDb {
        static final Map<String, Signature> BY_NAME = new HashMap<>();
    }

    /** Application stream over a compressed attachment body. */
    static final class AttachmentStream extends InputStream {
        final long attachmentId; final String messageId; final byte[] compressed; final Inflater inflater = new Inflater();
        final byte[] window = new byte[4_096]; int windowPos, windowLen;
        final long openedAt; long lastReadAt; long bytesRead; boolean eof; boolean closed;
        AttachmentStream(long attachmentId, String messageId, byte[] compressed, long now) {
            this.attachmentId = attachmentId; this.messageId = messageId; this.compressed = compressed; openedAt = lastReadAt = now;
            inflater.setInput(compressed);
            BodyStreams.OPEN.put(attachmentId, this);
        }
        @Override public int read() throws IOException {
            if (windowPos == windowLen && !fill()) return -1;
            bytesRead++;
            return window[windowPos++] & 0xff;
        }
        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (windowPos == windowLen && !fill()) return -1;
            int n = Math.min(len, windowLen - windowPos);
            System.arraycopy(window, windowPos, b, off, n);
            windowPos += n; bytesRead += n;
            return n;
        }
        private boolean fill() throws IOException {
            if (eof) return false;
            try {
                windowLen = inflater.inflate(window);
            } catch (DataFormatException e) {
                throw new IOException(e);
            }
            windowPos = 0;
            if (windowLen == 0 && inflater.finished()) { eof = true; return false; }
            return true;
        }
        void touch(long now) { lastReadAt = now; }
        @Override public void close() {
            if (closed) return;
            closed = true;
            inflater.end();
            BodyStreams.OPEN.remove(attachmentId);
        }
    }

    static final class BodyStreams {
        static final Map<Long, AttachmentStream> OPEN = new ConcurrentHashMap<>();
    }

    static final class AccessLog {
        final File file; final BufferedOutputStream out;
        AccessLog(File file) throws IOException { this.file = file; out = new BufferedOutputStream(new FileOutputStream(file, true), 8_192); }
        void line(String s) throws IOException { out.write(s.getBytes(StandardCharsets.US_ASCII)); out.write('\n'); }
    }

    /** The scanning backend's listener (a stand-in for the remote cluster, in-process for the test). */
    static final class BackendStub {
        static ServerSocket LISTENER;
    }

    /** Keep-alive connections to the scanning backend, borrowed per scan and returned. */
    static final class KeepAlivePool {
        final ArrayDeque<Socket> idle = new ArrayDeque<>();
        int leased;
        Socket lease() { leased++; return idle.pop(); }
        void release(Socket s) { leased--; idle.push(s); }
    }

    static final class Verdict {
        final String sha256Hex; final boolean clean; final String signature; final long scannedAt;
        Verdict(String sha256Hex, boolean clean, String signature, long scannedAt) { this.sha256Hex = sha256Hex; this.clean = clean; this.signature = signature; this.scannedAt = scannedAt; }
    }

    static final class VerdictCache extends LinkedHashMap<String, Verdict> {
        final int capacity;
        VerdictCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Verdict> e) { return size() > capacity; }
    }

    static final class MailGateway {
        final AccessLog accessLog;
        final KeepAlivePool backend = new KeepAlivePool();
        final VerdictCache verdicts = new VerdictCache(VERDICT_CAP);
        final Map<Long, AttachmentStream> inFlight = new HashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        MailGateway(File log) throws IOException { accessLog = new AccessLog(log); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void scan(long id, byte[] body, long now, boolean quarantine) throws IOException {
            AttachmentStream in = new AttachmentStream(id, "<msg-" + id + "@mail.example>", body.clone(), now);
            Socket s = backend.lease();
            try {
                byte[] buf = new byte[1_024];
                long sum = 0;
                int n;
                while ((n = in.read(buf, 0, buf.length)) > 0) sum += buf[0] + n;
                in.touch(now);
                String hex = Long.toHexString(id * 0x9E3779B97F4A7C15L) + Long.toHexString(sum);
                verdicts.put(hex, new Verdict(hex, !quarantine, quarantine ? "Eicar-Test-" + (id % 50) : null, now));
                accessLog.line("SCAN " + id + (quarantine ? " QUARANTINED" : " CLEAN"));
                in.close();
                count(quarantine ? "scan.quarantined" : "scan.clean");
            } finally {
                backend.release(s);
            }
        }
    }

    static final class Product {
        final String sku; final String name; final BigDecimal price; final long loadedAt;
        Product(String sku, String name, BigDecimal price, long loadedAt) { this.sku = sku; this.name = name; this.price = price; this.loadedAt = loadedAt; }
    }

    static final class Catalog {
        static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();
    }

    static final class Customer {
        final long id; final String name; final String email;
        Customer(long id, String name, String email) { this.id = id; this.name = name; this.email = email; }
    }

    static final class PooledConnection {
        final int id; final String poolName; final String url; final long createdAt; final byte[] buffer = new byte[6_144];
        boolean borrowed; long borrowedAt; String borrowedBy; long returnedAt; int uses;
        PooledConnection(int id, String poolName, String url, long createdAt) { this.id = id; this.poolName = poolName; this.url = url; this.createdAt = createdAt; }
    }

    static final class ConnectionPool {
        final String name; final String url; final int maxSize; final int minIdle;
        final List<PooledConnection> all = new ArrayList<>();
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        int nextId;
        ConnectionPool(String name, String url, int maxSize, int minIdle) { this.name = name; this.url = url; this.maxSize = maxSize; this.minIdle = minIdle; }
        PooledConnection create(long now) {
            if (all.size() >= maxSize) throw new IllegalStateException("pool " + name + " exhausted");
            PooledConnection c = new PooledConnection(nextId++, name, url, now);
            all.add(c);
            return c;
        }
        PooledConnection borrow(String who, long now) {
            PooledConnection c = idle.poll();
            if (c == null) c = create(now);
            c.borrowed = true; c.borrowedAt = now; c.borrowedBy = who; c.uses++;
            return c;
        }
        void giveBack(PooledConnection c, long now) { c.borrowed = false; c.borrowedBy = null; c.returnedAt = now; idle.push(c); }
        void housekeep(long now) { while (idle.size() < minIdle) idle.push(create(now)); }
        int borrowedCount() { int n = 0; for (PooledConnection c : all) if (c.borrowed) n++; return n; }
    }

    static final class Order {
        final long id; final Customer customer; final BigDecimal total; final long placedAt;
        Order(long id, Customer customer, BigDecimal total, long placedAt) { this.id = id; this.customer = customer; this.total = total; this.placedAt = placedAt; }
    }

    static final class OrderCache extends LinkedHashMap<Long, Order> {
        final int capacity;
        OrderCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Order> e) { return size() > capacity; }
    }

    static final class OrderService {
        final ConnectionPool ordersDb = new ConnectionPool("orders", "jdbc:postgresql://orders-db:5432/orders", 1_000, MIN_IDLE);
        final Map<Long, Customer> customers = new ConcurrentHashMap<>();
        final OrderCache orders = new OrderCache(ORDER_CACHE);

        void getOrder(long orderId, Random rnd, long now) {
            if (orders.get(orderId) != null) return;
            PooledConnection c = ordersDb.borrow("GET /orders/" + orderId, now);
            try {
                Customer cu = customers.get(5_000_000L + rnd.nextInt(CUSTOMERS));
                orders.put(orderId, new Order(orderId, cu, BigDecimal.valueOf(rnd.nextInt(500_000), 2), now - rnd.nextInt(86_400_000)));
            } finally {
                ordersDb.giveBack(c, now);
            }
        }

        boolean refund(long orderId, boolean providerRejects, long now) {
            PooledConnection c = ordersDb.borrow("POST /orders/" + orderId + "/refund", now);
            try {
                return !providerRejects;
            } finally {
                ordersDb.giveBack(c, now);
            }
        }
    }

    static final class ExportTask {
        final String exportId; final PooledConnection connection; final long startedAt; long rowsWritten;
        ExportTask(String exportId, PooledConnection connection, long startedAt) { this.exportId = exportId; this.connection = connection; this.startedAt = startedAt; }
    }

    static final class ReportService {
        final ConnectionPool warehouseDb = new ConnectionPool("warehouse", "jdbc:postgresql://dwh:5432/reporting", WAREHOUSE_POOL, WAREHOUSE_POOL);
        final Map<String, ExportTask> running = new ConcurrentHashMap<>();
    }

    static final class RequestInFlight {
        final String requestId; final PooledConnection connection; final long startedAt;
        RequestInFlight(String requestId, PooledConnection connection, long startedAt) { this.requestId = requestId; this.connection = connection; this.startedAt = startedAt; }
    }

    static final class Service {
        final OrderService orders = new OrderService();
        final ReportService reports = new ReportService();
        final Map<String, RequestInFlight> inflight = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] compressedBody(Random rnd) {
        byte[] plain = new byte[12_000];
        for (int i = 0; i < plain.length; i++) plain[i] = (byte) ('a' + (i * 7 + rnd.nextInt(3)) % 26);
        Deflater d = new Deflater();
        d.setInput(plain);
        d.finish();
        byte[] out = new byte[16_384];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    static MailGateway buildGateway(long now, long start) throws Exception {
        // (not File.createTempFile: it initialises SecureRandom, which keeps /dev/urandom open)
        File log = new File(System.getProperty("java.io.tmpdir"), "hprofscan-svc-resources-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
        Runtime.getRuntime().addShutdownHook(new Thread(log::delete));
        MailGateway gw = new MailGateway(log);
        Random rnd = new Random(1_0101);
        for (int i = 0; i < SIGNATURES; i++) {
            byte[] h = new byte[32];
            rnd.nextBytes(h);
            String name = "Sig." + (i % 40) + ".Family-" + (100_000 + i);
            SignatureDb.BY_NAME.put(name, new Signature(name, h, 1 + i % 5, start));
        }
        BackendStub.LISTENER = new ServerSocket(0, KEEP_ALIVE * 2, InetAddress.getLoopbackAddress());
        for (int i = 0; i < KEEP_ALIVE; i++) {
            Socket s = new Socket();
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), BackendStub.LISTENER.getLocalPort()));
            gw.backend.idle.add(s);
        }
        byte[] body = compressedBody(rnd);
        for (int a = 0; a < ATTACHMENTS; a++) {
            long t = start + GATEWAY_SIM_MILLIS * a / ATTACHMENTS;
            gw.scan(60_000_000L + a, body, t, a % QUARANTINE_EVERY == QUARANTINE_EVERY - 1);
            for (int k = 0; k < 2; k++) {
                String hex = "part-" + a + "-" + k;
                gw.verdicts.put(hex, new Verdict(hex, true, null, t));
            }
        }
        for (int i = 0; i < IN_FLIGHT; i++) {
            long id = 60_000_000L + ATTACHMENTS + i;
            AttachmentStream in = new AttachmentStream(id, "<msg-" + id + "@mail.example>", body.clone(), now - 500 + i * 50);
            in.read(new byte[512], 0, 512);
            gw.inFlight.put(id, in);
        }
        gw.accessLog.out.flush();
        int open = 0;
        for (AttachmentStream s : BodyStreams.OPEN.values()) if (!s.closed && !s.eof) open++;
        check(open == IN_FLIGHT && BodyStreams.OPEN.size() == IN_FLIGHT, "open streams " + BodyStreams.OPEN.size());
        check(gw.backend.idle.size() == KEEP_ALIVE && gw.backend.leased == 0, "keep-alive pool");
        check(gw.verdicts.size() == VERDICT_CAP, "verdicts " + gw.verdicts.size());
        check(SignatureDb.BY_NAME.size() == SIGNATURES, "signatures");
        return gw;
    }

    static Service buildOrders(long now, long start) {
        Service s = new Service();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "P-" + (7_000_000 + i);
            Catalog.PRODUCTS_BY_SKU.put(sku, new Product(sku, "Product " + i, BigDecimal.valueOf(99 + i % 90_000, 2), start));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 5_000_000L + i;
            s.orders.customers.put(id, new Customer(id, "Customer " + i, "c" + i + "@shop.example"));
        }
        s.orders.ordersDb.housekeep(start);
        s.reports.warehouseDb.housekeep(start);
        Random rnd = new Random(70_707);
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + SIM_MILLIS * r / REQUESTS;
            if (r % 14 == 6) {
                boolean rejected = r % REFUND_REJECTED_EVERY == 6;
                if (!s.orders.refund(40_000_000L + rnd.nextInt(100_000), rejected, t)) s.count("refund.rejected");
            } else {
                s.orders.getOrder(40_000_000L + rnd.nextInt(20_000), rnd, t);
            }
            if (r % 30 == 29) s.orders.ordersDb.housekeep(t);
            if (r % 500 == 0) {
                PooledConnection c = s.reports.warehouseDb.borrow("report-" + r, t);
                s.reports.warehouseDb.giveBack(c, t + 2_000);
            }
        }
        s.orders.ordersDb.housekeep(now - 5_000);
        for (int i = 0; i < ORDERS_IN_FLIGHT; i++) {
            long t = now - 800 + i * 100L;
            String rid = "req-" + (3_300_000 + i);
            s.inflight.put(rid, new RequestInFlight(rid, s.orders.ordersDb.borrow("GET /orders/" + (40_000_000L + i), t), t));
        }
        for (int i = 0; i < EXPORT_TASKS; i++) {
            long t = now - 2_000 + i * 15L;
            String id = "export-" + (9_100_000 + i);
            PooledConnection c = s.reports.warehouseDb.borrow(id, t);
            s.reports.running.put(id, new ExportTask(id, c, t));
        }
        check(s.orders.ordersDb.borrowedCount() == ORDERS_IN_FLIGHT, "orders borrowed " + s.orders.ordersDb.borrowedCount());
        check(s.orders.ordersDb.all.size() == MIN_IDLE && s.orders.ordersDb.idle.size() == MIN_IDLE - ORDERS_IN_FLIGHT, "orders pool " + s.orders.ordersDb.all.size());
        check(s.reports.warehouseDb.all.size() == WAREHOUSE_POOL && s.reports.warehouseDb.borrowedCount() == EXPORT_TASKS, "warehouse pool");
        check(s.orders.orders.size() == ORDER_CACHE, "order cache " + s.orders.orders.size());
        check(Catalog.PRODUCTS_BY_SKU.size() == PRODUCTS && s.orders.customers.size() == CUSTOMERS, "reference data");
        return s;
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        GATEWAY = buildGateway(now, now - GATEWAY_SIM_MILLIS);
        RUNNING = buildOrders(now, now - SIM_MILLIS);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
