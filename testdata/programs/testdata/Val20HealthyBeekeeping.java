// hprofscan-dump: name=val20-healthy-beekeeping jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val20-healthy-beekeeping-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.ref.Cleaner;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.MemoryHandler;

/**
 * Validation set 20 (written blind), HEALTHY: the hive-monitoring platform of a beekeepers'
 * cooperative. Look-alikes, all legitimate: three {@link HttpClient}s, one per downstream (weather,
 * the hive-scale vendor, the honey marketplace), built once; the ingest logger's console handler
 * and a {@link MemoryHandler} ring added once; sensor gateway connections whose (simulated) native
 * socket is closed by a {@link Cleaner} action that captures only the descriptor (dropped
 * connections are cleaned; the connections of the online gateways are registered); per-thread
 * ingest statistics in a {@code Map<Thread, IngestStats>} keyed by the live threads of a fixed
 * pool, removed when a worker ends (one worker died on a bad frame and was replaced). Plus the hive
 * register, apiaries, the forage plant atlas, a forecast cache at its cap, a pool of CSV exporters,
 * the reading ring (full, wrapping), beekeeper app sessions. See testdata/VALIDATION20.md.
 */
public final class Val20HealthyBeekeeping {
    static final long HOUR = 3_600_000L;
    static final int HIVES = 40_000, APIARIES = 2_500, PLANTS = 10_000, FORECAST_CAP = 1_200, EXPORTERS = 24, INGEST_THREADS = 4, RING = 32_768, GATEWAYS_ONLINE = 120, APP_SESSIONS = 1_500;
    static final int READINGS = 100_000, CONNECTS = 3_000, BATCHES = 2_000;

    record Hive(String id, String apiaryId, String queenLine, long installedAt, float[] weightCurve) {}
    record Apiary(String id, String owner, double lat, double lon, int[] hiveCountsByMonth) {}
    record Plant(String latin, String common, int[] bloomWeeks) {}
    record Forecast(String apiaryId, long issuedAt, double[] hourlyTemp) {}
    record Reading(String hiveId, float weightKg, float tempC, float humidity, long at) {}
    record AppSession(String token, long beekeeperId, long startedAt, long lastSeenAt) {}

    static final class Sockets {
        static final Cleaner CLEANER = Cleaner.create();
        static final AtomicLong opened = new AtomicLong(), closed = new AtomicLong();
        static final AtomicInteger NEXT_FD = new AtomicInteger(100);
    }
    static final class CloseFd implements Runnable {
        final int fd;
        CloseFd(int fd) { this.fd = fd; }
        @Override public void run() { Sockets.closed.incrementAndGet(); }
    }
    static final class GatewayConnection {
        final String gatewayId; final long connectedAt; final int fd; final byte[] rxBuffer = new byte[2_048];
        final Cleaner.Cleanable cleanable;
        GatewayConnection(String gatewayId, long connectedAt) {
            this.gatewayId = gatewayId; this.connectedAt = connectedAt; this.fd = Sockets.NEXT_FD.getAndIncrement();
            Sockets.opened.incrementAndGet();
            this.cleanable = Sockets.CLEANER.register(this, new CloseFd(fd));
        }
    }

    static final class IngestStats {
        final String thread; long frames; long badFrames; long lastAt; final long[] frameSizeHistogram = new long[64];
        IngestStats(String thread) { this.thread = thread; }
    }
    static final class IngestTelemetry {
        static final Map<Thread, IngestStats> PER_THREAD = new ConcurrentHashMap<>();
        static IngestStats mine() { return PER_THREAD.computeIfAbsent(Thread.currentThread(), t -> new IngestStats(t.getName())); }
    }

    static final class CsvExporter { final StringBuilder out = new StringBuilder(8_192); long exports; }

