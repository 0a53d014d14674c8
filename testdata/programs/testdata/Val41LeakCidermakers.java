// hprofscan-dump: name=val41-leak-cidermakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val41-leak-cidermakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 41 (written blind), LEAK: the cellar-monitoring service of a cider cooperative
 * (40 cider houses x 24 fermentation tanks). Apple-variety reference data, the grower directory, an
 * LRU of rendered bottle labels at its cap, a pool of pump-controller buffers, a ring of shipments.
 * Every tank is a live Tank object holding its own small collections: the last 24 temperature
 * samples (an ArrayDeque trimmed with pollFirst: capped), the latest alarm per alarm type (a map
 * whose values are replaced), the current batch (replaced), and the last 12 specific-gravity
 * readings for the fermentation chart, "trimmed" with gravityReadings = gravityReadings.subList(
 * size - 12, size): a view, whose backing ArrayList keeps every reading ever added (and every add
 * nests one more SubList view). No single list is big; across the 960 tanks they are the leak.
 * See VALIDATION41.md.
 */
public final class Val41LeakCidermakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VARIETIES = 800, GROWERS = 20_000, HOUSES = 40, TANKS_PER_HOUSE = 24, TANKS = HOUSES * TANKS_PER_HOUSE;
    static final int LABEL_CAP = 1_500, POOL = 8, RING = 2_048, HOURS = 10, KEEP_READINGS = 12, KEEP_TEMPS = 24;
    static final String[] ALARMS = {"over-temp", "under-temp", "stuck-ferment", "co2-high", "level-low", "probe-fault"};
    static boolean FIXED;

    record AppleVariety(String code, String name, double[] sugarByWeek) {}
    record Grower(String id, String farm, byte[] contract, long since) {}
    record BottleLabel(String key, byte[] rendered, long at) {}
    record Shipment(String shipmentId, String house, int cases, long shippedAt) {}
    record GravityReading(long takenAt, double specificGravity, double tempC, float ph, byte[] rawFrame) {}
    record TempSample(long takenAt, double tempC, byte[] probeFrame) {}
    record Alarm(String type, String message, long raisedAt) {}
    record Batch(String batchId, String varietyCode, String growerId, int litres, long pitchedAt) {}

    static final class Tank {
        final String tankId;
        final int intervalMinutes, phase;
        Batch currentBatch;
        List<GravityReading> gravityReadings = new ArrayList<>();
        final ArrayDeque<TempSample> temperatures = new ArrayDeque<>();
        final Map<String, Alarm> latestAlarmByType = new HashMap<>();
        int readingsTaken;

        Tank(String tankId, int intervalMinutes, int phase) { this.tankId = tankId; this.intervalMinutes = intervalMinutes; this.phase = phase; }

        void addReading(GravityReading r) {
            gravityReadings.add(r);
            readingsTaken++;
            int n = gravityReadings.size();
            if (n > KEEP_READINGS) {
                if (FIXED) {
                    gravityReadings.subList(0, n - KEEP_READINGS).clear();
                } else {
                    // BUG: keeps a view of the last 12; the backing list keeps everything
                    gravityReadings = gravityReadings.subList(n - KEEP_READINGS, n);
                }
            }
        }

        void addTemperature(TempSample s) {
            temperatures.addLast(s);
            if (temperatures.size() > KEEP_TEMPS) temperatures.pollFirst();
        }
    }

    static final class LabelCache extends LinkedHashMap<String, BottleLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BottleLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, AppleVariety> VARIETIES_BY_CODE = new HashMap<>();

    static final class CellarService {
        final Map<String, Grower> growers = new HashMap<>();
        final Map<String, Tank> tanks = new LinkedHashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> pumpBuffers = new ArrayDeque<>();
        final Shipment[] shipments = new Shipment[RING];
        long shipmentsWritten;
    }

    static CellarService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val41.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(41_020_001);
        String[] varietyCodes = new String[VARIETIES];
        for (int v = 0; v < VARIETIES; v++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = 80 + rnd.nextDouble() * 90;
            varietyCodes[v] = "AV-" + (500 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new AppleVariety(varietyCodes[v], "Variety " + v, s));
        }
        CellarService svc = new CellarService();
        SERVICE = svc;
        String[] growerIds = new String[GROWERS];
        for (int g = 0; g < GROWERS; g++) {
            growerIds[g] = "GR-" + (40_000 + g * 3);
            svc.growers.put(growerIds[g], new Grower(growerIds[g], "Farm " + g, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pumpBuffers.add(new byte[32_768]);
        for (int h = 0; h < HOUSES; h++) {
            for (int t = 0; t < TANKS_PER_HOUSE; t++) {
                String id = "CH" + (10 + h) + "-T" + (t < 9 ? "0" : "") + (t + 1);
                Tank tank = new Tank(id, 12 + rnd.nextInt(9), rnd.nextInt(12));
                tank.currentBatch = new Batch("B-" + id + "-0", varietyCodes[rnd.nextInt(VARIETIES)], growerIds[rnd.nextInt(GROWERS)], 2_000 + rnd.nextInt(8_000), start - (long) (1 + rnd.nextInt(20)) * DAY);
                svc.tanks.put(id, tank);
            }
        }

        Random traffic = new Random(41_020_002);
        Tank[] tanks = svc.tanks.values().toArray(new Tank[0]);
        long readings = 0, temps = 0, alarms = 0, batches = 0, shipped = 0;
        int m = 0;
        for (long minute = start; minute < end; minute += MINUTE, m++) {
            for (Tank tank : tanks) {
                if (m % tank.intervalMinutes == tank.phase % tank.intervalMinutes) {
                    long at = minute + traffic.nextInt(60_000);
                    tank.addReading(new GravityReading(at, 1.000 + traffic.nextDouble() * 0.06, 10 + traffic.nextDouble() * 8, 3.2f + traffic.nextFloat(), new byte[96 + traffic.nextInt(96)]));
                    readings++;
                }
                if (m % 5 == tank.phase % 5) {
                    tank.addTemperature(new TempSample(minute + traffic.nextInt(60_000), 10 + traffic.nextDouble() * 8, new byte[32 + traffic.nextInt(32)]));
                    temps++;
                }
                if (traffic.nextInt(400) == 0) {
                    String type = ALARMS[traffic.nextInt(ALARMS.length)];
                    tank.latestAlarmByType.put(type, new Alarm(type, tank.tankId + " " + type, minute + traffic.nextInt(60_000)));
                    alarms++;
                }
                if (traffic.nextInt(3_000) == 0) {
                    tank.currentBatch = new Batch("B-" + tank.tankId + "-" + (++batches), varietyCodes[traffic.nextInt(VARIETIES)], growerIds[traffic.nextInt(GROWERS)], 2_000 + traffic.nextInt(8_000), minute);
                }
            }
            int sh = 2 + traffic.nextInt(8);
            for (int k = 0; k < sh; k++) {
                long at = minute + traffic.nextInt(60_000);
                String house = "CH" + (10 + traffic.nextInt(HOUSES));
                svc.shipments[(int) (svc.shipmentsWritten++ % RING)] = new Shipment("SH-" + (900_000 + shipped++), house, 20 + traffic.nextInt(400), at);
                byte[] buf = svc.pumpBuffers.poll();
                buf[(int) (shipped % buf.length)] = (byte) shipped;
                svc.pumpBuffers.add(buf);
                String labelKey = house + "/" + varietyCodes[traffic.nextInt(VARIETIES)] + "/" + (2024 + traffic.nextInt(2));
                if (svc.labels.get(labelKey) == null) svc.labels.put(labelKey, new BottleLabel(labelKey, new byte[400 + traffic.nextInt(400)], at));
            }
        }
        tanks = null;
        long visible = 0, backing = 0, tempsHeld = 0, alarmsHeld = 0, minTaken = Long.MAX_VALUE, maxTaken = 0, overKeep = 0;
        for (Tank t : svc.tanks.values()) {
            visible += t.gravityReadings.size();
            backing += t.readingsTaken;
            minTaken = Math.min(minTaken, t.readingsTaken);
            maxTaken = Math.max(maxTaken, t.readingsTaken);
            tempsHeld += t.temperatures.size();
            alarmsHeld += t.latestAlarmByType.size();
            if (t.readingsTaken > KEEP_READINGS) overKeep++;
            check(FIXED ? t.gravityReadings.getClass() == ArrayList.class : t.gravityReadings.getClass() != ArrayList.class, "list class of " + t.tankId);
        }
        System.out.println((FIXED ? "FIXED " : "") + "varieties " + VARIETIES_BY_CODE.size() + " growers " + svc.growers.size() + " tanks " + svc.tanks.size() + " readings " + readings + " visible " + visible
                + " per-tank taken " + minTaken + ".." + maxTaken + " temps " + temps + " held " + tempsHeld + " alarms " + alarms + " held " + alarmsHeld + " new batches " + batches
                + " shipments " + shipped + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.pumpBuffers.size());
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.growers.size() == GROWERS && svc.tanks.size() == TANKS, "reference data / directory / tanks");
        check(readings == EXPECTED_READINGS && backing == readings && overKeep == TANKS && visible == (long) TANKS * KEEP_READINGS, "readings");
        check(temps == EXPECTED_TEMPS && tempsHeld == (long) TANKS * KEEP_TEMPS, "temperatures");
        check(alarms == EXPECTED_ALARMS && alarmsHeld == EXPECTED_ALARMS_HELD && batches == EXPECTED_BATCHES, "alarms / batches");
        check(shipped == EXPECTED_SHIPMENTS && svc.shipmentsWritten == shipped && svc.shipments[RING - 1] != null, "shipments");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == EXPECTED_LABELS_EVICTED && svc.pumpBuffers.size() == POOL, "labels / pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_READINGS = 36_811, EXPECTED_TEMPS = 115_200, EXPECTED_ALARMS = 1_472, EXPECTED_ALARMS_HELD = 1_300, EXPECTED_BATCHES = 187;
    static final long EXPECTED_SHIPMENTS = 3_271, EXPECTED_LABELS_EVICTED = 1_709;
}
