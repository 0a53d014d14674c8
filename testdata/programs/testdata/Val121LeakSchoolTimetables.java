// hprofscan-dump: name=val121-leak-schooltimetables jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val121-leak-schooltimetables-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 121 (written blind), LEAK: the timetable drafting service of a multi-academy
 * trust's scheduling product. Each school drafting next term's timetable has a long-lived
 * {@link Workspace} holding the draft grid (periods x rooms, one {@code short} lesson id per cell).
 * Before every change the editor pushes a full copy of the grid onto the workspace's undo history
 * ({@code ArrayList<GridSnapshot>}) so that undo can restore it; redo works the same way. The
 * history has no depth limit, so every workspace keeps a full grid copy for every edit made since
 * the service started.
 * Ordinary components beside it: school reference data, the staff directory, a cache of printable
 * class timetables at its cap, a pool of export buffers, a ring of the audit trail, the queue of
 * drafts waiting to be synced to the schools' MIS. See VALIDATION121.md.
 */
public final class Val121LeakSchoolTimetables {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SCHOOLS = 1_100, STAFF = 20_000, WORKSPACES = 60, PERIODS = 35, ROOMS = 40, PRINT_CAP = 2_000, POOL = 8, RING = 4_096,
            HOURS = 10, ACTIONS_PER_MINUTE = 12, PRINTS_PER_MINUTE = 8, SYNC_LAG_MINUTES = 5, UNDO_DEPTH = 30;
    static final String[] SUBJECTS = {"Maths", "English", "Science", "History", "Geography", "French", "Spanish", "Art", "Music", "PE", "Computing",
            "RE", "Drama", "Design Technology", "Food", "PSHE"};
    static final String[] YEAR_GROUPS = {"7", "8", "9", "10", "11", "12", "13"};
    static boolean FIXED;

    record School(String urn, String name, String phase, int pupils, double[] pupilsByYearGroup) {}
    record StaffMember(String staffCode, String name, String schoolUrn, String[] subjects, byte[] qualifications, long startedAt) {}
    record GridSnapshot(long version, String label, String editor, long takenAt, short[] cells) {}
    record PrintedTimetable(String key, byte[] pdf, long renderedAt) {}
    record AuditEntry(long seq, String urn, String editor, String action, long at) {}
    record SyncJob(String urn, long version, long queuedAt) {}

    static final Map<String, School> SCHOOLS_BY_URN = new HashMap<>();

    /** One school's draft timetable, open for the whole drafting season. */
    static final class Workspace {
        final String urn, term;
        final short[] grid = new short[PERIODS * ROOMS];
        final List<GridSnapshot> undo = new ArrayList<>();
        final ArrayDeque<GridSnapshot> redo = new ArrayDeque<>();
        long version, edits, undos, redos;
        String lastEditor;

        Workspace(String urn, String term) { this.urn = urn; this.term = term; }

        GridSnapshot snapshot(String label, String editor, long at) { return new GridSnapshot(version, label, editor, at, grid.clone()); }

        void restore(GridSnapshot s) { System.arraycopy(s.cells(), 0, grid, 0, grid.length); version++; }

        /** Moves a lesson to another period / room; undoable. */
        void edit(int from, int to, short lesson, String label, String editor, long at) {
            undo.add(snapshot(label, editor, at));
            if (FIXED) while (undo.size() > UNDO_DEPTH) undo.remove(0);
            redo.clear();
            grid[from] = 0;
            grid[to] = lesson;
            version++; edits++; lastEditor = editor;
        }

        boolean undo(String editor, long at) {
            if (undo.isEmpty()) return false;
            redo.push(snapshot("redo", editor, at));
            restore(undo.remove(undo.size() - 1));
            undos++; lastEditor = editor;
            return true;
        }

        boolean redo(String editor, long at) {
            if (redo.isEmpty()) return false;
            undo.add(snapshot("undo", editor, at));
            if (FIXED) while (undo.size() > UNDO_DEPTH) undo.remove(0);
            restore(redo.pop());
            redos++; lastEditor = editor;
            return true;
        }
    }

