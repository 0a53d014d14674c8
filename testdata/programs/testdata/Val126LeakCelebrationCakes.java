// hprofscan-dump: name=val126-leak-celebrationcakes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val126-leak-celebrationcakes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 126 (written blind), LEAK: the custom-order service of a chain of bakeries making
 * celebration cakes. Bakery reference data, the catalogue of 300 standard designs, the ingredient-lot
 * directory, a cache of rendered quote PDFs at its cap, a pool of proof-rendering buffers, a ring of
 * recent order lines and the decorating queue with its normal backlog. DesignAnnotations attaches
 * computed metadata (price breakdown, allergen summary, bake plan) to a design object without changing
 * the class: designs are mutable (customers edit them in the designer), so it is an IdentityHashMap
 * keyed by the design object. That works for the catalogue's singletons, but every order parses its
 * design from the order form into a new CakeDesign: the lookup never hits and every order adds an
 * entry that nothing removes, keeping the design and its metadata. See VALIDATION126.md.
 */
public final class Val126LeakCelebrationCakes {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int BAKERIES = 600, DESIGNS = 300, LOTS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            ORDERS_PER_HOUR = 1_400, VIEWS_PER_ORDER = 2;
    static boolean FIXED;

    static final String[] SPONGE = {"vanilla", "chocolate", "lemon", "red velvet", "carrot", "coffee and walnut", "funfetti", "gluten-free vanilla"};
    static final String[] FILLING = {"buttercream", "raspberry jam", "salted caramel", "lemon curd", "cream cheese", "chocolate ganache"};
    static final String[] OCCASION = {"Happy Birthday", "Happy 18th Birthday", "Happy 40th", "Congratulations", "Happy Retirement", "Welcome Baby", "Happy Anniversary", "Good Luck"};
    static final String[] NAMES = {"Priya", "Tom", "Aisha", "Grandad", "Mum", "Oliver", "Zofia", "Mr Okafor", "the Patels", "Ellie", "Jamal", "Nan"};
    static final String[] DECOR = {"sugar roses in blush pink", "gold leaf drip", "fondant bunting", "edible photo print", "fresh berries and mint",
            "hand-piped lettering", "rainbow sprinkles", "chocolate shards", "macaron crown", "pressed edible flowers"};

    record Bakery(String code, String town, double[] ovenLoad) {}
    record IngredientLot(String lotCode, String ingredient, String supplier, byte[] traceability, long receivedAt) {}
    record QuotePdf(String key, byte[] pdf, long at) {}
    record OrderLine(String orderNo, String baseCode, String bakeryCode, int pricePence, long at) {}
    record ProductionTicket(String orderNo, String baseCode, String inscription, int tiers, long decorateBy) {}
    record Tier(int diameterCm, String sponge, String filling) {}

    /** A cake design; the customer edits it in the designer, so it is mutable and has no value equality. */
    static final class CakeDesign {
        final String baseCode; String name; final List<Tier> tiers = new ArrayList<>(); String inscription; String decoration; int servings; boolean glutenFree;
        CakeDesign(String baseCode) { this.baseCode = baseCode; }
    }

    record DesignMetadata(double[] priceBreakdown, String allergens, String bakePlan, int servings, long computedAt) {}

    /** Attaches computed metadata to design objects. */
    static final class DesignAnnotations {
        final Map<CakeDesign, DesignMetadata> metadata = new IdentityHashMap<>();
        final Map<String, DesignMetadata> byBaseCode = new HashMap<>(); // the fix: keyed by the stable catalogue code
        long hits, computed;

        DesignMetadata metadataFor(CakeDesign d, long t) {
            if (FIXED) {
                DesignMetadata m = byBaseCode.get(d.baseCode);
                if (m != null && d.tiers.size() == m.priceBreakdown().length - 3 && d.inscription == null) { hits++; return m; }
                computed++;
                DesignMetadata fresh = compute(d, t);
                if (m == null) byBaseCode.put(d.baseCode, fresh);
                return fresh; // customised designs are priced per order, not kept
            }
            DesignMetadata m = metadata.get(d);
            if (m != null) { hits++; return m; }
            computed++;
            m = compute(d, t);
            metadata.put(d, m);
            return m;
        }

