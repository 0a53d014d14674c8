// hprofscan-dump: name=val96-leak-dentallabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val96-leak-dentallabs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 96 (written blind), LEAK: the scan-intake service of a dental laboratory. Dental
 * practices upload intraoral scans in 16 KiB chunks; the service stages the chunks in memory until
 * the last one arrives, then assembles the scan, ships it to the object store and drops the chunks.
 * Practice reference data, the lab-case directory, a cache of rendered scan thumbnails at its cap, a
 * pool of assembly buffers, a ring of completed uploads, and the staging area: a
 * {@code Map<String, byte[]>} of chunks keyed by upload id + "#" + chunk number (plus the upload
 * sessions). BUG: chunks are removed only when an upload completes; the uploads abandoned by the
 * clients (a fifth of them: browser closed, connection lost) leave their chunks forever. See
 * VALIDATION96.md.
 */
public final class Val96LeakDentalLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L, IDLE_EXPIRY = HOUR;
    static final int PRACTICES = 1_100, CASES = 20_000, THUMB_CAP = 2_000, POOL = 8, RING = 16_384, UPLOADS = 1_200, HOURS = 10, CHUNK = 16_384;
    static boolean FIXED;

    record Practice(String code, String name, double[] monthlyVolumes) {}
    record LabCase(String caseNo, String practiceCode, String restoration, byte[] prescription, long receivedAt) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record CompletedUpload(String uploadId, String caseNo, int chunks, long bytes, long checksum, long completedAt) {}

    static final class UploadSession {
        final String uploadId, practiceCode, caseNo; final int expectedChunks; final long startedAt;
        int received; long lastChunkAt;
        UploadSession(String uploadId, String practiceCode, String caseNo, int expectedChunks, long startedAt) { this.uploadId = uploadId; this.practiceCode = practiceCode; this.caseNo = caseNo; this.expectedChunks = expectedChunks; this.startedAt = startedAt; this.lastChunkAt = startedAt; }
    }

    static final class StagingArea {
        final Map<String, byte[]> chunks = new HashMap<>();
        final Map<String, UploadSession> sessions = new HashMap<>();
        long completed, expired, sweeps;

        /** Returns true when this chunk completes the upload (its chunks are then assembled and dropped). */
        boolean put(UploadSession s, int chunkNo, byte[] data, long at) {
            chunks.put(s.uploadId + "#" + chunkNo, data);
            s.received++;
            s.lastChunkAt = at;
            return s.received == s.expectedChunks;
        }

        long assembleAndDrop(UploadSession s, byte[] buffer) {
            long checksum = 0;
            for (int c = 0; c < s.expectedChunks; c++) {
                byte[] part = chunks.remove(s.uploadId + "#" + c);
                checksum = checksum * 31 + part.length;
                buffer[c % buffer.length] = (byte) part.length;
            }
            sessions.remove(s.uploadId);
            completed++;
            return checksum;
        }

        /** The fix: every 10 minutes, drop the uploads idle for more than an hour. */
        void sweep(long now) {
            sweeps++;
            for (Iterator<UploadSession> it = sessions.values().iterator(); it.hasNext(); ) {
                UploadSession s = it.next();
                if (now - s.lastChunkAt > IDLE_EXPIRY) {
                    for (int c = 0; c < s.expectedChunks; c++) chunks.remove(s.uploadId + "#" + c);
                    it.remove();
                    expired++;
                }
            }
        }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Practice> PRACTICES_BY_CODE = new HashMap<>();

    static final class IntakeService {
        final Map<String, LabCase> cases = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> assemblyBuffers = new ArrayDeque<>();
        final CompletedUpload[] completed = new CompletedUpload[RING];
        long completions;
        final StagingArea staging = new StagingArea();
    }

    static IntakeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Event(long at, UploadSession session, int chunkNo, int length) {}

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(96_030_001);
        String[] practiceCodes = new String[PRACTICES];
        for (int p = 0; p < PRACTICES; p++) {
            double[] vol = new double[60];
            for (int k = 0; k < vol.length; k++) vol[k] = rnd.nextDouble() * 120;
            practiceCodes[p] = "DP-" + (30_000 + p * 7);
            PRACTICES_BY_CODE.put(practiceCodes[p], new Practice(practiceCodes[p], "Dental practice " + p, vol));
        }
        IntakeService svc = new IntakeService();
        SERVICE = svc;
        String[] caseNos = new String[CASES];
        String[] restorations = {"crown", "bridge", "veneer", "implant abutment", "night guard", "aligner"};
        for (int c = 0; c < CASES; c++) {
            caseNos[c] = "LC-" + (2_400_000 + c);
            svc.cases.put(caseNos[c], new LabCase(caseNos[c], practiceCodes[rnd.nextInt(PRACTICES)], restorations[c % restorations.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.assemblyBuffers.add(new byte[32_768]);
        // Traffic: uploads start evenly over the period; chunk k of an upload arrives 15 s after chunk k-1.
        // An abandoned upload sends only its first 1..n-1 chunks.
        Random traffic = new Random(96_030_002);
        java.util.List<Event> events = new java.util.ArrayList<>();
        int abandoned = 0, inProgress = 0; long abandonedChunks = 0, abandonedBytes = 0;
        for (int u = 0; u < UPLOADS; u++) {
            long t0 = start + (end - MINUTE - start) * u / UPLOADS;
            int n = 3 + traffic.nextInt(6);
            boolean abandon = traffic.nextInt(5) == 0;
            int sent = abandon ? 1 + traffic.nextInt(n - 1) : n;
            UploadSession s = new UploadSession("UP-" + Long.toHexString(0x5ca_0000_0000L + u * 977L), practiceCodes[traffic.nextInt(PRACTICES)], caseNos[traffic.nextInt(CASES)], n, t0);
            for (int c = 0; c < sent; c++) {
                if (t0 + c * 15 * SECOND > end) { if (!abandon) inProgress++; break; } // not arrived yet: in progress at the dump
                int len = c == n - 1 ? 1_024 + traffic.nextInt(CHUNK - 1_024) : CHUNK;
                events.add(new Event(t0 + c * 15 * SECOND, s, c, len));
                if (abandon) { abandonedChunks++; abandonedBytes += len; }
            }
            if (abandon) abandoned++;
        }
        events.sort((a, b) -> Long.compare(a.at, b.at));
        StagingArea st = svc.staging;
        long nextSweep = start + 10 * MINUTE;
        int i = 0;
        for (Event e : events) {
            if (e.at > end) throw new IllegalStateException("event after the dump");
            while (FIXED && nextSweep <= e.at) { st.sweep(nextSweep); nextSweep += 10 * MINUTE; }
            UploadSession s = e.session;
            if (e.chunkNo == 0) st.sessions.put(s.uploadId, s);
            if (st.put(s, e.chunkNo, new byte[e.length], e.at)) {
                byte[] buf = svc.assemblyBuffers.poll();
                long sum = st.assembleAndDrop(s, buf);
                svc.assemblyBuffers.add(buf);
                svc.completed[(int) (svc.completions++ % RING)] = new CompletedUpload(s.uploadId, s.caseNo, s.expectedChunks, sum, sum ^ 0x5eedL, e.at);
            }
            String key = "thumb-" + traffic.nextInt(4_000);
            if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], e.at));
            i++;
        }
        while (FIXED && nextSweep <= end) { st.sweep(nextSweep); nextSweep += 10 * MINUTE; }
        events.clear();
        long stagedBytes = 0;
        for (byte[] b : st.chunks.values()) stagedBytes += b.length;
        System.out.println((FIXED ? "FIXED " : "") + "practices " + PRACTICES_BY_CODE.size() + " cases " + svc.cases.size() + " uploads " + UPLOADS + " chunk events " + i + " completed " + st.completed
                + " abandoned " + abandoned + " (" + abandonedChunks + " chunks, " + abandonedBytes + " bytes) staged chunks " + st.chunks.size() + " (" + stagedBytes + " bytes) sessions " + st.sessions.size()
                + " (in progress " + inProgress + ") expired " + st.expired + " sweeps " + st.sweeps + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.assemblyBuffers.size() + " ring " + svc.completions);
        check(PRACTICES_BY_CODE.size() == PRACTICES && svc.cases.size() == CASES, "reference data / directory");
        check(st.completed + abandoned + inProgress == UPLOADS, "uploads accounted for");
        if (FIXED) check(st.sessions.size() < abandoned / 5 + inProgress && st.expired > 0, "fixed: abandoned uploads expire");
        else check(st.sessions.size() == abandoned + inProgress && st.chunks.size() >= abandonedChunks, "abandoned chunks stay: " + st.chunks.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.assemblyBuffers.size() == POOL, "pool");
        check(svc.completions == st.completed, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val96.fixed");
        build();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
