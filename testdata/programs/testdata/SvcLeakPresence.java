// hprofscan-dump: name=svc-leak-presence jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-presence-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 9): a presence service. Every client session registers a
 * {@code PresenceListener} (which keeps its session) in {@code PresenceHub.listeners}, a
 * {@code ConcurrentHashMap.newKeySet()}; closing a session marks it closed and drops it from the
 * open-session map, but never removes its listener (the hub skips closed ones). 5,000 stale
 * listeners beside 400 live ones. Beside it, legitimately: 30,000 live topic subscriptions in
 * another {@code newKeySet()} (every one of a registered user, delivered to within the last
 * hour), a user directory loaded at startup, a static topic catalog and a ring of recent presence
 * changes. Sessions were opened in an order that does not follow their timestamps (a reconnect
 * storm replays them shuffled). See testdata/SCENARIOS.md, "Session 9 tuning apps".
 */
public final class SvcLeakPresence {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 10 * HOUR;
    static final int STALE = 5_000;
    static final int LIVE = 400;
    static final int USERS = 30_000;
    static final int SUBSCRIPTIONS = 30_000;
    static final int TOPICS = 4_000;
    static final int RING = 1_024;
    static final int SEND_BUFFER = 768;

    static Service RUNNING;

    static final class ClientSession {
        final String id; final long userId; final String remoteAddr; final String device; final long openedAt; final byte[] sendBuffer = new byte[SEND_BUFFER];
        volatile boolean closed; long closedAt; long lastPingAt;
        ClientSession(String id, long userId, String remoteAddr, String device, long openedAt) { this.id = id; this.userId = userId; this.remoteAddr = remoteAddr; this.device = device; this.openedAt = openedAt; this.lastPingAt = openedAt; }
    }

    /** Called when a watched user's presence changes; owned by one session. */
    static final class PresenceListener {
        final ClientSession owner; final long[] watchedUsers; final long registeredAt;
        PresenceListener(ClientSession owner, long[] watchedUsers, long registeredAt) { this.owner = owner; this.watchedUsers = watchedUsers; this.registeredAt = registeredAt; }
        void onChange(long userId, String status) { if (!owner.closed) owner.lastPingAt++; }
    }

    /** Leaking: listeners are added on open and never removed on close. */
    static final class PresenceHub {
        final Set<PresenceListener> listeners = ConcurrentHashMap.newKeySet();
        final LongAdder notified = new LongAdder();
        void publish(long userId, String status) {
            for (PresenceListener l : listeners) { if (l.owner.closed) continue; l.onChange(userId, status); notified.increment(); }
        }
    }

    /** Legitimate: open sessions by id; removed on close. */
    static final class SessionRegistry {
        final ConcurrentHashMap<String, ClientSession> open = new ConcurrentHashMap<>();
    }

    static final class Subscription {
        final long userId; final String topic; final long createdAt; long lastDeliveredAt; int delivered;
        Subscription(long userId, String topic, long createdAt) { this.userId = userId; this.topic = topic; this.createdAt = createdAt; this.lastDeliveredAt = createdAt; }
        @Override public int hashCode() { return Long.hashCode(userId) * 31 + topic.hashCode(); }
        @Override public boolean equals(Object o) { return o instanceof Subscription && ((Subscription) o).userId == userId && ((Subscription) o).topic.equals(topic); }
    }

    /** Legitimate: the users' durable topic subscriptions (one per user), all live. */
    static final class SubscriptionIndex {
        final Set<Subscription> live = ConcurrentHashMap.newKeySet();
    }

    static final class User {
        final long id; final String handle; final String displayName; final String timeZone; final byte[] avatarThumb; final long createdAt;
        User(long id, String handle, String displayName, String timeZone, byte[] avatarThumb, long createdAt) { this.id = id; this.handle = handle; this.displayName = displayName; this.timeZone = timeZone; this.avatarThumb = avatarThumb; this.createdAt = createdAt; }
    }

    /** Legitimate: every registered user, loaded at startup. */
    static final class UserDirectory {
        final HashMap<Long, User> users = new HashMap<>();
    }

    static final class Topic {
        final String slug; final String title; final String description;
        Topic(String slug, String title, String description) { this.slug = slug; this.title = title; this.description = description; }
    }

    /** Legitimate: the topic catalog, static reference data. */
    static final class TopicCatalog {
        static final HashMap<String, Topic> BY_SLUG = new HashMap<>();
    }

    static final class Change {
        final long userId; final String status; final long at;
        Change(long userId, String status, long at) { this.userId = userId; this.status = status; this.at = at; }
    }

    /** Legitimate: the last RING presence changes, overwritten in place. */
    static final class ChangeRing {
        final Change[] slots = new Change[RING];
        int next; long total;
        void add(Change c) { slots[next] = c; next = (next + 1) % RING; total++; }
    }

    static final class Service {
        final PresenceHub hub = new PresenceHub();
        final SessionRegistry sessions = new SessionRegistry();
        final SubscriptionIndex subscriptions = new SubscriptionIndex();
        final UserDirectory directory = new UserDirectory();
        final ChangeRing changes = new ChangeRing();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void count(String k) { counters.computeIfAbsent(k, x -> new LongAdder()).increment(); }

