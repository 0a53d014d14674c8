// hprofscan-dump: name=val73-healthy-curlingclubs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val73-healthy-curlingclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), HEALTHY: the league and ice-booking service of a federation
 * of curling clubs. Club reference data, the curler directory keyed by numeric id, a cache of
 * rendered draw sheets at its cap, a ring of end scores, a pool of stone-sensor buffers, two
 * database connection pools replaced on every configuration refresh whose statistics are
 * registered in a static monitoring registry and unregistered when the pool is closed, and one
 * shared federation-results HTTP client (64 KiB buffers) built at startup and registered once in
 * a static list of clients for metrics. See VALIDATION73.md.
 */
public final class Val73HealthyCurlingClubs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REFRESH_EVERY = 2 * MINUTE;
    static final int CLUBS = 1_100, CURLERS = 27_000, SHEET_CAP = 2_000, POOL = 10, RING = 16_384, CONNECTIONS = 10, HOURS = 10, REQUESTS_PER_HOUR = 6_000;

    record Club(String code, String town, double[] iceTemperatures) {}
    record Curler(long id, String name, String clubCode, byte[] handicapHistory, long registeredAt) {}
    record DrawSheet(String key, byte[] rendered, long at) {}
    record EndScore(long gameId, int end, int stones, String clubCode, long at) {}

    static final class PoolStats {
        final String poolName; final long createdAt;
        final long[] waitHistogram = new long[256];
        final int[] recentBorrowMicros = new int[1_024];
        long borrows; int cursor;
        PoolStats(String poolName, long createdAt) { this.poolName = poolName; this.createdAt = createdAt; }
        void recordBorrow(int micros) { borrows++; waitHistogram[Math.min(255, micros / 50)]++; recentBorrowMicros[cursor] = micros; cursor = (cursor + 1) % recentBorrowMicros.length; }
    }

    static final class PoolMonitor {
        static final Map<String, PoolStats> REGISTRY = new LinkedHashMap<>();
        static long registered, unregistered;
        static void register(PoolStats s) { REGISTRY.put(s.poolName, s); registered++; }
        static void unregister(PoolStats s) { if (REGISTRY.remove(s.poolName) != null) unregistered++; }
    }

    record Connection(int id, byte[] socketBuffer) {}

    static final class DbPool {
        final String name; final ArrayDeque<Connection> idle = new ArrayDeque<>(); final PoolStats stats;
        DbPool(String name, long at) {
            this.name = name;
            for (int c = 0; c < CONNECTIONS; c++) idle.add(new Connection(c, new byte[4_096]));
            stats = new PoolStats(name, at);
            PoolMonitor.register(stats);
        }
        Connection borrow(int waitMicros) { stats.recordBorrow(waitMicros); return idle.poll(); }
        void release(Connection c) { idle.add(c); }
        void close() { idle.clear(); PoolMonitor.unregister(stats); }
    }

    static final class ClientMetrics {
        static final List<ResultsHttpClient> CLIENTS = new ArrayList<>();
    }

    static final class ResultsHttpClient {
        final String baseUrl;
        final ArrayDeque<byte[]> connectionBuffers = new ArrayDeque<>();
        final byte[] responseBuffer = new byte[65_536];
        long requests;
        ResultsHttpClient(String baseUrl) {
            this.baseUrl = baseUrl;
            for (int c = 0; c < 2; c++) connectionBuffers.add(new byte[65_536]);
            ClientMetrics.CLIENTS.add(this);
        }
        void post(int bytes) { byte[] b = connectionBuffers.poll(); b[bytes % b.length] = 1; responseBuffer[bytes % responseBuffer.length] = 1; requests++; connectionBuffers.add(b); }
    }

    static final class SheetCache extends LinkedHashMap<String, DrawSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DrawSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class LeagueService {
        final Map<Long, Curler> curlers = new HashMap<>();
        final SheetCache drawSheets = new SheetCache();
        final EndScore[] endScores = new EndScore[RING];
        final ArrayDeque<byte[]> stoneBuffers = new ArrayDeque<>();
        final ResultsHttpClient results = new ResultsHttpClient("https://results.example-curling.org/api");
        long scoresWritten, refreshes, generation;
        DbPool primary, replica;
        void refreshConfig(long at) {
            if (primary != null) { primary.close(); replica.close(); refreshes++; }
            generation++;
            primary = new DbPool("league-primary-g" + generation + "-" + Long.toHexString(at), at);
            replica = new DbPool("league-replica-g" + generation + "-" + Long.toHexString(at), at);
        }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(73_060_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] temps = new double[96];
            for (int k = 0; k < temps.length; k++) temps[k] = -6 + rnd.nextDouble() * 2;
            clubCodes[c] = "CC-" + (1_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Town " + (c % 270), temps));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        for (int p = 0; p < CURLERS; p++) {
            long id = 2_000_000L + p * 17L;
            svc.curlers.put(id, new Curler(id, "Curler " + p, clubCodes[rnd.nextInt(CLUBS)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stoneBuffers.add(new byte[32_768]);
        svc.refreshConfig(start);
        Random traffic = new Random(73_060_002);
        long nextRefresh = start + REFRESH_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextRefresh <= t) { svc.refreshConfig(nextRefresh); nextRefresh += REFRESH_EVERY; }
            DbPool pool = traffic.nextInt(3) == 0 ? svc.primary : svc.replica;
            Connection c = pool.borrow(traffic.nextInt(2_500));
            pool.release(c);
            String club = clubCodes[traffic.nextInt(CLUBS)];
            svc.endScores[(int) (svc.scoresWritten++ % RING)] = new EndScore(70_000_000L + i / 10, 1 + i % 10, traffic.nextInt(9), club, t);
            if (i % 20 == 0) svc.results.post(200 + traffic.nextInt(4_000));
            String key = "draw-" + traffic.nextInt(5_000);
            if (svc.drawSheets.get(key) == null) svc.drawSheets.put(key, new DrawSheet(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.stoneBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.stoneBuffers.add(buf);
        }
        int expectedRefreshes = (int) ((end - MINUTE - start) / REFRESH_EVERY);
        System.out.println("clubs " + CLUBS_BY_CODE.size() + " curlers " + svc.curlers.size() + " refreshes " + svc.refreshes + " registry " + PoolMonitor.REGISTRY.size() + " (registered " + PoolMonitor.registered + ", unregistered " + PoolMonitor.unregistered
                + ") clients " + ClientMetrics.CLIENTS.size() + " (results posts " + svc.results.requests + ") sheets " + svc.drawSheets.size() + " (evicted " + svc.drawSheets.evicted + ") pool " + svc.stoneBuffers.size() + " scores " + svc.scoresWritten);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.curlers.size() == CURLERS, "reference data / directory");
        check(svc.refreshes == expectedRefreshes && PoolMonitor.REGISTRY.size() == 2 && PoolMonitor.registered == 2 * (expectedRefreshes + 1), "pool registry holds the live pools: " + PoolMonitor.REGISTRY.size());
        check(ClientMetrics.CLIENTS.size() == 1 && svc.results.requests == requests / 20, "one shared client");
        check(svc.drawSheets.size() == SHEET_CAP && svc.drawSheets.evicted > 0, "sheet cache at cap");
        check(svc.stoneBuffers.size() == POOL, "buffer pool");
        check(svc.scoresWritten == requests && svc.endScores[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
