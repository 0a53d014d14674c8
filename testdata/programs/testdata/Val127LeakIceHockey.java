// hprofscan-dump: name=val127-leak-icehockey jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val127-leak-icehockey-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 127 (written blind), LEAK: the live-statistics service of an amateur ice hockey
 * federation (hundreds of rinks, junior to senior leagues). Rink reference data, the player
 * register, the teams with their rosters, the games in progress with their shifts, a cache of
 * rendered box scores at its cap, a pool of scoresheet buffers, a ring of play-by-play events, a
 * ring of finished-game summaries, a queue of penalties awaiting review with a normal backlog, and
 * LineRegistry: a canonicalising table HashMap&lt;String, WeakReference&lt;LineCombination&gt;&gt;
 * (key "TEAM:skaters/Ggoalie/strength") so that every shift of a line shares one object. The
 * combinations of a finished game are collected and their references cleared, but nothing removes
 * the cleared entries (no ReferenceQueue, no purge): the map keeps a key, an entry and a cleared
 * WeakReference for every line combination ever iced. See VALIDATION127.md.
 */
public final class Val127LeakIceHockey {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long EVENT_EVERY = 400L, GAME_LENGTH = 75 * MINUTE, REVIEW_AFTER = 30 * MINUTE;
    static final int RINKS = 400, PLAYERS = 24_000, TEAMS = 1_200, ROSTER = 20, BOX_CAP = 2_000, POOL = 8, RING = 4_096, SUMMARIES = 512, RECENT_GAMES = 96, HOURS = 10;
    static final String[] DIVISIONS = {"U13", "U15", "U18", "Senior A", "Senior B", "Veterans", "Women's"};
    static final String[] BOX_VIEWS = {"full", "summary", "periods", "penalties"};
    static boolean FIXED;

    record Rink(String code, String name, String city, double[] iceTimeByHalfHour) {}
    record Player(String licence, String name, String position, byte[] eligibility, long bornAt) {}
    record Team(String code, String name, String division, int[] jerseys, String[] licences) {}
    record BoxScore(String key, byte[] rendered, long renderedAt) {}
    record PlayEvent(String gameId, String type, String teamCode, int jersey, long at) {}
    record GameSummary(String gameId, String home, String away, int homeGoals, int awayGoals, int shifts, long finishedAt) {}
    record PenaltyReview(String gameId, String teamCode, int jersey, String infraction, long calledAt) {}

    /** The five (or four) skaters, the goalie and the strength state on the ice for one shift. */
    static final class LineCombination {
        final String key; final String teamCode; final int[] skaters; final int goalie; final String strength;
        final double[] xgFeatures = new double[12];
        LineCombination(String key, String teamCode, int[] skaters, int goalie, String strength) { this.key = key; this.teamCode = teamCode; this.skaters = skaters; this.goalie = goalie; this.strength = strength; }
    }

    record Shift(LineCombination line, long startedAt, int seconds) {}

    static final class LiveGame {
        final String gameId; final Team home, away; final String rinkCode; final long faceOffAt;
        final List<Shift> shifts = new ArrayList<>();
        int homeGoals, awayGoals;
        LiveGame(String gameId, Team home, Team away, String rinkCode, long faceOffAt) { this.gameId = gameId; this.home = home; this.away = away; this.rinkCode = rinkCode; this.faceOffAt = faceOffAt; }
    }

    /** Canonical line combinations, weakly held so that a finished game's lines can be collected. */
    static final class LineRegistry {
        final Map<String, WeakReference<LineCombination>> lines = new HashMap<>();
        long lookups;

        LineCombination canonical(LineCombination candidate) {
            lookups++;
            if (FIXED && lookups % 1_000 == 0) purge();
            WeakReference<LineCombination> ref = lines.get(candidate.key);
            LineCombination existing = ref == null ? null : ref.get();
            if (existing != null) return existing;
            lines.put(candidate.key, new WeakReference<>(candidate)); // BUG: cleared entries are never removed
            return candidate;
        }

        void purge() { lines.values().removeIf(r -> r.get() == null); }
    }

