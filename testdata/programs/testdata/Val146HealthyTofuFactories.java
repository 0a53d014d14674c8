// hprofscan-dump: name=val146-healthy-tofufactories jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val146-healthy-tofufactories-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
// hprofscan-build: d=testdata/build/val146-tofu-plugins; rm -rf "$d"; for p in Press Coagulation Packaging; do mkdir -p "$d/$p/testdata"; mv testdata/build/classes/testdata/Val146HealthyTofuFactories\$"$p"*.class "$d/$p/testdata/"; done
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
 * Validation set 146 (written blind), HEALTHY: the manufacturing execution service of a tofu and
 * soy-products maker (soaking, grinding, cooking, nigari coagulation, pressing, packaging). Line
 * reference data, the finished-lot directory, a large read-only coagulant dosing table, an LRU of
 * rendered pack labels at its cap, a pool of label buffers, a ring of line readings, the QA-hold
 * queue with its normal backlog, and look-alikes of the set's leaks done right: three line-controller
 * plugins (press, coagulation skid, packaging), each loaded from its own directory of compiled
 * classes in a new URLClassLoader on every configuration push, each registering its PLC-historian
 * JDBC driver with java.sql.DriverManager when it starts and deregistering it when it stops (so the
 * retired loaders are collected); and a header-value interner bounded twice over (only
 * low-cardinality headers, in an LRU of at most 1,024). One run of 10 hours. See VALIDATION146.md.
 *
 * <p>The plugin classes are the nested classes {@code Press*}, {@code Coagulation*} and
 * {@code Packaging*} below; the hprofscan-build line moves them out of build/classes into one
 * directory per plugin, so that only the plugins' own loaders can define them.
 */
public final class Val146HealthyTofuFactories {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int LINES = 700, LOTS = 18_000, LABEL_CAP = 1_500, POOL = 8, RING = 8_192, HOURS = 10, MESSAGES_PER_MINUTE = 300,
            LABELS_PER_MINUTE = 8, QA_HOLDS_PER_MINUTE = 3, QA_MINUTES = 20, INTERNER_CAP = 1_024, RELOAD_EVERY_MINUTES = 30;
    static final int VARIETIES = 400, PROTEIN_BANDS = 48, TEMPERATURES = 32;
    static final String PLUGIN_DIR = "testdata/build/val146-tofu-plugins";
    static final String[] PLUGINS = {"Press", "Coagulation", "Packaging"};
    static final String[] STEPS = {"soak", "grind", "cook", "separate", "coagulate", "press", "cut", "pack", "pasteurise"};
    static final String[] PRODUCTS = {"firm", "extra-firm", "silken", "smoked", "fried", "yuba", "okara", "soy-milk"};
    static final List<String> INTERNED_HEADERS = List.of("Content-Type", "Content-Encoding", "X-Line", "X-Shift", "X-Firmware", "X-Gateway-Model");

    // ---- host API seen by the plugins (public: the plugins live in other class loaders) ----------------------

    /** A line-controller plugin. */
    public interface LinePlugin {
        void start(PluginContext ctx) throws SQLException;
        /** Reads the line's tags for one minute; returns the number of readings. */
        int poll(long t, double[] out);
        void stop() throws SQLException;
    }

    /** What the host hands a plugin generation. */
    public static final class PluginContext {
        public final String plugin;
        public final int generation;
        public final long loadedAt;
        public final Map<String, String> settings;
        public PluginContext(String plugin, int generation, long loadedAt, Map<String, String> settings) {
            this.plugin = plugin; this.generation = generation; this.loadedAt = loadedAt; this.settings = settings;
        }
    }

