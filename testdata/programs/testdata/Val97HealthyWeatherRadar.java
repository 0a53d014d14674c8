// hprofscan-dump: name=val97-healthy-weatherradar jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val97-healthy-weatherradar-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 97 (written blind), HEALTHY: the radar product service of a national weather
 * service. Radar-site reference data (beam blockage maps), the forecast-zone directory, a cache of
 * rendered map tiles at its cap, a pool of volume-decode buffers, a ring of the latest volume scans,
 * a long-lived 2-thread mosaic pool (shared by all scan batches), the hourly archive import (its own
 * 2-thread executor per import, shut down when the import is done), the product-file downloads
 * (RandomAccessFile per download, closed at the end or by an idle reaper after 5 minutes) and the
 * archive index file (one RandomAccessFile open for the life of the process). See VALIDATION97.md.
 */
public final class Val97HealthyWeatherRadar {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SCAN_EVERY = 5 * MINUTE, IDLE_LIMIT = 5 * MINUTE;
    static final int SITES = 160, ZONES = 26_000, TILE_CAP = 2_000, POOL = 8, SCAN_RING = 16_384, PRODUCT_FILES = 120,
            DOWNLOADS_PER_HOUR = 240, CHUNK = 8_192, HOURS = 10, MOSAIC_THREADS = 2;
    static final String ARCHIVE_PREFIX = "archive-import-";

    record RadarSite(String siteId, String name, double[] beamBlockageByAzimuth) {}
    record ForecastZone(String zoneCode, String siteId, String office, byte[] polygon, long definedAt) {}
    record Tile(String key, byte[] rendered, long at) {}
    record VolumeScan(String siteId, int elevations, float maxDbz, long at) {}
    record ProductFile(String productId, String path, long length) {}

    static final class DownloadSession {
        final String token, productId;
        final RandomAccessFile file;
        final long length;
        final byte[] chunk = new byte[CHUNK];
        long position, lastReadAt;
        DownloadSession(String token, String productId, RandomAccessFile file, long length, long at) {
            this.token = token; this.productId = productId; this.file = file; this.length = length; this.lastReadAt = at;
        }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RadarSite> SITES_BY_ID = new HashMap<>();

    static final class RadarService {
        final Map<String, ForecastZone> zones = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final VolumeScan[] scans = new VolumeScan[SCAN_RING];
        long scansWritten;
        final ThreadPoolExecutor mosaic;
        long mosaicBatches, archiveImports, archivedVolumes;
        final Map<String, ProductFile> products = new HashMap<>();
        final Map<String, DownloadSession> openDownloads = new HashMap<>();
        long started, completed, abandoned, reaped;
        Path productDir;
        RandomAccessFile archiveIndex;

        RadarService() {
            AtomicInteger n = new AtomicInteger();
            mosaic = new ThreadPoolExecutor(MOSAIC_THREADS, MOSAIC_THREADS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> new Thread(r, "mosaic-worker-" + n.incrementAndGet()));
        }

        /** One scan batch (every site's volume of a 5-minute cycle) is composited on the shared pool. */
        void composite(List<VolumeScan> batch) throws Exception {
            int half = batch.size() / 2;
            Future<Float> a = mosaic.submit(() -> maxDbz(batch.subList(0, half)));
            Future<Float> b = mosaic.submit(() -> maxDbz(batch.subList(half, batch.size())));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            mosaicBatches++;
        }

        static float maxDbz(List<VolumeScan> part) { float m = 0; for (VolumeScan v : part) m = Math.max(m, v.maxDbz()); return m; }

        /** The hourly archive import: its own executor, shut down when the import is done. */
        void importArchive(int hour, List<VolumeScan> volumes) throws Exception {
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, ARCHIVE_PREFIX + hour + "-" + n.incrementAndGet()));
            try {
                int half = volumes.size() / 2;
                Future<Integer> a = pool.submit(() -> writeIndex(volumes.subList(0, half)));
                Future<Integer> b = pool.submit(() -> writeIndex(volumes.subList(half, volumes.size())));
                archivedVolumes += a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS);
                archiveImports++;
            } finally {
                pool.shutdown();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        }

        int writeIndex(List<VolumeScan> part) throws IOException {
            synchronized (archiveIndex) {
                for (VolumeScan v : part) { archiveIndex.writeLong(v.at()); archiveIndex.writeFloat(v.maxDbz()); }
            }
            return part.size();
        }

        void open(String token, ProductFile pf, long at) throws IOException {
            RandomAccessFile raf = new RandomAccessFile(pf.path(), "r");
            openDownloads.put(token, new DownloadSession(token, pf.productId(), raf, raf.length(), at));
            started++;
        }

        boolean readChunk(String token, long at) throws IOException {
            DownloadSession s = openDownloads.get(token);
            s.file.seek(s.position);
            s.position += s.file.read(s.chunk, 0, (int) Math.min(CHUNK, s.length - s.position));
            s.lastReadAt = at;
            if (s.position < s.length) return true;
            openDownloads.remove(token);
            s.file.close();
            completed++;
            return false;
        }

