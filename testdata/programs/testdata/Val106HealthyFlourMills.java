// hprofscan-dump: name=val106-healthy-flourmills jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val106-healthy-flourmills-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 106 (written blind), HEALTHY: the order and intake service of a cooperative of flour
 * mills. Wheat-variety reference data, the bakery-customer directory, a cache of rendered delivery
 * notes at its cap, a pool of weighbridge buffers, a ring of grain-intake weighings, a request tracer
 * whose WeakHashMap<Request, Trace> values keep only the request id (entries go when the request
 * does), and one writer thread per connected mill controller ("mill-plc-writer-<connId>") that is
 * interrupted and joined when its connection closes. See VALIDATION106.md.
 */
public final class Val106HealthyFlourMills {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VARIETIES = 1_000, CUSTOMERS = 25_000, NOTE_CAP = 2_000, POOL = 8, RING = 16_384, WEIGHINGS = 40_000, REQUESTS = 12_000, IN_FLIGHT = 6, CONNECTIONS = 200, OPEN_AT_DUMP = 12, HOURS = 10;

    record Variety(String code, String name, double[] proteinByBatch) {}
    record Customer(String customerId, String bakery, byte[] deliveryTerms, long since) {}
    record DeliveryNote(String key, byte[] rendered, long at) {}
    record Weighing(String truckPlate, String varietyCode, int kg, double moisture, long at) {}
    record Command(String op, byte[] payload) {}

    static final class Request {
        final String requestId, path, customerId; final long receivedAt; final byte[] headers;
        Request(String requestId, String path, String customerId, long receivedAt, byte[] headers) { this.requestId = requestId; this.path = path; this.customerId = customerId; this.receivedAt = receivedAt; this.headers = headers; }
    }

    record Span(String name, long startMs, long endMs) {}

    /** Keeps only the request id, never the request: the weak key can go. */
    static final class Trace {
        final String traceId, requestId; final List<Span> spans = new ArrayList<>(6);
        Trace(String traceId, String requestId) { this.traceId = traceId; this.requestId = requestId; }
    }

    static final class MillConnection implements Runnable {
        final String connId, millCode; final long openedAt;
        final byte[] readBuffer = new byte[4_096], writeBuffer = new byte[8_192];
        final LinkedBlockingQueue<Command> outbox = new LinkedBlockingQueue<>();
        volatile long written; Thread writer;
        MillConnection(String connId, String millCode, long openedAt) { this.connId = connId; this.millCode = millCode; this.openedAt = openedAt; }
        @Override public void run() {
            try {
                while (true) { Command c = outbox.take(); System.arraycopy(c.payload(), 0, writeBuffer, 0, c.payload().length); written++; }
            } catch (InterruptedException e) {
                // closed
            }
        }
    }

