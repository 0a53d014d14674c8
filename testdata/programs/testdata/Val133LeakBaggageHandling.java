// hprofscan-dump: name=val133-leak-baggagehandling-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val133-leak-baggagehandling-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val133-leak-baggagehandling jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val133-leak-baggagehandling-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 133 (written blind), LEAK: the baggage-tracking service of an airport's baggage
 * handling system. It consumes the sorter and make-up scan messages (sorted, screened, loaded,
 * offloaded) from the BHS broker, which delivers at least once, so an idempotent consumer keeps the
 * ids of processed messages to drop redeliveries. It keeps every one: the map from message id to a
 * small receipt gains an entry per message and nothing ever expires them (redeliveries only come
 * within minutes). Station reference data, the directory of bags in the system, a cache of
 * reconciliation reports at its cap, a pool of scanner frame buffers, a ring of sort events and a
 * rush-bag queue with a normal backlog. Series: 2 / 4 / 8 simulated hours. See VALIDATION133.md.
 */
public final class Val133LeakBaggageHandling {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, RUSH_DELAY = 20 * MINUTE;
    static final int STATIONS = 1_000, BAGS = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, MESSAGES_PER_HOUR = 9_000, SORTERS = 6;
    static final String[] EVENTS = {"SORTED", "SCREENED", "LOADED", "OFFLOADED", "TRANSFER", "MANUAL-ENCODE"};
    static boolean FIXED;

    record Station(String iata, String name, double[] bagsByHalfHour) {}
    record Bag(String tag, String flight, String destination, byte[] bsm, long checkedInAt) {}
    record Report(String key, byte[] rendered, long at) {}
    record SortEvent(String messageId, String tag, String event, int chute, long at) {}
    record RushBag(String tag, String toFlight, String reason, long at) {}
    record Delivery(String messageId, int bag, int event, int chute, long due) {}
    /** What the consumer remembers of a processed message. */
    record Receipt(long processedAt, String tag, byte outcome) {}

    /** Drops redelivered messages: remembers the id of every message it processed. */
    static final class IdempotentConsumer {
        final ConcurrentHashMap<String, Receipt> processed = new ConcurrentHashMap<>();
        long firstDeliveries, redeliveriesDropped, expired;
        boolean firstDelivery(String id, String tag, long t) {
            if (processed.putIfAbsent(id, new Receipt(t, tag, (byte) 1)) != null) { redeliveriesDropped++; return false; }
            firstDeliveries++;
            return true;
        }
        /** The fix: forget ids older than an hour (redeliveries come within minutes). */
        void expire(long t) {
            int before = processed.size();
            processed.values().removeIf(r -> r.processedAt() < t - HOUR);
            expired += before - processed.size();
        }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class BaggageService {
        final Map<String, Bag> bags = new HashMap<>();
        final String[] tags = new String[BAGS];
        final IdempotentConsumer consumer = new IdempotentConsumer();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> scannerFrames = new ArrayDeque<>();
        final SortEvent[] sortEvents = new SortEvent[RING];
        final ArrayDeque<RushBag> rushQueue = new ArrayDeque<>();
        long events, rushQueued, rushSent;

        void onMessage(String id, int bagIdx, int event, int chute, Random r, long t) {
            Bag bag = bags.get(tags[bagIdx]);
            if (!consumer.firstDelivery(id, bag.tag(), t)) return;
            sortEvents[(int) (events++ % RING)] = new SortEvent(id, bag.tag(), EVENTS[event], chute, t);
            byte[] frame = scannerFrames.poll();
            frame[(int) (events % frame.length)] = (byte) chute;
            scannerFrames.add(frame);
            if (event == 5 && chute % 4 == 0) {
                rushQueue.addLast(new RushBag(bag.tag(), "XB" + (100 + chute * 7), "missed connection", t));
                rushQueued++;
            }
            String key = bag.flight() + "/recon/" + r.nextInt(6);
            if (reports.get(key) == null) reports.put(key, new Report(key, new byte[400 + r.nextInt(400)], t));
        }

        void sendRushBags(long t) {
            while (!rushQueue.isEmpty() && rushQueue.peekFirst().at() <= t - RUSH_DELAY) { rushQueue.pollFirst(); rushSent++; }
        }
    }

    static BaggageService SERVICE;
    static long MESSAGES, DELIVERIES;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String iata(int i) { return "" + (char) ('A' + i / 676 % 26) + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(133_030_001);
        String[] codes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] volume = new double[48];
            for (int k = 0; k < volume.length; k++) volume[k] = rnd.nextDouble() * 900;
            codes[s] = iata(2_000 + s * 7);
            STATIONS_BY_CODE.put(codes[s], new Station(codes[s], "Airport " + codes[s], volume));
        }
        BaggageService svc = new BaggageService();
        SERVICE = svc;
        for (int i = 0; i < BAGS; i++) {
            svc.tags[i] = "0" + (125 + i % 40) + String.format("%06d", 310_000 + i * 13);
            svc.bags.put(svc.tags[i], new Bag(svc.tags[i], "XB" + (100 + rnd.nextInt(700)), codes[rnd.nextInt(STATIONS)], new byte[150 + rnd.nextInt(150)], now - (30 + rnd.nextInt(600)) * MINUTE));
        }
        for (int b = 0; b < POOL; b++) svc.scannerFrames.add(new byte[32_768]);

