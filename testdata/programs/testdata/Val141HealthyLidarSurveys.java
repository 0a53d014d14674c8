// hprofscan-dump: name=val141-healthy-lidarsurveys jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val141-healthy-lidarsurveys-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.IntBinaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Validation set 141 (written blind), HEALTHY: the point-cloud classification service of an
 * airborne LiDAR survey company. Survey tiles arrive from the flight crews and are classified
 * (ground, vegetation, buildings, water, wires, ...) by a fixed rule pack: 36 compiled rule
 * classes loaded once at startup from one jar through one {@code URLClassLoader} and kept in a
 * static {@code Map<String, Class<?>>}; one long-lived GC notification listener (the intake
 * throttle) registered at startup on the young-generation {@code GarbageCollectorMXBean}; a large
 * read-only table of coordinate reference systems (EPSG code to WKT) and a geoid grid; a pool of
 * LAS decode buffers; the tile directory, a hillshade cache at its cap, a ring of classification
 * results and the tile intake queue with its normal backlog. 10 simulated hours. See
 * VALIDATION141.md.
 */
public final class Val141HealthyLidarSurveys {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CRS_COUNT = 6_500, GEOID_ROWS = 361, GEOID_COLS = 721, TILES = 14_000, RULE_COUNT = 36, HILLSHADE_CAP = 1_200, DECODE_BUFFERS = 12, RING = 8_192,
            HOURS = 10, ARRIVALS_PER_MINUTE = 24, HILLSHADES_PER_MINUTE = 12, QUEUE_LAG_MINUTES = 4, POINTS_PER_TILE = 64;
    static final String[] CLASSES = {"unclassified", "ground", "low-vegetation", "medium-vegetation", "high-vegetation", "building", "low-point", "water", "rail",
            "road-surface", "wire-guard", "wire-conductor", "transmission-tower", "bridge-deck", "high-noise"};
    static final String[] DATUMS = {"OSGB 1936", "WGS 84", "ETRS89", "NAD83", "GDA2020", "NZGD2000", "JGD2011", "SIRGAS 2000"};

    record CoordinateSystem(int epsg, String name, String wkt) {}
    record SurveyTile(String tileId, String project, int easting, int northing, long points, byte[] lasHeader, long flownAt) {}
    record Hillshade(String key, byte[] png, long renderedAt) {}
    record Classified(String tileId, int[] countsByClass, long at) {}
    record Arrival(String tileId, long arrivedAt) {}

    static final Map<Integer, CoordinateSystem> CRS_BY_EPSG = new HashMap<>();
    static final float[] GEOID = new float[GEOID_ROWS * GEOID_COLS];

    /** The rule pack: loaded once, one class per rule, all in one loader. */
    static final class RuleRegistry {
        static final Map<String, Class<?>> RULES = new LinkedHashMap<>();
        static URLClassLoader loader;
    }

    /** The intake throttle: pauses tile intake when the heap after a GC is above 85% (one listener for the life of the process). */
    static final class IntakeThrottle implements NotificationListener {
        final long maxHeap = Runtime.getRuntime().maxMemory();
        volatile boolean paused;
        volatile long lastUsedAfterGc;
        @Override public void handleNotification(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
            lastUsedAfterGc = used;
            paused = used > maxHeap * 85 / 100;
        }
    }

