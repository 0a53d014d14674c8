// hprofscan-dump: name=val132-healthy-batterystorage jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val132-healthy-batterystorage-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 132 (written blind), HEALTHY: the dispatch service of a grid-scale battery
 * storage operator. A large read-only table of grid connection points (loss factors by settlement
 * period), the battery-site directory, a warm cache of state-of-charge forecasts at its cap, a pool
 * of telemetry buffers, a ring of recent dispatch instructions, the market-bid queue with its normal
 * backlog, the dispatch-strategy module reloaded every 15 simulated minutes in a new class loader
 * (its health check is unregistered when a generation is stopped; the host keeps the current and
 * the previous generation for rollback: two loaders live), and the operators' site dashboards, each
 * refreshed by a scheduleWithFixedDelay task whose lambda captures the dashboard's render buffer,
 * cancelled when the dashboard is closed (removeOnCancel: a few dozen live). See VALIDATION132.md.
 */
public final class Val132HealthyBatteryStorage {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, RELOAD_EVERY = 15 * MINUTE, REFRESH_EVERY = 10 * MINUTE;
    static final int CONNECTION_POINTS = 16_000, SITES = 4_000, FORECAST_CAP = 3_000, POOL = 8, RING = 8_192, HOURS = 10;
    static final int INSTRUCTIONS = 60_000, DASHBOARDS = 1_200;
    static final String[] MODULE_CLASSES = {"PriceSpreadStrategy", "StrategyHealthCheck"};
    static final AtomicLong RUNS = new AtomicLong();

    // ---- host API (application class loader) ----------------------------------------------------

    public interface HealthCheck {
        String name();
        boolean healthy();
    }

    public static final class HealthRegistry {
        public static final List<HealthCheck> CHECKS = new CopyOnWriteArrayList<>();
        public static void register(HealthCheck c) { CHECKS.add(c); }
        public static void unregister(HealthCheck c) { CHECKS.remove(c); }
    }

    public interface DispatchStrategy {
        String version();
        void start();
        void stop();
        /** Target power (MW, positive = discharge) for a site at a settlement period. */
        double target(int siteIndex, int period, double stateOfCharge);
    }

    record HostCheck(String name) implements HealthCheck { public boolean healthy() { return true; } }

    // ---- the module's classes: defined anew by every StrategyLoader generation -------------------

    public static final class PriceSpreadStrategy implements DispatchStrategy {
        static final double[] SPREAD_CURVE = new double[6_144];
        static final int[][] PERIOD_BANDS = new int[96][128];
        static {
            for (int i = 0; i < SPREAD_CURVE.length; i++) SPREAD_CURVE[i] = Math.sin(i / 97.0) * 40;
            for (int r = 0; r < PERIOD_BANDS.length; r++) for (int c = 0; c < PERIOD_BANDS[r].length; c++) PERIOD_BANDS[r][c] = (r * 13 + c * 7) % 9 - 4;
        }
        final String version;
        StrategyHealthCheck check;
        public long decisions;
        public PriceSpreadStrategy(String version) { this.version = version; }
        public String version() { return version; }
        public void start() { check = new StrategyHealthCheck(this); HealthRegistry.register(check); }
        public void stop() { HealthRegistry.unregister(check); }
        public double target(int siteIndex, int period, double stateOfCharge) {
            decisions++;
            return SPREAD_CURVE[(siteIndex * 31 + period) % SPREAD_CURVE.length] * stateOfCharge / 100 + PERIOD_BANDS[period % 96][siteIndex % 128];
        }
    }

    public static final class StrategyHealthCheck implements HealthCheck {
        final PriceSpreadStrategy strategy;
        public StrategyHealthCheck(PriceSpreadStrategy strategy) { this.strategy = strategy; }
        public String name() { return "dispatch-strategy " + strategy.version(); }
        public boolean healthy() { return strategy.decisions >= 0; }
    }

