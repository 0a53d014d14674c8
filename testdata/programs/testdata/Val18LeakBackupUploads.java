// hprofscan-dump: name=val18-leak-backupuploads jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val18-leak-backupuploads-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 18 (written blind), LEAK: the upload front end of a cloud backup service.
 * Every backup upload session gets a stall watchdog, a {@code StallWatchdog} inner class
 * scheduled with {@code scheduleWithFixedDelay} on the service's scheduler, that would abort the
 * session if no chunk arrived for 10 minutes. The bug: only {@code abort()} cancels the watchdog;
 * {@code complete()} removes the session from the active map but forgets its watchdog, so every
 * completed upload's task stays in the scheduler's work queue forever, keeping the session with
 * its chunk digests and manifest. Legitimate beside it, bigger: the chunk dedup index and the
 * account directory (loaded at startup), the retention policies, the active sessions, the upload
 * history ring (full, wrapping), the chunk buffer pool, five fixed periodic tasks of the service on
 * the same scheduler and a fixed I/O pool. See testdata/VALIDATION18.md.
 */
public final class Val18LeakBackupUploads {
    static final int KNOWN_CHUNKS = 80_000;
    static final int ACCOUNTS = 20_000;
    static final int POLICIES = 300;
    static final int UPLOADS_PER_HOUR = 300;
    static final long SIM_HOURS = 10;
    static final int HISTORY_SLOTS = 2_048;
    static final int BUFFERS = 32;
    static final int IO_THREADS = 6;
    static final int FIXED_TASKS = 5;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static UploadService UPLOADS;

    static final class ChunkRef { final String sha256; final long storedAt; final int size; final String bucket; int refCount;
        ChunkRef(String sha256, long storedAt, int size, String bucket) { this.sha256 = sha256; this.storedAt = storedAt; this.size = size; this.bucket = bucket; } }

    static final class Account { final String id; final String email; final String plan; final long quotaBytes; long usedBytes; final String policyId;
        Account(String id, String email, String plan, long quotaBytes, String policyId) { this.id = id; this.email = email; this.plan = plan; this.quotaBytes = quotaBytes; this.policyId = policyId; } }

    static final class RetentionPolicy { final String id; final String description; final int[] keepDays;
        RetentionPolicy(String id, String description, int[] keepDays) { this.id = id; this.description = description; this.keepDays = keepDays; } }

    /** Reference data: retention policies, loaded at startup. */
    static final class RetentionPolicies {
        static final Map<String, RetentionPolicy> BY_ID = new HashMap<>();
    }

    static final class UploadSession {
        final long uploadId; final String accountId; final String device; final long startedAt; final String manifest;
        final List<byte[]> chunkDigests = new ArrayList<>(); long lastChunkAt; long bytes; boolean done;
        ScheduledFuture<?> watchdog;
        UploadSession(long uploadId, String accountId, String device, long startedAt, String manifest) { this.uploadId = uploadId; this.accountId = accountId; this.device = device; this.startedAt = startedAt; this.manifest = manifest; this.lastChunkAt = startedAt; } }

    static final class UploadRecord { long uploadId; String accountId; long bytes; int chunks; long finishedAt; boolean aborted; }

    static final class UploadService {
        final Map<String, ChunkRef> dedupIndex = new HashMap<>();
        final Map<String, Account> accounts = new HashMap<>();
        final Map<Long, UploadSession> active = new ConcurrentHashMap<>();
        final UploadRecord[] history = new UploadRecord[HISTORY_SLOTS];
        long historyWritten;
        final ArrayBlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(BUFFERS);
        final ScheduledThreadPoolExecutor scheduler;
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "backup-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        long completed, aborted, watchdogsCancelled;

        UploadService(boolean fixed) {
            this.fixed = fixed;
            AtomicInteger seq = new AtomicInteger();
            scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "backup-sched-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
            scheduler.setRemoveOnCancelPolicy(true);
        }

