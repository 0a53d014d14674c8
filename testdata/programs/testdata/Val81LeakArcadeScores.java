// hprofscan-dump: name=val81-leak-arcadescores-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val81-leak-arcadescores-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val81-leak-arcadescores jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val81-leak-arcadescores-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 81 (written blind), LEAK: the leaderboard service of an arcade-game network.
 * A fixed set of 500 games, each with a score board that should keep only its top 100 scores;
 * the bug appends every score event to the game's list (the map of games stays at 500, the lists
 * grow with traffic). Beside it: cabinet reference data, a player directory, a cache of rendered
 * board pages at its cap, a pool of replay buffers and a ring of recent score events.
 * See VALIDATION81.md.
 */
public final class Val81LeakArcadeScores {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CABINETS = 1_200, GAMES = 500, TOP = 100, PLAYERS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 30_000;
    static boolean FIXED;

    record Cabinet(String code, String venue, double[] weeklyPlays) {}
    record Player(String handle, String country, byte[] profile, long joinedAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record ScoreEvent(long id, String gameCode, String playerHandle, int score, long at) {}

    static final class Board {
        final String gameCode;
        final List<ScoreEvent> scores = new ArrayList<>();
        long submitted;
        Board(String gameCode) { this.gameCode = gameCode; }
        void submit(ScoreEvent e) {
            submitted++;
            if (!FIXED) { scores.add(e); return; } // BUG: every score event is kept
            // fixed: keep only the top 100, sorted descending
            int n = scores.size();
            if (n == TOP && scores.get(n - 1).score() >= e.score()) return;
            int pos = n;
            while (pos > 0 && scores.get(pos - 1).score() < e.score()) pos--;
            scores.add(pos, e);
            if (scores.size() > TOP) scores.remove(TOP);
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cabinet> CABINETS_BY_CODE = new HashMap<>();

    static final class ScoreService {
        final Map<String, Board> boards = new HashMap<>();
        final Map<String, Player> players = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> replayBuffers = new ArrayDeque<>();
        final ScoreEvent[] recent = new ScoreEvent[RING];
        long events;
    }

    static ScoreService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val81.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(81_010_001);
        for (int c = 0; c < CABINETS; c++) {
            double[] plays = new double[64];
            for (int k = 0; k < plays.length; k++) plays[k] = rnd.nextDouble() * 400;
            String code = "CAB-" + (10_000 + c);
            CABINETS_BY_CODE.put(code, new Cabinet(code, "Venue " + (c % 250), plays));
        }
        ScoreService svc = new ScoreService();
        SERVICE = svc;
        String[] gameCodes = new String[GAMES];
        for (int g = 0; g < GAMES; g++) {
            gameCodes[g] = "GM-" + (300 + g);
            svc.boards.put(gameCodes[g], new Board(gameCodes[g]));
        }
        String[] handles = new String[PLAYERS];
        String[] countries = {"GB", "US", "JP", "KR", "DE", "FR", "BR", "CA"};
        for (int p = 0; p < PLAYERS; p++) {
            handles[p] = "player" + (400_000 + p);
            svc.players.put(handles[p], new Player(handles[p], countries[p % countries.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.replayBuffers.add(new byte[32_768]);
        Random traffic = new Random(81_010_002);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String game = gameCodes[traffic.nextInt(GAMES)];
            ScoreEvent e = new ScoreEvent(70_000_000L + i, game, handles[traffic.nextInt(PLAYERS)], traffic.nextInt(1_000_000), t);
            svc.boards.get(game).submit(e);
            svc.recent[(int) (svc.events++ % RING)] = e;
            if (i % 4 == 0) {
                String key = "board-" + game + "-p" + traffic.nextInt(10);
                if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.replayBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.replayBuffers.add(buf);
            }
        }
        long kept = 0, topKept = 0;
        for (Board b : svc.boards.values()) { kept += b.scores.size(); topKept += Math.min(TOP, b.submitted); }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " cabinets " + CABINETS_BY_CODE.size() + " games " + svc.boards.size() + " players " + svc.players.size()
                + " events " + svc.events + " kept " + kept + " top-100 share " + topKept + " excess " + (kept - topKept) + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.replayBuffers.size());
        check(CABINETS_BY_CODE.size() == CABINETS && svc.boards.size() == GAMES && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.events == events, "traffic");
        if (FIXED) check(kept == topKept, "boards hold their top 100");
        else check(kept == events, "boards keep every event: " + kept);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.replayBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
