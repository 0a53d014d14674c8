// hprofscan-dump: name=val28-leak-genealogy jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-leak-genealogy-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), LEAK: the record-search service of a genealogy website.
 * Reference data of record collections, the directory of transcribed person records, a facet cache
 * at its cap, a pool of page buffers, a ring of query-log entries, and a registry of server-side
 * scroll cursors (query, sort values, current page of hits) for paged searches. The bug: a cursor
 * is removed only when the client fetches the last page; most clients stop after page 1 or 2 and
 * nothing sweeps idle cursors. See VALIDATION28.md.
 */
public final class Val28LeakGenealogy {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COLLECTIONS = 1_500, PERSONS = 40_000, FACET_CAP = 2_000, POOL = 8, RING = 2_048, QUERIES = 4_000, PAGE = 20, HOURS = 10;
    static final long IDLE_SWEEP = 5 * MINUTE;
    static boolean FIXED;

    record RecordCollection(String code, String title, String parish, double[] coverageByDecade) {}
    record Person(String id, String surname, String givenNames, int birthYear, String collection, byte[] transcription, long indexedAt) {}
    record Facets(String key, byte[] rendered, long at) {}
    record QueryLogEntry(String userId, String query, int hits, long at) {}
    record Hit(String personId, float score, byte[] snippet) {}

    static final class ScrollContext {
        final String cursorId; final String userId; final String query; final Object[] sortAfter; final int totalPages;
        List<Hit> page; int pagesServed; final long createdAt; long lastAccess;
        ScrollContext(String cursorId, String userId, String query, Object[] sortAfter, int totalPages, List<Hit> page, long at) {
            this.cursorId = cursorId; this.userId = userId; this.query = query; this.sortAfter = sortAfter; this.totalPages = totalPages; this.page = page; this.pagesServed = 1; this.createdAt = at; this.lastAccess = at;
        }
    }

    static final class CursorRegistry {
        final Map<String, ScrollContext> open = new HashMap<>();
        long opened, completed, swept;
        void register(ScrollContext c) { open.put(c.cursorId, c); opened++; }
        /** Serves the next page; the cursor is released only after the last page. */
        void next(String cursorId, List<Hit> page, long at) {
            ScrollContext c = open.get(cursorId);
            c.page = page; c.pagesServed++; c.lastAccess = at;
            if (c.pagesServed == c.totalPages) { open.remove(cursorId); completed++; }
        }
        void sweepIdle(long now) { // only with the fix
            for (Iterator<ScrollContext> it = open.values().iterator(); it.hasNext();) if (it.next().lastAccess < now - IDLE_SWEEP) { it.remove(); swept++; }
        }
    }

