// hprofscan-dump: name=val124-healthy-lasertag-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val124-healthy-lasertag-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val124-healthy-lasertag jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val124-healthy-lasertag-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Validation set 124 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * operations service of a chain of laser-tag arenas. Arena reference data, the player directory, a
 * cache of rendered scoreboards at its cap, a cache of game replays (warming up in stage 1, at its
 * cap from stage 2), a pool of vest-telemetry buffers, a ring of game events (filling in stage 1),
 * the vest charging queue with its backlog, and bounded look-alikes of the set's leaks: two
 * executors created once at startup (scoring, replay encoding) whose threads keep a per-thread
 * scratch array; a metrics registry tagged only with URI templates, status codes and arena
 * formats; a session store whose scheduled sweeper runs and removes idle sessions; and the
 * league-results sync with a retry queue of at most 5 attempts and a dead-letter list capped at
 * 40. See VALIDATION124.md.
 */
public final class Val124HealthyLaserTag {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, TICK = 5 * MINUTE, IDLE_TIMEOUT = 20 * MINUTE;
    static final int ARENAS = 300, PLAYERS = 22_000, BOARD_CAP = 2_000, REPLAY_CAP = 500, POOL = 8, RING = 8_192, REQ_PER_HOUR = 6_000,
            GAMES_PER_HOUR = 240, EVENTS_PER_GAME = 20, MAX_ATTEMPTS = 5, DEAD_LETTER_CAP = 40;
    static final String[] FORMATS = {"team-deathmatch", "capture-the-flag", "solo", "zombie"};

    record Arena(String code, String name, String city, double[] occupancyByQuarterHour) {}
    record Player(String memberTag, String callsign, String homeArena, byte[] stats, long joinedAt) {}
    record Scoreboard(String key, byte[] rendered, long at) {}
    record Replay(String gameId, byte[] frames, long at) {}
    record GameEvent(String gameId, String shooter, String target, int zone, long at) {}
    record ChargingSlot(String vestId, String arena, long dockedAt) {}

    static final class Game {
        final String id, arena, format; final long startedAt; final List<String> players = new ArrayList<>();
        final int[][] hits;
        Game(String id, String arena, String format, long startedAt, int nPlayers) { this.id = id; this.arena = arena; this.format = format; this.startedAt = startedAt; this.hits = new int[nPlayers][]; }
    }

