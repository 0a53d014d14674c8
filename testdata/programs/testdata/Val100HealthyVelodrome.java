// hprofscan-dump: name=val100-healthy-velodrome-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val100-healthy-velodrome-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val100-healthy-velodrome jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val100-healthy-velodrome-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 100 (written blind), HEALTHY: the timing and live-results service of an indoor
 * velodrome (track-cycling meetings, season tickets). Rider reference data, the season-ticket
 * directory, a cache of rendered heat sheets at its cap, a pool of print buffers, a ring of lap
 * splits (filling in stage 1, wrapping from stage 2), a metrics registry of latency timers named
 * after route templates (one per endpoint, each with a long[48] histogram), a websocket hub with a
 * push thread per connected client (16 trackside displays, always connected, and the spectator
 * apps of the current session; a disconnecting client's thread gets a close frame and ends), and a
 * results feed to the cycling federation over one ObjectOutputStream that is reset after every
 * drain. Series 1 / 4 / 8 h: warms up in stage 1, flat from stage 2. See VALIDATION100.md.
 */
public final class Val100HealthyVelodrome {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 30_000L;
    static final int RIDERS = 1_500, TICKETS = 25_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, SPLITS_PER_TICK = 50, DISPLAYS = 16, SPECTATORS_PER_HOUR = 40, KEEP_BATCHES = 8, BUCKETS = 48;

    record Rider(String licence, String team, double[] powerProfile) {}
    record SeasonTicket(String number, String holder, byte[] seatHistory, long since) {}
    record HeatSheet(String key, byte[] rendered, long at) {}
    record LapSplit(String licence, String heatId, int lap, int millis, long at) implements Serializable {}
    record Frame(String kind, long at, byte[] payload) {}

    static final Frame CLOSE = new Frame("close", 0L, new byte[0]);

    static final class Timer {
        final String name;
        long count, totalMicros, maxMicros, firstAt, lastAt;
        final long[] buckets = new long[BUCKETS];
        Timer(String name) { this.name = name; }
        void record(long micros, long at) {
            if (count == 0) firstAt = at;
            lastAt = at; count++; totalMicros += micros; if (micros > maxMicros) maxMicros = micros;
            buckets[Math.min(BUCKETS - 1, (int) (4 * Math.log(1 + micros / 1000.0) / Math.log(2)))]++;
        }
    }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        Timer timer(String name) { return timers.computeIfAbsent(name, Timer::new); }
    }

    static final class BoardSession {
        final long sessionId; final String client; final long connectedAt; final boolean display;
        final LinkedBlockingQueue<Frame> outbound = new LinkedBlockingQueue<>();
        final byte[] sendBuffer = new byte[8_192];
        long framesSent, bytesSent;
        Thread pushThread;
        BoardSession(long sessionId, String client, long connectedAt, boolean display) { this.sessionId = sessionId; this.client = client; this.connectedAt = connectedAt; this.display = display; }
    }

    static final class PushLoop implements Runnable {
        final BoardSession session;
        PushLoop(BoardSession session) { this.session = session; }
        @Override public void run() {
            BoardSession s = session;
            try {
                while (deliver(s, s.outbound.take())) { /* next frame */ }
            } catch (InterruptedException e) {
                // shutting down
            }
        }
        /** Writes one frame to the client's socket; false for the close frame. */
        static boolean deliver(BoardSession s, Frame f) {
            if (f == CLOSE) return false;
            int n = Math.min(f.payload().length, s.sendBuffer.length);
            System.arraycopy(f.payload(), 0, s.sendBuffer, 0, n);
            s.framesSent++; s.bytesSent += n;
            return true;
        }
    }

    static final class BoardHub {
        final ConcurrentHashMap<Long, BoardSession> sessions = new ConcurrentHashMap<>();
        long nextId = 3_300_000L, connects, disconnects, framesQueued;
        BoardSession connect(String client, long at, boolean display) {
            BoardSession s = new BoardSession(nextId++, client, at, display);
            Thread t = new Thread(null, new PushLoop(s), "board-push-" + s.sessionId, 256 * 1024);
            t.setDaemon(true);
            s.pushThread = t;
            sessions.put(s.sessionId, s);
            connects++;
            t.start();
            return s;
        }
        void disconnect(BoardSession s) throws InterruptedException {
            sessions.remove(s.sessionId);
            s.outbound.add(CLOSE); // the push loop ends after the queued frames
            s.pushThread.join();
            disconnects++;
        }
        void broadcast(Frame f) { for (BoardSession s : sessions.values()) { s.outbound.add(f); framesQueued++; } }
    }

    /** Results feed to the federation: one object stream, reset after every drain. */
    static final class ResultsFeed {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * 1024);
        final ObjectOutputStream out;
        final ArrayDeque<byte[]> shipped = new ArrayDeque<>();
        long written, drains, bytesShipped;
        ResultsFeed() throws IOException { out = new ObjectOutputStream(buffer); }
        void write(LapSplit s) throws IOException { out.writeObject(s); written++; }
        void drain() throws IOException {
            out.flush();
            byte[] batch = buffer.toByteArray();
            buffer.reset();
            out.reset();
            bytesShipped += batch.length; drains++;
            shipped.addLast(batch);
            if (shipped.size() > KEEP_BATCHES) shipped.removeFirst();
        }
    }

    static final class SheetCache extends LinkedHashMap<String, HeatSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HeatSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Rider> RIDERS_BY_LICENCE = new HashMap<>();

    static final class TimingService {
        final Map<String, SeasonTicket> tickets = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final LapSplit[] splits = new LapSplit[RING];
        long splitsWritten;
        final MetricsRegistry metrics = new MetricsRegistry();
        final BoardHub hub = new BoardHub();
        final ResultsFeed feed;
        TimingService() throws IOException { feed = new ResultsFeed(); }
    }

    static TimingService SERVICE;

    static final String[] ROUTES = {
        "GET /api/heats/{heatId}/splits", "GET /api/heats/{heatId}", "GET /api/riders/{licence}", "GET /api/meetings/{meetingId}/programme",
        "POST /api/tickets/{number}/scan", "GET /api/tickets/{number}", "GET /api/standings", "POST /api/splits", "GET /api/sheets/{key}",
        "GET /health", "GET /ws/boards", "PUT /api/heats/{heatId}/result",
    };

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void awaitQuiet(BoardHub hub) throws InterruptedException {
        for (BoardSession s : hub.sessions.values()) {
            while (!s.outbound.isEmpty() || s.pushThread.getState() != Thread.State.WAITING) Thread.sleep(1);
        }
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build(int stage) throws Exception {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(100_050_001);
        String[] licences = new String[RIDERS];
        for (int k = 0; k < RIDERS; k++) {
            double[] profile = new double[64];
            for (int d = 0; d < profile.length; d++) profile[d] = 200 + rnd.nextDouble() * 1_600;
            licences[k] = "UCI-" + (10_080_000 + k * 17);
            RIDERS_BY_LICENCE.put(licences[k], new Rider(licences[k], "Team " + (k % 120), profile));
        }
        TimingService svc = new TimingService();
        SERVICE = svc;
        String[] numbers = new String[TICKETS];
        for (int n = 0; n < TICKETS; n++) {
            numbers[n] = "ST" + (500_000 + n * 3);
            svc.tickets.put(numbers[n], new SeasonTicket(numbers[n], "Holder " + n, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        for (int d = 0; d < DISPLAYS; d++) svc.hub.connect("display-" + (d + 1), start - (long) (1 + d) * 24 * HOUR, true);
        Random traffic = new Random(100_050_002);
        int ticks = (int) ((end - MINUTE - start) / TICK) + 1; // tick k at start + k * TICK, the last before end - 1 min
        int ticksPerHour = (int) (HOUR / TICK);
        List<BoardSession> spectators = new ArrayList<>();
        int[] connectAt = new int[SPECTATORS_PER_HOUR];
        for (int k = 0; k < ticks; k++) {
            long t = start + k * TICK;
            if (k % ticksPerHour == 0) { // a new racing session: the previous session's spectators leave, new ones arrive
                for (BoardSession s : spectators) svc.hub.disconnect(s);
                spectators.clear();
                for (int c = 0; c < SPECTATORS_PER_HOUR; c++) connectAt[c] = k + traffic.nextInt(20);
            }
            for (int c = 0; c < SPECTATORS_PER_HOUR; c++) {
                if (connectAt[c] == k) spectators.add(svc.hub.connect("app-" + traffic.nextInt(1_000_000), t, false));
            }
            String heatId = "H-" + (k / 4);
            for (int i = 0; i < SPLITS_PER_TICK; i++) {
                LapSplit split = new LapSplit(licences[traffic.nextInt(RIDERS)], heatId, 1 + traffic.nextInt(40), 13_000 + traffic.nextInt(6_000), t + i * 500L);
                svc.splits[(int) (svc.splitsWritten++ % RING)] = split;
                svc.feed.write(split);
                svc.metrics.timer(ROUTES[7]).record(300 + traffic.nextInt(4_000), t);
            }
            for (int r = 0; r < 20; r++) {
                int route = traffic.nextInt(ROUTES.length);
                svc.metrics.timer(ROUTES[route]).record(500 + traffic.nextInt(50_000), t);
                if (route == 8 || route == 1) {
                    String key = "HS-" + traffic.nextInt(2_400);
                    if (svc.sheets.get(key) == null) svc.sheets.put(key, new HeatSheet(key, new byte[600 + traffic.nextInt(600)], t));
                }
                if (route == 4) {
                    byte[] buf = svc.printBuffers.poll();
                    buf[r % buf.length] = (byte) k;
                    svc.printBuffers.add(buf);
                }
            }
            for (int p = 0; p < 56; p++) {
                String key = "HS-" + traffic.nextInt(2_400);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new HeatSheet(key, new byte[600 + traffic.nextInt(600)], t));
            }
            svc.hub.broadcast(new Frame("standings", t, new byte[300 + traffic.nextInt(300)]));
            if (k % 2 == 1) svc.feed.drain();
        }
        awaitQuiet(svc.hub);
        BoardHub hub = svc.hub;
        long liveThreads = 0;
        for (BoardSession s : hub.sessions.values()) if (s.pushThread.isAlive()) liveThreads++;
        ResultsFeed feed = svc.feed;
        System.out.println("stage " + stage + " riders " + RIDERS_BY_LICENCE.size() + " tickets " + svc.tickets.size() + " splits " + svc.splitsWritten + " timers " + svc.metrics.timers.size() + " sessions " + hub.sessions.size()
                + " (connects " + hub.connects + ", disconnects " + hub.disconnects + ", push threads " + liveThreads + ") frames " + hub.framesQueued + " feed written " + feed.written + " drains " + feed.drains + " kept " + feed.shipped.size()
                + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.printBuffers.size());
        spectators.clear();
        check(RIDERS_BY_LICENCE.size() == RIDERS && svc.tickets.size() == TICKETS, "reference data / directory");
        check(svc.splitsWritten == (long) ticks * SPLITS_PER_TICK && svc.splitsWritten == hours * 6_000L - 50, "splits: " + svc.splitsWritten);
        check(svc.metrics.timers.size() == ROUTES.length, "one timer per route template");
        check(hub.sessions.size() == DISPLAYS + SPECTATORS_PER_HOUR && liveThreads == hub.sessions.size() && hub.disconnects == (long) (hours - 1) * SPECTATORS_PER_HOUR, "push threads of connected clients only");
        check(feed.drains == ticks / 2 && feed.shipped.size() == KEEP_BATCHES, "feed drains");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
    }

    public static void main(String[] args) throws Exception {
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
