// hprofscan-dump: name=val122-leak-plumbingmerchant jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-leak-plumbingmerchant-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
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

/**
 * Validation set 122 (written blind), LEAK: the trade-counter quoting service of a plumbing and
 * heating merchant. The pricing rules are a plugin: every time a supplier price file lands (every
 * 10 minutes on a busy day) the PricingHost defines the plugin's classes anew from their bytes in a
 * fresh PricingLoader (a ClassLoader subclass, child-first for the plugin classes) and switches to
 * the new TradePricing instance, warming it on each of the 4 quote lanes (single-thread executors).
 * The plugin keeps a per-thread PricingScratch (a line buffer and a working array) in a static
 * ThreadLocal of its own class and never removes it; the host never asks it to. Each lane thread's
 * ThreadLocalMap therefore keeps one scratch per generation, and each scratch its class, its
 * loader and the generation's static net-price list. Ordinary components beside it: branch
 * reference data, the product catalogue, trade accounts, a quote-PDF cache at its cap, a pool of
 * PDF buffers, a ring of recent quotes and the van-delivery backlog. See VALIDATION122.md.
 */
public final class Val122LeakPlumbingMerchant {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int BRANCHES = 260, PRODUCTS = 22_000, ACCOUNTS = 5_000, PDF_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, LANES = 4,
            QUOTES_PER_MINUTE = 60, RELOAD_MINUTES = 10;
    static final String[] PLUGIN_CLASSES = {"TradePricing", "PricingScratch", "NetPriceList"};
    static final String[] CATEGORIES = {"copper tube", "compression fitting", "push-fit elbow", "radiator valve", "combi boiler", "cylinder",
            "waste trap", "basin mixer", "flexible hose", "expansion vessel", "pump", "underfloor manifold", "PTFE tape", "solder ring tee"};
    static boolean FIXED;

    /** The plugin API, loaded once by the application class loader. */
    public interface Pricer {
        int generation();
        long netPence(int productIndex, int quantity, int accountBand);
        String renderLine(String sku, int quantity, long pence);
        /** Called on every lane when the generation is retired (the fix uses it; see TradePricing.release). */
        void release();
    }

    /** Plugin class: the generation's price list, loaded in its static initialiser. Defined by every PricingLoader. */
    public static final class NetPriceList {
        public static final double[] NET_PENCE = new double[12_000];
        public static final int[] BAND_LIMITS = new int[4_096];
        static {
            for (int i = 0; i < NET_PENCE.length; i++) NET_PENCE[i] = 35 + (i * 7_919L % 60_000) / 3.0;
            for (int i = 0; i < BAND_LIMITS.length; i++) BAND_LIMITS[i] = 5 + i % 37;
        }
        public NetPriceList() {}
    }

    /** Plugin class: the per-thread working state of a quote. */
    public static final class PricingScratch {
        public final StringBuilder line = new StringBuilder(2_048);
        public final double[] work = new double[256];
        public final int generation;
        public long uses;
        public PricingScratch(int generation) { this.generation = generation; }
    }

    /** Plugin class: the pricing rules. Its static ThreadLocal holds a scratch per lane thread. */
    public static final class TradePricing implements Pricer {
        public static final ThreadLocal<PricingScratch> SCRATCH = new ThreadLocal<>();
        public static int scratchesCreated;
        public final int generation;
        public TradePricing(int generation) { this.generation = generation; }

        public static PricingScratch scratch(int generation) {
            PricingScratch s = SCRATCH.get();
            if (s == null) {
                s = new PricingScratch(generation);
                SCRATCH.set(s);
                synchronized (TradePricing.class) { scratchesCreated++; }
            }
            s.uses++;
            return s;
        }

        public int generation() { return generation; }

        public long netPence(int productIndex, int quantity, int accountBand) {
            PricingScratch s = scratch(generation);
            double net = NetPriceList.NET_PENCE[productIndex % NetPriceList.NET_PENCE.length];
            int limit = NetPriceList.BAND_LIMITS[(productIndex * 31 + accountBand) & 4_095];
            s.work[quantity & 255] = net;
            double discount = quantity >= limit ? 0.12 + 0.01 * accountBand : 0.02 * accountBand;
            return Math.round(net * quantity * (1 - discount));
        }

        public String renderLine(String sku, int quantity, long pence) {
            PricingScratch s = scratch(generation);
            s.line.setLength(0);
            s.line.append(sku).append(" x").append(quantity).append(" @ ").append(pence / 100).append('.').append(pence % 100 < 10 ? "0" : "").append(pence % 100);
            return s.line.toString();
        }

        public void release() { SCRATCH.remove(); }
    }