        void reapIdle(long now) throws IOException {
            for (Iterator<DownloadSession> it = openDownloads.values().iterator(); it.hasNext(); ) {
                DownloadSession s = it.next();
                if (now - s.lastReadAt > IDLE_LIMIT) { s.file.close(); it.remove(); reaped++; }
            }
        }
    }

    static RadarService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(97_060_001);
        String[] siteIds = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] blockage = new double[720];
            for (int k = 0; k < blockage.length; k++) blockage[k] = rnd.nextDouble() * 0.3;
            siteIds[s] = "K" + (char) ('A' + s / 26 % 26) + (char) ('A' + s % 26) + (char) ('A' + s * 7 % 26);
            SITES_BY_ID.put(siteIds[s], new RadarSite(siteIds[s], "Radar " + s, blockage));
        }
        RadarService svc = new RadarService();
        SERVICE = svc;
        for (int z = 0; z < ZONES; z++) {
            String code = "Z" + (100_000 + z * 3);
            svc.zones.put(code, new ForecastZone(code, siteIds[rnd.nextInt(SITES)], "WFO-" + (z % 120), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        svc.productDir = Files.createTempDirectory("val97-radar-products-");
        svc.productDir.toFile().deleteOnExit();
        File index = svc.productDir.resolve("archive.idx").toFile();
        index.deleteOnExit();
        svc.archiveIndex = new RandomAccessFile(index, "rw");
        String[] productIds = new String[PRODUCT_FILES];
        for (int p = 0; p < PRODUCT_FILES; p++) {
            productIds[p] = "N0Q-" + siteIds[p % SITES] + "-" + p;
            File f = svc.productDir.resolve(productIds[p] + ".grib2").toFile();
            f.deleteOnExit();
            byte[] content = new byte[12_288 + rnd.nextInt(16_384)];
            rnd.nextBytes(content);
            Files.write(f.toPath(), content);
            svc.products.put(productIds[p], new ProductFile(productIds[p], f.getPath(), content.length));
        }
        Random traffic = new Random(97_060_002);
        int cycles = (int) ((end - start) / SCAN_EVERY);
        List<VolumeScan> hourVolumes = new ArrayList<>();
        long download = 0;
        int downloadsPerCycle = DOWNLOADS_PER_HOUR / 12;
        for (int c = 0; c < cycles; c++) {
            long t = start + c * SCAN_EVERY;
            List<VolumeScan> batch = new ArrayList<>(SITES);
            for (int s = 0; s < SITES; s++) {
                VolumeScan v = new VolumeScan(siteIds[s], 9 + traffic.nextInt(6), traffic.nextFloat() * 70, t + s * 1_000L);
                batch.add(v);
                svc.scans[(int) (svc.scansWritten++ % SCAN_RING)] = v;
                if (s % 8 == 0) hourVolumes.add(v);
            }
            svc.composite(batch);
            for (int d = 0; d < downloadsPerCycle; d++) {
                long at = t + d * (SCAN_EVERY / downloadsPerCycle);
                svc.reapIdle(at);
                String token = "RD-" + Long.toHexString(0x3a_0000_0000L + download++ * 104_729L);
                svc.open(token, svc.products.get(productIds[traffic.nextInt(PRODUCT_FILES)]), at);
                boolean more = svc.readChunk(token, at);
                if (traffic.nextInt(6) == 0) svc.abandoned++; // the client goes away; the reaper closes it later
                else while (more) { at += 100 + traffic.nextInt(400); more = svc.readChunk(token, at); }
            }
            if ((c + 1) % 12 == 0) { svc.importArchive((c + 1) / 12, hourVolumes); hourVolumes = new ArrayList<>(); }
            for (int k = 0; k < 40; k++) {
                String key = "tile-" + traffic.nextInt(4_500);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.decodeBuffers.poll();
            buf[c % buf.length] = (byte) c;
            svc.decodeBuffers.add(buf);
        }
        svc.reapIdle(end);
        return cycles;
    }

    /** {mosaic threads, archive-import threads} alive. */
    static int[] threads() {
        int mosaicThreads = 0, archive = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive()) continue;
            if (t.getName().startsWith("mosaic-worker-")) mosaicThreads++;
            if (t.getName().startsWith(ARCHIVE_PREFIX)) archive++;
        }
        return new int[] {mosaicThreads, archive};
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) { // the pool threads would keep a failed run alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int cycles = build();
        RadarService svc = SERVICE;
        int[] th = threads();
        for (int wait = 0; wait < 100 && (th[1] != 0 || svc.mosaic.getActiveCount() > 0); wait++) { Thread.sleep(50); th = threads(); } // a shut-down pool's threads finish exiting
        System.out.println("sites " + SITES_BY_ID.size() + " zones " + svc.zones.size() + " cycles " + cycles + " scans " + svc.scansWritten + " mosaic batches " + svc.mosaicBatches
                + " archive imports " + svc.archiveImports + " (" + svc.archivedVolumes + " volumes, index " + svc.archiveIndex.length() + " bytes) threads mosaic " + th[0] + " archive " + th[1]
                + " downloads " + svc.started + " (completed " + svc.completed + ", abandoned " + svc.abandoned + ", reaped " + svc.reaped + ") open " + svc.openDownloads.size()
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.decodeBuffers.size());
        check(SITES_BY_ID.size() == SITES && svc.zones.size() == ZONES && svc.products.size() == PRODUCT_FILES, "reference data / directories");
        check(svc.scansWritten == (long) cycles * SITES && svc.scans[SCAN_RING - 1] != null && svc.mosaicBatches == cycles, "scan ring / mosaic");
        check(th[0] == MOSAIC_THREADS && svc.mosaic.getActiveCount() == 0, "shared mosaic pool");
        check(svc.archiveImports == HOURS && th[1] == 0, "archive-import pools shut down: " + th[1]);
        check(svc.started == svc.completed + svc.abandoned && svc.reaped + svc.openDownloads.size() == svc.abandoned && svc.openDownloads.size() <= 20, "downloads closed or reaped (only the last 5 minutes' abandoned ones open)");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        th = null;
        svc = null;
        LeakCheck.histogram("java.io.RandomAccessFile", "ThreadPoolExecutor", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
