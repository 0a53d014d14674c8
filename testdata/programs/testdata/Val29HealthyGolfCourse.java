// hprofscan-dump: name=val29-healthy-golfcourse jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val29-healthy-golfcourse-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 29 (written blind), HEALTHY: the tee-time and scoring service of a golf-course
 * group. Course reference data, the member directory, a cache of rendered tee sheets at its cap, a
 * pool of scorecard buffers, a ring of recent bookings, an in-process event bus whose sticky events
 * are kept per event type only (course conditions, weather alerts, pricing, ...: 12 types), and a
 * resequencer of the on-course scoring feed that skips a gap after 30 s (and asks for a replay),
 * so its pending map stays small. See VALIDATION29.md.
 */
public final class Val29HealthyGolfCourse {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, GAP_TIMEOUT = 30_000L;
    static final int COURSES = 1_200, MEMBERS = 28_000, SHEET_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, BOOKINGS = 60_000, SCORES = 90_000;

    record Course(String code, String name, double[] greenSpeeds) {}
    record Member(String memberNo, String homeCourse, byte[] handicapHistory, long joinedAt) {}
    record TeeSheet(String key, byte[] rendered, long at) {}
    record Booking(String memberNo, String courseCode, long teeTime, int players) {}
    record CourseEvent(String type, String courseCode, long at, byte[] body) {}
    record HoleScore(long seq, String memberNo, int hole, int strokes, long at) {}

    interface Subscriber { void on(CourseEvent e); }

    static final class EventBus {
        final Map<String, List<Subscriber>> subscribers = new HashMap<>();
        final Map<String, CourseEvent> stickyByType = new HashMap<>(); // last event of each type only
        long posted;
        void subscribe(String type, Subscriber s) { subscribers.computeIfAbsent(type, k -> new ArrayList<>()).add(s); CourseEvent e = stickyByType.get(type); if (e != null) s.on(e); }
        void postSticky(CourseEvent e) { posted++; stickyByType.put(e.type(), e); for (Subscriber s : subscribers.getOrDefault(e.type(), List.of())) s.on(e); }
    }

    static final class ScoreResequencer {
        long nextExpected = 1, gapSince = -1, applied, skipped, replayRequests;
        final TreeMap<Long, HoleScore> pending = new TreeMap<>();
        int maxPending;
        void accept(HoleScore s, long at) {
            pending.put(s.seq(), s);
            drain();
            if (!pending.isEmpty() && gapSince < 0) gapSince = at;
            if (gapSince >= 0 && at - gapSince > GAP_TIMEOUT) { skipped += pending.firstKey() - nextExpected; replayRequests++; nextExpected = pending.firstKey(); drain(); }
            if (pending.isEmpty()) gapSince = -1;
            maxPending = Math.max(maxPending, pending.size());
        }
        void drain() { HoleScore s; while ((s = pending.remove(nextExpected)) != null) { nextExpected++; applied++; } }
    }

    static final class SheetCache extends LinkedHashMap<String, TeeSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TeeSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();

    static final class GolfService {
        final Map<String, Member> members = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> scorecardBuffers = new ArrayDeque<>();
        final Booking[] bookings = new Booking[RING];
        long bookingCount;
        final EventBus bus = new EventBus();
        final ScoreResequencer scores = new ScoreResequencer();
        final Map<String, Long> eventsSeenByType = new HashMap<>();
    }

    static GolfService SERVICE;
    static final String[] TYPES = {"CourseConditions", "WeatherAlert", "FrostDelay", "PricingChanged", "CartPathOnly", "PinPositions", "AerationNotice", "RangeClosed", "LightningHold", "ShotgunStart", "ProShopHours", "TournamentNotice"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(29_060_001);
        String[] courseCodes = new String[COURSES];
        for (int c = 0; c < COURSES; c++) {
            double[] speeds = new double[80];
            for (int k = 0; k < speeds.length; k++) speeds[k] = 8 + rnd.nextDouble() * 5;
            courseCodes[c] = "GC-" + (600 + c);
            COURSES_BY_CODE.put(courseCodes[c], new Course(courseCodes[c], "Links " + c, speeds));
        }
        GolfService svc = new GolfService();
        SERVICE = svc;
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "M" + (300_000 + m);
            svc.members.put(memberNos[m], new Member(memberNos[m], courseCodes[rnd.nextInt(COURSES)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scorecardBuffers.add(new byte[32_768]);
        for (String type : TYPES) svc.bus.subscribe(type, e -> svc.eventsSeenByType.merge(e.type(), 1L, Long::sum));
        Random traffic = new Random(29_060_002);
        int lost = 0;
        for (int i = 0; i < BOOKINGS; i++) {
            long t = start + (end - MINUTE - start) * i / BOOKINGS;
            String member = memberNos[traffic.nextInt(MEMBERS)];
            String course = courseCodes[traffic.nextInt(COURSES)];
            svc.bookings[(int) (svc.bookingCount++ % RING)] = new Booking(member, course, t + (1 + traffic.nextInt(14)) * 24 * HOUR, 1 + traffic.nextInt(4));
            if (i % 10 == 0) svc.bus.postSticky(new CourseEvent(TYPES[traffic.nextInt(TYPES.length)], course, t, new byte[200 + traffic.nextInt(200)]));
            String key = "sheet-" + traffic.nextInt(5_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new TeeSheet(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.scorecardBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scorecardBuffers.add(buf);
        }
        for (int i = 0; i < SCORES; i++) {
            long t = start + (end - MINUTE - start) * i / SCORES;
            HoleScore s = new HoleScore(i + 1, memberNos[traffic.nextInt(MEMBERS)], 1 + traffic.nextInt(18), 2 + traffic.nextInt(7), t);
            if (i < SCORES - 400 && traffic.nextInt(3_000) == 0) { lost++; continue; } // dropped by a course Wi-Fi outage
            svc.scores.accept(s, t);
        }
        ScoreResequencer r = svc.scores;
        System.out.println("courses " + COURSES_BY_CODE.size() + " members " + svc.members.size() + " bookings " + svc.bookingCount + " events " + svc.bus.posted + " sticky " + svc.bus.stickyByType.size()
                + " scores applied " + r.applied + " lost " + lost + " skipped " + r.skipped + " pending " + r.pending.size() + " (max " + r.maxPending + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.scorecardBuffers.size());
        check(COURSES_BY_CODE.size() == COURSES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.bus.posted == BOOKINGS / 10 && svc.bus.stickyByType.size() == TYPES.length, "sticky per type");
        check(lost > 0 && r.skipped == lost && r.pending.isEmpty() && r.applied == SCORES - lost, "gaps skipped, pending drained");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.scorecardBuffers.size() == POOL, "pool");
        check(svc.bookingCount == BOOKINGS && svc.bookings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
