// hprofscan-dump: name=val145-healthy-mahjongclubs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val145-healthy-mahjongclubs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val145-healthy-mahjongclubs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val145-healthy-mahjongclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Validation set 145 (written blind), HEALTHY (growth series): the online portal of a federation of
 * mahjong clubs. Players log in, look at their club's tables and rankings, queue for a seat at an
 * online table and play hands. Components: club and ruleset reference data, the player directory,
 * a session cache (access-ordered LinkedHashMap) at its entry cap (it also keeps a byte budget,
 * checked correctly), an audit trail buffer flushed every 1,000 lines, a bounded seat queue
 * (ArrayBlockingQueue) with its normal backlog, a cache of hand replays at its cap, a pool of
 * render buffers and a ring of recent hands. Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION145.md.
 */
public final class Val145HealthyMahjongClubs {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLUBS = 1_000, PLAYERS = 21_000, SESSION_CAP = 2_500, REPLAY_CAP = 1_200, POOL = 8, RING = 2_048, RECENT_TOKENS = 4_096,
            SEAT_QUEUE_CAP = 400, TABLES_PER_MINUTE = 10, FLUSH_EVERY_LINES = 1_000;
    static final long SESSION_BYTE_BUDGET = 64L << 20;
    static final String[] RULESETS = {"riichi", "mcr", "hk-old-style", "taiwanese-16", "zung-jung", "american-nmjl", "singaporean", "vietnamese",
            "filipino", "korean", "sichuan-bloody", "guobiao-lite"};
    static final String[] CITIES = {"Leeds", "Lyon", "Osaka", "Perth", "Tucson", "Gdansk", "Porto", "Quebec", "Hobart", "Kassel", "Turku", "Malmo"};
    static final String[] PAGES = {"/club/tables", "/club/ranking", "/me/history", "/me/stats", "/club/events", "/rules", "/club/news", "/me/friends"};
    static final String[] WINDS = {"east", "south", "west", "north"};

    record Club(String code, String name, String city, String ruleset, double[] tablesByWeek) {}
    record Ruleset(String name, int[] fanTable, int minimumFan) {}
    record Player(String playerId, String displayName, String clubCode, int rating, byte[] profile, long joinedAt) {}
    record HandResult(String handId, String tableId, String winnerId, String wind, int fan, int points, long at) {}
    record Replay(String handId, byte[] moves, long savedAt) {}
    record SeatRequest(String playerId, String clubCode, int rating, long queuedAt) {}

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();
    static final Map<String, Ruleset> RULESETS_BY_NAME = new HashMap<>();

    static final class PlayerSession {
        final String token, playerId, clubCode;
        final long loginAt;
        long lastSeenAt;
        int pageViews;
        final byte[] attributes;
        PlayerSession(String token, String playerId, String clubCode, long loginAt, byte[] attributes) {
            this.token = token; this.playerId = playerId; this.clubCode = clubCode; this.loginAt = loginAt; this.lastSeenAt = loginAt; this.attributes = attributes;
        }
        int bytes() { return attributes.length + 160; }
    }

    /** Sessions by token, least recently used first; bounded by an entry cap and a byte budget. */
    static final class SessionCache extends LinkedHashMap<String, PlayerSession> {
        final int maxEntries;
        final long maxBytes;
        long bytesHeld, evicted;
        SessionCache(int maxEntries, long maxBytes) { super(4_096, 0.75f, true); this.maxEntries = maxEntries; this.maxBytes = maxBytes; }
        void add(PlayerSession s) { bytesHeld += s.bytes(); put(s.token, s); }
        PlayerSession end(String token) { PlayerSession s = remove(token); if (s != null) bytesHeld -= s.bytes(); return s; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PlayerSession> eldest) {
            if (size() > maxEntries || bytesHeld > maxBytes) { bytesHeld -= eldest.getValue().bytes(); evicted++; return true; }
            return false;
        }
    }

