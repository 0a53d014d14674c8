// hprofscan-dump: name=val142-leak-hurlingscores-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val142-leak-hurlingscores-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val142-leak-hurlingscores jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val142-leak-hurlingscores-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 142 (written blind), LEAK series: the live-scores push server of a hurling and
 * camogie championship app. Every score event of every live match goes out as a ticker frame to
 * every connected fan: the push server keeps the frames not yet written in a queue per connection
 * id ({@code Map<String, ArrayDeque<Frame>>}), drained by each connection's writer. The queue is
 * removed in {@code onClose}, which only the graceful close (a close frame) calls; a fan whose phone
 * drops off the network (no close frame) is dropped by the transport's idle timeout without that
 * callback, so its queue stays and every later broadcast appends a frame to it. Club reference
 * data, the player directory, a match-card cache at its cap, a pool of encode buffers, a ring of
 * score events and a notification queue with its normal backlog beside it. Stages 1 / 2 / 3
 * simulate 2 / 4 / 8 hours. See VALIDATION142.md.
 */
public final class Val142LeakHurlingScores {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final long STEP = 10 * SECOND, IDLE_TIMEOUT = 2 * MINUTE;
    static final int CLUBS = 1_800, PLAYERS = 24_000, CARD_CAP = 2_000, POOL = 8, RING = 200, CONNECTIONS_PER_HOUR = 720, ABRUPT_PERCENT = 3;
    static boolean FIXED;

    record Club(String code, String county, String name, double[] pointsBySeason) {}
    record Player(String playerId, String clubCode, String name, byte[] profile, long registeredAt) {}
    record MatchCard(String key, byte[] rendered, long at) {}
    record ScoreEvent(long eventId, String matchId, String kind, String playerId, long at) {}
    record PushNotification(String deviceToken, String title, byte[] body, long queuedAt) {}

    /** One ticker frame, encoded for one connection (its compression context and sequence). */
    static final class Frame {
        final long seq; final long at; final int matchNo; final byte[] payload;
        Frame(long seq, long at, int matchNo, byte[] payload) { this.seq = seq; this.at = at; this.matchNo = matchNo; this.payload = payload; }
    }

    /** The transport's view of a websocket. */
    static final class Session {
        final String connectionId; final String fanId; final String platform; final long openedAt; final long endsAt; final boolean abrupt; final boolean slow;
        long lastActivity; boolean dropped;
        Session(String connectionId, String fanId, String platform, long openedAt, long endsAt, boolean abrupt, boolean slow) { this.connectionId = connectionId; this.fanId = fanId; this.platform = platform; this.openedAt = openedAt; this.endsAt = endsAt; this.abrupt = abrupt; this.slow = slow; this.lastActivity = openedAt; }
    }

    static final class CardCache extends LinkedHashMap<String, MatchCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MatchCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class PushServer {
        /** Frames not yet written, per connection id. */
        final Map<String, ArrayDeque<Frame>> pending = new HashMap<>();
        /** The transport's open sessions (it removes a session on close and on its idle timeout). */
        final Map<String, Session> sessions = new HashMap<>();
        final List<Session> live = new ArrayList<>();
        long opened, closed, timedOut, broadcasts, framesQueued, framesWritten, framesDiscarded, seq;

        void onOpen(Session s) {
            sessions.put(s.connectionId, s);
            pending.put(s.connectionId, new ArrayDeque<>());
            live.add(s);
            opened++;
        }

        /** Called by the transport on a close frame only. */
        void onClose(String connectionId) {
            ArrayDeque<Frame> q = pending.remove(connectionId);
            if (q != null) framesDiscarded += q.size();
        }

        void broadcast(int matchNo, Random r, long t) {
            broadcasts++;
            for (ArrayDeque<Frame> q : pending.values()) {
                byte[] payload = new byte[50 + r.nextInt(80)];
                payload[0] = (byte) matchNo;
                q.add(new Frame(++seq, t, matchNo, payload));
                framesQueued++;
            }
        }

        /** Writers of the sessions still answering drain their queues (slow phones keep up to 2 frames). */
        void write(long t) {
            for (Session s : live) {
                if (s.dropped) continue;
                ArrayDeque<Frame> q = pending.get(s.connectionId);
                int keep = s.slow ? 2 : 0;
                while (q.size() > keep) { q.poll(); framesWritten++; }
                s.lastActivity = t;
            }
        }

        /** The transport: graceful closes, dropped phones, and its idle timeout. */
        void transport(long t) {
            for (Iterator<Session> it = live.iterator(); it.hasNext(); ) {
                Session s = it.next();
                if (!s.dropped && s.endsAt <= t) {
                    if (s.abrupt) {
                        s.dropped = true; // no close frame, no more reads or writes
                    } else {
                        sessions.remove(s.connectionId);
                        onClose(s.connectionId);
                        closed++;
                        it.remove();
                        continue;
                    }
                }
                if (s.dropped && t - s.lastActivity > IDLE_TIMEOUT) {
                    sessions.remove(s.connectionId); // idle timeout: the socket is closed, onClose is not called
                    if (FIXED) onClose(s.connectionId);
                    timedOut++;
                    it.remove();
                }
            }
        }
    }

    static final class ScoresService {
        final Map<String, Player> players = new HashMap<>();
        final String[] playerIds = new String[PLAYERS];
        final CardCache matchCards = new CardCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final ScoreEvent[] recentEvents = new ScoreEvent[RING];
        final ArrayDeque<PushNotification> notifications = new ArrayDeque<>();
        final PushServer push = new PushServer();
        long events, cardViews, notificationsQueued, notificationsSent;

