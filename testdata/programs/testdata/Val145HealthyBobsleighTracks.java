// hprofscan-dump: name=val145-healthy-bobsleightracks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val145-healthy-bobsleightracks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 145 (written blind), HEALTHY: track operations and timing of a network of bobsleigh
 * tracks (training and race runs of two- and four-man bobs and monobobs). Components: track reference
 * data, the athlete licence directory, a large read-only table of curve segments (every half metre
 * of every track, with its ice-profile coefficients), a ScheduledThreadPoolExecutor with 36 periodic
 * jobs (ice and brine-plant polling, weather, publishing) on which every timing session also
 * schedules a 6-hour stale-session timeout, wrapped with the session as log context, that is
 * cancelled when the run is timed (remove-on-cancel policy set, the wrapper removed too), a replication stream of results to the federation's standby (one ObjectOutputStream,
 * reset after every batch), a pool of photo-finish frame buffers, a cache of rendered run sheets at
 * its cap, a ring of recent runs and the federation upload backlog. 10 hours. See VALIDATION145.md.
 */
public final class Val145HealthyBobsleighTracks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TRACKS = 16, SEGMENTS_PER_TRACK = 3_000, ATHLETES = 12_000, POOL = 12, RING = 4_096, SHEET_CAP = 1_000, HOURS = 10,
            RUNS_PER_MINUTE = 9, BATCH = 40, UPLOAD_LAG_MINUTES = 12;
    static final String[] DISCIPLINES = {"2-man", "4-man", "monobob", "2-woman"};
    static final String[] NATIONS = {"GER", "SUI", "AUT", "CAN", "USA", "LAT", "GBR", "ITA", "KOR", "NOR", "POL", "CZE", "JAM", "ROU", "MON", "NED"};

    record Track(String code, String name, int lengthM, int curves, double[] seasonRuns) {}
    record CurveSegment(String key, int curve, float radiusM, float bankingDeg, float gradientPct, float[] iceProfile) {}
    record Athlete(String licence, String name, String nation, String discipline, byte[] medicalRecord, long licensedAt) {}
    record RunSheet(String runId, byte[] pdf, long renderedAt) {}
    record RunResult(String runId, String trackCode, String pilotLicence, String discipline, long startAt, int startMillis, int[] splitMillis, int finishMillis,
                     float speedKmh) implements Serializable {}
    record FederationUpload(String batchId, int results, long queuedAt) {}

    static final Map<String, Track> TRACKS_BY_CODE = new HashMap<>();

    /** A timing session from start-gate arm to finish photocell. */
    static final class TimingSession {
        final String runId, trackCode, pilotLicence, discipline;
        final long armedAt;
        final int[] splitMillis = new int[6];
        ScheduledFuture<?> staleTimeout;
        TimingSession(String runId, String trackCode, String pilotLicence, String discipline, long armedAt) {
            this.runId = runId; this.trackCode = trackCode; this.pilotLicence = pilotLicence; this.discipline = discipline; this.armedAt = armedAt;
        }
    }

    /** The timing session being handled on this thread (log context, like an MDC). */
    static final ThreadLocal<TimingSession> CURRENT_SESSION = new ThreadLocal<>();

    /** Track-operations scheduler: every task carries the timing session of the request that scheduled it. */
    static final class TracingScheduler extends ScheduledThreadPoolExecutor {
        TracingScheduler(int core, ThreadFactory factory) { super(core, factory); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) { return new TracedTask<>(this, task, CURRENT_SESSION.get()); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) { return new TracedTask<>(this, task, CURRENT_SESSION.get()); }
    }

    static final class TracedTask<V> implements RunnableScheduledFuture<V> {
        final ScheduledThreadPoolExecutor owner;
        final RunnableScheduledFuture<V> task;
        final TimingSession context;
        TracedTask(ScheduledThreadPoolExecutor owner, RunnableScheduledFuture<V> task, TimingSession context) { this.owner = owner; this.task = task; this.context = context; }
        @Override public void run() { CURRENT_SESSION.set(context); try { task.run(); } finally { CURRENT_SESSION.remove(); } }
        @Override public boolean cancel(boolean interrupt) {
            boolean cancelled = task.cancel(interrupt);
            if (cancelled && owner.getRemoveOnCancelPolicy()) owner.remove(this);   // the queue holds this wrapper, not the inner task
            return cancelled;
        }
        @Override public boolean isPeriodic() { return task.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return task.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return task.compareTo(o instanceof TracedTask<?> t ? t.task : o); }
        @Override public boolean isCancelled() { return task.isCancelled(); }
        @Override public boolean isDone() { return task.isDone(); }
        @Override public V get() throws InterruptedException, ExecutionException { return task.get(); }
        @Override public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException { return task.get(timeout, unit); }
    }

    /** The link to the federation's standby results server (a socket in production); counts and discards. */
    static final class StandbyLink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    /** Replicates every timed run; the stream is reset after each batch so it does not keep what it wrote. */
    static final class ResultsReplicator {
        final StandbyLink link = new StandbyLink();
        final ObjectOutputStream out;
        int inBatch;
        long written, batches;
        ResultsReplicator() throws IOException { out = new ObjectOutputStream(link); }
        void replicate(RunResult r) throws IOException {
            out.writeObject(r);
            written++;
            if (++inBatch == BATCH) endBatch();
        }
        void endBatch() throws IOException { out.flush(); out.reset(); inBatch = 0; batches++; }
    }

    static final class SheetCache extends LinkedHashMap<String, RunSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RunSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final class TrackService {
        final Map<String, CurveSegment> segments = new HashMap<>();
        final Map<String, Athlete> athletes = new HashMap<>();
        final String[] licences = new String[ATHLETES];
        final TracingScheduler scheduler;
        final Map<String, TimingSession> open = new HashMap<>();
        final ResultsReplicator replicator;
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final SheetCache sheets = new SheetCache();
        final RunResult[] recent = new RunResult[RING];
        final ArrayDeque<FederationUpload> uploads = new ArrayDeque<>();
        final double[] iceTemperature = new double[TRACKS];
        int periodicJobs;
        long armed, timed, abandoned, segmentLookups, sheetHits, uploadsQueued, uploadsSent, polls;

        TrackService() throws IOException {
            AtomicInteger n = new AtomicInteger();
            scheduler = new TracingScheduler(2, r -> { Thread th = new Thread(r, "track-ops-" + n.incrementAndGet()); th.setDaemon(true); return th; });
            scheduler.setRemoveOnCancelPolicy(true);
            replicator = new ResultsReplicator();
        }

        /** The 36 periodic jobs; the first run of each is at least 10 minutes away (none runs before the dump). */
        void schedulePeriodicJobs() {
            for (int k = 0; k < TRACKS; k++) {
                final int track = k;
                scheduler.scheduleAtFixedRate(() -> pollIce(track), 10 + k, 5, TimeUnit.MINUTES);
                scheduler.scheduleAtFixedRate(() -> pollBrinePlant(track), 20 + k, 15, TimeUnit.MINUTES);
                periodicJobs += 2;
            }
            scheduler.scheduleAtFixedRate(() -> polls++, 30, 10, TimeUnit.MINUTES);            // weather feed
            scheduler.scheduleAtFixedRate(() -> polls++, 40, 30, TimeUnit.MINUTES);            // publish standings
            scheduler.scheduleAtFixedRate(() -> polls++, 60, 60, TimeUnit.MINUTES);            // licence sync
            scheduler.scheduleAtFixedRate(() -> polls++, 90, 60, TimeUnit.MINUTES);            // video archive
            periodicJobs += 4;
        }
        void pollIce(int track) { iceTemperature[track] = -7.5 + track * 0.01; polls++; }
        void pollBrinePlant(int track) { polls++; }

        TimingSession arm(String runId, String trackCode, String pilot, String discipline, long t) {
            TimingSession s = new TimingSession(runId, trackCode, pilot, discipline, t);
            CURRENT_SESSION.set(s);
            try {
                s.staleTimeout = scheduler.schedule(() -> abandon(s), 6, TimeUnit.HOURS);
                open.put(runId, s);
            } finally {
                CURRENT_SESSION.remove();
            }
            armed++;
            return s;
        }
        void abandon(TimingSession s) { if (open.remove(s.runId) != null) abandoned++; }

        RunResult finish(TimingSession s, Random r, long t) throws IOException {
            s.staleTimeout.cancel(false);       // removed from the queue (remove-on-cancel policy; the wrapper removes itself)
            open.remove(s.runId);
            int total = 0;
            for (int k = 0; k < s.splitMillis.length; k++) {
                CurveSegment seg = segments.get(s.trackCode + "/S" + String.format("%05d", r.nextInt(SEGMENTS_PER_TRACK)));
                segmentLookups++;
                total += s.splitMillis[k] = 7_000 + r.nextInt(2_500) + (int) seg.radiusM() % 50;
            }
            RunResult res = new RunResult(s.runId, s.trackCode, s.pilotLicence, s.discipline, s.armedAt, 4_800 + r.nextInt(600), s.splitMillis.clone(), total,
                    120f + r.nextInt(300) / 10f);
            recent[(int) (timed++ % RING)] = res;
            replicator.replicate(res);
            byte[] frame = frameBuffers.poll();
            frame[total % frame.length] = (byte) total;
            frameBuffers.add(frame);
            if (r.nextInt(4) == 0) {
                if (sheets.get(res.pilotLicence()) != null) sheetHits++;   // the pilot's season sheet, re-rendered when evicted
                else sheets.put(res.pilotLicence(), new RunSheet(res.runId(), new byte[1_200 + r.nextInt(800)], t));
            }
            return res;
        }
    }

    record Finish(long at, TimingSession session) {}

    static TrackService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(145_020_001);
        String[] trackCodes = new String[TRACKS];
        TrackService svc = new TrackService();
        SERVICE = svc;
        for (int k = 0; k < TRACKS; k++) {
            double[] season = new double[120];
            for (int d = 0; d < season.length; d++) season[d] = rnd.nextInt(260);
            trackCodes[k] = "BT-" + (k < 9 ? "0" : "") + (k + 1);
            TRACKS_BY_CODE.put(trackCodes[k], new Track(trackCodes[k], "Track " + (k + 1), 1_300 + rnd.nextInt(400), 13 + rnd.nextInt(7), season));
            for (int g = 0; g < SEGMENTS_PER_TRACK; g++) {
                float[] profile = new float[8];
                for (int p = 0; p < profile.length; p++) profile[p] = rnd.nextFloat();
                String key = trackCodes[k] + "/S" + String.format("%05d", g);
                svc.segments.put(key, new CurveSegment(key, g / 180, 12 + rnd.nextInt(60), rnd.nextInt(90), -4 + rnd.nextInt(16), profile));
            }
        }
        for (int a = 0; a < ATHLETES; a++) {
            svc.licences[a] = "IBL" + (700_000 + a * 13);
            svc.athletes.put(svc.licences[a], new Athlete(svc.licences[a], "athlete " + (a + 1), NATIONS[rnd.nextInt(NATIONS.length)], DISCIPLINES[rnd.nextInt(DISCIPLINES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[65_536]);
        svc.schedulePeriodicJobs();

        Random traffic = new Random(145_020_002);
        PriorityQueue<Finish> finishes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int runSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < RUNS_PER_MINUTE; k++) {
                String track = trackCodes[traffic.nextInt(TRACKS)];
                Athlete pilot = svc.athletes.get(svc.licences[traffic.nextInt(ATHLETES)]);
                TimingSession s = svc.arm("RUN-" + (5_000_000 + runSeq++), track, pilot.licence(), pilot.discipline(), t + k * 6 * SECOND);
                finishes.add(new Finish(t + (2 + traffic.nextInt(8)) * MINUTE, s));   // start slot, run, timing confirmed
            }
            long timedBefore = svc.timed;
            while (!finishes.isEmpty() && finishes.peek().at() <= t) svc.finish(finishes.poll().session(), traffic, t);
            if (svc.timed > timedBefore) {
                svc.uploads.addLast(new FederationUpload("FED-" + (80_000 + svc.uploadsQueued), (int) (svc.timed - timedBefore), t));
                svc.uploadsQueued++;
            }
            while (!svc.uploads.isEmpty() && svc.uploads.peekFirst().queuedAt() <= t - UPLOAD_LAG_MINUTES * MINUTE) { svc.uploads.pollFirst(); svc.uploadsSent++; }
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        TrackService svc = SERVICE;
        int queued = svc.scheduler.getQueue().size();
        ResultsReplicator rep = svc.replicator;
        System.out.println("tracks " + TRACKS_BY_CODE.size() + " segments " + svc.segments.size() + " athletes " + svc.athletes.size() + " periodic jobs " + svc.periodicJobs
                + " armed " + svc.armed + " timed " + svc.timed + " open " + svc.open.size() + " abandoned " + svc.abandoned + " scheduler queue " + queued
                + " replicated " + rep.written + " (batches " + rep.batches + ", in batch " + rep.inBatch + ", bytes " + rep.link.bytes + ") sheets " + svc.sheets.size()
                + " (evicted " + svc.sheets.evicted + ", hits " + svc.sheetHits + ") uploads backlog " + svc.uploads.size() + " (queued " + svc.uploadsQueued + ", sent " + svc.uploadsSent
                + ") pool " + svc.frameBuffers.size());
        check(TRACKS_BY_CODE.size() == TRACKS && svc.segments.size() == TRACKS * SEGMENTS_PER_TRACK && svc.athletes.size() == ATHLETES, "reference data / directory");
        check(svc.armed == (long) RUNS_PER_MINUTE * HOURS * 60 && svc.armed == svc.timed + svc.open.size() && svc.abandoned == 0, "timing sessions");
        check(queued == svc.periodicJobs + svc.open.size() && svc.periodicJobs == 36, "scheduler queue: the periodic jobs and the open sessions' timeouts");
        check(rep.written == svc.timed && rep.batches == svc.timed / BATCH && rep.inBatch == svc.timed % BATCH, "replication batches");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "run sheet cache at cap");
        check(svc.frameBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.uploads.size() > 0 && svc.uploadsQueued == svc.uploadsSent + svc.uploads.size(), "upload backlog");
        check(EXPECTED_OPEN < 0 || svc.open.size() == EXPECTED_OPEN, "open timing sessions " + svc.open.size());
    }

    static final int EXPECTED_OPEN = 51;
}
