// hprofscan-dump: name=val18-healthy-sportsleague jvm="-Xmx256m" variants=mxbean args="testdata/build/plugin-classes"
// hprofscan-dump: name=val18-healthy-sportsleague-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="testdata/build/plugin-classes"
package testdata;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 18 (written blind), HEALTHY: the fixtures and results service of a regional
 * amateur sports federation. Each of its 24 member associations has its own scoring-rules
 * plugin ({@code testdata.plugin.Plugin} from build/plugin-classes) in its own URLClassLoader,
 * loaded once at startup and all in use. A 24-thread worker pool renders player cards; each
 * worker keeps a per-thread LRU of its last 256 rendered cards in a static {@code ThreadLocal}
 * (bounded, at its cap on every thread). Reference data: the player registry and the season's
 * fixtures. Bounded: the scoresheet renderer pool (all idle), the match-event ring (full, wrapping),
 * the standings cache at its cap. See testdata/VALIDATION18.md.
 */
public final class Val18HealthySportsLeague {
    static final String PLUGIN_CLASS = "testdata.plugin.Plugin";
    static final int ASSOCIATIONS = 24;
    static final int RULES = 400;
    static final int PLAYERS = 80_000;
    static final int FIXTURES = 12_000;
    static final int WORKERS = 24;
    static final int CARD_CAP = 256;
    static final int RENDERERS = 32;
    static final int EVENT_SLOTS = 16_384;
    static final int STANDINGS_CAP = 1_500;
    static final int DIVISION_WEEKS = 3_000;
    static final long SIM_HOURS = 9;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static LeagueService LEAGUE;

    static final class Association { final String name; final URLClassLoader loader; final Object rulesPlugin; final String[] rulebook; final int[] pointsTable; final long loadedAt; long fixturesScored;
        Association(String name, URLClassLoader loader, Object rulesPlugin, String[] rulebook, int[] pointsTable, long loadedAt) { this.name = name; this.loader = loader; this.rulesPlugin = rulesPlugin; this.rulebook = rulebook; this.pointsTable = pointsTable; this.loadedAt = loadedAt; } }

    static final class Player { final long id; final String name; final long bornAt; final String club; final int[] seasonStats;
        Player(long id, String name, long bornAt, String club, int[] seasonStats) { this.id = id; this.name = name; this.bornAt = bornAt; this.club = club; this.seasonStats = seasonStats; } }

    /** Reference data: every registered player, loaded at startup. */
    static final class PlayerRegistry {
        static final Map<Long, Player> BY_ID = new HashMap<>();
    }

    static final class Fixture { final int id; final String association; final String home; final String away; final long kickoffAt; final String venue; final int[] lineup; int homeScore = -1, awayScore = -1;
        Fixture(int id, String association, String home, String away, long kickoffAt, String venue, int[] lineup) { this.id = id; this.association = association; this.home = home; this.away = away; this.kickoffAt = kickoffAt; this.venue = venue; this.lineup = lineup; } }

    static final class PlayerCard { final long playerId; final String html; final long renderedAt;
        PlayerCard(long playerId, String html, long renderedAt) { this.playerId = playerId; this.html = html; this.renderedAt = renderedAt; } }

    static final class CardLru extends LinkedHashMap<Long, PlayerCard> {
        long evicted;
        CardLru() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, PlayerCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    /** Per worker thread: the last 256 rendered player cards (bounded). */
    static final ThreadLocal<CardLru> RECENT_CARDS = ThreadLocal.withInitial(CardLru::new);

    static final class ScoresheetRenderer { final int id; final char[] page = new char[8_192]; long uses;
        ScoresheetRenderer(int id) { this.id = id; } }

    static final class MatchEvent { int fixtureId; long playerId; String kind; int minute; long at; }

    static final class StandingsCache extends LinkedHashMap<String, String> {
        long evicted;
        StandingsCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { if (size() > STANDINGS_CAP) { evicted++; return true; } return false; }
    }

    static final class LeagueService {
        final Map<String, Association> associations = new HashMap<>();
        final Map<Integer, Fixture> fixtures = new HashMap<>();
        final ArrayDeque<ScoresheetRenderer> idleRenderers = new ArrayDeque<>();
        final MatchEvent[] events = new MatchEvent[EVENT_SLOTS];
        long eventsWritten;
        final StandingsCache standings = new StandingsCache();
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "league-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long standingsComputed, cardsRendered;

