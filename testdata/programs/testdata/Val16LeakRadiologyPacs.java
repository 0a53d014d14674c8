// hprofscan-dump: name=val16-leak-pacs jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val16-leak-pacs-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Validation set 16 (written blind), LEAK: the study-export service of a hospital PACS. A
 * radiologist's viewer asks for a study; the service opens an {@code ExportChannel} (a
 * {@code BufferedOutputStream} with an 8 KiB buffer over a 16 KiB {@code ByteArrayOutputStream}
 * staging the DICOM PDUs, and a {@code CRC32}) which registers itself in the static
 * {@code StreamRegistry.OPEN} (so that shutdown can close whatever is still open) and streams the
 * study through it. {@code close()} flushes, closes the streams and deregisters. The bug: when the
 * viewer cancels the transfer (about one export in six), the handler returns early and never
 * calls {@code close()}; the service drops the export, but the registry keeps the channel with its
 * two buffers forever. 10 simulated hours, 3,000 exports. Legitimate: the study index (a static
 * map of 60,000 studies, the biggest structure), the DICOM tag dictionary, a thumbnail LRU at its
 * cap, a pool of 64 KiB transfer buffers (all returned), the exports in flight (their channels
 * are open and registered, rightly), a capped audit trail and a fixed I/O pool. See
 * testdata/VALIDATION16.md.
 */
public final class Val16LeakRadiologyPacs {
    static final int STUDIES = 60_000;
    static final int DICOM_TAGS = 4_500;
    static final int THUMB_CAP = 2_000;
    static final int THUMB_BYTES = 4_096;
    static final int POOL_BUFFERS = 32;
    static final int POOL_BUFFER_BYTES = 64 * 1024;
    static final int AUDIT_CAP = 3_000;
    static final int EXPORTS = 3_000;
    static final int IO_THREADS = 4;
    static final int CHUNK = 4_096;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static ExportService PACS;

    static final class StudyRef { final String studyUid; final String patientId; final String accession; final String modality; final String description; final long studyDate; final int[] seriesSizes;
        StudyRef(String studyUid, String patientId, String accession, String modality, String description, long studyDate, int[] seriesSizes) { this.studyUid = studyUid; this.patientId = patientId; this.accession = accession; this.modality = modality; this.description = description; this.studyDate = studyDate; this.seriesSizes = seriesSizes; } }

    /** Reference data: the archive's study index. */
    static final class StudyIndex {
        static final Map<String, StudyRef> STUDIES_BY_UID = new HashMap<>();
    }

    static final class TagInfo { final int tag; final String keyword; final String vr;
        TagInfo(int tag, String keyword, String vr) { this.tag = tag; this.keyword = keyword; this.vr = vr; } }

    /** Reference data: the DICOM data dictionary. */
    static final class DicomDictionary {
        static final Map<Integer, TagInfo> TAGS = new HashMap<>();
    }

    /** A per-export output channel; every open channel is registered until close(). */
    static final class ExportChannel implements AutoCloseable {
        final long id; final StudyRef study; final String destinationAe; final long openedAt;
        final ByteArrayOutputStream staging = new ByteArrayOutputStream(16 * 1024);
        final BufferedOutputStream out = new BufferedOutputStream(staging, 8 * 1024);
        final CRC32 crc = new CRC32();
        long written; boolean closed;
        ExportChannel(long id, StudyRef study, String destinationAe, long openedAt) { this.id = id; this.study = study; this.destinationAe = destinationAe; this.openedAt = openedAt; StreamRegistry.OPEN.put(id, this); }
        void write(byte[] b, int len) throws IOException { out.write(b, 0, len); crc.update(b, 0, len); written += len; if (staging.size() >= 12 * 1024) staging.reset(); }
        @Override public void close() throws IOException { if (closed) return; closed = true; out.flush(); out.close(); StreamRegistry.OPEN.remove(id); }
    }

    /** Shutdown-time cleanup of whatever is still open. */
    static final class StreamRegistry {
        static final Map<Long, ExportChannel> OPEN = new ConcurrentHashMap<>();
    }

