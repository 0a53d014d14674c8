// hprofscan-dump: name=val111-healthy-letterpress jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val111-healthy-letterpress-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;

/**
 * Validation set 111 (written blind), HEALTHY: the order service of a letterpress print studio
 * (wedding invitations, business cards, art prints). Paper-stock reference data, the customer
 * directory, a cache of rendered proofs at its cap, a pool of plate-raster buffers, a ring of press
 * runs, and look-alikes of the set's leaks done right: one shared courier client (its own dispatcher
 * thread and two keep-alive connections) built at startup and used for every shipment; a colour-match
 * client built per ink mix and closed in try-with-resources (its thread ends); proof-approval sessions
 * that register a listener on the memory MXBean and remove it on every way out; a static Logger with
 * one handler added at startup. See VALIDATION111.md.
 */
public final class Val111HealthyLetterpress {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int PAPERS = 1_200, CUSTOMERS = 24_000, PROOF_CAP = 2_000, POOL = 10, RING = 16_384, CONSOLE_LINES = 1_000;
    static final int TYPEFACES = 120, ATLAS_BYTES = 16_384;
    static final int HOURS = 10, RUNS_PER_HOUR = 6_000, SHIPMENTS_PER_HOUR = 150, MIXES_PER_HOUR = 40, SESSIONS_PER_HOUR = 200;

    record Paper(String code, String mill, int gsm, double[] priceByQuantity) {}
    record Customer(String customerNo, String name, String city, byte[] orderHistory, long since) {}
    record Proof(String key, byte[] rendered, long at) {}
    record PressRun(long runNo, String orderNo, String paperCode, int sheets, int colours, long at) {}
    record Shipment(String orderNo, String trackingNo, long bookedAt) {}
    record SessionEnd(long at, String sessionId, boolean approved) {}
    record Typeface(String name, String foundry, int sizePt, byte[] glyphAtlas) {}

    /** A client of a remote API: keep-alive connections and one dispatcher thread that runs the calls. */
    static final class ApiClient implements AutoCloseable {
        static final Call SHUTDOWN = new Call(null, 0);
        static int threadsStarted;

        static final class Connection {
            final String host; final long openedAt; final byte[] receiveBuffer = new byte[8_192]; final byte[] sendBuffer = new byte[2_048]; long exchanges;
            Connection(String host, long openedAt) { this.host = host; this.openedAt = openedAt; }
        }
        static final class Call {
            final String path; final long at; final CompletableFuture<String> result = new CompletableFuture<>();
            Call(String path, long at) { this.path = path; this.at = at; }
        }

        final String name; final String apiKey; final Connection[] connections;
        final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final Thread dispatcher;
        long served;

        ApiClient(String name, String host, String apiKey, int connections, long now) {
            this.name = name; this.apiKey = apiKey;
            this.connections = new Connection[connections];
            for (int i = 0; i < connections; i++) this.connections[i] = new Connection(host, now);
            dispatcher = new Thread(this::dispatchLoop, name + "-dispatcher");
            dispatcher.setDaemon(true);
            dispatcher.start();
            threadsStarted++;
        }

