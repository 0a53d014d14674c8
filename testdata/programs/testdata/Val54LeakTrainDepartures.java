// hprofscan-dump: name=val54-leak-traindepartures-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val54-leak-traindepartures-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val54-leak-traindepartures jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val54-leak-traindepartures-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 54 (written blind), LEAK: the live departure-board service of a regional rail
 * operator. Station reference data, the train-service directory, a cache of rendered board pages
 * at its cap, a pool of render buffers, a ring of recent train movements, the directory of open
 * board sessions, and a DepartureFeed (an in-process event source living as long as the service)
 * on which every client session (a station screen, a web page, a phone app) registers a listener.
 * When a session ends it is removed from the session directory, but its listener is never removed
 * from the feed: the feed's listener list keeps every session ever opened (with its render
 * buffer). See VALIDATION54.md.
 */
public final class Val54LeakTrainDepartures {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_200, TRAINS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Station(String code, String name, double[] hourlyDepartures) {}
    record TrainService(String trainId, String originCode, String operator, byte[] consist, long timetabledSince) {}
    record BoardPage(String key, byte[] rendered, long at) {}
    record Movement(String trainId, String stationCode, int delaySeconds, long at) {}
    record DepartureUpdate(long seq, String trainId, String stationCode, int platform, int delaySeconds, long at) {}

    interface DepartureListener { void onUpdate(DepartureUpdate u); }

    /** One client's open board: a station screen, a web page or an app view. */
    static final class BoardSession {
        final String sessionId, stationCode, client;
        final long openedAt, endsAt;
        final byte[] renderState;
        long updatesSeen, lastUpdateAt;
        DepartureListener listener;
        BoardSession(String sessionId, String stationCode, String client, long openedAt, long endsAt, byte[] renderState) {
            this.sessionId = sessionId; this.stationCode = stationCode; this.client = client;
            this.openedAt = openedAt; this.endsAt = endsAt; this.renderState = renderState;
        }
        void onUpdate(DepartureUpdate u) {
            updatesSeen++;
            if (u.stationCode().equals(stationCode)) { lastUpdateAt = u.at(); renderState[(int) (u.seq() % renderState.length)] = (byte) u.platform(); }
        }
    }

    /** The long-lived event source. */
    static final class DepartureFeed {
        final List<DepartureListener> listeners = new ArrayList<>();
        long published, delivered;
        void addListener(DepartureListener l) { listeners.add(l); }
        void removeListener(DepartureListener l) { listeners.remove(l); }
        void publish(DepartureUpdate u) {
            published++;
            for (DepartureListener l : listeners) { l.onUpdate(u); delivered++; }
        }
    }

    static final class PageCache extends LinkedHashMap<String, BoardPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BoardPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class BoardService {
        final Map<String, TrainService> trains = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Movement[] movements = new Movement[RING];
        long movementCount;
        final Map<String, BoardSession> sessions = new HashMap<>();
        final DepartureFeed feed = new DepartureFeed();
        long opened, closed;

        void open(BoardSession s) {
            sessions.put(s.sessionId, s);
            s.listener = s::onUpdate;
            feed.addListener(s.listener);
            opened++;
        }
        void close(BoardSession s) {
            sessions.remove(s.sessionId);
            closed++;
            if (FIXED) feed.removeListener(s.listener);
            // BUG: the listener stays registered on the feed, and it holds the session
        }
    }

    static BoardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val54.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(54_010_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] hourly = new double[64];
            for (int k = 0; k < hourly.length; k++) hourly[k] = rnd.nextDouble() * 30;
            String code = "ST" + (4_000 + s);
            stationCodes[s] = code;
            STATIONS_BY_CODE.put(code, new Station(code, "Halt " + s, hourly));
        }
        BoardService svc = new BoardService();
        SERVICE = svc;
        String[] trainIds = new String[TRAINS];
        String[] operators = {"Northern Link", "Coastal Rail", "Valley Lines", "Metro Express"};
        for (int t = 0; t < TRAINS; t++) {
            String id = "2K" + (10_000 + t);
            trainIds[t] = id;
            svc.trains.put(id, new TrainService(id, stationCodes[rnd.nextInt(STATIONS)], operators[t % operators.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_010_002);
        String[] clients = {"SCREEN", "WEB", "APP-IOS", "APP-ANDROID"};
        PriorityQueue<BoardSession> open = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (!open.isEmpty() && open.peek().endsAt <= t) svc.close(open.poll());
            String trainId = trainIds[traffic.nextInt(TRAINS)];
            String station = stationCodes[traffic.nextInt(STATIONS)];
            int delay = traffic.nextInt(600);
            svc.movements[(int) (svc.movementCount++ % RING)] = new Movement(trainId, station, delay, t);
            String key = "board-" + stationCodes[traffic.nextInt(STATIONS)] + "-" + traffic.nextInt(5);
            if (svc.pages.get(key) == null) svc.pages.put(key, new BoardPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
            if (i % 5 == 0) svc.feed.publish(new DepartureUpdate(i, trainId, station, 1 + traffic.nextInt(12), delay, t));
            if (i % 2 == 0) {
                long ends = t + (5 + traffic.nextInt(30)) * MINUTE;
                BoardSession s = new BoardSession("bs-" + Long.toString(77_000_000L + i, 36), stationCodes[traffic.nextInt(STATIONS)], clients[traffic.nextInt(clients.length)], t, ends, new byte[200 + traffic.nextInt(200)]);
                svc.open(s);
                open.add(s);
            }
        }
        while (!open.isEmpty() && open.peek().endsAt <= end) svc.close(open.poll());
        int sessions = events / 2;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stations " + STATIONS_BY_CODE.size() + " trains " + svc.trains.size() + " sessions opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.sessions.size() + " listeners " + svc.feed.listeners.size() + " published " + svc.feed.published + " delivered " + svc.feed.delivered
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.renderBuffers.size() + " movements " + svc.movementCount);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.trains.size() == TRAINS, "reference data / directory");
        check(svc.opened == sessions && svc.closed + svc.sessions.size() == sessions && svc.sessions.size() == open.size(), "sessions");
        check(svc.sessions.size() > 100 && svc.sessions.size() < 1_000, "open sessions: " + svc.sessions.size());
        if (FIXED) check(svc.feed.listeners.size() == svc.sessions.size(), "listeners of open sessions");
        else check(svc.feed.listeners.size() == sessions, "listeners of every session ever opened: " + svc.feed.listeners.size());
        check(svc.feed.published == (events + 4) / 5, "feed traffic");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.movementCount == events && svc.movements[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
