// hprofscan-dump: name=val98-leak-addressrules jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val98-leak-addressrules-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Validation set 98 (written blind), LEAK: the address-validation service of a parcel carrier.
 * Postal-region reference data, the directory of verified addresses, a cache of validation results
 * at its cap, a pool of parse buffers, a ring of recent validations, and a hot-reloaded rule pack:
 * every 15 minutes a new version of the street-rule plugin is loaded in a fresh class loader
 * (child-first for the plugin's classes) and the old one is deactivated and dropped. The plugin
 * defines a custom java.util.logging.Level subclass (ADDRESS_AUDIT) and, when activated, attaches a
 * JDK StreamHandler at that level to the root logger for its audit trail; deactivate() closes the
 * handler but never removes it from the root logger. The root logger (held by the JDK's LogManager)
 * thus keeps every handler, each handler its custom Level, each Level its class, each class its
 * loader, and each loader every class of that plugin generation with its static rule table: all
 * old generations stay reachable from the JDK, not from the application. See VALIDATION98.md.
 */
public final class Val98LeakAddressRules {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, RELOAD_EVERY = 15 * MINUTE;
    static final int REGIONS = 1_200, ADDRESSES = 24_000, RESULT_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, VALIDATIONS_PER_HOUR = 3_000;
    static final String PACK_PREFIX = "testdata.Val98LeakAddressRules$Pack";
    static final String PACK_CLASS = "testdata.Val98LeakAddressRules$PackAddressRules";
    static boolean FIXED;

    record Region(String code, String sortingCentre, double[] deliveryDensity) {}
    record Address(String addressId, String regionCode, String line, byte[] geocode, long verifiedAt) {}
    record Result(String key, String normalised, byte[] geocode, long at) {}
    record Validation(String addressId, String packVersion, int score, long at) {}

    /** The plugin API (loaded by the application class loader, shared by every generation). */
    public interface RulePack {
        void activate(int version, long seed);
        void deactivate();
        String version();
        int ruleCount();
        String normalise(String line);
    }

    // ---- the plugin: these classes are defined again by every generation's PluginLoader ----

    /** The plugin's custom log level for address-correction audit records. */
    public static final class PackAuditLevel extends Level {
        public static final Level AUDIT = new PackAuditLevel("ADDRESS_AUDIT", 850);
        PackAuditLevel(String name, int value) { super(name, value); }
    }

    public record PackStreetRule(String key, String pattern, String replacement, int weight, byte[] automaton) {}

    public static final class PackAddressRules implements RulePack {
        static final String[] SUFFIXES = {"ST", "RD", "AVE", "LN", "CRES", "CL", "DR", "TCE", "PL", "SQ"};
        static final Map<String, PackStreetRule> RULES = new HashMap<>();
        static String VERSION;
        final ByteArrayOutputStream auditOut = new ByteArrayOutputStream(256);
        StreamHandler audit;

        public PackAddressRules() {}

        @Override public void activate(int version, long seed) {
            VERSION = "streetrules-" + version;
            Random r = new Random(seed);
            for (int i = 0; i < 700; i++) {
                String key = "K" + i;
                String suffix = SUFFIXES[i % SUFFIXES.length];
                RULES.put(key, new PackStreetRule(key, "^(\\d+[A-Z]?) (.+) " + suffix + "\\.? v" + version + "/" + i, "$1 $2 " + suffix + "-" + r.nextInt(1_000), r.nextInt(100), new byte[40 + r.nextInt(40)]));
            }
            audit = new StreamHandler(auditOut, new SimpleFormatter());
            audit.setLevel(PackAuditLevel.AUDIT);
            Logger.getLogger("").addHandler(audit);
        }

        @Override public void deactivate() {
            audit.close();
            if (Boolean.getBoolean("val98.fixed")) Logger.getLogger("").removeHandler(audit);
            // BUG: otherwise the closed handler stays on the root logger
        }

        @Override public String version() { return VERSION; }
        @Override public int ruleCount() { return RULES.size(); }
        @Override public String normalise(String line) {
            PackStreetRule rule = RULES.get("K" + Math.floorMod(line.hashCode(), RULES.size()));
            return line.toUpperCase() + " [" + rule.replacement() + "]";
        }
    }

    // ---- the host ----

    /** Child-first for the plugin's classes, parent-first for everything else. */
    static final class PluginLoader extends ClassLoader {
        PluginLoader(String name, ClassLoader parent) { super(name, parent); }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACK_PREFIX)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) throw new ClassNotFoundException(name);
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    static final class RulePackHost {
        PluginLoader loader;
        RulePack current;
        int generation;
        long reloadedAt;
        void reload(long at) throws Exception {
            generation++;
            PluginLoader l = new PluginLoader("streetrules-gen-" + generation, Val98LeakAddressRules.class.getClassLoader());
            RulePack p = (RulePack) Class.forName(PACK_CLASS, true, l).getDeclaredConstructor().newInstance();
            p.activate(100 + generation, 98_040_100L + generation);
            RulePack old = current;
            current = p;
            loader = l;
            reloadedAt = at;
            if (old != null) old.deactivate();
        }
    }

    static final class ResultCache extends LinkedHashMap<String, Result> {
        long evicted;
        ResultCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Result> e) { if (size() > RESULT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class ValidationService {
        final Map<String, Address> addresses = new HashMap<>();
        final ResultCache results = new ResultCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final Validation[] recent = new Validation[RING];
        long validations;
        final RulePackHost rules = new RulePackHost();
    }

    static ValidationService SERVICE;
    static int EXPECTED_GENERATIONS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_040_001);
        String[] regionCodes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] density = new double[64];
            for (int k = 0; k < density.length; k++) density[k] = rnd.nextDouble() * 500;
            regionCodes[g] = "PR-" + (10 + g / 100) + "-" + (g % 100);
            REGIONS_BY_CODE.put(regionCodes[g], new Region(regionCodes[g], "Centre " + (g / 100), density));
        }
        ValidationService svc = new ValidationService();
        SERVICE = svc;
        String[] ids = new String[ADDRESSES];
        for (int a = 0; a < ADDRESSES; a++) {
            ids[a] = "ADR" + (70_000_000 + a * 13);
            svc.addresses.put(ids[a], new Address(ids[a], regionCodes[rnd.nextInt(REGIONS)], (1 + rnd.nextInt(300)) + " Station Road " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(new byte[32_768]);
        svc.rules.reload(start);
        Random traffic = new Random(98_040_002);
        int total = VALIDATIONS_PER_HOUR * HOURS;
        long nextReload = start + RELOAD_EVERY;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextReload <= t) { svc.rules.reload(nextReload); nextReload += RELOAD_EVERY; }
            Address a = svc.addresses.get(ids[traffic.nextInt(ADDRESSES)]);
            String key = "res-" + traffic.nextInt(5_000);
            Result res = svc.results.get(key);
            if (res == null) {
                byte[] buf = svc.parseBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.parseBuffers.add(buf);
                res = new Result(key, svc.rules.current.normalise(a.line()), new byte[300 + traffic.nextInt(300)], t);
                svc.results.put(key, res);
            }
            svc.recent[(int) (svc.validations++ % RING)] = new Validation(a.addressId(), svc.rules.current.version(), traffic.nextInt(101), t);
        }
        EXPECTED_GENERATIONS = 1 + (int) ((end - MINUTE - start - 1) / RELOAD_EVERY);
    }

    static void verify() {
        ValidationService svc = SERVICE;
        int rootHandlers = Logger.getLogger("").getHandlers().length;
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " addresses " + svc.addresses.size() + " validations " + svc.validations + " rule-pack generations " + svc.rules.generation
                + " current " + svc.rules.current.version() + " (" + svc.rules.current.ruleCount() + " rules, loader " + svc.rules.loader.getName() + ") root-logger handlers " + rootHandlers
                + " results " + svc.results.size() + " (evicted " + svc.results.evicted + ") pool " + svc.parseBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.addresses.size() == ADDRESSES, "reference data / directory");
        check(svc.validations == (long) VALIDATIONS_PER_HOUR * HOURS && svc.rules.generation == EXPECTED_GENERATIONS && svc.rules.current.ruleCount() == 700, "traffic / reloads: " + svc.rules.generation);
        check(svc.rules.current.getClass().getClassLoader() == svc.rules.loader, "plugin in its own loader");
        // the root logger's default ConsoleHandler plus the plugins' audit handlers
        if (FIXED) check(rootHandlers == 2, "only the current generation's audit handler: " + rootHandlers);
        else check(rootHandlers == 1 + svc.rules.generation, "every generation's audit handler: " + rootHandlers);
        check(svc.results.size() == RESULT_CAP && svc.results.evicted > 0, "result cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        check(svc.validations > RING && svc.recent[RING - 1] != null, "validation ring wrapping");
    }

    /**
     * Waits until the JIT has been idle for 300 ms (at most 10 s) before the heap is inspected: a
     * method being compiled keeps its class (and class loader) alive.
     */
    static void settle() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long last = -1;
        for (int i = 0, quiet = 0; i < 100 && quiet < 3; i++) {
            long t = jit.getTotalCompilationTime();
            quiet = t == last ? quiet + 1 : 0;
            last = t;
            Thread.sleep(100);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val98.fixed");
        build();
        settle();
        verify();
        LeakCheck.histogram(" [I ", "java.util.logging.", "ClassLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
