// hprofscan-dump: name=val14-leak-printondemand jvm="-Xmx256m --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val14-leak-printondemand-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens java.base/java.io=ALL-UNNAMED" variants=jcmd
package testdata;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 14 (written blind), LEAK (small): the print-on-demand backend of a book printer.
 * Every order renders a cover PDF and an interior PDF into a spool directory; the renderer calls
 * {@code File.deleteOnExit()} on each spool file "in case the upload to the press fails" and
 * deletes the file itself once the press has it. {@code deleteOnExit} adds the path to the JDK's
 * static {@code java.io.DeleteOnExitHook.files} set, which only the JVM shutdown empties, so every
 * spool path of every order since startup stays (the files themselves are gone). 10 simulated
 * hours, 8,000 orders. Legitimate, much bigger: the title catalog (loaded at startup), the ICC
 * colour profiles, a preflight-report LRU at its cap, the jobs waiting for a press, a capped
 * history of shipped orders and a fixed pool of PDF renderers with a raster scratch each (a
 * ThreadLocal). The spool writes are simulated (no file is created). See testdata/VALIDATION14.md.
 */
public final class Val14LeakPrintOnDemand {
    static final int TITLES = 50_000;
    static final int ORDERS = 8_000;
    static final int ICC_PROFILES = 12;
    static final int PREFLIGHT_CAP = 4_000;
    static final int SHIPPED_CAP = 5_000;
    static final int RENDERERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String SPOOL = "/var/spool/bookpress/render";

    static PrintService PRESS;
    static final ThreadLocal<byte[]> RASTER_SCRATCH = ThreadLocal.withInitial(() -> new byte[512 * 1024]);

    static final class Title { final String isbn13; final String title; final String author; final String blurb; final int pageCount; final short trimWidthMm; final short trimHeightMm; final String paperStock; final long publishedAt;
        Title(String isbn13, String title, String author, String blurb, int pageCount, short trimWidthMm, short trimHeightMm, String paperStock, long publishedAt) { this.isbn13 = isbn13; this.title = title; this.author = author; this.blurb = blurb; this.pageCount = pageCount; this.trimWidthMm = trimWidthMm; this.trimHeightMm = trimHeightMm; this.paperStock = paperStock; this.publishedAt = publishedAt; } }

    /** Reference data: ICC colour profiles of the presses. */
    static final class ColourManagement {
        static final Map<String, byte[]> ICC_BY_PRESS_MODEL = new HashMap<>();
    }

    static final class PreflightReport { final String isbn13; final int pages; final List<String> warnings; final long checkedAt;
        PreflightReport(String isbn13, int pages, List<String> warnings, long checkedAt) { this.isbn13 = isbn13; this.pages = pages; this.warnings = warnings; this.checkedAt = checkedAt; } }

