// hprofscan-dump: name=val9-healthy-elearning jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val9-healthy-elearning-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
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

/**
 * Validation set 9 (written blind), HEALTHY: an e-learning platform (courses, learners, video
 * lessons, graded quizzes) after 8 simulated hours. Everything big is legitimate: the course
 * catalog loaded at startup, the learner directory (every learner of the tenant, most idle for
 * days), a video-segment LRU at its capacity, a history of completed quiz attempts capped at 5,000,
 * a 128 KiB certificate-render buffer per grading thread, metrics and config.
 * See testdata/VALIDATION9.md.
 */
public final class Val9HealthyElearning {
    static final int COURSES = 3_000;
    static final int LESSONS_PER_COURSE = 18;
    static final int LEARNERS = 36_000;
    static final int SEGMENT_CACHE_CAP = 2_500;
    static final int SEGMENT_FETCHES = 12_000;
    static final int ATTEMPT_HISTORY_CAP = 5_000;
    static final int ATTEMPTS = 9_000;
    static final int GRADERS = 4;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 8 * HOUR;

    static LearningPlatform RUNNING;

    static final class Lesson {
        final String lessonId; final String title; final String videoUrl; final int durationSecs; final String[] tags;
        Lesson(String lessonId, String title, String videoUrl, int durationSecs, String[] tags) { this.lessonId = lessonId; this.title = title; this.videoUrl = videoUrl; this.durationSecs = durationSecs; this.tags = tags; }
    }

    static final class Course {
        final String courseCode; final String title; final String instructor; final String language; final List<Lesson> lessons; final long publishedAt;
        Course(String courseCode, String title, String instructor, String language, List<Lesson> lessons, long publishedAt) { this.courseCode = courseCode; this.title = title; this.instructor = instructor; this.language = language; this.lessons = lessons; this.publishedAt = publishedAt; }
    }

    /** Reference data: the published course catalog, loaded once from the CMS at startup. */
    static final class CourseCatalog {
        static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();
    }

    static final class Learner {
        final long learnerId; final String email; final String displayName; final String locale; final long enrolledAt; long lastActiveAt; final int[] enrolledCourses; int xp;
        Learner(long learnerId, String email, String displayName, String locale, long enrolledAt, long lastActiveAt, int[] enrolledCourses) { this.learnerId = learnerId; this.email = email; this.displayName = displayName; this.locale = locale; this.enrolledAt = enrolledAt; this.lastActiveAt = lastActiveAt; this.enrolledCourses = enrolledCourses; }
    }

    /** Every learner of the tenant, loaded at startup from the identity service (a fixed population). */
    static final class LearnerDirectory {
        final Map<Long, Learner> learners = new ConcurrentHashMap<>();
    }

    static final class VideoSegment {
        final String segmentKey; final byte[] data; final long fetchedAt;
        VideoSegment(String segmentKey, byte[] data, long fetchedAt) { this.segmentKey = segmentKey; this.data = data; this.fetchedAt = fetchedAt; }
    }

    /** LRU of transcoded video segments in front of the object store. */
    static final class SegmentCache extends LinkedHashMap<String, VideoSegment> {
        final int maxEntries; long evictions;
        SegmentCache(int maxEntries) { super(4096, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VideoSegment> eldest) {
            boolean evict = size() > maxEntries;
            if (evict) evictions++;
            return evict;
        }
    }

    static final class QuizAttempt {
        final String attemptId; final long learnerId; final String courseCode; final int[] answers; final long startedAt; final long submittedAt; final int score; final String state;
        QuizAttempt(String attemptId, long learnerId, String courseCode, int[] answers, long startedAt, long submittedAt, int score, String state) { this.attemptId = attemptId; this.learnerId = learnerId; this.courseCode = courseCode; this.answers = answers; this.startedAt = startedAt; this.submittedAt = submittedAt; this.score = score; this.state = state; }
    }

    /** Grading service: keeps the last 5,000 completed attempts for the instructor dashboard. */
    static final class GradingService {
        final ArrayDeque<QuizAttempt> completedAttempts = new ArrayDeque<>();
        final int historyCap = ATTEMPT_HISTORY_CAP;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor graders = new ThreadPoolExecutor(GRADERS, GRADERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "grader-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread buffer in which certificates are rendered to PDF. */
        static final ThreadLocal<byte[]> PDF_BUFFER = ThreadLocal.withInitial(() -> new byte[128 * 1024]);
        long graded;

        void complete(QuizAttempt a) {
            completedAttempts.addLast(a);
            if (completedAttempts.size() > historyCap) completedAttempts.removeFirst();
            graded++;
        }
    }

    static final class Counter { final String name; long value; Counter(String name) { this.name = name; } }

