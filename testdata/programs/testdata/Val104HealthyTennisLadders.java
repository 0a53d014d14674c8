// hprofscan-dump: name=val104-healthy-tennisladders jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val104-healthy-tennisladders-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 104 (written blind), HEALTHY: the league service of regional tennis ladders. Club
 * reference data, the player directory, an LRU of rendered ladder pages at its cap, a ring of game
 * scores, a pool of score-sheet buffers, the score-correction histories of live matches (a
 * Map<Long, Deque<ScoreCorrection>> keyed by match id, removed when the match is completed), and
 * ONE shared daemon java.util.Timer ("ladder-export-timeouts") that enforces the timeout of every
 * standings export: a finished job cancels its task and purges the timer, so only the running
 * jobs' tasks are queued. See VALIDATION104.md.
 */
public final class Val104HealthyTennisLadders {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TIMEOUT_REAL_MS = 30 * MINUTE;
    static final int CLUBS = 1_200, PLAYERS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, MATCHES = 6_000, EXPORTS = 300, RUNNING = 2, HOURS = 10;

    record Club(String code, String county, double[] courtUsage) {}
    record Player(String id, String name, String clubCode, byte[] ratingHistory, long joinedAt) {}
    record LadderPage(String key, byte[] rendered, long at) {}
    record GameScore(long matchId, int set, int game, String score, long at) {}
    record ScoreCorrection(long at, String umpire, String before, String after) {}

    static final class ExportJob {
        final long id; final String ladder; final long requestedAt; final byte[] standings; TimerTask timeout;
        ExportJob(long id, String ladder, long requestedAt, byte[] standings) { this.id = id; this.ladder = ladder; this.requestedAt = requestedAt; this.standings = standings; }
    }

    static final class PageCache extends LinkedHashMap<String, LadderPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LadderPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class LeagueService {
        final Map<String, Player> players = new HashMap<>();
        final PageCache pages = new PageCache();
        final GameScore[] scores = new GameScore[RING];
        final ArrayDeque<byte[]> sheetBuffers = new ArrayDeque<>();
        final Map<Long, Deque<ScoreCorrection>> corrections = new HashMap<>();
        final Timer exportTimeouts = new Timer("ladder-export-timeouts", true);
        final Map<Long, ExportJob> runningExports = new HashMap<>();
        long scoresWritten, matchesCompleted, exportsFinished;

        void startExport(ExportJob job) {
            job.timeout = new TimerTask() { @Override public void run() { runningExports.remove(job.id); } };
            exportTimeouts.schedule(job.timeout, TIMEOUT_REAL_MS);
            runningExports.put(job.id, job);
        }
        void finishExport(ExportJob job) { runningExports.remove(job.id); job.timeout.cancel(); exportTimeouts.purge(); exportsFinished++; }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(104_060_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] usage = new double[80];
            for (int k = 0; k < usage.length; k++) usage[k] = rnd.nextDouble();
            clubCodes[c] = "LTC-" + (1_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "County " + (c % 48), usage));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        String[] ids = new String[PLAYERS];
        for (int p = 0; p < PLAYERS; p++) {
            ids[p] = "TP" + (500_000 + p * 7);
            svc.players.put(ids[p], new Player(ids[p], "Player " + p, clubCodes[rnd.nextInt(CLUBS)], new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.sheetBuffers.add(new byte[32_768]);
        // Events (t << 20) | (index << 2) | kind: 0 match start, 1 game / correction, 2 match completed, 3 export.
        Random traffic = new Random(104_060_002);
        long span = end - MINUTE - start;
        long[] ev = new long[MATCHES * 40 + EXPORTS];
        int n = 0, live = 0;
        for (int m = 0; m < MATCHES; m++) {
            long s = start + (long) (traffic.nextDouble() * span);
            long dur = 30 * MINUTE + (long) (traffic.nextDouble() * 90 * MINUTE);
            ev[n++] = (s << 20) | ((long) m << 2);
            int games = 12 + traffic.nextInt(20);
            for (int g = 0; g < games; g++) { long at = s + 1 + (long) (traffic.nextDouble() * (dur - 2)); if (at <= end - MINUTE) ev[n++] = (at << 20) | ((long) m << 2) | 1; }
            if (s + dur <= end - MINUTE) ev[n++] = ((s + dur) << 20) | ((long) m << 2) | 2; else live++;
        }
        for (int x = 0; x < EXPORTS; x++) ev[n++] = ((start + span * x / EXPORTS) << 20) | ((long) x << 2) | 3;
        ev = Arrays.copyOf(ev, n);
        Arrays.sort(ev);
        String[] umpires = {"chair", "referee", "captain", "desk"};
        ArrayDeque<ExportJob> inFlight = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            long t = ev[i] >>> 20; int idx = (int) ((ev[i] >> 2) & 0x3FFFF); int kind = (int) (ev[i] & 3);
            long matchId = 3_300_000L + idx * 17L;
            if (kind == 0) svc.corrections.put(matchId, new ArrayDeque<>());
            else if (kind == 1) {
                svc.scores[(int) (svc.scoresWritten++ % RING)] = new GameScore(matchId, 1 + traffic.nextInt(3), 1 + traffic.nextInt(12), traffic.nextInt(7) + "-" + traffic.nextInt(7), t);
                if (traffic.nextInt(5) == 0) svc.corrections.get(matchId).push(new ScoreCorrection(t, umpires[traffic.nextInt(umpires.length)], traffic.nextInt(7) + "-" + traffic.nextInt(7), traffic.nextInt(7) + "-" + traffic.nextInt(7)));
                String key = "ladder-" + clubCodes[traffic.nextInt(CLUBS)] + "-" + traffic.nextInt(4);
                if (svc.pages.get(key) == null) svc.pages.put(key, new LadderPage(key, new byte[600 + traffic.nextInt(600)], t));
            } else if (kind == 2) {
                svc.corrections.remove(matchId);
                svc.matchesCompleted++;
                byte[] buf = svc.sheetBuffers.poll();
                buf[idx % buf.length] = (byte) idx;
                svc.sheetBuffers.add(buf);
            } else {
                ExportJob job = new ExportJob(90_000L + idx, "ladder-" + clubCodes[traffic.nextInt(CLUBS)], t, new byte[4_000 + traffic.nextInt(4_000)]);
                svc.startExport(job);
                inFlight.add(job);
                if (inFlight.size() > RUNNING) svc.finishExport(inFlight.poll());
            }
        }
        inFlight = null;
        System.out.println("clubs " + CLUBS_BY_CODE.size() + " players " + svc.players.size() + " live matches " + svc.corrections.size() + " completed " + svc.matchesCompleted + " scores " + svc.scoresWritten
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") exports finished " + svc.exportsFinished + " running " + svc.runningExports.size() + " pool " + svc.sheetBuffers.size());
        check(CLUBS_BY_CODE.size() == CLUBS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.corrections.size() == live && svc.matchesCompleted == MATCHES - live, "corrections only for live matches");
        check(svc.exportsFinished == EXPORTS - RUNNING && svc.runningExports.size() == RUNNING && svc.exportTimeouts.purge() == 0, "shared export timer");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.sheetBuffers.size() == POOL && svc.scores[RING - 1] != null && svc.scoresWritten > RING, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        build();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
