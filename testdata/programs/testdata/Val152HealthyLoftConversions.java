// hprofscan-dump: name=val152-healthy-loftconversions jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val152-healthy-loftconversions-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 152 (written blind), HEALTHY: the quoting service of a loft-conversion builder.
 * Material reference data, the project directory, a cache of rendered quote PDFs at its cap, a ring
 * of site-survey visits, a pool of render buffers, one shared executor (2 daemon threads
 * "quote-render-<n>") reused for every quote batch, and a shared PriceBook with a listener list to
 * which each quote editor registers an inner-class listener and from which it removes it when it
 * is closed (only the open editors are registered). See VALIDATION152.md.
 */
public final class Val152HealthyLoftConversions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 1_500, PROJECTS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, EDITORS = 9_000, HOURS = 10;

    record Material(String code, String supplier, double[] priceHistory) {}
    record Project(String ref, String postcode, String loftType, byte[] surveyNotes, long enquiredAt) {}
    record QuotePdf(String key, byte[] pdf, long at) {}
    record Visit(String projectRef, String surveyor, long at) {}
    record Line(String material, double qty, double price) {}

    interface PriceListener { void onPrices(long at); }

    static final class PriceBook {
        final Map<String, Double> prices = new HashMap<>();
        final List<PriceListener> listeners = new CopyOnWriteArrayList<>();
        long updates;
        void addListener(PriceListener l) { listeners.add(l); }
        void removeListener(PriceListener l) { listeners.remove(l); }
        void publish(long at) { updates++; for (PriceListener l : listeners) l.onPrices(at); }
    }

    static final class QuoteEditor {
        final String projectRef; final List<Line> lines = new ArrayList<>(); final char[] draft; long repricedAt;
        final PriceListener repricer = new Repricer();
        QuoteEditor(String projectRef, char[] draft) { this.projectRef = projectRef; this.draft = draft; }
        final class Repricer implements PriceListener { @Override public void onPrices(long at) { repricedAt = at; } }
        void open(PriceBook book) { book.addListener(repricer); }
        void close(PriceBook book) { book.removeListener(repricer); }
    }

    static final class QuoteCache extends LinkedHashMap<String, QuotePdf> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePdf> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class QuotingService {
        final Map<String, Project> projects = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final Visit[] visits = new Visit[RING];
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final PriceBook priceBook = new PriceBook();
        final AtomicInteger renderThreads = new AtomicInteger();
        final ExecutorService render = Executors.newFixedThreadPool(2, r -> { Thread t = new Thread(r, "quote-render-" + renderThreads.incrementAndGet()); t.setDaemon(true); return t; });
        long visitCount, batches, rendered, editorsOpened, editorsClosed;

        int renderBatch(List<Project> batch) throws Exception {
            List<Future<Integer>> fs = new ArrayList<>();
            for (Project p : batch) fs.add(render.submit(() -> p.surveyNotes().length + p.loftType().length()));
            int total = 0;
            for (Future<Integer> f : fs) total += f.get();
            batches++; rendered += fs.size();
            return total;
        }
    }

    static QuotingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int liveRenderThreads() {
        int live = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("quote-render-") && t.isAlive()) live++;
        return live;
    }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(152_060_001);
        String[] codes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] hist = new double[80];
            for (int k = 0; k < hist.length; k++) hist[k] = 1 + rnd.nextDouble() * 300;
            codes[m] = "MAT-" + (60_000 + m * 3);
            MATERIALS_BY_CODE.put(codes[m], new Material(codes[m], "Supplier " + (m % 70), hist));
        }
        QuotingService svc = new QuotingService();
        SERVICE = svc;
        for (String c : codes) svc.priceBook.prices.put(c, 1 + rnd.nextDouble() * 300);
        Project[] projects = new Project[PROJECTS];
        String[] types = {"dormer", "hip-to-gable", "mansard", "velux", "l-shaped"};
        for (int p = 0; p < PROJECTS; p++) {
            String ref = "LC-" + (300_000 + p * 5);
            projects[p] = new Project(ref, "PC" + (p % 2_000), types[p % types.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_000)) * 24 * HOUR);
            svc.projects.put(ref, projects[p]);
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[65_536]);
        Random office = new Random(152_060_002);
        ArrayDeque<QuoteEditor> open = new ArrayDeque<>();
        long nextPrices = start;
        for (int i = 0; i < EDITORS; i++) {
            long t = start + (end - MINUTE - start) * i / EDITORS;
            while (nextPrices <= t) {
                for (int k = 0; k < 10; k++) svc.priceBook.prices.put(codes[office.nextInt(MATERIALS)], 1 + office.nextDouble() * 300);
                svc.priceBook.publish(nextPrices);
                nextPrices += MINUTE;
            }
            while (open.size() >= 6) { open.poll().close(svc.priceBook); svc.editorsClosed++; }
            QuoteEditor e = new QuoteEditor(projects[office.nextInt(PROJECTS)].ref(), new char[300 + office.nextInt(300)]);
            for (int l = 0, n = 4 + office.nextInt(8); l < n; l++) {
                String m = codes[office.nextInt(MATERIALS)];
                e.lines.add(new Line(m, 1 + office.nextInt(40), svc.priceBook.prices.get(m)));
            }
            e.open(svc.priceBook);
            svc.editorsOpened++;
            open.add(e);
            if (i % 15 == 0) { // a quote batch every 15 editors: 600 batches on the shared executor
                List<Project> batch = new ArrayList<>();
                for (int k = 0, n = 4 + office.nextInt(12); k < n; k++) batch.add(projects[office.nextInt(PROJECTS)]);
                svc.renderBatch(batch);
            }
            svc.visits[(int) (svc.visitCount++ % RING)] = new Visit(projects[office.nextInt(PROJECTS)].ref(), "Surveyor " + office.nextInt(25), t);
            svc.visits[(int) (svc.visitCount++ % RING)] = new Visit(projects[office.nextInt(PROJECTS)].ref(), "Surveyor " + office.nextInt(25), t);
            String key = "quote-" + office.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new QuotePdf(key, new byte[500 + office.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        int stillOpen = open.size();
        int live = liveRenderThreads();
        System.out.println("materials " + MATERIALS_BY_CODE.size() + " projects " + svc.projects.size() + " editors opened " + svc.editorsOpened + " closed " + svc.editorsClosed + " listeners " + svc.priceBook.listeners.size() + " price updates " + svc.priceBook.updates
                + " batches " + svc.batches + " rendered " + svc.rendered + " render threads " + live + " visits " + svc.visitCount + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.renderBuffers.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.projects.size() == PROJECTS, "reference data / directory");
        check(svc.editorsOpened == EDITORS && svc.editorsClosed == EDITORS - stillOpen && svc.priceBook.listeners.size() == stillOpen && stillOpen == 6, "listeners: " + svc.priceBook.listeners.size());
        check(svc.batches == EDITORS / 15 && live == 2 && svc.renderThreads.get() == 2, "shared executor: " + live);
        check(svc.visitCount == 2L * EDITORS && svc.visits[RING - 1] != null, "ring");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
    }

    public static void main(String[] args) throws Exception {
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
