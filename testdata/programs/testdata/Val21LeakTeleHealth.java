// hprofscan-dump: name=val21-leak-telehealth jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val21-leak-telehealth-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 21 (written blind), LEAK: a telehealth video-consultation service. Every consult
 * opens a {@code VideoSession}; per-session quality metadata is kept "beside" the session in a
 * {@code WeakHashMap<VideoSession, SessionMeta>} so that it disappears with the session. The bug:
 * {@code SessionMeta.session} points back at its own key, so no key ever becomes weakly reachable
 * and no entry is ever expunged. Beside it: the clinician directory, the drug formulary, a
 * transcript cache at its cap, the live sessions, a codec pool, a call-quality ring.
 * See testdata/VALIDATION21.md.
 */
public final class Val21LeakTeleHealth {
    static final long HOUR = 3_600_000L;
    static final int CLINICIANS = 8_000, DRUGS = 20_000, TRANSCRIPT_CAP = 2_000, CODECS = 16, RING = 8_192;
    static final int HOURS = 6, CONSULTS_PER_HOUR = 600, LIVE = 400;

    record Clinician(String npi, String name, String specialty, int[] availability) {}
    record Drug(String ndc, String name, String monograph, double[] doseTable) {}
    record Transcript(String consultId, String text, long closedAt) {}
    record QualitySample(String sessionId, int bitrateKbps, int lossPermille, long at) {}

    static final class VideoSession {
        final String id, patientId, clinicianNpi; final long startedAt; final byte[] srtpContext;
        VideoSession(String id, String patientId, String clinicianNpi, long startedAt, byte[] srtpContext) {
            this.id = id; this.patientId = patientId; this.clinicianNpi = clinicianNpi; this.startedAt = startedAt; this.srtpContext = srtpContext;
        }
    }

    static final class SessionMeta {
        final VideoSession session; // BUG (leak run): back-reference to the WeakHashMap key
        final String sessionId;
        final byte[] bandwidthLog; final double[] jitterMs = new double[64]; long lastSampleAt;
        SessionMeta(VideoSession session, String sessionId, byte[] bandwidthLog) { this.session = session; this.sessionId = sessionId; this.bandwidthLog = bandwidthLog; }
    }

    static final class Codec { final byte[] frame = new byte[32 * 1024]; boolean busy; }

