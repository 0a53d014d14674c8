// hprofscan-dump: name=val70-leak-clauselibrary-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val70-leak-clauselibrary-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val70-leak-clauselibrary jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val70-leak-clauselibrary-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 70 (written blind), LEAK: the clause-library search service of a law firm. Practice
 * area reference data, the matter directory, a cache of rendered result snippets at its cap, a pool
 * of highlighter buffers, a ring of recent queries, and an in-memory inverted index over a fixed
 * set of 2,000 clause documents (term -> ArrayList of postings). Every document update indexes the
 * new version's terms, but the postings of the replaced version are never removed: searches filter
 * them out by version, so results stay right while the posting lists grow with every edit. See
 * VALIDATION70.md.
 */
public final class Val70LeakClauseLibrary {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int AREAS = 1_000, MATTERS = 24_000, SNIPPET_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int DOCS = 2_000, VOCAB = 5_000, TERMS_PER_DOC = 30, EVENTS_PER_HOUR = 6_250;
    static boolean FIXED;

    record PracticeArea(String code, String name, double[] weeklyHours) {}
    record Matter(String matterNo, String areaCode, String client, byte[] conflictsNote, long openedAt) {}
    record Snippet(String key, byte[] rendered, long at) {}
    record QueryLog(String user, String term, int hits, long at) {}
    record Posting(long docId, int version, int position) {}
    record ClauseDoc(long id, String title, int version, long updatedAt, String[] terms, byte[] body) {}

    /** Inverted index: term -> postings of every indexed version. */
    static final class ClauseIndex {
        final Map<String, ArrayList<Posting>> postings = new HashMap<>();
        final Map<Long, ClauseDoc> docs = new HashMap<>();
        long postingCount, updates, removed;

        void index(ClauseDoc d) {
            ClauseDoc old = docs.put(d.id(), d);
            if (old != null) {
                updates++;
                if (FIXED) { // remove the replaced version's postings
                    Set<String> seen = new HashSet<>();
                    for (String term : old.terms()) {
                        if (!seen.add(term)) continue;
                        ArrayList<Posting> list = postings.get(term);
                        int before = list.size();
                        list.removeIf(p -> p.docId() == old.id());
                        removed += before - list.size();
                        postingCount -= before - list.size();
                        if (list.isEmpty()) postings.remove(term);
                    }
                }
                // BUG: without the fix the old version's postings stay in their lists forever
            }
            for (int pos = 0; pos < d.terms().length; pos++) {
                postings.computeIfAbsent(d.terms()[pos], k -> new ArrayList<>()).add(new Posting(d.id(), d.version(), pos));
                postingCount++;
            }
        }

        /** Up to 10 current documents containing the term (stale versions filtered out). */
        int search(String term) {
            List<Posting> list = postings.get(term);
            if (list == null) return 0;
            int hits = 0;
            for (int i = list.size() - 1; i >= 0 && hits < 10; i--) {
                Posting p = list.get(i);
                if (docs.get(p.docId()).version() == p.version()) hits++;
            }
            return hits;
        }
    }

