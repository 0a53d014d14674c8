// hprofscan-dump: name=val143-healthy-croquetleague-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val143-healthy-croquetleague-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val143-healthy-croquetleague jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val143-healthy-croquetleague-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 143 (written blind), HEALTHY series: the members' portal and league service of a
 * national croquet association (association and golf croquet leagues, handicaps, fixtures).
 * Club reference data, the player directory, a session registry with a reverse index user id ->
 * tokens that logout AND the idle sweeper keep in step, a standings cache keyed by an immutable
 * record, a fixture-search LRU keyed by an immutable record with normalised filters (the warm-up:
 * it reaches its cap in stage 2), a pool of score-card buffers, a ring of game results, a mail
 * queue, and the club tablets' score feed decoded with one ObjectInputStream per message whose
 * class-descriptor cache is a field of the stream. See VALIDATION143.md.
 */
public final class Val143HealthyCroquetLeague {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE = 20 * MINUTE;
    static final int CLUBS = 900, PLAYERS = 20_000, USERS = 4_000, SEARCH_CAP = 1_200, POOL = 8, RING = 8_192;
    static final int LOGINS_PER_MINUTE = 20, GAMES_PER_MINUTE = 40, SEARCHES_PER_MINUTE = 10, DIVISIONS = 36, ROUNDS = 18;
    static final String[] FILTERS = {"Golf Croquet", "Association", "Handicap", "Level Play", "Doubles", "Weekend", "Evening", "Under 21"};
    static final String[] GRADES = {"Premier", "Division 1", "Division 2", "Division 3", "B-level", "Handicap"};

    record Club(String code, String name, String county, double[] lawnBookingsByWeek) {}
    record Player(String assocNo, String name, String clubCode, byte[] handicapHistory, long registeredAt) {}
    record Account(long userId, String email, String role, long createdAt) {}
    record GameResult(String matchId, String home, String away, int homeHoops, int awayHoops, long at) {}
    record Mail(String to, byte[] body, long queuedAt) {}
    record StandingsKey(String division, int season, int round) {}
    record Standings(StandingsKey key, String[] order, int[] netHoops, long computedAt) {}
    /** Immutable: the filters are lower-cased, sorted and copied before the record is built. */
    record FixtureQuery(String county, String grade, List<String> filters) {
        static FixtureQuery of(String county, String grade, List<String> rawFilters) {
            List<String> f = new ArrayList<>();
            for (String s : rawFilters) f.add(s.toLowerCase(Locale.ROOT));
            f.sort(null);
            return new FixtureQuery(county, grade, List.copyOf(f));
        }
    }
    record FixturePage(FixtureQuery query, String[] matchIds, byte[] rendered, long at) {}

    static final class Session {
        final String token; final long userId; final String device; final long createdAt; final long plannedEnd; final boolean logsOut;
        long lastSeen; int requests;
        Session(String token, long userId, String device, long createdAt, long plannedEnd, boolean logsOut) { this.token = token; this.userId = userId; this.device = device; this.createdAt = createdAt; this.plannedEnd = plannedEnd; this.logsOut = logsOut; this.lastSeen = createdAt; }
    }

    /** Sessions by token and the reverse index user id -> that user's tokens; every removal updates both. */
    static final class SessionRegistry {
        final Map<String, Session> byToken = new HashMap<>();
        final Map<Long, List<String>> tokensByUser = new HashMap<>();
        long logins, logouts, expired, signOutAll;

        void login(Session s) {
            byToken.put(s.token, s);
            tokensByUser.computeIfAbsent(s.userId, u -> new ArrayList<>(4)).add(s.token);
            logins++;
        }

        private void unindex(Session s) {
            List<String> list = tokensByUser.get(s.userId);
            if (list != null) { list.remove(s.token); if (list.isEmpty()) tokensByUser.remove(s.userId); }
        }

        void logout(String token) {
            Session s = byToken.remove(token);
            if (s != null) { unindex(s); logouts++; }
        }

        void signOutEverywhere(long userId) {
            List<String> list = tokensByUser.remove(userId);
            if (list == null) return;
            for (String t : list) if (byToken.remove(t) != null) logouts++;
            signOutAll++;
        }