    static final class TranscriptCache extends LinkedHashMap<String, Transcript> {
        long evicted;
        TranscriptCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Transcript> e) { if (size() > TRANSCRIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinician> CLINICIANS_BY_NPI = new HashMap<>();
    static final Map<String, Drug> FORMULARY = new HashMap<>();

    static final class ConsultService {
        final Map<String, VideoSession> activeSessions = new ConcurrentHashMap<>();
        final Map<VideoSession, SessionMeta> sessionMeta = new WeakHashMap<>();
        final TranscriptCache transcripts = new TranscriptCache();
        final Codec[] codecPool = new Codec[CODECS];
        final QualitySample[] qualityRing = new QualitySample[RING];
        long qualityWritten, consults, closed;
        void sample(String sessionId, int kbps, int loss, long at) { qualityRing[(int) (qualityWritten++ % RING)] = new QualitySample(sessionId, kbps, loss, at); }
    }

    static ConsultService CONSULTS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String text(Random r, int len) {
        StringBuilder sb = new StringBuilder(len);
        String[] words = {"patient", "reports", "mild", "pain", "since", "monday", "advised", "rest", "follow-up", "dose", "twice", "daily", "no", "fever"};
        while (sb.length() < len) sb.append(words[r.nextInt(words.length)]).append(' ');
        return sb.substring(0, len);
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val21.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - HOURS * HOUR;
        Random rnd = new Random(21_010_001);
        for (int c = 0; c < CLINICIANS; c++) {
            int[] grid = new int[96];
            for (int k = 0; k < grid.length; k++) grid[k] = rnd.nextInt(3);
            String npi = "NPI" + (1_000_000_000L + c * 7L);
            CLINICIANS_BY_NPI.put(npi, new Clinician(npi, "Dr. Clinician " + c, c % 5 == 0 ? "Dermatology" : "Family Medicine", grid));
        }
        for (int d = 0; d < DRUGS; d++) {
            double[] doses = new double[24];
            for (int k = 0; k < doses.length; k++) doses[k] = rnd.nextDouble() * 500;
            String ndc = String.format("%05d-%04d-%02d", d % 99_999, d % 9_999, d % 99);
            FORMULARY.put(ndc, new Drug(ndc, "Drug " + d, text(rnd, 300 + rnd.nextInt(300)), doses));
        }
        ConsultService svc = new ConsultService();
        CONSULTS = svc;
        for (int k = 0; k < CODECS; k++) svc.codecPool[k] = new Codec();
        int total = HOURS * CONSULTS_PER_HOUR;
        Random traffic = new Random(21_010_002);
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            String id = "CONS-" + (7_000_000 + i);
            VideoSession s = new VideoSession(id, "PAT-" + (100_000 + traffic.nextInt(900_000)), "NPI" + (1_000_000_000L + traffic.nextInt(CLINICIANS) * 7L), t, new byte[512]);
            SessionMeta meta = new SessionMeta(fixed ? null : s, id, new byte[1_500 + traffic.nextInt(1_000)]);
            for (int k = 0; k < meta.jitterMs.length; k++) meta.jitterMs[k] = traffic.nextDouble() * 40;
            meta.lastSampleAt = t + 60_000;
            svc.sessionMeta.put(s, meta);
            svc.activeSessions.put(id, s);
            svc.consults++;
            svc.sample(id, 800 + traffic.nextInt(2_000), traffic.nextInt(30), t);
            svc.sample(id, 800 + traffic.nextInt(2_000), traffic.nextInt(30), t + 30_000);
            svc.sample(id, 800 + traffic.nextInt(2_000), traffic.nextInt(30), t + 90_000);
            if (i >= LIVE) { // the consult opened LIVE consults ago has ended
                String endedId = "CONS-" + (7_000_000 + i - LIVE);
                VideoSession ended = svc.activeSessions.remove(endedId);
                svc.transcripts.put(endedId, new Transcript(endedId, text(traffic, 1_000 + traffic.nextInt(1_000)), t));
                check(ended != null, "ended session " + endedId);
                svc.closed++;
            }
        }
        int sizeAfterGc = 0;
        for (int attempt = 0; attempt < 10; attempt++) { System.gc(); Thread.sleep(50); sizeAfterGc = svc.sessionMeta.size(); if (sizeAfterGc == (fixed ? LIVE : total)) break; }
        int keysInUse = 0;
        for (VideoSession s : svc.sessionMeta.keySet()) if (svc.activeSessions.get(s.id) == s) keysInUse++;
        System.out.println((fixed ? "FIXED " : "") + "clinicians " + CLINICIANS_BY_NPI.size() + " drugs " + FORMULARY.size() + " consults " + svc.consults + " closed " + svc.closed + " active " + svc.activeSessions.size() + " sessionMeta entries " + sizeAfterGc + " (keys still in use " + keysInUse + ") transcripts " + svc.transcripts.size() + " (evicted " + svc.transcripts.evicted + ") quality samples written " + svc.qualityWritten);
        check(CLINICIANS_BY_NPI.size() == CLINICIANS && FORMULARY.size() == DRUGS, "reference data");
        check(svc.consults == total && svc.closed == total - LIVE && svc.activeSessions.size() == LIVE, "sessions");
        check(sizeAfterGc == (fixed ? LIVE : total) && keysInUse == LIVE, "sessionMeta: " + sizeAfterGc + " entries, " + keysInUse + " in use");
        check(svc.transcripts.size() == TRANSCRIPT_CAP && svc.transcripts.evicted == total - LIVE - TRANSCRIPT_CAP, "transcript cache at its cap");
        check(svc.qualityWritten == 3L * total && svc.qualityRing[RING - 1] != null, "quality ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
