// hprofscan-dump: name=val4-healthy-search jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val4-healthy-search-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Validation set 4 (written blind), HEALTHY: a product-search service whose in-memory inverted
 * index, built at startup, is most of the heap (about 70%).
 *
 * <p>{@code SearchIndex.INSTANCE} holds the postings ({@code HashMap<String, int[]>}, 30,000
 * terms, Zipf-like posting-list lengths) and the per-document lengths ({@code int[200,000]}).
 * Beside it: a synonym table ({@code Map.copyOf}, 3,000), a query-result cache
 * ({@code LinkedHashMap}, access order, at its capacity of 2,000), a pool of 64 result pages (all
 * returned), a fixed pool of 6 {@code search-worker} threads each with a {@code float[16,384]}
 * score buffer ({@code ThreadLocal}), a ring of the last 1,024 slow queries, 8 shard statistics,
 * metrics. 50,000 queries over 6 simulated hours ending now. Nothing here is a leak.
 * See testdata/VALIDATION4.md.
 */
public final class Val4HealthySearch {
    static final int TERMS = 30_000;
    static final int DOCS = 200_000;
    static final int SYNONYMS = 3_000;
    static final int QUERY_CACHE = 2_000;
    static final int PAGES = 64;
    static final int WORKERS = 6;
    static final int SLOW_RING = 1_024;
    static final int SHARDS = 8;
    static final int QUERIES = 50_000;
    static final long SIM_MILLIS = 6L * 3600_000L;
    static final long EXPECT_POSTINGS = 1_324_259L;

    static SearchService RUNNING;

    static final class SearchIndex {
        static SearchIndex INSTANCE;
        final Map<String, int[]> postings = new HashMap<>(TERMS * 2);
        final int[] docLengths = new int[DOCS];
        final long builtAt; long totalPostings;
        SearchIndex(long builtAt) { this.builtAt = builtAt; }
        static SearchIndex build(Random rnd, long now) {
            SearchIndex ix = new SearchIndex(now);
            for (int d = 0; d < DOCS; d++) ix.docLengths[d] = 20 + rnd.nextInt(400);
            for (int t = 0; t < TERMS; t++) {
                int len = Math.max(4, (int) (1_200_000L / (t + 40)) / 8 + rnd.nextInt(24));
                int[] p = new int[len];
                int doc = rnd.nextInt(50);
                for (int i = 0; i < len; i++) { p[i] = doc; doc += 1 + rnd.nextInt(Math.max(1, DOCS / len)); if (doc >= DOCS) doc = DOCS - 1; }
                ix.postings.put(term(t), p);
                ix.totalPostings += len;
            }
            return ix;
        }
        static String term(int t) { return "t" + Integer.toString(t * 7_919 + 1_000_003, 36); }
    }

