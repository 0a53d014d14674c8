// hprofscan-dump: name=val39-leak-chimneysweeps-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val39-leak-chimneysweeps-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val39-leak-chimneysweeps jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val39-leak-chimneysweeps-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 39 (written blind), LEAK (series): the dispatch service of a chimney-sweeping
 * company. Flue-type reference data, a property directory warmed lazily by enquiries, an LRU of
 * rendered sweep certificates at its cap, a pool of flue-camera buffers, a ring of completed
 * visits. A sweep on a roof must stop on a weather alert (high wind, lightning), so every RoofJob
 * subscribes to the in-process WeatherAlertBus with the bound method reference
 * {@code this::onWeatherAlert} when it starts, and unsubscribes with {@code this::onWeatherAlert}
 * again when it finishes. Each evaluation of a bound method reference is a new object, and the
 * bus's CopyOnWriteArrayList removes by equals (identity for lambdas), so the unsubscribe finds
 * nothing (its false result is ignored) and every finished job stays subscribed. Stage 1 / 2 / 3
 * simulate 2 / 3.5 / 6.5 hours (program argument stage=N); the leak doubles per stage. See
 * VALIDATION39.md.
 */
public final class Val39LeakChimneySweeps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FLUE_TYPES = 600, PROPERTIES = 2_500, CERT_CAP = 1_000, POOL = 8, RING = 1_024, SWEEPS = 60, JOBS_PER_HOUR = 500, ENQUIRIES_PER_HOUR = 3_000;
    static final long[] STAGE_MINUTES = {120, 210, 390};
    static boolean FIXED;

    record FlueType(String code, String name, double[] draftCurve) {}
    record Property(String id, String postcode, String flueType, byte[] chimneyRecord, long customerSince) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record Visit(String jobId, String propertyId, String sweepId, long startedAt, long finishedAt) {}
    record WeatherAlert(String kind, String area, long issuedAt) {}

    /** In-process publish/subscribe of weather alerts. */
    static final class WeatherAlertBus {
        final CopyOnWriteArrayList<Consumer<WeatherAlert>> subscribers = new CopyOnWriteArrayList<>();
        long published;
        void subscribe(Consumer<WeatherAlert> c) { subscribers.add(c); }
        boolean unsubscribe(Consumer<WeatherAlert> c) { return subscribers.remove(c); }
        void publish(WeatherAlert a) { published++; for (Consumer<WeatherAlert> c : subscribers) c.accept(a); }
    }

    /** One sweep visit in progress on a roof. */
    static final class RoofJob {
        final String jobId, propertyId, sweepId;
        final long startedAt;
        final byte[] inspectionNotes;
        long finishedAt;
        int alertsSeen;
        boolean done;
        Consumer<WeatherAlert> alertHandle; // used by the fixed code path only
        RoofJob(String jobId, String propertyId, String sweepId, long startedAt, byte[] inspectionNotes) { this.jobId = jobId; this.propertyId = propertyId; this.sweepId = sweepId; this.startedAt = startedAt; this.inspectionNotes = inspectionNotes; }
        void onWeatherAlert(WeatherAlert a) { if (!done) alertsSeen++; }
        void start(WeatherAlertBus bus) {
            if (FIXED) { alertHandle = this::onWeatherAlert; bus.subscribe(alertHandle); }
            else bus.subscribe(this::onWeatherAlert);
        }
        boolean finish(WeatherAlertBus bus, long at) {
            done = true;
            finishedAt = at;
            if (FIXED) return bus.unsubscribe(alertHandle);
            return bus.unsubscribe(this::onWeatherAlert); // BUG: a new method-reference object, never equal to the subscribed one
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FlueType> FLUES_BY_TYPE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Property> properties = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> cameraBuffers = new ArrayDeque<>();
        final Visit[] completedVisits = new Visit[RING];
        final WeatherAlertBus weather = new WeatherAlertBus();
        final Map<String, RoofJob> activeJobs = new HashMap<>();
        final String[] crew = new String[SWEEPS];
        long completed, unsubscribeMisses, boardAlerts;
        void onBoardAlert(WeatherAlert a) { boardAlerts++; }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Finish(String jobId, long at) {}

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val39.fixed");
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - STAGE_MINUTES[stage - 1] * MINUTE;
        Random rnd = new Random(39_030_001);
        String[] flueCodes = new String[FLUE_TYPES];
        for (int f = 0; f < FLUE_TYPES; f++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 2 + rnd.nextDouble() * 18;
            flueCodes[f] = "FL-" + (100 + f);
            FLUES_BY_TYPE.put(flueCodes[f], new FlueType(flueCodes[f], "Flue " + f, c));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int s = 0; s < SWEEPS; s++) svc.crew[s] = "sweep-" + (s + 1);
        for (int b = 0; b < POOL; b++) svc.cameraBuffers.add(new byte[32_768]);
        Consumer<WeatherAlert> board = svc::onBoardAlert;
        svc.weather.subscribe(board); // the dispatch board, subscribed once for the life of the service

        Random traffic = new Random(39_030_002);
        long minutes = STAGE_MINUTES[stage - 1];
        int jobs = (int) (JOBS_PER_HOUR * minutes / 60), enquiries = (int) (ENQUIRIES_PER_HOUR * minutes / 60);
        PriorityQueue<Finish> finishes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        String[] kinds = {"HIGH_WIND", "LIGHTNING", "ICE"};
        long nextAlert = start + 47 * MINUTE;
        int alerts = 0, e = 0;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            while (!finishes.isEmpty() && finishes.peek().at() <= t) finish(svc, finishes.poll());
            while (nextAlert <= t) { svc.weather.publish(new WeatherAlert(kinds[alerts % 3], "area-" + (alerts % 7), nextAlert)); alerts++; nextAlert += 53 * MINUTE; }
            // enquiries of this slice: property look-ups (lazy directory) and certificates (LRU)
            int enquiriesUntil = (int) ((long) enquiries * (i + 1) / jobs);
            for (; e < enquiriesUntil; e++) {
                String pid = property(svc, flueCodes, traffic.nextInt(PROPERTIES), t);
                String key = pid + "/cert";
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[400 + traffic.nextInt(400)], t));
            }
            String pid = property(svc, flueCodes, traffic.nextInt(PROPERTIES), t);
            String jobId = "CS-" + (510_000L + i);
            RoofJob job = new RoofJob(jobId, pid, svc.crew[traffic.nextInt(SWEEPS)], t, new byte[200 + traffic.nextInt(200)]);
            job.start(svc.weather);
            svc.activeJobs.put(jobId, job);
            finishes.add(new Finish(jobId, t + (20 + traffic.nextInt(21)) * MINUTE));
            byte[] buf = svc.cameraBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.cameraBuffers.add(buf);
        }
        while (!finishes.isEmpty() && finishes.peek().at() <= end) finish(svc, finishes.poll());
        finishes.clear();

        int subscribers = svc.weather.subscribers.size();
        long finishedSubscribed = 0;
        for (Consumer<WeatherAlert> c : svc.weather.subscribers) if (c != board) finishedSubscribed++;
        finishedSubscribed -= svc.activeJobs.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " minutes " + minutes + " flue-types " + FLUES_BY_TYPE.size() + " properties " + svc.properties.size() + " jobs " + jobs + " enquiries " + e
                + " completed " + svc.completed + " active " + svc.activeJobs.size() + " subscribers " + subscribers + " finished-still-subscribed " + finishedSubscribed + " unsubscribe-misses " + svc.unsubscribeMisses
                + " alerts " + alerts + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") ring " + Math.min(svc.completed, RING) + " pool " + svc.cameraBuffers.size());
        check(FLUES_BY_TYPE.size() == FLUE_TYPES, "reference data");
        check(svc.properties.size() == EXPECTED_PROPERTIES[stage - 1], "lazily warmed directory");
        check(svc.completed == EXPECTED_COMPLETED[stage - 1] && svc.activeJobs.size() == jobs - EXPECTED_COMPLETED[stage - 1], "traffic");
        check(svc.unsubscribeMisses == (FIXED ? 0 : svc.completed), "unsubscribe misses");
        check(subscribers == 1 + svc.activeJobs.size() + (FIXED ? 0 : svc.completed), "subscriber accounting");
        check(finishedSubscribed == (FIXED ? 0 : EXPECTED_COMPLETED[stage - 1]), "finished jobs still subscribed: " + finishedSubscribed);
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.cameraBuffers.size() == POOL, "pool");
        check(svc.boardAlerts == alerts && alerts > 0, "alerts");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String property(DispatchService svc, String[] flueCodes, int p, long t) {
        String id = "PR-" + (40_000 + p * 13);
        Property prop = svc.properties.get(id);
        if (prop == null) {
            Random r = new Random(39_030_100L + p); // the property's stored record, independent of when it is first loaded
            prop = new Property(id, "PC" + (p % 97) + " " + (p % 9) + "ZX", flueCodes[r.nextInt(flueCodes.length)], new byte[150 + r.nextInt(150)], t - (long) (10 + r.nextInt(4_000)) * DAY);
            svc.properties.put(id, prop);
        }
        return id;
    }

    static void finish(DispatchService svc, Finish f) {
        RoofJob job = svc.activeJobs.remove(f.jobId());
        if (!job.finish(svc.weather, f.at())) svc.unsubscribeMisses++;
        svc.completedVisits[(int) (svc.completed++ % RING)] = new Visit(job.jobId, job.propertyId, job.sweepId, job.startedAt, job.finishedAt);
    }

    static final int[] EXPECTED_PROPERTIES = {2_344, 2_481, 2_499};
    static final long[] EXPECTED_COMPLETED = {760, 1_500, 3_009};
}
