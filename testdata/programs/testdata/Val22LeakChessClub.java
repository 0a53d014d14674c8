// hprofscan-dump: name=val22-leak-chessclub jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val22-leak-chessclub-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 22 (written blind), LEAK: the game server of an online chess club. Every player
 * connection creates its own {@code java.util.Timer} ({@code new Timer(true)}, a "Timer-N" thread)
 * and schedules a periodic keep-alive {@code TimerTask} capturing the connection. The bug: when
 * the connection closes, it is removed from the live sessions but its Timer is never cancelled, so
 * every closed connection keeps a live timer thread, its task queue, the task and the connection
 * with its outbound buffer. Beside it: one shared "housekeeping" Timer used properly (tasks
 * cancelled and purged), the opening book, the player directory, the live sessions, an
 * evaluation cache at its cap, a move ring.
 * 6 simulated hours. See testdata/VALIDATION22.md.
 */
public final class Val22LeakChessClub {
    static final long HOUR = 3_600_000L;
    static final int OPENINGS = 12_000, PLAYERS = 50_000, LIVE = 150, CLOSED = 1_200, EVAL_CAP = 4_000, MOVE_RING = 16_384, MOVES = 30_000;

    record Opening(String eco, String name, String fen, int[] results) {}
    record Player(int id, String handle, String country, int[] ratingHistory, long joinedAt) {}
    record Evaluation(String fen, long[] principalVariation, int centipawns) {}
    record Move(long gameId, String san, int clockMs, long at) {}

    static final class Connection {
        final String connectionId; final int playerId; final long connectedAt; final byte[] outbound; long lastPingAt; boolean open = true;
        Timer keepAliveTimer;
        Connection(String connectionId, int playerId, long connectedAt, byte[] outbound) { this.connectionId = connectionId; this.playerId = playerId; this.connectedAt = connectedAt; this.outbound = outbound; }
    }

    /** The periodic keep-alive: pings the connection every 45 s (first run 45 s after connect). */
    static final class KeepAliveTask extends TimerTask {
        final Connection connection;
        KeepAliveTask(Connection connection) { this.connection = connection; }
        @Override public void run() { connection.lastPingAt = System.currentTimeMillis(); }
    }