    /** Common code of the plugins' PLC-historian JDBC drivers (the drivers themselves are plugin classes). */
    public abstract static class HistorianDriver implements Driver {
        public final String urlPrefix;
        public final PluginContext context;
        protected HistorianDriver(String urlPrefix, PluginContext context) { this.urlPrefix = urlPrefix; this.context = context; }
        @Override public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) return null;
            throw new SQLFeatureNotSupportedException("historian " + url + " is not reachable from the MES network");
        }
        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith(urlPrefix); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 3; }
        @Override public int getMinorVersion() { return context.generation; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
    }

    /** Builders of the plugins' static tables (the tables belong to the plugin classes that call them). */
    public static final class Tables {
        private Tables() {}
        public static Map<String, String> tagNames(String prefix, int count, long seed) {
            Random r = new Random(seed);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < count; i++) {
                m.put(prefix + "." + STEPS[i % STEPS.length] + "." + (1_000 + i), STEPS[i % STEPS.length] + " sensor " + i + " (" + (r.nextInt(4) == 0 ? "bar" : r.nextBoolean() ? "degC" : "l/min") + ", scaled x" + (1 + r.nextInt(100)) + ")");
            }
            return m;
        }
        public static double[] curve(int n, long seed) {
            Random r = new Random(seed);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = i * 0.01 + r.nextDouble();
            return c;
        }
    }

    // ---- the plugins (moved into testdata/build/val146-tofu-plugins/<name>/ by the build line) -----------------

    public static final class PressPlugin implements LinePlugin {
        public static final Map<String, String> TAGS = Tables.tagNames("PR", 420, 146_061);
        public static final double[] PRESSURE_CURVE = Tables.curve(3_072, 146_062);
        private PressDriver driver;
        public PressPlugin() {}
        @Override public void start(PluginContext ctx) throws SQLException { driver = new PressDriver(ctx); DriverManager.registerDriver(driver); }
        @Override public int poll(long t, double[] out) { int n = 0; for (int i = 0; i < out.length; i++) { out[i] = PRESSURE_CURVE[(i * 31 + driver.context.generation) % PRESSURE_CURVE.length]; n++; } return n + TAGS.size() % 3; }
        @Override public void stop() throws SQLException { DriverManager.deregisterDriver(driver); driver = null; }
    }
    public static final class PressDriver extends HistorianDriver { public PressDriver(PluginContext ctx) { super("jdbc:presshist:", ctx); } }

    public static final class CoagulationPlugin implements LinePlugin {
        public static final Map<String, String> TAGS = Tables.tagNames("CG", 380, 146_063);
        public static final double[] NIGARI_CURVE = Tables.curve(3_584, 146_064);
        private CoagulationDriver driver;
        public CoagulationPlugin() {}
        @Override public void start(PluginContext ctx) throws SQLException { driver = new CoagulationDriver(ctx); DriverManager.registerDriver(driver); }
        @Override public int poll(long t, double[] out) { int n = 0; for (int i = 0; i < out.length; i++) { out[i] = NIGARI_CURVE[(i * 17 + driver.context.generation) % NIGARI_CURVE.length]; n++; } return n + TAGS.size() % 3; }
        @Override public void stop() throws SQLException { DriverManager.deregisterDriver(driver); driver = null; }
    }
    public static final class CoagulationDriver extends HistorianDriver { public CoagulationDriver(PluginContext ctx) { super("jdbc:coagdb:", ctx); } }

    public static final class PackagingPlugin implements LinePlugin {
        public static final Map<String, String> TAGS = Tables.tagNames("PK", 460, 146_065);
        public static final double[] SEAL_CURVE = Tables.curve(2_560, 146_066);
        private PackagingDriver driver;
        public PackagingPlugin() {}
        @Override public void start(PluginContext ctx) throws SQLException { driver = new PackagingDriver(ctx); DriverManager.registerDriver(driver); }
        @Override public int poll(long t, double[] out) { int n = 0; for (int i = 0; i < out.length; i++) { out[i] = SEAL_CURVE[(i * 13 + driver.context.generation) % SEAL_CURVE.length]; n++; } return n + TAGS.size() % 3; }
        @Override public void stop() throws SQLException { DriverManager.deregisterDriver(driver); driver = null; }
    }
    public static final class PackagingDriver extends HistorianDriver { public PackagingDriver(PluginContext ctx) { super("jdbc:packtrace:", ctx); } }

    // ---- the service ------------------------------------------------------------------------------------------

    record Line(String lineId, String plant, String step, double[] throughputByHalfHour) {}
    record Lot(String lotCode, String product, String lineId, byte[] traceability, long producedAt) {}
    record PackLabel(String lotCode, byte[] rendered, long at) {}
    record Reading(String lineId, String plugin, double value, long at) {}
    record QaHold(String lotCode, String reason, long heldAt) {}
    record GatewayMessage(String messageId, Map<String, String> headers, int bytes, long at) {}

    static final Map<String, Line> LINES_BY_ID = new HashMap<>();

    static final class LabelCache extends LinkedHashMap<String, PackLabel> {
        long evicted;
        LabelCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PackLabel> e) {
            if (size() > LABEL_CAP) { evicted++; return true; }
            return false;
        }
    }

    /** Canonical instances of low-cardinality header values; ids and other free values are never interned. */
    static final class HeaderInterner {
        final LinkedHashMap<String, String> canonical = new LinkedHashMap<>(256, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { return size() > INTERNER_CAP; }
        };
        long lookups, hits;
        synchronized String intern(String v) {
            lookups++;
            String c = canonical.get(v);
            if (c != null) { hits++; return c; }
            canonical.put(v, v);
            return v;
        }
    }

    /** One loaded plugin generation. */
    static final class LoadedPlugin {
        final String name;
        final int generation;
        final URLClassLoader loader;
        final LinePlugin plugin;
        LoadedPlugin(String name, int generation, URLClassLoader loader, LinePlugin plugin) { this.name = name; this.generation = generation; this.loader = loader; this.plugin = plugin; }
    }

    static final class PluginHost {
        final Map<String, LoadedPlugin> active = new HashMap<>();
        final Map<String, Integer> generations = new HashMap<>();
        long loads, retired;

        void load(String name, long t) throws Exception {
            int gen = generations.merge(name, 1, Integer::sum);
            Path dir = Path.of(PLUGIN_DIR, name);
            if (!Files.isDirectory(dir)) throw new IllegalStateException("no plugin directory " + dir + " (run testdata/generate.sh, whose build line creates it)");
            URLClassLoader loader = new URLClassLoader("tofu-" + name.toLowerCase() + "-g" + gen, new URL[] {dir.toUri().toURL()}, Val146HealthyTofuFactories.class.getClassLoader());
            Class<?> c = loader.loadClass("testdata.Val146HealthyTofuFactories$" + name + "Plugin");
            if (c.getClassLoader() != loader) throw new IllegalStateException(c + " was not defined by the plugin's loader: it is on the class path");
            LinePlugin p = (LinePlugin) c.getDeclaredConstructor().newInstance();
            Map<String, String> settings = new HashMap<>();
            settings.put("historian.url", "jdbc:" + name.toLowerCase() + "://plc-" + name.toLowerCase() + ".plant.local:5433/hist");
            settings.put("config.revision", "r" + (7_000 + loads));
            p.start(new PluginContext(name, gen, t, settings));
            LoadedPlugin old = active.put(name, new LoadedPlugin(name, gen, loader, p));
            loads++;
            if (old != null) {
                old.plugin.stop();      // deregisters the old generation's driver
                old.loader.close();
                RETIRED_LOADERS.add(new WeakReference<>(old.loader));
                retired++;
            }
        }
    }

    static final class FactoryService {
        final Map<String, Lot> lots = new HashMap<>();
        final String[] lotCodes = new String[LOTS];
        final double[] dosingTable = new double[VARIETIES * PROTEIN_BANDS * TEMPERATURES];
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<QaHold> qaHolds = new ArrayDeque<>();
        final HeaderInterner interner = new HeaderInterner();
        final PluginHost plugins = new PluginHost();
        final GatewayMessage[] lastMessageByGateway = new GatewayMessage[40];
        final double[] scratch = new double[64];
        long readingCount, labelRequests, labelHits, qaReleased, messages, dosingLookups;
        double dosingSum;

        void poll(long t, String[] lineIds) {
            int k = 0;
            for (String name : PLUGINS) {
                LoadedPlugin lp = plugins.active.get(name);
                int n = lp.plugin.poll(t, scratch);
                for (int i = 0; i < 6; i++) readings[(int) (readingCount++ % RING)] = new Reading(lineIds[(int) ((readingCount * 7 + k++) % lineIds.length)], name, scratch[i] + n, t + i * SECOND);
            }
        }

        void receive(int gateway, Map<String, String> raw, long t) {
            messages++;
            Map<String, String> headers = new HashMap<>();
            for (Map.Entry<String, String> h : raw.entrySet()) headers.put(h.getKey(), INTERNED_HEADERS.contains(h.getKey()) ? interner.intern(h.getValue()) : h.getValue());
            lastMessageByGateway[gateway] = new GatewayMessage(headers.get("X-Message-Id"), headers, 200 + gateway, t);
        }

        double dose(int variety, int band, int temp) {
            dosingLookups++;
            double d = dosingTable[(variety * PROTEIN_BANDS + band) * TEMPERATURES + temp];
            dosingSum += d;
            return d;
        }

        PackLabel label(String lotCode, Random r, long t) {
            labelRequests++;
            PackLabel l = labels.get(lotCode);
            if (l != null) { labelHits++; return l; }
            l = new PackLabel(lotCode, new byte[450 + r.nextInt(450)], t);
            byte[] buf = labelBuffers.poll();
            buf[(int) (labelRequests % buf.length)] = (byte) l.rendered().length;
            labelBuffers.addLast(buf);
            labels.put(lotCode, l);
            return l;
        }
    }

    static FactoryService SERVICE;
    /** Verification only: the retired plugin loaders, to check that they are collected (emptied before the dump). */
    static final List<WeakReference<ClassLoader>> RETIRED_LOADERS = new ArrayList<>();

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(146_060_001);
        String[] lineIds = new String[LINES];
        for (int l = 0; l < LINES; l++) {
            double[] tp = new double[48];
            for (int k = 0; k < tp.length; k++) tp[k] = rnd.nextDouble() * 1_200;
            lineIds[l] = "TL-" + (l % 35) + "-" + STEPS[l % STEPS.length] + "-" + (l / 35);
            LINES_BY_ID.put(lineIds[l], new Line(lineIds[l], "plant-" + (l % 35), STEPS[l % STEPS.length], tp));
        }
        FactoryService svc = new FactoryService();
        SERVICE = svc;
        for (int i = 0; i < svc.dosingTable.length; i++) svc.dosingTable[i] = 0.8 + rnd.nextDouble() * 1.6;
        for (int i = 0; i < LOTS; i++) {
            svc.lotCodes[i] = "LOT-" + PRODUCTS[i % PRODUCTS.length].substring(0, 2).toUpperCase() + "-" + (300_000 + i * 3);
            svc.lots.put(svc.lotCodes[i], new Lot(svc.lotCodes[i], PRODUCTS[i % PRODUCTS.length], lineIds[rnd.nextInt(LINES)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(40)) * DAY - rnd.nextInt(86_400) * SECOND));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        for (String p : PLUGINS) svc.plugins.load(p, start);

        Random gw = new Random(146_060_002), lab = new Random(146_060_003), qa = new Random(146_060_004), dose = new Random(146_060_005);
        String[] contentTypes = {"application/json", "application/cbor", "text/csv"}, models = {"EdgeBox-2", "EdgeBox-3", "PLCBridge-S", "PLCBridge-M"};
        String[] firmwares = {"4.1.0", "4.1.2", "4.2.0", "5.0.1", "5.0.3", "5.1.0"};
        long msgSeq = 0;
        int minute = 0;
        for (long t = start; t < end; t += MINUTE, minute++) {
            for (int k = 0; k < PLUGINS.length; k++) {
                if (minute > 0 && minute % RELOAD_EVERY_MINUTES == 10 * k) svc.plugins.load(PLUGINS[k], t); // configuration push
            }
            svc.poll(t, lineIds);
            for (int k = 0; k < MESSAGES_PER_MINUTE; k++) {
                int g = gw.nextInt(40);
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Content-Type", contentTypes[g % 3]);
                h.put("Content-Encoding", g % 4 == 0 ? "gzip" : "identity");
                h.put("X-Line", lineIds[(g * 17) % LINES]);
                h.put("X-Shift", (minute / 480) % 3 == 0 ? "early" : "late");
                h.put("X-Firmware", firmwares[(g + (gw.nextInt(50) == 0 ? 1 : 0)) % firmwares.length]);
                h.put("X-Gateway-Model", models[g % models.length]);
                h.put("X-Message-Id", "gw" + g + "-" + Long.toHexString(0x1a2b0000L + msgSeq++));
                svc.receive(g, h, t + k * 200L);
            }
            for (int k = 0; k < 20; k++) svc.dose(dose.nextInt(VARIETIES), dose.nextInt(PROTEIN_BANDS), dose.nextInt(TEMPERATURES));
            for (int k = 0; k < LABELS_PER_MINUTE; k++) svc.label(svc.lotCodes[lab.nextInt(3) == 0 ? lab.nextInt(200) : lab.nextInt(LOTS)], lab, t + k * 7 * SECOND);
            for (int k = 0; k < QA_HOLDS_PER_MINUTE; k++) {
                svc.qaHolds.addLast(new QaHold(svc.lotCodes[qa.nextInt(LOTS)], qa.nextInt(3) == 0 ? "coagulation pH out of range" : "metal detector retest", t + k * 20 * SECOND));
            }
            while (!svc.qaHolds.isEmpty() && svc.qaHolds.peekFirst().heldAt() + QA_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.qaHolds.pollFirst();
                svc.qaReleased++;
            }
        }
    }

    // Exact counts: plugin loads, retired generations, interned values, interner hits, label evictions, label hits.
    static final long[] EXPECTED = {62, 59, 57, 1_079_943, 1_704, 1_596};

    /**
     * Counts the retired plugin loaders that are still reachable after a full GC. A JIT compilation that is still
     * running can hold a retired generation's classes for a moment (its receiver-type profile saw them), so the GC
     * is repeated for up to 10 s until none is left; only the final count is printed.
     */
    static int retiredLoadersAlive() {
        int alive = 0;
        for (int attempt = 0; attempt < 100; attempt++) {
            System.gc();
            alive = 0;
            for (WeakReference<ClassLoader> w : RETIRED_LOADERS) if (w.get() != null) alive++;
            if (alive == 0) break;
            try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); break; }
        }
        return alive;
    }

    static void verify() {
        FactoryService svc = SERVICE;
        PluginHost host = svc.plugins;
        int alive = retiredLoadersAlive();
        int retiredChecked = RETIRED_LOADERS.size();
        RETIRED_LOADERS.clear();
        System.out.println("lines " + LINES_BY_ID.size() + " lots " + svc.lots.size() + " dosing table " + svc.dosingTable.length + " (lookups " + svc.dosingLookups + ")"
                + " plugin loads " + host.loads + " retired " + host.retired + " retired loaders still alive " + alive + " active " + host.active.size()
                + " messages " + svc.messages + " interner " + svc.interner.canonical.size() + " (lookups " + svc.interner.lookups + ", hits " + svc.interner.hits + ")"
                + " labels " + svc.labels.size() + " (requests " + svc.labelRequests + ", hits " + svc.labelHits + ", evicted " + svc.labels.evicted + ")"
                + " readings " + svc.readingCount + " qa backlog " + svc.qaHolds.size() + " released " + svc.qaReleased + " pool " + svc.labelBuffers.size());
        int minutes = HOURS * 60;
        check(LINES_BY_ID.size() == LINES && svc.lots.size() == LOTS, "reference data / directory");
        check(host.active.size() == PLUGINS.length && host.loads == host.retired + PLUGINS.length && retiredChecked == host.retired, "plugin generations");
        check(alive == 0, "retired plugin loaders collected: " + alive + " alive");
        for (LoadedPlugin lp : host.active.values()) check(lp.plugin.getClass().getClassLoader() == lp.loader, "plugin defined by its loader");
        check(svc.messages == (long) MESSAGES_PER_MINUTE * minutes && svc.interner.canonical.size() < INTERNER_CAP, "interner bounded");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at its cap");
        check(svc.qaHolds.size() == QA_HOLDS_PER_MINUTE * QA_MINUTES, "QA backlog");
        check(svc.labelBuffers.size() == POOL && svc.readings[RING - 1] != null, "pool and ring");
        if (EXPECTED.length > 0) {
            long[] got = {host.loads, host.retired, svc.interner.canonical.size(), svc.interner.hits, svc.labels.evicted, svc.labelHits};
            check(Arrays.equals(EXPECTED, got), "exact counts " + Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram("URLClassLoader", "DriverInfo");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
