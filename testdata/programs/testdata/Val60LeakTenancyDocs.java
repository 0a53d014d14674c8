// hprofscan-dump: name=val60-leak-tenancydocs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val60-leak-tenancydocs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 60 (written blind), LEAK: the document-upload service of a letting agency's tenant
 * referencing (payslips, bank statements, ID scans). Each upload gets a TempFileTracker (a RandomAccessFile
 * stand-in for its spool file and a staging buffer) that registers itself in a static cleanup
 * registry so that spool files are removed if the JVM stops; the registry is only emptied by the
 * shutdown hook, never when the upload completes, so every tracker since start stays reachable.
 * See VALIDATION60.md.
 */
public final class Val60LeakTenancyDocs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BRANCHES = 900, CASES = 24_000, THUMB_CAP = 2_000, POOL = 8, RING = 8_192, UPLOADS_PER_HOUR = 1_500, HOURS = 10, IN_FLIGHT = 12;
    static boolean FIXED;

    record Branch(String code, String region, double[] rentIndex) {}
    record TenancyCase(String caseRef, String branchCode, String applicant, byte[] referencingNotes, long openedAt) {}
    record Thumbnail(String key, byte[] jpeg, long at) {}
    record UploadRecord(String uploadId, String caseRef, String docType, long bytes, long at) {}

    /** Stand-in for a RandomAccessFile on the spool file (the real one would hold a FileDescriptor). */
    static final class SpoolFile {
        final String path; long length, position; boolean closed;
        SpoolFile(String path) { this.path = path; }
        void write(int n) { position += n; length = Math.max(length, position); }
        void close() { closed = true; }
    }

    static final class TempFileTracker {
        final String uploadId; final SpoolFile file; final byte[] staging; final long createdAt; boolean done;
        TempFileTracker(String id, SpoolFile f, byte[] staging, long at) { uploadId = id; file = f; this.staging = staging; createdAt = at; }
    }

    /** Static cleanup registry: deletes leftover spool files at JVM shutdown. */
    static final class CleanupRegistry {
        static final List<TempFileTracker> TRACKERS = new ArrayList<>();
        static final Thread HOOK = new Thread(() -> { synchronized (TRACKERS) { TRACKERS.clear(); } }, "spool-cleanup");
        static { Runtime.getRuntime().addShutdownHook(HOOK); }
        static void register(TempFileTracker t) { synchronized (TRACKERS) { TRACKERS.add(t); } }
        static void unregister(TempFileTracker t) { synchronized (TRACKERS) { TRACKERS.remove(t); } }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class UploadService {
        final Map<String, TenancyCase> cases = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final UploadRecord[] recent = new UploadRecord[RING];
        final ArrayDeque<TempFileTracker> inFlight = new ArrayDeque<>();
        long uploads, completed;
        void complete(TempFileTracker t) {
            t.file.close();
            t.done = true;
            completed++;
            if (FIXED) CleanupRegistry.unregister(t);
            // BUG: the tracker (and its staging buffer) stays in the static registry until shutdown
        }
    }

    static UploadService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val60.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(60_040_001);
        for (int b = 0; b < BRANCHES; b++) {
            double[] rates = new double[120];
            for (int k = 0; k < rates.length; k++) rates[k] = 2 + rnd.nextDouble() * 4;
            String code = "LA-" + (700 + b);
            BRANCHES_BY_CODE.put(code, new Branch(code, "Region " + (b % 12), rates));
        }
        UploadService svc = new UploadService();
        SERVICE = svc;
        String[] refs = new String[CASES];
        for (int c = 0; c < CASES; c++) {
            refs[c] = "TC" + (3_300_000 + c);
            svc.cases.put(refs[c], new TenancyCase(refs[c], "LA-" + (700 + rnd.nextInt(BRANCHES)), "Applicant " + rnd.nextInt(90_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[65_536]);
        Random traffic = new Random(60_040_002);
        String[] docTypes = {"PAYSLIP", "BANK_STATEMENT", "PASSPORT", "RIGHT_TO_RENT", "GUARANTOR_FORM"};
        int uploads = UPLOADS_PER_HOUR * HOURS;
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - MINUTE - start) * i / uploads;
            String id = "up-" + (70_000_000L + i);
            TempFileTracker tr = new TempFileTracker(id, new SpoolFile("/var/spool/docs/" + id + ".part"), new byte[400 + traffic.nextInt(400)], t);
            CleanupRegistry.register(tr);
            tr.file.write(50_000 + traffic.nextInt(2_000_000));
            svc.inFlight.add(tr);
            svc.uploads++;
            // an upload completes when 12 later uploads have started (a few seconds)
            if (svc.inFlight.size() > IN_FLIGHT) svc.complete(svc.inFlight.poll());
            svc.recent[(int) ((svc.uploads - 1) % RING)] = new UploadRecord(id, refs[traffic.nextInt(CASES)], docTypes[traffic.nextInt(docTypes.length)], tr.file.length, t);
            String key = "thumb-" + traffic.nextInt(5_000);
            if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.scanBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scanBuffers.add(buf);
        }
        int registered = CleanupRegistry.TRACKERS.size();
        int doneInRegistry = 0;
        for (TempFileTracker t : CleanupRegistry.TRACKERS) if (t.done) doneInRegistry++;
        System.out.println((FIXED ? "FIXED " : "") + "branches " + BRANCHES_BY_CODE.size() + " cases " + svc.cases.size() + " uploads " + svc.uploads + " completed " + svc.completed + " in flight " + svc.inFlight.size()
                + " registry " + registered + " (completed " + doneInRegistry + ") thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.scanBuffers.size());
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.cases.size() == CASES, "reference data / directory");
        check(svc.inFlight.size() == IN_FLIGHT && svc.completed == uploads - IN_FLIGHT, "uploads");
        if (FIXED) check(registered == IN_FLIGHT && doneInRegistry == 0, "registry holds in-flight uploads only");
        else check(registered == uploads && doneInRegistry == uploads - IN_FLIGHT, "registry keeps every upload: " + registered);
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
