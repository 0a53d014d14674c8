// hprofscan-dump: name=val96-healthy-lockkeepers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val96-healthy-lockkeepers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val96-healthy-lockkeepers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val96-healthy-lockkeepers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 96 (written blind), HEALTHY: the passage service of a canal authority's lock
 * keepers. Lock reference data, the boat-licence directory, a cache of rendered passage plans at
 * its cap, a pool of gate-telemetry buffers, an SMS notifier whose failed sends are retried on a
 * ScheduledThreadPoolExecutor with backoff and given up after 5 attempts (checked against the right
 * field), per-account "recent route searches" capped at 20 (trimmed before the batch is added), and
 * a staging area for lock-inspection photo uploads whose abandoned uploads expire after an hour
 * idle. Warms up, then plateaus. See VALIDATION96.md.
 *
 * Time is simulated: when a retry's (virtual) due time comes, the simulation takes its task out of
 * the executor's queue and runs it, as the worker would (checked: the executor completed no task).
 */
public final class Val96HealthyLockKeepers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_EXPIRY = HOUR;
    static final int LOCKS = 1_400, BOATS = 24_000, ACCOUNTS = 1_500, PLAN_CAP = 2_000, POOL = 8, PASSAGES_PER_HOUR = 6_000, RECENT_CAP = 20, DEAD_NUMBERS = 700, UPLOADS_PER_HOUR = 120, CHUNK = 16_384;

    record Lock(String code, String canal, double[] levelProfile) {}
    record Boat(String licence, String name, String phone, byte[] survey, long licensedAt) {}
    record PassagePlan(String key, byte[] rendered, long at) {}

    static final class Sms {
        final long id; final String phone; final byte[] body; final long createdAt; int attempts;
        Sms(long id, String phone, byte[] body, long createdAt) { this.id = id; this.phone = phone; this.body = body; this.createdAt = createdAt; }
    }

    static final class RetryPolicy { final int maxAttempts = 5; final int giveUpAfterMinutes = 60; final long baseDelayMs = MINUTE, maxDelayMs = 15 * MINUTE; }

    static final class RetrySend implements Runnable {
        final SmsNotifier notifier; final Sms sms; final long dueAt;
        RetrySend(SmsNotifier notifier, Sms sms, long dueAt) { this.notifier = notifier; this.sms = sms; this.dueAt = dueAt; }
        @Override public void run() { notifier.realRuns++; notifier.send(sms, dueAt); }
    }

    /** Test harness only: the simulation's agenda of scheduled retries (dropped before the dump). */
    static final class Timeline {
        record Due(long at, long seq, RetrySend task, ScheduledFuture<?> future) {}
        final PriorityQueue<Due> agenda = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        long seq;
        void runDue(ScheduledThreadPoolExecutor ex, long upTo) {
            while (!agenda.isEmpty() && agenda.peek().at <= upTo) {
                Due d = agenda.poll();
                if (!ex.remove((Runnable) d.future)) throw new IllegalStateException("retry task not queued");
                d.task.notifier.send(d.task.sms, d.at);
            }
        }
    }

    static final class SmsNotifier {
        final ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sms-retry-1");
            t.setDaemon(true);
            return t;
        });
        final RetryPolicy policy = new RetryPolicy();
        final Set<String> deadNumbers = new HashSet<>();
        long sent, failedAttempts, retriesScheduled, gaveUp, realRuns;
        Timeline timeline;

        void send(Sms s, long at) {
            s.attempts++;
            if (!deadNumbers.contains(s.phone) && roll(s.id, s.attempts) >= (s.attempts == 1 ? 5 : 30)) { sent++; return; }
            failedAttempts++;
            if (s.attempts >= policy.maxAttempts) { gaveUp++; return; }
            long delay = Math.min(policy.baseDelayMs << (s.attempts - 1), policy.maxDelayMs);
            RetrySend task = new RetrySend(this, s, at + delay);
            ScheduledFuture<?> f = retries.schedule(task, delay, TimeUnit.MILLISECONDS);
            retriesScheduled++;
            if (timeline != null) timeline.agenda.add(new Timeline.Due(task.dueAt, timeline.seq++, task, f));
        }
    }

    static int roll(long id, int n) {
        long h = id * 0x9E3779B97F4A7C15L + n * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31; h *= 0xBF58476D1CE4E5B9L; h ^= h >>> 27;
        return (int) Math.floorMod(h, 100L);
    }

    static final class Account {
        final String accountId; final String boatLicence;
        final LinkedList<String> recentRoutes = new LinkedList<>();
        long searches;
        Account(String accountId, String boatLicence) { this.accountId = accountId; this.boatLicence = boatLicence; }
        void remember(List<String> batch) {
            while (!recentRoutes.isEmpty() && recentRoutes.size() + batch.size() > RECENT_CAP) recentRoutes.removeFirst();
            recentRoutes.addAll(batch);
            searches++;
        }
    }

    static final class PhotoUpload {
        final String uploadId, lockCode; final int expectedChunks; int received; long lastChunkAt;
        PhotoUpload(String uploadId, String lockCode, int expectedChunks, long at) { this.uploadId = uploadId; this.lockCode = lockCode; this.expectedChunks = expectedChunks; this.lastChunkAt = at; }
    }

    static final class PhotoStaging {
        final Map<String, byte[]> chunks = new HashMap<>();
        final Map<String, PhotoUpload> uploads = new HashMap<>();
        long completed, expired;
        void put(PhotoUpload u, int chunkNo, byte[] data, long at) {
            uploads.putIfAbsent(u.uploadId, u);
            chunks.put(u.uploadId + "#" + chunkNo, data);
            u.received++;
            u.lastChunkAt = at;
            if (u.received == u.expectedChunks) {
                for (int c = 0; c < u.expectedChunks; c++) chunks.remove(u.uploadId + "#" + c);
                uploads.remove(u.uploadId);
                completed++;
            }
        }
        void sweep(long now) {
            for (Iterator<PhotoUpload> it = uploads.values().iterator(); it.hasNext(); ) {
                PhotoUpload u = it.next();
                if (now - u.lastChunkAt > IDLE_EXPIRY) {
                    for (int c = 0; c < u.expectedChunks; c++) chunks.remove(u.uploadId + "#" + c);
                    it.remove();
                    expired++;
                }
            }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, PassagePlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PassagePlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lock> LOCKS_BY_CODE = new HashMap<>();

    static final class PassageService {
        final Map<String, Boat> boats = new HashMap<>();
        final Map<String, Account> accounts = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final SmsNotifier notifier = new SmsNotifier();
        final PhotoStaging photos = new PhotoStaging();
        long passages;
    }

    static PassageService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Chunk(long at, PhotoUpload upload, int chunkNo, int length) {}

    static void build(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int passages = PASSAGES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(96_050_001);
        String[] lockCodes = new String[LOCKS];
        for (int l = 0; l < LOCKS; l++) {
            double[] levels = new double[64];
            for (int k = 0; k < levels.length; k++) levels[k] = 1 + rnd.nextDouble() * 4;
            lockCodes[l] = "LK-" + (l / 50) + "-" + (l % 50);
            LOCKS_BY_CODE.put(lockCodes[l], new Lock(lockCodes[l], "Canal " + (l / 50), levels));
        }
        PassageService svc = new PassageService();
        SERVICE = svc;
        String[] licences = new String[BOATS];
        for (int b = 0; b < BOATS; b++) {
            licences[b] = "NB" + (520_000 + b * 3);
            svc.boats.put(licences[b], new Boat(licences[b], "Narrowboat " + b, "+4477" + (10_000_000 + b * 37), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        SmsNotifier sms = svc.notifier;
        while (sms.deadNumbers.size() < DEAD_NUMBERS) sms.deadNumbers.add(svc.boats.get(licences[rnd.nextInt(BOATS)]).phone());
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "ACC" + (90_000 + a * 7);
            svc.accounts.put(accountIds[a], new Account(accountIds[a], licences[rnd.nextInt(BOATS)]));
        }
        String[] routeSuggestions = new String[300];
        for (int s = 0; s < routeSuggestions.length; s++) routeSuggestions[s] = lockCodes[(s * 37) % LOCKS] + " to " + lockCodes[(s * 91 + 11) % LOCKS];
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        // photo uploads: chunk k 20 s after chunk k-1; a fifth abandoned after 1..n-1 chunks
        Random photoTraffic = new Random(96_050_003);
        List<Chunk> chunkEvents = new ArrayList<>();
        int uploads = UPLOADS_PER_HOUR * hours, abandoned = 0;
        for (int u = 0; u < uploads; u++) {
            long t0 = start + (end - 5 * MINUTE - start) * u / uploads;
            int n = 2 + photoTraffic.nextInt(5);
            boolean abandon = photoTraffic.nextInt(5) == 0;
            int sent = abandon ? 1 + photoTraffic.nextInt(n - 1) : n;
            if (abandon) abandoned++;
            PhotoUpload up = new PhotoUpload("PH-" + Long.toHexString(0x10c_0000_0000L + u * 131L), lockCodes[photoTraffic.nextInt(LOCKS)], n, t0);
            for (int c = 0; c < sent; c++) chunkEvents.add(new Chunk(t0 + c * 20 * SECOND, up, c, c == n - 1 ? 2_048 + photoTraffic.nextInt(CHUNK - 2_048) : CHUNK));
        }
        chunkEvents.sort((x, y) -> Long.compare(x.at, y.at));
        Iterator<Chunk> chunkIt = chunkEvents.iterator();
        Chunk nextChunk = chunkIt.hasNext() ? chunkIt.next() : null;
        Timeline timeline = new Timeline();
        sms.timeline = timeline;
        Random traffic = new Random(96_050_002);
        long nextSweep = start + 10 * MINUTE;
        for (int i = 0; i < passages; i++) {
            long t = start + (end - MINUTE - start) * i / passages;
            timeline.runDue(sms.retries, t);
            while (nextSweep <= t) { svc.photos.sweep(nextSweep); nextSweep += 10 * MINUTE; }
            while (nextChunk != null && nextChunk.at <= t) {
                svc.photos.put(nextChunk.upload, nextChunk.chunkNo, new byte[nextChunk.length], nextChunk.at);
                nextChunk = chunkIt.hasNext() ? chunkIt.next() : null;
            }
            Boat boat = svc.boats.get(licences[traffic.nextInt(BOATS)]);
            String lock = lockCodes[traffic.nextInt(LOCKS)];
            svc.passages++;
            String key = "plan-" + traffic.nextInt(4_500);
            if (svc.plans.get(key) == null) svc.plans.put(key, new PassagePlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.telemetryBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.telemetryBuffers.add(buf);
            sms.send(new Sms(33_000_000L + i, boat.phone(), new byte[300 + traffic.nextInt(500)], t), t);
            Account acc = svc.accounts.get(accountIds[traffic.nextInt(ACCOUNTS)]);
            int accepted = traffic.nextInt(4);
            List<String> batch = new ArrayList<>(1 + accepted);
            batch.add("from " + lock + " " + (1 + traffic.nextInt(9)) + " days, " + (traffic.nextBoolean() ? "avoid tunnels" : "any route") + " #" + i);
            for (int k = 0; k < accepted; k++) batch.add(routeSuggestions[traffic.nextInt(routeSuggestions.length)]);
            acc.remember(batch);
        }
        timeline.runDue(sms.retries, end);
        while (nextChunk != null) { // the last chunks all arrived before the end
            if (nextChunk.at > end) throw new IllegalStateException("chunk after the dump");
            svc.photos.put(nextChunk.upload, nextChunk.chunkNo, new byte[nextChunk.length], nextChunk.at);
            nextChunk = chunkIt.hasNext() ? chunkIt.next() : null;
        }
        while (nextSweep <= end) { svc.photos.sweep(nextSweep); nextSweep += 10 * MINUTE; }
        chunkEvents.clear();
        chunkIt = null;
        int pending = sms.retries.getQueue().size();
        int maxAttempts = 0;
        for (Timeline.Due d : timeline.agenda) { maxAttempts = Math.max(maxAttempts, d.task.sms.attempts); check(d.at > end, "retry due in the future"); }
        long recentHeld = 0; int maxRecent = 0, fullLists = 0;
        for (Account a : svc.accounts.values()) { recentHeld += a.recentRoutes.size(); maxRecent = Math.max(maxRecent, a.recentRoutes.size()); if (a.recentRoutes.size() >= RECENT_CAP - 3) fullLists++; }
        long stagedBytes = 0;
        for (byte[] b : svc.photos.chunks.values()) stagedBytes += b.length;
        System.out.println("stage " + stage + " locks " + LOCKS_BY_CODE.size() + " boats " + svc.boats.size() + " accounts " + svc.accounts.size() + " passages " + svc.passages
                + " sms sent " + sms.sent + " failed attempts " + sms.failedAttempts + " retries scheduled " + sms.retriesScheduled + " gave up " + sms.gaveUp + " pending retries " + pending + " (max attempts " + maxAttempts + ")"
                + " recent routes held " + recentHeld + " (longest " + maxRecent + ", lists with 17+ " + fullLists + ") photo uploads " + uploads + " (abandoned " + abandoned + ", completed " + svc.photos.completed + ", expired " + svc.photos.expired
                + ") staged " + svc.photos.uploads.size() + " uploads / " + svc.photos.chunks.size() + " chunks / " + stagedBytes + " bytes plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.telemetryBuffers.size());
        check(LOCKS_BY_CODE.size() == LOCKS && svc.boats.size() == BOATS && svc.accounts.size() == ACCOUNTS && sms.deadNumbers.size() == DEAD_NUMBERS, "reference data / directories");
        check(pending == timeline.agenda.size() && sms.realRuns == 0 && sms.retries.getCompletedTaskCount() == 0 && maxAttempts < sms.policy.maxAttempts && pending < 400, "bounded retries: " + pending);
        check(maxRecent <= RECENT_CAP, "capped recent routes");
        check(svc.photos.completed + svc.photos.expired + svc.photos.uploads.size() == uploads && svc.photos.uploads.size() <= abandoned, "photo staging");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        sms.timeline = null;
        timeline.agenda.clear();
    }

    public static void main(String[] args) throws Exception {
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