    static final class ThumbLru extends LinkedHashMap<String, byte[]> {
        long evicted;
        ThumbLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final class Export { final ExportChannel channel; final long endsAt; final boolean cancelled; final long bytesToSend;
        Export(ExportChannel channel, long endsAt, boolean cancelled, long bytesToSend) { this.channel = channel; this.endsAt = endsAt; this.cancelled = cancelled; this.bytesToSend = bytesToSend; } }

    static final class AuditEvent { final String user; final String studyUid; final String action; final long at;
        AuditEvent(String user, String studyUid, String action, long at) { this.user = user; this.studyUid = studyUid; this.action = action; this.at = at; } }

    static final class ExportService {
        final ThumbLru thumbnails = new ThumbLru();
        final ArrayBlockingQueue<byte[]> bufferPool = new ArrayBlockingQueue<>(POOL_BUFFERS);
        final Map<Long, Export> activeExports = new HashMap<>();
        final ArrayDeque<AuditEvent> audit = new ArrayDeque<>();
        long auditRotated;
        long completed, cancelled;
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "pacs-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        ExportService(boolean fixed) { this.fixed = fixed; for (int i = 0; i < POOL_BUFFERS; i++) bufferPool.add(new byte[POOL_BUFFER_BYTES]); }

        void audit(AuditEvent e) { audit.addLast(e); if (audit.size() > AUDIT_CAP) { audit.removeFirst(); auditRotated++; } }