    // ---- executors created once, at startup ----------------------------------------------------
    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix; final AtomicInteger next = new AtomicInteger();
        NamedThreadFactory(String prefix) { this.prefix = prefix; }
        @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, prefix + next.incrementAndGet()); t.setDaemon(true); return t; }
    }

    static final class ScoreScratch {
        static final ThreadLocal<ScoreScratch> LOCAL = ThreadLocal.withInitial(ScoreScratch::new);
        final int[] tally = new int[2_048];
        long uses;
    }

    // ---- metrics registry (bounded tags) -------------------------------------------------------
    record Tag(String key, String value) {}
    record MeterId(String name, List<Tag> tags) {}
    abstract static class Meter { final MeterId id; Meter(MeterId id) { this.id = id; } }
    static final class Timer extends Meter {
        long count, totalMicros, maxMicros; final long[] buckets = new long[64];
        Timer(MeterId id) { super(id); }
        void record(long micros) { count++; totalMicros += micros; maxMicros = Math.max(maxMicros, micros); buckets[Math.min(63, (63 - Long.numberOfLeadingZeros(Math.max(1, micros))) * 3)]++; }
    }
    static final class Counter extends Meter { long count; Counter(MeterId id) { super(id); } }
    static final class Gauge extends Meter { final DoubleSupplier f; Gauge(MeterId id, DoubleSupplier f) { super(id); this.f = f; } }
    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Meter> meters = new ConcurrentHashMap<>();
        static List<Tag> tags(String... kv) {
            List<Tag> l = new ArrayList<>(kv.length / 2);
            for (int k = 0; k < kv.length; k += 2) l.add(new Tag(kv[k], kv[k + 1]));
            return List.copyOf(l);
        }
        Timer timer(String name, String... kv) { return (Timer) meters.computeIfAbsent(new MeterId(name, tags(kv)), Timer::new); }
        Counter counter(String name, String... kv) { return (Counter) meters.computeIfAbsent(new MeterId(name, tags(kv)), Counter::new); }
        void gauge(String name, DoubleSupplier f, String... kv) { meters.computeIfAbsent(new MeterId(name, tags(kv)), id -> new Gauge(id, f)); }
    }

    // ---- sessions with a working sweeper -------------------------------------------------------
    static final class PlayerSession {
        final String token, memberTag; final long createdAt; volatile long lastSeen;
        final Map<String, String> attributes = new HashMap<>(); final byte[] basket;
        PlayerSession(String token, String memberTag, long createdAt, byte[] basket) { this.token = token; this.memberTag = memberTag; this.createdAt = createdAt; this.lastSeen = createdAt; this.basket = basket; }
    }
    static final class SessionStore {
        final ConcurrentHashMap<String, PlayerSession> sessions = new ConcurrentHashMap<>();
        ScheduledFuture<?> sweeperHandle;
        volatile long clock, sweptUpTo;
        long sweeps, expired;
        void start(ScheduledExecutorService scheduler, long now) { clock = now; sweptUpTo = now; sweeperHandle = scheduler.scheduleAtFixedRate(this::sweepIfDue, 1, 1, TimeUnit.MILLISECONDS); }
        void sweepIfDue() {
            long now = clock;
            if (now <= sweptUpTo) return;
            try { sweep(now); } catch (RuntimeException e) { /* logged; the next run tries again */ }
            synchronized (this) { sweptUpTo = now; notifyAll(); }
        }
        void sweep(long now) {
            sweeps++;
            List<PlayerSession> idle = new ArrayList<>();
            for (PlayerSession s : sessions.values()) if (now - s.lastSeen > IDLE_TIMEOUT) idle.add(s);
            idle.sort(Comparator.comparingLong((PlayerSession s) -> s.lastSeen).thenComparing(s -> s.token));
            for (PlayerSession s : idle) { sessions.remove(s.token); expired++; }
        }
        void advanceTo(long now) throws InterruptedException {
            clock = now;
            synchronized (this) { while (sweptUpTo < now && !sweeperHandle.isDone()) wait(20); }
        }
    }

    // ---- league-results sync: bounded retries, capped dead letters -----------------------------
    static final class LeagueMessage {
        final String gameId; final String payload; final long createdAt; int attempts; long nextAttemptAt; String lastError;
        LeagueMessage(String gameId, String payload, long createdAt) { this.gameId = gameId; this.payload = payload; this.createdAt = createdAt; this.nextAttemptAt = createdAt; }
    }
    static final class LeagueSync {
        final ArrayDeque<LeagueMessage> retries = new ArrayDeque<>();
        final ArrayDeque<LeagueMessage> deadLetters = new ArrayDeque<>();
        long posted, accepted, failed, deadLettered, deadLettersDropped;
        /** The league API is down for 12 minutes at the start of every other hour; 5% of results are rejected (422). */
        String post(LeagueMessage m, long t, long start) {
            posted++;
            long intoHour = (t - start) % (2 * HOUR);
            if (intoHour < 12 * MINUTE) return "503 Service Unavailable";
            if (m.gameId.hashCode() % 20 == 0) return "422 Unprocessable Entity: unknown team roster";
            return null;
        }
        void submit(LeagueMessage m, long t, long start) { attempt(m, t, start); }
        void attempt(LeagueMessage m, long t, long start) {
            m.attempts++;
            String err = post(m, t, start);
            if (err == null) { accepted++; return; }
            failed++;
            m.lastError = err;
            if (m.attempts >= MAX_ATTEMPTS) {
                deadLettered++;
                deadLetters.addLast(m);
                if (deadLetters.size() > DEAD_LETTER_CAP) { deadLetters.removeFirst(); deadLettersDropped++; }
            } else {
                m.nextAttemptAt = t + (2L << m.attempts) * MINUTE / 2;
                retries.addLast(m);
            }
        }
        void retryDue(long t, long start) {
            int n = retries.size();
            for (int k = 0; k < n; k++) {
                LeagueMessage m = retries.pollFirst();
                if (m.nextAttemptAt <= t) attempt(m, t, start); else retries.addLast(m);
            }
        }
    }

    static final class BoardCache extends LinkedHashMap<String, Scoreboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scoreboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }
    static final class ReplayCache extends LinkedHashMap<String, Replay> {
        long evicted;
        ReplayCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Replay> e) { if (size() > REPLAY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class ArenaService {
        final Map<String, Player> players = new HashMap<>();
        final String[] memberTags = new String[PLAYERS];
        final BoardCache scoreboards = new BoardCache();
        final ReplayCache replays = new ReplayCache();
        final ArrayDeque<byte[]> vestBuffers = new ArrayDeque<>();
        final GameEvent[] events = new GameEvent[RING];
        final ArrayDeque<ChargingSlot> chargingQueue = new ArrayDeque<>();
        final ExecutorService scoringPool = Executors.newFixedThreadPool(3, new NamedThreadFactory("scoring-"));
        final ExecutorService replayPool = Executors.newFixedThreadPool(2, new NamedThreadFactory("replay-encode-"));
        final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("session-sweeper-"));
        final MeterRegistry metrics = new MeterRegistry();
        final SessionStore sessions = new SessionStore();
        final LeagueSync league = new LeagueSync();
        long requests, eventCount, games, vestsDocked, vestsCharged, logins, logouts;

        void http(String method, String template, int status, long micros) {
            metrics.timer("http.server.requests", "method", method, "uri", template, "status", Integer.toString(status)).record(micros);
            requests++;
        }

        void playGame(String[] arenaCodes, Random r, long t, long start) throws Exception {
            String arena = arenaCodes[r.nextInt(ARENAS)];
            String format = FORMATS[r.nextInt(FORMATS.length)];
            int n = 8 + r.nextInt(13);
            Game g = new Game("G" + (7_000_000 + games), arena, format, t, n);
            for (int k = 0; k < n; k++) {
                g.players.add(memberTags[r.nextInt(PLAYERS)]);
                int[] h = new int[40 + r.nextInt(80)];
                for (int j = 0; j < h.length; j++) h[j] = r.nextInt(n) << 8 | r.nextInt(6);
                g.hits[k] = h;
            }
            List<Callable<Integer>> scoring = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int[] h = g.hits[k];
                scoring.add(() -> {
                    ScoreScratch s = ScoreScratch.LOCAL.get();
                    s.uses++;
                    int score = 0;
                    for (int x : h) { s.tally[x & 2_047]++; score += 10 + 5 * (x & 0xff); }
                    return score;
                });
            }
            int total = 0;
            for (Future<Integer> f : scoringPool.invokeAll(scoring)) total += f.get();
            byte[] frames = new byte[3_000 + r.nextInt(2_000)];
            replayPool.submit(() -> { ScoreScratch.LOCAL.get().uses++; frames[0] = 1; }).get();
            replays.put(g.id, new Replay(g.id, frames, t));
            for (int k = 0; k < EVENTS_PER_GAME; k++) {
                events[(int) (eventCount++ % RING)] = new GameEvent(g.id, g.players.get(r.nextInt(n)), g.players.get(r.nextInt(n)), r.nextInt(6), t + k * 20_000L);
            }
            for (int k = 0; k < 4; k++) { chargingQueue.addLast(new ChargingSlot("VEST-" + arena + "-" + r.nextInt(40), arena, t)); vestsDocked++; }
            metrics.counter("games.played", "format", format).count++;
            byte[] buf = vestBuffers.poll(); buf[(int) (games % buf.length)] = (byte) total; vestBuffers.add(buf);
            league.submit(new LeagueMessage(g.id, "{\"game\":\"" + g.id + "\",\"arena\":\"" + arena + "\",\"format\":\"" + format + "\",\"score\":" + total + ",\"players\":" + g.players + "}", t), t, start);
            games++;
        }

        /** One app / web request; returns the session it created, if any. */
        PlayerSession request(Random r, long t) {
            int kind = r.nextInt(100);
            PlayerSession created = null;
            if (kind < 50) {
                String key = "board-" + r.nextInt(5_000);
                int status = 200;
                if (scoreboards.get(key) == null) scoreboards.put(key, new Scoreboard(key, new byte[500 + r.nextInt(500)], t)); else if (r.nextInt(4) == 0) status = 304;
                http("GET", "/arenas/{code}/scoreboard", status, 800 + r.nextInt(20_000));
            } else if (kind < 65) {
                Player p = players.get(memberTags[r.nextInt(PLAYERS)]);
                http("GET", "/players/{tag}", p == null ? 404 : 200, 500 + r.nextInt(9_000));
            } else if (kind < 80) {
                // book a session: log in (a player session) or continue one
                String tag = memberTags[r.nextInt(PLAYERS)];
                String token = Long.toHexString(r.nextLong() | Long.MIN_VALUE);
                PlayerSession s = new PlayerSession(token, tag, t, new byte[100 + r.nextInt(200)]);
                s.attributes.put("arena", "A-" + r.nextInt(ARENAS));
                s.attributes.put("device", r.nextBoolean() ? "ios" : "android");
                sessions.sessions.put(token, s);
                created = s;
                logins++;
                http("POST", "/sessions", 201, 2_000 + r.nextInt(30_000));
            } else if (kind < 95) {
                http("POST", "/bookings", r.nextInt(25) == 0 ? 409 : 201, 4_000 + r.nextInt(60_000));
            } else {
                http("GET", "/health", 200, 100 + r.nextInt(400));
            }
            return created;
        }

        void chargeVests(long t) {
            while (!chargingQueue.isEmpty() && chargingQueue.peekFirst().dockedAt() <= t - 20 * MINUTE) { chargingQueue.pollFirst(); vestsCharged++; }
        }
    }

    static ArenaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(124_050_001);
        String[] arenaCodes = new String[ARENAS];
        String[] cities = {"Manchester", "Birmingham", "Glasgow", "Leeds", "Nottingham", "Cardiff", "Belfast", "Norwich", "Plymouth", "Newcastle"};
        for (int a = 0; a < ARENAS; a++) {
            double[] occ = new double[96];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            arenaCodes[a] = "LT-" + cities[a % cities.length].substring(0, 3).toUpperCase() + "-" + (a / cities.length);
            ARENAS_BY_CODE.put(arenaCodes[a], new Arena(arenaCodes[a], "Photon Zone " + cities[a % cities.length] + " " + (a / cities.length), cities[a % cities.length], occ));
        }
        ArenaService svc = new ArenaService();
        SERVICE = svc;
        String[] handles = {"Viper", "Nova", "Blaze", "Ghost", "Echo", "Raptor", "Pixel", "Storm", "Jinx", "Frost", "Talon", "Comet"};
        for (int i = 0; i < PLAYERS; i++) {
            svc.memberTags[i] = "P" + (2_400_000 + i * 7);
            svc.players.put(svc.memberTags[i], new Player(svc.memberTags[i], handles[rnd.nextInt(handles.length)] + rnd.nextInt(1_000), arenaCodes[rnd.nextInt(ARENAS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.vestBuffers.add(new byte[32_768]);
        svc.metrics.gauge("sessions.active", () -> SERVICE.sessions.sessions.size(), "store", "player-sessions");
        svc.metrics.gauge("league.retry.queue", () -> SERVICE.league.retries.size(), "queue", "league-sync");
        svc.metrics.gauge("vests.charging", () -> SERVICE.chargingQueue.size(), "queue", "charging");
        svc.sessions.start(svc.housekeeping, start);
        Random traffic = new Random(124_050_002), play = new Random(124_050_003);
        int requests = REQ_PER_HOUR * hours, games = GAMES_PER_HOUR * hours;
        // the simulator's view of recently logged-in players, who keep using their session for a while
        ArrayDeque<Visit> liveSessions = new ArrayDeque<>();
        long nextTick = start + TICK;
        int g = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTick <= t) { tick(svc, nextTick, start); nextTick += TICK; }
            while (g < games && start + (end - MINUTE - start) * g / games <= t) { svc.playGame(arenaCodes, play, start + (end - MINUTE - start) * g / games, start); g++; }
            PlayerSession created = svc.request(traffic, t);
            // a new session is used for 1-30 minutes; 40% of players log out at the end
            if (created != null) liveSessions.addLast(new Visit(created, t + (long) (1 + traffic.nextInt(30)) * MINUTE, traffic.nextInt(10) < 4));
            touchSessions(svc, liveSessions, t);
        }
        while (nextTick <= end) { tick(svc, nextTick, start); nextTick += TICK; }
        touchSessions(svc, liveSessions, end);
    }

    record Visit(PlayerSession session, long until, boolean logsOut) {}

    /** Players still in their visit touch their session; those at its end leave (some log out). */
    static void touchSessions(ArenaService svc, ArrayDeque<Visit> live, long t) {
        int n = live.size();
        for (int k = 0; k < n; k++) {
            Visit v = live.pollFirst();
            PlayerSession s = v.session();
            if (v.until() <= t) {
                s.lastSeen = v.until();
                if (v.logsOut()) { svc.sessions.sessions.remove(s.token); svc.logouts++; }
                continue;
            }
            s.lastSeen = t;
            live.addLast(v);
        }
    }

    static void tick(ArenaService svc, long t, long start) throws InterruptedException {
        svc.chargeVests(t);
        svc.league.retryDue(t, start);
        svc.sessions.advanceTo(t);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        ArenaService svc = SERVICE;
        long idle = 0;
        for (PlayerSession s : svc.sessions.sessions.values()) if (svc.sessions.clock - s.lastSeen > IDLE_TIMEOUT) idle++;
        LeagueSync l = svc.league;
        System.out.println("stage " + stage + " arenas " + ARENAS_BY_CODE.size() + " players " + svc.players.size() + " requests " + svc.requests + " games " + svc.games + " events " + svc.eventCount
                + " scoreboards " + svc.scoreboards.size() + " (evicted " + svc.scoreboards.evicted + ") replays " + svc.replays.size() + " (evicted " + svc.replays.evicted + ") meters " + svc.metrics.meters.size()
                + " logins " + svc.logins + " logouts " + svc.logouts + " sweeps " + svc.sessions.sweeps + " expired " + svc.sessions.expired + " sessions " + svc.sessions.sessions.size() + " (idle " + idle + ")"
                + " league posted " + l.posted + " accepted " + l.accepted + " retry queue " + l.retries.size() + " dead-lettered " + l.deadLettered + " kept " + l.deadLetters.size() + " dropped " + l.deadLettersDropped
                + " vests " + svc.vestsDocked + "/" + svc.vestsCharged + " charging " + svc.chargingQueue.size() + " pool " + svc.vestBuffers.size());
        //                       -, stage 1, stage 2, stage 3
        int[] expectLogins = {0, 925, 3_719, 7_323}, expectLogouts = {0, 279, 1_388, 2_830}, expectExpired = {0, 220, 1_923, 4_113}, expectSessions = {0, 426, 408, 380},
                expectRetries = {0, 8, 8, 7}, expectDead = {0, 5, 45, 90}, expectCharging = {0, 308, 304, 304};
        check(ARENAS_BY_CODE.size() == ARENAS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.requests == (long) REQ_PER_HOUR * hours && svc.games == (long) GAMES_PER_HOUR * hours && svc.eventCount == svc.games * EVENTS_PER_GAME, "traffic");
        check(svc.scoreboards.size() == BOARD_CAP && svc.scoreboards.evicted > 0, "scoreboard cache at cap");
        check(svc.replays.size() == Math.min(REPLAY_CAP, svc.games), "replay cache");
        check(svc.metrics.meters.size() == 14, "bounded meters");
        check(svc.logins == expectLogins[stage] && svc.logouts == expectLogouts[stage] && svc.sessions.expired == expectExpired[stage] && svc.sessions.sessions.size() == expectSessions[stage] && idle == 0
                && svc.sessions.sweeps == hours * 12L && !svc.sessions.sweeperHandle.isDone(), "sessions");
        check(svc.logins == svc.logouts + svc.sessions.expired + svc.sessions.sessions.size(), "session accounting");
        check(l.retries.size() == expectRetries[stage] && l.deadLettered == expectDead[stage] && l.deadLetters.size() == Math.min(DEAD_LETTER_CAP, expectDead[stage]), "league sync");
        check(svc.chargingQueue.size() == expectCharging[stage] && svc.vestBuffers.size() == POOL, "charging queue / pool");
        int threads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("scoring-") || th.getName().startsWith("replay-encode-") || th.getName().startsWith("session-sweeper-")) threads++;
        check(threads == 6, "the startup executors' threads: " + threads);
    }
}