    static final class FacetCache extends LinkedHashMap<String, Facets> {
        long evicted;
        FacetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Facets> e) { if (size() > FACET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RecordCollection> COLLECTIONS_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Person> persons = new HashMap<>();
        final FacetCache facets = new FacetCache();
        final ArrayDeque<byte[]> pageBuffers = new ArrayDeque<>();
        final QueryLogEntry[] queryLog = new QueryLogEntry[RING];
        final CursorRegistry cursors = new CursorRegistry();
        long queryCount;
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static List<Hit> page(Random r, String[] personIds) {
        List<Hit> hits = new ArrayList<>(PAGE);
        for (int h = 0; h < PAGE; h++) hits.add(new Hit(personIds[r.nextInt(personIds.length)], r.nextFloat() * 20, new byte[40 + r.nextInt(40)]));
        return hits;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val28.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(28_010_001);
        String[] parishes = {"St Mary", "St John", "Holy Trinity", "St Peter", "All Saints", "Christ Church"};
        String[] collectionCodes = new String[COLLECTIONS];
        for (int c = 0; c < COLLECTIONS; c++) {
            double[] cov = new double[64];
            for (int k = 0; k < cov.length; k++) cov[k] = rnd.nextDouble();
            String code = "COL-" + (10_000 + c);
            collectionCodes[c] = code;
            COLLECTIONS_BY_CODE.put(code, new RecordCollection(code, "Register " + c, parishes[c % parishes.length], cov));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] surnames = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Walker", "Wright", "Hughes", "Green"};
        String[] personIds = new String[PERSONS];
        for (int p = 0; p < PERSONS; p++) {
            String id = "P" + (70_000_000 + p);
            personIds[p] = id;
            svc.persons.put(id, new Person(id, surnames[rnd.nextInt(surnames.length)], "Given " + (p % 977), 1650 + rnd.nextInt(300), collectionCodes[rnd.nextInt(COLLECTIONS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pageBuffers.add(new byte[65_536]);
        Random traffic = new Random(28_010_002);
        long queryEnd = end - 2 * MINUTE;
        long nextSweep = start + MINUTE;
        int abandoned = 0, finished = 0;
        for (int i = 0; i < QUERIES; i++) {
            long t = start + (queryEnd - start) * i / QUERIES;
            if (FIXED) while (nextSweep <= t) { svc.cursors.sweepIdle(nextSweep); nextSweep += MINUTE; }
            String user = "U" + (300_000 + traffic.nextInt(50_000));
            String query = "surname:" + surnames[traffic.nextInt(surnames.length)] + " born:" + (1650 + traffic.nextInt(300)) + "-" + (1700 + traffic.nextInt(300)) + " place:\"" + parishes[traffic.nextInt(parishes.length)] + "\"";
            int totalPages = 2 + traffic.nextInt(6);
            int roll = traffic.nextInt(100);
            int pagesRead = roll < 60 ? 1 : roll < 88 ? 2 : totalPages; // most clients stop after page 1 or 2
            if (pagesRead > totalPages) pagesRead = totalPages;
            String cursorId = "scr-" + Long.toHexString(traffic.nextLong());
            svc.cursors.register(new ScrollContext(cursorId, user, query, new Object[] {traffic.nextFloat() * 20, personIds[traffic.nextInt(PERSONS)]}, totalPages, page(traffic, personIds), t));
            for (int p = 2; p <= pagesRead; p++) svc.cursors.next(cursorId, page(traffic, personIds), t + (p - 1) * 10 * SECOND);
            if (pagesRead == totalPages) finished++; else abandoned++;
            String fkey = "facets-" + traffic.nextInt(5_000);
            if (svc.facets.get(fkey) == null) svc.facets.put(fkey, new Facets(fkey, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pageBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pageBuffers.add(buf);
            svc.queryLog[(int) (svc.queryCount++ % RING)] = new QueryLogEntry(user, query, totalPages * PAGE, t);
        }
        if (FIXED) svc.cursors.sweepIdle(end);
        CursorRegistry cr = svc.cursors;
        System.out.println((FIXED ? "FIXED " : "") + "collections " + COLLECTIONS_BY_CODE.size() + " persons " + svc.persons.size() + " cursors open " + cr.open.size() + " (opened " + cr.opened + " completed " + cr.completed + " swept " + cr.swept
                + " abandoned " + abandoned + ") facets " + svc.facets.size() + " (evicted " + svc.facets.evicted + ") pool " + svc.pageBuffers.size() + " queries " + svc.queryCount);
        check(COLLECTIONS_BY_CODE.size() == COLLECTIONS && svc.persons.size() == PERSONS, "reference data / directory");
        check(cr.opened == QUERIES && cr.completed == finished && finished + abandoned == QUERIES, "cursor accounting");
        if (FIXED) check(cr.open.size() < 100 && cr.open.size() + cr.swept == abandoned, "idle cursors swept: " + cr.open.size());
        else check(cr.open.size() == abandoned && cr.swept == 0, "abandoned cursors kept: " + cr.open.size());
        check(svc.facets.size() == FACET_CAP && svc.facets.evicted > 0, "facet cache at cap");
        check(svc.pageBuffers.size() == POOL, "pool");
        check(svc.queryCount == QUERIES && svc.queryLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
