// hprofscan-dump: name=val108-healthy-saltworks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val108-healthy-saltworks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.Closeable;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 108 (written blind), HEALTHY: the order and harvest service of a sea-salt works.
 * Evaporation-pan reference data, the customer directory, a cache of rendered pack labels at its
 * cap, a pool of packing buffers, a ring of harvest weigh-ins, a per-thread scratch buffer of main,
 * and look-alikes of the set's leaks done right: grading rules hot-reloaded every 10 minutes by a new
 * class loader whose statistics are keyed by rule name (replaced on reload; the engine keeps the
 * current and the previous generation for rollback: 2 loaders); order cursors registered in a
 * request scope closed in a finally; one shutdown hook registered at startup (flush the scale
 * journal). See VALIDATION108.md.
 */
public final class Val108HealthySaltworks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RELOAD_EVERY = 10 * MINUTE;
    static final int PANS = 1_200, CUSTOMERS = 24_000, LABEL_CAP = 2_000, POOL = 10, RING = 16_384, WEIGH_INS = 60_000, HOURS = 10;
    static final String[] GRADERS = {"CrystalSizeGrader", "MoistureGrader"};

    public interface Grader { String name(); int grade(int panIdx, int grams); }

    public static final class CrystalSizeGrader implements Grader {
        static final int[] SIEVE_BANDS = new int[4_096];
        static { for (int i = 0; i < SIEVE_BANDS.length; i++) SIEVE_BANDS[i] = i % 7; }
        public long graded;
        public CrystalSizeGrader() {}
        public String name() { return "crystal-size"; }
        public int grade(int panIdx, int grams) { graded++; return SIEVE_BANDS[(panIdx * 13 + grams) & 4_095]; }
    }
    public static final class MoistureGrader implements Grader {
        static final int[] MOISTURE_LIMITS = new int[4_096];
        static { for (int i = 0; i < MOISTURE_LIMITS.length; i++) MOISTURE_LIMITS[i] = 2 + i % 5; }
        public long graded;
        public MoistureGrader() {}
        public String name() { return "moisture"; }
        public int grade(int panIdx, int grams) { graded++; return MOISTURE_LIMITS[(panIdx + grams * 3) & 4_095]; }
    }

    static final class GraderLoader extends ClassLoader {
        final int generation; final Map<String, byte[]> bytecode;
        GraderLoader(int generation, Map<String, byte[]> bytecode) { super("salt-graders-g" + generation, Val108HealthySaltworks.class.getClassLoader()); this.generation = generation; this.bytecode = bytecode; }
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

    record Pan(String code, String lagoon, double[] salinityByDay) {}
    record Customer(String account, String country, String name, byte[] orderHistory, long since) {}
    record PackLabel(String key, byte[] rendered, long at) {}
    record WeighIn(String panCode, int grams, int grade, long at) {}

    static final class OrderCursor implements Closeable {
        final String query; byte[] rows; boolean closed;
        OrderCursor(String query, byte[] rows) { this.query = query; this.rows = rows; }
        @Override public void close() { closed = true; rows = null; }
    }

    static final class LabelCache extends LinkedHashMap<String, PackLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PackLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pan> PANS_BY_CODE = new HashMap<>();
    /** Grading statistics keyed by grader name: the current generation's instances only. */
    static final Map<String, Object> GRADER_STATS = new HashMap<>();
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class GradingEngine {
        final Map<String, byte[]> bytecode = new HashMap<>();
        Grader[] current, previous; int generation;
        void reload() throws Exception {
            generation++;
            GraderLoader l = new GraderLoader(generation, bytecode);
            Grader[] next = new Grader[GRADERS.length];
            for (int k = 0; k < next.length; k++) {
                next[k] = (Grader) l.loadClass(Val108HealthySaltworks.class.getName() + "$" + GRADERS[k]).getDeclaredConstructor().newInstance();
                GRADER_STATS.put(next[k].name(), next[k]);
            }
            previous = current; current = next;
        }
    }

    static final class SaltService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] accounts = new String[CUSTOMERS];
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> packingBuffers = new ArrayDeque<>();
        final WeighIn[] weighIns = new WeighIn[RING];
        final GradingEngine engine = new GradingEngine();
        long written, orders, cursorsOpened, cursorsClosed;

        void order(Random r, long t) {
            List<Closeable> scope = new ArrayList<>();
            try {
                OrderCursor c = new OrderCursor("SELECT * FROM orders WHERE account='" + accounts[r.nextInt(CUSTOMERS)] + "'", new byte[400 + r.nextInt(400)]);
                scope.add(c); cursorsOpened++; orders++;
                String key = "label-" + r.nextInt(5_000);
                if (labels.get(key) == null) labels.put(key, new PackLabel(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = packingBuffers.poll();
                buf[(int) (orders % buf.length)] = (byte) c.rows.length;
                packingBuffers.add(buf);
            } finally {
                for (Closeable c : scope) { try { c.close(); cursorsClosed++; } catch (java.io.IOException e) { throw new IllegalStateException(e); } }
            }
        }
    }

    static SaltService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(108_060_001);
        String[] panCodes = new String[PANS];
        for (int p = 0; p < PANS; p++) {
            double[] sal = new double[72];
            for (int k = 0; k < sal.length; k++) sal[k] = 30 + rnd.nextDouble() * 250;
            panCodes[p] = "PAN-" + (p / 100) + "-" + (p % 100);
            PANS_BY_CODE.put(panCodes[p], new Pan(panCodes[p], "Lagoon " + (p / 100), sal));
        }
        SaltService svc = new SaltService();
        SERVICE = svc;
        for (String g : GRADERS) {
            try (InputStream in = Val108HealthySaltworks.class.getResourceAsStream("Val108HealthySaltworks$" + g + ".class")) {
                svc.engine.bytecode.put(Val108HealthySaltworks.class.getName() + "$" + g, in.readAllBytes());
            }
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            svc.accounts[c] = "SALT-" + (880_000 + c * 5);
            svc.customers.put(svc.accounts[c], new Customer(svc.accounts[c], new String[] {"FR", "ES", "PT", "IT", "DE"}[c % 5], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.packingBuffers.add(new byte[32_768]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "scale-journal-flush"));
        Random traffic = new Random(108_060_002);
        long nextReload = start;
        for (int i = 0; i < WEIGH_INS; i++) {
            long t = start + (end - MINUTE - start) * i / WEIGH_INS;
            while (nextReload <= t) { svc.engine.reload(); nextReload += RELOAD_EVERY; }
            int pan = traffic.nextInt(PANS), grams = 200 + traffic.nextInt(5_000), grade = 0;
            for (Grader g : svc.engine.current) grade = Math.max(grade, g.grade(pan, grams));
            byte[] scratch = SCRATCH.get();
            scratch[i % scratch.length] = (byte) grade;
            svc.weighIns[(int) (svc.written++ % RING)] = new WeighIn(panCodes[pan], grams, grade, t);
            if (i % 3 == 0) svc.order(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        simulate();
        SaltService svc = SERVICE;
        Map<ClassLoader, Boolean> loaders = new IdentityHashMap<>();
        for (Grader g : svc.engine.current) loaders.put(g.getClass().getClassLoader(), Boolean.TRUE);
        for (Grader g : svc.engine.previous) loaders.put(g.getClass().getClassLoader(), Boolean.TRUE);
        int loaderCount = loaders.size();
        loaders = null;
        System.out.println("pans " + PANS_BY_CODE.size() + " customers " + svc.customers.size() + " weigh-ins " + svc.written + " orders " + svc.orders + " cursors " + svc.cursorsOpened + "/" + svc.cursorsClosed + " generations " + svc.engine.generation
                + " grader stats " + GRADER_STATS.size() + " live loaders " + loaderCount + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.packingBuffers.size());
        check(PANS_BY_CODE.size() == PANS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.written == WEIGH_INS && svc.orders == WEIGH_INS / 3 && svc.cursorsClosed == svc.cursorsOpened, "traffic");
        check(svc.engine.generation == HOURS * 6 && GRADER_STATS.size() == GRADERS.length && loaderCount == 2, "graders");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.packingBuffers.size() == POOL, "pool");
        check(svc.weighIns[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
