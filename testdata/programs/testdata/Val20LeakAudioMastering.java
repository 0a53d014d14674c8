// hprofscan-dump: name=val20-leak-audiomastering jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val20-leak-audiomastering-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 20 (written blind), LEAK: an online audio mastering service. Every render request
 * decodes its stems into {@link OffHeapBlock}s, wrappers of (simulated) native buffers that a
 * {@link Cleaner} frees when the wrapper becomes unreachable. The bug: the cleaning action is a
 * lambda that reads {@code this.address}, so it captures the block itself; the Cleaner holds the
 * action strongly, the block never becomes phantom reachable, and every block ever created stays
 * registered (and its native memory is never freed) although the application dropped all but the
 * blocks of the sessions still open. Beside it: the sample library, the projects, a waveform cache
 * at its cap, the render pool with per-thread scratch buffers, the job queue, a metrics ring.
 * See testdata/VALIDATION20.md.
 */
public final class Val20LeakAudioMastering {
    static final long HOUR = 3_600_000L;
    static final int SAMPLES = 15_000, PROJECTS = 2_000, WAVE_CAP = 1_000, RENDER_THREADS = 4, RING = 4_096;
    static final int REQUESTS = 1_250, BLOCKS_PER_REQUEST = 4, OPEN_SESSIONS = 50;

    static final class NativeMemory {
        static final Cleaner CLEANER = Cleaner.create();
        static final AtomicLong NEXT = new AtomicLong(0x7f00_0000_0000L);
        static final AtomicLong allocated = new AtomicLong(), freed = new AtomicLong(), liveBytes = new AtomicLong();
        static long malloc(int bytes) { allocated.incrementAndGet(); liveBytes.addAndGet(bytes); return NEXT.getAndAdd(bytes); }
        static void free(long address, int bytes) { freed.incrementAndGet(); liveBytes.addAndGet(-bytes); }
    }

    /** The correct action: captures only the native state. */
    static final class Releaser implements Runnable {
        final long address; final int bytes;
        Releaser(long address, int bytes) { this.address = address; this.bytes = bytes; }
        @Override public void run() { NativeMemory.free(address, bytes); }
    }

    static final class OffHeapBlock {
        final long address; final int bytes; final String sessionId; final long createdAt;
        final float[] peaks = new float[256]; // on-heap preview of the decoded block
        final Cleaner.Cleanable cleanable;
        OffHeapBlock(int bytes, String sessionId, long createdAt, boolean fixed) {
            this.bytes = bytes; this.sessionId = sessionId; this.createdAt = createdAt;
            this.address = NativeMemory.malloc(bytes);
            // BUG in the leak run: the lambda reads this.address, so it captures `this`
            this.cleanable = fixed ? NativeMemory.CLEANER.register(this, new Releaser(address, bytes))
                                   : NativeMemory.CLEANER.register(this, () -> NativeMemory.free(this.address, this.bytes));
        }
    }

    record Sample(String id, String pack, int bpm, float[] spectrum) {}
    record Project(String id, long ownerId, String title, long createdAt, List<String> sampleIds) {}
    record Waveform(String trackId, float[] points) {}
    record RenderJob(String jobId, String projectId, long queuedAt) {}

    static final class MasteringSession {
        final String id; final long openedAt; final List<OffHeapBlock> blocks = new ArrayList<>();
        MasteringSession(String id, long openedAt) { this.id = id; this.openedAt = openedAt; }
    }

