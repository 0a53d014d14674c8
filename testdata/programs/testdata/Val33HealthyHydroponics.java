// hprofscan-dump: name=val33-healthy-hydroponics-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val33-healthy-hydroponics-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val33-healthy-hydroponics jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val33-healthy-hydroponics-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 33 (written blind), HEALTHY: the control service of a vertical hydroponic farm.
 * Crop-recipe reference data, the grow-tray directory, one telemetry batch per rack controller (a
 * StringBuilder shipped and cleared at 4 KB, as configured), the farm settings with a
 * PropertyChangeSupport whose listeners are the zone view models of the operator consoles that are
 * open (removed at logout), a cache of rendered growth charts capped by weight (compressed charts
 * weigh their deflated bytes), a ring of climate alarms and a pool of image buffers. Series
 * 1 / 4 / 8 h: warms up (the alarm ring fills), then flat. See VALIDATION33.md.
 */
public final class Val33HealthyHydroponics {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CROPS = 1_400, TRAYS = 24_000, RACKS = 320, POOL = 8, ALARM_RING = 8_192, ALARMS_PER_HOUR = 6_000, CHART_REQUESTS_PER_HOUR = 3_000;
    static final int FLUSH_KB = 4, INITIAL_BATCH = 4_608, COMPRESS_ABOVE = 8 * 1024;
    static final long CHART_CACHE_BYTES = 4L << 20;

    record Crop(String code, String variety, double[] nutrientCurve) {}
    record Tray(String trayId, String cropCode, String rack, byte[] plantingRecord, long plantedAt) {}
    record ClimateAlarm(String rack, String kind, int value, long at) {}

    /** One telemetry batch per rack controller, shipped and cleared at the threshold. */
    static final class RackBatch {
        final String controllerId;
        final StringBuilder lines = new StringBuilder(INITIAL_BATCH);
        int readings; long shipped;
        RackBatch(String controllerId) { this.controllerId = controllerId; }
    }

    static final class Uplink {
        final long threshold = FLUSH_KB * 1024L;
        final Map<String, RackBatch> batches = new HashMap<>();
        long shippedBatches, shippedChars, appendedChars;
        void append(RackBatch b, String line) {
            b.lines.append(line); b.readings++; appendedChars += line.length();
            if (b.lines.length() >= threshold) { shippedChars += b.lines.toString().length(); shippedBatches++; b.shipped++; b.lines.setLength(0); b.readings = 0; }
        }
    }

    static final class FarmSettings {
        private final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        int photoperiodHours = 16; double targetEc = 1.8; long fired;
        void addPropertyChangeListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        void removePropertyChangeListener(PropertyChangeListener l) { changes.removePropertyChangeListener(l); }
        int listenerCount() { return changes.getPropertyChangeListeners().length; }
        void setTargetEc(double ec) { double old = targetEc; targetEc = ec; fired++; changes.firePropertyChange("targetEc", old, ec); }
    }

    static final class ZoneViewModel implements PropertyChangeListener {
        final ConsoleSession session; final String zone; final byte[] renderedDashboard; boolean stale;
        ZoneViewModel(ConsoleSession session, String zone, byte[] renderedDashboard) { this.session = session; this.zone = zone; this.renderedDashboard = renderedDashboard; }
        @Override public void propertyChange(PropertyChangeEvent e) { stale = true; }
    }

    static final class IrrigationPolicy implements PropertyChangeListener { long seen; @Override public void propertyChange(PropertyChangeEvent e) { seen++; } }

    static final class ConsoleSession {
        final String id, operator; final long openedAt, closesAt; final List<ZoneViewModel> views = new ArrayList<>(3);
        ConsoleSession(String id, String operator, long openedAt, long closesAt) { this.id = id; this.operator = operator; this.openedAt = openedAt; this.closesAt = closesAt; }
    }

    static final class GrowthChart {
        final String key; final byte[] raw, deflated; final long at;
        GrowthChart(String key, byte[] raw, byte[] deflated, long at) { this.key = key; this.raw = raw; this.deflated = deflated; this.at = at; }
    }

