// hprofscan-dump: name=val120-leak-flightstrips jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val120-leak-flightstrips-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 120 (written blind), LEAK: the electronic flight-strip system of an area control
 * centre. Navigation-fix reference data, the filed flight plans, an LRU of decoded weather
 * briefings at its cap, a pool of strip-printer buffers, a ring of radar track updates and an
 * outbound coordination queue with a normal backlog. Every controller position opens a
 * StripBoardView when a controller takes it over; the view subscribes an anonymous TrackListener on
 * the centre-wide RadarEventBus (to repaint its strips) and close() never unsubscribes it, so the
 * listener's this$0 keeps every closed view with its board model and strip rows.
 * See VALIDATION120.md.
 */
public final class Val120LeakFlightStrips {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FIXES = 1_200, PLANS = 20_000, BRIEF_CAP = 2_000, POOL = 8, RING = 8_192, SECTORS = 30, HOURS = 10, TRACKS_PER_MINUTE = 60;
    static final String[] LEVELS = {"FL240", "FL260", "FL280", "FL300", "FL320", "FL340", "FL360", "FL380", "FL400"};
    static boolean FIXED;

    record Fix(String ident, double lat, double lon, double[] windsByLevel) {}
    record FlightPlan(String planId, String callsign, String adep, String ades, String route, byte[] icaoMessage, long eobt) {}
    record Briefing(String key, byte[] decoded, long at) {}
    record TrackUpdate(String callsign, int sector, double lat, double lon, int flightLevel, long at) {}
    record CoordinationMessage(String type, String callsign, String fromSector, String toUnit, byte[] body, long at) {}

    interface TrackListener { void onTrack(TrackUpdate u); }

    /** Centre-wide bus of radar track updates; one instance for the life of the service. */
    static final class RadarEventBus {
        final List<TrackListener> listeners = new ArrayList<>();
        long published, delivered;
        void subscribe(TrackListener l) { listeners.add(l); }
        void unsubscribe(TrackListener l) { listeners.remove(l); }
        void publish(TrackUpdate u) {
            published++;
            for (int i = 0; i < listeners.size(); i++) { listeners.get(i).onTrack(u); delivered++; }
        }
    }

    static final class StripRow {
        final String callsign; final String planId; String clearedLevel; String annotation; final byte[] cells; int lastFl; long updatedAt;
        StripRow(String callsign, String planId, String clearedLevel, String annotation, byte[] cells) { this.callsign = callsign; this.planId = planId; this.clearedLevel = clearedLevel; this.annotation = annotation; this.cells = cells; }
    }

    static final class BoardModel {
        final String sector; final List<StripRow> rows = new ArrayList<>(); final Map<String, StripRow> byCallsign = new HashMap<>();
        BoardModel(String sector) { this.sector = sector; }
        void add(StripRow row) { rows.add(row); byCallsign.put(row.callsign, row); }
    }

    /** One controller's strip board at one position, from takeover to handover. */
    static final class StripBoardView {
        final long viewId; final String position; final String controller; final long openedAt; final BoardModel model; final byte[] layout;
        TrackListener listener; long closedAt; int repaints; boolean closed;
        StripBoardView(long viewId, String position, String controller, long openedAt, BoardModel model, byte[] layout) { this.viewId = viewId; this.position = position; this.controller = controller; this.openedAt = openedAt; this.model = model; this.layout = layout; }

        void open(RadarEventBus bus) {
            listener = new TrackListener() {
                @Override public void onTrack(TrackUpdate u) {
                    StripRow row = model.byCallsign.get(u.callsign());
                    if (row != null) { row.lastFl = u.flightLevel(); row.updatedAt = u.at(); repaints++; }
                }
            };
            bus.subscribe(listener);
        }

        void close(RadarEventBus bus, long t) {
            closed = true;
            closedAt = t;
            if (FIXED) bus.unsubscribe(listener);
        }
    }

    /** Medium-term conflict probe: a permanent subscriber. */
    static final class ConflictProbe implements TrackListener {
        final Map<String, Integer> lastLevel = new HashMap<>(); long checks;
        @Override public void onTrack(TrackUpdate u) { checks++; lastLevel.put(u.callsign(), u.flightLevel()); }
    }

    static final class SectorLoadMonitor implements TrackListener {
        final int[] updatesBySector = new int[SECTORS];
        @Override public void onTrack(TrackUpdate u) { updatesBySector[u.sector()]++; }
    }

