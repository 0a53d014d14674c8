// hprofscan-dump: name=val96-leak-tenderportal jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val96-leak-tenderportal-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 96 (written blind), LEAK: the notice-publishing service of a public procurement
 * (tender) portal. Buyer-organisation reference data, the tender directory, a cache of rendered
 * notice pages at its cap, a pool of PDF buffers, a ring of published notices, and a template
 * engine: every time an editor saves one of the 40 notice templates, the engine compiles it into a
 * class defined by a new TemplateClassLoader (one loader per reload) and swaps the renderer in
 * {@code TemplateEngine.current}. BUG: every compiled renderer is also registered in the static
 * {@code RenderMetrics.RENDERERS} list (per-renderer render counters for the metrics page), and
 * nothing unregisters the old one on a reload, so every old renderer instance, its class and its
 * class loader stay. See VALIDATION96.md.
 */
public final class Val96LeakTenderPortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BUYERS = 1_100, TENDERS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, TEMPLATES = 40, RELOADS = 600, NOTICES = 40_000, HOURS = 10;
    static boolean FIXED;

    /** Implemented by the compiled template classes (loaded by the application loader, shared). */
    public interface Renderer {
        String templateName();
        int version();
        int render(byte[] out, long seed);
    }

    /** The generated class of a compiled template; defined anew by each TemplateClassLoader. */
    public static final class CompiledTemplate implements Renderer {
        public static int instances;
        private final String name; private final int version; private final byte[] compiledBody; private final long compiledAt;
        public long renders;
        public CompiledTemplate(String name, Integer version, byte[] compiledBody, Long compiledAt) { this.name = name; this.version = version; this.compiledBody = compiledBody; this.compiledAt = compiledAt; instances++; }
        @Override public String templateName() { return name; }
        @Override public int version() { return version; }
        @Override public int render(byte[] out, long seed) { renders++; int n = Math.min(out.length, compiledBody.length); out[(int) (seed % n)] = compiledBody[(int) (seed % compiledBody.length)]; return n; }
    }

    /** Defines the template class itself (child first for that one name), delegates everything else. */
    static final class TemplateClassLoader extends ClassLoader {
        final String templateName; final int version; final long loadedAt; final byte[] classBytes;
        TemplateClassLoader(String templateName, int version, byte[] classBytes, long loadedAt, ClassLoader parent) {
            super("tpl-" + templateName + "-v" + version, parent);
            this.templateName = templateName; this.version = version; this.classBytes = classBytes; this.loadedAt = loadedAt;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(CompiledTemplate.class.getName())) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, classBytes, 0, classBytes.length);
                return c;
            }
        }
    }

    /** The application's metrics registry (static, not in any template loader). */
    static final class RenderMetrics {
        static final List<Renderer> RENDERERS = new ArrayList<>();
        static void register(Renderer r) { RENDERERS.add(r); }
        static void unregister(Renderer r) { RENDERERS.remove(r); }
    }

    static final class TemplateEngine {
        final Map<String, Renderer> current = new HashMap<>();
        final byte[] templateClassBytes;
        long reloads;
        TemplateEngine(byte[] templateClassBytes) { this.templateClassBytes = templateClassBytes; }
        void reload(String name, byte[] compiledBody, long at) throws Exception {
            int version = (int) ++reloads;
            TemplateClassLoader loader = new TemplateClassLoader(name, version, templateClassBytes, at, Val96LeakTenderPortal.class.getClassLoader());
            Class<?> cls = loader.loadClass(CompiledTemplate.class.getName());
            Renderer r = (Renderer) cls.getConstructor(String.class, Integer.class, byte[].class, Long.class).newInstance(name, version, compiledBody, at);
            Renderer old = current.put(name, r);
            if (FIXED && old != null) RenderMetrics.unregister(old);
            RenderMetrics.register(r); // BUG (unfixed): the replaced renderer stays registered
        }
    }

    record Buyer(String code, String name, double[] quarterlySpend) {}
    record Tender(String reference, String buyerCode, String cpvCode, byte[] specification, long publishedAt) {}
    record NoticePage(String key, byte[] rendered, long at) {}
    record PublishedNotice(String reference, String template, int templateVersion, long at) {}

    static final class PageCache extends LinkedHashMap<String, NoticePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, NoticePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Buyer> BUYERS_BY_CODE = new HashMap<>();

    static final class NoticeService {
        final Map<String, Tender> tenders = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final PublishedNotice[] published = new PublishedNotice[RING];
        long notices;
        TemplateEngine templates;
    }

    static NoticeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] templateClassBytes() throws Exception {
        String res = "/" + CompiledTemplate.class.getName().replace('.', '/') + ".class";
        try (InputStream in = Val96LeakTenderPortal.class.getResourceAsStream(res)) {
            return in.readAllBytes();
        }
    }

    static void build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(96_040_001);
        String[] buyerCodes = new String[BUYERS];
        for (int b = 0; b < BUYERS; b++) {
            double[] spend = new double[80];
            for (int k = 0; k < spend.length; k++) spend[k] = rnd.nextDouble() * 1e6;
            buyerCodes[b] = "ORG-" + (61_000 + b * 3);
            BUYERS_BY_CODE.put(buyerCodes[b], new Buyer(buyerCodes[b], "Council " + b, spend));
        }
        NoticeService svc = new NoticeService();
        SERVICE = svc;
        String[] refs = new String[TENDERS];
        for (int t = 0; t < TENDERS; t++) {
            refs[t] = "TND-" + (2024_000_000L + t * 17L);
            svc.tenders.put(refs[t], new Tender(refs[t], buyerCodes[rnd.nextInt(BUYERS)], "CPV-" + (45_000_000 + rnd.nextInt(900_000)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        svc.templates = new TemplateEngine(templateClassBytes());
        String[] names = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) {
            names[k] = new String[] {"contract-notice", "prior-information", "award-notice", "modification", "corrigendum"}[k % 5] + "-" + (k / 5);
            svc.templates.reload(names[k], new byte[4_000 + rnd.nextInt(8_000)], start);
        }
        Random traffic = new Random(96_040_002);
        int reloadsDone = TEMPLATES;
        int totalLoads = TEMPLATES + RELOADS;
        for (int i = 0; i < NOTICES; i++) {
            long t = start + (end - MINUTE - start) * i / NOTICES;
            // editors save a template about once a minute
            while (reloadsDone < totalLoads && start + (end - MINUTE - start) * (reloadsDone - TEMPLATES + 1) / (RELOADS + 1) <= t) {
                svc.templates.reload(names[traffic.nextInt(TEMPLATES)], new byte[4_000 + traffic.nextInt(8_000)], t);
                reloadsDone++;
            }
            String ref = refs[traffic.nextInt(TENDERS)];
            Renderer r = svc.templates.current.get(names[traffic.nextInt(TEMPLATES)]);
            byte[] buf = svc.pdfBuffers.poll();
            r.render(buf, i);
            svc.pdfBuffers.add(buf);
            svc.published[(int) (svc.notices++ % RING)] = new PublishedNotice(ref, r.templateName(), r.version(), t);
            String key = "notice-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new NoticePage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        int liveLoaders = 0;
        java.util.Set<ClassLoader> loaders = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Renderer r : RenderMetrics.RENDERERS) loaders.add(r.getClass().getClassLoader());
        liveLoaders = loaders.size();
        loaders.clear();
        System.out.println((FIXED ? "FIXED " : "") + "buyers " + BUYERS_BY_CODE.size() + " tenders " + svc.tenders.size() + " templates " + svc.templates.current.size() + " loads " + svc.templates.reloads
                + " registered renderers " + RenderMetrics.RENDERERS.size() + " (distinct loaders " + liveLoaders + ") notices " + svc.notices + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.pdfBuffers.size());
        check(BUYERS_BY_CODE.size() == BUYERS && svc.tenders.size() == TENDERS, "reference data / directory");
        check(svc.templates.current.size() == TEMPLATES && svc.templates.reloads == totalLoads, "template engine");
        if (FIXED) check(RenderMetrics.RENDERERS.size() == TEMPLATES && liveLoaders == TEMPLATES, "fixed: one renderer per template");
        else check(RenderMetrics.RENDERERS.size() == totalLoads && liveLoaders == totalLoads, "every renderer stays registered");
        for (Renderer r : svc.templates.current.values()) check(r.getClass() != CompiledTemplate.class && r.getClass().getClassLoader() instanceof TemplateClassLoader, "template class defined by its own loader");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.notices == NOTICES && svc.published[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val96.fixed");
        build();
        LeakCheck.histogram(" [I ", "TemplateClassLoader", "java.lang.Class ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
