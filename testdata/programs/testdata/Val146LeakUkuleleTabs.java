// hprofscan-dump: name=val146-leak-ukuleletabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val146-leak-ukuleletabs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 146 (written blind), LEAK: the public API of a ukulele learning app (chord
 * library, song tabs, transposition, strum previews, practice tracking). Chord reference data, the
 * song-tab directory, an LRU of rendered chord diagrams at its cap, a pool of audio buffers, a ring
 * of practice events, the tab-correction moderation queue with its normal backlog, per-endpoint
 * counters, and the per-user rate limiter: {@code RateLimiter.windows} keeps, per user, a
 * {@code ConcurrentSkipListMap<Long, Integer>} of request time -> request cost (a sliding log of
 * the last 5 minutes). The limiter used to count fixed windows; since it became a sliding log its
 * trim still calls {@code requests.headMap(w.windowStart).clear()}, and windowStart is the time the
 * user's window object was created and is no longer advanced: the bound is never above any key, so
 * the trim removes nothing. The limit is computed correctly (from {@code tailMap(now - 5 min)}),
 * so nobody notices that every user's map grows with every request. One run of 10 hours. See
 * VALIDATION146.md.
 */
public final class Val146LeakUkuleleTabs {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CHORDS = 1_100, SONGS = 16_000, DIAGRAM_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_MINUTE = 280,
            USERS = 3_200, LIMIT = 60, CORRECTIONS_PER_MINUTE = 3, REVIEW_MINUTES = 20;
    static final long WINDOW = 5 * MINUTE;
    static boolean FIXED;
    static final String[] ROOTS = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    static final String[] QUALITIES = {"", "m", "7", "m7", "maj7", "6", "m6", "9", "sus2", "sus4", "dim", "aug", "add9", "7sus4", "m7b5",
            "dim7", "maj9", "11", "13", "7#9", "m9", "6/9"};
    static final String[] ENDPOINTS = {"GET /chords", "GET /tabs", "POST /transpose", "GET /strum-preview", "POST /practice", "GET /search"};
    static final int[] COST = {1, 1, 2, 5, 1, 2};
    static final String[] TUNINGS = {"GCEA", "ADF#B", "DGBE", "gCEA"};

    record Chord(String name, int[] frets, String tuning, double[] voicing) {}
    record SongTab(String tabId, String title, String artist, byte[] tabText, int difficulty, long publishedAt) {}
    record Diagram(String key, byte[] svg, long renderedAt) {}
    record PracticeEvent(String userId, String tabId, int minutes, int bpm, long at) {}
    record Correction(String correctionId, String tabId, String userId, String note, long submittedAt) {}

    static final Map<String, Chord> CHORDS_BY_NAME = new HashMap<>();