    static final class BriefingCache extends LinkedHashMap<String, Briefing> {
        long evicted;
        BriefingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Briefing> e) { if (size() > BRIEF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fix> FIXES_BY_IDENT = new HashMap<>();

    static final class StripService {
        final RadarEventBus bus = new RadarEventBus();
        final ConflictProbe probe = new ConflictProbe();
        final SectorLoadMonitor load = new SectorLoadMonitor();
        final Map<String, FlightPlan> plans = new HashMap<>();
        final FlightPlan[] planList = new FlightPlan[PLANS];
        final BriefingCache briefings = new BriefingCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final TrackUpdate[] tracks = new TrackUpdate[RING];
        final ArrayDeque<CoordinationMessage> coordination = new ArrayDeque<>();
        final Map<String, StripBoardView> openViews = new HashMap<>(); // by position
        long closedRows, trackCount, viewsOpened, viewsClosed, stripsPrinted, coordinationQueued, coordinationSent, viewSeq = 40_000;

        StripService() { bus.subscribe(probe); bus.subscribe(load); bus.subscribe(u -> { if (u.flightLevel() < 0) throw new IllegalStateException(); }); }

        void takeOver(String position, int sector, Random r, long t) {
            StripBoardView old = openViews.remove(position);
            if (old != null) { old.close(bus, t); viewsClosed++; closedRows += old.model.rows.size(); }
            BoardModel model = new BoardModel("S" + sector);
            int strips = 25 + r.nextInt(36);
            for (int k = 0; k < strips; k++) {
                FlightPlan p = planList[r.nextInt(PLANS)];
                if (model.byCallsign.containsKey(p.callsign())) continue;
                String level = LEVELS[r.nextInt(LEVELS.length)];
                model.add(new StripRow(p.callsign(), p.planId(), level, "DCT " + p.ades() + " " + level + " SQ" + (1_000 + r.nextInt(6_000)), new byte[96 + r.nextInt(128)]));
            }
            StripBoardView view = new StripBoardView(viewSeq++, position, "ATCO-" + (3_000 + r.nextInt(400)), t, model, new byte[1_024 + r.nextInt(1_024)]);
            view.open(bus);
            openViews.put(position, view);
            viewsOpened++;
            byte[] buf = printerBuffers.poll();
            buf[(int) (view.viewId % buf.length)] = (byte) strips;
            printerBuffers.add(buf);
            stripsPrinted += model.rows.size();
        }

        void track(Random r, long t) {
            FlightPlan p = planList[r.nextInt(PLANS)];
            int sector = r.nextInt(SECTORS);
            TrackUpdate u = new TrackUpdate(p.callsign(), sector, 48 + r.nextDouble() * 8, -6 + r.nextDouble() * 10, 200 + r.nextInt(210), t);
            tracks[(int) (trackCount++ % RING)] = u;
            bus.publish(u);
        }

        void brief(Random r, long t) {
            String key = "metar-taf-" + r.nextInt(5_000);
            if (briefings.get(key) == null) briefings.put(key, new Briefing(key, new byte[400 + r.nextInt(400)], t));
        }

        void coordinate(Random r, long t) {
            FlightPlan p = planList[r.nextInt(PLANS)];
            coordination.addLast(new CoordinationMessage(r.nextBoolean() ? "ACT" : "ABI", p.callsign(), "S" + r.nextInt(SECTORS), "ACC-" + (char) ('A' + r.nextInt(6)), new byte[120 + r.nextInt(120)], t));
            coordinationQueued++;
        }

        void flushCoordination(long t) {
            while (!coordination.isEmpty() && coordination.peekFirst().at() <= t - 2 * MINUTE) { coordination.pollFirst(); coordinationSent++; }
        }
    }

    static StripService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(120_010_001);
        for (int f = 0; f < FIXES; f++) {
            double[] winds = new double[64];
            for (int k = 0; k < winds.length; k++) winds[k] = rnd.nextDouble() * 160;
            String ident = "" + (char) ('A' + f % 26) + (char) ('A' + f / 26 % 26) + (char) ('K' + f % 7) + (char) ('M' + f / 182 % 13) + (char) ('O' + f % 11);
            FIXES_BY_IDENT.put(ident + f, new Fix(ident + f, 44 + rnd.nextDouble() * 14, -10 + rnd.nextDouble() * 20, winds));
        }
        StripService svc = new StripService();
        SERVICE = svc;
        String[] airlines = {"BAW", "EZY", "RYR", "DLH", "AFR", "KLM", "VLG", "SAS", "TAP", "IBE", "EIN", "AUA"};
        String[] aerodromes = {"EGLL", "EGKK", "EGSS", "EGCC", "EHAM", "EDDF", "LFPG", "LEMD", "LIRF", "EIDW", "EKCH", "LPPT", "ESSA", "LOWW"};
        for (int i = 0; i < PLANS; i++) {
            String id = "FPL" + (5_200_000 + i * 7);
            String callsign = airlines[i % airlines.length] + (100 + i / airlines.length);
            String adep = aerodromes[rnd.nextInt(aerodromes.length)], ades = aerodromes[rnd.nextInt(aerodromes.length)];
            String route = adep + " DCT FIX" + rnd.nextInt(FIXES) + " UL9 FIX" + rnd.nextInt(FIXES) + " UN14 FIX" + rnd.nextInt(FIXES) + " DCT " + ades;
            FlightPlan p = new FlightPlan(id, callsign, adep, ades, route, new byte[150 + rnd.nextInt(150)], now - (long) rnd.nextInt(12 * 60) * MINUTE);
            svc.plans.put(id, p);
            svc.planList[i] = p;
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(120_010_002), shifts = new Random(120_010_003);
        String[] positions = new String[SECTORS * 2];
        long[] sessionEnd = new long[positions.length];
        for (int s = 0; s < SECTORS; s++) { positions[2 * s] = "S" + s + "-EXEC"; positions[2 * s + 1] = "S" + s + "-PLAN"; }
        for (int p = 0; p < positions.length; p++) {
            svc.takeOver(positions[p], p / 2, shifts, start);
            sessionEnd[p] = start + (1 + shifts.nextInt(100)) * MINUTE; // the shift began before the simulated period
        }
        int minutes = (int) (HOURS * 60);
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int p = 0; p < positions.length; p++) {
                if (sessionEnd[p] <= t) { svc.takeOver(positions[p], p / 2, shifts, t); sessionEnd[p] = t + (40 + shifts.nextInt(61)) * MINUTE; }
            }
            for (int k = 0; k < TRACKS_PER_MINUTE; k++) svc.track(traffic, t + k * 1_000L);
            for (int k = 0; k < 5; k++) svc.brief(traffic, t);
            for (int k = 0; k < 8; k++) svc.coordinate(traffic, t + k * 7_000L);
            if (m % 5 == 4) svc.flushCoordination(t);
        }
    }