    static final class HillshadeCache extends LinkedHashMap<String, Hillshade> {
        long evicted;
        HillshadeCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Hillshade> e) { if (size() > HILLSHADE_CAP) { evicted++; return true; } return false; }
    }

    static final class ClassificationService {
        final Map<String, SurveyTile> tiles = new HashMap<>();
        final String[] tileIds = new String[TILES];
        final Map<String, IntBinaryOperator> engine = new LinkedHashMap<>();
        final HillshadeCache hillshades = new HillshadeCache();
        final ArrayBlockingQueue<byte[]> decodeBuffers = new ArrayBlockingQueue<>(DECODE_BUFFERS);
        final Classified[] recent = new Classified[RING];
        final ArrayDeque<Arrival> intake = new ArrayDeque<>();
        final GarbageCollectorMXBean gcBean = youngCollector();
        final IntakeThrottle throttle = new IntakeThrottle();
        long arrived, classified, ruleCalls, hillshadeRenders, hillshadeHits;

        void start(Path jarDir) throws Exception {
            Path jar = writeRulePack(jarDir);
            RuleRegistry.loader = new URLClassLoader("lidar-rulepack-2024.3", new URL[] {jar.toUri().toURL()}, Val141HealthyLidarSurveys.class.getClassLoader());
            for (int i = 0; i < RULE_COUNT; i++) {
                String ruleId = "R" + (100 + i);
                Class<?> c = RuleRegistry.loader.loadClass("lidar.rules." + ruleId);
                RuleRegistry.RULES.put(ruleId, c);
                engine.put(ruleId, (IntBinaryOperator) c.getDeclaredConstructor().newInstance());
            }
            Files.delete(jar); // the loader keeps the jar open
            Files.delete(jarDir);
            ((NotificationEmitter) gcBean).addNotificationListener(throttle, null, "intake-throttle");
        }

        void classify(Arrival a, Random r, long t) throws InterruptedException {
            byte[] buf = decodeBuffers.take();
            int[] counts = new int[CLASSES.length];
            try {
                for (int p = 0; p < POINTS_PER_TILE; p++) {
                    int intensity = r.nextInt(4_096), returns = 1 + r.nextInt(5);
                    buf[(p * 17) % buf.length] = (byte) intensity;
                    int cls = 0;
                    for (IntBinaryOperator rule : engine.values()) { cls = Math.floorMod(cls + rule.applyAsInt(intensity, returns), CLASSES.length); ruleCalls++; }
                    counts[cls]++;
                }
            } finally {
                decodeBuffers.put(buf);
            }
            recent[(int) (classified++ % RING)] = new Classified(a.tileId(), counts, t);
        }

        void hillshade(String key, Random r, long t) {
            if (hillshades.get(key) != null) { hillshadeHits++; return; }
            hillshades.put(key, new Hillshade(key, new byte[600 + r.nextInt(600)], t));
            hillshadeRenders++;
        }
    }

    static ClassificationService SERVICE;

    /** The young-generation collector's bean ("G1 Young Generation", "PS Scavenge", "Copy"). */
    static GarbageCollectorMXBean youngCollector() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            String n = b.getName();
            if (n.equals("G1 Young Generation") || n.equals("PS Scavenge") || n.equals("Copy")) return b;
        }
        return ManagementFactory.getGarbageCollectorMXBeans().get(0);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Path writeRulePack(Path dir) throws IOException {
        Path jar = dir.resolve("lidar-rulepack-2024.3.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(new Attributes.Name("Implementation-Title"), "lidar classification rules");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf)) {
            for (int i = 0; i < RULE_COUNT; i++) {
                String cls = CLASSES[i % CLASSES.length];
                String source = "rule R" + (100 + i) + " -> " + cls + ": when return_number " + (i % 2 == 0 ? "==" : "<") + " number_of_returns and intensity in [" + (i * 97 % 2_000) + ", "
                        + (2_000 + i * 53 % 2_000) + "] and height_above_dtm " + (i % 3 == 0 ? "< 0.15 m" : i % 3 == 1 ? "in [0.15, 2.0] m" : "> 2.0 m") + " (pack 2024.3)";
                JarEntry e = new JarEntry("lidar/rules/R" + (100 + i) + ".class");
                e.setTime(1_700_000_000_000L);
                jos.putNextEntry(e);
                jos.write(ruleClass("lidar/rules/R" + (100 + i), source, 1 + i % 3, i));
                jos.closeEntry();
            }
        }
        return jar;
    }

    /** A class {@code internalName implements IntBinaryOperator} with {@code static final String SOURCE} and {@code applyAsInt(a, b) = a * multiplier + b + offset}. */
    static byte[] ruleClass(String internalName, String source, int multiplier, int offset) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + source.length());
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(52);
        out.writeShort(21);
        out.writeByte(1); out.writeUTF(internalName);
        out.writeByte(7); out.writeShort(1);
        out.writeByte(1); out.writeUTF("java/lang/Object");
        out.writeByte(7); out.writeShort(3);
        out.writeByte(1); out.writeUTF("java/util/function/IntBinaryOperator");
        out.writeByte(7); out.writeShort(5);
        out.writeByte(1); out.writeUTF("<init>");
        out.writeByte(1); out.writeUTF("()V");
        out.writeByte(12); out.writeShort(7); out.writeShort(8);
        out.writeByte(10); out.writeShort(4); out.writeShort(9);
        out.writeByte(1); out.writeUTF("Code");
        out.writeByte(1); out.writeUTF("applyAsInt");
        out.writeByte(1); out.writeUTF("(II)I");
        out.writeByte(3); out.writeInt(multiplier);
        out.writeByte(3); out.writeInt(offset);
        out.writeByte(1); out.writeUTF("SOURCE");
        out.writeByte(1); out.writeUTF("Ljava/lang/String;");
        out.writeByte(1); out.writeUTF("ConstantValue");
        out.writeByte(1); out.writeUTF(source);
        out.writeByte(8); out.writeShort(19);
        out.writeShort(0x0031); out.writeShort(2); out.writeShort(4);
        out.writeShort(1); out.writeShort(6);
        out.writeShort(1);
        out.writeShort(0x0019); out.writeShort(16); out.writeShort(17); out.writeShort(1);
        out.writeShort(18); out.writeInt(2); out.writeShort(20);
        out.writeShort(2);
        out.writeShort(0x0001); out.writeShort(7); out.writeShort(8); out.writeShort(1);
        out.writeShort(11); out.writeInt(12 + 5); out.writeShort(1); out.writeShort(1); out.writeInt(5);
        out.write(new byte[] {0x2a, (byte) 0xb7, 0x00, 0x0a, (byte) 0xb1});
        out.writeShort(0); out.writeShort(0);
        out.writeShort(0x0001); out.writeShort(12); out.writeShort(13); out.writeShort(1);
        out.writeShort(11); out.writeInt(12 + 12); out.writeShort(2); out.writeShort(3); out.writeInt(12);
        out.write(new byte[] {0x1b, 0x13, 0x00, 0x0e, 0x68, 0x1c, 0x60, 0x13, 0x00, 0x0f, 0x60, (byte) 0xac});
        out.writeShort(0); out.writeShort(0);
        out.writeShort(0);
        out.flush();
        return bos.toByteArray();
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(141_060_001);
        for (int i = 0; i < CRS_COUNT; i++) {
            int epsg = 2_000 + i * 5;
            String datum = DATUMS[rnd.nextInt(DATUMS.length)];
            StringBuilder wkt = new StringBuilder(1_024);
            wkt.append("PROJCRS[\"").append(datum).append(" / zone ").append(1 + i % 60).append(i % 2 == 0 ? "N" : "S").append("\",BASEGEOGCRS[\"").append(datum)
                    .append("\",DATUM[\"").append(datum).append("\",ELLIPSOID[\"ellipsoid-").append(rnd.nextInt(40)).append("\",").append(6_377_000 + rnd.nextInt(2_000))
                    .append(",").append(294 + rnd.nextDouble() * 5).append("]]],CONVERSION[\"Transverse Mercator\",METHOD[\"Transverse Mercator\",ID[\"EPSG\",9807]]");
            int params = 3 + rnd.nextInt(6);
            for (int p = 0; p < params; p++) wkt.append(",PARAMETER[\"param-").append(p).append("\",").append(rnd.nextDouble() * 1_000_000).append(",LENGTHUNIT[\"metre\",1]]");
            wkt.append("],CS[Cartesian,2],AXIS[\"easting (E)\",east],AXIS[\"northing (N)\",north],USAGE[SCOPE[\"Engineering survey, topographic mapping.\"],AREA[\"Area ")
                    .append(rnd.nextInt(9_000)).append("\"]],ID[\"EPSG\",").append(epsg).append("]]");
            CRS_BY_EPSG.put(epsg, new CoordinateSystem(epsg, datum + " / zone " + (1 + i % 60), wkt.toString()));
        }
        for (int g = 0; g < GEOID.length; g++) GEOID[g] = (float) (rnd.nextGaussian() * 30);
        ClassificationService svc = new ClassificationService();
        SERVICE = svc;
        String[] projects = {"EA-floodplain-2024", "NR-rail-corridor", "forestry-canopy-N", "city-3d-model", "coastal-erosion", "powerline-vegetation"};
        for (int i = 0; i < TILES; i++) {
            int e = 300_000 + (i % 140) * 1_000, n = 400_000 + (i / 140) * 1_000;
            svc.tileIds[i] = "SK" + e / 1_000 + "_" + n / 1_000;
            svc.tiles.put(svc.tileIds[i], new SurveyTile(svc.tileIds[i], projects[rnd.nextInt(projects.length)], e, n, 2_000_000L + rnd.nextInt(30_000_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int b = 0; b < DECODE_BUFFERS; b++) svc.decodeBuffers.add(new byte[262_144]);
        svc.start(Files.createTempDirectory("lidar-rules-"));

        Random arrivals = new Random(141_060_002), points = new Random(141_060_003), shades = new Random(141_060_004);
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < ARRIVALS_PER_MINUTE; k++) {
                svc.intake.addLast(new Arrival(svc.tileIds[arrivals.nextInt(TILES)], t + k * 2 * SECOND));
                svc.arrived++;
            }
            while (!svc.intake.isEmpty() && svc.intake.peekFirst().arrivedAt() <= t - QUEUE_LAG_MINUTES * MINUTE) svc.classify(svc.intake.pollFirst(), points, t);
            for (int k = 0; k < HILLSHADES_PER_MINUTE; k++) svc.hillshade(svc.tileIds[shades.nextInt(3_000)] + "/az315/z" + shades.nextInt(3), shades, t);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram("NotificationEmitterSupport", "URLClassLoader");
        System.gc();
        Thread.sleep(300); // let the notification thread deliver the last GC notification before the dump
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ClassificationService svc = SERVICE;
        int loaders = 0;
        for (Class<?> c : RuleRegistry.RULES.values()) if (c.getClassLoader() == RuleRegistry.loader) loaders++;
        System.out.println("crs " + CRS_BY_EPSG.size() + " geoid " + GEOID.length + " tiles " + svc.tiles.size() + " rules " + RuleRegistry.RULES.size() + " (" + loaders + " in "
                + RuleRegistry.loader.getName() + ") engine " + svc.engine.size() + " arrived " + svc.arrived + " classified " + svc.classified + " intake backlog " + svc.intake.size()
                + " rule calls " + svc.ruleCalls + " hillshades " + svc.hillshades.size() + " (renders " + svc.hillshadeRenders + ", hits " + svc.hillshadeHits + ", evicted " + svc.hillshades.evicted
                + ") decode buffers " + svc.decodeBuffers.size() + " throttle on " + svc.gcBean.getName() + " (paused " + svc.throttle.paused + ")");
        check(CRS_BY_EPSG.size() == CRS_COUNT && svc.tiles.size() == TILES, "reference data / directory");
        check(RuleRegistry.RULES.size() == RULE_COUNT && loaders == RULE_COUNT && svc.engine.size() == RULE_COUNT, "rule pack");
        check(svc.arrived == (long) ARRIVALS_PER_MINUTE * 60 * HOURS && svc.arrived == svc.classified + svc.intake.size() && svc.intake.size() == ARRIVALS_PER_MINUTE * (QUEUE_LAG_MINUTES + 1) - 1,
                "intake backlog");
        check(svc.ruleCalls == svc.classified * POINTS_PER_TILE * RULE_COUNT && svc.recent[RING - 1] != null, "classification");
        check(svc.hillshades.size() == HILLSHADE_CAP && svc.hillshades.evicted > 0 && svc.decodeBuffers.size() == DECODE_BUFFERS, "hillshade cache at cap / decode pool");
        check(svc.classified == 14_281 && svc.hillshadeRenders == 6_317 && svc.hillshadeHits == 883, "expected counts: classified " + svc.classified + " renders " + svc.hillshadeRenders);
    }
}
