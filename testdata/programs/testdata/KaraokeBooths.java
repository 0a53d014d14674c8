// hprofscan-dump: name=karaoke-booths jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=karaoke-booths-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=karaoke-booths-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=karaoke-booths-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A karaoke chain's booth service. Each booth session autosaves its recording draft on a
 * {@code java.util.Timer} task. Sessions are named by a four-letter booking code
 * ({@code QKZT}), so their timer threads are named {@code autosave-booth-QKZT}: letters only,
 * no digits. 1,250 sessions over the simulated evening, 45 live at the dump. Beside it: 8,000
 * songs (reference data loaded at startup), 300 venues' booths, an LRU of 600 lyric pages at
 * its cap, a pool of 32 audio buffers, and a ring of the last 500 song requests.
 * <ul>
 * <li>{@code healthy}: one shared {@code Timer} named {@code autosave}; a session's task is
 * cancelled when it ends (and the timer purged): 45 tasks, one timer thread.
 * <li>{@code leak}: each session creates its own {@code new Timer("autosave-booth-" + code)},
 * and ending a session removes it from the live map but never cancels its timer: 1,250 timer
 * threads stay alive, each keeping its task and through it the session and its draft.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class KaraokeBooths {
    static final int SESSIONS = 1_250, LIVE = 45;

    record Song(long id, String title, String artist, int seconds, byte[] midi) {}

    record Booth(String venue, int number, int seats) {}

    static final class BoothSession {
        final String code;
        final Booth booth;
        final byte[] draft;
        final Map<String, Object> settings = new HashMap<>();
        Timer autosaveTimer;
        TimerTask autosave;

        BoothSession(String code, Booth booth, byte[] draft) {
            this.code = code;
            this.booth = booth;
            this.draft = draft;
        }
    }

    static final class AutosaveTask extends TimerTask {
        final BoothSession session;

        AutosaveTask(BoothSession session) {
            this.session = session;
        }

        @Override
        public void run() {
            session.settings.put("saved", session.draft.length);
        }
    }

    static final class SessionManager {
        final boolean perSessionTimer;
        final Map<String, BoothSession> live = new ConcurrentHashMap<>();
        final Timer shared;
        int ended;

        SessionManager(boolean perSessionTimer) {
            this.perSessionTimer = perSessionTimer;
            this.shared = perSessionTimer ? null : new Timer("autosave", true);
        }

        void open(BoothSession s) {
            s.autosave = new AutosaveTask(s);
            if (perSessionTimer) {
                s.autosaveTimer = new Timer("autosave-booth-" + s.code, true);
                s.autosaveTimer.scheduleAtFixedRate(s.autosave, 3_600_000L, 30_000L);
            } else {
                shared.scheduleAtFixedRate(s.autosave, 3_600_000L, 30_000L);
            }
            live.put(s.code, s);
        }

        void close(String code) {
            BoothSession s = live.remove(code);
            if (s == null) return;
            ended++;
            if (!perSessionTimer) {
                s.autosave.cancel();
                if (ended % 50 == 0) shared.purge();
            }
            // leak: the per-session timer is never cancelled
        }
    }

    static final Map<Long, Song> SONGS = new HashMap<>();
    static final Map<String, Booth> BOOTHS = new HashMap<>();
    static final Map<String, byte[]> LYRICS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > 600;
        }
    };
    static final ArrayDeque<byte[]> BUFFERS = new ArrayDeque<>();
    static final long[] REQUESTS = new long[500];
    static SessionManager manager;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        simulate(leak);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak) {
        Random r = new Random(53_001);
        for (int i = 0; i < 8_000; i++) {
            long id = 700_000L + i;
            SONGS.put(id, new Song(id, "Song " + i, "Artist " + (i % 900), 120 + i % 240, new byte[600 + i % 400]));
        }
        for (int v = 0; v < 300; v++) {
            for (int b = 1; b <= 6; b++) {
                BOOTHS.put("V" + v + "-" + b, new Booth("Venue " + v, b, 4 + b));
            }
        }
        for (int i = 0; i < 32; i++) BUFFERS.add(new byte[16_384]);
        manager = new SessionManager(leak);
        ArrayDeque<String> order = new ArrayDeque<>();
        for (int i = 0; i < SESSIONS; i++) {
            String code = code(r);
            while (manager.live.containsKey(code)) code = code(r);
            Booth booth = BOOTHS.get("V" + r.nextInt(300) + "-" + (1 + r.nextInt(6)));
            BoothSession s = new BoothSession(code, booth, new byte[3_000 + r.nextInt(2_000)]);
            s.settings.put("key", r.nextInt(12) - 6);
            s.settings.put("echo", r.nextBoolean());
            manager.open(s);
            order.add(code);
            for (int k = 0; k < 6; k++) {
                long song = 700_000L + r.nextInt(8_000);
                REQUESTS[(i * 6 + k) % REQUESTS.length] = song;
                LYRICS.put("lyrics-" + song, new byte[400 + r.nextInt(200)]);
            }
            if (order.size() > LIVE) manager.close(order.poll());
        }
    }

    static String code(Random r) {
        char[] c = new char[4];
        for (int k = 0; k < 4; k++) c[k] = (char) ('A' + r.nextInt(26));
        return new String(c);
    }

    static void report(boolean leak) {
        int live = manager.live.size();
        int ended = manager.ended;
        System.out.println("songs " + SONGS.size() + ", booths " + BOOTHS.size() + ", lyrics " + LYRICS.size()
                + ", live sessions " + live + ", ended " + ended);
        if (SONGS.size() != 8_000 || BOOTHS.size() != 1_800 || LYRICS.size() != 600) throw new IllegalStateException("reference");
        if (live != LIVE || ended != SESSIONS - LIVE) throw new IllegalStateException("sessions " + live + "/" + ended);
        if (leak) System.out.println("timer threads left running: " + SESSIONS);
    }
}
