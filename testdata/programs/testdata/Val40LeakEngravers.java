// hprofscan-dump: name=val40-leak-engravers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val40-leak-engravers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 40 (written blind), LEAK: the job service of a trophy-and-engraving shop (laser and
 * rotary engraving of trophies, plaques and glassware for clubs and schools). Font reference data,
 * the account directory, an LRU of rendered proofs at its cap, a pool of laser path buffers, a ring
 * of finished jobs. Jobs are executed by a fixed pool of 4 worker threads ("engraving-worker-1..4")
 * fed by the pool's queue: a start task renders the toolpath and puts the job into the board of jobs
 * in progress, a finish task takes it out. The board is a ConcurrentSkipListSet ordered by due time
 * whose comparator never returns 0 ("so that two jobs due in the same hour are both kept"), so
 * remove() never finds anything: every finished job stays on the board with its toolpath. See
 * VALIDATION40.md.
 */
public final class Val40LeakEngravers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FONTS = 1_000, ACCOUNTS = 25_000, PROOF_CAP = 2_000, POOL = 8, RING = 8_192, WORKERS = 4, HOURS = 10;
    static boolean FIXED;

    record Font(String code, String name, double[] glyphWidths) {}
    record Account(String id, String name, byte[] engravingNotes, long since) {}
    record Proof(String key, byte[] rendered, long at) {}
    record FinishedJob(String jobId, String accountId, int strokes, long finishedAt) {}

    /** One engraving job. */
    static final class EngravingJob {
        final long seq;
        final String jobId, accountId, inscription;
        final long submittedAt, startedAt, dueAt, finishAt;
        final int toolpathBytes;
        byte[] toolpath;
        int strokes;
        long finishedAt;
        volatile boolean started;
        EngravingJob(long seq, String jobId, String accountId, String inscription, long submittedAt, long startedAt, long dueAt, long finishAt, int toolpathBytes) {
            this.seq = seq; this.jobId = jobId; this.accountId = accountId; this.inscription = inscription;
            this.submittedAt = submittedAt; this.startedAt = startedAt; this.dueAt = dueAt; this.finishAt = finishAt; this.toolpathBytes = toolpathBytes;
        }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    /** The jobs on the engraving machines, earliest due first (the shop floor screen shows the head). */
    static final class JobBoard {
        final ConcurrentSkipListSet<EngravingJob> inFlight;
        final AtomicLong started = new AtomicLong(), finished = new AtomicLong(), removeMisses = new AtomicLong();
        JobBoard(boolean fixed) {
            Comparator<EngravingJob> byDue = fixed
                    ? Comparator.comparingLong((EngravingJob j) -> j.dueAt).thenComparingLong(j -> j.seq)
                    : (a, b) -> a.dueAt < b.dueAt ? -1 : 1; // BUG: never 0 ("keep both jobs due the same hour"), so remove() never matches
            inFlight = new ConcurrentSkipListSet<>(byDue);
        }
    }

    static final Map<String, Font> FONTS_BY_CODE = new HashMap<>();

    static final class EngravingService {
        final Map<String, Account> accounts = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final BlockingQueue<byte[]> laserBuffers = new ArrayBlockingQueue<>(POOL);
        final FinishedJob[] finishedJobs = new FinishedJob[RING];
        long finishedWritten;
        final JobBoard board;
        final ThreadPoolExecutor workers;
        final List<Thread> workerThreads = new ArrayList<>();
        EngravingService(boolean fixed) {
            board = new JobBoard(fixed);
            AtomicInteger n = new AtomicInteger();
            workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "engraving-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                synchronized (workerThreads) { workerThreads.add(t); }
                return t;
            });
            workers.prestartAllCoreThreads();
        }

        synchronized void recordFinished(FinishedJob f) { finishedJobs[(int) (finishedWritten++ % RING)] = f; }

        /** Worker task: render the toolpath with a pooled laser buffer and put the job on the board. */
        void start(EngravingJob job) {
            byte[] buf;
            try { buf = laserBuffers.take(); } catch (InterruptedException e) { throw new IllegalStateException(e); }
            try {
                byte[] path = new byte[job.toolpathBytes];
                int strokes = 0;
                for (int i = 0; i < path.length; i++) {
                    buf[(int) ((job.seq * 31 + i) % buf.length)] = (byte) (job.inscription.charAt(i % job.inscription.length()) + i);
                    path[i] = buf[(int) ((job.seq * 31 + i) % buf.length)];
                    if ((path[i] & 7) == 0) strokes++;
                }
                job.toolpath = path;
                job.strokes = strokes;
            } finally {
                laserBuffers.add(buf);
            }
            board.inFlight.add(job);
            board.started.incrementAndGet();
            job.started = true;
        }

        /** Worker task: the machine reported the job done. */
        void finish(EngravingJob job) {
            job.finishedAt = job.finishAt;
            if (!board.inFlight.remove(job)) board.removeMisses.incrementAndGet(); // the false is ignored by the real code; counted here
            recordFinished(new FinishedJob(job.jobId, job.accountId, job.strokes, job.finishedAt));
            board.finished.incrementAndGet();
        }
    }

    static EngravingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val40.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(40_010_001);
        String[] fontCodes = new String[FONTS];
        for (int f = 0; f < FONTS; f++) {
            double[] w = new double[64];
            for (int k = 0; k < w.length; k++) w[k] = 0.3 + rnd.nextDouble() * 0.7;
            fontCodes[f] = "FNT-" + (2_000 + f);
            FONTS_BY_CODE.put(fontCodes[f], new Font(fontCodes[f], "Font " + f, w));
        }
        EngravingService svc = new EngravingService(FIXED);
        SERVICE = svc;
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "ACC-" + (300_000 + a * 7);
            svc.accounts.put(accountIds[a], new Account(accountIds[a], "Club " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.laserBuffers.add(new byte[32_768]);

        Random traffic = new Random(40_010_002);
        PriorityQueue<EngravingJob> running = new PriorityQueue<>(Comparator.comparingLong((EngravingJob j) -> j.finishAt).thenComparingLong(j -> j.seq));
        long seq = 0, submitted = 0, finishedSubmitted = 0, tasks = 0;
        AtomicLong tasksDone = new AtomicLong();
        for (long minute = start; minute < end; minute += MINUTE) {
            // machines report finished jobs
            while (!running.isEmpty() && running.peek().finishAt <= minute) {
                EngravingJob j = running.poll();
                while (!j.started) Thread.onSpinWait(); // its start task ran long ago; never spins in practice
                svc.workers.execute(() -> { svc.finish(j); tasksDone.incrementAndGet(); });
                finishedSubmitted++;
                tasks++;
            }
            int arrivals = 15 + traffic.nextInt(14);
            for (int k = 0; k < arrivals; k++) {
                long s = seq++;
                String account = accountIds[traffic.nextInt(ACCOUNTS)];
                String proofKey = account + "/proof-" + traffic.nextInt(8);
                if (svc.proofs.get(proofKey) == null) svc.proofs.put(proofKey, new Proof(proofKey, new byte[400 + traffic.nextInt(400)], minute));
                long submittedAt = minute + traffic.nextInt(30_000);
                long startedAt = submittedAt + traffic.nextInt(30_000);
                long dueAt = (submittedAt - submittedAt % HOUR) + (long) (2 + traffic.nextInt(46)) * HOUR;
                long finishAt = startedAt + (10 + traffic.nextInt(31)) * MINUTE;
                String inscription = "Awarded to " + fontCodes[traffic.nextInt(FONTS)] + " winner " + (1 + traffic.nextInt(40)) + " season " + (2_000 + traffic.nextInt(27));
                EngravingJob job = new EngravingJob(s, "ENG-" + (700_000 + s), account, inscription, submittedAt, startedAt, dueAt, finishAt, 120 + traffic.nextInt(160));
                svc.workers.execute(() -> { svc.start(job); tasksDone.incrementAndGet(); });
                running.add(job);
                submitted++;
                tasks++;
            }
        }
        long inProgress = running.size();
        running.clear();
        running = null;
        while (tasksDone.get() < tasks) Thread.sleep(5);
        for (Thread t : svc.workerThreads) while (t.getState() != Thread.State.WAITING) Thread.sleep(5);

        JobBoard board = svc.board;
        int onBoard = board.inFlight.size();
        StringBuilder threads = new StringBuilder();
        for (Thread t : svc.workerThreads) threads.append(' ').append(t.getName()).append('=').append(t.getState());
        System.out.println((FIXED ? "FIXED " : "") + "fonts " + FONTS_BY_CODE.size() + " accounts " + svc.accounts.size() + " jobs " + submitted + " finished " + board.finished.get()
                + " in-progress " + inProgress + " on-board " + onBoard + " remove-misses " + board.removeMisses.get() + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ")"
                + " pool " + svc.laserBuffers.size() + " ring-written " + svc.finishedWritten + " workers" + threads);
        check(FONTS_BY_CODE.size() == FONTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(submitted == EXPECTED_JOBS && board.started.get() == EXPECTED_JOBS && board.finished.get() == EXPECTED_FINISHED && finishedSubmitted == EXPECTED_FINISHED && inProgress == EXPECTED_IN_PROGRESS, "jobs");
        check(onBoard == (FIXED ? EXPECTED_IN_PROGRESS : EXPECTED_FINISHED + EXPECTED_IN_PROGRESS), "jobs on the board: " + onBoard);
        check(board.removeMisses.get() == (FIXED ? 0 : EXPECTED_FINISHED), "remove misses");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.laserBuffers.size() == POOL, "pool");
        check(svc.finishedWritten == EXPECTED_FINISHED && svc.finishedJobs[RING - 1] != null, "ring full");
        check(svc.workerThreads.size() == WORKERS && svc.workers.getQueue().isEmpty() && svc.workers.getActiveCount() == 0, "pool idle");
        for (Thread t : svc.workerThreads) check(t.isAlive() && t.getState() == Thread.State.WAITING, "worker " + t.getName() + " alive and idle");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_JOBS = 13_025, EXPECTED_FINISHED = 12_451, EXPECTED_IN_PROGRESS = 574;
}