        void scoreEvent(Random r, Random frames, long t) {
            int matchNo = r.nextInt(14);
            String[] kinds = {"point", "point", "point", "goal", "wide", "free", "65", "substitution", "yellow card"};
            String kind = kinds[r.nextInt(kinds.length)];
            recentEvents[(int) (events % RING)] = new ScoreEvent(9_400_000L + events, "SHC-2-" + matchNo, kind, playerIds[r.nextInt(PLAYERS)], t);
            events++;
            byte[] buf = encodeBuffers.poll();
            buf[(int) (events % buf.length)] = (byte) matchNo;
            encodeBuffers.add(buf);
            push.broadcast(matchNo, frames, t);
            // fans following the match with the app in the background get a notification
            for (int k = 1 + r.nextInt(5); k > 0; k--) {
                notifications.add(new PushNotification((r.nextBoolean() ? "fcm:" : "apns:") + Long.toHexString(r.nextLong()), kind + " - match " + matchNo, new byte[200 + r.nextInt(200)], t));
                notificationsQueued++;
            }
        }

        void viewCard(Random r, long t) {
            cardViews++;
            String key = "card/SHC-2-" + r.nextInt(14) + "/v" + r.nextInt(400);
            if (matchCards.get(key) == null) matchCards.put(key, new MatchCard(key, new byte[400 + r.nextInt(400)], t));
        }

        void sendNotifications(long t) {
            while (!notifications.isEmpty() && t - notifications.peek().queuedAt() >= 5 * MINUTE) { notifications.poll(); notificationsSent++; }
        }
    }

    static ScoresService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(142_030_001);
        String[] counties = {"Kilkenny", "Tipperary", "Limerick", "Cork", "Galway", "Clare", "Waterford", "Wexford", "Dublin", "Offaly", "Laois", "Antrim"};
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] points = new double[40];
            for (int k = 0; k < points.length; k++) points[k] = rnd.nextInt(300);
            clubCodes[c] = "CLG-" + (1_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], counties[c % counties.length], "Club " + c, points));
        }
        ScoresService svc = new ScoresService();
        SERVICE = svc;
        for (int i = 0; i < PLAYERS; i++) {
            svc.playerIds[i] = "HP" + (2_200_000 + i * 3);
            svc.players.put(svc.playerIds[i], new Player(svc.playerIds[i], clubCodes[rnd.nextInt(CLUBS)], "Player " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(142_030_002), fans = new Random(142_030_003), frames = new Random(142_030_004);
        PushServer push = svc.push;
        int steps = (int) (hours * HOUR / STEP);
        long connSeq = 0x51c0_0000L;
        for (int s = 0; s < steps; s++) {
            long t = start + s * STEP;
            int arrivals = (int) ((long) (s + 1) * CONNECTIONS_PER_HOUR * STEP / HOUR - (long) s * CONNECTIONS_PER_HOUR * STEP / HOUR);
            for (int a = 0; a < arrivals; a++) {
                long life = (4 + fans.nextInt(50)) * MINUTE + fans.nextInt(60) * SECOND;
                push.onOpen(new Session("c-" + Long.toHexString(connSeq++), "fan-" + (300_000 + fans.nextInt(90_000)), fans.nextBoolean() ? "android" : "ios", t, t + life,
                        fans.nextInt(100) < ABRUPT_PERCENT, fans.nextInt(10) == 0));
            }
            if (s % 3 == 0) svc.scoreEvent(traffic, frames, t);
            push.write(t);
            push.transport(t);
            for (int k = 0; k < 5; k++) svc.viewCard(traffic, t);
            svc.sendNotifications(t);
        }
    }

    static void report(int stage, int hours) {
        ScoresService svc = SERVICE;
        PushServer push = svc.push;
        int liveQueued = 0, deadQueues = 0, deadFrames = 0, maxDead = 0, maxLive = 0;
        for (Map.Entry<String, ArrayDeque<Frame>> e : push.pending.entrySet()) {
            int n = e.getValue().size();
            if (push.sessions.containsKey(e.getKey())) { liveQueued += n; maxLive = Math.max(maxLive, n); }
            else { deadQueues++; deadFrames += n; maxDead = Math.max(maxDead, n); }
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + hours + " h) clubs " + CLUBS_BY_CODE.size() + " players " + svc.players.size() + " score events " + svc.events
                + " connections opened " + push.opened + " closed " + push.closed + " timed out " + push.timedOut + " sessions " + push.sessions.size()
                + " queues " + push.pending.size() + " (of connections gone " + deadQueues + ", frames " + deadFrames + ", max " + maxDead + "; live frames " + liveQueued + ", max " + maxLive + ")"
                + " broadcasts " + push.broadcasts + " frames queued " + push.framesQueued + " written " + push.framesWritten + " discarded " + push.framesDiscarded
                + " cards " + svc.matchCards.size() + " (evicted " + svc.matchCards.evicted + ") notifications " + svc.notificationsQueued + "/" + svc.notificationsSent + " backlog " + svc.notifications.size()
                + " pool " + svc.encodeBuffers.size());
        check(CLUBS_BY_CODE.size() == CLUBS && svc.players.size() == PLAYERS, "reference data / directory");
        check(push.opened == push.closed + push.timedOut + push.live.size() && push.sessions.size() == push.live.size(), "sessions");
        check(push.framesQueued == push.framesWritten + push.framesDiscarded + liveQueued + deadFrames, "frames");
        check(maxLive <= 12, "live queues drained");
        if (FIXED) check(deadQueues == 0, "no queue without a session");
        else check(deadQueues == push.timedOut && deadFrames > 0, "queues of timed-out connections: " + deadQueues);
        check(svc.matchCards.size() == CARD_CAP && svc.matchCards.evicted > 0, "match-card cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.notifications.size() > 0 && svc.notifications.size() < 100, "notification backlog");
        check(svc.recentEvents[(int) Math.min(svc.events, RING) - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val142.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