        static DesignMetadata compute(CakeDesign d, long t) {
            double[] price = new double[d.tiers.size() + 3];
            int servings = 0;
            StringBuilder plan = new StringBuilder();
            for (int k = 0; k < d.tiers.size(); k++) {
                Tier tier = d.tiers.get(k);
                price[k] = tier.diameterCm() * tier.diameterCm() * 0.11;
                servings += tier.diameterCm() * tier.diameterCm() / 30;
                plan.append(k == 0 ? "" : "; ").append(tier.diameterCm()).append("cm ").append(tier.sponge()).append(" 160C ").append(25 + tier.diameterCm() * 2).append("min");
            }
            price[d.tiers.size()] = d.decoration == null ? 0 : 12.5 + d.decoration.length() * 0.2;
            price[d.tiers.size() + 1] = d.inscription == null ? 0 : 4.0;
            price[d.tiers.size() + 2] = d.glutenFree ? 8.0 : 0;
            String allergens = d.glutenFree ? "egg, milk, soya (gluten-free sponge)" : "gluten (wheat), egg, milk" + (d.decoration != null && d.decoration.contains("macaron") ? ", almond" : ", may contain nuts");
            return new DesignMetadata(price, allergens, plan.toString(), servings, t);
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, QuotePdf> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePdf> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Bakery> BAKERIES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, CakeDesign> catalogue = new HashMap<>();
        final String[] designCodes = new String[DESIGNS];
        final Map<String, IngredientLot> lots = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> proofBuffers = new ArrayDeque<>();
        final OrderLine[] recent = new OrderLine[RING];
        final ArrayDeque<ProductionTicket> decorating = new ArrayDeque<>();
        final DesignAnnotations annotations = new DesignAnnotations();
        String[] bakeryCodes;
        long orders, views, decorated, quoteHits;

        /** The order form, as the web shop posts it: a base design, the customer's tiers and texts. */
        CakeDesign parse(Random r) {
            CakeDesign base = catalogue.get(designCodes[r.nextInt(DESIGNS)]);
            CakeDesign d = new CakeDesign(base.baseCode);
            d.name = base.name;
            boolean custom = r.nextInt(100) < 70;
            for (Tier tier : base.tiers) d.tiers.add(custom && r.nextInt(3) == 0 ? new Tier(tier.diameterCm(), SPONGE[r.nextInt(SPONGE.length)], FILLING[r.nextInt(FILLING.length)]) : tier);
            d.decoration = custom ? base.decoration + ", plus " + DECOR[r.nextInt(DECOR.length)] + " around the base tier" : base.decoration;
            d.inscription = custom ? OCCASION[r.nextInt(OCCASION.length)] + " " + NAMES[r.nextInt(NAMES.length)] + (r.nextBoolean() ? "!" : " x") : null;
            d.glutenFree = base.glutenFree;
            d.servings = base.servings;
            return d;
        }

        void order(Random r, long t) {
            CakeDesign d = parse(r);
            DesignMetadata m = annotations.metadataFor(d, t);
            orders++;
            String orderNo = "CK" + (6_400_000 + orders);
            String bakery = bakeryCodes[r.nextInt(BAKERIES)];
            int price = 0;
            for (double p : m.priceBreakdown()) price += (int) Math.round(p * 100);
            recent[(int) ((orders - 1) % RING)] = new OrderLine(orderNo, d.baseCode, bakery, price, t);
            String key = "quote-" + d.baseCode + "-" + (d.tiers.size() + r.nextInt(30));
            if (quotes.get(key) != null) quoteHits++;
            else quotes.put(key, new QuotePdf(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = proofBuffers.poll();
            buf[(int) (orders % buf.length)] = (byte) price;
            proofBuffers.add(buf);
            decorating.add(new ProductionTicket(orderNo, d.baseCode, d.inscription, d.tiers.size(), t + 30 * MINUTE)); // the decorating slot, half an hour later
        }

        /** A shop assistant opens a catalogue design's page (the catalogue objects themselves). */
        void view(Random r, long t) {
            views++;
            annotations.metadataFor(catalogue.get(designCodes[r.nextInt(DESIGNS)]), t);
        }

        void decorate(long t) {
            while (!decorating.isEmpty() && decorating.peek().decorateBy() <= t) { decorating.poll(); decorated++; }
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(126_030_001);
        String[] bakeryCodes = new String[BAKERIES];
        for (int b = 0; b < BAKERIES; b++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble();
            bakeryCodes[b] = "BK" + (100 + b);
            BAKERIES_BY_CODE.put(bakeryCodes[b], new Bakery(bakeryCodes[b], "Town " + b, load));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        svc.bakeryCodes = bakeryCodes;
        for (int i = 0; i < DESIGNS; i++) {
            CakeDesign d = new CakeDesign("DSN-" + (1_000 + i));
            d.name = "Standard design " + i;
            int tiers = 1 + rnd.nextInt(4);
            for (int k = 0; k < tiers; k++) d.tiers.add(new Tier(30 - k * 6 - rnd.nextInt(3) * 2, SPONGE[rnd.nextInt(SPONGE.length)], FILLING[rnd.nextInt(FILLING.length)]));
            d.decoration = DECOR[rnd.nextInt(DECOR.length)] + " with " + DECOR[rnd.nextInt(DECOR.length)];
            d.glutenFree = rnd.nextInt(10) == 0;
            d.servings = tiers * 20;
            svc.designCodes[i] = d.baseCode;
            svc.catalogue.put(d.baseCode, d);
            svc.annotations.metadataFor(d, start);
        }
        String[] ingredients = {"flour", "caster sugar", "butter", "free-range eggs", "cocoa", "double cream", "icing sugar", "ground almonds", "vanilla extract"};
        for (int i = 0; i < LOTS; i++) {
            String code = "LOT" + (880_000 + i * 3);
            svc.lots.put(code, new IngredientLot(code, ingredients[i % ingredients.length], "Supplier " + (i % 140), new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(90)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.proofBuffers.add(new byte[32_768]);
        Random traffic = new Random(126_030_002);
        int total = ORDERS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.decorate(t);
            for (int v = 0; v < VIEWS_PER_ORDER; v++) svc.view(traffic, t);
            svc.order(traffic, t);
        }
        svc.decorate(end);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val126.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        OrderService svc = SERVICE;
        DesignAnnotations a = svc.annotations;
        System.out.println((FIXED ? "FIXED " : "") + "bakeries " + BAKERIES_BY_CODE.size() + " designs " + svc.catalogue.size() + " lots " + svc.lots.size()
                + " orders " + svc.orders + " views " + svc.views + " metadata entries " + (FIXED ? a.byBaseCode.size() : a.metadata.size()) + " (computed " + a.computed + ", hits " + a.hits + ")"
                + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ", hits " + svc.quoteHits + ") decorated " + svc.decorated + " backlog " + svc.decorating.size() + " pool " + svc.proofBuffers.size());
        check(BAKERIES_BY_CODE.size() == BAKERIES && svc.catalogue.size() == DESIGNS && svc.lots.size() == LOTS, "reference data / directories");
        check(svc.orders == (long) ORDERS_PER_HOUR * HOURS && svc.views == svc.orders * VIEWS_PER_ORDER, "traffic");
        if (FIXED) check(a.byBaseCode.size() == DESIGNS && a.metadata.isEmpty(), "metadata by design code");
        else check(a.metadata.size() == DESIGNS + svc.orders && a.hits == svc.views && a.computed == DESIGNS + svc.orders, "metadata: one entry per order");
        check(svc.decorating.size() == EXPECT_BACKLOG, "decorating backlog");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.proofBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
    }

    static final int EXPECT_BACKLOG = 677;
}
