// hprofscan-dump: name=val146-leak-hydrogenstations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val146-leak-hydrogenstations-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
// hprofscan-build: d=testdata/build/val146-h2-adapters; rm -rf "$d"; for v in Hydrix Cryomax NorthPress Voltaic; do mkdir -p "$d/$v/testdata"; mv testdata/build/classes/testdata/Val146LeakHydrogenStations\$"$v"*.class "$d/$v/testdata/"; done
package testdata;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.logging.Logger;

/**
 * Validation set 146 (written blind), LEAK: the network operations service of a hydrogen refuelling
 * station operator. Station reference data, the fleet fuel-card directory, the dispenser table, an
 * LRU of rendered station status pages at its cap, a pool of telemetry buffers, a ring of fill
 * sessions, the maintenance-ticket queue with its normal backlog, kilograms dispensed per station,
 * and the dispenser vendor adapters: four plugins (Hydrix, Cryomax, NorthPress, Voltaic), each
 * loaded from its own directory of compiled classes in a new URLClassLoader whenever the vendor
 * pushes a new protocol configuration (every 20 minutes each). When an adapter starts it
 * registers its station-historian JDBC driver with java.sql.DriverManager
 * ({@code DriverManager.registerDriver(new HydrixDriver(ctx))}); its stop() closes its historian
 * sessions but never deregisters the driver, and the host closes the old loader: every retired
 * generation, its loader, its classes and their static tables (fault-code dictionary, pressure
 * ramp) stay reachable from DriverManager's list of registered drivers. One run of 10 hours. See
 * VALIDATION146.md.
 *
 * <p>The adapter classes are the nested classes {@code Hydrix*}, {@code Cryomax*},
 * {@code NorthPress*} and {@code Voltaic*} below; the hprofscan-build line moves them out of
 * build/classes into one directory per vendor, so that only the adapters' own loaders define them.
 */
public final class Val146LeakHydrogenStations {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STATIONS = 450, DISPENSERS = 1_800, CARDS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            FILLS_PER_MINUTE = 14, PAGE_REQUESTS_PER_MINUTE = 16, TICKETS_PER_MINUTE = 2, TICKET_MINUTES = 25, RELOAD_EVERY_MINUTES = 20;
    static final String ADAPTER_DIR = "testdata/build/val146-h2-adapters";
    static final String[] VENDORS = {"Hydrix", "Cryomax", "NorthPress", "Voltaic"};
    static final String[] REGIONS = {"DE-BY", "DE-NW", "DE-BW", "NL-NH", "DK-84", "CA-BC", "US-CA", "JP-13", "KR-11", "FR-IDF"};
    static boolean FIXED;

    // ---- host API seen by the adapters (public: the adapters live in other class loaders) --------------------

    /** A dispenser vendor adapter. */
    public interface DispenserAdapter {
        void start(AdapterContext ctx) throws SQLException;
        /** Reads one dispenser's telemetry frame; returns the number of values read. */
        int readTelemetry(int dispenser, long t, double[] out);
        String describeFault(String code);
        void stop() throws SQLException;
    }

    /** What the host hands an adapter generation. */
    public static final class AdapterContext {
        public final String vendor;
        public final int generation;
        public final long loadedAt;
        public final Map<String, String> settings;
        public AdapterContext(String vendor, int generation, long loadedAt, Map<String, String> settings) {
            this.vendor = vendor; this.generation = generation; this.loadedAt = loadedAt; this.settings = settings;
        }
    }

    /** A session to a vendor's station historian, opened by an adapter. */
    public static final class HistorianSession {
        public final String url;
        public final long openedAt;
        public final byte[] fetchBuffer = new byte[2_048];
        public boolean open = true;
        public HistorianSession(String url, long openedAt) { this.url = url; this.openedAt = openedAt; }
    }