        void sweep(long t) {
            List<Session> idle = new ArrayList<>();
            for (Session s : byToken.values()) if (s.lastSeen + IDLE <= t) idle.add(s);
            for (Session s : idle) { byToken.remove(s.token); unindex(s); expired++; }
        }
    }

    static final class SearchCache extends LinkedHashMap<FixtureQuery, FixturePage> {
        long evicted, hits, misses;
        SearchCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<FixtureQuery, FixturePage> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    // ---- the club tablets' score feed ----
    static final class LawnRef implements Serializable {
        private static final long serialVersionUID = 1L;
        final String clubCode; final byte lawnNo;
        LawnRef(String clubCode, byte lawnNo) { this.clubCode = clubCode; this.lawnNo = lawnNo; }
    }
    static final class ScoreMessage implements Serializable {
        private static final long serialVersionUID = 3L;
        final String matchId, home, away; final int[] hoopsByTurn; final long playedAt; final LawnRef lawn;
        ScoreMessage(String matchId, String home, String away, int[] hoopsByTurn, long playedAt, LawnRef lawn) { this.matchId = matchId; this.home = home; this.away = away; this.hoopsByTurn = hoopsByTurn; this.playedAt = playedAt; this.lawn = lawn; }
    }
    static final Set<String> ALLOWED = Set.of(ScoreMessage.class.getName(), LawnRef.class.getName(), "[I");

