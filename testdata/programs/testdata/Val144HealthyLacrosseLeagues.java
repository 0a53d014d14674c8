// hprofscan-dump: name=val144-healthy-lacrosseleagues jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val144-healthy-lacrosseleagues-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 144 (written blind), HEALTHY: the league-operations platform of a lacrosse
 * federation, multi-tenant with a fixed 40 leagues. Each league has one scheduler
 * ({@code Executors.newSingleThreadScheduledExecutor}) running its periodic referee-assignment sync;
 * a configuration change re-onboards the league and shuts the previous scheduler down (and waits
 * for its thread). Finished game sheets are scored in batches on a small worker pool; the batch's
 * list of futures is cleared once the batch is applied. Beside them: a large read-only travel-time
 * table between venues, the player directory, season stats, a standings-page cache at its cap, a
 * pool of score-sheet buffers, a ring of recent plays and the referee-notification backlog.
 * See VALIDATION144.md.
 */
public final class Val144HealthyLacrosseLeagues {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int LEAGUES = 40, VENUES = 1_400, PLAYERS = 18_000, PAGE_CAP = 2_000, POOL = 16, RING = 8_192, HOURS = 10,
            GAMES_PER_MINUTE = 2, PLAYS_PER_MINUTE = 40, PAGE_VIEWS_PER_MINUTE = 12, WORKERS = 3;
    static final long BATCH_EVERY = 5 * MINUTE, SYNC_PERIOD_MINUTES = 10, NOTIFY_DELAY = 10 * MINUTE;
    static final String[] PLAY_TYPES = {"goal", "assist", "ground-ball", "faceoff-win", "caused-turnover", "save", "penalty", "shot-on-goal"};

    record Venue(String code, String name, double lat, double lon, int fields) {}
    record Player(String playerNo, String name, String leagueId, byte[] waiver, long registeredAt) {}
    record StandingsPage(String key, byte[] html, long renderedAt) {}
    record Play(String gameId, String playerNo, String type, long at) {}
    record RefNotification(String refereeId, String gameId, String text, long at) {}
    record GameSheet(String gameId, String leagueId, String venue, long playedAt, String[] playerNos, int[] playTypes) {}
    record GameStats(String gameId, String leagueId, String[] playerNos, int[] goals, int[] assists, int[] groundBalls, int saves, long computedAt) {}
    record TenantConfig(String tenantId, String leagueName, int version, String refAssignApiKey, String webhookUrl,
                        Map<String, String> settings, byte[] rosterSnapshot, long loadedAt) {}

    /** The periodic referee-assignment sync of one league (runs every 10 minutes on the league's scheduler). */
    static final class RefereeSync implements Runnable {
        final TenantConfig config; long runs;
        RefereeSync(TenantConfig config) { this.config = config; }
        @Override public void run() { runs++; }
    }

    static final class LeagueRuntime {
        final String tenantId;
        TenantConfig config; ScheduledExecutorService syncer; Thread syncThread;
        LeagueRuntime(String tenantId) { this.tenantId = tenantId; }
    }

    static final class PageCache extends LinkedHashMap<String, StandingsPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StandingsPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    /** Read-only reference data loaded at startup. */
    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();
    static final String[] VENUE_CODES = new String[VENUES];
    /** Driving minutes between venues, VENUES x VENUES, row-major; read by referee assignment. */
    static int[] TRAVEL_MINUTES;

    static final class LeagueService {
        final Map<String, LeagueRuntime> tenants = new HashMap<>();
        final String[] tenantIds = new String[LEAGUES];
        final Map<String, Player> players = new HashMap<>();
        final String[] playerNos = new String[PLAYERS];
        final Map<String, int[]> seasonStats = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> sheetBuffers = new ArrayDeque<>();
        final Play[] recentPlays = new Play[RING];
        final ArrayDeque<RefNotification> refNotifications = new ArrayDeque<>();
        final ArrayDeque<GameSheet> finishedGames = new ArrayDeque<>();
        final ExecutorService statsPool;
        final List<Future<GameStats>> inFlight = new ArrayList<>();
        long onboarded, reonboarded, shutDown, plays, games, batches, statsApplied, pageViews, notified, notificationsSent, travelLookups;

        LeagueService() {
            AtomicInteger n = new AtomicInteger();
            statsPool = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "stats-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }

        void onboard(TenantConfig cfg) throws InterruptedException {
            LeagueRuntime rt = tenants.computeIfAbsent(cfg.tenantId(), LeagueRuntime::new);
            if (rt.syncer != null) {
                rt.syncer.shutdown();
                if (!rt.syncer.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("sync of " + rt.tenantId + " did not stop");
                rt.syncThread.join(10_000);
                shutDown++;
                reonboarded++;
            } else {
                onboarded++;
            }
            Thread[] created = new Thread[1];
            ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "league-sync-" + cfg.tenantId() + "-v" + cfg.version());
                t.setDaemon(true);
                created[0] = t;
                return t;
            });
            exec.scheduleAtFixedRate(new RefereeSync(cfg), SYNC_PERIOD_MINUTES, SYNC_PERIOD_MINUTES, TimeUnit.MINUTES);
            rt.config = cfg; rt.syncer = exec; rt.syncThread = created[0];
        }

