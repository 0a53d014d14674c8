// hprofscan-dump: name=val123-leak-musicexams jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val123-leak-musicexams-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Validation set 123 (written blind), LEAK: the exam-day service of a graded music exam board.
 * Venue reference data, the teacher directory, the repertoire catalogue, an LRU of rendered mark
 * forms at its cap, a pool of certificate-printing buffers, a ring of recent results, the board of
 * open exam sessions (each with its candidates' entries), a queue of result letters, and a
 * timetable annotator that keeps per-entry slot information in a WeakHashMap<ExamEntry, SlotInfo>,
 * meant to forget an entry once its session is marked and closed. Each SlotInfo carries a lazy
 * display label, a lambda that captures the ExamEntry it describes: the value refers strongly to
 * its own key, so no key is ever only weakly reachable and no entry is ever cleared. See
 * VALIDATION123.md.
 */
public final class Val123LeakMusicExams {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SESSION_LENGTH = 2 * HOUR;
    static final int HOURS = 10, VENUES = 900, TEACHERS = 15_000, PIECES = 3_000, FORM_CAP = 2_000, POOL = 8, RING = 8_192,
            ENTRIES = 24_000, PER_SESSION = 24;
    static boolean FIXED;

    static final String[] INSTRUMENTS = {"piano", "violin", "viola", "cello", "flute", "clarinet", "oboe", "saxophone",
        "trumpet", "horn", "guitar", "singing", "drum-kit", "harp", "recorder", "organ"};

    record Venue(String code, String town, double[] roomHoursByWeek) {}
    record Teacher(String teacherId, String name, String email, byte[] profile, long since) {}
    record Piece(String code, String title, String composer, int grade) {}
    record MarkForm(String key, byte[] rendered, long at) {}
    record ResultRecord(String entryId, String candidateId, int grade, int marks, String outcome, long at) {}
    record ResultLetter(String teacherId, String entryId, byte[] body, long queuedAt) {}

    /** A candidate entered for one exam session (identity equality, as a WeakHashMap key should have). */
    static final class ExamEntry {
        final String entryId, candidateId, candidateName, teacherId, instrument, sessionId; final int grade; final Piece[] pieces;
        final byte[] accessNotes; final long enteredAt;
        ExamEntry(String entryId, String candidateId, String candidateName, String teacherId, String instrument, String sessionId, int grade,
                  Piece[] pieces, byte[] accessNotes, long enteredAt) {
            this.entryId = entryId; this.candidateId = candidateId; this.candidateName = candidateName; this.teacherId = teacherId;
            this.instrument = instrument; this.sessionId = sessionId; this.grade = grade; this.pieces = pieces; this.accessNotes = accessNotes;
            this.enteredAt = enteredAt;
        }
    }

    /** Timetable information about an entry: slot length, rooms, and a label rendered when the timetable is shown. */
    static final class SlotInfo {
        final int minutes; final boolean accompanist, warmUpRoom; final long computedAt; final Supplier<String> label;
        SlotInfo(int minutes, boolean accompanist, boolean warmUpRoom, long computedAt, Supplier<String> label) {
            this.minutes = minutes; this.accompanist = accompanist; this.warmUpRoom = warmUpRoom; this.computedAt = computedAt; this.label = label;
        }
    }

    static final class TimetableAnnotator {
        final WeakHashMap<ExamEntry, SlotInfo> slots = new WeakHashMap<>();
        long annotated;
        SlotInfo annotate(ExamEntry e, long at) {
            SlotInfo info = slots.get(e);
            if (info != null) return info;
            int minutes = 10 + e.grade * 3;
            Supplier<String> label;
            if (FIXED) {
                String text = e.candidateName + " - " + e.instrument + " grade " + e.grade;
                label = () -> text;
            } else {
                // BUG: the lambda captures the entry itself, so the map's value keeps its own key strongly reachable
                label = () -> e.candidateName + " - " + e.instrument + " grade " + e.grade;
            }
            info = new SlotInfo(minutes, !e.instrument.equals("piano") && !e.instrument.equals("drum-kit"), e.grade >= 6, at, label);
            slots.put(e, info);
            annotated++;
            return info;
        }
    }

    /** An exam session: one examiner at one venue for a morning or afternoon, with its candidates. */
    static final class ExamSession {
        final String sessionId, venue, examinerId; final long opensAt; final List<ExamEntry> entries = new ArrayList<>(PER_SESSION);
        ExamSession(String sessionId, String venue, String examinerId, long opensAt) { this.sessionId = sessionId; this.venue = venue; this.examinerId = examinerId; this.opensAt = opensAt; }
    }

    static final class FormCache extends LinkedHashMap<String, MarkForm> {
        long evicted;
        FormCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MarkForm> e) { if (size() > FORM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class ExamService {
        final Map<String, Teacher> teachers = new HashMap<>();
        final Map<String, Piece> repertoire = new HashMap<>();
        final LinkedHashMap<String, ExamSession> openSessions = new LinkedHashMap<>();
        final TimetableAnnotator timetable = new TimetableAnnotator();
        final FormCache forms = new FormCache();
        final ArrayDeque<byte[]> certificateBuffers = new ArrayDeque<>();
        final ResultRecord[] results = new ResultRecord[RING];
        final ArrayDeque<ResultLetter> letters = new ArrayDeque<>();
        long entries, sessionsOpened, sessionsClosed, marked, lettersSent, certificates;

        /** Marks and closes every session that opened SESSION_LENGTH or more before {@code now}. */
        void closeDue(long now, Random traffic) {
            for (Iterator<ExamSession> it = openSessions.values().iterator(); it.hasNext(); ) {
                ExamSession s = it.next();
                if (s.opensAt + SESSION_LENGTH > now) break;
                for (ExamEntry e : s.entries) {
                    int marks = 90 + traffic.nextInt(61);
                    String outcome = marks >= 130 ? "distinction" : marks >= 120 ? "merit" : marks >= 100 ? "pass" : "below pass";
                    results[(int) (marked++ % RING)] = new ResultRecord(e.entryId, e.candidateId, e.grade, marks, outcome, now);
                    letters.add(new ResultLetter(e.teacherId, e.entryId, new byte[250 + traffic.nextInt(250)], now));
                    if (marks >= 100) {
                        byte[] buf = certificateBuffers.poll();
                        buf[(int) (certificates++ % buf.length)] = (byte) marks;
                        certificateBuffers.add(buf);
                    }
                }
                it.remove();
                sessionsClosed++;
            }
        }

        void sendLetters(long boundary) {
            while (!letters.isEmpty() && letters.peekFirst().queuedAt() <= boundary - 15 * MINUTE) { letters.pollFirst(); lettersSent++; }
        }
    }

    static ExamService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_040_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] hours = new double[52];
            for (int k = 0; k < hours.length; k++) hours[k] = rnd.nextDouble() * 60;
            venueCodes[v] = "VEN" + (3_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Town " + (v % 300), hours));
        }
        ExamService svc = new ExamService();
        SERVICE = svc;
        String[] teacherIds = new String[TEACHERS];
        for (int t = 0; t < TEACHERS; t++) {
            teacherIds[t] = "T" + (600_000 + t);
            svc.teachers.put(teacherIds[t], new Teacher(teacherIds[t], "Teacher " + t, "teacher" + t + "@example.org", new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        Piece[][] byGrade = new Piece[9][];
        List<List<Piece>> lists = new ArrayList<>();
        for (int g = 0; g <= 8; g++) lists.add(new ArrayList<>());
        for (int p = 0; p < PIECES; p++) {
            int grade = 1 + p % 8;
            Piece piece = new Piece("RP" + (10_000 + p), "Piece no. " + p + " in " + "CDEFGAB".charAt(p % 7) + (p % 2 == 0 ? " major" : " minor"), "Composer " + (p % 420), grade);
            svc.repertoire.put(piece.code(), piece);
            lists.get(grade).add(piece);
        }
        for (int g = 1; g <= 8; g++) byGrade[g] = lists.get(g).toArray(new Piece[0]);
        for (int b = 0; b < POOL; b++) svc.certificateBuffers.add(new byte[32_768]);
        Random traffic = new Random(123_040_002);
        long span = end - MINUTE - start;
        ExamSession current = null;
        long nextMail = start + 5 * MINUTE;
        for (int i = 0; i < ENTRIES; i++) {
            long t = start + span * i / ENTRIES;
            svc.closeDue(t, traffic);
            while (nextMail <= t) { svc.sendLetters(nextMail); nextMail += 5 * MINUTE; }
            if (current == null || current.entries.size() == PER_SESSION) {
                current = new ExamSession("ES" + (880_000 + svc.sessionsOpened), venueCodes[traffic.nextInt(VENUES)], "EX" + (1_000 + traffic.nextInt(700)), t);
                svc.openSessions.put(current.sessionId, current);
                svc.sessionsOpened++;
            }
            int grade = 1 + traffic.nextInt(8);
            Piece[] pieces = new Piece[3];
            for (int k = 0; k < 3; k++) pieces[k] = byGrade[grade][traffic.nextInt(byGrade[grade].length)];
            ExamEntry e = new ExamEntry("EN" + (40_000_000 + i), "C" + (9_000_000 + traffic.nextInt(2_000_000)), "Candidate " + traffic.nextInt(500_000),
                    teacherIds[traffic.nextInt(TEACHERS)], INSTRUMENTS[traffic.nextInt(INSTRUMENTS.length)], current.sessionId, grade, pieces,
                    new byte[120 + traffic.nextInt(160)], t);
            current.entries.add(e);
            svc.entries++;
            SlotInfo info = svc.timetable.annotate(e, t);
            if (info.minutes > 40) svc.timetable.annotate(e, t); // the examiner's view asks again for long slots
            String formKey = "form-" + e.instrument + "-" + grade + "-" + traffic.nextInt(400);
            if (svc.forms.get(formKey) == null) svc.forms.put(formKey, new MarkForm(formKey, new byte[400 + traffic.nextInt(400)], t));
        }
        current = null;
    }

    static int openEntries() {
        int n = 0;
        for (ExamSession s : SERVICE.openSessions.values()) n += s.entries.size();
        return n;
    }

    static void selfCheck() throws Exception {
        ExamService svc = SERVICE;
        int open = openEntries();
        int slots = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // weak keys are cleared by a GC and expunged on access
            System.gc();
            Thread.sleep(50);
            slots = svc.timetable.slots.size();
            if (!FIXED || slots == open) break;
        }
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " teachers " + svc.teachers.size() + " repertoire " + svc.repertoire.size()
                + " entries " + svc.entries + " sessions opened " + svc.sessionsOpened + " closed " + svc.sessionsClosed + " open " + svc.openSessions.size()
                + " (entries " + open + ") slots " + slots + " (annotated " + svc.timetable.annotated + ") marked " + svc.marked + " letters sent " + svc.lettersSent
                + " backlog " + svc.letters.size() + " forms " + svc.forms.size() + " (evicted " + svc.forms.evicted + ") pool " + svc.certificateBuffers.size()
                + " certificates " + svc.certificates);
        check(VENUES_BY_CODE.size() == VENUES && svc.teachers.size() == TEACHERS && svc.repertoire.size() == PIECES, "reference data / directory");
        check(svc.entries == ENTRIES && svc.timetable.annotated == ENTRIES && svc.sessionsOpened == ENTRIES / PER_SESSION, "entries");
        check(open == EXPECTED_OPEN && svc.marked == ENTRIES - open && svc.sessionsClosed == EXPECTED_CLOSED, "open entries: " + open + " / " + svc.sessionsClosed);
        if (FIXED) check(slots == open, "slot info of open entries only: " + slots);
        else check(slots == ENTRIES, "slot info of every entry ever: " + slots);
        check(svc.letters.size() == EXPECTED_LETTERS_BACKLOG && svc.certificates == EXPECTED_CERTIFICATES, "letters / certificates: " + svc.letters.size() + " / " + svc.certificates);
        check(svc.forms.size() == FORM_CAP && svc.forms.evicted > 0, "form cache at cap");
        check(svc.certificateBuffers.size() == POOL, "pool");
        check(svc.results[RING - 1] != null, "ring full");
    }

    // The same in every run (fixed seeds, times relative to the start of the minute).
    static final int EXPECTED_OPEN = 4_800, EXPECTED_CLOSED = 800, EXPECTED_LETTERS_BACKLOG = 768, EXPECTED_CERTIFICATES = 16_067;

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val123.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
