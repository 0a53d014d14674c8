// hprofscan-dump: name=val15-healthy-observatory-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val15-healthy-observatory-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val15-healthy-observatory jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val15-healthy-observatory-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), HEALTHY, series (warms, then flat): the night pipeline of a
 * robotic survey telescope. Every exposure is plate-solved against the star catalogue and the
 * solution memoized in an LRU (3,000 fields); every exposure gets a log line in a capped log.
 * Stage 1 after 1 hour (1,000 exposures: the memo and the log are still filling), stage 2 after 4
 * hours (4,000: both at their caps), stage 3 after 8 hours (8,000: same sizes). Legitimate, all
 * of it: the star catalogue (a static map of 120,000 stars loaded once, the biggest structure),
 * 24 master calibration flats, the plate-solve LRU, the exposure log, the observation queue (the
 * in-flight schedule of the night), a preallocated ring of weather readings and a fixed pool of
 * solver threads. See testdata/VALIDATION15.md.
 */
public final class Val15HealthyObservatory {
    static final int STARS = 120_000;
    static final int FLATS = 24;
    static final int FLAT_PIXELS = 256 * 256;
    static final int MEMO_CAP = 3_000;
    static final int LOG_CAP = 2_500;
    static final int QUEUE = 180;
    static final int WEATHER_RING = 2_048;
    static final int SOLVERS = 3;
    static final int EXPOSURES_PER_HOUR = 1_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static Pipeline PIPELINE;

    static final class Star { final long id; final double ra; final double dec; final float mag; final float[] colours;
        Star(long id, double ra, double dec, float mag, float[] colours) { this.id = id; this.ra = ra; this.dec = dec; this.mag = mag; this.colours = colours; } }

    /** Reference data: the star catalogue, loaded once at startup. */
    static final class StarCatalog {
        static final Map<Long, Star> STARS_BY_ID = new HashMap<>();
    }

    /** Reference data: master flat fields per filter and binning. */
    static final class Calibration {
        static final Map<String, float[]> MASTER_FLATS = new HashMap<>();
    }

    static final class Solution { final String fieldId; final double[] wcs; final long[] matchedStars; final float[] psfProfile; final long solvedAt;
        Solution(String fieldId, double[] wcs, long[] matchedStars, float[] psfProfile, long solvedAt) { this.fieldId = fieldId; this.wcs = wcs; this.matchedStars = matchedStars; this.psfProfile = psfProfile; this.solvedAt = solvedAt; } }

