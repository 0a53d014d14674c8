// hprofscan-dump: name=val117-leak-pavingquotes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val117-leak-pavingquotes-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 117 (written blind), LEAK: the online quoting service of a driveway and patio
 * paving contractor. Material price lists (reference data), the customer directory, a cache of
 * rendered quote PDFs at its cap, a pool of drawing buffers, a ring of issued quotes and a queue of
 * surveyor visits; quotes are computed on 8 lane threads (a customer's requests always on the same
 * lane). Each request builds a new AreaEstimator whose instance field is a
 * {@code new ThreadLocal<Workspace>()}: the estimator sets it on the lane thread and never removes
 * it; the workspace is an inner class that keeps its estimator (and so its ThreadLocal and its
 * request) reachable, so each lane thread's ThreadLocalMap keeps one entry per request it ever ran.
 * See VALIDATION117.md.
 */
public final class Val117LeakPavingQuotes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MATERIALS = 1_200, CUSTOMERS = 20_000, PDF_CAP = 2_000, POOL = 8, RING = 8_192, LANES = 8, HOURS = 10, QUOTES_PER_HOUR = 3_000;
    static boolean FIXED;

    record Material(String sku, String name, double[] priceByRegion) {}
    record Customer(String customerId, String name, String postcode, byte[] siteNotes, long since) {}
    record QuotePdf(String key, byte[] rendered, long at) {}
    record IssuedQuote(String quoteId, String customerId, double squareMetres, long pricePence, long at) {}
    record SurveyVisit(String quoteId, String postcode, long bookedFor) {}
    record QuoteRequest(String quoteId, String customerId, String postcode, String surface, String edging, double lengthM, double widthM, long receivedAt) {}

    /** Per-request helper: estimates the area, sub-base and materials of one quote request. */
    static final class AreaEstimator {
        private final ThreadLocal<Workspace> workspace = new ThreadLocal<>();
        final QuoteRequest request;
        AreaEstimator(QuoteRequest request) { this.request = request; }

        /** Scratch of one estimate; an inner class, so it refers to its estimator. */
        final class Workspace {
            final double[] layerDepthsMm = new double[24];
            final StringBuilder breakdown = new StringBuilder(64);
            int passes;
        }

        Workspace workspace() {
            Workspace w = workspace.get();
            if (w == null) { w = new Workspace(); workspace.set(w); SETS.incrementAndGet(); }
            return w;
        }

        long estimate(Material material, int region) {
            Workspace w = workspace();
            try {
                double area = request.lengthM() * request.widthM();
                for (int k = 0; k < w.layerDepthsMm.length; k++) w.layerDepthsMm[k] = 20 + (k * 7 + area) % 90;
                w.breakdown.append(request.surface()).append(' ').append((long) area).append("m2 ").append(request.edging());
                w.passes++;
                return (long) (area * material.priceByRegion()[region] * 100);
            } finally {
                if (FIXED) { workspace.remove(); REMOVES.incrementAndGet(); }
            }
        }
    }

    static final AtomicLong SETS = new AtomicLong(), REMOVES = new AtomicLong();

    static final class PdfCache extends LinkedHashMap<String, QuotePdf> {
        long evicted;
        PdfCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePdf> e) { if (size() > PDF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_SKU = new HashMap<>();

    static final class QuoteService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerIds = new String[CUSTOMERS];
        final String[] skus = new String[MATERIALS];
        final PdfCache pdfs = new PdfCache();
        final ArrayDeque<byte[]> drawingBuffers = new ArrayDeque<>();
        final IssuedQuote[] issued = new IssuedQuote[RING];
        final ArrayDeque<SurveyVisit> surveys = new ArrayDeque<>();
        final ExecutorService[] lanes = new ExecutorService[LANES];
        final long[] perLane = new long[LANES];
        long quotes, surveysBooked, surveysDone;

        QuoteService() {
            for (int l = 0; l < LANES; l++) {
                String name = "quote-lane-" + l;
                lanes[l] = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; });
            }
        }

        /** Runs on a lane thread: the estimate itself. */
        long estimate(QuoteRequest req, int region) {
            AreaEstimator est = new AreaEstimator(req);
            Material m = MATERIALS_BY_SKU.get(skus[(int) (Math.abs((long) req.quoteId().hashCode()) % MATERIALS)]);
            return est.estimate(m, region);
        }

        /** Runs on the front thread, in request order: issues the quote. */
        void issue(QuoteRequest req, long price, int pdfKey, long t) {
            byte[] buf = drawingBuffers.poll();
            buf[(int) (price % buf.length)]++;
            drawingBuffers.add(buf);
            issued[(int) (quotes++ % RING)] = new IssuedQuote(req.quoteId(), req.customerId(), req.lengthM() * req.widthM(), price, t);
            String key = "pdf-" + pdfKey;
            if (pdfs.get(key) == null) pdfs.put(key, new QuotePdf(key, new byte[400 + pdfKey % 400], t));
            if (price % 5 == 0) { surveys.addLast(new SurveyVisit(req.quoteId(), req.postcode(), t + 2 * DAY)); surveysBooked++; }
        }

        void surveyorsVisit(long t) {
            // a surveyor takes the visits booked more than 45 minutes ago (the visit is then confirmed)
            while (!surveys.isEmpty() && surveys.peekFirst().bookedFor() - 2 * DAY <= t - 45 * MINUTE) { surveys.removeFirst(); surveysDone++; }
        }
    }

    static QuoteService SERVICE;
    static final String[] SURFACES = {"block paving", "resin bound", "tarmac", "indian sandstone", "porcelain", "gravel grid"};
    static final String[] EDGINGS = {"kerb 150", "granite sett", "timber", "none", "steel"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(117_010_001);
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        for (int g = 0; g < MATERIALS; g++) {
            double[] prices = new double[48];
            for (int k = 0; k < prices.length; k++) prices[k] = 12 + rnd.nextDouble() * 80;
            svc.skus[g] = "MAT-" + (40_000 + g * 3);
            MATERIALS_BY_SKU.put(svc.skus[g], new Material(svc.skus[g], "Material " + g, prices));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerIds[i] = "CU" + (3_300_000 + i * 7);
            svc.customers.put(svc.customerIds[i], new Customer(svc.customerIds[i], "Customer " + i, "PV" + (1 + rnd.nextInt(90)) + " " + rnd.nextInt(10) + "QX",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.drawingBuffers.add(new byte[32_768]);
        Random traffic = new Random(117_010_002);
        int requests = HOURS * QUOTES_PER_HOUR;
        List<Future<Long>> pending = new ArrayList<>();
        List<Object[]> meta = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String cid = svc.customerIds[traffic.nextInt(CUSTOMERS)];
            Customer c = svc.customers.get(cid);
            QuoteRequest req = new QuoteRequest("PQ-" + (6_100_000 + i), cid, c.postcode(), SURFACES[traffic.nextInt(SURFACES.length)], EDGINGS[traffic.nextInt(EDGINGS.length)],
                    2 + traffic.nextInt(180) / 10.0, 2 + traffic.nextInt(120) / 10.0, t);
            int lane = Math.floorMod(cid.hashCode(), LANES);
            int region = traffic.nextInt(48), pdfKey = traffic.nextInt(5_000);
            svc.perLane[lane]++;
            pending.add(svc.lanes[lane].submit(() -> svc.estimate(req, region)));
            meta.add(new Object[] {req, pdfKey, t});
            if (pending.size() == 200) { flush(svc, pending, meta); svc.surveyorsVisit(t); }
        }
        flush(svc, pending, meta);
        svc.surveyorsVisit(end - MINUTE);
    }

    static void flush(QuoteService svc, List<Future<Long>> pending, List<Object[]> meta) throws Exception {
        for (int k = 0; k < pending.size(); k++) {
            Object[] m = meta.get(k);
            svc.issue((QuoteRequest) m[0], pending.get(k).get(), (Integer) m[1], (Long) m[2]);
        }
        pending.clear();
        meta.clear();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val117.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        QuoteService svc = SERVICE;
        long live = SETS.get() - REMOVES.get();
        StringBuilder lanes = new StringBuilder();
        for (long n : svc.perLane) lanes.append(' ').append(n);
        System.out.println((FIXED ? "FIXED " : "") + "materials " + MATERIALS_BY_SKU.size() + " customers " + svc.customers.size() + " quotes " + svc.quotes + " per lane" + lanes
                + " thread-local sets " + SETS.get() + " removes " + REMOVES.get() + " live entries " + live + " surveys booked " + svc.surveysBooked + " done " + svc.surveysDone + " open " + svc.surveys.size()
                + " pdfs " + svc.pdfs.size() + " (evicted " + svc.pdfs.evicted + ") pool " + svc.drawingBuffers.size());
        check(MATERIALS_BY_SKU.size() == MATERIALS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.quotes == (long) HOURS * QUOTES_PER_HOUR && SETS.get() == svc.quotes, "quotes");
        check(live == (FIXED ? 0 : svc.quotes), "live thread-local entries " + live);
        check(svc.perLane[0] == EXPECTED_LANE0, "lane 0: " + svc.perLane[0]);
        check(svc.pdfs.size() == PDF_CAP && svc.pdfs.evicted > 0, "pdf cache at cap");
        check(svc.drawingBuffers.size() == POOL, "pool");
        check(svc.issued[RING - 1] != null, "ring");
    }

    static final long EXPECTED_LANE0 = 3_662;
}
