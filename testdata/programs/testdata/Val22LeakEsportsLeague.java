// hprofscan-dump: name=val22-leak-esports jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val22-leak-esports-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 22 (written blind), LEAK: the results service of an esports league (battle-royale
 * matches of 40 players). The day's results archive keeps, per finished match, a small summary
 * whose podium is meant to be the top 3 players. The bug: the podium is
 * {@code standings.subList(0, 3)}, a view that keeps the match's whole sorted standings list (40
 * player lines with their timelines) alive through {@code ArrayList$SubList.root}; the fix copies
 * it ({@code new ArrayList<>(standings.subList(0, 3))}). The archive of the day's summaries is
 * wanted; the 37 other lines per match are not. Beside it: teams, map navigation grids, the
 * player directory, a replay-chunk cache at its cap, a lobby pool, a kill-feed ring.
 * 10 simulated hours. See testdata/VALIDATION22.md.
 */
public final class Val22LeakEsportsLeague {
    static final long HOUR = 3_600_000L;
    static final int TEAMS = 2_000, MAPS = 400, PLAYERS = 60_000, MATCHES = 1_500, PER_MATCH = 40, PODIUM = 3, REPLAY_CAP = 1_000, LOBBIES = 32, FEED_RING = 8_192;

    record Team(String tag, String name, String[] roster, int[] seasonStats) {}
    record MapDef(String id, String name, int[] navGrid) {}
    record PlayerProfile(int id, String handle, String teamTag, int rating) {}
    record ReplayChunk(String key, byte[] data) {}
    record KillFeedEvent(long matchId, int killer, int victim, long at) {}

    static final class PlayerLine {
        final int playerId; final String handle; final int kills, placement; final int[] timeline;
        PlayerLine(int playerId, String handle, int kills, int placement, int[] timeline) { this.playerId = playerId; this.handle = handle; this.kills = kills; this.placement = placement; this.timeline = timeline; }
    }

    static final class MatchResult {
        final long matchId; final String mapId; final long finishedAt; final List<PlayerLine> podium;
        MatchResult(long matchId, String mapId, long finishedAt, List<PlayerLine> podium) { this.matchId = matchId; this.mapId = mapId; this.finishedAt = finishedAt; this.podium = podium; }
    }

    static final class ResultsArchive {
        final List<MatchResult> finished = new ArrayList<>(); // the day's results (wanted, reset at midnight)
    }

    static final class ReplayCache extends LinkedHashMap<String, ReplayChunk> {
        long evicted;
        ReplayCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ReplayChunk> e) { if (size() > REPLAY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Team> TEAMS_BY_TAG = new HashMap<>();
    static final Map<String, MapDef> MAPS_BY_ID = new HashMap<>();

    static final class ResultsService {
        final Map<Integer, PlayerProfile> players = new HashMap<>();
        final ResultsArchive archive = new ResultsArchive();
        final ReplayCache replays = new ReplayCache();
        final ArrayDeque<byte[]> lobbyPool = new ArrayDeque<>();
        final KillFeedEvent[] feed = new KillFeedEvent[FEED_RING];
        long feedWritten;
    }

    static ResultsService RESULTS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val22.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(22_040_001);
        for (int t = 0; t < TEAMS; t++) {
            String[] roster = new String[6];
            for (int k = 0; k < roster.length; k++) roster[k] = "member" + t + "_" + k;
            int[] stats = new int[64];
            for (int k = 0; k < stats.length; k++) stats[k] = rnd.nextInt(500);
            String tag = "T" + Integer.toString(t * 97 + 1_000, 36).toUpperCase();
            TEAMS_BY_TAG.put(tag, new Team(tag, "Team " + t, roster, stats));
        }
        for (int m = 0; m < MAPS; m++) {
            int[] grid = new int[1_024];
            for (int k = 0; k < grid.length; k++) grid[k] = rnd.nextInt(16);
            MAPS_BY_ID.put("MAP-" + m, new MapDef("MAP-" + m, "Arena " + m, grid));
        }
        ResultsService svc = new ResultsService();
        RESULTS = svc;
        for (int p = 0; p < PLAYERS; p++) svc.players.put(p, new PlayerProfile(p, "gamer" + Integer.toString(p * 13, 36), "T" + p % TEAMS, 1_000 + rnd.nextInt(2_000)));
        for (int l = 0; l < LOBBIES; l++) svc.lobbyPool.push(new byte[8_192]);
        Random traffic = new Random(22_040_002);
        long pinned = 0;
        for (int m = 0; m < MATCHES; m++) {
            long t = start + (now - start) * m / MATCHES;
            long matchId = 60_000_000L + m;
            List<PlayerLine> standings = new ArrayList<>(PER_MATCH);
            for (int k = 0; k < PER_MATCH; k++) {
                int[] timeline = new int[24];
                for (int s = 0; s < timeline.length; s++) timeline[s] = traffic.nextInt(100);
                int pid = traffic.nextInt(PLAYERS);
                standings.add(new PlayerLine(pid, svc.players.get(pid).handle(), traffic.nextInt(15), 0, timeline));
                if (k % 4 == 0) svc.feed[(int) (svc.feedWritten++ % FEED_RING)] = new KillFeedEvent(matchId, pid, traffic.nextInt(PLAYERS), t);
            }
            standings.sort(Comparator.comparingInt((PlayerLine pl) -> -pl.kills).thenComparingInt(pl -> pl.playerId));
            List<PlayerLine> podium = fixed ? new ArrayList<>(standings.subList(0, PODIUM)) : standings.subList(0, PODIUM); // BUG: a view of the whole standings
            svc.archive.finished.add(new MatchResult(matchId, "MAP-" + traffic.nextInt(MAPS), t, podium));
            if (!fixed) pinned += standings.size() - PODIUM;
            for (int c = 0; c < 3; c++) {
                String key = matchId + "/" + c;
                svc.replays.put(key, new ReplayChunk(key, new byte[1_500 + traffic.nextInt(1_000)]));
            }
        }
        System.out.println((fixed ? "FIXED " : "") + "teams " + TEAMS_BY_TAG.size() + " maps " + MAPS_BY_ID.size() + " players " + svc.players.size() + " archived matches " + svc.archive.finished.size() + " player lines pinned beyond the podium " + pinned + " replays " + svc.replays.size() + " (evicted " + svc.replays.evicted + ") lobbies " + svc.lobbyPool.size() + " feed " + svc.feedWritten);
        check(TEAMS_BY_TAG.size() == TEAMS && MAPS_BY_ID.size() == MAPS && svc.players.size() == PLAYERS && svc.lobbyPool.size() == LOBBIES, "reference data");
        check(svc.archive.finished.size() == MATCHES && svc.archive.finished.get(0).podium.size() == PODIUM, "archive");
        check(pinned == (fixed ? 0 : (long) MATCHES * (PER_MATCH - PODIUM)), "pinned lines " + pinned);
        check(svc.replays.size() == REPLAY_CAP && svc.replays.evicted == 3L * MATCHES - REPLAY_CAP, "replay cache at its cap");
        check(svc.feedWritten == (long) MATCHES * PER_MATCH / 4 && svc.feed[FEED_RING - 1] != null, "kill-feed ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
