// hprofscan-dump: name=document-stamps jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=document-stamps-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="healthy"
// hprofscan-dump: name=document-stamps-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=document-stamps-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A document service that stamps PDFs on a pool of 6 worker threads ({@code stamp-worker-N}).
 * Each request makes a {@code Stamper} whose instance field {@code scratch} is a
 * {@code new ThreadLocal<Stamp>()}: one ThreadLocal per request. The {@code Stamp} value is an
 * inner class, so it keeps its {@code Stamper} and with it the ThreadLocal key: no entry ever
 * goes stale. Leak: the stamper never calls {@code remove()}: 12,000 requests leave 12,000
 * entries (one per request, on whichever worker ran it), each a Stamp with a 640-byte buffer.
 * Healthy: {@code remove()} in {@code finally}: no such entry is left.
 *
 * <p>Beside it: a static {@code ThreadLocal<byte[]>} of one 48 KiB render buffer per worker (what
 * ThreadLocals are for), a template directory (600 templates loaded at start), fonts (40, with
 * their glyph tables), and an LRU of 1,000 rendered thumbnails.
 */
public final class DocumentStamps {
    static final int REQUESTS = 12_000;
    static final java.util.concurrent.atomic.AtomicInteger WORKERS = new java.util.concurrent.atomic.AtomicInteger();
    static final ThreadLocal<byte[]> RENDER_BUFFER = ThreadLocal.withInitial(() -> new byte[48 * 1024]);

    record Template(String id, String title, byte[] layout) {}

    record Font(String name, short[] glyphs) {}

    static final class Stamper {
        final ThreadLocal<Stamp> scratch = new ThreadLocal<>();
        final String documentId;

        Stamper(String documentId) {
            this.documentId = documentId;
        }

        final class Stamp {
            final byte[] buffer = new byte[640];
            int pages;
        }

        int stamp(Template t, boolean leak) {
            try {
                Stamp s = scratch.get();
                if (s == null) {
                    s = new Stamp();
                    scratch.set(s);
                }
                byte[] render = RENDER_BUFFER.get();
                System.arraycopy(t.layout(), 0, render, 0, Math.min(render.length, t.layout().length));
                s.pages += 1 + documentId.length() % 5;
                return s.pages;
            } finally {
                if (!leak) {
                    scratch.remove();
                }
            }
        }
    }

    static final class Service {
        final Map<String, Template> templates = new HashMap<>();
        final List<Font> fonts = new ArrayList<>();
        final Map<String, byte[]> thumbnails = new java.util.LinkedHashMap<>(2_048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > 1_000;
            }
        };
        final ExecutorService workers = Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r);
            t.setName("stamp-worker-" + WORKERS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static final Service SERVICE = new Service();

    static long run(Service s, boolean leak) throws Exception {
        Random rnd = new Random(71_009);
        for (int i = 0; i < 600; i++) {
            String id = "TPL-" + (4_000 + i);
            s.templates.put(id, new Template(id, "Template " + i, new byte[1_024 + rnd.nextInt(1_024)]));
        }
        for (int i = 0; i < 40; i++) s.fonts.add(new Font("Font" + i, new short[4_096]));
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Template t = s.templates.get("TPL-" + (4_000 + rnd.nextInt(600)));
            Stamper st = new Stamper("DOC-" + (900_000 + i));
            done.add(s.workers.submit(() -> st.stamp(t, leak)));
            s.thumbnails.put("thumb-" + rnd.nextInt(5_000), new byte[400 + rnd.nextInt(200)]);
        }
        long pages = 0;
        for (Future<Integer> f : done) pages += f.get();
        return pages;
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long pages = run(SERVICE, leak);
        System.out.println((leak ? "leak" : "healthy") + " requests " + REQUESTS + " pages " + (pages > 0) + " templates "
                + SERVICE.templates.size() + " fonts " + SERVICE.fonts.size() + " thumbnails " + SERVICE.thumbnails.size());
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        SERVICE.workers.shutdown();
        SERVICE.workers.awaitTermination(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
