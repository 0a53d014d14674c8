// hprofscan-dump: name=val14-leak-proctoring jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val14-leak-proctoring-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 14 (written blind), LEAK: the online exam-proctoring backend of a certification
 * body. Attempts in progress are kept in {@code ExamSessionRegistry.activeAttempts}, a
 * {@code HashMap<Long, Attempt>} keyed by the attempt id (a BIGINT). The submit endpoint's form
 * carries the attempt id as an {@code int}, and the registry calls
 * {@code activeAttempts.remove(form.attemptId)}: it autoboxes to an {@code Integer}, which never
 * equals a {@code Long}, so the removal silently finds nothing and every submitted attempt (its
 * answers and the webcam snapshots taken during it) stays. The candidate's browser session is
 * removed correctly (String key). 10 simulated hours, 7,000 attempts. Legitimate: the candidate
 * directory (the biggest structure), the question bank and exam blueprints, the browser sessions
 * of candidates in an exam, a capped history of scored results, a pool of snapshot upload buffers
 * and a fixed pool of gaze-analysis threads. See testdata/VALIDATION14.md.
 */
public final class Val14LeakExamProctoring {
    static final int CANDIDATES = 40_000;
    static final int QUESTIONS = 20_000;
    static final int EXAMS = 300;
    static final int ATTEMPTS = 7_000;
    static final int RESULTS_CAP = 5_000;
    static final int UPLOAD_BUFFERS = 16;
    static final int ANALYZERS = 3;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static ProctoringService PROCTORING;

    static final class Candidate { final long candidateId; final String fullName; final String email; final String country; final byte[] idPhotoDigest; final long registeredAt;
        Candidate(long candidateId, String fullName, String email, String country, byte[] idPhotoDigest, long registeredAt) { this.candidateId = candidateId; this.fullName = fullName; this.email = email; this.country = country; this.idPhotoDigest = idPhotoDigest; this.registeredAt = registeredAt; } }

    static final class Question { final int questionId; final String stem; final String[] options; final byte correct;
        Question(int questionId, String stem, String[] options, byte correct) { this.questionId = questionId; this.stem = stem; this.options = options; this.correct = correct; } }

    static final class ExamBlueprint { final String examCode; final int[] questionIds; final int minutes; final int passMark;
        ExamBlueprint(String examCode, int[] questionIds, int minutes, int passMark) { this.examCode = examCode; this.questionIds = questionIds; this.minutes = minutes; this.passMark = passMark; } }

    /** Reference data: the question bank and the exam blueprints. */
    static final class ItemBank {
        static final Map<Integer, Question> QUESTIONS_BY_ID = new HashMap<>();
        static final Map<String, ExamBlueprint> BLUEPRINTS = new HashMap<>();
    }

    static final class WebcamSnapshot { final long takenAt; final float gazeScore; final byte[] jpegThumb;
        WebcamSnapshot(long takenAt, float gazeScore, byte[] jpegThumb) { this.takenAt = takenAt; this.gazeScore = gazeScore; this.jpegThumb = jpegThumb; } }

    static final class Attempt { final long attemptId; final Candidate candidate; final ExamBlueprint exam; final byte[] answers; final List<WebcamSnapshot> snapshots = new ArrayList<>(); final long startedAt; long submittedAt;
        Attempt(long attemptId, Candidate candidate, ExamBlueprint exam, long startedAt) { this.attemptId = attemptId; this.candidate = candidate; this.exam = exam; this.answers = new byte[exam.questionIds.length]; this.startedAt = startedAt; } }

    /** What the submit endpoint receives. */
    static final class SubmitForm { final int attemptId; final String browserToken; final long submittedAt;
        SubmitForm(int attemptId, String browserToken, long submittedAt) { this.attemptId = attemptId; this.browserToken = browserToken; this.submittedAt = submittedAt; } }

    static final class ExamSessionRegistry {
        final Map<Long, Attempt> activeAttempts = new HashMap<>();
        final boolean fixed;
        ExamSessionRegistry(boolean fixed) { this.fixed = fixed; }
        void open(Attempt a) { activeAttempts.put(a.attemptId, a); }
        Attempt find(long attemptId) { return activeAttempts.get(attemptId); }
        void close(SubmitForm form) {
            // BUG: form.attemptId is an int; remove(Object) boxes it to an Integer that never equals the Long key.
            if (fixed) activeAttempts.remove((long) form.attemptId); else activeAttempts.remove(form.attemptId);
        }
    }

