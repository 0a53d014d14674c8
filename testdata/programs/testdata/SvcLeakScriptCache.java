// hprofscan-dump: name=svc-leak-scriptcache jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-scriptcache-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 9): a rules service with hot-reloaded scripts. Each of 12 scripts is
 * recompiled when its source changes; every generation is defined by its own {@code ScriptLoader}
 * (the class {@code SvcLeakScriptCache$CompiledScript}, defined from the bytes of this nested class
 * read with getResourceAsStream, never loaded by the application class loader). The script engine
 * replaces the current instance, but a static metrics registry ({@code ScriptMetrics.BY_VERSION},
 * {@code ConcurrentHashMap<String, ScriptStats>}, key {@code name@generation}) keeps a
 * {@code ScriptStats} holding the generation's {@code Class<?>}, so each replaced loader (its
 * source text and the class's static tables) stays alive; only the current generation has an
 * instance. 25 generations per script: 288 stale of 300. Beside it: a rule directory loaded at
 * startup, a LinkedHashMap LRU of evaluation results at its cap, a pool of buffers, counters.
 * See testdata/SCENARIOS.md, "Session 9 tuning apps".
 */
public final class SvcLeakScriptCache {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 9 * HOUR;
    static final int SCRIPTS = 12;
    static final int GENERATIONS = 25;
    static final int RULES = 12_000;
    static final int RESULT_CAP = 5_000;
    static final int EVALUATIONS = 30_000;
    static final int POOL = 32;
    static final int BUFFER = 32 * 1024;
    static final String SCRIPT_CLASS = "testdata.SvcLeakScriptCache$CompiledScript";

    static Service RUNNING;

    /** What a compiled script implements (loaded by the application loader, shared by every generation). */
    public interface ScriptHandler {
        long evaluate(long input);
    }

    /** The script body; every generation is a fresh definition of this class in its own loader. */
    public static final class CompiledScript implements ScriptHandler {
        static final int[] JUMP_TABLE = new int[2_048];
        static final long[] CONSTANTS = new long[512];
        static {
            for (int i = 0; i < JUMP_TABLE.length; i++) JUMP_TABLE[i] = (i * 31) ^ 0x5a5a;
            for (int i = 0; i < CONSTANTS.length; i++) CONSTANTS[i] = i * 0x9E3779B97F4A7C15L;
        }
        public CompiledScript() {}
        public long evaluate(long input) { return input ^ JUMP_TABLE[(int) (input & 2_047)] ^ CONSTANTS[(int) (input & 511)]; }
    }