    static final class ForecastCache extends LinkedHashMap<String, Forecast> {
        long evicted;
        ForecastCache() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Forecast> e) { if (size() > FORECAST_CAP) { evicted++; return true; } return false; }
    }

    static final class HiveService {
        static final Logger LOG = Logger.getLogger("apiary.ingest");
        final Map<String, HttpClient> downstream = new LinkedHashMap<>();
        final Map<String, Hive> hives = new HashMap<>();
        final Map<String, Apiary> apiaries = new HashMap<>();
        final Map<String, Plant> plants = new HashMap<>();
        final ForecastCache forecasts = new ForecastCache();
        final ArrayDeque<CsvExporter> exporters = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingsWritten;
        final Map<String, GatewayConnection> online = new ConcurrentHashMap<>();
        final Map<String, AppSession> sessions = new ConcurrentHashMap<>();
        final AtomicInteger threadsCreated = new AtomicInteger();
        final ThreadPoolExecutor ingest = new ThreadPoolExecutor(INGEST_THREADS, INGEST_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> { try { r.run(); } finally { IngestTelemetry.PER_THREAD.remove(Thread.currentThread()); } }, "ingest-" + threadsCreated.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.warning(th.getName() + " died: " + e.getMessage()));
            return t;
        });
        MemoryHandler recent;
        final ConsoleHandler console = new ConsoleHandler();

        void start() {
            for (String name : new String[] {"weather", "scale-vendor", "marketplace"})
                downstream.put(name, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(4)).build());
            LOG.setUseParentHandlers(false);
            LOG.setLevel(Level.INFO);
            console.setLevel(Level.SEVERE);
            recent = new MemoryHandler(console, 1_000, Level.SEVERE);
            recent.setLevel(Level.INFO);
            LOG.addHandler(console);
            LOG.addHandler(recent);
            for (int e = 0; e < EXPORTERS; e++) exporters.push(new CsvExporter());
        }
    }

    static HiveService HIVES_SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long hours = 6, start = now - hours * HOUR;
        Random rnd = new Random(20_060_001);
        HiveService svc = new HiveService();
        HIVES_SERVICE = svc;
        svc.start();
        for (int a = 0; a < APIARIES; a++) {
            int[] counts = new int[12];
            for (int k = 0; k < counts.length; k++) counts[k] = 5 + rnd.nextInt(30);
            String id = "API-" + (5_000 + a);
            svc.apiaries.put(id, new Apiary(id, "Beekeeper " + (a % 900), 45 + rnd.nextDouble() * 8, 2 + rnd.nextDouble() * 12, counts));
        }
        String[] lines = {"Buckfast", "Carniolan", "Italian", "Caucasian"};
        for (int h = 0; h < HIVES; h++) {
            float[] curve = new float[48];
            for (int k = 0; k < curve.length; k++) curve[k] = 20 + rnd.nextFloat() * 40;
            String id = "HIVE-" + (1_000_000 + h);
            svc.hives.put(id, new Hive(id, "API-" + (5_000 + rnd.nextInt(APIARIES)), lines[h % lines.length], now - (long) rnd.nextInt(4 * 365 * 24) * HOUR, curve));
        }
        for (int p = 0; p < PLANTS; p++) {
            int[] weeks = new int[8];
            for (int k = 0; k < weeks.length; k++) weeks[k] = 10 + rnd.nextInt(30);
            String latin = "Genus" + (p / 10) + " species" + p;
            svc.plants.put(latin, new Plant(latin, "Forage plant " + p, weeks));
        }
        for (int s = 0; s < APP_SESSIONS; s++) {
            String token = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
            svc.sessions.put(token, new AppSession(token, 30_000L + rnd.nextInt(900), now - (long) rnd.nextInt(6) * HOUR, now - rnd.nextInt(900_000)));
        }
        CyclicBarrier ready = new CyclicBarrier(INGEST_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < INGEST_THREADS; w++) warm.add(svc.ingest.submit(() -> { IngestTelemetry.mine(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // gateways connect and reconnect; a reconnect drops the old connection (its socket is closed by the cleaner)
        for (int c = 0; c < CONNECTS; c++) {
            String gw = "GW-" + (700 + rnd.nextInt(GATEWAYS_ONLINE));
            svc.online.put(gw, new GatewayConnection(gw, start + (now - start) * c / CONNECTS));
        }
        // one bad frame kills a worker (execute: the exception ends the thread, the pool replaces it)
        final CyclicBarrier poisoned = new CyclicBarrier(2);
        svc.ingest.execute(() -> { IngestTelemetry.mine().badFrames++; try { poisoned.await(); } catch (Exception e) { } throw new IllegalArgumentException("bad frame from GW-701"); });
        poisoned.await();
        for (int b = 0; b < BATCHES; b++) {
            final long t = start + (now - start) * b / BATCHES;
            final int n = READINGS / BATCHES, batch = b;
            final long seed = rnd.nextLong();
            svc.ingest.submit(() -> {
                Random r = new Random(seed);
                IngestStats st = IngestTelemetry.mine();
                synchronized (svc) {
                    for (int k = 0; k < n; k++) svc.readings[(int) (svc.readingsWritten++ % RING)] = new Reading("HIVE-" + (1_000_000 + r.nextInt(HIVES)), 20 + r.nextFloat() * 50, 30 + r.nextFloat() * 6, r.nextFloat(), t + k * 100L);
                    String apiary = "API-" + (5_000 + r.nextInt(APIARIES));
                    if (svc.forecasts.get(apiary) == null) svc.forecasts.put(apiary, new Forecast(apiary, t, new double[72]));
                }
                st.frames += n; st.lastAt = t; st.frameSizeHistogram[n % 64]++;
                if (n > 0 && batch % 100 == 0) HiveService.LOG.info("batch " + batch + " of " + n + " readings");
            }).get();
            if (b % 50 == 0) {
                CsvExporter ex = svc.exporters.pop();
                ex.out.setLength(0); ex.out.append("hive,weight,temp\n"); ex.exports++;
                svc.exporters.push(ex);
            }
        }
        for (int k = 0; k < 100 && Sockets.opened.get() - Sockets.closed.get() > svc.online.size(); k++) { System.gc(); Thread.sleep(50); }
        long registered = Sockets.opened.get() - Sockets.closed.get();
        int live = 0;
        for (Thread th : IngestTelemetry.PER_THREAD.keySet()) if (th.isAlive()) live++;
        int selector = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("HttpClient-") && th.getName().endsWith("-SelectorManager")) selector++;
        System.out.println("hives " + svc.hives.size() + " apiaries " + svc.apiaries.size() + " plants " + svc.plants.size() + " sessions " + svc.sessions.size() + " http clients " + svc.downstream.size() + " (selector threads " + selector + ") logger handlers " + HiveService.LOG.getHandlers().length + " connections opened " + Sockets.opened.get() + " closed " + Sockets.closed.get() + " registered " + registered + " online " + svc.online.size() + " ingest threads created " + svc.threadsCreated.get() + " stats " + IngestTelemetry.PER_THREAD.size() + " (live " + live + ") readings " + svc.readingsWritten + " forecasts " + svc.forecasts.size() + " (evicted " + svc.forecasts.evicted + ") exporters idle " + svc.exporters.size());
        check(svc.hives.size() == HIVES && svc.apiaries.size() == APIARIES && svc.plants.size() == PLANTS && svc.sessions.size() == APP_SESSIONS, "reference data");
        check(svc.downstream.size() == 3 && selector == 3 && HiveService.LOG.getHandlers().length == 2, "fixed clients and handlers");
        check(svc.online.size() == GATEWAYS_ONLINE && registered == GATEWAYS_ONLINE && Sockets.opened.get() == CONNECTS, "gateway connections registered: " + registered);
        check(svc.threadsCreated.get() == INGEST_THREADS + 1 && IngestTelemetry.PER_THREAD.size() == INGEST_THREADS && live == INGEST_THREADS && svc.ingest.getPoolSize() == INGEST_THREADS, "per-thread stats of the live workers");
        check(svc.readingsWritten == READINGS && svc.readings[RING - 1] != null, "reading ring wrapping");
        check(svc.forecasts.size() == FORECAST_CAP && svc.forecasts.evicted > 0, "forecast cache at its cap");
        check(svc.exporters.size() == EXPORTERS, "exporter pool idle");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
