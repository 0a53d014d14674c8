// hprofscan-dump: name=val91-leak-crosswordduels jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val91-leak-crosswordduels-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 91 (written blind), LEAK: the live-play server of a head-to-head crossword app.
 * Puzzle reference data, the player directory, a cache of rendered hint cards at its cap, a pool of
 * frame-encoding buffers, a ring of recent moves, and a WebSocket-style session registry keyed by
 * session id ({@code Map<String, Session> sessions}) whose disconnect handler removes the user id
 * instead of the session id (the wrong key, never present), so every disconnected session stays.
 * See VALIDATION91.md.
 */
public final class Val91LeakCrosswordDuels {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PUZZLES = 1_200, PLAYERS = 26_000, HINT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, CONNECTS_PER_HOUR = 1_800;
    static boolean FIXED;

    record Puzzle(String code, String title, char[] grid, short[] clueOffsets) {}
    record Player(String userId, String handle, byte[] stats, long joinedAt) {}
    record HintCard(String key, byte[] rendered, long at) {}
    /** Simulation only: when a client will drop (not part of the service's heap). */
    record Drop(long at, Session session) {}
    record Move(String userId, String puzzleCode, int cell, char letter, long at) {}

    /** One WebSocket connection of the game client. */
    static final class Session {
        final String id, userId, remoteAddr, puzzleCode;
        final long connectedAt;
        long lastFrameAt, closedAt;
        boolean open = true;
        final byte[] inflateWindow; // permessage-deflate window
        final ArrayDeque<String> outbox = new ArrayDeque<>(4);
        Session(String id, String userId, String remoteAddr, String puzzleCode, long connectedAt, byte[] inflateWindow) {
            this.id = id; this.userId = userId; this.remoteAddr = remoteAddr; this.puzzleCode = puzzleCode;
            this.connectedAt = connectedAt; this.lastFrameAt = connectedAt; this.inflateWindow = inflateWindow;
        }
    }

    static final class SessionRegistry {
        final Map<String, Session> sessions = new HashMap<>(); // session id -> session
        final Map<String, Session> byUser = new HashMap<>();   // user id -> the user's current session
        long opened, closed;

        void onOpen(Session s) {
            sessions.put(s.id, s);
            byUser.put(s.userId, s);
            opened++;
        }

        void onDisconnect(String sessionId, String userId, long at) {
            Session s = sessions.get(sessionId);
            s.open = false;
            s.closedAt = at;
            s.outbox.clear();
            byUser.remove(userId);
            if (FIXED) sessions.remove(sessionId);
            else sessions.remove(userId); // BUG: the registry is keyed by session id; nothing is removed
            closed++;
        }
    }

    static final class HintCache extends LinkedHashMap<String, HintCard> {
        long evicted;
        HintCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HintCard> e) { if (size() > HINT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Puzzle> PUZZLES_BY_CODE = new HashMap<>();

    static final class DuelService {
        final Map<String, Player> players = new HashMap<>();
        final SessionRegistry registry = new SessionRegistry();
        final HintCache hints = new HintCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Move[] moves = new Move[RING];
        long movesWritten;
    }

    static DuelService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(DuelService svc, String[] userIds, String[] puzzleCodes, long start, long end) {
        Random traffic = new Random(91_020_002);
        int connects = CONNECTS_PER_HOUR * HOURS;
        PriorityQueue<Drop> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        for (int i = 0; i < connects; i++) {
            long t = start + (end - MINUTE - start) * i / connects;
            while (!closing.isEmpty() && closing.peek().at() <= t) {
                Drop d = closing.poll();
                svc.registry.onDisconnect(d.session().id, d.session().userId, d.at());
            }
            String user;
            do { user = userIds[traffic.nextInt(PLAYERS)]; } while (svc.registry.byUser.containsKey(user));
            String puzzle = puzzleCodes[traffic.nextInt(PUZZLES)];
            Session s = new Session("ws-" + Long.toHexString(0x5a00_0000_0000L + i * 7_919L), user,
                    "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), puzzle, t, new byte[256 + traffic.nextInt(256)]);
            svc.registry.onOpen(s);
            closing.add(new Drop(t + (2 + traffic.nextInt(39)) * MINUTE, s)); // the client will drop then
            for (int m = 0; m < 4; m++) {
                svc.moves[(int) (svc.movesWritten++ % RING)] = new Move(user, puzzle, traffic.nextInt(225), (char) ('A' + traffic.nextInt(26)), t);
                s.lastFrameAt = t;
            }
            String key = "hint-" + traffic.nextInt(6_000);
            if (svc.hints.get(key) == null) svc.hints.put(key, new HintCard(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) {
            Drop d = closing.poll();
            svc.registry.onDisconnect(d.session().id, d.session().userId, d.at());
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val91.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(91_020_001);
        String[] puzzleCodes = new String[PUZZLES];
        for (int p = 0; p < PUZZLES; p++) {
            char[] grid = new char[225];
            for (int k = 0; k < grid.length; k++) grid[k] = rnd.nextInt(6) == 0 ? '#' : (char) ('A' + rnd.nextInt(26));
            short[] clues = new short[80];
            for (int k = 0; k < clues.length; k++) clues[k] = (short) rnd.nextInt(4_000);
            puzzleCodes[p] = "XW-" + (20_000 + p);
            PUZZLES_BY_CODE.put(puzzleCodes[p], new Puzzle(puzzleCodes[p], "Daily duel " + p, grid, clues));
        }
        DuelService svc = new DuelService();
        SERVICE = svc;
        String[] userIds = new String[PLAYERS];
        for (int u = 0; u < PLAYERS; u++) {
            userIds[u] = "u-" + (700_000 + u * 3);
            svc.players.put(userIds[u], new Player(userIds[u], "solver" + (u * 11 + 5), new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        simulate(svc, userIds, puzzleCodes, start, end);
        userIds = null;
        SessionRegistry r = svc.registry;
        long open = 0;
        for (Session s : r.sessions.values()) if (s.open) open++;
        System.out.println((FIXED ? "FIXED " : "") + "puzzles " + PUZZLES_BY_CODE.size() + " players " + svc.players.size() + " sessions " + r.sessions.size() + " (open " + open + ") byUser " + r.byUser.size()
                + " opened " + r.opened + " closed " + r.closed + " hints " + svc.hints.size() + " (evicted " + svc.hints.evicted + ") pool " + svc.frameBuffers.size() + " moves " + svc.movesWritten);
        check(PUZZLES_BY_CODE.size() == PUZZLES && svc.players.size() == PLAYERS, "reference data / directory");
        check(r.opened == (long) CONNECTS_PER_HOUR * HOURS && r.opened == r.closed + r.byUser.size(), "connects");
        check(open == r.byUser.size(), "open sessions");
        if (FIXED) check(r.sessions.size() == r.byUser.size(), "registry holds the open sessions");
        else check(r.sessions.size() == r.opened, "registry keeps every session: " + r.sessions.size());
        check(svc.hints.size() == HINT_CAP && svc.hints.evicted > 0, "hint cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.movesWritten == 4L * r.opened && svc.moves[RING - 1] != null, "move ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
