// hprofscan-dump: name=val108-leak-zoningrules jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val108-leak-zoningrules-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 108 (written blind), LEAK: the zoning rules engine of a city's planning-permit
 * service. Zone reference data, the permit-application directory, a cache of decisions at its cap, a
 * pool of plot-rendering buffers, a ring of the decision log, and a hot-reloaded rule set: every 5
 * minutes a new RuleLoader (a ClassLoader subclass) defines the four rule classes from the bytes of
 * the program's own compiled classes and the engine switches to the new instances. A static
 * Map&lt;String, Object&gt; of "rule statistics" keyed by rule name + reload number keeps each
 * generation's rule instance (the instance is its own evaluation counter), so every old loader with
 * its classes and their static tables stays reachable. See VALIDATION108.md.
 */
public final class Val108LeakZoningRules {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RELOAD_EVERY = 5 * MINUTE;
    static final int ZONES = 900, APPLICATIONS = 20_000, DECISION_CAP = 2_000, POOL = 8, RING = 8_192, DECISIONS = 48_000, HOURS = 8;
    static final String[] RULE_CLASSES = {"SetbackRule", "HeightRule", "ParkingRule", "HeritageRule"};
    static boolean FIXED;

    /** The rules' API, loaded once by the application class loader. */
    public interface Rule {
        String name();
        int evaluate(int zone, int areaSqm);
    }

    /** Rule classes: defined anew by every RuleLoader generation (never by the application loader). */
    public static final class SetbackRule implements Rule {
        static final long[] SETBACK_TABLE = new long[2_048];
        static { for (int i = 0; i < SETBACK_TABLE.length; i++) SETBACK_TABLE[i] = 3L * i + 7; }
        public long evaluations;
        public SetbackRule() {}
        public String name() { return "setback"; }
        public int evaluate(int zone, int areaSqm) { evaluations++; return (int) (SETBACK_TABLE[(zone * 31 + areaSqm) & 2_047] % 3); }
    }
    public static final class HeightRule implements Rule {
        static final long[] HEIGHT_LIMITS = new long[2_048];
        static { for (int i = 0; i < HEIGHT_LIMITS.length; i++) HEIGHT_LIMITS[i] = 9L + i % 40; }
        public long evaluations;
        public HeightRule() {}
        public String name() { return "height"; }
        public int evaluate(int zone, int areaSqm) { evaluations++; return (int) (HEIGHT_LIMITS[(zone * 17 + areaSqm) & 2_047] % 3); }
    }
    public static final class ParkingRule implements Rule {
        static final long[] SPACES_PER_UNIT = new long[2_048];
        static { for (int i = 0; i < SPACES_PER_UNIT.length; i++) SPACES_PER_UNIT[i] = i % 5; }
        public long evaluations;
        public ParkingRule() {}
        public String name() { return "parking"; }
        public int evaluate(int zone, int areaSqm) { evaluations++; return (int) (SPACES_PER_UNIT[(zone + areaSqm * 13) & 2_047] % 3); }
    }
    public static final class HeritageRule implements Rule {
        static final long[] LISTED_BLOCKS = new long[2_048];
        static { for (int i = 0; i < LISTED_BLOCKS.length; i++) LISTED_BLOCKS[i] = (i * 2_654_435_761L) >>> 7; }
        public long evaluations;
        public HeritageRule() {}
        public String name() { return "heritage"; }
        public int evaluate(int zone, int areaSqm) { evaluations++; return (int) (LISTED_BLOCKS[(zone * 7 + areaSqm) & 2_047] % 3); }
    }

