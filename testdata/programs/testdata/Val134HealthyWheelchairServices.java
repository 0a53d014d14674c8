// hprofscan-dump: name=val134-healthy-wheelchairservices-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val134-healthy-wheelchairservices-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val134-healthy-wheelchairservices jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val134-healthy-wheelchairservices-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 134 (written blind), HEALTHY: the repair-dispatch service of a wheelchair service
 * (powered and manual chairs on loan to users). Service-centre reference data, the user directory,
 * a cache of rendered repair quotes at its cap, a pool of label buffers, a ring of recent repair
 * jobs (filling in stage 1, wrapping from stage 2), technician visits with a normal backlog, and
 * look-alikes of the set's leaks done right: a retry scheduler (PriorityQueue ordered by next
 * attempt) that dispatches jobs to the approved repairers' APIs and gives up after 6 attempts on
 * every failure kind (timeouts included), the given-up jobs going to a capped dead-letter ring;
 * and a TTL cache of repairer availability that expires (10 minutes) and is swept every minute.
 * A growth series: 2 / 4 / 8 simulated hours. See VALIDATION134.md.
 */
public final class Val134HealthyWheelchairServices {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, TTL = 10 * MINUTE, VISIT_AFTER = 45 * MINUTE;
    static final int CENTRES = 900, USERS = 20_000, REPAIRERS = 120, DISTRICTS = 2_400, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192,
            JOBS_PER_HOUR = 3_000, MAX_ATTEMPTS = 6, DEAD_LETTER_CAP = 256;
    static final int OK = 200, UNAUTHORIZED = 401, UNAVAILABLE = 503, TIMEOUT = -1;

