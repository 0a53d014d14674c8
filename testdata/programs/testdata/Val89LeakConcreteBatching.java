// hprofscan-dump: name=val89-leak-concretebatching-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val89-leak-concretebatching-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val89-leak-concretebatching jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val89-leak-concretebatching-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 89 (written blind), LEAK: the truck-dispatch service of a ready-mix concrete
 * supplier. Batching-plant reference data, the mix-design directory, a cache of rendered delivery
 * tickets at its cap, a pool of ticket-printer buffers, a ring of recent truck loads, and a
 * transactional outbox: an ArrayList of OutboxMessage with a read cursor. Every batching event
 * (load batched, truck dispatched, on site, pour complete) is appended; a dispatcher pass every 30
 * seconds publishes the messages from the cursor to the end and advances the cursor after each
 * delivery, but never removes the delivered messages from the list, which therefore grows with
 * traffic forever. See VALIDATION89.md.
 */
public final class Val89LeakConcreteBatching {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PASS_EVERY = 30_000L;
    static final int PLANTS = 900, MIXES = 24_000, TICKET_CAP = 2_000, POOL = 8, RING = 2_048, EVENTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Plant(String code, String region, double[] moistureCurve) {}
    record MixDesign(String mixCode, String strengthClass, String plantCode, byte[] spec, long approvedAt) {}
    record Ticket(String key, byte[] rendered, long at) {}
    record Load(String ticketNo, String mixCode, String truck, double cubicMetres, long batchedAt) {}

    static final class OutboxMessage {
        final long id; final String topic, aggregateId; final long createdAt; final byte[] payload;
        long deliveredAt;
        OutboxMessage(long id, String topic, String aggregateId, long createdAt, byte[] payload) {
            this.id = id; this.topic = topic; this.aggregateId = aggregateId; this.createdAt = createdAt; this.payload = payload;
        }
    }

    /** Stands in for the message broker client: counts what it was given. */
    static final class BrokerClient {
        final Map<String, long[]> publishedByTopic = new HashMap<>();
        void publish(OutboxMessage m) { publishedByTopic.computeIfAbsent(m.topic, k -> new long[1])[0]++; }
    }

    /** Transactional outbox: messages in append order, cursor = index of the next one to deliver. */
    static final class Outbox {
        final ArrayList<OutboxMessage> messages = new ArrayList<>();
        int cursor;
        long appended, delivered, passes, compactions;
        void append(OutboxMessage m) { messages.add(m); appended++; }
        void dispatch(BrokerClient broker, long at) {
            passes++;
            while (cursor < messages.size()) {
                OutboxMessage m = messages.get(cursor);
                broker.publish(m);
                m.deliveredAt = at;
                cursor++;
                delivered++;
            }
            if (FIXED) { // drop the delivered prefix
                messages.subList(0, cursor).clear();
                cursor = 0;
                compactions++;
            }
            // BUG: the delivered messages stay in messages[0..cursor)
        }
    }

    static final class TicketCache extends LinkedHashMap<String, Ticket> {
        long evicted;
        TicketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Ticket> e) { if (size() > TICKET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Plant> PLANTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, MixDesign> mixDesigns = new HashMap<>();
        final TicketCache tickets = new TicketCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Load[] recentLoads = new Load[RING];
        long loads;
        final Outbox outbox = new Outbox();
        final BrokerClient broker = new BrokerClient();
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val89.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(89_010_001);
        String[] plantCodes = new String[PLANTS];
        for (int p = 0; p < PLANTS; p++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = 2 + rnd.nextDouble() * 6;
            plantCodes[p] = "PL-" + (3_100 + p);
            PLANTS_BY_CODE.put(plantCodes[p], new Plant(plantCodes[p], "Region " + (p % 45), curve));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] mixCodes = new String[MIXES];
        String[] classes = {"C20/25", "C25/30", "C30/37", "C32/40", "C35/45", "C40/50"};
        for (int m = 0; m < MIXES; m++) {
            mixCodes[m] = "MX" + (410_000 + m);
            svc.mixDesigns.put(mixCodes[m], new MixDesign(mixCodes[m], classes[m % classes.length], plantCodes[rnd.nextInt(PLANTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(89_010_002);
        String[] topics = {"load.batched", "truck.dispatched", "truck.on-site", "pour.complete"};
        long nextPass = start + PASS_EVERY;
        String ticketNo = null;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextPass <= t) { svc.outbox.dispatch(svc.broker, nextPass); nextPass += PASS_EVERY; }
            int step = i % 4;
            if (step == 0) {
                ticketNo = "DT-" + (60_000_000 + i / 4);
                String mix = mixCodes[traffic.nextInt(MIXES)];
                svc.recentLoads[(int) (svc.loads++ % RING)] = new Load(ticketNo, mix, "TRK-" + (100 + traffic.nextInt(400)), 4 + traffic.nextInt(70) / 10.0, t);
                String key = "tkt-" + traffic.nextInt(5_000);
                if (svc.tickets.get(key) == null) svc.tickets.put(key, new Ticket(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            }
            svc.outbox.append(new OutboxMessage(70_000_000L + i, topics[step], ticketNo, t, new byte[60 + traffic.nextInt(80)]));
        }
        Outbox o = svc.outbox;
        int passesExpected = hours * 120 - 3;
        long pending = o.appended - o.delivered;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " plants " + PLANTS_BY_CODE.size() + " mixes " + svc.mixDesigns.size() + " outbox " + o.messages.size() + " cursor " + o.cursor
                + " appended " + o.appended + " delivered " + o.delivered + " pending " + pending + " passes " + o.passes + " tickets " + svc.tickets.size() + " (evicted " + svc.tickets.evicted + ") pool " + svc.printBuffers.size() + " loads " + svc.loads);
        check(PLANTS_BY_CODE.size() == PLANTS && svc.mixDesigns.size() == MIXES, "reference data / directory");
        check(o.appended == events && o.passes == passesExpected && pending > 0 && pending < 100, "outbox traffic: " + o.passes + " passes, " + pending + " pending");
        if (FIXED) check(o.messages.size() == pending && o.cursor == 0, "compacted outbox");
        else check(o.messages.size() == events && o.cursor == o.delivered, "outbox keeps everything: " + o.messages.size());
        check(svc.tickets.size() == TICKET_CAP && svc.tickets.evicted > 0, "ticket cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.loads == events / 4 && svc.recentLoads[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
