// hprofscan-dump: name=val98-leak-cricketscores jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val98-leak-cricketscores-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 98 (written blind), LEAK: the live-score push service of a cricket board. Ground
 * reference data, the player directory, a cache of rendered scorecards at its cap, a pool of frame
 * buffers, a ring of ball-by-ball events, the registry of connected push subscriptions, and one
 * shared ScheduledThreadPoolExecutor that runs a heartbeat per subscription
 * (scheduleAtFixedRate, every 30 s). On disconnect the subscription is removed from the registry
 * and marked closed (the heartbeat then returns early), but its heartbeat is never cancelled: the
 * executor's work queue keeps a periodic task per subscription ever opened, each holding the
 * subscription and its outgoing buffer. See VALIDATION98.md.
 */
public final class Val98LeakCricketScores {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GROUNDS = 1_000, PLAYERS = 26_000, SCORECARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SUBSCRIPTIONS_PER_HOUR = 1_000, BALLS_PER_HOUR = 2_400;
    static final byte[] PING = {0x09, 0x00};
    static boolean FIXED;

    record Ground(String code, String name, double[] pitchStats) {}
    record Player(String playerId, String name, String team, byte[] careerStats, long debutAt) {}
    record Scorecard(String key, byte[] rendered, long at) {}
    record Ball(String matchId, int over, int ball, String bowlerId, String batterId, int runs, long at) {}

    /** One client connection following a match. */
    static final class Subscription {
        final String connectionId;
        final String matchId;
        final long connectedAt;
        long disconnectedAt;
        final ByteBuffer outgoing;
        volatile boolean closed;
        long heartbeats;
        ScheduledFuture<?> heartbeat;
        Subscription(String connectionId, String matchId, long connectedAt, ByteBuffer outgoing) {
            this.connectionId = connectionId; this.matchId = matchId; this.connectedAt = connectedAt; this.outgoing = outgoing;
        }
    }

    /** Sends a ping frame to keep the client's connection (and its proxies) open. */
    static final class HeartbeatTask implements Runnable {
        final Subscription sub;
        HeartbeatTask(Subscription sub) { this.sub = sub; }
        @Override public void run() {
            if (sub.closed) return; // nothing to do for a closed connection
            ByteBuffer b = sub.outgoing;
            if (b.remaining() < PING.length) b.clear();
            b.put(PING);
            sub.heartbeats++;
        }
    }

