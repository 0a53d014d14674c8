// hprofscan-dump: name=val111-leak-skydivecentres jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val111-leak-skydivecentres-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 111 (written blind), LEAK: the manifest service of a network of 40 skydiving drop
 * zones. Canopy reference data, the jumper directory, a cache of signed waivers at its cap, a pool of
 * camera-flyer video buffers, rings of loads and jump slots, the current winds-aloft report per drop
 * zone. Before manifesting a load the service needs the winds aloft of the last 30 minutes; when the
 * report is older it calls the aviation-weather vendor through the vendor's client library
 * (WindsAloftClient: a connection with receive and send buffers and its own dispatcher thread). The
 * refresh builds a new client for every call and never closes it: every client ever built keeps its
 * parked dispatcher thread, and through it the client and its connection. See VALIDATION111.md.
 */
public final class Val111LeakSkydiveCentres {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CANOPY_MODELS = 1_000, JUMPERS = 24_000, WAIVER_CAP = 2_000, POOL = 8, LOAD_RING = 1_024, SLOT_RING = 8_192;
    static final int DZS = 40, HOURS = 10, LOAD_EVERY_MIN = 10, WINDS_VALID_MIN = 30;
    static final int EXPECTED_REFRESHES = DZS * HOURS * 60 / WINDS_VALID_MIN; // 800
    static boolean FIXED;

    record CanopyModel(String model, String maker, int sizeSqFt, double[] wingLoadingChart) {}
    record Jumper(String licence, String homeDz, String name, byte[] logbookSummary, long licensedAt) {}
    record DropZone(String code, String name, double lat, double lon, String aircraft) {}
    record Waiver(String key, byte[] rendered, long signedAt) {}
    record LoadRecord(long loadId, String dzCode, String aircraft, int jumpers, long departsAt, String windsId) {}
    record JumpSlot(String licence, long loadId, int exitOrder, long at) {}
    record WindsReport(String reportId, String dzCode, long fetchedAt, int[] directionAndKnots) {}
    record ClientConfig(String baseUrl, String apiKey, String userAgent, int connectTimeoutMs, int readTimeoutMs) {}

    /** Vendor client library: one keep-alive connection and a dispatcher thread that runs the calls. */
    static final class WindsAloftClient implements AutoCloseable {
        static final Call SHUTDOWN = new Call(null, null, 0, 0, 0);
        static int created;

        static final class Connection {
            final String host; final int port; final int localPort; final long openedAt;
            final byte[] receiveBuffer = new byte[8_192]; final byte[] sendBuffer = new byte[2_048];
            long bytesIn, bytesOut; boolean open = true;
            Connection(String host, int port, int localPort, long openedAt) { this.host = host; this.port = port; this.localPort = localPort; this.openedAt = openedAt; }
        }
        static final class Call {
            final String dzCode; final String query; final long at; final double lat, lon;
            final CompletableFuture<WindsReport> result = new CompletableFuture<>();
            Call(String dzCode, String query, long at, double lat, double lon) { this.dzCode = dzCode; this.query = query; this.at = at; this.lat = lat; this.lon = lon; }
        }

        final int id; final ClientConfig config; final Connection connection;
        final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final Thread dispatcher;
        long served;

        WindsAloftClient(ClientConfig config, long now) {
            this.id = ++created;
            this.config = config;
            this.connection = new Connection("api.aviationwx.example", 443, 40_000 + id % 20_000, now);
            this.dispatcher = new Thread(this::dispatchLoop, "winds-aloft-" + id + "-dispatcher");
            dispatcher.setDaemon(true);
            dispatcher.start();
        }

