// hprofscan-dump: name=val110-leak-ceramicglazes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val110-leak-ceramicglazes-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.logging.Logger;

/**
 * Validation set 110 (written blind), LEAK: the glaze-formulation service of a ceramics factory's
 * glaze lab. Raw-material reference data, the recipe directory, a cache of rendered firing charts at
 * its cap, a pool of mixing-plan buffers, a ring of the mixing-batch log, a kiln-load queue with its
 * normal backlog, and a "calc pack" (the chemists' glaze-calculation code) that is redeployed
 * whenever they publish a new version: each deployment gets its own PackLoader (a ClassLoader
 * subclass, child-first for the pack's classes, defined from the bytes of the program's own compiled
 * classes). The pack ships an embedded JDBC driver for the kiln logbook which, like every JDBC
 * driver, registers itself with java.sql.DriverManager in its static initializer. Undeploying a pack
 * closes it but never deregisters its driver, so DriverManager's static driver list keeps every old
 * pack's driver, and through it the pack's loader, its classes and their static tables.
 * See VALIDATION110.md.
 */
public final class Val110LeakCeramicGlazes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 800, RECIPES = 18_000, CHART_CAP = 2_000, POOL = 8, RING = 8_192, BATCHES = 40_000, HOURS = 10, DEPLOYS = 100;
    static final String[] PACK_CLASSES = {"KilnLogDriver", "UmfTable", "ExpansionTable", "CalcPack"};
    static boolean FIXED;

    /** The pack's API, loaded once by the application class loader. */
    public interface GlazeCalculator extends AutoCloseable {
        String version();
        double expansion(int recipe, int cone);
        @Override void close();
    }

    /** Unity molecular formula limits per oxide and cone (pack class, static table). */
    public static final class UmfTable {
        public static final double[] LIMITS = new double[4_096];
        static { for (int i = 0; i < LIMITS.length; i++) LIMITS[i] = 0.05 + (i % 97) * 0.013; }
        public static double limit(int i) { return LIMITS[i & 4_095]; }
    }
    /** Thermal expansion coefficients per oxide and cone (pack class, static table). */
    public static final class ExpansionTable {
        public static final double[] COEFFICIENTS = new double[4_096];
        static { for (int i = 0; i < COEFFICIENTS.length; i++) COEFFICIENTS[i] = 1.5 + ((i * 2_654_435_761L) >>> 20) % 400 / 100.0; }
        public static double coefficient(int i) { return COEFFICIENTS[i & 4_095]; }
    }
    /** The kiln logbook's embedded JDBC driver (pack class): registers itself, as JDBC drivers do. */
    public static final class KilnLogDriver implements Driver {
        static {
            try {
                DriverManager.registerDriver(new KilnLogDriver());
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        public KilnLogDriver() {}
        @Override public Connection connect(String url, Properties info) { return null; } // the logbook is written by the kiln controllers
        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith("jdbc:kilnlog:"); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 2; }
        @Override public int getMinorVersion() { return 4; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() { return Logger.getLogger("kilnlog"); }
    }
    /** The pack's entry point (pack class). */
    public static final class CalcPack implements GlazeCalculator {
        final String version;
        final LinkedHashMap<Integer, Double> memo = new LinkedHashMap<>(512, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<Integer, Double> e) { return size() > 256; }
        };
        public CalcPack() throws Exception {
            ClassLoader own = CalcPack.class.getClassLoader();
            Class.forName(CalcPack.class.getName().replace("CalcPack", "KilnLogDriver"), true, own); // registers the logbook driver
            this.version = own.getName();
        }
        public String version() { return version; }
        public double expansion(int recipe, int cone) {
            Double d = memo.get(recipe * 16 + cone);
            if (d == null) {
                double sum = 0;
                for (int k = 0; k < 8; k++) sum += UmfTable.limit(recipe * 8 + k + cone) * ExpansionTable.coefficient(recipe * 31 + k * 7 + cone);
                d = sum;
                memo.put(recipe * 16 + cone, d);
            }
            return d;
        }
        public void close() {
            memo.clear();
            if (Boolean.getBoolean("val110.fixed")) {
                // the fix: deregister the drivers this pack's loader registered
                for (Driver d : Collections.list(DriverManager.getDrivers())) {
                    if (d.getClass().getClassLoader() == CalcPack.class.getClassLoader()) {
                        try { DriverManager.deregisterDriver(d); } catch (SQLException e) { throw new IllegalStateException(e); }
                    }
                }
            }
        }
    }

    /** Child-first for the pack's classes (defined from bytes), parent-first for everything else. */
    static final class PackLoader extends ClassLoader {
        final int version; final long deployedAt; final Map<String, byte[]> bytecode;
        PackLoader(int version, long deployedAt, Map<String, byte[]> bytecode) {
            super("glaze-calc-v" + version, Val110LeakCeramicGlazes.class.getClassLoader());
            this.version = version; this.deployedAt = deployedAt; this.bytecode = bytecode;
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

    record Material(String code, String name, double[] oxideAnalysis) {}
    record Recipe(String code, String name, String baseMaterial, byte[] batchSheet, long createdAt) {}
    record FiringChart(String key, byte[] svg, long at) {}
    record MixBatch(String recipeCode, int kilos, double expansion, String packVersion, long at) {}
    record KilnLoad(String kiln, String recipeCode, int shelves, long loadedAt) {}
    record Deployment(int version, String publishedBy, long at) {}

    static final class ChartCache extends LinkedHashMap<String, FiringChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FiringChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class PackHost {
        final Map<String, byte[]> bytecode = new HashMap<>();
        final ArrayDeque<Deployment> history = new ArrayDeque<>(); // the last 20 deployments, metadata only
        GlazeCalculator current; int version;
        void deploy(long at, String by, List<WeakReference<ClassLoader>> probe) throws Exception {
            version++;
            PackLoader loader = new PackLoader(version, at, bytecode);
            GlazeCalculator next = (GlazeCalculator) loader.loadClass(Val110LeakCeramicGlazes.class.getName() + "$CalcPack").getDeclaredConstructor().newInstance();
            probe.add(new WeakReference<>(loader));
            GlazeCalculator old = current;
            current = next;
            if (old != null) old.close(); // BUG: the old pack's logbook driver stays registered
            history.addLast(new Deployment(version, by, at));
            if (history.size() > 20) history.removeFirst();
        }
    }

    static final class GlazeService {
        final Map<String, Recipe> recipes = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> mixBuffers = new ArrayDeque<>();
        final MixBatch[] batchLog = new MixBatch[RING];
        final ArrayDeque<KilnLoad> kilnQueue = new ArrayDeque<>();
        final PackHost packs = new PackHost();
        long batches, fired;
    }

    static GlazeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static List<WeakReference<ClassLoader>> simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(110_020_001);
        String[] names = {"Cornish stone", "potash feldspar", "soda feldspar", "silica 200", "kaolin", "ball clay", "whiting", "dolomite", "talc", "wollastonite", "zinc oxide", "tin oxide", "red iron oxide", "cobalt carbonate", "rutile", "bone ash"};
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] oxides = new double[24];
            for (int k = 0; k < oxides.length; k++) oxides[k] = rnd.nextDouble() * 70;
            materialCodes[m] = "RM-" + (1_000 + m);
            MATERIALS_BY_CODE.put(materialCodes[m], new Material(materialCodes[m], names[m % names.length] + " lot " + (m / names.length), oxides));
        }
        GlazeService svc = new GlazeService();
        SERVICE = svc;
        for (String simple : PACK_CLASSES) {
            try (InputStream in = Val110LeakCeramicGlazes.class.getResourceAsStream("Val110LeakCeramicGlazes$" + simple + ".class")) {
                svc.packs.bytecode.put(Val110LeakCeramicGlazes.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        try (InputStream in = Val110LeakCeramicGlazes.class.getResourceAsStream("Val110LeakCeramicGlazes$CalcPack$1.class")) {
            svc.packs.bytecode.put(Val110LeakCeramicGlazes.class.getName() + "$CalcPack$1", in.readAllBytes());
        }
        String[] glazeNames = {"celadon", "tenmoku", "shino", "temmoku oil spot", "chun blue", "ash", "satin matte white", "copper red", "honey", "tin white"};
        String[] recipeCodes = new String[RECIPES];
        for (int i = 0; i < RECIPES; i++) {
            recipeCodes[i] = "GZ-" + (50_000 + i);
            svc.recipes.put(recipeCodes[i], new Recipe(recipeCodes[i], glazeNames[rnd.nextInt(glazeNames.length)] + " #" + i, materialCodes[rnd.nextInt(MATERIALS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.mixBuffers.add(new byte[32_768]);

        // publication times of the calc pack: DEPLOYS versions spread over the period, the first at its start
        Random pubs = new Random(110_020_003);
        long[] deployAt = new long[DEPLOYS];
        for (int v = 0; v < DEPLOYS; v++) deployAt[v] = start + (long) v * (HOURS * HOUR / DEPLOYS) + (v == 0 ? 0 : pubs.nextInt((int) (4 * MINUTE)));
        String[] chemists = {"a.okafor", "m.lindqvist", "j.tanaka", "r.moreau"};
        List<WeakReference<ClassLoader>> probe = new ArrayList<>();
        Random traffic = new Random(110_020_002);
        String[] kilns = {"tunnel-1", "tunnel-2", "shuttle-A", "shuttle-B", "electric-3"};
        int nextDeploy = 0;
        for (int i = 0; i < BATCHES; i++) {
            long t = start + (end - MINUTE - start) * i / BATCHES;
            while (nextDeploy < DEPLOYS && deployAt[nextDeploy] <= t) { svc.packs.deploy(deployAt[nextDeploy], chemists[nextDeploy % chemists.length], probe); nextDeploy++; }
            String code = recipeCodes[traffic.nextInt(RECIPES)];
            int cone = 4 + traffic.nextInt(7);
            double exp = svc.packs.current.expansion(Integer.parseInt(code.substring(3)), cone);
            svc.batchLog[(int) (svc.batches++ % RING)] = new MixBatch(code, 5 + traffic.nextInt(200), exp, svc.packs.current.version(), t);
            String key = code + "@cone" + cone;
            if (svc.charts.get(key) == null && traffic.nextInt(4) == 0) svc.charts.put(key, new FiringChart(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.mixBuffers.poll();
            buf[i % buf.length] = (byte) exp;
            svc.mixBuffers.add(buf);
            svc.kilnQueue.addLast(new KilnLoad(kilns[traffic.nextInt(kilns.length)], code, 1 + traffic.nextInt(12), t));
            // loads wait about 10 minutes for a kiln
            while (svc.kilnQueue.peekFirst().loadedAt() < t - 10 * MINUTE) { svc.kilnQueue.pollFirst(); svc.fired++; }
        }
        return probe;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val110.fixed");
        List<WeakReference<ClassLoader>> probe = simulate();
        GlazeService svc = SERVICE;
        System.gc();
        System.gc();
        int live = 0;
        StringBuilder alive = new StringBuilder();
        for (WeakReference<ClassLoader> w : probe) if (w.get() != null) { live++; alive.append(" ").append(w.get().getName()); }
        if (Boolean.getBoolean("val110.debug")) System.out.println("alive:" + alive);
        System.out.println((FIXED ? "FIXED " : "") + "materials " + MATERIALS_BY_CODE.size() + " recipes " + svc.recipes.size() + " batches " + svc.batches + " deployments " + svc.packs.version + " current " + svc.packs.current.version()
                + " live pack loaders " + live + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.mixBuffers.size() + " kiln queue " + svc.kilnQueue.size() + " (fired " + svc.fired + ") history " + svc.packs.history.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.recipes.size() == RECIPES, "reference data / directory");
        check(svc.batches == BATCHES && svc.packs.version == DEPLOYS && probe.size() == DEPLOYS, "deployments");
        // with the fix only the current pack is in use; a few old loaders may outlive it for a while in the JIT's
        // compiled code (not on the heap: run with -Xint and exactly 1 is left)
        check(FIXED ? live >= 1 && live < DEPLOYS / 4 : live == DEPLOYS, "live pack loaders: " + live);
        check(svc.packs.current.version().equals("glaze-calc-v" + DEPLOYS), "current pack");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.mixBuffers.size() == POOL, "pool");
        check(svc.batchLog[RING - 1] != null, "ring");
        check(svc.kilnQueue.size() > 300 && svc.kilnQueue.size() < 1_000, "kiln backlog " + svc.kilnQueue.size());
        check(svc.packs.history.size() == 20, "deployment history");
        svc = null;
        probe = null;
        LeakCheck.histogram("PackLoader", "java.lang.Class ", "DriverInfo");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
