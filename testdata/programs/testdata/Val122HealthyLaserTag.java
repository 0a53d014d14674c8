// hprofscan-dump: name=val122-healthy-lasertag-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val122-healthy-lasertag-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val122-healthy-lasertag jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-healthy-lasertag-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.Closeable;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Validation set 122 (written blind), HEALTHY, a growth series that warms up and plateaus: the
 * game-control service of a chain of laser-tag arenas. Spectator screens and phones follow an
 * arena's scoreboard through listener lambdas on a ScoreboardBus (removed when the session closes);
 * every running game has a vest-battery check scheduled at a fixed rate on a shared scheduler
 * (cancelled when the game ends); the arena map pack (a real zip file) is opened per game load with
 * try-with-resources through a reader that registers itself in a registry of open packs and leaves
 * it on close; the scoring rules are a plugin reloaded every 30 minutes in a fresh class loader,
 * the host keeping only the current generation. Beside them: arena reference data, the member
 * directory, a scorecard cache at its cap, a player-photo cache (fills by stage 2), a pool of vest
 * firmware buffers, a ring of game events (full from stage 2) and the booking-confirmation backlog.
 * Stages 1 / 4 / 8 hours (the program argument). See VALIDATION122.md.
 */
public final class Val122HealthyLaserTag {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ARENAS = 300, MEMBERS = 20_000, SCORECARD_CAP = 2_000, PHOTO_CAP = 1_200, POOL = 8, RING = 8_192,
            SPECTATORS_PER_MINUTE = 6, GAMES_PER_MINUTE = 2, EVENTS_PER_GAME_MINUTE = 4, RELOAD_MINUTES = 30, PACKS = 6;
    static final String[] THEMES = {"space-station", "jungle-ruins", "neon-city", "pirate-cove", "arctic-base", "haunted-manor"};

    public interface ScoringRules {
        int points(int hitsFront, int hitsBack, int baseCaptures);
        void retire();
    }

    /** Plugin class, defined by every RulesLoader; its scratch is set and removed around every call. */
    public static final class ArenaScoring implements ScoringRules {
        public static final ThreadLocal<int[]> SCRATCH = new ThreadLocal<>();
        public static final int[] MULTIPLIERS = new int[2_048];
        static { for (int i = 0; i < MULTIPLIERS.length; i++) MULTIPLIERS[i] = 1 + i % 5; }
        public final int generation;
        public ArenaScoring(int generation) { this.generation = generation; }
        public int points(int hitsFront, int hitsBack, int baseCaptures) {
            int[] s = new int[16];
            SCRATCH.set(s);
            try {
                s[0] = hitsFront * 10 + hitsBack * 15 + baseCaptures * 250;
                return s[0] * MULTIPLIERS[(hitsFront + baseCaptures) & 2_047];
            } finally {
                SCRATCH.remove();
            }
        }
        public void retire() { }
    }

