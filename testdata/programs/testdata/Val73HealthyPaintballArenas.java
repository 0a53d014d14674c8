// hprofscan-dump: name=val73-healthy-paintballarenas-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val73-healthy-paintballarenas-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val73-healthy-paintballarenas jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val73-healthy-paintballarenas-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), HEALTHY: the booking and scoring service of a chain of
 * paintball arenas. Arena reference data, the player directory keyed by numeric database id, a
 * cache of rendered scoreboards at its cap, a pool of marker-rental label buffers, a hand-rolled
 * ring of game events (fills, then wraps), a per-request DataLoader-style batching loader that is
 * created for each request and dropped with it (only counters survive), and a static audit
 * StringBuilder that every request appends to and that is flushed and cleared every minute.
 * Warms up, then plateaus. See VALIDATION73.md.
 */
public final class Val73HealthyPaintballArenas {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ARENAS = 1_300, PLAYERS = 26_000, BOARD_CAP = 2_000, POOL = 8, EVENT_RING = 8_192, REQUESTS_PER_HOUR = 6_000;

    record Arena(String code, String site, double[] bookingsByWeek) {}
    record Player(long id, String callsign, byte[] waiverRecord, long joinedAt) {}
    record Scoreboard(String key, byte[] rendered, long at) {}
    record GameEvent(long gameId, long playerId, String arenaCode, String kind, long at) {}

    /** Hand-rolled ring buffer: keeps the newest items.length events. */
    static final class EventRing {
        final Object[] items = new Object[EVENT_RING];
        int head, size; long written;
        void add(Object e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    /** DataLoader-style batching loader, one per request. */
    static final class PlayerLoader {
        final Map<Long, Player> loaded = new HashMap<>();
        long batches;
        List<Player> loadMany(List<Long> ids, Map<Long, Player> table) {
            List<Long> missing = new ArrayList<>();
            for (Long id : ids) if (!loaded.containsKey(id) && !missing.contains(id)) missing.add(id);
            if (!missing.isEmpty()) { batches++; for (Long id : missing) loaded.put(id, table.get(id)); }
            List<Player> out = new ArrayList<>(ids.size());
            for (Long id : ids) out.add(loaded.get(id));
            return out;
        }
    }

    /** Static audit buffer, shipped and cleared every minute. */
    static final class AuditLog {
        static final StringBuilder BUFFER = new StringBuilder(16_384);
        static long lines, flushes, shippedChars; static int maxLength;
        static void append(long at, String line) { BUFFER.append(Instant.ofEpochMilli(at)).append(' ').append(line).append('\n'); lines++; maxLength = Math.max(maxLength, BUFFER.length()); }
        static void flush() { String batch = BUFFER.toString(); shippedChars += batch.length(); flushes++; BUFFER.setLength(0); }
    }

    static final class BoardCache extends LinkedHashMap<String, Scoreboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scoreboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class ArenaService {
        final Map<Long, Player> players = new HashMap<>();
        final BoardCache scoreboards = new BoardCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final EventRing events = new EventRing();
        long requests, loaderBatches, playersLoaded; int maxPerRequest;
        List<Player> handle(List<Long> ids) {
            PlayerLoader loader = new PlayerLoader(); // request scope
            List<Player> out = loader.loadMany(ids, players);
            loaderBatches += loader.batches; playersLoaded += loader.loaded.size(); maxPerRequest = Math.max(maxPerRequest, loader.loaded.size());
            requests++;
            return out;
        }
    }

    static ArenaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(73_050_001);
        String[] arenaCodes = new String[ARENAS];
        for (int a = 0; a < ARENAS; a++) {
            double[] weeks = new double[64];
            for (int k = 0; k < weeks.length; k++) weeks[k] = rnd.nextDouble() * 300;
            arenaCodes[a] = "PB-" + (700 + a);
            ARENAS_BY_CODE.put(arenaCodes[a], new Arena(arenaCodes[a], "Site " + (a % 320), weeks));
        }
        ArenaService svc = new ArenaService();
        SERVICE = svc;
        for (int p = 0; p < PLAYERS; p++) {
            long id = 5_000_000L + p * 13L;
            svc.players.put(id, new Player(id, "Callsign-" + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(73_050_002);
        String[] kinds = {"HIT", "ELIMINATED", "FLAG_CAPTURED", "RESPAWN"};
        long nextFlush = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextFlush <= t) { AuditLog.flush(); nextFlush += MINUTE; }
            int n = 1 + traffic.nextInt(4);
            List<Long> ids = new ArrayList<>(n);
            for (int k = 0; k < n; k++) ids.add(5_000_000L + traffic.nextInt(PLAYERS) * 13L);
            List<Player> team = svc.handle(ids);
            String arena = arenaCodes[traffic.nextInt(ARENAS)];
            long gameId = 90_000_000L + i / 8;
            svc.events.add(new GameEvent(gameId, team.get(0).id(), arena, kinds[traffic.nextInt(kinds.length)], t));
            AuditLog.append(t, "req=" + (91_000_000L + i) + " arena=" + arena + " game=" + gameId + " players=" + n);
            String key = "board-" + traffic.nextInt(4_000);
            if (svc.scoreboards.get(key) == null) svc.scoreboards.put(key, new Scoreboard(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        EventRing ring = svc.events;
        System.out.println("stage " + stage + " arenas " + ARENAS_BY_CODE.size() + " players " + svc.players.size() + " requests " + svc.requests + " (loader batches " + svc.loaderBatches + ", players loaded " + svc.playersLoaded + ", max per request " + svc.maxPerRequest
                + ") events " + ring.size + " (written " + ring.written + ", head " + ring.head + ") audit " + AuditLog.BUFFER.length() + "/" + AuditLog.BUFFER.capacity() + " (lines " + AuditLog.lines + ", flushes " + AuditLog.flushes + ", max " + AuditLog.maxLength
                + ") boards " + svc.scoreboards.size() + " (evicted " + svc.scoreboards.evicted + ") pool " + svc.labelBuffers.size());
        check(ARENAS_BY_CODE.size() == ARENAS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.requests == requests && svc.maxPerRequest <= 4, "request-scoped loaders");
        check(ring.written == requests && ring.size == Math.min(requests, EVENT_RING), "event ring");
        check(AuditLog.lines == requests && AuditLog.flushes == hours * 60L - 2 && AuditLog.BUFFER.length() <= AuditLog.maxLength && AuditLog.maxLength < 20_000, "audit buffer cleared every minute");
        check(svc.scoreboards.size() == BOARD_CAP && svc.scoreboards.evicted > 0, "scoreboard cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
