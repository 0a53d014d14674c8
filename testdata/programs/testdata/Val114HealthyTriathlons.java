// hprofscan-dump: name=val114-healthy-triathlons-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val114-healthy-triathlons-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val114-healthy-triathlons jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val114-healthy-triathlons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 114 (written blind), HEALTHY: the race-timing service of a triathlon timing
 * company (chip mats at the swim exit, transitions, bike and run splits and the finish line).
 * Race reference data, the athlete directory, a cache of rendered result pages at its cap, a
 * cache of finish-line photos (filling during the first hours), a pool of chip-reader buffers, a
 * ring of recent chip reads (filling in stage 1, wrapping later), the medical tent's queue with
 * its normal backlog, and bounded look-alikes of the set's leaks: spectators' live-tracking
 * subscriptions scheduled with scheduleAtFixedRate on a shared scheduler and cancelled when the
 * spectator unsubscribes or the athlete finishes; a static timing-correction history trimmed (for
 * real) to its last 5,000 records; photo-finish analysis on a fixed pool of 3 threads; and the
 * athletes-in-transition map whose entry is removed in a finally block even when a chip read is
 * rejected (a sixth of them). A growth series that warms up and plateaus: 1, 4 and 8 simulated
 * hours. See VALIDATION114.md.
 */