    static final class ScorecardCache extends LinkedHashMap<String, Scorecard> {
        long evicted;
        ScorecardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scorecard> e) { if (size() > SCORECARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ground> GROUNDS_BY_CODE = new HashMap<>();

    static final class ScoreService {
        final Map<String, Player> players = new HashMap<>();
        final ScorecardCache scorecards = new ScorecardCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Ball[] balls = new Ball[RING];
        long ballsBowled;
        final ConcurrentHashMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
        final ScheduledThreadPoolExecutor pusher = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "score-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long opened, closedCount;
        ScoreService() { pusher.setRemoveOnCancelPolicy(true); }

        Subscription subscribe(String matchId, long at, Random r) {
            String id = "ws-" + Long.toHexString(0x5c00_0000_0000L + opened++);
            ByteBuffer out = ByteBuffer.allocate(256 + r.nextInt(256));
            out.put((byte) 0x81).put((byte) r.nextInt(100)); // initial scorecard frame header
            Subscription s = new Subscription(id, matchId, at, out);
            subscriptions.put(id, s);
            s.heartbeat = pusher.scheduleAtFixedRate(new HeartbeatTask(s), 30, 30, TimeUnit.SECONDS);
            return s;
        }

        void bowl(String[] matches, String[] playerIds, int idx, long at, Random r) {
            balls[(int) (ballsBowled++ % RING)] = new Ball(matches[r.nextInt(matches.length)], idx / 6 % 50, idx % 6 + 1, playerIds[r.nextInt(PLAYERS)], playerIds[r.nextInt(PLAYERS)], r.nextInt(7), at);
            String key = "card-" + r.nextInt(4_000);
            if (scorecards.get(key) == null) scorecards.put(key, new Scorecard(key, new byte[600 + r.nextInt(600)], at));
            byte[] buf = frameBuffers.poll();
            buf[idx % buf.length] = (byte) idx;
            frameBuffers.add(buf);
        }

        void disconnect(Subscription s, long at) {
            subscriptions.remove(s.connectionId);
            s.closed = true;
            s.disconnectedAt = at;
            closedCount++;
            if (FIXED) s.heartbeat.cancel(false);
            // BUG: otherwise the periodic heartbeat stays scheduled forever
        }
    }

    static ScoreService SERVICE;
    static long EXPECTED_CONNECTED;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_030_001);
        for (int g = 0; g < GROUNDS; g++) {
            double[] stats = new double[80];
            for (int k = 0; k < stats.length; k++) stats[k] = rnd.nextDouble() * 300;
            String code = "GR-" + (700 + g);
            GROUNDS_BY_CODE.put(code, new Ground(code, "Ground " + g, stats));
        }
        ScoreService svc = new ScoreService();
        SERVICE = svc;
        String[] playerIds = new String[PLAYERS];
        String[] teams = {"Northshire", "Southshire", "Eastshire", "Westshire", "Midshire", "Coastshire", "Hillshire", "Vale"};
        for (int p = 0; p < PLAYERS; p++) {
            playerIds[p] = "PL" + (300_000 + p);
            svc.players.put(playerIds[p], new Player(playerIds[p], "Player " + p, teams[p % teams.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        String[] matches = new String[12];
        for (int m = 0; m < matches.length; m++) matches[m] = "M-" + (4_410 + m);
        Random traffic = new Random(98_030_002);
        PriorityQueue<Subscription> open = new PriorityQueue<>(Comparator.comparingLong((Subscription s) -> s.disconnectedAt));
        int subs = SUBSCRIPTIONS_PER_HOUR * HOURS;
        int totalBalls = BALLS_PER_HOUR * HOURS;
        int ballIndex = 0;
        for (int i = 0; i < subs; i++) {
            long t = start + (end - MINUTE - start) * i / subs;
            while (!open.isEmpty() && open.peek().disconnectedAt <= t) { Subscription s = open.poll(); svc.disconnect(s, s.disconnectedAt); }
            for (; ballIndex < totalBalls && start + (end - MINUTE - start) * ballIndex / totalBalls <= t; ballIndex++) {
                svc.bowl(matches, playerIds, ballIndex, start + (end - MINUTE - start) * ballIndex / totalBalls, traffic);
            }
            Subscription s = svc.subscribe(matches[traffic.nextInt(matches.length)], t, traffic);
            s.disconnectedAt = t + (5 + traffic.nextInt(86)) * MINUTE; // planned; stays 0 in the dump if still open
            open.add(s);
        }
        while (!open.isEmpty() && open.peek().disconnectedAt < end) { Subscription s = open.poll(); svc.disconnect(s, s.disconnectedAt); }
        EXPECTED_CONNECTED = open.size();
        for (Subscription s : open) s.disconnectedAt = 0;
        open.clear();
        for (; ballIndex < totalBalls; ballIndex++) {
            svc.bowl(matches, playerIds, ballIndex, start + (end - MINUTE - start) * ballIndex / totalBalls, traffic);
        }
    }

    static void verify() {
        ScoreService svc = SERVICE;
        int queued = svc.pusher.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "grounds " + GROUNDS_BY_CODE.size() + " players " + svc.players.size() + " subscriptions opened " + svc.opened + " closed " + svc.closedCount
                + " connected " + svc.subscriptions.size() + " heartbeat tasks queued " + queued + " balls " + svc.ballsBowled + " scorecards " + svc.scorecards.size()
                + " (evicted " + svc.scorecards.evicted + ") pool " + svc.frameBuffers.size());
        check(GROUNDS_BY_CODE.size() == GROUNDS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.opened == (long) SUBSCRIPTIONS_PER_HOUR * HOURS && svc.subscriptions.size() == EXPECTED_CONNECTED && svc.closedCount + EXPECTED_CONNECTED == svc.opened, "subscriptions");
        if (FIXED) check(queued == EXPECTED_CONNECTED, "one heartbeat per connected client: " + queued);
        else check(queued == svc.opened, "every heartbeat still scheduled: " + queued);
        check(svc.scorecards.size() == SCORECARD_CAP && svc.scorecards.evicted > 0, "scorecard cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.ballsBowled == (long) BALLS_PER_HOUR * HOURS && svc.balls[RING - 1] != null, "ball ring wrapping");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val98.fixed");
        build();
        verify();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
