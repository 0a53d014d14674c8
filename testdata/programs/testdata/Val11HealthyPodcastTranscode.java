// hprofscan-dump: name=val11-healthy-podcast jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val11-healthy-podcast-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 11 (written blind), HEALTHY: the transcoding service of a podcast hosting
 * platform after 24 simulated hours (20,000 episode uploads transcoded into 4 renditions each).
 * Looks suspicious, is legitimate: the job history keeps the last 5,000 finished jobs (every one
 * DONE or FAILED, closed, with its renditions, timings and the tail of its encoder log) for the
 * status API, capped and full;
 * and a fixed pool of 6 transcoder threads each holds a 512 KiB PCM buffer and a 64 K-sample FFT
 * window (big per-thread buffers). Beside them: the show catalog and the episode index (loaded at
 * startup), a loudness-profile LRU at capacity, a pool of upload connections with a buffer each,
 * and the 6 jobs running at the dump. See testdata/VALIDATION11.md.
 */
public final class Val11HealthyPodcastTranscode {
    static final int SHOWS = 12_000;
    static final int EPISODES = 40_000;
    static final int HISTORY_CAP = 5_000;
    static final int LOUDNESS_CAP = 3_000;
    static final int UPLOAD_CONNECTIONS = 12;
    static final int TRANSCODERS = 6;
    static final int JOBS = 20_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 24 * HOUR;

    static TranscodeService RUNNING;

    static final class Show {
        final long showId; final String title; final String author; final String language; final String[] categories; final long createdAt;
        Show(long showId, String title, String author, String language, String[] categories, long createdAt) { this.showId = showId; this.title = title; this.author = author; this.language = language; this.categories = categories; this.createdAt = createdAt; }
    }

    /** Reference data: every show hosted on the platform, loaded at startup. */
    static final class ShowCatalog {
        static final Map<Long, Show> BY_ID = new HashMap<>();
    }

    static final class Episode {
        final long episodeId; final long showId; final String guid; final String title; final int durationSec; final long publishedAt;
        Episode(long episodeId, long showId, String guid, String title, int durationSec, long publishedAt) { this.episodeId = episodeId; this.showId = showId; this.guid = guid; this.title = title; this.durationSec = durationSec; this.publishedAt = publishedAt; }
    }

    static final class LoudnessProfile {
        final long showId; final float[] bandGains = new float[32]; final double targetLufs; final long measuredAt;
        LoudnessProfile(long showId, double targetLufs, long measuredAt) { this.showId = showId; this.targetLufs = targetLufs; this.measuredAt = measuredAt; }
    }

    /** Loudness profiles per show, least recently used evicted. */
    static final class LoudnessCache extends LinkedHashMap<Long, LoudnessProfile> {
        final int maxProfiles;
        long evictions;
        LoudnessCache(int maxProfiles) { super(4096, 0.75f, true); this.maxProfiles = maxProfiles; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, LoudnessProfile> e) {
            if (size() > maxProfiles) { evictions++; return true; }
            return false;
        }
    }

    /** One transcoding job: an uploaded episode into 4 renditions. */
    static final class TranscodeJob {
        final long jobId; final long episodeId; final String sourceUri; final long submittedAt; long startedAt; long finishedAt; String state = "QUEUED"; String error; String encoderLogTail;
        final String[] renditions = {"mp3-64k", "mp3-128k", "aac-96k", "opus-48k"}; final long[] outputBytes = new long[4]; final int[] encodeMillis = new int[4];
        TranscodeJob(long jobId, long episodeId, String sourceUri, long submittedAt) { this.jobId = jobId; this.episodeId = episodeId; this.sourceUri = sourceUri; this.submittedAt = submittedAt; }
    }

    /** The last finished jobs, for the status API: capped, oldest dropped. */
    static final class JobHistory {
        final int capacity;
        final ArrayDeque<TranscodeJob> finished = new ArrayDeque<>();
        long dropped;
        JobHistory(int capacity) { this.capacity = capacity; }
        synchronized void add(TranscodeJob j) { finished.addLast(j); if (finished.size() > capacity) { finished.removeFirst(); dropped++; } }
    }

    static final class UploadConnection {
        final String endpoint; final byte[] buffer = new byte[64 * 1024]; long bytesSent; long lastUsedAt;
        UploadConnection(String endpoint) { this.endpoint = endpoint; }
    }

