// hprofscan-dump: name=val73-leak-heatpumps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val73-leak-heatpumps-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), LEAK: the field-service backend of a heat-pump installer.
 * Heat-pump model reference data, the installation directory, a cache of rendered quotes at its
 * cap, a pool of telemetry decode buffers, a ring of recent telemetry readings, two live database
 * connection pools (primary and replica), and a static monitoring registry of pool statistics.
 * Every configuration refresh (every 2 minutes) closes both pools and builds new ones; each new
 * pool registers a PoolStats in PoolMonitor.REGISTRY, and close() never unregisters it, so the
 * registry keeps the statistics of every pool ever created. See VALIDATION73.md.
 */
public final class Val73LeakHeatPumps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REFRESH_EVERY = 2 * MINUTE;
    static final int MODELS = 1_100, INSTALLS = 25_000, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 10, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record HeatPumpModel(String code, String maker, double[] copCurve) {}
    record Installation(String siteId, String modelCode, String postcode, byte[] commissioningRecord, long installedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Reading(String siteId, double flowTemp, double returnTemp, long at) {}

    /** Per-pool statistics, exported by the metrics endpoint. */
    static final class PoolStats {
        final String poolName; final long createdAt;
        final long[] waitHistogram = new long[256];
        final int[] recentBorrowMicros = new int[1_024];
        long borrows, timeouts; int cursor;
        PoolStats(String poolName, long createdAt) { this.poolName = poolName; this.createdAt = createdAt; }
        void recordBorrow(int micros) { borrows++; waitHistogram[Math.min(255, micros / 50)]++; recentBorrowMicros[cursor] = micros; cursor = (cursor + 1) % recentBorrowMicros.length; }
    }

    /** Static monitoring registry (pool name -> statistics). */
    static final class PoolMonitor {
        static final Map<String, PoolStats> REGISTRY = new LinkedHashMap<>();
        static long registered, unregistered;
        static void register(PoolStats s) { REGISTRY.put(s.poolName, s); registered++; }
        static void unregister(PoolStats s) { if (REGISTRY.remove(s.poolName) != null) unregistered++; }
    }

    record Connection(int id, byte[] socketBuffer) {}

    static final class DbPool {
        final String name; final ArrayDeque<Connection> idle = new ArrayDeque<>(); final PoolStats stats; boolean closed;
        DbPool(String name, long at) {
            this.name = name;
            for (int c = 0; c < CONNECTIONS; c++) idle.add(new Connection(c, new byte[4_096]));
            stats = new PoolStats(name, at);
            PoolMonitor.register(stats);
        }
        Connection borrow(int waitMicros) { stats.recordBorrow(waitMicros); return idle.poll(); }
        void release(Connection c) { idle.add(c); }
        void close() {
            closed = true;
            idle.clear();
            if (FIXED) PoolMonitor.unregister(stats);
            // BUG: the statistics stay in PoolMonitor.REGISTRY
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, HeatPumpModel> MODELS_BY_CODE = new HashMap<>();

    static final class FieldService {
        final Map<String, Installation> installs = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingsWritten, refreshes, poolGeneration;
        DbPool primary, replica;
        void refreshConfig(long at) {
            if (primary != null) { primary.close(); replica.close(); refreshes++; }
            poolGeneration++;
            primary = new DbPool("installs-primary-g" + poolGeneration + "-" + Long.toHexString(at), at);
            replica = new DbPool("installs-replica-g" + poolGeneration + "-" + Long.toHexString(at), at);
        }
    }

    static FieldService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val73.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(73_020_001);
        String[] modelCodes = new String[MODELS];
        String[] makers = {"Daikin", "Mitsubishi", "Vaillant", "Nibe", "Samsung", "Viessmann"};
        for (int m = 0; m < MODELS; m++) {
            double[] cop = new double[72];
            for (int k = 0; k < cop.length; k++) cop[k] = 2 + rnd.nextDouble() * 3;
            modelCodes[m] = "HPM-" + (20_000 + m);
            MODELS_BY_CODE.put(modelCodes[m], new HeatPumpModel(modelCodes[m], makers[m % makers.length], cop));
        }
        FieldService svc = new FieldService();
        SERVICE = svc;
        String[] sites = new String[INSTALLS];
        for (int s = 0; s < INSTALLS; s++) {
            sites[s] = "SITE-" + (8_100_000 + s * 3);
            svc.installs.put(sites[s], new Installation(sites[s], modelCodes[rnd.nextInt(MODELS)], "PC" + (1_000 + rnd.nextInt(8_999)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        svc.refreshConfig(start);
        Random traffic = new Random(73_020_002);
        long nextRefresh = start + REFRESH_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextRefresh <= t) { svc.refreshConfig(nextRefresh); nextRefresh += REFRESH_EVERY; }
            String site = sites[traffic.nextInt(INSTALLS)];
            DbPool pool = traffic.nextInt(4) == 0 ? svc.primary : svc.replica;
            Connection c = pool.borrow(traffic.nextInt(3_000));
            pool.release(c);
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new Reading(site, 30 + traffic.nextDouble() * 25, 25 + traffic.nextDouble() * 20, t);
            if (i % 2 == 0) {
                String key = "quote-" + traffic.nextInt(5_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.telemetryBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.telemetryBuffers.add(buf);
        }
        int expectedRefreshes = (int) ((end - MINUTE - start) / REFRESH_EVERY);
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " installs " + svc.installs.size() + " refreshes " + svc.refreshes + " pools created " + (svc.poolGeneration * 2)
                + " registry " + PoolMonitor.REGISTRY.size() + " (registered " + PoolMonitor.registered + ", unregistered " + PoolMonitor.unregistered + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted
                + ") pool " + svc.telemetryBuffers.size() + " readings " + svc.readingsWritten + " live connections " + (svc.primary.idle.size() + svc.replica.idle.size()));
        check(MODELS_BY_CODE.size() == MODELS && svc.installs.size() == INSTALLS, "reference data / directory");
        check(svc.refreshes == expectedRefreshes && PoolMonitor.registered == 2 * (expectedRefreshes + 1), "refreshes: " + svc.refreshes);
        if (FIXED) check(PoolMonitor.REGISTRY.size() == 2, "registry holds the live pools");
        else check(PoolMonitor.REGISTRY.size() == PoolMonitor.registered, "registry keeps every pool ever created: " + PoolMonitor.REGISTRY.size());
        check(svc.primary.idle.size() == CONNECTIONS && svc.replica.idle.size() == CONNECTIONS, "live pools");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "buffer pool");
        check(svc.readingsWritten == requests && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
