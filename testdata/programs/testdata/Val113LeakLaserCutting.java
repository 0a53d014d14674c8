// hprofscan-dump: name=val113-leak-lasercutting-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val113-leak-lasercutting-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val113-leak-lasercutting jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val113-leak-lasercutting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 113 (written blind), LEAK (growth series): the online quoting service of a
 * sheet-metal laser-cutting job shop. Cut-parameter reference tables, the customer directory, the
 * catalogue of 120 stock parts, a cache of nest previews at its cap, a pool of nesting buffers, a
 * ring of issued quotes and the production queue with its backlog. QuoteEngine memoises prices in
 * a ConcurrentHashMap keyed by CutCriteria, a class built by a builder from the parsed quote form
 * that has neither equals nor hashCode: every request builds a new key, every lookup misses and
 * every quote adds an entry, although the criteria repeat (120 parts x 4 materials x 4 quantity
 * tiers x 2 finishes). Stage 1 / 2 / 3 = 2 / 4 / 8 hours. See VALIDATION113.md.
 */
public final class Val113LeakLaserCutting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CUT_TABLES = 1_000, CUSTOMERS = 18_000, PARTS = 120, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096,
            QUOTES_PER_HOUR = 6_000, RELEASE_AFTER_MIN = 40;
    static final String[] MATERIALS = {"S275", "304L", "5083", "DX51D+Z"};
    static final String[] MATERIAL_NAMES = {"mild steel S275", "stainless 304L", "aluminium 5083", "galvanised DX51D+Z"};
    static final double[] THICKNESS = {3.0, 2.0, 4.0, 1.2};
    static final int[] QTY_TIERS = {10, 25, 50, 100};
    static final String[] FINISHES = {"as-cut", "deburred"};
    static final String[] PART_KINDS = {"BR", "GU", "BP", "FL", "CL", "MP"};
    static boolean FIXED;

    record CutTable(String key, String material, double thicknessMm, double[] speedByPower) {}
    record Customer(String account, String company, byte[] billingProfile, long since) {}
    record StockPart(String code, String description, double cutLengthMm, int pierces, byte[] geometry) {}
    record NestPreview(String key, byte[] svg, long at) {}
    record IssuedQuote(String quoteRef, String account, String partCode, double price, long at) {}
    record ProductionOrder(long orderNo, String quoteRef, String account, int quantity, long acceptedAt) {}

    /** What a quote is for; built from the parsed quote form. No equals / hashCode (identity). */
    static class CutCriteria {
        final String partCode, material, finish; final double thicknessMm; final int quantity, leadTimeDays;
        CutCriteria(Builder b) { partCode = b.partCode; material = b.material; finish = b.finish; thicknessMm = b.thicknessMm; quantity = b.quantity; leadTimeDays = b.leadTimeDays; }

        static final class Builder {
            String partCode, material, finish; double thicknessMm; int quantity, leadTimeDays;
            Builder part(String v) { partCode = v; return this; }
            Builder material(String v) { material = v; return this; }
            Builder thickness(double v) { thicknessMm = v; return this; }
            Builder quantity(int v) { quantity = v; return this; }
            Builder finish(String v) { finish = v; return this; }
            Builder leadTime(int v) { leadTimeDays = v; return this; }
            CutCriteria build() { return FIXED ? new KeyedCutCriteria(this) : new CutCriteria(this); }
        }
    }

    /** The fix (measurement only, -Dval113.fixed=true): value equality over what the price depends on. */
    static final class KeyedCutCriteria extends CutCriteria {
        KeyedCutCriteria(Builder b) { super(b); }
        @Override public boolean equals(Object o) {
            return o instanceof CutCriteria c && partCode.equals(c.partCode) && material.equals(c.material) && finish.equals(c.finish)
                    && thicknessMm == c.thicknessMm && quantity == c.quantity && leadTimeDays == c.leadTimeDays;
        }
        @Override public int hashCode() { return Objects.hash(partCode, material, finish, thicknessMm, quantity, leadTimeDays); }
    }

    static final class CutQuote {
        final String quoteRef; final CutCriteria criteria; final double price; final int cutSeconds; final double[] breakdown; final long quotedAt;
        CutQuote(String quoteRef, CutCriteria criteria, double price, int cutSeconds, double[] breakdown, long quotedAt) {
            this.quoteRef = quoteRef; this.criteria = criteria; this.price = price; this.cutSeconds = cutSeconds; this.breakdown = breakdown; this.quotedAt = quotedAt;
        }
    }

    /** Prices a cut job; memoises every price it computes. */
    static final class QuoteEngine {
        final Map<CutCriteria, CutQuote> memo = new ConcurrentHashMap<>();
        final Map<String, StockPart> parts;
        long lookups, computed, quoteSeq;
        QuoteEngine(Map<String, StockPart> parts) { this.parts = parts; }

        CutQuote price(CutCriteria c, long t) {
            lookups++;
            return memo.computeIfAbsent(c, k -> compute(k, t));
        }

        private CutQuote compute(CutCriteria c, long t) {
            computed++;
            StockPart p = parts.get(c.partCode);
            CutTable table = CUT_TABLES_BY_KEY.get(c.material + "-" + c.thicknessMm + "-N1.5");
            double speed = table.speedByPower()[(int) (p.cutLengthMm() % table.speedByPower().length)] + 1_000;
            int seconds = (int) (p.cutLengthMm() / speed * 60) + p.pierces() * 2;
            double[] b = new double[6];
            b[0] = p.cutLengthMm() * c.thicknessMm * 0.0009 * c.quantity;       // material
            b[1] = seconds * 0.035 * c.quantity;                               // machine time
            b[2] = p.pierces() * 0.02 * c.quantity;                            // pierces
            b[3] = 18.0;                                                       // set-up
            b[4] = c.finish.equals("deburred") ? 0.45 * c.quantity : 0;       // finishing
            b[5] = c.leadTimeDays <= 3 ? 25.0 : 9.5;                           // delivery
            double price = 0;
            for (double v : b) price += v;
            return new CutQuote("Q24-" + Long.toHexString(0xa000_0000L + quoteSeq++), c, price, seconds, b, t);
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, NestPreview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, NestPreview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CutTable> CUT_TABLES_BY_KEY = new HashMap<>();

    static final class QuoteService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] accounts = new String[CUSTOMERS];
        final Map<String, StockPart> catalogue = new HashMap<>();
        final String[] partCodes = new String[PARTS];
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> nestBuffers = new ArrayDeque<>();
        final IssuedQuote[] recentQuotes = new IssuedQuote[RING];
        final ArrayDeque<ProductionOrder> productionQueue = new ArrayDeque<>();
        final QuoteEngine engine = new QuoteEngine(catalogue);
        long quotes, ordersAccepted, ordersReleased, previewRequests;

        /** Parses the submitted quote form ("part=BR-1042&mat=S275&qty=25&finish=deburred&lead=5&acct=LC-100234"). */
        static CutCriteria parse(String form) {
            CutCriteria.Builder b = new CutCriteria.Builder();
            for (String kv : form.split("&")) {
                int eq = kv.indexOf('=');
                String k = kv.substring(0, eq), v = kv.substring(eq + 1);
                switch (k) {
                    case "part" -> b.part(v);
                    case "mat" -> { int m = indexOf(MATERIALS, v); b.material(MATERIALS[m]).thickness(THICKNESS[m]); }
                    case "qty" -> b.quantity(Integer.parseInt(v));
                    case "finish" -> b.finish(FINISHES[indexOf(FINISHES, v)]);
                    case "lead" -> b.leadTime(Integer.parseInt(v));
                    default -> { }
                }
            }
            return b.build();
        }

        static int indexOf(String[] values, String v) { for (int i = 0; i < values.length; i++) if (values[i].equals(v)) return i; throw new IllegalArgumentException(v); }

        void quote(Random r, long t) {
            String account = accounts[r.nextInt(CUSTOMERS)];
            int part = r.nextInt(3) == 0 ? r.nextInt(PARTS) : r.nextInt(30);
            String form = "part=" + partCodes[part] + "&mat=" + MATERIALS[r.nextInt(MATERIALS.length)] + "&qty=" + QTY_TIERS[r.nextInt(QTY_TIERS.length)]
                    + "&finish=" + FINISHES[r.nextInt(FINISHES.length)] + "&lead=" + (r.nextInt(4) == 0 ? 3 : 7) + "&acct=" + account;
            CutCriteria c = parse(form);
            CutQuote q = engine.price(c, t);
            quotes++;
            recentQuotes[(int) ((quotes - 1) % RING)] = new IssuedQuote(q.quoteRef, account, c.partCode, q.price, t);
            previewRequests++;
            String key = "nest-" + partCodes[part] + "-" + r.nextInt(50);
            if (previews.get(key) == null) {
                byte[] buf = nestBuffers.poll();
                buf[(int) (previewRequests % buf.length)] = (byte) part;
                nestBuffers.add(buf);
                previews.put(key, new NestPreview(key, new byte[500 + r.nextInt(500)], t));
            }
            if (r.nextInt(100) < 12) productionQueue.addLast(new ProductionOrder(610_000L + ordersAccepted++, q.quoteRef, account, c.quantity, t));
            while (!productionQueue.isEmpty() && productionQueue.peekFirst().acceptedAt() + RELEASE_AFTER_MIN * MINUTE <= t) { productionQueue.removeFirst(); ordersReleased++; }
        }
    }

    static QuoteService SERVICE;
    static int DISTINCT;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(113_030_001);
        String[] tableMaterials = {"S275", "S355", "304L", "316L", "5083", "6082", "DX51D+Z", "CR4", "Corten", "Brass CZ108",
            "Copper C101", "Hardox 450", "S235", "430BA", "1050A", "5754", "Zintec", "DC01", "S460", "Duplex 2205",
            "Titanium Gr2", "Inconel 625", "Domex 355", "EN24", "Mild P&O"};
        double[] tableThickness = {0.8, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0};
        String[] nozzles = {"N1.0", "N1.5", "N2.0", "N3.0"};
        for (String m : tableMaterials) for (double th : tableThickness) for (String nz : nozzles) {
            double[] speed = new double[64];
            for (int k = 0; k < speed.length; k++) speed[k] = 500 + rnd.nextDouble() * 9_000;
            String key = m + "-" + th + "-" + nz;
            CUT_TABLES_BY_KEY.put(key, new CutTable(key, m, th, speed));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.accounts[i] = "LC-" + (100_000 + i * 3);
            svc.customers.put(svc.accounts[i], new Customer(svc.accounts[i], "Fabrication Customer " + (i % 5_000) + " Ltd", new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(3_000)) * DAY));
        }
        for (int p = 0; p < PARTS; p++) {
            svc.partCodes[p] = PART_KINDS[p % PART_KINDS.length] + "-" + (1_000 + p * 7);
            svc.catalogue.put(svc.partCodes[p], new StockPart(svc.partCodes[p], "Stock part " + p + " (" + PART_KINDS[p % PART_KINDS.length] + ")", 200 + rnd.nextInt(4_000), 1 + rnd.nextInt(24),
                    new byte[2_000 + rnd.nextInt(2_000)]));
        }
        for (int b = 0; b < POOL; b++) svc.nestBuffers.add(new byte[32_768]);
        Random traffic = new Random(113_030_002);
        int requests = QUOTES_PER_HOUR * hours;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            svc.quote(traffic, t);
        }
        Set<String> distinct = new HashSet<>();
        for (CutCriteria c : svc.engine.memo.keySet()) distinct.add(c.partCode + "|" + c.material + "|" + c.quantity + "|" + c.finish + "|" + c.leadTimeDays);
        DISTINCT = distinct.size();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val113.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        QuoteService svc = SERVICE;
        int requests = QUOTES_PER_HOUR * hours;
        QuoteEngine e = svc.engine;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " cut tables " + CUT_TABLES_BY_KEY.size() + " customers " + svc.customers.size() + " parts " + svc.catalogue.size()
                + " quotes " + svc.quotes + " memo lookups " + e.lookups + " computed " + e.computed + " hits " + (e.lookups - e.computed) + " memo entries " + e.memo.size() + " distinct criteria " + DISTINCT
                + " orders " + svc.ordersAccepted + " released " + svc.ordersReleased + " backlog " + svc.productionQueue.size() + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted
                + ") pool " + svc.nestBuffers.size());
        check(CUT_TABLES_BY_KEY.size() == CUT_TABLES && svc.customers.size() == CUSTOMERS && svc.catalogue.size() == PARTS, "reference data / directory");
        check(svc.quotes == requests && e.lookups == requests, "quotes");
        if (FIXED) check(e.memo.size() == DISTINCT && e.computed == DISTINCT, "memo = distinct criteria");
        else check(e.memo.size() == requests && e.computed == requests, "memo = one entry per quote: " + e.memo.size());
        check(DISTINCT <= PARTS * MATERIALS.length * QTY_TIERS.length * FINISHES.length * 2, "criteria space");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.nestBuffers.size() == POOL, "pool");
        check(svc.recentQuotes[RING - 1] != null, "ring");
        check(!svc.productionQueue.isEmpty() && svc.ordersReleased > 0, "production backlog");
    }
}