    static final class RulesLoader extends ClassLoader {
        final Map<String, byte[]> bytecode;
        RulesLoader(int generation, Map<String, byte[]> bytecode) {
            super("arena-scoring-v" + generation, Val122HealthyLaserTag.class.getClassLoader());
            this.bytecode = bytecode;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    static final class ScoringHost {
        final Map<String, byte[]> bytecode = new HashMap<>();
        ScoringRules current;
        int generation;
        void reload() throws Exception {
            generation++;
            RulesLoader loader = new RulesLoader(generation, bytecode);
            ScoringRules next = (ScoringRules) loader.loadClass(Val122HealthyLaserTag.class.getName() + "$ArenaScoring").getConstructor(int.class).newInstance(generation);
            ScoringRules old = current;
            current = next;
            if (old != null) old.retire(); // the old generation is dropped: nothing else refers to it
        }
    }

    record Arena(String code, String city, double[] occupancyByQuarterHour) {}
    record Member(String number, String callsign, byte[] profile, long joinedAt) {}
    record ScoreEvent(String gameId, String arena, String callsign, int points, long at) {}
    record Scorecard(String gameId, byte[] pdf, long at) {}
    record PlayerPhoto(String member, byte[] jpeg, long at) {}
    record GameEvent(String gameId, String kind, String vest, long at) {}
    record Confirmation(String bookingId, String email, long sendAt) {}
    record Timed(long at, String id, int kind) {}

    static final class SpectatorSession {
        final String id, arena, device;
        final long openedAt;
        final ArrayDeque<String> lastFrames = new ArrayDeque<>();
        Consumer<ScoreEvent> listener;
        SpectatorSession(String id, String arena, String device, long openedAt) { this.id = id; this.arena = arena; this.device = device; this.openedAt = openedAt; }
        void onScore(ScoreEvent e) {
            lastFrames.addLast("{\"game\":\"" + e.gameId() + "\",\"player\":\"" + e.callsign() + "\",\"points\":" + e.points() + ",\"ts\":" + e.at() + "}");
            if (lastFrames.size() > 10) lastFrames.pollFirst();
        }
    }

    static final class ScoreboardBus {
        final Map<String, CopyOnWriteArrayList<Consumer<ScoreEvent>>> byArena = new ConcurrentHashMap<>();
        void subscribe(String arena, Consumer<ScoreEvent> l) { byArena.computeIfAbsent(arena, k -> new CopyOnWriteArrayList<>()).add(l); }
        void unsubscribe(String arena, Consumer<ScoreEvent> l) { List<Consumer<ScoreEvent>> ls = byArena.get(arena); if (ls != null) ls.remove(l); }
        void publish(ScoreEvent e) { List<Consumer<ScoreEvent>> ls = byArena.get(e.arena()); if (ls != null) for (Consumer<ScoreEvent> c : ls) c.accept(e); }
        int listeners() { int n = 0; for (List<?> l : byArena.values()) n += l.size(); return n; }
    }

    static final class Game {
        final String id, arena, theme;
        final long startedAt;
        final String[] vests;
        final int[] batteryPct;
        ScheduledFuture<?> batteryCheck;
        Game(String id, String arena, String theme, long startedAt, String[] vests) {
            this.id = id; this.arena = arena; this.theme = theme; this.startedAt = startedAt; this.vests = vests; this.batteryPct = new int[vests.length];
        }
    }

    static final class BatteryCheck implements Runnable {
        final Game game;
        BatteryCheck(Game game) { this.game = game; }
        @Override public void run() { for (int i = 0; i < game.batteryPct.length; i++) game.batteryPct[i] = Math.max(0, game.batteryPct[i] - 1); }
    }

    /** A map pack opened for one game load; leaves the registry when closed. */
    static final class MapPackReader implements Closeable {
        final ZipFile zip;
        final Set<MapPackReader> registry;
        MapPackReader(File file, Set<MapPackReader> registry) throws IOException { this.zip = new ZipFile(file); this.registry = registry; registry.add(this); }
        byte[] read(String entry) throws IOException { try (InputStream in = zip.getInputStream(zip.getEntry(entry))) { return in.readAllBytes(); } }
        @Override public void close() throws IOException { registry.remove(this); zip.close(); }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class GameControl {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, SpectatorSession> spectators = new HashMap<>();
        final ScoreboardBus scoreboard = new ScoreboardBus();
        final Map<String, Game> running = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler;
        final Map<String, File> packs = new HashMap<>();
        final Set<MapPackReader> openPacks = ConcurrentHashMap.newKeySet();
        final ScoringHost scoring = new ScoringHost();
        final Lru<Scorecard> scorecards = new Lru<>(SCORECARD_CAP);
        final Lru<PlayerPhoto> photos = new Lru<>(PHOTO_CAP);
        final ArrayDeque<byte[]> firmwareBuffers = new ArrayDeque<>();
        final GameEvent[] events = new GameEvent[RING];
        final ArrayDeque<Confirmation> confirmations = new ArrayDeque<>();
        long opened, closed, gamesStarted, gamesEnded, eventsWritten, packLoads, bytesLoaded, confirmationsSent;

        GameControl() {
            AtomicInteger n = new AtomicInteger();
            scheduler = new ScheduledThreadPoolExecutor(2, r -> new Thread(r, "vest-monitor-" + n.incrementAndGet()));
            scheduler.setRemoveOnCancelPolicy(true);
        }

        void openSpectator(SpectatorSession s) {
            spectators.put(s.id, s);
            s.listener = e -> s.onScore(e);
            scoreboard.subscribe(s.arena, s.listener);
            opened++;
        }

        void closeSpectator(String id) {
            SpectatorSession s = spectators.remove(id);
            if (s == null) return;
            scoreboard.unsubscribe(s.arena, s.listener);
            s.listener = null;
            closed++;
        }

        void startGame(Game g) throws IOException {
            try (MapPackReader pack = new MapPackReader(packs.get(g.theme), openPacks)) {
                bytesLoaded += pack.read("map.json").length + pack.read("spawns.csv").length;
                packLoads++;
            }
            running.put(g.id, g);
            java.util.Arrays.fill(g.batteryPct, 100);
            g.batteryCheck = scheduler.scheduleAtFixedRate(new BatteryCheck(g), 5, 5, TimeUnit.MINUTES);
            gamesStarted++;
        }

        void endGame(String id, long t, Random r) {
            Game g = running.remove(id);
            if (g == null) return;
            g.batteryCheck.cancel(false);
            gamesEnded++;
            for (String vest : g.vests) {
                int pts = scoring.current.points(r.nextInt(40), r.nextInt(20), r.nextInt(3));
                scoreboard.publish(new ScoreEvent(g.id, g.arena, vest, pts, t));
                scorecards.put(g.id + "/" + vest, new Scorecard(g.id, new byte[400 + r.nextInt(400)], t));
            }
        }

        void event(GameEvent e) { events[(int) (eventsWritten++ % RING)] = e; }
    }

    static GameControl SERVICE;
    static int HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void writePack(File f, String theme, Random rnd) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(f))) {
            StringBuilder map = new StringBuilder("{\"theme\":\"" + theme + "\",\"walls\":[");
            for (int k = 0; k < 600; k++) map.append(k == 0 ? "" : ",").append('[').append(rnd.nextInt(4_000)).append(',').append(rnd.nextInt(3_000)).append(']');
            map.append("]}");
            out.putNextEntry(new ZipEntry("map.json"));
            out.write(map.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            StringBuilder spawns = new StringBuilder("team,x,y\n");
            for (int k = 0; k < 40; k++) spawns.append(k % 2 == 0 ? "red," : "blue,").append(rnd.nextInt(4_000)).append(',').append(rnd.nextInt(3_000)).append('\n');
            out.putNextEntry(new ZipEntry("spawns.csv"));
            out.write(spawns.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_050_001);
        String[] cities = {"Manchester", "Leeds", "Bristol", "Cardiff", "Glasgow", "Norwich", "Reading", "Exeter", "Derby", "Stoke", "Hull", "Bolton"};
        String[] arenas = new String[ARENAS];
        for (int a = 0; a < ARENAS; a++) {
            arenas[a] = "LT-" + (char) ('A' + a % 12) + (500 + a);
            double[] occ = new double[96];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            ARENAS_BY_CODE.put(arenas[a], new Arena(arenas[a], cities[a % cities.length], occ));
        }
        GameControl svc = new GameControl();
        SERVICE = svc;
        svc.scheduler.scheduleAtFixedRate(() -> { }, 10, 10, TimeUnit.MINUTES); // booking sync
        svc.scheduler.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);  // vest firmware catalogue refresh
        String[] members = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            members[m] = "M" + (7_700_000 + m * 13);
            svc.members.put(members[m], new Member(members[m], "Blaster" + Integer.toString(m * 7_919 % 99_991, 36), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        Path dir = Files.createTempDirectory("val122-mappacks-");
        dir.toFile().deleteOnExit();
        for (String theme : THEMES) {
            File f = dir.resolve(theme + ".zip").toFile();
            f.deleteOnExit();
            writePack(f, theme, rnd);
            svc.packs.put(theme, f);
        }
        try (InputStream in = Val122HealthyLaserTag.class.getResourceAsStream("Val122HealthyLaserTag$ArenaScoring.class")) {
            svc.scoring.bytecode.put(Val122HealthyLaserTag.class.getName() + "$ArenaScoring", in.readAllBytes());
        }
        for (int b = 0; b < POOL; b++) svc.firmwareBuffers.add(new byte[32_768]);

        Random traffic = new Random(122_050_002), play = new Random(122_050_003);
        PriorityQueue<Timed> due = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.id().compareTo(b.id()));
        int seq = 0, gameSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            if ((t - start) % (RELOAD_MINUTES * MINUTE) == 0) svc.scoring.reload();
            while (!due.isEmpty() && due.peek().at() <= t) {
                Timed d = due.poll();
                if (d.kind() == 0) svc.closeSpectator(d.id()); else svc.endGame(d.id(), t, play);
            }
            for (int k = 0; k < SPECTATORS_PER_MINUTE; k++) {
                SpectatorSession s = new SpectatorSession("sp-" + Integer.toHexString(0x3c0000 + seq++), arenas[traffic.nextInt(40)],
                        traffic.nextBoolean() ? "lobby-screen" : "LaserApp/3.2", t + k * 10 * SECOND);
                svc.openSpectator(s);
                due.add(new Timed(s.openedAt + (5 + traffic.nextInt(56)) * MINUTE, s.id, 0));
            }
            for (int k = 0; k < GAMES_PER_MINUTE; k++) {
                String[] vests = new String[8 + traffic.nextInt(17)];
                for (int v = 0; v < vests.length; v++) vests[v] = "V" + (100 + traffic.nextInt(900));
                Game g = new Game("G" + (31_000_000 + gameSeq++), arenas[traffic.nextInt(40)], THEMES[traffic.nextInt(THEMES.length)], t + k * 20 * SECOND, vests);
                svc.startGame(g);
                due.add(new Timed(g.startedAt + (15 + traffic.nextInt(11)) * MINUTE, g.id, 1));
                String member = members[traffic.nextInt(MEMBERS)];
                svc.confirmations.addLast(new Confirmation("BK" + (880_000 + gameSeq), member.toLowerCase() + "@players.example", t + 6 * MINUTE));
                for (int c = 0; c < 5; c++) { // the team captains' photos for the lobby screen
                    String captain = c == 0 ? member : members[traffic.nextInt(MEMBERS)];
                    if (svc.photos.get(captain) == null) svc.photos.put(captain, new PlayerPhoto(captain, new byte[1_500 + traffic.nextInt(1_000)], t));
                }
            }
            for (Game g : svc.running.values()) {
                svc.event(new GameEvent(g.id, play.nextBoolean() ? "base-captured" : "vest-low", g.vests[play.nextInt(g.vests.length)], t));
            }
            while (!svc.confirmations.isEmpty() && svc.confirmations.peekFirst().sendAt() <= t) { svc.confirmations.pollFirst(); svc.confirmationsSent++; }
            byte[] buf = svc.firmwareBuffers.poll();
            buf[(int) ((t - start) / MINUTE % buf.length)] = 1;
            svc.firmwareBuffers.add(buf);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the scheduler's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        HOURS = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        simulate();
        report();
        awaitIdleJit();
        LeakCheck.histogram("RulesLoader", "ArenaScoring", "java.util.zip.ZipFile ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Waits (at most 60 s) until the JIT compilers are idle. A compilation in progress holds the
     * classes it inspects, among them retired plugin generations still named in old type profiles;
     * dumping then would show loaders the service has already dropped.
     */
    static void awaitIdleJit() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int idle = 0;
        while (idle < 2 && System.nanoTime() < deadline) {
            String q = DumpUtil.jcmd(java.util.List.of("Compiler.queue"));
            boolean busy = false, inCurrent = false;
            for (String line : q.split("\n")) {
                String l = line.trim();
                if (l.startsWith("Current compiles:")) { inCurrent = true; continue; }
                if (l.endsWith("compile queue:")) { inCurrent = false; continue; }
                if (l.isEmpty() || l.equals("Empty") || l.endsWith(":")) continue;
                if (inCurrent || Character.isDigit(l.charAt(0))) busy = true;
            }
            idle = busy ? 0 : idle + 1;
            Thread.sleep(250);
        }
    }

    static void report() {
        GameControl svc = SERVICE;
        int stage = HOURS == 1 ? 0 : HOURS == 4 ? 1 : 2;
        int queued = svc.scheduler.getQueue().size();
        int listeners = svc.scoreboard.listeners();
        System.out.println("hours " + HOURS + " arenas " + ARENAS_BY_CODE.size() + " members " + svc.members.size() + " spectators opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.spectators.size() + " scoreboard listeners " + listeners + " games started " + svc.gamesStarted + " ended " + svc.gamesEnded
                + " running " + svc.running.size() + " scheduler queue " + queued + " pack loads " + svc.packLoads + " open packs " + svc.openPacks.size()
                + " scoring generations " + svc.scoring.generation + " events " + svc.eventsWritten + " scorecards " + svc.scorecards.size() + " (evicted " + svc.scorecards.evicted
                + ") photos " + svc.photos.size() + " (evicted " + svc.photos.evicted + ") confirmations backlog " + svc.confirmations.size() + " pool " + svc.firmwareBuffers.size());
        check(HOURS == 1 || HOURS == 4 || HOURS == 8, "hours");
        check(ARENAS_BY_CODE.size() == ARENAS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.opened == (long) SPECTATORS_PER_MINUTE * 60 * HOURS && svc.opened == svc.closed + svc.spectators.size() && listeners == svc.spectators.size(), "spectators");
        check(svc.spectators.size() == EXPECTED_OPEN_SPECTATORS[stage], "open spectators " + svc.spectators.size());
        check(svc.gamesStarted == (long) GAMES_PER_MINUTE * 60 * HOURS && svc.gamesStarted == svc.gamesEnded + svc.running.size(), "games");
        check(svc.running.size() == EXPECTED_RUNNING[stage] && queued == 2 + svc.running.size(), "running games / scheduler queue " + svc.running.size() + " " + queued);
        check(svc.packLoads == svc.gamesStarted && svc.openPacks.isEmpty(), "map packs");
        check(svc.scoring.generation == HOURS * 60 / RELOAD_MINUTES, "scoring generations");
        check(svc.eventsWritten == EXPECTED_EVENTS[stage], "events " + svc.eventsWritten);
        check(svc.scorecards.size() == (stage == 0 ? EXPECTED_SCORECARDS_STAGE1 : SCORECARD_CAP), "scorecards " + svc.scorecards.size());
        check(svc.photos.size() == (stage == 0 ? EXPECTED_PHOTOS_STAGE1 : PHOTO_CAP), "photos " + svc.photos.size());
        check(svc.confirmations.size() == 12 && svc.firmwareBuffers.size() == POOL, "confirmations / pool");
    }

    static final int[] EXPECTED_OPEN_SPECTATORS = {181, 192, 190}, EXPECTED_RUNNING = {44, 39, 43};
    static final long[] EXPECTED_EVENTS = {2_035, 9_384, 19_266};
    static final int EXPECTED_PHOTOS_STAGE1 = 589, EXPECTED_SCORECARDS_STAGE1 = 1_185;
}