        ClientSession open(String id, long userId, String addr, String device, long at, long[] watched) {
            ClientSession c = new ClientSession(id, userId, addr, device, at);
            sessions.open.put(id, c);
            hub.listeners.add(new PresenceListener(c, watched, at + 15));
            count("open");
            return c;
        }

        /** Marks the session closed and drops it from the registry; the listener stays (the bug). */
        void close(ClientSession c, long at) { c.closed = true; c.closedAt = at; sessions.open.remove(c.id); count("close"); }

        void change(long userId, String status, long at) { changes.add(new Change(userId, status, at)); hub.publish(userId, status); }
    }

    static final String[] WORDS = {"nimbus", "copper", "atlas", "willow", "vertex", "saffron", "tundra", "orchid", "beacon", "cobalt", "juniper", "prism"};
    static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "America/Sao_Paulo", "Asia/Kolkata"};
    static final String[] DEVICES = {"ios", "android", "web", "desktop"};

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static long userId(int k) { return 3_000_000L + k * 7L; }

    static String topic(int t) { return "topic/" + WORDS[t % WORDS.length] + "-" + t; }

    static Service build(long now) {
        long start = now - UPTIME;
        Random r = new Random(0x9e5e_2026L);
        Service s = new Service();
        for (int t = 0; t < TOPICS; t++) TopicCatalog.BY_SLUG.put(topic(t), new Topic(topic(t), WORDS[t % WORDS.length] + " " + t, "Updates about " + WORDS[(t * 5) % WORDS.length] + " and " + WORDS[(t * 7) % WORDS.length] + " for team " + t));
        for (int k = 0; k < USERS; k++) {
            byte[] thumb = new byte[128];
            r.nextBytes(thumb);
            s.directory.users.put(userId(k), new User(userId(k), WORDS[k % WORDS.length] + k, WORDS[(k / 3) % WORDS.length] + " " + WORDS[(k / 11) % WORDS.length], ZONES[k % ZONES.length], thumb, start - (1 + k % 800) * DAY));
        }
        // Subscriptions: created 1-200 days ago, delivered to within the last hour, inserted in random order of users.
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < SUBSCRIPTIONS; k++) order.add(k);
        Collections.shuffle(order, r);
        for (int k : order) {
            Subscription sub = new Subscription(userId(k), topic(r.nextInt(TOPICS)), start - (1 + k % 200) * DAY);
            sub.lastDeliveredAt = now - r.nextInt(60) * MINUTE - r.nextInt(60) * SECOND;
            sub.delivered = 1 + r.nextInt(5_000);
            s.subscriptions.live.add(sub);
        }
        // Sessions opened over 9.5 hours, closed 1-120 minutes later; opened in shuffled order (a reconnect storm replays them).
        List<Long> opens = new ArrayList<>();
        for (int n = 0; n < STALE; n++) opens.add(start + 5 * MINUTE + (UPTIME - 2 * HOUR - 15 * MINUTE) * n / STALE);
        Collections.shuffle(opens, r);
        for (int n = 0; n < STALE; n++) {
            long at = opens.get(n);
            int k = r.nextInt(USERS);
            ClientSession c = s.open("ps-" + hex(r, 20), userId(k), "172.16." + (k % 250) + "." + (n % 250) + ":" + (40_000 + n), DEVICES[n % DEVICES.length], at, watched(r));
            s.close(c, at + (1 + r.nextInt(120)) * MINUTE);
            if (n % 5 == 0) s.change(userId(k), n % 10 == 0 ? "away" : "online", at);
        }
        // 400 sessions opened in the last 45 minutes, still open.
        for (int n = 0; n < LIVE; n++) {
            long at = now - 45 * MINUTE + n * (44 * MINUTE) / LIVE;
            int k = r.nextInt(USERS);
            ClientSession c = s.open("ps-" + hex(r, 20), userId(k), "172.17." + (k % 250) + "." + (n % 250) + ":" + (40_000 + n), DEVICES[n % DEVICES.length], at, watched(r));
            c.lastPingAt = now - r.nextInt(30) * SECOND;
            s.change(userId(k), "online", at);
        }
        return s;
    }

    static long[] watched(Random r) {
        long[] w = new long[12];
        for (int i = 0; i < w.length; i++) w[i] = userId(r.nextInt(USERS));
        return w;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Service s = RUNNING;
        int total = s.hub.listeners.size();
        int stale = 0;
        for (PresenceListener l : s.hub.listeners) if (l.owner.closed) stale++;
        check(total == STALE + LIVE, "listeners " + total);
        check(stale == STALE, "stale " + stale);
        check(s.sessions.open.size() == LIVE, "open " + s.sessions.open.size());
        check(s.subscriptions.live.size() == SUBSCRIPTIONS, "subscriptions " + s.subscriptions.live.size());
        check(s.directory.users.size() == USERS, "users");
        check(TopicCatalog.BY_SLUG.size() == TOPICS, "topics");
        for (Change c : s.changes.slots) check(c != null, "ring not full");
        if (Boolean.getBoolean("presence.dropStale")) s.hub.listeners.removeIf(l -> l.owner.closed); // measuring runs only
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out + ": " + stale + " stale listeners / " + total + " in PresenceHub.listeners; open sessions " + s.sessions.open.size()
            + ", subscriptions " + s.subscriptions.live.size() + ", users " + USERS + ", topics " + TOPICS + ", changes " + s.changes.total
            + ", notified " + s.hub.notified.sum());
        System.exit(0);
    }
}
