// hprofscan-dump: name=val40-leak-tilers-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val40-leak-tilers-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val40-leak-tilers jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val40-leak-tilers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 40 (written blind), LEAK, series: the showroom quoting service of a tiling
 * contractor. Grout reference data, the tile catalogue, the site directory (loaded lazily from the
 * customer base), an LRU of rendered room previews at its cap, a pool of tile-cutter plan buffers,
 * a ring of closed quotes. A quote is built at the showroom desk while the customer is there
 * (20-40 minutes) and is then accepted or abandoned. The domain model is bidirectional, the way an
 * ORM maps it: QuoteLine.product (owning side) and Product.quoteLines (the inverse side, used for
 * the "boxes on open quotes" demand figure). Closing a quote removes it from the open quotes but
 * never removes its lines from the inverse side, so every product keeps the lines (and through
 * QuoteLine.quote the whole quote with its room plan) of every quote ever closed. Neither Quote nor
 * QuoteLine has a time field. Stages 1 / 2 / 3 simulate 2 / 3.5 / 6.5 hours (separate JVM runs,
 * argument stage=N): the closed quotes kept double. See VALIDATION40.md.
 */
public final class Val40LeakTilers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GROUTS = 600, PRODUCTS = 240, SITES = 600, RENDER_CAP = 600, POOL = 8, RING = 1_024, FITTERS = 40;
    static final long[] STAGE_MINUTES = {0, 120, 210, 390};
    static boolean FIXED;

    record Grout(String code, String colour, double[] shrinkCurve) {}
    record SiteRecord(String siteId, String address, byte[] survey, long surveyedAt) {}
    record RoomRender(String key, byte[] png, long at) {}
    record QuoteSummary(String quoteId, String siteId, int totalCents, int lines, boolean accepted, long closedAt) {}
    record Fitter(String id, String name, int grade) {}

    /** A tile line of the catalogue; quoteLines is the inverse side of QuoteLine.product. */
    static final class Product {
        final String sku, name;
        final int priceCents, boxM2x100;
        final Set<QuoteLine> quoteLines = new HashSet<>();
        Product(String sku, String name, int priceCents, int boxM2x100) { this.sku = sku; this.name = name; this.priceCents = priceCents; this.boxM2x100 = boxM2x100; }
        int boxesOnQuotes() { int n = 0; for (QuoteLine l : quoteLines) n += l.boxes; return n; }
    }

    /** A quote built at the showroom desk (no time field). */
    static final class Quote {
        final String quoteId, siteId, fitterId;
        final List<QuoteLine> lines = new ArrayList<>();
        final byte[] roomPlan;
        int totalCents;
        Quote(String quoteId, String siteId, String fitterId, byte[] roomPlan) { this.quoteId = quoteId; this.siteId = siteId; this.fitterId = fitterId; this.roomPlan = roomPlan; }

        /** Adds a line and keeps both sides of the association in step. */
        void addLine(Product p, int boxes) {
            QuoteLine l = new QuoteLine(this, p, boxes, p.priceCents, boxes * p.boxM2x100 / 100f);
            lines.add(l);
            p.quoteLines.add(l);
            totalCents += boxes * p.priceCents;
        }
    }

    /** One line of a quote (no time field). */
    static final class QuoteLine {
        final Quote quote;
        final Product product;
        final int boxes, unitPriceCents;
        final float areaM2;
        QuoteLine(Quote quote, Product product, int boxes, int unitPriceCents, float areaM2) { this.quote = quote; this.product = product; this.boxes = boxes; this.unitPriceCents = unitPriceCents; this.areaM2 = areaM2; }
    }

    record Closing(long at, long seq, Quote quote, boolean accept) {}

    static final class RenderCache extends LinkedHashMap<String, RoomRender> {
        long evicted;
        RenderCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RoomRender> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final class Catalogue {
        final Map<String, Product> products = new HashMap<>();
    }

    static final Map<String, Grout> GROUTS_BY_CODE = new HashMap<>();

    static final class QuotingService {
        final Catalogue catalogue = new Catalogue();
        final Map<String, SiteRecord> sites = new HashMap<>();
        final RenderCache renders = new RenderCache();
        final ArrayDeque<byte[]> cutterBuffers = new ArrayDeque<>();
        final QuoteSummary[] closedQuotes = new QuoteSummary[RING];
        long closedWritten;
        final Map<String, Quote> openQuotes = new HashMap<>();
        final Map<String, Fitter> fitters = new HashMap<>();
        long accepted, abandoned;

        void close(Quote q, boolean accept, long at) {
            openQuotes.remove(q.quoteId);
            if (accept) accepted++; else abandoned++;
            closedQuotes[(int) (closedWritten++ % RING)] = new QuoteSummary(q.quoteId, q.siteId, q.totalCents, q.lines.size(), accept, at);
            if (FIXED) for (QuoteLine l : q.lines) l.product.quoteLines.remove(l); // BUG (unfixed): the inverse side is never updated
        }
    }

    static QuotingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val40.fixed");
        int stage = Integer.parseInt(args[2].substring("stage=".length()));
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - STAGE_MINUTES[stage] * MINUTE;
        Random rnd = new Random(40_030_001);
        QuotingService svc = new QuotingService();
        SERVICE = svc;
        for (int g = 0; g < GROUTS; g++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble() * 0.02;
            String code = "GRT-" + (100 + g);
            GROUTS_BY_CODE.put(code, new Grout(code, "Colour " + g, c));
        }
        Product[] products = new Product[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            products[p] = new Product("TIL-" + (40_000 + p * 13), "Tile line " + p, 1_500 + rnd.nextInt(6_000), 80 + rnd.nextInt(120));
            svc.catalogue.products.put(products[p].sku, products[p]);
        }
        String[] siteIds = new String[SITES];
        int[] surveyBytes = new int[SITES];
        long[] surveyedAt = new long[SITES];
        for (int s = 0; s < SITES; s++) {
            siteIds[s] = "SITE-" + (80_000 + s * 17);
            surveyBytes[s] = 4_000 + rnd.nextInt(2_000);
            surveyedAt[s] = now - (long) (30 + rnd.nextInt(3_000)) * DAY;
        }
        for (int f = 0; f < FITTERS; f++) svc.fitters.put("FIT-" + (f + 1), new Fitter("FIT-" + (f + 1), "Fitter " + f, 1 + rnd.nextInt(3)));
        for (int b = 0; b < POOL; b++) svc.cutterBuffers.add(new byte[32_768]);

        // Traffic: the same seed in every stage, so a longer stage is the same day run longer.
        Random traffic = new Random(40_030_002);
        PriorityQueue<Closing> closings = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
        long quotes = 0, lines = 0, linesClosed = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            while (!closings.isEmpty() && closings.peek().at() <= minute) {
                Closing c = closings.poll();
                linesClosed += c.quote().lines.size();
                svc.close(c.quote(), c.accept(), c.at());
            }
            int arrivals = 5 + traffic.nextInt(8);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                int site = traffic.nextInt(SITES);
                SiteRecord rec = svc.sites.get(siteIds[site]);
                if (rec == null) {
                    rec = new SiteRecord(siteIds[site], site + " Mill Lane", new byte[surveyBytes[site]], surveyedAt[site]);
                    svc.sites.put(rec.siteId(), rec);
                }
                String renderKey = rec.siteId() + "/room-" + traffic.nextInt(6);
                if (svc.renders.get(renderKey) == null) svc.renders.put(renderKey, new RoomRender(renderKey, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.cutterBuffers.poll();
                buf[(int) (quotes % buf.length)] = (byte) quotes;
                svc.cutterBuffers.add(buf);
                Quote q = new Quote("TQ-" + (900_000 + quotes), rec.siteId(), "FIT-" + (1 + traffic.nextInt(FITTERS)), new byte[200 + traffic.nextInt(200)]);
                int n = 3 + traffic.nextInt(4);
                for (int i = 0; i < n; i++) q.addLine(products[traffic.nextInt(PRODUCTS)], 2 + traffic.nextInt(30));
                lines += n;
                svc.openQuotes.put(q.quoteId, q);
                closings.add(new Closing(at + (20 + traffic.nextInt(21)) * MINUTE, quotes, q, traffic.nextInt(100) < 55));
                quotes++;
            }
        }
        while (!closings.isEmpty() && closings.peek().at() <= end) {
            Closing c = closings.poll();
            linesClosed += c.quote().lines.size();
            svc.close(c.quote(), c.accept(), c.at());
        }
        int open = closings.size();
        closings = null;
        long closed = svc.accepted + svc.abandoned;
        int inverseLines = 0, demandBoxes = 0;
        for (Product p : products) { inverseLines += p.quoteLines.size(); demandBoxes += p.boxesOnQuotes(); }
        long openLines = lines - linesClosed;
        Set<Quote> viaInverse = new HashSet<>();
        for (Product p : products) for (QuoteLine l : p.quoteLines) viaInverse.add(l.quote);
        int quotesViaInverse = viaInverse.size();
        viaInverse = null;
        products = null;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " grouts " + GROUTS_BY_CODE.size() + " products " + svc.catalogue.products.size() + " sites " + svc.sites.size() + " quotes " + quotes
                + " lines " + lines + " closed " + closed + " (accepted " + svc.accepted + ", abandoned " + svc.abandoned + ") closed-lines " + linesClosed + " open " + open + " open-lines " + openLines
                + " inverse-lines " + inverseLines + " quotes-via-inverse " + quotesViaInverse + " demand-boxes " + demandBoxes + " renders " + svc.renders.size() + " (evicted " + svc.renders.evicted + ") ring-written " + svc.closedWritten
                + " pool " + svc.cutterBuffers.size());
        int i = stage;
        check(GROUTS_BY_CODE.size() == GROUTS && svc.catalogue.products.size() == PRODUCTS && svc.fitters.size() == FITTERS, "reference data / catalogue");
        check(svc.sites.size() == EXPECTED_SITES[i], "sites");
        check(quotes == EXPECTED_QUOTES[i] && closed == EXPECTED_CLOSED[i] && open == EXPECTED_OPEN[i] && svc.openQuotes.size() == EXPECTED_OPEN[i], "quotes");
        check(linesClosed == EXPECTED_CLOSED_LINES[i] && openLines == EXPECTED_OPEN_LINES[i], "lines");
        check(inverseLines == (FIXED ? EXPECTED_OPEN_LINES[i] : EXPECTED_OPEN_LINES[i] + EXPECTED_CLOSED_LINES[i]), "lines on the inverse side: " + inverseLines);
        check(quotesViaInverse == (FIXED ? EXPECTED_OPEN[i] : EXPECTED_OPEN[i] + EXPECTED_CLOSED[i]), "quotes reachable from the inverse side");
        check(svc.renders.size() == RENDER_CAP && svc.renders.evicted > 0, "render cache at cap");
        check(svc.cutterBuffers.size() == POOL && svc.closedWritten == EXPECTED_CLOSED[i], "pool / ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long[] EXPECTED_SITES = {0, 488, 566, 597};
    static final long[] EXPECTED_QUOTES = {0, 1_065, 1_816, 3_308};
    static final long[] EXPECTED_CLOSED = {0, 810, 1_574, 3_046};
    static final long[] EXPECTED_OPEN = {0, 255, 242, 262};
    static final long[] EXPECTED_CLOSED_LINES = {0, 3_633, 7_063, 13_653};
    static final long[] EXPECTED_OPEN_LINES = {0, 1_144, 1_078, 1_162};
}
