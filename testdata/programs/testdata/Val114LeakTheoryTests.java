// hprofscan-dump: name=val114-leak-theorytests jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val114-leak-theorytests-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 114 (written blind), LEAK: the session service of a network of driving-theory
 * test centres (candidates sit a 50-question multiple-choice test on a centre PC, watched by a
 * webcam). Centre reference data, the question bank, the booked-candidate directory, a cache of
 * rendered pass certificates at its cap, a pool of webcam frame buffers, a ring of recent
 * results, the results upload queue to the licensing authority with its normal backlog, and the
 * platform's shared ScheduledExecutorService. Every test session schedules an autosave task on
 * that shared scheduler with scheduleAtFixedRate (every minute: push the time left to the
 * candidate's screen, save the answers so far); the task captures the session (question paper,
 * answers, the last webcam frame). Ending a session (submitted or time up) removes it from the
 * active sessions but never cancels its task: the task sees {@code finished} and returns, every
 * minute, for ever. 10 simulated hours. See VALIDATION114.md.
 */
public final class Val114LeakTheoryTests {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TIME_ALLOWED = 57 * MINUTE, UPLOAD_EVERY = 5 * MINUTE;
    static final int CENTRES = 900, QUESTIONS = 12_000, CANDIDATES = 20_000, CERT_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, SESSIONS_PER_HOUR = 620;
    static final int PAPER = 50, PASS_MARK = 43, HOUSEKEEPING_TASKS = 3, UPLOAD_BATCH = 200;
    static boolean FIXED;

    static final String[] CATEGORIES = {"Alertness", "Attitude", "Safety and your vehicle", "Safety margins", "Hazard awareness", "Vulnerable road users",
            "Other types of vehicle", "Vehicle handling", "Motorway rules", "Rules of the road", "Road and traffic signs", "Documents",
            "Incidents, accidents and emergencies", "Vehicle loading"};
    static final String[] SITUATIONS = {"you are approaching a zebra crossing", "a cyclist is turning right ahead", "the road is icy", "you see a flashing amber light",
            "a bus is pulling out from a stop", "you are towing a caravan", "your tyre bursts on the motorway", "a horse rider is ahead", "fog is forming",
            "an ambulance is behind you with blue lights", "you are parking at night", "you are overtaking a lorry", "a pedestrian is waiting at a junction",
            "your vehicle breaks down on a level crossing", "you are joining a motorway", "the traffic lights are out of order"};
    static final String[] ACTIONS = {"Slow down and be ready to stop", "Sound your horn", "Flash your headlights", "Accelerate past", "Keep well back",
            "Switch on your hazard lights", "Move into the left-hand lane", "Stop and wait", "Give way", "Signal and pull over", "Check your mirrors", "Use dipped headlights"};
    static final String[] SURNAMES = {"MORGAN", "OKAFOR", "PATEL", "NGUYEN", "SMITH", "KOWALSKI", "OBRIEN", "HUSSAIN", "EVANS", "MACLEOD", "SILVA", "JONES", "BAKER", "FERREIRA"};

    record Centre(String code, String town, double[] bookingsByHalfHour) {}
    record Question(String id, String category, String stem, String[] options, int correct, byte[] image) {}
    record Candidate(String licenceNo, String name, String centreCode, byte[] idCheck, long bookedAt) {}
    record Certificate(String sessionId, byte[] rendered, long at) {}
    record TestResult(String sessionId, String licenceNo, String centreCode, int score, boolean passed, long at) {}

    /** One candidate's sitting. */
    static final class TestSession {
        final String sessionId; final Candidate candidate; final String centreCode; final int[] paper = new int[PAPER]; final byte[] answers = new byte[PAPER];
        final byte[] webcamFrame; final long startedAt; final long endsAt;
        int answered; long lastAutosaveAt; volatile boolean finished; ScheduledFuture<?> autosave;
        TestSession(String sessionId, Candidate candidate, String centreCode, byte[] webcamFrame, long startedAt, long endsAt) {
            this.sessionId = sessionId; this.candidate = candidate; this.centreCode = centreCode; this.webcamFrame = webcamFrame; this.startedAt = startedAt; this.endsAt = endsAt;
        }
    }

    /** The candidate screens: counts what is pushed to them. */
    static final class ScreenPush {
        final LongAdder pushes = new LongAdder();
    }

    /** Every minute: pushes the time left to the candidate's screen and saves the answers so far. */
    static final class AutosaveTask implements Runnable {
        final TestSession session; final ScreenPush screens;
        AutosaveTask(TestSession session, ScreenPush screens) { this.session = session; this.screens = screens; }
        @Override public void run() {
            if (session.finished) return; // nothing to save any more
            session.lastAutosaveAt = System.currentTimeMillis();
            screens.pushes.increment();
        }
    }

