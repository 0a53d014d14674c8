// hprofscan-dump: name=val140-leak-badminton jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val140-leak-badminton-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Validation set 140 (written blind), LEAK: the league and court-booking service of a regional
 * badminton association, wired by a small home-grown dependency-injection container. The container
 * keeps a list of destroy callbacks to run at shutdown; it registers one for every disposable bean
 * it hands out, including the prototype-scoped beans created per request (a match-scoring session
 * with its score sheet and rally log, a court-booking form with its draft), so every request adds a
 * callback capturing its bean, and the list is drained only at shutdown. Club reference data, the
 * player directory, a rankings-page LRU at its cap, a pool of scoreboard buffers, a ring of recent
 * results and a confirmation-mail queue with a normal backlog. See VALIDATION140.md.
 */
public final class Val140LeakBadminton {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, MAIL_AFTER = 4 * MINUTE;
    static final int CLUBS = 1_000, PLAYERS = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 4_000, HOURS = 10;
    static final String[] EVENTS = {"MS", "WS", "MD", "WD", "XD"};
    static boolean FIXED;

    interface Disposable { void destroy(); }

    record Club(String code, String name, int courts, double[] courtHoursByWeek) {}
    record Player(String licence, String name, String clubCode, int grade, byte[] profile, long registeredAt) {}
    record RankingPage(String key, byte[] rendered, long at) {}
    record MatchResult(String matchId, String event, String winner, String loser, String score, long at) {}
    record Mail(long mailId, String to, String subject, long queuedAt) {}

    /** Minimal DI container: singletons by name, prototype factories, destroy callbacks run at close(). */
    static final class Container {
        final Map<String, Object> singletons = new LinkedHashMap<>();
        final Map<String, Supplier<?>> prototypes = new HashMap<>();
        final List<Runnable> destroyCallbacks = new ArrayList<>();
        long prototypesCreated;

        <T> T singleton(String name, T bean) {
            singletons.put(name, bean);
            if (bean instanceof Disposable d) destroyCallbacks.add(d::destroy);
            return bean;
        }

        void prototype(String name, Supplier<?> factory) { prototypes.put(name, factory); }

        @SuppressWarnings("unchecked") <T> T get(String name) { return (T) singletons.get(name); }

        /** A new prototype instance. BUG: a disposable one is registered for destruction at shutdown. */
        @SuppressWarnings("unchecked") <T> T create(String name) {
            T bean = (T) prototypes.get(name).get();
            prototypesCreated++;
            if (!FIXED && bean instanceof Disposable d) destroyCallbacks.add(() -> d.destroy());
            return bean;
        }

        void close() {
            for (int i = destroyCallbacks.size() - 1; i >= 0; i--) destroyCallbacks.get(i).run();
            destroyCallbacks.clear();
        }
    }

    // ---- prototypes (one per request) ----
    static final class MatchScoringSession implements Disposable {
        final String matchId; final String courtId; byte[] scoreSheet; int[] rallyPoints; int rallies; boolean destroyed;
        MatchScoringSession(String matchId, String courtId, int sheetBytes) { this.matchId = matchId; this.courtId = courtId; this.scoreSheet = new byte[sheetBytes]; this.rallyPoints = new int[90]; }
        @Override public void destroy() { destroyed = true; scoreSheet = null; rallyPoints = null; }
    }
    static final class CourtBookingForm implements Disposable {
        final String clubCode; final String licence; String slot; byte[] draft; boolean destroyed;
        CourtBookingForm(String clubCode, String licence, int draftBytes) { this.clubCode = clubCode; this.licence = licence; this.draft = new byte[draftBytes]; }
        @Override public void destroy() { destroyed = true; draft = null; }
    }
    /** Not disposable: nothing to register. */
    static final class RankingQuery { final String event; final int grade; RankingQuery(String event, int grade) { this.event = event; this.grade = grade; } }