    static String report() {
        StripService svc = SERVICE;
        int openRows = 0;
        for (StripBoardView v : svc.openViews.values()) openRows += v.model.rows.size();
        int listeners = svc.bus.listeners.size();
        return (FIXED ? "FIXED " : "") + "fixes " + FIXES_BY_IDENT.size() + " plans " + svc.plans.size() + " views opened " + svc.viewsOpened + " closed " + svc.viewsClosed + " (" + svc.closedRows + " rows) open " + svc.openViews.size()
                + " (" + openRows + " rows) listeners " + listeners + " tracks " + svc.trackCount + " probe callsigns " + svc.probe.lastLevel.size() + " delivered " + svc.bus.delivered + " strips " + svc.stripsPrinted
                + " briefings " + svc.briefings.size() + " (evicted " + svc.briefings.evicted + ") pool " + svc.printerBuffers.size() + " coordination " + svc.coordinationQueued + "/" + svc.coordinationSent + " backlog " + svc.coordination.size();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val120.fixed");
        simulate();
        System.out.println(report());
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void verify() {
        StripService svc = SERVICE;
        check(FIXES_BY_IDENT.size() == FIXES && svc.plans.size() == PLANS, "reference data / directory");
        check(svc.openViews.size() == SECTORS * 2, "one open view per position");
        check(svc.bus.listeners.size() == 3 + (FIXED ? SECTORS * 2 : svc.viewsOpened), "listeners");
        check(svc.briefings.size() == BRIEF_CAP && svc.briefings.evicted > 0, "briefing cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.tracks[RING - 1] != null, "ring");
        expect(svc.viewsOpened, 576, "views opened");
        expect(svc.viewsClosed, 516, "views closed");
        expect(svc.closedRows, 21_924, "strip rows of the closed views");
        expect(svc.bus.listeners.size(), FIXED ? 63 : 579, "bus listeners");
        expect(svc.trackCount, 36_000, "track updates");
        expect(svc.probe.lastLevel.size(), 16_657, "callsigns known to the conflict probe");
        expect(svc.stripsPrinted, 24_463, "strips printed");
        expect(svc.briefings.evicted, 284, "briefings evicted");
        expect(svc.coordination.size(), 23, "coordination backlog");
    }
}