    static final class SolveMemo extends LinkedHashMap<String, Solution> {
        long evicted;
        SolveMemo() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Solution> e) { if (size() > MEMO_CAP) { evicted++; return true; } return false; }
    }

    static final class ExposureRecord { final String fieldId; final String filter; final double seeing; final long shutterAt; final String fitsPath;
        ExposureRecord(String fieldId, String filter, double seeing, long shutterAt, String fitsPath) { this.fieldId = fieldId; this.filter = filter; this.seeing = seeing; this.shutterAt = shutterAt; this.fitsPath = fitsPath; } }

    static final class Observation implements Comparable<Observation> { final String target; final long notBefore; final int priority; final String filterPlan;
        Observation(String target, long notBefore, int priority, String filterPlan) { this.target = target; this.notBefore = notBefore; this.priority = priority; this.filterPlan = filterPlan; }
        @Override public int compareTo(Observation o) { return Long.compare(notBefore, o.notBefore); } }

    static final class WeatherReading { long at; double humidity; double windKmh; double skyTempC; }

    static final class Pipeline {
        final SolveMemo solutions = new SolveMemo();
        final ArrayDeque<ExposureRecord> exposureLog = new ArrayDeque<>();
        long logRotated;
        final PriorityQueue<Observation> queue = new PriorityQueue<>();
        final WeatherReading[] weather = new WeatherReading[WEATHER_RING];
        int weatherCursor;
        long weatherTotal;
        final AtomicInteger solverSeq = new AtomicInteger();
        final ThreadPoolExecutor solvers = new ThreadPoolExecutor(SOLVERS, SOLVERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "plate-solver-" + solverSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        Pipeline() { for (int i = 0; i < WEATHER_RING; i++) weather[i] = new WeatherReading(); }
        void log(ExposureRecord r) { exposureLog.addLast(r); if (exposureLog.size() > LOG_CAP) { exposureLog.removeFirst(); logRotated++; } }
        void weather(long t, Random rnd) { WeatherReading w = weather[weatherCursor]; w.at = t; w.humidity = 20 + rnd.nextInt(60); w.windKmh = rnd.nextInt(40); w.skyTempC = -40 + rnd.nextInt(20); weatherCursor = (weatherCursor + 1) % WEATHER_RING; weatherTotal++; }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(15_040_004);
        Pipeline p = new Pipeline();
        PIPELINE = p;
        for (int i = 0; i < 45; i++) p.config.setProperty("pipeline.filter.offset." + i, Integer.toString(i * 17 % 300));
        for (int s = 0; s < STARS; s++) {
            float[] col = new float[5];
            for (int c = 0; c < col.length; c++) col[c] = rnd.nextFloat() * 3;
            long id = 4_000_000_000L + s * 7L;
            StarCatalog.STARS_BY_ID.put(id, new Star(id, rnd.nextDouble() * 360, -90 + rnd.nextDouble() * 180, 6 + rnd.nextFloat() * 12, col));
        }
        String[] filters = {"u", "g", "r", "i", "z", "y"};
        for (int f = 0; f < FLATS; f++) {
            float[] flat = new float[FLAT_PIXELS];
            for (int i = 0; i < FLAT_PIXELS; i += 97) flat[i] = 0.9f + rnd.nextFloat() * 0.2f;
            Calibration.MASTER_FLATS.put(filters[f % 6] + "-bin" + (1 + f / 6), flat);
        }
        for (int q = 0; q < QUEUE; q++) p.queue.add(new Observation("SN-candidate-" + (q * 31), now + q * 90_000L, rnd.nextInt(10), "g,r,i x " + (1 + q % 4)));
        CyclicBarrier ready = new CyclicBarrier(SOLVERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < SOLVERS; w++) warm.add(p.solvers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Exposures spread evenly up to the dump; every exposure is a new survey field. One
        // weather reading every second. The queue is replenished one-for-one as it is observed.
        int exposures = (int) (EXPOSURES_PER_HOUR * hours);
        long lastWeather = start;
        for (int i = 0; i < exposures; i++) {
            long t = start + (now - start) * i / exposures;
            while (lastWeather + 1_000 <= t) { lastWeather += 1_000; p.weather(lastWeather, rnd); }
            String field = "F" + (200_000 + i * 3) + (i % 2 == 0 ? "N" : "S");
            Solution s = p.solutions.get(field);
            if (s == null) {
                double[] wcs = new double[9];
                for (int k = 0; k < wcs.length; k++) wcs[k] = rnd.nextDouble();
                long[] matched = new long[20 + rnd.nextInt(21)];
                for (int k = 0; k < matched.length; k++) matched[k] = 4_000_000_000L + rnd.nextInt(STARS) * 7L;
                float[] psf = new float[128];
                psf[i % 128] = 1f;
                s = new Solution(field, wcs, matched, psf, t);
                p.solutions.put(field, s);
            }
            String filter = filters[i % 6];
            p.log(new ExposureRecord(field, filter, 0.6 + rnd.nextDouble(), t, "/data/night/raw/" + field + "-" + filter + "-" + i + ".fits.fz"));
            if (i % 40 == 0) { Observation done = p.queue.poll(); p.queue.add(new Observation(done.target + "/r", now + rnd.nextInt(3_600) * 1_000L, done.priority, done.filterPlan)); }
        }
        int expectedMemo = Math.min(exposures, MEMO_CAP);
        System.out.println("stage " + stage + " stars " + StarCatalog.STARS_BY_ID.size() + " flats " + Calibration.MASTER_FLATS.size() + " solutions " + p.solutions.size() + " (evicted " + p.solutions.evicted + ") log " + p.exposureLog.size() + " (rotated " + p.logRotated + ") queue " + p.queue.size() + " weather " + p.weatherTotal);
        check(StarCatalog.STARS_BY_ID.size() == STARS && Calibration.MASTER_FLATS.size() == FLATS, "reference data");
        check(p.solutions.size() == expectedMemo && p.solutions.evicted == exposures - expectedMemo, "solve memo");
        check(p.exposureLog.size() == Math.min(exposures, LOG_CAP) && p.logRotated == exposures - p.exposureLog.size(), "exposure log");
        check(p.queue.size() == QUEUE && p.weatherTotal > WEATHER_RING && p.solvers.getPoolSize() == SOLVERS, "queue/ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