    /** Child-first for the plugin classes (defined from bytes), parent-first for everything else. */
    static final class PricingLoader extends ClassLoader {
        final int generation;
        final long loadedAt;
        final Map<String, byte[]> bytecode;
        PricingLoader(int generation, long loadedAt, Map<String, byte[]> bytecode) {
            super("trade-pricing-v" + generation, Val122LeakPlumbingMerchant.class.getClassLoader());
            this.generation = generation; this.loadedAt = loadedAt; this.bytecode = bytecode;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    record Branch(String code, String town, double[] takingsByQuarterHour) {}
    record Product(String sku, String description, String category, byte[] specSheet, int index) {}
    record TradeAccount(String number, String company, int band, long openedAt) {}
    record QuotePdf(String quoteId, byte[] pdf, long at) {}
    record Quote(String quoteId, String account, String branch, String[] lines, long totalPence, int generation, long at) {}
    record VanDelivery(String quoteId, String branch, String postcode, long loadAt) {}

    static final class PdfCache extends LinkedHashMap<String, QuotePdf> {
        long evicted;
        PdfCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePdf> e) { if (size() > PDF_CAP) { evicted++; return true; } return false; }
    }

    /** Loads and switches plugin generations. */
    static final class PricingHost {
        final Map<String, byte[]> bytecode = new HashMap<>();
        final ExecutorService[] lanes = new ExecutorService[LANES];
        Pricer current;
        int generation;
        /** Diagnostics only, emptied before the dump. */
        final List<WeakReference<ClassLoader>> loaderProbes = new ArrayList<>();

        PricingHost() {
            for (int i = 0; i < LANES; i++) {
                String name = "quote-lane-" + (i + 1);
                lanes[i] = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
            }
        }

        void reload(long at) throws Exception {
            generation++;
            PricingLoader loader = new PricingLoader(generation, at, bytecode);
            Class<?> c = loader.loadClass(Val122LeakPlumbingMerchant.class.getName() + "$TradePricing");
            Pricer next = (Pricer) c.getConstructor(int.class).newInstance(generation);
            Pricer old = current;
            if (FIXED && old != null) { // BUG: without the fix nobody clears the retired generation's thread-locals
                List<Future<?>> done = new ArrayList<>();
                for (ExecutorService lane : lanes) done.add(lane.submit(old::release));
                for (Future<?> f : done) f.get();
            }
            current = next;
            List<Future<?>> warm = new ArrayList<>();
            for (ExecutorService lane : lanes) warm.add(lane.submit(() -> next.netPence(0, 1, 0)));
            for (Future<?> f : warm) f.get();
            loaderProbes.add(new WeakReference<>(loader));
        }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Product> products = new HashMap<>();
        final Product[] productByIndex = new Product[PRODUCTS];
        final Map<String, TradeAccount> accounts = new HashMap<>();
        final PricingHost host = new PricingHost();
        final PdfCache pdfs = new PdfCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Quote[] recentQuotes = new Quote[RING];
        final ArrayDeque<VanDelivery> vanQueue = new ArrayDeque<>();
        long quotes, lines, vansLoaded, vansLeft;

