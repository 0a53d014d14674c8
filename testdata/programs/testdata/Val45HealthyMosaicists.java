// hprofscan-dump: name=val45-healthy-mosaicists jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val45-healthy-mosaicists-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 45 (written blind), HEALTHY: the commission studio of a mosaic workshop
 * (mosaicists). Tessera-colour reference data, the commission directory, a cache of rendered
 * mock-ups at its cap, a pool of cutting-plan buffers, a ring of client visits, the client-portal
 * session store with an "online users" index (user id -> sessions) that is pruned both on logout
 * and on expiry, and 2 worker threads (studio-worker-1..2) that collect each job's audit records
 * in a per-thread list (a static ThreadLocal) truncated in a finally block, so a rejected job
 * leaves nothing behind; the workers also have a 16 KiB scratch buffer each. See VALIDATION45.md.
 */
public final class Val45HealthyMosaicists {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int TESSERAE = 1_600, COMMISSIONS = 20_000, RENDER_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 2, HOURS = 10, TICKS = 60_000, BATCH = 1_000;
    static final String[] DEVICES = {"web-desktop", "web-mobile", "ios-app", "android-app"};
    static final String[] ACTIONS = {"RECEIVED", "TESSERAE_RESERVED", "CUT_PLANNED", "APPROVED"};

    record TesseraColour(String code, String glaze, double[] reflectance) {}
    record Commission(String number, String client, byte[] brief, long orderedAt) {}
    record MockUp(String key, byte[] rendered, long at) {}
    record ClientVisit(String userId, String path, long at) {}
    record IndexEntry(String sessionId, String device, long loginAt, byte[] pushToken) {}
    record AuditRecord(String jobId, String action, long at, byte[] details) {}
    record Job(String jobId, int stripe, int steps, int failAt, int detailBase, long at) {}

    static final class Session {
        final String sessionId, userId; final long loginAt; long lastSeen; final byte[] attributes;
        Session(String sessionId, String userId, long loginAt, byte[] attributes) { this.sessionId = sessionId; this.userId = userId; this.loginAt = loginAt; this.lastSeen = loginAt; this.attributes = attributes; }
    }

    static final class OnlineIndex {
        final Map<String, List<IndexEntry>> byUser = new HashMap<>();
        void add(String userId, IndexEntry e) {
            List<IndexEntry> l = byUser.get(userId);
            if (l == null) { l = new ArrayList<>(2); byUser.put(userId, l); }
            l.add(e);
        }
        void remove(String userId, String sessionId) {
            List<IndexEntry> l = byUser.get(userId);
            if (l == null) return;
            for (Iterator<IndexEntry> it = l.iterator(); it.hasNext(); ) if (it.next().sessionId().equals(sessionId)) { it.remove(); break; }
            if (l.isEmpty()) byUser.remove(userId);
        }
        int entries() { int n = 0; for (List<IndexEntry> l : byUser.values()) n += l.size(); return n; }
    }

