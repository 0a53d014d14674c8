// hprofscan-dump: name=val9-leak-rxrules jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val9-leak-rxrules-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 9 (written blind), LEAK: a retail pharmacy's claims adjudication service. The
 * coverage rules arrive from the pharmacy benefit manager as a script that is hot-reloaded every 15
 * simulated minutes: each reload defines the script's classes in a fresh {@link RuleScriptLoader}.
 * The leak: {@code ScriptMetrics.REGISTRY}, a static map of per-script statistics keyed by
 * {@code coverage-rules#g<generation>}, each holding the script's {@code Class}; it is filled on
 * every reload and never cleared, so all 48 loaders of 12 hours stay alive with their classes'
 * static tier tables and the script bytes, although only the newest generation is in use (47
 * stale loaders, none of whose classes has a live instance). Beside it: the drug formulary loaded
 * at startup, patient profiles, an interaction-check LRU at capacity and a dispensing history
 * capped at 4,000. See testdata/VALIDATION9.md.
 */
public final class Val9LeakRxRules {
    static final int DRUGS = 25_000;
    static final int PATIENTS = 30_000;
    static final int INTERACTION_CAP = 3_000;
    static final int DISPENSE_HISTORY_CAP = 4_000;
    static final int RELOADS = 48;
    static final int CLAIMS = 20_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String SCRIPT_PREFIX = "testdata.Val9LeakRxRules$CoverageScript";

    static PharmacyClaimsService RUNNING;

    /** The contract every coverage script implements (defined by the application's loader). */
    public interface CoverageRule {
        int copayCents(String ndc, int quantity, int planTier);
        int generation();
    }

    /** The script: compiled rules plus their tier table; its classes are defined anew by each reload's loader. */
    public static final class CoverageScript implements CoverageRule {
        private final int generation;
        public CoverageScript() { this.generation = Tiers.GENERATION_SEED; }
        @Override public int copayCents(String ndc, int quantity, int planTier) {
            long band = Tiers.PRICE_BANDS[(ndc.hashCode() & 0x7fffffff) % Tiers.PRICE_BANDS.length];
            return (int) (band % 5_000) * Math.max(1, quantity / 30) + planTier * 100;
        }
        @Override public int generation() { return generation; }

        /** Static tier tables, built when the script's class is initialised. */
        public static final class Tiers {
            public static final int GENERATION_SEED = (int) (System.nanoTime() & 0xffff);
            public static final long[] PRICE_BANDS = new long[8_192];
            public static final String[] EXCLUSION_NOTES = new String[600];
            static {
                for (int i = 0; i < PRICE_BANDS.length; i++) PRICE_BANDS[i] = 1_000L + i * 37L;
                for (int i = 0; i < EXCLUSION_NOTES.length; i++) EXCLUSION_NOTES[i] = "Excluded unless prior authorisation on file, rule " + i + " of tier " + (i % 5);
            }
        }
    }

    /** Child-first loader for one generation of the rule script; keeps the script bytes it was built from. */
    static final class RuleScriptLoader extends ClassLoader {
        final String scriptName; final int generation; final byte[] scriptSource; final long loadedAt;
        RuleScriptLoader(String scriptName, int generation, byte[] scriptSource, long loadedAt, ClassLoader parent) {
            super("rule-script-" + generation, parent);
            this.scriptName = scriptName; this.generation = generation; this.scriptSource = scriptSource; this.loadedAt = loadedAt;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(SCRIPT_PREFIX)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) throw new ClassNotFoundException(name);
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        in.transferTo(out);
                        byte[] b = out.toByteArray();
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

    static final class ScriptStats {
        final String key; final Class<?> scriptClass; final long loadedAt; long evaluations; long failures;
        ScriptStats(String key, Class<?> scriptClass, long loadedAt) { this.key = key; this.scriptClass = scriptClass; this.loadedAt = loadedAt; }
    }

    /** THE LEAK: one entry per script class ever loaded, for the metrics endpoint; never removed. */
    static final class ScriptMetrics {
        static final Map<String, ScriptStats> REGISTRY = new ConcurrentHashMap<>();
    }

    /** Hot-reloads the coverage script; only {@code active} is in use. */
    static final class RuleEngine {
        volatile CoverageRule active;
        int reloads;
        void reload(byte[] source, long t) throws Exception {
            int gen = ++reloads;
            RuleScriptLoader loader = new RuleScriptLoader("coverage-rules", gen, source, t, RuleEngine.class.getClassLoader());
            Class<?> cls = loader.loadClass(SCRIPT_PREFIX);
            ScriptMetrics.REGISTRY.put("coverage-rules#g" + gen, new ScriptStats("coverage-rules#g" + gen, cls, t));
            active = (CoverageRule) cls.getDeclaredConstructor().newInstance();
        }
    }

    static final class Drug {
        final String ndc; final String name; final String strength; final String form; final String manufacturer; final int tier; final boolean controlled; final long listedAt;
        Drug(String ndc, String name, String strength, String form, String manufacturer, int tier, boolean controlled, long listedAt) { this.ndc = ndc; this.name = name; this.strength = strength; this.form = form; this.manufacturer = manufacturer; this.tier = tier; this.controlled = controlled; this.listedAt = listedAt; }
    }

    /** Reference data: the formulary, loaded from the PBM file at startup. */
    static final class Formulary {
        static final Map<String, Drug> BY_NDC = new HashMap<>();
    }

    static final class PatientProfile {
        final long patientId; final String memberId; final String planCode; final String[] allergies; final long[] activeRxIds; final long dateOfBirth; long lastFillAt;
        PatientProfile(long patientId, String memberId, String planCode, String[] allergies, long[] activeRxIds, long dateOfBirth, long lastFillAt) { this.patientId = patientId; this.memberId = memberId; this.planCode = planCode; this.allergies = allergies; this.activeRxIds = activeRxIds; this.dateOfBirth = dateOfBirth; this.lastFillAt = lastFillAt; }
    }

    static final class InteractionResult {
        final String pairKey; final int severity; final String monograph; final long checkedAt;
        InteractionResult(String pairKey, int severity, String monograph, long checkedAt) { this.pairKey = pairKey; this.severity = severity; this.monograph = monograph; this.checkedAt = checkedAt; }
    }

    static final class InteractionCache extends LinkedHashMap<String, InteractionResult> {
        final int capacity;
        InteractionCache(int capacity) { super(4096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, InteractionResult> e) { return size() > capacity; }
    }

    static final class DispenseRecord {
        final long claimId; final long patientId; final String ndc; final int quantity; final int copayCents; final int rulesGeneration; final long dispensedAt;
        DispenseRecord(long claimId, long patientId, String ndc, int quantity, int copayCents, int rulesGeneration, long dispensedAt) { this.claimId = claimId; this.patientId = patientId; this.ndc = ndc; this.quantity = quantity; this.copayCents = copayCents; this.rulesGeneration = rulesGeneration; this.dispensedAt = dispensedAt; }
    }

    static final class PharmacyClaimsService {
        final RuleEngine rules = new RuleEngine();
        final Map<Long, PatientProfile> patients = new HashMap<>();
        final InteractionCache interactions = new InteractionCache(INTERACTION_CAP);
        final ArrayDeque<DispenseRecord> dispensed = new ArrayDeque<>();
        final Properties config = new Properties();
        void record(DispenseRecord r) { dispensed.addLast(r); if (dispensed.size() > DISPENSE_HISTORY_CAP) dispensed.removeFirst(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - RELOADS * 15 * MINUTE;
        Random rnd = new Random(9_040_001);
        PharmacyClaimsService svc = new PharmacyClaimsService();
        RUNNING = svc;
        for (int i = 0; i < 60; i++) svc.config.setProperty("claims.pbm.endpoint." + i, "https://pbm" + i + ".example/adjudicate");
        String[] forms = {"TAB", "CAP", "SOLN", "INJ", "CRM", "SUSP"};
        String[] ndcs = new String[DRUGS];
        for (int i = 0; i < DRUGS; i++) {
            String ndc = String.format("%05d-%04d-%02d", 10_000 + i / 7, i % 10_000, i % 100);
            ndcs[i] = ndc;
            Formulary.BY_NDC.put(ndc, new Drug(ndc, "Drugname" + Integer.toString(i * 31, 36) + " " + forms[i % forms.length].toLowerCase(), (5 * (1 + i % 40)) + " mg",
                    forms[i % forms.length], "Manufacturer " + (i % 400), 1 + i % 5, i % 23 == 0, now - DAY * (100 + i % 5000)));
        }
        String[] allergens = {"penicillin", "sulfa", "latex", "codeine", "aspirin", "iodine"};
        for (int i = 0; i < PATIENTS; i++) {
            long id = 880_000_000L + i * 11L;
            long[] rx = new long[1 + i % 5];
            for (int k = 0; k < rx.length; k++) rx[k] = 5_000_000L + rnd.nextInt(10_000_000);
            svc.patients.put(id, new PatientProfile(id, "MBR" + (100_000_000 + i), "PLAN-" + (i % 40), new String[] {allergens[i % allergens.length]}, rx,
                    now - DAY * (365L * 18 + rnd.nextInt(365 * 60)), now - DAY * rnd.nextInt(400)));
        }
        for (int g = 0; g < RELOADS; g++) {
            long reloadAt = start + g * 15 * MINUTE;
            byte[] source = new byte[24 * 1024];
            rnd.nextBytes(source);
            svc.rules.reload(source, reloadAt);
            int perWindow = CLAIMS / RELOADS + (g < CLAIMS % RELOADS ? 1 : 0);
            for (int c = 0; c < perWindow; c++) {
                long t = reloadAt + 15 * MINUTE * c / perWindow;
                long pid = 880_000_000L + rnd.nextInt(PATIENTS) * 11L;
                String ndc = ndcs[rnd.nextInt(DRUGS)];
                String other = ndcs[rnd.nextInt(DRUGS)];
                String pair = ndc.compareTo(other) < 0 ? ndc + "|" + other : other + "|" + ndc;
                if (svc.interactions.get(pair) == null) svc.interactions.put(pair, new InteractionResult(pair, rnd.nextInt(4), "Monitor for additive effects; see monograph section " + rnd.nextInt(900), t));
                int qty = 30 * (1 + rnd.nextInt(3));
                CoverageRule rule = svc.rules.active;
                ScriptMetrics.REGISTRY.get("coverage-rules#g" + svc.rules.reloads).evaluations++;
                svc.record(new DispenseRecord(600_000_000L + g * 10_000L + c, pid, ndc, qty, rule.copayCents(ndc, qty, 1 + rnd.nextInt(4)), svc.rules.reloads, t));
                svc.patients.get(pid).lastFillAt = t;
            }
        }
        int distinctLoaders = 0;
        java.util.Set<ClassLoader> loaders = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ScriptStats s : ScriptMetrics.REGISTRY.values()) { if (loaders.add(s.scriptClass.getClassLoader())) distinctLoaders++; }
        Class<?> activeClass = svc.rules.active.getClass();
        System.out.println("drugs " + Formulary.BY_NDC.size() + " patients " + svc.patients.size() + " interactions " + svc.interactions.size()
                + " dispensed " + svc.dispensed.size() + " reloads " + svc.rules.reloads + " registry " + ScriptMetrics.REGISTRY.size() + " loaders " + distinctLoaders
                + " active loader " + activeClass.getClassLoader().getName());
        check(Formulary.BY_NDC.size() == DRUGS && svc.patients.size() == PATIENTS, "reference data");
        check(svc.interactions.size() == INTERACTION_CAP && svc.dispensed.size() == DISPENSE_HISTORY_CAP, "lru/history");
        check(svc.rules.reloads == RELOADS && ScriptMetrics.REGISTRY.size() == RELOADS && distinctLoaders == RELOADS, "reloads");
        check(activeClass.getClassLoader() instanceof RuleScriptLoader && activeClass.getClassLoader() != Val9LeakRxRules.class.getClassLoader()
                && ((RuleScriptLoader) activeClass.getClassLoader()).generation == RELOADS, "active generation");
        loaders.clear();
        LeakCheck.histogram("RuleScriptLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
