// hprofscan-dump: name=val58-healthy-minigolf jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val58-healthy-minigolf-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 58 (written blind), HEALTHY: the booking and scoring app of a chain of mini-golf
 * parks. Course reference data, the player directory, a cache of rendered scorecards at its cap, a
 * ring of finished rounds, a pool of score-printer buffers, a session store whose expiry sweep runs
 * every minute (sessions idle past the 30-minute timeout are gone) and a metrics registry whose
 * meters are keyed by route template (/rounds/{id}/holes), a bounded set. See VALIDATION58.md.
 */
public final class Val58HealthyMiniGolf {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT = 30 * MINUTE;
    static final int COURSES = 1_200, PLAYERS = 28_000, CARD_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, SESSIONS_PER_HOUR = 3_000, REQUESTS_PER_SESSION = 4, BUCKETS = 24;

    record Course(String code, String theme, double[] holePars) {}
    record Player(String playerNo, String homeCourse, byte[] handicapHistory, long joinedAt) {}
    record Scorecard(String key, byte[] rendered, long at) {}
    record Round(long roundId, String playerNo, String courseCode, int strokes, long finishedAt) {}
    record MeterId(String name, String method, String uri, String status) {}

    static final class Timer {
        long count, totalMillis, maxMillis; final long[] buckets = new long[BUCKETS];
        void record(long ms) { count++; totalMillis += ms; maxMillis = Math.max(maxMillis, ms); buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(ms + 1))]++; }
    }

    static final class Session {
        final String id; final Player player; final long createdAt; long lastAccessAt;
        final Map<String, Object> attributes = new HashMap<>(); byte[] basket;
        Session(String id, Player player, long createdAt) { this.id = id; this.player = player; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SessionStore {
        final Map<String, Session> sessions = new HashMap<>();
        final Map<String, Integer> activeByCourse = new HashMap<>();
        long sweeps, expired; int maxSize;
        void sweep(long at) {
            sweeps++;
            activeByCourse.clear();
            for (Session s : sessions.values()) activeByCourse.merge(s.player == null ? "guest" : s.player.homeCourse(), 1, Integer::sum);
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) if (at - it.next().lastAccessAt > TIMEOUT) { it.remove(); expired++; }
        }
    }

    static final class CardCache extends LinkedHashMap<String, Scorecard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scorecard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();

    static final class GolfApp {
        final Map<String, Player> players = new HashMap<>();
        final CardCache scorecards = new CardCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Round[] rounds = new Round[RING];
        long roundCount, requests;
        final SessionStore sessions = new SessionStore();
        final Map<MeterId, Timer> meters = new HashMap<>();
        void time(String method, String template, String status, long ms) {
            requests++;
            meters.computeIfAbsent(new MeterId("http.server.requests", method, template, status), k -> new Timer()).record(ms);
        }
    }

    static GolfApp SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int logins = SESSIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(58_060_001);
        String[] courseCodes = new String[COURSES];
        String[] themes = {"Pirate cove", "Jungle", "Dinosaur valley", "Space station", "Castle", "Volcano"};
        for (int c = 0; c < COURSES; c++) {
            double[] pars = new double[80];
            for (int k = 0; k < pars.length; k++) pars[k] = 2 + rnd.nextInt(3) + rnd.nextDouble();
            courseCodes[c] = "MG-" + (300 + c);
            COURSES_BY_CODE.put(courseCodes[c], new Course(courseCodes[c], themes[c % themes.length], pars));
        }
        GolfApp svc = new GolfApp();
        SERVICE = svc;
        Player[] players = new Player[PLAYERS];
        for (int p = 0; p < PLAYERS; p++) {
            players[p] = new Player("PL" + (5_500_000 + p * 3), courseCodes[rnd.nextInt(COURSES)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR);
            svc.players.put(players[p].playerNo(), players[p]);
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(58_060_002);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < logins; i++) {
            long t = start + (end - MINUTE - start) * i / logins;
            while (nextSweep <= t) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
            Player p = traffic.nextInt(12) == 0 ? null : players[traffic.nextInt(PLAYERS)];
            Session s = new Session(String.format("%016x", 0x3b00_0000_0000L + (long) i * 104_729), p, t);
            s.attributes.put("locale", traffic.nextBoolean() ? "en-US" : "es-ES");
            s.attributes.put("course", courseCodes[traffic.nextInt(COURSES)]);
            s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
            s.basket = new byte[100 + traffic.nextInt(200)];
            s.lastAccessAt = Math.min(t + traffic.nextInt(40) * MINUTE, end - 1);
            svc.sessions.sessions.put(s.id, s);
            svc.sessions.maxSize = Math.max(svc.sessions.maxSize, svc.sessions.sessions.size());
            long roundId = 40_000_000L + i;
            for (int r = 0; r < REQUESTS_PER_SESSION; r++) {
                int kind = traffic.nextInt(4);
                String status = traffic.nextInt(40) == 0 ? "404" : "200";
                long ms = 2 + traffic.nextInt(200);
                if (kind == 0) svc.time("GET", "/courses/{code}", status, ms);
                else if (kind == 1) svc.time("POST", "/rounds/{id}/holes", status, ms);
                else if (kind == 2) svc.time("GET", "/rounds/{id}", status, ms);
                else svc.time("GET", "/players/{playerNo}/scorecards", status, ms);
            }
            svc.rounds[(int) (svc.roundCount++ % RING)] = new Round(roundId, p == null ? "guest" : p.playerNo(), courseCodes[traffic.nextInt(COURSES)], 30 + traffic.nextInt(40), t);
            String key = "card-" + traffic.nextInt(5_000);
            if (svc.scorecards.get(key) == null) svc.scorecards.put(key, new Scorecard(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
        }
        while (nextSweep <= end) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
        SessionStore st = svc.sessions;
        long idle = 0;
        for (Session s : st.sessions.values()) if (end - s.lastAccessAt > TIMEOUT) idle++;
        System.out.println("courses " + COURSES_BY_CODE.size() + " players " + svc.players.size() + " sessions " + st.sessions.size() + " (max " + st.maxSize + ", idle past timeout " + idle + ", expired " + st.expired
                + ") sweeps " + st.sweeps + " requests " + svc.requests + " meters " + svc.meters.size() + " rounds " + svc.roundCount + " cards " + svc.scorecards.size() + " (evicted " + svc.scorecards.evicted + ") pool " + svc.printerBuffers.size());
        check(COURSES_BY_CODE.size() == COURSES && svc.players.size() == PLAYERS, "reference data / directory");
        check(st.sweeps == HOURS * 60 && idle == 0 && st.sessions.size() + st.expired == logins, "sweeper works");
        check(svc.requests == (long) logins * REQUESTS_PER_SESSION && svc.meters.size() <= 8, "meters by template: " + svc.meters.size());
        check(svc.scorecards.size() == CARD_CAP && svc.scorecards.evicted > 0, "scorecard cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.rounds[RING - 1] != null, "round ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
