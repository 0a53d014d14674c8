// hprofscan-dump: name=val23-leak-jobboard jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val23-leak-jobboard-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 23 (written blind), LEAK: the posting index of a job board. Withdrawing a
 * posting (filled or cancelled by the employer) was changed to a soft delete: it sets
 * {@code Posting.withdrawnAt} (a tombstone, so the search skips it and the "undo withdraw" button
 * works) instead of removing the posting from {@code PostingIndex.byId}. The bug: nothing ever
 * removes tombstoned postings (no purge of tombstones exists), so every withdrawn posting keeps
 * its full description, skills and screening questions in the live index. Beside it: the
 * employer catalogue, the candidate directory, a search-result cache at its cap, a pool of
 * resume-parse buffers, an application-event ring. 10 simulated hours. See
 * testdata/VALIDATION23.md.
 */
public final class Val23LeakJobBoard {
    static final long HOUR = 3_600_000L;
    static final int EMPLOYERS = 8_000, CANDIDATES = 60_000, POSTINGS = 24_000, WITHDRAWN = 12_000, SEARCH_CAP = 2_500, POOL = 16, RING = 16_384, APPLY_EVENTS = 40_000;

    record Employer(String id, String name, String industry, int[] headcountByMonth) {}
    record Candidate(long id, String handle, String city, int[] skillIds, long registeredAt) {}
    record SearchPage(String query, long[] postingIds) {}
    record ApplyEvent(String postingId, long candidateId, long at) {}

    static final class Posting {
        final String id; final String employerId; final String title; final String description; final int[] skills; final String[] screeningQuestions; final long postedAt;
        long withdrawnAt; // 0 = open; else the tombstone time
        Posting(String id, String employerId, String title, String description, int[] skills, String[] screeningQuestions, long postedAt) {
            this.id = id; this.employerId = employerId; this.title = title; this.description = description; this.skills = skills; this.screeningQuestions = screeningQuestions; this.postedAt = postedAt;
        }
    }

    static final class PostingIndex {
        final Map<String, Posting> byId = new HashMap<>();
        long tombstones;
        void add(Posting p) { byId.put(p.id, p); }
        void withdraw(String id, long at, boolean fixed) {
            if (fixed) { byId.remove(id); return; } // the fix: remove the posting
            byId.get(id).withdrawnAt = at; // BUG: soft delete, and no purge of tombstones exists
            tombstones++;
        }
        int open() { int n = 0; for (Posting p : byId.values()) if (p.withdrawnAt == 0) n++; return n; }
    }

    static final class SearchCache extends LinkedHashMap<String, SearchPage> {
        long evicted;
        SearchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchPage> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Employer> EMPLOYERS_BY_ID = new HashMap<>();

    static final class BoardService {
        final PostingIndex postings = new PostingIndex();
        final Map<Long, Candidate> candidates = new HashMap<>();
        final SearchCache searches = new SearchCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final ApplyEvent[] applyRing = new ApplyEvent[RING];
        long applyCount;
    }

    static BoardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val23.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(23_040_001);
        String[] industries = {"logistics", "health", "retail", "software", "energy", "education"};
        for (int e = 0; e < EMPLOYERS; e++) {
            int[] hc = new int[64];
            for (int k = 0; k < hc.length; k++) hc[k] = rnd.nextInt(5_000);
            String id = "EMP-" + (60_000 + e);
            EMPLOYERS_BY_ID.put(id, new Employer(id, "Employer " + e + " GmbH", industries[e % industries.length], hc));
        }
        BoardService svc = new BoardService();
        SERVICE = svc;
        String[] cities = {"Berlin", "Madrid", "Denver", "Turin", "Ghent", "Kraków", "Dublin", "Tallinn"};
        for (int c = 0; c < CANDIDATES; c++) {
            int[] skills = new int[12];
            for (int k = 0; k < skills.length; k++) skills[k] = rnd.nextInt(3_000);
            long id = 9_100_000L + c;
            svc.candidates.put(id, new Candidate(id, "cand" + Integer.toString(c * 53, 36), cities[c % cities.length], skills, now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.parseBuffers.add(new byte[65_536]);
        Random traffic = new Random(23_040_002);
        // postings arrive over the 10 hours; every even posting among the first 24,000 is withdrawn later
        for (int p = 0; p < POSTINGS; p++) {
            long t = start + (now - start) * p / POSTINGS;
            StringBuilder sb = new StringBuilder();
            int len = 300 + traffic.nextInt(500);
            while (sb.length() < len) sb.append("You will own the roadmap of our team, ").append(p).append(". ");
            int[] skills = new int[16];
            for (int k = 0; k < skills.length; k++) skills[k] = traffic.nextInt(3_000);
            String[] questions = {"Years of experience with skill " + skills[0] + "?", "Earliest start date for posting " + p + "?", "Are you authorised to work in " + cities[p % cities.length] + "?"};
            svc.postings.add(new Posting("JOB-" + (7_000_000 + p), "EMP-" + (60_000 + traffic.nextInt(EMPLOYERS)), "Senior role " + p, sb.toString(), skills, questions, t));
            if (p % 2 == 1) svc.postings.withdraw("JOB-" + (7_000_000 + p - 1), t + 60_000, fixed);
        }
        for (int a = 0; a < APPLY_EVENTS; a++) {
            long t = start + (now - start) * a / APPLY_EVENTS;
            svc.applyRing[(int) (svc.applyCount++ % RING)] = new ApplyEvent("JOB-" + (7_000_001 + 2 * traffic.nextInt(POSTINGS / 2)), 9_100_000L + traffic.nextInt(CANDIDATES), t);
            String q = "q:" + Integer.toString(traffic.nextInt(10_000), 36);
            if (svc.searches.get(q) == null) {
                long[] ids = new long[50];
                for (int k = 0; k < ids.length; k++) ids[k] = 7_000_001L + 2 * traffic.nextInt(POSTINGS / 2);
                svc.searches.put(q, new SearchPage(q, ids));
            }
        }
        int open = svc.postings.open();
        System.out.println((fixed ? "FIXED " : "") + "employers " + EMPLOYERS_BY_ID.size() + " candidates " + svc.candidates.size() + " postings in index " + svc.postings.byId.size() + " open " + open
                + " tombstones " + svc.postings.tombstones + " searches " + svc.searches.size() + " (evicted " + svc.searches.evicted + ") apply events " + svc.applyCount + " pool " + svc.parseBuffers.size());
        check(EMPLOYERS_BY_ID.size() == EMPLOYERS && svc.candidates.size() == CANDIDATES, "reference data / directory");
        check(open == POSTINGS - WITHDRAWN && svc.postings.byId.size() == (fixed ? POSTINGS - WITHDRAWN : POSTINGS) && svc.postings.tombstones == (fixed ? 0 : WITHDRAWN), "posting index");
        check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted > 0, "search cache at its cap");
        check(svc.applyCount == APPLY_EVENTS && svc.applyRing[RING - 1] != null, "apply ring");
        check(svc.parseBuffers.size() == POOL, "parse buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
