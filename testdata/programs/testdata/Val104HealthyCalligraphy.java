// hprofscan-dump: name=val104-healthy-calligraphy-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val104-healthy-calligraphy-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val104-healthy-calligraphy jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val104-healthy-calligraphy-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Validation set 104 (written blind), HEALTHY: an online calligraphy school. Script (hand)
 * reference data, the student directory, an access-ordered LRU of compiled lesson-search Patterns
 * (free text) capped at 400, the live sessions with a DelayQueue holding exactly one SessionExpiry
 * per live session (re-armed by the reaper, 2 hours idle), undo histories of open worksheets in a
 * static Map<Long, Deque<Stroke>> removed when the worksheet is closed (capped at 40 strokes), a
 * ring of practice events and a pool of brush-render buffers. Warms up, then plateaus.
 * See VALIDATION104.md.
 */
public final class Val104HealthyCalligraphy {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_LIMIT = 2 * HOUR;
    static final int SCRIPTS = 1_400, STUDENTS = 24_000, FILTER_CAP = 400, POOL = 8, RING = 8_192, UNDO_DEPTH = 40, SESSIONS_PER_HOUR = 1_500, SHEETS_PER_HOUR = 600;
    static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    static long CLOCK;

    record Script(String code, String family, double[] strokeProfile) {}
    record Student(String id, String name, byte[] portfolio, long enrolledAt) {}
    record LessonFilter(String text, Pattern pattern, long compiledAt) {}
    record Practice(String studentId, String scriptCode, int score, long at) {}
    record Stroke(long at, int x, int y, String nibBefore, String nibAfter) {}

    static final class Session { final String id, studentId; long lastAccess; final byte[] state; Session(String id, String studentId, long t, byte[] state) { this.id = id; this.studentId = studentId; this.lastAccess = t; this.state = state; } }

    static final class SessionExpiry implements Delayed {
        final String sessionId; final long deadline;
        SessionExpiry(String sessionId, long deadline) { this.sessionId = sessionId; this.deadline = deadline; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(deadline - CLOCK, TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) { return Long.compare(deadline, ((SessionExpiry) o).deadline); }
    }

    static final class FilterCache extends LinkedHashMap<String, LessonFilter> {
        long evicted, compilations;
        FilterCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonFilter> e) { if (size() > FILTER_CAP) { evicted++; return true; } return false; }
        LessonFilter filter(String text, long t) {
            LessonFilter f = get(text);
            if (f == null) { compilations++; f = new LessonFilter(text, Pattern.compile(Pattern.quote(text).replace(" ", "\\E.*\\Q"), FLAGS), t); put(text, f); }
            return f;
        }
    }

    static final Map<String, Script> SCRIPTS_BY_CODE = new HashMap<>();
    static final Map<Long, Deque<Stroke>> UNDO = new HashMap<>();

    static final class School {
        final Map<String, Student> students = new HashMap<>();
        final FilterCache filters = new FilterCache();
        final Map<String, Session> sessions = new HashMap<>();
        final DelayQueue<SessionExpiry> expiries = new DelayQueue<>();
        final Map<Long, Long> openSheets = new HashMap<>();
        final Practice[] practice = new Practice[RING];
        final ArrayDeque<byte[]> brushBuffers = new ArrayDeque<>();
        long requests, expired, practiced, sheetsClosed, strokes;
        void reap() {
            SessionExpiry e;
            while ((e = expiries.poll()) != null) {
                Session s = sessions.get(e.sessionId);
                if (CLOCK - s.lastAccess >= IDLE_LIMIT) { sessions.remove(s.id); expired++; }
                else expiries.add(new SessionExpiry(s.id, s.lastAccess + IDLE_LIMIT));
            }
        }
    }

