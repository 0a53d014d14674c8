// hprofscan-dump: name=val100-leak-spinclasses jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val100-leak-spinclasses-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

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
 * Validation set 100 (written blind), LEAK: the live-leaderboard service of a chain of indoor
 * cycling (spin) studios that stream their classes. Studio reference data, the rider directory, a
 * cache of rendered class playlists at its cap, a pool of video-segment buffers, a ring of recent
 * ride samples, and a websocket hub that gives every connected rider app a dedicated push thread
 * ("lb-push-<sessionId>", a new Thread per client) which loops on its session's
 * LinkedBlockingQueue.take() and writes leaderboard frames to the socket. When a client
 * disconnects the hub removes the session from its map and marks it closed, but nothing interrupts
 * the thread: it stays blocked in take() forever with its queue and session state (send buffer,
 * power trace). See VALIDATION100.md.
 */
public final class Val100LeakSpinClasses {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 30_000L, CLASS_LENGTH = 45 * MINUTE;
    static final int STUDIOS = 1_000, RIDERS = 22_000, PLAYLIST_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10;
    static final int SEND_BUFFER = 8_192, TRACE = 900;
    static boolean FIXED;

    record Studio(String code, String city, double[] hourlyAttendance) {}
    record Rider(String riderId, String displayName, byte[] profile, long joinedAt) {}
    record Playlist(String key, byte[] rendered, long at) {}
    record RideSample(String riderId, String classId, int watts, int cadence, long at) {}
    record Frame(String classId, long at, byte[] payload) {}

    /** End of a session's frames (used by the fix). */
    static final Frame CLOSE = new Frame("close", 0L, new byte[0]);

    /** One connected rider app (a websocket session). */
    static final class ClientSession {
        final long sessionId; final String riderId, classId; final long connectedAt;
        long disconnectedAt;
        volatile boolean open = true;
        final LinkedBlockingQueue<Frame> outbound = new LinkedBlockingQueue<>();
        final byte[] sendBuffer = new byte[SEND_BUFFER];
        final int[] powerTrace = new int[TRACE];
        int traceLength;
        long framesSent, bytesSent;
        Thread pushThread;
        ClientSession(long sessionId, String riderId, String classId, long connectedAt) {
            this.sessionId = sessionId; this.riderId = riderId; this.classId = classId; this.connectedAt = connectedAt;
        }
    }

    /** The push loop of one session: takes frames off its queue and writes them to the socket. */
    static final class PushLoop implements Runnable {
        final ClientSession session;
        PushLoop(ClientSession session) { this.session = session; }
        @Override public void run() {
            ClientSession s = session;
            try {
                while (deliver(s, s.outbound.take())) { /* next frame */ }
            } catch (InterruptedException closed) {
                // the thread ends
            }
        }
        /** Writes one frame to the client's socket; false for the close frame. */
        static boolean deliver(ClientSession s, Frame f) {
            if (f == CLOSE) return false;
            int n = Math.min(f.payload().length, s.sendBuffer.length);
            System.arraycopy(f.payload(), 0, s.sendBuffer, 0, n);
            s.framesSent++;
            s.bytesSent += n;
            return true;
        }
    }

    static final class LeaderboardHub {
        final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
        long nextSessionId = 7_700_000L, connects, disconnects, framesQueued;
        ClientSession connect(String riderId, String classId, long at) {
            ClientSession s = new ClientSession(nextSessionId++, riderId, classId, at);
            Thread t = new Thread(null, new PushLoop(s), "lb-push-" + s.sessionId, 256 * 1024);
            t.setDaemon(true);
            s.pushThread = t;
            sessions.put(s.sessionId, s);
            connects++;
            t.start();
            return s;
        }
        void disconnect(ClientSession s, long at) throws InterruptedException {
            sessions.remove(s.sessionId);
            s.open = false;
            s.disconnectedAt = at;
            disconnects++;
            if (FIXED) { // close the push loop with the session: a close frame after the queued frames
                s.outbound.add(CLOSE);
                s.pushThread.join();
            }
            // BUG: nothing interrupts the push thread; it stays blocked in outbound.take() forever
        }
        void broadcast(List<ClientSession> classRiders, Frame f) {
            for (ClientSession s : classRiders) {
                if (s.open) { s.outbound.add(f); framesQueued++; }
            }
        }
    }