    /** Common code of the adapters' historian JDBC drivers (the drivers themselves are adapter classes). */
    public abstract static class HistorianDriver implements Driver {
        public final String urlPrefix;
        public final AdapterContext context;
        protected HistorianDriver(String urlPrefix, AdapterContext context) { this.urlPrefix = urlPrefix; this.context = context; }
        @Override public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) return null;
            throw new SQLFeatureNotSupportedException("historian " + url + " is not reachable from the operations network");
        }
        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith(urlPrefix); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 2; }
        @Override public int getMinorVersion() { return context.generation; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
    }

    /** Shared builders of the adapters' static tables (the tables belong to the adapter classes that call them). */
    public static final class AdapterTables {
        private AdapterTables() {}
        static final String[] PARTS = {"compressor", "precooler", "nozzle", "receptacle", "breakaway", "IR link", "mass-flow meter", "hose",
                "chiller", "storage bank", "priority panel", "vent stack"};
        public static Map<String, String> faultCodes(String prefix, int count, long seed) {
            Random r = new Random(seed);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String part = PARTS[r.nextInt(PARTS.length)];
                m.put(prefix + "-E" + (1_000 + i * 3), part + " fault " + i + ": " + (r.nextBoolean() ? "pressure deviation above " : "temperature out of band by ")
                        + (1 + r.nextInt(40)) + (r.nextBoolean() ? " bar" : " K") + ", lockout " + (r.nextInt(3) == 0 ? "manual" : "auto"));
            }
            return m;
        }
        public static double[] ramp(int n, long seed) {
            Random r = new Random(seed);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = 20 + i * 0.34 + r.nextDouble();
            return c;
        }
    }

    /** Host switch for the measurement run with the fixed adapters (-Dval146.fixed=true). */
    public static boolean fixedAdapters() { return FIXED; }

    // ---- the adapters (moved into testdata/build/val146-h2-adapters/<vendor>/ by the build line) ---------------

    public static final class HydrixAdapter implements DispenserAdapter {
        public static final Map<String, String> FAULT_CODES = AdapterTables.faultCodes("HX", 420, 146_031);
        public static final double[] PRESSURE_RAMP = AdapterTables.ramp(2_048, 146_032);
        private final List<HistorianSession> sessions = new ArrayList<>();
        private HydrixDriver driver;
        public HydrixAdapter() {}
        @Override public void start(AdapterContext ctx) throws SQLException {
            driver = new HydrixDriver(ctx);
            DriverManager.registerDriver(driver);
            for (int i = 0; i < 3; i++) sessions.add(new HistorianSession("jdbc:hydrix://hist-" + i + ".hydrix.local/tele", ctx.loadedAt));
        }
        @Override public int readTelemetry(int dispenser, long t, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] = PRESSURE_RAMP[(dispenser * 7 + i) % PRESSURE_RAMP.length];
            return out.length;
        }
        @Override public String describeFault(String code) { return FAULT_CODES.getOrDefault(code, "unknown Hydrix fault " + code); }
        @Override public void stop() throws SQLException {
            for (HistorianSession s : sessions) s.open = false;
            sessions.clear();
            if (fixedAdapters()) DriverManager.deregisterDriver(driver);
        }
    }
    public static final class HydrixDriver extends HistorianDriver { public HydrixDriver(AdapterContext ctx) { super("jdbc:hydrix:", ctx); } }

    public static final class CryomaxAdapter implements DispenserAdapter {
        public static final Map<String, String> FAULT_CODES = AdapterTables.faultCodes("CMX", 380, 146_033);
        public static final double[] PRESSURE_RAMP = AdapterTables.ramp(2_304, 146_034);
        private final List<HistorianSession> sessions = new ArrayList<>();
        private CryomaxDriver driver;
        public CryomaxAdapter() {}
        @Override public void start(AdapterContext ctx) throws SQLException {
            driver = new CryomaxDriver(ctx);
            DriverManager.registerDriver(driver);
            for (int i = 0; i < 2; i++) sessions.add(new HistorianSession("jdbc:cryomax://" + ctx.settings.get("site") + "/hist" + i, ctx.loadedAt));
        }
        @Override public int readTelemetry(int dispenser, long t, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] = PRESSURE_RAMP[(dispenser * 11 + i) % PRESSURE_RAMP.length] * 0.98;
            return out.length;
        }
        @Override public String describeFault(String code) { return FAULT_CODES.getOrDefault(code, "unknown Cryomax fault " + code); }
        @Override public void stop() throws SQLException {
            for (HistorianSession s : sessions) s.open = false;
            sessions.clear();
            if (fixedAdapters()) DriverManager.deregisterDriver(driver);
        }
    }
    public static final class CryomaxDriver extends HistorianDriver { public CryomaxDriver(AdapterContext ctx) { super("jdbc:cryomax:", ctx); } }

    public static final class NorthPressAdapter implements DispenserAdapter {
        public static final Map<String, String> FAULT_CODES = AdapterTables.faultCodes("NP", 460, 146_035);
        public static final double[] PRESSURE_RAMP = AdapterTables.ramp(1_792, 146_036);
        private final List<HistorianSession> sessions = new ArrayList<>();
        private NorthPressDriver driver;
        public NorthPressAdapter() {}
        @Override public void start(AdapterContext ctx) throws SQLException {
            driver = new NorthPressDriver(ctx);
            DriverManager.registerDriver(driver);
            for (int i = 0; i < 4; i++) sessions.add(new HistorianSession("jdbc:northpress:tcp://np-hist.local:7" + i + "00", ctx.loadedAt));
        }
        @Override public int readTelemetry(int dispenser, long t, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] = PRESSURE_RAMP[(dispenser * 5 + i * 3) % PRESSURE_RAMP.length];
            return out.length;
        }
        @Override public String describeFault(String code) { return FAULT_CODES.getOrDefault(code, "unknown NorthPress fault " + code); }
        @Override public void stop() throws SQLException {
            for (HistorianSession s : sessions) s.open = false;
            sessions.clear();
            if (fixedAdapters()) DriverManager.deregisterDriver(driver);
        }
    }
    public static final class NorthPressDriver extends HistorianDriver { public NorthPressDriver(AdapterContext ctx) { super("jdbc:northpress:", ctx); } }

    public static final class VoltaicAdapter implements DispenserAdapter {
        public static final Map<String, String> FAULT_CODES = AdapterTables.faultCodes("VOL", 400, 146_037);
        public static final double[] PRESSURE_RAMP = AdapterTables.ramp(2_048, 146_038);
        private final List<HistorianSession> sessions = new ArrayList<>();
        private VoltaicDriver driver;
        public VoltaicAdapter() {}
        @Override public void start(AdapterContext ctx) throws SQLException {
            driver = new VoltaicDriver(ctx);
            DriverManager.registerDriver(driver);
            sessions.add(new HistorianSession("jdbc:voltaic:" + ctx.settings.get("site"), ctx.loadedAt));
        }
        @Override public int readTelemetry(int dispenser, long t, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] = PRESSURE_RAMP[(dispenser + i * 13) % PRESSURE_RAMP.length] + 1.5;
            return out.length;
        }
        @Override public String describeFault(String code) { return FAULT_CODES.getOrDefault(code, "unknown Voltaic fault " + code); }
        @Override public void stop() throws SQLException {
            for (HistorianSession s : sessions) s.open = false;
            sessions.clear();
            if (fixedAdapters()) DriverManager.deregisterDriver(driver);
        }
    }
    public static final class VoltaicDriver extends HistorianDriver { public VoltaicDriver(AdapterContext ctx) { super("jdbc:voltaic:", ctx); } }

    // ---- the service ------------------------------------------------------------------------------------------

    record Station(String stationId, String region, String name, double[] demandByQuarterHour) {}
    record Dispenser(String serial, String stationId, String vendor, int pressureBar) {}
    record FleetCard(String cardNo, String fleet, byte[] contract, long issuedAt) {}
    record FillSession(long seq, String dispenser, String cardNo, double kg, int pressureBar, double precoolC, long at) {}
    record StatusPage(String stationId, byte[] rendered, long at) {}
    record MaintenanceTicket(String ticketId, String dispenser, String fault, String description, long openedAt) {}

    static final Map<String, Station> STATIONS_BY_ID = new HashMap<>();

    static final class StatusPageCache extends LinkedHashMap<String, StatusPage> {
        long evicted;
        StatusPageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StatusPage> e) {
            if (size() > PAGE_CAP) { evicted++; return true; }
            return false;
        }
    }

    /** One loaded adapter generation. */
    static final class LoadedAdapter {
        final String vendor;
        final int generation;
        final URLClassLoader loader;
        final DispenserAdapter adapter;
        LoadedAdapter(String vendor, int generation, URLClassLoader loader, DispenserAdapter adapter) { this.vendor = vendor; this.generation = generation; this.loader = loader; this.adapter = adapter; }
    }

    static final class AdapterHost {
        final Map<String, LoadedAdapter> active = new HashMap<>();
        final Map<String, Integer> generations = new HashMap<>();
        long loads, retired;

        void load(String vendor, long t) throws Exception {
            int gen = generations.merge(vendor, 1, Integer::sum);
            Path dir = Path.of(ADAPTER_DIR, vendor);
            if (!Files.isDirectory(dir)) throw new IllegalStateException("no adapter directory " + dir + " (run testdata/generate.sh, whose build line creates it)");
            URLClassLoader loader = new URLClassLoader("h2-" + vendor.toLowerCase() + "-adapter-g" + gen, new URL[] {dir.toUri().toURL()}, Val146LeakHydrogenStations.class.getClassLoader());
            Class<?> c = loader.loadClass("testdata.Val146LeakHydrogenStations$" + vendor + "Adapter");
            if (c.getClassLoader() != loader) throw new IllegalStateException(c + " was not defined by the adapter's loader: it is on the class path");
            DispenserAdapter a = (DispenserAdapter) c.getDeclaredConstructor().newInstance();
            Map<String, String> settings = new HashMap<>();
            settings.put("site", "h2ops-" + vendor.toLowerCase() + ".local");
            settings.put("protocol.revision", vendor.substring(0, 2).toUpperCase() + "-" + (2_400 + gen));
            a.start(new AdapterContext(vendor, gen, t, settings));
            LoadedAdapter old = active.put(vendor, new LoadedAdapter(vendor, gen, loader, a));
            loads++;
            if (old != null) {
                old.adapter.stop();
                old.loader.close();
                RETIRED_LOADERS.add(new WeakReference<>(old.loader));
                retired++;
            }
        }
    }

    static final class NetworkService {
        final Map<String, FleetCard> cards = new HashMap<>();
        final String[] cardNos = new String[CARDS];
        final Dispenser[] dispensers = new Dispenser[DISPENSERS];
        final StatusPageCache pages = new StatusPageCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final FillSession[] fills = new FillSession[RING];
        final ArrayDeque<MaintenanceTicket> tickets = new ArrayDeque<>();
        final double[] kgByStation = new double[STATIONS];
        final AdapterHost adapters = new AdapterHost();
        final double[] frame = new double[48];
        long fillCount, pageRequests, pageHits, ticketsClosed, telemetryValues;

        void fill(int d, String cardNo, Random r, long t, int[] stationIndex) {
            Dispenser disp = dispensers[d];
            byte[] buf = telemetryBuffers.poll();
            telemetryValues += adapters.active.get(disp.vendor()).adapter.readTelemetry(d, t, frame);
            buf[(int) (fillCount % buf.length)] = (byte) frame[0];
            telemetryBuffers.addLast(buf);
            double kg = 0.8 + r.nextDouble() * (disp.pressureBar() == 700 ? 5.5 : 28);
            fills[(int) (fillCount % RING)] = new FillSession(fillCount, disp.serial(), cardNo, kg, disp.pressureBar(), -40 + r.nextDouble() * 8, t);
            fillCount++;
            kgByStation[stationIndex[d]] += kg;
        }

        StatusPage page(String stationId, Random r, long t) {
            pageRequests++;
            StatusPage p = pages.get(stationId);
            if (p != null) { pageHits++; return p; }
            p = new StatusPage(stationId, new byte[400 + r.nextInt(400)], t);
            pages.put(stationId, p);
            return p;
        }

        void openTicket(int d, String faultCode, long t, long seq) {
            Dispenser disp = dispensers[d];
            tickets.addLast(new MaintenanceTicket("MT-" + (50_000 + seq), disp.serial(), faultCode,
                    adapters.active.get(disp.vendor()).adapter.describeFault(faultCode), t));
        }
    }

    static NetworkService SERVICE;
    /** Verification only: the retired adapter loaders, to count those still reachable (emptied before the dump). */
    static final List<WeakReference<ClassLoader>> RETIRED_LOADERS = new ArrayList<>();

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(146_030_001);
        String[] stationIds = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] demand = new double[96];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 120;
            stationIds[s] = "H2-" + REGIONS[s % REGIONS.length] + "-" + (1_000 + s * 7);
            STATIONS_BY_ID.put(stationIds[s], new Station(stationIds[s], REGIONS[s % REGIONS.length], "Station " + s, demand));
        }
        NetworkService svc = new NetworkService();
        SERVICE = svc;
        int[] stationIndex = new int[DISPENSERS];
        for (int d = 0; d < DISPENSERS; d++) {
            stationIndex[d] = d % STATIONS;
            svc.dispensers[d] = new Dispenser("DSP-" + (700_000 + d * 13), stationIds[d % STATIONS], VENDORS[rnd.nextInt(VENDORS.length)], rnd.nextInt(3) == 0 ? 350 : 700);
        }
        for (int c = 0; c < CARDS; c++) {
            svc.cardNos[c] = "7083" + (10_000_000 + c * 37);
            svc.cards.put(svc.cardNos[c], new FleetCard(svc.cardNos[c], "fleet-" + rnd.nextInt(900), new byte[150 + rnd.nextInt(150)], now - (long) (5 + rnd.nextInt(1_400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        for (String v : VENDORS) svc.adapters.load(v, start);

        Random fills = new Random(146_030_002), pages = new Random(146_030_003), faults = new Random(146_030_004);
        String[] prefixes = {"HX", "CMX", "NP", "VOL"};
        long ticketSeq = 0;
        int minute = 0;
        for (long t = start; t < end; t += MINUTE, minute++) {
            for (int k = 0; k < VENDORS.length; k++) {
                if (minute > 0 && minute % RELOAD_EVERY_MINUTES == 5 * k) svc.adapters.load(VENDORS[k], t); // the vendor pushed a protocol revision
            }
            for (int k = 0; k < FILLS_PER_MINUTE; k++) svc.fill(fills.nextInt(DISPENSERS), svc.cardNos[fills.nextInt(CARDS)], fills, t + k * 4 * SECOND, stationIndex);
            for (int k = 0; k < PAGE_REQUESTS_PER_MINUTE; k++) {
                String id = pages.nextInt(4) == 0 ? stationIds[pages.nextInt(40)] : "H2-archive-" + pages.nextInt(60_000);
                svc.page(id, pages, t + k * 3 * SECOND);
            }
            for (int k = 0; k < TICKETS_PER_MINUTE; k++) {
                int d = faults.nextInt(DISPENSERS);
                int v = Arrays.asList(VENDORS).indexOf(svc.dispensers[d].vendor());
                svc.openTicket(d, prefixes[v] + "-E" + (1_000 + faults.nextInt(420) * 3), t + k * 30 * SECOND, ticketSeq++);
            }
            while (!svc.tickets.isEmpty() && svc.tickets.peekFirst().openedAt() + TICKET_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.tickets.pollFirst();
                svc.ticketsClosed++;
            }
        }
    }

    /**
     * Counts the retired adapter loaders still reachable after a full GC. With the fix a JIT compilation still
     * running can hold a retired generation for a moment, so the GC is repeated (up to 10 s) until none is left;
     * in the leaking run all of them stay (DriverManager holds them) and the count is final at once.
     */
    static int retiredLoadersAlive() {
        int alive = 0;
        for (int attempt = 0; attempt < 100; attempt++) {
            System.gc();
            alive = 0;
            for (WeakReference<ClassLoader> w : RETIRED_LOADERS) if (w.get() != null) alive++;
            if (alive == 0 || !FIXED) break;
            try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); break; }
        }
        return alive;
    }

    // Exact counts: adapter loads, retired generations, retired loaders alive, status-page evictions, page hits, fills,
    // tickets closed.
    static final long[] EXPECTED = {123, 119, 119, 5_065, 2_535, 8_400, 1_150};

    static void verify() {
        NetworkService svc = SERVICE;
        AdapterHost host = svc.adapters;
        int alive = retiredLoadersAlive();
        int retiredChecked = RETIRED_LOADERS.size();
        RETIRED_LOADERS.clear();
        int minutes = HOURS * 60;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_ID.size() + " dispensers " + svc.dispensers.length + " cards " + svc.cards.size()
                + " adapter loads " + host.loads + " retired " + host.retired + " retired loaders still reachable " + alive + " active " + host.active.size()
                + " fills " + svc.fillCount + " telemetry values " + svc.telemetryValues + " pages " + svc.pages.size() + " (requests " + svc.pageRequests + ", hits "
                + svc.pageHits + ", evicted " + svc.pages.evicted + ") tickets open " + svc.tickets.size() + " closed " + svc.ticketsClosed + " pool " + svc.telemetryBuffers.size());
        check(STATIONS_BY_ID.size() == STATIONS && svc.cards.size() == CARDS, "reference data / directory");
        check(host.active.size() == VENDORS.length && host.loads == host.retired + VENDORS.length && retiredChecked == host.retired, "adapter generations");
        for (LoadedAdapter la : host.active.values()) check(la.adapter.getClass().getClassLoader() == la.loader, "adapter defined by its loader");
        check(alive == (FIXED ? 0 : host.retired), "retired adapter loaders reachable: " + alive);
        check(svc.fillCount == (long) FILLS_PER_MINUTE * minutes && svc.fills[RING - 1] != null, "fill ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "status-page cache at its cap");
        check(svc.tickets.size() == TICKETS_PER_MINUTE * TICKET_MINUTES, "ticket backlog");
        check(svc.telemetryBuffers.size() == POOL, "telemetry buffer pool");
        if (EXPECTED.length > 0) {
            long[] got = {host.loads, host.retired, alive, svc.pages.evicted, svc.pageHits, svc.fillCount, svc.ticketsClosed};
            if (FIXED) got[2] = host.retired; // the fixed run's only difference
            check(Arrays.equals(EXPECTED, got), "exact counts " + Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val146.fixed");
        simulate();
        verify();
        LeakCheck.histogram("URLClassLoader", "DriverInfo");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
