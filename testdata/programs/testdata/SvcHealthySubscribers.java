// hprofscan-dump: name=svc-healthy-subscribers jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-subscribers-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Healthy (tuning set, session 8; the twin of {@link SvcLeakStaleSubscribers}): the same chat/
 * notification push server, but closing a connection unsubscribes its listener from
 * {@code EventFanout.subscribers}: after 12 hours and 23,000 connections, the 3,000 subscribers
 * left all belong to open connections. For diagnostics the server keeps the last 512 closed
 * connections (the connection objects themselves, closed on purpose) in a bounded ring,
 * {@code RecentlyClosed.ring}, full. Legitimate as well: a channel catalog loaded at startup, a
 * user directory, per-room message ring buffers and a presence map whose entries expire.
 * See testdata/SCENARIOS.md, "Session 8 tuning apps".
 */
public final class SvcHealthySubscribers {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long UPTIME = 12 * HOUR;
    static final int CHANNELS = 16_000;
    static final int USERS = 40_000;
    static final int ROOMS = 600;
    static final int ROOM_RING = 64;
    static final int PRESENCE = 6_000;
    static final int CLOSED_CONNS = 20_000;
    static final int OPEN_CONNS = 3_000;
    static final int RECENTLY_CLOSED = 512;
    static final int POSTS_PER_CONN = 2;
    static final int OUTBOUND = 512;

    static Server RUNNING;

    enum LinkState { CONNECTING, STREAMING, DRAINING, CLOSED }

    /** What the fan-out calls; one per client connection. */
    interface Subscriber {
        String topic();
        boolean deliverable();
        void onEvent(Message m);
    }

    static final class PushSocket {
        final String id; final long userId; final String remoteAddr; final long openedAt; final byte[] outbound = new byte[OUTBOUND];
        volatile boolean open = true; long closedAt; String closeReason; long framesSent;
        PushSocket(String id, long userId, String remoteAddr, long openedAt) { this.id = id; this.userId = userId; this.remoteAddr = remoteAddr; this.openedAt = openedAt; }
    }

    static final class DeviceSession {
        final String id; final long userId; final String deviceToken; final String platform; final long startedAt; final byte[] outbound = new byte[OUTBOUND];
        volatile boolean active = true; long closedAt; int unacked;
        DeviceSession(String id, long userId, String deviceToken, String platform, long startedAt) { this.id = id; this.userId = userId; this.deviceToken = deviceToken; this.platform = platform; this.startedAt = startedAt; }
    }

    static final class FeedLink {
        final String id; final long userId; final String remoteAddr; final long connectedAt; final byte[] outbound = new byte[OUTBOUND];
        volatile LinkState state = LinkState.STREAMING; long closedAt; long lastEventId;
        FeedLink(String id, long userId, String remoteAddr, long connectedAt) { this.id = id; this.userId = userId; this.remoteAddr = remoteAddr; this.connectedAt = connectedAt; }
    }

    static final class RoomPushListener implements Subscriber {
        final PushSocket socket; final String topic; final long subscribedAt;
        RoomPushListener(PushSocket socket, String topic, long subscribedAt) { this.socket = socket; this.topic = topic; this.subscribedAt = subscribedAt; }
        public String topic() { return topic; }
        public boolean deliverable() { return socket.open; }
        public void onEvent(Message m) { socket.framesSent++; }
    }

    static final class InboxListener implements Subscriber {
        final DeviceSession session; final String topic; final long subscribedAt;
        InboxListener(DeviceSession session, String topic, long subscribedAt) { this.session = session; this.topic = topic; this.subscribedAt = subscribedAt; }
        public String topic() { return topic; }
        public boolean deliverable() { return session.active; }
        public void onEvent(Message m) { session.unacked++; }
    }

    static final class FeedListener implements Subscriber {
        final FeedLink link; final String topic; final long subscribedAt;
        FeedListener(FeedLink link, String topic, long subscribedAt) { this.link = link; this.topic = topic; this.subscribedAt = subscribedAt; }
        public String topic() { return topic; }
        public boolean deliverable() { return link.state != LinkState.CLOSED; }
        public void onEvent(Message m) { link.lastEventId = m.id; }
    }