    static final class PlaylistCache extends LinkedHashMap<String, Playlist> {
        long evicted;
        PlaylistCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Playlist> e) { if (size() > PLAYLIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class StreamService {
        final Map<String, Rider> riders = new HashMap<>();
        final PlaylistCache playlists = new PlaylistCache();
        final ArrayDeque<byte[]> videoBuffers = new ArrayDeque<>();
        final RideSample[] samples = new RideSample[RING];
        long samplesWritten, classes;
        final LeaderboardHub hub = new LeaderboardHub();
    }

    static StreamService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Waits until every push thread has drained its queue and is blocked in take() (or has ended). */
    static void awaitQuiet(List<ClientSession> all) throws InterruptedException {
        for (ClientSession s : all) {
            while (s.pushThread.isAlive() && (!s.outbound.isEmpty() || s.pushThread.getState() != Thread.State.WAITING)) Thread.sleep(1);
        }
    }

    /** Builds the service; leaves nothing referenced from main's frame. */
    static void build() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long last = end - MINUTE; // no event after this
        Random rnd = new Random(100_020_001);
        String[] studioCodes = new String[STUDIOS];
        for (int k = 0; k < STUDIOS; k++) {
            double[] att = new double[64];
            for (int h = 0; h < att.length; h++) att[h] = rnd.nextDouble() * 40;
            studioCodes[k] = "ST-" + (900 + k);
            STUDIOS_BY_CODE.put(studioCodes[k], new Studio(studioCodes[k], "City " + (k % 150), att));
        }
        StreamService svc = new StreamService();
        SERVICE = svc;
        String[] riderIds = new String[RIDERS];
        for (int r = 0; r < RIDERS; r++) {
            riderIds[r] = "RD" + (6_100_000 + r * 11);
            svc.riders.put(riderIds[r], new Rider(riderIds[r], "Rider " + r, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.videoBuffers.add(new byte[32_768]);
        Random traffic = new Random(100_020_002);
        List<ClientSession> all = new ArrayList<>();
        int earlyLeavers = 0, inProgress = 0;
        for (long classStart = start; classStart <= last; classStart += CLASS_LENGTH) {
            String classId = "CL-" + (50_000 + svc.classes++) + "@" + studioCodes[traffic.nextInt(STUDIOS)];
            int riders = 24 + traffic.nextInt(17);
            List<ClientSession> inClass = new ArrayList<>();
            int[] leaveTick = new int[riders];
            for (int r = 0; r < riders; r++) {
                ClientSession s = svc.hub.connect(riderIds[traffic.nextInt(RIDERS)], classId, classStart - traffic.nextInt(120_000));
                inClass.add(s);
                all.add(s);
                leaveTick[r] = traffic.nextInt(100) < 8 ? 10 + traffic.nextInt(70) : -1; // a dropped connection
            }
            int ticks = (int) (CLASS_LENGTH / TICK);
            boolean ended = true;
            for (int k = 0; k < ticks; k++) {
                long t = classStart + TICK * k + 5_000;
                if (t > last) { ended = false; break; }
                for (int r = 0; r < riders; r++) {
                    ClientSession s = inClass.get(r);
                    if (!s.open) continue;
                    if (leaveTick[r] == k) { svc.hub.disconnect(s, t); earlyLeavers++; continue; }
                    int watts = 80 + traffic.nextInt(320);
                    if (s.traceLength < TRACE) s.powerTrace[s.traceLength++] = watts;
                    svc.samples[(int) (svc.samplesWritten++ % RING)] = new RideSample(s.riderId, classId, watts, 60 + traffic.nextInt(50), t);
                }
                svc.hub.broadcast(inClass, new Frame(classId, t, new byte[200 + traffic.nextInt(200)]));
                for (int p = 0; p < 4; p++) {
                    String key = "PL-" + traffic.nextInt(4_000);
                    if (svc.playlists.get(key) == null) svc.playlists.put(key, new Playlist(key, new byte[500 + traffic.nextInt(500)], t));
                }
                byte[] buf = svc.videoBuffers.poll();
                buf[k % buf.length] = (byte) k;
                svc.videoBuffers.add(buf);
            }
            if (ended) {
                for (ClientSession s : inClass) if (s.open) svc.hub.disconnect(s, classStart + CLASS_LENGTH);
            } else {
                for (ClientSession s : inClass) if (s.open) inProgress++;
            }
        }
        awaitQuiet(all);
        long pushThreads = 0, closedButAlive = 0;
        long delivered = 0;
        for (ClientSession s : all) {
            if (s.pushThread.isAlive()) pushThreads++;
            if (!s.open && s.pushThread.isAlive()) closedButAlive++;
            delivered += s.framesSent;
        }
        LeaderboardHub hub = svc.hub;
        System.out.println((FIXED ? "FIXED " : "") + "studios " + STUDIOS_BY_CODE.size() + " riders " + svc.riders.size() + " classes " + svc.classes + " connects " + hub.connects + " disconnects " + hub.disconnects
                + " (early " + earlyLeavers + ") open sessions " + hub.sessions.size() + " push threads alive " + pushThreads + " (of closed sessions " + closedButAlive + ") frames " + hub.framesQueued + "/" + delivered
                + " samples " + svc.samplesWritten + " playlists " + svc.playlists.size() + " (evicted " + svc.playlists.evicted + ") pool " + svc.videoBuffers.size());
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.riders.size() == RIDERS, "reference data / directory");
        check(hub.sessions.size() == inProgress && hub.connects == hub.disconnects + inProgress && inProgress > 0, "open sessions = riders of the class in progress");
        check(delivered == hub.framesQueued, "all frames delivered");
        if (FIXED) check(pushThreads == inProgress && closedButAlive == 0, "push threads of open sessions only");
        else check(pushThreads == hub.connects && closedButAlive == hub.disconnects, "every push thread still alive: " + pushThreads);
        check(svc.playlists.size() == PLAYLIST_CAP && svc.playlists.evicted > 0, "playlist cache at cap");
        check(svc.videoBuffers.size() == POOL, "pool");
        check(svc.samplesWritten > RING && svc.samples[RING - 1] != null, "sample ring wraps");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val100.fixed");
        build();
        LeakCheck.histogram(" [I ", " [B ", " [J ", " [Ljava.lang.Object; ", " java.lang.String ", " java.lang.Thread ", "ThreadLocal", "LinkedBlockingQueue", "HandleTable", "ConcurrentHashMap", "HashMap$Node ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
