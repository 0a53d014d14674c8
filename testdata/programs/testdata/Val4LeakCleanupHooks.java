// hprofscan-dump: name=val4-leak-cleanuphooks jvm="-Xmx256m --add-opens=java.base/java.lang=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), LEAKING: a document-conversion service (office files to PDF)
 * that registers a JVM shutdown hook per conversion job and never removes it.
 *
 * <p>Every job gets a temporary workspace; to be sure the workspace is deleted even if the JVM
 * stops mid-job, the service calls {@code Runtime.getRuntime().addShutdownHook(new Thread(...))}
 * with a cleanup thread capturing the job. On completion the workspace is deleted, but
 * {@code removeShutdownHook} is never called: the JDK keeps every hook (an unstarted
 * {@code Thread}, state NEW) in the static {@code IdentityHashMap}
 * {@code java.lang.ApplicationShutdownHooks.hooks}, and with it the job and its source document.
 * 2,400 finished jobs over 8 simulated hours ending now, plus 5 jobs in flight (their hooks are
 * legitimate).
 *
 * <p>Healthy beside it: a font registry (reference data, 800 fonts with 2,048-glyph width tables), a
 * tenant directory (1,200), a template cache (hand-written: {@code HashMap} + access-ordered
 * linked nodes, at its maximum of 400), a fixed pool of 6 {@code convert-worker} threads with a
 * 64 KiB {@code ThreadLocal} scratch buffer each, a ring of the last 2,048 job summaries, the
 * in-flight jobs, metrics. See testdata/VALIDATION4.md.
 */
public final class Val4LeakCleanupHooks {
    static final int FONTS = 800;
    static final int TENANTS = 1_200;
    static final int TEMPLATES_MAX = 400;
    static final int WORKERS = 6;
    static final int JOBS = 2_400;
    static final int IN_FLIGHT = 5;
    static final int HISTORY = 2_048;
    static final long SIM_MILLIS = 8L * 3600_000L;

    static ConversionService RUNNING;

    static final class Font {
        final String family; final String style; final short[] advanceWidths; final int unitsPerEm; final long loadedAt;
        Font(String family, String style, short[] advanceWidths, int unitsPerEm, long loadedAt) { this.family = family; this.style = style; this.advanceWidths = advanceWidths; this.unitsPerEm = unitsPerEm; this.loadedAt = loadedAt; }
    }

    static final class FontRegistry {
        static final Map<String, Font> FONTS_BY_NAME = new HashMap<>();
        static void load(long now) {
            String[] styles = {"Regular", "Bold", "Italic", "BoldItalic"};
            for (int i = 0; i < FONTS; i++) {
                short[] w = new short[2_048];
                for (int g = 0; g < w.length; g++) w[g] = (short) (400 + (g * 7 + i) % 600);
                FONTS_BY_NAME.put("Family" + (i / 4) + "-" + styles[i % 4], new Font("Family" + (i / 4), styles[i % 4], w, 1_000 + (i % 2) * 1_048, now));
            }
        }
    }

    static final class Tenant {
        final String id; final String name; final String plan; final int maxPagesPerJob; final long createdAt;
        Tenant(String id, String name, String plan, int maxPagesPerJob, long createdAt) { this.id = id; this.name = name; this.plan = plan; this.maxPagesPerJob = maxPagesPerJob; this.createdAt = createdAt; }
    }

    static final class Template {
        final String id; final byte[] compiledLayout; final long compiledAt;
        Template(String id, byte[] compiledLayout, long compiledAt) { this.id = id; this.compiledLayout = compiledLayout; this.compiledAt = compiledAt; }
    }

    /** Hand-written LRU: map + access-ordered doubly linked nodes, evicts the least recently used. */
    static final class TemplateCache {
        static final class Node { final String key; final Template value; Node prev, next; Node(String key, Template value) { this.key = key; this.value = value; } }
        final Map<String, Node> index = new HashMap<>();
        final int maximumSize; Node head, tail; long evictions;
        TemplateCache(int maximumSize) { this.maximumSize = maximumSize; }
        Template get(String id, long now) {
            Node n = index.get(id);
            if (n != null) { unlink(n); linkLast(n); return n.value; }
            n = new Node(id, new Template(id, new byte[1_536], now));
            index.put(id, n); linkLast(n);
            if (index.size() > maximumSize) { Node v = head; unlink(v); index.remove(v.key); evictions++; }
            return n.value;
        }
        void linkLast(Node n) { n.prev = tail; n.next = null; if (tail != null) tail.next = n; else head = n; tail = n; }
        void unlink(Node n) { if (n.prev != null) n.prev.next = n.next; else head = n.next; if (n.next != null) n.next.prev = n.prev; else tail = n.prev; n.prev = n.next = null; }
    }

