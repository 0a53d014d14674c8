// hprofscan-dump: name=val34-healthy-bowlingalleys jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val34-healthy-bowlingalleys-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 34 (written blind), HEALTHY: the lane-management service of a chain of bowling
 * centres. Centre reference data, the league-member directory, a cache of rendered scoreboards keyed
 * by ScoreboardKey(centre, lane, game) (no time in the key) capped at 2,000, a ring of recent
 * frames, a pool of pinsetter-controller buffers, an asynchronous audit logger whose writer thread
 * (audit-writer) releases its segment permit in a finally and retries a failed flush (the queue is
 * drained at the dump; the writer idles in take()), and JMX: one LaneController MBean per lane
 * (fixed) plus one MBean per open league session, unregistered when the session closes.
 * See VALIDATION34.md.
 */
public final class Val34HealthyBowlingAlleys {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CENTERS = 900, MEMBERS = 27_000, LANES = 240, BOARD_CAP = 2_000, POOL = 10, RING = 16_384, FRAMES_PER_HOUR = 6_000, HOURS = 10, BATCH = 50;
    static final String DOMAIN = "com.strikezone.lanes";

    record Center(String code, String town, double[] hourlyOccupancy) {}
    record Member(String memberId, String name, String league, byte[] history, long joinedAt) {}
    record ScoreboardKey(String centerCode, int lane, int game) {}
    record Scoreboard(ScoreboardKey key, byte[] rendered, long at) {}
    record Frame(String memberId, int lane, int frameNo, int pins, long at) {}
    record AuditEvent(long seq, String action, String memberId, String laneId, long at, byte[] detail) {}

    static final class AuditStore {
        final long diskFullAt;
        long appended, batches, failures;
        AuditStore(long diskFullAt) { this.diskFullAt = diskFullAt; }
        void append(List<AuditEvent> batch) throws IOException {
            if (failures == 0 && batch.get(batch.size() - 1).at() >= diskFullAt) { failures++; throw new IOException("No space left on device (lanes-audit-0042.seg)"); }
            appended += batch.size();
            batches++;
        }
    }

    static final class AuditLogger implements Runnable {
        final LinkedBlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>();
        final Semaphore segmentPermit = new Semaphore(1);
        final List<AuditEvent> batch = new ArrayList<>();
        final AuditStore store;
        final Thread writer;
        volatile long logged, taken, written, failedFlushes;
        AuditLogger(AuditStore store) { this.store = store; writer = new Thread(this, "audit-writer"); writer.setDaemon(true); }
        void log(AuditEvent e) { queue.add(e); logged++; }
        @Override public void run() {
            while (true) {
                AuditEvent e;
                try { e = queue.take(); } catch (InterruptedException ie) { return; }
                taken++;
                batch.add(e);
                if (batch.size() < BATCH && !e.action().equals("CHECKPOINT")) continue;
                segmentPermit.acquireUninterruptibly();
                try {
                    store.append(batch);
                    written += batch.size();
                    batch.clear();
                } catch (IOException io) {
                    failedFlushes++; // kept, retried with the next flush
                } finally {
                    segmentPermit.release();
                }
            }
        }
    }

    public interface LaneControllerMBean { String getLaneId(); long getFramesBowled(); boolean isPinsetterFault(); }

    public static final class LaneController implements LaneControllerMBean {
        final String laneId; long framesBowled; boolean fault;
        LaneController(String laneId) { this.laneId = laneId; }
        @Override public String getLaneId() { return laneId; }
        @Override public long getFramesBowled() { return framesBowled; }
        @Override public boolean isPinsetterFault() { return fault; }
    }

    static final class LeagueSession {
        final long sessionId; final String league; final int lane; final long openedAt; long closeAt, frames;
        LeagueSession(long sessionId, String league, int lane, long openedAt) { this.sessionId = sessionId; this.league = league; this.lane = lane; this.openedAt = openedAt; }
    }

    public interface SessionStatsMBean { String getLeague(); long getFrames(); long getOpenedAt(); }

    public static final class SessionStats implements SessionStatsMBean {
        final LeagueSession session;
        SessionStats(LeagueSession session) { this.session = session; }
        @Override public String getLeague() { return session.league; }
        @Override public long getFrames() { return session.frames; }
        @Override public long getOpenedAt() { return session.openedAt; }
    }

    static final class BoardCache extends LinkedHashMap<ScoreboardKey, Scoreboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<ScoreboardKey, Scoreboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Center> CENTERS_BY_CODE = new HashMap<>();

    static final class LaneService {
        final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Member> members = new HashMap<>();
        final LaneController[] lanes = new LaneController[LANES];
        final Map<Long, LeagueSession> openSessions = new HashMap<>();
        final PriorityQueue<LeagueSession> closing = new PriorityQueue<>((a, b) -> Long.compare(a.closeAt, b.closeAt));
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> pinsetterBuffers = new ArrayDeque<>();
        final Frame[] frames = new Frame[RING];
        AuditLogger audit;
        long frameCount, sessionsOpened, sessionsClosed, boardHits, boardMisses;

        static ObjectName sessionName(LeagueSession s) throws Exception { return new ObjectName(DOMAIN + ":type=Session,lane=" + s.lane + ",id=" + s.sessionId); }
        void open(LeagueSession s) throws Exception {
            openSessions.put(s.sessionId, s); closing.add(s); sessionsOpened++;
            mbs.registerMBean(new SessionStats(s), sessionName(s));
        }
        void closeDue(long t) throws Exception {
            while (!closing.isEmpty() && closing.peek().closeAt <= t) {
                LeagueSession s = closing.poll();
                openSessions.remove(s.sessionId);
                mbs.unregisterMBean(sessionName(s));
                sessionsClosed++;
            }
        }
    }

