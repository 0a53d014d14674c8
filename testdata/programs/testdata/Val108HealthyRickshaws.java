// hprofscan-dump: name=val108-healthy-rickshaws-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val108-healthy-rickshaws-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val108-healthy-rickshaws jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val108-healthy-rickshaws-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 108 (written blind), HEALTHY: the hire and tours service of a cycle-rickshaw
 * operator. Stand reference data, the rider directory, a cache of route cards at its cap, a pool of
 * photo buffers, a ring of trips (filling in stage 1, wrapping from stage 2), and look-alikes of the
 * set's leaks done right: settlement batch jobs register a crash-cleanup shutdown hook and remove it
 * when done (only the job running at the dump has one); each request registers its Closeables in a
 * request scope closed in a finally (the service's own list holds only its 4 long-lived partner
 * feeds); request spans go to a ThreadLocal list of main cleared in the request's finally.
 * See VALIDATION108.md.
 */
public final class Val108HealthyRickshaws {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 15 * MINUTE;
    static final int STANDS = 1_000, RIDERS = 22_000, CARD_CAP = 2_000, POOL = 8, RING = 8_192, JOB_HISTORY = 12, TRIPS_PER_HOUR = 4_000;

    record Stand(String code, String square, double[] demandByWeek) {}
    record Rider(String riderId, String homeStand, String name, byte[] tripHistory, long joinedAt) {}
    record RouteCard(String key, byte[] rendered, long at) {}
    record Trip(String riderId, String standCode, long at, int fareCents) {}
    record TraceSpan(String traceId, String name, long startMs, long durationMicros) {}
    record JobSummary(long jobId, int trips, long startedAt, long finishedAt) {}

    static final class TicketCursor implements Closeable {
        final String query; byte[] rows; boolean closed;
        TicketCursor(String query, byte[] rows) { this.query = query; this.rows = rows; }
        @Override public void close() { closed = true; rows = null; }
    }
    static final class PartnerFeed implements Closeable {
        final String partner; final byte[] sendBuffer = new byte[8_192]; boolean closed;
        PartnerFeed(String partner) { this.partner = partner; }
        @Override public void close() { closed = true; }
    }
    static final class SettlementJob {
        final long id; final long startedAt; final byte[] manifest; long finishedAt; boolean cleaned;
        SettlementJob(long id, long startedAt, byte[] manifest) { this.id = id; this.startedAt = startedAt; this.manifest = manifest; }
    }

    static final class CardCache extends LinkedHashMap<String, RouteCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stand> STANDS_BY_CODE = new HashMap<>();
    static final ThreadLocal<List<TraceSpan>> SPANS = ThreadLocal.withInitial(ArrayList::new);

    static final class HireService {
        final Map<String, Rider> riders = new HashMap<>();
        final String[] riderIds = new String[RIDERS];
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Trip[] trips = new Trip[RING];
        final List<Closeable> openResources = new ArrayList<>(); // long-lived partner feeds only
        final ArrayDeque<JobSummary> jobHistory = new ArrayDeque<>();
        SettlementJob running; Thread runningHook;
        long tripCount, spansExported, cursorsOpened, cursorsClosed, hooksAdded, hooksRemoved, jobs;

