// hprofscan-dump: name=val123-healthy-sheepdogtrials-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val123-healthy-sheepdogtrials-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val123-healthy-sheepdogtrials jvm="-Xmx266m" variants=mxbean args="8"
// hprofscan-dump: name=val123-healthy-sheepdogtrials-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="8"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 123 (written blind), HEALTHY (growth series: warms up, then flat): the scoring and
 * results service of a sheepdog trial society over a trial weekend. Course reference data, the dog
 * register, LRUs of score sheets and of run video clips (the clip cache fills during the first
 * hours), a pool of print buffers, a ring of run results, a queue of judges' notes, a standings
 * cache keyed by a query class with proper equals/hashCode (bounded by the trials, classes and
 * rounds of the weekend), a fixed pool of three long-lived scoring threads whose per-thread penalty
 * notes (a ThreadLocal) are removed in finally, and a WeakHashMap of per-run statistics whose values
 * do not refer to their run sheets (entries go once a run leaves the live board). See
 * VALIDATION123.md.
 */
public final class Val123HealthySheepdogTrials {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW = 5 * MINUTE, STALE = 10 * MINUTE;
    static final int COURSES = 900, DOGS = 20_000, TRIALS = 60, SHEET_CAP = 2_000, SHEET_KEYS = 9_000, CLIP_CAP = 1_000, CLIP_KEYS = 4_000,
            POOL = 8, RING = 8_192, RUNS_PER_HOUR = 2_400, LIVE_BOARD = 120, SCORERS = 3;
    static final String[] CLASSES = {"open", "novice", "nursery"};
    static int HOURS;

    record Course(String code, String farm, double[] outrunMetresByField) {}
    record Dog(String isds, String name, String handler, byte[] pedigree, long born) {}
    record ScoreSheet(String key, byte[] rendered, long at) {}
    record VideoClip(String key, byte[] poster, long at) {}
    record RunResult(String runId, String isds, String trialId, int points, long at) {}
    record JudgeNote(String runId, String judge, byte[] text, long at) {}
    record Standings(String trialId, String cls, int round, String[] top, long computedAt) {}

    /** The standings request: trial, class and round (value equality: a correct cache key). */
    static final class StandingsQuery {
        final String trialId, cls; final int round;
        StandingsQuery(String trialId, String cls, int round) { this.trialId = trialId; this.cls = cls; this.round = round; }
        @Override public boolean equals(Object o) {
            return o instanceof StandingsQuery && ((StandingsQuery) o).trialId.equals(trialId) && ((StandingsQuery) o).cls.equals(cls) && ((StandingsQuery) o).round == round;
        }
        @Override public int hashCode() { return (trialId.hashCode() * 31 + cls.hashCode()) * 31 + round; }
    }

    /** A run on the course: the dog, the trial and the GPS track of the dog and sheep. */
    static final class RunSheet {
        final String runId, isds, trialId, cls; final int round; final byte[] gpsTrack; final long at; final int seed;
        RunSheet(String runId, String isds, String trialId, String cls, int round, byte[] gpsTrack, long at, int seed) {
            this.runId = runId; this.isds = isds; this.trialId = trialId; this.cls = cls; this.round = round; this.gpsTrack = gpsTrack; this.at = at; this.seed = seed;
        }
    }

    /** Statistics of a run for the live board: numbers and the run id only, not the sheet. */
    static final class RunStats {
        final String runId; final int outrun, lift, fetch, drive, pen; long updatedAt;
        RunStats(String runId, int outrun, int lift, int fetch, int drive, int pen, long updatedAt) {
            this.runId = runId; this.outrun = outrun; this.lift = lift; this.fetch = fetch; this.drive = drive; this.pen = pen; this.updatedAt = updatedAt;
        }
    }

    /** Three long-lived scoring threads; the penalty notes of a run live in a ThreadLocal, removed after every run. */
    static final class ScoringPool {
        static final ThreadLocal<List<String>> PENALTY_NOTES = ThreadLocal.withInitial(ArrayList::new);
        final ExecutorService workers = Executors.newFixedThreadPool(SCORERS, new java.util.concurrent.ThreadFactory() {
            int n;
            @Override public synchronized Thread newThread(Runnable r) { Thread t = new Thread(r, "trial-scoring-" + n++); t.setDaemon(true); return t; }
        });
        long scored;

