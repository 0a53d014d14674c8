// hprofscan-dump: name=val10-leak-musicstream jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val10-leak-musicstream-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 10 (written blind), LEAK (small): a music streaming session service after 8
 * simulated hours. The leak: every player session registers a listener (an inner class, so it
 * keeps its session) on the shared playback event bus when it opens; {@code close()} removes the
 * session from the session manager but never unregisters the listener. 3,000 of the 3,200
 * sessions opened are closed, their listeners (and sessions, with their play queues) stay on the
 * bus. 200 sessions are still open and 6 service-wide listeners are legitimately registered.
 * Beside it, much bigger: the track catalog loaded at startup, the artist directory, an audio chunk
 * LRU at capacity, a ring of the last 16,384 play events and a fixed pool of 4 streaming threads
 * with a 64 KiB decode buffer each. See testdata/VALIDATION10.md.
 */
public final class Val10LeakMusicStream {
    static final int TRACKS = 60_000;
    static final int ARTISTS = 8_000;
    static final int CHUNK_CACHE_CAP = 1_500;
    static final int CHUNK_BYTES = 8 * 1024;
    static final int PLAY_RING = 16_384;
    static final int STREAMERS = 4;
    static final int SESSIONS = 3_200;
    static final int OPEN_AT_DUMP = 200;
    static final int SERVICE_LISTENERS = 6;
    static final int QUEUE_LEN = 64;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 8 * HOUR;

    static StreamingService RUNNING;

    static final class Track {
        final long trackId; final String title; final long artistId; final String isrc; final int durationMs; final String codec; final long releasedAt;
        Track(long trackId, String title, long artistId, String isrc, int durationMs, String codec, long releasedAt) { this.trackId = trackId; this.title = title; this.artistId = artistId; this.isrc = isrc; this.durationMs = durationMs; this.codec = codec; this.releasedAt = releasedAt; }
    }

    /** Reference data: the licensed track catalog of the region, loaded at startup. */
    static final class TrackCatalog {
        static final Map<Long, Track> BY_ID = new HashMap<>();
    }

    static final class Artist {
        final long artistId; final String name; final String country; final String[] genres; final long signedAt;
        Artist(long artistId, String name, String country, String[] genres, long signedAt) { this.artistId = artistId; this.name = name; this.country = country; this.genres = genres; this.signedAt = signedAt; }
    }

    static final class ArtistDirectory {
        final Map<Long, Artist> artists = new ConcurrentHashMap<>();
    }

    static final class AudioChunk {
        final String chunkKey; final byte[] data; final long fetchedAt;
        AudioChunk(String chunkKey, byte[] data, long fetchedAt) { this.chunkKey = chunkKey; this.data = data; this.fetchedAt = fetchedAt; }
    }

    /** Hot audio chunks fetched from the origin store, least recently used evicted. */
    static final class AudioChunkCache extends LinkedHashMap<String, AudioChunk> {
        final int maxChunks;
        long evictions;
        AudioChunkCache(int maxChunks) { super(2048, 0.75f, true); this.maxChunks = maxChunks; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AudioChunk> e) {
            if (size() > maxChunks) { evictions++; return true; }
            return false;
        }
    }

    /** One play event; the ring's slots are allocated once and overwritten. */
    static final class PlayEvent {
        long sessionId; long trackId; long userId; long startedAt; int playedMs; String deviceType;
    }

    static final class PlayEventRing {
        final PlayEvent[] slots = new PlayEvent[PLAY_RING];
        long written;
        PlayEventRing() { for (int i = 0; i < PLAY_RING; i++) slots[i] = new PlayEvent(); }
        void append(long session, long track, long user, long t, int ms, String device) {
            PlayEvent e = slots[(int) (written++ % PLAY_RING)];
            e.sessionId = session; e.trackId = track; e.userId = user; e.startedAt = t; e.playedMs = ms; e.deviceType = device;
        }
    }

    interface PlaybackListener {
        void onEvent(String type, long trackId, long at);
    }