    static LaneService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int frames = FRAMES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(34_060_001);
        String[] centerCodes = new String[CENTERS];
        for (int c = 0; c < CENTERS; c++) {
            double[] occ = new double[56];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            centerCodes[c] = "BC-" + (1_100 + c);
            CENTERS_BY_CODE.put(centerCodes[c], new Center(centerCodes[c], "Town " + (c % 250), occ));
        }
        LaneService svc = new LaneService();
        SERVICE = svc;
        String[] leagues = new String[60];
        for (int l = 0; l < leagues.length; l++) leagues[l] = "League " + (char) ('A' + l % 26) + (l / 26 + 1);
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "BWL" + (600_000 + m * 5);
            svc.members.put(memberIds[m], new Member(memberIds[m], "Bowler " + (m % 9_000) + "/" + (m / 9_000), leagues[m % leagues.length], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int l = 0; l < LANES; l++) {
            svc.lanes[l] = new LaneController("LANE-" + (l + 1));
            svc.mbs.registerMBean(svc.lanes[l], new ObjectName(DOMAIN + ":type=Lane,id=" + (l + 1)));
        }
        for (int b = 0; b < POOL; b++) svc.pinsetterBuffers.add(new byte[32_768]);
        AuditStore store = new AuditStore(start + 3 * HOUR);
        svc.audit = new AuditLogger(store);
        svc.audit.writer.start();
        Random traffic = new Random(34_060_002);
        String[] actions = {"FRAME_SCORED", "SCORE_CORRECTED", "LANE_ASSIGNED", "PINSETTER_RESET"};
        long nextCheckpoint = start + 10 * MINUTE, seq = 0, sessionIds = 40_000_000L;
        for (int i = 0; i < frames; i++) {
            long t = start + (end - MINUTE - start) * i / frames;
            while (nextCheckpoint <= t) { svc.audit.log(new AuditEvent(seq++, "CHECKPOINT", null, null, nextCheckpoint, new byte[32])); nextCheckpoint += 10 * MINUTE; }
            svc.closeDue(t);
            if (i % 40 == 0) {
                LeagueSession s = new LeagueSession(sessionIds++, leagues[traffic.nextInt(leagues.length)], traffic.nextInt(LANES), t);
                s.closeAt = t + (60 + traffic.nextInt(120)) * MINUTE;
                svc.open(s);
            }
            String member = memberIds[traffic.nextInt(MEMBERS)];
            int lane = traffic.nextInt(LANES);
            svc.lanes[lane].framesBowled++;
            svc.frames[(int) (svc.frameCount++ % RING)] = new Frame(member, lane, 1 + traffic.nextInt(10), traffic.nextInt(11), t);
            if (traffic.nextInt(4) == 0) svc.audit.log(new AuditEvent(seq++, actions[traffic.nextInt(actions.length)], member, svc.lanes[lane].laneId, t, new byte[40 + traffic.nextInt(60)]));
            ScoreboardKey key = new ScoreboardKey(centerCodes[traffic.nextInt(60)], lane % 24, traffic.nextInt(3));
            if (svc.boards.get(key) != null) svc.boardHits++;
            else { svc.boardMisses++; svc.boards.put(key, new Scoreboard(key, new byte[600 + traffic.nextInt(600)], t)); }
            byte[] buf = svc.pinsetterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pinsetterBuffers.add(buf);
        }
        svc.closeDue(end);
        while (nextCheckpoint <= end) { svc.audit.log(new AuditEvent(seq++, "CHECKPOINT", null, null, nextCheckpoint, new byte[32])); nextCheckpoint += 10 * MINUTE; }
        AuditLogger a = svc.audit;
        long deadline = System.currentTimeMillis() + 60_000;
        while (!(a.queue.isEmpty() && a.written == seq && a.writer.getState() == Thread.State.WAITING)) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("audit writer did not drain: " + a.writer.getState() + " written " + a.written);
            Thread.sleep(20);
        }
        int laneBeans = svc.mbs.queryNames(new ObjectName(DOMAIN + ":type=Lane,*"), null).size();
        int sessionBeans = svc.mbs.queryNames(new ObjectName(DOMAIN + ":type=Session,*"), null).size();
        System.out.println("centers " + CENTERS_BY_CODE.size() + " members " + svc.members.size() + " lane mbeans " + laneBeans + " sessions opened " + svc.sessionsOpened + " closed " + svc.sessionsClosed
                + " open " + svc.openSessions.size() + " session mbeans " + sessionBeans + " audit logged " + a.logged + " written " + a.written + " queued " + a.queue.size() + " failed flushes " + a.failedFlushes
                + " writer " + a.writer.getState() + " frames " + svc.frameCount + " boards " + svc.boards.size() + " (hits " + svc.boardHits + ", misses " + svc.boardMisses + ", evicted " + svc.boards.evicted + ") pool " + svc.pinsetterBuffers.size());
        check(CENTERS_BY_CODE.size() == CENTERS && svc.members.size() == MEMBERS && laneBeans == LANES, "reference data / directory / lanes");
        check(sessionBeans == svc.openSessions.size() && svc.sessionsOpened == svc.sessionsClosed + svc.openSessions.size() && svc.sessionsClosed > 0, "session mbeans follow open sessions");
        check(a.logged == seq && a.written == seq && a.queue.isEmpty() && a.batch.isEmpty() && a.failedFlushes == 1 && a.writer.isAlive(), "audit drained");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "scoreboard cache at cap");
        check(svc.pinsetterBuffers.size() == POOL, "pool");
        check(svc.frameCount == frames && svc.frames[RING - 1] != null, "frame ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
