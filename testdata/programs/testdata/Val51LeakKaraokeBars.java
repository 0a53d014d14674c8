// hprofscan-dump: name=val51-leak-karaokebars jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val51-leak-karaokebars-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 51 (written blind), LEAK: the song-queue web app of a chain of karaoke bars.
 * Guests log in from their phones, queue songs for their room and watch the room's queue. Song
 * reference data, the member directory, a cache of rendered lyric sheets at its cap, a pool of
 * microphone mix buffers, a ring of recent plays, a session registry (sessions expire after 20
 * minutes idle and are removed from it properly), and an application-wide queue event bus (a
 * CopyOnWriteArrayList of listeners). Every session registers a listener (an inner object of the
 * session) on the bus at login; expiry never unregisters it, so the bus keeps every session ever
 * created, with its state. See VALIDATION51.md.
 */
public final class Val51LeakKaraokeBars {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 20 * MINUTE;
    static final int SONGS = 1_500, MEMBERS = 24_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, LOGINS_PER_MINUTE = 20, HOURS = 10, ROOMS = 40;
    static boolean FIXED;

    record Song(String code, String artist, double[] pitchContour) {}
    record Member(String id, String homeBar, byte[] preferences, long joinedAt) {}
    record LyricSheet(String key, byte[] rendered, long at) {}
    record Play(String songCode, String memberId, String room, long at) {}
    record QueueEvent(String room, int version, long at) {}

    interface QueueListener { void onQueueChanged(QueueEvent e); }

    static final class UserSession {
        final String sessionId, memberId, room; final int roomIndex; final long createdAt, activeUntil; long lastSeenAt; int lastQueueVersion; boolean expired;
        final List<String> queuedSongs = new ArrayList<>(); final byte[] uiState;
        final QueueWatcher watcher = new QueueWatcher();
        UserSession(String sessionId, String memberId, String room, int roomIndex, long createdAt, long activeUntil, byte[] uiState) {
            this.sessionId = sessionId; this.memberId = memberId; this.room = room; this.roomIndex = roomIndex; this.createdAt = createdAt; this.activeUntil = activeUntil; this.lastSeenAt = createdAt; this.uiState = uiState;
        }
        /** Pushes the room's queue to the guest's phone. */
        final class QueueWatcher implements QueueListener {
            @Override public void onQueueChanged(QueueEvent e) { if (e.room().equals(room)) lastQueueVersion = e.version(); }
            UserSession session() { return UserSession.this; }
        }
    }

    static final class QueueEventBus {
        final CopyOnWriteArrayList<QueueListener> listeners = new CopyOnWriteArrayList<>();
        long published;
        void register(QueueListener l) { listeners.add(l); }
        void unregister(QueueListener l) { listeners.remove(l); }
        void publish(QueueEvent e) { published++; for (QueueListener l : listeners) l.onQueueChanged(e); }
    }

    static final class SheetCache extends LinkedHashMap<String, LyricSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LyricSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Song> SONGS_BY_CODE = new HashMap<>();

    static final class VenueService {
        final Map<String, Member> members = new HashMap<>();
        final SheetCache lyricSheets = new SheetCache();
        final ArrayDeque<byte[]> mixBuffers = new ArrayDeque<>();
        final Play[] recentPlays = new Play[RING];
        long plays, created, expiredCount;
        final Map<String, UserSession> sessions = new HashMap<>();
        final QueueEventBus bus = new QueueEventBus();

        void login(UserSession s) { sessions.put(s.sessionId, s); bus.register(s.watcher); created++; }
        void expireIdle(long at) {
            for (Iterator<UserSession> it = sessions.values().iterator(); it.hasNext();) {
                UserSession s = it.next();
                if (s.lastSeenAt + IDLE_TIMEOUT <= at) {
                    it.remove();
                    s.expired = true;
                    expiredCount++;
                    if (FIXED) bus.unregister(s.watcher);
                    // BUG: the session's watcher stays registered on the application-wide bus
                }
            }
        }
    }

