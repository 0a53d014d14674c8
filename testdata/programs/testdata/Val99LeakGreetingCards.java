// hprofscan-dump: name=val99-leak-greetingcards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val99-leak-greetingcards-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 99 (written blind), LEAK: the render service of an online shop for personalised
 * greeting cards. Card-template reference data, the customer directory, a cache of rendered preview
 * thumbnails at its cap, a pool of raster buffers, a ring of recent print jobs, and a static list of
 * cleanup callbacks (ShutdownCleanup.ON_SHUTDOWN, a List<Runnable> meant for "delete our temp files
 * at shutdown"). Every render request registers a lambda that deletes its temp files (the proof PDF
 * and the print-ready TIFF); the lambda captures the request's RenderContext (with its artwork
 * preview) and its proof buffer. The request deletes its temp files itself when it completes but
 * never unregisters the callback, so the list keeps one lambda, its context and its buffers per
 * request since start. See VALIDATION99.md.
 */
public final class Val99LeakGreetingCards {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEMPLATES = 1_000, CUSTOMERS = 22_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10;
    static final int RENDERS_PER_HOUR = 300, BROWSES_PER_HOUR = 4_000;
    static boolean FIXED;

    record CardTemplate(String code, String occasion, double[] layoutGrid) {}
    record Customer(String accountId, String email, byte[] addressBook, long joinedAt) {}
    record Preview(String key, byte[] thumbnail, long at) {}
    record PrintJob(String orderId, String templateCode, int copies, long at) {}

    /** Per-request state of a render: the personalised card and its temp files. */
    static final class RenderContext {
        final String orderId, customerId, templateCode, message;
        final byte[] artwork;
        final List<String> tempPaths = new ArrayList<>(2);
        final long startedAt;
        boolean tempFilesDeleted;
        RenderContext(String orderId, String customerId, String templateCode, String message, byte[] artwork, long startedAt) {
            this.orderId = orderId; this.customerId = customerId; this.templateCode = templateCode; this.message = message; this.artwork = artwork; this.startedAt = startedAt;
        }
    }

    /** "Run these at shutdown": temp-file cleanup for anything a crash or a stop leaves behind. */
    static final class ShutdownCleanup {
        static final List<Runnable> ON_SHUTDOWN = new ArrayList<>();
        static Runnable register(Runnable r) { ON_SHUTDOWN.add(r); return r; }
        static void unregister(Runnable r) { ON_SHUTDOWN.remove(r); }
    }

    static final class TempFiles {
        static long deleted;
        static void delete(RenderContext ctx, byte[] proof) {
            if (!ctx.tempFilesDeleted) { deleted += ctx.tempPaths.size(); ctx.tempFilesDeleted = true; proof[0] = 0; }
        }
    }

    /** Shutdown work of the service's components, registered once at startup. */
    static final class Components {
        static int runs;
        static void flushPrintSpooler() { runs++; }
        static void closeFontCache() { runs++; }
        static void deleteWorkDirectory() { runs++; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CardTemplate> TEMPLATES_BY_CODE = new HashMap<>();

    static final class RenderService {
        final Map<String, Customer> customers = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final PrintJob[] printJobs = new PrintJob[RING];
        long jobs, renders, browses;

        void render(RenderContext ctx, Random r, long at) {
            ctx.tempPaths.add("/var/tmp/cards/" + ctx.orderId + "-proof.pdf");
            ctx.tempPaths.add("/var/tmp/cards/" + ctx.orderId + "-print.tiff");
            byte[] proof = new byte[1_500 + r.nextInt(1_500)];
            Runnable cleanup = ShutdownCleanup.register(() -> TempFiles.delete(ctx, proof));
            try {
                byte[] raster = rasterBuffers.poll();
                raster[(int) (renders % raster.length)] = proof[0];
                rasterBuffers.add(raster);
                printJobs[(int) (jobs++ % RING)] = new PrintJob(ctx.orderId, ctx.templateCode, 1 + r.nextInt(50), at);
                renders++;
            } finally {
                TempFiles.delete(ctx, proof); // the request's own cleanup
                if (FIXED) ShutdownCleanup.unregister(cleanup); // the fix; BUG: missing, the callback stays registered
            }
        }
    }

    static RenderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int renders = RENDERS_PER_HOUR * HOURS, browses = BROWSES_PER_HOUR * HOURS, events = renders + browses;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(99_040_001);
        // component callbacks registered once at startup (legitimate)
        ShutdownCleanup.register(Components::flushPrintSpooler);
        ShutdownCleanup.register(Components::closeFontCache);
        ShutdownCleanup.register(Components::deleteWorkDirectory);
        String[] templateCodes = new String[TEMPLATES];
        String[] occasions = {"birthday", "wedding", "sympathy", "new baby", "thank you", "holiday", "graduation"};
        for (int t = 0; t < TEMPLATES; t++) {
            double[] grid = new double[96];
            for (int k = 0; k < grid.length; k++) grid[k] = rnd.nextDouble() * 148;
            templateCodes[t] = "TPL-" + (2_000 + t);
            TEMPLATES_BY_CODE.put(templateCodes[t], new CardTemplate(templateCodes[t], occasions[t % occasions.length], grid));
        }
        RenderService svc = new RenderService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "GC" + (60_000_000 + c * 13);
            svc.customers.put(accounts[c], new Customer(accounts[c], "customer" + c + "@example.org", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[65_536]);
        Random traffic = new Random(99_040_002);
        Random render = new Random(99_040_003);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (traffic.nextInt(events - i) < renders) { // a personalised card is ordered and rendered
                renders--;
                RenderContext ctx = new RenderContext("CARD-" + (5_000_000 + i), accounts[traffic.nextInt(CUSTOMERS)], templateCodes[traffic.nextInt(TEMPLATES)],
                        "Dear " + traffic.nextInt(10_000) + ", all the best from all of us! #" + i, new byte[1_000 + traffic.nextInt(1_000)], t);
                svc.render(ctx, render, t);
            } else { // a shopper browses templates
                String key = "prv-" + traffic.nextInt(5_000);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
                svc.browses++;
            }
        }
        int callbacks = ShutdownCleanup.ON_SHUTDOWN.size();
        System.out.println((FIXED ? "FIXED " : "") + "templates " + TEMPLATES_BY_CODE.size() + " customers " + svc.customers.size() + " renders " + svc.renders + " temp files deleted " + TempFiles.deleted
                + " ON_SHUTDOWN " + callbacks + " browses " + svc.browses + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.rasterBuffers.size()
                + " print jobs " + svc.jobs);
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.renders == RENDERS_PER_HOUR * HOURS && svc.browses == BROWSES_PER_HOUR * HOURS && TempFiles.deleted == 2 * svc.renders, "traffic");
        if (FIXED) check(callbacks == 3, "fixed: only the component callbacks");
        else check(callbacks == 3 + svc.renders, "one callback per render stays: " + callbacks);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.jobs == svc.renders && svc.jobs > RING && svc.printJobs[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val99.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
