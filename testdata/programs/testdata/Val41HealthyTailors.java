// hprofscan-dump: name=val41-healthy-tailors jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val41-healthy-tailors-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 41 (written blind), HEALTHY: the client-book service of a bespoke tailoring house.
 * Cloth-bolt reference data, a pool of pattern-cutter buffers, an LRU of rendered pattern sheets at
 * its cap, a ring of fittings, and, biggest, the client book: 4,000 Client objects, each with its
 * own order history capped at the last 20 orders (an ArrayDeque trimmed with pollFirst), its
 * measurements (a map keyed by the 18 measurement names, values replaced at every fitting) and its
 * style preferences (replaced). The history of every client is loaded at startup from the order
 * database (up to 20 each), then the day's orders are appended and the oldest dropped. No leak.
 * See VALIDATION41.md.
 */
public final class Val41HealthyTailors {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLOTHS = 1_200, CLIENTS = 4_000, KEEP_ORDERS = 20, SHEET_CAP = 300, POOL = 8, RING = 1_024, HOURS = 10;
    static final String[] MEASURES = {"chest", "waist", "seat", "neck", "shoulder", "sleeve-l", "sleeve-r", "back-length", "front-length",
            "bicep", "wrist", "inside-leg", "outside-leg", "thigh", "knee", "cuff", "rise", "posture"};
    static final String[] GARMENTS = {"two-piece", "three-piece", "overcoat", "blazer", "trousers", "waistcoat", "dinner-jacket", "shirt"};

    record ClothBolt(String code, String mill, double[] weightByMetre) {}
    record Order(String orderId, String garment, String clothCode, int priceCents, byte[] patternNotes, long orderedAt) {}
    record Measurement(String name, double cm, long takenAt) {}
    record PatternSheet(String key, byte[] rendered, long at) {}
    record Fitting(String clientId, String orderId, int stage, long at) {}

    static final class Client {
        final String clientId, name;
        final long since;
        final ArrayDeque<Order> recentOrders = new ArrayDeque<>();
        final Map<String, Measurement> measurements = new HashMap<>();
        String stylePreferences;
        Client(String clientId, String name, long since) { this.clientId = clientId; this.name = name; this.since = since; }
        void addOrder(Order o) { recentOrders.addLast(o); if (recentOrders.size() > KEEP_ORDERS) recentOrders.pollFirst(); }
    }

    static final class SheetCache extends LinkedHashMap<String, PatternSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PatternSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ClothBolt> CLOTHS_BY_CODE = new HashMap<>();

    static final class ClientBookService {
        final Map<String, Client> clients = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> cutterBuffers = new ArrayDeque<>();
        final Fitting[] fittings = new Fitting[RING];
        long fittingsWritten;
    }