        void dispatchLoop() {
            try {
                while (true) {
                    Call c = calls.take();
                    if (c == SHUTDOWN) { connection.open = false; return; }
                    try {
                        c.result.complete(exchange(c));
                    } catch (RuntimeException e) {
                        c.result.completeExceptionally(e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Writes the request into the send buffer, "reads" the vendor's answer into the receive buffer and parses it. */
        WindsReport exchange(Call c) {
            byte[] req = ("GET /v2/winds-aloft?" + c.query + " HTTP/1.1\r\nHost: " + connection.host + "\r\nUser-Agent: " + config.userAgent() + "\r\nX-Api-Key: " + config.apiKey() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(req, 0, connection.sendBuffer, 0, Math.min(req.length, connection.sendBuffer.length));
            connection.bytesOut += req.length;
            long seed = c.at ^ (long) (c.lat * 1_000) ^ ((long) (c.lon * 1_000) << 20);
            Random r = new Random(seed);
            int[] winds = new int[12];
            int n = 0;
            for (int k = 0; k < 6; k++) {
                winds[2 * k] = r.nextInt(360);
                winds[2 * k + 1] = 5 + r.nextInt(20) + 6 * k;
                byte[] line = ("{\"ft\":" + (3_000 * (k + 1)) + ",\"dir\":" + winds[2 * k] + ",\"kt\":" + winds[2 * k + 1] + "}").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(line, 0, connection.receiveBuffer, n, line.length);
                n += line.length;
            }
            connection.bytesIn += n;
            served++;
            return new WindsReport("WX-" + c.dzCode + "-" + (c.at / MINUTE), c.dzCode, c.at, winds);
        }

        WindsReport fetch(DropZone dz, long at) throws Exception {
            Call c = new Call(dz.code(), "lat=" + dz.lat() + "&lon=" + dz.lon() + "&levels=3000,6000,9000,12000,15000,18000", at, dz.lat(), dz.lon());
            calls.put(c);
            return c.result.get(30, TimeUnit.SECONDS);
        }

        @Override public void close() throws InterruptedException {
            calls.put(SHUTDOWN);
            dispatcher.join(30_000);
            if (dispatcher.isAlive()) throw new IllegalStateException("dispatcher of client " + id + " did not stop");
        }
    }

    static final class WaiverCache extends LinkedHashMap<String, Waiver> {
        long evicted;
        WaiverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Waiver> e) { if (size() > WAIVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CanopyModel> CANOPIES_BY_MODEL = new HashMap<>();
    static final ClientConfig WX_CONFIG = new ClientConfig("https://api.aviationwx.example/v2", "wxk_5f1c9e27a0d84b3c", "dz-manifest/4.12 (+ops@skydive-network.example)", 2_000, 5_000);

    static final class ManifestService {
        final Map<String, Jumper> jumpers = new HashMap<>();
        final String[] licences = new String[JUMPERS];
        final DropZone[] dropZones = new DropZone[DZS];
        final WaiverCache waivers = new WaiverCache();
        final ArrayDeque<byte[]> videoBuffers = new ArrayDeque<>();
        final LoadRecord[] loads = new LoadRecord[LOAD_RING];
        final JumpSlot[] slots = new JumpSlot[SLOT_RING];
        final Map<String, WindsReport> winds = new HashMap<>();
        long loadCount, slotCount, refreshes, clientsClosed;

        WindsReport currentWinds(DropZone dz, long t, long start) throws Exception {
            WindsReport w = winds.get(dz.code());
            long window = WINDS_VALID_MIN * MINUTE;
            if (w != null && (w.fetchedAt() - start) / window == (t - start) / window) return w;
            WindsAloftClient client = new WindsAloftClient(WX_CONFIG, t); // BUG: a new client per call ...
            w = client.fetch(dz, t);
            refreshes++;
            if (FIXED) { client.close(); clientsClosed++; } // ... never closed: its dispatcher thread parks forever
            winds.put(dz.code(), w);
            return w;
        }

        void manifestLoad(Random r, DropZone dz, long t, long start) throws Exception {
            WindsReport w = currentWinds(dz, t, start);
            long loadId = 900_000L + loadCount;
            int n = 8 + r.nextInt(15);
            for (int k = 0; k < n; k++) {
                Jumper j = jumpers.get(licences[r.nextInt(JUMPERS)]);
                String key = "waiver-" + j.licence();
                if (waivers.get(key) == null) waivers.put(key, new Waiver(key, new byte[400 + r.nextInt(400)], t - r.nextInt(300) * MINUTE));
                slots[(int) (slotCount++ % SLOT_RING)] = new JumpSlot(j.licence(), loadId, k + 1, t);
            }
            if (r.nextInt(4) == 0) {
                byte[] video = videoBuffers.poll();
                video[(int) (loadId % video.length)] = (byte) n;
                videoBuffers.add(video);
            }
            loads[(int) (loadCount++ % LOAD_RING)] = new LoadRecord(loadId, dz.code(), dz.aircraft(), n, t + 15 * MINUTE, w.reportId());
        }
    }

    static ManifestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(111_020_001);
        String[] makers = {"Performance Designs", "Aerodyne", "Icarus", "NZ Aerosports", "Paraavis", "Jyro"};
        for (int m = 0; m < CANOPY_MODELS; m++) {
            double[] chart = new double[64];
            for (int k = 0; k < chart.length; k++) chart[k] = 0.6 + rnd.nextDouble() * 2.2;
            String model = "CM-" + (3_000 + m);
            CANOPIES_BY_MODEL.put(model, new CanopyModel(model, makers[rnd.nextInt(makers.length)], 90 + rnd.nextInt(200), chart));
        }
        ManifestService svc = new ManifestService();
        SERVICE = svc;
        String[] aircraft = {"Twin Otter", "Cessna 208 Caravan", "Skyvan", "Cessna 182", "PAC 750XL"};
        for (int d = 0; d < DZS; d++) {
            svc.dropZones[d] = new DropZone("DZ-" + (100 + d), "Drop zone " + d, 35 + rnd.nextDouble() * 20, -120 + rnd.nextDouble() * 45, aircraft[rnd.nextInt(aircraft.length)]);
        }
        for (int i = 0; i < JUMPERS; i++) {
            svc.licences[i] = (char) ('A' + i % 4) + "-" + (20_000 + i * 3);
            svc.jumpers.put(svc.licences[i], new Jumper(svc.licences[i], svc.dropZones[rnd.nextInt(DZS)].code(), "Jumper " + i, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.videoBuffers.add(new byte[32_768]);
        Random traffic = new Random(111_020_002);
        int ticks = HOURS * 60 / LOAD_EVERY_MIN;
        for (int k = 0; k < ticks; k++) {
            for (int d = 0; d < DZS; d++) {
                long t = start + k * LOAD_EVERY_MIN * MINUTE + d * 12_000L;
                svc.manifestLoad(traffic, svc.dropZones[d], t, start);
            }
        }
    }

    static int liveDispatchers() {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("winds-aloft-") && th.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        try {
            FIXED = Boolean.getBoolean("val111.fixed");
            simulate();
            ManifestService svc = SERVICE;
            int alive = liveDispatchers();
            int loads = DZS * HOURS * 60 / LOAD_EVERY_MIN;
            System.out.println((FIXED ? "FIXED " : "") + "canopies " + CANOPIES_BY_MODEL.size() + " jumpers " + svc.jumpers.size() + " loads " + svc.loadCount + " slots " + svc.slotCount + " winds refreshes " + svc.refreshes
                    + " clients created " + WindsAloftClient.created + " closed " + svc.clientsClosed + " live dispatcher threads " + alive + " waivers " + svc.waivers.size() + " (evicted " + svc.waivers.evicted + ") pool " + svc.videoBuffers.size() + " winds " + svc.winds.size());
            check(CANOPIES_BY_MODEL.size() == CANOPY_MODELS && svc.jumpers.size() == JUMPERS, "reference data / directory");
            check(svc.loadCount == loads && svc.refreshes == EXPECTED_REFRESHES && WindsAloftClient.created == EXPECTED_REFRESHES, "loads / refreshes");
            check(svc.clientsClosed == (FIXED ? EXPECTED_REFRESHES : 0) && alive == (FIXED ? 0 : EXPECTED_REFRESHES), "clients / dispatcher threads");
            check(svc.winds.size() == DZS, "winds per drop zone");
            check(svc.waivers.size() == WAIVER_CAP && svc.waivers.evicted > 0, "waiver cache at cap");
            check(svc.videoBuffers.size() == POOL, "pool");
            check(svc.loads[LOAD_RING - 1] != null && svc.slots[SLOT_RING - 1] != null, "rings full");
            svc = null;
            LeakCheck.histogram("java.lang.Thread ", "LinkedBlockingQueue");
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