        void request(Random r, long t) {
            List<TraceSpan> spans = SPANS.get();
            List<Closeable> scope = new ArrayList<>();
            String traceId = "tr-" + Long.toHexString(0x5a00_0000L + tripCount);
            try {
                TicketCursor c = new TicketCursor("SELECT * FROM tickets WHERE rider='" + riderIds[r.nextInt(RIDERS)] + "'", new byte[300 + r.nextInt(300)]);
                scope.add(c); cursorsOpened++;
                spans.add(new TraceSpan(traceId, "load-tickets", t, 200 + r.nextInt(5_000)));
                Rider rider = riders.get(riderIds[r.nextInt(RIDERS)]);
                trips[(int) (tripCount++ % RING)] = new Trip(rider.riderId(), rider.homeStand(), t, 300 + r.nextInt(2_000));
                spans.add(new TraceSpan(traceId, "book-trip", t, 300 + r.nextInt(9_000)));
                String key = "card-" + r.nextInt(5_000);
                if (cards.get(key) == null) cards.put(key, new RouteCard(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = photoBuffers.poll();
                buf[(int) (tripCount % buf.length)] = (byte) c.rows.length;
                photoBuffers.add(buf);
                spansExported += spans.size();
            } finally {
                for (Closeable c : scope) { try { c.close(); cursorsClosed++; } catch (java.io.IOException e) { throw new IllegalStateException(e); } }
                SPANS.remove();
            }
        }

        void startJob(long id, Random r, long t) {
            SettlementJob job = new SettlementJob(id, t, new byte[1_000 + r.nextInt(1_000)]);
            Thread hook = new Thread(() -> { if (!job.cleaned) job.cleaned = true; }, "settlement-cleanup-" + id);
            Runtime.getRuntime().addShutdownHook(hook);
            hooksAdded++; jobs++;
            running = job; runningHook = hook;
        }

        void finishJob(long t) {
            if (running == null) return;
            running.finishedAt = t; running.cleaned = true;
            if (Runtime.getRuntime().removeShutdownHook(runningHook)) hooksRemoved++;
            jobHistory.addLast(new JobSummary(running.id, (int) (tripCount % 1_000), running.startedAt, t));
            if (jobHistory.size() > JOB_HISTORY) jobHistory.removeFirst();
            running = null; runningHook = null;
        }
    }

    static HireService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(108_050_001);
        String[] standCodes = new String[STANDS];
        for (int s = 0; s < STANDS; s++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 50;
            standCodes[s] = "ST-" + (2_000 + s);
            STANDS_BY_CODE.put(standCodes[s], new Stand(standCodes[s], "Square " + (s % 120), demand));
        }
        HireService svc = new HireService();
        SERVICE = svc;
        for (int i = 0; i < RIDERS; i++) {
            svc.riderIds[i] = "RD" + (7_100_000 + i * 3);
            svc.riders.put(svc.riderIds[i], new Rider(svc.riderIds[i], standCodes[rnd.nextInt(STANDS)], "Rider " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        for (String p : new String[] {"city-tourism", "hotel-concierge", "card-acquirer", "weather"}) svc.openResources.add(new PartnerFeed(p));
        Random traffic = new Random(108_050_002), jobs = new Random(108_050_003);
        int requests = TRIPS_PER_HOUR * hours;
        long nextJob = start + JOB_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextJob <= t) { svc.finishJob(nextJob); svc.startJob(70_000L + svc.jobs, jobs, nextJob); nextJob += JOB_EVERY; }
            svc.request(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        HireService svc = SERVICE;
        int requests = TRIPS_PER_HOUR * hours;
        System.out.println("stage " + stage + " stands " + STANDS_BY_CODE.size() + " riders " + svc.riders.size() + " trips " + svc.tripCount + " cursors " + svc.cursorsOpened + "/" + svc.cursorsClosed + " jobs " + svc.jobs + " hooks +" + svc.hooksAdded + " -" + svc.hooksRemoved
                + " history " + svc.jobHistory.size() + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") pool " + svc.photoBuffers.size() + " open resources " + svc.openResources.size());
        check(STANDS_BY_CODE.size() == STANDS && svc.riders.size() == RIDERS, "reference data / directory");
        check(svc.tripCount == requests && svc.cursorsOpened == requests && svc.cursorsClosed == requests && svc.spansExported == 2L * requests, "requests");
        check(svc.jobs == hours * 4L - 1 && svc.hooksAdded - svc.hooksRemoved == 1 && svc.running != null, "one job running with its hook");
        check(svc.jobHistory.size() == Math.min(JOB_HISTORY, (int) svc.jobs - 1), "job history");
        check(svc.openResources.size() == 4, "partner feeds");
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.trips[Math.min(requests, RING) - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.out.flush();
        Runtime.getRuntime().halt(0); // as a killed process: the running job's cleanup hook does not run
    }
}
