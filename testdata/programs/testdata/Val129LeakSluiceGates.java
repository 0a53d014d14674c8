// hprofscan-dump: name=val129-leak-sluicegates jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val129-leak-sluicegates-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 129 (written blind), LEAK: the control-room dashboard service of an internal
 * drainage board (sluice gates, pumping stations and river levels). The long-lived network model
 * (DrainageNetwork) announces its state through a java.beans.PropertyChangeSupport. The control
 * room shows 48 dashboard widgets (level charts, gate panels, pump tiles) that refresh on their own
 * cadence; each refresh renders into a new RenderState buffer and registers a new listener that
 * captures it with addPropertyChangeListener, and nothing removes the previous one: the widget set
 * is constant, the model's listener array grows by one per refresh. Also: gate and station reference
 * data, the telemetry-point directory, an LRU of rendered trend charts at its cap, a pool of frame
 * buffers, a ring of telemetry readings and the alarm queue with its normal backlog. 10 simulated
 * hours. See VALIDATION129.md.
 */
public final class Val129LeakSluiceGates {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STRUCTURES = 900, POINTS = 20_000, CHART_CAP = 1_500, POOL = 8, RING = 8_192, HOURS = 10, SCREENS = 6, READINGS_PER_MINUTE = 40,
            CHARTS_PER_MINUTE = 20, ALARM_LAG_MINUTES = 15;
    static final String[] KINDS = {"sluice", "tidal flap", "penstock", "pumping station", "weir gauge"};
    static final String[] DRAINS = {"Hundred Foot", "Forty Foot", "Sixteen Foot", "Middle Level", "Twenty Foot", "Counter Drain", "Old Bedford", "New Cut"};
    static boolean FIXED;

    record Structure(String id, String name, String kind, String drain, double[] levelByQuarterHour) {}
    record TelemetryPoint(String pointId, String structureId, String unit, byte[] calibration, long commissionedAt) {}
    record Reading(String pointId, double value, long at) {}
    record TrendChart(String key, byte[] svg, long renderedAt) {}
    record Alarm(String alarmId, String pointId, String text, long raisedAt) {}
    record NetworkState(long seq, int gatesOpen, int pumpsRunning, double maxLevelM, long at) {}

    static final Map<String, Structure> STRUCTURES_BY_ID = new HashMap<>();

    /** The long-lived model of the drainage network. */
    static final class DrainageNetwork {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        NetworkState state = new NetworkState(0, 0, 0, 0, 0);
        long published;
        void addPropertyChangeListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        void removePropertyChangeListener(PropertyChangeListener l) { changes.removePropertyChangeListener(l); }
        void publish(NetworkState s) {
            NetworkState old = state;
            state = s;
            published++;
            changes.firePropertyChange("state", old, s);
        }
        int listenerCount() { return changes.getPropertyChangeListeners().length; }
    }

    /** What one refresh of a widget rendered: the buffer the listener repaints into. */
    static final class RenderState {
        final long refreshedAt;
        final byte[] pixels;
        int repaints;
        RenderState(long refreshedAt, int size) { this.refreshedAt = refreshedAt; this.pixels = new byte[size]; }
    }

    /** Registered on every refresh; captures the widget and that refresh's render state. */
    static final class WidgetRefreshListener implements PropertyChangeListener {
        final Widget widget;
        final RenderState render;
        WidgetRefreshListener(Widget widget, RenderState render) { this.widget = widget; this.render = render; }
        @Override public void propertyChange(PropertyChangeEvent e) {
            NetworkState s = (NetworkState) e.getNewValue();
            render.repaints++;
            render.pixels[(int) (s.seq() % render.pixels.length)] = (byte) s.gatesOpen();
        }
    }

