// hprofscan-dump: name=val66-leak-housekeeping-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val66-leak-housekeeping-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val66-leak-housekeeping jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val66-leak-housekeeping-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 66 (written blind), LEAK: the housekeeping dispatch service of a hotel group.
 * Hotel reference data, the room directory, a cache of rendered floor plans at its cap, a pool of
 * label-printer buffers, a ring of finished cleaning tasks, and an in-process publish/subscribe
 * broker (topics keyed by name, each with its subscriber list and a small backlog). Before it
 * assigns a room, the dispatcher asks the room-status service over the broker: it creates a private
 * reply topic ("reply-" + a UUID), subscribes a reply listener to it and sends the request with
 * replyTo = that topic. The reply arrives, but the reply topic is never deleted: the broker keeps
 * one topic (name, listener, backlog with the ack and the reply) per request ever made.
 * See VALIDATION66.md.
 */
public final class Val66LeakHousekeeping {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOTELS = 1_100, ROOMS = 24_000, PLAN_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 3_000, BACKLOG_CAP = 256;
    static final String[] LONG_TOPICS = {"roomstatus/requests", "tasks/assigned", "tasks/done", "minibar/usage", "linen/orders",
            "maintenance/tickets", "guest/dnd", "guest/checkout", "inspections/failed", "lostfound/items", "staff/shifts", "audit/events"};
    static boolean FIXED;

    record Hotel(String code, String city, double[] occupancyByWeek) {}
    record Room(String roomId, String hotelCode, String type, byte[] profile, long renovatedAt) {}
    record FloorPlan(String key, byte[] rendered, long at) {}
    record TaskDone(String roomId, String attendant, long at) {}
    record Message(long id, String kind, String replyTo, long at, byte[] payload) {}

    interface Subscriber { void onMessage(Message m); }

    /** Waits for the reply of one request. */
    static final class ReplyListener implements Subscriber {
        final String correlationId; final long sentAt; Message reply; int received;
        ReplyListener(String correlationId, long sentAt) { this.correlationId = correlationId; this.sentAt = sentAt; }
        @Override public void onMessage(Message m) { received++; if (m.kind().equals("ROOM_STATUS")) reply = m; }
    }

    /** A long-lived consumer (wall boards, the audit writer, ...). */
    static final class BoardSubscriber implements Subscriber {
        final String name; long received, lastAt;
        BoardSubscriber(String name) { this.name = name; }
        @Override public void onMessage(Message m) { received++; lastAt = m.at(); }
    }

    static final class Topic {
        final String name; final long createdAt; final int backlogCap;
        final List<Subscriber> subscribers = new ArrayList<>(2);
        final ArrayDeque<Message> backlog = new ArrayDeque<>();
        long published;
        Topic(String name, int backlogCap, long createdAt) { this.name = name; this.backlogCap = backlogCap; this.createdAt = createdAt; }
    }

    /** In-process publish/subscribe broker: topics keyed by name. */
    static final class Broker {
        final Map<String, Topic> topics = new HashMap<>();
        long created, deleted, published;
        Topic create(String name, int backlogCap, long at) { Topic t = new Topic(name, backlogCap, at); topics.put(name, t); created++; return t; }
        void subscribe(String name, Subscriber s) { topics.get(name).subscribers.add(s); }
        void publish(String name, Message m) {
            Topic t = topics.get(name);
            t.backlog.addLast(m);
            if (t.backlog.size() > t.backlogCap) t.backlog.removeFirst();
            t.published++; published++;
            for (Subscriber s : t.subscribers) s.onMessage(m);
        }
        void delete(String name) { if (topics.remove(name) != null) deleted++; }
    }

