// hprofscan-dump: name=val8-healthy-videoedge jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val8-healthy-videoedge-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 8 (written blind), HEALTHY: a streaming-video edge server that has run for 6
 * simulated hours. It holds the title catalog loaded at startup, a hand-written LRU of video
 * segments at its capacity (a HashMap plus a doubly linked list), the live playback sessions keyed
 * by random session tokens (expired after 90 s without a heartbeat), the resume points of 30,000
 * profiles (some untouched for months: users come back), a preallocated ring of QoE events and a
 * 512 KB packaging scratch buffer on each of the 4 packager threads. See testdata/VALIDATION8.md.
 */
public final class Val8HealthyVideoEdge {
    static final int TITLES = 12_000;
    static final int RENDITIONS = 6;
    static final int SEGMENT_CAP = 2_400;
    static final int PROFILES = 30_000;
    static final int QOE_SLOTS = 16_384;
    static final int PACKAGERS = 4;
    static final int PLAYBACKS = 60_000;
    static final long SESSION_IDLE_MILLIS = 90_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 6 * HOUR;

    static EdgeServer RUNNING;

    static final class Rendition {
        final String codec; final int width; final int height; final int bitrateKbps; final String manifestPath;
        Rendition(String codec, int width, int height, int bitrateKbps, String manifestPath) { this.codec = codec; this.width = width; this.height = height; this.bitrateKbps = bitrateKbps; this.manifestPath = manifestPath; }
    }

    static final class Title {
        final String titleId; final String name; final int durationSeconds; final String[] audioLanguages; final String[] subtitleLanguages; final Rendition[] renditions; final String maturityRating; final long publishedAt;
        Title(String titleId, String name, int durationSeconds, String[] audioLanguages, String[] subtitleLanguages, Rendition[] renditions, String maturityRating, long publishedAt) {
            this.titleId = titleId; this.name = name; this.durationSeconds = durationSeconds; this.audioLanguages = audioLanguages; this.subtitleLanguages = subtitleLanguages; this.renditions = renditions; this.maturityRating = maturityRating; this.publishedAt = publishedAt;
        }
    }

    /** Reference data: the catalog this edge serves, loaded at startup from the origin. */
    static final class TitleCatalog {
        static final Map<String, Title> BY_ID = new HashMap<>(TITLES * 2);
    }

    static final class SegmentNode {
        final String key; final byte[] data; final long fetchedAt; SegmentNode prev; SegmentNode next;
        SegmentNode(String key, byte[] data, long fetchedAt) { this.key = key; this.data = data; this.fetchedAt = fetchedAt; }
    }

    /** The 2,400 most recently requested segments (LRU: a map plus a doubly linked list). */
    static final class SegmentCache {
        final int capacity = SEGMENT_CAP;
        final Map<String, SegmentNode> index = new HashMap<>(SEGMENT_CAP * 2);
        SegmentNode head; SegmentNode tail;
        long hits; long misses; long evictions;
        byte[] get(String key) {
            SegmentNode n = index.get(key);
            if (n == null) { misses++; return null; }
            hits++; unlink(n); linkFirst(n); return n.data;
        }
        void put(String key, byte[] data, long now) {
            SegmentNode n = new SegmentNode(key, data, now);
            index.put(key, n); linkFirst(n);
            if (index.size() > capacity) { SegmentNode old = tail; unlink(old); index.remove(old.key); evictions++; }
        }
        private void unlink(SegmentNode n) {
            if (n.prev != null) n.prev.next = n.next; else head = n.next;
            if (n.next != null) n.next.prev = n.prev; else tail = n.prev;
            n.prev = null; n.next = null;
        }
        private void linkFirst(SegmentNode n) { n.next = head; if (head != null) head.prev = n; head = n; if (tail == null) tail = n; }
    }

    static final class PlaybackSession {
        final String token; final long profileId; final String titleId; final String deviceType; final long startedAt; long lastHeartbeatAt; int rendition; long bytesServed;
        PlaybackSession(String token, long profileId, String titleId, String deviceType, long startedAt) { this.token = token; this.profileId = profileId; this.titleId = titleId; this.deviceType = deviceType; this.startedAt = startedAt; this.lastHeartbeatAt = startedAt; }
    }