    static final class Widget {
        final String widgetId, kind, structureId;
        final int screen, periodSeconds, bufferBytes;
        RenderState current;
        WidgetRefreshListener listener;
        long refreshes;
        Widget(String widgetId, String kind, String structureId, int screen, int periodSeconds, int bufferBytes) {
            this.widgetId = widgetId; this.kind = kind; this.structureId = structureId; this.screen = screen; this.periodSeconds = periodSeconds; this.bufferBytes = bufferBytes;
        }
        void refresh(DrainageNetwork model, long t) {
            current = new RenderState(t, bufferBytes);
            if (FIXED && listener != null) model.removePropertyChangeListener(listener);
            listener = new WidgetRefreshListener(this, current);
            model.addPropertyChangeListener(listener); // BUG: the previous refresh's listener is never removed
            refreshes++;
        }
    }

    static final class ChartCache extends LinkedHashMap<String, TrendChart> {
        long evicted;
        ChartCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrendChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final class Historian implements PropertyChangeListener {
        final NetworkState[] last = new NetworkState[64];
        long events;
        @Override public void propertyChange(PropertyChangeEvent e) { last[(int) (events++ % last.length)] = (NetworkState) e.getNewValue(); }
    }

    static final class ControlRoom {
        final DrainageNetwork network = new DrainageNetwork();
        final Historian historian = new Historian();
        final Widget[] widgets = new Widget[SCREENS * 8];
        final Map<String, TelemetryPoint> points = new HashMap<>();
        final String[] pointIds = new String[POINTS];
        final String[] structureIds = new String[STRUCTURES];
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<Alarm> alarms = new ArrayDeque<>();
        long scadaUpdates, readingCount, chartRequests, chartsRendered, alarmsRaised, alarmsAcknowledged, pumpCommands;

        void chart(String key, Random r, long t) {
            chartRequests++;
            TrendChart c = charts.get(key);
            if (c == null) { charts.put(key, c = new TrendChart(key, new byte[500 + r.nextInt(600)], t)); chartsRendered++; }
            byte[] buf = frameBuffers.pollFirst();
            buf[(int) (t % buf.length)] = (byte) c.svg().length;
            frameBuffers.addLast(buf);
        }
    }

