// hprofscan-dump: name=val19-healthy-winery jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val19-healthy-winery-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 19 (written blind), HEALTHY: the cellar management system of a large winery.
 * Look-alikes of leak shapes, all legitimate: a bounded label/lot-code interner at its cap; a
 * Class-keyed record-codec schema cache over the application's own classes only; tank probe
 * channels that own a (simulated) native handle released by a {@link Cleaner}, opened per poll
 * and dropped, whose cleanup keeps up (only the streaming channels are open at the dump); a large
 * fixed worker pool with a per-thread scratch buffer. Also: the barrel registry, vineyard blocks
 * and tank registry (reference data), the lab result cache at its cap, the label buffer pool and
 * the cellar event ring (full, wrapping). See testdata/VALIDATION19.md.
 */
public final class Val19HealthyWinery {
    static final int BARRELS = 45_000;
    static final int BLOCKS = 12_000;
    static final int TANKS = 900;
    static final int STREAMING = 96;
    static final int INTERNER_CAP = 20_000;
    static final int LAB_CAP = 4_000;
    static final int RING = 8_192;
    static final int LABEL_BUFFERS = 40;
    static final int WORKERS = 24;
    static final int POLLS = 30_000;
    static final long SIM_HOURS = 9;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static CellarService CELLAR;

    static final AtomicInteger HANDLES_OPENED = new AtomicInteger();
    static final AtomicInteger HANDLES_RELEASED = new AtomicInteger();

    static final class Barrel { final String id; final String cooperage; final String oak; final int toast; final int litres; final int[] fillHistory; String stencil;
        Barrel(String id, String cooperage, String oak, int toast, int litres, int[] fillHistory) { this.id = id; this.cooperage = cooperage; this.oak = oak; this.toast = toast; this.litres = litres; this.fillHistory = fillHistory; } }
    static final class VineyardBlock { final int id; final String name; final String varietal; final double hectares; final float[] weeklyBrix;
        VineyardBlock(int id, String name, String varietal, double hectares, float[] weeklyBrix) { this.id = id; this.name = name; this.varietal = varietal; this.hectares = hectares; this.weeklyBrix = weeklyBrix; } }
    static final class Tank { final int id; final String name; final int capacityLitres; final float[] temperatures = new float[288]; int pos; String lotCode;
        Tank(int id, String name, int capacityLitres) { this.id = id; this.name = name; this.capacityLitres = capacityLitres; } }
    static final class LabResult { final String lotCode; final long sampledAt; final double alcohol; final double ph; final double[] chromatogram;
        LabResult(String lotCode, long sampledAt, double alcohol, double ph, double[] chromatogram) { this.lotCode = lotCode; this.sampledAt = sampledAt; this.alcohol = alcohol; this.ph = ph; this.chromatogram = chromatogram; } }
    static final class CellarEvent { final long at; final String kind; final String lotCode; final int tankId; final double value;
        CellarEvent(long at, String kind, String lotCode, int tankId, double value) { this.at = at; this.kind = kind; this.lotCode = lotCode; this.tankId = tankId; this.value = value; } }
    static final class BottlingRun { final String lotCode; final int bottles; final long plannedAt; BottlingRun(String lotCode, int bottles, long plannedAt) { this.lotCode = lotCode; this.bottles = bottles; this.plannedAt = plannedAt; } }
    static final class Shipment { final long id; final String customer; final int cases; Shipment(long id, String customer, int cases) { this.id = id; this.customer = customer; this.cases = cases; } }
    static final class LabelBuffer { final byte[] bytes = new byte[16 * 1024]; int used; }

    /** Reference data, loaded at startup. */
    static final class BarrelRegistry { static final Map<String, Barrel> BY_ID = new HashMap<>(); static final List<Barrel> ALL = new ArrayList<>(); }
    static final class Vineyard { static final Map<Integer, VineyardBlock> BLOCKS_BY_ID = new HashMap<>(); }

    /** A bounded interner of label texts and lot codes (access order, at its cap). */
    static final class LabelInterner extends LinkedHashMap<String, String> {
        long evicted, hits;
        LabelInterner() { super(32_768, 0.75f, true); }
        String intern(String s) { String c = get(s); if (c != null) { hits++; return c; } put(s, s); return s; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { if (size() > INTERNER_CAP) { evicted++; return true; } return false; }
    }

    static final class LabCache extends LinkedHashMap<String, LabResult> {
        long evicted;
        LabCache() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabResult> e) { if (size() > LAB_CAP) { evicted++; return true; } return false; }
    }

