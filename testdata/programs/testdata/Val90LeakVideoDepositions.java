// hprofscan-dump: name=val90-leak-videodepositions jvm="-Xmx266m --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val90-leak-videodepositions-parallel jvm="-Xmx266m -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED" variants=jcmd
package testdata;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 90 (written blind), LEAK: the upload service of a court-reporting platform that
 * receives deposition recordings and exhibit scans in parts. Court reference data, the case
 * directory, a cache of rendered transcript pages at its cap, a pool of transcode buffers, a ring
 * of archive receipts, the uploads in flight, two shutdown hooks registered at startup, and one
 * more JVM shutdown hook per upload: when an upload starts, the service registers
 * Runtime.addShutdownHook(new Thread(...)) to delete the upload's spool file if the JVM stops
 * mid-upload. The hook (an unstarted Thread whose Runnable captures the upload, with its part
 * checksums and spool path) is never removed when the upload completes, so the JDK's
 * ApplicationShutdownHooks keeps one per upload ever received. See VALIDATION90.md.
 */
public final class Val90LeakVideoDepositions {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COURTS = 1_100, CASES = 24_000, PAGE_CAP = 2_000, POOL = 6, RING = 8_192, IN_FLIGHT = 12,
            UPLOADS_PER_HOUR = 1_200, HOURS = 8, STARTUP_HOOKS = 2;
    static final Path SPOOL_DIR = Path.of(System.getProperty("java.io.tmpdir"), "val90-deposition-spool-never-created");
    static boolean FIXED;

    record Court(String code, String jurisdiction, double[] hearingLoadByWeek) {}
    record CaseFile(String caseNo, String courtCode, String caption, byte[] parties, long filedAt) {}
    record TranscriptPage(String key, byte[] rendered, long at) {}
    record Receipt(long receiptNo, String caseNo, long bytes, long at) {}

    /** A multi-part upload of a deposition recording or exhibit scan. */
    static final class DepositionUpload {
        final String uploadId, caseNo, witness; final Path spool; final long[] partChecksums; final long startedAt;
        long completedAt, bytes; Thread cleanupHook;
        DepositionUpload(String uploadId, String caseNo, String witness, Path spool, long[] partChecksums, long startedAt) {
            this.uploadId = uploadId; this.caseNo = caseNo; this.witness = witness; this.spool = spool; this.partChecksums = partChecksums; this.startedAt = startedAt;
        }
    }

    static void deleteSpoolQuietly(DepositionUpload up) {
        try { Files.deleteIfExists(up.spool); } catch (IOException ignored) { /* best effort at exit */ }
    }

    static final class PageCache extends LinkedHashMap<String, TranscriptPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TranscriptPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Court> COURTS_BY_CODE = new HashMap<>();

    static final class UploadService {
        final Map<String, CaseFile> cases = new HashMap<>();
        final PageCache transcriptPages = new PageCache();
        final ArrayDeque<byte[]> transcodeBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        long archived, hooksRegistered, hooksRemoved;
        final LinkedHashMap<String, DepositionUpload> inFlight = new LinkedHashMap<>();

        void begin(DepositionUpload up) {
            Thread hook = new Thread(() -> deleteSpoolQuietly(up), "spool-cleanup-" + up.uploadId);
            Runtime.getRuntime().addShutdownHook(hook); // delete the spool file if the JVM stops mid-upload
            hooksRegistered++;
            up.cleanupHook = hook;
            inFlight.put(up.uploadId, up);
        }

        void complete(DepositionUpload up, long at, Random r) {
            inFlight.remove(up.uploadId);
            up.completedAt = at;
            up.bytes = (long) up.partChecksums.length * 8_388_608L - r.nextInt(8_388_608);
            receipts[(int) (archived % RING)] = new Receipt(40_000_000L + archived, up.caseNo, up.bytes, at);
            archived++;
            // the spool file has been moved into the archive by now
            if (FIXED) { // the fix: the hook is no longer needed once the upload is archived
                Runtime.getRuntime().removeShutdownHook(up.cleanupHook);
                up.cleanupHook = null;
                hooksRemoved++;
            }
            // BUG: the shutdown hook registered in begin() stays registered
        }
    }