    /** One loader per script generation; defines the script class itself, delegates everything else. */
    static final class ScriptLoader extends ClassLoader {
        final String scriptName; final int generation; final String source; final long loadedAt;
        ScriptLoader(String scriptName, int generation, String source, long loadedAt) {
            super("script:" + scriptName + "@" + generation, SvcLeakScriptCache.class.getClassLoader());
            this.scriptName = scriptName; this.generation = generation; this.source = source; this.loadedAt = loadedAt;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(SCRIPT_CLASS)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = bytes();
                    c = defineClass(name, b, 0, b.length);
                }
                return c;
            }
        }
        static byte[] bytes() throws ClassNotFoundException {
            try (InputStream in = SvcLeakScriptCache.class.getResourceAsStream("SvcLeakScriptCache$CompiledScript.class")) {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                in.transferTo(o);
                return o.toByteArray();
            } catch (Exception e) {
                throw new ClassNotFoundException(SCRIPT_CLASS, e);
            }
        }
    }

    /** Per-generation statistics; keeps the generation's class (the bug: never removed on reload). */
    static final class ScriptStats {
        final String scriptName; final int generation; final Class<?> scriptClass; final long compiledAt; long invocations; long lastInvokedAt;
        ScriptStats(String scriptName, int generation, Class<?> scriptClass, long compiledAt) { this.scriptName = scriptName; this.generation = generation; this.scriptClass = scriptClass; this.compiledAt = compiledAt; this.lastInvokedAt = compiledAt; }
    }

    /** Leaking: statistics of every script version ever compiled. */
    static final class ScriptMetrics {
        static final ConcurrentHashMap<String, ScriptStats> BY_VERSION = new ConcurrentHashMap<>();
    }

    /** The current generation of each script (legitimate: one per script). */
    static final class ScriptEngine {
        final HashMap<String, ScriptHandler> current = new HashMap<>();
        final HashMap<String, Integer> generationOf = new HashMap<>();
        ScriptStats reload(String name, int generation, String source, long at) throws Exception {
            ScriptLoader loader = new ScriptLoader(name, generation, source, at);
            Class<?> c = loader.loadClass(SCRIPT_CLASS);
            ScriptHandler h = (ScriptHandler) c.getDeclaredConstructor().newInstance();
            current.put(name, h);
            generationOf.put(name, generation);
            ScriptStats st = new ScriptStats(name, generation, c, at);
            ScriptMetrics.BY_VERSION.put(name + "@" + generation, st);
            return st;
        }
    }

    static final class Rule {
        final String code; final String scriptName; final String expression; final String owner; final long createdAt; final long[] thresholds;
        Rule(String code, String scriptName, String expression, String owner, long createdAt, long[] thresholds) { this.code = code; this.scriptName = scriptName; this.expression = expression; this.owner = owner; this.createdAt = createdAt; this.thresholds = thresholds; }
    }

    /** Legitimate: every rule, loaded at startup. */
    static final class RuleDirectory {
        final HashMap<String, Rule> rules = new HashMap<>();
    }

    static final class Result {
        final String ruleCode; final long input; final long value; final long evaluatedAt;
        Result(String ruleCode, long input, long value, long evaluatedAt) { this.ruleCode = ruleCode; this.input = input; this.value = value; this.evaluatedAt = evaluatedAt; }
    }

    /** Legitimate: an LRU of evaluation results, at its cap. */
    static final class ResultCache extends LinkedHashMap<String, Result> {
        final int maxEntries;
        ResultCache(int maxEntries) { super(16, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Result> e) { return size() > maxEntries; }
    }

    /** Legitimate: evaluation buffers, all returned. */
    static final class BufferPool {
        final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(POOL);
        BufferPool() { for (int i = 0; i < POOL; i++) free.add(new byte[BUFFER]); }
    }

    static final class Service {
        final ScriptEngine engine = new ScriptEngine();
        final RuleDirectory rules = new RuleDirectory();
        final ResultCache results = new ResultCache(RESULT_CAP);
        final BufferPool buffers = new BufferPool();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void count(String k) { counters.computeIfAbsent(k, x -> new LongAdder()).increment(); }

        void evaluate(Rule rule, long input, long at) {
            byte[] buf = buffers.free.poll();
            try {
                ScriptHandler h = engine.current.get(rule.scriptName);
                long v = h.evaluate(input);
                buf[(int) (input & (BUFFER - 1))] = (byte) v;
                ScriptStats st = ScriptMetrics.BY_VERSION.get(rule.scriptName + "@" + engine.generationOf.get(rule.scriptName));
                st.invocations++;
                st.lastInvokedAt = at;
                results.put(rule.code + ":" + input, new Result(rule.code, input, v, at));
                count("eval." + rule.scriptName);
            } finally {
                buffers.free.add(buf);
            }
        }
    }

    static final String[] NAMES = {"fraud-score", "limit-check", "kyc-tier", "fee-calc", "fx-margin", "velocity", "geo-block", "promo", "risk-band", "aml-screen", "card-bin", "refund-policy"};

    static String source(Random r, String name, int generation) {
        StringBuilder b = new StringBuilder();
        b.append("// ").append(name).append(" generation ").append(generation).append('\n');
        for (int i = 0; i < 160; i++) b.append("let v").append(i).append(" = input.").append(NAMES[(i + generation) % NAMES.length].replace('-', '_')).append(" * ").append(r.nextInt(1000)).append(";\n");
        return b.toString();
    }

    static Service build(long now) throws Exception {
        long start = now - UPTIME;
        Random r = new Random(0x5c41_2026L);
        Service s = new Service();
        for (int i = 0; i < RULES; i++) {
            String code = "R-" + (10_000 + i);
            long[] th = new long[12];
            for (int k = 0; k < th.length; k++) th[k] = r.nextInt(100_000);
            s.rules.rules.put(code, new Rule(code, NAMES[i % SCRIPTS], "score(" + NAMES[i % SCRIPTS] + ") > threshold[" + (i % 12) + "] && region != 'X" + (i % 40) + "'", "team-" + (i % 30), start - (1 + i % 600) * DAY, th));
        }
        List<Rule> all = new ArrayList<>(s.rules.rules.values());
        // Generation 1 at startup, then 24 reloads of each script over the 9 hours, evaluations in between.
        int perStep = EVALUATIONS / GENERATIONS;
        for (int g = 1; g <= GENERATIONS; g++) {
            for (int k = 0; k < SCRIPTS; k++) {
                long at = start + (UPTIME - 20 * MINUTE) * (g - 1) / GENERATIONS + k * 7 * SECOND;
                s.engine.reload(NAMES[k], g, source(r, NAMES[k], g), at);
            }
            long from = start + (UPTIME - 20 * MINUTE) * (g - 1) / GENERATIONS + 2 * MINUTE;
            long span = (UPTIME - 20 * MINUTE) / GENERATIONS - 3 * MINUTE;
            if (g == GENERATIONS) span = now - from - SECOND;
            for (int j = 0; j < perStep; j++) s.evaluate(all.get(r.nextInt(all.size())), r.nextInt(1_000_000), from + span * j / perStep);
        }
        return s;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Service s = RUNNING;
        int total = ScriptMetrics.BY_VERSION.size();
        int stale = 0;
        for (ScriptStats st : ScriptMetrics.BY_VERSION.values()) {
            check(st.scriptClass.getName().equals(SCRIPT_CLASS) && st.scriptClass.getClassLoader() instanceof ScriptLoader, "script class");
            if (st.generation != s.engine.generationOf.get(st.scriptName)) stale++;
        }
        for (ScriptHandler h : s.engine.current.values()) check(((ScriptLoader) h.getClass().getClassLoader()).generation == GENERATIONS, "current generation");
        check(total == SCRIPTS * GENERATIONS, "versions " + total);
        check(stale == SCRIPTS * (GENERATIONS - 1), "stale " + stale);
        check(s.engine.current.size() == SCRIPTS, "current");
        check(s.rules.rules.size() == RULES, "rules");
        check(s.results.size() == RESULT_CAP, "results " + s.results.size());
        check(s.buffers.free.size() == POOL, "buffers");
        if (Boolean.getBoolean("scripts.dropStale")) ScriptMetrics.BY_VERSION.values().removeIf(st -> st.generation != GENERATIONS); // measuring runs only
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out + ": " + stale + " stale script versions / " + total + " in ScriptMetrics.BY_VERSION (" + SCRIPTS + " scripts x "
            + GENERATIONS + " generations, one ScriptLoader each); rules " + RULES + ", results " + s.results.size() + ", buffers " + POOL);
        System.exit(0);
    }
}