    static final class StrategyLoader extends ClassLoader {
        final int generation; final Map<String, byte[]> bytecode;
        StrategyLoader(int generation, Map<String, byte[]> bytecode) {
            super("dispatch-strategy-g" + generation, Val132HealthyBatteryStorage.class.getClassLoader());
            this.generation = generation; this.bytecode = bytecode;
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

    static final class StrategyHost {
        final Map<String, byte[]> bytecode = new HashMap<>();
        DispatchStrategy current, previous;
        int generation;
        void reload() throws Exception {
            generation++;
            StrategyLoader loader = new StrategyLoader(generation, bytecode);
            DispatchStrategy next = (DispatchStrategy) loader.loadClass(Val132HealthyBatteryStorage.class.getName() + "$PriceSpreadStrategy")
                    .getConstructor(String.class).newInstance("g" + generation);
            next.start();
            if (current != null) current.stop();   // unregisters its health check
            previous = current;                    // kept for one reload, for rollback
            current = next;
        }
    }

    // ---- the host service -------------------------------------------------------------------------

    record ConnectionPoint(String gsp, String region, double[] lossFactorByPeriod) {}
    record BatterySite(String id, String gsp, String operatorName, double powerMw, double energyMwh, byte[] commissioningRecord, long energisedAt) {}
    record Forecast(String key, byte[] curve, long computedAt) {}
    record Instruction(String siteId, double targetMw, int period, String strategyVersion, long at) {}
    record MarketBid(String id, String siteId, String product, double priceGbpMwh, double mw, long submittedAt) {}

    static final class DashboardState {
        final String dashboardId, siteId, operatorUser;
        final byte[] renderBuffer;
        long refreshes;
        DashboardState(String dashboardId, String siteId, String operatorUser, int bytes) { this.dashboardId = dashboardId; this.siteId = siteId; this.operatorUser = operatorUser; this.renderBuffer = new byte[bytes]; }
        void refresh() { refreshes++; renderBuffer[0] = (byte) refreshes; RUNS.incrementAndGet(); }
    }

    static final class Dashboard {
        final String id; final DashboardState state; ScheduledFuture<?> refresh;
        Dashboard(String id, DashboardState state) { this.id = id; this.state = state; }
    }

    record Planned(long at, String id) {}

    static final class ForecastCache extends LinkedHashMap<String, Forecast> {
        long evicted;
        ForecastCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Forecast> e) { if (size() > FORECAST_CAP) { evicted++; return true; } return false; }
    }