    /** Live playbacks; the sweeper drops a session 90 s after its last heartbeat. */
    static final class SessionRegistry {
        final Map<String, PlaybackSession> byToken = new ConcurrentHashMap<>();
        long expired;
        void sweep(long now) {
            for (Iterator<PlaybackSession> it = byToken.values().iterator(); it.hasNext(); ) if (now - it.next().lastHeartbeatAt > SESSION_IDLE_MILLIS) { it.remove(); expired++; }
        }
    }

    static final class ResumePoint {
        final long profileId; String titleId; int positionSeconds; long updatedAt;
        ResumePoint(long profileId) { this.profileId = profileId; }
    }

    /** "Continue watching": one resume point per profile of this region, loaded at startup and updated in place. */
    static final class ResumePointStore {
        final Map<Long, ResumePoint> byProfile = new HashMap<>(PROFILES * 2);
    }

    static final class QoeEvent { long sessionStartedAt; long profileId; int bitrateKbps; int rebufferMillis; int droppedFrames; long at; }

    /** The last 16,384 QoE beacons for the analytics shipper; preallocated, overwritten. */
    static final class QoeRing {
        final QoeEvent[] slots = new QoeEvent[QOE_SLOTS];
        long written;
        QoeRing() { for (int i = 0; i < slots.length; i++) slots[i] = new QoeEvent(); }
        QoeEvent next() { return slots[(int) (written++ % QOE_SLOTS)]; }
    }

