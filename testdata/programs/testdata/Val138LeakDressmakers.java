// hprofscan-dump: name=val138-leak-dressmakers jvm="-Xmx266m --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val138-leak-dressmakers-parallel jvm="-Xmx266m -XX:+UseParallelGC --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Validation set 138 (written blind), LEAK: the made-to-measure download service of a dressmaking
 * pattern publisher. Each request grades a sewing pattern to the customer's measurements and
 * renders it (A0 copy-shop sheet, A4 tiles and the projector file) into a temp file under the
 * render spool, calls File.deleteOnExit() on it "in case the render crashes", streams it to the
 * customer and then deletes the file itself. The JDK's java.io.DeleteOnExitHook keeps every path
 * ever registered in its static LinkedHashSet until the JVM exits: one long path String per
 * download. The files on disk are small and all deleted. Plus pattern reference data, the customer
 * measurement profiles, a cache of rendered previews at its cap, a pool of plotter buffers, a ring
 * of recent renders and the paper-pattern print queue with its normal backlog.
 * See VALIDATION138.md.
 */
public final class Val138LeakDressmakers {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int PATTERNS = 1_000, CUSTOMERS = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, DOWNLOADS_PER_HOUR = 3_600;
    static final String[] FORMATS = {"a0-copyshop", "a4-us-letter-tiled", "projector-layers"};
    static boolean FIXED;

    record SewingPattern(String code, String name, String garment, double[] gradeRules) {}
    record Customer(String customerNo, String email, byte[] measurements, long since) {}
    record Preview(String key, byte[] png, long renderedAt) {}
    record Render(String orderNo, String customerNo, String patternCode, String format, int bytes, long at) {}
    record PrintJob(String orderNo, String patternCode, String format, long orderedAt) {}

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SewingPattern> PATTERNS_BY_CODE = new HashMap<>();

    static final class PatternService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerNos = new String[CUSTOMERS];
        final String[] patternCodes = new String[PATTERNS];
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> plotterBuffers = new ArrayDeque<>();
        final Render[] recentRenders = new Render[RING];
        final ArrayDeque<PrintJob> printQueue = new ArrayDeque<>();
        final File spoolRoot;
        long downloads, registered, tempDeleted, bytesStreamed, printed, prints;
        PatternService(File spoolRoot) { this.spoolRoot = spoolRoot; }