    static final class DiagramCache extends LinkedHashMap<String, Diagram> {
        long evicted;
        DiagramCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Diagram> e) {
            if (size() > DIAGRAM_CAP) { evicted++; return true; }
            return false;
        }
    }

    /** One user's sliding window: request time -> cost of the request. */
    static final class UserWindow {
        final String userId;
        final long windowStart; // was advanced by the fixed-window limiter; the sliding log never moves it
        final ConcurrentSkipListMap<Long, Integer> requests = new ConcurrentSkipListMap<>();
        UserWindow(String userId, long windowStart) { this.userId = userId; this.windowStart = windowStart; }
    }

    static final class RateLimiter {
        final ConcurrentHashMap<String, UserWindow> windows = new ConcurrentHashMap<>();
        long allowed, rejected, trimmed;

        boolean tryAcquire(String userId, int cost, long now) {
            UserWindow w = windows.computeIfAbsent(userId, id -> new UserWindow(id, now));
            NavigableMap<Long, Integer> expired = w.requests.headMap(FIXED ? now - WINDOW : w.windowStart);
            trimmed += expired.size();
            expired.clear();
            int used = 0;
            for (int c : w.requests.tailMap(now - WINDOW, false).values()) used += c;
            if (used + cost > LIMIT) { rejected++; return false; }
            w.requests.merge(now, cost, Integer::sum);
            allowed++;
            return true;
        }

        long entries() { long n = 0; for (UserWindow w : windows.values()) n += w.requests.size(); return n; }
    }

    static final class TabService {
        final Map<String, SongTab> songs = new HashMap<>();
        final String[] tabIds = new String[SONGS];
        final DiagramCache diagrams = new DiagramCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final PracticeEvent[] practiceLog = new PracticeEvent[RING];
        final ArrayDeque<Correction> moderation = new ArrayDeque<>();
        final long[] requestsByEndpoint = new long[ENDPOINTS.length];
        final RateLimiter limiter = new RateLimiter();
        long requests, practiceCount, diagramRequests, diagramHits, reviewed, transposed, previews;

        void handle(String userId, int endpoint, Random r, long t, String[] chordNames) {
            requests++;
            if (!limiter.tryAcquire(userId, COST[endpoint], t)) return; // 429 Too Many Requests
            requestsByEndpoint[endpoint]++;
            switch (endpoint) {
                case 0 -> diagram(chordNames[r.nextInt(12) == 0 ? r.nextInt(chordNames.length) : r.nextInt(180)] + "@" + TUNINGS[r.nextInt(TUNINGS.length)], r, t);
                case 1 -> songs.get(tabIds[r.nextInt(SONGS)]);
                case 2 -> transposed++;
                case 3 -> {
                    byte[] buf = audioBuffers.poll();
                    buf[(int) (previews++ % buf.length)] = (byte) r.nextInt(128);
                    audioBuffers.addLast(buf);
                }
                case 4 -> practiceLog[(int) (practiceCount++ % RING)] = new PracticeEvent(userId, tabIds[r.nextInt(SONGS)], 5 + r.nextInt(40), 60 + r.nextInt(80), t);
                default -> songs.get(tabIds[r.nextInt(SONGS)]);
            }
        }

        Diagram diagram(String key, Random r, long t) {
            diagramRequests++;
            Diagram d = diagrams.get(key);
            if (d != null) { diagramHits++; return d; }
            d = new Diagram(key, new byte[400 + r.nextInt(400)], t);
            diagrams.put(key, d);
            return d;
        }
    }

    static TabService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(146_040_001);
        String[] chordNames = new String[CHORDS];
        for (int c = 0; c < CHORDS; c++) {
            String name = ROOTS[c % ROOTS.length] + QUALITIES[(c / ROOTS.length) % QUALITIES.length] + (c >= ROOTS.length * QUALITIES.length ? "/" + (1 + c / (ROOTS.length * QUALITIES.length)) : "");
            double[] voicing = new double[32];
            for (int k = 0; k < voicing.length; k++) voicing[k] = rnd.nextDouble();
            chordNames[c] = name;
            CHORDS_BY_NAME.put(name, new Chord(name, new int[] {rnd.nextInt(5), rnd.nextInt(5), rnd.nextInt(5), rnd.nextInt(5)}, TUNINGS[c % TUNINGS.length], voicing));
        }
        TabService svc = new TabService();
        SERVICE = svc;
        for (int s = 0; s < SONGS; s++) {
            svc.tabIds[s] = "UKT-" + (40_000 + s * 3);
            svc.songs.put(svc.tabIds[s], new SongTab(svc.tabIds[s], "Song " + s, "Artist " + rnd.nextInt(2_500), new byte[200 + rnd.nextInt(200)], 1 + rnd.nextInt(5),
                    now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        String[] userIds = new String[USERS];
        for (int u = 0; u < USERS; u++) userIds[u] = "u" + Long.toHexString(0x6b00_0000L + u * 7_919L);

        Random traffic = new Random(146_040_002), work = new Random(146_040_003), mod = new Random(146_040_004);
        long correctionSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                // a school's shared account and ten power users (band leaders, teachers preparing lessons) make 15% of the calls
                int roll = traffic.nextInt(100);
                int u = roll < 3 ? 0 : roll < 15 ? 1 + traffic.nextInt(10) : traffic.nextInt(USERS);
                int endpoint = traffic.nextInt(10) < 4 ? 0 : traffic.nextInt(ENDPOINTS.length);
                svc.handle(userIds[u], endpoint, work, t + k * (MINUTE / REQUESTS_PER_MINUTE), chordNames);
            }
            for (int k = 0; k < CORRECTIONS_PER_MINUTE; k++) {
                svc.moderation.addLast(new Correction("COR-" + (correctionSeq++), svc.tabIds[mod.nextInt(SONGS)], userIds[mod.nextInt(USERS)],
                        mod.nextBoolean() ? "chord in bar " + (1 + mod.nextInt(64)) + " should be " + chordNames[mod.nextInt(CHORDS)] : "strum pattern is D-DU-UDU", t + k * 20 * SECOND));
            }
            while (!svc.moderation.isEmpty() && svc.moderation.peekFirst().submittedAt() + REVIEW_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.moderation.pollFirst();
                svc.reviewed++;
            }
        }
    }

    // Exact counts (leaking run): requests allowed, rejected, users with a window, timestamps in the windows,
    // the largest window, diagram evictions.
    static final long[] EXPECTED = {167_296, 704, 3_200, 167_296, 4_357, 2_753};

    static void verify() {
        TabService svc = SERVICE;
        RateLimiter lim = svc.limiter;
        long entries = lim.entries();
        int largest = 0;
        for (UserWindow w : lim.windows.values()) largest = Math.max(largest, w.requests.size());
        System.out.println((FIXED ? "FIXED " : "") + "chords " + CHORDS_BY_NAME.size() + " songs " + svc.songs.size() + " requests " + svc.requests + " allowed " + lim.allowed
                + " rejected " + lim.rejected + " windows " + lim.windows.size() + " timestamps " + entries + " (largest " + largest + ", trimmed " + lim.trimmed + ")"
                + " diagrams " + svc.diagrams.size() + " (requests " + svc.diagramRequests + ", hits " + svc.diagramHits + ", evicted " + svc.diagrams.evicted + ")"
                + " practice " + svc.practiceCount + " transposed " + svc.transposed + " previews " + svc.previews + " moderation backlog " + svc.moderation.size()
                + " reviewed " + svc.reviewed + " pool " + svc.audioBuffers.size() + " by endpoint " + Arrays.toString(svc.requestsByEndpoint));
        check(CHORDS_BY_NAME.size() == CHORDS && svc.songs.size() == SONGS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_MINUTE * HOURS * 60 && lim.allowed + lim.rejected == svc.requests && lim.rejected > 0, "requests");
        check(lim.allowed == entries + lim.trimmed, "every allowed request is in a window or trimmed");
        check(FIXED ? lim.trimmed > 0 : lim.trimmed == 0, "trim");
        check(svc.diagrams.size() == DIAGRAM_CAP && svc.diagrams.evicted > 0, "diagram cache at its cap");
        check(svc.practiceLog[RING - 1] != null, "practice ring");
        check(svc.moderation.size() == CORRECTIONS_PER_MINUTE * REVIEW_MINUTES, "moderation backlog");
        check(svc.audioBuffers.size() == POOL, "audio buffer pool");
        if (EXPECTED.length > 0 && !FIXED) {
            long[] got = {lim.allowed, lim.rejected, lim.windows.size(), entries, largest, svc.diagrams.evicted};
            check(Arrays.equals(EXPECTED, got), "exact counts " + Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val146.fixed");
        simulate();
        verify();
        LeakCheck.histogram("ConcurrentSkipListMap");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
