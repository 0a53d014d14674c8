// hprofscan-dump: name=val136-leak-lobsterfishery jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val136-leak-lobsterfishery-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 136 (written blind), LEAK: the landings and sales service of a lobster and crab
 * fishing co-operative. Harbour reference data, the buyer directory, a cache of rendered sales
 * notes at its cap, a pool of label buffers, a ring of crate weighings, the chilled-van dispatch
 * queue with a normal backlog, and an asynchronous audit shipper: every action goes into an
 * unbounded LinkedBlockingQueue<AuditEvent>, and one consumer thread ships a batch per flush tick
 * to the audit collector over a persistent TCP connection, then waits for the collector's one-byte
 * acknowledgement. 47 minutes into the run the collector's side of the connection went half-open:
 * the shipper's write succeeded and its read of the acknowledgement (the socket has no read
 * timeout) never returns. The thread is alive, the producers keep enqueuing, and the queue grows
 * with every event. See VALIDATION136.md.
 */
public final class Val136LeakLobsterFishery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long FLUSH_EVERY = 20_000L, DISPATCH_AFTER = 40 * MINUTE, HANG_AT = 47 * MINUTE;
    static final int HARBOURS = 1_000, BUYERS = 20_000, VESSELS = 160, NOTE_CAP = 2_000, NOTE_KEYS = 7_000, POOL = 8, RING = 8_192;
    static final int HOURS = 10, CRATES_PER_HOUR = 2_400, MAX_BATCH = 1_000;
    static boolean FIXED;

    record Harbour(String code, String name, String district, double[] tideHeights) {}
    record Buyer(String buyerNumber, String name, String premises, byte[] licence, long registeredAt) {}
    record Vessel(String pln, String name, String skipper, int potLimit) {}
    record SalesNote(String key, byte[] rendered, long at) {}
    record Crate(String tag, String vessel, String species, int grams, boolean vNotched, long at) {}
    record Dispatch(String tag, String buyerNumber, long soldAt) {}
    record AuditEvent(long id, long at, String actor, String action, String entity, byte[] detail) {}

    /**
     * Stand-in for the audit collector at the far end of the connection: reads length-prefixed
     * batches and answers each with one byte. After freeze() the handler of the current connection
     * reads the next batch and then stops answering for ever (the half-open connection); a new
     * connection gets a new, working handler.
     */
    static final class AuditCollector implements Runnable {
        final ServerSocket server;
        final CountDownLatch never = new CountDownLatch(1);
        final AtomicLong batches = new AtomicLong(), events = new AtomicLong();
        volatile boolean frozen, hung;
        volatile int connections;
        AuditCollector() throws IOException { server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); }
        void start() { Thread t = new Thread(this, "audit-collector-acceptor"); t.setDaemon(true); t.start(); }
        @Override public void run() {
            while (true) {
                try {
                    Socket s = server.accept();
                    int n = ++connections;
                    Thread h = new Thread(() -> serve(s), "audit-collector-conn-" + n);
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) { return; }
            }
        }
        void serve(Socket s) {
            try (DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[64 * 1024];
                while (true) {
                    int count = in.readInt(), len = in.readInt();
                    while (len > 0) { int n = in.read(buf, 0, Math.min(len, buf.length)); if (n < 0) return; len -= n; }
                    if (frozen && !hung) { hung = true; never.await(); } // stops answering; the connection stays open
                    batches.incrementAndGet(); events.addAndGet(count);
                    out.write(1); out.flush();
                }
            } catch (IOException | InterruptedException e) { /* connection closed by the shipper */ }
        }
    }

    /** The asynchronous audit writer of the service. */
    static final class AuditShipper implements Runnable {
        final LinkedBlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>();
        final Semaphore flushSignal = new Semaphore(0);
        final AtomicLong completed = new AtomicLong(), shipped = new AtomicLong();
        final int port;
        final AuditCollector collector;
        Socket socket; DataOutputStream out; InputStream in;
        volatile long reconnects, timeouts, batchesSent;
        long issued, enqueued;
        Thread worker;
        AuditShipper(AuditCollector collector) { this.collector = collector; this.port = collector.server.getLocalPort(); }
        void start() { worker = new Thread(this, "audit-shipper"); worker.setDaemon(true); worker.start(); }
        void audit(AuditEvent e) { queue.add(e); enqueued++; }
        /** The scheduler's tick; returns once the batch is acknowledged or the shipper sits in a call the collector never answers. */
        void flush() {
            issued++;
            flushSignal.release();
            while (completed.get() < issued && !(collector.hung && !FIXED)) LockSupport.parkNanos(20_000);
        }
        void connect() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            if (FIXED) socket.setSoTimeout(300); // the fix: a read timeout, then reconnect and resend
            out = new DataOutputStream(socket.getOutputStream());
            in = socket.getInputStream();
        }
        @Override public void run() {
            List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            while (true) {
                flushSignal.acquireUninterruptibly();
                queue.drainTo(batch, MAX_BATCH);
                if (!batch.isEmpty()) {
                    body.reset();
                    for (AuditEvent e : batch) { body.writeBytes(e.entity().getBytes()); body.write('|'); body.writeBytes(e.action().getBytes()); body.write('|'); body.writeBytes(e.detail()); body.write('\n'); }
                    while (true) {
                        try {
                            if (socket == null) connect();
                            out.writeInt(batch.size()); out.writeInt(body.size()); body.writeTo(out); out.flush();
                            int ack = in.read(); // BUG (unless FIXED): no read timeout, so a half-open connection blocks here for ever
                            if (ack != 1) throw new IOException("bad ack " + ack);
                            break;
                        } catch (SocketTimeoutException e) {
                            timeouts++; reconnects++;
                            try { socket.close(); } catch (IOException ignored) { }
                            socket = null;
                        } catch (IOException e) {
                            throw new IllegalStateException("audit shipping failed", e);
                        }
                    }
                    batchesSent++;
                    shipped.addAndGet(batch.size());
                    batch.clear();
                }
                completed.incrementAndGet();
            }
        }
    }

    static final class NoteCache extends LinkedHashMap<String, SalesNote> {
        long evicted;
        NoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SalesNote> e) { if (size() > NOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Harbour> HARBOURS_BY_CODE = new HashMap<>();

    static final class CoopService {
        final Map<String, Buyer> buyers = new HashMap<>();
        final String[] buyerNumbers = new String[BUYERS];
        final Map<String, Vessel> vessels = new HashMap<>();
        final String[] plns = new String[VESSELS];
        final NoteCache salesNotes = new NoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Crate[] weighings = new Crate[RING];
        final ArrayDeque<Dispatch> vanQueue = new ArrayDeque<>();
        AuditCollector collector;
        AuditShipper audit;
        long crates, sold, dispatched, returnedToSea, auditIds = 42_000_000;

        void landCrate(Random r, long t) {
            Vessel v = vessels.get(plns[r.nextInt(VESSELS)]);
            String tag = "CR-" + (6_100_000 + crates);
            boolean lobster = r.nextInt(10) < 6;
            Crate c = new Crate(tag, v.pln(), lobster ? "European lobster" : r.nextBoolean() ? "brown crab" : "spider crab", 4_000 + r.nextInt(16_000), lobster && r.nextInt(40) == 0, t);
            weighings[(int) (crates++ % RING)] = c;
            audit.audit(new AuditEvent(auditIds++, t, v.skipper(), "crate.weighed", tag, detail(r, 80, 160)));
            if (c.vNotched()) { returnedToSea++; audit.audit(new AuditEvent(auditIds++, t, "inspector", "crate.v-notch-returned", tag, detail(r, 80, 160))); return; }
            if (r.nextInt(3) != 0) {
                Buyer b = buyers.get(buyerNumbers[r.nextInt(BUYERS)]);
                sold++;
                vanQueue.addLast(new Dispatch(tag, b.buyerNumber(), t));
                audit.audit(new AuditEvent(auditIds++, t, b.buyerNumber(), "sale.recorded", tag, detail(r, 120, 240)));
                String key = "note-" + r.nextInt(NOTE_KEYS);
                if (salesNotes.get(key) == null) salesNotes.put(key, new SalesNote(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = labelBuffers.poll();
                buf[(int) (sold % buf.length)] = (byte) c.grams();
                labelBuffers.add(buf);
            }
        }

        static byte[] detail(Random r, int min, int spread) { byte[] d = new byte[min + r.nextInt(spread)]; for (int i = 0; i < d.length; i += 7) d[i] = (byte) ('a' + r.nextInt(26)); return d; }

        void dispatch(long now) {
            while (!vanQueue.isEmpty() && vanQueue.peekFirst().soldAt() <= now - DISPATCH_AFTER) {
                Dispatch d = vanQueue.pollFirst(); dispatched++;
                audit.audit(new AuditEvent(auditIds++, now, "van", "dispatch.loaded", d.tag(), new byte[48]));
            }
        }
    }

    static CoopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(136_030_001);
        for (int h = 0; h < HARBOURS; h++) {
            double[] tides = new double[48];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 7;
            String code = "HBR-" + (3_000 + h);
            HARBOURS_BY_CODE.put(code, new Harbour(code, "Harbour " + h, "District " + (h % 70), tides));
        }
        CoopService svc = new CoopService();
        SERVICE = svc;
        for (int i = 0; i < BUYERS; i++) {
            svc.buyerNumbers[i] = "BUY" + (500_000 + i * 7);
            svc.buyers.put(svc.buyerNumbers[i], new Buyer(svc.buyerNumbers[i], "Buyer " + i, "Premises " + (i % 3_000), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        String[] ports = {"PZ", "FH", "SS", "BM", "PH", "WH", "LT", "SH"};
        for (int v = 0; v < VESSELS; v++) {
            svc.plns[v] = ports[v % ports.length] + (10 + v * 3);
            svc.vessels.put(svc.plns[v], new Vessel(svc.plns[v], "Vessel " + v, "Skipper " + v, 200 + rnd.nextInt(600)));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        svc.collector = new AuditCollector();
        svc.collector.start();
        svc.audit = new AuditShipper(svc.collector);
        svc.audit.start();
        Random traffic = new Random(136_030_002);
        int crates = CRATES_PER_HOUR * HOURS;
        long nextFlush = start + FLUSH_EVERY, nextMinute = start + MINUTE;
        boolean froze = false;
        for (int i = 0; i < crates; i++) {
            long t = start + (end - MINUTE - start) * i / crates;
            while (true) {
                long next = Math.min(nextFlush, nextMinute);
                if (next > t) break;
                if (!froze && next >= start + HANG_AT) { svc.collector.frozen = true; froze = true; }
                if (next == nextFlush) { svc.audit.flush(); nextFlush += FLUSH_EVERY; }
                else { svc.dispatch(nextMinute); nextMinute += MINUTE; }
            }
            svc.landCrate(traffic, t);
        }
        // wait until the shipper is idle (fixed) or blocked in the read the collector never answers (bug)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (svc.audit.completed.get() < svc.audit.issued && !(svc.collector.hung && !FIXED)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("shipper did not settle");
            LockSupport.parkNanos(1_000_000);
        }
        if (!FIXED) {
            while (svc.audit.worker.getState() != Thread.State.RUNNABLE || svc.audit.flushSignal.availablePermits() == 0) LockSupport.parkNanos(1_000_000);
        }
    }

    static void verify() {
        CoopService svc = SERVICE;
        AuditShipper a = svc.audit;
        System.out.println((FIXED ? "FIXED " : "") + "harbours " + HARBOURS_BY_CODE.size() + " buyers " + svc.buyers.size() + " vessels " + svc.vessels.size() + " crates " + svc.crates + " sold " + svc.sold
                + " returned " + svc.returnedToSea + " dispatched " + svc.dispatched + " van backlog " + svc.vanQueue.size() + " notes " + svc.salesNotes.size() + " (evicted " + svc.salesNotes.evicted + ")"
                + " audit enqueued " + a.enqueued + " shipped " + a.shipped.get() + " queued " + a.queue.size() + " batches " + a.batchesSent + " flushes " + a.issued + " completed " + a.completed.get()
                + " collector batches " + svc.collector.batches.get() + " events " + svc.collector.events.get() + " hung " + svc.collector.hung + " connections " + svc.collector.connections + " timeouts " + a.timeouts
                + " shipper " + a.worker.getState());
        check(HARBOURS_BY_CODE.size() == HARBOURS && svc.buyers.size() == BUYERS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.crates == (long) CRATES_PER_HOUR * HOURS && svc.labelBuffers.size() == POOL && svc.weighings[RING - 1] != null, "traffic / pool / ring");
        check(svc.salesNotes.size() == NOTE_CAP && svc.salesNotes.evicted > 0, "sales notes at cap");
        check(svc.sold == 15_754 && svc.returnedToSea == 378 && svc.vanQueue.size() == 1_094, "sales: sold " + svc.sold + " returned " + svc.returnedToSea + " van backlog " + svc.vanQueue.size());
        check(a.enqueued == 54_792 && a.issued == 1_796 && a.worker.isAlive() && svc.collector.hung, "audit: enqueued " + a.enqueued + " flushes " + a.issued);
        if (FIXED) check(a.queue.size() == 22 && a.shipped.get() == a.enqueued - 22 && a.timeouts == 1 && svc.collector.connections == 2, "fixed: the shipper reconnects and keeps up");
        else check(a.queue.size() == 51_481 && a.shipped.get() == 3_287 && svc.collector.events.get() == 3_287, "stuck: queued " + a.queue.size() + " shipped " + a.shipped.get());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val136.fixed");
        run();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