    /** Platform-wide services shared by every component. */
    static final class Platform {
        static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(2, new ThreadFactory() {
            final AtomicInteger n = new AtomicInteger();
            @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, "platform-sched-" + n.incrementAndGet()); t.setDaemon(true); return t; }
        });
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class TestCentreService {
        final Map<String, Question> questionBank = new HashMap<>();
        final String[] questionIds = new String[QUESTIONS];
        final Map<String, Candidate> candidates = new HashMap<>();
        final String[] licenceNos = new String[CANDIDATES];
        final Map<String, TestSession> activeSessions = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> webcamBuffers = new ArrayDeque<>();
        final TestResult[] recentResults = new TestResult[RING];
        final ArrayDeque<TestResult> uploadQueue = new ArrayDeque<>();
        final ScreenPush screens = new ScreenPush();
        long started, finished, passed, resultsWritten, uploaded, uploadBatches, frames, certificateLookups, sessionSeq = 40_000;

        TestSession startSession(Random r, long t) {
            Candidate c = candidates.get(licenceNos[r.nextInt(CANDIDATES)]);
            byte[] buf = webcamBuffers.poll();
            int thumb = 600 + r.nextInt(600);
            byte[] frame = new byte[thumb];
            buf[(int) (frames++ % buf.length)] = (byte) thumb;
            System.arraycopy(buf, 0, frame, 0, thumb);
            webcamBuffers.add(buf);
            long endsAt = t + 20 * MINUTE + r.nextInt((int) (TIME_ALLOWED - 20 * MINUTE));
            TestSession s = new TestSession("TT-" + c.centreCode() + "-" + (sessionSeq++), c, c.centreCode(), frame, t, Math.min(endsAt, t + TIME_ALLOWED));
            for (int q = 0; q < PAPER; q++) s.paper[q] = r.nextInt(QUESTIONS);
            activeSessions.put(s.sessionId, s);
            s.autosave = Platform.SCHEDULER.scheduleAtFixedRate(new AutosaveTask(s, screens), 60, 60, TimeUnit.SECONDS);
            started++;
            return s;
        }

        void endSession(Random r, TestSession s) {
            int score = 0;
            for (int q = 0; q < PAPER; q++) {
                Question question = questionBank.get(questionIds[s.paper[q]]);
                int answer = r.nextInt(100) < 80 ? question.correct() : r.nextInt(4);
                s.answers[q] = (byte) answer;
                if (answer == question.correct()) score++;
            }
            s.answered = PAPER;
            s.finished = true;
            activeSessions.remove(s.sessionId);
            // BUG: the autosave task is never cancelled; the fix cancels it (and the scheduler removes cancelled tasks)
            if (FIXED) s.autosave.cancel(false);
            boolean pass = score >= PASS_MARK;
            TestResult res = new TestResult(s.sessionId, s.candidate.licenceNo(), s.centreCode, score, pass, s.endsAt);
            recentResults[(int) (resultsWritten++ % RING)] = res;
            uploadQueue.add(res);
            if (pass) {
                passed++;
                certificates.put(s.sessionId, new Certificate(s.sessionId, new byte[400 + r.nextInt(400)], s.endsAt));
            }
            if (r.nextInt(100) < 30) {
                String someone = "TT-" + s.centreCode + "-" + (40_000 + r.nextInt((int) (sessionSeq - 40_000)));
                certificates.get(someone);
                certificateLookups++;
            }
            finished++;
        }

        /** The licensing authority's results API: up to 200 results every 5 minutes. */
        void upload() {
            int n = 0;
            while (!uploadQueue.isEmpty() && n < UPLOAD_BATCH) { uploadQueue.poll(); n++; uploaded++; }
            if (n > 0) uploadBatches++;
        }
    }

    static TestCentreService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        if (FIXED) Platform.SCHEDULER.setRemoveOnCancelPolicy(true);
        Random rnd = new Random(114_010_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] halfHours = new double[48];
            for (int k = 0; k < halfHours.length; k++) halfHours[k] = rnd.nextDouble() * 14;
            centreCodes[c] = "TC" + (1_000 + c * 3);
            CENTRES_BY_CODE.put(centreCodes[c], new Centre(centreCodes[c], "Town " + c, halfHours));
        }
        TestCentreService svc = new TestCentreService();
        SERVICE = svc;
        String[][] optionSets = new String[64][];
        for (int k = 0; k < optionSets.length; k++) {
            optionSets[k] = new String[4];
            for (int o = 0; o < 4; o++) optionSets[k][o] = ACTIONS[rnd.nextInt(ACTIONS.length)];
        }
        for (int q = 0; q < QUESTIONS; q++) {
            int cat = rnd.nextInt(CATEGORIES.length);
            svc.questionIds[q] = "Q-" + (cat + 1) + "-" + (10_000 + q);
            String stem = "What should you do when " + SITUATIONS[rnd.nextInt(SITUATIONS.length)] + " (case " + (q % 997) + ")?";
            svc.questionBank.put(svc.questionIds[q], new Question(svc.questionIds[q], CATEGORIES[cat], stem, optionSets[rnd.nextInt(optionSets.length)], rnd.nextInt(4),
                    rnd.nextInt(3) == 0 ? new byte[150 + rnd.nextInt(150)] : null));
        }
        for (int i = 0; i < CANDIDATES; i++) {
            String surname = SURNAMES[rnd.nextInt(SURNAMES.length)];
            svc.licenceNos[i] = (surname + "99999").substring(0, 5) + (600_000 + i * 13) + "AB" + (i % 10);
            svc.candidates.put(svc.licenceNos[i], new Candidate(svc.licenceNos[i], "Candidate " + surname + " " + i, centreCodes[rnd.nextInt(CENTRES)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(90)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.webcamBuffers.add(new byte[32_768]);
        ScreenPush housekeeping = new ScreenPush();
        Platform.SCHEDULER.scheduleAtFixedRate(new Runnable() { public void run() { housekeeping.pushes.increment(); } }, 5, 5, TimeUnit.MINUTES);   // centre heartbeat
        Platform.SCHEDULER.scheduleAtFixedRate(new Runnable() { public void run() { housekeeping.pushes.increment(); } }, 10, 10, TimeUnit.MINUTES); // certificate cache stats
        Platform.SCHEDULER.scheduleAtFixedRate(new Runnable() { public void run() { housekeeping.pushes.increment(); } }, 15, 15, TimeUnit.MINUTES); // upload watchdog

        Random traffic = new Random(114_010_002);
        int sessions = HOURS * SESSIONS_PER_HOUR;
        PriorityQueue<TestSession> running = new PriorityQueue<>((a, b) -> a.endsAt != b.endsAt ? Long.compare(a.endsAt, b.endsAt) : a.sessionId.compareTo(b.sessionId));
        long nextUpload = start + UPLOAD_EVERY;
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (!running.isEmpty() && running.peek().endsAt <= t) svc.endSession(traffic, running.poll());
            while (nextUpload <= t) { svc.upload(); nextUpload += UPLOAD_EVERY; }
            running.add(svc.startSession(traffic, t));
        }
        while (!running.isEmpty() && running.peek().endsAt <= end) svc.endSession(traffic, running.poll());
        while (nextUpload < end) { svc.upload(); nextUpload += UPLOAD_EVERY; }
    }

    static void verify() {
        TestCentreService svc = SERVICE;
        int sessions = HOURS * SESSIONS_PER_HOUR;
        int queued = Platform.SCHEDULER.getQueue().size();
        int orphaned = 0, active = 0;
        for (Runnable task : Platform.SCHEDULER.getQueue()) {
            if (((ScheduledFuture<?>) task).isCancelled()) throw new IllegalStateException("cancelled task still queued");
        }
        for (TestSession s : svc.activeSessions.values()) if (!s.finished && !s.autosave.isCancelled()) active++;
        orphaned = queued - HOUSEKEEPING_TASKS - active;
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " questions " + svc.questionBank.size() + " candidates " + svc.candidates.size()
                + " sessions " + svc.started + " finished " + svc.finished + " active " + svc.activeSessions.size() + " passed " + svc.passed
                + " scheduler queue " + queued + " (housekeeping " + HOUSEKEEPING_TASKS + ", active sessions " + active + ", finished sessions " + orphaned + ")"
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ", lookups " + svc.certificateLookups + ")"
                + " results " + svc.resultsWritten + " uploaded " + svc.uploaded + " in " + svc.uploadBatches + " batches, backlog " + svc.uploadQueue.size()
                + " frames " + svc.frames + " pool " + svc.webcamBuffers.size() + " scheduler threads " + Platform.SCHEDULER.getPoolSize());
        check(CENTRES_BY_CODE.size() == CENTRES && svc.questionBank.size() == QUESTIONS && svc.candidates.size() == CANDIDATES, "reference data / directories");
        check(svc.started == sessions && svc.finished + svc.activeSessions.size() == sessions && active == svc.activeSessions.size(), "sessions");
        check(svc.activeSessions.size() > 200 && svc.activeSessions.size() < 700, "active sessions: those of the last hour");
        if (FIXED) check(orphaned == 0, "fixed: only the active sessions' tasks");
        else check(orphaned == svc.finished, "every finished session's task is still scheduled");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.webcamBuffers.size() == POOL, "pool");
        check(svc.recentResults[RING - 1] != null && svc.resultsWritten == svc.finished, "ring");
        check(svc.uploadQueue.size() > 0 && svc.uploadQueue.size() < UPLOAD_BATCH && svc.uploaded + svc.uploadQueue.size() == svc.resultsWritten, "upload backlog");
        check(Platform.SCHEDULER.getPoolSize() == 2, "scheduler threads");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val114.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
