// hprofscan-dump: name=val142-leak-plagiarismchecks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val142-leak-plagiarismchecks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 142 (written blind), LEAK: the similarity-checking service of a plagiarism
 * detection provider for universities. Before scoring an essay it excludes properly quoted
 * passages: every quotation is normalised, digested (SHA-1) and looked up in the quote resolver's
 * cache of already identified passages, a {@code HashMap<byte[], QuoteMatch>} keyed by the digest
 * computed for this request. Arrays compare by identity, so no lookup ever hits and every quotation
 * of every essay adds an entry, although the quotations come from a fixed set of some 2,400 set-text
 * passages. Institution reference data, the source-work directory, a report cache at its cap, a
 * pool of shingle buffers, a ring of recent submissions and a gradebook queue with its normal
 * backlog beside it. See VALIDATION142.md.
 */
public final class Val142LeakPlagiarismChecks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int INSTITUTIONS = 1_000, WORKS = 20_000, PASSAGES = 2_400, REPORT_CAP = 2_000, POOL = 8, RING = 4_096, SUBMISSIONS = 6_000, HOURS = 10;
    static boolean FIXED;

    record Institution(String code, String name, String country, double[] submissionsByWeek) {}
    record SourceWork(String workId, String citation, byte[] bibliographicRecord, long indexedAt) {}
    record Passage(String workId, String text) {}
    record Report(String key, byte[] rendered, long at) {}
    record SubmissionLog(String submissionId, String institution, int quotes, int similarityPermille, long at) {}
    record GradebookUpdate(String submissionId, String lmsCourse, int similarityPermille, long queuedAt) {}

    /** What the resolver found for one quoted passage. */
    static final class QuoteMatch {
        final String workId; final String normalisedText; final int similarityPermille; final boolean cited; final long resolvedAt;
        QuoteMatch(String workId, String normalisedText, int similarityPermille, boolean cited, long resolvedAt) { this.workId = workId; this.normalisedText = normalisedText; this.similarityPermille = similarityPermille; this.cited = cited; this.resolvedAt = resolvedAt; }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Institution> INSTITUTIONS_BY_CODE = new HashMap<>();

    /** Identifies quoted passages; caches what it found "so a set text is searched for once". */
    static final class QuoteResolver {
        final Map<byte[], QuoteMatch> byDigest = new HashMap<>();
        final Map<String, QuoteMatch> byHex = new HashMap<>(); // the fix: keyed by the digest's hex
        final MessageDigest sha1;
        final Map<String, Passage> index; // normalised passage text -> passage (the corpus index)
        long lookups, hits, searches;
        QuoteResolver(Map<String, Passage> index) throws Exception { this.index = index; sha1 = MessageDigest.getInstance("SHA-1"); }

        static String normalise(String quote) {
            return quote.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", "").replaceAll(" +", " ").trim();
        }

        QuoteMatch resolve(String quote, boolean cited, long t) {
            lookups++;
            String norm = normalise(quote);
            byte[] digest = sha1.digest(norm.getBytes(StandardCharsets.UTF_8));
            QuoteMatch m = FIXED ? byHex.get(HexFormat.of().formatHex(digest)) : byDigest.get(digest);
            if (m != null) { hits++; return m; }
            searches++;
            Passage p = index.get(norm);
            m = new QuoteMatch(p == null ? null : p.workId(), norm, p == null ? 0 : 1_000, cited, t);
            if (FIXED) byHex.put(HexFormat.of().formatHex(digest), m); else byDigest.put(digest, m);
            return m;
        }
    }

    static final class CheckService {
        final Map<String, SourceWork> works = new HashMap<>();
        final String[] workIds = new String[WORKS];
        final Passage[] passages = new Passage[PASSAGES];
        final Map<String, Passage> passageIndex = new HashMap<>();
        final QuoteResolver quotes;
        final ReportCache reports = new ReportCache();
        final ArrayDeque<int[]> shingleBuffers = new ArrayDeque<>();
        final SubmissionLog[] recent = new SubmissionLog[RING];
        final ArrayDeque<GradebookUpdate> gradebook = new ArrayDeque<>();
        final int[] timesQuoted = new int[PASSAGES]; // "most quoted passages" statistics
        long submissions, quotations, identified, reportViews, gradebookSent;

        CheckService() throws Exception { quotes = new QuoteResolver(passageIndex); }

        void submit(String[] institutionCodes, Random r, long t) {
            String submissionId = "oid:" + (3_100_000_000L + submissions * 7);
            String institution = institutionCodes[r.nextInt(INSTITUTIONS)];
            int n = 2 + r.nextInt(9);
            int[] shingles = shingleBuffers.poll();
            for (int q = 0; q < n; q++) {
                // popular set texts are quoted far more often: a skewed pick
                int k = (int) (PASSAGES * Math.pow(r.nextDouble(), 2.2));
                Passage p = passages[k];
                String quote = r.nextInt(4) == 0 ? p.text().toUpperCase(Locale.ROOT) + "." : "\u201c" + p.text() + ",\u201d";
                QuoteMatch m = quotes.resolve(quote, r.nextInt(10) != 0, t);
                if (m.workId != null) identified++;
                quotations++;
                shingles[(int) (quotations % shingles.length)] = m.normalisedText.length();
                timesQuoted[k]++;
            }
            shingleBuffers.add(shingles);
            int similarity = r.nextInt(400);
            recent[(int) (submissions % RING)] = new SubmissionLog(submissionId, institution, n, similarity, t);
            gradebook.add(new GradebookUpdate(submissionId, "course-" + r.nextInt(5_000), similarity, t));
            submissions++;
        }

        void viewReport(Random r, long t) {
            reportViews++;
            String key = "report/oid:" + (3_100_000_000L + r.nextInt((int) submissions + 1) * 7L);
            if (reports.get(key) == null) reports.put(key, new Report(key, new byte[400 + r.nextInt(400)], t));
        }

        void syncGradebook(long t) {
            while (!gradebook.isEmpty() && t - gradebook.peek().queuedAt() >= 5 * MINUTE) { gradebook.poll(); gradebookSent++; }
        }
    }

    static CheckService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(142_040_001);
        String[] countries = {"IE", "GB", "NL", "DE", "AU", "NZ", "CA", "ZA"};
        String[] institutionCodes = new String[INSTITUTIONS];
        for (int i = 0; i < INSTITUTIONS; i++) {
            double[] weekly = new double[48];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextInt(4_000);
            institutionCodes[i] = "INST-" + (700 + i);
            INSTITUTIONS_BY_CODE.put(institutionCodes[i], new Institution(institutionCodes[i], "University " + i, countries[i % countries.length], weekly));
        }
        CheckService svc = new CheckService();
        SERVICE = svc;
        for (int i = 0; i < WORKS; i++) {
            svc.workIds[i] = "W" + (810_000 + i * 13);
            svc.works.put(svc.workIds[i], new SourceWork(svc.workIds[i], "Author " + (i % 3_000) + ", Work " + i + " (" + (1850 + i % 170) + ")", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        String[] words = {"the", "sea", "of", "time", "and", "memory", "is", "a", "country", "whose", "borders", "we", "cross", "each", "night", "without", "papers", "light", "falls", "on",
                "what", "remains", "house", "river", "silence", "between", "two", "voices", "fire", "winter", "promise", "broken", "garden", "we", "were", "young", "once", "and", "never", "again"};
        for (int p = 0; p < PASSAGES; p++) {
            StringBuilder sb = new StringBuilder();
            int n = 10 + rnd.nextInt(25);
            for (int w = 0; w < n; w++) { if (w > 0) sb.append(' '); sb.append(words[rnd.nextInt(words.length)]); }
            sb.append(' ').append(p); // every passage distinct
            svc.passages[p] = new Passage(svc.workIds[rnd.nextInt(WORKS)], sb.toString());
            svc.passageIndex.put(QuoteResolver.normalise(sb.toString()), svc.passages[p]);
        }
        for (int b = 0; b < POOL; b++) svc.shingleBuffers.add(new int[8_192]);
        Random traffic = new Random(142_040_002), views = new Random(142_040_003);
        for (int i = 0; i < SUBMISSIONS; i++) {
            long t = start + (end - MINUTE - start) * i / SUBMISSIONS;
            svc.submit(institutionCodes, traffic, t);
            for (int k = 0; k < 4; k++) svc.viewReport(views, t);
            if (i % 10 == 0) svc.syncGradebook(t);
        }
    }

    static void report() {
        CheckService svc = SERVICE;
        QuoteResolver q = svc.quotes;
        int entries = FIXED ? q.byHex.size() : q.byDigest.size();
        int distinct = 0;
        for (int c : svc.timesQuoted) if (c > 0) distinct++;
        System.out.println((FIXED ? "FIXED " : "") + "institutions " + INSTITUTIONS_BY_CODE.size() + " works " + svc.works.size() + " passages " + svc.passageIndex.size()
                + " submissions " + svc.submissions + " quotations " + svc.quotations + " (identified " + svc.identified + ", distinct " + distinct + ")"
                + " resolver lookups " + q.lookups + " hits " + q.hits + " searches " + q.searches + " cache entries " + entries
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") gradebook " + svc.submissions + "/" + svc.gradebookSent + " backlog " + svc.gradebook.size()
                + " pool " + svc.shingleBuffers.size());
        check(INSTITUTIONS_BY_CODE.size() == INSTITUTIONS && svc.works.size() == WORKS && svc.passageIndex.size() == PASSAGES, "reference data / directory");
        check(svc.submissions == SUBMISSIONS && q.lookups == svc.quotations && svc.identified == svc.quotations, "traffic");
        if (FIXED) check(entries == distinct && q.hits == svc.quotations - entries, "one entry per distinct passage");
        else check(entries == svc.quotations && q.hits == 0 && distinct < entries / 5, "one entry per quotation: " + entries);
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.shingleBuffers.size() == POOL, "pool");
        check(svc.gradebook.size() > 0 && svc.gradebook.size() < 120 && svc.gradebookSent + svc.gradebook.size() == svc.submissions, "gradebook backlog");
        check(svc.recent[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val142.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
