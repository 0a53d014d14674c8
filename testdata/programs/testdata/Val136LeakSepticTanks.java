// hprofscan-dump: name=val136-leak-septictanks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val136-leak-septictanks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val136-leak-septictanks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val136-leak-septictanks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 136 (written blind), LEAK (growth series 2 / 4 / 8 h): the job service of a
 * septic-tank emptying company (tanker crews, waste-transfer notes, invoicing). Treatment-works
 * reference data, the directory of customer properties, a cache of route sheets at its cap, a pool
 * of manifest buffers, a ring of completed jobs, the booking queue with a normal backlog, and a
 * transactional outbox (LinkedHashMap<Long, OutboxRecord>) written with every completed job. Its
 * relay publishes the PENDING records every 30 s and marks them SENT; the cleanup job deletes the
 * records in state DELIVERED every 10 minutes; but the broker's delivery acknowledgement, which
 * would set DELIVERED, was never wired to the outbox: every sent record stays, with its payload.
 * See VALIDATION136.md.
 */
public final class Val136LeakSepticTanks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long RELAY_EVERY = 30 * SECOND, CLEANUP_EVERY = 10 * MINUTE, DISPATCH_AFTER = 30 * MINUTE;
    static final int WORKS = 1_000, PROPERTIES = 20_000, SHEET_CAP = 2_000, SHEET_KEYS = 6_000, POOL = 8, RING = 2_048, JOBS_PER_HOUR = 1_250;
    static boolean FIXED;

    enum OutboxState { PENDING, SENT, DELIVERED }

    record TreatmentWorks(String code, String name, String catchment, double[] intakeByHalfHour) {}
    record Property(String reference, String postcode, String tankType, int capacityLitres, byte[] accessNotes, long lastEmptiedAt) {}
    record RouteSheet(String key, byte[] rendered, long at) {}
    record CompletedJob(String jobId, String propertyRef, String worksCode, String tanker, int litres, long at) {}
    record Booking(String propertyRef, long bookedAt) {}

    static final class OutboxRecord {
        final long id; final String aggregateId; final String topic; final byte[] payload; final long createdAt;
        OutboxState state = OutboxState.PENDING; long sentAt, deliveredAt;
        OutboxRecord(long id, String aggregateId, String topic, byte[] payload, long createdAt) {
            this.id = id; this.aggregateId = aggregateId; this.topic = topic; this.payload = payload; this.createdAt = createdAt;
        }
    }

    interface AckListener { void delivered(long recordId, long at); }

    /** The message broker: counts what it publishes and confirms each message on its next poll to the registered ack listener, if any. */
    static final class OutboxBroker {
        final Map<String, Long> publishedByTopic = new HashMap<>();
        final List<Long> unconfirmed = new ArrayList<>();
        AckListener ackListener;
        long published, confirmed, confirmsDropped;
        void publish(OutboxRecord r) { publishedByTopic.merge(r.topic, 1L, Long::sum); published++; unconfirmed.add(r.id); }
        void onAck(AckListener l) { ackListener = l; }
        void poll(long now) {
            for (Long id : unconfirmed) { if (ackListener != null) { ackListener.delivered(id, now); confirmed++; } else confirmsDropped++; }
            unconfirmed.clear();
        }
    }

    /** The transactional outbox: a record per event, written in the job's transaction; relay and cleanup run on schedules. */
    static final class JobOutbox {
        final LinkedHashMap<Long, OutboxRecord> records = new LinkedHashMap<>();
        final OutboxBroker broker;
        long nextId = 31_000_000, created, relayRuns, cleanups, deleted;
        JobOutbox(OutboxBroker broker) { this.broker = broker; }
        void append(String aggregateId, String topic, byte[] payload, long t) { long id = nextId++; records.put(id, new OutboxRecord(id, aggregateId, topic, payload, t)); created++; }
        /** The acknowledgement handler: meant to be registered with the broker (see wire()). */
        void markDelivered(long id, long at) { OutboxRecord r = records.get(id); if (r != null && r.state == OutboxState.SENT) { r.state = OutboxState.DELIVERED; r.deliveredAt = at; } }
        void relay(long now) {
            relayRuns++;
            broker.poll(now);
            for (OutboxRecord r : records.values()) {
                if (r.state != OutboxState.PENDING) continue;
                broker.publish(r);
                r.state = OutboxState.SENT; r.sentAt = now;
            }
        }
        void cleanup(long now) {
            cleanups++;
            int before = records.size();
            records.values().removeIf(r -> r.state == OutboxState.DELIVERED);
            deleted += before - records.size();
        }
        int count(OutboxState s) { int n = 0; for (OutboxRecord r : records.values()) if (r.state == s) n++; return n; }
    }

    static final class SheetCache extends LinkedHashMap<String, RouteSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TreatmentWorks> WORKS_BY_CODE = new HashMap<>();

    static final class JobService {
        final Map<String, Property> properties = new HashMap<>();
        final String[] propertyRefs = new String[PROPERTIES];
        final String[] worksCodes = new String[WORKS];
        final SheetCache routeSheets = new SheetCache();
        final ArrayDeque<byte[]> manifestBuffers = new ArrayDeque<>();
        final CompletedJob[] recentJobs = new CompletedJob[RING];
        final ArrayDeque<Booking> bookings = new ArrayDeque<>();
        final OutboxBroker broker = new OutboxBroker();
        final JobOutbox outbox = new JobOutbox(broker);
        long jobs, litres, booked, dispatched;

        void wire() {
            // BUG: the broker's delivery confirmations were meant to go to outbox.markDelivered; the
            // registration was lost when the relay moved to the new broker client.
            if (FIXED) broker.onAck(outbox::markDelivered);
        }

        void completeJob(Random r, long t) {
            Property p = properties.get(propertyRefs[r.nextInt(PROPERTIES)]);
            String jobId = "JOB-" + (5_400_000 + jobs);
            String works = worksCodes[r.nextInt(WORKS)];
            int l = Math.min(p.capacityLitres(), 1_500 + r.nextInt(6_000));
            CompletedJob job = new CompletedJob(jobId, p.reference(), works, "TK" + (10 + r.nextInt(60)), l, t);
            recentJobs[(int) (jobs++ % RING)] = job;
            litres += l;
            // in the same transaction as the job: the waste-transfer note for the regulator and the billing event
            outbox.append(jobId, "waste.transfer-note", new byte[300 + r.nextInt(300)], t);
            outbox.append(jobId, "billing.job-completed", new byte[150 + r.nextInt(150)], t);
            bookings.addLast(new Booking(propertyRefs[r.nextInt(PROPERTIES)], t));
            booked++;
            String key = "sheet-" + r.nextInt(SHEET_KEYS);
            if (routeSheets.get(key) == null) routeSheets.put(key, new RouteSheet(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = manifestBuffers.poll();
            buf[(int) (jobs % buf.length)] = (byte) l;
            manifestBuffers.add(buf);
        }

        void dispatch(long now) {
            while (!bookings.isEmpty() && bookings.peekFirst().bookedAt() <= now - DISPATCH_AFTER) { bookings.pollFirst(); dispatched++; }
        }
    }

    static JobService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(136_010_001);
        JobService svc = new JobService();
        SERVICE = svc;
        for (int w = 0; w < WORKS; w++) {
            double[] intake = new double[48];
            for (int k = 0; k < intake.length; k++) intake[k] = 20 + rnd.nextDouble() * 200;
            svc.worksCodes[w] = "STW-" + (1_000 + w);
            WORKS_BY_CODE.put(svc.worksCodes[w], new TreatmentWorks(svc.worksCodes[w], "Treatment works " + w, "Catchment " + (w % 90), intake));
        }
        String[] tankTypes = {"septic tank", "cesspool", "package treatment plant", "soakaway chamber"};
        for (int i = 0; i < PROPERTIES; i++) {
            svc.propertyRefs[i] = "STP-" + (800_000 + i * 3);
            svc.properties.put(svc.propertyRefs[i], new Property(svc.propertyRefs[i], "EX" + (1 + rnd.nextInt(39)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)),
                    tankTypes[rnd.nextInt(tankTypes.length)], 2_700 + rnd.nextInt(16_000), new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.manifestBuffers.add(new byte[32_768]);
        svc.wire();
        Random traffic = new Random(136_010_002);
        int jobs = JOBS_PER_HOUR * hours;
        long nextRelay = start + RELAY_EVERY, nextCleanup = start + CLEANUP_EVERY, nextDispatch = start + MINUTE;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            while (true) {
                long next = Math.min(nextRelay, Math.min(nextCleanup, nextDispatch));
                if (next > t) break;
                if (next == nextRelay) { svc.outbox.relay(nextRelay); nextRelay += RELAY_EVERY; }
                else if (next == nextCleanup) { svc.outbox.cleanup(nextCleanup); nextCleanup += CLEANUP_EVERY; }
                else { svc.dispatch(nextDispatch); nextDispatch += MINUTE; }
            }
            svc.completeJob(traffic, t);
        }
    }

    /** Exact counts per stage (index 1-3): outbox held, pending, sent, delivered; bookings backlog; sheets evicted. */
    static final long[][] EXPECTED = {
        {},
        {5_000, 20, 4_980, 0, 651, 48},
        {10_000, 20, 9_980, 0, 648, 1_716},
        {20_000, 20, 19_980, 0, 647, 5_041},
    };
    static final long[][] EXPECTED_FIXED = {
        {},
        {398, 20, 22, 356, 651, 48},
        {396, 20, 20, 356, 648, 1_716},
        {396, 20, 20, 356, 647, 5_041},
    };

    static void verify(int stage, int hours) {
        JobService svc = SERVICE;
        JobOutbox ob = svc.outbox;
        int pending = ob.count(OutboxState.PENDING), sent = ob.count(OutboxState.SENT), delivered = ob.count(OutboxState.DELIVERED);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " works " + WORKS_BY_CODE.size() + " properties " + svc.properties.size() + " jobs " + svc.jobs + " litres " + svc.litres
                + " sheets " + svc.routeSheets.size() + " (evicted " + svc.routeSheets.evicted + ") bookings " + svc.booked + "/" + svc.dispatched + " backlog " + svc.bookings.size()
                + " outbox created " + ob.created + " published " + svc.broker.published + " confirmed " + svc.broker.confirmed + " dropped " + svc.broker.confirmsDropped + " deleted " + ob.deleted
                + " held " + ob.records.size() + " (pending " + pending + " sent " + sent + " delivered " + delivered + ") relays " + ob.relayRuns + " cleanups " + ob.cleanups);
        int jobs = JOBS_PER_HOUR * hours;
        check(WORKS_BY_CODE.size() == WORKS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.jobs == jobs && ob.created == 2L * jobs && svc.booked == jobs, "traffic");
        check(svc.manifestBuffers.size() == POOL && svc.recentJobs[RING - 1] != null, "pool / ring");
        check(svc.routeSheets.size() == SHEET_CAP && svc.routeSheets.evicted > 0, "route sheets at cap");
        check(ob.created == ob.deleted + ob.records.size() && pending + sent + delivered == ob.records.size(), "outbox bookkeeping");
        check(pending > 0 && pending < 40, "a handful pending: " + pending);
        if (FIXED) check(ob.records.size() < 600 && svc.broker.confirmsDropped == 0, "fixed: delivered records deleted");
        else check(delivered == 0 && ob.deleted == 0 && sent == ob.created - pending && svc.broker.confirmed == 0, "sent records never delivered, never deleted");
        long[] e = (FIXED ? EXPECTED_FIXED : EXPECTED)[stage];
        long[] got = {ob.records.size(), pending, sent, delivered, svc.bookings.size(), svc.routeSheets.evicted};
        check(java.util.Arrays.equals(e, got), "stage " + stage + " counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val136.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