    static final class Workspace {
        final File dir; final List<String> files = new ArrayList<>(); boolean deleted;
        Workspace(File dir) { this.dir = dir; }
        void deleteQuietly() { files.clear(); deleted = true; }
    }

    static final class ConversionJob {
        final String jobId; final String tenantId; final String sourceName; final byte[] source; final long submittedAt; long finishedAt; int pages; final Workspace workspace;
        ConversionJob(String jobId, String tenantId, String sourceName, byte[] source, long submittedAt, Workspace workspace) { this.jobId = jobId; this.tenantId = tenantId; this.sourceName = sourceName; this.source = source; this.submittedAt = submittedAt; this.workspace = workspace; }
    }

    static final class JobSummary {
        final String jobId; final String tenantId; final int pages; final long tookMillis; final long finishedAt;
        JobSummary(String jobId, String tenantId, int pages, long tookMillis, long finishedAt) { this.jobId = jobId; this.tenantId = tenantId; this.pages = pages; this.tookMillis = tookMillis; this.finishedAt = finishedAt; }
    }

    static final class ConversionService {
        final Map<String, Tenant> tenants = new HashMap<>();
        final TemplateCache templates = new TemplateCache(TEMPLATES_MAX);
        final ExecutorService workers;
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
        final JobSummary[] history = new JobSummary[HISTORY];
        long historyNext;
        final Map<String, ConversionJob> inFlight = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final File spoolRoot = new File(System.getProperty("java.io.tmpdir"), "convert-spool");
        ConversionService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "convert-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        ConversionJob start(String jobId, String tenantId, byte[] source, long now) {
            Workspace ws = new Workspace(new File(spoolRoot, jobId));
            ws.files.add("input.docx"); ws.files.add("pages/");
            ConversionJob job = new ConversionJob(jobId, tenantId, jobId + ".docx", source, now, ws);
            // Cleanup on JVM exit if the job is interrupted. BUG: never removed when the job completes.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!job.workspace.deleted) job.workspace.deleteQuietly();
            }, "workspace-cleanup-" + jobId));
            inFlight.put(jobId, job);
            return job;
        }

        void finish(ConversionJob job, int pages, long now) {
            templates.get("tpl-" + (job.source.length % 997), now);
            job.pages = pages; job.finishedAt = now;
            job.workspace.deleteQuietly();
            inFlight.remove(job.jobId);
            history[(int) (historyNext++ % HISTORY)] = new JobSummary(job.jobId, job.tenantId, pages, now - job.submittedAt, now);
            count("job.done");
        }
    }

    static int hookCount() throws Exception {
        Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
        try {
            java.lang.reflect.Field f = c.getDeclaredField("hooks");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(null)).size();
        } catch (RuntimeException e) {
            return -1; // not opened: checked through the jobs' own count instead
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        ConversionService svc = new ConversionService();
        RUNNING = svc;
        FontRegistry.load(start);
        Random rnd = new Random(4_040_606);
        String[] plans = {"starter", "pro", "enterprise"};
        for (int i = 0; i < TENANTS; i++) {
            String id = "tn-" + (40_000 + i);
            svc.tenants.put(id, new Tenant(id, "Tenant " + i, plans[i % 3], 50 + (i % 3) * 200, start - rnd.nextInt(2_000_000_000)));
        }
        List<Future<?>> warm = new ArrayList<>();
        for (int i = 0; i < WORKERS * 3; i++) warm.add(svc.workers.submit(() -> ConversionService.SCRATCH.get()[0] = 1));
        for (Future<?> f : warm) f.get();
        long end = System.currentTimeMillis();
        for (int i = 0; i < JOBS + IN_FLIGHT; i++) {
            long t = start + (end - start) * i / (JOBS + IN_FLIGHT);
            String tenant = "tn-" + (40_000 + rnd.nextInt(TENANTS));
            ConversionJob job = svc.start("job-" + (7_000_000 + i), tenant, new byte[1_024 + rnd.nextInt(2_048)], t);
            if (i < JOBS) svc.finish(job, 1 + rnd.nextInt(40), t + 1_000 + rnd.nextInt(20_000) > end ? end : t + 1_000 + rnd.nextInt(20_000));
        }
        int hooks = hookCount();
        System.out.println("hooks " + hooks + " in flight " + svc.inFlight.size() + " templates " + svc.templates.index.size() + " evictions " + svc.templates.evictions);
        check(hooks == -1 || hooks == JOBS + IN_FLIGHT, "hooks " + hooks);
        check(svc.inFlight.size() == IN_FLIGHT, "in flight");
        check(svc.templates.index.size() == TEMPLATES_MAX, "templates " + svc.templates.index.size());
        check(svc.tenants.size() == TENANTS, "tenants");
        check(FontRegistry.FONTS_BY_NAME.size() == FONTS, "fonts");
        check(svc.historyNext >= HISTORY, "history");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        // The hooks would run at exit; they only flip a flag (no file is ever created).
        System.exit(0);
    }
}