        void loadAssociation(String name, File dir, long at, Random rnd) throws Exception {
            URLClassLoader loader = new URLClassLoader("assoc-" + name + "-rules", new URL[] {dir.toURI().toURL()}, Val18HealthySportsLeague.class.getClassLoader());
            Class<?> impl = Class.forName(PLUGIN_CLASS, true, loader);
            if (impl.getClassLoader() != loader) throw new IllegalStateException("plugin class is on the host class path: " + impl.getClassLoader());
            Object plugin = impl.getDeclaredConstructor().newInstance();
            String[] rules = new String[RULES];
            for (int i = 0; i < RULES; i++) rules[i] = name + " rule " + i + ": a win scores " + (2 + i % 2) + " points, a draw 1, bonus for " + (3 + i % 3) + " or more goals";
            int[] points = new int[64];
            for (int i = 0; i < points.length; i++) points[i] = rnd.nextInt(5);
            associations.put(name, new Association(name, loader, plugin, rules, points, at));
        }

        PlayerCard card(long playerId, long t) {
            CardLru lru = RECENT_CARDS.get();
            PlayerCard c = lru.get(playerId);
            if (c == null) {
                Player p = PlayerRegistry.BY_ID.get(playerId);
                c = new PlayerCard(playerId, "<div class=\"card\"><h3>" + p.name + "</h3><p>" + p.club + "</p><table><tr><td>apps</td><td>" + p.seasonStats[0] + "</td></tr><tr><td>goals</td><td>" + p.seasonStats[1] + "</td></tr><tr><td>assists</td><td>" + p.seasonStats[2] + "</td></tr></table></div>", t);
                lru.put(playerId, c);
                synchronized (this) { cardsRendered++; }
            }
            return c;
        }

        void event(int fixtureId, long playerId, String kind, int minute, long t) {
            int slot = (int) (eventsWritten++ % EVENT_SLOTS);
            MatchEvent e = events[slot];
            if (e == null) { e = new MatchEvent(); events[slot] = e; }
            e.fixtureId = fixtureId; e.playerId = playerId; e.kind = kind; e.minute = minute; e.at = t;
        }

        String standings(String divisionWeek, Random rnd) {
            String s = standings.get(divisionWeek);
            if (s == null) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 16; i++) sb.append("<tr><td>").append(i + 1).append("</td><td>Club ").append(rnd.nextInt(900)).append("</td><td>").append(rnd.nextInt(60)).append("</td></tr>");
                s = sb.toString();
                standings.put(divisionWeek, s);
                standingsComputed++;
            }
            return s;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        File pluginDir = new File(args[2]);
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(18_060_006);
        LeagueService svc = new LeagueService();
        LEAGUE = svc;
        for (int i = 0; i < 45; i++) svc.config.setProperty("league.division." + i + ".promotion", Integer.toString(1 + i % 3));
        String[] sports = {"football", "netball", "hockey", "rugby", "basketball", "cricket"};
        String[] regions = {"north", "south", "east", "west"};
        List<String> assocNames = new ArrayList<>();
        for (int i = 0; i < ASSOCIATIONS; i++) {
            String name = sports[i % sports.length] + "-" + regions[i / sports.length];
            svc.loadAssociation(name, pluginDir, start - (i + 1) * MINUTE, rnd);
            assocNames.add(name);
        }
        String[] clubs = new String[900];
        for (int i = 0; i < clubs.length; i++) clubs[i] = "Club " + i + " " + regions[i % 4].toUpperCase() + " AFC";
        long[] playerIds = new long[PLAYERS];
        for (int i = 0; i < PLAYERS; i++) {
            int[] stats = new int[20];
            for (int k = 0; k < stats.length; k++) stats[k] = rnd.nextInt(40);
            long id = 3_300_000L + i;
            PlayerRegistry.BY_ID.put(id, new Player(id, "Player " + id + " " + (char) ('A' + i % 26) + ".", start - (long) ((16 + rnd.nextDouble() * 30) * 365 * 24 * HOUR), clubs[rnd.nextInt(clubs.length)], stats));
            playerIds[i] = id;
        }
        for (int i = 0; i < FIXTURES; i++) {
            int[] lineup = new int[22];
            for (int k = 0; k < lineup.length; k++) lineup[k] = rnd.nextInt(PLAYERS);
            svc.fixtures.put(50_000 + i, new Fixture(50_000 + i, assocNames.get(i % ASSOCIATIONS), clubs[rnd.nextInt(900)], clubs[rnd.nextInt(900)], start + (long) (rnd.nextDouble() * 30 * 24 * HOUR) - 15 * 24 * HOUR, "Ground " + (i % 700) + ", Recreation Park", lineup));
        }
        for (int i = 0; i < RENDERERS; i++) svc.idleRenderers.add(new ScoresheetRenderer(i));
        // Warm the pool: every worker renders 400 distinct cards once (its LRU fills to the cap).
        CyclicBarrier ready = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            final int base = w * 400;
            warm.add(svc.workers.submit(() -> { ready.await(); for (int k = 0; k < 400; k++) svc.card(playerIds[base + k], start); return null; }));
        }
        for (Future<?> f : warm) f.get();

