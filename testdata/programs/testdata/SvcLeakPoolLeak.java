// hprofscan-dump: name=svc-leak-poolleak jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-poolleak-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): a document-conversion service with a hand-written object pool
 * ({@link ConverterPool}: {@code ArrayDeque available}, {@code HashSet inUse}; no JDK pool class)
 * of {@link Converter}s, each with an 8 KB workspace and {@code borrowedAt}/{@code borrowedBy}.
 * The PDF pool ({@code PdfService.converters}) leaks: when a conversion times out the handler
 * returns without {@code release}, and the pool grows on demand, so 900 converters stay in
 * {@code inUse}, borrowed from 10 hours to 2 minutes before the dump (12 idle in
 * {@code available}). Healthy counterpart: the thumbnail pool ({@code ThumbnailService.converters},
 * the same class), 32 converters, 5 borrowed within the last second by running jobs. Also: a
 * font/codec table (reference data), a document directory (12,000 documents), a page-preview LRU
 * at capacity (2,500), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakPoolLeak {
    static final int DOCUMENTS = 12_000;
    static final int PREVIEWS = 2_500;
    static final int CONVERSIONS = 36_000;
    static final int TIMEOUT_EVERY = 40;
    static final int PDF_IDLE = 12;
    static final int THUMB_POOL = 32;
    static final int THUMB_BUSY = 5;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static Service RUNNING;

    static final class Converter {
        final int id; final String pool; final long createdAt; final byte[] workspace = new byte[8_192];
        long borrowedAt; String borrowedBy; long releasedAt; int conversions;
        Converter(int id, String pool, long createdAt) { this.id = id; this.pool = pool; this.createdAt = createdAt; }
    }

    static final class ConverterPool {
        final String name; final int minIdle;
        final ArrayDeque<Converter> available = new ArrayDeque<>();
        final Set<Converter> inUse = new HashSet<>();
        int created;
        ConverterPool(String name, int minIdle) { this.name = name; this.minIdle = minIdle; }
        Converter acquire(String who, long now) {
            Converter c = available.poll();
            if (c == null) c = new Converter(created++, name, now);
            c.borrowedAt = now; c.borrowedBy = who; c.conversions++;
            inUse.add(c);
            return c;
        }
        void release(Converter c, long now) { inUse.remove(c); c.borrowedBy = null; c.releasedAt = now; available.push(c); }
        void fill(long now) { while (available.size() < minIdle) available.push(new Converter(created++, name, now)); }
    }

    static final class Document {
        final long id; final String title; final String owner; final int pages; final long uploadedAt;
        Document(long id, String title, String owner, int pages, long uploadedAt) { this.id = id; this.title = title; this.owner = owner; this.pages = pages; this.uploadedAt = uploadedAt; }
    }

    static final class Codecs { static final Map<String, String> MIME_TO_CODEC = new HashMap<>(); }

    static final class ThumbJob {
        final long documentId; final Converter converter; final long startedAt;
        ThumbJob(long documentId, Converter converter, long startedAt) { this.documentId = documentId; this.converter = converter; this.startedAt = startedAt; }
    }

    static final class PdfService { final ConverterPool converters = new ConverterPool("pdf", PDF_IDLE); }

    static final class ThumbnailService {
        final ConverterPool converters = new ConverterPool("thumbnail", THUMB_POOL);
        final Map<Long, ThumbJob> running = new ConcurrentHashMap<>();
    }

    static final class PreviewCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        PreviewCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class Service {
        final PdfService pdf = new PdfService();
        final ThumbnailService thumbs = new ThumbnailService();
        final Map<Long, Document> documents = new HashMap<>();
        final PreviewCache previews = new PreviewCache(PREVIEWS);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_606);
        Service s = new Service();
        String[] mimes = {"application/pdf", "application/msword", "image/png", "image/jpeg", "image/tiff", "text/html", "application/rtf", "application/vnd.oasis.opendocument.text"};
        for (String m : mimes) Codecs.MIME_TO_CODEC.put(m, m.substring(m.indexOf('/') + 1) + "-codec");
        for (int i = 0; i < DOCUMENTS; i++) s.documents.put(80_000_000L + i, new Document(80_000_000L + i, "Document " + i, "user" + rnd.nextInt(3_000), 1 + rnd.nextInt(200), start - rnd.nextInt(1_000_000_000)));
        s.pdf.converters.fill(start);
        s.thumbs.converters.fill(start);
        long lastLeak = now - 120_000;
        for (int r = 0; r < CONVERSIONS; r++) {
            long t = start + (lastLeak - start) * r / (CONVERSIONS - 1);
            long doc = 80_000_000L + rnd.nextInt(DOCUMENTS);
            Converter c = s.pdf.converters.acquire("convert " + doc, t);
            s.previews.computeIfAbsent(doc + "/p" + (1 + rnd.nextInt(5)), k -> new byte[1_024 + rnd.nextInt(2_048)]);
            if (r % TIMEOUT_EVERY == TIMEOUT_EVERY - 1) { s.count("pdf.timeout"); continue; } // BUG: returns without release
            s.pdf.converters.release(c, t + 800);
            if (r % 300 == 0) s.pdf.converters.fill(t);
            if (r % 7 == 0) { Converter th = s.thumbs.converters.acquire("thumb " + doc, t); s.thumbs.converters.release(th, t + 200); }
            s.count("pdf.ok");
        }
        while (s.pdf.converters.available.size() > PDF_IDLE) s.pdf.converters.available.pollLast();
        s.pdf.converters.fill(now - 60_000);
        for (int i = 0; i < THUMB_BUSY; i++) {
            long t = now - 1_000 + i * 150L;
            long doc = 80_000_000L + rnd.nextInt(DOCUMENTS);
            s.thumbs.running.put(doc, new ThumbJob(doc, s.thumbs.converters.acquire("thumb " + doc, t), t));
        }
        int leaked = CONVERSIONS / TIMEOUT_EVERY;
        check(s.pdf.converters.inUse.size() == leaked && s.pdf.converters.available.size() == PDF_IDLE, "pdf pool " + s.pdf.converters.inUse.size());
        check(s.thumbs.converters.inUse.size() == THUMB_BUSY && s.thumbs.converters.available.size() == THUMB_POOL - THUMB_BUSY && s.thumbs.converters.created == THUMB_POOL, "thumb pool");
        check(s.previews.size() == PREVIEWS && s.documents.size() == DOCUMENTS, "others");
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