    /** Child-first for the rule classes (defined from bytes), parent-first for everything else. */
    static final class RuleLoader extends ClassLoader {
        final int generation; final long loadedAt; final Map<String, byte[]> bytecode;
        RuleLoader(int generation, long loadedAt, Map<String, byte[]> bytecode) {
            super("zoning-rules-r" + generation, Val108LeakZoningRules.class.getClassLoader());
            this.generation = generation; this.loadedAt = loadedAt; this.bytecode = bytecode;
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

    record Zone(String code, String district, double[] densityCurve) {}
    record Application(String number, String zoneCode, String applicant, byte[] drawingsIndex, long submittedAt) {}
    record Decision(String key, byte[] reasons, long at) {}
    record DecisionLog(String applicationNumber, int outcome, int generation, long at) {}

    static final class DecisionCache extends LinkedHashMap<String, Decision> {
        long evicted;
        DecisionCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Decision> e) { if (size() > DECISION_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();
    /** "Rule statistics": BUG keyed by rule name + reload number, values are the rule instances. */
    static final Map<String, Object> RULE_STATS = new HashMap<>();

    static final class RuleEngine {
        final Map<String, byte[]> bytecode = new HashMap<>();
        RuleLoader loader; Rule[] rules; int generation;
        void reload(long at) throws Exception {
            generation++;
            RuleLoader l = new RuleLoader(generation, at, bytecode);
            Rule[] next = new Rule[RULE_CLASSES.length];
            for (int k = 0; k < next.length; k++) {
                next[k] = (Rule) l.loadClass(Val108LeakZoningRules.class.getName() + "$" + RULE_CLASSES[k]).getDeclaredConstructor().newInstance();
                if (FIXED) RULE_STATS.put(next[k].name(), next[k]); // one entry per rule, replaced on reload
                else RULE_STATS.put(next[k].name() + "#r" + generation, next[k]);
            }
            loader = l; rules = next;
        }
    }

    static final class PermitService {
        final Map<String, Application> applications = new HashMap<>();
        final DecisionCache decisions = new DecisionCache();
        final ArrayDeque<byte[]> plotBuffers = new ArrayDeque<>();
        final DecisionLog[] log = new DecisionLog[RING];
        final RuleEngine engine = new RuleEngine();
        long decided;
    }

    static PermitService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(108_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 120;
            zoneCodes[z] = "Z-" + (char) ('A' + z % 8) + (100 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + (z % 40), curve));
        }
        PermitService svc = new PermitService();
        SERVICE = svc;
        for (String simple : RULE_CLASSES) {
            try (InputStream in = Val108LeakZoningRules.class.getResourceAsStream("Val108LeakZoningRules$" + simple + ".class")) {
                svc.engine.bytecode.put(Val108LeakZoningRules.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        String[] numbers = new String[APPLICATIONS];
        for (int a = 0; a < APPLICATIONS; a++) {
            numbers[a] = "PA/" + (20_000 + a / 1_000) + "/" + (a % 1_000);
            svc.applications.put(numbers[a], new Application(numbers[a], zoneCodes[rnd.nextInt(ZONES)], "Applicant " + rnd.nextInt(15_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.plotBuffers.add(new byte[32_768]);
        Random traffic = new Random(108_030_002);
        long nextReload = start;
        for (int i = 0; i < DECISIONS; i++) {
            long t = start + (end - MINUTE - start) * i / DECISIONS;
            while (nextReload <= t) { svc.engine.reload(nextReload); nextReload += RELOAD_EVERY; }
            String number = numbers[traffic.nextInt(APPLICATIONS)];
            int zone = traffic.nextInt(ZONES), area = 50 + traffic.nextInt(2_000), outcome = 0;
            for (Rule r : svc.engine.rules) outcome = Math.max(outcome, r.evaluate(zone, area));
            svc.log[(int) (svc.decided++ % RING)] = new DecisionLog(number, outcome, svc.engine.generation, t);
            String key = "dec-" + traffic.nextInt(5_000);
            if (svc.decisions.get(key) == null) svc.decisions.put(key, new Decision(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.plotBuffers.poll();
            buf[i % buf.length] = (byte) outcome;
            svc.plotBuffers.add(buf);
        }
    }

    static int distinctLoaders() {
        Map<ClassLoader, Boolean> seen = new IdentityHashMap<>();
        for (Object o : RULE_STATS.values()) seen.put(o.getClass().getClassLoader(), Boolean.TRUE);
        return seen.size();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val108.fixed");
        simulate();
        PermitService svc = SERVICE;
        int gens = (int) (HOURS * HOUR / RELOAD_EVERY);
        int loaders = distinctLoaders();
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " applications " + svc.applications.size() + " decided " + svc.decided + " generations " + svc.engine.generation + " rule stats " + RULE_STATS.size()
                + " loaders " + loaders + " decisions " + svc.decisions.size() + " (evicted " + svc.decisions.evicted + ") pool " + svc.plotBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.applications.size() == APPLICATIONS, "reference data / directory");
        check(svc.engine.generation == gens && svc.decided == DECISIONS, "reloads");
        check(RULE_STATS.size() == (FIXED ? 4 : 4 * gens) && loaders == (FIXED ? 1 : gens), "rule stats: " + RULE_STATS.size());
        check(svc.decisions.size() == DECISION_CAP && svc.decisions.evicted > 0, "decision cache at cap");
        check(svc.plotBuffers.size() == POOL, "pool");
        check(svc.log[RING - 1] != null, "ring");
        check(Val108LeakZoningRules.class.getClassLoader() != svc.engine.rules[0].getClass().getClassLoader(), "rules defined by the rule loader");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