    record Activity(long at, long seq, Session session, boolean logout) implements Comparable<Activity> {
        public int compareTo(Activity o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static final class JobRejectedException extends Exception { JobRejectedException(String m) { super(m); } }
    static final class PendingAudit extends ThreadLocal<List<AuditRecord>> {
        @Override protected List<AuditRecord> initialValue() { return new ArrayList<>(); }
    }
    static final class Scratch extends ThreadLocal<byte[]> {
        @Override protected byte[] initialValue() { return new byte[16_384]; }
    }
    static final PendingAudit PENDING = new PendingAudit();
    static final Scratch SCRATCH = new Scratch();

    static final class AuditSink {
        final AtomicLong shipped = new AtomicLong(), committed = new AtomicLong(), rejected = new AtomicLong();
    }
    static final AuditSink SINK = new AuditSink();

    static final class JobTask implements Runnable {
        final Job job;
        JobTask(Job job) { this.job = job; }
        public void run() {
            List<AuditRecord> audit = PENDING.get();
            int mark = audit.size();
            byte[] scratch = SCRATCH.get();
            try {
                for (int k = 0; k < job.steps(); k++) {
                    audit.add(new AuditRecord(job.jobId(), ACTIONS[k], job.at() + k * 1_000L, new byte[job.detailBase() + (k * 11) % 32]));
                    scratch[(k * 613) % scratch.length]++;
                    if (k == job.failAt()) throw new JobRejectedException("job " + job.jobId() + " rejected at " + ACTIONS[k]);
                }
                SINK.shipped.addAndGet(audit.size() - mark);
                SINK.committed.incrementAndGet();
            } catch (JobRejectedException e) {
                SINK.rejected.incrementAndGet();
            } finally {
                audit.subList(mark, audit.size()).clear(); // whatever happened, this job's records go
            }
        }
    }

    static final class Probe implements Callable<Integer> {
        public Integer call() { return PENDING.get().size(); }
    }

    static final class StudioThreads implements ThreadFactory {
        final int stripe;
        StudioThreads(int stripe) { this.stripe = stripe; }
        public Thread newThread(Runnable r) { return new Thread(r, "studio-worker-" + (stripe + 1)); }
    }

    static final class RenderCache extends LinkedHashMap<String, MockUp> {
        long evicted;
        RenderCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MockUp> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TesseraColour> TESSERAE_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, Commission> commissions = new HashMap<>();
        final RenderCache renders = new RenderCache();
        final ArrayDeque<byte[]> planBuffers = new ArrayDeque<>();
        final ClientVisit[] visits = new ClientVisit[RING];
        long visitsWritten;
        final Map<String, Session> sessions = new HashMap<>();
        final OnlineIndex online = new OnlineIndex();
        long sessionsCreated, loggedOut, expired;
        final ExecutorService[] workers = new ExecutorService[WORKERS];
        long submitted, expectedRejected;
        StudioService() { for (int w = 0; w < WORKERS; w++) workers[w] = Executors.newSingleThreadExecutor(new StudioThreads(w)); }

        void logout(Session s) { sessions.remove(s.sessionId); loggedOut++; online.remove(s.userId, s.sessionId); }
        void sweep(long now) {
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                Session s = it.next();
                if (s.lastSeen + IDLE_TIMEOUT <= now) { it.remove(); expired++; online.remove(s.userId, s.sessionId); }
            }
        }
        void activity(Activity a) {
            a.session().lastSeen = a.at();
            visits[(int) (visitsWritten++ % RING)] = new ClientVisit(a.session().userId, "/commissions/status", a.at());
            if (a.logout()) logout(a.session());
        }
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(long now) throws Exception {
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(45_060_001);
        String[] glazes = {"smalti", "vitreous", "marble", "gold-leaf", "ceramic", "stone"};
        for (int c = 0; c < TESSERAE; c++) {
            double[] refl = new double[48];
            for (int k = 0; k < refl.length; k++) refl[k] = rnd.nextDouble();
            String code = "TC-" + (8_000 + c);
            TESSERAE_BY_CODE.put(code, new TesseraColour(code, glazes[c % glazes.length], refl));
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        String[] clients = new String[6_000];
        for (int u = 0; u < clients.length; u++) clients[u] = "CL" + (600_000 + u * 11);
        for (int m = 0; m < COMMISSIONS; m++) {
            String number = "MC-" + (2_000_000 + m);
            svc.commissions.put(number, new Commission(number, clients[rnd.nextInt(clients.length)], new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.planBuffers.add(new byte[32_768]);
        Random traffic = new Random(45_060_002);
        PriorityQueue<Activity> pending = new PriorityQueue<>();
        long seq = 0, nextSweep = start + MINUTE;
        List<Future<?>> batch = new ArrayList<>(BATCH);
        int jobNo = 0;
        for (int i = 0; i < TICKS; i++) {
            long t = start + (end - MINUTE - start) * i / TICKS;
            while (true) {
                long nextActivity = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
                if (nextActivity <= t && nextActivity < nextSweep) svc.activity(pending.poll());
                else if (nextSweep <= t) { svc.sweep(nextSweep); nextSweep += MINUTE; }
                else break;
            }
            String key = "mockup-" + traffic.nextInt(3_500);
            if (svc.renders.get(key) == null) svc.renders.put(key, new MockUp(key, new byte[800 + traffic.nextInt(800)], t));
            if (i % 3 == 0) { // a client logs in to the portal
                String user = clients[traffic.nextInt(clients.length)];
                String sessionId = Long.toHexString(0x4d05_0000_0000L + i * 104_729L) + "-" + Integer.toHexString(traffic.nextInt(1 << 20));
                Session s = new Session(sessionId, user, t, new byte[100 + traffic.nextInt(100)]);
                svc.sessions.put(sessionId, s);
                svc.sessionsCreated++;
                svc.online.add(user, new IndexEntry(sessionId, DEVICES[traffic.nextInt(DEVICES.length)], t, new byte[32 + traffic.nextInt(32)]));
                svc.visits[(int) (svc.visitsWritten++ % RING)] = new ClientVisit(user, "/gallery", t);
                pending.add(new Activity(t + (2 + traffic.nextInt(24)) * MINUTE + traffic.nextInt(60) * 1_000L, seq++, s, traffic.nextInt(4) == 0));
            }
            if (i % 2 == 0) { // a studio job (cut plan, tesserae reservation, approval)
                int steps = 2 + traffic.nextInt(3);
                int failAt = traffic.nextInt(100) < 8 ? traffic.nextInt(steps - 1) : -1;
                Job job = new Job("JOB-" + (40_000 + jobNo++), jobNo % WORKERS, steps, failAt, 96 + traffic.nextInt(128), t);
                if (failAt >= 0) svc.expectedRejected++;
                batch.add(svc.workers[job.stripe()].submit(new JobTask(job)));
                svc.submitted++;
                byte[] buf = svc.planBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.planBuffers.add(buf);
                if (batch.size() == BATCH) { for (Future<?> f : batch) f.get(); batch.clear(); }
            }
        }
        for (Future<?> f : batch) f.get();
        while (true) {
            long nextActivity = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
            if (nextActivity < end && nextActivity < nextSweep) svc.activity(pending.poll());
            else if (nextSweep <= end) { svc.sweep(nextSweep); nextSweep += MINUTE; }
            else break;
        }
    }

    public static void main(String[] args) throws Exception {
        run(System.currentTimeMillis());
        StudioService svc = SERVICE;
        int[] pending = new int[WORKERS];
        for (int w = 0; w < WORKERS; w++) pending[w] = svc.workers[w].submit(new Probe()).get();
        int entries = svc.online.entries();
        System.out.println("tesserae " + TESSERAE_BY_CODE.size() + " commissions " + svc.commissions.size() + " sessions created " + svc.sessionsCreated + " live " + svc.sessions.size() + " logged out " + svc.loggedOut + " expired " + svc.expired
                + " online users " + svc.online.byUser.size() + " index entries " + entries + " jobs " + svc.submitted + " committed " + SINK.committed.get() + " rejected " + SINK.rejected.get() + " pending audit " + java.util.Arrays.toString(pending)
                + " renders " + svc.renders.size() + " (evicted " + svc.renders.evicted + ") pool " + svc.planBuffers.size() + " visits " + svc.visitsWritten);
        check(TESSERAE_BY_CODE.size() == TESSERAE && svc.commissions.size() == COMMISSIONS, "reference data / directory");
        check(svc.sessionsCreated == TICKS / 3 && svc.sessionsCreated == svc.sessions.size() + svc.loggedOut + svc.expired && entries == svc.sessions.size(), "online index holds live sessions only");
        check(svc.submitted == TICKS / 2 && SINK.rejected.get() == svc.expectedRejected && SINK.committed.get() + SINK.rejected.get() == svc.submitted && pending[0] == 0 && pending[1] == 0, "worker audit lists empty");
        check(svc.renders.size() == RENDER_CAP && svc.renders.evicted > 0, "render cache at cap");
        check(svc.planBuffers.size() == POOL, "pool");
        check(svc.visitsWritten > RING && svc.visits[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
