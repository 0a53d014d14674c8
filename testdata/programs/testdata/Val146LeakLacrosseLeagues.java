// hprofscan-dump: name=val146-leak-lacrosseleagues-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val146-leak-lacrosseleagues-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val146-leak-lacrosseleagues jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val146-leak-lacrosseleagues-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
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
 * Validation set 146 (written blind), LEAK (growth series): the live-stats service of a lacrosse
 * federation (field and box leagues). Team reference data, the player registry, an LRU of rendered
 * box scores at its cap, a pool of render buffers, a ring of play-by-play events, the highlight-clip
 * transcoding queue with its normal backlog, stat counters, and the partner syndication of scoring
 * plays. The syndication keeps the newest attempt of every undelivered message in
 * {@code StatsSyndication.latestAttempt} (message id -> attempt); every retry creates a new attempt
 * that links the previous one and carries its own copy of the payload. Delivered messages are
 * removed, but the fantasy partner rejects (422) every play credited to a player registered too
 * recently to be on its roster, for ever: there is no attempt limit, so each such message stays
 * and its chain grows by one attempt (and one payload copy) per retry round, and more such
 * messages arrive every hour. Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION146.md.
 */
public final class Val146LeakLacrosseLeagues {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TEAMS = 640, PLAYERS = 20_000, BOX_CAP = 2_000, POOL = 8, RING = 8_192, PLAYS_PER_MINUTE = 70,
            BOX_REQUESTS_PER_MINUTE = 30, RETRY_EVERY_MINUTES = 3, CLIPS_PER_MINUTE = 4, CLIP_LAG_MINUTES = 12,
            FIXED_MAX_ATTEMPTS = 8, DEAD_LETTER_LOG = 256;
    static boolean FIXED;
    static final String[] PLAY_TYPES = {"ground-ball", "faceoff-win", "shot-saved", "shot-wide", "turnover", "clear", "goal", "assisted-goal",
            "penalty-slashing", "penalty-offsides", "caused-turnover"};
    static final String[] PARTNERS = {"league-standings", "broadcast-graphics", "fantasy-lax", "stats-archive", "news-wire"};
    static final String[] DIVISIONS = {"NLL-W", "NLL-E", "PLL", "NCAA-D1", "NCAA-D2", "NCAA-D3", "MLL-J", "U19", "WLAX-1", "WLAX-2"};
    static final String[] FIRST = {"Lyle", "Jeff", "Miles", "Tom", "Callum", "Zed", "Riley", "Mac", "Brennan", "Kieran", "Jordan", "Charlotte",
            "Izzy", "Taylor", "Ally", "Sam", "Quinn", "Dhane", "Curtis", "Austin"};
    static final String[] LAST = {"Thompson", "Teat", "Dickson", "Schreiber", "Crawford", "Smith", "Rambo", "Kirst", "Jones", "Powless",
            "Staats", "North", "Mayer", "Hoover", "Ortiz", "Dobbie", "Bernhardt", "Leveille", "Gray", "Sowers"};

    record Team(String code, String name, String division, double[] seasonStats) {}
    record Player(String playerId, String name, String teamCode, byte[] profile, long registeredAt, boolean onFantasyRoster) {}
    record Play(long seq, String gameId, String type, String playerId, int period, int clockSeconds, long at) {}
    record BoxScore(String gameId, byte[] rendered, long renderedAt) {}
    record Clip(String clipId, String gameId, int seconds, long queuedAt) {}
    record StatMessage(String messageId, String partner, byte[] payload, long createdAt) {}
    record DeadLetter(String messageId, String partner, int attempts, String lastError, long at) {}

    /** One delivery attempt; a retry links the attempt before it and keeps its own payload copy. */
    static final class Attempt {
        final Attempt previous;
        final String messageId, partner, playerId;
        final int number, status;
        final long at;
        final byte[] payload;
        final String error;
        Attempt(Attempt previous, String messageId, String partner, String playerId, int number, long at, byte[] payload, int status, String error) {
            this.previous = previous; this.messageId = messageId; this.partner = partner; this.playerId = playerId; this.number = number; this.at = at;
            this.payload = payload; this.status = status; this.error = error;
        }
    }

    static final Map<String, Team> TEAMS_BY_CODE = new HashMap<>();