    static final class EvalCache extends LinkedHashMap<String, Evaluation> {
        long evicted;
        EvalCache() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Evaluation> e) { if (size() > EVAL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Opening> OPENING_BOOK = new HashMap<>();

    static final class GameServer {
        final Map<Integer, Player> players = new HashMap<>();
        final Map<String, Connection> liveSessions = new HashMap<>();
        final EvalCache evaluations = new EvalCache();
        final Move[] moveRing = new Move[MOVE_RING];
        final Timer housekeeping = new Timer("housekeeping", true);
        long moves, connectionsOpened, connectionsClosed, adjournmentsCancelled;

        Connection connect(String id, int playerId, long at, boolean fixed) {
            Connection c = new Connection(id, playerId, at, new byte[4_096]);
            c.keepAliveTimer = new Timer(true); // one timer thread per connection ("Timer-N")
            c.keepAliveTimer.schedule(new KeepAliveTask(c), 45_000, 45_000);
            liveSessions.put(id, c);
            connectionsOpened++;
            return c;
        }

        void close(Connection c, boolean fixed) {
            c.open = false;
            liveSessions.remove(c.connectionId);
            if (fixed) c.keepAliveTimer.cancel(); // the fix; BUG in the leak run: the Timer is never cancelled
            connectionsClosed++;
        }
    }

    static GameServer SERVER;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int timerThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith("Timer-")) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val22.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 6 * HOUR;
        Random rnd = new Random(22_030_001);
        for (int o = 0; o < OPENINGS; o++) {
            int[] res = new int[16];
            for (int k = 0; k < res.length; k++) res[k] = rnd.nextInt(10_000);
            String eco = "ECO-" + o;
            OPENING_BOOK.put(eco, new Opening(eco, "Opening variation " + o, "rnbqkbnr/pppppppp/8/8/" + Integer.toString(o, 36) + "/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", res));
        }
        GameServer srv = new GameServer();
        SERVER = srv;
        String[] countries = {"NO", "IN", "US", "RU", "CN", "FR", "AM", "NL"};
        for (int p = 0; p < PLAYERS; p++) {
            int[] hist = new int[20];
            for (int k = 0; k < hist.length; k++) hist[k] = 1_000 + rnd.nextInt(1_800);
            srv.players.put(p, new Player(p, "player" + Integer.toString(p * 31, 36), countries[p % countries.length], hist, now - (long) rnd.nextInt(3_000) * 24 * HOUR));
        }
        // the shared housekeeping timer, used properly: 2 periodic tasks, adjournment reminders cancelled and purged
        srv.housekeeping.schedule(new TimerTask() { @Override public void run() { } }, 60_000, 60_000);
        srv.housekeeping.schedule(new TimerTask() { @Override public void run() { } }, 300_000, 300_000);
        Random traffic = new Random(22_030_002);
        int connections = LIVE + CLOSED;
        java.util.List<Connection> opened = new java.util.ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long t = start + (now - start) * c / connections;
            opened.add(srv.connect("CONN-" + (5_000_000 + c), traffic.nextInt(PLAYERS), t, fixed));
        }
        // the first CLOSED connections have ended
        for (int c = 0; c < CLOSED; c++) srv.close(opened.get(c), fixed);
        opened.clear();
        for (int m = 0; m < MOVES; m++) {
            long t = start + (now - start) * m / MOVES;
            srv.moveRing[(int) (srv.moves++ % MOVE_RING)] = new Move(800_000L + m / 60, "Nf" + (1 + traffic.nextInt(8)), traffic.nextInt(600_000), t);
            String fen = "pos-" + traffic.nextInt(9_000);
            if (srv.evaluations.get(fen) == null) {
                long[] pv = new long[16];
                for (int k = 0; k < pv.length; k++) pv[k] = traffic.nextLong();
                srv.evaluations.put(fen, new Evaluation(fen, pv, traffic.nextInt(400) - 200));
            }
            if (m % 100 == 0) { // adjournment reminder, cancelled when the game resumes
                TimerTask reminder = new TimerTask() { @Override public void run() { } };
                srv.housekeeping.schedule(reminder, 600_000);
                reminder.cancel();
                srv.adjournmentsCancelled++;
            }
        }
        int purged = srv.housekeeping.purge();
        int expectedThreads = fixed ? LIVE : LIVE + CLOSED;
        for (int w = 0; w < 2_000 && timerThreads() != expectedThreads; w++) Thread.sleep(5);
        int threads = timerThreads();
        System.out.println((fixed ? "FIXED " : "") + "openings " + OPENING_BOOK.size() + " players " + srv.players.size() + " connections opened " + srv.connectionsOpened + " closed " + srv.connectionsClosed + " live " + srv.liveSessions.size() + " Timer-N threads " + threads + " evaluations " + srv.evaluations.size() + " (evicted " + srv.evaluations.evicted + ") moves " + srv.moves + " reminders cancelled " + srv.adjournmentsCancelled + " purged " + purged);
        check(OPENING_BOOK.size() == OPENINGS && srv.players.size() == PLAYERS, "reference data");
        check(srv.connectionsOpened == connections && srv.connectionsClosed == CLOSED && srv.liveSessions.size() == LIVE, "sessions");
        check(threads == expectedThreads, "timer threads " + threads);
        check(purged == MOVES / 100 && srv.adjournmentsCancelled == MOVES / 100, "housekeeping timer purged");
        check(srv.evaluations.size() == EVAL_CAP && srv.evaluations.evicted > 0, "evaluation cache at its cap");
        check(srv.moves == MOVES && srv.moveRing[MOVE_RING - 1] != null, "move ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
