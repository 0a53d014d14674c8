// hprofscan-dump: name=val66-healthy-mountainrescue jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val66-healthy-mountainrescue-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 66 (written blind), HEALTHY: the incident coordination service shared by the
 * regional mountain-rescue organisations of an alpine federation. Hut and summit reference data,
 * the volunteer directory, a cache of rendered map tiles at its cap, a ring of incident-log entries,
 * a pool of radio decode buffers, a per-organisation executor cache keyed by organisation id only
 * (8 single-thread executors, each thread with a 16 KiB render buffer in a ThreadLocal), and an
 * incident-board websocket broadcaster whose per-client outbound queues are capped at 32 frames and
 * whose silent clients are closed after 90 s without a pong. See VALIDATION66.md.
 */
public final class Val66HealthyMountainRescue {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 15_000L, PONG_TIMEOUT = 90_000L;
    static final int HUTS = 1_400, VOLUNTEERS = 26_000, TILE_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, ORGS = 8, CLIENTS = 250, QUEUE_CAP = 32, LOG_PER_HOUR = 5_000, BRIEFINGS = 600;

    record Hut(String code, String massif, int altitude, double[] avalancheRiskByDay) {}
    record Volunteer(String volunteerId, String org, byte[] qualifications, long joinedAt) {}
    record Tile(String key, byte[] rendered, long at) {}
    record LogEntry(String incidentId, String org, String text, long at) {}
    record Frame(long seq, long at, byte[] payload) {}
    record Briefing(String org, String incidentId, long at, String worker) {}

    static final ThreadLocal<byte[]> RENDER_BUFFER = ThreadLocal.withInitial(() -> new byte[16_384]);

    /** One single-thread executor per organisation: the key is the organisation id. */
    static final class OrgExecutors {
        final Map<String, ExecutorService> cache = new ConcurrentHashMap<>();
        long created;
        ExecutorService forOrg(String org) {
            return cache.computeIfAbsent(org, k -> { created++; return Executors.newSingleThreadExecutor(r -> { Thread th = new Thread(r, "briefing-" + k); th.setDaemon(true); return th; }); });
        }
    }

    static final class ClientSession {
        final long id; long lastPongAt, dropped; boolean vanished; final ArrayDeque<Frame> outbound = new ArrayDeque<>();
        ClientSession(long id, long at) { this.id = id; this.lastPongAt = at; }
    }
    static final class Broadcaster {
        final Map<Long, ClientSession> clients = new HashMap<>();
        long seq, closed, timedOut;
        void broadcast(long at, Random r) {
            seq++;
            for (Iterator<ClientSession> it = clients.values().iterator(); it.hasNext(); ) {
                ClientSession c = it.next();
                if (c.lastPongAt < at - PONG_TIMEOUT) { it.remove(); timedOut++; continue; }
                c.outbound.addLast(new Frame(seq, at, new byte[60 + r.nextInt(60)]));
                if (c.outbound.size() > QUEUE_CAP) { c.outbound.removeFirst(); c.dropped++; }
                if (!c.vanished) { c.outbound.clear(); c.lastPongAt = at; }
            }
        }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hut> HUTS_BY_CODE = new HashMap<>();

    static final class RescueService {
        final Map<String, Volunteer> volunteers = new HashMap<>();
        final TileCache tiles = new TileCache();
        final LogEntry[] log = new LogEntry[RING];
        long logWritten, briefings;
        final ArrayDeque<byte[]> radioBuffers = new ArrayDeque<>();
        final OrgExecutors executors = new OrgExecutors();
        final Broadcaster board = new Broadcaster();
        final Briefing[] lastBriefings = new Briefing[64];
    }