        /** Prices one quote on the account's lane; returns the priced lines. */
        Future<String[]> price(TradeAccount acc, int[] productIdx, int[] qty) {
            ExecutorService lane = host.lanes[Math.floorMod(acc.number().hashCode(), LANES)];
            Pricer pricer = host.current;
            return lane.submit(() -> {
                String[] out = new String[productIdx.length];
                for (int i = 0; i < productIdx.length; i++) {
                    long pence = pricer.netPence(productIdx[i], qty[i], acc.band());
                    out[i] = pricer.renderLine(productByIndex[productIdx[i]].sku(), qty[i], pence);
                }
                return out;
            });
        }
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Pending(String quoteId, TradeAccount acc, String branch, Future<String[]> lines, long at) {}

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_040_001);
        String[] towns = {"Leeds", "Bradford", "Wakefield", "Halifax", "Huddersfield", "York", "Harrogate", "Doncaster", "Rotherham", "Barnsley", "Hull", "Grimsby", "Lincoln"};
        String[] branches = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) {
            branches[b] = "BR" + (100 + b);
            double[] takings = new double[96];
            for (int k = 0; k < takings.length; k++) takings[k] = rnd.nextDouble() * 900;
            BRANCHES_BY_CODE.put(branches[b], new Branch(branches[b], towns[b % towns.length], takings));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        for (String simple : PLUGIN_CLASSES) {
            try (InputStream in = Val122LeakPlumbingMerchant.class.getResourceAsStream("Val122LeakPlumbingMerchant$" + simple + ".class")) {
                svc.host.bytecode.put(Val122LeakPlumbingMerchant.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        for (int p = 0; p < PRODUCTS; p++) {
            String sku = "PH" + (600_000 + p * 11);
            String cat = CATEGORIES[p % CATEGORIES.length];
            Product prod = new Product(sku, cat + " " + (8 + p % 40) + "mm", cat, new byte[150 + rnd.nextInt(150)], p);
            svc.products.put(sku, prod);
            svc.productByIndex[p] = prod;
        }
        TradeAccount[] accs = new TradeAccount[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accs[a] = new TradeAccount("TA" + (40_000 + a * 7), "Heating & Plumbing Ltd " + a, rnd.nextInt(6), now - (long) (10 + rnd.nextInt(4_000)) * DAY);
            svc.accounts.put(accs[a].number(), accs[a]);
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);

        Random traffic = new Random(122_040_002);
        int seq = 0;
        List<Pending> window = new ArrayList<>();
        for (long t = start; t < end; t += MINUTE) {
            if ((t - start) % (RELOAD_MINUTES * MINUTE) == 0) svc.host.reload(t);
            for (int k = 0; k < QUOTES_PER_MINUTE; k++) {
                TradeAccount acc = accs[traffic.nextInt(ACCOUNTS)];
                int n = 1 + traffic.nextInt(8);
                int[] idx = new int[n], qty = new int[n];
                for (int i = 0; i < n; i++) { idx[i] = traffic.nextInt(PRODUCTS); qty[i] = 1 + traffic.nextInt(60); }
                window.add(new Pending("Q" + (9_100_000 + seq++), acc, branches[traffic.nextInt(BRANCHES)], svc.price(acc, idx, qty), t + k * SECOND));
            }
            for (Pending p : window) {
                String[] lines = p.lines().get();
                long total = 0;
                for (String l : lines) total += l.length();
                Quote q = new Quote(p.quoteId(), p.acc().number(), p.branch(), lines, total, svc.host.generation, p.at());
                svc.recentQuotes[(int) (svc.quotes++ % RING)] = q;
                svc.lines += lines.length;
                byte[] buf = svc.pdfBuffers.poll();
                buf[(int) (svc.quotes % buf.length)] = (byte) lines.length;
                svc.pdfBuffers.add(buf);
                svc.pdfs.put(q.quoteId(), new QuotePdf(q.quoteId(), new byte[400 + traffic.nextInt(400)], p.at()));
                if (traffic.nextInt(5) == 0) {
                    svc.vanQueue.addLast(new VanDelivery(q.quoteId(), p.branch(), "LS" + (1 + traffic.nextInt(28)) + " " + traffic.nextInt(10) + "AB", p.at() + 30 * MINUTE));
                    svc.vansLoaded++;
                }
            }
            window.clear();
            while (!svc.vanQueue.isEmpty() && svc.vanQueue.peekFirst().loadAt() <= t) { svc.vanQueue.pollFirst(); svc.vansLeft++; }
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the lane threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val122.fixed");
        simulate();
        report();
        LeakCheck.histogram("PricingLoader", "TradePricing", "PricingScratch", "NetPriceList");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() throws Exception {
        QuoteService svc = SERVICE;
        PricingHost host = svc.host;
        int gens = HOURS * 60 / RELOAD_MINUTES;
        // Scratches created per generation, read through each generation's own TradePricing class.
        int scratches = 0;
        for (int i = 0; i < LANES; i++) host.lanes[i].submit(() -> { }).get();
        scratches = host.current.getClass().getField("scratchesCreated").getInt(null);
        System.gc();
        int alive = 0;
        for (WeakReference<ClassLoader> w : host.loaderProbes) if (w.get() != null) alive++;
        host.loaderProbes.clear();
        System.out.println((FIXED ? "FIXED " : "") + "branches " + BRANCHES_BY_CODE.size() + " products " + svc.products.size() + " accounts " + svc.accounts.size()
                + " generations " + host.generation + " loaders alive " + alive + " current scratches " + scratches + " quotes " + svc.quotes + " lines " + svc.lines
                + " pdfs " + svc.pdfs.size() + " (evicted " + svc.pdfs.evicted + ") van backlog " + svc.vanQueue.size() + " pool " + svc.pdfBuffers.size());
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.products.size() == PRODUCTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(host.generation == gens && scratches == LANES, "generations / scratches of the current one");
        // With the fix a retired generation is unreachable from the heap; one or two may still be pinned for a while by the
        // compiled code a lane thread is parked in, so the fixed run only bounds the count.
        check(FIXED ? alive >= 1 && alive <= 4 : alive == gens, "loaders alive " + alive);
        check(host.current.getClass().getClassLoader() instanceof PricingLoader, "plugin defined by its own loader");
        check(svc.quotes == (long) QUOTES_PER_MINUTE * 60 * HOURS && svc.lines == EXPECTED_LINES, "quotes / lines " + svc.lines);
        check(svc.pdfs.size() == PDF_CAP && svc.pdfs.evicted > 0, "pdf cache at cap");
        check(svc.vanQueue.size() == EXPECTED_VAN_BACKLOG && svc.vansLoaded == svc.vansLeft + svc.vanQueue.size(), "van backlog " + svc.vanQueue.size());
        check(svc.pdfBuffers.size() == POOL && svc.recentQuotes[RING - 1] != null, "pool / ring");
    }

    static final long EXPECTED_LINES = 161_855;
    static final int EXPECTED_VAN_BACKLOG = 356;
}