        // Traffic: card-page batches on the pool (awaited one by one), match events from the
        // fixtures played today, standings requests, a scoresheet rendered per finished fixture.
        String[] kinds = {"goal", "assist", "yellow", "red", "sub-on", "sub-off"};
        int minutes = (int) (SIM_HOURS * 60);
        int standingsRequests = 0, scoresheets = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + (now - start) * (m + 1) / minutes - 1_000;
            List<Future<?>> batch = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                final int from = rnd.nextInt(PLAYERS - 30);
                final int span = rnd.nextInt(10) == 0 ? 30 : 5;
                batch.add(svc.workers.submit(() -> { for (int k = 0; k < span; k++) svc.card(playerIds[from + k], t); return null; }));
            }
            for (Future<?> f : batch) f.get();
            for (int e = 0; e < 80; e++) {
                Fixture fx = svc.fixtures.get(50_000 + rnd.nextInt(FIXTURES));
                svc.event(fx.id, playerIds[fx.lineup[rnd.nextInt(22)]], kinds[rnd.nextInt(kinds.length)], 1 + rnd.nextInt(90), t);
            }
            for (int s = 0; s < 12; s++) { svc.standings("div-week-" + rnd.nextInt(DIVISION_WEEKS), rnd); standingsRequests++; }
            if (m % 3 == 0) {
                Fixture fx = svc.fixtures.get(50_000 + rnd.nextInt(FIXTURES));
                fx.homeScore = rnd.nextInt(5); fx.awayScore = rnd.nextInt(5);
                Association a = svc.associations.get(fx.association);
                a.fixturesScored++;
                ScoresheetRenderer r = svc.idleRenderers.poll();
                r.uses++;
                for (int k = 0; k < 200; k++) r.page[k] = (char) ('a' + k % 26);
                svc.idleRenderers.add(r);
                scoresheets++;
            }
        }
        // Read every worker's LRU size on the worker itself.
        CyclicBarrier all = new CyclicBarrier(WORKERS);
        List<Future<Integer>> sizes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) sizes.add(svc.workers.submit(() -> { all.await(); return RECENT_CARDS.get().size(); }));
        int cardsHeld = 0, atCap = 0;
        for (Future<Integer> f : sizes) { int n = f.get(); cardsHeld += n; if (n == CARD_CAP) atCap++; }
        int inUse = 0;
        for (Association a : svc.associations.values()) if (a.fixturesScored > 0) inUse++;
        System.out.println("associations " + svc.associations.size() + " (in use " + inUse + ") players " + PlayerRegistry.BY_ID.size() + " fixtures " + svc.fixtures.size() + " workers " + svc.workers.getPoolSize() + " cards held " + cardsHeld + " (threads at cap " + atCap + ", rendered " + svc.cardsRendered + ") renderers idle " + svc.idleRenderers.size() + " (scoresheets " + scoresheets + ") events written " + svc.eventsWritten + " standings " + svc.standings.size() + " (requests " + standingsRequests + ", evicted " + svc.standings.evicted + ")");
        check(svc.associations.size() == ASSOCIATIONS && inUse == ASSOCIATIONS, "associations");
        check(PlayerRegistry.BY_ID.size() == PLAYERS && svc.fixtures.size() == FIXTURES, "reference data");
        check(svc.workers.getPoolSize() == WORKERS && atCap == WORKERS && cardsHeld == WORKERS * CARD_CAP, "worker card lrus");
        check(svc.idleRenderers.size() == RENDERERS, "renderer pool");
        check(svc.eventsWritten == (long) minutes * 80 && svc.eventsWritten > EVENT_SLOTS, "event ring");
        check(svc.standings.size() == STANDINGS_CAP && svc.standings.evicted == svc.standingsComputed - STANDINGS_CAP, "standings cache");
        LeakCheck.histogram("java.net.URLClassLoader ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
