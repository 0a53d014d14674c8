// hprofscan-dump: name=val10-leak-gamelobby-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val10-leak-gamelobby-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val10-leak-gamelobby jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val10-leak-gamelobby-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 10 (written blind), LEAK, a series: the matchmaking lobby of an online game. Every
 * queue request gets a ticket under a sequential {@code long} id in {@code Matchmaker.tickets};
 * matched tickets are removed, but a ticket whose player leaves the queue (disconnects, closes the
 * game) is only marked {@code ABANDONED} and the sweeper removes only {@code EXPIRED} ones, so
 * abandoned tickets accumulate. Ticket times come from {@code System.nanoTime()}. Stage 1 is the
 * dump after 1 simulated hour (5,000 abandoned tickets), stage 2 after 2 hours (10,000), stage 3
 * after 4 hours (20,000); 150 tickets are legitimately waiting in every stage. Beside it: the game
 * mode catalog loaded at startup, the ranked ladder (every player of the region, loaded at
 * startup), the online-player directory, a lobby chat ring, a match history capped at 1,000 and a
 * single-thread sweeper. See testdata/VALIDATION10.md.
 */
public final class Val10LeakGameLobby {
    static final int MODES = 240;
    static final int MAPS_PER_MODE = 12;
    static final int LADDER = 50_000;
    static final int ONLINE = 6_000;
    static final int CHAT_RING = 4_096;
    static final int HISTORY_CAP = 1_000;
    static final int WAITING = 150;
    static final int PLAYERS_PER_MATCH = 10;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static LobbyServer RUNNING;

    static final class GameMode {
        final String code; final String displayName; final int teamSize; final String[] mapRotation; final boolean ranked; final int[] mmrBrackets;
        GameMode(String code, String displayName, int teamSize, String[] mapRotation, boolean ranked, int[] mmrBrackets) { this.code = code; this.displayName = displayName; this.teamSize = teamSize; this.mapRotation = mapRotation; this.ranked = ranked; this.mmrBrackets = mmrBrackets; }
    }

    /** Reference data: game modes and their map rotations, loaded from the live-ops config at startup. */
    static final class GameModeCatalog {
        static final Map<String, GameMode> MODES_BY_CODE = new HashMap<>();
    }

    static final class LadderEntry {
        final long playerId; final String gamerTag; final String region; int mmr; int wins; int losses; final long seasonJoinedAt; long lastMatchAt;
        LadderEntry(long playerId, String gamerTag, String region, int mmr, long seasonJoinedAt) { this.playerId = playerId; this.gamerTag = gamerTag; this.region = region; this.mmr = mmr; this.seasonJoinedAt = seasonJoinedAt; }
    }

    /** The region's ranked ladder: every ranked player of the season, loaded at startup. */
    static final class RankedLadder {
        final Map<Long, LadderEntry> byPlayer = new ConcurrentHashMap<>();
    }

    static final class OnlinePlayer {
        final long playerId; final String clientVersion; final String platform; final long connectedAt; long lastHeartbeatAt;
        OnlinePlayer(long playerId, String clientVersion, String platform, long connectedAt) { this.playerId = playerId; this.clientVersion = clientVersion; this.platform = platform; this.connectedAt = connectedAt; }
    }

    /** Lobby chat lines; the ring's slots are allocated once and overwritten. */
    static final class ChatLine {
        long playerId; String channel; long sentAt; final char[] text = new char[80];
    }

    static final class ChatRing {
        final ChatLine[] slots = new ChatLine[CHAT_RING];
        long written;
        ChatRing() { for (int i = 0; i < CHAT_RING; i++) slots[i] = new ChatLine(); }
        void append(long player, String channel, long t) { ChatLine l = slots[(int) (written++ % CHAT_RING)]; l.playerId = player; l.channel = channel; l.sentAt = t; }
    }

    static final class MatchRecord {
        final long matchId; final String mode; final String map; final long[] players; final long startedAt;
        MatchRecord(long matchId, String mode, String map, long[] players, long startedAt) { this.matchId = matchId; this.mode = mode; this.map = map; this.players = players; this.startedAt = startedAt; }
    }