    record Centre(String code, String trust, double[] demandByHalfHour) {}
    record WheelchairUser(String userId, String chairModel, String chairSerial, String district, int repairer, byte[] prescription, long issuedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record JobSummary(String jobId, String userId, String fault, long at) {}
    record Visit(String jobId, String repairerCode, String district, long bookedAt) {}
    record DeadLetter(String jobId, String repairerCode, int attempts, String lastError, long at) {}

    static final class RepairJob {
        final long seq; final String jobId; final String repairerCode; final byte[] jobSheet; final long createdAt;
        int attempts; long nextAttemptAt; String lastError;
        RepairJob(long seq, String jobId, String repairerCode, byte[] jobSheet, long createdAt) {
            this.seq = seq; this.jobId = jobId; this.repairerCode = repairerCode; this.jobSheet = jobSheet; this.createdAt = createdAt;
        }
    }

    /** An approved repairer's dispatch API: black-holed (always times out), revoked credentials (401) or mostly fine. */
    static final class Repairer {
        final String code; final boolean blackHoled, revoked;
        Repairer(String code, boolean blackHoled, boolean revoked) { this.code = code; this.blackHoled = blackHoled; this.revoked = revoked; }
    }

    static final class RepairerApi {
        final Repairer[] repairers = new Repairer[REPAIRERS];
        final Random outcomes = new Random(134_050_004);
        long calls;
        int call(int repairer) {
            calls++;
            Repairer r = repairers[repairer];
            int roll = outcomes.nextInt(100);
            if (r.blackHoled) return TIMEOUT;
            if (r.revoked) return UNAUTHORIZED;
            if (roll < 3) return TIMEOUT;
            if (roll < 5) return UNAVAILABLE;
            return OK;
        }
    }

    /** Dispatches repair jobs; retries with backoff and gives up after MAX_ATTEMPTS on any failure. */
    static final class RetryScheduler {
        final PriorityQueue<RepairJob> queue = new PriorityQueue<>(Comparator.comparingLong((RepairJob j) -> j.nextAttemptAt).thenComparingLong(j -> j.seq));
        final DeadLetter[] deadLetters = new DeadLetter[DEAD_LETTER_CAP];
        long dispatched, delivered, retries, timeouts, errors, givenUp;

        static long backoff(int attempts) { return MINUTE << Math.min(attempts - 1, 4); } // 1, 2, 4, 8, 16 minutes

        /** One attempt; true when delivered. */
        boolean attempt(RepairJob job, int repairer, RepairerApi api, long t) {
            int status = api.call(repairer);
            if (status == OK) { delivered++; return true; }
            job.attempts++;
            if (status == TIMEOUT) { timeouts++; job.lastError = "timeout after 30 s: POST https://api." + job.repairerCode.toLowerCase() + ".example/dispatch"; }
            else { errors++; job.lastError = status + (status == UNAUTHORIZED ? " Unauthorized: client certificate revoked" : " Service Unavailable"); }
            if (job.attempts >= MAX_ATTEMPTS) {
                deadLetters[(int) (givenUp++ % DEAD_LETTER_CAP)] = new DeadLetter(job.jobId, job.repairerCode, job.attempts, job.lastError, t);
                return true;
            }
            job.nextAttemptAt = t + backoff(job.attempts);
            queue.add(job);
            return false;
        }

        void runDue(Map<String, Integer> repairerIndex, RepairerApi api, long t) {
            while (!queue.isEmpty() && queue.peek().nextAttemptAt <= t) {
                RepairJob job = queue.poll();
                retries++;
                attempt(job, repairerIndex.get(job.repairerCode), api, t);
            }
        }
    }

    static final class Slots {
        final String key; final byte[] slots; final long fetchedAt;
        Slots(String key, byte[] slots, long fetchedAt) { this.key = key; this.slots = slots; this.fetchedAt = fetchedAt; }
    }

    /** Repairer availability by district, kept for 10 minutes (creation and check both in epoch milliseconds). */
    static final class AvailabilityCache {
        final HashMap<String, Slots> entries = new HashMap<>();
        long hits, misses, expired, swept, sweeps;
        Slots get(String key, Random r, long t) {
            Slots s = entries.get(key);
            if (s != null && t - s.fetchedAt < TTL) { hits++; return s; }
            if (s != null) expired++;
            misses++;
            s = new Slots(key, new byte[200 + r.nextInt(300)], t);
            entries.put(key, s);
            return s;
        }
        void sweep(long t) {
            sweeps++;
            for (Iterator<Slots> it = entries.values().iterator(); it.hasNext(); ) {
                if (t - it.next().fetchedAt >= TTL) { it.remove(); swept++; }
            }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, WheelchairUser> users = new HashMap<>();
        final String[] userIds = new String[USERS];
        final Map<String, Integer> repairerIndex = new HashMap<>();
        final RepairerApi api = new RepairerApi();
        final RetryScheduler scheduler = new RetryScheduler();
        final AvailabilityCache availability = new AvailabilityCache();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final JobSummary[] recentJobs = new JobSummary[RING];
        final ArrayDeque<Visit> visits = new ArrayDeque<>();
        long jobs, visitsBooked, visitsDone, labels;

        void newJob(Random r, long t) {
            WheelchairUser u = users.get(userIds[r.nextInt(USERS)]);
            String fault = FAULTS[r.nextInt(FAULTS.length)];
            String jobId = "RJ-" + (5_200_000 + jobs);
            recentJobs[(int) (jobs++ % RING)] = new JobSummary(jobId, u.userId(), fault, t);
            String repairerCode = api.repairers[u.repairer()].code;
            availability.get(repairerCode + ":" + u.district(), r, t);
            String qk = "quote-" + r.nextInt(6_000);
            if (quotes.get(qk) == null) quotes.put(qk, new Quote(qk, new byte[400 + r.nextInt(400)], t));
            RepairJob job = new RepairJob(jobs, jobId, repairerCode, new byte[600 + r.nextInt(1_000)], t);
            scheduler.dispatched++;
            boolean done = scheduler.attempt(job, u.repairer(), api, t);
            if (done && job.attempts == 0 && r.nextInt(5) == 0) { // delivered at once; a fifth need a technician visit
                visits.addLast(new Visit(jobId, repairerCode, u.district(), t));
                visitsBooked++;
            }
            if (r.nextInt(4) == 0) {
                byte[] buf = labelBuffers.poll();
                buf[(int) (labels++ % buf.length)] = (byte) job.jobSheet.length;
                labelBuffers.add(buf);
            }
        }

        void minuteTick(long t) {
            scheduler.runDue(repairerIndex, api, t);
            availability.sweep(t);
            while (!visits.isEmpty() && visits.peekFirst().bookedAt() <= t - VISIT_AFTER) { visits.pollFirst(); visitsDone++; }
        }
    }

    static final String[] FAULTS = {"joystick unresponsive", "battery will not charge", "puncture rear left", "armrest loose", "brakes weak",
        "motor noise", "seat tilt actuator stuck", "castor wobble", "footplate cracked", "controller error E07"};

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(134_050_001);
        for (int c = 0; c < CENTRES; c++) {
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 30;
            String code = "WSC-" + (1_000 + c);
            CENTRES_BY_CODE.put(code, new Centre(code, "Trust " + (c % 140), demand));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int i = 0; i < REPAIRERS; i++) {
            String code = "AR-" + (300 + i * 7);
            svc.api.repairers[i] = new Repairer(code, i % 24 == 5, i % 60 == 11); // 5 black-holed, 2 revoked
            svc.repairerIndex.put(code, i);
        }
        for (int i = 0; i < USERS; i++) {
            svc.userIds[i] = "WU" + (4_400_000 + i * 13);
            int d = rnd.nextInt(DISTRICTS);
            svc.users.put(svc.userIds[i], new WheelchairUser(svc.userIds[i], "Model " + (char) ('A' + rnd.nextInt(20)) + (100 + rnd.nextInt(900)),
                    "SN" + (90_000_000 + rnd.nextInt(9_000_000)), "D" + d, d % REPAIRERS, new byte[150 + rnd.nextInt(150)], end - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(134_050_002);
        int jobs = JOBS_PER_HOUR * hours;
        long nextTick = start + MINUTE;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            while (nextTick <= t) { svc.minuteTick(nextTick); nextTick += MINUTE; }
            svc.newJob(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick); nextTick += MINUTE; }
    }

    static void verify(int stage, int hours) {
        DispatchService svc = SERVICE;
        RetryScheduler s = svc.scheduler;
        int pendingBlackHoled = 0, maxAttempts = 0;
        for (RepairJob j : s.queue) {
            if (svc.api.repairers[svc.repairerIndex.get(j.repairerCode)].blackHoled) pendingBlackHoled++;
            maxAttempts = Math.max(maxAttempts, j.attempts);
        }
        int deadLetters = 0;
        for (DeadLetter d : s.deadLetters) if (d != null) deadLetters++;
        System.out.println("stage " + stage + " centres " + CENTRES_BY_CODE.size() + " users " + svc.users.size() + " jobs " + svc.jobs + " dispatched " + s.dispatched + " delivered " + s.delivered
                + " retries " + s.retries + " timeouts " + s.timeouts + " errors " + s.errors + " givenUp " + s.givenUp + " queue " + s.queue.size() + " (black-holed " + pendingBlackHoled + ", max attempts " + maxAttempts + ")"
                + " deadLetters " + deadLetters + " availability " + svc.availability.entries.size() + " (hits " + svc.availability.hits + " misses " + svc.availability.misses + " expired " + svc.availability.expired + " swept " + svc.availability.swept + ")"
                + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") visits " + svc.visits.size() + " (" + svc.visitsBooked + " booked, " + svc.visitsDone + " done) ring " + Math.min(svc.jobs, RING));
        check(CENTRES_BY_CODE.size() == CENTRES && svc.users.size() == USERS, "reference data / directory");
        check(svc.jobs == (long) JOBS_PER_HOUR * hours && s.dispatched == svc.jobs, "jobs");
        check(s.delivered + s.givenUp + s.queue.size() == s.dispatched, "every job delivered, given up or pending");
        check(maxAttempts < MAX_ATTEMPTS && deadLetters == Math.min(DEAD_LETTER_CAP, (int) s.givenUp) && s.givenUp > 0, "give-up rule");
        check(s.queue.size() < 200, "retry queue bounded: " + s.queue.size());
        check(svc.availability.entries.size() < 600, "availability at its TTL plateau: " + svc.availability.entries.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.visitsBooked - svc.visitsDone == svc.visits.size() && svc.visits.size() > 0, "visit backlog");
        int k = stage - 1; // the exact counts of VALIDATION134.md
        check(s.delivered == new long[] {5_670, 11_291, 22_622}[k] && s.givenUp == new long[] {257, 623, 1_289}[k] && s.queue.size() == new int[] {73, 86, 89}[k]
                && pendingBlackHoled == new int[] {58, 62, 61}[k], "exact dispatch counts");
        check(svc.availability.entries.size() == new int[] {382, 356, 373}[k] && svc.quotes.evicted == new long[] {2_377, 6_344, 14_459}[k]
                && svc.visits.size() == new int[] {398, 404, 372}[k], "exact cache / visit counts");
    }

    public static void main(String[] args) throws Exception {
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