        Future<int[]> score(RunSheet run) {
            scored++;
            return workers.submit(() -> {
                List<String> notes = PENALTY_NOTES.get();
                try {
                    Random r = new Random(run.seed);
                    int[] parts = {20, 10, 20, 30, 10, 10, 10};
                    int[] points = new int[parts.length];
                    for (int k = 0; k < parts.length; k++) {
                        int lost = r.nextInt(parts[k] / 2 + 1);
                        if (lost > 0) notes.add(run.runId + " part " + k + " -" + lost);
                        points[k] = parts[k] - lost;
                    }
                    return points;
                } finally {
                    PENALTY_NOTES.remove();
                }
            });
        }
    }

    static final class SheetCache extends LinkedHashMap<String, ScoreSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ScoreSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final class ClipCache extends LinkedHashMap<String, VideoClip> {
        long evicted;
        ClipCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VideoClip> e) { if (size() > CLIP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();

    static final class TrialService {
        final Map<String, Dog> dogs = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ClipCache clips = new ClipCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final RunResult[] results = new RunResult[RING];
        final ArrayDeque<JudgeNote> judgeNotes = new ArrayDeque<>();
        final HashMap<StandingsQuery, Standings> standings = new HashMap<>();
        final ArrayDeque<RunSheet> liveBoard = new ArrayDeque<>();
        final WeakHashMap<RunSheet, RunStats> liveStats = new WeakHashMap<>(65_536); // sized for a weekend's runs: never resized
        final ScoringPool scoring = new ScoringPool();
        long runs, notesPublished, standingsHits, standingsRefreshed, prints;

        Standings standings(StandingsQuery q, long now) {
            Standings s = standings.get(q);
            if (s != null && now - s.computedAt() < STALE) { standingsHits++; return s; }
            String[] top = new String[10];
            for (int k = 0; k < top.length; k++) top[k] = results[(int) ((runs + RING - 1 - k) % RING)] == null ? null : results[(int) ((runs + RING - 1 - k) % RING)].isds();
            s = new Standings(q.trialId, q.cls, q.round, top, now);
            standings.put(q, s);
            standingsRefreshed++;
            return s;
        }

        void publishNotes(long boundary) {
            while (!judgeNotes.isEmpty() && judgeNotes.peekFirst().at() <= boundary - 10 * MINUTE) { judgeNotes.pollFirst(); notesPublished++; }
        }
    }

    static TrialService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_050_001);
        for (int c = 0; c < COURSES; c++) {
            double[] outrun = new double[48];
            for (int k = 0; k < outrun.length; k++) outrun[k] = 150 + rnd.nextDouble() * 500;
            String code = "CRS-" + (200 + c);
            COURSES_BY_CODE.put(code, new Course(code, "Farm " + c, outrun));
        }
        TrialService svc = new TrialService();
        SERVICE = svc;
        String[] isds = new String[DOGS];
        for (int d = 0; d < DOGS; d++) {
            isds[d] = "ISDS" + (310_000 + d);
            svc.dogs.put(isds[d], new Dog(isds[d], "Dog " + d, "Handler " + (d % 6_000), new byte[150 + rnd.nextInt(150)], now - (long) (400 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(123_050_002);
        int total = HOURS * RUNS_PER_HOUR;
        long span = end - MINUTE - start;
        int i = 0;
        List<Future<int[]>> pending = new ArrayList<>();
        List<RunSheet> sheetsOfWindow = new ArrayList<>();
        for (long windowEnd = start + WINDOW; windowEnd <= end; windowEnd += WINDOW) {
            pending.clear();
            sheetsOfWindow.clear();
            for (; i < total; i++) {
                long t = start + span * i / total;
                if (t >= windowEnd) break;
                String trial = "TR" + (1_000 + traffic.nextInt(TRIALS));
                String cls = CLASSES[traffic.nextInt(CLASSES.length)];
                int round = 1 + traffic.nextInt(2);
                RunSheet run = new RunSheet("RUN" + (5_000_000 + i), isds[traffic.nextInt(DOGS)], trial, cls, round, new byte[800 + traffic.nextInt(800)], t, traffic.nextInt());
                sheetsOfWindow.add(run);
                pending.add(svc.scoring.score(run));
                svc.standings(new StandingsQuery(trial, cls, round), t);
                String sheetKey = "sheet-" + traffic.nextInt(SHEET_KEYS);
                if (svc.sheets.get(sheetKey) == null) svc.sheets.put(sheetKey, new ScoreSheet(sheetKey, new byte[400 + traffic.nextInt(400)], t));
                if (traffic.nextInt(6) == 0) {
                    String clipKey = "clip-" + traffic.nextInt(CLIP_KEYS);
                    if (svc.clips.get(clipKey) == null) svc.clips.put(clipKey, new VideoClip(clipKey, new byte[1_500 + traffic.nextInt(1_000)], t));
                }
                if (traffic.nextInt(3) == 0) svc.judgeNotes.add(new JudgeNote(run.runId, "Judge " + traffic.nextInt(40), new byte[120 + traffic.nextInt(200)], t));
                if (traffic.nextInt(10) == 0) {
                    byte[] buf = svc.printBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.printBuffers.add(buf);
                    svc.prints++;
                }
            }
            for (int k = 0; k < pending.size(); k++) {
                int[] p = pending.get(k).get();
                RunSheet run = sheetsOfWindow.get(k);
                int sum = 0;
                for (int v : p) sum += v;
                svc.results[(int) (svc.runs++ % RING)] = new RunResult(run.runId, run.isds, run.trialId, sum, run.at);
                svc.liveBoard.addLast(run);
                if (svc.liveBoard.size() > LIVE_BOARD) svc.liveBoard.removeFirst();
                svc.liveStats.put(run, new RunStats(run.runId, p[0], p[1] + p[2], p[3], p[4], p[5] + p[6], run.at));
            }
            svc.publishNotes(windowEnd);
        }
        pending.clear();
        sheetsOfWindow.clear();
    }

    static void selfCheck() throws Exception {
        TrialService svc = SERVICE;
        int stats = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // weak keys are cleared by a GC and expunged on access
            System.gc();
            Thread.sleep(50);
            stats = svc.liveStats.size();
            if (stats == LIVE_BOARD) break;
        }
        int scorers = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("trial-scoring-")) scorers++;
        int stage = HOURS == 1 ? 0 : HOURS == 4 ? 1 : 2;
        System.out.println("hours " + HOURS + " courses " + COURSES_BY_CODE.size() + " dogs " + svc.dogs.size() + " runs " + svc.runs + " scored " + svc.scoring.scored
                + " scorers " + scorers + " live board " + svc.liveBoard.size() + " live stats " + stats + " standings " + svc.standings.size()
                + " (hits " + svc.standingsHits + ", refreshed " + svc.standingsRefreshed + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted
                + ") clips " + svc.clips.size() + " (evicted " + svc.clips.evicted + ") pool " + svc.printBuffers.size() + " prints " + svc.prints
                + " judge notes published " + svc.notesPublished + " backlog " + svc.judgeNotes.size());
        check(COURSES_BY_CODE.size() == COURSES && svc.dogs.size() == DOGS, "reference data / directory");
        check(svc.runs == (long) HOURS * RUNS_PER_HOUR && svc.scoring.scored == svc.runs, "runs");
        check(scorers == SCORERS, "scoring threads: " + scorers);
        check(svc.liveBoard.size() == LIVE_BOARD && stats == LIVE_BOARD, "live stats of the live board only: " + stats);
        check(svc.standings.size() == STANDINGS[stage] && STANDINGS[stage] <= TRIALS * CLASSES.length * 2, "standings: one per trial, class and round: " + svc.standings.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.clips.size() == CLIPS[stage], "clip cache: " + svc.clips.size());
        check(svc.printBuffers.size() == POOL, "pool");
        check((svc.results[RING - 1] != null) == (stage > 0), "ring filling in stage 1, full after");
        check(svc.judgeNotes.size() == NOTES_BACKLOG[stage], "judge notes backlog: " + svc.judgeNotes.size());
    }

    // Per stage (1 / 4 / 8 h); the same in every run (fixed seeds, times relative to the start of the minute).
    static final int[] CLIPS = {358, CLIP_CAP, CLIP_CAP}, NOTES_BACKLOG = {102, 101, 113}, STANDINGS = {359, 360, 360};

    public static void main(String[] args) throws Exception {
        HOURS = Integer.parseInt(args[2]);
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