    static final class Dashboards {
        final Map<String, Dashboard> open = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler;
        long opened, closed;
        Dashboards() {
            AtomicInteger n = new AtomicInteger();
            scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "dashboard-refresh-" + n.incrementAndGet()); t.setDaemon(true); return t; });
            scheduler.setRemoveOnCancelPolicy(true);
        }
        void open(Dashboard d) {
            DashboardState state = d.state;
            d.refresh = scheduler.scheduleWithFixedDelay(() -> state.refresh(), REFRESH_EVERY, REFRESH_EVERY, TimeUnit.MILLISECONDS);
            open.put(d.id, d);
            opened++;
        }
        void close(String id) {
            Dashboard d = open.remove(id);
            d.refresh.cancel(false);
            closed++;
        }
    }

    static final class DispatchService {
        final Map<String, BatterySite> sites = new HashMap<>();
        final ForecastCache forecasts = new ForecastCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final Instruction[] instructions = new Instruction[RING];
        long instructed;
        final ArrayDeque<MarketBid> bids = new ArrayDeque<>();
        long bidsSubmitted, bidsAccepted;
        final StrategyHost strategies = new StrategyHost();
        final Dashboards dashboards = new Dashboards();
        long forecastRequests;
    }

    static final Map<String, ConnectionPoint> CONNECTION_POINTS_BY_GSP = new HashMap<>();
    static DispatchService SERVICE;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(132_060_001);
        String[] regions = {"_A", "_B", "_C", "_D", "_E", "_F", "_G", "_H", "_J", "_K", "_L", "_M", "_N", "_P"};
        String[] gsps = new String[CONNECTION_POINTS];
        for (int g = 0; g < CONNECTION_POINTS; g++) {
            double[] loss = new double[96];
            for (int k = 0; k < loss.length; k++) loss[k] = 0.97 + rnd.nextDouble() * 0.06;
            gsps[g] = "GSP-" + regions[g % regions.length].substring(1) + (10_000 + g);
            CONNECTION_POINTS_BY_GSP.put(gsps[g], new ConnectionPoint(gsps[g], regions[g % regions.length], loss));
        }
        HealthRegistry.register(new HostCheck("database"));
        HealthRegistry.register(new HostCheck("market-gateway"));
        HealthRegistry.register(new HostCheck("scada-link"));
        HealthRegistry.register(new HostCheck("forecast-feed"));
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (String simple : MODULE_CLASSES) {
            try (InputStream in = Val132HealthyBatteryStorage.class.getResourceAsStream("Val132HealthyBatteryStorage$" + simple + ".class")) {
                svc.strategies.bytecode.put(Val132HealthyBatteryStorage.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        String[] operators = {"Zenobe", "Harmony", "Gresham House", "Field", "Statera", "Pivot"};
        String[] siteIds = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            siteIds[s] = "BESS-" + (20_000 + s * 7);
            svc.sites.put(siteIds[s], new BatterySite(siteIds[s], gsps[rnd.nextInt(CONNECTION_POINTS)], operators[rnd.nextInt(operators.length)], 5 + rnd.nextInt(95),
                    10 + rnd.nextInt(190), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        Dashboards dash = svc.dashboards;
        dash.scheduler.scheduleWithFixedDelay(() -> RUNS.incrementAndGet(), 30 * MINUTE, 30 * MINUTE, TimeUnit.MILLISECONDS);
        dash.scheduler.scheduleAtFixedRate(() -> RUNS.incrementAndGet(), HOUR, HOUR, TimeUnit.MILLISECONDS);

        Random traffic = new Random(132_060_002);
        Random users = new Random(132_060_003);
        String[] products = {"DC-H", "DC-L", "DR-H", "DM-L", "BM-OFFER", "BM-BID"};
        PriorityQueue<Planned> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextReload = start;
        int nextDash = 0, maxOpen = 0;
        for (int i = 0; i < INSTRUCTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / INSTRUCTIONS;
            while (nextReload <= t) { svc.strategies.reload(); nextReload += RELOAD_EVERY; }
            while (nextDash < DASHBOARDS && start + (end - MINUTE - start) * nextDash / DASHBOARDS <= t) {
                long at = start + (end - MINUTE - start) * nextDash / DASHBOARDS;
                while (!closing.isEmpty() && closing.peek().at() <= at) dash.close(closing.poll().id());
                String id = "DSH-" + (51_000 + nextDash);
                dash.open(new Dashboard(id, new DashboardState(id, siteIds[users.nextInt(SITES)], "ops" + users.nextInt(60), 1_024 + users.nextInt(2_048))));
                closing.add(new Planned(at + (5 + users.nextInt(36)) * MINUTE, id));
                maxOpen = Math.max(maxOpen, dash.open.size());
                nextDash++;
            }
            int site = traffic.nextInt(SITES);
            int period = (int) ((t - start) / (30 * MINUTE)) % 48;
            double mw = svc.strategies.current.target(site, period, traffic.nextInt(101));
            svc.instructions[(int) (svc.instructed++ % RING)] = new Instruction(siteIds[site], mw, period, svc.strategies.current.version(), t);
            if (traffic.nextInt(20) == 0) {
                svc.bids.addLast(new MarketBid("BID-" + (3_000_000 + svc.bidsSubmitted++), siteIds[site], products[traffic.nextInt(products.length)], 20 + traffic.nextInt(20_000) / 100.0, 1 + traffic.nextInt(50), t));
            }
            while (!svc.bids.isEmpty() && svc.bids.peekFirst().submittedAt() <= t - 30 * MINUTE) { svc.bids.pollFirst(); svc.bidsAccepted++; }
            if (i % 2 == 0) {
                String key = siteIds[traffic.nextInt(SITES)] + "/soc/" + (traffic.nextInt(2) == 0 ? "day-ahead" : "intraday");
                svc.forecastRequests++;
                if (svc.forecasts.get(key) == null) svc.forecasts.put(key, new Forecast(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.telemetryBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.telemetryBuffers.add(buf);
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) dash.close(closing.poll().id());
        int stillOpen = closing.size();
        int queued = dash.scheduler.getQueue().size();
        Map<ClassLoader, Boolean> loaders = new IdentityHashMap<>();
        int moduleChecks = 0;
        for (HealthCheck c : HealthRegistry.CHECKS) if (c.getClass().getClassLoader() instanceof StrategyLoader) moduleChecks++;
        loaders.put(svc.strategies.current.getClass().getClassLoader(), Boolean.TRUE);
        loaders.put(svc.strategies.previous.getClass().getClassLoader(), Boolean.TRUE);
        long ran = RUNS.get();
        SUMMARY = "connection points " + CONNECTION_POINTS_BY_GSP.size() + " sites " + svc.sites.size() + " instructions " + svc.instructed + " strategy generations "
                + svc.strategies.generation + " current " + svc.strategies.current.version() + " previous " + svc.strategies.previous.version() + " live loaders "
                + loaders.size() + " health checks " + HealthRegistry.CHECKS.size() + " (module " + moduleChecks + ") dashboards opened " + dash.opened + " closed "
                + dash.closed + " open " + dash.open.size() + " (max " + maxOpen + ") scheduler queue " + queued + " bids " + svc.bidsSubmitted + " accepted "
                + svc.bidsAccepted + " backlog " + svc.bids.size() + " forecasts " + svc.forecasts.size() + " (requests " + svc.forecastRequests + " evicted "
                + svc.forecasts.evicted + ") pool " + svc.telemetryBuffers.size() + " task runs " + ran;
        check(CONNECTION_POINTS_BY_GSP.size() == CONNECTION_POINTS && svc.sites.size() == SITES, "reference data / directory");
        check(svc.strategies.generation == HOURS * HOUR / RELOAD_EVERY && loaders.size() == 2, "strategy generations");
        check(moduleChecks == 1 && HealthRegistry.CHECKS.size() == 5, "health checks: " + HealthRegistry.CHECKS.size());
        check(dash.opened == DASHBOARDS && dash.closed + stillOpen == DASHBOARDS && dash.open.size() == stillOpen, "dashboards");
        check(queued == 2 + stillOpen && ran == 0, "scheduler queue holds the open dashboards only: " + queued);
        check(svc.forecasts.size() == FORECAST_CAP && svc.forecasts.evicted > 0, "forecast cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        check(svc.bidsSubmitted == svc.bidsAccepted + svc.bids.size() && svc.bids.size() > 0, "bid backlog");
        check(svc.instructions[RING - 1] != null, "ring");
        // the exact counts of the truth table (VALIDATION132.md)
        long[] got = {queued, dash.open.size(), dash.closed, svc.bidsSubmitted, svc.bids.size(), svc.forecasts.evicted};
        long[] expect = {49, 47, 1_153, 2_974, 140, 16_308};
        check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
    }

    public static void main(String[] args) throws Exception {
        simulate();
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