    static ClientBookService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(41_060_001);
        String[] clothCodes = new String[CLOTHS];
        for (int c = 0; c < CLOTHS; c++) {
            double[] w = new double[64];
            for (int k = 0; k < w.length; k++) w[k] = 200 + rnd.nextDouble() * 400;
            clothCodes[c] = "CB-" + (8_000 + c);
            CLOTHS_BY_CODE.put(clothCodes[c], new ClothBolt(clothCodes[c], "Mill " + (c % 60), w));
        }
        ClientBookService svc = new ClientBookService();
        SERVICE = svc;
        String[] clientIds = new String[CLIENTS];
        long loadedOrders = 0, orderSeq = 0;
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "TC-" + (10_000 + c * 7);
            Client cl = new Client(clientIds[c], "Client " + c, now - (long) (30 + rnd.nextInt(7_000)) * DAY);
            int history = c % 10 == 0 ? 3 + rnd.nextInt(15) : KEEP_ORDERS; // newer clients have fewer orders
            long t = start - (long) (history + 1) * 30 * DAY;
            for (int o = 0; o < history; o++) {
                t += (long) (10 + rnd.nextInt(40)) * DAY;
                cl.addOrder(new Order("OR-" + (100_000 + orderSeq++), GARMENTS[rnd.nextInt(GARMENTS.length)], "CB-" + (8_000 + rnd.nextInt(CLOTHS)), 80_000 + rnd.nextInt(400_000), new byte[150 + rnd.nextInt(150)], Math.min(t, start - DAY)));
                loadedOrders++;
            }
            for (String m : MEASURES) cl.measurements.put(m, new Measurement(m, 20 + rnd.nextDouble() * 100, cl.since + (long) rnd.nextInt(30) * DAY));
            cl.stylePreferences = "lapel=" + (c % 3) + ";vents=" + (c % 2) + ";lining=" + (c % 12);
            svc.clients.put(clientIds[c], cl);
        }
        for (int b = 0; b < POOL; b++) svc.cutterBuffers.add(new byte[32_768]);

        Random traffic = new Random(41_060_002);
        long newOrders = 0, fittingsDone = 0, remeasured = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            int events = 3 + traffic.nextInt(5);
            for (int k = 0; k < events; k++) {
                long at = minute + traffic.nextInt(60_000);
                Client cl = svc.clients.get(clientIds[traffic.nextInt(CLIENTS)]);
                int kind = traffic.nextInt(4);
                if (kind == 0) {
                    String cloth = clothCodes[traffic.nextInt(CLOTHS)];
                    Order o = new Order("OR-" + (100_000 + orderSeq++), GARMENTS[traffic.nextInt(GARMENTS.length)], cloth, 80_000 + traffic.nextInt(400_000), new byte[150 + traffic.nextInt(150)], at);
                    cl.addOrder(o);
                    newOrders++;
                    byte[] buf = svc.cutterBuffers.poll();
                    buf[(int) (orderSeq % buf.length)] = (byte) orderSeq;
                    svc.cutterBuffers.add(buf);
                    String key = cl.clientId + "/" + o.garment();
                    if (svc.sheets.get(key) == null) svc.sheets.put(key, new PatternSheet(key, new byte[400 + traffic.nextInt(400)], at));
                } else if (kind == 1) {
                    for (String m : MEASURES) cl.measurements.put(m, new Measurement(m, 20 + traffic.nextDouble() * 100, at));
                    remeasured++;
                } else {
                    Order last = cl.recentOrders.peekLast();
                    svc.fittings[(int) (svc.fittingsWritten++ % RING)] = new Fitting(cl.clientId, last == null ? null : last.orderId(), 1 + traffic.nextInt(3), at);
                    fittingsDone++;
                    if (traffic.nextInt(5) == 0) cl.stylePreferences = "lapel=" + traffic.nextInt(3) + ";vents=" + traffic.nextInt(2) + ";lining=" + traffic.nextInt(12);
                }
            }
        }
        long held = 0, full = 0, measures = 0;
        for (Client cl : svc.clients.values()) {
            held += cl.recentOrders.size();
            if (cl.recentOrders.size() == KEEP_ORDERS) full++;
            check(cl.recentOrders.size() <= KEEP_ORDERS && cl.measurements.size() == MEASURES.length, "client " + cl.clientId);
            measures += cl.measurements.size();
        }
        System.out.println("cloths " + CLOTHS_BY_CODE.size() + " clients " + svc.clients.size() + " loaded orders " + loadedOrders + " new orders " + newOrders + " held " + held + " (clients at cap " + full + ") measurements " + measures
                + " remeasured " + remeasured + " fittings " + fittingsDone + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.cutterBuffers.size());
        check(CLOTHS_BY_CODE.size() == CLOTHS && svc.clients.size() == CLIENTS, "reference data / clients");
        check(loadedOrders == EXPECTED_LOADED && newOrders == EXPECTED_NEW && held == EXPECTED_HELD && full == EXPECTED_FULL, "order histories");
        check(remeasured == EXPECTED_REMEASURED && fittingsDone == EXPECTED_FITTINGS && svc.fittingsWritten == fittingsDone && svc.fittings[RING - 1] != null, "measurements / fittings");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted == EXPECTED_SHEETS_EVICTED && svc.cutterBuffers.size() == POOL, "sheets / pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_LOADED = 76_137, EXPECTED_NEW = 748, EXPECTED_HELD = 76_201, EXPECTED_FULL = 3_600, EXPECTED_REMEASURED = 742, EXPECTED_FITTINGS = 1_524, EXPECTED_SHEETS_EVICTED = 441;
}
