// hprofscan-dump: name=val99-healthy-parceldepots-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val99-healthy-parceldepots-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val99-healthy-parceldepots jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val99-healthy-parceldepots-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 99 (written blind), HEALTHY: the operations service of a parcel carrier's depot
 * network. Depot reference data, the parcel directory, a ring of scan events (filling in stage 1,
 * wrapping from stage 2), a transactional outbox whose acknowledgement handler handles every topic
 * (only the messages of the last two relay passes are pending), a hand-written database connection
 * pool whose error path returns the connection (borrow, then everything inside try/finally), an
 * expiring cache of shipping-rate quotes with one-off keys and a sweeper every minute, and a static
 * list of shutdown callbacks holding only the components' callbacks (a label print registers a
 * temp-file cleanup and unregisters it when it completes). See VALIDATION99.md.
 */
public final class Val99HealthyParcelDepots {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RELAY_EVERY = 30_000L, QUOTE_TTL = 15 * MINUTE;
    static final int DEPOTS = 1_400, PARCELS = 25_000, SCAN_RING = 16_384, PREWARMED = 8, EVENTS_PER_HOUR = 12_000;
    static final String T_RECEIVED = "parcels.received", T_OUT = "parcels.out-for-delivery", T_DELIVERED = "parcels.delivered", T_WINDOW = "notifications.delivery-window";
    static final String[] SCAN_TOPICS = {T_RECEIVED, T_OUT, T_DELIVERED};

    record Depot(String code, String region, double[] hourlyCapacity) {}
    record Parcel(String trackingNo, String depotCode, String postcode, byte[] manifest, long acceptedAt) {}
    record ScanEvent(String trackingNo, String depotCode, String topic, long at) {}
    record Ack(long seq, String topic, long at) {}
    record QuoteKey(String fromPostcode, String toPostcode, int grams, int volumeCm3, String service) {}
    record Quote(long priceCents, int transitDays, byte[] breakdown) {}
    record Lease(PooledConnection connection, String caller, long borrowedAt) {}

    static final class OutboxMessage {
        final long seq; final String topic, aggregateId; final long createdAt; final byte[] payload;
        long sentAt; int attempts;
        OutboxMessage(long seq, String topic, String aggregateId, long createdAt, byte[] payload) {
            this.seq = seq; this.topic = topic; this.aggregateId = aggregateId; this.createdAt = createdAt; this.payload = payload;
        }
    }

    static final class Outbox {
        final LinkedHashMap<Long, OutboxMessage> messages = new LinkedHashMap<>();
        final ArrayDeque<Ack> brokerAcks = new ArrayDeque<>();
        long nextSeq = 1, appended, sent, acked, ackIgnored, relayPasses;
        void append(String topic, String aggregateId, long at, byte[] payload) {
            long seq = nextSeq++;
            messages.put(seq, new OutboxMessage(seq, topic, aggregateId, at, payload));
            appended++;
        }
        void relay(long at) {
            relayPasses++;
            for (Ack a; (a = brokerAcks.poll()) != null; ) onAck(a);
            for (OutboxMessage m : messages.values()) {
                if (m.sentAt == 0) { m.sentAt = at; m.attempts++; sent++; brokerAcks.add(new Ack(m.seq, m.topic, at + 25)); }
            }
        }
        void onAck(Ack a) {
            switch (a.topic()) {
                case T_RECEIVED:
                case T_OUT:
                case T_DELIVERED:
                case T_WINDOW:
                    messages.remove(a.seq());
                    acked++;
                    break;
                default:
                    ackIgnored++;
            }
        }
    }

    static final class PooledConnection {
        final int id; final String url; final long openedAt;
        final byte[] readBuffer = new byte[8_192], writeBuffer = new byte[4_096];
        final LinkedHashMap<String, byte[]> statementPlans = new LinkedHashMap<>(16, 0.75f, true);
        long uses;
        PooledConnection(int id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final IdentityHashMap<PooledConnection, Lease> leased = new IdentityHashMap<>();
        int opened; long borrows, returns;
        PooledConnection open(long at) { opened++; return new PooledConnection(opened, "jdbc:postgresql://depot-db-" + (opened % 2) + "/ops", at); }
        PooledConnection borrow(String caller, long at) {
            PooledConnection c = idle.poll();
            if (c == null) c = open(at);
            c.uses++; borrows++;
            leased.put(c, new Lease(c, caller, at));
            return c;
        }
        void release(PooledConnection c) { if (leased.remove(c) != null) { returns++; idle.push(c); } }
    }