    static final class SynonymTable {
        static Map<String, String> SYNONYMS_BY_TERM;
        static void load() {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < SYNONYMS; i++) m.put(SearchIndex.term(i * 5 + 1), SearchIndex.term(i * 5));
            SYNONYMS_BY_TERM = Map.copyOf(m);
        }
    }

    static final class CachedResult {
        final String query; final int[] topDocs; final int totalHits; final long cachedAt;
        CachedResult(String query, int[] topDocs, int totalHits, long cachedAt) { this.query = query; this.topDocs = topDocs; this.totalHits = totalHits; this.cachedAt = cachedAt; }
    }

    static final class QueryCache extends LinkedHashMap<String, CachedResult> {
        final int capacity;
        QueryCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CachedResult> e) { return size() > capacity; }
    }

    static final class ResultPage {
        final int[] docs = new int[1_000]; final float[] scores = new float[1_000]; int size;
    }

    static final class ResultPagePool {
        final ArrayDeque<ResultPage> free = new ArrayDeque<>();
        int outstanding;
        ResultPagePool(int n) { for (int i = 0; i < n; i++) free.add(new ResultPage()); }
        ResultPage borrow() { outstanding++; ResultPage p = free.pop(); p.size = 0; return p; }
        void giveBack(ResultPage p) { outstanding--; free.push(p); }
    }

    static final class SlowQuery {
        final String query; final long tookMicros; final int hits; final long at;
        SlowQuery(String query, long tookMicros, int hits, long at) { this.query = query; this.tookMicros = tookMicros; this.hits = hits; this.at = at; }
    }

    static final class ShardStats {
        final int shard; long queries; long hits; long lastQueryAt;
        ShardStats(int shard) { this.shard = shard; }
    }

    static final class SearchService {
        final QueryCache cache = new QueryCache(QUERY_CACHE);
        final ResultPagePool pages = new ResultPagePool(PAGES);
        final SlowQuery[] slowQueries = new SlowQuery[SLOW_RING];
        long slowNext;
        final List<ShardStats> shards = new ArrayList<>();
        final ExecutorService workers;
        static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[16_384]);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        SearchService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "search-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; });
            for (int i = 0; i < SHARDS; i++) shards.add(new ShardStats(i));
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        CachedResult search(String a, String b, long now) {
            String q = a + " " + b;
            CachedResult r = cache.get(q);
            if (r != null) { count("cache.hit"); return r; }
            String sa = SynonymTable.SYNONYMS_BY_TERM.getOrDefault(a, a);
            int[] pa = SearchIndex.INSTANCE.postings.get(sa), pb = SearchIndex.INSTANCE.postings.get(b);
            ResultPage page = pages.borrow();
            int i = 0, j = 0;
            while (i < pa.length && j < pb.length && page.size < page.docs.length) {
                if (pa[i] == pb[j]) { page.docs[page.size++] = pa[i]; i++; j++; } else if (pa[i] < pb[j]) i++; else j++;
            }
            int[] top = new int[Math.min(20, page.size)];
            System.arraycopy(page.docs, 0, top, 0, top.length);
            r = new CachedResult(q, top, page.size, now);
            pages.giveBack(page);
            cache.put(q, r);
            ShardStats s = shards.get(Math.floorMod(q.hashCode(), SHARDS));
            s.queries++; s.hits += r.totalHits; s.lastQueryAt = now;
            if (pa.length + pb.length > 3_000) slowQueries[(int) (slowNext++ % SLOW_RING)] = new SlowQuery(q, pa.length + pb.length, r.totalHits, now);
            count("search");
            return r;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(4_040_707);
        SearchIndex.INSTANCE = SearchIndex.build(rnd, start);
        SynonymTable.load();
        SearchService svc = new SearchService();
        RUNNING = svc;
        List<Future<?>> warm = new ArrayList<>();
        for (int i = 0; i < WORKERS * 3; i++) warm.add(svc.workers.submit(() -> SearchService.SCORES.get()[0] = 1f));
        for (Future<?> f : warm) f.get();
        long end = System.currentTimeMillis();
        for (int i = 0; i < QUERIES; i++) {
            long t = start + (end - start) * i / QUERIES;
            int a = (int) Math.min(TERMS - 1, Math.abs(rnd.nextGaussian()) * 300);
            int b = (int) Math.min(TERMS - 1, Math.abs(rnd.nextGaussian()) * 3_000);
            svc.search(SearchIndex.term(a), SearchIndex.term(b), t);
        }
        System.out.println("postings " + SearchIndex.INSTANCE.totalPostings + " cache " + svc.cache.size() + " slow " + svc.slowNext);
        check(SearchIndex.INSTANCE.postings.size() == TERMS, "terms");
        check(SearchIndex.INSTANCE.totalPostings == EXPECT_POSTINGS, "postings " + SearchIndex.INSTANCE.totalPostings);
        check(SynonymTable.SYNONYMS_BY_TERM.size() == SYNONYMS, "synonyms");
        check(svc.cache.size() == QUERY_CACHE, "cache " + svc.cache.size());
        check(svc.pages.free.size() == PAGES && svc.pages.outstanding == 0, "pages");
        check(svc.slowNext >= SLOW_RING, "slow ring " + svc.slowNext);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
