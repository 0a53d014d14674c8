// hprofscan-dump: name=val27-healthy-marina jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-healthy-marina-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 27 (written blind), HEALTHY: the berth-management service of a marina group.
 * Tide-station reference data, the berth directory, the boat-owner directory, a write-behind
 * buffer of shore-power meter readings flushed whenever it reaches 500 (>=), an availability cache
 * at its cap, a pool of invoice buffers and a ring of gate events. 10 simulated hours.
 * See VALIDATION27.md.
 */
public final class Val27HealthyMarina {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_000, BERTHS = 6_000, OWNERS = 25_000, AVAIL_CAP = 2_500, POOL = 10, RING = 16_384, UPLOADS = 12_000, FLUSH_AT = 500, GATE_EVENTS = 60_000, HOURS = 10;

    record TideStation(String code, String name, double[] harmonics) {}
    record Berth(String id, String pier, int lengthCm, byte[] equipment, String ownerId) {}
    record Owner(String id, String name, String boat, byte[] documents, long since) {}
    record Availability(String key, byte[] calendar, long at) {}
    record GateEvent(String berthId, String cardId, int gate, long at) {}
    record MeterReading(String berthId, long at, int wattHours, int amps) {}

    static final class MeterWriter {
        final List<MeterReading> pending = new ArrayList<>();
        long written, flushes, received;
        void addBatch(List<MeterReading> batch) { received += batch.size(); pending.addAll(batch); if (pending.size() >= FLUSH_AT) flush(); }
        void flush() { written += pending.size(); flushes++; pending.clear(); }
    }

    static final class AvailabilityCache extends LinkedHashMap<String, Availability> {
        long evicted;
        AvailabilityCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Availability> e) { if (size() > AVAIL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TideStation> STATIONS_BY_CODE = new HashMap<>();

    static final class MarinaService {
        final Map<String, Berth> berths = new HashMap<>();
        final Map<String, Owner> owners = new HashMap<>();
        final MeterWriter meters = new MeterWriter();
        final AvailabilityCache availability = new AvailabilityCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final GateEvent[] gate = new GateEvent[RING];
        long gateCount;
    }

    static MarinaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(27_060_001);
        for (int s = 0; s < STATIONS; s++) {
            double[] h = new double[200];
            for (int k = 0; k < h.length; k++) h[k] = rnd.nextDouble() * 3;
            String code = "TS-" + (8_000 + s);
            STATIONS_BY_CODE.put(code, new TideStation(code, "Station " + s, h));
        }
        MarinaService svc = new MarinaService();
        SERVICE = svc;
        String[] ownerIds = new String[OWNERS];
        for (int o = 0; o < OWNERS; o++) {
            String id = "OWN-" + (250_000 + o);
            ownerIds[o] = id;
            svc.owners.put(id, new Owner(id, "Owner " + o, "Boat " + o, new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(6_000)) * 24 * HOUR));
        }
        String[] berthIds = new String[BERTHS];
        for (int b = 0; b < BERTHS; b++) {
            String id = "M" + (b / 1_000) + "-" + (char) ('A' + (b / 100) % 10) + "-" + (b % 100);
            berthIds[b] = id;
            svc.berths.put(id, new Berth(id, "Pier " + (char) ('A' + (b / 100) % 10), 600 + rnd.nextInt(2_400), new byte[100 + rnd.nextInt(100)], ownerIds[rnd.nextInt(OWNERS)]));
        }
        for (int p = 0; p < POOL; p++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(27_060_002);
        for (int i = 0; i < UPLOADS; i++) {
            long t = start + (end - start) * i / UPLOADS;
            String berth = berthIds[traffic.nextInt(BERTHS)];
            int n = 3 + traffic.nextInt(28);
            List<MeterReading> batch = new ArrayList<>(n);
            for (int k = 0; k < n; k++) batch.add(new MeterReading(berth, t - (n - k) * MINUTE, traffic.nextInt(4_000), traffic.nextInt(32)));
            svc.meters.addBatch(batch);
            String key = berth + "/" + traffic.nextInt(30);
            svc.availability.put(key, new Availability(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.invoiceBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.invoiceBuffers.add(buf);
        }
        for (int g = 0; g < GATE_EVENTS; g++) {
            long t = start + (end - start) * g / GATE_EVENTS;
            svc.gate[(int) (svc.gateCount++ % RING)] = new GateEvent(berthIds[traffic.nextInt(BERTHS)], "CARD-" + traffic.nextInt(40_000), traffic.nextInt(6), t);
        }
        MeterWriter w = svc.meters;
        System.out.println("stations " + STATIONS_BY_CODE.size() + " berths " + svc.berths.size() + " owners " + svc.owners.size() + " meter readings " + w.received + " pending " + w.pending.size()
                + " written " + w.written + " flushes " + w.flushes + " availability " + svc.availability.size() + " (evicted " + svc.availability.evicted + ") pool " + svc.invoiceBuffers.size() + " gate " + svc.gateCount);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.berths.size() == BERTHS && svc.owners.size() == OWNERS, "reference data / directories");
        check(w.written + w.pending.size() == w.received && w.pending.size() < FLUSH_AT && w.flushes > 100, "meter writer");
        check(svc.availability.size() == AVAIL_CAP && svc.availability.evicted > 0, "availability cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.gateCount == GATE_EVENTS && svc.gate[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
