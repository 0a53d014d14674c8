// hprofscan-dump: name=val69-leak-tutoringrooms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val69-leak-tutoringrooms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 69 (written blind), LEAK: the virtual-classroom service of an online tutoring
 * company. Subject reference data, the tutor directory, a cache of rendered whiteboard snapshots at
 * its cap, a pool of audio mixing buffers, a ring of chat messages, the live client sessions with
 * their idle-expiry queue, and a shared ScheduledExecutorService on which every client session
 * schedules a periodic heartbeat task capturing the session's request context (headers, auth token).
 * When a session ends it is removed from the session map, but its heartbeat task is never cancelled:
 * the executor's queue keeps every task (and its context) of every session since start.
 * See VALIDATION69.md.
 */
public final class Val69LeakTutoringRooms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUBJECTS = 1_000, TUTORS = 20_000, SNAPSHOT_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS = 12_000, HOURS = 10;
    static boolean FIXED;

    record Subject(String code, String title, double[] curriculumWeights) {}
    record Tutor(String tutorId, String name, String subjectCode, byte[] credentials, long joinedAt) {}
    record Snapshot(String key, byte[] rendered, long at) {}
    record ChatMessage(String sessionId, String author, String text, long at) {}

    /** What a request handler knows about the caller; captured by the heartbeat task. */
    static final class RequestContext {
        final String sessionId, tutorId, studentId, remoteAddr;
        final Map<String, String> headers = new HashMap<>();
        final byte[] authToken;
        final long openedAt;
        RequestContext(String sessionId, String tutorId, String studentId, String remoteAddr, byte[] authToken, long openedAt) {
            this.sessionId = sessionId; this.tutorId = tutorId; this.studentId = studentId; this.remoteAddr = remoteAddr; this.authToken = authToken; this.openedAt = openedAt;
        }
    }

    static final class ClientSession {
        final String sessionId;
        final RequestContext ctx;
        final long closesAt;
        volatile boolean open = true;
        volatile long lastBeat, beats;
        ScheduledFuture<?> heartbeat;
        ClientSession(String sessionId, RequestContext ctx, long closesAt) { this.sessionId = sessionId; this.ctx = ctx; this.closesAt = closesAt; }
    }

    /** Periodic keep-alive ping for one client session. Allocates nothing when it runs. */
    static final class HeartbeatTask implements Runnable {
        final ClientSession session;
        final RequestContext ctx;
        HeartbeatTask(ClientSession session, RequestContext ctx) { this.session = session; this.ctx = ctx; }
        @Override public void run() {
            if (!session.open) return; // a closed session's ping does nothing, but the task stays scheduled
            session.lastBeat = ctx.openedAt;
            session.beats++;
        }
    }

    static final class SnapshotCache extends LinkedHashMap<String, Snapshot> {
        long evicted;
        SnapshotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Snapshot> e) { if (size() > SNAPSHOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Subject> SUBJECTS_BY_CODE = new HashMap<>();

    static final class RoomService {
        final Map<String, Tutor> tutors = new HashMap<>();
        final Map<String, ClientSession> sessions = new HashMap<>();
        final PriorityQueue<ClientSession> expiry = new PriorityQueue<>(Comparator.comparingLong((ClientSession s) -> s.closesAt));
        final SnapshotCache snapshots = new SnapshotCache();
        final ArrayDeque<short[]> audioBuffers = new ArrayDeque<>();
        final ChatMessage[] chat = new ChatMessage[RING];
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        long messages, opened, closed;

        RoomService() { if (FIXED) scheduler.setRemoveOnCancelPolicy(true); }

        void open(ClientSession s) {
            sessions.put(s.sessionId, s);
            expiry.add(s);
            s.heartbeat = scheduler.scheduleAtFixedRate(new HeartbeatTask(s, s.ctx), 15, 15, TimeUnit.SECONDS);
            opened++;
        }

        void closeExpired(long t) {
            while (!expiry.isEmpty() && expiry.peek().closesAt <= t) {
                ClientSession s = expiry.poll();
                s.open = false;
                sessions.remove(s.sessionId);
                if (FIXED) s.heartbeat.cancel(false);
                // BUG: the heartbeat is not cancelled; the executor keeps the task and its context
                closed++;
            }
        }
    }

    static RoomService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val69.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(69_020_001);
        String[] subjectCodes = new String[SUBJECTS];
        for (int s = 0; s < SUBJECTS; s++) {
            double[] w = new double[72];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble();
            subjectCodes[s] = "SUBJ-" + (s / 50) + "-" + (s % 50);
            SUBJECTS_BY_CODE.put(subjectCodes[s], new Subject(subjectCodes[s], "Course " + s, w));
        }
        RoomService svc = new RoomService();
        SERVICE = svc;
        String[] tutorIds = new String[TUTORS];
        for (int t = 0; t < TUTORS; t++) {
            tutorIds[t] = "TUT" + (600_000 + t);
            svc.tutors.put(tutorIds[t], new Tutor(tutorIds[t], "Tutor " + t, subjectCodes[rnd.nextInt(SUBJECTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new short[16_384]);
        Random traffic = new Random(69_020_002);
        String[] agents = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_4)", "Mozilla/5.0 (iPad; CPU OS 16_5 like Mac OS X)", "Mozilla/5.0 (X11; Linux x86_64)"};
        for (int i = 0; i < SESSIONS; i++) {
            long t = start + (end - MINUTE - start) * i / SESSIONS;
            svc.closeExpired(t);
            String sid = "room-" + Long.toHexString(0x5e55_0000_0000L + i);
            RequestContext ctx = new RequestContext(sid, tutorIds[traffic.nextInt(TUTORS)], "STU" + (2_000_000 + traffic.nextInt(90_000)), "10." + traffic.nextInt(256) + "." + traffic.nextInt(256) + "." + traffic.nextInt(256), new byte[200 + traffic.nextInt(200)], t);
            ctx.headers.put("User-Agent", agents[traffic.nextInt(agents.length)]);
            ctx.headers.put("Accept-Language", traffic.nextBoolean() ? "en-GB" : "en-US");
            ctx.headers.put("X-Request-Id", Long.toHexString(traffic.nextLong()));
            ctx.headers.put("X-Client-Version", "7." + traffic.nextInt(20) + "." + traffic.nextInt(10));
            ctx.headers.put("X-Forwarded-For", ctx.remoteAddr);
            ctx.headers.put("Cookie", "tz=" + traffic.nextInt(24) + "; lang=" + ctx.headers.get("Accept-Language"));
            svc.open(new ClientSession(sid, ctx, t + (20 + traffic.nextInt(41)) * MINUTE));
            for (int m = 0; m < 3; m++) {
                svc.chat[(int) (svc.messages++ % RING)] = new ChatMessage(sid, m % 2 == 0 ? ctx.tutorId : ctx.studentId, "message " + traffic.nextInt(1_000_000), t + m * 1_000L);
            }
            String key = "wb-" + traffic.nextInt(4_000);
            if (svc.snapshots.get(key) == null) svc.snapshots.put(key, new Snapshot(key, new byte[600 + traffic.nextInt(600)], t));
            short[] buf = svc.audioBuffers.poll();
            buf[i % buf.length] = (short) i;
            svc.audioBuffers.add(buf);
        }
        svc.closeExpired(end);
        int queued = svc.scheduler.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "subjects " + SUBJECTS_BY_CODE.size() + " tutors " + svc.tutors.size() + " sessions open " + svc.sessions.size() + " (opened " + svc.opened + ", closed " + svc.closed
                + ") heartbeat tasks queued " + queued + " chat " + svc.messages + " snapshots " + svc.snapshots.size() + " (evicted " + svc.snapshots.evicted + ") pool " + svc.audioBuffers.size());
        check(SUBJECTS_BY_CODE.size() == SUBJECTS && svc.tutors.size() == TUTORS, "reference data / directory");
        check(svc.opened == SESSIONS && svc.sessions.size() == svc.expiry.size() && svc.sessions.size() + svc.closed == SESSIONS, "sessions");
        if (FIXED) check(queued == svc.sessions.size(), "only live sessions have a heartbeat: " + queued);
        else check(queued == SESSIONS, "every heartbeat still scheduled: " + queued);
        check(svc.messages == 3L * SESSIONS && svc.chat[RING - 1] != null, "chat ring");
        check(svc.snapshots.size() == SNAPSHOT_CAP && svc.snapshots.evicted > 0, "snapshot cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
