// hprofscan-dump: name=val71-leak-blueprintplotter jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val71-leak-blueprintplotter-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 71 (written blind), LEAK: the plot service of an architecture practice (drawing
 * sheets sent to the large-format plotters). Project reference data, the drawing directory, a cache
 * of rendered sheet previews at its cap, a pool of plotter raster buffers, a ring of plot receipts,
 * the in-flight jobs, and an application-level shutdown registry (a static list of cleanup
 * callbacks run at exit). Every plot request registers a lambda that captures its temporary spool
 * file and its header scratch buffer, so that a shutdown mid-plot releases them; the request cleans
 * up itself when the plot completes but never unregisters the callback. See VALIDATION71.md.
 */
public final class Val71LeakBlueprintPlotter {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PROJECTS = 1_100, DRAWINGS = 26_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, PLOTS_PER_HOUR = 1_400, HOURS = 10;
    static boolean FIXED;

    record Project(String code, String client, double[] budgetCurve) {}
    record Drawing(String number, String projectCode, String title, byte[] revisionLog, long issuedAt) {}
    record Preview(String key, byte[] png, long at) {}
    record PlotReceipt(long jobId, String drawingNumber, String plotter, int sheets, long at) {}

    /** Application-level shutdown registry: callbacks run once when the service stops. */
    static final class ShutdownRegistry {
        static final List<Runnable> CALLBACKS = new ArrayList<>();
        static synchronized void register(Runnable r) { CALLBACKS.add(r); }
        static synchronized void unregister(Runnable r) { CALLBACKS.remove(r); }
        static synchronized void runAll() { for (Runnable r : CALLBACKS) r.run(); CALLBACKS.clear(); }
    }

    /** A temporary spool file of one plot (the file system is not touched by this program). */
    static final class TempSpool {
        final String path; long bytes; boolean deleted;
        TempSpool(String path, long bytes) { this.path = path; this.bytes = bytes; }
        void delete() { deleted = true; bytes = 0; }
    }

    static final class PlotJob {
        final long id; final String drawingNumber; final long submittedAt; final long doneAt;
        TempSpool spool; byte[] header; Runnable cleanup;
        PlotJob(long id, String drawingNumber, long submittedAt, long doneAt) { this.id = id; this.drawingNumber = drawingNumber; this.submittedAt = submittedAt; this.doneAt = doneAt; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Project> PROJECTS_BY_CODE = new HashMap<>();

    static final class PlotService {
        final Map<String, Drawing> drawings = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final PlotReceipt[] receipts = new PlotReceipt[RING];
        final Map<Long, PlotJob> inFlight = new HashMap<>();
        long plotted, submitted;

        void submit(PlotJob job, Random r) {
            TempSpool spool = new TempSpool("/var/spool/plotter/" + job.drawingNumber + "/job-" + job.id + ".hpgl", 200_000 + r.nextInt(800_000));
            byte[] header = new byte[256 + r.nextInt(256)];
            Runnable cleanup = () -> { spool.delete(); Arrays.fill(header, (byte) 0); };
            ShutdownRegistry.register(cleanup);
            job.spool = spool; job.header = header; job.cleanup = cleanup;
            inFlight.put(job.id, job);
            submitted++;
        }

        void complete(PlotJob job, String plotter, int sheets) {
            byte[] raster = rasterBuffers.poll();
            raster[(int) (job.id % raster.length)] = (byte) sheets;
            rasterBuffers.add(raster);
            job.spool.delete(); // the request cleans up its own temporary resources ...
            job.header = null;
            if (FIXED) ShutdownRegistry.unregister(job.cleanup);
            // BUG: ... but its shutdown callback stays registered (and keeps the spool and header alive)
            inFlight.remove(job.id);
            receipts[(int) (plotted++ % RING)] = new PlotReceipt(job.id, job.drawingNumber, plotter, sheets, job.doneAt);
        }
    }

    static PlotService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(PlotService svc, String[] drawingNumbers, long start, long end, int plots) {
        Random r = new Random(71_020_002);
        String[] plotters = {"HP-T1700-A", "HP-T1700-B", "Canon-TX4100", "Epson-T7700"};
        PriorityQueue<PlotJob> running = new PriorityQueue<>((a, b) -> Long.compare(a.doneAt, b.doneAt));
        for (int i = 0; i <= plots; i++) {
            long t = i < plots ? start + (end - MINUTE - start) * i / plots : end;
            while (!running.isEmpty() && running.peek().doneAt <= t) svc.complete(running.poll(), plotters[r.nextInt(plotters.length)], 1 + r.nextInt(12));
            if (i == plots) break;
            String number = drawingNumbers[r.nextInt(DRAWINGS)];
            PlotJob job = new PlotJob(5_000_000L + i, number, t, t + (1 + r.nextInt(6)) * MINUTE);
            svc.submit(job, r);
            running.add(job);
            String key = number + "@" + (1 + r.nextInt(3));
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + r.nextInt(500)], t));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val71.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int plots = PLOTS_PER_HOUR * HOURS;
        Random rnd = new Random(71_020_001);
        String[] projectCodes = new String[PROJECTS];
        for (int p = 0; p < PROJECTS; p++) {
            double[] budget = new double[72];
            for (int k = 0; k < budget.length; k++) budget[k] = rnd.nextDouble() * 50_000;
            projectCodes[p] = "PRJ-" + (18_000 + p);
            PROJECTS_BY_CODE.put(projectCodes[p], new Project(projectCodes[p], "Client " + (p % 400), budget));
        }
        PlotService svc = new PlotService();
        SERVICE = svc;
        ShutdownRegistry.register(() -> svc.inFlight.clear());
        ShutdownRegistry.register(() -> svc.previews.clear());
        ShutdownRegistry.register(() -> svc.rasterBuffers.clear());
        ShutdownRegistry.register(() -> System.out.println("plot service stopped after " + svc.plotted + " plots"));
        ShutdownRegistry.register(() -> Arrays.fill(svc.receipts, null));
        String[] drawingNumbers = new String[DRAWINGS];
        String[] disciplines = {"A", "S", "M", "E", "P", "L"};
        for (int d = 0; d < DRAWINGS; d++) {
            drawingNumbers[d] = projectCodes[d % PROJECTS] + "-" + disciplines[d % disciplines.length] + "-" + (100 + d / PROJECTS);
            svc.drawings.put(drawingNumbers[d], new Drawing(drawingNumbers[d], projectCodes[d % PROJECTS], "Sheet " + d, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);
        traffic(svc, drawingNumbers, start, end, plots);
        int callbacks = ShutdownRegistry.CALLBACKS.size();
        System.out.println((FIXED ? "FIXED " : "") + "projects " + PROJECTS_BY_CODE.size() + " drawings " + svc.drawings.size() + " submitted " + svc.submitted + " plotted " + svc.plotted + " in flight " + svc.inFlight.size()
                + " shutdown callbacks " + callbacks + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.rasterBuffers.size());
        check(PROJECTS_BY_CODE.size() == PROJECTS && svc.drawings.size() == DRAWINGS, "reference data / directory");
        check(svc.submitted == plots && svc.plotted + svc.inFlight.size() == plots && svc.inFlight.size() > 0, "plot traffic");
        if (FIXED) check(callbacks == 5 + svc.inFlight.size(), "callbacks of components and in-flight jobs only");
        else check(callbacks == 5 + plots, "every plot's callback is still registered: " + callbacks);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "receipt ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
