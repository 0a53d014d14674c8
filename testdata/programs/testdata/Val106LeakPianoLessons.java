// hprofscan-dump: name=val106-leak-pianolessons-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val106-leak-pianolessons-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val106-leak-pianolessons jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val106-leak-pianolessons-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 106 (written blind), LEAK: the practice API of an online piano-lesson platform.
 * Teacher reference data, the sheet-music directory, a cache of rendered lesson pages at its cap, a
 * pool of audio-analysis buffers, a ring of recent practice attempts, a correct metrics registry of
 * per-endpoint meters, and a second hand-written registry whose meter names carry the student's user
 * id as a tag ("practice.submit{user=U...,instrument=...}"): one meter (EnumMap of LongAdders plus a
 * histogram long[]) per student ever seen, never removed. See VALIDATION106.md.
 */
public final class Val106LeakPianoLessons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEACHERS = 1_200, PIECES = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, ATTEMPTS_PER_HOUR = 6_000, BUCKETS = 16;
    static boolean FIXED;

    enum Stat { COUNT, ERRORS, TOTAL_MS, MAX_MS }

    record Teacher(String code, String city, double[] weeklyAvailability) {}
    record Piece(String catalogueId, String composer, String grade, byte[] scoreMeta, long addedAt) {}
    record LessonPage(String key, byte[] rendered, long at) {}
    record Attempt(String userId, String catalogueId, int accuracyPct, long at) {}

    /** One meter: counters by stat plus a latency histogram (power-of-two buckets). */
    static final class Meter {
        final String name; final long createdAt; long lastUpdatedAt;
        final EnumMap<Stat, LongAdder> stats = new EnumMap<>(Stat.class);
        final long[] histogram = new long[BUCKETS];
        Meter(String name, long at) { this.name = name; createdAt = lastUpdatedAt = at; for (Stat s : Stat.values()) stats.put(s, new LongAdder()); }
        void record(long ms, boolean error, long at) {
            stats.get(Stat.COUNT).increment();
            if (error) stats.get(Stat.ERRORS).increment();
            stats.get(Stat.TOTAL_MS).add(ms);
            if (ms > stats.get(Stat.MAX_MS).sum()) stats.get(Stat.MAX_MS).add(ms - stats.get(Stat.MAX_MS).sum());
            histogram[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, ms)))]++;
            lastUpdatedAt = at;
        }
    }

    /** Hand-written registry: a meter per distinct name, created on first use, never removed. */
    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Meter> meters = new ConcurrentHashMap<>();
        Meter meter(String name, long at) { return meters.computeIfAbsent(name, n -> new Meter(n, at)); }
    }

    static final class PageCache extends LinkedHashMap<String, LessonPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Teacher> TEACHERS_BY_CODE = new HashMap<>();

    static final class PracticeService {
        final Map<String, Piece> pieces = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final Attempt[] recent = new Attempt[RING];
        long attempts;
        final MetricsRegistry endpointMetrics = new MetricsRegistry();
        final MetricsRegistry practiceMetrics = new MetricsRegistry();
    }

    static PracticeService SERVICE;
    static int EXPECTED_USERS, HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] ENDPOINTS = {"GET /api/lessons/{id}", "POST /api/practice", "GET /api/pieces/{id}", "GET /api/teachers/{code}",
        "POST /api/recordings", "GET /api/progress", "PUT /api/goals", "GET /api/schedule"};
    static final String[] INSTRUMENTS = {"piano", "digital-piano", "keyboard", "organ"};

    static void run(int stage) {
        HOURS = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int attempts = ATTEMPTS_PER_HOUR * HOURS;
        EXPECTED_USERS = attempts / 2;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_010_001);
        for (int t = 0; t < TEACHERS; t++) {
            double[] avail = new double[64];
            for (int k = 0; k < avail.length; k++) avail[k] = rnd.nextDouble() * 8;
            String code = "TCH-" + (3_000 + t);
            TEACHERS_BY_CODE.put(code, new Teacher(code, "City " + (t % 250), avail));
        }
        PracticeService svc = new PracticeService();
        SERVICE = svc;
        String[] ids = new String[PIECES];
        String[] composers = {"Bach", "Mozart", "Chopin", "Satie", "Debussy", "Joplin", "Schumann", "Grieg"};
        for (int p = 0; p < PIECES; p++) {
            String id = "PC" + (400_000 + p);
            ids[p] = id;
            svc.pieces.put(id, new Piece(id, composers[p % composers.length], "grade-" + (1 + p % 8), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_010_002);
        for (int i = 0; i < attempts; i++) {
            long t = start + (end - MINUTE - start) * i / attempts;
            // every other attempt is a new student's first one; the others are returning students
            int user = i % 2 == 0 ? i / 2 : traffic.nextInt(i / 2 + 1);
            String userId = "U" + (5_000_000 + user);
            String piece = ids[traffic.nextInt(PIECES)];
            String instrument = INSTRUMENTS[user % INSTRUMENTS.length]; // a student keeps one instrument
            long ms = 20 + traffic.nextInt(900);
            boolean error = traffic.nextInt(50) == 0;
            svc.endpointMetrics.meter("http.server.requests{endpoint=" + ENDPOINTS[1] + "}", t).record(ms, error, t);
            svc.endpointMetrics.meter("http.server.requests{endpoint=" + ENDPOINTS[traffic.nextInt(ENDPOINTS.length)] + "}", t).record(ms / 2, false, t);
            String name = FIXED ? "practice.submit{instrument=" + instrument + "}" // fix: no per-user tag
                    : "practice.submit{user=" + userId + ",instrument=" + instrument + "}"; // BUG: one meter per student
            svc.practiceMetrics.meter(name, t).record(ms, error, t);
            svc.recent[(int) (svc.attempts++ % RING)] = new Attempt(userId, piece, traffic.nextInt(101), t);
            String key = "lesson-" + traffic.nextInt(6_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new LessonPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.audioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.audioBuffers.add(buf);
        }
    }

    static void selfCheck(int stage) throws Exception {
        PracticeService svc = SERVICE;
        int practiceMeters = svc.practiceMetrics.meters.size();
        long userTagged = svc.practiceMetrics.meters.keySet().stream().filter(n -> n.contains("user=")).count();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hours " + HOURS + " teachers " + TEACHERS_BY_CODE.size() + " pieces " + svc.pieces.size()
                + " endpoint meters " + svc.endpointMetrics.meters.size() + " practice meters " + practiceMeters + " (user-tagged " + userTagged + ") pages " + svc.pages.size()
                + " (evicted " + svc.pages.evicted + ") pool " + svc.audioBuffers.size() + " attempts " + svc.attempts);
        check(TEACHERS_BY_CODE.size() == TEACHERS && svc.pieces.size() == PIECES, "reference data / directory");
        check(svc.endpointMetrics.meters.size() == ENDPOINTS.length, "endpoint meters");
        if (FIXED) check(practiceMeters == INSTRUMENTS.length && userTagged == 0, "practice meters (fixed): " + practiceMeters);
        else check(userTagged == EXPECTED_USERS && practiceMeters == EXPECTED_USERS, "practice meters: one per student ever seen: " + practiceMeters);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        check(svc.attempts == (long) ATTEMPTS_PER_HOUR * HOURS && svc.recent[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val106.fixed");
        int stage = Integer.parseInt(args[2]);
        run(stage);
        selfCheck(stage); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