    static final class LearningPlatform {
        final LearnerDirectory directory = new LearnerDirectory();
        final SegmentCache segments = new SegmentCache(SEGMENT_CACHE_CAP);
        final GradingService grading = new GradingService();
        final Map<String, Counter> metrics = new ConcurrentHashMap<>();
        final Properties config = new Properties();
        void count(String n) { metrics.computeIfAbsent(n, Counter::new).value++; }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(9_010_001);
        LearningPlatform p = new LearningPlatform();
        RUNNING = p;
        for (int i = 0; i < 120; i++) p.config.setProperty("elearning.feature." + i + ".enabled", Boolean.toString(i % 3 != 0));
        String[] langs = {"en", "de", "fr", "es", "pt", "ja", "ko", "it"};
        String[] tagPool = {"beginner", "advanced", "lab", "video", "reading", "exam-prep", "python", "sql", "design", "cloud", "security", "math"};
        String[] codes = new String[COURSES];
        for (int c = 0; c < COURSES; c++) {
            String code = String.format("CRS-%s-%04d", langs[c % langs.length].toUpperCase(), c);
            codes[c] = code;
            List<Lesson> lessons = new ArrayList<>(LESSONS_PER_COURSE);
            for (int l = 0; l < LESSONS_PER_COURSE; l++) {
                lessons.add(new Lesson(code + "-L" + l, "Lesson " + l + ": " + tagPool[(c + l) % tagPool.length] + " essentials for course " + c,
                        "https://cdn.learn.example/v/" + code.toLowerCase() + "/" + l + "/master.m3u8", 300 + rnd.nextInt(1500),
                        new String[] {tagPool[l % tagPool.length], tagPool[(c * 7 + l) % tagPool.length]}));
            }
            CourseCatalog.COURSES_BY_CODE.put(code, new Course(code, "Course " + c + " in " + langs[c % langs.length], "Instructor " + (c % 700), langs[c % langs.length], lessons, start - DAY * (30 + c % 1500)));
        }
        for (int i = 0; i < LEARNERS; i++) {
            long id = 4_100_000L + i * 13L;
            int[] enrolled = new int[1 + i % 6];
            for (int k = 0; k < enrolled.length; k++) enrolled[k] = rnd.nextInt(COURSES);
            p.directory.learners.put(id, new Learner(id, "learner" + id + "@school.example", "Learner " + i, langs[i % langs.length],
                    start - DAY * (1 + rnd.nextInt(4 * 365)), start - HOUR * rnd.nextInt(24 * 90), enrolled));
        }
        // The grading pool warms up: every thread allocates its PDF buffer once.
        CyclicBarrier warm = new CyclicBarrier(GRADERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < GRADERS; w++) fs.add(p.grading.graders.submit(() -> { GradingService.PDF_BUFFER.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 8 hours of traffic: learners watch lessons (segments fetched through the LRU) and submit quizzes.
        for (int i = 0; i < SEGMENT_FETCHES; i++) {
            long t = start + SIM_MILLIS * i / SEGMENT_FETCHES;
            Course c = CourseCatalog.COURSES_BY_CODE.get(codes[rnd.nextInt(COURSES)]);
            Lesson l = c.lessons.get(rnd.nextInt(LESSONS_PER_COURSE));
            String key = l.lessonId + "/seg-" + (i % 40) + "/720p";
            VideoSegment s = p.segments.get(key);
            if (s == null) { s = new VideoSegment(key, new byte[3072], t); p.segments.put(key, s); p.count("segments.miss"); }
            else p.count("segments.hit");
            Learner who = p.directory.learners.get(4_100_000L + rnd.nextInt(LEARNERS) * 13L);
            who.lastActiveAt = t;
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            long t = start + SIM_MILLIS * i / ATTEMPTS;
            long learner = 4_100_000L + rnd.nextInt(LEARNERS) * 13L;
            int[] answers = new int[20];
            for (int k = 0; k < answers.length; k++) answers[k] = rnd.nextInt(4);
            p.grading.complete(new QuizAttempt("att-" + Long.toString(77_000_000L + i, 36), learner, codes[rnd.nextInt(COURSES)], answers, t - 600_000L - rnd.nextInt(1_800_000), t, rnd.nextInt(101), "GRADED"));
            p.directory.learners.get(learner).xp += 10;
            p.count("quiz.graded");
        }
        int lessons = 0;
        for (Course c : CourseCatalog.COURSES_BY_CODE.values()) lessons += c.lessons.size();
        System.out.println("courses " + CourseCatalog.COURSES_BY_CODE.size() + " lessons " + lessons + " learners " + p.directory.learners.size()
                + " segments " + p.segments.size() + " (evictions " + p.segments.evictions + ") attempts " + p.grading.completedAttempts.size() + " of " + p.grading.graded
                + " graders " + p.grading.graders.getPoolSize() + " metrics " + p.metrics.size());
        check(CourseCatalog.COURSES_BY_CODE.size() == COURSES && lessons == COURSES * LESSONS_PER_COURSE, "catalog");
        check(p.directory.learners.size() == LEARNERS, "learners");
        check(p.segments.size() == SEGMENT_CACHE_CAP && p.segments.evictions > 0, "segments");
        check(p.grading.completedAttempts.size() == ATTEMPT_HISTORY_CAP && p.grading.graded == ATTEMPTS, "attempts");
        check(p.grading.graders.getPoolSize() == GRADERS, "graders");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