    static final class TranscodeService {
        final Map<Long, Episode> episodes = new ConcurrentHashMap<>();
        final LoudnessCache loudness = new LoudnessCache(LOUDNESS_CAP);
        final JobHistory history = new JobHistory(HISTORY_CAP);
        final Map<Long, TranscodeJob> running = new ConcurrentHashMap<>();
        final ArrayBlockingQueue<UploadConnection> uploads = new ArrayBlockingQueue<>(UPLOAD_CONNECTIONS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor transcoders = new ThreadPoolExecutor(TRANSCODERS, TRANSCODERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "transcoder-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread decoded PCM buffer of the transcoders. */
        static final ThreadLocal<byte[]> PCM = ThreadLocal.withInitial(() -> new byte[512 * 1024]);
        /** Per-thread FFT window of the loudness normaliser. */
        static final ThreadLocal<float[]> FFT = ThreadLocal.withInitial(() -> new float[65_536]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(11_060_001);
        TranscodeService svc = new TranscodeService();
        RUNNING = svc;
        for (int i = 0; i < 60; i++) svc.config.setProperty("transcode.preset." + i, "bitrate=" + (32 + i * 4) + "k");
        String[] langs = {"en", "es", "de", "pt", "fr", "ja"};
        String[] cats = {"news", "comedy", "true-crime", "tech", "business", "sports", "history", "science"};
        for (int i = 0; i < SHOWS; i++) {
            long id = 60_000L + i;
            ShowCatalog.BY_ID.put(id, new Show(id, "Show number " + i + " podcast", "Host " + (i % 4000), langs[i % 6], new String[] {cats[i % 8], cats[(i / 8) % 8]}, now - DAY * (30 + rnd.nextInt(4000))));
        }
        for (int i = 0; i < EPISODES; i++) {
            long id = 9_000_000L + i;
            svc.episodes.put(id, new Episode(id, 60_000L + i % SHOWS, "guid-" + Long.toHexString(rnd.nextLong()), "Episode " + i, 600 + rnd.nextInt(7200), now - DAY * rnd.nextInt(1500)));
        }
        for (int i = 0; i < UPLOAD_CONNECTIONS; i++) svc.uploads.add(new UploadConnection("https://cdn-origin-" + (i % 3) + ".podhost.example"));
        // warm the transcoders: each thread allocates its buffers once
        CyclicBarrier warm = new CyclicBarrier(TRANSCODERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < TRANSCODERS; w++) fs.add(svc.transcoders.submit(() -> { TranscodeService.PCM.get()[0] = 1; TranscodeService.FFT.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 24 hours of uploads: each job runs a few minutes and finishes DONE (1 in 50 FAILED);
        // the last 6 are running at the dump.
        long failed = 0;
        for (int i = 0; i < JOBS; i++) {
            long t = start + SIM_MILLIS * i / JOBS;
            long episode = 9_000_000L + rnd.nextInt(EPISODES);
            TranscodeJob j = new TranscodeJob(500_000_000L + i, episode, "s3://podhost-uploads/" + Long.toHexString(rnd.nextLong()) + ".wav", t);
            j.startedAt = t + 500 + rnd.nextInt(5_000);
            j.state = "RUNNING";
            svc.running.put(j.jobId, j);
            long show = svc.episodes.get(episode).showId;
            if (svc.loudness.get(show) == null) svc.loudness.put(show, new LoudnessProfile(show, -16.0 - rnd.nextInt(3), t));
            if (i >= JOBS - TRANSCODERS) continue; // still running at the dump
            for (int k = 0; k < 4; k++) { j.outputBytes[k] = 2_000_000L + rnd.nextInt(80_000_000); j.encodeMillis[k] = 5_000 + rnd.nextInt(60_000); }
            UploadConnection c = svc.uploads.poll();
            c.bytesSent += j.outputBytes[0]; c.lastUsedAt = t;
            svc.uploads.add(c);
            j.finishedAt = j.startedAt + 30_000 + rnd.nextInt(240_000);
            StringBuilder log = new StringBuilder();
            for (int k = 0, n = 8 + rnd.nextInt(8); k < n; k++) log.append("size=").append(rnd.nextInt(90_000)).append("kB time=00:").append(10 + rnd.nextInt(50)).append(":").append(10 + rnd.nextInt(50)).append(" bitrate=").append(64 + rnd.nextInt(64)).append(".0kbits/s speed=").append(20 + rnd.nextInt(60)).append("x\n");
            j.encoderLogTail = log.toString();
            if (rnd.nextInt(50) == 0) { j.state = "FAILED"; j.error = "decoder: unsupported sample format"; failed++; } else j.state = "DONE";
            svc.running.remove(j.jobId);
            svc.history.add(j);
        }
        int finishedInHistory = 0;
        for (TranscodeJob j : svc.history.finished) if ((j.state.equals("DONE") || j.state.equals("FAILED")) && j.finishedAt > 0) finishedInHistory++;
        System.out.println("shows " + ShowCatalog.BY_ID.size() + " episodes " + svc.episodes.size() + " loudness " + svc.loudness.size() + " (evictions " + svc.loudness.evictions
                + ") history " + svc.history.finished.size() + " (finished " + finishedInHistory + ", dropped " + svc.history.dropped + ") failed " + failed + " running " + svc.running.size()
                + " uploads " + svc.uploads.size());
        check(ShowCatalog.BY_ID.size() == SHOWS && svc.episodes.size() == EPISODES, "reference data");
        check(svc.loudness.size() == LOUDNESS_CAP && svc.loudness.evictions > 0, "loudness cache");
        check(svc.history.finished.size() == HISTORY_CAP && finishedInHistory == HISTORY_CAP && svc.history.dropped == JOBS - TRANSCODERS - HISTORY_CAP, "history");
        check(svc.running.size() == TRANSCODERS && svc.uploads.size() == UPLOAD_CONNECTIONS && svc.transcoders.getPoolSize() == TRANSCODERS, "running/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