    static final class QuoteCache {
        static final class Entry { final Quote quote; final long expiresAt; Entry(Quote q, long e) { quote = q; expiresAt = e; } }
        final ConcurrentHashMap<QuoteKey, Entry> entries = new ConcurrentHashMap<>();
        long hits, misses, swept, sweeps;
        Quote get(QuoteKey k, long now) {
            Entry e = entries.get(k);
            if (e == null || e.expiresAt <= now) { if (e != null) entries.remove(k, e); misses++; return null; }
            hits++;
            return e.quote;
        }
        void put(QuoteKey k, Quote q, long now) { entries.put(k, new Entry(q, now + QUOTE_TTL)); }
        void sweep(long now) {
            sweeps++;
            int before = entries.size();
            entries.values().removeIf(e -> e.expiresAt <= now);
            swept += before - entries.size();
        }
    }

    static final class ShutdownCleanup {
        static final List<Runnable> ON_SHUTDOWN = new ArrayList<>();
        static Runnable register(Runnable r) { ON_SHUTDOWN.add(r); return r; }
        static void unregister(Runnable r) { ON_SHUTDOWN.remove(r); }
    }

    static final class Components {
        static int runs;
        static void drainOutbox() { runs++; }
        static void closePool() { runs++; }
        static void deleteLabelSpool() { runs++; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DepotOps {
        final Map<String, Parcel> parcels = new HashMap<>();
        final ScanEvent[] scans = new ScanEvent[SCAN_RING];
        long scanned;
        final Outbox outbox = new Outbox();
        final ConnectionPool db = new ConnectionPool();
        final QuoteCache quotes = new QuoteCache();
        long labels, tempFilesDeleted, routings, unroutable, quoteRequests;

        void printLabel(Parcel p, Random r, long at) {
            byte[] label = new byte[2_000 + r.nextInt(2_000)];
            String path = "/var/spool/labels/" + p.trackingNo() + ".zpl";
            Runnable cleanup = ShutdownCleanup.register(() -> { if (label.length > 0 && path != null) tempFilesDeleted++; });
            try {
                label[0] = (byte) at;
                labels++;
            } finally {
                tempFilesDeleted++;
                ShutdownCleanup.unregister(cleanup);
            }
        }

        void route(Parcel p, Random r, long at) {
            PooledConnection c = db.borrow("RoutingApi.route", at);
            try {
                c.statementPlans.computeIfAbsent("SELECT * FROM route WHERE postcode = ?", k -> new byte[64 + r.nextInt(64)]);
                c.readBuffer[(int) (c.uses % c.readBuffer.length)] = 1;
                if (r.nextInt(30) == 0) throw new IllegalArgumentException("unknown postcode " + p.postcode());
                routings++;
            } finally {
                db.release(c);
            }
        }
    }

    static DepotOps SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(99_050_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] cap = new double[64];
            for (int k = 0; k < cap.length; k++) cap[k] = rnd.nextDouble() * 4_000;
            depotCodes[d] = "DPT-" + (d / 100) + "-" + (d % 100);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d / 100), cap));
        }
        DepotOps svc = new DepotOps();
        SERVICE = svc;
        ShutdownCleanup.register(Components::drainOutbox);
        ShutdownCleanup.register(Components::closePool);
        ShutdownCleanup.register(Components::deleteLabelSpool);
        String[] tracking = new String[PARCELS];
        for (int p = 0; p < PARCELS; p++) {
            tracking[p] = "JD" + (140_000_000 + p * 17) + "GB";
            svc.parcels.put(tracking[p], new Parcel(tracking[p], depotCodes[rnd.nextInt(DEPOTS)], "PC" + (1_000 + rnd.nextInt(8_000)), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(20)) * 24 * HOUR));
        }
        for (int c = 0; c < PREWARMED; c++) svc.db.idle.add(svc.db.open(start));
        Random traffic = new Random(99_050_002);
        Random work = new Random(99_050_003);
        long nextRelay = start + RELAY_EVERY, nextSweep = start + MINUTE;
        int maxQuotes = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextRelay <= t) { svc.outbox.relay(nextRelay); nextRelay += RELAY_EVERY; }
            while (nextSweep <= t) { svc.quotes.sweep(nextSweep); nextSweep += MINUTE; }
            Parcel p = svc.parcels.get(tracking[traffic.nextInt(PARCELS)]);
            int kind = traffic.nextInt(20);
            if (kind < 10) { // a scan at a depot
                String topic = SCAN_TOPICS[traffic.nextInt(SCAN_TOPICS.length)];
                svc.scans[(int) (svc.scanned++ % SCAN_RING)] = new ScanEvent(p.trackingNo(), p.depotCode(), topic, t);
                svc.outbox.append(topic, p.trackingNo(), t, new byte[60 + traffic.nextInt(80)]);
            } else if (kind < 12) { // the recipient is told the delivery window
                svc.outbox.append(T_WINDOW, p.trackingNo(), t, new byte[120 + traffic.nextInt(120)]);
            } else if (kind < 16) { // a shipping-rate quote (one-off parameters)
                QuoteKey k = new QuoteKey("PC" + (1_000 + traffic.nextInt(8_000)), "PC" + (1_000 + traffic.nextInt(8_000)), 100 + traffic.nextInt(30_000), 500 + traffic.nextInt(90_000),
                        traffic.nextBoolean() ? "NEXT_DAY" : "ECONOMY");
                if (svc.quotes.get(k, t) == null) svc.quotes.put(k, new Quote(300 + work.nextInt(3_000), 1 + work.nextInt(4), new byte[300 + work.nextInt(300)]), t);
                svc.quoteRequests++;
                maxQuotes = Math.max(maxQuotes, svc.quotes.entries.size());
            } else if (kind < 17) { // a label print with a temp file
                svc.printLabel(p, work, t);
            } else { // a routing query on the database
                try {
                    svc.route(p, work, t);
                } catch (IllegalArgumentException e) {
                    svc.unroutable++;
                }
            }
        }
        Outbox o = svc.outbox;
        ConnectionPool db = svc.db;
        QuoteCache q = svc.quotes;
        System.out.println("stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " parcels " + svc.parcels.size() + " scans " + svc.scanned + " outbox " + o.messages.size() + " (appended " + o.appended
                + ", acked " + o.acked + ", ignored " + o.ackIgnored + ", relay passes " + o.relayPasses + ") pool: opened " + db.opened + " idle " + db.idle.size() + " leased " + db.leased.size()
                + " (routings " + svc.routings + ", unroutable " + svc.unroutable + ") quotes " + q.entries.size() + " (max " + maxQuotes + ", requests " + svc.quoteRequests + ", swept " + q.swept
                + ") ON_SHUTDOWN " + ShutdownCleanup.ON_SHUTDOWN.size() + " (labels " + svc.labels + ", temp files deleted " + svc.tempFilesDeleted + ")");
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.parcels.size() == PARCELS, "reference data / directory");
        check(svc.scanned > 0 && svc.scans[(int) ((svc.scanned - 1) % SCAN_RING)] != null && (stage == 1 ? svc.scanned < SCAN_RING : svc.scanned > SCAN_RING), "scan ring");
        check(o.ackIgnored == 0 && o.messages.size() < 300 && o.acked + o.messages.size() == o.appended, "outbox drained: " + o.messages.size());
        check(db.leased.isEmpty() && db.opened == PREWARMED && db.idle.size() == PREWARMED && svc.unroutable > 0, "pool: all returned");
        check(q.entries.size() <= maxQuotes && maxQuotes < 1_200 && q.swept > 0, "quotes swept: " + q.entries.size());
        check(ShutdownCleanup.ON_SHUTDOWN.size() == 3 && svc.tempFilesDeleted == svc.labels && svc.labels > 0, "shutdown callbacks: components only");
    }

    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
