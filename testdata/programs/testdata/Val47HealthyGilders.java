// hprofscan-dump: name=val47-healthy-gilders jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val47-healthy-gilders-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
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
 * Validation set 47 (written blind), HEALTHY: the commission service of a gilding and frame
 * restoration workshop (water and oil gilding, gold-leaf signage). Gold-leaf stock reference data,
 * the commission directory, a cache of rendered proof images at its cap, a ring of kiln/drying-room
 * readings, a pool of burnishing-profile buffers, the registry of bench jobs in progress keyed by an
 * immutable record (bench, ticket) and emptied on completion, and a root WorkshopContext whose
 * children are the sub-contexts of requests and background jobs: a request's sub-context registers
 * itself on creation and is removed again when the request ends (close() in a finally block), so
 * only the four background jobs that run for the life of the process stay registered.
 * See VALIDATION47.md.
 */
public final class Val47HealthyGilders {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LEAF_TYPES = 1_000, COMMISSIONS = 26_000, PROOF_CAP = 2_000, POOL = 8, RING = 16_384, READINGS = 60_000, REQUESTS_PER_HOUR = 3_000, JOBS_PER_HOUR = 400, HOURS = 10, BENCHES = 24;

    record LeafType(String code, String karat, String beater, double[] priceHistory) {}
    record Commission(String number, String client, String kind, byte[] brief, long receivedAt) {}
    record ProofImage(String key, byte[] rendered, long at) {}
    record KilnReading(String room, double celsius, double humidity, long at) {}
    record JobKey(String bench, long ticket) {}

    static final class BenchJob {
        final JobKey key;
        final String commission;
        final long startedAt;
        String step = "SIZE";
        long finishedAt;
        final byte[] notes;
        BenchJob(JobKey key, String commission, long startedAt, byte[] notes) { this.key = key; this.commission = commission; this.startedAt = startedAt; this.notes = notes; }
    }

    /** Root context of the workshop service; lives for the life of the process. */
    static final class WorkshopContext {
        final String name;
        final Map<String, String> settings = new HashMap<>();
        final List<SubContext> children = new ArrayList<>();
        long opened, closed;
        WorkshopContext(String name) { this.name = name; }
    }

    /** Sub-context of a request or background job; registers itself with the root while it is open. */
    static final class SubContext implements AutoCloseable {
        final WorkshopContext parent;
        final String name;
        final long openedAt;
        final Map<String, String> attributes = new HashMap<>();
        SubContext(WorkshopContext parent, String name, long at) { this.parent = parent; this.name = name; this.openedAt = at; parent.children.add(this); parent.opened++; }
        @Override public void close() {
            for (int k = parent.children.size() - 1; k >= 0; k--) if (parent.children.get(k) == this) { parent.children.remove(k); parent.closed++; return; }
            throw new IllegalStateException("sub-context " + name + " was not registered");
        }
    }

    static final class ProofCache extends LinkedHashMap<String, ProofImage> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProofImage> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LeafType> LEAF_BY_CODE = new HashMap<>();

    static final class Workshop {
        final Map<String, Commission> commissions = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final KilnReading[] kilnReadings = new KilnReading[RING];
        long readings;
        final ArrayDeque<byte[]> burnishBuffers = new ArrayDeque<>();
        final Map<JobKey, BenchJob> jobs = new HashMap<>();
        long jobsStarted, jobsFinished, requests;
        final WorkshopContext root = new WorkshopContext("gilders-workshop");
    }

    static final int READING = 0, REQUEST = 1, JOB_START = 2, JOB_LAY = 3, JOB_DONE = 4;

