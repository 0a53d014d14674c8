// hprofscan-dump: name=val148-healthy-kitefestivals-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val148-healthy-kitefestivals-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val148-healthy-kitefestivals jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val148-healthy-kitefestivals-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 148 (written blind), HEALTHY: the scoring service of a kite-festival circuit.
 * Flying-field reference data, the pilot directory, a cache of rendered heat sheets at its cap, a
 * pool of banner-printer buffers, a ring of logged flights (filling in stage 1, wrapping later), a
 * live leaderboard bean (PropertyChangeSupport) whose spectator views register two listeners each
 * and remove them when they close, and a bounded ArrayBlockingQueue of judges' scores drained by a
 * live daemon tally thread that keeps up. Series 1 / 4 / 8 h: warms up, then flat.
 * See VALIDATION148.md.
 */
public final class Val148HealthyKiteFestivals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, VIEW_LIFETIME = 20 * MINUTE;
    static final int FIELDS = 1_000, PILOTS = 24_000, SHEET_CAP = 2_000, POOL = 8, FLIGHT_RING = 16_384, TEAMS = 300,
            VIEWS_PER_HOUR = 1_500, FLIGHTS_PER_HOUR = 4_200, QUEUE_CAP = 1_024;

    record FlyingField(String code, String county, double[] windProfile) {}
    record Pilot(String pilotId, String club, byte[] safetyRecord, long registeredAt) {}
    record HeatSheet(String key, byte[] rendered, long at) {}
    record Flight(String pilotId, String fieldCode, String discipline, long at, int durationSec) {}
    record JudgeScore(int team, String pilotId, double points, long at) {}

    static final class SpectatorView {
        final String viewId; final long openedAt; final byte[] layout; long lastTop; int updates;
        SpectatorView(String viewId, long openedAt, byte[] layout) { this.viewId = viewId; this.openedAt = openedAt; this.layout = layout; }
    }

    static final class ViewListener implements PropertyChangeListener {
        final SpectatorView view; final String property;
        ViewListener(SpectatorView view, String property) { this.view = view; this.property = property; }
        @Override public void propertyChange(PropertyChangeEvent ev) { view.updates++; if (ev.getNewValue() instanceof Long l) view.lastTop = l; }
    }

    /** Live leaderboard: views listen to "topScore" and "heatStatus". */
    static final class Leaderboard {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        long topScore; String heatStatus = "WAITING"; long heats;
        void heatFinished(long score, String status) {
            long old = topScore; topScore = score; changes.firePropertyChange("topScore", old, score);
            String o = heatStatus; heatStatus = status; changes.firePropertyChange("heatStatus", o, status);
            heats++;
        }
    }

    /** Bounded score queue with one live consumer. */
    static final class ScoreTally {
        final ArrayBlockingQueue<JudgeScore> queue = new ArrayBlockingQueue<>(QUEUE_CAP);
        final double[] standings = new double[TEAMS];
        final AtomicLong tallied = new AtomicLong();
        long submitted;
        void start() {
            Thread t = new Thread(() -> {
                while (true) {
                    JudgeScore s;
                    try { s = queue.take(); } catch (InterruptedException e) { return; }
                    synchronized (this) { standings[s.team()] += s.points(); }
                    tallied.incrementAndGet();
                }
            }, "score-tally");
            t.setDaemon(true);
            t.start();
        }
        void submit(JudgeScore s) throws InterruptedException { queue.put(s); submitted++; }
    }

    static final class SheetCache extends LinkedHashMap<String, HeatSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HeatSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FlyingField> FIELDS_BY_CODE = new HashMap<>();

    static final class FestivalService {
        final Map<String, Pilot> pilots = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> bannerBuffers = new ArrayDeque<>();
        final Flight[] flights = new Flight[FLIGHT_RING];
        long flightCount;
        final Leaderboard leaderboard = new Leaderboard();
        final Map<String, ViewListener[]> openViews = new HashMap<>();
        long viewsOpened, viewsClosed;
        final ScoreTally tally = new ScoreTally();

        void openView(SpectatorView v) {
            ViewListener a = new ViewListener(v, "topScore"), b = new ViewListener(v, "heatStatus");
            leaderboard.changes.addPropertyChangeListener("topScore", a);
            leaderboard.changes.addPropertyChangeListener("heatStatus", b);
            openViews.put(v.viewId, new ViewListener[] {a, b});
            viewsOpened++;
        }
        void closeView(String viewId) {
            ViewListener[] ls = openViews.remove(viewId);
            leaderboard.changes.removePropertyChangeListener("topScore", ls[0]);
            leaderboard.changes.removePropertyChangeListener("heatStatus", ls[1]);
            viewsClosed++;
        }
    }

    static FestivalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int views = VIEWS_PER_HOUR * hours, flights = FLIGHTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(148_050_001);
        String[] fieldCodes = new String[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            double[] wind = new double[64];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 25;
            String code = "FF-" + (2_000 + f);
            fieldCodes[f] = code;
            FIELDS_BY_CODE.put(code, new FlyingField(code, "County " + (f % 90), wind));
        }
        FestivalService svc = new FestivalService();
        SERVICE = svc;
        String[] pilotIds = new String[PILOTS];
        for (int p = 0; p < PILOTS; p++) {
            String id = "KP-" + (800_000 + p);
            pilotIds[p] = id;
            svc.pilots.put(id, new Pilot(id, "Club " + (p % 400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.bannerBuffers.add(new byte[32_768]);
        svc.tally.start();
        Random traffic = new Random(148_050_002);
        String[] disciplines = {"Ballet", "Precision", "Team ballet", "Quad line", "Fighter kites", "Power kite"};
        long viewEvery = HOUR / VIEWS_PER_HOUR;
        ArrayDeque<SpectatorView> openOrder = new ArrayDeque<>();
        int v = 0;
        long nextHeat = start + MINUTE;
        for (int i = 0; i < flights; i++) {
            long t = start + hours * HOUR * i / flights;
            while (v < views && start + v * viewEvery <= t) {
                long at = start + v * viewEvery;
                while (!openOrder.isEmpty() && openOrder.peekFirst().openedAt + VIEW_LIFETIME <= at) svc.closeView(openOrder.pollFirst().viewId);
                SpectatorView sv = new SpectatorView("spec-" + (4_400_000 + v), at, new byte[256 + traffic.nextInt(256)]);
                svc.openView(sv);
                openOrder.addLast(sv);
                v++;
            }
            while (nextHeat <= t) { svc.leaderboard.heatFinished(traffic.nextInt(100_000), traffic.nextInt(12) == 0 ? "PROTEST" : "FINAL"); nextHeat += MINUTE; }
            String pilot = pilotIds[traffic.nextInt(PILOTS)];
            svc.flights[(int) (svc.flightCount++ % FLIGHT_RING)] = new Flight(pilot, fieldCodes[traffic.nextInt(FIELDS)], disciplines[i % disciplines.length], t, 60 + traffic.nextInt(240));
            String key = "heat-" + traffic.nextInt(4_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new HeatSheet(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % 2 == 0) {
                svc.tally.submit(new JudgeScore((i / 2) % TEAMS, pilot, traffic.nextDouble() * 10, t + 30_000 > end ? t : t + 30_000));
                byte[] buf = svc.bannerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.bannerBuffers.add(buf);
            }
        }
        while (!openOrder.isEmpty() && openOrder.peekFirst().openedAt + VIEW_LIFETIME <= end) svc.closeView(openOrder.pollFirst().viewId);
        openOrder = null;
        while (svc.tally.tallied.get() < svc.tally.submitted) Thread.sleep(1); // the tally keeps up; let it finish the last few
        int topListeners = svc.leaderboard.changes.getPropertyChangeListeners("topScore").length;
        int statusListeners = svc.leaderboard.changes.getPropertyChangeListeners("heatStatus").length;
        System.out.println("stage " + stage + " fields " + FIELDS_BY_CODE.size() + " pilots " + svc.pilots.size() + " views opened " + svc.viewsOpened + " closed " + svc.viewsClosed + " open " + svc.openViews.size()
                + " listeners " + topListeners + "/" + statusListeners + " heats " + svc.leaderboard.heats + " scores " + svc.tally.submitted + " tallied " + svc.tally.tallied.get()
                + " queued " + svc.tally.queue.size() + " flights " + svc.flightCount + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.bannerBuffers.size());
        check(FIELDS_BY_CODE.size() == FIELDS && svc.pilots.size() == PILOTS, "reference data / directory");
        check(svc.viewsOpened == views && svc.openViews.size() == 499 && topListeners == 499 && statusListeners == 499, "open views and their listeners");
        check(svc.leaderboard.heats == hours * 60L - 1, "heats");
        check(svc.tally.submitted == flights / 2 && svc.tally.tallied.get() == flights / 2 && svc.tally.queue.isEmpty(), "score queue drained");
        check(svc.flightCount == flights && (stage == 1 ? svc.flights[FLIGHT_RING - 1] == null : svc.flights[FLIGHT_RING - 1] != null), "flight ring");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "heat-sheet cache at cap");
        check(svc.bannerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