    static VenueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val51.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(51_040_001);
        String[] songCodes = new String[SONGS];
        for (int s = 0; s < SONGS; s++) {
            double[] contour = new double[64];
            for (int k = 0; k < contour.length; k++) contour[k] = 40 + rnd.nextDouble() * 40;
            songCodes[s] = "KS-" + (10_000 + s);
            SONGS_BY_CODE.put(songCodes[s], new Song(songCodes[s], "Artist " + (s % 350), contour));
        }
        VenueService svc = new VenueService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "KM" + (500_000 + m * 7);
            svc.members.put(memberIds[m], new Member(memberIds[m], "Bar " + (m % 30), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.mixBuffers.add(new byte[32_768]);
        String[] rooms = new String[ROOMS];
        int[] roomVersions = new int[ROOMS];
        for (int r = 0; r < ROOMS; r++) rooms[r] = "Bar " + (r / 4) + " / Room " + (char) ('A' + r % 4);
        Random traffic = new Random(51_040_002);
        int minutes = HOURS * 60, seq = 0;
        List<UserSession> active = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < LOGINS_PER_MINUTE; k++) {
                long until = t + (10 + traffic.nextInt(80)) * MINUTE;
                int room = traffic.nextInt(ROOMS);
                UserSession s = new UserSession("KSESS-" + Long.toHexString(0x51_4000_0000L + seq++ * 97L + traffic.nextInt(97)), memberIds[traffic.nextInt(MEMBERS)], rooms[room], room, t, until, new byte[300 + traffic.nextInt(400)]);
                svc.login(s);
                active.add(s);
            }
            for (Iterator<UserSession> it = active.iterator(); it.hasNext();) {
                UserSession s = it.next();
                if (t >= s.activeUntil) { it.remove(); continue; } // the guest put the phone away
                s.lastSeenAt = t;
                if (traffic.nextInt(6) == 0) {
                    String song = songCodes[traffic.nextInt(SONGS)];
                    if (s.queuedSongs.size() < 5) s.queuedSongs.add(song);
                    int r = s.roomIndex;
                    svc.recentPlays[(int) (svc.plays++ % RING)] = new Play(song, s.memberId, s.room, t);
                    String key = "lyrics-" + song + "-" + traffic.nextInt(2);
                    if (svc.lyricSheets.get(key) == null) svc.lyricSheets.put(key, new LyricSheet(key, new byte[500 + traffic.nextInt(500)], t));
                    byte[] buf = svc.mixBuffers.poll();
                    buf[(int) (svc.plays % buf.length)] = (byte) m;
                    svc.mixBuffers.add(buf);
                    if (traffic.nextInt(4) == 0) svc.bus.publish(new QueueEvent(rooms[r], ++roomVersions[r], t));
                }
            }
            svc.expireIdle(t);
        }
        int live = svc.sessions.size(), listeners = svc.bus.listeners.size();
        int expiredListening = 0;
        for (QueueListener l : svc.bus.listeners) if (((UserSession.QueueWatcher) l).session().expired) expiredListening++;
        System.out.println((FIXED ? "FIXED " : "") + "songs " + SONGS_BY_CODE.size() + " members " + svc.members.size() + " sessions created " + svc.created + " live " + live + " expired " + svc.expiredCount + " listeners " + listeners
                + " (of expired sessions " + expiredListening + ") events " + svc.bus.published + " sheets " + svc.lyricSheets.size() + " (evicted " + svc.lyricSheets.evicted + ") pool " + svc.mixBuffers.size() + " plays " + svc.plays);
        check(SONGS_BY_CODE.size() == SONGS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.created == (long) minutes * LOGINS_PER_MINUTE && live + svc.expiredCount == svc.created, "session registry");
        if (FIXED) check(listeners == live && expiredListening == 0, "listeners of live sessions only: " + listeners);
        else check(listeners == svc.created && expiredListening == svc.expiredCount, "every session's listener kept: " + listeners);
        check(svc.lyricSheets.size() == SHEET_CAP && svc.lyricSheets.evicted > 0, "sheet cache at cap");
        check(svc.mixBuffers.size() == POOL, "pool");
        check(svc.plays > RING && svc.recentPlays[RING - 1] != null, "ring");
        active = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

}