        void play(Random r, long t) {
            GameSheet g = finishedGames.peekLast();
            String playerNo = playerNos[r.nextInt(PLAYERS)];
            recentPlays[(int) (plays++ % RING)] = new Play(g == null ? "G-0" : g.gameId(), playerNo, PLAY_TYPES[r.nextInt(PLAY_TYPES.length)], t);
        }

        void finishGame(Random r, long t) {
            String league = tenantIds[r.nextInt(LEAGUES)];
            int n = 20 + r.nextInt(21);
            String[] nos = new String[n];
            int[] types = new int[n * 6];
            for (int i = 0; i < n; i++) nos[i] = playerNos[r.nextInt(PLAYERS)];
            for (int i = 0; i < types.length; i++) types[i] = r.nextInt(PLAY_TYPES.length);
            int from = r.nextInt(VENUES), to = r.nextInt(VENUES);
            travelLookups++;
            int minutes = TRAVEL_MINUTES[from * VENUES + to];
            String gameId = "G-" + Long.toString(0x3f_0000L + games++, 36).toUpperCase();
            finishedGames.addLast(new GameSheet(gameId, league, VENUE_CODES[from], t, nos, types));
            refNotifications.addLast(new RefNotification("REF-" + (5_000 + r.nextInt(900)), gameId, "Game sheet " + gameId + " filed; next assignment " + minutes + " min away", t));
            notified++;
            while (!refNotifications.isEmpty() && refNotifications.peekFirst().at() <= t - NOTIFY_DELAY) { refNotifications.pollFirst(); notificationsSent++; }
        }

        static GameStats score(GameSheet g, long at) {
            int n = g.playerNos().length;
            int[] goals = new int[n], assists = new int[n], gbs = new int[n];
            int saves = 0;
            for (int i = 0; i < g.playTypes().length; i++) {
                int p = i % n;
                switch (g.playTypes()[i]) {
                    case 0 -> goals[p]++;
                    case 1 -> assists[p]++;
                    case 2 -> gbs[p]++;
                    case 5 -> saves++;
                    default -> { }
                }
            }
            return new GameStats(g.gameId(), g.leagueId(), g.playerNos(), goals, assists, gbs, saves, at);
        }

        /** Scores the games finished since the last batch on the pool, applies the results, then forgets the futures. */
        void runBatch(long t) throws InterruptedException, ExecutionException {
            batches++;
            while (!finishedGames.isEmpty()) {
                GameSheet g = finishedGames.pollFirst();
                inFlight.add(statsPool.submit(() -> score(g, t)));
            }
            for (Future<GameStats> f : inFlight) {
                GameStats s = f.get();
                for (int i = 0; i < s.goals().length; i++) {
                    int[] st = seasonStats.computeIfAbsent(s.playerNos()[i], k -> new int[3]); // one row per player, bounded by the directory
                    st[0] += s.goals()[i]; st[1] += s.assists()[i]; st[2] += s.groundBalls()[i];
                }
                statsApplied++;
            }
            inFlight.clear();
            byte[] buf = sheetBuffers.poll();
            buf[(int) (batches % buf.length)] = (byte) statsApplied;
            sheetBuffers.add(buf);
        }