    /** Bus of playback events (track changes, catalog takedowns, bitrate changes). */
    static final class PlaybackEventBus {
        final List<PlaybackListener> listeners = new CopyOnWriteArrayList<>();
        void register(PlaybackListener l) { listeners.add(l); }
        void unregister(PlaybackListener l) { listeners.remove(l); }
        void publish(String type, long trackId, long at) { for (PlaybackListener l : listeners) l.onEvent(type, trackId, at); }
    }

    /** Service-wide listener: royalty counting, recommendations, metrics ... */
    static final class CountingListener implements PlaybackListener {
        final String name; long events; long lastEventAt;
        CountingListener(String name) { this.name = name; }
        @Override public void onEvent(String type, long trackId, long at) { events++; lastEventAt = at; }
    }

    /** A listener's device session: the play queue and the position. */
    static final class PlayerSession {
        final long sessionId; final long userId; final String deviceId; final String deviceType; final long[] queue = new long[QUEUE_LEN]; final long openedAt;
        int position; long lastEventAt; long closedAt; boolean closed;
        final SessionListener listener = new SessionListener();
        PlayerSession(long sessionId, long userId, String deviceId, String deviceType, long openedAt) { this.sessionId = sessionId; this.userId = userId; this.deviceId = deviceId; this.deviceType = deviceType; this.openedAt = openedAt; }

        /** Takedowns remove the track from this session's queue. */
        final class SessionListener implements PlaybackListener {
            long eventsSeen;
            @Override public void onEvent(String type, long trackId, long at) {
                eventsSeen++;
                lastEventAt = at;
                if (type.equals("TAKEDOWN")) for (int i = 0; i < queue.length; i++) if (queue[i] == trackId) queue[i] = 0;
            }
        }
    }

    static final class SessionManager {
        final Map<Long, PlayerSession> active = new ConcurrentHashMap<>();
        final PlaybackEventBus bus;
        long opened; long closedCount;
        SessionManager(PlaybackEventBus bus) { this.bus = bus; }
        PlayerSession open(long id, long user, String device, String type, long t) {
            PlayerSession s = new PlayerSession(id, user, device, type, t);
            active.put(id, s);
            bus.register(s.listener);
            opened++;
            return s;
        }
        /** THE LEAK: the session is forgotten here but its listener stays on the bus (unless fixed). */
        void close(PlayerSession s, long t, boolean fixed) {
            s.closed = true; s.closedAt = t;
            active.remove(s.sessionId);
            if (fixed) bus.unregister(s.listener);
            closedCount++;
        }
    }