    static final class PreflightLru extends LinkedHashMap<String, PreflightReport> {
        long evicted;
        PreflightLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreflightReport> e) { if (size() > PREFLIGHT_CAP) { evicted++; return true; } return false; }
    }

    static final class PrintJob { final String orderId; final Title title; final int copies; final File coverPdf; final File interiorPdf; final long renderedAt;
        PrintJob(String orderId, Title title, int copies, File coverPdf, File interiorPdf, long renderedAt) { this.orderId = orderId; this.title = title; this.copies = copies; this.coverPdf = coverPdf; this.interiorPdf = interiorPdf; this.renderedAt = renderedAt; } }

    static final class ShippedOrder { final String orderId; final String isbn13; final int copies; final String carrier; final long shippedAt;
        ShippedOrder(String orderId, String isbn13, int copies, String carrier, long shippedAt) { this.orderId = orderId; this.isbn13 = isbn13; this.copies = copies; this.carrier = carrier; this.shippedAt = shippedAt; } }

    static final class PrintService {
        final Map<String, Title> catalog = new HashMap<>();
        final PreflightLru preflight = new PreflightLru();
        final ArrayDeque<PrintJob> awaitingPress = new ArrayDeque<>();
        final ArrayDeque<ShippedOrder> shipped = new ArrayDeque<>();
        long shippedRotated;
        final AtomicInteger rendererSeq = new AtomicInteger();
        final ThreadPoolExecutor renderers = new ThreadPoolExecutor(RENDERERS, RENDERERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "pdf-render-" + rendererSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties pressSettings = new Properties();
        final boolean fixed;
        long spoolFilesDeleted;
        PrintService(boolean fixed) { this.fixed = fixed; }

        File spoolFile(String day, String orderId, String name) {
            File f = new File(SPOOL + "/" + day + "/" + orderId + "/" + name);
            if (!fixed) f.deleteOnExit(); // BUG: the JDK keeps the path until the JVM exits
            return f;
        }
        void pressAccepted(PrintJob j) { j.coverPdf.delete(); j.interiorPdf.delete(); spoolFilesDeleted += 2; }
        void ship(ShippedOrder o) { shipped.addLast(o); while (shipped.size() > SHIPPED_CAP) { shipped.removeFirst(); shippedRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    @SuppressWarnings("unchecked")
    static int deleteOnExitPaths() throws Exception {
        Class<?> hook = Class.forName("java.io.DeleteOnExitHook");
        Field f = hook.getDeclaredField("files");
        f.setAccessible(true);
        Object files = f.get(null);
        return files == null ? 0 : ((Collection<String>) files).size();
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val14.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(14_050_001);
        PrintService svc = new PrintService(fixed);
        PRESS = svc;
        int preexisting = deleteOnExitPaths();
        for (int i = 0; i < 65; i++) svc.pressSettings.setProperty("press.duplex.margin." + i, (3 + i % 4) + "mm");
        String[] models = {"HP-T250", "HP-T490", "Canon-VP6000", "Xerox-B9", "Kodak-P5000", "Ricoh-VC70000"};
        for (int i = 0; i < ICC_PROFILES; i++) { byte[] icc = new byte[256 * 1024]; rnd.nextBytes(icc); ColourManagement.ICC_BY_PRESS_MODEL.put(models[i % 6] + (i < 6 ? "-coated" : "-uncoated"), icc); }
        String[] stocks = {"50lb-cream", "60lb-white", "70lb-white", "80lb-gloss"};
        String[] isbns = new String[TITLES];
        for (int i = 0; i < TITLES; i++) {
            String isbn = "978" + (1_000_000_000L + i * 7L);
            isbns[i] = isbn;
            svc.catalog.put(isbn, new Title(isbn, "The Long Way Home, volume " + i, "Author " + (i % 9_000) + " Smith", "A story about " + (i % 300) + " journeys across the northern coast, told by a lighthouse keeper and her daughter; edition " + (i % 11) + ".",
                    80 + rnd.nextInt(700), (short) (127 + rnd.nextInt(90)), (short) (203 + rnd.nextInt(80)), stocks[rnd.nextInt(4)], now - DAY * rnd.nextInt(5_000)));
        }
        CyclicBarrier ready = new CyclicBarrier(RENDERERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < RENDERERS; w++) warm.add(svc.renderers.submit(() -> { RASTER_SCRATCH.get()[0] = 1; ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Orders spread over 10 hours up to the dump; each is rendered, queued for a press, and the
        // press takes it 2-20 minutes later (the spool files are then deleted) and ships it.
        String day = new java.text.SimpleDateFormat("yyyy-MM-dd").format(new java.util.Date(now));
        String[] carriers = {"UPS", "DHL", "USPS", "FedEx"};
        int waiting = 0;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (now - start) * i / ORDERS;
            Title title = svc.catalog.get(isbns[rnd.nextInt(TITLES)]);
            PreflightReport rep = svc.preflight.get(title.isbn13);
            if (rep == null) {
                List<String> warns = new ArrayList<>();
                for (int k = rnd.nextInt(4); k > 0; k--) warns.add("image below 300 dpi on page " + rnd.nextInt(title.pageCount));
                svc.preflight.put(title.isbn13, new PreflightReport(title.isbn13, title.pageCount, warns, t));
            }
            String orderId = "ord-" + (7_300_000 + i);
            PrintJob job = new PrintJob(orderId, title, 1 + rnd.nextInt(40), svc.spoolFile(day, orderId, "cover-" + title.isbn13 + "-" + title.trimWidthMm + "x" + title.trimHeightMm + ".pdf"),
                    svc.spoolFile(day, orderId, "interior-" + title.isbn13 + "-p0001-" + String.format("%04d", title.pageCount) + ".pdf"), t);
            long acceptedAt = t + (2 + rnd.nextInt(19)) * MINUTE;
            if (acceptedAt <= now) {
                svc.pressAccepted(job);
                svc.ship(new ShippedOrder(orderId, title.isbn13, job.copies, carriers[rnd.nextInt(4)], acceptedAt));
            } else { svc.awaitingPress.addLast(job); waiting++; }
        }
        int paths = deleteOnExitPaths() - preexisting;
        int expectedPaths = fixed ? 0 : 2 * ORDERS;
        System.out.println((fixed ? "FIXED " : "") + "titles " + svc.catalog.size() + " icc " + ColourManagement.ICC_BY_PRESS_MODEL.size() + " preflight " + svc.preflight.size() + " (evicted " + svc.preflight.evicted + ") awaiting press " + svc.awaitingPress.size() + " shipped " + svc.shipped.size() + " (rotated " + svc.shippedRotated + ") deleteOnExit paths " + paths + " (preexisting " + preexisting + ", spool files deleted " + svc.spoolFilesDeleted + ")");
        check(preexisting == 0 && paths == expectedPaths, "deleteOnExit paths");
        check(svc.catalog.size() == TITLES && ColourManagement.ICC_BY_PRESS_MODEL.size() == ICC_PROFILES, "reference data");
        check(svc.awaitingPress.size() == waiting && waiting > 50 && waiting < 300 && svc.spoolFilesDeleted == 2L * (ORDERS - waiting), "awaiting press");
        check(svc.shipped.size() == SHIPPED_CAP && svc.shippedRotated == ORDERS - waiting - SHIPPED_CAP, "shipped");
        check(svc.preflight.size() == PREFLIGHT_CAP && svc.preflight.evicted > 0 && svc.renderers.getPoolSize() == RENDERERS, "preflight/pool");
        isbns = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