        void viewPage(Random r, long t) {
            pageViews++;
            String key = "standings/" + tenantIds[r.nextInt(LEAGUES)] + "/div" + r.nextInt(12) + "/wk" + r.nextInt(30);
            if (pages.get(key) == null) pages.put(key, new StandingsPage(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static TenantConfig config(Random r, String tenantId, int version, long at) {
        Map<String, String> settings = new HashMap<>();
        settings.put("season", "spring");
        settings.put("timezone", "America/" + (r.nextBoolean() ? "New_York" : "Denver"));
        settings.put("ref.maxTravelMinutes", Integer.toString(45 + r.nextInt(90)));
        settings.put("ref.crewSize", Integer.toString(2 + r.nextInt(2)));
        settings.put("ref.minCertification", "level-" + (1 + r.nextInt(3)));
        settings.put("game.periodMinutes", Integer.toString(10 + r.nextInt(3) * 2));
        settings.put("game.shotClock", Integer.toString(r.nextBoolean() ? 80 : 60));
        settings.put("sync.batchSize", Integer.toString(50 + r.nextInt(200)));
        settings.put("notify.email", "ops@" + tenantId.toLowerCase() + ".example.org");
        settings.put("notify.sms", r.nextBoolean() ? "on" : "off");
        settings.put("roster.lockDay", Integer.toString(1 + r.nextInt(6)));
        settings.put("branding.colour", "#" + Integer.toHexString(0x100000 + r.nextInt(0xEFFFFF)));
        return new TenantConfig(tenantId, "League " + tenantId, version, Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()),
                "https://" + tenantId.toLowerCase() + ".refassign.example.com/hooks/v2", settings, new byte[4_096 + r.nextInt(4_096)], at);
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(144_050_001);
        for (int v = 0; v < VENUES; v++) {
            VENUE_CODES[v] = "VN-" + (10_000 + v * 3);
            VENUES_BY_CODE.put(VENUE_CODES[v], new Venue(VENUE_CODES[v], "Field complex " + v, 30 + rnd.nextDouble() * 15, -120 + rnd.nextDouble() * 45, 1 + rnd.nextInt(8)));
        }
        int[] travel = new int[VENUES * VENUES];
        for (int a = 0; a < VENUES; a++) for (int b = a; b < VENUES; b++) {
            int m = a == b ? 0 : 5 + rnd.nextInt(600);
            travel[a * VENUES + b] = m; travel[b * VENUES + a] = m;
        }
        TRAVEL_MINUTES = travel;
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        for (int i = 0; i < LEAGUES; i++) svc.tenantIds[i] = "LAX-" + (char) ('A' + i % 26) + (char) ('K' + i / 26) + (100 + i * 13);
        for (int p = 0; p < PLAYERS; p++) {
            svc.playerNos[p] = "LX" + (3_000_000 + p * 11);
            svc.players.put(svc.playerNos[p], new Player(svc.playerNos[p], "Player " + p, svc.tenantIds[p % LEAGUES], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.sheetBuffers.add(new byte[65_536]);
        Random cfg = new Random(144_050_002);
        int[] versions = new int[LEAGUES];
        for (int i = 0; i < LEAGUES; i++) svc.onboard(config(cfg, svc.tenantIds[i], versions[i] = 1, start - (long) (1 + cfg.nextInt(300)) * DAY));

        Random traffic = new Random(144_050_003), views = new Random(144_050_004), changes = new Random(144_050_005);
        long nextBatch = start + BATCH_EVERY;
        for (long t = start; t < end; t += MINUTE) {
            for (int i = 0; i < PLAYS_PER_MINUTE; i++) svc.play(traffic, t + i * 1_500L);
            for (int g = 0; g < GAMES_PER_MINUTE; g++) svc.finishGame(traffic, t + (15 + g * 20) * SECOND);
            for (int i = 0; i < PAGE_VIEWS_PER_MINUTE; i++) svc.viewPage(views, t + i * 5 * SECOND);
            if (changes.nextInt(1_000) < 250) { // a league admin saves new settings
                int i = changes.nextInt(LEAGUES);
                svc.onboard(config(changes, svc.tenantIds[i], ++versions[i], t));
            }
            while (nextBatch <= t) { svc.runBatch(nextBatch); nextBatch += BATCH_EVERY; }
        }
    }

    static void report() {
        LeagueService svc = SERVICE;
        int syncThreads = 0, workerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("league-sync-")) syncThreads++;
            if (th.getName().startsWith("stats-worker-")) workerThreads++;
        }
        int liveSchedulers = 0;
        for (LeagueRuntime rt : svc.tenants.values()) if (!rt.syncer.isShutdown() && rt.syncThread.isAlive()) liveSchedulers++;
        System.out.println("venues " + VENUES_BY_CODE.size() + " travel table " + TRAVEL_MINUTES.length + " players " + svc.players.size() + " tenants " + svc.tenants.size()
                + " onboarded " + svc.onboarded + " re-onboarded " + svc.reonboarded + " shut down " + svc.shutDown + " sync threads " + syncThreads + " (live schedulers " + liveSchedulers + ")"
                + " workers " + workerThreads + " games " + svc.games + " batches " + svc.batches + " stats applied " + svc.statsApplied + " in flight " + svc.inFlight.size()
                + " season stats " + svc.seasonStats.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.sheetBuffers.size()
                + " plays " + svc.plays + " ref notifications " + svc.refNotifications.size() + " (" + svc.notified + " / " + svc.notificationsSent + ") unbatched " + svc.finishedGames.size());
        check(VENUES_BY_CODE.size() == VENUES && TRAVEL_MINUTES.length == VENUES * VENUES && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.tenants.size() == LEAGUES && svc.onboarded == LEAGUES && svc.shutDown == svc.reonboarded && svc.reonboarded == EXPECTED[0], "tenants " + svc.reonboarded);
        check(syncThreads == LEAGUES && liveSchedulers == LEAGUES && workerThreads == WORKERS, "threads " + syncThreads + " / " + workerThreads);
        check(svc.games == EXPECTED[1] && svc.statsApplied + svc.finishedGames.size() == svc.games && svc.inFlight.isEmpty(), "games " + svc.games);
        check(svc.seasonStats.size() == EXPECTED[2], "season stats " + svc.seasonStats.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted == EXPECTED[3], "page cache " + svc.pages.evicted);
        check(svc.refNotifications.size() == EXPECTED[4], "notifications " + svc.refNotifications.size());
        check(svc.sheetBuffers.size() == POOL && svc.recentPlays[RING - 1] != null, "pool / ring");
    }

    /** Re-onboardings, games, season-stat rows, pages evicted, notification backlog. */
    static final long[] EXPECTED = {151, 1_200, 15_534, 4_341, 20};

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
