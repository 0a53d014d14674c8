// hprofscan-dump: name=svc-leak-blobs jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-blobs-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): a reporting service that renders export files per job and keeps
 * every generated file in {@code ExportService.GENERATED}, a static
 * {@code ConcurrentHashMap<String, byte[]>} keyed {@code "export-<seq>"}; the download endpoint
 * was meant to remove the entry after the download and never does. 700 blobs of 8 to 40 KB.
 * No timestamps anywhere in the application's structures. Healthy counterpart: the template
 * store {@code Templates.ASSETS}, a static {@code HashMap<String, byte[]>} of 90 templates, fonts
 * and logos loaded once at startup (natural names such as {@code "invoice_de.html"}). Also: a
 * product catalog (reference data, 20,000), report definitions (300), a fragment LRU at capacity
 * (2,000 rendered fragments), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakBlobs {
    static final int PRODUCTS = 20_000;
    static final int DEFINITIONS = 300;
    static final int FRAGMENTS = 2_000;
    static final int JOBS = 700;
    static final int ASSETS = 90;

    static Service RUNNING;

    static final class Product {
        final String sku; final String name; final BigDecimal price; final String category;
        Product(String sku, String name, BigDecimal price, String category) { this.sku = sku; this.name = name; this.price = price; this.category = category; }
    }

    static final class Catalog { static final Map<String, Product> BY_SKU = new HashMap<>(); }

    static final class Templates {
        static final Map<String, byte[]> ASSETS = new HashMap<>();
        static void loadAll(Random rnd) {
            String[] docs = {"invoice", "credit-note", "delivery-note", "statement", "price-list", "stock-report", "sales-summary", "tax-report"};
            String[] langs = {"en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "fi"};
            for (String d : docs) for (String l : langs) put(d + "_" + l + ".html", 20_000 + rnd.nextInt(60_000), rnd);
            for (String f : new String[] {"OpenSans-Regular.ttf", "OpenSans-Bold.ttf", "OpenSans-Italic.ttf", "RobotoMono-Regular.ttf", "NotoSans-Regular.ttf"}) put(f, 90_000 + rnd.nextInt(40_000), rnd);
            for (String l : new String[] {"logo.png", "logo-dark.png", "logo-print.svg", "watermark.png", "signature.png"}) put(l, 10_000 + rnd.nextInt(20_000), rnd);
        }
        static void put(String name, int size, Random rnd) { byte[] b = new byte[size]; rnd.nextBytes(b); ASSETS.put(name, b); }
    }

    static final class ReportDefinition {
        final String id; final String title; final String template; final String[] columns; final String query;
        ReportDefinition(String id, String title, String template, String[] columns, String query) { this.id = id; this.title = title; this.template = template; this.columns = columns; this.query = query; }
    }

    static final class ExportService {
        static final Map<String, byte[]> GENERATED = new ConcurrentHashMap<>();
        static int seq;
        static String export(ReportDefinition def, Random rnd) {
            byte[] file = new byte[8_192 + rnd.nextInt(32_768)];
            rnd.nextBytes(file);
            String id = "export-" + (++seq);
            GENERATED.put(id, file);
            return id;
        }
        static byte[] download(String id) { return GENERATED.get(id); } // BUG: never removed
    }

    static final class FragmentCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        FragmentCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final Map<String, ReportDefinition> definitions = new LinkedHashMap<>();
        final FragmentCache fragments = new FragmentCache(FRAGMENTS);
        final List<String> recentJobIds = new ArrayList<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        Random rnd = new Random(60_604);
        Service s = new Service();
        Templates.loadAll(rnd);
        String[] cats = {"tools", "garden", "kitchen", "office", "toys", "sports"};
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (2_000_000 + i);
            Catalog.BY_SKU.put(sku, new Product(sku, "Product " + i, BigDecimal.valueOf(100 + rnd.nextInt(100_000), 2), cats[i % cats.length]));
        }
        Object[] names = Templates.ASSETS.keySet().stream().filter(n -> n.endsWith(".html")).sorted().toArray();
        for (int i = 0; i < DEFINITIONS; i++) {
            String id = "report-" + (100 + i);
            s.definitions.put(id, new ReportDefinition(id, "Report " + i, (String) names[i % names.length],
                new String[] {"sku", "name", "qty", "price", "total"}, "select sku, name, qty, price from sales where region = ? and category = '" + cats[i % cats.length] + "'"));
        }
        ReportDefinition[] defs = s.definitions.values().toArray(new ReportDefinition[0]);
        for (int j = 0; j < JOBS; j++) {
            ReportDefinition def = defs[rnd.nextInt(defs.length)];
            for (int f = 0; f < 12; f++) {
                String sku = "SKU-" + (2_000_000 + rnd.nextInt(PRODUCTS));
                s.fragments.computeIfAbsent(def.template + ":" + sku, k -> new byte[512 + rnd.nextInt(1_024)]);
            }
            String id = ExportService.export(def, rnd);
            if (ExportService.download(id) == null) throw new IllegalStateException();
            s.recentJobIds.add(id);
            if (s.recentJobIds.size() > 50) s.recentJobIds.remove(0);
            s.count("exports");
        }
        check(ExportService.GENERATED.size() == JOBS, "generated " + ExportService.GENERATED.size());
        check(Templates.ASSETS.size() == ASSETS, "assets " + Templates.ASSETS.size());
        check(s.fragments.size() == FRAGMENTS && Catalog.BY_SKU.size() == PRODUCTS && s.definitions.size() == DEFINITIONS, "others");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