    static final class BrowserSession { final String token; final long candidateId; final String userAgent; long lastHeartbeatAt;
        BrowserSession(String token, long candidateId, String userAgent, long lastHeartbeatAt) { this.token = token; this.candidateId = candidateId; this.userAgent = userAgent; this.lastHeartbeatAt = lastHeartbeatAt; } }

    static final class ScoredResult { final long attemptId; final long candidateId; final String examCode; final short score; final boolean passed; final boolean flaggedForReview; final long scoredAt;
        ScoredResult(long attemptId, long candidateId, String examCode, short score, boolean passed, boolean flaggedForReview, long scoredAt) { this.attemptId = attemptId; this.candidateId = candidateId; this.examCode = examCode; this.score = score; this.passed = passed; this.flaggedForReview = flaggedForReview; this.scoredAt = scoredAt; } }

    static final class ProctoringService {
        final Map<Long, Candidate> candidates = new HashMap<>();
        final ExamSessionRegistry registry;
        final Map<String, BrowserSession> browserSessions = new ConcurrentHashMap<>();
        final ArrayDeque<ScoredResult> recentResults = new ArrayDeque<>();
        long resultsRotated;
        final ArrayBlockingQueue<byte[]> snapshotUploadBuffers = new ArrayBlockingQueue<>(UPLOAD_BUFFERS);
        final AtomicInteger analyzerSeq = new AtomicInteger();
        final ThreadPoolExecutor gazeAnalyzers = new ThreadPoolExecutor(ANALYZERS, ANALYZERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "proctor-ai-" + analyzerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties proctoringRules = new Properties();
        ProctoringService(boolean fixed) { registry = new ExamSessionRegistry(fixed); for (int i = 0; i < UPLOAD_BUFFERS; i++) snapshotUploadBuffers.add(new byte[128 * 1024]); }
        void record(ScoredResult r) { recentResults.addLast(r); while (recentResults.size() > RESULTS_CAP) { recentResults.removeFirst(); resultsRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val14.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(14_060_001);
        ProctoringService svc = new ProctoringService(fixed);
        PROCTORING = svc;
        for (int i = 0; i < 45; i++) svc.proctoringRules.setProperty("rule.gaze.away.threshold." + i, Double.toString(0.5 + i * 0.01));
        String[] countries = {"US", "IN", "DE", "BR", "NG", "PH", "GB", "FR", "MX", "PL"};
        for (int i = 0; i < CANDIDATES; i++) {
            byte[] dig = new byte[32];
            rnd.nextBytes(dig);
            long id = 50_000_000L + i;
            svc.candidates.put(id, new Candidate(id, "Candidate " + i + " Okafor-Lindqvist", "cand" + i + "@mail.example.org", countries[i % countries.length], dig, now - DAY * rnd.nextInt(900)));
        }
        for (int q = 0; q < QUESTIONS; q++) {
            String[] opts = new String[4];
            for (int k = 0; k < 4; k++) opts[k] = "Option " + (char) ('A' + k) + " for item " + q;
            ItemBank.QUESTIONS_BY_ID.put(100_000 + q, new Question(100_000 + q, "Which configuration change is required to satisfy requirement " + q + " of the network security baseline?", opts, (byte) rnd.nextInt(4)));
        }
        for (int e = 0; e < EXAMS; e++) {
            int[] qs = new int[40 + rnd.nextInt(41)];
            for (int k = 0; k < qs.length; k++) qs[k] = 100_000 + rnd.nextInt(QUESTIONS);
            String code = "CERT-" + (200 + e);
            ItemBank.BLUEPRINTS.put(code, new ExamBlueprint(code, qs, 60 + 10 * rnd.nextInt(4), 60 + rnd.nextInt(20)));
        }
        CyclicBarrier ready = new CyclicBarrier(ANALYZERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < ANALYZERS; w++) warm.add(svc.gazeAnalyzers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Attempts start evenly over the 10 hours up to 5 minutes before the dump; each lasts 40-100
        // minutes, with a webcam snapshot every 30 minutes (the first at the start); attempts whose
        // end is before "now" are submitted and scored.
        int inProgress = 0, submitted = 0;
        String[] uas = {"Chrome/131 Windows", "Firefox/133 macOS", "Edge/131 Windows", "Safari/18 macOS"};
        for (int i = 0; i < ATTEMPTS; i++) {
            long t = start + (now - 5 * MINUTE - start) * i / ATTEMPTS;
            Candidate c = svc.candidates.get(50_000_000L + rnd.nextInt(CANDIDATES));
            ExamBlueprint exam = ItemBank.BLUEPRINTS.get("CERT-" + (200 + rnd.nextInt(EXAMS)));
            long attemptId = 2_100_000L + i;
            Attempt a = new Attempt(attemptId, c, exam, t);
            svc.registry.open(a);
            String token = "bs-" + Long.toHexString(rnd.nextLong());
            svc.browserSessions.put(token, new BrowserSession(token, c.candidateId, uas[rnd.nextInt(4)], t));
            long end = t + (40 + rnd.nextInt(61)) * MINUTE;
            long until = Math.min(end, now);
            for (long s = t; s < until; s += 30 * MINUTE) {
                byte[] up = svc.snapshotUploadBuffers.poll();
                up[i % up.length] = (byte) i;
                svc.snapshotUploadBuffers.offer(up);
                byte[] thumb = new byte[512 + rnd.nextInt(512)];
                thumb[0] = (byte) s;
                svc.registry.find(attemptId).snapshots.add(new WebcamSnapshot(s, rnd.nextFloat(), thumb));
            }
            for (int k = 0; k < a.answers.length; k++) a.answers[k] = (byte) rnd.nextInt(4);
            if (end <= now) {
                a.submittedAt = end;
                SubmitForm form = new SubmitForm((int) attemptId, token, end);
                svc.registry.close(form);
                svc.browserSessions.remove(form.browserToken);
                int correct = 0;
                for (int k = 0; k < a.answers.length; k++) if (ItemBank.QUESTIONS_BY_ID.get(exam.questionIds[k]).correct == a.answers[k]) correct++;
                short score = (short) (100 * correct / a.answers.length);
                svc.record(new ScoredResult(attemptId, c.candidateId, exam.examCode, score, score >= exam.passMark, rnd.nextInt(25) == 0, end));
                submitted++;
            } else { inProgress++; svc.browserSessions.get(token).lastHeartbeatAt = now - rnd.nextInt(30_000); }
        }
        int leaked = fixed ? 0 : submitted;
        int stale = 0;
        for (Iterator<Attempt> it = svc.registry.activeAttempts.values().iterator(); it.hasNext();) if (it.next().submittedAt != 0) stale++;
        System.out.println((fixed ? "FIXED " : "") + "candidates " + svc.candidates.size() + " questions " + ItemBank.QUESTIONS_BY_ID.size() + " exams " + ItemBank.BLUEPRINTS.size() + " active attempts " + svc.registry.activeAttempts.size() + " (submitted " + submitted + ", in progress " + inProgress + ") browser sessions " + svc.browserSessions.size() + " results " + svc.recentResults.size() + " (rotated " + svc.resultsRotated + ")");
        check(svc.candidates.size() == CANDIDATES && ItemBank.QUESTIONS_BY_ID.size() == QUESTIONS && ItemBank.BLUEPRINTS.size() == EXAMS, "reference data");
        check(svc.registry.activeAttempts.size() == inProgress + leaked && stale == leaked && submitted + inProgress == ATTEMPTS, "active attempts");
        check(svc.browserSessions.size() == inProgress && inProgress > 300 && inProgress < 1_500, "browser sessions");
        check(svc.recentResults.size() == RESULTS_CAP && svc.resultsRotated == submitted - RESULTS_CAP, "results");
        check(svc.snapshotUploadBuffers.size() == UPLOAD_BUFFERS && svc.gazeAnalyzers.getPoolSize() == ANALYZERS, "buffers/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