    /** Schema of one record class, for the binary export codec; keyed by the application's own classes. */
    static final class Schema { final Class<?> type; final Field[] fields; final byte[][] names; final int version;
        Schema(Class<?> type, Field[] fields, byte[][] names, int version) { this.type = type; this.fields = fields; this.names = names; this.version = version; } }
    static final class RecordCodec {
        static final Map<Class<?>, Schema> SCHEMAS = new ConcurrentHashMap<>();
        static Schema schema(Class<?> c) {
            return SCHEMAS.computeIfAbsent(c, k -> {
                List<Field> fs = new ArrayList<>();
                for (Field f : k.getDeclaredFields()) if (!Modifier.isStatic(f.getModifiers())) fs.add(f);
                byte[][] names = new byte[fs.size()][];
                for (int i = 0; i < names.length; i++) names[i] = fs.get(i).getName().getBytes(StandardCharsets.UTF_8);
                return new Schema(k, fs.toArray(new Field[0]), names, 3);
            });
        }
        static int encode(Object o) { Schema s = schema(o.getClass()); int n = 0; for (byte[] b : s.names) n += b.length + 8; return n; }
    }

    /** The probe's native state: what the cleaning action needs (never the channel itself). */
    static final class ProbeHandle implements Runnable {
        final long handle; final int tankId;
        ProbeHandle(long handle, int tankId) { this.handle = handle; this.tankId = tankId; HANDLES_OPENED.incrementAndGet(); }
        @Override public void run() { HANDLES_RELEASED.incrementAndGet(); }
    }

    /** A channel to a tank probe; its native handle is released by the cleaner when it is dropped. */
    static final class ProbeChannel {
        static final Cleaner CLEANER = Cleaner.create();
        final ProbeHandle state; final Cleaner.Cleanable cleanable; final byte[] rx = new byte[1_024];
        ProbeChannel(long handle, int tankId) { state = new ProbeHandle(handle, tankId); cleanable = CLEANER.register(this, state); }
        float read(Random rnd) { rx[0] = (byte) rnd.nextInt(); return 10 + rnd.nextFloat() * 18; }
    }

