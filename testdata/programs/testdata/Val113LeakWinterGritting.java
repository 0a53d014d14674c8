// hprofscan-dump: name=val113-leak-wintergritting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val113-leak-wintergritting-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Validation set 113 (written blind), LEAK: the winter-maintenance service of a county council
 * (gritter fleet tracking, road treatment records and the public "where are the gritters" live
 * map). Salt depot reference data, the road-segment directory, a map-tile cache at its cap, a pool
 * of PNG buffers, a ring of gritter positions, a queue of treatment confirmations with a normal
 * backlog, and the fleet event bus (a map from event type to a concurrent set of subscribers).
 * Every visitor's live-map session subscribes a lambda (capturing the session and the visitor's
 * view request) to the bus's FleetPositions subscribers; the session sweeper expires and closes
 * idle sessions but never unsubscribes the lambda. See VALIDATION113.md.
 */
public final class Val113LeakWinterGritting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEPOTS = 900, ROADS = 20_000, ROUTES = 64, TILE_CAP = 2_000, POOL = 8, RING = 8_192, GRITTERS = 140,
            SESSIONS_PER_HOUR = 1_600, TRAIL = 12, HOURS = 10, CONFIRM_AFTER_MIN = 30;
    static final String[] AGENTS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/122.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Version/17.3 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 Chrome/121.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/122.0 Safari/537.36"};
    static final String[] REFERRERS = {"https://www.google.com/", "https://www.facebook.com/", "https://t.co/", "direct",
        "https://www.bbc.co.uk/news/", "https://council.example.gov.uk/roads/winter"};
    static boolean FIXED;

    record Depot(String code, String name, double[] saltTonnesByWeek) {}
    record RoadSegment(String usrn, String name, String routeCode, int priority, byte[] geometry, long surveyedAt) {}
    record MapTile(String key, byte[] png, long renderedAt) {}
    record GritterPosition(String vehicle, String usrn, int latE5, int lonE5, int spreadGm2, long at) {}
    record TreatmentConfirmation(long id, String vehicle, String routeCode, long finishedAt, double tonnes) {}

    interface FleetEvent { long at(); }
    record FleetPositions(long at, GritterPosition[] moved) implements FleetEvent {}
    record RouteTreated(long at, String routeCode, String vehicle, double tonnes) implements FleetEvent {}

    /** What the visitor's browser asked for when it opened the live map. */
    record ViewRequest(String visitorId, int minLat, int minLon, int maxLat, int maxLon, String userAgent, String referrer, long at) {
        boolean contains(GritterPosition p) {
            return p.latE5() >= minLat && p.latE5() <= maxLat && p.lonE5() >= minLon && p.lonE5() <= maxLon;
        }
    }

    /** One visitor's live-map session: the gritters in view, as a trail, pushed as small frames. */
    static final class MapSession {
        final String sessionId; final ViewRequest request; final long openedAt, expiresAt;
        final byte[] frame; final ArrayDeque<GritterPosition> trail = new ArrayDeque<>(TRAIL);
        long framesPushed; boolean closed; Consumer<FleetEvent> subscription;
        MapSession(String sessionId, ViewRequest request, long openedAt, long expiresAt, byte[] frame) {
            this.sessionId = sessionId; this.request = request; this.openedAt = openedAt; this.expiresAt = expiresAt; this.frame = frame;
        }
        void onPositions(FleetPositions e, ViewRequest view) {
            if (closed) return;
            for (GritterPosition p : e.moved()) {
                if (!view.contains(p)) continue;
                if (trail.size() == TRAIL) trail.removeFirst();
                trail.addLast(p);
                frame[(int) (framesPushed++ % frame.length)] = (byte) p.spreadGm2();
            }
        }
        void close() { closed = true; }
    }

    /** The fleet event bus: subscribers by event type. */
    static final class FleetEventBus {
        final Map<Class<? extends FleetEvent>, Set<Consumer<FleetEvent>>> subscribers = new ConcurrentHashMap<>();
        long published, delivered;
        void subscribe(Class<? extends FleetEvent> type, Consumer<FleetEvent> c) {
            subscribers.computeIfAbsent(type, k -> ConcurrentHashMap.newKeySet()).add(c);
        }
        void unsubscribe(Class<? extends FleetEvent> type, Consumer<FleetEvent> c) {
            Set<Consumer<FleetEvent>> s = subscribers.get(type);
            if (s != null) s.remove(c);
        }
        void publish(FleetEvent e) {
            published++;
            Set<Consumer<FleetEvent>> s = subscribers.get(e.getClass());
            if (s == null) return;
            for (Consumer<FleetEvent> c : s) { c.accept(e); delivered++; }
        }
        int count(Class<? extends FleetEvent> type) {
            Set<Consumer<FleetEvent>> s = subscribers.get(type);
            return s == null ? 0 : s.size();
        }
    }

    /** The control room's wall display: long-lived subscriber of both event types. */
    static final class OpsConsole implements Consumer<FleetEvent> {
        final Map<String, GritterPosition> lastByVehicle = new HashMap<>();
        long routesTreated;
        @Override public void accept(FleetEvent e) {
            if (e instanceof FleetPositions fp) { for (GritterPosition p : fp.moved()) lastByVehicle.put(p.vehicle(), p); }
            else routesTreated++;
        }
    }

    /** Posts "route treated" notices to the council's social accounts; keeps the last 20 posts. */
    static final class SocialPoster implements Consumer<FleetEvent> {
        final ArrayDeque<String> lastPosts = new ArrayDeque<>();
        @Override public void accept(FleetEvent e) {
            RouteTreated r = (RouteTreated) e;
            lastPosts.addLast("Route " + r.routeCode() + " has been treated (" + String.format("%.1f", r.tonnes()) + " t of salt). Take care on untreated roads.");
            if (lastPosts.size() > 20) lastPosts.removeFirst();
        }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class WinterService {
        final Map<String, RoadSegment> roads = new HashMap<>();
        final String[] usrns = new String[ROADS];
        final String[] vehicles = new String[GRITTERS];
        final String[] routeCodes = new String[ROUTES];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> pngBuffers = new ArrayDeque<>();
        final GritterPosition[] positions = new GritterPosition[RING];
        final ArrayDeque<TreatmentConfirmation> confirmations = new ArrayDeque<>();
        final Map<String, MapSession> sessions = new LinkedHashMap<>();
        final FleetEventBus bus = new FleetEventBus();
        final OpsConsole console = new OpsConsole();
        final SocialPoster poster = new SocialPoster();
        final Consumer<FleetEvent> recorder = this::record;
        long positionCount, sessionsOpened, sessionsExpired, confirmationsQueued, confirmationsFiled, tileRequests;

        void openSession(Random r, long t) {
            String visitor = "v-" + Long.toHexString(0x3c00_0000_0000L + r.nextInt(1 << 30));
            int cLat = 5_030_000 + r.nextInt(80_000), cLon = -290_000 + r.nextInt(180_000);
            int hLat = 2_000 + r.nextInt(10_000), hLon = 3_000 + r.nextInt(15_000);
            ViewRequest req = new ViewRequest(visitor, cLat - hLat, cLon - hLon, cLat + hLat, cLon + hLon, AGENTS[r.nextInt(AGENTS.length)], REFERRERS[r.nextInt(REFERRERS.length)], t);
            String id = "ms-" + Long.toHexString(0x7a10_0000L + sessionsOpened++) + "-" + Integer.toHexString(r.nextInt(1 << 20));
            MapSession s = new MapSession(id, req, t, t + (3 + r.nextInt(18)) * MINUTE, new byte[256 + r.nextInt(256)]);
            Consumer<FleetEvent> onPositions = e -> s.onPositions((FleetPositions) e, req);
            bus.subscribe(FleetPositions.class, onPositions);
            s.subscription = onPositions;
            sessions.put(id, s);
        }

        void sweep(long t) {
            for (Iterator<MapSession> it = sessions.values().iterator(); it.hasNext(); ) {
                MapSession s = it.next();
                if (s.expiresAt > t) continue;
                it.remove();
                s.close();
                if (FIXED) bus.unsubscribe(FleetPositions.class, s.subscription);
                sessionsExpired++;
            }
        }

        void fleetMinute(Random r, long t) {
            List<GritterPosition> moved = new ArrayList<>(GRITTERS);
            for (int g = 0; g < GRITTERS; g++) {
                if (r.nextInt(10) >= 7) continue;
                GritterPosition p = new GritterPosition(vehicles[g], usrns[r.nextInt(ROADS)], 5_030_000 + r.nextInt(80_000), -290_000 + r.nextInt(180_000), 8 + r.nextInt(33), t);
                positions[(int) (positionCount++ % RING)] = p;
                moved.add(p);
            }
            bus.publish(new FleetPositions(t, moved.toArray(new GritterPosition[0])));
        }

        void routeFinished(Random r, long t) {
            String route = routeCodes[r.nextInt(ROUTES)], vehicle = vehicles[r.nextInt(GRITTERS)];
            bus.publish(new RouteTreated(t, route, vehicle, 4 + r.nextInt(80) / 10.0));
        }

        /** The treatment recorder: queues a confirmation for the highways records, filed after 30 minutes. */
        void record(FleetEvent e) {
            RouteTreated r = (RouteTreated) e;
            confirmations.addLast(new TreatmentConfirmation(8_800_000L + confirmationsQueued++, r.vehicle(), r.routeCode(), r.at(), r.tonnes()));
        }

        void fileConfirmations(long t) {
            while (!confirmations.isEmpty() && confirmations.peekFirst().finishedAt() + CONFIRM_AFTER_MIN * MINUTE <= t) { confirmations.removeFirst(); confirmationsFiled++; }
        }

        void tile(Random r, long t) {
            tileRequests++;
            String key = "z" + (9 + r.nextInt(6)) + "/" + r.nextInt(90) + "/" + r.nextInt(70);
            if (tiles.get(key) == null) {
                byte[] buf = pngBuffers.poll();
                buf[(int) (tileRequests % buf.length)] = (byte) key.length();
                pngBuffers.add(buf);
                tiles.put(key, new MapTile(key, new byte[400 + r.nextInt(400)], t));
            }
        }
    }

    static WinterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(113_010_001);
        for (int d = 0; d < DEPOTS; d++) {
            double[] salt = new double[52];
            for (int k = 0; k < salt.length; k++) salt[k] = rnd.nextDouble() * 900;
            String code = "SD" + (4_100 + d * 3);
            DEPOTS_BY_CODE.put(code, new Depot(code, "Depot " + (d % 150) + " barn " + (d / 150), salt));
        }
        WinterService svc = new WinterService();
        SERVICE = svc;
        for (int k = 0; k < ROUTES; k++) svc.routeCodes[k] = (k < 24 ? "P1-" : k < 48 ? "P2-" : "P3-") + (100 + k);
        for (int g = 0; g < GRITTERS; g++) svc.vehicles[g] = "GR" + (10 + g % 14) + " " + (char) ('A' + g % 26) + (char) ('K' + g % 13) + (char) ('S' + g % 7) + "-" + (300 + g);
        for (int i = 0; i < ROADS; i++) {
            String usrn = Integer.toString(30_000_000 + i * 7);
            svc.usrns[i] = usrn;
            svc.roads.put(usrn, new RoadSegment(usrn, (i % 3 == 0 ? "B" : "C") + (1_000 + i % 3_000) + " section " + (i % 40), svc.routeCodes[rnd.nextInt(ROUTES)], 1 + rnd.nextInt(3),
                    new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pngBuffers.add(new byte[32_768]);
        svc.bus.subscribe(FleetPositions.class, svc.console);
        svc.bus.subscribe(RouteTreated.class, svc.console);
        svc.bus.subscribe(RouteTreated.class, svc.poster);
        svc.bus.subscribe(RouteTreated.class, svc.recorder);
        Random visitors = new Random(113_010_002), fleet = new Random(113_010_003), web = new Random(113_010_004);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            int open = (int) (((long) (m + 1) * SESSIONS_PER_HOUR) / 60 - ((long) m * SESSIONS_PER_HOUR) / 60);
            for (int k = 0; k < open; k++) svc.openSession(visitors, t);
            svc.fleetMinute(fleet, t);
            if (m % 6 == 5) svc.routeFinished(fleet, t);
            for (int k = 0; k < 40; k++) svc.tile(web, t);
            svc.fileConfirmations(t);
            svc.sweep(t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val113.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        WinterService svc = SERVICE;
        int live = svc.sessions.size();
        int subscribers = svc.bus.count(FleetPositions.class);
        long trailed = 0;
        for (Consumer<FleetEvent> c : svc.bus.subscribers.get(FleetPositions.class)) if (c != svc.console) trailed++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " roads " + svc.roads.size() + " positions " + svc.positionCount + " published " + svc.bus.published
                + " sessions opened " + svc.sessionsOpened + " expired " + svc.sessionsExpired + " live " + live + " position subscribers " + subscribers + " (session lambdas " + trailed + ")"
                + " route subscribers " + svc.bus.count(RouteTreated.class) + " confirmations " + svc.confirmationsQueued + " filed " + svc.confirmationsFiled + " backlog " + svc.confirmations.size()
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.pngBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.roads.size() == ROADS, "reference data / directory");
        check(svc.sessionsOpened == (long) SESSIONS_PER_HOUR * HOURS && svc.sessionsExpired + live == svc.sessionsOpened, "sessions");
        check(live > 100 && live < 600, "live sessions: " + live);
        if (FIXED) check(subscribers == live + 1, "subscribers = live sessions + console");
        else check(subscribers == svc.sessionsOpened + 1, "subscribers = every session ever opened + console");
        check(svc.bus.count(RouteTreated.class) == 3, "route subscribers");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.pngBuffers.size() == POOL, "pool");
        check(svc.positions[RING - 1] != null && svc.positionCount > RING, "ring");
        check(svc.confirmationsQueued == HOURS * 10 && !svc.confirmations.isEmpty(), "confirmations");
    }
}
