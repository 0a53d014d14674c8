// hprofscan-dump: name=val66-healthy-bicyclecouriers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val66-healthy-bicyclecouriers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val66-healthy-bicyclecouriers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val66-healthy-bicyclecouriers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 66 (written blind), HEALTHY: the dispatch service of a city bicycle-courier
 * company. Zone reference data, the courier directory, a cache of rendered price quotes at its cap,
 * a ring of delivery events, an in-process publish/subscribe broker whose per-request reply topics
 * are deleted as soon as the reply is in (long-lived topics keep a capped backlog), the back-office
 * session store (the dispatch wall board keeps its latest export under one attribute that each page
 * view replaces; staff sessions expire after 30 minutes idle), and a live-map websocket broadcaster
 * with a per-client outbound queue capped at 64 frames whose silent clients are closed after 90 s
 * without a pong. Warms up, then plateaus. See VALIDATION66.md.
 */
public final class Val66HealthyBicycleCouriers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 10_000L, PONG_TIMEOUT = 90_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int ZONES = 1_300, COURIERS = 20_000, QUOTE_CAP = 2_000, RING = 16_384, EVENTS_PER_HOUR = 6_000, BACKLOG_CAP = 256, CLIENTS = 300, QUEUE_CAP = 64;
    static final String[] LONG_TOPICS = {"jobs/new", "jobs/assigned", "jobs/picked-up", "jobs/delivered", "couriers/online", "couriers/offline", "zones/surge", "billing/events", "audit/events", "support/tickets"};

    record Zone(String code, String district, double[] demandByHour) {}
    record Courier(String courierId, String homeZone, byte[] profile, long joinedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record DeliveryEvent(String jobId, String courierId, String status, long at) {}
    record Message(long id, String kind, String replyTo, long at, byte[] payload) {}
    record Frame(long seq, long at, byte[] payload) {}
    record ExportResult(String query, int rows, long at, byte[] csv) {}

    interface Subscriber { void onMessage(Message m); }
    static final class ReplyListener implements Subscriber {
        final String correlationId; Message reply;
        ReplyListener(String correlationId) { this.correlationId = correlationId; }
        @Override public void onMessage(Message m) { if (m.kind().equals("ETA")) reply = m; }
    }
    static final class BoardSubscriber implements Subscriber {
        final String name; long received;
        BoardSubscriber(String name) { this.name = name; }
        @Override public void onMessage(Message m) { received++; }
    }
    static final class Topic {
        final String name; final int backlogCap; final List<Subscriber> subscribers = new ArrayList<>(2); final ArrayDeque<Message> backlog = new ArrayDeque<>();
        Topic(String name, int backlogCap) { this.name = name; this.backlogCap = backlogCap; }
    }
    static final class Broker {
        final Map<String, Topic> topics = new HashMap<>();
        long created, deleted, published;
        void create(String name, int cap) { topics.put(name, new Topic(name, cap)); created++; }
        void subscribe(String name, Subscriber s) { topics.get(name).subscribers.add(s); }
        void publish(String name, Message m) {
            Topic t = topics.get(name);
            t.backlog.addLast(m);
            if (t.backlog.size() > t.backlogCap) t.backlog.removeFirst();
            published++;
            for (Subscriber s : t.subscribers) s.onMessage(m);
        }
        void delete(String name) { if (topics.remove(name) != null) deleted++; }
    }

    static final class HttpSession {
        final String id, user; long lastAccess; final Map<String, Object> attributes = new HashMap<>();
        HttpSession(String id, String user, long at) { this.id = id; this.user = user; this.lastAccess = at; }
    }
    static final class SessionStore {
        final Map<String, HttpSession> sessions = new HashMap<>();
        long created, expired;
        HttpSession create(String id, String user, long at) { HttpSession s = new HttpSession(id, user, at); sessions.put(id, s); created++; return s; }
        void sweep(long now) { for (Iterator<HttpSession> it = sessions.values().iterator(); it.hasNext(); ) if (it.next().lastAccess < now - IDLE_TIMEOUT) { it.remove(); expired++; } }
    }

    static final class ClientSession {
        final long id; final long connectedAt; long lastPongAt, dropped; boolean vanished; final ArrayDeque<Frame> outbound = new ArrayDeque<>();
        ClientSession(long id, long at) { this.id = id; this.connectedAt = at; this.lastPongAt = at; }
    }
    static final class Broadcaster {
        final Map<Long, ClientSession> clients = new HashMap<>();
        long seq, closed, timedOut, droppedFrames;
        void broadcast(long at, Random r) {
            seq++;
            for (Iterator<ClientSession> it = clients.values().iterator(); it.hasNext(); ) {
                ClientSession c = it.next();
                if (c.lastPongAt < at - PONG_TIMEOUT) { it.remove(); timedOut++; continue; } // silent: closed
                c.outbound.addLast(new Frame(seq, at, new byte[40 + r.nextInt(40)]));
                if (c.outbound.size() > QUEUE_CAP) { c.outbound.removeFirst(); c.dropped++; droppedFrames++; }
                if (!c.vanished) { c.outbound.clear(); c.lastPongAt = at; }
            }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Courier> couriers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final DeliveryEvent[] events = new DeliveryEvent[RING];
        long eventsWritten, etaRequests;
        final Broker broker = new Broker();
        final SessionStore sessions = new SessionStore();
        HttpSession wallboard;
        final Broadcaster liveMap = new Broadcaster();
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(66_050_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] d = new double[64];
            for (int k = 0; k < d.length; k++) d[k] = rnd.nextDouble() * 12;
            zoneCodes[z] = "Z" + (z / 100) + "-" + (z % 100);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + (z / 100), d));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] courierIds = new String[COURIERS];
        for (int c = 0; c < COURIERS; c++) {
            courierIds[c] = "BK" + (600_000 + c * 3);
            svc.couriers.put(courierIds[c], new Courier(courierIds[c], zoneCodes[rnd.nextInt(ZONES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        Broker broker = svc.broker;
        int boards = 0;
        for (int k = 0; k < LONG_TOPICS.length; k++) {
            broker.create(LONG_TOPICS[k], BACKLOG_CAP);
            for (int s = 0; s <= k % 2; s++) { broker.subscribe(LONG_TOPICS[k], new BoardSubscriber(LONG_TOPICS[k] + "#" + s)); boards++; }
        }
        svc.wallboard = svc.sessions.create("JS-DISPATCH-WALL", "dispatch-wall", start);
        svc.wallboard.attributes.put("user", "dispatch-wall");
        svc.wallboard.attributes.put("locale", "en-GB");
        Broadcaster map = svc.liveMap;
        Random conn = new Random(66_050_002);
        Random frames = new Random(66_050_003);
        Random traffic = new Random(66_050_004);
        List<ClientSession> live = new ArrayList<>();
        long clientSeq = 1;
        for (int c = 0; c < CLIENTS; c++) { ClientSession s = new ClientSession(clientSeq++, start); map.clients.put(s.id, s); live.add(s); }
        long nextTick = start, nextSweep = start + MINUTE, msgId = 1, sessionSeq = 1, vanishedEver = 0;
        int exports = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextTick <= t) {
                if (conn.nextInt(10) == 0) {
                    ClientSession leaver = live.remove(conn.nextInt(live.size()));
                    if (conn.nextInt(5) == 0) { leaver.vanished = true; vanishedEver++; } else { map.clients.remove(leaver.id); map.closed++; }
                    ClientSession s = new ClientSession(clientSeq++, nextTick); map.clients.put(s.id, s); live.add(s);
                }
                map.broadcast(nextTick, frames);
                nextTick += TICK;
            }
            while (nextSweep <= t) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
            String job = "JOB" + (70_000_000 + i);
            String courier = courierIds[traffic.nextInt(COURIERS)];
            broker.publish(LONG_TOPICS[traffic.nextInt(LONG_TOPICS.length)], new Message(msgId++, "JOB", null, t, new byte[30 + traffic.nextInt(50)]));
            svc.events[(int) (svc.eventsWritten++ % RING)] = new DeliveryEvent(job, courier, i % 4 == 0 ? "DELIVERED" : "ASSIGNED", t);
            if (i % 2 == 0) { // ETA request over the broker; the reply topic is deleted once answered
                String replyTo = "reply-" + new UUID(traffic.nextLong(), traffic.nextLong());
                broker.create(replyTo, 4);
                ReplyListener l = new ReplyListener(replyTo);
                broker.subscribe(replyTo, l);
                broker.publish(replyTo, new Message(msgId++, "ETA", null, t + 30, new byte[60 + traffic.nextInt(60)]));
                check(l.reply != null, "reply");
                broker.delete(replyTo);
                svc.etaRequests++;
            }
            if (i % 6 == 0) { // the wall board refreshes its export: one attribute, replaced
                svc.wallboard.lastAccess = t;
                svc.wallboard.attributes.put("export-current", new ExportResult("status=OPEN", 20 + traffic.nextInt(200), t, new byte[400 + traffic.nextInt(400)]));
                exports++;
            }
            if (i % 25 == 0) { // a staff login
                HttpSession s = svc.sessions.create("JS-" + Long.toHexString(0x3B00_0000L + sessionSeq++), "staff" + traffic.nextInt(300), t);
                s.attributes.put("user", s.user);
                s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
                s.attributes.put("filters", new byte[100 + traffic.nextInt(100)]);
                s.lastAccess = Math.min(t + (long) traffic.nextInt(40) * MINUTE, end - MINUTE);
            }
            String key = "quote-" + traffic.nextInt(4_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
        }
        svc.sessions.sweep(end);
        int replyTopics = 0;
        for (String n : broker.topics.keySet()) if (n.startsWith("reply-")) replyTopics++;
        long vanishedPresent = 0, queued = 0, maxQueue = 0;
        for (ClientSession c : map.clients.values()) { if (c.vanished) vanishedPresent++; queued += c.outbound.size(); maxQueue = Math.max(maxQueue, c.outbound.size()); }
        System.out.println("stage " + stage + " zones " + ZONES_BY_CODE.size() + " couriers " + svc.couriers.size() + " events " + svc.eventsWritten + " topics " + broker.topics.size() + " (reply topics " + replyTopics + ", created " + broker.created
                + ", deleted " + broker.deleted + ") eta " + svc.etaRequests + " sessions " + svc.sessions.sessions.size() + " (created " + svc.sessions.created + ", expired " + svc.sessions.expired + ") wallboard attributes " + svc.wallboard.attributes.size()
                + " exports " + exports + " clients " + map.clients.size() + " (vanished present " + vanishedPresent + " of " + vanishedEver + ", closed " + map.closed + ", timed out " + map.timedOut + ", queued " + queued + ", max " + maxQueue
                + ", dropped frames " + map.droppedFrames + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") boards " + boards);
        check(ZONES_BY_CODE.size() == ZONES && svc.couriers.size() == COURIERS, "reference data / directory");
        check(replyTopics == 0 && broker.topics.size() == LONG_TOPICS.length && broker.deleted == svc.etaRequests, "reply topics deleted");
        for (String n : LONG_TOPICS) check(broker.topics.get(n).backlog.size() == BACKLOG_CAP, "backlog capped: " + n);
        check(svc.wallboard.attributes.size() == 3 && svc.sessions.sessions.get("JS-DISPATCH-WALL") == svc.wallboard, "wall board attributes");
        check(svc.sessions.sessions.size() < 250, "staff sessions expire");
        check(live.size() == CLIENTS && map.clients.size() == CLIENTS + vanishedPresent && vanishedPresent < 10 && maxQueue <= QUEUE_CAP, "live map bounded");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.eventsWritten == events && svc.events[Math.min(events, RING) - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
