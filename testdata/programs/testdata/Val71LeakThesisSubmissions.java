// hprofscan-dump: name=val71-leak-thesissubmissions jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val71-leak-thesissubmissions-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.File;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 71 (written blind), LEAK: the thesis submission portal of a university. Department
 * reference data, the student directory, a cache of rendered title-page previews at its cap, a pool
 * of PDF/A conversion buffers, a ring of submission receipts, the in-flight upload workspaces, and a
 * temporary-directory tracker: every upload gets its own temp directory (a java.io.File) that is
 * added to a static set meant to be deleted when the portal stops. Each upload deletes its directory
 * when it is archived, but the set is never pruned. No file system is touched. See VALIDATION71.md.
 */
public final class Val71LeakThesisSubmissions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPARTMENTS = 900, STUDENTS = 27_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, UPLOADS_PER_HOUR = 2_400, HOURS = 10;
    static final File TMP_ROOT = new File("/srv/thesis-portal/tmp/uploads");
    static boolean FIXED;

    record Department(String code, String faculty, double[] submissionsByWeek) {}
    record Student(String id, String departmentCode, String programme, byte[] record, long enrolledAt) {}
    record Preview(String key, byte[] png, long at) {}
    record Receipt(long uploadId, String studentId, String archiveKey, long pages, long at) {}

    /** Temp directories still to be deleted when the portal stops (the container's destroy callback calls deleteLeftovers()). */
    static final class TempDirs {
        static final Set<File> PENDING_DELETE = new LinkedHashSet<>();
        static long created, deleted;
        static File create(String student, long uploadId, Random r) {
            File dir = new File(new File(TMP_ROOT, student), "upload-" + uploadId + "-" + Long.toHexString(r.nextLong() | 1L << 60));
            PENDING_DELETE.add(dir); // (the simulated mkdirs)
            created++;
            return dir;
        }
        static void deleteTree(File dir) {
            deleted++; // (the simulated recursive delete)
            if (FIXED) PENDING_DELETE.remove(dir);
            // BUG: the deleted directory stays in PENDING_DELETE
        }
        static void deleteLeftovers() { for (File f : PENDING_DELETE) deleteTree(f); PENDING_DELETE.clear(); }
    }

    static final class UploadWorkspace {
        final long id; final String studentId; final File dir; final long startedAt, doneAt; final byte[] manifest;
        UploadWorkspace(long id, String studentId, File dir, long startedAt, long doneAt, byte[] manifest) { this.id = id; this.studentId = studentId; this.dir = dir; this.startedAt = startedAt; this.doneAt = doneAt; this.manifest = manifest; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Department> DEPARTMENTS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Student> students = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> conversionBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        final Map<Long, UploadWorkspace> workspaces = new HashMap<>();
        long uploads, archived;

        UploadWorkspace begin(long id, String student, long at, long doneAt, Random r) {
            UploadWorkspace w = new UploadWorkspace(id, student, TempDirs.create(student, id, r), at, doneAt, new byte[100 + r.nextInt(100)]);
            workspaces.put(id, w);
            uploads++;
            return w;
        }

        void archive(UploadWorkspace w, Random r) {
            byte[] buf = conversionBuffers.poll();
            buf[(int) (w.id % buf.length)] = (byte) w.id;
            conversionBuffers.add(buf);
            receipts[(int) (archived++ % RING)] = new Receipt(w.id, w.studentId, "arch/" + w.id, 40 + r.nextInt(300), w.doneAt);
            workspaces.remove(w.id);
            TempDirs.deleteTree(w.dir);
        }
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(Portal svc, String[] studentIds, long start, long end, int uploads) {
        Random r = new Random(71_040_002);
        PriorityQueue<UploadWorkspace> running = new PriorityQueue<>((a, b) -> Long.compare(a.doneAt, b.doneAt));
        for (int i = 0; i <= uploads; i++) {
            long t = i < uploads ? start + (end - MINUTE - start) * i / uploads : end;
            while (!running.isEmpty() && running.peek().doneAt <= t) svc.archive(running.poll(), r);
            if (i == uploads) break;
            String student = studentIds[r.nextInt(STUDENTS)];
            // virus scan + PDF/A conversion take 2-15 minutes
            running.add(svc.begin(7_000_000L + i, student, t, t + (2 + r.nextInt(14)) * MINUTE, r));
            String key = student + "/title-" + r.nextInt(3);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + r.nextInt(500)], t));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val71.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        int uploads = UPLOADS_PER_HOUR * HOURS;
        Random rnd = new Random(71_040_001);
        String[] deptCodes = new String[DEPARTMENTS];
        for (int d = 0; d < DEPARTMENTS; d++) {
            double[] weeks = new double[64];
            for (int k = 0; k < weeks.length; k++) weeks[k] = rnd.nextDouble() * 20;
            deptCodes[d] = "DEP-" + (100 + d);
            DEPARTMENTS_BY_CODE.put(deptCodes[d], new Department(deptCodes[d], "Faculty " + (d % 12), weeks));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] studentIds = new String[STUDENTS];
        String[] programmes = {"MSc", "MA", "MPhil", "PhD", "MRes", "LLM"};
        for (int s = 0; s < STUDENTS; s++) {
            studentIds[s] = "S" + (2_100_000 + s * 3);
            svc.students.put(studentIds[s], new Student(studentIds[s], deptCodes[rnd.nextInt(DEPARTMENTS)], programmes[s % programmes.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.conversionBuffers.add(new byte[65_536]);
        traffic(svc, studentIds, start, end, uploads);
        int pending = TempDirs.PENDING_DELETE.size();
        System.out.println((FIXED ? "FIXED " : "") + "departments " + DEPARTMENTS_BY_CODE.size() + " students " + svc.students.size() + " uploads " + svc.uploads + " archived " + svc.archived + " in flight " + svc.workspaces.size()
                + " temp dirs created " + TempDirs.created + " deleted " + TempDirs.deleted + " pending-delete set " + pending + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.conversionBuffers.size());
        check(DEPARTMENTS_BY_CODE.size() == DEPARTMENTS && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.uploads == uploads && svc.archived + svc.workspaces.size() == uploads && svc.workspaces.size() > 0 && TempDirs.deleted == svc.archived, "upload traffic");
        if (FIXED) check(pending == svc.workspaces.size(), "only in-flight temp dirs pending");
        else check(pending == uploads, "every temp dir ever created is still in the set: " + pending);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.conversionBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "receipt ring wraps");
        LeakCheck.histogram("java.io.File ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