    /** An access-ordered LRU bounded by total weight; a chart weighs the bytes it holds. */
    static final class ChartCache {
        static final class Weighed { final GrowthChart chart; final int weight; Weighed(GrowthChart chart, int weight) { this.chart = chart; this.weight = weight; } }
        final LinkedHashMap<String, Weighed> entries = new LinkedHashMap<>(2_048, 0.75f, true);
        long totalWeight, evictions;
        static int weigh(GrowthChart c) { return c.raw != null ? c.raw.length : c.deflated.length; }
        GrowthChart get(String key) { Weighed w = entries.get(key); return w == null ? null : w.chart; }
        void put(String key, GrowthChart c) {
            Weighed w = new Weighed(c, weigh(c));
            Weighed old = entries.put(key, w);
            if (old != null) totalWeight -= old.weight;
            totalWeight += w.weight;
            for (Iterator<Weighed> it = entries.values().iterator(); totalWeight > CHART_CACHE_BYTES && it.hasNext(); ) {
                Weighed e = it.next();
                if (e.weight == 0) continue;
                it.remove(); totalWeight -= e.weight; evictions++;
            }
        }
    }

    /** Hand-rolled ring of the newest climate alarms. */
    static final class AlarmRing {
        final ClimateAlarm[] items = new ClimateAlarm[ALARM_RING];
        int head, size; long written;
        void add(ClimateAlarm a) { items[(head + size) % items.length] = a; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final Map<String, Crop> CROPS_BY_CODE = new HashMap<>();

    static final class FarmService {
        final Map<String, Tray> trays = new HashMap<>();
        final Uplink uplink = new Uplink();
        final FarmSettings settings = new FarmSettings();
        final Map<String, ConsoleSession> consoles = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final AlarmRing alarms = new AlarmRing();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        long sessionsOpened, sessionsClosed;
        void closeConsole(ConsoleSession s) {
            consoles.remove(s.id);
            for (ZoneViewModel vm : s.views) settings.removePropertyChangeListener(vm);
            sessionsClosed++;
        }
    }

    static FarmService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(33_050_001);
        String[] varieties = {"butterhead", "basil", "kale", "microgreens", "strawberry", "arugula", "pak choi"};
        String[] cropCodes = new String[CROPS];
        for (int c = 0; c < CROPS; c++) {
            double[] curve = new double[72];
            for (int k = 0; k < curve.length; k++) curve[k] = 0.8 + rnd.nextDouble() * 2;
            cropCodes[c] = "CR-" + (1_000 + c);
            CROPS_BY_CODE.put(cropCodes[c], new Crop(cropCodes[c], varieties[c % varieties.length], curve));
        }
        FarmService svc = new FarmService();
        SERVICE = svc;
        IrrigationPolicy irrigation = new IrrigationPolicy();
        svc.settings.addPropertyChangeListener(irrigation);
        for (int t = 0; t < TRAYS; t++) {
            String id = "TR-" + (t / 100) + "-" + (t % 100);
            svc.trays.put(id, new Tray(id, cropCodes[rnd.nextInt(CROPS)], "R" + (t % RACKS), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        RackBatch[] racks = new RackBatch[RACKS];
        int[] interval = new int[RACKS], phase = new int[RACKS];
        for (int r = 0; r < RACKS; r++) {
            racks[r] = new RackBatch("RC-" + (20_000 + r));
            interval[r] = 20 + rnd.nextInt(40);
            phase[r] = rnd.nextInt(interval[r]);
            svc.uplink.batches.put(racks[r].controllerId, racks[r]);
        }
        Random traffic = new Random(33_050_002);
        Random consoles = new Random(33_050_003);
        Random alarms = new Random(33_050_004);
        PriorityQueue<ConsoleSession> byClose = new PriorityQueue<>((a, b) -> Long.compare(a.closesAt, b.closesAt));
        String[] kinds = {"HUMIDITY_HIGH", "CO2_LOW", "EC_DRIFT", "PH_DRIFT", "LIGHT_FAULT", "PUMP_PRESSURE"};
        int lastSecond = hours * 3_600 - 60;
        long alarmsDue = (long) ALARMS_PER_HOUR * hours, chartsDue = (long) CHART_REQUESTS_PER_HOUR * hours;
        long alarmsWritten = 0, chartRequests = 0, lines = 0;
        int maxOpen = 0;
        for (int sec = 0; sec < lastSecond; sec++) {
            long t = start + sec * 1_000L;
            while (!byClose.isEmpty() && byClose.peek().closesAt <= t) svc.closeConsole(byClose.poll());
            if (sec % 120 == 0) { // an operator opens a console every 2 minutes, for 10-49 minutes
                ConsoleSession s = new ConsoleSession("con-" + Integer.toHexString(0x3300 + sec / 120), "op" + consoles.nextInt(40), t, t + (10 + consoles.nextInt(40)) * MINUTE);
                int views = 2 + consoles.nextInt(2);
                for (int v = 0; v < views; v++) {
                    ZoneViewModel vm = new ZoneViewModel(s, "Z" + consoles.nextInt(24), new byte[600 + consoles.nextInt(1_000)]);
                    s.views.add(vm);
                    svc.settings.addPropertyChangeListener(vm);
                }
                svc.consoles.put(s.id, s);
                byClose.add(s);
                svc.sessionsOpened++;
                maxOpen = Math.max(maxOpen, svc.consoles.size());
            }
            if (sec % 3_600 == 1_800) svc.settings.setTargetEc(1.6 + (sec / 3_600 % 4) * 0.1);
            for (int r = 0; r < RACKS; r++) {
                if ((sec + phase[r]) % interval[r] != 0) continue;
                int temp = 180 + traffic.nextInt(80), rh = 55 + traffic.nextInt(30), ec = 12 + traffic.nextInt(10);
                svc.uplink.append(racks[r], t + "," + racks[r].controllerId + ",t=" + temp + ",rh=" + rh + ",ec=" + ec + ",ph=" + (55 + traffic.nextInt(10)) + "\n");
                lines++;
            }
            // alarms and chart requests, spread evenly over the period
            while (alarmsWritten < alarmsDue && alarmsWritten * lastSecond / alarmsDue <= sec) {
                svc.alarms.add(new ClimateAlarm("R" + alarms.nextInt(RACKS), kinds[alarms.nextInt(kinds.length)], alarms.nextInt(1_000), t));
                alarmsWritten++;
            }
            while (chartRequests < chartsDue && chartRequests * lastSecond / chartsDue <= sec) {
                String key = "chart-" + traffic.nextInt(10_000);
                if (svc.charts.get(key) == null) {
                    int raw = 2_048 + traffic.nextInt(10_240);
                    byte[] img = svc.imageBuffers.poll();
                    img[raw % img.length] = (byte) raw;
                    svc.imageBuffers.add(img);
                    svc.charts.put(key, raw > COMPRESS_ABOVE ? new GrowthChart(key, null, new byte[raw * 45 / 100], t) : new GrowthChart(key, new byte[raw], null, t));
                }
                chartRequests++;
            }
        }
        int openViews = 0, compressed = 0;
        for (ConsoleSession s : svc.consoles.values()) openViews += s.views.size();
        for (ChartCache.Weighed w : svc.charts.entries.values()) if (w.chart.raw == null) compressed++;
        long buffered = 0; int maxBatch = 0;
        for (RackBatch b : racks) { buffered += b.lines.length(); maxBatch = Math.max(maxBatch, b.lines.length()); }
        Uplink u = svc.uplink;
        System.out.println("stage " + stage + " crops " + CROPS_BY_CODE.size() + " trays " + svc.trays.size() + " racks " + u.batches.size() + " lines " + lines + " shipped batches " + u.shippedBatches + " buffered chars " + buffered + " (max " + maxBatch + ")"
                + " consoles opened " + svc.sessionsOpened + " open " + svc.consoles.size() + " (max " + maxOpen + ") open views " + openViews + " settings listeners " + svc.settings.listenerCount() + " (changes " + svc.settings.fired + ")"
                + " charts " + svc.charts.entries.size() + " weight " + svc.charts.totalWeight + " compressed " + compressed + " evictions " + svc.charts.evictions
                + " alarms " + svc.alarms.size + " (written " + svc.alarms.written + ", head " + svc.alarms.head + ") pool " + svc.imageBuffers.size());
        check(CROPS_BY_CODE.size() == CROPS && svc.trays.size() == TRAYS && u.batches.size() == RACKS, "reference data / directory / racks");
        check(u.shippedBatches > 0 && maxBatch < u.threshold && u.appendedChars == u.shippedChars + buffered, "batches shipped at the threshold");
        check(svc.settings.listenerCount() == 1 + openViews && svc.consoles.size() == byClose.size(), "only open consoles listen");
        check(svc.charts.totalWeight <= CHART_CACHE_BYTES && svc.charts.totalWeight > CHART_CACHE_BYTES - 12_288 && svc.charts.evictions > 0, "chart cache at its weight cap");
        check(svc.alarms.written == alarmsDue && svc.alarms.size == Math.min(alarmsDue, ALARM_RING), "alarm ring");
        check(svc.imageBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
