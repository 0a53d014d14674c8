// hprofscan-dump: name=val137-leak-judotournaments jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val137-leak-judotournaments-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 137 (written blind), LEAK: the tournament service of a national judo federation
 * (mat-side scoring tablets and the jury's tablets). Club reference data, the licensed-judoka
 * directory, a cache of rendered draw sheets at its cap, a pool of certificate-printer buffers, a
 * ring of recent score events, a results-publication queue with a normal backlog, and the live
 * sessions (a scoring session per match on each of 12 mats, and the jury's review sessions). Every
 * session creates its own java.util.Timer ("autosave-<session id>", daemon) and schedules an
 * AutoSaveTask at a fixed rate of 30 s, capturing the session; closing a session (end of match,
 * jury logout) saves and removes it from the live map but never calls timer.cancel(): one
 * TimerThread per ended session stays alive, waiting, with its queue, its task and the session.
 * See VALIDATION137.md.
 */
public final class Val137LeakJudoTournaments {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, AUTOSAVE_PERIOD = 30 * SECOND, PUBLISH_AFTER = 10 * MINUTE;
    static final int CLUBS = 1_000, JUDOKA = 20_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, MATS = 12, JURY_TABLETS = 18;
    static boolean FIXED;

    record Club(String code, String region, double[] pointsByCategory) {}
    record Judoka(String licence, String name, String club, String category, String grade, byte[] gradingHistory, long licensedAt) {}
    record DrawSheet(String key, byte[] rendered, long at) {}
    record ScoreEvent(String sessionId, int mat, String kind, String side, long at) {}
    record Publication(String matchId, String result, long due) {}

    static final class ScoringSession {
        final String sessionId, kind, matchId, white, blue; final int mat; final long openedAt;
        final List<ScoreEvent> events = new ArrayList<>();
        final byte[] reviewMarkers; // the CARE video-review markers of the match (or of the jury's review)
        byte[] snapshot = new byte[0];
        int whiteIppon, whiteWazaari, whiteShido, blueIppon, blueWazaari, blueShido;
        boolean goldenScore, dirty, closed; long closedAt, lastSavedAt, autosaves;
        Timer autosaveTimer;
        ScoringSession(String sessionId, String kind, int mat, String matchId, String white, String blue, long openedAt, byte[] reviewMarkers) {
            this.sessionId = sessionId; this.kind = kind; this.mat = mat; this.matchId = matchId; this.white = white; this.blue = blue; this.openedAt = openedAt; this.reviewMarkers = reviewMarkers;
        }
        void save(long at) {
            byte[] s = new byte[64 + events.size() * 24];
            s[0] = (byte) whiteIppon; s[1] = (byte) whiteWazaari; s[2] = (byte) whiteShido; s[3] = (byte) blueIppon; s[4] = (byte) blueWazaari; s[5] = (byte) blueShido;
            snapshot = s; dirty = false; lastSavedAt = at;
        }
    }

    static final class AutoSaveTask extends TimerTask {
        final ScoringSession session;
        AutoSaveTask(ScoringSession session) { this.session = session; }
        @Override public void run() {
            synchronized (session) {
                session.autosaves++;
                if (session.dirty) session.save(System.currentTimeMillis());
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, DrawSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DrawSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();
    static final String[] CATEGORIES = {"-60", "-66", "-73", "-81", "-90", "-100", "+100", "-48", "-52", "-57", "-63", "-70", "-78", "+78"};
    static final String[] GRADES = {"1 kyu", "1 dan", "2 dan", "3 dan", "4 dan", "5 dan", "2 kyu", "3 kyu"};
    static final String[] SCORES = {"waza-ari", "waza-ari", "ippon", "shido", "shido", "shido", "osaekomi", "toketa", "matte", "hajime", "matte", "hajime"};

    static final class TournamentService {
        final Map<String, Judoka> judoka = new HashMap<>();
        final String[] licences = new String[JUDOKA];
        final SheetCache drawSheets = new SheetCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final ScoreEvent[] recentEvents = new ScoreEvent[RING];
        final ArrayDeque<Publication> publications = new ArrayDeque<>();
        final Map<String, ScoringSession> liveSessions = new LinkedHashMap<>();
        long sessionsOpened, sessionsClosed, matches, juryReviews, scoreEvents, published, timersCreated, timersCancelled;

        ScoringSession open(String id, String kind, int mat, String matchId, String white, String blue, long t, byte[] markers) {
            ScoringSession s = new ScoringSession(id, kind, mat, matchId, white, blue, t, markers);
            s.autosaveTimer = new Timer("autosave-" + id, true);
            s.autosaveTimer.scheduleAtFixedRate(new AutoSaveTask(s), AUTOSAVE_PERIOD, AUTOSAVE_PERIOD);
            timersCreated++;
            liveSessions.put(id, s);
            sessionsOpened++;
            return s;
        }

        void close(ScoringSession s, long t) {
            synchronized (s) { s.save(t); s.closed = true; s.closedAt = t; }
            liveSessions.remove(s.sessionId);
            sessionsClosed++;
            if (FIXED) { s.autosaveTimer.cancel(); timersCancelled++; } // the fix; as deployed nobody cancels the timer
        }
    }

    static TournamentService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(137_030_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] pts = new double[48];
            for (int k = 0; k < pts.length; k++) pts[k] = rnd.nextDouble() * 300;
            clubCodes[c] = "CLB-" + (4_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Region " + (c % 14), pts));
        }
        TournamentService svc = new TournamentService();
        SERVICE = svc;
        for (int i = 0; i < JUDOKA; i++) {
            svc.licences[i] = "JF" + (2_300_000 + i * 7);
            svc.judoka.put(svc.licences[i], new Judoka(svc.licences[i], "Judoka " + i, clubCodes[rnd.nextInt(CLUBS)], CATEGORIES[rnd.nextInt(CATEGORIES.length)], GRADES[rnd.nextInt(GRADES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_030_002);
        // One event loop over simulated minutes-and-seconds: each mat runs matches back to back, each jury tablet runs review sessions.
        ScoringSession[] onMat = new ScoringSession[MATS];
        long[] matchEnds = new long[MATS];
        ScoringSession[] jury = new ScoringSession[JURY_TABLETS];
        long[] juryEnds = new long[JURY_TABLETS];
        for (long t = start; t < end; t += 10 * SECOND) {
            while (!svc.publications.isEmpty() && svc.publications.peekFirst().due() <= t) { svc.publications.pollFirst(); svc.published++; }
            for (int m = 0; m < MATS; m++) {
                ScoringSession s = onMat[m];
                if (s != null && matchEnds[m] <= t) {
                    svc.close(s, t);
                    String result = s.whiteIppon + s.whiteWazaari * 2 > s.blueIppon + s.blueWazaari * 2 ? "white" : "blue";
                    svc.publications.addLast(new Publication(s.matchId, result + (s.goldenScore ? " (golden score)" : ""), t + PUBLISH_AFTER));
                    onMat[m] = null;
                    matchEnds[m] = t + (30 + traffic.nextInt(90)) * SECOND; // bowing in of the next pair
                } else if (s == null && matchEnds[m] <= t) {
                    long match = 90_000L + svc.matches++;
                    String id = "SS-" + Long.toString(0x11_0000L + svc.sessionsOpened * 31, 36).toUpperCase();
                    onMat[m] = svc.open(id, "match", m + 1, "M" + match, svc.licences[traffic.nextInt(JUDOKA)], svc.licences[traffic.nextInt(JUDOKA)], t, new byte[3_072 + traffic.nextInt(5_120)]);
                    matchEnds[m] = t + (3 + traffic.nextInt(6)) * MINUTE + (traffic.nextInt(5) == 0 ? (1 + traffic.nextInt(3)) * MINUTE : 0);
                    onMat[m].goldenScore = matchEnds[m] - t > 8 * MINUTE;
                } else if (s != null && traffic.nextInt(3) == 0) {
                    synchronized (s) {
                        String kind = SCORES[traffic.nextInt(SCORES.length)];
                        boolean white = traffic.nextBoolean();
                        ScoreEvent e = new ScoreEvent(s.sessionId, s.mat, kind, white ? "white" : "blue", t);
                        s.events.add(e);
                        if (kind.equals("waza-ari")) { if (white) s.whiteWazaari++; else s.blueWazaari++; }
                        else if (kind.equals("ippon")) { if (white) s.whiteIppon++; else s.blueIppon++; }
                        else if (kind.equals("shido")) { if (white) s.whiteShido++; else s.blueShido++; }
                        s.dirty = true;
                        svc.recentEvents[(int) (svc.scoreEvents++ % RING)] = e;
                    }
                }
            }
            for (int j = 0; j < JURY_TABLETS; j++) {
                if (jury[j] != null && juryEnds[j] <= t) { svc.close(jury[j], t); jury[j] = null; juryEnds[j] = t + (1 + traffic.nextInt(4)) * MINUTE; }
                else if (jury[j] == null && juryEnds[j] <= t) {
                    String id = "SS-" + Long.toString(0x11_0000L + svc.sessionsOpened * 31, 36).toUpperCase();
                    jury[j] = svc.open(id, "jury", 1 + j % MATS, "JURY-" + (j + 1), null, null, t, new byte[4_096 + traffic.nextInt(4_096)]);
                    svc.juryReviews++;
                    juryEnds[j] = t + (30 + traffic.nextInt(60)) * MINUTE;
                }
            }
            for (int k = 0; k < 2; k++) {
                String key = "draw/" + CATEGORIES[traffic.nextInt(CATEGORIES.length)] + "/" + traffic.nextInt(300);
                if (svc.drawSheets.get(key) == null) svc.drawSheets.put(key, new DrawSheet(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (traffic.nextInt(6) == 0) {
                byte[] buf = svc.printerBuffers.poll();
                buf[(int) (svc.matches % buf.length)] = (byte) t;
                svc.printerBuffers.add(buf);
            }
        }
    }

    /**
     * Counts the live autosave threads once their number is what it must be (with the fix, the cancelled
     * timers' threads take a moment to end), then gives them up to 2 s to be parked in their timer queue.
     */
    static int settleTimerThreads(int expected) throws InterruptedException {
        int alive = -1;
        for (int round = 0; round < 3_000 && alive != expected; round++) {
            if (round > 0) Thread.sleep(10);
            alive = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("autosave-") && th.isAlive()) alive++;
        }
        if (alive != expected) throw new IllegalStateException("autosave threads: " + alive + ", expected " + expected);
        for (int round = 0; round < 200; round++) {
            int waiting = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) {
                if (!th.getName().startsWith("autosave-")) continue;
                Thread.State st = th.getState();
                if (st == Thread.State.TIMED_WAITING || st == Thread.State.WAITING) waiting++;
            }
            if (waiting == expected) break;
            Thread.sleep(10);
        }
        return alive;
    }

    static void report() throws InterruptedException {
        TournamentService svc = SERVICE;
        long live = svc.liveSessions.size();
        int expectedThreads = (int) (FIXED ? live : svc.sessionsOpened);
        int threads = settleTimerThreads(expectedThreads);
        int events = 0;
        for (ScoringSession s : svc.liveSessions.values()) events += s.events.size();
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " judoka " + svc.judoka.size() + " sessions opened " + svc.sessionsOpened + " closed " + svc.sessionsClosed + " live " + live
                + " (live events " + events + ") matches " + svc.matches + " jury sessions " + svc.juryReviews + " timers " + svc.timersCreated + " cancelled " + svc.timersCancelled + " autosave threads " + threads
                + " score events " + svc.scoreEvents + " published " + svc.published + " backlog " + svc.publications.size() + " sheets " + svc.drawSheets.size() + " (evicted " + svc.drawSheets.evicted + ")");
        check(CLUBS_BY_CODE.size() == CLUBS && svc.judoka.size() == JUDOKA, "reference data / directory");
        check(svc.sessionsOpened == svc.sessionsClosed + live && live >= 20 && live <= MATS + JURY_TABLETS, "sessions: live " + live);
        check(svc.timersCreated == svc.sessionsOpened && svc.timersCancelled == (FIXED ? svc.sessionsClosed : 0), "timers");
        check(svc.drawSheets.size() == SHEET_CAP && svc.drawSheets.evicted > 0, "draw-sheet cache at cap");
        check(svc.printerBuffers.size() == POOL && svc.recentEvents[RING - 1] != null, "pool / ring");
        check(svc.publications.size() > 5 && svc.publications.size() < 40, "publication backlog " + svc.publications.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val137.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
