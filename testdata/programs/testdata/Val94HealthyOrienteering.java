// hprofscan-dump: name=val94-healthy-orienteering jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val94-healthy-orienteering-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 94 (written blind), HEALTHY: the event-results service of an orienteering
 * federation. Venue reference data, the runner directory (keyed by SI-card number), a cache of
 * rendered course maps at its cap, a pool of split-printer buffers, a ring of recent control
 * punches, a single-thread results exporter (an unbounded LinkedBlockingQueue, but its consumer is
 * faster than the finishes: the queue is empty and the thread idle at the dump), and club result
 * digests scheduled on ONE shared java.util.Timer whose tasks are cancelled and purged when a club
 * unsubscribes. See VALIDATION94.md.
 */
public final class Val94HealthyOrienteering {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 1_000, RUNNERS = 26_000, MAP_CAP = 2_000, POOL = 8, RING = 16_384, RECEIPTS = 1_024, HOURS = 10, PUNCHES_PER_HOUR = 6_000,
            INITIAL_DIGESTS = 150, DIGEST_CHANGES = 600;

    record Venue(String code, String name, double[] elevationProfile) {}
    record Runner(String siCard, String name, String club, byte[] history, long memberSince) {}
    record CourseMap(String key, byte[] rendered, long at) {}
    record Punch(String siCard, int control, long at) {}
    record ResultExport(String siCard, String course, long finishedAt, byte[] splits) {}
    record Receipt(String siCard, long checksum, long at) {}