    static School SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] TERMS = {"copperplate", "italic", "uncial", "gothic", "blackletter", "spencerian", "foundational", "roman", "capitals", "flourish", "ligature", "nib", "broad", "pointed",
        "ink", "gouache", "gilding", "spacing", "slant", "ascender", "descender", "serif", "majuscule", "minuscule", "drill", "warmup", "alphabet", "numerals", "envelope", "wedding"};

    static void build(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(104_050_001);
        String[] scriptCodes = new String[SCRIPTS];
        for (int s = 0; s < SCRIPTS; s++) {
            double[] prof = new double[64];
            for (int k = 0; k < prof.length; k++) prof[k] = rnd.nextDouble();
            scriptCodes[s] = "HAND-" + (s / 100) + "-" + (s % 100);
            SCRIPTS_BY_CODE.put(scriptCodes[s], new Script(scriptCodes[s], TERMS[s % TERMS.length], prof));
        }
        School svc = new School();
        SERVICE = svc;
        String[] ids = new String[STUDENTS];
        for (int i = 0; i < STUDENTS; i++) {
            ids[i] = "ST" + (400_000 + i * 3);
            svc.students.put(ids[i], new Student(ids[i], "Student " + i, new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.brushBuffers.add(new byte[32_768]);
        // Events (t << 22) | (index << 2) | kind: 0 session request, 1 sheet open, 2 stroke, 3 sheet close.
        Random traffic = new Random(104_050_002);
        int sessions = SESSIONS_PER_HOUR * hours, sheets = SHEETS_PER_HOUR * hours;
        long span = end - MINUTE - start;
        long[] ev = new long[sessions * 16 + sheets * 32];
        int n = 0, stillOpen = 0;
        for (int s = 0; s < sessions; s++) {
            long c = start + (long) (traffic.nextDouble() * (span - 61 * MINUTE));
            int reqs = 4 + traffic.nextInt(12);
            long active = 10 * MINUTE + (long) (traffic.nextDouble() * 50 * MINUTE);
            ev[n++] = (c << 22) | ((long) s << 2);
            for (int r = 1; r < reqs; r++) ev[n++] = ((c + 1 + (long) (traffic.nextDouble() * active)) << 22) | ((long) s << 2);
        }
        for (int w = 0; w < sheets; w++) {
            long o = start + (long) (traffic.nextDouble() * span);
            long dur = 5 * MINUTE + (long) (traffic.nextDouble() * 35 * MINUTE);
            int k = 5 + traffic.nextInt(26);
            ev[n++] = (o << 22) | ((long) w << 2) | 1;
            for (int e = 0; e < k; e++) { long at = o + 1 + (long) (traffic.nextDouble() * (dur - 2)); if (at <= end - MINUTE) ev[n++] = (at << 22) | ((long) w << 2) | 2; }
            if (o + dur <= end - MINUTE) ev[n++] = ((o + dur) << 22) | ((long) w << 2) | 3; else stillOpen++;
        }
        ev = Arrays.copyOf(ev, n);
        Arrays.sort(ev);
        Session[] byIndex = new Session[sessions];
        for (int i = 0; i < n; i++) {
            long t = ev[i] >>> 22; int idx = (int) ((ev[i] >> 2) & 0xFFFFF); int kind = (int) (ev[i] & 3);
            CLOCK = t;
            if (i % 64 == 0) svc.reap();
            if (kind == 0) {
                Session s = byIndex[idx];
                if (s == null) {
                    s = byIndex[idx] = new Session("CS" + Long.toHexString(0x3b00_0000L + idx * 7_919L), ids[traffic.nextInt(STUDENTS)], t, new byte[200 + traffic.nextInt(200)]);
                    svc.sessions.put(s.id, s);
                    svc.expiries.add(new SessionExpiry(s.id, t + IDLE_LIMIT));
                }
                s.lastAccess = t; svc.requests++;
                if (traffic.nextInt(3) == 0) {
                    String text = TERMS[traffic.nextInt(TERMS.length)] + " " + TERMS[traffic.nextInt(TERMS.length)] + (traffic.nextBoolean() ? " " + (1 + traffic.nextInt(12)) : "");
                    svc.filters.filter(text, t).pattern().matcher(TERMS[traffic.nextInt(TERMS.length)] + " lesson").find();
                } else {
                    svc.practice[(int) (svc.practiced++ % RING)] = new Practice(s.studentId, scriptCodes[traffic.nextInt(SCRIPTS)], traffic.nextInt(100), t);
                    byte[] buf = svc.brushBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.brushBuffers.add(buf);
                }
            } else {
                long sheetId = 61_000_000L + idx * 11L;
                if (kind == 1) { svc.openSheets.put(sheetId, t); UNDO.put(sheetId, new ArrayDeque<>()); }
                else if (kind == 2) {
                    Deque<Stroke> h = UNDO.get(sheetId);
                    h.push(new Stroke(t, traffic.nextInt(2_000), traffic.nextInt(1_400), "nib-" + traffic.nextInt(40), "nib-" + traffic.nextInt(40)));
                    if (h.size() > UNDO_DEPTH) h.removeLast();
                    svc.strokes++;
                } else { svc.openSheets.remove(sheetId); UNDO.remove(sheetId); svc.sheetsClosed++; }
            }
        }
        CLOCK = end;
        svc.reap();
        int live = 0;
        for (Session s : byIndex) if (s != null && end - s.lastAccess < IDLE_LIMIT) live++;
        System.out.println("stage " + stage + " scripts " + SCRIPTS_BY_CODE.size() + " students " + svc.students.size() + " sessions live " + svc.sessions.size() + " (expired " + svc.expired + ", expiry queue " + svc.expiries.size()
                + ") requests " + svc.requests + " filters " + svc.filters.size() + " (compiled " + svc.filters.compilations + ", evicted " + svc.filters.evicted + ") sheets open " + svc.openSheets.size() + " undo " + UNDO.size()
                + " closed " + svc.sheetsClosed + " strokes " + svc.strokes + " practice " + svc.practiced + " pool " + svc.brushBuffers.size());
        check(SCRIPTS_BY_CODE.size() == SCRIPTS && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.sessions.size() == live && svc.expiries.size() == live && svc.expired == sessions - live, "one expiry per live session: live " + live);
        check(svc.openSheets.size() == stillOpen && UNDO.size() == stillOpen && svc.sheetsClosed == sheets - stillOpen, "undo only for open sheets");
        for (Deque<Stroke> h : UNDO.values()) check(h.size() <= UNDO_DEPTH, "undo depth");
        check(svc.filters.size() == FILTER_CAP && svc.filters.evicted > 0, "filter cache at cap");
        check(svc.brushBuffers.size() == POOL && svc.practiced > 0, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