    // ---- singletons ----
    static final class PlayerDirectory { final Map<String, Player> byLicence = new HashMap<>(); final String[] licences = new String[PLAYERS]; }
    static final class RankingCache extends LinkedHashMap<String, RankingPage> implements Disposable {
        final int capacity; long evicted;
        RankingCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RankingPage> eldest) { if (size() > capacity) { evicted++; return true; } return false; }
        @Override public void destroy() { clear(); }
    }
    static final class ScoreboardPool implements Disposable {
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>(); long renders; boolean shut;
        ScoreboardPool() { for (int b = 0; b < POOL; b++) buffers.add(new byte[32_768]); }
        void render(MatchScoringSession s) { byte[] buf = buffers.poll(); buf[(int) (renders++ % buf.length)] = (byte) s.rallies; buffers.add(buf); }
        @Override public void destroy() { shut = true; }
    }
    static final class ResultLog { final MatchResult[] recent = new MatchResult[RING]; long count; void add(MatchResult r) { recent[(int) (count++ % RING)] = r; } }
    static final class Mailer implements Disposable {
        final ArrayDeque<Mail> queue = new ArrayDeque<>(); long queued, sent; boolean shut;
        @Override public void destroy() { shut = true; }
    }
    static final class PaymentGateway implements Disposable {
        final String merchantId; long charges; boolean shut;
        PaymentGateway(String merchantId) { this.merchantId = merchantId; }
        @Override public void destroy() { shut = true; }
    }
    static final class LeagueTable { final Map<String, int[]> pointsByClub = new HashMap<>(); }

    static final class LeagueService {
        final Container container;
        final PlayerDirectory players; final RankingCache rankings; final ScoreboardPool scoreboards; final ResultLog results; final Mailer mailer; final PaymentGateway payments; final LeagueTable table;
        long scoring, bookings, rankingViews, rankingHits;
        LeagueService(Container c) {
            container = c;
            players = c.get("players"); rankings = c.get("rankings"); scoreboards = c.get("scoreboards"); results = c.get("results"); mailer = c.get("mailer"); payments = c.get("payments"); table = c.get("leagueTable");
        }

        void handle(Random r, long t) {
            int kind = r.nextInt(10);
            if (kind < 3) scoreMatch(r, t);
            else if (kind < 5) bookCourt(r, t);
            else viewRankings(r, t);
            while (!mailer.queue.isEmpty() && mailer.queue.peekFirst().queuedAt() + MAIL_AFTER <= t) { mailer.queue.pollFirst(); mailer.sent++; }
        }

        void scoreMatch(Random r, long t) {
            String matchId = "BM" + (610_000 + scoring);
            MatchScoringSession s = container.create("scoringSession");
            s.rallies = 40 + r.nextInt(50);
            for (int k = 0; k < s.rallies; k++) s.rallyPoints[k] = r.nextInt(2);
            scoreboards.render(s);
            Player a = players.byLicence.get(players.licences[r.nextInt(PLAYERS)]), b = players.byLicence.get(players.licences[r.nextInt(PLAYERS)]);
            int g1 = 21, g2 = 10 + r.nextInt(10);
            results.add(new MatchResult(matchId, EVENTS[r.nextInt(EVENTS.length)], a.licence(), b.licence(), g1 + "-" + g2 + ", " + g1 + "-" + (8 + r.nextInt(12)), t));
            table.pointsByClub.computeIfAbsent(a.clubCode(), k -> new int[2])[0] += 2;
            scoring++;
        }

        void bookCourt(Random r, long t) {
            CourtBookingForm f = container.create("bookingForm");
            f.slot = "court " + (1 + r.nextInt(8)) + " +" + (1 + r.nextInt(14)) + "d " + (17 + r.nextInt(5)) + ":00";
            payments.charges++;
            mailer.queue.addLast(new Mail(33_000_000L + mailer.queued++, f.licence + "@members.example", "Court booked: " + f.slot, t));
            bookings++;
        }

        void viewRankings(Random r, long t) {
            RankingQuery q = container.create("rankingQuery");
            int bytes = 400 + r.nextInt(400);
            String key = q.event + "/grade-" + q.grade + "/page-" + r.nextInt(120);
            rankingViews++;
            if (rankings.get(key) != null) rankingHits++;
            else rankings.put(key, new RankingPage(key, new byte[bytes], t));
        }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();
    static Container CONTAINER;
    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(140_050_001L);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] hours = new double[52];
            for (int k = 0; k < hours.length; k++) hours[k] = rnd.nextDouble() * 60;
            clubCodes[c] = "BC" + (4_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Badminton club " + c, 2 + rnd.nextInt(10), hours));
        }
        Container c = new Container();
        CONTAINER = c;
        PlayerDirectory players = c.singleton("players", new PlayerDirectory());
        for (int i = 0; i < PLAYERS; i++) {
            String licence = "BE" + (1_300_000 + i * 11);
            players.licences[i] = licence;
            players.byLicence.put(licence, new Player(licence, "Player " + i, clubCodes[rnd.nextInt(CLUBS)], 1 + rnd.nextInt(9), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * DAY));
        }
        c.singleton("rankings", new RankingCache(PAGE_CAP));
        c.singleton("scoreboards", new ScoreboardPool());
        c.singleton("results", new ResultLog());
        c.singleton("mailer", new Mailer());
        c.singleton("payments", new PaymentGateway("MID-77310"));
        c.singleton("leagueTable", new LeagueTable());
        Random beans = new Random(140_050_003L);
        c.prototype("scoringSession", () -> new MatchScoringSession("BM" + (610_000 + SERVICE.scoring), "court-" + (1 + beans.nextInt(8)), 256 + beans.nextInt(256)));
        c.prototype("bookingForm", () -> new CourtBookingForm(clubCodes[beans.nextInt(CLUBS)], players.licences[beans.nextInt(PLAYERS)], 150 + beans.nextInt(150)));
        c.prototype("rankingQuery", () -> new RankingQuery(EVENTS[beans.nextInt(EVENTS.length)], 1 + beans.nextInt(9)));
        LeagueService svc = new LeagueService(c);
        SERVICE = svc;
        Random traffic = new Random(140_050_002L);
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            svc.handle(traffic, t);
        }
    }

    static void report() {
        Container c = CONTAINER;
        LeagueService svc = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " players " + svc.players.byLicence.size() + " singletons " + c.singletons.size() + " prototypes created " + c.prototypesCreated
                + " (scoring " + svc.scoring + ", bookings " + svc.bookings + ", ranking queries " + svc.rankingViews + ") destroy callbacks " + c.destroyCallbacks.size());
        System.out.println("  rankings " + svc.rankings.size() + " (hits " + svc.rankingHits + ", evicted " + svc.rankings.evicted + ") pool " + svc.scoreboards.buffers.size() + " results " + svc.results.count
                + " mails " + svc.mailer.queued + " sent " + svc.mailer.sent + " backlog " + svc.mailer.queue.size() + " league clubs " + svc.table.pointsByClub.size());
        check(CLUBS_BY_CODE.size() == CLUBS && svc.players.byLicence.size() == PLAYERS, "reference data / directory");
        check(c.singletons.size() == 7 && c.prototypesCreated == (long) REQUESTS_PER_HOUR * HOURS, "container / traffic");
        if (FIXED) check(c.destroyCallbacks.size() == 4, "fixed: the 4 disposable singletons");
        else check(c.destroyCallbacks.size() == 4 + svc.scoring + svc.bookings && svc.scoring == 11_889 && svc.bookings == 7_997, "leak: a callback per disposable prototype: " + c.destroyCallbacks.size());
        check(svc.rankings.size() == PAGE_CAP && svc.rankings.evicted > 0, "rankings LRU at its cap");
        check(svc.scoreboards.buffers.size() == POOL && svc.results.recent[RING - 1] != null, "pool / ring");
        check(svc.mailer.queued - svc.mailer.sent == svc.mailer.queue.size(), "mail queue");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val140.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