        /** Aborts a session that received no chunk for 10 minutes. */
        final class StallWatchdog implements Runnable {
            final UploadSession session;
            StallWatchdog(UploadSession session) { this.session = session; }
            @Override public void run() {
                if (!session.done && System.currentTimeMillis() - session.lastChunkAt > 10 * MINUTE) abort(session, System.currentTimeMillis());
            }
        }

        void begin(UploadSession s) {
            active.put(s.uploadId, s);
            s.watchdog = scheduler.scheduleWithFixedDelay(new StallWatchdog(s), 10, 10, TimeUnit.MINUTES);
        }

        void chunk(UploadSession s, byte[] digest, int size, long t) {
            byte[] buf = buffers.poll();
            try {
                String hex = toHex(digest);
                ChunkRef ref = dedupIndex.get(hex);
                if (ref != null) ref.refCount++;
                s.chunkDigests.add(digest);
                s.bytes += size;
                s.lastChunkAt = t;
            } finally {
                if (buf != null) buffers.add(buf);
            }
        }

        void complete(UploadSession s, long t) {
            s.done = true;
            active.remove(s.uploadId);
            // BUG: the watchdog is only cancelled in abort(); the fixed run cancels it here too.
            if (fixed) { s.watchdog.cancel(false); watchdogsCancelled++; }
            accounts.get(s.accountId).usedBytes += s.bytes;
            record(s, t, false);
            completed++;
        }

        void abort(UploadSession s, long t) {
            s.done = true;
            active.remove(s.uploadId);
            s.watchdog.cancel(false);
            watchdogsCancelled++;
            record(s, t, true);
            aborted++;
        }

        void record(UploadSession s, long t, boolean wasAborted) {
            int slot = (int) (historyWritten++ % HISTORY_SLOTS);
            UploadRecord r = history[slot];
            if (r == null) { r = new UploadRecord(); history[slot] = r; }
            r.uploadId = s.uploadId; r.accountId = s.accountId; r.bytes = s.bytes; r.chunks = s.chunkDigests.size(); r.finishedAt = t; r.aborted = wasAborted;
        }
    }