    static final class SnippetCache extends LinkedHashMap<String, Snippet> {
        long evicted;
        SnippetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Snippet> e) { if (size() > SNIPPET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PracticeArea> AREAS_BY_CODE = new HashMap<>();

    static final class ClauseLibrary {
        final Map<String, Matter> matters = new HashMap<>();
        final ClauseIndex index = new ClauseIndex();
        final SnippetCache snippets = new SnippetCache();
        final ArrayDeque<char[]> highlighterBuffers = new ArrayDeque<>();
        final QueryLog[] recentQueries = new QueryLog[RING];
        long queries;
    }

    static ClauseLibrary SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String[] pickTerms(Random r, String[] vocab) {
        String[] t = new String[TERMS_PER_DOC];
        for (int k = 0; k < t.length; k++) t[k] = vocab[r.nextInt(VOCAB)];
        return t;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val70.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(70_010_001);
        String[] areaCodes = new String[AREAS];
        String[] areaNames = {"Banking", "Employment", "Real estate", "Insolvency", "Competition", "Tax", "Litigation", "Shipping"};
        for (int a = 0; a < AREAS; a++) {
            double[] hoursByWeek = new double[64];
            for (int k = 0; k < hoursByWeek.length; k++) hoursByWeek[k] = rnd.nextDouble() * 400;
            areaCodes[a] = "PA-" + (3_000 + a);
            AREAS_BY_CODE.put(areaCodes[a], new PracticeArea(areaCodes[a], areaNames[a % areaNames.length] + " " + (a / 8), hoursByWeek));
        }
        ClauseLibrary svc = new ClauseLibrary();
        SERVICE = svc;
        for (int m = 0; m < MATTERS; m++) {
            String no = "M" + (2_400_000 + m * 3);
            svc.matters.put(no, new Matter(no, areaCodes[rnd.nextInt(AREAS)], "Client " + rnd.nextInt(9_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        String[] prefixes = {"indemn", "warrant", "terminat", "assign", "confident", "liabil", "govern", "arbitr", "novat", "forc",
                "set-off", "retent", "escrow", "licens", "non-compet", "severab", "waiv", "notic", "jurisdict", "insur",
                "payment", "interest", "default", "covenant", "guarant", "lien", "pledg", "subrogat", "limitat", "remed",
                "audit", "data-protect", "sanction", "anti-brib", "export", "tax-gross", "change-ctrl", "step-in", "exclusiv", "most-favour",
                "benchmark", "servic", "acceptan", "milestone", "deliver", "title", "risk", "recall", "warranty-cl", "survival"};
        String[] vocab = new String[VOCAB];
        for (int k = 0; k < VOCAB; k++) vocab[k] = prefixes[k % prefixes.length] + "-" + (k / prefixes.length);
        Random docs = new Random(70_010_003);
        for (int d = 0; d < DOCS; d++) {
            svc.index.index(new ClauseDoc(5_100_000L + d, "Clause " + (5_100_000L + d), 1, start - (long) (1 + docs.nextInt(900)) * 24 * HOUR, pickTerms(docs, vocab), new byte[400 + docs.nextInt(400)]));
        }
        for (int b = 0; b < POOL; b++) svc.highlighterBuffers.add(new char[16_384]);
        Random traffic = new Random(70_010_002);
        String[] users = new String[400];
        for (int u = 0; u < users.length; u++) users[u] = "lawyer" + (u + 100);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (i % 5 == 4) { // a clause is edited and re-indexed
                long id = 5_100_000L + traffic.nextInt(DOCS);
                ClauseDoc old = svc.index.docs.get(id);
                svc.index.index(new ClauseDoc(id, old.title(), old.version() + 1, t, pickTerms(docs, vocab), new byte[400 + docs.nextInt(400)]));
            } else { // a search
                String term = vocab[traffic.nextInt(VOCAB)];
                int hits = svc.index.search(term);
                svc.recentQueries[(int) (svc.queries++ % RING)] = new QueryLog(users[traffic.nextInt(users.length)], term, hits, t);
                String key = "snip-" + traffic.nextInt(5_000);
                if (svc.snippets.get(key) == null) svc.snippets.put(key, new Snippet(key, new byte[400 + traffic.nextInt(400)], t));
                char[] buf = svc.highlighterBuffers.poll();
                buf[i % buf.length] = (char) i;
                svc.highlighterBuffers.add(buf);
            }
        }
        ClauseIndex ix = svc.index;
        int updates = events / 5;
        long stale = 0;
        for (ArrayList<Posting> list : ix.postings.values()) for (Posting p : list) if (ix.docs.get(p.docId()).version() != p.version()) stale++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " areas " + AREAS_BY_CODE.size() + " matters " + svc.matters.size() + " docs " + ix.docs.size() + " terms " + ix.postings.size()
                + " postings " + ix.postingCount + " stale " + stale + " updates " + ix.updates + " removed " + ix.removed + " snippets " + svc.snippets.size() + " (evicted " + svc.snippets.evicted + ") pool "
                + svc.highlighterBuffers.size() + " queries " + svc.queries);
        check(AREAS_BY_CODE.size() == AREAS && svc.matters.size() == MATTERS && ix.docs.size() == DOCS, "reference data / directory / documents");
        check(ix.updates == updates, "updates " + ix.updates);
        if (FIXED) check(ix.postingCount == (long) DOCS * TERMS_PER_DOC && stale == 0, "postings of current versions only: " + ix.postingCount);
        else check(ix.postingCount == (long) (DOCS + updates) * TERMS_PER_DOC && stale == (long) updates * TERMS_PER_DOC, "postings of every version: " + ix.postingCount);
        check(svc.snippets.size() == SNIPPET_CAP && svc.snippets.evicted > 0, "snippet cache at cap");
        check(svc.highlighterBuffers.size() == POOL, "pool");
        check(svc.queries == events - updates && svc.recentQueries[RING - 1] != null, "query ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