    static final class PrintCache extends LinkedHashMap<String, PrintedTimetable> {
        long evicted;
        PrintCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PrintedTimetable> e) { if (size() > PRINT_CAP) { evicted++; return true; } return false; }
    }

    static final class TimetableService {
        final Map<String, StaffMember> staff = new HashMap<>();
        final String[] staffCodes = new String[STAFF];
        final Map<String, Workspace> workspaces = new HashMap<>();
        final PrintCache prints = new PrintCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final AuditEntry[] audit = new AuditEntry[RING];
        final ArrayDeque<SyncJob> misSync = new ArrayDeque<>();
        long auditSeq, noOps, printsRequested, syncQueued, synced;

        void audit(String urn, String editor, String action, long at) {
            AuditEntry e = new AuditEntry(++auditSeq, urn, editor, action, at);
            audit[(int) (e.seq() % RING)] = e;
        }

        PrintedTimetable print(String urn, String yearGroup, char form, long t, Random r) {
            printsRequested++;
            String key = urn + "/" + yearGroup + form;
            PrintedTimetable p = prints.get(key);
            if (p == null) {
                byte[] buf = exportBuffers.poll();
                int len = 400 + r.nextInt(400);
                for (int i = 0; i < len; i += 16) buf[i] = (byte) r.nextInt(256);
                p = new PrintedTimetable(key, java.util.Arrays.copyOf(buf, len), t);
                exportBuffers.add(buf);
                prints.put(key, p);
            }
            return p;
        }

        void queueSync(Workspace w, long t) { misSync.addLast(new SyncJob(w.urn, w.version, t)); syncQueued++; }

        void runSync(long t) {
            while (!misSync.isEmpty() && misSync.peekFirst().queuedAt() <= t - SYNC_LAG_MINUTES * MINUTE) { misSync.pollFirst(); synced++; }
        }
    }

    static TimetableService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(121_030_001);
        String[] urns = new String[SCHOOLS];
        for (int s = 0; s < SCHOOLS; s++) {
            double[] byYear = new double[40];
            for (int k = 0; k < byYear.length; k++) byYear[k] = 20 + rnd.nextDouble() * 200;
            urns[s] = Integer.toString(136_000 + s * 17);
            SCHOOLS_BY_URN.put(urns[s], new School(urns[s], "Academy " + (s + 1), s % 3 == 0 ? "secondary" : s % 3 == 1 ? "all-through" : "middle",
                    400 + rnd.nextInt(1_400), byYear));
        }
        TimetableService svc = new TimetableService();
        SERVICE = svc;
        for (int m = 0; m < STAFF; m++) {
            svc.staffCodes[m] = "T" + (10_000 + m) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26));
            svc.staff.put(svc.staffCodes[m], new StaffMember(svc.staffCodes[m], "Teacher " + rnd.nextInt(100_000), urns[rnd.nextInt(SCHOOLS)],
                    new String[] {SUBJECTS[rnd.nextInt(SUBJECTS.length)], SUBJECTS[rnd.nextInt(SUBJECTS.length)]}, new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(4_000)) * DAY));
        }
        Workspace[] drafting = new Workspace[WORKSPACES];
        for (int w = 0; w < WORKSPACES; w++) {
            Workspace ws = new Workspace(urns[w * 17], "Spring term draft v" + (1 + rnd.nextInt(3)));
            for (int c = 0; c < ws.grid.length; c++) ws.grid[c] = (short) (rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(1_800));
            drafting[w] = ws;
            svc.workspaces.put(ws.urn, ws);
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);

        Random actions = new Random(121_030_002), prints = new Random(121_030_003);
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < ACTIONS_PER_MINUTE; k++) {
                Workspace ws = drafting[(int) (WORKSPACES * StrictMath.pow(actions.nextDouble(), 1.6))];
                String editor = svc.staffCodes[actions.nextInt(STAFF)];
                long at = t + k * 5 * SECOND;
                int roll = actions.nextInt(100);
                boolean done;
                String what;
                if (roll < 86) {
                    int from = actions.nextInt(ws.grid.length), to = actions.nextInt(ws.grid.length);
                    short lesson = ws.grid[from] != 0 ? ws.grid[from] : (short) (1 + actions.nextInt(1_800));
                    String label = "Move " + YEAR_GROUPS[actions.nextInt(YEAR_GROUPS.length)] + (char) ('A' + actions.nextInt(6)) + " " + SUBJECTS[actions.nextInt(SUBJECTS.length)]
                            + " to P" + (1 + to / ROOMS) + " room " + (1 + to % ROOMS);
                    ws.edit(from, to, lesson, label, editor, at);
                    done = true;
                    what = "edit";
                } else if (roll < 97) {
                    done = ws.undo(editor, at);
                    what = "undo";
                } else {
                    done = ws.redo(editor, at);
                    what = "redo";
                }
                if (!done) { svc.noOps++; continue; }
                svc.audit(ws.urn, editor, what, at);
                if (ws.version % 10 == 0) svc.queueSync(ws, at);
            }
            for (int k = 0; k < PRINTS_PER_MINUTE; k++) {
                svc.print(urns[prints.nextInt(SCHOOLS)], YEAR_GROUPS[prints.nextInt(YEAR_GROUPS.length)], (char) ('A' + prints.nextInt(6)), t, prints);
            }
            svc.runSync(t);
        }
    }

    static void report() {
        TimetableService svc = SERVICE;
        long edits = 0, undos = 0, redos = 0, snapshots = 0, redoHeld = 0, beyondDepth = 0;
        int maxDepth = 0, overDepth = 0;
        for (Workspace ws : svc.workspaces.values()) {
            edits += ws.edits; undos += ws.undos; redos += ws.redos;
            snapshots += ws.undo.size(); redoHeld += ws.redo.size();
            maxDepth = Math.max(maxDepth, ws.undo.size());
            if (ws.undo.size() > UNDO_DEPTH) { overDepth++; beyondDepth += ws.undo.size() - UNDO_DEPTH; }
        }
        System.out.println((FIXED ? "FIXED " : "") + "schools " + SCHOOLS_BY_URN.size() + " staff " + svc.staff.size() + " workspaces " + svc.workspaces.size()
                + " edits " + edits + " undos " + undos + " redos " + redos + " no-ops " + svc.noOps + " undo snapshots " + snapshots + " (max " + maxDepth + ", over depth "
                + overDepth + ", beyond depth " + beyondDepth + ") redo snapshots " + redoHeld + " audit " + svc.auditSeq + " prints " + svc.prints.size() + " (requested "
                + svc.printsRequested + ", evicted " + svc.prints.evicted + ") pool " + svc.exportBuffers.size() + " sync backlog " + svc.misSync.size() + " (queued "
                + svc.syncQueued + ", synced " + svc.synced + ")");
        check(SCHOOLS_BY_URN.size() == SCHOOLS && svc.staff.size() == STAFF && svc.workspaces.size() == WORKSPACES, "reference data / directory / workspaces");
        check(edits + undos + redos + svc.noOps == (long) ACTIONS_PER_MINUTE * HOURS * 60 && svc.auditSeq == edits + undos + redos, "actions");
        check(edits == 6_237 && undos == 752 && redos == 26 && svc.noOps == 185, "action mix");
        check(FIXED ? maxDepth == UNDO_DEPTH && snapshots == 1_794 : snapshots == 5_511 && maxDepth == 424 && beyondDepth == 3_711 && overDepth == WORKSPACES, "undo histories");
        check(redoHeld == 6, "redo stacks");
        check(svc.audit[RING - 1] != null, "audit ring full");
        check(svc.prints.size() == PRINT_CAP && svc.prints.evicted == 2_636 && svc.printsRequested == (long) PRINTS_PER_MINUTE * HOURS * 60, "print cache at cap");
        check(svc.exportBuffers.size() == POOL, "export buffer pool");
        check(svc.misSync.size() == 12 && svc.syncQueued == 677 && svc.syncQueued == svc.synced + svc.misSync.size(), "mis sync backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val121.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