    static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return sb.toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val18.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(18_030_003);
        UploadService svc = new UploadService(fixed);
        UPLOADS = svc;
        for (int i = 0; i < 35; i++) svc.config.setProperty("backup.region." + i + ".endpoint", "https://store-" + i + ".backup.example.net");
        String[] fixedTasks = {"quota-recompute", "metrics-flush", "token-purge", "dedup-compaction", "health-ping"};
        for (int i = 0; i < FIXED_TASKS; i++) {
            final String name = fixedTasks[i];
            svc.scheduler.scheduleAtFixedRate(() -> svc.config.setProperty("backup.task." + name + ".lastRun", Long.toString(System.currentTimeMillis())), 5 + i, 5, TimeUnit.MINUTES);
        }
        for (int i = 0; i < POLICIES; i++) {
            int[] keep = new int[12];
            for (int k = 0; k < keep.length; k++) keep[k] = 7 + rnd.nextInt(365);
            RetentionPolicies.BY_ID.put("RP-" + i, new RetentionPolicy("RP-" + i, "Keep daily snapshots for " + keep[0] + " days, weekly for " + keep[1] + " days, monthly for " + keep[2] + " days", keep));
        }
        String[] plans = {"personal", "family", "business", "enterprise"};
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "acct-" + (200_000 + i);
            svc.accounts.put(id, new Account(id, "owner" + i + "@mail.example.org", plans[i % 4], (1L << 30) * (50 + rnd.nextInt(2_000)), "RP-" + rnd.nextInt(POLICIES)));
        }
        byte[] d = new byte[32];
        for (int i = 0; i < KNOWN_CHUNKS; i++) {
            rnd.nextBytes(d);
            String hex = toHex(d);
            svc.dedupIndex.put(hex, new ChunkRef(hex, start - (long) (rnd.nextDouble() * 90 * 24 * HOUR), 1 << (16 + rnd.nextInt(5)), "bucket-" + (i % 64)));
        }
        List<String> knownHex = new ArrayList<>(svc.dedupIndex.keySet());
        for (int i = 0; i < BUFFERS; i++) svc.buffers.add(new byte[64 * 1024]);
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Uploads start evenly spread; each sends 20-60 chunks, one every 20-60 seconds; 1 in 20
        // stalls after a few chunks and is aborted (by the operator console, at its stall time).
        int uploads = (int) (UPLOADS_PER_HOUR * SIM_HOURS);
        PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // {time, uploadId, chunksLeft, abortAfter}
        Map<Long, UploadSession> sessions = new HashMap<>();
        String[] devices = {"laptop", "nas", "desktop", "phone", "server"};
        for (int i = 0; i <= uploads; i++) {
            long t = i < uploads ? start + (now - start) * i / uploads : now;
            while (!events.isEmpty() && events.peek()[0] <= t) {
                long[] e = events.poll();
                UploadSession s = sessions.get(e[1]);
                if (e[3] == 0) { sessions.remove(e[1]); svc.abort(s, e[0]); continue; }
                byte[] digest = new byte[32];
                if (rnd.nextInt(3) == 0) {
                    String hex = knownHex.get(rnd.nextInt(KNOWN_CHUNKS));
                    for (int k = 0; k < 32; k++) digest[k] = (byte) Integer.parseInt(hex.substring(2 * k, 2 * k + 2), 16);
                } else {
                    rnd.nextBytes(digest);
                }
                svc.chunk(s, digest, 1 << (16 + rnd.nextInt(5)), e[0]);
                if (e[2] == 1) { sessions.remove(e[1]); svc.complete(s, e[0]); }
                else events.add(new long[] {e[0] + (20 + rnd.nextInt(41)) * 1_000L, e[1], e[2] - 1, e[3] - 1});
            }
            if (i == uploads) break;
            String acct = "acct-" + (200_000 + rnd.nextInt(ACCOUNTS));
            long uploadId = 700_000_000L + i;
            UploadSession s = new UploadSession(uploadId, acct, devices[rnd.nextInt(devices.length)] + "-" + rnd.nextInt(100), t,
                    "{\"upload\":" + uploadId + ",\"account\":\"" + acct + "\",\"snapshot\":\"daily\",\"paths\":[\"/home\",\"/etc\",\"/var/lib/app\"],\"compression\":\"zstd\"}");
            sessions.put(uploadId, s);
            svc.begin(s);
            int chunks = 20 + rnd.nextInt(41);
            long abortAfter = rnd.nextInt(20) == 0 ? 2 + rnd.nextInt(8) : Long.MAX_VALUE; // the abort replaces a chunk event
            events.add(new long[] {t + (20 + rnd.nextInt(41)) * 1_000L, uploadId, chunks, abortAfter});
        }
        int queued = svc.scheduler.getQueue().size();
        int activeNow = svc.active.size();
        int idle = svc.buffers.size();
        System.out.println((fixed ? "FIXED " : "") + "chunks known " + svc.dedupIndex.size() + " accounts " + svc.accounts.size() + " policies " + RetentionPolicies.BY_ID.size() + " uploads " + uploads + " completed " + svc.completed + " aborted " + svc.aborted + " active " + activeNow + " scheduler queue " + queued + " (fixed tasks " + FIXED_TASKS + ", watchdogs cancelled " + svc.watchdogsCancelled + ") history written " + svc.historyWritten + " buffers idle " + idle);
        check(svc.dedupIndex.size() == KNOWN_CHUNKS && svc.accounts.size() == ACCOUNTS && RetentionPolicies.BY_ID.size() == POLICIES, "reference data");
        check(svc.completed + svc.aborted + activeNow == uploads && activeNow == sessions.size() && activeNow > 0 && svc.aborted > 0, "sessions");
        check(queued == FIXED_TASKS + activeNow + (fixed ? 0 : (int) svc.completed), "scheduler queue");
        check(svc.historyWritten == svc.completed + svc.aborted && svc.historyWritten > HISTORY_SLOTS, "history ring");
        check(idle == BUFFERS, "buffer pool");
        check(svc.io.getPoolSize() == IO_THREADS && svc.scheduler.getCompletedTaskCount() == 0, "pools");
        events = null;
        sessions = null;
        knownHex = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