    static UploadService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int registeredHooks() throws Exception {
        Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
        Field f = c.getDeclaredField("hooks");
        f.setAccessible(true);
        Map<?, ?> hooks = (Map<?, ?>) f.get(null);
        synchronized (c) { return hooks.size(); }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val90.fixed");
        int uploads = UPLOADS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(90_030_001);
        String[] jurisdictions = {"District", "Superior", "County", "Federal district", "Bankruptcy", "Family"};
        String[] courtCodes = new String[COURTS];
        for (int c = 0; c < COURTS; c++) {
            double[] load = new double[64];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 40;
            courtCodes[c] = "CRT-" + (700 + c);
            COURTS_BY_CODE.put(courtCodes[c], new Court(courtCodes[c], jurisdictions[c % jurisdictions.length], load));
        }
        UploadService svc = new UploadService();
        SERVICE = svc;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "audit-log-flush"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "archive-client-close"));
        String[] caseNos = new String[CASES];
        for (int k = 0; k < CASES; k++) {
            caseNos[k] = (2_015 + k % 10) + "-CV-" + (10_000 + k);
            svc.cases.put(caseNos[k], new CaseFile(caseNos[k], courtCodes[rnd.nextInt(COURTS)], "Plaintiff " + k + " v. Defendant " + (k * 7 % CASES), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.transcodeBuffers.add(new byte[65_536]);
        Random traffic = new Random(90_030_002);
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - MINUTE - start) * i / uploads;
            String id = "UP-" + Long.toString(3_000_000_000L + i * 37L, 36).toUpperCase();
            long[] checksums = new long[8 + traffic.nextInt(32)];
            for (int p = 0; p < checksums.length; p++) checksums[p] = traffic.nextLong();
            String caseNo = caseNos[traffic.nextInt(CASES)];
            svc.begin(new DepositionUpload(id, caseNo, "Witness " + traffic.nextInt(900), SPOOL_DIR.resolve(id + ".part"), checksums, t));
            if (svc.inFlight.size() > IN_FLIGHT) {
                Iterator<DepositionUpload> it = svc.inFlight.values().iterator();
                svc.complete(it.next(), t, traffic);
            }
            String key = caseNo + "#p" + traffic.nextInt(4);
            if (svc.transcriptPages.get(key) == null) svc.transcriptPages.put(key, new TranscriptPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.transcodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.transcodeBuffers.add(buf);
        }
        int hooks = registeredHooks();
        System.out.println((FIXED ? "FIXED " : "") + "courts " + COURTS_BY_CODE.size() + " cases " + svc.cases.size() + " uploads " + uploads + " archived " + svc.archived + " in flight " + svc.inFlight.size()
                + " shutdown hooks " + hooks + " (registered per upload " + svc.hooksRegistered + ", removed " + svc.hooksRemoved + ", at startup " + STARTUP_HOOKS + ")"
                + " pages " + svc.transcriptPages.size() + " (evicted " + svc.transcriptPages.evicted + ") pool " + svc.transcodeBuffers.size());
        check(COURTS_BY_CODE.size() == COURTS && svc.cases.size() == CASES, "reference data / directory");
        check(svc.hooksRegistered == uploads && svc.archived == uploads - IN_FLIGHT && svc.inFlight.size() == IN_FLIGHT, "upload traffic");
        if (FIXED) check(hooks == IN_FLIGHT + STARTUP_HOOKS && svc.hooksRemoved == uploads - IN_FLIGHT, "hooks of in-flight uploads only: " + hooks);
        else check(hooks == uploads + STARTUP_HOOKS && svc.hooksRemoved == 0, "a hook per upload ever received: " + hooks);
        check(svc.transcriptPages.size() == PAGE_CAP && svc.transcriptPages.evicted > 0, "page cache at cap");
        check(svc.transcodeBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "receipt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
