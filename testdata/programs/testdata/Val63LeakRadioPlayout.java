// hprofscan-dump: name=val63-leak-radioplayout jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val63-leak-radioplayout-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 63 (written blind), LEAK: the playout service of a regional radio network. Station
 * reference data, the track directory, a cache of rendered waveforms at its cap, a ring of as-run log
 * entries, and a pool of audio frame buffers. The pool has a debugging aid, left switched on in
 * production, to find unreleased buffers: every acquire records a LeaseTrace with a Throwable (its
 * stack trace) in a map keyed by lease id. release() removes the record by the buffer instead of the
 * lease id (Map.remove(Object) compiles), so no record is ever dropped: the map keeps one trace per
 * acquire since start. See VALIDATION63.md.
 */
public final class Val63LeakRadioPlayout {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_000, TRACKS = 25_000, WAVEFORM_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SEGMENTS_PER_HOUR = 1_200, HELD_AT_DUMP = 3;
    static boolean FIXED;

    record Station(String callSign, String market, double[] loudnessProfile) {}
    record Track(String isrc, String title, String artist, byte[] cueSheet, long addedAt) {}
    record Waveform(String key, byte[] rendered, long at) {}
    record AsRun(String callSign, String isrc, long at) {}
    record Lease(long id, byte[] buffer) {}
    record LeaseTrace(long leaseId, String purpose, long at, Throwable acquiredAt) {}

    static final class FramePool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final Map<Long, LeaseTrace> outstanding = new HashMap<>(); // debugging aid: who holds a buffer
        long leases, releases, allocated;
        FramePool(int n) { for (int i = 0; i < n; i++) { free.add(new byte[65_536]); allocated++; } }
        Lease acquire(String purpose, long at) {
            byte[] b = free.poll();
            if (b == null) { b = new byte[65_536]; allocated++; }
            long id = 1_000_000L + leases++;
            outstanding.put(id, new LeaseTrace(id, purpose, at, new Throwable("frame buffer acquired")));
            return new Lease(id, b);
        }
        void release(Lease l) {
            releases++;
            free.add(l.buffer());
            if (FIXED) outstanding.remove(l.id()); // the fix
            else outstanding.remove(l.buffer()); // BUG: wrong key, never matches
        }
    }

    static final class WaveformCache extends LinkedHashMap<String, Waveform> {
        long evicted;
        WaveformCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Waveform> e) { if (size() > WAVEFORM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CALL_SIGN = new HashMap<>();

    static final class PlayoutService {
        final Map<String, Track> tracks = new HashMap<>();
        final WaveformCache waveforms = new WaveformCache();
        final FramePool frames = new FramePool(POOL);
        final AsRun[] asRun = new AsRun[RING];
        long played;
        final ArrayDeque<Lease> held = new ArrayDeque<>();

        /** Decodes a segment; the last few segments' buffers are still held by the encoder at the dump. */
        void playSegment(Track track, String callSign, long at, boolean last) {
            Lease l = decoder(track, at);
            l.buffer()[(int) (l.id() % 65_536)] = (byte) at;
            asRun[(int) (played++ % RING)] = new AsRun(callSign, track.isrc(), at);
            held.addLast(l);
            while (held.size() > (last ? HELD_AT_DUMP : 0)) frames.release(held.removeFirst());
        }
        Lease decoder(Track track, long at) { return readFrame(track.isrc().endsWith("0") ? "jingle-decode" : "music-decode", at); }
        Lease readFrame(String purpose, long at) { return frames.acquire(purpose, at); }
    }

    static PlayoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val63.fixed");
        int segments = SEGMENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(63_040_001);
        String[] callSigns = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] profile = new double[96];
            for (int k = 0; k < profile.length; k++) profile[k] = -30 + rnd.nextDouble() * 20;
            callSigns[s] = "W" + (char) ('A' + s / 676 % 26) + (char) ('A' + s / 26 % 26) + (char) ('A' + s % 26) + "-" + (s % 10);
            STATIONS_BY_CALL_SIGN.put(callSigns[s], new Station(callSigns[s], "Market " + (s % 210), profile));
        }
        PlayoutService svc = new PlayoutService();
        SERVICE = svc;
        Track[] trackList = new Track[TRACKS];
        for (int t = 0; t < TRACKS; t++) {
            String isrc = "GBAYE" + (2_000_000 + t * 3);
            trackList[t] = new Track(isrc, "Song " + t, "Artist " + (t % 4_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR);
            svc.tracks.put(isrc, trackList[t]);
        }
        Random traffic = new Random(63_040_002);
        for (int i = 0; i < segments; i++) {
            long t = start + (end - MINUTE - start) * i / segments;
            svc.playSegment(trackList[traffic.nextInt(TRACKS)], callSigns[traffic.nextInt(STATIONS)], t, i >= segments - HELD_AT_DUMP);
            String key = "wave-" + traffic.nextInt(5_000);
            if (svc.waveforms.get(key) == null) svc.waveforms.put(key, new Waveform(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 2 == 0) svc.asRun[(int) (svc.played++ % RING)] = new AsRun(callSigns[traffic.nextInt(STATIONS)], "AD-" + traffic.nextInt(900), t);
        }
        FramePool f = svc.frames;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CALL_SIGN.size() + " tracks " + svc.tracks.size() + " leases " + f.leases + " releases " + f.releases + " outstanding records " + f.outstanding.size()
                + " held " + svc.held.size() + " free " + f.free.size() + " allocated " + f.allocated + " waveforms " + svc.waveforms.size() + " (evicted " + svc.waveforms.evicted + ") as-run " + svc.played);
        check(STATIONS_BY_CALL_SIGN.size() == STATIONS && svc.tracks.size() == TRACKS, "reference data / directory");
        check(f.leases == segments && f.releases == segments - HELD_AT_DUMP && svc.held.size() == HELD_AT_DUMP && f.allocated == POOL && f.free.size() == POOL - HELD_AT_DUMP, "pool traffic");
        if (FIXED) check(f.outstanding.size() == HELD_AT_DUMP, "fixed: only held leases tracked");
        else check(f.outstanding.size() == segments, "a trace per acquire: " + f.outstanding.size());
        check(svc.waveforms.size() == WAVEFORM_CAP && svc.waveforms.evicted > 0, "waveform cache at cap");
        check(svc.played == segments + segments / 2 && svc.asRun[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