    static final class StreamingService {
        final ArtistDirectory artists = new ArtistDirectory();
        final AudioChunkCache chunks = new AudioChunkCache(CHUNK_CACHE_CAP);
        final PlayEventRing plays = new PlayEventRing();
        final PlaybackEventBus bus = new PlaybackEventBus();
        final SessionManager sessions = new SessionManager(bus);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor streamers = new ThreadPoolExecutor(STREAMERS, STREAMERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "stream-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread decode buffer of the streaming pool. */
        static final ThreadLocal<byte[]> DECODE_BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val10.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(10_010_001);
        StreamingService svc = new StreamingService();
        RUNNING = svc;
        for (int i = 0; i < 80; i++) svc.config.setProperty("stream.bitrate.profile." + i, Integer.toString(96 + i * 4) + "kbps");
        String[] countries = {"SE", "DE", "US", "BR", "JP", "FR", "GB", "MX"};
        String[] genres = {"pop", "rock", "jazz", "hip-hop", "classical", "electronic", "folk", "metal"};
        for (int i = 0; i < ARTISTS; i++) {
            long id = 700_000L + i;
            svc.artists.artists.put(id, new Artist(id, "Artist " + i, countries[i % countries.length], new String[] {genres[i % 8], genres[(i / 8) % 8]}, now - DAY * rnd.nextInt(5000)));
        }
        String[] codecs = {"ogg-vorbis", "aac", "flac"};
        for (int i = 0; i < TRACKS; i++) {
            long id = 40_000_000L + i;
            TrackCatalog.BY_ID.put(id, new Track(id, "Track title number " + i, 700_000L + i % ARTISTS, String.format("SE%s%07d", Integer.toString(10 + i % 26, 36).toUpperCase(), i),
                    120_000 + rnd.nextInt(240_000), codecs[i % 3], now - DAY * rnd.nextInt(9000)));
        }
        for (int i = 0; i < SERVICE_LISTENERS; i++) svc.bus.register(new CountingListener(new String[] {"royalties", "recommendations", "metrics", "scrobbler", "charts", "fraud"}[i]));
        CyclicBarrier warm = new CyclicBarrier(STREAMERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < STREAMERS; w++) fs.add(svc.streamers.submit(() -> { StreamingService.DECODE_BUFFER.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 8 hours: sessions open, play a few tracks each, and close; the last 200 opened are still open.
        String[] deviceTypes = {"ios", "android", "web", "desktop", "car", "speaker"};
        List<PlayerSession> open = new ArrayList<>();
        long plays = 0;
        for (int i = 0; i < SESSIONS; i++) {
            long t = start + SIM_MILLIS * i / SESSIONS;
            long user = 90_000_000L + rnd.nextInt(3_000_000);
            PlayerSession s = svc.sessions.open(5_000_000L + i, user, "dev-" + Long.toHexString(user * 31 + i), deviceTypes[i % deviceTypes.length], t);
            for (int k = 0; k < QUEUE_LEN; k++) s.queue[k] = 40_000_000L + rnd.nextInt(TRACKS);
            int n = 3 + rnd.nextInt(6);
            for (int k = 0; k < n; k++) {
                long track = s.queue[k];
                long at = t + k * 3 * MINUTE;
                String ck = track + "#" + rnd.nextInt(4);
                if (svc.chunks.get(ck) == null) svc.chunks.put(ck, new AudioChunk(ck, new byte[CHUNK_BYTES], at));
                svc.plays.append(s.sessionId, track, user, at, 30_000 + rnd.nextInt(200_000), s.deviceType);
                plays++;
            }
            if (i % 40 == 0) svc.bus.publish("TAKEDOWN", 40_000_000L + rnd.nextInt(TRACKS), t);
            open.add(s);
            if (open.size() > OPEN_AT_DUMP) {
                PlayerSession done = open.remove(0);
                svc.sessions.close(done, t, fixed);
            }
        }
        int sessionListeners = 0, serviceListeners = 0, closedListeners = 0;
        for (PlaybackListener l : svc.bus.listeners) {
            if (l instanceof PlayerSession.SessionListener) {
                sessionListeners++;
                for (PlayerSession s : open) if (s.listener == l) { closedListeners--; break; }
                closedListeners++;
            } else serviceListeners++;
        }
        int leaked = fixed ? 0 : SESSIONS - OPEN_AT_DUMP;
        System.out.println("tracks " + TrackCatalog.BY_ID.size() + " artists " + svc.artists.artists.size() + " chunks " + svc.chunks.size() + " (evictions " + svc.chunks.evictions
                + ") plays " + plays + " active sessions " + svc.sessions.active.size() + " listeners " + svc.bus.listeners.size() + " (session " + sessionListeners
                + ", of closed sessions " + closedListeners + ", service " + serviceListeners + ")");
        check(TrackCatalog.BY_ID.size() == TRACKS && svc.artists.artists.size() == ARTISTS, "reference data");
        check(svc.chunks.size() == CHUNK_CACHE_CAP && svc.plays.written == plays && plays > PLAY_RING, "chunk cache / ring");
        check(svc.sessions.active.size() == OPEN_AT_DUMP && svc.sessions.opened == SESSIONS && svc.sessions.closedCount == SESSIONS - OPEN_AT_DUMP, "sessions");
        check(serviceListeners == SERVICE_LISTENERS && closedListeners == leaked && sessionListeners == leaked + OPEN_AT_DUMP
                && svc.bus.listeners.size() == SERVICE_LISTENERS + OPEN_AT_DUMP + leaked, "listeners");
        check(svc.streamers.getPoolSize() == STREAMERS, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