    /** Subscribe on connect, unsubscribe on close. */
    static final class EventFanout {
        final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        final LongAdder delivered = new LongAdder();
        void subscribe(Subscriber s) { subscribers.add(s); }
        void unsubscribe(Subscriber s) { subscribers.remove(s); }
        void publish(String topic, Message m) {
            for (Subscriber s : subscribers) {
                if (!s.deliverable() || !s.topic().equals(topic)) continue;
                s.onEvent(m);
                delivered.increment();
            }
        }
    }

    /** Legitimate: open connections by id; removed on close. */
    static final class ConnectionRegistry {
        final ConcurrentHashMap<String, Object> open = new ConcurrentHashMap<>();
    }

    static final class Channel {
        final String code; final String title; final String description; final String[] tags; final long createdAt;
        Channel(String code, String title, String description, String[] tags, long createdAt) { this.code = code; this.title = title; this.description = description; this.tags = tags; this.createdAt = createdAt; }
    }

    /** Legitimate: the public channel catalog, loaded once at startup. */
    static final class ChannelCatalog {
        static final Map<String, Channel> CHANNELS_BY_CODE = new HashMap<>();
        static long loadedAt;
    }

    static final class UserProfile {
        final long userId; final String handle; final String displayName; final String avatarUrl; final String locale; final byte[] settings; final long createdAt;
        UserProfile(long userId, String handle, String displayName, String avatarUrl, String locale, byte[] settings, long createdAt) { this.userId = userId; this.handle = handle; this.displayName = displayName; this.avatarUrl = avatarUrl; this.locale = locale; this.settings = settings; this.createdAt = createdAt; }
    }

    /** Legitimate: the user directory (every registered user), loaded at startup. */
    static final class UserDirectory {
        final HashMap<Long, UserProfile> users = new HashMap<>();
    }

    static final class Message {
        final long id; final long senderId; final long sentAt; final String text;
        Message(long id, long senderId, long sentAt, String text) { this.id = id; this.senderId = senderId; this.sentAt = sentAt; this.text = text; }
    }

    /** A room's last ROOM_RING messages, overwritten in place. */
    static final class MessageRing {
        final Message[] slots = new Message[ROOM_RING];
        int next;
        long total;
        void add(Message m) { slots[next] = m; next = (next + 1) % ROOM_RING; total++; }
    }

    /** Legitimate: per-room history ring buffers (bounded). */
    static final class RoomHistory {
        final HashMap<String, MessageRing> rooms = new HashMap<>();
    }

    static final class Presence {
        final long userId; String status; long lastHeartbeatAt; long expiresAt;
        Presence(long userId, String status, long at) { this.userId = userId; this.status = status; beat(at); }
        void beat(long at) { lastHeartbeatAt = at; expiresAt = at + 90 * SECOND; }
    }

    /** Legitimate: who is online (mobile heartbeats); entries expire after 90 s, swept every 10 s. */
    static final class PresenceTracker {
        final ConcurrentHashMap<Long, Presence> online = new ConcurrentHashMap<>();
        long swept;
        void heartbeat(long userId, String status, long at) {
            Presence p = online.get(userId);
            if (p == null) online.put(userId, new Presence(userId, status, at)); else { p.status = status; p.beat(at); }
        }
        void sweep(long now) {
            for (Iterator<Presence> it = online.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) { it.remove(); swept++; }
        }
    }

    /** Legitimate: the last RECENTLY_CLOSED closed connections, for the admin console's diagnostics page. */
    static final class RecentlyClosed {
        final Object[] ring = new Object[RECENTLY_CLOSED];
        int next;
        long total;
        synchronized void add(Object conn) { ring[next] = conn; next = (next + 1) % RECENTLY_CLOSED; total++; }
    }