        /** One made-to-measure download: render into a temp file, stream it, delete it. */
        void download(Random r, String orderNo, long t) throws IOException {
            String customerNo = customerNos[r.nextInt(CUSTOMERS)];
            SewingPattern p = PATTERNS_BY_CODE.get(patternCodes[r.nextInt(PATTERNS)]);
            String format = FORMATS[r.nextInt(FORMATS.length)];
            File dir = new File(spoolRoot, p.garment() + File.separator + p.code());
            File out = new File(dir, "mtm-" + orderNo + "-" + customerNo + "-" + p.code() + "-graded-b" + (80 + r.nextInt(50)) + "-w" + (60 + r.nextInt(50)) + "-h" + (85 + r.nextInt(50)) + "-" + format + ".pdf");
            Files.write(out.toPath(), ("%PDF-1.7\n% " + p.name() + " graded for " + customerNo + " " + format + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1));
            if (!FIXED) { out.deleteOnExit(); registered++; } // BUG: a safety net that keeps every path until the JVM exits
            try {
                bytesStreamed += Files.size(out.toPath());
                byte[] buf = plotterBuffers.poll();
                buf[(int) (downloads % buf.length)] = (byte) format.length();
                plotterBuffers.add(buf);
            } finally {
                if (out.delete()) tempDeleted++;
            }
            recentRenders[(int) (downloads++ % RING)] = new Render(orderNo, customerNo, p.code(), format, (int) bytesStreamed, t);
            String key = "preview-" + patternCodes[r.nextInt(PATTERNS)] + "-" + r.nextInt(6);
            if (previews.get(key) == null) previews.put(key, new Preview(key, new byte[400 + r.nextInt(600)], t));
            if (r.nextInt(8) == 0) { printQueue.addLast(new PrintJob(orderNo, p.code(), "a0-copyshop", t)); prints++; }
        }
    }

    static PatternService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(138_050_001);
        String[] garments = {"dresses", "blouses", "trousers", "skirts", "jackets", "coats", "jumpsuits", "shirts"};
        String[] names = {"Wrap Dress", "Tea Dress", "Shirt Dress", "Culottes", "Pencil Skirt", "Chore Jacket", "Trench Coat", "Boilersuit", "Camp Shirt", "Peasant Blouse"};
        // a fixed-length, per-process spool (the pid zero-padded): /tmp/atelier-patterns-0001234/render-spool/made-to-measure/...
        String pid = String.format("%07d", ProcessHandle.current().pid() % 10_000_000);
        File root = new File(System.getProperty("java.io.tmpdir"), "atelier-patterns-" + pid);
        File spool = new File(root, "render-spool" + File.separator + "made-to-measure" + File.separator + "graded-output");
        PatternService svc = new PatternService(spool);
        SERVICE = svc;
        for (int i = 0; i < PATTERNS; i++) {
            double[] rules = new double[48];
            for (int k = 0; k < rules.length; k++) rules[k] = rnd.nextDouble() * 3;
            String garment = garments[i % garments.length];
            svc.patternCodes[i] = "AP" + (1_200 + i);
            PATTERNS_BY_CODE.put(svc.patternCodes[i], new SewingPattern(svc.patternCodes[i], names[rnd.nextInt(names.length)] + " No. " + i, garment, rules));
            Files.createDirectories(new File(spool, garment + File.separator + svc.patternCodes[i]).toPath());
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            svc.customerNos[c] = "C" + (4_400_000 + c * 9);
            svc.customers.put(svc.customerNos[c], new Customer(svc.customerNos[c], "sewer" + c + "@example.org", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotterBuffers.add(new byte[32_768]);
        Random traffic = new Random(138_050_002);
        int n = DOWNLOADS_PER_HOUR * HOURS;
        try {
            for (int i = 0; i < n; i++) {
                long t = start + (end - MINUTE - start) * i / n;
                svc.download(traffic, "MTM" + (9_100_000 + i), t);
                while (!svc.printQueue.isEmpty() && svc.printQueue.peekFirst().orderedAt() <= t - 40 * MINUTE) { svc.printQueue.pollFirst(); svc.printed++; }
            }
        } finally {
            long files;
            try (Stream<Path> s = Files.walk(root.toPath())) { files = s.filter(Files::isRegularFile).count(); }
            try (Stream<Path> s = Files.walk(root.toPath())) { s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete()); } // the spool directories
            check(files == 0, "temp files left on disk: " + files);
        }
    }

    /** The size of the JDK's registry (what a heap dump shows as java.io.DeleteOnExitHook.files); needs --add-opens java.base/java.io. */
    static int registeredPaths() throws Exception {
        java.lang.reflect.Field f = Class.forName("java.io.DeleteOnExitHook").getDeclaredField("files");
        f.setAccessible(true);
        return ((java.util.Collection<?>) f.get(null)).size();
    }

    static void report() throws Exception {
        PatternService svc = SERVICE;
        int paths = registeredPaths();
        System.out.println((FIXED ? "FIXED " : "") + "patterns " + PATTERNS_BY_CODE.size() + " customers " + svc.customers.size() + " downloads " + svc.downloads + " registered " + svc.registered + " (hook paths " + paths + ") deleted "
                + svc.tempDeleted + " streamed " + svc.bytesStreamed + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") prints " + svc.prints + " printed " + svc.printed + " queued " + svc.printQueue.size());
        long n = (long) DOWNLOADS_PER_HOUR * HOURS;
        check(PATTERNS_BY_CODE.size() == PATTERNS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.downloads == n && svc.tempDeleted == n && svc.registered == (FIXED ? 0 : n) && paths == svc.registered, "downloads / registered paths");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0 && svc.plotterBuffers.size() == POOL && svc.recentRenders[RING - 1] != null, "cache at cap / pool / ring");
        check(svc.printQueue.size() == 288, "print backlog " + svc.printQueue.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val138.fixed");
        run();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