    static final class BoxScoreCache extends LinkedHashMap<String, BoxScore> {
        long evicted;
        BoxScoreCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BoxScore> e) { if (size() > BOX_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Rink> RINKS_BY_CODE = new HashMap<>();

    static final class StatsService {
        final Map<String, Player> players = new HashMap<>();
        final Map<String, Team> teams = new HashMap<>();
        final String[] licences = new String[PLAYERS], teamCodes = new String[TEAMS], rinkCodes = new String[RINKS];
        final Map<String, LiveGame> live = new HashMap<>();
        final ArrayDeque<LiveGame> byFaceOff = new ArrayDeque<>();
        final Set<String> teamsOnIce = new HashSet<>();
        final String[] recentGames = new String[RECENT_GAMES];
        final LineRegistry registry = new LineRegistry();
        final BoxScoreCache boxScores = new BoxScoreCache();
        final ArrayDeque<byte[]> scoresheetBuffers = new ArrayDeque<>();
        final PlayEvent[] plays = new PlayEvent[RING];
        final GameSummary[] summaries = new GameSummary[SUMMARIES];
        final ArrayDeque<PenaltyReview> reviews = new ArrayDeque<>();
        long games, finished, shifts, playsWritten, goals, penalties, reviewed, boxViews, missedGames;

        Team freeTeam(Random r) {
            while (true) {
                Team t = teams.get(teamCodes[r.nextInt(TEAMS)]);
                if (teamsOnIce.add(t.code())) return t;
            }
        }

        void faceOff(Random r, long t) {
            Team home = freeTeam(r), away = freeTeam(r);
            String id = "G" + (500_000 + games);
            LiveGame g = new LiveGame(id, home, away, rinkCodes[r.nextInt(RINKS)], t);
            live.put(id, g);
            byFaceOff.addLast(g);
            recentGames[(int) (games++ % RECENT_GAMES)] = id;
        }

        LiveGame recentLive(Random r) {
            String id = recentGames[r.nextInt(RECENT_GAMES)];
            LiveGame g = id == null ? null : live.get(id);
            if (g == null) missedGames++;
            return g;
        }

        void shift(Random r, long t) {
            LiveGame g = recentLive(r);
            if (g == null) return;
            Team team = r.nextBoolean() ? g.home : g.away;
            int[] j = team.jerseys();
            int line = r.nextInt(4), pair = r.nextInt(3);
            int[] fw = {j[line * 3], j[line * 3 + 1], j[line * 3 + 2]};
            if (r.nextInt(100) < 45) fw[r.nextInt(3)] = j[r.nextInt(12)];
            int s = r.nextInt(100);
            String strength = s < 80 ? "EV" : s < 90 ? "PP" : "PK";
            int[] skaters = strength.equals("PK") ? new int[] {fw[0], fw[1], j[12 + pair * 2], j[13 + pair * 2]} : new int[] {fw[0], fw[1], fw[2], j[12 + pair * 2], j[13 + pair * 2]};
            Arrays.sort(skaters);
            int goalie = r.nextInt(10) == 0 ? j[19] : j[18];
            StringBuilder key = new StringBuilder(team.code()).append(':');
            for (int k = 0; k < skaters.length; k++) { if (k > 0) key.append('-'); key.append(skaters[k]); }
            key.append("/G").append(goalie).append('/').append(strength);
            LineCombination candidate = new LineCombination(key.toString(), team.code(), skaters, goalie, strength);
            for (int k = 0; k < candidate.xgFeatures.length; k++) candidate.xgFeatures[k] = r.nextDouble();
            g.shifts.add(new Shift(registry.canonical(candidate), t, 25 + r.nextInt(40)));
            shifts++;
        }

        void play(Random r, long t) {
            LiveGame g = recentLive(r);
            if (g == null) return;
            boolean home = r.nextBoolean();
            Team team = home ? g.home : g.away;
            int jersey = team.jerseys()[r.nextInt(18)];
            if (r.nextInt(3) == 0) {
                if (home) g.homeGoals++; else g.awayGoals++;
                goals++;
                plays[(int) (playsWritten++ % RING)] = new PlayEvent(g.gameId, "GOAL", team.code(), jersey, t);
            } else {
                penalties++;
                plays[(int) (playsWritten++ % RING)] = new PlayEvent(g.gameId, "PENALTY", team.code(), jersey, t);
                reviews.addLast(new PenaltyReview(g.gameId, team.code(), jersey, r.nextBoolean() ? "tripping 2 min" : "hooking 2 min", t));
            }
        }

        void finishDue(long t) {
            while (!byFaceOff.isEmpty() && byFaceOff.peekFirst().faceOffAt <= t - GAME_LENGTH) {
                LiveGame g = byFaceOff.pollFirst();
                live.remove(g.gameId);
                teamsOnIce.remove(g.home.code());
                teamsOnIce.remove(g.away.code());
                byte[] sheet = scoresheetBuffers.poll();
                sheet[(int) (finished % sheet.length)] = (byte) g.shifts.size();
                scoresheetBuffers.addLast(sheet);
                summaries[(int) (finished++ % SUMMARIES)] = new GameSummary(g.gameId, g.home.code(), g.away.code(), g.homeGoals, g.awayGoals, g.shifts.size(), t);
            }
        }

        void review(long t) {
            while (!reviews.isEmpty() && reviews.peekFirst().calledAt() <= t - REVIEW_AFTER) { reviews.pollFirst(); reviewed++; }
        }

        void viewBoxScore(Random r, long t) {
            boxViews++;
            String key = "box-G" + (500_000 + r.nextInt((int) Math.max(1, games))) + "-" + BOX_VIEWS[r.nextInt(BOX_VIEWS.length)];
            if (boxScores.get(key) == null) boxScores.put(key, new BoxScore(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static StatsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(127_040_001);
        StatsService svc = new StatsService();
        SERVICE = svc;
        String[] cities = {"Helsinki", "Tampere", "Turku", "Oulu", "Stockholm", "Gothenburg", "Riga", "Tallinn"};
        for (int i = 0; i < RINKS; i++) {
            double[] ice = new double[48];
            for (int k = 0; k < ice.length; k++) ice[k] = rnd.nextDouble();
            svc.rinkCodes[i] = "RK" + (300 + i * 7);
            RINKS_BY_CODE.put(svc.rinkCodes[i], new Rink(svc.rinkCodes[i], "Ice Hall " + i, cities[i % cities.length], ice));
        }
        for (int i = 0; i < PLAYERS; i++) {
            svc.licences[i] = "IH" + (1_000_000 + i * 11);
            svc.players.put(svc.licences[i], new Player(svc.licences[i], "Player " + i, i % 10 < 6 ? "F" : i % 10 < 9 ? "D" : "G", new byte[150 + rnd.nextInt(150)], now - (long) (4_000 + rnd.nextInt(12_000)) * DAY));
        }
        for (int i = 0; i < TEAMS; i++) {
            svc.teamCodes[i] = "T" + Integer.toString(46_656 + i * 5, 36).toUpperCase();
            int[] jerseys = new int[ROSTER];
            String[] lic = new String[ROSTER];
            Set<Integer> used = new HashSet<>();
            for (int k = 0; k < ROSTER; k++) {
                int n;
                do { n = 1 + rnd.nextInt(98); } while (!used.add(n));
                jerseys[k] = n;
                lic[k] = svc.licences[rnd.nextInt(PLAYERS)];
            }
            svc.teams.put(svc.teamCodes[i], new Team(svc.teamCodes[i], "Team " + i, DIVISIONS[i % DIVISIONS.length], jerseys, lic));
        }
        for (int b = 0; b < POOL; b++) svc.scoresheetBuffers.add(new byte[32_768]);
        Random traffic = new Random(127_040_002);
        long events = HOURS * HOUR / EVENT_EVERY;
        long nextReview = start + MINUTE;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            while (nextReview <= t) { svc.review(nextReview); nextReview += MINUTE; }
            svc.finishDue(t);
            int kind = traffic.nextInt(1_000);
            if (kind < 12) svc.faceOff(traffic, t);
            else if (kind < 720) svc.shift(traffic, t);
            else if (kind < 800) svc.play(traffic, t);
            else svc.viewBoxScore(traffic, t);
        }
        svc.finishDue(end);
        svc.review(end);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val127.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        StatsService svc = SERVICE;
        System.gc(); // the finished games' line combinations are collected, their references cleared
        if (FIXED) svc.registry.purge();
        int cleared = 0;
        for (WeakReference<LineCombination> ref : svc.registry.lines.values()) if (ref.get() == null) cleared++;
        Set<String> onIce = new HashSet<>();
        for (LiveGame g : svc.live.values()) for (Shift s : g.shifts) onIce.add(s.line().key);
        System.out.println((FIXED ? "FIXED " : "") + "rinks " + RINKS_BY_CODE.size() + " players " + svc.players.size() + " teams " + svc.teams.size()
                + " games " + svc.games + " finished " + svc.finished + " live " + svc.live.size() + " shifts " + svc.shifts + " missed " + svc.missedGames
                + " line entries " + svc.registry.lines.size() + " (cleared " + cleared + ", in live games " + onIce.size() + ", lookups " + svc.registry.lookups + ")"
                + " goals " + svc.goals + " penalties " + svc.penalties + " reviewed " + svc.reviewed + " backlog " + svc.reviews.size()
                + " box scores " + svc.boxScores.size() + " (evicted " + svc.boxScores.evicted + ") pool " + svc.scoresheetBuffers.size() + " plays " + svc.playsWritten);
        check(RINKS_BY_CODE.size() == RINKS && svc.players.size() == PLAYERS && svc.teams.size() == TEAMS, "reference data / directories");
        check(svc.games == svc.finished + svc.live.size() && svc.teamsOnIce.size() == 2 * svc.live.size(), "games add up");
        check(svc.registry.lines.size() - cleared == onIce.size(), "the live entries are the lines of the games in progress");
        if (FIXED) check(cleared == 0, "purged");
        check(onIce.size() == 4_051 && svc.registry.lines.size() == (FIXED ? 4_051 : 43_671), "line entries: " + svc.registry.lines.size() + " live " + onIce.size());
        check(svc.boxScores.size() == BOX_CAP && svc.boxScores.evicted > 0, "box-score cache at cap");
        check(svc.scoresheetBuffers.size() == POOL, "pool");
        check(svc.plays[RING - 1] != null && svc.summaries[SUMMARIES - 1] != null, "rings full");
        check(svc.reviews.size() == svc.penalties - svc.reviewed, "review backlog");
    }
}