    static ControlRoom SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(129_030_001);
        ControlRoom room = new ControlRoom();
        SERVICE = room;
        for (int s = 0; s < STRUCTURES; s++) {
            double[] levels = new double[96];
            for (int j = 0; j < levels.length; j++) levels[j] = -1.5 + rnd.nextDouble() * 4;
            String id = "IDB-" + (600 + s * 7);
            room.structureIds[s] = id;
            String kind = KINDS[s % KINDS.length];
            STRUCTURES_BY_ID.put(id, new Structure(id, DRAINS[s % DRAINS.length] + " " + kind + " " + (s / DRAINS.length + 1), kind, DRAINS[s % DRAINS.length], levels));
        }
        for (int p = 0; p < POINTS; p++) {
            room.pointIds[p] = "TP-" + (2_400_000 + p * 9);
            room.points.put(room.pointIds[p], new TelemetryPoint(room.pointIds[p], room.structureIds[p % STRUCTURES], p % 3 == 0 ? "mAOD" : p % 3 == 1 ? "%open" : "A",
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) room.frameBuffers.addLast(new byte[32_768]);
        room.network.addPropertyChangeListener(room.historian);
        room.network.addPropertyChangeListener(e -> { if (((NetworkState) e.getNewValue()).maxLevelM() > 2.2) room.pumpCommands++; }); // pump scheduler
        room.network.addPropertyChangeListener(e -> room.scadaUpdates++); // SCADA bridge
        // 6 screens x (2 level charts every 30 s, 3 gate panels every 60 s, 3 pump tiles every 120 s)
        for (int sc = 0; sc < SCREENS; sc++) {
            for (int w = 0; w < 8; w++) {
                String kind = w < 2 ? "level-chart" : w < 5 ? "gate-panel" : "pump-tile";
                int period = w < 2 ? 30 : w < 5 ? 60 : 120, bytes = w < 2 ? 512 : w < 5 ? 320 : 160;
                room.widgets[sc * 8 + w] = new Widget("scr" + (sc + 1) + "-" + kind + "-" + (w + 1), kind, room.structureIds[rnd.nextInt(STRUCTURES)], sc, period, bytes);
            }
        }

        Random telemetry = new Random(129_030_002), charts = new Random(129_030_003), alarms = new Random(129_030_004);
        long seq = 0;
        int alarmSeq = 0;
        for (long t = start; t < end; t += 30 * SECOND) {
            long elapsed = (t - start) / SECOND;
            for (Widget w : room.widgets) if (elapsed % w.periodSeconds == 0) w.refresh(room.network, t);
            for (int k = 0; k < READINGS_PER_MINUTE / 2; k++) {
                Reading r = new Reading(room.pointIds[telemetry.nextInt(POINTS)], -1 + telemetry.nextDouble() * 4, t + k * 1_500L);
                room.readings[(int) (room.readingCount++ % RING)] = r;
                if (alarms.nextInt(40) == 0) {
                    room.alarms.addLast(new Alarm("AL" + (90_000 + alarmSeq++), r.pointId(), "High level at " + r.pointId() + ": " + Math.round(r.value() * 100) + " cm", r.at()));
                    room.alarmsRaised++;
                }
            }
            if (elapsed % 60 == 0) {
                room.network.publish(new NetworkState(++seq, 120 + telemetry.nextInt(60), 30 + telemetry.nextInt(40), 1 + telemetry.nextDouble() * 1.5, t));
                for (int k = 0; k < CHARTS_PER_MINUTE; k++) room.chart(room.structureIds[charts.nextInt(STRUCTURES)] + "/" + (charts.nextBoolean() ? "24h" : "7d"), charts, t + k * 2_000L);
            }
            while (!room.alarms.isEmpty() && room.alarms.peekFirst().raisedAt() <= t - ALARM_LAG_MINUTES * MINUTE) {
                room.alarms.pollFirst();
                room.alarmsAcknowledged++;
            }
        }
    }

    static void report() {
        ControlRoom room = SERVICE;
        long refreshes = 0;
        for (Widget w : room.widgets) refreshes += w.refreshes;
        int listeners = room.network.listenerCount();
        System.out.println((FIXED ? "FIXED " : "") + "structures " + STRUCTURES_BY_ID.size() + " points " + room.points.size() + " widgets " + room.widgets.length + " refreshes " + refreshes
                + " model listeners " + listeners + " (states published " + room.network.published + ", historian " + room.historian.events + ", pump commands " + room.pumpCommands
                + ") charts " + room.charts.size() + " (requests " + room.chartRequests + ", rendered " + room.chartsRendered + ", evicted " + room.charts.evicted + ") readings "
                + room.readingCount + " alarms backlog " + room.alarms.size() + " (raised " + room.alarmsRaised + ", acknowledged " + room.alarmsAcknowledged + ") pool " + room.frameBuffers.size());
        check(STRUCTURES_BY_ID.size() == STRUCTURES && room.points.size() == POINTS, "reference data / directory");
        check(refreshes == 30_600, "refreshes " + refreshes);
        check(listeners == (FIXED ? room.widgets.length : refreshes) + 3, "model listeners " + listeners);
        check(room.network.published == HOURS * 60 && room.historian.events == room.network.published, "model states");
        check(room.charts.size() == CHART_CAP && room.chartsRendered == room.charts.evicted + CHART_CAP && room.chartsRendered == 2_959, "chart cache at cap");
        check(room.frameBuffers.size() == POOL, "frame buffer pool");
        check(room.readingCount == (long) READINGS_PER_MINUTE * HOURS * 60 && room.readings[RING - 1] != null, "readings ring");
        check(room.alarms.size() == 10 && room.alarmsRaised == 562 && room.alarmsRaised == room.alarmsAcknowledged + room.alarms.size(), "alarm backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val129.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