    static final class Server {
        final RecentlyClosed recentlyClosed = new RecentlyClosed();
        final HashMap<Object, Subscriber> listenerOf = new HashMap<>();
        final EventFanout fanout = new EventFanout();
        final ConnectionRegistry connections = new ConnectionRegistry();
        final UserDirectory directory = new UserDirectory();
        final RoomHistory history = new RoomHistory();
        final PresenceTracker presence = new PresenceTracker();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        long messageSeq;
        void count(String n) { counters.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** Accepts a connection of kind {@code kind} and subscribes its listener to {@code topic}. */
        Object connect(int kind, String id, long userId, String addr, String topic, long at, Random r) {
            Object conn;
            Subscriber l;
            if (kind == 0) { PushSocket c = new PushSocket(id, userId, addr, at); conn = c; l = new RoomPushListener(c, topic, at + 40); }
            else if (kind == 1) { DeviceSession c = new DeviceSession(id, userId, SvcHealthySubscribers.hex(r, 64), PLATFORMS[(int) (userId % 3)], at); conn = c; l = new InboxListener(c, topic, at + 25); }
            else { FeedLink c = new FeedLink(id, userId, addr, at); conn = c; l = new FeedListener(c, topic, at + 60); }
            connections.open.put(id, conn);
            fanout.subscribe(l);
            listenerOf.put(conn, l);
            count("connect." + kind);
            return conn;
        }

        /** Closes a connection: marks it, unsubscribes its listener, drops it from the registry, keeps it in the diagnostics ring. */
        void disconnect(Object conn, long at) {
            String id;
            if (conn instanceof PushSocket) { PushSocket c = (PushSocket) conn; c.open = false; c.closedAt = at; c.closeReason = at % 2 == 0 ? "client went away" : "idle timeout"; id = c.id; }
            else if (conn instanceof DeviceSession) { DeviceSession c = (DeviceSession) conn; c.active = false; c.closedAt = at; id = c.id; }
            else { FeedLink c = (FeedLink) conn; c.state = LinkState.CLOSED; c.closedAt = at; id = c.id; }
            connections.open.remove(id);
            fanout.unsubscribe(listenerOf.remove(conn));
            recentlyClosed.add(conn);
            count("disconnect");
        }

        void post(String room, long sender, long at, String text) {
            Message m = new Message(++messageSeq, sender, at, text);
            history.rooms.computeIfAbsent(room, k -> new MessageRing()).add(m);
            fanout.publish(room, m);
        }
    }

    static final String[] PLATFORMS = {"ios", "android", "web"};
    static final String[] WORDS = {"harbor", "pixel", "orbit", "maple", "quartz", "delta", "summit", "river", "lumen", "cedar", "falcon", "ember", "glacier", "meadow"};
    static final String[] LOCALES = {"en-US", "de-DE", "fr-FR", "es-ES", "pt-BR", "ja-JP", "nl-NL"};

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static String sentence(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(100));
        return b.toString();
    }

    static String room(int i) { return "room-" + (1000 + i); }

    static void loadReferenceData(Server s, Random r, long start) {
        ChannelCatalog.loadedAt = start;
        for (int i = 0; i < CHANNELS; i++) {
            String code = "ch-" + (50_000 + i * 3);
            String[] tags = {WORDS[i % WORDS.length], WORDS[(i / 7) % WORDS.length], LOCALES[i % LOCALES.length]};
            ChannelCatalog.CHANNELS_BY_CODE.put(code, new Channel(code, WORDS[i % WORDS.length] + " " + WORDS[(i * 3) % WORDS.length] + " " + i, sentence(r, 24), tags, start - (i + 1) * 1_800_000L));
        }
        for (int u = 0; u < USERS; u++) {
            long id = 7_000_000L + u * 11L;
            String handle = WORDS[u % WORDS.length] + "_" + u;
            byte[] settings = new byte[96];
            r.nextBytes(settings);
            s.directory.users.put(id, new UserProfile(id, handle, WORDS[(u / 3) % WORDS.length] + " " + WORDS[(u / 5) % WORDS.length] + " " + u,
                "https://cdn.example.net/avatars/" + hex(r, 20) + ".png", LOCALES[u % LOCALES.length], settings, start - (u % 700 + 1) * 86_400_000L));
        }
    }

    static long user(int n) { return 7_000_000L + ((n * 7_919L) % USERS) * 11L; }

    static String addr(int n) { return "10." + (n % 200) + "." + ((n / 200) % 250) + "." + (n % 251) + ":" + (30_000 + n % 30_000); }

