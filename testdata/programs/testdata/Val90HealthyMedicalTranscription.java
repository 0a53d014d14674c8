// hprofscan-dump: name=val90-healthy-medicaltranscription jvm="-Xmx266m --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val90-healthy-medicaltranscription-parallel jvm="-Xmx266m -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 90 (written blind), HEALTHY: the dictation and transcription service of a
 * hospital group. Letter-template reference data, the clinician directory, a cache of rendered
 * letters at its cap, a ring of recent dictations, a pool of audio decode buffers, the audio
 * sessions of the dictation apps tracked with WeakReferences registered with a ReferenceQueue that
 * a reaper polls every minute (cleared references are freed and removed), and the spool files of
 * uploads in flight, kept in the service's own registry and deleted when the upload completes; one
 * JVM shutdown hook, registered once at startup, deletes whatever is still in that registry (no
 * per-upload hook, no File.deleteOnExit). See VALIDATION90.md.
 */
public final class Val90HealthyMedicalTranscription {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEMPLATES = 1_100, CLINICIANS = 26_000, LETTER_CAP = 2_000, POOL = 10, RING = 16_384, LIVE_SESSIONS = 30, SPOOLS_IN_FLIGHT = 8,
            DICTATIONS_PER_HOUR = 6_000, HOURS = 10;
    static final Path SPOOL_DIR = Path.of(System.getProperty("java.io.tmpdir"), "val90-dictation-spool-never-created");

    record LetterTemplate(String code, String specialty, double[] languageModelWeights) {}
    record Clinician(String clinicianId, String department, String name, byte[] signatureBlock, long joinedAt) {}
    record Letter(String key, byte[] rendered, long at) {}
    record Dictation(long dictationNo, String clinicianId, String templateCode, int seconds, long at) {}

    /** A dictation app's audio session (holds its codec's frame buffer). */
    static final class AudioSession {
        final String clinicianId; final long openedAt; final byte[] frameBuffer;
        AudioSession(String clinicianId, long openedAt, byte[] frameBuffer) { this.clinicianId = clinicianId; this.openedAt = openedAt; this.frameBuffer = frameBuffer; }
    }

    static final class CodecRef extends WeakReference<AudioSession> {
        final long codecHandle; final long openedAt;
        CodecRef(AudioSession s, long codecHandle, ReferenceQueue<? super AudioSession> q) { super(s, q); this.codecHandle = codecHandle; this.openedAt = s.openedAt; }
    }