    /** One queue request. Times are {@code System.nanoTime()} values. */
    static final class MatchTicket {
        final long ticketId; final long playerId; final String modeCode; final String region; final int mmr; final long enqueuedNanos; long lastHeartbeatNanos;
        final short[] pingByRegion = new short[16]; final byte[] loadout; String state = "WAITING";
        MatchTicket(long ticketId, long playerId, String modeCode, String region, int mmr, long enqueuedNanos, byte[] loadout) { this.ticketId = ticketId; this.playerId = playerId; this.modeCode = modeCode; this.region = region; this.mmr = mmr; this.enqueuedNanos = enqueuedNanos; this.lastHeartbeatNanos = enqueuedNanos; this.loadout = loadout; }
    }

    static final class Matchmaker {
        /** THE LEAK: abandoned tickets are never removed. */
        final Map<Long, MatchTicket> tickets = new ConcurrentHashMap<>();
        final AtomicLong nextTicket = new AtomicLong(1_000_001L);
        long matched; long abandoned; long expired;
        MatchTicket enqueue(long player, String mode, int mmr, long nanos, byte[] loadout) {
            MatchTicket t = new MatchTicket(nextTicket.getAndIncrement(), player, mode, "eu-west", mmr, nanos, loadout);
            tickets.put(t.ticketId, t);
            return t;
        }
        void onMatched(MatchTicket t) { t.state = "MATCHED"; tickets.remove(t.ticketId); matched++; }
        void onPlayerLeft(MatchTicket t, boolean fixed) { t.state = "ABANDONED"; abandoned++; if (fixed) tickets.remove(t.ticketId); }
        /** Periodic sweep: drops tickets whose client stopped sending heartbeats while WAITING. */
        void sweep(long nowNanos) {
            tickets.values().removeIf(t -> { boolean e = t.state.equals("EXPIRED"); if (e) expired++; return e; });
        }
    }

