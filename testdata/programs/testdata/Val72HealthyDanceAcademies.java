// hprofscan-dump: name=val72-healthy-danceacademies jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val72-healthy-danceacademies-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Validation set 72 (written blind), HEALTHY: the class-booking service of a chain of dance
 * academies. Studio reference data, the member directory, a cache of rendered timetables at its
 * cap, a pool of badge-printer buffers, a ring of recent check-ins, a message-broker connection
 * with three long-lived subscription consumers and one shared reply consumer (request/reply by
 * correlation id; a per-request consumer is used only for waitlist checks and closed right after
 * its reply), and a job manager whose monitoring page keeps only the last 100 runs (no Thread
 * objects; jobs run on the service's own scheduler). See VALIDATION72.md.
 */
public final class Val72HealthyDanceAcademies {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 30_000L;
    static final int STUDIOS = 1_100, MEMBERS = 27_000, TIMETABLE_CAP = 2_000, POOL = 8, RING = 16_384, HISTORY_CAP = 100, HOURS = 10, REQUESTS_PER_HOUR = 5_000;

    record Studio(String code, String city, double[] roomUsageByHour) {}
    record Member(String memberId, String homeStudio, String name, byte[] waiverAndHealthNotes, long joinedAt) {}
    record Timetable(String key, byte[] rendered, long at) {}
    record CheckIn(String memberId, String studio, String classCode, long at) {}
    record Message(long deliveryTag, String correlationId, String type, long at, byte[] body) {}
    record JobResult(int membersProcessed, byte[] reportCsv, List<String> warnings) {}
    record JobRun(long runId, String jobType, String worker, long startedAt, long finishedAt, JobResult result) {}

    static final class Consumer {
        final String consumerTag, queue; final BrokerConnection connection; final ArrayBlockingQueue<Message> prefetch; boolean closed; long received;
        Consumer(String consumerTag, String queue, int prefetchCount, BrokerConnection connection) { this.consumerTag = consumerTag; this.queue = queue; this.connection = connection; this.prefetch = new ArrayBlockingQueue<>(prefetchCount); }
        boolean deliver(Message m) { if (closed || !prefetch.offer(m)) return false; received++; return true; }
        void close() { closed = true; prefetch.clear(); connection.consumers.remove(this); }
    }

    static final class BrokerConnection {
        final List<Consumer> consumers = new ArrayList<>(); long consumerSeq, deliveryTags, dropped, unroutable;
        Consumer createConsumer(String queue, int prefetchCount) { Consumer c = new Consumer("amq.ctag-" + Long.toHexString(0x2d00_0000L + consumerSeq++), queue, prefetchCount, this); consumers.add(c); return c; }
        void publish(Consumer to, String correlationId, String type, long at, byte[] body) { if (!to.deliver(new Message(++deliveryTags, correlationId, type, at, body))) dropped++; }
    }

    static final class TimetableCache extends LinkedHashMap<String, Timetable> {
        long evicted;
        TimetableCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Timetable> e) { if (size() > TIMETABLE_CAP) { evicted++; return true; } return false; }
    }

    static final class JobManager {
        final ArrayDeque<JobRun> history = new ArrayDeque<>();
        final Map<String, JobResult> lastResultByType = new HashMap<>();
        long runs, dropped;
        void run(String jobType, long at, long seed) {
            Random r = new Random(seed);
            List<String> warnings = new ArrayList<>();
            int w = r.nextInt(4);
            for (int k = 0; k < w; k++) warnings.add("member DM-" + (100_000 + r.nextInt(99_999)) + ": waiver expired");
            JobResult res = new JobResult(200 + r.nextInt(1_800), new byte[2_048 + r.nextInt(2_048)], warnings);
            history.addLast(new JobRun(runs++, jobType, "scheduler-1", at, at + 2_000 + res.membersProcessed() * 5L, res));
            if (history.size() > HISTORY_CAP) { history.removeFirst(); dropped++; }
            lastResultByType.put(jobType, res);
        }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Member> members = new HashMap<>();
        final TimetableCache timetables = new TimetableCache();
        final ArrayDeque<byte[]> badgeBuffers = new ArrayDeque<>();
        final CheckIn[] recentCheckIns = new CheckIn[RING];
        long checkIns, requests, waitlistChecks;
        final BrokerConnection broker = new BrokerConnection();
        final List<Consumer> subscriptions = new ArrayList<>();
        Consumer replies;
        final Map<String, Long> outstanding = new HashMap<>();
        final JobManager jobs = new JobManager();

        /** Request/reply over the shared reply consumer; the reply is matched by correlation id. */
        void requestAvailability(Random r, long at) {
            String correlationId = "a-" + Long.toHexString(0x5c00_0000_0000L + requests++);
            outstanding.put(correlationId, at);
            broker.publish(replies, correlationId, "AVAILABILITY", at + 30 + r.nextInt(150), new byte[120 + r.nextInt(80)]);
            if (r.nextInt(3) == 0) broker.publish(replies, correlationId, "AVAILABILITY_UPDATE", at + MINUTE, new byte[80 + r.nextInt(80)]);
            Message m;
            while ((m = replies.prefetch.poll()) != null) if (outstanding.remove(m.correlationId()) == null) broker.unroutable++; // late updates are acked and dropped
        }

        /** A temporary consumer for a waitlist check, closed as soon as its reply is in. */
        void checkWaitlist(Random r, long at) {
            Consumer c = broker.createConsumer("amq.gen-waitlist-" + Long.toHexString(0x1900_0000L + waitlistChecks++), 8);
            broker.publish(c, null, "WAITLIST", at + 20 + r.nextInt(100), new byte[100 + r.nextInt(60)]);
            c.prefetch.poll();
            c.close();
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        BookingService svc = new BookingService();
        SERVICE = svc;
        System.out.println(simulate(svc, start, end, now));
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.broker.consumers.size() == 4 && svc.outstanding.isEmpty() && svc.replies.prefetch.isEmpty(), "broker consumers: " + svc.broker.consumers.size());
        for (Consumer c : svc.subscriptions) check(c.prefetch.size() <= 256, "subscription buffer");
        check(svc.jobs.runs == HOURS * HOUR / JOB_EVERY && svc.jobs.history.size() == HISTORY_CAP && svc.jobs.lastResultByType.size() == 3, "job history bounded");
        check(svc.timetables.size() == TIMETABLE_CAP && svc.timetables.evicted > 0, "timetable cache at cap");
        check(svc.badgeBuffers.size() == POOL, "pool");
        check(svc.checkIns > RING && svc.recentCheckIns[RING - 1] != null, "check-in ring wraps");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String simulate(BookingService svc, long start, long end, long now) {
        Random rnd = new Random(72_060_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] u = new double[96];
            for (int k = 0; k < u.length; k++) u[k] = rnd.nextDouble();
            studioCodes[s] = "DS-" + (700 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 90), u));
        }
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "DM-" + (100_000 + m * 3);
            svc.members.put(memberIds[m], new Member(memberIds[m], studioCodes[rnd.nextInt(STUDIOS)], "Member " + m, new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.badgeBuffers.add(new byte[32_768]);
        for (String topic : new String[] {"class-cancellations", "instructor-availability", "payment-events"}) svc.subscriptions.add(svc.broker.createConsumer(topic, 256));
        svc.replies = svc.broker.createConsumer("amq.gen-replies-booking-1", 64);
        String[] jobTypes = {"waiver-expiry", "monthly-billing", "attendance-report"};
        String[] styles = {"SALSA", "BALLET", "HIPHOP", "TANGO", "CONTEMP", "TAP"};
        Random traffic = new Random(72_060_002), backend = new Random(72_060_003);
        int requests = REQUESTS_PER_HOUR * HOURS;
        long nextJob = start;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextJob <= t) { svc.jobs.run(jobTypes[(int) (svc.jobs.runs % jobTypes.length)], nextJob, 72_060_100L + svc.jobs.runs); nextJob += JOB_EVERY; }
            Consumer sub = svc.subscriptions.get(i % 3);
            svc.broker.publish(sub, null, sub.queue, t, new byte[60 + traffic.nextInt(60)]);
            if (sub.prefetch.size() > 20 + traffic.nextInt(40)) while (sub.prefetch.size() > 5) sub.prefetch.poll();
            svc.requestAvailability(backend, t);
            if (i % 10 == 0) svc.checkWaitlist(backend, t);
            String studio = studioCodes[traffic.nextInt(STUDIOS)];
            svc.recentCheckIns[(int) (svc.checkIns++ % RING)] = new CheckIn(memberIds[traffic.nextInt(MEMBERS)], studio, styles[traffic.nextInt(styles.length)] + "-" + traffic.nextInt(40), t);
            String key = "tt-" + traffic.nextInt(4_000);
            if (svc.timetables.get(key) == null) svc.timetables.put(key, new Timetable(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.badgeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.badgeBuffers.add(buf);
        }
        while (nextJob < end) { svc.jobs.run(jobTypes[(int) (svc.jobs.runs % jobTypes.length)], nextJob, 72_060_100L + svc.jobs.runs); nextJob += JOB_EVERY; }
        int subBuffered = 0;
        for (Consumer c : svc.subscriptions) subBuffered += c.prefetch.size();
        return "studios " + STUDIOS_BY_CODE.size() + " members " + svc.members.size() + " requests " + svc.requests + " late updates dropped " + svc.broker.unroutable + " waitlist checks " + svc.waitlistChecks
                + " consumers " + svc.broker.consumers.size() + " (subscriptions buffering " + subBuffered + ") job runs " + svc.jobs.runs + " history " + svc.jobs.history.size() + " (dropped " + svc.jobs.dropped
                + ") check-ins " + svc.checkIns + " timetables " + svc.timetables.size() + " (evicted " + svc.timetables.evicted + ") pool " + svc.badgeBuffers.size();
    }
}
