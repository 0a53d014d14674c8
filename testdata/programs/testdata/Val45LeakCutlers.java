// hprofscan-dump: name=val45-leak-cutlers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val45-leak-cutlers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
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
 * Validation set 45 (written blind), LEAK: the order-progress service of a knife-making workshop
 * (cutlers). Steel-grade reference data, the knife-design directory, a cache of rendered spec
 * sheets at its cap, a pool of engraving buffers, a ring of forge telemetry readings, the
 * workshop's step scheduler, and an in-process publish/subscribe broker. Each order gets its own
 * topic "orders/CU-<id>/progress" with a replay buffer of its last 5 events, so that a tracking
 * page opened late sees the recent progress. When the order ships or is cancelled its subscribers
 * unsubscribe, but the topic is never deleted: one small topic per order since start. See
 * VALIDATION45.md.
 */
public final class Val45LeakCutlers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STEELS = 900, DESIGNS = 22_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, TICKS = 60_000, HOURS = 10;
    static final int ORDER_REPLAY = 5, TELEMETRY_REPLAY = 256, ALERT_REPLAY = 64;
    static final String[] STAGES = {"PLACED", "FORGED", "HEAT_TREATED", "GROUND", "HANDLE_FITTED", "SHARPENED", "ENGRAVED", "SHIPPED", "CANCELLED"};
    static boolean FIXED;

    record SteelGrade(String code, String family, double[] hardnessCurve) {}
    record KnifeDesign(String sku, String steelCode, String pattern, byte[] drawing, long publishedAt) {}
    record SpecSheet(String key, byte[] rendered, long at) {}
    record StationReading(String station, int tempC, long at) {}
    record TopicEvent(String type, long at, byte[] payload) {}

    interface Subscriber { void onEvent(String topic, TopicEvent e); }
    /** A customer's order-tracking page (a websocket session). */
    static final class TrackingPage implements Subscriber {
        final String orderId; long received;
        TrackingPage(String orderId) { this.orderId = orderId; }
        public void onEvent(String topic, TopicEvent e) { received++; }
    }
    /** The workshop's wall board; one instance, subscribed to every open order. */
    static final class WorkshopBoard implements Subscriber {
        long received;
        public void onEvent(String topic, TopicEvent e) { received++; }
    }

    static final class Topic {
        final String name; final long createdAt; final int replayCap;
        final ArrayDeque<TopicEvent> replay;
        final List<Subscriber> subscribers = new ArrayList<>(2);
        long published;
        Topic(String name, int replayCap, long at) { this.name = name; this.replayCap = replayCap; this.createdAt = at; this.replay = new ArrayDeque<>(replayCap); }
        void publish(TopicEvent e) {
            if (replay.size() == replayCap) replay.removeFirst();
            replay.addLast(e);
            published++;
            for (Subscriber s : subscribers) s.onEvent(name, e);
        }
    }

    static final class Broker {
        final Map<String, Topic> topics = new HashMap<>();
        long created, deleted;
        Topic create(String name, int replayCap, long at) { Topic t = new Topic(name, replayCap, at); topics.put(name, t); created++; return t; }
        void subscribe(String name, Subscriber s) { topics.get(name).subscribers.add(s); }
        void unsubscribe(String name, Subscriber s) { topics.get(name).subscribers.remove(s); }
        void publish(String name, TopicEvent e) { topics.get(name).publish(e); }
        void delete(String name) { if (topics.remove(name) != null) deleted++; }
    }

    static final class OrderState {
        final String orderId, topic; final boolean engrave, cancel; final TrackingPage page;
        int stage; // index into STAGES of the last published event
        OrderState(String orderId, boolean engrave, boolean cancel) { this.orderId = orderId; this.topic = "orders/" + orderId + "/progress"; this.engrave = engrave; this.cancel = cancel; this.page = new TrackingPage(orderId); }
        /** The next stage after the current one, or -1 when finished. */
        int nextStage() {
            if (stage == 7 || stage == 8) return -1;
            if (stage == 0 && cancel) return 8;
            if (stage == 5) return engrave ? 6 : 7;
            return stage + 1;
        }
    }

    record Step(long at, long seq, OrderState order) implements Comparable<Step> {
        public int compareTo(Step o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static final class WorkshopScheduler {
        final PriorityQueue<Step> queue = new PriorityQueue<>();
        long seq;
        void schedule(OrderState o, long at) { queue.add(new Step(at, seq++, o)); }
    }

    static final class SheetCache extends LinkedHashMap<String, SpecSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SpecSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SteelGrade> STEELS_BY_CODE = new HashMap<>();

    static final class ProgressService {
        final Map<String, KnifeDesign> designs = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> engravingBuffers = new ArrayDeque<>();
        final StationReading[] readings = new StationReading[RING];
        long readingsWritten;
        final WorkshopScheduler scheduler = new WorkshopScheduler();
        final Broker broker = new Broker();
        final WorkshopBoard board = new WorkshopBoard();
        long placed, shipped, cancelled;

        void advance(Step s, Random r) {
            OrderState o = s.order();
            int next = o.nextStage();
            o.stage = next;
            broker.publish(o.topic, new TopicEvent(STAGES[next], s.at(), new byte[40 + r.nextInt(40)]));
            if (next == 7 || next == 8) {
                if (next == 7) shipped++; else cancelled++;
                broker.unsubscribe(o.topic, o.page);
                broker.unsubscribe(o.topic, board);
                if (FIXED) broker.delete(o.topic);
                // BUG: the order's topic (name, replay buffer of its last events) stays in broker.topics forever
            } else {
                scheduler.schedule(o, s.at() + (3 + r.nextInt(8)) * MINUTE + r.nextInt(60) * 1_000L);
            }
        }
    }

    static ProgressService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(long now) {
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(45_020_001);
        String[] steelCodes = new String[STEELS];
        String[] families = {"carbon", "stainless", "damascus", "tool", "powder"};
        for (int s = 0; s < STEELS; s++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = 52 + rnd.nextDouble() * 12;
            steelCodes[s] = "ST-" + (1_000 + s);
            STEELS_BY_CODE.put(steelCodes[s], new SteelGrade(steelCodes[s], families[s % families.length], curve));
        }
        ProgressService svc = new ProgressService();
        SERVICE = svc;
        String[] patterns = {"gyuto", "santoku", "petty", "bread", "cleaver", "hunter", "skinner", "folder"};
        for (int d = 0; d < DESIGNS; d++) {
            String sku = "KD-" + (60_000 + d);
            svc.designs.put(sku, new KnifeDesign(sku, steelCodes[rnd.nextInt(STEELS)], patterns[d % patterns.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.engravingBuffers.add(new byte[32_768]);
        svc.broker.create("forge/telemetry", TELEMETRY_REPLAY, start);
        svc.broker.create("workshop/alerts", ALERT_REPLAY, start);
        String[] stations = new String[12];
        for (int k = 0; k < stations.length; k++) stations[k] = "forge-" + (k + 1);
        Random traffic = new Random(45_020_002);
        Random workshop = new Random(45_020_003);
        int orderNo = 0;
        for (int i = 0; i < TICKS; i++) {
            long t = start + (end - MINUTE - start) * i / TICKS;
            while (!svc.scheduler.queue.isEmpty() && svc.scheduler.queue.peek().at() <= t) svc.advance(svc.scheduler.queue.poll(), workshop);
            StationReading reading = new StationReading(stations[traffic.nextInt(stations.length)], 700 + traffic.nextInt(500), t);
            svc.readings[(int) (svc.readingsWritten++ % RING)] = reading;
            if (i % 4 == 0) svc.broker.publish("forge/telemetry", new TopicEvent("READING", t, new byte[40 + traffic.nextInt(40)]));
            if (i % 200 == 0) svc.broker.publish("workshop/alerts", new TopicEvent("ALERT", t, new byte[40 + traffic.nextInt(40)]));
            if (i % 3 == 0) {
                String key = "sheet-" + traffic.nextInt(4_500);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new SpecSheet(key, new byte[500 + traffic.nextInt(500)], t));
            }
            if (i % 6 == 0) {
                OrderState o = new OrderState("CU-" + (7_200_000 + orderNo++), traffic.nextInt(10) < 4, traffic.nextInt(100) < 5);
                svc.placed++;
                svc.broker.create(o.topic, ORDER_REPLAY, t);
                svc.broker.subscribe(o.topic, o.page);
                svc.broker.subscribe(o.topic, svc.board);
                svc.broker.publish(o.topic, new TopicEvent(STAGES[0], t, new byte[40 + traffic.nextInt(40)]));
                svc.scheduler.schedule(o, t + (3 + traffic.nextInt(8)) * MINUTE + traffic.nextInt(60) * 1_000L);
                byte[] buf = svc.engravingBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.engravingBuffers.add(buf);
            }
        }
        while (!svc.scheduler.queue.isEmpty() && svc.scheduler.queue.peek().at() < end) svc.advance(svc.scheduler.queue.poll(), workshop);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val45.fixed");
        run(System.currentTimeMillis());
        ProgressService svc = SERVICE;
        Broker b = svc.broker;
        long open = svc.placed - svc.shipped - svc.cancelled;
        int orderTopics = 0, orderTopicsWithSubscribers = 0, replayEvents = 0;
        for (Topic t : b.topics.values()) {
            if (!t.name.startsWith("orders/")) continue;
            orderTopics++;
            if (!t.subscribers.isEmpty()) orderTopicsWithSubscribers++;
            replayEvents += t.replay.size();
        }
        System.out.println((FIXED ? "FIXED " : "") + "steels " + STEELS_BY_CODE.size() + " designs " + svc.designs.size() + " placed " + svc.placed + " shipped " + svc.shipped + " cancelled " + svc.cancelled + " open " + open
                + " topics " + b.topics.size() + " (order topics " + orderTopics + " with subscribers " + orderTopicsWithSubscribers + ", replay events " + replayEvents + ", created " + b.created + ", deleted " + b.deleted + ") scheduled " + svc.scheduler.queue.size()
                + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.engravingBuffers.size() + " readings " + svc.readingsWritten + " board events " + svc.board.received);
        check(STEELS_BY_CODE.size() == STEELS && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.placed == TICKS / 6 && svc.scheduler.queue.size() == open && orderTopicsWithSubscribers == open, "orders: " + open);
        if (FIXED) check(orderTopics == open && b.deleted == svc.shipped + svc.cancelled, "fixed: only open orders have a topic");
        else check(orderTopics == svc.placed && b.deleted == 0, "every order's topic is kept: " + orderTopics);
        check(b.topics.get("forge/telemetry").replay.size() == TELEMETRY_REPLAY && b.topics.get("workshop/alerts").replay.size() == ALERT_REPLAY, "system topics' replay buffers full");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.engravingBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == TICKS && svc.readings[RING - 1] != null, "ring");
        svc = null; b = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