    static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[4_096]);

    static final class CellarService {
        final Map<Integer, Tank> tanks = new HashMap<>();
        final Map<Integer, ProbeChannel> streaming = new HashMap<>();
        final LabelInterner interner = new LabelInterner();
        final LabCache lab = new LabCache();
        final CellarEvent[] events = new CellarEvent[RING];
        final ArrayBlockingQueue<LabelBuffer> labelBuffers = new ArrayBlockingQueue<>(LABEL_BUFFERS);
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "cellar-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long eventsWritten, exportedBytes, labRuns, polls;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(19_060_001);
        CellarService svc = new CellarService();
        CELLAR = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("cellar.alarm.tank-group" + i, Double.toString(24.5 + i % 4));
        String[] cooperages = {"Seguin Moreau", "Taransaud", "Francois Freres", "Demptos", "Radoux"};
        String[] oaks = {"French oak, Allier", "French oak, Troncais", "American oak", "Hungarian oak"};
        for (int i = 0; i < BARRELS; i++) {
            int[] fills = new int[24];
            for (int k = 0; k < fills.length; k++) fills[k] = rnd.nextInt(3_000);
            String id = "BRL-" + (500_000 + i);
            Barrel b = new Barrel(id, cooperages[i % cooperages.length], oaks[i % oaks.length], 1 + i % 3, 225, fills);
            BarrelRegistry.BY_ID.put(id, b);
            BarrelRegistry.ALL.add(b);
        }
        String[] varietals = {"Cabernet Sauvignon", "Merlot", "Chardonnay", "Pinot Noir", "Syrah", "Riesling", "Tempranillo"};
        for (int i = 0; i < BLOCKS; i++) {
            float[] brix = new float[52];
            for (int k = 0; k < brix.length; k++) brix[k] = 5 + rnd.nextFloat() * 22;
            Vineyard.BLOCKS_BY_ID.put(i, new VineyardBlock(i, "Block " + (i / 40) + "-" + (i % 40), varietals[i % varietals.length], 0.5 + rnd.nextDouble() * 4, brix));
        }
        for (int t = 0; t < TANKS; t++) svc.tanks.put(t, new Tank(t, "Tank " + t, 5_000 + 1_000 * (t % 20)));
        for (int t = 0; t < STREAMING; t++) svc.streaming.put(t, new ProbeChannel(9_000_000L + t, t));
        for (int i = 0; i < LABEL_BUFFERS; i++) svc.labelBuffers.add(new LabelBuffer());
        CyclicBarrier ready = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) warm.add(svc.workers.submit(() -> { ready.await(); SCRATCH.get()[0] = 1; return null; }));
        for (Future<?> f : warm) f.get();

        String[] kinds = {"TEMP", "PUMPOVER", "TOPUP", "RACKING", "SO2", "TASTING"};
        Object[] exportSamples = {BarrelRegistry.ALL.get(0), Vineyard.BLOCKS_BY_ID.get(0), svc.tanks.get(0), null, null, null, null, null};
        for (int i = 0; i < POLLS; i++) {
            long t = start + (now - start) * i / POLLS;
            int tankId = rnd.nextInt(TANKS);
            Tank tank = svc.tanks.get(tankId);
            // A poll of a tank that is not streaming opens a short-lived probe channel and drops it.
            ProbeChannel ch = svc.streaming.get(tankId);
            if (ch == null) ch = new ProbeChannel(10_000_000L + i, tankId);
            tank.temperatures[tank.pos++ % tank.temperatures.length] = ch.read(rnd);
            svc.polls++;
            String lot = svc.interner.intern("LOT-" + (2020 + rnd.nextInt(6)) + "-" + varietals[rnd.nextInt(varietals.length)].substring(0, 3).toUpperCase() + "-" + rnd.nextInt(1_100));
            tank.lotCode = lot;
            Barrel barrel = BarrelRegistry.ALL.get(rnd.nextInt(BARRELS));
            barrel.stencil = svc.interner.intern(barrel.cooperage + " / " + barrel.oak + " / toast " + barrel.toast);
            CellarEvent ev = new CellarEvent(t, kinds[rnd.nextInt(kinds.length)], lot, tankId, rnd.nextDouble() * 100);
            svc.events[(int) (svc.eventsWritten++ % RING)] = ev;
            if (rnd.nextInt(3) == 0) {
                LabResult r = svc.lab.get(lot);
                if (r == null) { double[] chrom = new double[64]; for (int k = 0; k < chrom.length; k++) chrom[k] = rnd.nextDouble(); r = new LabResult(lot, t, 11 + rnd.nextDouble() * 4, 3.2 + rnd.nextDouble() * 0.6, chrom); svc.lab.put(lot, r); svc.labRuns++; }
            }
            if (i % 5 == 0) {
                LabelBuffer buf = svc.labelBuffers.poll();
                exportSamples[3] = ev;
                exportSamples[4] = new BottlingRun(lot, 600 + rnd.nextInt(6_000), t + 24 * HOUR);
                exportSamples[5] = new Shipment(i, "Distributor " + rnd.nextInt(300), 10 + rnd.nextInt(200));
                exportSamples[6] = svc.lab.get(lot);
                exportSamples[7] = BarrelRegistry.ALL.get(rnd.nextInt(BARRELS));
                for (Object o : exportSamples) if (o != null) svc.exportedBytes += RecordCodec.encode(o);
                if (buf != null) { buf.used = 1; svc.labelBuffers.add(buf); }
            }
            if (i % 1_000 == 999) System.gc(); // traffic; dropped channels are discovered and cleaned
        }
        exportSamples = null;
        long deadline = System.currentTimeMillis() + 20_000;
        while (HANDLES_RELEASED.get() < HANDLES_OPENED.get() - STREAMING && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(20); }
        int opened = HANDLES_OPENED.get(), released = HANDLES_RELEASED.get();
        System.out.println("barrels " + BarrelRegistry.BY_ID.size() + " blocks " + Vineyard.BLOCKS_BY_ID.size() + " tanks " + svc.tanks.size() + " polls " + svc.polls + " probe handles opened " + opened + " released " + released + " open " + (opened - released) + " (streaming " + svc.streaming.size() + ") interner " + svc.interner.size() + " (evicted " + svc.interner.evicted + ", hits " + svc.interner.hits + ") lab cache " + svc.lab.size() + " (runs " + svc.labRuns + ", evicted " + svc.lab.evicted + ") schemas " + RecordCodec.SCHEMAS.size() + " events " + svc.eventsWritten + " label buffers " + svc.labelBuffers.size());
        check(BarrelRegistry.BY_ID.size() == BARRELS && Vineyard.BLOCKS_BY_ID.size() == BLOCKS && svc.tanks.size() == TANKS, "reference data");
        check(opened - released == STREAMING && svc.streaming.size() == STREAMING, "cleaner kept up");
        check(svc.interner.size() == INTERNER_CAP && svc.interner.evicted > 0, "interner at its cap");
        check(svc.lab.size() == LAB_CAP && svc.lab.evicted == svc.labRuns - LAB_CAP, "lab cache at its cap");
        for (Class<?> c : RecordCodec.SCHEMAS.keySet()) check(c.getClassLoader() == Val19HealthyWinery.class.getClassLoader() && c.getName().startsWith("testdata.Val19HealthyWinery$"), "schemas of own classes");
        check(RecordCodec.SCHEMAS.size() == 7, "schema count");
        check(svc.eventsWritten == POLLS && svc.labelBuffers.size() == LABEL_BUFFERS && svc.workers.getPoolSize() == WORKERS, "ring, pool, threads");
        LeakCheck.histogram("jdk.internal.ref.CleanerImpl$PhantomCleanableRef ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
