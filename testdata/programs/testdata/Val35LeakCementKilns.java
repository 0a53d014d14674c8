// hprofscan-dump: name=val35-leak-cementkilns jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val35-leak-cementkilns-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 35 (written blind), LEAK: the process-monitoring service of a cement works with
 * 8 kilns. Raw-mix recipe reference data, the spare-parts directory, a cache of rendered shift
 * reports at its cap, a ring of alarms, a pool of Modbus frame buffers, a plant-wide stack-emissions
 * window (an ArrayDeque capped correctly), and per kiln a rolling window of the last 600 sensor
 * readings (50 minutes) for the burning-zone chart. The window is "trimmed" by re-assigning a
 * view: window = window.subList(size - 600, size). The view's size() stays 600, but every view
 * is backed by the original ArrayList, which keeps every reading ever added, and wraps the previous
 * view (its parent), so each kiln's window pins every reading since start. See VALIDATION35.md.
 */
public final class Val35LeakCementKilns {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, READING_EVERY = 5_000L;
    static final int KILNS = 8, RECIPES = 1_000, PARTS = 24_000, REPORT_CAP = 2_000, POOL = 8, RING = 2_048, WINDOW = 600, EMISSIONS_CAP = 720, HOURS = 10;
    static boolean FIXED;

    record RawMix(String code, String quarry, double[] oxideTargets) {}
    record SparePart(String partNumber, String kilnSection, String supplier, byte[] maintenanceRecord, long stockedAt) {}
    record Reading(String kilnId, long at, double burningZoneC, double o2Pct, double coPpm, int feedTph, byte[] frame) {}
    record StackSample(long at, double noxMgNm3, double dustMgNm3) {}
    record Alarm(String kilnId, String code, long at) {}
    record ShiftReport(String key, byte[] rendered, long at) {}

    static final class KilnMonitor {
        final String kilnId;
        List<Reading> window = new ArrayList<>();
        long readings, trims;
        double rollingAvgC;
        KilnMonitor(String kilnId) { this.kilnId = kilnId; }
        void add(Reading r) {
            window.add(r);
            readings++;
            int n = window.size();
            if (n > WINDOW) {
                trims++;
                if (FIXED) window.subList(0, n - WINDOW).clear(); // the fix: remove the oldest from the list itself
                else window = window.subList(n - WINDOW, n); // BUG: a view of the whole history, wrapping the previous view
            }
        }
        void updateAverage() {
            double s = 0;
            for (int i = 0; i < window.size(); i++) s += window.get(i).burningZoneC();
            rollingAvgC = s / window.size();
        }
    }

    static final class ReportCache extends LinkedHashMap<String, ShiftReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShiftReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RawMix> RAW_MIXES_BY_CODE = new HashMap<>();

    static final class PlantService {
        final Map<String, SparePart> parts = new HashMap<>();
        final KilnMonitor[] kilns = new KilnMonitor[KILNS];
        final ArrayDeque<StackSample> emissions = new ArrayDeque<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> modbusBuffers = new ArrayDeque<>();
        final Alarm[] alarms = new Alarm[RING];
        long alarmCount, stackSamples;
    }

    static PlantService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val35.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(35_040_001);
        for (int m = 0; m < RECIPES; m++) {
            double[] oxides = new double[64];
            for (int k = 0; k < oxides.length; k++) oxides[k] = rnd.nextDouble() * 70;
            String code = "MIX-" + (700 + m);
            RAW_MIXES_BY_CODE.put(code, new RawMix(code, "Quarry " + (m % 6), oxides));
        }
        PlantService svc = new PlantService();
        SERVICE = svc;
        String[] sections = {"preheater", "calciner", "burner", "tyre-1", "tyre-2", "cooler", "mill", "fan"};
        for (int p = 0; p < PARTS; p++) {
            String pn = "SP-" + (300_000 + p * 3);
            svc.parts.put(pn, new SparePart(pn, sections[p % sections.length], "Supplier " + rnd.nextInt(140), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int k = 0; k < KILNS; k++) svc.kilns[k] = new KilnMonitor("KILN-" + (k + 1));
        for (int b = 0; b < POOL; b++) svc.modbusBuffers.add(new byte[32_768]);
        Random sensors = new Random(35_040_002);
        Random traffic = new Random(35_040_003);
        String[] alarmCodes = {"BZT_HIGH", "O2_LOW", "CO_SPIKE", "FEED_TRIP", "FAN_VIB"};
        long ticks = HOURS * HOUR / READING_EVERY; // 7,200 readings per kiln
        for (long tick = 0; tick < ticks; tick++) {
            long t = start + tick * READING_EVERY;
            for (KilnMonitor kiln : svc.kilns) {
                Reading r = new Reading(kiln.kilnId, t, 1_380 + sensors.nextGaussian() * 40, 1.5 + sensors.nextDouble() * 2, sensors.nextDouble() * 600, 180 + sensors.nextInt(40), new byte[24 + sensors.nextInt(24)]);
                byte[] buf = svc.modbusBuffers.poll();
                buf[(int) (tick % buf.length)] = (byte) tick;
                svc.modbusBuffers.add(buf);
                kiln.add(r);
                if (r.burningZoneC() > 1_460 || r.coPpm() > 590) svc.alarms[(int) (svc.alarmCount++ % RING)] = new Alarm(kiln.kilnId, alarmCodes[sensors.nextInt(alarmCodes.length)], t);
                if (tick % 12 == 0) kiln.updateAverage();
            }
            svc.emissions.addLast(new StackSample(t, 150 + sensors.nextDouble() * 200, sensors.nextDouble() * 20));
            svc.stackSamples++;
            if (svc.emissions.size() > EMISSIONS_CAP) svc.emissions.removeFirst();
            if (tick % 2 == 0) {
                String key = "shift-" + traffic.nextInt(4_000);
                if (svc.reports.get(key) == null) svc.reports.put(key, new ShiftReport(key, new byte[500 + traffic.nextInt(500)], t));
            }
            if (tick % 3 == 0) svc.alarms[(int) (svc.alarmCount++ % RING)] = new Alarm(svc.kilns[traffic.nextInt(KILNS)].kilnId, "OPERATOR_NOTE", t);
        }
        StringBuilder per = new StringBuilder();
        for (KilnMonitor k : svc.kilns) {
            per.append(' ').append(k.window.size());
            check(k.readings == ticks && k.window.size() == WINDOW && k.trims == ticks - WINDOW, "window of " + k.kilnId);
            check(k.window.get(WINDOW - 1).at() == start + (ticks - 1) * READING_EVERY, "newest reading of " + k.kilnId);
            check(FIXED ? k.window instanceof ArrayList : !(k.window instanceof ArrayList), "window type");
        }
        System.out.println((FIXED ? "FIXED " : "") + "recipes " + RAW_MIXES_BY_CODE.size() + " parts " + svc.parts.size() + " readings per kiln " + ticks + " window sizes" + per + " window class " + svc.kilns[0].window.getClass().getName()
                + " emissions " + svc.emissions.size() + " (of " + svc.stackSamples + ") reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.modbusBuffers.size() + " alarms " + svc.alarmCount);
        check(RAW_MIXES_BY_CODE.size() == RECIPES && svc.parts.size() == PARTS, "reference data / directory");
        check(svc.emissions.size() == EMISSIONS_CAP, "emissions window");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.modbusBuffers.size() == POOL, "pool");
        check(svc.alarmCount > RING, "alarm ring wrapping");
        LeakCheck.histogram("java.util.ArrayList");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
