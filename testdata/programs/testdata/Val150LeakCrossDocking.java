// hprofscan-dump: name=val150-leak-crossdocking jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val150-leak-crossdocking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 150 (written blind), LEAK: the sortation service of a parcel cross-docking
 * terminal. Destination-lane reference data, the consignee directory, a cache of rendered labels
 * at its cap, a pool of scanner-frame buffers, a ring of recent trailer departures, the yard of
 * shipments currently on the dock (a priority queue by planned departure), and a per-shipment
 * guard map: every scan takes the shipment's lock from a ConcurrentHashMap filled by
 * computeIfAbsent(shipmentId), and the guard also carries the shipment's scan statistics. Shipment
 * ids are one-off (a shipment crosses the dock once, in about an hour) and nothing removes a guard
 * when its shipment departs: the map keeps one lock and one statistics object per shipment ever
 * handled. See VALIDATION150.md.
 */
public final class Val150LeakCrossDocking {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int LANES = 1_000, CONSIGNEES = 24_000, LABEL_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SHIPMENTS = 30_000, DOORS = 48;
    static boolean FIXED;

    record Lane(String code, String destination, double[] cutoffLoad) {}
    record Consignee(String code, String name, String postcode, byte[] deliveryNotes, long since) {}
    record Label(String key, byte[] rendered, long at) {}
    record Departure(String shipmentId, String laneCode, int door, long at) {}
    record DockShipment(String shipmentId, String laneCode, int inboundDoor, long arrivedAt, long departsAt) {}

    static final class ShipmentStats {
        int scans, lastDoor;
        long firstScanAt, lastScanAt;
        final long[] dwellByStage = new long[4];
    }

    /** Per-shipment lock, created on the first scan. */
    static final class ShipmentGuard {
        final ReentrantLock lock = new ReentrantLock();
        final ShipmentStats stats = new ShipmentStats();
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lane> LANES_BY_CODE = new HashMap<>();

    static final class SortationService {
        final Map<String, Consignee> consignees = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> scannerBuffers = new ArrayDeque<>();
        final Departure[] departures = new Departure[RING];
        final PriorityQueue<DockShipment> yard = new PriorityQueue<>((a, b) -> Long.compare(a.departsAt(), b.departsAt()));
        final ConcurrentHashMap<String, ShipmentGuard> guards = new ConcurrentHashMap<>();
        long scans, departed;

        void scan(String shipmentId, int stage, int door, long at) {
            ShipmentGuard g = guards.computeIfAbsent(shipmentId, id -> new ShipmentGuard());
            g.lock.lock();
            try {
                ShipmentStats s = g.stats;
                if (s.scans++ == 0) s.firstScanAt = at;
                else s.dwellByStage[stage] += at - s.lastScanAt;
                s.lastScanAt = at;
                s.lastDoor = door;
                scans++;
            } finally {
                g.lock.unlock();
            }
        }

        void depart(DockShipment d, int door) {
            scan(d.shipmentId(), 2, door, d.departsAt() - 2 * MINUTE); // loaded
            scan(d.shipmentId(), 3, door, d.departsAt());               // trailer sealed
            departures[(int) (departed++ % RING)] = new Departure(d.shipmentId(), d.laneCode(), door, d.departsAt());
            if (FIXED) guards.remove(d.shipmentId());
            // BUG: the guard of a departed shipment is never removed
        }
    }

    static SortationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val150.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(150_040_001);
        String[] laneCodes = new String[LANES];
        for (int l = 0; l < LANES; l++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 60;
            laneCodes[l] = "LN-" + (700 + l);
            LANES_BY_CODE.put(laneCodes[l], new Lane(laneCodes[l], "Depot " + (l % 250), load));
        }
        SortationService svc = new SortationService();
        SERVICE = svc;
        for (int c = 0; c < CONSIGNEES; c++) {
            String code = "CN" + (900_000 + c * 3);
            svc.consignees.put(code, new Consignee(code, "Consignee " + c, "PC" + (c % 3_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scannerBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_040_002);
        int maxYard = 0;
        for (int i = 0; i < SHIPMENTS; i++) {
            long t = start + (end - MINUTE - start) * i / SHIPMENTS;
            while (!svc.yard.isEmpty() && svc.yard.peek().departsAt() <= t) svc.depart(svc.yard.poll(), traffic.nextInt(DOORS));
            String id = "SHP" + Long.toString(0x5A0000000L + i * 37L, 36).toUpperCase();
            int door = traffic.nextInt(DOORS);
            DockShipment d = new DockShipment(id, laneCodes[traffic.nextInt(LANES)], door, t, t + (20 + traffic.nextInt(70)) * MINUTE);
            svc.scan(id, 0, door, t);                                       // received
            svc.scan(id, 1, door, t + (5 + traffic.nextInt(50)) * 1_000L);   // sorted to its lane (seconds later)
            svc.yard.add(d);
            maxYard = Math.max(maxYard, svc.yard.size());
            String key = "label-" + traffic.nextInt(4_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.scannerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scannerBuffers.add(buf);
        }
        long departedBeforeDump = svc.departed;
        System.out.println((FIXED ? "FIXED " : "") + "lanes " + LANES_BY_CODE.size() + " consignees " + svc.consignees.size() + " shipments " + SHIPMENTS + " departed " + svc.departed + " on dock " + svc.yard.size()
                + " (max " + maxYard + ") guards " + svc.guards.size() + " scans " + svc.scans + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.scannerBuffers.size());
        check(LANES_BY_CODE.size() == LANES && svc.consignees.size() == CONSIGNEES, "reference data / directory");
        check(svc.departed + svc.yard.size() == SHIPMENTS && svc.scans == 2L * SHIPMENTS + 2 * svc.departed, "dock traffic");
        check(svc.guards.size() == (FIXED ? svc.yard.size() : SHIPMENTS), "guards: " + svc.guards.size());
        check(svc.departures[RING - 1] != null && departedBeforeDump > RING, "departure ring");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.scannerBuffers.size() == POOL, "pool");
        laneCodes = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
