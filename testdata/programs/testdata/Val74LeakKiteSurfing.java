// hprofscan-dump: name=val74-leak-kitesurfing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val74-leak-kitesurfing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 74 (written blind), LEAK: the lesson service of a chain of kitesurfing schools.
 * Spot reference data, the student directory, the lessons in progress, a cache of forecast tiles at
 * its cap, a pool of GRIB decode buffers, a ring of finished lessons, and a WeakHashMap of
 * conditions briefings keyed by the lesson session "so that a briefing goes away with its lesson".
 * But each briefing strongly references its own session (ConditionsBriefing.session), so the key is
 * always strongly reachable through the map's own value and no entry is ever cleared: the map keeps
 * the briefing of every lesson since start. See VALIDATION74.md.
 */
public final class Val74LeakKiteSurfing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPOTS = 1_000, STUDENTS = 22_000, TILE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, LESSONS_PER_HOUR = 1_000;
    static boolean FIXED;

    record Spot(String code, String coast, double[] windModel) {}
    record Student(String studentId, String name, String level, byte[] waiver, long registeredAt) {}
    record ForecastTile(String key, byte[] grib, long at) {}
    record LessonRecord(String lessonId, String studentId, String spotCode, long startAt, long endAt) {}

    static final class LessonSession {
        final String lessonId, studentId, spotCode, instructor; final long startAt, plannedEnd;
        LessonSession(String lessonId, String studentId, String spotCode, String instructor, long startAt, long plannedEnd) {
            this.lessonId = lessonId; this.studentId = studentId; this.spotCode = spotCode; this.instructor = instructor; this.startAt = startAt; this.plannedEnd = plannedEnd;
        }
    }

    static final class ConditionsBriefing {
        final LessonSession session; // BUG: the value references its own WeakHashMap key
        final String lessonId;
        final String spotCode; final byte[] windChart; final long preparedAt;
        ConditionsBriefing(LessonSession session, String lessonId, String spotCode, byte[] windChart, long preparedAt) {
            this.session = session; this.lessonId = lessonId; this.spotCode = spotCode; this.windChart = windChart; this.preparedAt = preparedAt;
        }
    }

    static final class TileCache extends LinkedHashMap<String, ForecastTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ForecastTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Spot> SPOTS_BY_CODE = new HashMap<>();

    static final class KiteSchool {
        final Map<String, Student> students = new HashMap<>();
        final Map<String, LessonSession> active = new HashMap<>();
        final WeakHashMap<LessonSession, ConditionsBriefing> briefings = new WeakHashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> gribBuffers = new ArrayDeque<>();
        final LessonRecord[] finished = new LessonRecord[RING];
        long started, ended;
    }

    static KiteSchool SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Runs the simulated day; its locals (the end-time queue) are gone when it returns. */
    static void simulate(KiteSchool svc, String[] spotCodes, String[] studentIds, long start, long end) {
        Random traffic = new Random(74_020_002);
        int lessons = LESSONS_PER_HOUR * HOURS;
        PriorityQueue<LessonSession> byEnd = new PriorityQueue<>((a, b) -> Long.compare(a.plannedEnd, b.plannedEnd));
        for (int i = 0; i < lessons; i++) {
            long t = start + (end - MINUTE - start) * i / lessons;
            while (!byEnd.isEmpty() && byEnd.peek().plannedEnd <= t) {
                LessonSession done = byEnd.poll();
                svc.active.remove(done.lessonId);
                svc.finished[(int) (svc.ended++ % RING)] = new LessonRecord(done.lessonId, done.studentId, done.spotCode, done.startAt, done.plannedEnd);
            }
            String spot = spotCodes[traffic.nextInt(SPOTS)];
            LessonSession s = new LessonSession("LS-" + (60_000_000 + i), studentIds[traffic.nextInt(STUDENTS)], spot, "Instructor " + traffic.nextInt(150), t, t + (30 + traffic.nextInt(61)) * MINUTE);
            svc.active.put(s.lessonId, s);
            byEnd.add(s);
            svc.started++;
            byte[] chart = new byte[300 + traffic.nextInt(300)];
            svc.briefings.put(s, new ConditionsBriefing(FIXED ? null : s, s.lessonId, spot, chart, t));
            for (int k = 0; k < 2; k++) {
                String key = "tile-" + traffic.nextInt(4_500);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new ForecastTile(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.gribBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.gribBuffers.add(buf);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val74.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(74_020_001);
        String[] spotCodes = new String[SPOTS];
        for (int s = 0; s < SPOTS; s++) {
            double[] wind = new double[96];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 35;
            spotCodes[s] = "SPOT-" + (700 + s);
            SPOTS_BY_CODE.put(spotCodes[s], new Spot(spotCodes[s], "Coast " + (s % 40), wind));
        }
        KiteSchool svc = new KiteSchool();
        SERVICE = svc;
        String[] levels = {"Discovery", "Beginner", "Intermediate", "Advanced"};
        String[] studentIds = new String[STUDENTS];
        for (int s = 0; s < STUDENTS; s++) {
            studentIds[s] = "KS" + (880_000 + s * 5);
            svc.students.put(studentIds[s], new Student(studentIds[s], "Student " + s, levels[s % levels.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.gribBuffers.add(new byte[32_768]);
        simulate(svc, spotCodes, studentIds, start, end);
        int expected = FIXED ? svc.active.size() : (int) svc.started;
        int size = svc.briefings.size();
        for (int tries = 0; tries < 200 && size != expected; tries++) { System.gc(); Thread.sleep(25); size = svc.briefings.size(); }
        for (int k = 0; k < 4; k++) System.gc(); // settle the heap before the histogram (same in both modes)
        long withSession = 0;
        for (ConditionsBriefing b : svc.briefings.values()) if (b.session != null) withSession++;
        System.out.println((FIXED ? "FIXED " : "") + "spots " + SPOTS_BY_CODE.size() + " students " + svc.students.size() + " lessons started " + svc.started + " ended " + svc.ended
                + " active " + svc.active.size() + " briefings " + size + " (with session " + withSession + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.gribBuffers.size());
        check(SPOTS_BY_CODE.size() == SPOTS && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.started == (long) LESSONS_PER_HOUR * HOURS && svc.started == svc.ended + svc.active.size(), "lesson traffic");
        check(size == expected, "briefings " + size + " expected " + expected);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.gribBuffers.size() == POOL, "pool");
        check(svc.ended > RING && svc.finished[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
