// hprofscan-dump: name=val64-leak-pubquizzes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val64-leak-pubquizzes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 64 (written blind), LEAK: the live-game service of a pub-quiz app. Venue reference
 * data, the question bank, a cache of rendered leaderboards at its cap, a pool of websocket frame
 * buffers, a ring of submitted answers, the map of open websocket connections, and a heartbeat: for
 * every connection a ping task is scheduled at a fixed rate on a ScheduledThreadPoolExecutor (the
 * task captures the connection). Closing a connection removes it from the open map but never
 * cancels its heartbeat, so the executor's queue keeps a task, and through it the connection with
 * its send buffer, for every connection ever opened. See VALIDATION64.md.
 */
public final class Val64LeakPubQuizzes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VENUES = 1_100, QUESTIONS = 25_000, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, CONNECTIONS = 9_000,
            ANSWERS_PER_CONNECTION = 6;
    static final long HEARTBEAT_SECONDS = 30;
    static boolean FIXED;

    record Venue(String code, String town, double[] attendanceByWeek) {}
    record Question(String id, String round, byte[] text, long writtenAt) {}
    record Leaderboard(String key, byte[] html, long renderedAt) {}
    record Answer(long connectionId, String questionId, String team, boolean correct, long at) {}

    static final class WsConnection {
        final long id;
        final String teamName, venueCode, sessionToken;
        final long openedAt;
        long closedAt, pingsSent;
        boolean closed;
        final byte[] sendBuffer;
        ScheduledFuture<?> heartbeat;
        WsConnection(long id, String teamName, String venueCode, String sessionToken, long openedAt, byte[] sendBuffer) {
            this.id = id; this.teamName = teamName; this.venueCode = venueCode; this.sessionToken = sessionToken; this.openedAt = openedAt; this.sendBuffer = sendBuffer;
        }
        void ping() { if (!closed) { sendBuffer[0] = (byte) 0x89; pingsSent++; } }
    }

    static final class BoardCache extends LinkedHashMap<String, Leaderboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Leaderboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class QuizService {
        final Map<String, Question> questions = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Answer[] answers = new Answer[RING];
        long answersSubmitted, opened, closed;
        final Map<Long, WsConnection> open = new HashMap<>();
        final ScheduledThreadPoolExecutor heartbeats = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ws-heartbeat");
            t.setDaemon(true);
            return t;
        });

        QuizService() { if (FIXED) heartbeats.setRemoveOnCancelPolicy(true); }

        void onOpen(WsConnection c) {
            open.put(c.id, c);
            opened++;
            c.heartbeat = heartbeats.scheduleAtFixedRate(() -> c.ping(), HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        }

        void onClose(WsConnection c, long at) {
            c.closed = true;
            c.closedAt = at;
            open.remove(c.id);
            closed++;
            if (FIXED) c.heartbeat.cancel(false); // the fix; BUG: otherwise the heartbeat is never cancelled
        }
    }

    static QuizService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val64.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(64_040_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] attendance = new double[72];
            for (int k = 0; k < attendance.length; k++) attendance[k] = rnd.nextDouble() * 120;
            venueCodes[v] = "PUB-" + (2_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Town " + (v % 350), attendance));
        }
        QuizService svc = new QuizService();
        SERVICE = svc;
        String[] questionIds = new String[QUESTIONS];
        String[] rounds = {"General knowledge", "Music", "Picture round", "Sport", "History", "Science"};
        for (int q = 0; q < QUESTIONS; q++) {
            questionIds[q] = "Q-" + (900_000 + q);
            svc.questions.put(questionIds[q], new Question(questionIds[q], rounds[q % rounds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(64_040_002);
        // Connections open evenly over the 10 h and stay open 20-59 minutes; close events are processed in time order.
        java.util.PriorityQueue<WsConnection> closing = new java.util.PriorityQueue<>((a, b) -> Long.compare(a.closedAt, b.closedAt));
        for (int i = 0; i < CONNECTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / CONNECTIONS;
            while (!closing.isEmpty() && closing.peek().closedAt <= t) { WsConnection c = closing.poll(); svc.onClose(c, c.closedAt); }
            String token = Long.toHexString(traffic.nextLong()) + Long.toHexString(traffic.nextLong());
            WsConnection c = new WsConnection(7_000_000L + i, "Team " + traffic.nextInt(20_000), venueCodes[traffic.nextInt(VENUES)], token, t, new byte[512 + traffic.nextInt(512)]);
            svc.onOpen(c);
            c.closedAt = t + (20 + traffic.nextInt(40)) * MINUTE; // planned close
            closing.add(c);
            for (int a = 0; a < ANSWERS_PER_CONNECTION; a++) {
                svc.answers[(int) (svc.answersSubmitted % RING)] = new Answer(c.id, questionIds[traffic.nextInt(QUESTIONS)], c.teamName, traffic.nextBoolean(), t + a * MINUTE);
                svc.answersSubmitted++;
            }
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
            String key = "board-" + traffic.nextInt(5_000);
            if (svc.boards.get(key) == null) svc.boards.put(key, new Leaderboard(key, new byte[600 + traffic.nextInt(600)], t));
        }
        while (!closing.isEmpty() && closing.peek().closedAt <= end) { WsConnection c = closing.poll(); svc.onClose(c, c.closedAt); }
        for (WsConnection c : closing) c.closedAt = 0; // still open at the dump
        int queued = svc.heartbeats.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " questions " + svc.questions.size() + " opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.open.size() + " heartbeat tasks queued " + queued + " answers " + svc.answersSubmitted + " boards " + svc.boards.size()
                + " (evicted " + svc.boards.evicted + ") pool " + svc.frameBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.questions.size() == QUESTIONS, "reference data / directory");
        check(svc.opened == CONNECTIONS && svc.open.size() == closing.size() && svc.closed + svc.open.size() == CONNECTIONS, "connections");
        check(queued == (FIXED ? svc.open.size() : CONNECTIONS), "heartbeat queue " + queued);
        check(svc.answersSubmitted == (long) CONNECTIONS * ANSWERS_PER_CONNECTION && svc.answers[RING - 1] != null, "answer ring");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "leaderboard cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
