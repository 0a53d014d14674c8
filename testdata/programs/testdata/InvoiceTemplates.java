// hprofscan-dump: name=invoice-templates jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=invoice-templates-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=invoice-templates-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=invoice-templates-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invoicing service of a wholesale distributor renders invoices with a template plugin that
 * is reloaded (a new class loader of its own, from the plugin's bytes) whenever the finance team
 * publishes new templates: every ten minutes over eight hours, 48 generations. The renderer
 * keeps a per-thread render context (a {@code StringBuilder}, a {@code char[4096]} and a
 * {@code long[512]} of line totals) in its own static {@code ThreadLocal}, used on the three
 * threads of the service's render pool ({@code Executors.newFixedThreadPool}). Beside it: the
 * customers' directory (3,000, opened over years), the price book loaded at startup, an LRU of
 * 1,500 rendered PDFs, and a ring of recent invoices.
 * <ul>
 * <li>{@code healthy}: each render clears its context in a {@code finally}
 * ({@code ThreadLocal.remove()}): a retired generation is collected with its loader. One
 * generation loaded.
 * <li>{@code leak}: the context is set and never removed: every pool thread keeps one context
 * per generation it ever ran, each pinning its class, its loader and the loader's classes and
 * statics (a {@code double[8,000]} tax table per generation). 47 retired generations stay. The
 * leak is the pool threads' {@code Thread.threadLocals}.
 * </ul>
 * Every pool thread renders with each generation (a barrier). Deterministic counts, printed
 * and checked; nothing in main's frame refers to a generation's
 * object at the dump.
 */
public final class InvoiceTemplates {
    static final long DAY = 24 * 3_600_000L;
    static final int GENERATIONS = 48, PER_GENERATION = 60, CUSTOMERS = 3_000, PDF_CAP = 1_500, RING = 4_096, THREADS = 3;

    /** What the host calls on a template generation. */
    public interface Renderer {
        int render(long invoice, int lines);
    }

    /** The per-thread render context (a plugin class). */
    public static final class RenderContext {
        final StringBuilder text = new StringBuilder(1_024);
        final char[] buffer = new char[4_096];
        final long[] lineTotals = new long[512];
    }

    /** The generation's tax table (a plugin class): one per loaded generation. */
    public static final class TaxTable {
        static final double[] RATES = new double[8_000];

        static {
            for (int i = 0; i < RATES.length; i++) RATES[i] = (i % 25) / 100.0;
        }
    }

    /** The template renderer (a plugin class). */
    public static final class TemplateRenderer implements Renderer {
        static final ThreadLocal<RenderContext> CONTEXT = new ThreadLocal<>();
        final boolean clear;

        public TemplateRenderer(Boolean clear) {
            this.clear = clear;
        }

        @Override
        public int render(long invoice, int lines) {
            RenderContext c = CONTEXT.get();
            if (c == null) {
                c = new RenderContext();
                CONTEXT.set(c);
            }
            try {
                c.text.setLength(0);
                for (int i = 0; i < lines; i++) {
                    c.lineTotals[i % c.lineTotals.length] = invoice * 31 + i;
                    c.text.append("line ").append(i).append(' ').append(TaxTable.RATES[(int) ((invoice + i) % TaxTable.RATES.length)]).append('\n');
                }
                return c.text.length();
            } finally {
                if (clear) CONTEXT.remove();
            }
        }
    }

    /** Child-first over the plugin's classes (defined from their bytes), parent-first otherwise. */
    static final class TemplateLoader extends ClassLoader {
        final Map<String, byte[]> bytecode;

        TemplateLoader(int generation, Map<String, byte[]> bytecode) {
            super("invoice-templates-g" + generation, InvoiceTemplates.class.getClassLoader());
            this.bytecode = bytecode;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
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

    record Customer(String id, String name, long since, String vatNumber) {}

    record Invoice(long id, String customer, long cents, long at) {}

    static final class Service {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, long[]> priceBook = new HashMap<>();
        final Map<Long, byte[]> pdfs = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
                return size() > PDF_CAP;
            }
        };
        final Invoice[] recent = new Invoice[RING];
        final Map<String, byte[]> bytecode = new HashMap<>();
        final ExecutorService renderPool;
        Renderer current;
        int generation;
        long invoices;

        Service() {
            AtomicInteger n = new AtomicInteger();
            renderPool = Executors.newFixedThreadPool(THREADS, r -> {
                Thread t = new Thread(r, "invoice-render-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    static Service SERVICE;

    static byte[] bytesOf(Class<?> c) throws Exception {
        try (InputStream in = InvoiceTemplates.class.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Loads the next generation and makes it current. */
    static void publish(Service s, boolean leak, List<WeakReference<ClassLoader>> probe) throws Exception {
        TemplateLoader loader = new TemplateLoader(++s.generation, s.bytecode);
        Class<?> impl = loader.loadClass(TemplateRenderer.class.getName());
        if (impl.getClassLoader() != loader) throw new IllegalStateException("plugin class on the host class path");
        s.current = (Renderer) impl.getDeclaredConstructor(Boolean.class).newInstance(!leak);
        probe.add(new WeakReference<>(loader));
    }

    /** Renders a generation's invoices on the pool, every thread taking some. */
    static void renderBatch(Service s, Random rnd, long start) throws Exception {
        Renderer r = s.current;
        List<Future<Integer>> done = new ArrayList<>();
        // Every pool thread renders with the new generation at least once (a barrier of all).
        CyclicBarrier all = new CyclicBarrier(THREADS);
        for (int k = 0; k < THREADS; k++) {
            long id = 5_000_000L + s.invoices++;
            done.add(s.renderPool.submit(() -> {
                all.await();
                return r.render(id, 5);
            }));
        }
        for (int k = THREADS; k < PER_GENERATION; k++) {
            long id = 5_000_000L + s.invoices++;
            int lines = 3 + rnd.nextInt(40);
            done.add(s.renderPool.submit(() -> {
                int n = r.render(id, lines);
                Thread.sleep(1);
                return n;
            }));
            Customer c = s.customers.get("C" + (10_000 + rnd.nextInt(CUSTOMERS)));
            s.recent[(int) (id % RING)] = new Invoice(id, c.id(), 1_000 + rnd.nextInt(900_000), start + k * 10_000L);
            s.pdfs.put(id, new byte[800 + rnd.nextInt(800)]);
        }
        for (Future<Integer> f : done) f.get();
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        Random rnd = new Random(52_817);
        Service s = new Service();
        SERVICE = s;
        for (Class<?> c : new Class<?>[] {RenderContext.class, TaxTable.class, TemplateRenderer.class}) {
            s.bytecode.put(c.getName(), bytesOf(c));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "C" + (10_000 + i);
            s.customers.put(id, new Customer(id, "Trade customer " + i, now - (200 + rnd.nextInt(3_000)) * DAY, "GB" + (100_000_000 + i * 37)));
        }
        for (int i = 0; i < 2_000; i++) s.priceBook.put("SKU-" + (40_000 + i), new long[] {100 + rnd.nextInt(50_000), rnd.nextInt(20), rnd.nextInt(5)});
        List<WeakReference<ClassLoader>> probe = new ArrayList<>();
        long start = now - GENERATIONS * 600_000L;
        for (int g = 0; g < GENERATIONS; g++) {
            publish(s, leak, probe);
            renderBatch(s, rnd, start + g * 600_000L);
        }
        report(s, leak, probe);
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Prints the counts and checks them (a method of its own: main's frame keeps nothing). */
    static void report(Service s, boolean leak, List<WeakReference<ClassLoader>> probe) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        int live = 0;
        for (WeakReference<ClassLoader> w : probe) if (w.get() != null) live++;
        System.out.println((leak ? "leak" : "healthy") + " generations " + s.generation + " live template loaders " + live + " invoices " + s.invoices
                + " pdfs " + s.pdfs.size() + " customers " + s.customers.size());
        if (live != (leak ? GENERATIONS : 1)) throw new IllegalStateException("unexpected live loaders " + live);
    }
}
