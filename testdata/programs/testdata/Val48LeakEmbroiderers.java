// hprofscan-dump: name=val48-leak-embroiderers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val48-leak-embroiderers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 48 (written blind), LEAK: the design-upload service of a custom embroidery shop
 * (customers upload their artwork and stitch files for digitizing). Thread-colour reference data,
 * the stock design directory, a cache of rendered stitch previews at its cap, a pool of stitch
 * decode buffers, a ring of recent orders and the map of uploads in progress. Every upload
 * registers an anonymous inner class (a Runnable that would delete the upload's temporary file and
 * buffer) on the server's long-lived lifecycle object (ServerLifecycle.shutdownHooks), so that an
 * interrupted upload leaves nothing behind at shutdown; the hook is not removed when the upload
 * completes, and each hook captures its upload handler with the handler's last chunk. See
 * VALIDATION48.md.
 */
public final class Val48LeakEmbroiderers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COLOURS = 1_100, DESIGNS = 24_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            UPLOADS_PER_HOUR = 240, IN_PROGRESS = 4, CHUNK = 65_536, COMPONENT_HOOKS = 5;
    static boolean FIXED;

    record ThreadColour(String code, String name, double[] dyeLotHistory) {}
    record StockDesign(String designId, String category, int stitches, byte[] stitchMeta, long addedAt) {}
    record Preview(String key, byte[] png, long at) {}
    record Order(String orderId, String customerId, String designId, int garments, long at) {}

    /** The server's lifecycle: hooks run once, at shutdown. Lives as long as the process. */
    static final class ServerLifecycle {
        final List<Runnable> shutdownHooks = new ArrayList<>();
        final long startedAt;
        ServerLifecycle(long startedAt) { this.startedAt = startedAt; }
        void onShutdown(Runnable hook) { shutdownHooks.add(hook); }
        boolean removeShutdownHook(Runnable hook) { return shutdownHooks.remove(hook); }
    }

    /** One per upload of a customer's artwork / stitch file. */
    static final class UploadHandler {
        final String uploadId, customerId, fileName, tempPath;
        final long startedAt;
        long completedAt, bytesReceived;
        int chunksReceived;
        byte[] lastChunk;
        boolean tempDeleted;
        Runnable cleanupHook;

        UploadHandler(String uploadId, String customerId, String fileName, long startedAt) {
            this.uploadId = uploadId; this.customerId = customerId; this.fileName = fileName; this.startedAt = startedAt;
            this.tempPath = "/var/spool/stitchworks/" + uploadId + ".part";
        }

        void begin(ServerLifecycle lifecycle) {
            cleanupHook = new Runnable() {
                @Override public void run() { deleteTempFile(); }
            };
            lifecycle.onShutdown(cleanupHook);
        }

        void receive(byte[] chunk, int length) {
            lastChunk = chunk;
            chunksReceived++;
            bytesReceived += length;
        }

        void deleteTempFile() { tempDeleted = true; lastChunk = null; }

        void complete(ServerLifecycle lifecycle, long at) {
            completedAt = at;
            if (FIXED) lifecycle.removeShutdownHook(cleanupHook);
            // BUG: the shutdown hook is left registered; it keeps this handler (and lastChunk) alive
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ThreadColour> COLOURS_BY_CODE = new HashMap<>();

    static final class DesignService {
        final ServerLifecycle lifecycle;
        final Map<String, StockDesign> designs = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> stitchBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        final Map<String, UploadHandler> uploads = new HashMap<>();
        long orders, uploadsStarted, uploadsCompleted, bytesUploaded;
        DesignService(ServerLifecycle lifecycle) { this.lifecycle = lifecycle; }
    }

    static DesignService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val48.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(48_040_001);
        String[] colourNames = {"Madeira Red", "Navy", "Forest", "Gold", "Ivory", "Teal", "Plum", "Silver"};
        for (int c = 0; c < COLOURS; c++) {
            double[] lots = new double[64];
            for (int k = 0; k < lots.length; k++) lots[k] = rnd.nextDouble() * 100;
            String code = "TH-" + (1_800 + c);
            COLOURS_BY_CODE.put(code, new ThreadColour(code, colourNames[c % colourNames.length] + " " + c, lots));
        }
        ServerLifecycle lifecycle = new ServerLifecycle(start);
        DesignService svc = new DesignService(lifecycle);
        SERVICE = svc;
        // the long-lived components register their own shutdown hooks once
        lifecycle.onShutdown(() -> svc.previews.clear());
        lifecycle.onShutdown(() -> svc.stitchBuffers.clear());
        lifecycle.onShutdown(() -> svc.uploads.clear());
        lifecycle.onShutdown(() -> java.util.Arrays.fill(svc.recentOrders, null));
        lifecycle.onShutdown(() -> svc.designs.size());
        String[] categories = {"monogram", "floral", "sports crest", "corporate logo", "pet portrait", "wedding"};
        String[] designIds = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) {
            designIds[d] = "DSN-" + (400_000 + d);
            svc.designs.put(designIds[d], new StockDesign(designIds[d], categories[d % categories.length], 2_000 + rnd.nextInt(40_000), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stitchBuffers.add(new byte[32_768]);
        Random traffic = new Random(48_040_002);
        int uploads = UPLOADS_PER_HOUR * HOURS;
        String[] extensions = {".dst", ".pes", ".jef", ".exp", ".png", ".svg"};
        for (int u = 0; u < uploads; u++) {
            long t = start + (end - 2 * MINUTE - start) * u / uploads;
            String customer = "EMB-C" + (30_000 + traffic.nextInt(50_000));
            String id = "UP-" + Long.toHexString(0x48_0000_0000L + u * 7_919L);
            UploadHandler h = new UploadHandler(id, customer, "artwork-" + traffic.nextInt(100_000) + extensions[traffic.nextInt(extensions.length)], t);
            svc.uploads.put(id, h);
            svc.uploadsStarted++;
            h.begin(lifecycle);
            int fullChunks = 1 + traffic.nextInt(12);
            boolean stillRunning = u >= uploads - IN_PROGRESS;
            // full chunks are streamed to the temp file through a pooled buffer; the final chunk is partial
            for (int c = 0; c < (stillRunning ? fullChunks / 2 : fullChunks); c++) {
                byte[] buf = svc.stitchBuffers.poll();
                buf[c] = (byte) u;
                svc.stitchBuffers.add(buf);
                h.receive(buf, CHUNK);
            }
            if (!stillRunning) {
                int len = 512 + traffic.nextInt(3_584);
                h.receive(new byte[len], len);
                h.complete(lifecycle, t + (5 + traffic.nextInt(50)) * 1_000L);
                svc.uploads.remove(id);
                svc.uploadsCompleted++;
                svc.bytesUploaded += h.bytesReceived;
            } else {
                h.lastChunk = new byte[CHUNK]; // the chunk being received right now
            }
            // the orders and stitch previews of the shop between two uploads (~15 s apart)
            for (int k = 0; k < 4; k++) {
                String key = "pv-" + traffic.nextInt(4_000);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t + k * 3_000L));
            }
            if (traffic.nextInt(100) < 40) {
                svc.recentOrders[(int) (svc.orders % RING)] = new Order("SO-" + (9_000_000 + svc.orders), customer, designIds[traffic.nextInt(DESIGNS)], 1 + traffic.nextInt(200), t);
                svc.orders++;
            }
        }
        // the ring holds orders of the shop's other channels too (phone, trade counter): 8 per upload slot
        Random counter = new Random(48_040_003);
        for (int o = 0; o < 8 * uploads; o++) {
            long t = start + (end - 2 * MINUTE - start) * o / (8L * uploads);
            svc.recentOrders[(int) (svc.orders % RING)] = new Order("SO-" + (9_000_000 + svc.orders), "EMB-C" + (30_000 + counter.nextInt(50_000)), designIds[counter.nextInt(DESIGNS)], 1 + counter.nextInt(200), t);
            svc.orders++;
        }
        int hooks = lifecycle.shutdownHooks.size();
        System.out.println((FIXED ? "FIXED " : "") + "colours " + COLOURS_BY_CODE.size() + " designs " + svc.designs.size() + " uploads started " + svc.uploadsStarted + " completed "
                + svc.uploadsCompleted + " in progress " + svc.uploads.size() + " shutdown hooks " + hooks + " bytes uploaded " + svc.bytesUploaded + " previews " + svc.previews.size()
                + " (evicted " + svc.previews.evicted + ") pool " + svc.stitchBuffers.size() + " orders " + svc.orders);
        check(COLOURS_BY_CODE.size() == COLOURS && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.uploadsStarted == uploads && svc.uploadsCompleted == uploads - IN_PROGRESS && svc.uploads.size() == IN_PROGRESS, "uploads");
        if (FIXED) check(hooks == COMPONENT_HOOKS + IN_PROGRESS, "fixed: hooks of the components and the uploads in progress: " + hooks);
        else check(hooks == COMPONENT_HOOKS + uploads, "every upload's hook kept: " + hooks);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.stitchBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
