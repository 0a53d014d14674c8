// hprofscan-dump: name=val62-leak-mushroomfarms-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val62-leak-mushroomfarms-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val62-leak-mushroomfarms jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val62-leak-mushroomfarms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 62 (written blind), LEAK: the grow-room control service of a mushroom-farm
 * co-operative. Farm reference data, the spawn-batch directory, a cache of rendered harvest labels
 * at its cap, a pool of sensor-decode buffers, a ring of raw sensor readings, and an event-sourced
 * repository of the 1,500 grow rooms (the aggregates): every event (reading, watering, flush,
 * harvest) produces a full snapshot of the room's state. The repository was meant to replace the
 * room's last snapshot (versions.set(last, snapshot)); it appends it instead, so each room's
 * version list grows with traffic while the map of rooms stays at 1,500. See VALIDATION62.md.
 */
public final class Val62LeakMushroomFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FARMS = 1_200, ROOMS = 1_500, BATCHES = 24_000, LABEL_CAP = 2_000, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 6_000, TRAYS = 24;
    static boolean FIXED;

    record Farm(String code, String region, double[] weeklyYieldKg) {}
    record SpawnBatch(String code, String strain, String supplier, byte[] labRecord, long inoculatedAt) {}
    record HarvestLabel(String key, byte[] rendered, long at) {}
    record SensorReading(String roomId, int sensor, double value, long at) {}
    /** A full snapshot of one grow room after an event (the state of all its trays). */
    record RoomSnapshot(String roomId, long version, long at, String phase, double temperatureC, double humidityPct, double co2Ppm, int[] trayGrams) {}

    /** Event-sourced repository: one version list per grow room (the aggregate). */
    static final class SnapshotRepository {
        final Map<String, ArrayList<RoomSnapshot>> versions = new HashMap<>();
        long events;
        void load(RoomSnapshot initial) {
            ArrayList<RoomSnapshot> list = new ArrayList<>(4);
            list.add(initial);
            versions.put(initial.roomId(), list);
        }
        RoomSnapshot current(String roomId) {
            ArrayList<RoomSnapshot> list = versions.get(roomId);
            return list.get(list.size() - 1);
        }
        void save(RoomSnapshot next) {
            ArrayList<RoomSnapshot> list = versions.get(next.roomId());
            events++;
            if (FIXED) list.set(list.size() - 1, next); // replace the last snapshot (as designed)
            else list.add(next); // BUG: appends a full snapshot per event; nothing ever removes one
        }
    }

    static final class LabelCache extends LinkedHashMap<String, HarvestLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HarvestLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Farm> FARMS_BY_CODE = new HashMap<>();

    static final class GrowService {
        final Map<String, SpawnBatch> batches = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> sensorBuffers = new ArrayDeque<>();
        final SensorReading[] readings = new SensorReading[RING];
        long readingsWritten;
        final SnapshotRepository rooms = new SnapshotRepository();
    }

    static GrowService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val62.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(62_010_001);
        String[] farmCodes = new String[FARMS];
        for (int f = 0; f < FARMS; f++) {
            double[] yield = new double[64];
            for (int k = 0; k < yield.length; k++) yield[k] = rnd.nextDouble() * 400;
            farmCodes[f] = "FARM-" + (3_000 + f);
            FARMS_BY_CODE.put(farmCodes[f], new Farm(farmCodes[f], "Region " + (f % 40), yield));
        }
        GrowService svc = new GrowService();
        SERVICE = svc;
        String[] strains = {"Agaricus bisporus", "Pleurotus ostreatus", "Lentinula edodes", "Hericium erinaceus", "Flammulina velutipes", "Pleurotus eryngii"};
        String[] batchCodes = new String[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            batchCodes[b] = "SB" + (4_400_000 + b);
            svc.batches.put(batchCodes[b], new SpawnBatch(batchCodes[b], strains[b % strains.length], "Supplier " + (b % 25), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        String[] roomIds = new String[ROOMS];
        for (int r = 0; r < ROOMS; r++) {
            roomIds[r] = farmCodes[r % FARMS] + "/R" + (r / FARMS + 1) + "-" + r;
            int[] trays = new int[TRAYS];
            for (int k = 0; k < TRAYS; k++) trays[k] = rnd.nextInt(2_000);
            svc.rooms.load(new RoomSnapshot(roomIds[r], 0, start - (long) (1 + rnd.nextInt(30)) * 24 * HOUR, "COLONISATION", 22.0, 90.0, 5_000.0, trays));
        }
        for (int b = 0; b < POOL; b++) svc.sensorBuffers.add(new byte[32_768]);
        Random traffic = new Random(62_010_002);
        String[] phases = {"COLONISATION", "PINNING", "FRUITING", "FLUSH", "HARVEST"};
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String room = roomIds[traffic.nextInt(ROOMS)];
            RoomSnapshot cur = svc.rooms.current(room);
            int[] trays = cur.trayGrams().clone();
            trays[traffic.nextInt(TRAYS)] += traffic.nextInt(300);
            svc.rooms.save(new RoomSnapshot(room, cur.version() + 1, t, phases[traffic.nextInt(phases.length)], 14 + traffic.nextDouble() * 10, 80 + traffic.nextDouble() * 15, 800 + traffic.nextDouble() * 4_000, trays));
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new SensorReading(room, traffic.nextInt(6), traffic.nextDouble() * 100, t);
            if (i % 3 == 0) {
                String key = "label-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new HarvestLabel(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.sensorBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.sensorBuffers.add(buf);
        }
        long snapshots = 0;
        int longest = 0;
        for (ArrayList<RoomSnapshot> l : svc.rooms.versions.values()) { snapshots += l.size(); longest = Math.max(longest, l.size()); }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " farms " + FARMS_BY_CODE.size() + " batches " + svc.batches.size() + " rooms " + svc.rooms.versions.size() + " snapshots " + snapshots + " (longest list " + longest + ") events " + svc.rooms.events
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.sensorBuffers.size() + " readings " + svc.readingsWritten);
        check(FARMS_BY_CODE.size() == FARMS && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.rooms.versions.size() == ROOMS && svc.rooms.events == events, "repository aggregates");
        if (FIXED) check(snapshots == ROOMS, "one snapshot per room: " + snapshots);
        else check(snapshots == ROOMS + events, "every snapshot kept: " + snapshots);
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.sensorBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == events && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