    static final class Event implements Comparable<Event> {
        final long at, seq; final int kind; final JobKey job;
        Event(long at, long seq, int kind, JobKey job) { this.at = at; this.seq = seq; this.kind = kind; this.job = job; }
        @Override public int compareTo(Event o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static Workshop SERVICE;

    static final String[] KARATS = {"23.75k", "23k", "22k", "18k", "12k white", "24k double"};
    static final String[] KINDS = {"Frame regilding", "Signage", "Altarpiece", "Mirror frame", "Furniture", "Lettering"};
    static final String[] ROUTES = {"GET /commissions/{n}", "GET /proofs/{n}", "POST /quotes", "GET /leaf/stock", "POST /approvals"};
    static final String[] ROOMS = {"Drying room A", "Drying room B", "Kiln 1", "Kiln 2", "Size cupboard"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(47_060_001);
        for (int l = 0; l < LEAF_TYPES; l++) {
            double[] prices = new double[80];
            for (int k = 0; k < prices.length; k++) prices[k] = 40 + rnd.nextDouble() * 160;
            String code = "LEAF-" + (500 + l);
            LEAF_BY_CODE.put(code, new LeafType(code, KARATS[l % KARATS.length], "Beater " + (l % 25), prices));
        }
        Workshop svc = new Workshop();
        SERVICE = svc;
        String[] numbers = new String[COMMISSIONS];
        for (int c = 0; c < COMMISSIONS; c++) {
            numbers[c] = "GC-" + (150_000 + c * 5);
            svc.commissions.put(numbers[c], new Commission(numbers[c], "Client " + (c % 6_000), KINDS[c % KINDS.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.burnishBuffers.add(new byte[32_768]);
        svc.root.settings.put("region", "eu-west");
        svc.root.settings.put("leafSupplier", "LEAF-500");
        String[] background = {"kiln-monitor", "leaf-reorder", "nightly-export", "proof-cache-warmer"};
        for (String job : background) new SubContext(svc.root, job, start).attributes.put("schedule", job.equals("kiln-monitor") ? "every 10s" : "cron");
        simulate(svc, start, end, numbers);

        WorkshopContext root = svc.root;
        System.out.println("leaf types " + LEAF_BY_CODE.size() + " commissions " + svc.commissions.size() + " jobs in progress " + svc.jobs.size() + " (started " + svc.jobsStarted + ", finished " + svc.jobsFinished + ") requests " + svc.requests
                + " root children " + root.children.size() + " (opened " + root.opened + ", closed " + root.closed + ") proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") readings " + svc.readings
                + " pool " + svc.burnishBuffers.size());
        check(LEAF_BY_CODE.size() == LEAF_TYPES && svc.commissions.size() == COMMISSIONS, "reference data / directory");
        check(svc.jobsStarted == (long) JOBS_PER_HOUR * HOURS && svc.jobs.size() == svc.jobsStarted - svc.jobsFinished, "job registry holds jobs in progress");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && root.children.size() == background.length && root.closed == svc.requests, "root context keeps only the background jobs");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.readings == READINGS && svc.kilnReadings[RING - 1] != null, "reading ring wraps");
        check(svc.burnishBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Readings and requests are evenly spaced; bench jobs start evenly, the leaf is laid 10-40 min
     * after sizing and the job is burnished and finished 10-35 min later. Nothing happens at or after
     * the dump (the jobs that would finish later are in progress).
     */
    static void simulate(Workshop svc, long start, long end, String[] numbers) {
        Random traffic = new Random(47_060_002);
        PriorityQueue<Event> queue = new PriorityQueue<>();
        long seq = 0, span = end - MINUTE - start;
        int requests = REQUESTS_PER_HOUR * HOURS, jobs = JOBS_PER_HOUR * HOURS;
        for (int i = 0; i < READINGS; i++) queue.add(new Event(start + span * i / READINGS, seq++, READING, null));
        for (int i = 0; i < requests; i++) queue.add(new Event(start + span * i / requests, seq++, REQUEST, null));
        for (int i = 0; i < jobs; i++) queue.add(new Event(start + span * i / jobs, seq++, JOB_START, null));
        long ticket = 3_300_000;
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            switch (e.kind) {
                case READING -> svc.kilnReadings[(int) (svc.readings++ % RING)] = new KilnReading(ROOMS[traffic.nextInt(ROOMS.length)], 18 + traffic.nextDouble() * 30, 35 + traffic.nextDouble() * 40, e.at);
                case REQUEST -> {
                    svc.requests++;
                    try (SubContext ctx = new SubContext(svc.root, "req-" + svc.requests, e.at)) {
                        ctx.attributes.put("route", ROUTES[traffic.nextInt(ROUTES.length)]);
                        ctx.attributes.put("user", "staff-" + traffic.nextInt(80));
                        ctx.attributes.put("traceId", Long.toHexString(traffic.nextLong()));
                        String key = "proof-" + numbers[traffic.nextInt(4_500)];
                        if (svc.proofs.get(key) == null) svc.proofs.put(key, new ProofImage(key, new byte[600 + traffic.nextInt(600)], e.at));
                        byte[] buf = svc.burnishBuffers.poll();
                        buf[(int) (svc.requests % buf.length)] = (byte) svc.requests;
                        svc.burnishBuffers.add(buf);
                    }
                }
                case JOB_START -> {
                    JobKey key = new JobKey("BENCH-" + (1 + traffic.nextInt(BENCHES)), ticket++);
                    svc.jobs.put(key, new BenchJob(key, numbers[traffic.nextInt(numbers.length)], e.at, new byte[100 + traffic.nextInt(200)]));
                    svc.jobsStarted++;
                    long at = e.at + (10 + traffic.nextInt(31)) * MINUTE;
                    if (at < end) queue.add(new Event(at, seq++, JOB_LAY, key));
                }
                case JOB_LAY -> {
                    svc.jobs.get(e.job).step = "LAY_LEAF"; // the step lives on the job, never in its key
                    long at = e.at + (10 + traffic.nextInt(26)) * MINUTE;
                    if (at < end) queue.add(new Event(at, seq++, JOB_DONE, e.job));
                }
                case JOB_DONE -> {
                    BenchJob j = svc.jobs.remove(e.job);
                    if (j == null) throw new IllegalStateException("job " + e.job + " not found");
                    j.step = "DONE";
                    j.finishedAt = e.at;
                    svc.jobsFinished++;
                }
                default -> throw new IllegalStateException("kind " + e.kind);
            }
        }
    }
}
