// hprofscan-dump: name=val7-leak-wslisteners jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val7-leak-wslisteners-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 7 (written blind), LEAK (small): a live sports-scores push server that has run
 * for 6 simulated hours. The leak: every websocket connection registers a
 * {@code ConnectionListener} on {@code ScoreEventBus.listeners}; closing the connection removes
 * it from the connection registry but never unsubscribes the listener, which keeps the closed
 * connection and its outbound buffer (4,000 closed + 250 open). Beside it, much bigger: the
 * fixture catalog loaded at startup, the subscriber directory, per-room chat history rings
 * capped at 200 messages, a presence map whose entries really expire, and the config.
 * See testdata/VALIDATION7.md.
 */
public final class Val7LeakWsListeners {
    static final int FIXTURES = 20_000;
    static final int SUBSCRIBERS = 70_000;
    static final int ROOMS = 300;
    static final int ROOM_HISTORY = 200;
    static final int CONNECTIONS = 4_250;
    static final int OPEN_AT_DUMP = 250;
    static final long MINUTE = 60_000L;
    static final long SIM_MILLIS = 6 * 60 * MINUTE;
    static final long PRESENCE_TTL = 2 * MINUTE;

    static PushServer RUNNING;

    static final class Fixture {
        final long fixtureId; final String competition; final String homeTeam; final String awayTeam; final long kickoffAt; final String venue;
        final int[] oddsBasisPoints = new int[12]; final String[] broadcasters;
        Fixture(long fixtureId, String competition, String homeTeam, String awayTeam, long kickoffAt, String venue, String[] broadcasters) {
            this.fixtureId = fixtureId; this.competition = competition; this.homeTeam = homeTeam; this.awayTeam = awayTeam; this.kickoffAt = kickoffAt; this.venue = venue; this.broadcasters = broadcasters;
        }
    }

    /** Reference data: the season's fixtures, loaded once at startup. */
    static final class FixtureCatalog {
        static final Map<Long, Fixture> BY_ID = new HashMap<>(FIXTURES * 2);
    }

    static final class Subscriber {
        final long userId; final String displayName; final String email; final long[] followedTeams; final String locale; final long registeredAt;
        Subscriber(long userId, String displayName, String email, long[] followedTeams, String locale, long registeredAt) { this.userId = userId; this.displayName = displayName; this.email = email; this.followedTeams = followedTeams; this.locale = locale; this.registeredAt = registeredAt; }
    }

    static final class SubscriberDirectory {
        final Map<Long, Subscriber> byUserId = new HashMap<>();
    }

    static final class ChatMessage {
        final long userId; final String text; final long sentAt;
        ChatMessage(long userId, String text, long sentAt) { this.userId = userId; this.text = text; this.sentAt = sentAt; }
    }

    /** Each match room keeps its last 200 chat messages. */
    static final class ChatRoom {
        final long fixtureId; final ChatMessage[] history = new ChatMessage[ROOM_HISTORY]; long posted;
        ChatRoom(long fixtureId) { this.fixtureId = fixtureId; }
        void post(ChatMessage m) { history[(int) (posted++ % ROOM_HISTORY)] = m; }
    }

    static final class Presence { final long userId; final long seenAt; final long expiresAt; Presence(long userId, long seenAt) { this.userId = userId; this.seenAt = seenAt; this.expiresAt = seenAt + PRESENCE_TTL; } }

    static final class WsConnection {
        final String connectionId; final long userId; final String remoteAddress; final long openedAt; long closedAt; boolean open = true;
        final byte[] outbound = new byte[512]; int outboundLength; long framesSent;
        WsConnection(String connectionId, long userId, String remoteAddress, long openedAt) { this.connectionId = connectionId; this.userId = userId; this.remoteAddress = remoteAddress; this.openedAt = openedAt; }
    }

    interface ScoreListener { void onScore(long fixtureId, int home, int away); }

    static final class ConnectionListener implements ScoreListener {
        final WsConnection connection; final long[] fixtureFilter;
        ConnectionListener(WsConnection connection, long[] fixtureFilter) { this.connection = connection; this.fixtureFilter = fixtureFilter; }
        @Override public void onScore(long fixtureId, int home, int away) {
            if (!connection.open) return; // closed: silently skipped, but never removed
            connection.outbound[0] = (byte) home; connection.outboundLength = 1; connection.framesSent++;
        }
    }

    static final class ScoreEventBus {
        final List<ScoreListener> listeners = new CopyOnWriteArrayList<>();
        void subscribe(ScoreListener l) { listeners.add(l); }
        void publish(long fixtureId, int home, int away) { for (ScoreListener l : listeners) l.onScore(fixtureId, home, away); }
    }

    static final class PushServer {
        final SubscriberDirectory subscribers = new SubscriberDirectory();
        final Map<Long, ChatRoom> rooms = new ConcurrentHashMap<>();
        final Map<Long, Presence> presence = new ConcurrentHashMap<>();
        final Map<String, WsConnection> connections = new ConcurrentHashMap<>();
        final ScoreEventBus scores = new ScoreEventBus();
        final Properties config = new Properties();

