// hprofscan-dump: name=val153-healthy-puzzlehunts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val153-healthy-puzzlehunts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 153 (written blind), HEALTHY: the platform of a puzzle-hunt organiser (teams
 * solve online puzzle hunts; authors write the puzzles in a web editor). Hunt reference data, the
 * team directory, a cache of rendered hint pages at its cap, a ring of submitted guesses, a pool
 * of image-render buffers, the puzzle editor's open documents and their undo histories: one
 * Deque<Edit> per open puzzle in a second map keyed by puzzle id, capped at 50 steps and removed
 * when the puzzle is closed. See VALIDATION153.md.
 */
public final class Val153HealthyPuzzleHunts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HUNTS = 900, TEAMS = 26_000, HINT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, GUESSES = 80_000, EDIT_SESSIONS = 1_500, UNDO_CAP = 50;

    record Hunt(String code, String theme, double[] solveCurve) {}
    record Team(String id, String name, String huntCode, byte[] roster, long registeredAt) {}
    record HintPage(String key, byte[] html, long at) {}
    record Guess(String teamId, String puzzleId, String answer, boolean correct, long at) {}
    record Edit(long seq, String op, int line, long at, byte[] delta) {}

    static final class OpenPuzzle {
        final String puzzleId, authorId; final long openedAt; int edits;
        OpenPuzzle(String puzzleId, String authorId, long openedAt) { this.puzzleId = puzzleId; this.authorId = authorId; this.openedAt = openedAt; }
    }

    static final class HintCache extends LinkedHashMap<String, HintPage> {
        long evicted;
        HintCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HintPage> e) { if (size() > HINT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hunt> HUNTS_BY_CODE = new HashMap<>();

    static final class HuntPlatform {
        final Map<String, Team> teams = new HashMap<>();
        final HintCache hints = new HintCache();
        final Guess[] guesses = new Guess[RING];
        long guessesWritten;
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Map<String, OpenPuzzle> openPuzzles = new HashMap<>();
        /** Undo history per open puzzle: capped, removed on close. */
        final Map<String, Deque<Edit>> histories = new HashMap<>();
        long opened, closed, editSeq, trimmed;
        void open(String id, String author, long at) { openPuzzles.put(id, new OpenPuzzle(id, author, at)); histories.put(id, new ArrayDeque<>()); opened++; }
        void edit(String id, String op, int line, long at, byte[] delta) {
            openPuzzles.get(id).edits++;
            Deque<Edit> h = histories.get(id);
            h.addLast(new Edit(editSeq++, op, line, at, delta));
            if (h.size() > UNDO_CAP) { h.removeFirst(); trimmed++; }
        }
        void close(String id) { openPuzzles.remove(id); histories.remove(id); closed++; }
    }

    static HuntPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static HuntPlatform run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(153_060_001);
        String[] huntCodes = new String[HUNTS];
        for (int h = 0; h < HUNTS; h++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            huntCodes[h] = "HUNT-" + (2010 + h / 60) + "-" + (h % 60);
            HUNTS_BY_CODE.put(huntCodes[h], new Hunt(huntCodes[h], "Theme " + (h % 45), curve));
        }
        HuntPlatform svc = new HuntPlatform();
        String[] teamIds = new String[TEAMS];
        for (int t = 0; t < TEAMS; t++) {
            teamIds[t] = "TEAM" + (500_000 + t * 7);
            svc.teams.put(teamIds[t], new Team(teamIds[t], "Team " + t, huntCodes[rnd.nextInt(HUNTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(153_060_002), editor = new Random(153_060_003);
        String[] ops = {"INSERT_CLUE", "EDIT_GRID", "SET_ANSWER", "ADD_IMAGE", "DELETE_LINE", "COMMENT"};
        java.util.PriorityQueue<Object[]> closes = new java.util.PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        int s = 0; long maxDepth = 0;
        for (int i = 0; i < GUESSES; i++) {
            long t = start + (end - start) * i / GUESSES;
            while (!closes.isEmpty() && (Long) closes.peek()[0] <= t) svc.close((String) closes.poll()[1]);
            while (s < EDIT_SESSIONS && start + (end - start) * s / EDIT_SESSIONS <= t) {
                long st = start + (end - start) * s / EDIT_SESSIONS;
                String pid;
                do { pid = "PZ-" + (10_000 + editor.nextInt(30_000)); } while (svc.openPuzzles.containsKey(pid));
                svc.open(pid, "AUTH" + editor.nextInt(400), st);
                int planned = 10 + editor.nextInt(111);
                long at = st;
                for (int e = 0; e < planned; e++) {
                    long next = at + 10_000 + editor.nextInt(20_000);
                    String op = ops[editor.nextInt(ops.length)];
                    int line = 1 + editor.nextInt(300);
                    byte[] delta = new byte[40 + editor.nextInt(60)];
                    if (next >= end) break; // not yet typed
                    at = next;
                    svc.edit(pid, op, line, at, delta);
                }
                maxDepth = Math.max(maxDepth, svc.histories.get(pid).size());
                closes.add(new Object[] {at + (1 + editor.nextInt(10)) * MINUTE, pid});
                s++;
            }
            String team = teamIds[traffic.nextInt(TEAMS)];
            svc.guesses[(int) (svc.guessesWritten++ % RING)] = new Guess(team, "PZ-" + (10_000 + traffic.nextInt(30_000)), "ANSWER" + traffic.nextInt(50_000), traffic.nextInt(8) == 0, t);
            String key = "hint-" + traffic.nextInt(5_000);
            if (svc.hints.get(key) == null) svc.hints.put(key, new HintPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.imageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.imageBuffers.add(buf);
        }
        while (!closes.isEmpty() && (Long) closes.peek()[0] <= end) svc.close((String) closes.poll()[1]);
        long historyEdits = 0;
        for (Deque<Edit> h : svc.histories.values()) historyEdits += h.size();
        System.out.println("hunts " + HUNTS_BY_CODE.size() + " teams " + svc.teams.size() + " open puzzles " + svc.openPuzzles.size() + " histories " + svc.histories.size() + " (edits " + historyEdits + ", max depth " + maxDepth
                + ", trimmed " + svc.trimmed + ") opened " + svc.opened + " closed " + svc.closed + " edits " + svc.editSeq + " hints " + svc.hints.size() + " (evicted " + svc.hints.evicted + ") guesses " + svc.guessesWritten
                + " pool " + svc.imageBuffers.size());
        check(HUNTS_BY_CODE.size() == HUNTS && svc.teams.size() == TEAMS, "reference data / directory");
        check(s == EDIT_SESSIONS && svc.opened == EDIT_SESSIONS && svc.closed + svc.openPuzzles.size() == EDIT_SESSIONS && svc.openPuzzles.size() == closes.size(), "editor traffic");
        check(svc.histories.size() == svc.openPuzzles.size() && svc.histories.keySet().equals(svc.openPuzzles.keySet()), "histories only of open puzzles");
        check(maxDepth == UNDO_CAP && svc.trimmed > 0 && historyEdits <= (long) UNDO_CAP * svc.histories.size(), "undo stacks capped");
        check(svc.hints.size() == HINT_CAP && svc.hints.evicted > 0, "hint cache at cap");
        check(svc.guessesWritten == GUESSES && svc.guesses[RING - 1] != null, "ring wraps");
        check(svc.imageBuffers.size() == POOL, "pool");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        SERVICE = run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