        void dispatchLoop() {
            try {
                while (true) {
                    Call c = calls.take();
                    if (c == SHUTDOWN) return;
                    Connection conn = connections[(int) (served % connections.length)];
                    byte[] req = ("POST " + c.path + " HTTP/1.1\r\nHost: " + conn.host + "\r\nAuthorization: Bearer " + apiKey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(req, 0, conn.sendBuffer, 0, Math.min(req.length, conn.sendBuffer.length));
                    String answer = "{\"ref\":\"" + name.toUpperCase() + "-" + Long.toString(c.at / 1_000 + served, 36) + "\"}";
                    byte[] resp = answer.getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(resp, 0, conn.receiveBuffer, 0, resp.length);
                    conn.exchanges++;
                    served++;
                    c.result.complete(answer.substring(8, answer.length() - 2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String call(String path, long at) throws Exception {
            Call c = new Call(path, at);
            calls.put(c);
            return c.result.get(30, TimeUnit.SECONDS);
        }

        @Override public void close() throws InterruptedException {
            calls.put(SHUTDOWN);
            dispatcher.join(30_000);
            if (dispatcher.isAlive()) throw new IllegalStateException(name + " did not stop");
        }
    }

    static final class ProofSession {
        final String sessionId; final String customerNo; final long openedAt; byte[] previewTiles; PreviewDropper listener;
        ProofSession(String sessionId, String customerNo, long openedAt, byte[] previewTiles) { this.sessionId = sessionId; this.customerNo = customerNo; this.openedAt = openedAt; this.previewTiles = previewTiles; }
    }
    static final class PreviewDropper implements NotificationListener {
        final ProofSession session;
        PreviewDropper(ProofSession session) { this.session = session; }
        @Override public void handleNotification(Notification n, Object handback) { session.previewTiles = new byte[0]; }
    }
    static final class HeapAlarm implements NotificationListener {
        long alarms;
        @Override public void handleNotification(Notification n, Object handback) { alarms++; }
    }
    static final NotificationFilter HEAP_THRESHOLDS = n -> MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType());

    static final class ConsoleRingHandler extends Handler {
        final String[] ring = new String[CONSOLE_LINES]; long published;
        @Override public synchronized void publish(LogRecord r) { if (isLoggable(r)) ring[(int) (published++ % ring.length)] = r.getMillis() + " " + r.getLevel().getName() + " " + r.getMessage(); }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Paper> PAPERS_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("studio.letterpress.orders");

    static final class StudioService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, Typeface> typefaces = new HashMap<>(); // rasterised metal and wood type, loaded at startup
        final String[] customerNos = new String[CUSTOMERS];
        final String[] paperCodes = new String[PAPERS];
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> plateBuffers = new ArrayDeque<>();
        final PressRun[] pressRuns = new PressRun[RING];
        final ArrayDeque<Shipment> recentShipments = new ArrayDeque<>();
        final ConsoleRingHandler console = new ConsoleRingHandler();
        final NotificationEmitter memoryBean = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        final HeapAlarm alarm = new HeapAlarm();
        final Map<String, ProofSession> sessions = new HashMap<>();
        ApiClient courier;
        long runs, shipments, mixes, opened, approved, expired, listenersAdded, listenersRemoved;

        void pressRun(Random r, long t) {
            Customer c = customers.get(customerNos[r.nextInt(CUSTOMERS)]);
            String orderNo = "LP-" + (300_000 + r.nextInt(40_000));
            String paper = paperCodes[r.nextInt(PAPERS)];
            pressRuns[(int) (runs % RING)] = new PressRun(500_000L + runs, orderNo, paper, 50 + r.nextInt(950), 1 + r.nextInt(4), t);
            runs++;
            String key = "proof-" + orderNo;
            if (proofs.get(key) == null) proofs.put(key, new Proof(key, new byte[500 + r.nextInt(500)], t));
            byte[] plate = plateBuffers.poll();
            plate[(int) (runs % plate.length)] = (byte) c.orderHistory().length;
            plateBuffers.add(plate);
            if (runs % 50 == 0) LOG.info("press run " + (500_000L + runs - 1) + " for " + orderNo + " on " + paper + " done");
        }

        void ship(Random r, long t) throws Exception {
            String orderNo = "LP-" + (300_000 + r.nextInt(40_000));
            String tracking = courier.call("/v1/shipments?order=" + orderNo + "&parcels=" + (1 + r.nextInt(3)), t);
            recentShipments.addLast(new Shipment(orderNo, tracking, t));
            if (recentShipments.size() > 256) recentShipments.removeFirst();
            shipments++;
            LOG.info("shipment booked for " + orderNo + ": " + tracking);
        }

        void mixInk(Random r, long t) throws Exception {
            try (ApiClient colourMatch = new ApiClient("colour-match-" + mixes, "api.inkmatch.example", "cm_2b7d11f0", 1, t)) {
                colourMatch.call("/match?pms=" + (100 + r.nextInt(7_000)) + "&paper=" + paperCodes[r.nextInt(PAPERS)], t);
            }
            mixes++;
        }

        void openSession(Random r, long t, int n) {
            ProofSession s = new ProofSession("pf-" + Long.toHexString(0x4d00_0000L + n * 3L), customerNos[r.nextInt(CUSTOMERS)], t, new byte[1_024 + r.nextInt(2_048)]);
            s.listener = new PreviewDropper(s);
            memoryBean.addNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
            listenersAdded++;
            sessions.put(s.sessionId, s);
            opened++;
        }

        void endSession(SessionEnd e) throws ListenerNotFoundException {
            ProofSession s = sessions.remove(e.sessionId());
            try {
                if (e.approved()) approved++; else expired++;
            } finally {
                memoryBean.removeNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
                listenersRemoved++;
            }
        }
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(111_060_001);
        StudioService svc = new StudioService();
        SERVICE = svc;
        String[] mills = {"Crane", "Arches", "Somerset", "Lettra", "Colorplan", "Mohawk"};
        for (int p = 0; p < PAPERS; p++) {
            double[] prices = new double[72];
            for (int k = 0; k < prices.length; k++) prices[k] = 0.05 + rnd.nextDouble() * 3;
            svc.paperCodes[p] = "PS-" + (4_000 + p);
            PAPERS_BY_CODE.put(svc.paperCodes[p], new Paper(svc.paperCodes[p], mills[rnd.nextInt(mills.length)], 200 + rnd.nextInt(500), prices));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerNos[i] = "C" + (6_100_000 + i * 9);
            svc.customers.put(svc.customerNos[i], new Customer(svc.customerNos[i], "Customer " + i, "City " + (i % 300), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        String[] faces = {"Caslon", "Bodoni", "Garamond", "Baskerville", "Futura", "Gill Sans", "Clarendon", "Didot", "Jenson", "Goudy"};
        for (int f = 0; f < TYPEFACES; f++) {
            String name = faces[f % faces.length] + " " + (6 + 2 * (f / faces.length)) + "pt";
            byte[] atlas = new byte[ATLAS_BYTES];
            rnd.nextBytes(atlas);
            svc.typefaces.put(name, new Typeface(name, f % 3 == 0 ? "wood" : "metal", 6 + 2 * (f / faces.length), atlas));
        }
        for (int b = 0; b < POOL; b++) svc.plateBuffers.add(new byte[32_768]);
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(svc.console);
        svc.memoryBean.addNotificationListener(svc.alarm, HEAP_THRESHOLDS, "ops");
        svc.courier = new ApiClient("courier-client", "api.parcelcourier.example", "pc_91e04a7c", 2, start);
        Random traffic = new Random(111_060_002), ops = new Random(111_060_003), portal = new Random(111_060_004);
        PriorityQueue<SessionEnd> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int runs = RUNS_PER_HOUR * HOURS, shipEvery = RUNS_PER_HOUR / SHIPMENTS_PER_HOUR, mixEvery = RUNS_PER_HOUR / MIXES_PER_HOUR, sessionEvery = RUNS_PER_HOUR / SESSIONS_PER_HOUR;
        for (int i = 0; i < runs; i++) {
            long t = start + (end - MINUTE - start) * i / runs;
            while (!ends.isEmpty() && ends.peek().at() <= t) svc.endSession(ends.poll());
            svc.pressRun(traffic, t);
            if (i % shipEvery == 7) svc.ship(ops, t);
            if (i % mixEvery == 11) svc.mixInk(ops, t);
            if (i % sessionEvery == 3) {
                int n = (int) svc.opened;
                svc.openSession(portal, t, n);
                long active = (5 + portal.nextInt(56)) * MINUTE;
                boolean approved = portal.nextInt(3) != 0;
                ends.add(new SessionEnd(approved ? t + active : t + active + IDLE_TIMEOUT, "pf-" + Long.toHexString(0x4d00_0000L + n * 3L), approved));
            }
        }
        while (!ends.isEmpty() && ends.peek().at() <= end) svc.endSession(ends.poll());
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix) && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        try {
            simulate();
            StudioService svc = SERVICE;
            long registered = svc.listenersAdded - svc.listenersRemoved;
            int courierThreads = liveThreads("courier-client"), colourThreads = liveThreads("colour-match-");
            System.out.println("papers " + PAPERS_BY_CODE.size() + " typefaces " + svc.typefaces.size() + " customers " + svc.customers.size() + " press runs " + svc.runs + " shipments " + svc.shipments + " (courier served " + svc.courier.served + ") ink mixes " + svc.mixes + " client threads started " + ApiClient.threadsStarted
                    + " alive: courier " + courierThreads + " colour-match " + colourThreads + " sessions opened " + svc.opened + " approved " + svc.approved + " expired " + svc.expired + " open " + svc.sessions.size() + " listeners registered " + registered
                    + " console lines " + svc.console.published + " handlers " + LOG.getHandlers().length + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.plateBuffers.size());
            check(PAPERS_BY_CODE.size() == PAPERS && svc.customers.size() == CUSTOMERS && svc.typefaces.size() == TYPEFACES, "reference data / directory / typefaces");
            check(svc.runs == (long) RUNS_PER_HOUR * HOURS && svc.shipments == (long) SHIPMENTS_PER_HOUR * HOURS && svc.courier.served == svc.shipments && svc.mixes == (long) MIXES_PER_HOUR * HOURS, "traffic");
            check(ApiClient.threadsStarted == 1 + svc.mixes && courierThreads == 1 && colourThreads == 0, "one shared client thread, per-mix clients closed");
            check(svc.opened == (long) SESSIONS_PER_HOUR * HOURS && registered == svc.sessions.size() && svc.opened == svc.approved + svc.expired + svc.sessions.size(), "session listeners");
            check(LOG.getHandlers().length == 1 && svc.console.published == svc.runs / 50 + svc.shipments, "logger");
            check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
            check(svc.plateBuffers.size() == POOL, "pool");
            check(svc.pressRuns[RING - 1] != null && svc.recentShipments.size() == 256, "rings full");
            svc = null;
            LeakCheck.histogram("java.lang.Thread ", "NotificationEmitterSupport", "LinkedBlockingQueue");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
