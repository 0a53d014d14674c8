// hprofscan-dump: name=val58-leak-languageschools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val58-leak-languageschools-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 58 (written blind), LEAK: the booking API of a chain of language schools. School
 * reference data, the student directory, a cache of rendered lesson-plan pages at its cap, a pool of
 * audio decode buffers, a ring of recent bookings, and a per-client rate limiter whose token
 * buckets are keyed by client IP plus request path: a bucket is created on the first request of a
 * (ip, path) pair and never expires or gets evicted. See VALIDATION58.md.
 */
public final class Val58LeakLanguageSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_EVICT = 10 * MINUTE;
    static final int SCHOOLS = 1_000, STUDENTS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS_PER_HOUR = 8_000;
    static boolean FIXED;

    record School(String code, String city, double[] timetableGrid) {}
    record Student(String studentNo, String schoolCode, String language, byte[] profile, long enrolledAt) {}
    record LessonPage(String key, byte[] rendered, long at) {}
    record Booking(String studentNo, String lessonId, long bookedAt) {}
    record BucketKey(String clientIp, String path) {}

    /** A token bucket: capacity tokens, refilled continuously; full again after IDLE_EVICT. */
    static final class TokenBucket {
        final int capacity; final double refillPerMs; double tokens; long lastRefillAt;
        TokenBucket(int capacity, double refillPerMs, long at) { this.capacity = capacity; this.refillPerMs = refillPerMs; this.tokens = capacity; this.lastRefillAt = at; }
        boolean tryAcquire(long at) {
            tokens = Math.min(capacity, tokens + (at - lastRefillAt) * refillPerMs);
            lastRefillAt = at;
            if (tokens >= 1) { tokens -= 1; return true; }
            return false;
        }
    }

    static final class RateLimiter {
        final Map<BucketKey, TokenBucket> buckets = new HashMap<>();
        long allowed, rejected, evicted, sweeps, lastSweepAt;
        boolean allow(String ip, String path, long at) {
            TokenBucket b = buckets.computeIfAbsent(new BucketKey(ip, path), k -> new TokenBucket(20, 20.0 / IDLE_EVICT, at));
            if (b.tryAcquire(at)) { allowed++; return true; }
            rejected++;
            return false;
        }
        /** Runs every minute. The bug: it only records the time; idle buckets stay forever. */
        void maintenance(long at) {
            sweeps++; lastSweepAt = at;
            if (!FIXED) return;
            for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
                if (at - it.next().lastRefillAt > IDLE_EVICT) { it.remove(); evicted++; } // full again: same as absent
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, LessonPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, School> SCHOOLS_BY_CODE = new HashMap<>();

    static final class BookingApi {
        final Map<String, Student> students = new HashMap<>();
        final PageCache lessonPages = new PageCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        long bookings;
        final RateLimiter limiter = new RateLimiter();
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val58.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(58_020_001);
        String[] schoolCodes = new String[SCHOOLS];
        for (int s = 0; s < SCHOOLS; s++) {
            double[] grid = new double[80];
            for (int k = 0; k < grid.length; k++) grid[k] = rnd.nextDouble() * 12;
            schoolCodes[s] = "LS-" + (1_000 + s);
            SCHOOLS_BY_CODE.put(schoolCodes[s], new School(schoolCodes[s], "City " + (s % 250), grid));
        }
        BookingApi svc = new BookingApi();
        SERVICE = svc;
        String[] studentNos = new String[STUDENTS];
        String[] languages = {"Spanish", "German", "Japanese", "French", "Italian", "Mandarin", "Portuguese", "Korean"};
        for (int s = 0; s < STUDENTS; s++) {
            studentNos[s] = "ST" + (6_100_000 + s * 3);
            svc.students.put(studentNos[s], new Student(studentNos[s], schoolCodes[rnd.nextInt(SCHOOLS)], languages[s % languages.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        Random traffic = new Random(58_020_002);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextSweep <= t) { svc.limiter.maintenance(nextSweep); nextSweep += MINUTE; }
            int client = traffic.nextInt(40_000);
            String ip = (client % 3 == 0 ? "81." : client % 3 == 1 ? "92." : "176.") + (client / 250 % 256) + "." + (client % 250) + "." + (7 + client % 11);
            String student = studentNos[traffic.nextInt(STUDENTS)];
            int kind = traffic.nextInt(10);
            String path = kind < 4 ? "/lessons/L" + (500_000 + traffic.nextInt(6_000))
                    : kind < 7 ? "/students/" + student + "/bookings"
                    : kind < 9 ? "/schools/" + schoolCodes[traffic.nextInt(SCHOOLS)] + "/timetable" : "/search";
            if (!svc.limiter.allow(ip, path, t)) continue;
            if (kind < 4) {
                String lesson = path.substring(9);
                svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(student, lesson, t);
                String key = "plan-" + traffic.nextInt(5_000);
                if (svc.lessonPages.get(key) == null) svc.lessonPages.put(key, new LessonPage(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.audioBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.audioBuffers.add(buf);
            }
        }
        while (nextSweep <= end) { svc.limiter.maintenance(nextSweep); nextSweep += MINUTE; }
        RateLimiter l = svc.limiter;
        long idle = 0;
        for (TokenBucket b : l.buckets.values()) if (l.lastSweepAt - b.lastRefillAt > IDLE_EVICT) idle++;
        System.out.println((FIXED ? "FIXED " : "") + "schools " + SCHOOLS_BY_CODE.size() + " students " + svc.students.size() + " buckets " + l.buckets.size() + " (idle past " + IDLE_EVICT / MINUTE + " min: " + idle
                + ", evicted " + l.evicted + ") allowed " + l.allowed + " rejected " + l.rejected + " sweeps " + l.sweeps + " bookings " + svc.bookings + " pages " + svc.lessonPages.size()
                + " (evicted " + svc.lessonPages.evicted + ") pool " + svc.audioBuffers.size());
        check(SCHOOLS_BY_CODE.size() == SCHOOLS && svc.students.size() == STUDENTS, "reference data / directory");
        check(l.allowed + l.rejected == requests && l.sweeps == HOURS * 60 && l.lastSweepAt == end, "limiter traffic");
        if (FIXED) check(idle == 0 && l.buckets.size() < 2_000, "idle buckets evicted: " + l.buckets.size());
        else check(idle > l.buckets.size() * 9 / 10, "idle buckets kept: " + idle);
        check(svc.lessonPages.size() == PAGE_CAP && svc.lessonPages.evicted > 0, "page cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        check(svc.recentBookings[RING - 1] != null, "booking ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