    static final class ReplayCache extends LinkedHashMap<String, Replay> {
        long evicted;
        ReplayCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Replay> e) { if (size() > REPLAY_CAP) { evicted++; return true; } return false; }
    }

    /** Where flushed audit text goes (the log shipper); counts and discards. */
    static final class AuditSink {
        long chars, flushes;
        void write(CharSequence text) { chars += text.length(); flushes++; }
    }

    /** Audit trail: one line per request, buffered, flushed every 1,000 lines. */
    static final class AuditTrail {
        final StringBuilder pending = new StringBuilder(131_072);
        final AuditSink sink = new AuditSink();
        int linesSinceFlush;
        long lines;
        void line(long t, String playerId, String action, int status, int millis) {
            pending.append("ts=").append(t).append(" player=").append(playerId).append(" action=").append(action)
                    .append(" status=").append(status).append(" ms=").append(millis).append('\n');
            lines++;
            if (++linesSinceFlush >= FLUSH_EVERY_LINES) flush();
        }
        void flush() { sink.write(pending); pending.setLength(0); linesSinceFlush = 0; }
    }

    static final class ClubService {
        final Map<String, Player> players = new HashMap<>();
        final String[] playerIds = new String[PLAYERS];
        final SessionCache sessions = new SessionCache(SESSION_CAP, SESSION_BYTE_BUDGET);
        final String[] recentTokens = new String[RECENT_TOKENS];
        final AuditTrail audit = new AuditTrail();
        final ArrayBlockingQueue<SeatRequest> seatQueue = new ArrayBlockingQueue<>(SEAT_QUEUE_CAP);
        final ReplayCache replays = new ReplayCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final HandResult[] hands = new HandResult[RING];
        long logins, logouts, pageViews, staleTokens, seatRequests, seatsRejected, seated, tables, handCount, replayHits;

        void login(Random r, long t) {
            Player p = players.get(playerIds[r.nextInt(PLAYERS)]);
            String token = String.format("%016x%016x", r.nextLong(), r.nextLong());
            sessions.add(new PlayerSession(token, p.playerId(), p.clubCode(), t, new byte[500 + r.nextInt(500)]));
            recentTokens[(int) (logins++ % RECENT_TOKENS)] = token;
            audit.line(t, p.playerId(), "login", 200, 20 + r.nextInt(80));
        }

        void view(Random r, long t) {
            int n = (int) Math.min(logins, 2_000);             // most views come from the last 2,000 logins
            String token = recentTokens[(int) ((logins - 1 - r.nextInt(n)) % RECENT_TOKENS)];
            PlayerSession s = sessions.get(token);
            String page = PAGES[r.nextInt(PAGES.length)];
            if (s == null) { staleTokens++; audit.line(t, "-", "GET " + page, 401, 3); return; }
            s.lastSeenAt = t;
            s.pageViews++;
            pageViews++;
            byte[] buf = renderBuffers.poll();
            buf[s.pageViews % buf.length] = (byte) page.length();
            renderBuffers.add(buf);
            audit.line(t, s.playerId, "GET " + page, 200, 5 + r.nextInt(120));
        }

        void logout(Random r, long t) {
            int n = (int) Math.min(logins, 3_000);
            PlayerSession s = sessions.end(recentTokens[(int) ((logins - 1 - r.nextInt(n)) % RECENT_TOKENS)]);
            if (s != null) { logouts++; audit.line(t, s.playerId, "logout", 200, 4); }
        }

        void requestSeat(Random r, long t) {
            Player p = players.get(playerIds[r.nextInt(PLAYERS)]);
            seatRequests++;
            if (!seatQueue.offer(new SeatRequest(p.playerId(), p.clubCode(), p.rating(), t))) { seatsRejected++; audit.line(t, p.playerId(), "seat-full", 503, 1); }
            else audit.line(t, p.playerId(), "seat", 202, 2);
        }

        void formTables(Random r, long t) {
            for (int k = 0; k < TABLES_PER_MINUTE && seatQueue.size() >= 4; k++) {
                String tableId = "T" + (600_000 + tables++);
                String[] seats = new String[4];
                for (int s = 0; s < 4; s++) { seats[s] = seatQueue.poll().playerId(); seated++; }
                int handsAtTable = 1 + r.nextInt(4);
                for (int h = 0; h < handsAtTable; h++) {
                    String handId = "H" + (40_000_000 + handCount);
                    int fan = 1 + r.nextInt(13);
                    HandResult res = new HandResult(handId, tableId, seats[r.nextInt(4)], WINDS[h % 4], fan, fan * (32 + r.nextInt(64)), t + h * 9 * SECOND);
                    hands[(int) (handCount++ % RING)] = res;
                    if (r.nextInt(3) == 0) replays.put(handId, new Replay(handId, new byte[1_000 + r.nextInt(1_000)], t));
                    if (r.nextInt(5) == 0 && handCount > 50 && replays.get("H" + (40_000_000 + handCount - 1 - r.nextInt(50))) != null) replayHits++;
                }
            }
        }
    }

    static ClubService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(145_010_001);
        String[] clubCodes = new String[CLUBS];
        for (String name : RULESETS) {
            int[] fans = new int[88];
            for (int i = 0; i < fans.length; i++) fans[i] = 1 + rnd.nextInt(88);
            RULESETS_BY_NAME.put(name, new Ruleset(name, fans, 1 + rnd.nextInt(8)));
        }
        for (int c = 0; c < CLUBS; c++) {
            double[] weeks = new double[52];
            for (int w = 0; w < weeks.length; w++) weeks[w] = rnd.nextInt(400);
            clubCodes[c] = "MJC-" + (1_000 + c);
            String city = CITIES[rnd.nextInt(CITIES.length)];
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], city + " Mahjong Club " + (c + 1), city, RULESETS[rnd.nextInt(RULESETS.length)], weeks));
        }
        ClubService svc = new ClubService();
        SERVICE = svc;
        for (int p = 0; p < PLAYERS; p++) {
            svc.playerIds[p] = "MJ" + (3_100_000 + p * 7);
            svc.players.put(svc.playerIds[p], new Player(svc.playerIds[p], "player" + (10_000 + rnd.nextInt(90_000)), clubCodes[rnd.nextInt(CLUBS)],
                    1_200 + rnd.nextInt(1_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);

        Random traffic = new Random(145_010_002), seats = new Random(145_010_003);
        for (long t = start; t < end; t += MINUTE) {
            int outs = t == start ? 0 : 8 + traffic.nextInt(9);
            for (int k = 0; k < outs; k++) svc.logout(traffic, t + k * 1_000L);
            int logins = 40 + traffic.nextInt(21);           // ~3,000 an hour
            for (int k = 0; k < logins; k++) svc.login(traffic, t + 10 * SECOND + k * 800L);
            int views = 120 + traffic.nextInt(61);
            for (int k = 0; k < views; k++) svc.view(traffic, t + 10 * SECOND + k * 250L);
            int wanted = 30 + seats.nextInt(21);              // ~40 a minute, 10 tables of 4 formed a minute
            for (int k = 0; k < wanted; k++) svc.requestSeat(seats, t + k * 1_200L);
            svc.formTables(seats, t + 55 * SECOND);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        ClubService svc = SERVICE;
        AuditTrail a = svc.audit;
        System.out.println("stage " + stage + " clubs " + CLUBS_BY_CODE.size() + " rulesets " + RULESETS_BY_NAME.size() + " players " + svc.players.size()
                + " logins " + svc.logins + " logouts " + svc.logouts + " views " + svc.pageViews + " stale " + svc.staleTokens + " sessions " + svc.sessions.size()
                + " (evicted " + svc.sessions.evicted + ", bytes " + svc.sessions.bytesHeld + ") audit lines " + a.lines + " flushes " + a.sink.flushes
                + " pending " + a.linesSinceFlush + " (" + a.pending.length() + " chars, capacity " + a.pending.capacity() + ") seats +" + svc.seatRequests
                + " rejected " + svc.seatsRejected + " seated " + svc.seated + " queued " + svc.seatQueue.size() + " tables " + svc.tables + " hands " + svc.handCount
                + " replays " + svc.replays.size() + " (evicted " + svc.replays.evicted + ", hits " + svc.replayHits + ") pool " + svc.renderBuffers.size());
        check(CLUBS_BY_CODE.size() == CLUBS && RULESETS_BY_NAME.size() == RULESETS.length && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.sessions.size() == SESSION_CAP && svc.sessions.evicted > 0, "session cache at its entry cap");
        check(svc.sessions.bytesHeld < SESSION_BYTE_BUDGET, "session byte budget not reached");
        check(svc.sessions.size() + svc.sessions.evicted + svc.logouts == svc.logins, "sessions accounted");
        check(a.lines == a.sink.flushes * FLUSH_EVERY_LINES + a.linesSinceFlush && a.linesSinceFlush < FLUSH_EVERY_LINES, "audit flushed every 1,000 lines");
        check(svc.seatRequests == svc.seatsRejected + svc.seated + svc.seatQueue.size() && svc.seatQueue.size() < SEAT_QUEUE_CAP, "seat queue");
        check(stage == 1 ? svc.replays.size() < REPLAY_CAP && svc.replays.evicted == 0 : svc.replays.size() == REPLAY_CAP && svc.replays.evicted > 0,
                "replay cache (warming in stage 1, at its cap from stage 2)");
        check(svc.renderBuffers.size() == POOL && svc.hands[RING - 1] != null, "pool / ring");
        long[][] expected = {
                {0, 0, 0, 0},
                {EXPECTED[0][0], EXPECTED[0][1], EXPECTED[0][2], EXPECTED[0][3]},
                {EXPECTED[1][0], EXPECTED[1][1], EXPECTED[1][2], EXPECTED[1][3]},
                {EXPECTED[2][0], EXPECTED[2][1], EXPECTED[2][2], EXPECTED[2][3]}};
        long[] e = expected[stage];
        check(e[0] < 0 || (svc.logins == e[0] && svc.logouts == e[1] && a.lines == e[2] && svc.seatQueue.size() == e[3]),
                "stage " + stage + " counts " + svc.logins + "/" + svc.logouts + "/" + a.lines + "/" + svc.seatQueue.size());
    }

    /** logins, logouts, audit lines, seat backlog per stage (as first measured). */
    static final long[][] EXPECTED = {{5_896, 1_131, 29_591, 62}, {11_934, 2_268, 59_630, 36}, {23_683, 4_493, 119_665, 107}};
}
