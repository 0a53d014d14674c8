// hprofscan-dump: name=val9-leak-indexer-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val9-leak-indexer-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val9-leak-indexer jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val9-leak-indexer-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 9 (written blind), LEAK, a series: a search indexer that re-indexes changed
 * documents on a fixed pool of 4 indexing threads. The leak: {@code IndexWriterSession.PENDING}, a
 * {@code ThreadLocal<List<PostingDelta>>} to which every indexed document appends its posting
 * delta for the next commit; the commit flushes the shared segment buffer but never clears the
 * calling thread's list, so each pool thread's list only grows. Stage 1 is the dump after 2
 * simulated hours (6,000 documents re-indexed), stage 2 after 4 hours (12,000), stage 3 after 8
 * hours (24,000); each thread holds exactly a quarter. Beside it: the synonym dictionary loaded at
 * startup, the document metadata directory (the whole corpus), a query-result LRU at capacity, the
 * segment catalog with its bloom filters, and a legitimate 64 KiB token buffer per indexing thread
 * (another ThreadLocal, fixed size). See testdata/VALIDATION9.md.
 */
public final class Val9LeakSearchIndexer {
    static final int SYNONYMS = 40_000;
    static final int CORPUS = 60_000;
    static final int QUERY_CACHE_CAP = 2_000;
    static final int SEGMENTS = 48;
    static final int WORKERS = 4;
    static final int BATCH = 250; // documents per worker per indexing round
    static final int TERMS_PER_DELTA = 96;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static IndexerService RUNNING;

    /** Reference data: the synonym dictionary, loaded from the relevance team's file at startup. */
    static final class SynonymDictionary {
        static final Map<String, String[]> SYNONYMS_BY_TERM = new HashMap<>();
    }

    static final class DocMeta {
        final long docId; final String url; final String title; final String language; final long publishedAt; long indexedAt; int version;
        DocMeta(long docId, String url, String title, String language, long publishedAt, long indexedAt) { this.docId = docId; this.url = url; this.title = title; this.language = language; this.publishedAt = publishedAt; this.indexedAt = indexedAt; }
    }

    /** Metadata of every document of the corpus, loaded from the content store's snapshot at startup. */
    static final class DocumentStore {
        final Map<Long, DocMeta> docs = new ConcurrentHashMap<>();
    }

    static final class QueryResult {
        final String normalizedQuery; final int[] topDocs; final long computedAt;
        QueryResult(String normalizedQuery, int[] topDocs, long computedAt) { this.normalizedQuery = normalizedQuery; this.topDocs = topDocs; this.computedAt = computedAt; }
    }

