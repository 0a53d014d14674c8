// hprofscan-dump: name=svc-leak-threadlocal jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-threadlocal-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leak #7: a page-rendering service traces each request into a per-thread span list
 * ({@code Tracer.SPANS}, a static ThreadLocal<List<TraceSpan>>) on its 6 pool threads. The filter
 * that should call {@code SPANS.remove()} after the request is missing, so each worker's list only
 * grows: 4,000 requests x 6 spans = 24,000 spans over the 6 threads. Legitimate beside it: a 16 KiB
 * ThreadLocal scratch buffer per worker, static page templates (Map.copyOf), an asset LRU at
 * capacity, a session directory and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakThreadLocal {
    static final int WORKERS = 6;
    static final int REQUESTS = 4_000;
    static final int SPANS_PER_REQUEST = 6;
    static final int SCRATCH_BYTES = 16 * 1024;
    static final int TEMPLATES = 300;
    static final int ASSET_CAPACITY = 1_500;
    static final int ASSET_BYTES = 1_024;
    static final int SITES = 2_000;

    static final class PageTemplate {
        final String name;
        final String markup;
        final long loadedAt;

        PageTemplate(String name, long loadedAt) {
            this.name = name;
            this.markup = ("<section class=\"" + name + "\"><h1>{{title}}</h1>{{body}}</section>").repeat(6);
            this.loadedAt = loadedAt;
        }
    }

    static final class Templates {
        static Map<String, PageTemplate> BY_NAME;

        static void load(long loadedAt) {
            Map<String, PageTemplate> m = new HashMap<>();
            for (int i = 0; i < TEMPLATES; i++) {
                String n = "page-" + (1000 + i);
                m.put(n, new PageTemplate(n, loadedAt));
            }
            BY_NAME = Map.copyOf(m);
        }
    }

    static final class TraceSpan {
        final String traceId;
        final String name;
        final long startNanos;
        final long durationNanos;

        TraceSpan(String traceId, String name, long startNanos, long durationNanos) {
            this.traceId = traceId;
            this.name = name;
            this.startNanos = startNanos;
            this.durationNanos = durationNanos;
        }
    }

    static final class Tracer {
        static final ThreadLocal<List<TraceSpan>> SPANS = ThreadLocal.withInitial(ArrayList::new);
        static final String[] STEPS = {"auth", "load-site", "query", "render", "compress", "write"};

        static void span(String traceId, int step, long duration) {
            SPANS.get().add(new TraceSpan(traceId, STEPS[step], System.nanoTime(), duration));
        }
    }

    static final class Asset {
        final String path;
        final byte[] bytes;
        final String etag;

        Asset(String path, int i) {
            this.path = path;
            this.bytes = new byte[ASSET_BYTES];
            this.etag = "W/\"" + (100_000 + i) + "\"";
        }
    }

    static final class AssetCache {
        final int capacity;
        final Map<String, Asset> assets;

        AssetCache(int capacity) {
            this.capacity = capacity;
            this.assets = new LinkedHashMap<>(2_048, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Asset> eldest) {
                    return size() > AssetCache.this.capacity;
                }
            };
        }

        synchronized Asset get(String path, int i) {
            return assets.computeIfAbsent(path, p -> new Asset(p, i));
        }
    }

    static final class Site {
        final long id;
        final String domain;
        final String owner;
        final String theme;

        Site(long id) {
            this.id = id;
            this.domain = "site" + id + ".example.org";
            this.owner = "owner" + (id % 700);
            this.theme = "page-" + (1000 + id % TEMPLATES);
        }
    }

    static final class SiteDirectory {
        final Map<Long, Site> byId = new ConcurrentHashMap<>();

        Site get(long id) {
            return byId.computeIfAbsent(id, Site::new);
        }
    }

    static final class MetricsRegistry {
        final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static final class RenderService {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("render-worker-"));
        final AssetCache assets = new AssetCache(ASSET_CAPACITY);
        final SiteDirectory sites = new SiteDirectory();
        final MetricsRegistry metrics = new MetricsRegistry();

        /** Each worker starts by rendering a warm-up page (so all 6 threads have both ThreadLocals). */
        void warmUp() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                fs.add(workers.submit(() -> {
                    barrier.await();
                    Tracer.SPANS.get();
                    return SCRATCH.get().length;
                }));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        }

        int render(int n) {
            String traceId = "trace-" + (70_000_000 + n);
            Site site = sites.get(8_000_000L + (n * 3L) % SITES);
            Tracer.span(traceId, 0, 1_000);
            PageTemplate t = Templates.BY_NAME.get(site.theme);
            Tracer.span(traceId, 1, 2_000);
            Asset a = assets.get("/static/" + site.domain + "/logo-" + n + ".png", n);
            Tracer.span(traceId, 2, 3_000);
            byte[] out = SCRATCH.get();
            int len = Math.min(out.length, t.markup.length());
            Tracer.span(traceId, 3, 4_000);
            out[0] = a.bytes[0];
            Tracer.span(traceId, 4, 5_000);
            metrics.inc("render.pages");
            Tracer.span(traceId, 5, 6_000);
            return len;
        }
    }

    static RenderService RUNNING;

    static void build() throws Exception {
        Templates.load(System.currentTimeMillis() - 6 * 3_600_000L);
        RenderService s = new RenderService();
        s.warmUp();
        Collection<Callable<Integer>> batch = new ArrayList<>();
        for (int n = 0; n < REQUESTS; n++) {
            int k = n;
            batch.add(() -> s.render(k));
        }
        for (Future<Integer> f : s.workers.invokeAll(batch)) {
            f.get();
        }
        batch.clear();
        if (s.assets.assets.size() != ASSET_CAPACITY || s.sites.byId.size() != SITES) {
            throw new IllegalStateException("unexpected sizes");
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
