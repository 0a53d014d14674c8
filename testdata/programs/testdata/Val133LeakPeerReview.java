// hprofscan-dump: name=val133-leak-peerreview jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val133-leak-peerreview-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 133 (written blind), LEAK: the submission-screening service of a scholarly
 * publisher's peer-review platform. Every submitted manuscript goes through the screening checks
 * (similarity, formatting, ethics statement, data availability) for 20-90 minutes and is then handed
 * over to the editorial system and dropped from the service. Screening metadata is cached in a
 * synchronized WeakHashMap keyed by the manuscript, "so that it goes with the manuscript"; but each
 * value keeps the check results, and every check result points back at its manuscript: no key is
 * ever only weakly reachable and no entry is ever cleared. Journal reference data, the reviewer
 * directory, a cache of decision letters at its cap, a pool of PDF buffers, an audit ring and the
 * hand-over queue with a normal backlog. See VALIDATION133.md.
 */
public final class Val133LeakPeerReview {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, HANDOVER_EVERY = 5 * MINUTE;
    static final int HOURS = 10, JOURNALS = 1_000, REVIEWERS = 20_000, LETTER_CAP = 2_000, POOL = 8, RING = 8_192, SUBMISSIONS_PER_HOUR = 700;
    static final String[] CHECKS = {"similarity", "formatting", "ethics-statement", "data-availability"};
    static final String[] WORDS = {"protein", "lattice", "bayesian", "coastal", "cohort", "graphene", "neural", "sediment", "quantum", "enzyme", "migration", "catalyst", "soil", "randomised", "galaxy", "policy"};
    static boolean FIXED;

    record Journal(String issn, String title, String publisherImprint, double[] submissionsByMonth) {}
    record Reviewer(String orcid, String name, String institution, byte[] expertise, long registeredAt) {}
    record DecisionLetter(String key, byte[] rendered, long at) {}
    record AuditEvent(String manuscriptId, String action, String actor, long at) {}

    static final class Manuscript {
        final String id; final String issn; final String title; final String abstractText; final String[] authors; final byte[] extractedText; final long submittedAt; final long screenedAt;
        Manuscript(String id, String issn, String title, String abstractText, String[] authors, byte[] extractedText, long submittedAt, long screenedAt) {
            this.id = id; this.issn = issn; this.title = title; this.abstractText = abstractText; this.authors = authors; this.extractedText = extractedText; this.submittedAt = submittedAt; this.screenedAt = screenedAt;
        }
    }

    /** The outcome of one screening check; it records which manuscript it was run on. */
    static final class CheckResult {
        final Manuscript manuscript; final String manuscriptId; final String check; final String outcome; final int score; final long at;
        CheckResult(Manuscript manuscript, String manuscriptId, String check, String outcome, int score, long at) { this.manuscript = manuscript; this.manuscriptId = manuscriptId; this.check = check; this.outcome = outcome; this.score = score; this.at = at; }
    }

    static final class ScreeningMeta {
        final int words; final int figures; final double similarity; final List<CheckResult> checks = new ArrayList<>(4);
        ScreeningMeta(int words, int figures, double similarity) { this.words = words; this.figures = figures; this.similarity = similarity; }
    }

