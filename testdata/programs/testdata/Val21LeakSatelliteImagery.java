// hprofscan-dump: name=val21-leak-satelliteimagery jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val21-leak-satelliteimagery-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
package testdata;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Validation set 21 (written blind), LEAK: the ingest service of a satellite-imagery provider.
 * Scenes arrive as chunked uploads; each {@code UploadJob} registers a JVM shutdown hook (a
 * {@code TempSpoolCleaner} thread capturing the job: its id, spool path, the last chunk buffer and
 * the chunk offsets) so the spool file is deleted if the JVM stops mid-upload. The bug: the hook is
 * never removed with {@code removeShutdownHook} when the upload completes, so the JDK's
 * {@code ApplicationShutdownHooks.hooks} keeps every unstarted hook thread and its job. Beside it:
 * 3 hooks registered once at startup, the scene catalogue, the ground stations, a quicklook tile
 * cache at its cap, the ingest queue, a downlink ring, per-thread decode buffers.
 * See testdata/VALIDATION21.md.
 */
public final class Val21LeakSatelliteImagery {
    static final long HOUR = 3_600_000L;
    static final int SCENES = 50_000, STATIONS = 200, TILE_CAP = 1_500, RING = 4_096, QUEUED = 40;
    static final int HOURS = 8, UPLOADS_PER_HOUR = 300;

    record Scene(String id, String satellite, long acquiredAt, double[] footprint, String productLevel) {}
    record GroundStation(String code, String site, int[] azimuthMask) {}
    record Tile(String key, byte[] jpeg) {}
    record DownlinkEvent(String satellite, String station, long at, int megabytes) {}
    record IngestRequest(String sceneId, long receivedAt, int chunks) {}

    static final class UploadJob {
        final String uploadId, sceneId, spoolPath; final long startedAt; final byte[] lastChunk; final long[] chunkOffsets;
        boolean complete;
        UploadJob(String uploadId, String sceneId, long startedAt, byte[] lastChunk, long[] chunkOffsets) {
            this.uploadId = uploadId; this.sceneId = sceneId; this.startedAt = startedAt; this.spoolPath = "/var/spool/ingest/" + uploadId + ".part"; this.lastChunk = lastChunk; this.chunkOffsets = chunkOffsets;
        }
    }

    /** Deletes the job's spool file at JVM exit. */
    static final class TempSpoolCleaner extends Thread {
        final UploadJob job;
        TempSpoolCleaner(UploadJob job) { super("spool-cleaner-" + job.uploadId); this.job = job; }
        @Override public void run() { if (!job.complete) System.err.println("deleting " + job.spoolPath); }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Scene> CATALOG = new HashMap<>();
    static final Map<String, GroundStation> STATIONS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> DECODE_BUFFER = ThreadLocal.withInitial(() -> new byte[256 * 1024]);

    static final class IngestService {
        final TileCache quicklooks = new TileCache();
        final ArrayBlockingQueue<IngestRequest> queue = new ArrayBlockingQueue<>(64);
        final DownlinkEvent[] downlinks = new DownlinkEvent[RING];
        long downlinksWritten, uploads, completed, hooksRemoved;
    }

