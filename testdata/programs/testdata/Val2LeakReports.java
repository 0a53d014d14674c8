// hprofscan-dump: name=val2-leak-reports jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val2-leak-reports-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): a statement/report rendering service. LEAKING.
 *
 * <p>Leak: {@link TemplateEngine#CONTEXT} is a static ThreadLocal holding a per-thread
 * {@link RenderContext}. Its {@code fragments} list (kept for cross-page references) is trimmed
 * only by {@code endDocument(docStart)} on the multi-page path; single-page statements (most of them)
 * never clear it, so on each of the 4 long-lived render pool threads the list grows forever.
 * The per-thread scratch StringBuilder is reset per render and is fine.
 *
 * <p>Healthy: template registry (reference data), rendered-statement cache (LRU at cap),
 * customer directory, render pool, metrics.
 */
public final class Val2LeakReports {
    static final int TEMPLATES = 2_500;
    static final int CUSTOMERS = 25_000;
    static final int CACHE_CAP = 2_500;
    static final int WORKERS = 4;
    static final int REPORTS_PER_MINUTE = 12;
    static final int MINUTES = 20 * 60;
    static final int MULTI_PAGE_EVERY = 5;
    static final long START = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();

    static final AtomicLong CLOCK = new AtomicLong(START);

    // ------------------------------------------------------------ reference data
    static final class ReportTemplate {
        final String templateId; final String locale; final String[] segments; final Map<String, String> labels = new HashMap<>();
        ReportTemplate(String id, String locale, String[] segments) { templateId = id; this.locale = locale; this.segments = segments; }
    }

    static final class TemplateRegistry {
        final Map<String, ReportTemplate> byId = new HashMap<>();
        void load(Random rnd) {
            String[] locales = {"en_GB", "de_DE", "fr_FR", "nl_NL", "it_IT"};
            for (int i = 0; i < TEMPLATES; i++) {
                String[] seg = new String[12];
                for (int s = 0; s < seg.length; s++) {
                    seg[s] = ("<section id='s" + s + "'>{{" + "field" + s + "}} ").repeat(4) + "tpl" + i;
                }
                ReportTemplate t = new ReportTemplate("TPL-" + i, locales[i % locales.length], seg);
                t.labels.put("title", "Monthly statement " + i);
                t.labels.put("footer", "Registered office: 1 Example Street, page {{page}} of {{pages}} / " + i);
                t.labels.put("balance", "Closing balance");
                byId.put(t.templateId, t);
            }
        }
    }

    static final class Customer {
        final String customerId; final String name; final String iban; final String templateId; final LocalDate since;
        Customer(String id, String name, String iban, String templateId, LocalDate since) {
            customerId = id; this.name = name; this.iban = iban; this.templateId = templateId; this.since = since;
        }
    }

    // ------------------------------------------------------------ rendering
    static final class RenderedFragment {
        final String templateId; final String customerId; final int page; final String html; final long renderedAtMillis;
        RenderedFragment(String templateId, String customerId, int page, String html, long at) {
            this.templateId = templateId; this.customerId = customerId; this.page = page; this.html = html; renderedAtMillis = at;
        }
    }

    static final class RenderContext {
        final StringBuilder scratch = new StringBuilder(4096);
        final List<RenderedFragment> fragments = new ArrayList<>();
        int documentsRendered;
        /** Drops the fragments of the document that started at index {@code docStart}. */
        void endDocument(int docStart) { fragments.subList(docStart, fragments.size()).clear(); }
    }

    static final class TemplateEngine {
        static final ThreadLocal<RenderContext> CONTEXT = ThreadLocal.withInitial(RenderContext::new);

        static byte[] render(ReportTemplate t, Customer c, int pages, long balanceCents) {
            RenderContext ctx = CONTEXT.get();
            ctx.documentsRendered++;
            int docStart = ctx.fragments.size();
            StringBuilder out = new StringBuilder();
            for (int p = 1; p <= pages; p++) {
                ctx.scratch.setLength(0);
                ctx.scratch.append("<page n='").append(p).append("'>").append(t.labels.get("title")).append(' ')
                        .append(c.name).append(' ').append(c.iban).append(' ').append(t.segments[p % t.segments.length])
                        .append(t.labels.get("balance")).append(": ").append(balanceCents / 100).append('.').append(balanceCents % 100)
                        .append(t.labels.get("footer")).append("</page>");
                String html = ctx.scratch.toString();
                ctx.fragments.add(new RenderedFragment(t.templateId, c.customerId, p, html, CLOCK.get()));
                out.append(html);
            }
            if (pages > 1) {
                // resolve "page x of y" references across the document, then drop the fragments
                ctx.endDocument(docStart);
            }
            ctx.scratch.setLength(0);
            return out.toString().getBytes();
        }
    }

    static final class StatementCache extends LinkedHashMap<String, byte[]> {
        final int cap;
        StatementCache(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > cap; }
    }

    final TemplateRegistry templates = new TemplateRegistry();
    final Map<String, Customer> customers = new HashMap<>();
    final StatementCache cache = new StatementCache(CACHE_CAP);
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final ExecutorService renderPool = Executors.newFixedThreadPool(WORKERS, new ThreadFactory() {
        final AtomicInteger n = new AtomicInteger();
        @Override public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "report-render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    final Random rnd = new Random(99);

    static Val2LeakReports service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void start() {
        templates.load(rnd);
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "C" + (5_000_000 + i);
            customers.put(id, new Customer(id, "Customer " + i + " " + (char) ('A' + i % 26) + ".",
                    "DE89" + String.format("%018d", 370_400_440_532_013_000L + i), "TPL-" + (i % TEMPLATES),
                    LocalDate.of(2010 + i % 15, 1 + i % 12, 1 + i % 28)));
        }
    }

    byte[] handle(String customerId, int pages) {
        Customer c = customers.get(customerId);
        ReportTemplate t = templates.byId.get(c.templateId);
        byte[] pdf = TemplateEngine.render(t, c, pages, (customerId.hashCode() & 0xffffff));
        inc(pages > 1 ? "render.multi" : "render.single");
        return pdf;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) throws Exception {
        Val2LeakReports svc = new Val2LeakReports();
        service = svc;
        svc.start();
        long singles = 0, requests = 0;
        List<Future<byte[]>> batch = new ArrayList<>();
        List<String> batchKeys = new ArrayList<>();
        for (int m = 0; m < MINUTES; m++) {
            for (int r = 0; r < REPORTS_PER_MINUTE; r++) {
                String cid = "C" + (5_000_000 + svc.rnd.nextInt(CUSTOMERS));
                int pages = requests % MULTI_PAGE_EVERY == 0 ? 2 + (int) (requests % 3) : 1;
                if (pages == 1) singles++;
                requests++;
                batch.add(svc.renderPool.submit(() -> svc.handle(cid, pages)));
                batchKeys.add(cid + "/" + CLOCK.get() / 86_400_000L + "/" + requests);
            }
            for (int i = 0; i < batch.size(); i++) svc.cache.put(batchKeys.get(i), batch.get(i).get());
            batch.clear();
            batchKeys.clear();
            CLOCK.addAndGet(60_000);
        }
        // one probe per pool thread (the barrier forces 4 distinct threads)
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        List<Future<Integer>> probes = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            probes.add(svc.renderPool.submit(() -> {
                barrier.await();
                return TemplateEngine.CONTEXT.get().fragments.size();
            }));
        }
        long held = 0;
        for (Future<Integer> f : probes) held += f.get();

        check(requests == (long) MINUTES * REPORTS_PER_MINUTE, "requests");
        check(held == singles, "thread-local fragments " + held + " vs single-page renders " + singles);
        check(svc.templates.byId.size() == TEMPLATES, "templates");
        check(svc.customers.size() == CUSTOMERS, "customers");
        check(svc.cache.size() == CACHE_CAP, "cache " + svc.cache.size());
        check(svc.metrics.get("render.single").sum() == singles, "metrics");

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