    static final class CodecTracker {
        final ReferenceQueue<AudioSession> released = new ReferenceQueue<>();
        final LinkedList<CodecRef> tracked = new LinkedList<>();
        long registered, reaped, reaperRuns;
        void track(AudioSession s) { tracked.add(new CodecRef(s, 0x5a00_0000L + 8 * registered++, released)); }
        void reap() {
            reaperRuns++;
            Set<CodecRef> gone = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Reference<? extends AudioSession> r; (r = released.poll()) != null; ) gone.add((CodecRef) r); // codec handle freed here
            if (!gone.isEmpty()) { tracked.removeIf(gone::contains); reaped += gone.size(); }
        }
    }

    /** Spool files of uploads in flight; the single startup shutdown hook deletes what is left. */
    static final class SpoolRegistry {
        final LinkedHashMap<String, Path> inFlight = new LinkedHashMap<>();
        long created, deleted;
        void add(String uploadId) { inFlight.put(uploadId, SPOOL_DIR.resolve(uploadId + ".wav")); created++; }
        void complete(String uploadId) {
            Path p = inFlight.remove(uploadId);
            try { Files.deleteIfExists(p); } catch (IOException ignored) { /* logged in production */ }
            deleted++;
        }
        synchronized void deleteAllAtExit() {
            for (Path p : inFlight.values()) { try { Files.deleteIfExists(p); } catch (IOException ignored) { /* exiting */ } }
        }
    }

    static final class LetterCache extends LinkedHashMap<String, Letter> {
        long evicted;
        LetterCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Letter> e) { if (size() > LETTER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LetterTemplate> TEMPLATES_BY_CODE = new HashMap<>();

    static final class TranscriptionService {
        final Map<String, Clinician> clinicians = new HashMap<>();
        final LetterCache letters = new LetterCache();
        final Dictation[] recent = new Dictation[RING];
        long dictations;
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final CodecTracker codecs = new CodecTracker();
        final LinkedHashMap<Long, AudioSession> liveSessions = new LinkedHashMap<>();
        final SpoolRegistry spools = new SpoolRegistry();

        void record(String clinicianId, long at, Random r) {
            AudioSession s = new AudioSession(clinicianId, at, new byte[2_048 + r.nextInt(2_048)]);
            codecs.track(s);
            liveSessions.put(codecs.registered, s);
            if (liveSessions.size() > LIVE_SESSIONS) {
                Iterator<AudioSession> it = liveSessions.values().iterator();
                it.next();
                it.remove();
            }
        }
    }

    static TranscriptionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    @SuppressWarnings("deprecation")
    static void awaitEnqueued(CodecTracker t) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            System.gc();
            Thread.sleep(50);
            int pending = 0;
            for (CodecRef r : t.tracked) if (r.refersTo(null) && !r.isEnqueued()) pending++;
            if (pending == 0) return;
        }
        throw new IllegalStateException("cleared references not enqueued");
    }

    static int registeredHooks() throws Exception {
        Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
        Field f = c.getDeclaredField("hooks");
        f.setAccessible(true);
        Map<?, ?> hooks = (Map<?, ?>) f.get(null);
        synchronized (c) { return hooks.size(); }
    }

    public static void main(String[] args) throws Exception {
        int dictations = DICTATIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(90_060_001);
        String[] specialties = {"Cardiology", "Orthopaedics", "Radiology", "Oncology", "General surgery", "Neurology", "Paediatrics", "Dermatology"};
        String[] templateCodes = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) {
            double[] w = new double[80];
            for (int j = 0; j < w.length; j++) w[j] = rnd.nextGaussian();
            templateCodes[k] = "LTR-" + (4_000 + k);
            TEMPLATES_BY_CODE.put(templateCodes[k], new LetterTemplate(templateCodes[k], specialties[k % specialties.length], w));
        }
        TranscriptionService svc = new TranscriptionService();
        SERVICE = svc;
        SpoolRegistry spools = svc.spools;
        Runtime.getRuntime().addShutdownHook(new Thread(spools::deleteAllAtExit, "spool-registry-cleanup"));
        String[] clinicianIds = new String[CLINICIANS];
        for (int c = 0; c < CLINICIANS; c++) {
            clinicianIds[c] = "GMC" + (6_000_000 + c * 17);
            svc.clinicians.put(clinicianIds[c], new Clinician(clinicianIds[c], specialties[rnd.nextInt(specialties.length)], "Dr Clinician " + c, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        Random traffic = new Random(90_060_002);
        long nextReap = start + MINUTE;
        for (int i = 0; i < dictations; i++) {
            long t = start + (end - MINUTE - start) * i / dictations;
            while (nextReap <= t) { svc.codecs.reap(); nextReap += MINUTE; }
            String clinician = clinicianIds[traffic.nextInt(CLINICIANS)];
            String template = templateCodes[traffic.nextInt(TEMPLATES)];
            svc.record(clinician, t, traffic);
            String uploadId = "DCT-" + Long.toString(90_000_000_000L + i * 13L, 36).toUpperCase();
            spools.add(uploadId);
            if (spools.inFlight.size() > SPOOLS_IN_FLIGHT) spools.complete(spools.inFlight.keySet().iterator().next());
            svc.recent[(int) (svc.dictations++ % RING)] = new Dictation(30_000_000L + i, clinician, template, 20 + traffic.nextInt(600), t);
            String key = clinician + "/" + template;
            if (traffic.nextInt(3) == 0) key = "common/" + traffic.nextInt(1_500);
            if (svc.letters.get(key) == null) svc.letters.put(key, new Letter(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.audioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.audioBuffers.add(buf);
        }
        CodecTracker c = svc.codecs;
        awaitEnqueued(c);
        c.reap(); // the reaper's pass after the last closed sessions were collected
        awaitEnqueued(c);
        int hooks = registeredHooks();
        System.out.println("templates " + TEMPLATES_BY_CODE.size() + " clinicians " + svc.clinicians.size() + " dictations " + svc.dictations + " codec refs " + c.tracked.size()
                + " (registered " + c.registered + ", reaped " + c.reaped + " in " + c.reaperRuns + " reaper runs) live sessions " + svc.liveSessions.size()
                + " spools in flight " + spools.inFlight.size() + " (created " + spools.created + ", deleted " + spools.deleted + ") shutdown hooks " + hooks
                + " letters " + svc.letters.size() + " (evicted " + svc.letters.evicted + ") pool " + svc.audioBuffers.size());
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.clinicians.size() == CLINICIANS, "reference data / directory");
        check(svc.dictations == dictations && svc.recent[RING - 1] != null, "dictation ring");
        check(c.registered == dictations && c.tracked.size() == LIVE_SESSIONS && c.reaped == dictations - LIVE_SESSIONS && svc.liveSessions.size() == LIVE_SESSIONS, "codec tracker reaped: " + c.tracked.size());
        check(spools.inFlight.size() == SPOOLS_IN_FLIGHT && spools.deleted == dictations - SPOOLS_IN_FLIGHT && hooks == 1, "spool registry / one startup hook: " + hooks);
        check(svc.letters.size() == LETTER_CAP && svc.letters.evicted > 0, "letter cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