    static final class LetterCache extends LinkedHashMap<String, DecisionLetter> {
        long evicted;
        LetterCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DecisionLetter> e) { if (size() > LETTER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Journal> JOURNALS_BY_ISSN = new HashMap<>();

    static final class ScreeningService {
        final Map<String, Reviewer> reviewers = new HashMap<>();
        final String[] orcids = new String[REVIEWERS];
        final String[] issns = new String[JOURNALS];
        /** Manuscripts still being screened, by id. */
        final Map<String, Manuscript> inScreening = new HashMap<>();
        /** Screening metadata, meant to go with its manuscript (weak keys). */
        final Map<Manuscript, ScreeningMeta> metaCache = Collections.synchronizedMap(new WeakHashMap<>());
        final LetterCache letters = new LetterCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final AuditEvent[] audit = new AuditEvent[RING];
        final ArrayDeque<String> handover = new ArrayDeque<>();
        long submitted, screened, handedOver, auditCount, checksRun;

        void submit(Random r, long t) {
            String id = "MS-" + (2_400_000 + submitted);
            String issn = issns[r.nextInt(JOURNALS)];
            String[] authors = new String[1 + r.nextInt(6)];
            for (int a = 0; a < authors.length; a++) authors[a] = "Author " + (char) ('A' + r.nextInt(26)) + ". " + WORDS[r.nextInt(WORDS.length)].toUpperCase().charAt(0) + WORDS[r.nextInt(WORDS.length)].substring(1);
            Manuscript ms = new Manuscript(id, issn, text(r, 60, 140), text(r, 250, 500), authors, new byte[600 + r.nextInt(600)], t, t + (20 + r.nextInt(71)) * MINUTE);
            submitted++;
            inScreening.put(id, ms);
            ScreeningMeta meta = new ScreeningMeta(3_000 + r.nextInt(7_000), r.nextInt(12), r.nextDouble() * 40);
            for (String check : CHECKS) {
                int score = r.nextInt(100);
                meta.checks.add(new CheckResult(FIXED ? null : ms, id, check, score < 8 ? "query-author" : "pass", score, t + r.nextInt(15) * MINUTE));
                checksRun++;
            }
            metaCache.put(ms, meta);
            audit[(int) (auditCount++ % RING)] = new AuditEvent(id, "submitted", authors[0], t);
            byte[] pdf = pdfBuffers.poll();
            pdf[(int) (submitted % pdf.length)] = (byte) authors.length;
            pdfBuffers.add(pdf);
        }

        /** Manuscripts whose screening is complete are queued for the editorial system and dropped here. */
        void finishScreening(Random r, long t) {
            Iterator<Manuscript> it = inScreening.values().iterator();
            while (it.hasNext()) {
                Manuscript ms = it.next();
                if (ms.screenedAt > t) continue;
                it.remove();
                screened++;
                handover.addLast(ms.id);
                audit[(int) (auditCount++ % RING)] = new AuditEvent(ms.id, "screened", "screening-bot", t);
                String key = ms.issn + "/letter/" + r.nextInt(4);
                if (letters.get(key) == null) letters.put(key, new DecisionLetter(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        void handOver() {
            while (!handover.isEmpty()) { handover.pollFirst(); handedOver++; }
        }
    }

    static ScreeningService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String text(Random r, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int len = min + r.nextInt(max - min);
        while (sb.length() < len) sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        return sb.toString();
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(133_060_001);
        ScreeningService svc = new ScreeningService();
        SERVICE = svc;
        for (int j = 0; j < JOURNALS; j++) {
            double[] monthly = new double[60];
            for (int k = 0; k < monthly.length; k++) monthly[k] = rnd.nextDouble() * 300;
            svc.issns[j] = String.format("%04d-%04d", 1_000 + j * 7 % 9_000, 1_000 + j * 13 % 9_000);
            JOURNALS_BY_ISSN.put(svc.issns[j], new Journal(svc.issns[j], "Journal of " + WORDS[j % WORDS.length] + " studies " + j, "Imprint " + (j % 20), monthly));
        }
        for (int i = 0; i < REVIEWERS; i++) {
            svc.orcids[i] = String.format("0000-000%d-%04d-%04d", 1 + i % 3, 1_000 + i % 9_000, 1_000 + i / 9 % 9_000);
            svc.reviewers.put(svc.orcids[i], new Reviewer(svc.orcids[i], "Reviewer " + i, "University " + (i % 400), new byte[150 + rnd.nextInt(150)], now - (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);

        Random traffic = new Random(133_060_002), letters = new Random(133_060_003);
        int submissions = SUBMISSIONS_PER_HOUR * HOURS;
        long nextMinute = start + MINUTE, nextHandover = start + HANDOVER_EVERY;
        for (int i = 0; i < submissions; i++) {
            long t = start + (end - MINUTE - start) * i / submissions;
            while (nextMinute <= t) { svc.finishScreening(letters, nextMinute); nextMinute += MINUTE; }
            while (nextHandover <= t) { svc.handOver(); nextHandover += HANDOVER_EVERY; }
            svc.submit(traffic, t);
        }
        svc.finishScreening(letters, end);
    }

    /** The WeakHashMap's entries of dropped manuscripts go once the collector has cleared their keys. */
    static int settledMeta(int expected) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            System.gc();
            if (SERVICE.metaCache.size() == expected) return expected;
            Thread.sleep(20);
        }
        return SERVICE.metaCache.size();
    }

    static String report() throws InterruptedException {
        ScreeningService svc = SERVICE;
        int live = svc.inScreening.size();
        int meta = FIXED ? settledMeta(live) : svc.metaCache.size();
        String line = (FIXED ? "FIXED " : "") + "journals " + JOURNALS_BY_ISSN.size() + " reviewers " + svc.reviewers.size() + " submitted " + svc.submitted + " screened " + svc.screened + " in screening " + live
                + " meta entries " + meta + " (of dropped manuscripts " + (meta - live) + ", checks run " + svc.checksRun + ") letters " + svc.letters.size() + " (evicted " + svc.letters.evicted + ") pool " + svc.pdfBuffers.size()
                + " audit " + svc.auditCount + " handed over " + svc.handedOver + " queued " + svc.handover.size();
        check(JOURNALS_BY_ISSN.size() == JOURNALS && svc.reviewers.size() == REVIEWERS, "reference data / directory");
        check(svc.submitted == (long) SUBMISSIONS_PER_HOUR * HOURS && svc.screened + live == svc.submitted && svc.checksRun == svc.submitted * CHECKS.length, "submissions");
        if (FIXED) check(meta == live, "entries go with their manuscripts");
        else check(meta == svc.submitted, "no entry ever cleared: " + meta);
        check(svc.letters.size() == LETTER_CAP && svc.letters.evicted > 0, "letter cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.audit[RING - 1] != null, "ring");
        check(svc.handover.size() > 0 && svc.handedOver + svc.handover.size() == svc.screened, "hand-over queue");
        // the exact counts of VALIDATION133.md
        check(live == 632 && meta == (FIXED ? 632 : 7_000) && svc.handover.size() == 55, "exact counts");
        return line;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val133.fixed");
        simulate();
        System.out.println(report());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