        void onOpen(WsConnection c, long[] filter) { connections.put(c.connectionId, c); scores.subscribe(new ConnectionListener(c, filter)); }
        /** BUG: forgets scores.unsubscribe(listener). */
        void onClose(WsConnection c, long t) { c.open = false; c.closedAt = t; connections.remove(c.connectionId); }
        void expirePresence(long now) { for (Iterator<Presence> it = presence.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) it.remove(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(7_050_001);
        PushServer srv = new PushServer();
        RUNNING = srv;
        for (int i = 0; i < 60; i++) srv.config.setProperty("push.ws.maxFramesPerSecond." + i, Integer.toString(20 + i));
        String[] comps = {"Premier League", "La Liga", "Serie A", "Bundesliga", "Ligue 1", "Eredivisie", "MLS", "Primeira Liga"};
        long[] fixtureIds = new long[FIXTURES];
        for (int i = 0; i < FIXTURES; i++) {
            fixtureIds[i] = 30_000_000L + i * 3L;
            String[] bc = new String[1 + i % 4];
            for (int k = 0; k < bc.length; k++) bc[k] = "Broadcaster-" + ((i + k) % 60);
            Fixture f = new Fixture(fixtureIds[i], comps[i % comps.length], "Team " + (i % 400), "Team " + ((i * 7 + 1) % 400), start - 30L * 86_400_000L + (long) i * 3_600_000L, "Stadium " + (i % 350), bc);
            for (int k = 0; k < 12; k++) f.oddsBasisPoints[k] = 10_000 + rnd.nextInt(90_000);
            FixtureCatalog.BY_ID.put(fixtureIds[i], f);
        }
        long[] userIds = new long[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            userIds[i] = 5_000_000L + i * 11L;
            long[] teams = new long[1 + i % 5];
            for (int k = 0; k < teams.length; k++) teams[k] = rnd.nextInt(400);
            srv.subscribers.byUserId.put(userIds[i], new Subscriber(userIds[i], "fan" + Long.toString(userIds[i], 36), "fan" + userIds[i] + "@mail.example", teams, i % 3 == 0 ? "es-ES" : "en-GB", start - 86_400_000L * (i % 1500)));
        }
        for (int r = 0; r < ROOMS; r++) srv.rooms.put(fixtureIds[FIXTURES - 1 - r], new ChatRoom(fixtureIds[FIXTURES - 1 - r]));
        List<Long> roomIds = new ArrayList<>(srv.rooms.keySet());
        // 6 hours: connections open and close (4,000 of them closed before the dump), chat, presence, score pushes.
        int steps = 85_000;
        List<WsConnection> live = new ArrayList<>();
        int opened = 0;
        long lastExpire = start;
        for (int i = 0; i < steps; i++) {
            long t = start + SIM_MILLIS * i / steps;
            if (i % 20 == 0 && opened < CONNECTIONS) {
                long user = userIds[rnd.nextInt(SUBSCRIBERS)];
                WsConnection c = new WsConnection(String.format("ws-%08x-%04d", (int) (t / 1000), opened), user, "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256), t);
                srv.onOpen(c, new long[] {roomIds.get(rnd.nextInt(ROOMS)), roomIds.get(rnd.nextInt(ROOMS))});
                live.add(c);
                opened++;
            }
            // Close connections so that exactly OPEN_AT_DUMP are still open at the end.
            int closedSoFar = opened - live.size();
            int closeTarget = (int) ((long) (CONNECTIONS - OPEN_AT_DUMP) * (i + 1) / steps);
            while (closedSoFar < closeTarget && !live.isEmpty()) {
                WsConnection c = live.remove(rnd.nextInt(Math.min(live.size(), 400)));
                srv.onClose(c, t);
                closedSoFar++;
            }
            long room = roomIds.get(rnd.nextInt(ROOMS));
            long user = userIds[rnd.nextInt(SUBSCRIBERS)];
            srv.rooms.get(room).post(new ChatMessage(user, "msg " + Integer.toString(i, 36) + " goal?", t));
            srv.presence.put(user, new Presence(user, t));
            if (i % 500 == 0) srv.scores.publish(room, rnd.nextInt(5), rnd.nextInt(5));
            if (t - lastExpire >= MINUTE) { srv.expirePresence(t); lastExpire = t; }
        }
        srv.expirePresence(now);
        long stale = 0;
        for (ScoreListener l : srv.scores.listeners) if (!((ConnectionListener) l).connection.open) stale++;
        System.out.println("fixtures " + FixtureCatalog.BY_ID.size() + " subscribers " + srv.subscribers.byUserId.size() + " rooms " + srv.rooms.size()
                + " presence " + srv.presence.size() + " connections " + srv.connections.size() + " listeners " + srv.scores.listeners.size() + " (closed " + stale + ")");
        check(FixtureCatalog.BY_ID.size() == FIXTURES && srv.subscribers.byUserId.size() == SUBSCRIBERS, "reference data");
        check(srv.connections.size() == OPEN_AT_DUMP && live.size() == OPEN_AT_DUMP, "open connections");
        check(srv.scores.listeners.size() == CONNECTIONS && stale == CONNECTIONS - OPEN_AT_DUMP, "listeners");
        for (ChatRoom r : srv.rooms.values()) check(r.posted >= ROOM_HISTORY, "room history");
        check(srv.presence.size() < 2_000, "presence");
        live.clear();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