        /** Streams the rest of the export (or what was sent before the viewer cancelled) and finishes it. */
        void finish(Export x, Random rnd, String user) throws Exception {
            byte[] buf = bufferPool.take();
            try {
                rnd.nextBytes(buf);
                long left = x.bytesToSend;
                while (left > 0) { int n = (int) Math.min(CHUNK, left); x.channel.write(buf, n); left -= n; }
            } finally { bufferPool.add(buf); }
            activeExports.remove(x.channel.id);
            if (x.cancelled) {
                cancelled++;
                audit(new AuditEvent(user, x.channel.study.studyUid, "EXPORT-CANCELLED", x.endsAt));
                // BUG: returns without x.channel.close() (the fixed variant is only for measuring).
                if (fixed) x.channel.close();
                return;
            }
            x.channel.close();
            completed++;
            audit(new AuditEvent(user, x.channel.study.studyUid, "EXPORTED", x.endsAt));
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val16.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(16_030_003);
        ExportService svc = new ExportService(fixed);
        PACS = svc;
        for (int i = 0; i < 50; i++) svc.config.setProperty("pacs.ae." + i, "AE_WS" + (100 + i) + "@10.8." + (i / 10) + "." + (30 + i));
        String[] modalities = {"CT", "MR", "CR", "US", "MG", "PT", "NM", "XA"};
        String[] bodyParts = {"CHEST", "ABDOMEN PELVIS", "HEAD", "KNEE LEFT", "SPINE LUMBAR", "BREAST BILATERAL", "WHOLE BODY", "CORONARY"};
        String[] uids = new String[STUDIES];
        for (int s = 0; s < STUDIES; s++) {
            int[] series = new int[2 + rnd.nextInt(7)];
            for (int k = 0; k < series.length; k++) series[k] = 1 + rnd.nextInt(400);
            uids[s] = "1.2.840.113619.2.55.3." + (604_688_119 + s) + "." + (900 + s % 97) + "." + (1_700_000_000L + s * 37L);
            StudyIndex.STUDIES_BY_UID.put(uids[s], new StudyRef(uids[s], "MRN" + (8_000_000 + rnd.nextInt(1_000_000)), "ACC" + (20_000_000 + s), modalities[s % 8], modalities[s % 8] + " " + bodyParts[(s / 8) % 8] + (s % 3 == 0 ? " WITH CONTRAST" : " WITHOUT CONTRAST"), now - DAY * rnd.nextInt(3_650), series));
        }
        String[] vrs = {"UI", "LO", "SH", "DA", "TM", "PN", "US", "DS", "IS", "CS", "SQ", "OB"};
        for (int t = 0; t < DICOM_TAGS; t++) { int tag = ((t / 64) << 16) | (t % 64) * 16; DicomDictionary.TAGS.put(tag, new TagInfo(tag, "Keyword" + t, vrs[t % vrs.length])); }
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // 3,000 exports evenly over 10 hours. A transfer takes 1-6 minutes; one in six is cancelled
        // by the viewer part-way (after 2-14 KiB were written). Every export reads the study's
        // thumbnail through the LRU. Transfers finish in time order, before later exports start.
        String[] users = new String[120];
        for (int u = 0; u < users.length; u++) users[u] = "rad" + (u + 1) + "@st-mary.example";
        PriorityQueue<Export> running = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        Map<Long, String> userOf = new HashMap<>();
        int expectedCancelled = 0, expectedInFlight = 0;
        for (int i = 0; i < EXPORTS; i++) {
            long t = start + 10 * HOUR * i / EXPORTS;
            while (!running.isEmpty() && running.peek().endsAt <= t) { Export x = running.poll(); svc.finish(x, rnd, userOf.remove(x.channel.id)); }
            StudyRef study = StudyIndex.STUDIES_BY_UID.get(uids[rnd.nextInt(STUDIES)]);
            if (svc.thumbnails.get(study.studyUid) == null) { byte[] th = new byte[THUMB_BYTES]; rnd.nextBytes(th); svc.thumbnails.put(study.studyUid, th); }
            long dur = (1 + rnd.nextInt(6)) * MINUTE - rnd.nextInt(50_000);
            boolean cancel = rnd.nextInt(6) == 0;
            long ends = cancel ? t + dur * (1 + rnd.nextInt(9)) / 10 : t + dur;
            long bytes = cancel ? 2_048 + rnd.nextInt(12 * 1024) : 40_000 + rnd.nextInt(400_000);
            ExportChannel ch = new ExportChannel(900_000_000L + i, study, "AE_WS" + (100 + rnd.nextInt(50)), t);
            Export x = new Export(ch, ends, cancel, bytes);
            String user = users[rnd.nextInt(users.length)];
            svc.activeExports.put(ch.id, x);
            userOf.put(ch.id, user);
            svc.audit(new AuditEvent(user, study.studyUid, "EXPORT-REQUESTED", t));
            running.add(x);
            if (ends > now) expectedInFlight++; else if (cancel) expectedCancelled++;
        }
        while (!running.isEmpty() && running.peek().endsAt <= now) { Export x = running.poll(); svc.finish(x, rnd, userOf.remove(x.channel.id)); }
        int openCancelled = 0;
        for (ExportChannel ch : StreamRegistry.OPEN.values()) if (!svc.activeExports.containsKey(ch.id)) openCancelled++;
        System.out.println((fixed ? "FIXED " : "") + "studies " + StudyIndex.STUDIES_BY_UID.size() + " tags " + DicomDictionary.TAGS.size() + " exports " + EXPORTS + " completed " + svc.completed + " cancelled " + svc.cancelled + " in flight " + svc.activeExports.size() + " open channels " + StreamRegistry.OPEN.size() + " (of them cancelled and never closed " + openCancelled + ") thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool idle " + svc.bufferPool.size() + " audit " + svc.audit.size() + " (rotated " + svc.auditRotated + ")");
        check(StudyIndex.STUDIES_BY_UID.size() == STUDIES && DicomDictionary.TAGS.size() == DICOM_TAGS, "reference data");
        check(svc.cancelled == expectedCancelled && svc.activeExports.size() == expectedInFlight && svc.completed + svc.cancelled + expectedInFlight == EXPORTS, "exports");
        check(StreamRegistry.OPEN.size() == expectedInFlight + (fixed ? 0 : expectedCancelled) && openCancelled == (fixed ? 0 : expectedCancelled), "open channels");
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0 && svc.bufferPool.size() == POOL_BUFFERS, "thumbnails/pool");
        check(svc.audit.size() == AUDIT_CAP && svc.io.getPoolSize() == IO_THREADS, "audit/pool");
        uids = null; running = null; userOf = null;
        LeakCheck.histogram(" java.io.BufferedOutputStream", " java.io.ByteArrayOutputStream", " java.util.zip.CRC32");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