    static final class NoteCache extends LinkedHashMap<String, DeliveryNote> {
        long evicted;
        NoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeliveryNote> e) { if (size() > NOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Variety> VARIETIES_BY_CODE = new HashMap<>();

    static final class MillService {
        final Map<String, Customer> customers = new HashMap<>();
        final NoteCache notes = new NoteCache();
        final ArrayDeque<byte[]> weighbridgeBuffers = new ArrayDeque<>();
        final Weighing[] weighings = new Weighing[RING];
        long weighed, tracesStarted, closed;
        final WeakHashMap<Request, Trace> traceByRequest = new WeakHashMap<>();
        final ArrayDeque<Request> inFlight = new ArrayDeque<>();
        final ConcurrentHashMap<String, MillConnection> connections = new ConcurrentHashMap<>();

        void close(MillConnection c) throws InterruptedException {
            connections.remove(c.connId);
            c.writer.interrupt();
            c.writer.join();
            closed++;
        }
    }

    static MillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_060_001);
        String[] varietyCodes = new String[VARIETIES];
        for (int v = 0; v < VARIETIES; v++) {
            double[] protein = new double[96];
            for (int k = 0; k < protein.length; k++) protein[k] = 9 + rnd.nextDouble() * 6;
            varietyCodes[v] = "WV-" + (1_000 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new Variety(varietyCodes[v], "Variety " + v, protein));
        }
        MillService svc = new MillService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "BK" + (300_000 + c);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Bakery " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.weighbridgeBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_060_002);
        ArrayDeque<MillConnection> openOrder = new ArrayDeque<>();
        String[] paths = {"/orders", "/orders/{id}", "/deliveries", "/invoices/{id}"};
        for (int i = 0; i < WEIGHINGS; i++) {
            long t = start + (end - MINUTE - start) * i / WEIGHINGS;
            if (i % (WEIGHINGS / CONNECTIONS) == 0) { // a mill controller (re)connects; the oldest link closes
                int n = i / (WEIGHINGS / CONNECTIONS);
                MillConnection c = new MillConnection("plc" + (5_000 + n), "MILL-" + (n % 16), t);
                c.writer = new Thread(c, "mill-plc-writer-" + c.connId);
                c.writer.setDaemon(true);
                c.writer.start();
                svc.connections.put(c.connId, c);
                openOrder.add(c);
                if (openOrder.size() > OPEN_AT_DUMP) svc.close(openOrder.poll());
            }
            svc.weighings[(int) (svc.weighed++ % RING)] = new Weighing("TRK-" + traffic.nextInt(900), varietyCodes[traffic.nextInt(VARIETIES)], 8_000 + traffic.nextInt(20_000), 11 + traffic.nextDouble() * 4, t);
            if (traffic.nextInt(10) == 0) openOrder.peekLast().outbox.add(new Command("SET_RATE", new byte[32 + traffic.nextInt(32)]));
            if (i % (WEIGHINGS / REQUESTS + 1) == 0 || i >= WEIGHINGS - IN_FLIGHT) {
                Request r = new Request("rq-" + (600_000 + i), paths[traffic.nextInt(paths.length)], customerIds[traffic.nextInt(CUSTOMERS)], t, new byte[60 + traffic.nextInt(60)]);
                Trace tr = new Trace("tr-" + Long.toHexString(0x7B000000L + svc.tracesStarted++), r.requestId);
                tr.spans.add(new Span("http.server", t, t + 30));
                tr.spans.add(new Span("db.query", t + 2, t + 20));
                svc.traceByRequest.put(r, tr);
                if (i >= WEIGHINGS - IN_FLIGHT) svc.inFlight.add(r);
                String key = "note-" + traffic.nextInt(6_000);
                if (svc.notes.get(key) == null) svc.notes.put(key, new DeliveryNote(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.weighbridgeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.weighbridgeBuffers.add(buf);
        }
    }

    static void selfCheck() throws Exception {
        MillService svc = SERVICE;
        int traces = -1;
        for (int attempt = 0; attempt < 40; attempt++) {
            System.gc();
            Thread.sleep(50);
            traces = svc.traceByRequest.size();
            boolean quiet = traces == IN_FLIGHT;
            for (MillConnection c : svc.connections.values()) quiet &= c.outbox.isEmpty() && c.writer.getState() == Thread.State.WAITING;
            if (quiet) break;
        }
        int liveWriters = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("mill-plc-writer-") && t.isAlive()) liveWriters++;
        System.out.println("varieties " + VARIETIES_BY_CODE.size() + " customers " + svc.customers.size() + " traces " + traces + " (started " + svc.tracesStarted + ") in flight " + svc.inFlight.size()
                + " connections " + svc.connections.size() + " (closed " + svc.closed + ") live writers " + liveWriters + " notes " + svc.notes.size() + " (evicted " + svc.notes.evicted + ") pool "
                + svc.weighbridgeBuffers.size() + " weighings " + svc.weighed);
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(traces == IN_FLIGHT && svc.inFlight.size() == IN_FLIGHT, "traces of requests in flight only: " + traces);
        check(svc.connections.size() == OPEN_AT_DUMP && svc.closed == CONNECTIONS - OPEN_AT_DUMP && liveWriters == OPEN_AT_DUMP, "writers of open connections only: " + liveWriters);
        for (MillConnection c : svc.connections.values()) check(c.outbox.isEmpty() && c.writer.getState() == Thread.State.WAITING, "writer idle");
        check(svc.notes.size() == NOTE_CAP && svc.notes.evicted > 0, "note cache at cap");
        check(svc.weighbridgeBuffers.size() == POOL, "pool");
        check(svc.weighed == WEIGHINGS && svc.weighings[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