    static IngestService INGEST;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int registeredHooks() throws Exception {
        Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        f.setAccessible(true);
        return ((Map<?, ?>) f.get(null)).size();
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val21.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - HOURS * HOUR;
        Random rnd = new Random(21_020_001);
        int hooksAtStart = registeredHooks();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("flushing ingest metrics"), "flush-metrics"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("closing catalogue"), "close-catalog"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("deregistering station links"), "deregister-stations"));
        for (int s = 0; s < SCENES; s++) {
            double[] fp = new double[16];
            for (int k = 0; k < fp.length; k++) fp[k] = rnd.nextDouble() * 180 - 90;
            String id = "S2-" + (40_000_000 + s * 13);
            CATALOG.put(id, new Scene(id, s % 2 == 0 ? "SAT-A" : "SAT-B", now - (long) rnd.nextInt(2 * 365 * 24) * HOUR, fp, s % 3 == 0 ? "L1C" : "L2A"));
        }
        for (int g = 0; g < STATIONS; g++) {
            int[] mask = new int[360];
            for (int k = 0; k < mask.length; k++) mask[k] = rnd.nextInt(15);
            String code = "GS" + (100 + g);
            STATIONS_BY_CODE.put(code, new GroundStation(code, "Station site " + g, mask));
        }
        IngestService svc = new IngestService();
        INGEST = svc;
        Thread[] decoders = new Thread[4];
        java.util.concurrent.CountDownLatch shutdown = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch warmed = new java.util.concurrent.CountDownLatch(decoders.length);
        for (int w = 0; w < decoders.length; w++) {
            decoders[w] = new Thread(() -> { DECODE_BUFFER.get()[0] = 1; warmed.countDown(); try { shutdown.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }, "decoder-" + w);
            decoders[w].setDaemon(true);
        }
        byte[] mainBuffer = DECODE_BUFFER.get(); // the ingest thread's own decode buffer
        int total = HOURS * UPLOADS_PER_HOUR;
        Random traffic = new Random(21_020_002);
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            String sceneId = "S2-" + (40_000_000 + traffic.nextInt(SCENES) * 13);
            long[] offsets = new long[32 + traffic.nextInt(96)];
            for (int k = 0; k < offsets.length; k++) offsets[k] = k * 8L * 1024 * 1024;
            UploadJob job = new UploadJob("UP-" + Long.toHexString(0xA0000000L + i), sceneId, t, new byte[2_000 + traffic.nextInt(2_000)], offsets);
            TempSpoolCleaner hook = new TempSpoolCleaner(job);
            Runtime.getRuntime().addShutdownHook(hook);
            svc.uploads++;
            traffic.nextBytes(job.lastChunk);
            mainBuffer[i % mainBuffer.length] = job.lastChunk[0];
            svc.quicklooks.put(job.uploadId + "/ql", new Tile(job.uploadId + "/ql", new byte[1_500 + traffic.nextInt(1_000)]));
            job.complete = true;
            svc.completed++;
            if (fixed && Runtime.getRuntime().removeShutdownHook(hook)) svc.hooksRemoved++; // the leak run never removes it
            svc.downlinks[(int) (svc.downlinksWritten++ % RING)] = new DownlinkEvent(i % 2 == 0 ? "SAT-A" : "SAT-B", "GS" + (100 + traffic.nextInt(STATIONS)), t, 200 + traffic.nextInt(800));
            svc.downlinks[(int) (svc.downlinksWritten++ % RING)] = new DownlinkEvent(i % 2 == 0 ? "SAT-A" : "SAT-B", "GS" + (100 + traffic.nextInt(STATIONS)), t + 45_000, 200 + traffic.nextInt(800));
        }
        for (Thread d : decoders) { d.start(); }
        for (int q = 0; q < QUEUED; q++) svc.queue.add(new IngestRequest("S2-" + (40_000_000 + rnd.nextInt(SCENES) * 13), now - (QUEUED - q) * 2_000L, 10 + rnd.nextInt(90)));
        warmed.await();
        int aliveDecoders = 0;
        for (Thread d : decoders) if (d.isAlive()) aliveDecoders++;
        check(aliveDecoders == decoders.length, "decoder threads");
        int hooks = registeredHooks();
        System.out.println((fixed ? "FIXED " : "") + "scenes " + CATALOG.size() + " stations " + STATIONS_BY_CODE.size() + " uploads " + svc.uploads + " completed " + svc.completed + " hooks removed " + svc.hooksRemoved + " registered shutdown hooks " + hooks + " (before startup " + hooksAtStart + ") quicklooks " + svc.quicklooks.size() + " (evicted " + svc.quicklooks.evicted + ") downlinks written " + svc.downlinksWritten + " queued " + svc.queue.size());
        check(CATALOG.size() == SCENES && STATIONS_BY_CODE.size() == STATIONS, "reference data");
        check(svc.uploads == total && svc.completed == total && svc.hooksRemoved == (fixed ? total : 0), "uploads");
        check(hooks == hooksAtStart + 3 + (fixed ? 0 : total), "shutdown hooks " + hooks);
        check(svc.quicklooks.size() == TILE_CAP && svc.quicklooks.evicted == total - TILE_CAP, "quicklook cache at its cap");
        check(svc.downlinksWritten == 2L * total && svc.downlinks[RING - 1] != null, "downlink ring");
        check(svc.queue.size() == QUEUED, "ingest queue");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        Runtime.getRuntime().halt(0); // do not run 2,403 hooks at exit
    }
}