        Random traffic = new Random(133_030_002), reports = new Random(133_030_003);
        int messages = MESSAGES_PER_HOUR * hours;
        long[] seq = new long[SORTERS];
        ArrayDeque<Delivery> redeliveries = new ArrayDeque<>();
        long nextMinute = start + MINUTE;
        for (int i = 0; i < messages; i++) {
            long t = start + (end - MINUTE - start) * i / messages;
            while (nextMinute <= t) {
                svc.sendRushBags(nextMinute);
                if (FIXED) svc.consumer.expire(nextMinute);
                nextMinute += MINUTE;
            }
            while (!redeliveries.isEmpty() && redeliveries.peekFirst().due() <= t) {
                Delivery d = redeliveries.pollFirst();
                svc.onMessage(d.messageId(), d.bag(), d.event(), d.chute(), reports, t);
                DELIVERIES++;
            }
            int sorter = traffic.nextInt(SORTERS);
            String id = "ID:bhs-sorter-" + (sorter + 1) + "-40" + (311 + sorter) + "-1:1:" + (1 + traffic.nextInt(4)) + ":1:" + (++seq[sorter]);
            int bag = traffic.nextInt(BAGS), event = traffic.nextInt(EVENTS.length), chute = 1 + traffic.nextInt(64);
            svc.onMessage(id, bag, event, chute, reports, t);
            MESSAGES++; DELIVERIES++;
            // the broker redelivers 1 message in 250 (an ack lost in a sorter PLC failover) 1-3 minutes later
            if (traffic.nextInt(250) == 0) redeliveries.addLast(new Delivery(id, bag, event, chute, t + (1 + traffic.nextInt(3)) * MINUTE));
        }
        while (!redeliveries.isEmpty() && redeliveries.peekFirst().due() <= end) {
            Delivery d = redeliveries.pollFirst();
            svc.onMessage(d.messageId(), d.bag(), d.event(), d.chute(), reports, d.due());
            DELIVERIES++;
        }
        svc.sendRushBags(end);
        if (FIXED) svc.consumer.expire(end);
    }

    static String report(int stage, int hours) {
        BaggageService svc = SERVICE;
        IdempotentConsumer c = svc.consumer;
        String line = (FIXED ? "FIXED " : "") + "stage " + stage + " (" + hours + " h) stations " + STATIONS_BY_CODE.size() + " bags " + svc.bags.size() + " messages " + MESSAGES + " deliveries " + DELIVERIES
                + " processed ids " + c.processed.size() + " (first deliveries " + c.firstDeliveries + ", redeliveries dropped " + c.redeliveriesDropped + ", expired " + c.expired + ")"
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.scannerFrames.size() + " sort events " + svc.events
                + " rush queued " + svc.rushQueued + " sent " + svc.rushSent + " backlog " + svc.rushQueue.size();
        check(STATIONS_BY_CODE.size() == STATIONS && svc.bags.size() == BAGS, "reference data / directory");
        check(MESSAGES == (long) MESSAGES_PER_HOUR * hours && c.firstDeliveries == MESSAGES && DELIVERIES == MESSAGES + c.redeliveriesDropped && c.redeliveriesDropped > 0, "messages");
        if (FIXED) check(c.processed.size() == c.firstDeliveries - c.expired && c.processed.size() < MESSAGES_PER_HOUR + 300, "ids of the last hour");
        else check(c.processed.size() == MESSAGES && c.expired == 0, "every processed id kept");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.scannerFrames.size() == POOL, "pool");
        check(svc.sortEvents[RING - 1] != null && svc.events == MESSAGES, "ring");
        check(svc.rushQueue.size() > 0 && svc.rushSent + svc.rushQueue.size() == svc.rushQueued, "rush queue");
        // the exact counts of VALIDATION133.md
        int k = stage - 1;
        check(c.redeliveriesDropped == new int[] {87, 154, 320}[k], "redeliveries dropped: " + c.redeliveriesDropped);
        check(c.processed.size() == (FIXED ? new int[] {8_924, 8_887, 8_868}[k] : new int[] {18_000, 36_000, 72_000}[k]), "processed ids: " + c.processed.size());
        check(svc.rushQueue.size() == new int[] {108, 133, 127}[k], "rush backlog: " + svc.rushQueue.size());
        return line;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val133.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(report(stage, hours));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