    static final class QueryResultCache extends LinkedHashMap<String, QueryResult> {
        final int maxEntries;
        QueryResultCache(int maxEntries) { super(4096, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected synchronized boolean removeEldestEntry(Map.Entry<String, QueryResult> e) { return size() > maxEntries; }
    }

    static final class Segment {
        final String name; final int docCount; final long[] bloom; final long createdAt;
        Segment(String name, int docCount, long[] bloom, long createdAt) { this.name = name; this.docCount = docCount; this.bloom = bloom; this.createdAt = createdAt; }
    }

    static final class PostingDelta {
        final long docId; final String field; final int[] termIds; final long indexedAt;
        PostingDelta(long docId, String field, int[] termIds, long indexedAt) { this.docId = docId; this.field = field; this.termIds = termIds; this.indexedAt = indexedAt; }
    }

    /** Per-thread state of the index writer. */
    static final class IndexWriterSession {
        /** THE LEAK: deltas appended per document, never cleared after a commit. */
        static final ThreadLocal<List<PostingDelta>> PENDING = ThreadLocal.withInitial(ArrayList::new);
        /** Legitimate: a fixed token buffer per indexing thread. */
        static final ThreadLocal<char[]> TOKEN_BUFFER = ThreadLocal.withInitial(() -> new char[32 * 1024]);
    }

    static final class IndexerService {
        final DocumentStore store = new DocumentStore();
        final QueryResultCache queryCache = new QueryResultCache(QUERY_CACHE_CAP);
        final List<Segment> segments = new ArrayList<>();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor indexers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "indexer-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final AtomicLong indexed = new AtomicLong();
        final AtomicLong commits = new AtomicLong();
        final Properties config = new Properties();

        /** Index one document on the calling pool thread. */
        void index(DocMeta d, long t) {
            char[] buf = IndexWriterSession.TOKEN_BUFFER.get();
            int n = Math.min(buf.length, d.title.length());
            d.title.getChars(0, n, buf, 0);
            int[] terms = new int[TERMS_PER_DELTA];
            for (int i = 0; i < terms.length; i++) terms[i] = (int) ((d.docId * 31 + i * 7919) & 0xfffff);
            IndexWriterSession.PENDING.get().add(new PostingDelta(d.docId, "body", terms, t));
            synchronized (d) { d.indexedAt = t; d.version++; }
            indexed.incrementAndGet();
        }

        /** Commit: the shared segment buffer is flushed (the thread-local deltas are forgotten here). */
        void commit() { commits.incrementAndGet(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = 1L << stage; // 2, 4, 8
        int rounds = 6 << (stage - 1); // 6, 12, 24 rounds of 4 x 250 documents
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(9_050_001);
        IndexerService svc = new IndexerService();
        RUNNING = svc;
        for (int i = 0; i < 70; i++) svc.config.setProperty("indexer.field." + i + ".boost", Double.toString(1.0 + i / 10.0));
        for (int i = 0; i < SYNONYMS; i++) {
            String term = "term" + Integer.toString(i * 7 + 11, 36);
            SynonymDictionary.SYNONYMS_BY_TERM.put(term, new String[] {"syn" + Integer.toString(i * 13, 36), "alt" + Integer.toString(i * 17, 36)});
        }
        String[] langs = {"en", "de", "fr", "es", "it", "nl"};
        for (int i = 0; i < CORPUS; i++) {
            long id = 10_000_000L + i;
            svc.store.docs.put(id, new DocMeta(id, "https://docs.example/kb/" + Long.toString(id, 36) + "/article", "Knowledge base article " + i + " about " + langs[i % langs.length],
                    langs[i % langs.length], now - DAY * rnd.nextInt(2000), now - DAY * rnd.nextInt(60)));
        }
        for (int s = 0; s < SEGMENTS; s++) {
            long[] bloom = new long[2048];
            for (int k = 0; k < bloom.length; k++) bloom[k] = rnd.nextLong();
            svc.segments.add(new Segment(String.format("_%s", Integer.toString(s + 100, 36)), CORPUS / SEGMENTS, bloom, now - DAY * (SEGMENTS - s)));
        }
        // Indexing rounds: each of the 4 pool threads takes one batch of 250 changed documents.
        int docsTotal = rounds * WORKERS * BATCH;
        CyclicBarrier together = new CyclicBarrier(WORKERS);
        for (int r = 0; r < rounds; r++) {
            long roundAt = start + hours * HOUR * r / rounds;
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                final int first = (r * WORKERS + w) * BATCH;
                fs.add(svc.indexers.submit(() -> {
                    together.await();
                    for (int k = 0; k < BATCH; k++) {
                        long id = 10_000_000L + (long) (first + k) * 7 % CORPUS;
                        svc.index(svc.store.docs.get(id), roundAt + k * 1_000L);
                    }
                    svc.commit();
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            // Searches between rounds fill the query cache.
            for (int q = 0; q < 400; q++) {
                String query = "q:" + Integer.toString(rnd.nextInt(50_000), 36);
                if (svc.queryCache.get(query) == null) {
                    int[] top = new int[100];
                    for (int k = 0; k < top.length; k++) top[k] = rnd.nextInt(CORPUS);
                    svc.queryCache.put(query, new QueryResult(query, top, roundAt));
                }
            }
        }
        // Count each thread's pending deltas on that thread.
        CyclicBarrier count = new CyclicBarrier(WORKERS);
        List<Future<Integer>> sizes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) sizes.add(svc.indexers.submit(() -> { count.await(); return IndexWriterSession.PENDING.get().size(); }));
        int pending = 0;
        List<Integer> perThread = new ArrayList<>();
        for (Future<Integer> f : sizes) { int n = f.get(); perThread.add(n); pending += n; }
        System.out.println("stage " + stage + " synonyms " + SynonymDictionary.SYNONYMS_BY_TERM.size() + " docs " + svc.store.docs.size() + " query cache " + svc.queryCache.size()
                + " segments " + svc.segments.size() + " indexed " + svc.indexed.get() + " commits " + svc.commits.get() + " pending per thread " + perThread);
        check(SynonymDictionary.SYNONYMS_BY_TERM.size() == SYNONYMS && svc.store.docs.size() == CORPUS && svc.segments.size() == SEGMENTS, "reference data");
        check(svc.queryCache.size() == QUERY_CACHE_CAP, "query cache");
        check(svc.indexed.get() == docsTotal && pending == docsTotal && svc.commits.get() == (long) rounds * WORKERS, "indexed");
        for (int n : perThread) check(n == docsTotal / WORKERS, "per thread " + perThread);
        check(svc.indexers.getPoolSize() == WORKERS, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