    static final class Packager {
        /** A 512 KB scratch buffer per packager thread for CMAF muxing. */
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512 * 1024]);
    }

    static final class EdgeServer {
        final SegmentCache segments = new SegmentCache();
        final SessionRegistry sessions = new SessionRegistry();
        final ResumePointStore resume = new ResumePointStore();
        final QoeRing qoe = new QoeRing();
        final ThreadPoolExecutor packagers = new ThreadPoolExecutor(PACKAGERS, PACKAGERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new java.util.concurrent.ThreadFactory() {
            final AtomicInteger n = new AtomicInteger();
            @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, "packager-" + n.incrementAndGet()); t.setDaemon(true); return t; }
        });
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(8_050_001);
        EdgeServer edge = new EdgeServer();
        RUNNING = edge;
        for (int i = 0; i < 60; i++) edge.config.setProperty("edge.origin." + i + ".weight", Integer.toString(1 + i % 9));
        String[] langs = {"en", "de", "fr", "es", "it", "pt", "pl", "nl", "sv", "ja", "ko", "tr"};
        String[] ratings = {"G", "PG", "PG-13", "R", "TV-MA"};
        String[] titleIds = new String[TITLES];
        int[][] res = {{3840, 2160, 16_000}, {1920, 1080, 6_000}, {1280, 720, 3_000}, {960, 540, 1_800}, {640, 360, 800}, {480, 270, 400}};
        for (int i = 0; i < TITLES; i++) {
            titleIds[i] = String.format("tt%07d", 1_000_000 + i * 17);
            Rendition[] rs = new Rendition[RENDITIONS];
            for (int r = 0; r < RENDITIONS; r++) rs[r] = new Rendition(r < 2 ? "hvc1.2.4.L153" : "avc1.640028", res[r][0], res[r][1], res[r][2], "/vod/" + titleIds[i] + "/" + res[r][1] + "p/index.m3u8");
            String[] audio = new String[1 + i % 5], subs = new String[2 + i % 10];
            for (int a = 0; a < audio.length; a++) audio[a] = langs[(i + a) % langs.length];
            for (int s = 0; s < subs.length; s++) subs[s] = langs[(i + s * 5) % langs.length];
            TitleCatalog.BY_ID.put(titleIds[i], new Title(titleIds[i], "Title number " + i + " (" + (1990 + i % 35) + ")", 1_200 + rnd.nextInt(8_000), audio, subs, rs, ratings[i % ratings.length], start - DAY * (1 + i % 3_000)));
        }
        for (int p = 0; p < PROFILES; p++) {
            ResumePoint rp = new ResumePoint(40_000_000L + p);
            rp.titleId = titleIds[rnd.nextInt(TITLES)]; rp.positionSeconds = rnd.nextInt(5_000); rp.updatedAt = start - DAY * rnd.nextInt(180) - rnd.nextInt(86_400_000);
            edge.resume.byProfile.put(rp.profileId, rp);
        }
        // One scratch buffer on each packager thread (all four run at once).
        CyclicBarrier warm = new CyclicBarrier(PACKAGERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < PACKAGERS; w++) fs.add(edge.packagers.submit(() -> { Packager.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] devices = {"tv", "mobile", "tablet", "web", "console"};
        List<PlaybackSession> active = new ArrayList<>();
        for (int i = 0; i < PLAYBACKS; i++) {
            long t = start + SIM_MILLIS * i / PLAYBACKS;
            long profile = 40_000_000L + rnd.nextInt(PROFILES);
            String titleId = titleIds[(int) Math.min(TITLES - 1, Math.abs(rnd.nextGaussian()) * 1_500)];
            PlaybackSession s = new PlaybackSession(new UUID(rnd.nextLong(), rnd.nextLong()).toString(), profile, titleId, devices[rnd.nextInt(devices.length)], t);
            edge.sessions.byToken.put(s.token, s);
            active.add(s);
            // Heartbeats of the sessions still watching (batched every 10 playbacks): a session watches for 2 to 60 minutes.
            if (i % 10 == 0) for (Iterator<PlaybackSession> it = active.iterator(); it.hasNext(); ) {
                PlaybackSession a = it.next();
                if (t - a.startedAt > 120_000L + (a.token.hashCode() & 0x7fffffff) % 3_480_000L) { it.remove(); continue; }
                a.lastHeartbeatAt = t;
            }
            for (int k = 0; k < 3; k++) {
                int seg = rnd.nextInt(400), rend = 1 + rnd.nextInt(4);
                String key = titleId + "/" + rend + "/" + seg;
                if (edge.segments.get(key) == null) { edge.segments.put(key, new byte[4_096 + rnd.nextInt(4_096)], t); }
                QoeEvent q = edge.qoe.next();
                q.sessionStartedAt = s.startedAt; q.profileId = profile; q.bitrateKbps = res[rend][2]; q.rebufferMillis = rnd.nextInt(100) < 3 ? rnd.nextInt(4_000) : 0; q.droppedFrames = rnd.nextInt(5); q.at = t;
            }
            ResumePoint rp = edge.resume.byProfile.get(profile);
            rp.titleId = titleId; rp.positionSeconds = rnd.nextInt(5_000); rp.updatedAt = t;
            if (i % 50 == 0) edge.sessions.sweep(t);
        }
        for (PlaybackSession a : active) a.lastHeartbeatAt = now - rnd.nextInt(10_000);
        edge.sessions.sweep(now);
        active = null;
        long untouchedMonth = 0;
        for (ResumePoint rp : edge.resume.byProfile.values()) if (now - rp.updatedAt > 30 * DAY) untouchedMonth++;
        System.out.println("titles " + TitleCatalog.BY_ID.size() + " segments " + edge.segments.index.size() + " (evicted " + edge.segments.evictions + ", hits " + edge.segments.hits + ") sessions "
                + edge.sessions.byToken.size() + " (expired " + edge.sessions.expired + ") resume " + edge.resume.byProfile.size() + " (untouched > 30 days " + untouchedMonth + ") qoe " + edge.qoe.written);
        check(TitleCatalog.BY_ID.size() == TITLES && edge.resume.byProfile.size() == PROFILES, "reference data");
        check(edge.segments.index.size() == SEGMENT_CAP && edge.segments.evictions > 0, "segments");
        check(edge.sessions.byToken.size() == EXPECTED_SESSIONS, "sessions " + edge.sessions.byToken.size());
        check(edge.qoe.written == 3L * PLAYBACKS, "qoe");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** The number of live sessions at the dump (deterministic: fixed seed). */
    static final int EXPECTED_SESSIONS = 5_423;
}