    static final class WaveformCache extends LinkedHashMap<String, Waveform> {
        long evicted;
        WaveformCache() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Waveform> e) { if (size() > WAVE_CAP) { evicted++; return true; } return false; }
    }

    static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16_384]);

    static final class MasteringService {
        final Map<String, Sample> library = new HashMap<>();
        final Map<String, Project> projects = new HashMap<>();
        final WaveformCache waveforms = new WaveformCache();
        final Map<String, MasteringSession> openSessions = new ConcurrentHashMap<>();
        final LinkedBlockingQueue<RenderJob> queue = new LinkedBlockingQueue<>();
        final ThreadPoolExecutor render = new ThreadPoolExecutor(RENDER_THREADS, RENDER_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r, "render-" + System.nanoTime() % 100_000); t.setDaemon(true); return t; });
        final long[] latencyRing = new long[RING];
        long rendered;

        MasteringSession render(String sessionId, String projectId, long at, Random rnd, boolean fixed) {
            MasteringSession s = new MasteringSession(sessionId, at);
            for (int b = 0; b < BLOCKS_PER_REQUEST; b++) {
                OffHeapBlock block = new OffHeapBlock(256 * 1024, sessionId, at, fixed);
                for (int k = 0; k < block.peaks.length; k++) block.peaks[k] = rnd.nextFloat();
                s.blocks.add(block);
            }
            waveforms.put(projectId + "/" + sessionId, new Waveform(projectId, new float[512]));
            latencyRing[(int) (rendered++ % RING)] = 200 + rnd.nextInt(4_000);
            return s;
        }
    }

    static MasteringService MASTERING;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val20.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long hours = 5, start = now - hours * HOUR;
        Random rnd = new Random(20_030_001);
        MasteringService svc = new MasteringService();
        MASTERING = svc;
        String[] packs = {"Analog Drums", "Lo-Fi Keys", "Vocal Chops", "Field Recordings", "Modular Bass"};
        for (int s = 0; s < SAMPLES; s++) {
            float[] spec = new float[200];
            for (int k = 0; k < spec.length; k++) spec[k] = rnd.nextFloat();
            String id = "SMP-" + (400_000 + s);
            svc.library.put(id, new Sample(id, packs[s % packs.length], 70 + rnd.nextInt(100), spec));
        }
        for (int p = 0; p < PROJECTS; p++) {
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < 8 + rnd.nextInt(16); k++) ids.add("SMP-" + (400_000 + rnd.nextInt(SAMPLES)));
            String id = "PRJ-" + (10_000 + p);
            svc.projects.put(id, new Project(id, 900_000L + rnd.nextInt(50_000), "Track " + p, now - (long) rnd.nextInt(2 * 365 * 24) * HOUR, ids));
        }
        CyclicBarrier ready = new CyclicBarrier(RENDER_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < RENDER_THREADS; w++) warm.add(svc.render.submit(() -> { SCRATCH.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (now - start) * i / REQUESTS;
            String sessionId = "ms-" + Long.toHexString(rnd.nextLong());
            MasteringSession s = svc.render(sessionId, "PRJ-" + (10_000 + rnd.nextInt(PROJECTS)), t, rnd, fixed);
            if (i >= REQUESTS - OPEN_SESSIONS) svc.openSessions.put(sessionId, s); // the last ones are still being listened to
        }
        for (int q = 0; q < 40; q++) svc.queue.add(new RenderJob("job-" + q, "PRJ-" + (10_000 + rnd.nextInt(PROJECTS)), now - (40 - q) * 2_000L));
        long created = (long) REQUESTS * BLOCKS_PER_REQUEST, inUse = (long) OPEN_SESSIONS * BLOCKS_PER_REQUEST;
        // let the cleaner catch up (it frees every dropped block in the fixed run; none in the leak run)
        for (int k = 0; k < 100 && NativeMemory.freed.get() < (fixed ? created - inUse : 0) ; k++) { System.gc(); Thread.sleep(50); }
        System.gc(); Thread.sleep(200);
        long stillUsed = 0;
        for (MasteringSession s : svc.openSessions.values()) stillUsed += s.blocks.size();
        long registered = NativeMemory.allocated.get() - NativeMemory.freed.get();
        System.out.println((fixed ? "FIXED " : "") + "samples " + svc.library.size() + " projects " + svc.projects.size() + " requests " + svc.rendered + " blocks created " + NativeMemory.allocated.get() + " freed " + NativeMemory.freed.get() + " still registered " + registered + " used by the application " + stillUsed + " native bytes live " + NativeMemory.liveBytes.get() + " waveforms " + svc.waveforms.size() + " (evicted " + svc.waveforms.evicted + ") queue " + svc.queue.size());
        check(svc.library.size() == SAMPLES && svc.projects.size() == PROJECTS, "reference data");
        check(svc.rendered == REQUESTS && NativeMemory.allocated.get() == created, "requests and blocks");
        check(stillUsed == inUse && svc.openSessions.size() == OPEN_SESSIONS, "blocks in use");
        check(registered == (fixed ? inUse : created), "blocks still registered with the cleaner: " + registered);
        check(svc.waveforms.size() == WAVE_CAP && svc.waveforms.evicted == REQUESTS - WAVE_CAP, "waveform cache at its cap");
        check(svc.render.getPoolSize() == RENDER_THREADS && svc.queue.size() == 40, "render pool and queue");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