public final class Val114HealthyTriathlons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TRIM_EVERY = 5 * MINUTE, PHOTO_EVERY = 10 * MINUTE, MEDICAL_SLA = 15 * MINUTE;
    static final int RACES = 800, ATHLETES = 22_000, PAGE_CAP = 2_000, PHOTO_CAP = 1_200, POOL = 8, RING = 8_192, READS_PER_HOUR = 4_000, SUBSCRIPTIONS_PER_HOUR = 600;
    static final int MAX_CORRECTIONS = 5_000, PHOTO_THREADS = 3;

    static final String[] MATS = {"swim-exit", "T1-in", "T1-out", "bike-20k", "bike-40k", "T2-in", "T2-out", "run-5k", "finish"};
    static final String[] FORMATS = {"Sprint", "Olympic", "Middle", "Full", "Aquathlon", "Duathlon"};

    record Race(String code, String venue, String format, double[] splitBaselines) {}
    record Athlete(String licence, String name, String club, String ageGroup, byte[] emergencyRecord, long registeredAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record ChipRead(String licence, String mat, long at, int millisSinceStart) {}
    record MedicalNote(String licence, String text, long at) {}
    record Correction(long at, String licence, String mat, int deltaMillis, String reason) {}

    static final class InvalidChipReadException extends Exception {
        InvalidChipReadException(String msg) { super(msg, null, false, false); }
    }

    /** Timing corrections, read by the referee's console: trimmed to the last 5,000. */
    static final class TimingAudit {
        static final List<Correction> HISTORY = new ArrayList<>();
        static long appended, trims, trimmed;
        static synchronized void record(Correction c) { HISTORY.add(c); appended++; }
        static synchronized void trim() {
            trims++;
            int excess = HISTORY.size() - MAX_CORRECTIONS;
            if (excess > 0) { HISTORY.subList(0, excess).clear(); trimmed += excess; }
        }
    }

    /** A spectator following an athlete on the app: a position push every minute until unsubscribed. */
    static final class Subscription {
        final String subscriptionId; final String licence; final String deviceToken; final long endsAt; ScheduledFuture<?> push;
        Subscription(String subscriptionId, String licence, String deviceToken, long endsAt) { this.subscriptionId = subscriptionId; this.licence = licence; this.deviceToken = deviceToken; this.endsAt = endsAt; }
    }

    static final class LiveTracking {
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, named("live-push-"));
        final Map<String, Subscription> subscriptions = new HashMap<>();
        final LongAdder pushes = new LongAdder();
        long subscribed, unsubscribed;
        LiveTracking() { scheduler.setRemoveOnCancelPolicy(true); }
        void subscribe(Subscription s) {
            subscriptions.put(s.subscriptionId, s);
            s.push = scheduler.scheduleAtFixedRate(() -> pushes.increment(), 60, 60, TimeUnit.SECONDS);
            subscribed++;
        }
        void unsubscribe(Subscription s) {
            s.push.cancel(false);
            subscriptions.remove(s.subscriptionId);
            unsubscribed++;
        }
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> { Thread t = new Thread(r, prefix + n.incrementAndGet()); t.setDaemon(true); return t; };
    }

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class PhotoCache extends LinkedHashMap<String, byte[]> {
        long evicted;
        PhotoCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > PHOTO_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Race> RACES_BY_CODE = new HashMap<>();

    static final class TimingService {
        final Map<String, Athlete> athletes = new HashMap<>();
        final String[] licences = new String[ATHLETES];
        final String[] raceCodes = new String[RACES];
        final PageCache pages = new PageCache();
        final PhotoCache photos = new PhotoCache();
        final ArrayDeque<byte[]> chipBuffers = new ArrayDeque<>();
        final ChipRead[] recentReads = new ChipRead[RING];
        final ArrayDeque<MedicalNote> medical = new ArrayDeque<>();
        final Map<String, String> inTransition = new ConcurrentHashMap<>();
        final LiveTracking live = new LiveTracking();
        final ExecutorService photoFinish = Executors.newFixedThreadPool(PHOTO_THREADS, named("photo-finish-"));
        final List<byte[]> pendingFrames = new ArrayList<>();
        long reads, rejectedReads, corrections, notes, notesHandled, photoJobs, photoScoreSum, subscriptionSeq = 0x3E_0000L;

        void chipRead(Random r, long t) {
            String licence = licences[r.nextInt(ATHLETES)];
            String mat = MATS[r.nextInt(MATS.length)];
            inTransition.put(licence, mat);
            try {
                if (r.nextInt(6) == 0) throw new InvalidChipReadException("duplicate or out-of-order read of " + licence + " at " + mat);
                ChipRead read = new ChipRead(licence, mat, t, r.nextInt(4 * 3_600_000));
                recentReads[(int) (reads++ % RING)] = read;
                byte[] buf = chipBuffers.poll();
                buf[(int) (reads % buf.length)] = (byte) read.millisSinceStart();
                chipBuffers.add(buf);
                if (r.nextInt(100) < 30) { TimingAudit.record(new Correction(t, licence, mat, r.nextInt(2_000) - 1_000, "mat offset " + mat)); corrections++; }
                if (mat.equals("finish")) {
                    if (photos.get(licence) == null) photos.put(licence, new byte[1_500 + r.nextInt(1_000)]);
                    if (r.nextInt(100) < 50) pendingFrames.add(new byte[256 + r.nextInt(256)]);
                }
            } catch (InvalidChipReadException e) {
                rejectedReads++;
                TimingAudit.record(new Correction(t, licence, mat, 0, "rejected read"));
                corrections++;
            } finally {
                inTransition.remove(licence);
            }
            if (r.nextInt(100) < 60) {
                String key = raceCodes[r.nextInt(RACES)] + "/results-" + r.nextInt(6_000);
                if (pages.get(key) == null) pages.put(key, new ResultPage(key, new byte[500 + r.nextInt(500)], t));
            }
            if (r.nextInt(100) < 2) { medical.add(new MedicalNote(licence, "Athlete " + licence + " seen at the medical tent after " + mat, t)); notes++; }
            while (!medical.isEmpty() && medical.peek().at() <= t - MEDICAL_SLA) { medical.poll(); notesHandled++; }
        }

        /** Every 10 minutes: the finish-line frames are scored on the photo-finish pool. */
        void scorePhotoFinishes() throws Exception {
            if (pendingFrames.isEmpty()) return;
            List<Callable<Integer>> jobs = new ArrayList<>();
            for (byte[] frame : pendingFrames) jobs.add(() -> { int s = 0; for (byte b : frame) s += b & 1; return s; });
            for (Future<Integer> f : photoFinish.invokeAll(jobs)) { photoScoreSum += f.get(); photoJobs++; }
            pendingFrames.clear();
        }
    }

    static TimingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(114_050_001);
        TimingService svc = new TimingService();
        SERVICE = svc;
        for (int c = 0; c < RACES; c++) {
            double[] splits = new double[72];
            for (int k = 0; k < splits.length; k++) splits[k] = 60 + rnd.nextDouble() * 3_000;
            svc.raceCodes[c] = "TRI" + (2_000 + c);
            RACES_BY_CODE.put(svc.raceCodes[c], new Race(svc.raceCodes[c], "Venue " + (c % 150), FORMATS[rnd.nextInt(FORMATS.length)], splits));
        }
        String[] ageGroups = {"18-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65+"};
        for (int i = 0; i < ATHLETES; i++) {
            svc.licences[i] = "TRI-" + (500_000 + i * 9);
            svc.athletes.put(svc.licences[i], new Athlete(svc.licences[i], "Athlete " + i, "Club " + rnd.nextInt(900), ageGroups[rnd.nextInt(ageGroups.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.chipBuffers.add(new byte[32_768]);
        Random traffic = new Random(114_050_002);
        int reads = hours * READS_PER_HOUR;
        int subs = hours * SUBSCRIPTIONS_PER_HOUR;
        PriorityQueue<Subscription> ending = new PriorityQueue<>((a, b) -> a.endsAt != b.endsAt ? Long.compare(a.endsAt, b.endsAt) : a.subscriptionId.compareTo(b.subscriptionId));
        long nextTrim = start + TRIM_EVERY, nextPhotos = start + PHOTO_EVERY;
        int s = 0;
        for (int i = 0; i < reads; i++) {
            long t = start + (end - MINUTE - start) * i / reads;
            while (!ending.isEmpty() && ending.peek().endsAt <= t) svc.live.unsubscribe(ending.poll());
            while (nextTrim <= t) { TimingAudit.trim(); nextTrim += TRIM_EVERY; }
            while (nextPhotos <= t) { svc.scorePhotoFinishes(); nextPhotos += PHOTO_EVERY; }
            while (s < subs && start + (end - MINUTE - start) * s / subs <= t) {
                long at = start + (end - MINUTE - start) * s / subs;
                Subscription sub = new Subscription("SUB-" + Long.toHexString(svc.subscriptionSeq++), svc.licences[traffic.nextInt(ATHLETES)], "fcm:" + Long.toHexString(traffic.nextLong()),
                        at + 10 * MINUTE + traffic.nextInt(30) * MINUTE);
                svc.live.subscribe(sub);
                ending.add(sub);
                s++;
            }
            svc.chipRead(traffic, t);
        }
        while (!ending.isEmpty() && ending.peek().endsAt <= end) svc.live.unsubscribe(ending.poll());
    }

    static void verify(int stage, int hours) {
        TimingService svc = SERVICE;
        int reads = hours * READS_PER_HOUR;
        int queued = svc.live.scheduler.getQueue().size();
        System.out.println("stage " + stage + " races " + RACES_BY_CODE.size() + " athletes " + svc.athletes.size() + " chip reads " + (svc.reads + svc.rejectedReads) + " (accepted " + svc.reads + ", rejected " + svc.rejectedReads
                + ", in transition " + svc.inTransition.size() + ") corrections " + svc.corrections + " history " + TimingAudit.HISTORY.size() + " (trims " + TimingAudit.trims + ", trimmed " + TimingAudit.trimmed + ")"
                + " subscriptions " + svc.live.subscribed + "/" + svc.live.unsubscribed + " active " + svc.live.subscriptions.size() + " scheduled " + queued
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") photos " + svc.photos.size() + " (evicted " + svc.photos.evicted + ") photo-finish jobs " + svc.photoJobs
                + " (pool " + ((ThreadPoolExecutor) svc.photoFinish).getPoolSize() + ", pending frames " + svc.pendingFrames.size() + ") medical " + svc.notes + "/" + svc.notesHandled + " backlog " + svc.medical.size());
        check(RACES_BY_CODE.size() == RACES && svc.athletes.size() == ATHLETES, "reference data / directory");
        check(svc.reads + svc.rejectedReads == reads && svc.rejectedReads * 7 > reads && svc.rejectedReads * 5 < reads && svc.inTransition.isEmpty(), "chip reads, transitions removed in finally");
        check(TimingAudit.trims == hours * 12L - 1 && TimingAudit.appended == svc.corrections && (stage == 1 ? TimingAudit.trimmed == 0 : TimingAudit.HISTORY.size() >= MAX_CORRECTIONS && TimingAudit.HISTORY.size() < MAX_CORRECTIONS + 300), "correction history");
        check(svc.live.subscribed == hours * SUBSCRIPTIONS_PER_HOUR && queued == svc.live.subscriptions.size() && queued > 150 && queued < 350, "live tracking: only the active subscriptions are scheduled");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(stage == 1 ? svc.photos.size() < PHOTO_CAP && svc.photos.evicted == 0 : svc.photos.size() == PHOTO_CAP && svc.photos.evicted > 0, "photos: filling in stage 1, at cap later");
        check(((ThreadPoolExecutor) svc.photoFinish).getPoolSize() == PHOTO_THREADS && svc.pendingFrames.size() < 200, "photo-finish pool");
        check(svc.chipBuffers.size() == POOL, "pool");
        check(stage == 1 ? svc.recentReads[RING - 1] == null && svc.recentReads[0] != null : svc.recentReads[RING - 1] != null, "ring");
        check(svc.medical.size() > 0 && svc.medical.size() < 100 && svc.notes == svc.notesHandled + svc.medical.size(), "medical backlog");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
