// hprofscan-dump: name=val38-leak-signmakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val38-leak-signmakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 38 (written blind), LEAK: the production service of a sign-making shop (laser and
 * CNC router jobs). Material reference data, the customer-artwork directory, an LRU of rendered
 * proofs at its cap, a pool of vector-parse buffers, a ring of finished cut jobs. Each cut job
 * renders its toolpath into a raster held in (simulated) native memory; the RasterHandle is
 * registered with the service's java.lang.ref.Cleaner so the native block is freed once the handle
 * is unreachable. But the cleaning action is a lambda that calls handle.free(): it captures the
 * handle itself, so the Cleaner's list keeps every handle strongly reachable, no handle ever
 * becomes phantom reachable, nothing is ever cleaned, and the Cleaner's internal list of
 * PhantomCleanable nodes grows by one per job ever rendered. Thread: Cleaner.create() starts one
 * daemon thread (named Cleaner-0); the program starts no other. See VALIDATION38.md.
 */
public final class Val38LeakSignMakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 1_000, ARTWORKS = 25_000, PROOF_CAP = 2_000, POOL = 8, RING = 8_192, RECUT_KEEP = 256, JOBS_PER_HOUR = 1_000, HOURS = 10;
    static boolean FIXED;

    record Material(String code, String name, double[] kerfByPower) {}
    record Artwork(String artworkId, String customerId, String title, byte[] vectorSummary, long uploadedAt) {}
    record Proof(String key, byte[] rendered, long at) {}
    record FinishedJob(String jobId, String artworkId, String materialCode, int minutes, long finishedAt) {}

    /** Stand-in for a native allocator (malloc / free of raster blocks). */
    static final class NativeArena {
        long nextAddress = 0x7f30_0000_0000L, liveBlocks, liveBytes, freedBlocks;
        synchronized long allocate(int bytes) { liveBlocks++; liveBytes += bytes; long a = nextAddress; nextAddress += bytes; return a; }
        synchronized void free(long address, int bytes) { liveBlocks--; liveBytes -= bytes; freedBlocks++; }
        synchronized long freed() { return freedBlocks; }
    }

    /** A raster in native memory, freed by the Cleaner once the handle is unreachable. */
    static final class RasterHandle {
        final String jobId;
        final long address, allocatedAt;
        final int width, height, bytes;
        final byte[] preview; // small on-heap thumbnail for the operator screen
        final NativeArena arena;
        Cleaner.Cleanable cleanable;
        RasterHandle(String jobId, NativeArena arena, int width, int height, long allocatedAt, byte[] preview) {
            this.jobId = jobId; this.arena = arena; this.width = width; this.height = height; this.bytes = width * height; this.allocatedAt = allocatedAt; this.preview = preview;
            this.address = arena.allocate(bytes);
        }
        void free() { arena.free(address, bytes); }
    }

    /** The fixed cleaning action: holds only what free() needs, never the handle. */
    static final class FreeBlock implements Runnable {
        final NativeArena arena; final long address; final int bytes;
        FreeBlock(NativeArena arena, long address, int bytes) { this.arena = arena; this.address = address; this.bytes = bytes; }
        @Override public void run() { arena.free(address, bytes); }
    }

    static final class RasterService {
        final Cleaner cleaner = Cleaner.create();
        final NativeArena arena = new NativeArena();
        long rendered;
        RasterHandle render(String jobId, int w, int h, long t, byte[] preview) {
            RasterHandle handle = new RasterHandle(jobId, arena, w, h, t, preview);
            if (FIXED) handle.cleanable = cleaner.register(handle, new FreeBlock(arena, handle.address, handle.bytes));
            else handle.cleanable = cleaner.register(handle, () -> handle.free()); // BUG: the action captures the handle
            rendered++;
            return handle;
        }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class ProductionService {
        final Map<String, Artwork> artworks = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final FinishedJob[] finished = new FinishedJob[RING];
        final RasterService rasters = new RasterService();
        /** Rasters of the last 256 jobs, kept for a quick re-cut (legitimately alive). */
        final ArrayDeque<RasterHandle> recut = new ArrayDeque<>();
        long jobs;
    }

    static ProductionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val38.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(38_020_001);
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] kerf = new double[64];
            for (int k = 0; k < kerf.length; k++) kerf[k] = 0.05 + rnd.nextDouble() * 0.4;
            materialCodes[m] = "MAT-" + (3_000 + m);
            MATERIALS_BY_CODE.put(materialCodes[m], new Material(materialCodes[m], "Material " + m, kerf));
        }
        ProductionService svc = new ProductionService();
        SERVICE = svc;
        String[] artworkIds = new String[ARTWORKS];
        for (int a = 0; a < ARTWORKS; a++) {
            artworkIds[a] = "ART-" + (600_000 + a * 3);
            svc.artworks.put(artworkIds[a], new Artwork(artworkIds[a], "cust-" + rnd.nextInt(8_000), "Sign " + a, new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(new byte[32_768]);

        Random traffic = new Random(38_020_002);
        int jobs = JOBS_PER_HOUR * HOURS;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            String artworkId = artworkIds[traffic.nextInt(ARTWORKS)];
            String materialCode = materialCodes[traffic.nextInt(MATERIALS)];
            String jobId = "cut-" + (9_100_000L + i);
            byte[] buf = svc.parseBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.parseBuffers.add(buf);
            RasterHandle raster = svc.rasters.render(jobId, 800 + traffic.nextInt(3_200), 600 + traffic.nextInt(2_400), t, new byte[300 + traffic.nextInt(300)]);
            int minutes = 4 + traffic.nextInt(40);
            svc.finished[(int) (svc.jobs++ % RING)] = new FinishedJob(jobId, artworkId, materialCode, minutes, t);
            svc.recut.addLast(raster);
            if (svc.recut.size() > RECUT_KEEP) svc.recut.removeFirst();
            String key = artworkId + "/proof";
            if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[400 + traffic.nextInt(400)], t));
        }
        // Give the Cleaner thread the chance to free every unreachable raster.
        NativeArena arena = svc.rasters.arena;
        long expectFreed = FIXED ? jobs - RECUT_KEEP : 0;
        for (int round = 0; round < 200 && arena.freed() < expectFreed; round++) { System.gc(); Thread.sleep(50); }
        if (!FIXED) { for (int round = 0; round < 5; round++) { System.gc(); Thread.sleep(50); } }
        System.out.println((FIXED ? "FIXED " : "") + "materials " + MATERIALS_BY_CODE.size() + " artworks " + svc.artworks.size() + " jobs " + jobs + " rendered " + svc.rasters.rendered
                + " native live blocks " + arena.liveBlocks + " freed " + arena.freed() + " recut " + svc.recut.size() + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.parseBuffers.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.artworks.size() == ARTWORKS, "reference data / directory");
        check(svc.rasters.rendered == jobs && jobs == 10_000, "jobs");
        if (FIXED) check(arena.freed() == jobs - RECUT_KEEP && arena.liveBlocks == RECUT_KEEP, "fixed: only the re-cut rasters are alive");
        else check(arena.freed() == 0 && arena.liveBlocks == jobs, "every raster ever rendered is still registered and never cleaned");
        check(svc.recut.size() == RECUT_KEEP, "re-cut window");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        check(svc.finished[RING - 1] != null, "ring full");
        LeakCheck.histogram("PhantomCleanable", "CleanerImpl");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