    static Server build(long now) {
        long start = now - UPTIME;
        Random r = new Random(0x5ab5_2026L);
        Server s = new Server();
        loadReferenceData(s, r, start);
        // 20,000 connections opened and closed over the first 10 hours, interleaved with room traffic.
        long span = UPTIME - 2 * HOUR - 95 * MINUTE;
        List<Object> live = new ArrayList<>();
        List<Long> closeAt = new ArrayList<>();
        int msg = 0;
        for (int n = 0; n < CLOSED_CONNS; n++) {
            long at = start + 5 * MINUTE + span * n / CLOSED_CONNS;
            for (int i = live.size() - 1; i >= 0; i--) if (closeAt.get(i) <= at) { s.disconnect(live.remove(i), closeAt.remove(i)); }
            Object c = s.connect(n % 3, "conn-" + hex(r, 16), user(n), addr(n), room(n % ROOMS), at, r);
            live.add(c);
            closeAt.add(at + (2 + (n * 37L) % 89) * MINUTE);
            for (int k = 0; k < POSTS_PER_CONN; k++, msg++) s.post(room(msg % ROOMS), user(msg * 3 + 1), at + k * 100, sentence(r, 6 + msg % 12));
        }
        for (int i = 0; i < live.size(); i++) s.disconnect(live.get(i), closeAt.get(i));
        // 3,000 connections opened in the last 2 hours, still open.
        for (int n = 0; n < OPEN_CONNS; n++) {
            long at = now - 2 * HOUR + n * (119 * MINUTE) / OPEN_CONNS;
            s.connect(n % 3, "conn-" + hex(r, 16), user(CLOSED_CONNS + n), addr(CLOSED_CONNS + n), room((CLOSED_CONNS + n) % ROOMS), at, r);
            for (int k = 0; k < POSTS_PER_CONN; k++, msg++) s.post(room(msg % ROOMS), user(msg * 3 + 1), at + k * 100, sentence(r, 6 + msg % 12));
        }
        // presence: heartbeats of 12,000 users over the last 3 minutes; the sweep leaves the last 90 s (6,000)
        for (int h = 0; h < 2 * PRESENCE; h++) {
            long at = now - 180 * SECOND + h * 15L + 1;
            s.presence.heartbeat(7_000_000L + h * 11L, h % 5 == 0 ? "away" : "online", at);
        }
        s.presence.sweep(now);
        return s;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Server s = RUNNING;
        int total = s.fanout.subscribers.size();
        int stale = 0, push = 0, inbox = 0, feed = 0;
        for (Subscriber l : s.fanout.subscribers) {
            if (!l.deliverable()) stale++;
            if (l instanceof RoomPushListener) push++; else if (l instanceof InboxListener) inbox++; else feed++;
        }
        check(total == OPEN_CONNS, "subscribers " + total);
        check(stale == 0, "stale " + stale);
        check(s.listenerOf.size() == OPEN_CONNS, "listenerOf " + s.listenerOf.size());
        int closedInRing = 0;
        for (Object c : s.recentlyClosed.ring) {
            check(c != null, "recently-closed ring not full");
            if (c instanceof PushSocket ? !((PushSocket) c).open : c instanceof DeviceSession ? !((DeviceSession) c).active : ((FeedLink) c).state == LinkState.CLOSED) closedInRing++;
        }
        check(closedInRing == RECENTLY_CLOSED, "closed in ring " + closedInRing);
        check(s.recentlyClosed.total == CLOSED_CONNS, "closed total " + s.recentlyClosed.total);
        check(s.connections.open.size() == OPEN_CONNS, "open connections " + s.connections.open.size());
        check(ChannelCatalog.CHANNELS_BY_CODE.size() == CHANNELS, "channels");
        check(s.directory.users.size() == USERS, "users");
        check(s.history.rooms.size() == ROOMS, "rooms " + s.history.rooms.size());
        for (MessageRing ring : s.history.rooms.values()) for (Message m : ring.slots) check(m != null, "ring not full");
        check(s.presence.online.size() == PRESENCE, "presence " + s.presence.online.size());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out + ": " + total + " subscribers, all open (" + push + " push, "
            + inbox + " inbox, " + feed + " feed); open " + s.connections.open.size() + ", users " + s.directory.users.size()
            + ", recently closed " + RECENTLY_CLOSED + " of " + s.recentlyClosed.total + ", channels " + CHANNELS + ", rooms " + ROOMS + " x " + ROOM_RING + ", presence " + s.presence.online.size()
            + " (swept " + s.presence.swept + "), messages " + s.messageSeq + ", delivered " + s.fanout.delivered.sum());
        System.exit(0);
    }
}
