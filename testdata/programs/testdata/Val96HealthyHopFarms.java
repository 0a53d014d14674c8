// hprofscan-dump: name=val96-healthy-hopfarms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val96-healthy-hopfarms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 96 (written blind), HEALTHY: the harvest and sales service of a hop growers'
 * cooperative. Hop-variety reference data, the bale-lot directory, a cache of rendered analysis
 * certificates at its cap, a ring of kiln readings, a pool of label-printer buffers, and a label
 * template engine that compiles each of the 30 label templates into a class defined by its own
 * loader on every save (one loader per reload, 500 reloads); the replaced renderer is unregistered
 * from the static metrics registry, so only the 30 current renderers, classes and loaders stay.
 * See VALIDATION96.md.
 */
public final class Val96HealthyHopFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VARIETIES = 1_000, LOTS = 26_000, CERT_CAP = 2_000, RING = 16_384, POOL = 8, TEMPLATES = 30, RELOADS = 500, READINGS = 60_000, HOURS = 10;

    public interface LabelRenderer {
        String templateName();
        int version();
        int render(byte[] out, long seed);
    }

    public static final class CompiledLabel implements LabelRenderer {
        private final String name; private final int version; private final byte[] layout; private final long compiledAt;
        public long renders;
        public CompiledLabel(String name, Integer version, byte[] layout, Long compiledAt) { this.name = name; this.version = version; this.layout = layout; this.compiledAt = compiledAt; }
        @Override public String templateName() { return name; }
        @Override public int version() { return version; }
        @Override public int render(byte[] out, long seed) { renders++; out[(int) (seed % out.length)] = layout[(int) (seed % layout.length)]; return layout.length; }
    }

    static final class LabelClassLoader extends ClassLoader {
        final String templateName; final int version; final byte[] classBytes;
        LabelClassLoader(String templateName, int version, byte[] classBytes, ClassLoader parent) {
            super("label-" + templateName + "-v" + version, parent);
            this.templateName = templateName; this.version = version; this.classBytes = classBytes;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(CompiledLabel.class.getName())) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, classBytes, 0, classBytes.length);
                return c;
            }
        }
    }

    static final class LabelMetrics {
        static final List<LabelRenderer> RENDERERS = new ArrayList<>();
    }

    static final class LabelEngine {
        final Map<String, LabelRenderer> current = new HashMap<>();
        final byte[] classBytes;
        long reloads;
        LabelEngine(byte[] classBytes) { this.classBytes = classBytes; }
        void reload(String name, byte[] layout, long at) throws Exception {
            int version = (int) ++reloads;
            LabelClassLoader loader = new LabelClassLoader(name, version, classBytes, Val96HealthyHopFarms.class.getClassLoader());
            Class<?> cls = loader.loadClass(CompiledLabel.class.getName());
            LabelRenderer r = (LabelRenderer) cls.getConstructor(String.class, Integer.class, byte[].class, Long.class).newInstance(name, version, layout, at);
            LabelRenderer old = current.put(name, r);
            if (old != null) LabelMetrics.RENDERERS.remove(old);
            LabelMetrics.RENDERERS.add(r);
        }
    }

    record Variety(String code, String name, double[] alphaAcidHistory) {}
    record BaleLot(String lotNo, String varietyCode, String grower, byte[] analysis, long harvestedAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record KilnReading(String kiln, double temperature, double moisture, long at) {}

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Variety> VARIETIES_BY_CODE = new HashMap<>();

    static final class CoopService {
        final Map<String, BaleLot> lots = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final KilnReading[] kilnReadings = new KilnReading[RING];
        long readings;
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        LabelEngine labels;
    }

    static CoopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(96_060_001);
        String[] varietyCodes = new String[VARIETIES];
        for (int v = 0; v < VARIETIES; v++) {
            double[] alpha = new double[80];
            for (int k = 0; k < alpha.length; k++) alpha[k] = 3 + rnd.nextDouble() * 15;
            varietyCodes[v] = "HV-" + (700 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new Variety(varietyCodes[v], "Variety " + v, alpha));
        }
        CoopService svc = new CoopService();
        SERVICE = svc;
        String[] lotNos = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lotNos[l] = "BL" + (6_600_000 + l * 13);
            svc.lots.put(lotNos[l], new BaleLot(lotNos[l], varietyCodes[rnd.nextInt(VARIETIES)], "Grower " + rnd.nextInt(400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        byte[] classBytes;
        try (InputStream in = Val96HealthyHopFarms.class.getResourceAsStream("/" + CompiledLabel.class.getName().replace('.', '/') + ".class")) {
            classBytes = in.readAllBytes();
        }
        svc.labels = new LabelEngine(classBytes);
        String[] names = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) {
            names[k] = new String[] {"bale-tag", "pallet-label", "export-docket", "sample-bag", "certificate-seal", "kiln-card"}[k % 6] + "-" + (k / 6);
            svc.labels.reload(names[k], new byte[3_000 + rnd.nextInt(6_000)], start);
        }
        Random traffic = new Random(96_060_002);
        int loads = TEMPLATES;
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - MINUTE - start) * i / READINGS;
            while (loads < TEMPLATES + RELOADS && start + (end - MINUTE - start) * (loads - TEMPLATES + 1) / (RELOADS + 1) <= t) {
                svc.labels.reload(names[traffic.nextInt(TEMPLATES)], new byte[3_000 + traffic.nextInt(6_000)], t);
                loads++;
            }
            svc.kilnReadings[(int) (svc.readings++ % RING)] = new KilnReading("KILN-" + traffic.nextInt(40), 55 + traffic.nextDouble() * 20, 8 + traffic.nextDouble() * 4, t);
            if (i % 3 == 0) {
                String key = "cert-" + lotNos[traffic.nextInt(LOTS)];
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
                LabelRenderer r = svc.labels.current.get(names[traffic.nextInt(TEMPLATES)]);
                byte[] buf = svc.labelBuffers.poll();
                r.render(buf, i);
                svc.labelBuffers.add(buf);
            }
        }
        System.out.println("varieties " + VARIETIES_BY_CODE.size() + " lots " + svc.lots.size() + " templates " + svc.labels.current.size() + " loads " + svc.labels.reloads + " registered renderers " + LabelMetrics.RENDERERS.size()
                + " readings " + svc.readings + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.labelBuffers.size());
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.lots.size() == LOTS, "reference data / directory");
        check(svc.labels.current.size() == TEMPLATES && svc.labels.reloads == TEMPLATES + RELOADS && LabelMetrics.RENDERERS.size() == TEMPLATES, "label engine: one renderer per template");
        for (LabelRenderer r : LabelMetrics.RENDERERS) check(r.getClass().getClassLoader() instanceof LabelClassLoader && svc.labels.current.get(r.templateName()) == r, "registered renderer is current");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.readings == READINGS && svc.kilnReadings[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        build();
        LeakCheck.histogram(" [I ", "LabelClassLoader", "java.lang.Class ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
