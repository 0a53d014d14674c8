// hprofscan-dump: name=val60-leak-knitpatterns-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val60-leak-knitpatterns-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val60-leak-knitpatterns jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val60-leak-knitpatterns-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 60 (written blind), LEAK: the GraphQL response-shaping layer of a knitting-pattern
 * marketplace. It compiles a field-selection plan per distinct query document and caches it in a
 * plain ConcurrentHashMap keyed by the query text; clients inline argument values into the query
 * text, so nearly every query is a new key and the map grows with traffic. See VALIDATION60.md.
 */
public final class Val60LeakKnitPatterns {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int YARNS = 1_300, PATTERNS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, QUERIES_PER_HOUR = 4_000;
    static boolean FIXED;

    record Yarn(String code, String brand, double[] dyeLotWeights) {}
    record Pattern(String id, String designer, String craft, byte[] chart, long publishedAt) {}
    record RenderedPage(String key, byte[] html, long at) {}
    record Request(String client, String operation, long at, int status) {}
    record FieldNode(String path, int depth) {}
    record SelectionPlan(String document, FieldNode[] fields, byte[] shaper, long compiledAt) {}

    static final class PageCache extends LinkedHashMap<String, RenderedPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Yarn> YARNS_BY_CODE = new HashMap<>();

    static final class ShapingLayer {
        final Map<String, Pattern> patterns = new HashMap<>();
        /** compiled field-selection plans per query document. BUG: keyed by the raw text with inlined arguments. */
        final ConcurrentHashMap<String, SelectionPlan> plans = new ConcurrentHashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final Request[] recent = new Request[RING];
        long requests, compiled;
    }

    static ShapingLayer SERVICE;
    static final String[] TEMPLATES = {
        "query { pattern(id: %s) { title designer { name } yardage } }",
        "query { pattern(id: %s) { title chart { rows stitches } } }",
        "query { designer(handle: %s) { name patterns(first: 20) { id title } } }",
        "query { yarn(code: %s) { brand weight colourways { name } } }",
        "query { search(text: %s) { id title craft } }",
        "query { pattern(id: %s) { reviews(first: 10) { rating body } } }",
        "query { cart(id: %s) { items { pattern { id title } price } total } }",
        "query { order(number: %s) { status items { id } shippedAt } }",
        "query { pattern(id: %s) { title sizes { label bust } } }",
        "query { designer(handle: %s) { followers totalSales } }",
        "query { yarn(code: %s) { stockists(first: 5) { name city } } }",
        "query { search(text: %s) { id title designer { name } } }"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static SelectionPlan compile(String doc, Random rnd, long t) {
        int n = 4 + rnd.nextInt(4);
        FieldNode[] fields = new FieldNode[n];
        for (int k = 0; k < n; k++) fields[k] = new FieldNode("f" + k + "." + (doc.length() % 97), 1 + k % 3);
        return new SelectionPlan(doc, fields, new byte[120 + rnd.nextInt(120)], t);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val60.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int queries = QUERIES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(60_010_001);
        String[] yarnCodes = new String[YARNS];
        for (int y = 0; y < YARNS; y++) {
            double[] w = new double[64];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble() * 100;
            yarnCodes[y] = "YN-" + (3_000 + y);
            YARNS_BY_CODE.put(yarnCodes[y], new Yarn(yarnCodes[y], "Mill " + (y % 140), w));
        }
        ShapingLayer svc = new ShapingLayer();
        SERVICE = svc;
        String[] crafts = {"knit", "crochet", "weave", "tunisian"};
        for (int p = 0; p < PATTERNS; p++) {
            String id = "KP" + (4_000_000 + p);
            svc.patterns.put(id, new Pattern(id, "designer-" + rnd.nextInt(3_000), crafts[p % 4], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);
        Random traffic = new Random(60_010_002), compiler = new Random(60_010_003);
        for (int i = 0; i < queries; i++) {
            long t = start + (end - MINUTE - start) * i / queries;
            int tpl = traffic.nextInt(TEMPLATES.length);
            String arg = "\"" + (4_000_000 + traffic.nextInt(1_000_000)) + "\"";
            String doc = FIXED ? String.format(TEMPLATES[tpl], "$arg") : String.format(TEMPLATES[tpl], arg);
            SelectionPlan plan = svc.plans.get(doc);
            if (plan == null) { plan = compile(doc, compiler, t); svc.plans.put(doc, plan); svc.compiled++; }
            svc.recent[(int) (svc.requests++ % RING)] = new Request("client-" + traffic.nextInt(900), "op" + tpl, t, 200);
            String key = "page-" + traffic.nextInt(6_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new RenderedPage(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.jsonBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.jsonBuffers.add(buf);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " yarns " + YARNS_BY_CODE.size() + " patterns " + svc.patterns.size() + " plans " + svc.plans.size()
                + " compiled " + svc.compiled + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.jsonBuffers.size() + " requests " + svc.requests);
        check(YARNS_BY_CODE.size() == YARNS && svc.patterns.size() == PATTERNS, "reference data / directory");
        if (FIXED) check(svc.plans.size() == TEMPLATES.length, "plans per normalized document");
        else check(svc.plans.size() > queries * 9 / 10 && svc.plans.size() == svc.compiled, "plans per raw document: " + svc.plans.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.jsonBuffers.size() == POOL, "pool");
        check(svc.requests == queries && svc.recent[Math.min(queries, RING) - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