    static final class LobbyServer {
        final RankedLadder ladder = new RankedLadder();
        final Map<Long, OnlinePlayer> online = new ConcurrentHashMap<>();
        final Matchmaker matchmaker = new Matchmaker();
        final ChatRing chat = new ChatRing();
        final ArrayDeque<MatchRecord> history = new ArrayDeque<>();
        final ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "ticket-sweeper"); t.setDaemon(true); return t; });
        ScheduledFuture<?> sweepTask;
        final Properties config = new Properties();
        void record(MatchRecord m) { history.addLast(m); if (history.size() > HISTORY_CAP) history.removeFirst(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val10.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = 1L << (stage - 1); // 1, 2, 4
        int abandonTarget = 5_000 << (stage - 1); // 5,000, 10,000, 20,000
        int matchesTarget = 1_500 * (int) hours; // 10 tickets each
        long now = System.currentTimeMillis();
        long nanoNow = System.nanoTime();
        long start = now - hours * HOUR;
        Random rnd = new Random(10_020_001);
        LobbyServer svc = new LobbyServer();
        RUNNING = svc;
        for (int i = 0; i < 60; i++) svc.config.setProperty("lobby.queue." + i + ".maxWaitSecs", Integer.toString(60 + i * 5));
        String[] maps = {"harbor", "citadel", "dunes", "glacier", "foundry", "canopy", "summit", "ruins", "metro", "reef", "quarry", "spire"};
        for (int i = 0; i < MODES; i++) {
            String[] rot = new String[MAPS_PER_MODE];
            for (int k = 0; k < MAPS_PER_MODE; k++) rot[k] = maps[(i + k) % maps.length];
            int[] brackets = new int[32];
            for (int k = 0; k < brackets.length; k++) brackets[k] = 500 + k * 100;
            String code = "mode-" + Integer.toString(i, 36);
            GameModeCatalog.MODES_BY_CODE.put(code, new GameMode(code, "Mode " + i, 1 + i % 5, rot, i % 3 == 0, brackets));
        }
        for (int i = 0; i < LADDER; i++) {
            long id = 2_000_000_000L + i * 13L;
            svc.ladder.byPlayer.put(id, new LadderEntry(id, "player_" + Long.toString(id, 36), "eu-west", 800 + rnd.nextInt(2400), now - DAY * rnd.nextInt(60)));
        }
        String[] platforms = {"pc", "ps5", "xsx", "switch"};
        for (int i = 0; i < ONLINE; i++) {
            long id = 2_000_000_000L + (long) ((i * 7L) % LADDER) * 13L;
            OnlinePlayer p = new OnlinePlayer(id, "4.12." + (i % 7), platforms[i % 4], now - rnd.nextInt(3 * 3600) * 1000L);
            p.lastHeartbeatAt = now - rnd.nextInt(30_000);
            svc.online.put(id, p);
        }
        svc.sweepTask = svc.sweeper.scheduleWithFixedDelay(() -> svc.matchmaker.sweep(System.nanoTime()), 1, 1, TimeUnit.HOURS);
        String[] modeCodes = GameModeCatalog.MODES_BY_CODE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(modeCodes);
        // Traffic: tickets arrive in the order of the simulated clock; a group of 10 waiting tickets
        // forms a match; players leave the queue before being matched. The last 150 tickets are waiting.
        int total = matchesTarget * PLAYERS_PER_MATCH + abandonTarget + WAITING;
        List<MatchTicket> waiting = new ArrayList<>();
        int abandonedSoFar = 0;
        long matchSeq = 880_000_000L;
        for (int i = 0; i < total; i++) {
            long t = start + hours * HOUR * i / total;
            long nanos = nanoNow - (now - t) * 1_000_000L;
            long player = 2_000_000_000L + (long) rnd.nextInt(LADDER) * 13L;
            byte[] loadout = new byte[256 + rnd.nextInt(256)];
            rnd.nextBytes(loadout);
            MatchTicket tk = svc.matchmaker.enqueue(player, modeCodes[rnd.nextInt(MODES)], svc.ladder.byPlayer.get(player).mmr, nanos, loadout);
            for (int k = 0; k < tk.pingByRegion.length; k++) tk.pingByRegion[k] = (short) (20 + rnd.nextInt(180));
            if (i >= total - WAITING) continue; // still waiting at the dump
            // Every (abandon period)-th ticket's player leaves the queue before a match is found.
            boolean leaves = (long) abandonedSoFar * (total - WAITING) < (long) (i + 1) * abandonTarget;
            if (leaves) {
                tk.lastHeartbeatNanos = nanos + (5 + rnd.nextInt(60)) * 1_000_000_000L;
                svc.matchmaker.onPlayerLeft(tk, fixed);
                abandonedSoFar++;
                continue;
            }
            waiting.add(tk);
            if (waiting.size() == PLAYERS_PER_MATCH) {
                long[] ps = new long[PLAYERS_PER_MATCH];
                for (int k = 0; k < PLAYERS_PER_MATCH; k++) { MatchTicket w = waiting.get(k); ps[k] = w.playerId; svc.matchmaker.onMatched(w); svc.ladder.byPlayer.get(w.playerId).lastMatchAt = t; }
                svc.record(new MatchRecord(matchSeq++, tk.modeCode, maps[rnd.nextInt(maps.length)], ps, t));
                waiting.clear();
            }
            if (i % 3 == 0) svc.chat.append(player, "lobby-" + (i % 20), t);
            if (i % 5_000 == 0) svc.matchmaker.sweep(nanos);
        }
        int abandonedInMap = 0, waitingInMap = 0;
        for (MatchTicket tk : svc.matchmaker.tickets.values()) {
            if (tk.state.equals("ABANDONED")) abandonedInMap++;
            else if (tk.state.equals("WAITING")) waitingInMap++;
        }
        int leaked = fixed ? 0 : abandonTarget;
        System.out.println("stage " + stage + " modes " + GameModeCatalog.MODES_BY_CODE.size() + " ladder " + svc.ladder.byPlayer.size() + " online " + svc.online.size()
                + " tickets " + svc.matchmaker.tickets.size() + " (abandoned " + abandonedInMap + ", waiting " + waitingInMap + ") matched " + svc.matchmaker.matched
                + " history " + svc.history.size() + " chat " + svc.chat.written + " issued " + (svc.matchmaker.nextTicket.get() - 1_000_001L));
        check(GameModeCatalog.MODES_BY_CODE.size() == MODES && svc.ladder.byPlayer.size() == LADDER && svc.online.size() == ONLINE, "reference data");
        check(svc.matchmaker.abandoned == abandonTarget && abandonedInMap == leaked && waitingInMap == WAITING
                && svc.matchmaker.tickets.size() == leaked + WAITING, "tickets");
        check(svc.matchmaker.matched == (long) matchesTarget * PLAYERS_PER_MATCH && svc.history.size() == HISTORY_CAP && svc.chat.written > CHAT_RING, "matches/history/chat");
        check(svc.sweeper.getQueue().size() == 1, "sweeper");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