    /** One stream per tablet message; the descriptors it resolves are cached in the stream itself. */
    static final class TabletInputStream extends ObjectInputStream {
        final long streamId;
        final Map<String, ObjectStreamClass> seen = new HashMap<>();
        TabletInputStream(byte[] data, long streamId) throws IOException { super(new ByteArrayInputStream(data)); this.streamId = streamId; }
        @Override protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (!ALLOWED.contains(desc.getName())) throw new InvalidClassException(desc.getName(), "not a score-feed class");
            seen.putIfAbsent(desc.getName(), desc);
            return super.resolveClass(desc);
        }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class LeagueService {
        final Map<String, Player> players = new HashMap<>();
        final String[] assocNos = new String[PLAYERS];
        final Map<Long, Account> accounts = new HashMap<>();
        final long[] userIds = new long[USERS];
        final SessionRegistry sessions = new SessionRegistry();
        final Map<StandingsKey, Standings> standings = new HashMap<>();
        final SearchCache searches = new SearchCache();
        final ArrayDeque<byte[]> scorecardBuffers = new ArrayDeque<>();
        final GameResult[] results = new GameResult[RING];
        final ArrayDeque<Mail> mailQueue = new ArrayDeque<>();
        long games, decoded, descriptorsSeen, mailsQueued, mailsSent, standingsHits, standingsComputed, requests;

        byte[] encode(ScoreMessage m) {
            try {
                ByteArrayOutputStream bos = new ByteArrayOutputStream(512);
                try (ObjectOutputStream out = new ObjectOutputStream(bos)) { out.writeObject(m); }
                return bos.toByteArray();
            } catch (IOException e) { throw new UncheckedIOException(e); }
        }

        ScoreMessage decode(byte[] data) {
            try (TabletInputStream in = new TabletInputStream(data, 500_000L + decoded)) {
                ScoreMessage m = (ScoreMessage) in.readObject();
                decoded++;
                descriptorsSeen += in.seen.size();
                return m;
            } catch (IOException e) { throw new UncheckedIOException(e); }
            catch (ClassNotFoundException e) { throw new IllegalStateException(e); }
        }

        void game(Random r, long t) {
            String home = assocNos[r.nextInt(PLAYERS)], away = assocNos[r.nextInt(PLAYERS)];
            int[] hoops = new int[8 + r.nextInt(18)];
            for (int k = 0; k < hoops.length; k++) hoops[k] = r.nextInt(3);
            Player hp = players.get(home);
            ScoreMessage m = decode(encode(new ScoreMessage("M" + (7_000_000 + games), home, away, hoops, t, new LawnRef(hp.clubCode(), (byte) (1 + r.nextInt(6))))));
            int h = 0, a = 0;
            for (int k = 0; k < m.hoopsByTurn.length; k++) { if ((k & 1) == 0) h += m.hoopsByTurn[k]; else a += m.hoopsByTurn[k]; }
            results[(int) (games++ % RING)] = new GameResult(m.matchId, m.home, m.away, h, a, t);
            byte[] buf = scorecardBuffers.poll();
            buf[(int) (games % buf.length)] = (byte) h;
            scorecardBuffers.add(buf);
            if (r.nextInt(100) < 30) { mailQueue.add(new Mail(home.toLowerCase(Locale.ROOT) + "@members.croquet.example", new byte[200 + r.nextInt(200)], t)); mailsQueued++; }
        }

        void request(Session s, Random r, long t) {
            s.lastSeen = t; s.requests++; requests++;
            StandingsKey key = new StandingsKey("D" + r.nextInt(DIVISIONS), 1, 1 + r.nextInt(ROUNDS));
            if (standings.containsKey(key)) standingsHits++;
            else {
                String[] order = new String[10];
                int[] net = new int[10];
                for (int k = 0; k < 10; k++) { order[k] = assocNos[r.nextInt(PLAYERS)]; net[k] = r.nextInt(60) - 30; }
                standings.put(key, new Standings(key, order, net, t));
                standingsComputed++;
            }
        }

        void search(Random r, long t) {
            // 4,000 popular query shapes; the tablet and phone UIs send the filters in any order and case
            int shape = r.nextInt(4_000);
            Random q = new Random(143_050_100L + shape);
            String county = CLUBS_BY_CODE.get("CC-" + (1_000 + q.nextInt(CLUBS))).county();
            String grade = GRADES[q.nextInt(GRADES.length)];
            List<String> raw = new ArrayList<>();
            for (String f : FILTERS) if (q.nextInt(4) == 0) raw.add(f);
            java.util.Collections.shuffle(raw, r);
            FixtureQuery key = FixtureQuery.of(county, grade, raw);
            FixturePage page = searches.get(key);
            if (page != null) { searches.hits++; return; }
            searches.misses++;
            String[] ids = new String[5 + r.nextInt(20)];
            for (int k = 0; k < ids.length; k++) ids[k] = "M" + (7_000_000 + r.nextInt(1 + (int) games));
            searches.put(key, new FixturePage(key, ids, new byte[300 + r.nextInt(300)], t));
        }

        void sendMail(long t) {
            while (!mailQueue.isEmpty() && mailQueue.peek().queuedAt() + 5 * MINUTE <= t) { mailQueue.poll(); mailsSent++; }
        }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - hours * HOUR;
        Random rnd = new Random(143_050_001);
        String[] counties = {"Kent", "Surrey", "Sussex", "Devon", "Dorset", "Cheshire", "Yorkshire", "Norfolk", "Hampshire", "Somerset", "Essex", "Oxfordshire"};
        for (int c = 0; c < CLUBS; c++) {
            double[] w = new double[52];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble() * 80;
            String code = "CC-" + (1_000 + c);
            CLUBS_BY_CODE.put(code, new Club(code, "Croquet Club " + c, counties[rnd.nextInt(counties.length)], w));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        for (int i = 0; i < PLAYERS; i++) {
            String no = "CA" + (40_000 + i * 7);
            svc.assocNos[i] = no;
            svc.players.put(no, new Player(no, "Player " + i, "CC-" + (1_000 + rnd.nextInt(CLUBS)), new byte[150 + rnd.nextInt(150)], today - (long) (1 + rnd.nextInt(4_000)) * DAY + rnd.nextInt((int) DAY)));
        }
        String[] roles = {"member", "member", "member", "captain", "handicapper", "club-secretary"};
        for (int u = 0; u < USERS; u++) {
            long id = 3_200_000L + u * 13L;
            svc.userIds[u] = id;
            svc.accounts.put(id, new Account(id, "user" + u + "@croquet.example", roles[rnd.nextInt(roles.length)], today - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scorecardBuffers.add(new byte[32_768]);
        Random traffic = new Random(143_050_002), games = new Random(143_050_003), search = new Random(143_050_004);
        String[] devices = {"ios", "android", "web", "club-tablet"};
        HexFormat hex = HexFormat.of();
        long tokenSeq = 0;
        for (int m = 0; m < hours * 60; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < LOGINS_PER_MINUTE; k++) {
                int u = traffic.nextInt(100) < 70 ? traffic.nextInt(USERS / 5) : traffic.nextInt(USERS);
                byte[] raw = new byte[24];
                traffic.nextBytes(raw);
                String token = "cq_" + hex.formatHex(raw) + Long.toString(tokenSeq++, 36);
                svc.sessions.login(new Session(token, svc.userIds[u], devices[traffic.nextInt(devices.length)], t, t + (3 + traffic.nextInt(38)) * MINUTE, traffic.nextInt(100) < 30));
                if (traffic.nextInt(400) == 0) svc.sessions.signOutEverywhere(svc.userIds[traffic.nextInt(USERS)]);
            }
            List<String> out = new ArrayList<>();
            for (Session s : svc.sessions.byToken.values()) {
                if (s.plannedEnd <= t) { if (s.logsOut) out.add(s.token); }
                else if (s.createdAt < t && traffic.nextInt(100) < 60) svc.request(s, traffic, t);
            }
            for (String tok : out) svc.sessions.logout(tok);
            svc.sessions.sweep(t);
            for (int g = 0; g < GAMES_PER_MINUTE; g++) svc.game(games, t + g * 1_000L);
            for (int q = 0; q < SEARCHES_PER_MINUTE; q++) svc.search(search, t);
            svc.sendMail(t);
        }
    }

    // expected counts of stages 1, 2, 3
    static final long[][] EXPECT = {
        // live sessions, listed tokens, users with tokens, logins, logouts, expired, searches cached, search evicted, standings, mail backlog
        {688, 688, 535, 2_400, 536, 1_176, 916, 0, 648, 74},
        {680, 680, 536, 4_800, 1_251, 2_869, 1_200, 313, 648, 71},
        {675, 675, 555, 9_600, 2_693, 6_232, 1_200, 1_379, 648, 75},
    };

    static String report(int stage, int hours) {
        LeagueService svc = SERVICE;
        SessionRegistry reg = svc.sessions;
        long listed = 0;
        for (List<String> l : reg.tokensByUser.values()) {
            listed += l.size();
            for (String tok : l) check(reg.byToken.containsKey(tok), "indexed token without session");
        }
        long[] got = {reg.byToken.size(), listed, reg.tokensByUser.size(), reg.logins, reg.logouts, reg.expired, svc.searches.size(), svc.searches.evicted, svc.standings.size(), svc.mailQueue.size()};
        String s = "stage " + stage + " (" + hours + " h) clubs " + CLUBS_BY_CODE.size() + " players " + svc.players.size() + " accounts " + svc.accounts.size()
                + " sessions " + got[0] + " listed tokens " + got[1] + " users " + got[2] + " logins " + got[3] + " logouts " + got[4] + " expired " + got[5] + " sign-out-all " + reg.signOutAll
                + " requests " + svc.requests + " standings " + got[8] + " (hits " + svc.standingsHits + ") searches " + got[6] + " (hits " + svc.searches.hits + ", misses " + svc.searches.misses + ", evicted " + got[7] + ")"
                + " games " + svc.games + " decoded " + svc.decoded + " descriptors " + svc.descriptorsSeen + " mail " + svc.mailsQueued + "/" + svc.mailsSent + " backlog " + got[9] + " pool " + svc.scorecardBuffers.size();
        System.out.println(s);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.players.size() == PLAYERS && svc.accounts.size() == USERS, "reference data / directory");
        check(got[0] == got[1], "every live session indexed once, nothing else");
        check(reg.logins == reg.logouts + reg.expired + reg.byToken.size(), "session accounting");
        check(svc.games == (long) GAMES_PER_MINUTE * 60 * hours && svc.decoded == svc.games && svc.descriptorsSeen == 3 * svc.games, "score feed");
        check(svc.scorecardBuffers.size() == POOL, "pool");
        check(svc.results[Math.min((int) svc.games, RING) - 1] != null, "ring");
        if (stage == 1) check(svc.searches.size() < SEARCH_CAP && svc.searches.evicted == 0, "search cache warming");
        else check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted > 0, "search cache at cap");
        check(svc.standings.size() <= DIVISIONS * ROUNDS, "standings bounded");
        long[] want = EXPECT[stage - 1];
        for (int k = 0; k < want.length; k++) check(got[k] == want[k], "count #" + k + " is " + got[k] + ", expected " + want[k]);
        return s;
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
}