    static final class BoxScoreCache extends LinkedHashMap<String, BoxScore> {
        long evicted;
        BoxScoreCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BoxScore> e) {
            if (size() > BOX_CAP) { evicted++; return true; }
            return false;
        }
    }

    /** The partners' endpoints as the service sees them (stand-in for the HTTP client). */
    static final class PartnerGateway {
        final Set<String> fantasyRoster = new HashSet<>();
        long calls, ok, transientErrors, rejected;
        int send(String partner, String messageId, String playerId, int attemptNo) {
            calls++;
            int h = Math.floorMod(messageId.hashCode(), 1_000);
            if (h < 30 && attemptNo <= 1 + h % 3) { transientErrors++; return 503; }
            if (partner.equals("fantasy-lax") && !fantasyRoster.contains(playerId)) { rejected++; return 422; }
            ok++;
            return 200;
        }
    }

    static final class StatsSyndication {
        final Map<String, Attempt> latestAttempt = new HashMap<>();
        final ArrayDeque<DeadLetter> deadLetterLog = new ArrayDeque<>(); // only used with the fix
        final PartnerGateway gateway = new PartnerGateway();
        long sent, delivered, deliveredOnRetry, retries, rounds, deadLettered, errorSeq;

        void send(StatMessage m, String playerId, long t) {
            sent++;
            byte[] copy = m.payload().clone();
            int status = gateway.send(m.partner(), m.messageId(), playerId, 1);
            if (status == 200) { delivered++; return; }
            latestAttempt.put(m.messageId(), new Attempt(null, m.messageId(), m.partner(), playerId, 1, t, copy, status, error(status, m.partner(), playerId)));
        }

        void retryRound(long t) {
            rounds++;
            List<Attempt> due = new ArrayList<>(latestAttempt.values());
            for (Attempt last : due) {
                retries++;
                int n = last.number + 1;
                String playerId = last.playerId;
                byte[] copy = last.payload.clone();
                int status = gateway.send(last.partner, last.messageId, playerId, n);
                if (status == 200) {
                    latestAttempt.remove(last.messageId);
                    delivered++;
                    deliveredOnRetry++;
                } else if (FIXED && n >= FIXED_MAX_ATTEMPTS) {
                    latestAttempt.remove(last.messageId);
                    deadLetterLog.addLast(new DeadLetter(last.messageId, last.partner, n, last.error, t));
                    if (deadLetterLog.size() > DEAD_LETTER_LOG) deadLetterLog.removeFirst();
                    deadLettered++;
                } else {
                    latestAttempt.put(last.messageId, new Attempt(last, last.messageId, last.partner, playerId, n, t, copy, status, error(status, last.partner, playerId)));
                }
            }
        }

        String error(int status, String partner, String playerId) {
            String ref = Long.toHexString(0x3c000000L + errorSeq++);
            return status == 503 ? "503 Service Unavailable from " + partner + " (upstream timeout, ref " + ref + ")"
                    : "422 Unprocessable Entity from " + partner + ": player '" + playerId + "' is not on the fantasy roster (ref " + ref + ")";
        }

        static int chainLength(Attempt a) { int n = 0; for (; a != null; a = a.previous) n++; return n; }
    }

    static final class LeagueService {
        final Map<String, Player> players = new HashMap<>();
        final String[] playerIds = new String[PLAYERS];
        final BoxScoreCache boxScores = new BoxScoreCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Play[] plays = new Play[RING];
        final ArrayDeque<Clip> clipQueue = new ArrayDeque<>();
        final long[] playsByType = new long[PLAY_TYPES.length];
        final StatsSyndication syndication = new StatsSyndication();
        long playCount, boxRequests, boxHits, clipsTranscoded, messageSeq;

        void record(Play p, Random r) {
            plays[(int) (playCount++ % RING)] = p;
            for (int k = 0; k < PLAY_TYPES.length; k++) if (PLAY_TYPES[k].equals(p.type())) playsByType[k]++;
            if (p.type().endsWith("goal") || p.type().startsWith("penalty")) {
                Player pl = players.get(p.playerId());
                for (String partner : PARTNERS) {
                    String id = "stat-" + Long.toHexString(0x51d00000L + messageSeq++);
                    syndication.send(new StatMessage(id, partner, payload(p, pl, partner, r), p.at()), pl.playerId(), p.at());
                }
            }
        }

        byte[] payload(Play p, Player pl, String partner, Random r) {
            StringBuilder sb = new StringBuilder(2_600);
            sb.append("{\"seq\":").append(p.seq()).append(",\"game\":\"").append(p.gameId()).append("\",\"type\":\"").append(p.type())
                    .append("\",\"player\":{\"id\":\"").append(pl.playerId()).append("\",\"name\":\"").append(pl.name()).append("\",\"team\":\"")
                    .append(pl.teamCode()).append("\"},\"period\":").append(p.period()).append(",\"clock\":").append(p.clockSeconds())
                    .append(",\"partner\":\"").append(partner).append("\",\"at\":").append(p.at()).append(",\"onField\":[");
            int tracked = 40 + r.nextInt(100);
            for (int k = 0; k < tracked; k++) sb.append(k == 0 ? "" : ",").append("{\"x\":").append(r.nextInt(110)).append(",\"y\":").append(r.nextInt(60)).append('}');
            return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        BoxScore boxScore(String gameId, Random r, long t) {
            boxRequests++;
            BoxScore b = boxScores.get(gameId);
            if (b != null) { boxHits++; return b; }
            b = new BoxScore(gameId, new byte[400 + r.nextInt(400)], t);
            byte[] buf = renderBuffers.poll();
            buf[(int) (boxRequests % buf.length)] = (byte) b.rendered().length;
            renderBuffers.addLast(buf);
            boxScores.put(gameId, b);
            return b;
        }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(146_020_001);
        String[] teamCodes = new String[TEAMS];
        for (int k = 0; k < TEAMS; k++) {
            double[] stats = new double[40];
            for (int j = 0; j < stats.length; j++) stats[j] = rnd.nextDouble() * 90;
            teamCodes[k] = DIVISIONS[k % DIVISIONS.length] + "-" + (100 + k);
            TEAMS_BY_CODE.put(teamCodes[k], new Team(teamCodes[k], "Team " + k, DIVISIONS[k % DIVISIONS.length], stats));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        for (int p = 0; p < PLAYERS; p++) {
            String id = "LAX-" + (600_000 + p * 7);
            int daysAgo = 1 + rnd.nextInt(1_500);
            boolean recent = rnd.nextInt(100) < 8; // registered after the fantasy partner's roster import
            svc.playerIds[p] = id;
            svc.players.put(id, new Player(id, FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)], teamCodes[rnd.nextInt(TEAMS)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (recent ? 1 + daysAgo % 20 : 30 + daysAgo) * DAY, !recent));
            if (!recent) svc.syndication.gateway.fantasyRoster.add(id);
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);

        String[] liveGames = new String[48];
        for (int g = 0; g < liveGames.length; g++) liveGames[g] = "G-" + (90_000 + g);
        int gameSeq = liveGames.length;
        Random plays = new Random(146_020_002), payloads = new Random(146_020_003), boxes = new Random(146_020_004), clips = new Random(146_020_005);
        int minute = 0, clipSeq = 0;
        for (long t = start; t < end; t += MINUTE, minute++) {
            if (minute % 5 == 0) liveGames[plays.nextInt(liveGames.length)] = "G-" + (90_000 + gameSeq++); // a game ends, another starts
            for (int k = 0; k < PLAYS_PER_MINUTE; k++) {
                int roll = plays.nextInt(100);
                String type = roll < 2 ? "goal" : roll < 3 ? "assisted-goal" : roll < 4 ? "penalty-slashing"
                        : PLAY_TYPES[plays.nextInt(6) == 0 ? 10 : plays.nextInt(6)];
                Play p = new Play(svc.playCount, liveGames[plays.nextInt(liveGames.length)], type, svc.playerIds[plays.nextInt(PLAYERS)],
                        1 + minute % 4, plays.nextInt(900), t + k * (MINUTE / PLAYS_PER_MINUTE));
                svc.record(p, payloads);
            }
            for (int k = 0; k < BOX_REQUESTS_PER_MINUTE; k++) {
                String game = boxes.nextInt(3) == 0 ? liveGames[boxes.nextInt(liveGames.length)] : "G-" + (10_000 + boxes.nextInt(80_000));
                svc.boxScore(game, boxes, t + k * 2 * SECOND);
            }
            for (int k = 0; k < CLIPS_PER_MINUTE; k++) {
                svc.clipQueue.addLast(new Clip("clip-" + (clipSeq++), liveGames[clips.nextInt(liveGames.length)], 8 + clips.nextInt(40), t + k * 15 * SECOND));
            }
            while (!svc.clipQueue.isEmpty() && svc.clipQueue.peekFirst().queuedAt() + CLIP_LAG_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.clipQueue.pollFirst();
                svc.clipsTranscoded++;
            }
            if ((minute + 1) % RETRY_EVERY_MINUTES == 0) svc.syndication.retryRound(t + 59 * SECOND);
        }
    }

    // Exact counts per stage (leaking run): messages, delivered, entries in latestAttempt, of which rejected by the
    // fantasy partner, attempts in all chains, the longest chain, box-score cache evictions.
    static final long[][] EXPECTED = {
            {1_500, 1_478, 22, 22, 489, 41, 471},
            {3_230, 3_178, 52, 52, 2_033, 81, 2_808},
            {6_660, 6_554, 106, 106, 8_306, 161, 7_525},
    };

    static void verify(int stage, int hours) {
        LeagueService svc = SERVICE;
        StatsSyndication syn = svc.syndication;
        int minutes = hours * 60;
        int chained = 0, longest = 0, poison = 0, poisonAttempts = 0;
        long payloadBytes = 0;
        for (Attempt a : syn.latestAttempt.values()) {
            int n = StatsSyndication.chainLength(a);
            chained += n;
            longest = Math.max(longest, n);
            if (a.status == 422) { poison++; poisonAttempts += n; }
            for (Attempt x = a; x != null; x = x.previous) payloadBytes += x.payload.length;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " teams " + TEAMS_BY_CODE.size() + " players " + svc.players.size() + " plays " + svc.playCount
                + " messages " + syn.sent + " delivered " + syn.delivered + " (on retry " + syn.deliveredOnRetry + ") latestAttempt " + syn.latestAttempt.size()
                + " (422: " + poison + " with " + poisonAttempts + " attempts; all chains " + chained + " attempts, longest " + longest + ", payload bytes " + payloadBytes + ")"
                + " rounds " + syn.rounds + " retries " + syn.retries + " dead-lettered " + syn.deadLettered + " gateway " + syn.gateway.calls + "/" + syn.gateway.ok
                + "/" + syn.gateway.transientErrors + "/" + syn.gateway.rejected + " box scores " + svc.boxScores.size() + " (requests " + svc.boxRequests + ", hits "
                + svc.boxHits + ", evicted " + svc.boxScores.evicted + ") clip backlog " + svc.clipQueue.size() + " transcoded " + svc.clipsTranscoded
                + " pool " + svc.renderBuffers.size() + " goals " + (svc.playsByType[6] + svc.playsByType[7]));
        check(TEAMS_BY_CODE.size() == TEAMS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.playCount == (long) PLAYS_PER_MINUTE * minutes && svc.plays[RING - 1] != null, "play ring");
        check(syn.sent == syn.delivered + syn.latestAttempt.size() + syn.deadLettered, "every message delivered or in retry");
        check(syn.rounds == minutes / RETRY_EVERY_MINUTES, "retry rounds");
        check(svc.boxScores.size() == BOX_CAP && svc.boxScores.evicted > 0, "box-score cache at its cap");
        check(svc.clipQueue.size() == CLIPS_PER_MINUTE * CLIP_LAG_MINUTES, "clip backlog");
        check(svc.renderBuffers.size() == POOL, "render buffer pool");
        if (FIXED) {
            check(longest < FIXED_MAX_ATTEMPTS, "fixed: chains bounded");
        } else {
            check(syn.deadLettered == 0 && poison > 0 && longest > 10, "poison chains");
            long[] e = EXPECTED[stage - 1];
            if (e.length > 0) {
                long[] got = {syn.sent, syn.delivered, syn.latestAttempt.size(), poison, chained, longest, svc.boxScores.evicted};
                check(Arrays.equals(e, got), "exact counts " + Arrays.toString(got));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val146.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