    static RescueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(66_060_001);
        String[] hutCodes = new String[HUTS];
        for (int h = 0; h < HUTS; h++) {
            double[] risk = new double[80];
            for (int k = 0; k < risk.length; k++) risk[k] = 1 + rnd.nextInt(5);
            hutCodes[h] = "HUT-" + (4_000 + h);
            HUTS_BY_CODE.put(hutCodes[h], new Hut(hutCodes[h], "Massif " + (h % 40), 1_200 + rnd.nextInt(2_600), risk));
        }
        RescueService svc = new RescueService();
        SERVICE = svc;
        String[] orgs = new String[ORGS];
        for (int o = 0; o < ORGS; o++) orgs[o] = "ORG-" + new String[] {"TIROL", "SALZBURG", "VORARLBERG", "KAERNTEN", "STEIERMARK", "GRAUBUENDEN", "VALAIS", "BERNER-OBERLAND"}[o];
        String[] volunteerIds = new String[VOLUNTEERS];
        for (int v = 0; v < VOLUNTEERS; v++) {
            volunteerIds[v] = "V" + (900_000 + v * 7);
            svc.volunteers.put(volunteerIds[v], new Volunteer(volunteerIds[v], orgs[v % ORGS], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.radioBuffers.add(new byte[32_768]);
        Broadcaster board = svc.board;
        Random conn = new Random(66_060_002);
        Random frames = new Random(66_060_003);
        Random traffic = new Random(66_060_004);
        List<ClientSession> live = new ArrayList<>();
        long clientSeq = 1, vanishedEver = 0;
        for (int c = 0; c < CLIENTS; c++) { ClientSession s = new ClientSession(clientSeq++, start); board.clients.put(s.id, s); live.add(s); }
        int entries = LOG_PER_HOUR * HOURS;
        long nextTick = start;
        int briefingDone = 0;
        for (int i = 0; i < entries; i++) {
            long t = start + (end - MINUTE - start) * i / entries;
            while (nextTick <= t) {
                if (conn.nextInt(10) == 0) {
                    ClientSession leaver = live.remove(conn.nextInt(live.size()));
                    if (conn.nextInt(5) == 0) { leaver.vanished = true; vanishedEver++; } else { board.clients.remove(leaver.id); board.closed++; }
                    ClientSession s = new ClientSession(clientSeq++, nextTick); board.clients.put(s.id, s); live.add(s);
                }
                board.broadcast(nextTick, frames);
                nextTick += TICK;
            }
            String incident = "INC-" + (20_000 + i / 40);
            String org = orgs[traffic.nextInt(ORGS)];
            svc.log[(int) (svc.logWritten++ % RING)] = new LogEntry(incident, org, "update " + traffic.nextInt(1_000), t);
            String key = "tile-" + traffic.nextInt(4_000);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.radioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.radioBuffers.add(buf);
            while (briefingDone < BRIEFINGS && (long) briefingDone * entries <= (long) i * BRIEFINGS) {
                final long at = t;
                final int n = traffic.nextInt(10_000);
                Future<Briefing> f = svc.executors.forOrg(org).submit(() -> {
                    byte[] render = RENDER_BUFFER.get();
                    render[n % render.length] = (byte) n;
                    return new Briefing(org, incident, at, Thread.currentThread().getName());
                });
                svc.lastBriefings[(int) (svc.briefings++ % svc.lastBriefings.length)] = f.get();
                briefingDone++;
            }
        }
        long vanishedPresent = 0, queued = 0, maxQueue = 0;
        for (ClientSession c : board.clients.values()) { if (c.vanished) vanishedPresent++; queued += c.outbound.size(); maxQueue = Math.max(maxQueue, c.outbound.size()); }
        System.out.println("huts " + HUTS_BY_CODE.size() + " volunteers " + svc.volunteers.size() + " log " + svc.logWritten + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.radioBuffers.size()
                + " executors " + svc.executors.cache.size() + " (created " + svc.executors.created + ") briefings " + svc.briefings + " clients " + board.clients.size() + " (vanished present " + vanishedPresent + " of " + vanishedEver
                + ", closed " + board.closed + ", timed out " + board.timedOut + ", queued " + queued + ", max " + maxQueue + ")");
        check(HUTS_BY_CODE.size() == HUTS && svc.volunteers.size() == VOLUNTEERS, "reference data / directory");
        check(svc.logWritten == entries && svc.log[RING - 1] != null, "ring");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.radioBuffers.size() == POOL, "pool");
        check(svc.executors.cache.size() == ORGS && svc.executors.created == ORGS && svc.briefings == BRIEFINGS, "one executor per organisation");
        check(live.size() == CLIENTS && board.clients.size() == CLIENTS + vanishedPresent && vanishedPresent < 10 && maxQueue <= QUEUE_CAP, "board bounded");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