    /** Results go to the federation's ranking server; one thread, queue drained as fast as results arrive. */
    static final class ResultExporter {
        final LinkedBlockingQueue<Runnable> workQueue = new LinkedBlockingQueue<>();
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, workQueue, r -> {
            Thread th = new Thread(r, "results-export");
            th.setDaemon(true);
            return th;
        });
        final Receipt[] receipts = new Receipt[RECEIPTS];
        long submitted, exported;
        void submit(ResultExport e) {
            submitted++;
            executor.execute(() -> upload(e));
        }
        synchronized void upload(ResultExport e) {
            long sum = 7;
            for (byte b : e.splits()) sum = sum * 31 + b;
            receipts[(int) (exported++ % RECEIPTS)] = new Receipt(e.siCard(), sum, e.finishedAt());
        }
        synchronized long exported() { return exported; }
    }

    static final class DigestTask extends TimerTask {
        final String club; final List<String> courses; final byte[] template;
        DigestTask(String club, List<String> courses, byte[] template) { this.club = club; this.courses = courses; this.template = template; }
        @Override public void run() { /* mails the club's daily digest (not reached during the simulated period) */ }
    }

    /** ONE timer for all digests; unsubscribing cancels the task and purges it. */
    static final class DigestScheduler {
        final Timer timer = new Timer("club-digests", true);
        final Map<String, DigestTask> byClub = new HashMap<>();
        long scheduled, cancelled;
        void subscribe(String club, DigestTask task, long firstRunAt) {
            timer.scheduleAtFixedRate(task, new Date(firstRunAt), DAY);
            byClub.put(club, task);
            scheduled++;
        }
        void unsubscribe(String club) {
            byClub.remove(club).cancel();
            timer.purge();
            cancelled++;
        }
    }

    static final class MapCache extends LinkedHashMap<String, CourseMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CourseMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class ResultsService {
        final Map<String, Runner> runners = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> splitBuffers = new ArrayDeque<>();
        final Punch[] punches = new Punch[RING];
        long punchCount;
        final ResultExporter exporter = new ResultExporter();
        final DigestScheduler digests = new DigestScheduler();
    }

    static ResultsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static DigestTask newDigest(Random r, String club) {
        List<String> courses = new ArrayList<>();
        for (int k = 0, n = 2 + r.nextInt(5); k < n; k++) courses.add(club + "/" + (char) ('A' + k));
        return new DigestTask(club, courses, new byte[2_000 + r.nextInt(2_000)]);
    }

    public static void main(String[] args) throws Exception {
        int punches = PUNCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(94_060_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] profile = new double[80];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 400;
            venueCodes[v] = "VN" + (7_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Forest " + v, profile));
        }
        ResultsService svc = new ResultsService();
        SERVICE = svc;
        String[] cards = new String[RUNNERS];
        String[] clubs = new String[900];
        for (int c = 0; c < clubs.length; c++) clubs[c] = "CLUB-" + (100 + c);
        for (int r = 0; r < RUNNERS; r++) {
            cards[r] = Integer.toString(2_000_000 + r * 13);
            svc.runners.put(cards[r], new Runner(cards[r], "Runner " + r, clubs[rnd.nextInt(clubs.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.splitBuffers.add(new byte[32_768]);
        Random subs = new Random(94_060_003);
        List<String> subscribed = new ArrayList<>(), unsubscribed = new ArrayList<>();
        for (int c = 0; c < clubs.length; c++) unsubscribed.add(clubs[c]);
        // the federation-wide digest: the earliest run of all, never cancelled (so it is always the timer's next task)
        svc.digests.subscribe("FEDERATION", newDigest(subs, "FEDERATION"), end + 30 * MINUTE);
        for (int k = 0; k < INITIAL_DIGESTS; k++) {
            String club = unsubscribed.remove(subs.nextInt(unsubscribed.size()));
            svc.digests.subscribe(club, newDigest(subs, club), end + HOUR + subs.nextInt(24) * HOUR);
            subscribed.add(club);
        }
        Random traffic = new Random(94_060_002);
        long changeEvery = (HOURS * HOUR - 2 * MINUTE) / DIGEST_CHANGES, nextChange = start + changeEvery / 2;
        int changes = 0;
        for (int i = 0; i < punches; i++) {
            long t = start + (end - MINUTE - start) * i / punches;
            while (nextChange <= t && changes < DIGEST_CHANGES) {
                if (changes++ % 2 == 0) {
                    String club = unsubscribed.remove(subs.nextInt(unsubscribed.size()));
                    svc.digests.subscribe(club, newDigest(subs, club), end + HOUR + subs.nextInt(24) * HOUR);
                    subscribed.add(club);
                } else {
                    String club = subscribed.remove(subs.nextInt(subscribed.size()));
                    svc.digests.unsubscribe(club);
                    unsubscribed.add(club);
                }
                nextChange += changeEvery;
            }
            String card = cards[traffic.nextInt(RUNNERS)];
            int control = 31 + traffic.nextInt(70);
            svc.punches[(int) (svc.punchCount++ % RING)] = new Punch(card, control, t);
            if (i % 6 == 5) // a finish: the result goes to the ranking server
                svc.exporter.submit(new ResultExport(card, venueCodes[traffic.nextInt(VENUES)] + "/" + (char) ('A' + traffic.nextInt(6)), t, new byte[300 + traffic.nextInt(600)]));
            String key = venueCodes[traffic.nextInt(VENUES)] + "/" + traffic.nextInt(4);
            if (svc.maps.get(key) == null) svc.maps.put(key, new CourseMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.splitBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.splitBuffers.add(buf);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        ResultExporter ex = svc.exporter;
        while (!(ex.exported() == ex.submitted && ex.workQueue.isEmpty() && ex.executor.getActiveCount() == 0)) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("results-export did not drain: " + ex.exported() + " of " + ex.submitted);
            Thread.sleep(5);
        }
        System.out.println("venues " + VENUES_BY_CODE.size() + " runners " + svc.runners.size() + " punches " + svc.punchCount + " results exported " + ex.exported() + " of " + ex.submitted
                + " (queue " + ex.workQueue.size() + ") digests " + svc.digests.byClub.size() + " (scheduled " + svc.digests.scheduled + ", cancelled " + svc.digests.cancelled + ", changes " + changes
                + ") maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.splitBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.runners.size() == RUNNERS, "reference data / directory");
        check(ex.submitted == punches / 6 && ex.exported() == ex.submitted && ex.workQueue.isEmpty(), "exporter keeps up");
        check(changes == DIGEST_CHANGES && svc.digests.byClub.size() == INITIAL_DIGESTS + 1 && svc.digests.cancelled == DIGEST_CHANGES / 2, "digests");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.splitBuffers.size() == POOL, "pool");
        check(svc.punchCount == punches && svc.punches[RING - 1] != null, "punch ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