    static final class PlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hotel> HOTELS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Room> rooms = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final TaskDone[] done = new TaskDone[RING];
        long tasks, requests, replies;
        final Broker broker = new Broker();
        final List<BoardSubscriber> boards = new ArrayList<>();
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val66.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(66_010_001);
        String[] hotelCodes = new String[HOTELS];
        for (int h = 0; h < HOTELS; h++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            hotelCodes[h] = "HTL-" + (3_000 + h);
            HOTELS_BY_CODE.put(hotelCodes[h], new Hotel(hotelCodes[h], "City " + (h % 250), occ));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] roomIds = new String[ROOMS];
        String[] types = {"Single", "Double", "Twin", "Suite", "Family", "Accessible"};
        for (int r = 0; r < ROOMS; r++) {
            String hotel = hotelCodes[rnd.nextInt(HOTELS)];
            roomIds[r] = hotel + "-" + (100 + r % 900) + "-" + (r / 900);
            svc.rooms.put(roomIds[r], new Room(roomIds[r], hotel, types[r % types.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Broker broker = svc.broker;
        for (int k = 0; k < LONG_TOPICS.length; k++) {
            broker.create(LONG_TOPICS[k], BACKLOG_CAP, start);
            for (int s = 0; s <= k % 3; s++) {
                BoardSubscriber b = new BoardSubscriber(LONG_TOPICS[k] + "#" + s);
                svc.boards.add(b);
                broker.subscribe(LONG_TOPICS[k], b);
            }
        }
        Random traffic = new Random(66_010_002);
        String[] attendants = new String[300];
        for (int a = 0; a < attendants.length; a++) attendants[a] = "ATT-" + (10_000 + a);
        long msgId = 500_000_000L;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String room = roomIds[traffic.nextInt(ROOMS)];
            // request / reply over the broker
            String replyTo = "reply-" + new UUID(traffic.nextLong(), traffic.nextLong());
            broker.create(replyTo, 4, t);
            ReplyListener listener = new ReplyListener(replyTo, t);
            broker.subscribe(replyTo, listener);
            broker.publish("roomstatus/requests", new Message(msgId++, "GET_ROOM_STATUS", replyTo, t, new byte[40 + traffic.nextInt(40)]));
            svc.requests++;
            broker.publish(replyTo, new Message(msgId++, "ACK", null, t + 5, new byte[16]));
            broker.publish(replyTo, new Message(msgId++, "ROOM_STATUS", null, t + 20 + traffic.nextInt(200), new byte[60 + traffic.nextInt(60)]));
            check(listener.reply != null, "reply received");
            svc.replies++;
            if (FIXED) broker.delete(replyTo); // the fix: the reply topic is deleted once the reply is in
            // BUG: otherwise the reply topic stays in broker.topics
            // the task itself
            String attendant = attendants[traffic.nextInt(attendants.length)];
            broker.publish(LONG_TOPICS[1 + traffic.nextInt(LONG_TOPICS.length - 1)], new Message(msgId++, "TASK", null, t, new byte[30 + traffic.nextInt(50)]));
            svc.done[(int) (svc.tasks++ % RING)] = new TaskDone(room, attendant, t + 25 * MINUTE > end ? t : t + 25 * MINUTE);
            String key = "plan-" + traffic.nextInt(4_000);
            if (svc.plans.get(key) == null) svc.plans.put(key, new FloorPlan(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        int replyTopics = 0;
        for (String name : broker.topics.keySet()) if (name.startsWith("reply-")) replyTopics++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hotels " + HOTELS_BY_CODE.size() + " rooms " + svc.rooms.size() + " topics " + broker.topics.size() + " (reply topics " + replyTopics
                + ", created " + broker.created + ", deleted " + broker.deleted + ", published " + broker.published + ") requests " + svc.requests + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted
                + ") pool " + svc.labelBuffers.size() + " tasks " + svc.tasks + " boards " + svc.boards.size());
        check(HOTELS_BY_CODE.size() == HOTELS && svc.rooms.size() == ROOMS, "reference data / directory");
        check(svc.requests == requests && svc.replies == requests, "requests");
        check(replyTopics == (FIXED ? 0 : requests) && broker.topics.size() == LONG_TOPICS.length + replyTopics, "reply topics: " + replyTopics);
        for (String name : LONG_TOPICS) check(broker.topics.get(name).backlog.size() == BACKLOG_CAP, "long-lived backlog at cap: " + name);
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.tasks == requests && svc.done[Math.min(requests, RING) - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
