// hprofscan-dump: name=val90-leak-dentalimaging jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val90-leak-dentalimaging-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
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
 * Validation set 90 (written blind), LEAK: the image service of a dental radiography network
 * (intra-oral x-rays and panoramic scans viewed from the clinics' chair-side viewers). Imaging
 * protocol reference data, the patient directory, a cache of rendered thumbnails at its cap, a
 * pool of decode buffers, a ring of recent studies, the decoder sessions in flight, and a
 * native-handle tracker: every DecoderSession (it owns a native JPEG-2000 decoder handle) is
 * registered as a WeakReference subclass with a ReferenceQueue so that a reaper can free the handle
 * once the viewer has dropped the session. The reaper (poll the queue, free the handle, remove the
 * reference from the tracked list) is never scheduled, so the list keeps one cleared reference per
 * session ever opened, and the queue itself holds all of them, never polled. See VALIDATION90.md.
 */
public final class Val90LeakDentalImaging {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PROTOCOLS = 1_000, PATIENTS = 22_000, THUMB_CAP = 2_000, POOL = 8, RING = 8_192, IN_FLIGHT = 40,
            SESSIONS_PER_HOUR = 7_000, HOURS = 8;
    static boolean FIXED;

    record Protocol(String code, String modality, double[] exposureTable) {}
    record Patient(String chartNo, String clinicCode, String name, byte[] historySummary, long registeredAt) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record Study(String studyId, String chartNo, String protocolCode, long at) {}

    /** A viewer's decoding session; owns a (simulated) native decoder handle. */
    static final class DecoderSession {
        final String studyId; final long nativeHandle; final long openedAt; final byte[] tileIndex;
        DecoderSession(String studyId, long nativeHandle, long openedAt, byte[] tileIndex) { this.studyId = studyId; this.nativeHandle = nativeHandle; this.openedAt = openedAt; this.tileIndex = tileIndex; }
    }

    /** Weak reference to a session, carrying what is needed to free its native handle. */
    static final class NativeDecoderRef extends WeakReference<DecoderSession> {
        final long nativeHandle; final long openedAt; final String label;
        NativeDecoderRef(DecoderSession s, ReferenceQueue<? super DecoderSession> q) {
            super(s, q);
            nativeHandle = s.nativeHandle; openedAt = s.openedAt; label = "jp2k-decoder-" + Long.toHexString(s.nativeHandle);
        }
    }

    static final class HandleTracker {
        final ReferenceQueue<DecoderSession> released = new ReferenceQueue<>();
        final LinkedList<NativeDecoderRef> tracked = new LinkedList<>();
        long registered, reaped, reaperRuns;
        void track(DecoderSession s) { tracked.add(new NativeDecoderRef(s, released)); registered++; }
        /** The reaper: frees the handles of collected sessions and forgets their references. */
        void reap() {
            reaperRuns++;
            Set<NativeDecoderRef> gone = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Reference<? extends DecoderSession> r; (r = released.poll()) != null; ) gone.add((NativeDecoderRef) r); // a native free() per handle
            if (!gone.isEmpty()) { tracked.removeIf(gone::contains); reaped += gone.size(); }
        }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Protocol> PROTOCOLS_BY_CODE = new HashMap<>();

    static final class ImageService {
        final Map<String, Patient> patients = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Study[] recentStudies = new Study[RING];
        long studies;
        final LinkedHashMap<String, DecoderSession> openSessions = new LinkedHashMap<>();
        final HandleTracker handles = new HandleTracker();
        /** Config: imaging.reaper.enabled, false by default since the config migration (the bug). */
        boolean reaperEnabled;
        long nextHandle = 0x7f3a_0000_0000L;

        /** Opens a decoder session for a study; the oldest in-flight session is handed back to the viewer and dropped. */
        void open(Study st, Random r) {
            DecoderSession s = new DecoderSession(st.studyId(), nextHandle, st.at(), new byte[2_048 + r.nextInt(2_048)]);
            nextHandle += 16;
            handles.track(s);
            openSessions.put(st.studyId(), s);
            if (openSessions.size() > IN_FLIGHT) {
                Iterator<DecoderSession> it = openSessions.values().iterator();
                it.next();
                it.remove();
            }
        }
    }

    static ImageService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Waits (after a GC) until the reference handler has enqueued every cleared reference. */
    @SuppressWarnings("deprecation")
    static int awaitEnqueued(HandleTracker h) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            System.gc();
            Thread.sleep(50);
            int cleared = 0, pending = 0;
            for (NativeDecoderRef r : h.tracked) {
                if (r.refersTo(null)) { cleared++; if (!r.isEnqueued()) pending++; }
            }
            if (pending == 0) return cleared;
        }
        throw new IllegalStateException("cleared references not enqueued");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val90.fixed");
        int sessions = SESSIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(90_020_001);
        String[] modalities = {"Bitewing", "Periapical", "Panoramic", "Cephalometric", "CBCT scout"};
        String[] protocolCodes = new String[PROTOCOLS];
        for (int p = 0; p < PROTOCOLS; p++) {
            double[] table = new double[64];
            for (int k = 0; k < table.length; k++) table[k] = 0.02 + rnd.nextDouble() * 0.4;
            protocolCodes[p] = "DXP-" + (2_000 + p);
            PROTOCOLS_BY_CODE.put(protocolCodes[p], new Protocol(protocolCodes[p], modalities[p % modalities.length], table));
        }
        ImageService svc = new ImageService();
        SERVICE = svc;
        svc.reaperEnabled = FIXED; // the fix: the reaper job runs every minute
        String[] charts = new String[PATIENTS];
        for (int p = 0; p < PATIENTS; p++) {
            charts[p] = "CH" + (5_000_000 + p * 11);
            svc.patients.put(charts[p], new Patient(charts[p], "CLN-" + (100 + rnd.nextInt(140)), "Patient " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(90_020_002);
        long nextReap = start + MINUTE;
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (nextReap <= t) { if (svc.reaperEnabled) svc.handles.reap(); nextReap += MINUTE; }
            Study st = new Study("ST" + (60_000_000L + i), charts[traffic.nextInt(PATIENTS)], protocolCodes[traffic.nextInt(PROTOCOLS)], t);
            svc.recentStudies[(int) (svc.studies++ % RING)] = st;
            svc.open(st, traffic);
            String key = "thumb-" + traffic.nextInt(4_500);
            if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        HandleTracker h = svc.handles;
        int cleared = awaitEnqueued(h);
        if (svc.reaperEnabled) { h.reap(); cleared = awaitEnqueued(h); } // the reaper's pass after the last sessions were collected
        System.out.println((FIXED ? "FIXED " : "") + "protocols " + PROTOCOLS_BY_CODE.size() + " patients " + svc.patients.size() + " studies " + svc.studies + " open sessions " + svc.openSessions.size()
                + " tracked refs " + h.tracked.size() + " (cleared " + cleared + ", registered " + h.registered + ", reaped " + h.reaped + " in " + h.reaperRuns + " reaper runs)"
                + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.decodeBuffers.size());
        check(PROTOCOLS_BY_CODE.size() == PROTOCOLS && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.studies == sessions && h.registered == sessions && svc.openSessions.size() == IN_FLIGHT, "sessions");
        if (FIXED) check(h.tracked.size() == IN_FLIGHT && cleared == 0 && h.reaped == sessions - IN_FLIGHT, "reaped tracker: " + h.tracked.size());
        else check(h.tracked.size() == sessions && cleared == sessions - IN_FLIGHT && h.reaped == 0, "tracker keeps every reference: " + h.tracked.size());
        for (DecoderSession s : svc.openSessions.values()) findRef(h, s); // every in-flight session is still tracked, uncleared
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.recentStudies[RING - 1] != null, "study ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static NativeDecoderRef findRef(HandleTracker h, DecoderSession s) {
        for (Iterator<NativeDecoderRef> it = h.tracked.descendingIterator(); it.hasNext(); ) {
            NativeDecoderRef r = it.next();
            if (r.refersTo(s)) return r;
        }
        throw new IllegalStateException("no reference for an in-flight session");
    }
}
