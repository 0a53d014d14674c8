// hprofscan-dump: name=val68-leak-visaapplications jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val68-leak-visaapplications-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 68 (written blind), LEAK: the document-upload service of a visa application
 * centre. Consulate reference data, the application directory, a cache of rendered document
 * checklists at its cap, a pool of thumbnail buffers, a ring of status-page hits, and an
 * UploadManager that opens a TempFileHandle per upload (a file descriptor number, the temp-file
 * path and a 64 KiB write buffer). When an upload completes it is flushed and handed to the
 * scanner, but the handle is never closed nor removed from UploadManager.handles. See
 * VALIDATION68.md.
 */
public final class Val68LeakVisaApplications {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CONSULATES = 900, APPLICATIONS = 25_000, CHECKLIST_CAP = 2_000, POOL = 6, RING = 8_192, UPLOADS_PER_HOUR = 18, HOURS = 10, BUFFER = 65_536;
    static boolean FIXED;

    record Consulate(String code, String city, double[] slotsByDay) {}
    record Application(String number, String consulateCode, String applicant, byte[] formData, long submittedAt) {}
    record Checklist(String key, byte[] rendered, long at) {}
    record StatusHit(String applicationNumber, String page, long at) {}

    /** An open temporary file: descriptor number, path and its write buffer. */
    static final class TempFileHandle {
        final int fd; final String path; final String applicationNumber; final long openedAt;
        final byte[] buffer = new byte[BUFFER];
        long bytesWritten; long completedAt; boolean closed;
        TempFileHandle(int fd, String path, String applicationNumber, long openedAt) { this.fd = fd; this.path = path; this.applicationNumber = applicationNumber; this.openedAt = openedAt; }
    }

    static final class UploadManager {
        final List<TempFileHandle> handles = new ArrayList<>();
        int nextFd = 23; long opened, completed, closed;
        TempFileHandle open(String applicationNumber, long at) {
            int fd = nextFd++;
            TempFileHandle h = new TempFileHandle(fd, "/var/tmp/visa-uploads/upl-" + Long.toHexString(at) + "-" + fd + ".part", applicationNumber, at);
            handles.add(h); opened++;
            return h;
        }
        void complete(TempFileHandle h, long at) {
            h.completedAt = at; completed++; // flushed, renamed, queued for the virus scanner
            if (FIXED) { h.closed = true; handles.remove(h); closed++; }
            // BUG: the handle is never closed and stays in the list with its 64 KiB buffer
        }
    }

    static final class ChecklistCache extends LinkedHashMap<String, Checklist> {
        long evicted;
        ChecklistCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Checklist> e) { if (size() > CHECKLIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Consulate> CONSULATES_BY_CODE = new HashMap<>();

    static final class UploadService {
        final Map<String, Application> applications = new HashMap<>();
        final ChecklistCache checklists = new ChecklistCache();
        final ArrayDeque<byte[]> thumbnailBuffers = new ArrayDeque<>();
        final StatusHit[] hits = new StatusHit[RING];
        long hitCount;
        final UploadManager uploads = new UploadManager();
    }

    static UploadService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val68.fixed");
        int uploads = UPLOADS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(68_020_001);
        String[] consulateCodes = new String[CONSULATES];
        for (int c = 0; c < CONSULATES; c++) {
            double[] slots = new double[80];
            for (int k = 0; k < slots.length; k++) slots[k] = rnd.nextDouble() * 120;
            consulateCodes[c] = "CON-" + (400 + c);
            CONSULATES_BY_CODE.put(consulateCodes[c], new Consulate(consulateCodes[c], "City " + (c % 250), slots));
        }
        UploadService svc = new UploadService();
        SERVICE = svc;
        String[] numbers = new String[APPLICATIONS];
        for (int a = 0; a < APPLICATIONS; a++) {
            numbers[a] = "VA" + (60_000_000 + a * 13);
            svc.applications.put(numbers[a], new Application(numbers[a], consulateCodes[rnd.nextInt(CONSULATES)], "Applicant " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.thumbnailBuffers.add(new byte[32_768]);
        Random traffic = new Random(68_020_002);
        String[] pages = {"/status", "/checklist", "/appointment", "/documents"};
        int hitsPerUpload = 300;
        int inFlight = 0;
        for (int i = 0; i < uploads; i++) {
            long t0 = start + (last - start) * i / uploads;
            String number = numbers[traffic.nextInt(APPLICATIONS)];
            TempFileHandle h = svc.uploads.open(number, t0);
            long duration = (20 + traffic.nextInt(400)) * 1_000L;
            int chunks = 20 + traffic.nextInt(60);
            for (int k = 0; k < chunks; k++) { h.buffer[(k * 977) % BUFFER] = (byte) k; h.bytesWritten += BUFFER; }
            for (int k = 0; k < hitsPerUpload; k++) {
                long at = t0 + (long) k * 1_000L;
                if (at > last) break;
                String n = numbers[traffic.nextInt(APPLICATIONS)];
                svc.hits[(int) (svc.hitCount++ % RING)] = new StatusHit(n, pages[traffic.nextInt(pages.length)], at);
                String key = "chk-" + traffic.nextInt(5_000);
                if (svc.checklists.get(key) == null) svc.checklists.put(key, new Checklist(key, new byte[500 + traffic.nextInt(500)], at));
                if (k % 10 == 0) { byte[] buf = svc.thumbnailBuffers.poll(); buf[k % buf.length] = (byte) i; svc.thumbnailBuffers.add(buf); }
            }
            if (t0 + duration <= last) svc.uploads.complete(h, t0 + duration);
            else inFlight++;
        }
        UploadManager m = svc.uploads;
        System.out.println((FIXED ? "FIXED " : "") + "consulates " + CONSULATES_BY_CODE.size() + " applications " + svc.applications.size() + " handles " + m.handles.size() + " opened " + m.opened + " completed " + m.completed + " closed " + m.closed
                + " in flight " + inFlight + " checklists " + svc.checklists.size() + " (evicted " + svc.checklists.evicted + ") pool " + svc.thumbnailBuffers.size() + " hits " + svc.hitCount + " next fd " + m.nextFd);
        check(CONSULATES_BY_CODE.size() == CONSULATES && svc.applications.size() == APPLICATIONS, "reference data / directory");
        check(m.opened == uploads && m.completed + inFlight == uploads, "uploads");
        if (FIXED) check(m.handles.size() == inFlight && m.closed == m.completed, "only in-flight handles open");
        else check(m.handles.size() == uploads && m.closed == 0, "every handle kept: " + m.handles.size());
        check(svc.checklists.size() == CHECKLIST_CAP && svc.checklists.evicted > 0, "checklist cache at cap");
        check(svc.thumbnailBuffers.size() == POOL, "pool");
        check(svc.hitCount > RING && svc.hits[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
