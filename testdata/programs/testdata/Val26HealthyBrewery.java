// hprofscan-dump: name=val26-healthy-brewery jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-healthy-brewery-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 26 (written blind), HEALTHY: the production service of a craft brewery group.
 * Recipe reference data, the batch directory (every batch of the last years, with its brew log),
 * a secondary index of active batches by tank that is updated when a batch is packaged, a
 * per-sensor sequence window (int[65,536], indexed by sequence modulo the window and rebased as
 * readings are acknowledged), a label-render cache at its cap, a pool of buffers, and a ring of
 * sensor readings. See testdata/VALIDATION26.md.
 */
public final class Val26HealthyBrewery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RECIPES = 2_000, BATCHES = 30_000, TANKS = 600, LABEL_CAP = 2_500, POOL = 10, RING = 16_384, WINDOW = 65_536, READINGS = 600_000;

    record Recipe(String code, String style, double[] mashProfile) {}
    record Batch(String id, String recipe, int tank, byte[] brewLog, long brewedAt) {}
    record Label(String key, byte[] png, long at) {}
    record Reading(long seq, int tank, float gravity, float tempC, long at) {}

    static final class TankIndex {
        final Map<Integer, List<Batch>> activeByTank = new HashMap<>();
        void start(Batch b) { activeByTank.computeIfAbsent(b.tank(), k -> new ArrayList<>()).add(b); }
        void packaged(Batch b) { List<Batch> l = activeByTank.get(b.tank()); l.remove(b); if (l.isEmpty()) activeByTank.remove(b.tank()); }
        int size() { int n = 0; for (List<Batch> l : activeByTank.values()) n += l.size(); return n; }
    }

    static final class SequenceWindow {
        final int[] pendingAttempts = new int[WINDOW];
        long base, next;
        SequenceWindow(long first) { base = first; next = first; }
        void sent(long seq) { if (seq - base >= WINDOW) throw new IllegalStateException("window full"); pendingAttempts[(int) (seq % WINDOW)] = 1; next = seq + 1; }
        void ackedUpTo(long seq) { while (base <= seq) { pendingAttempts[(int) (base % WINDOW)] = 0; base++; } }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Recipe> RECIPES_BY_CODE = new HashMap<>();

    static final class ProductionService {
        final Map<String, Batch> batches = new HashMap<>();
        final TankIndex tanks = new TankIndex();
        final SequenceWindow sensorWindow = new SequenceWindow(5_000_000_000L);
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingCount;
    }

    static ProductionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int hours = 10;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_060_001);
        String[] styles = {"IPA", "stout", "pils", "saison", "sour", "porter", "lager", "weizen"};
        for (int r = 0; r < RECIPES; r++) {
            double[] mash = new double[120];
            for (int k = 0; k < mash.length; k++) mash[k] = 40 + rnd.nextDouble() * 40;
            String code = "RC-" + (10_000 + r);
            RECIPES_BY_CODE.put(code, new Recipe(code, styles[r % styles.length], mash));
        }
        ProductionService svc = new ProductionService();
        SERVICE = svc;
        List<Batch> active = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            String id = "BT-" + (900_000 + b);
            Batch batch = new Batch(id, "RC-" + (10_000 + rnd.nextInt(RECIPES)), rnd.nextInt(TANKS), new byte[200 + rnd.nextInt(200)], now - (long) (BATCHES - b) * 2 * HOUR);
            svc.batches.put(id, batch);
            if (b >= BATCHES - 1_000) { svc.tanks.start(batch); active.add(batch); }
        }
        for (int p = 0; p < POOL; p++) svc.buffers.add(new byte[32_768]);
        Random traffic = new Random(26_060_002);
        int packaged = 0;
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - start) * i / READINGS;
            long seq = 5_000_000_000L + i;
            svc.sensorWindow.sent(seq);
            if (i % 64 == 63) svc.sensorWindow.ackedUpTo(seq - 32);
            int tank = traffic.nextInt(TANKS);
            if (i % 1_000 == 999 && !active.isEmpty()) { Batch done = active.remove(traffic.nextInt(active.size())); svc.tanks.packaged(done); packaged++; }
            if ((i & 31) == 0) { String key = "L-" + traffic.nextInt(30_000); if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[800 + traffic.nextInt(800)], t)); }
            byte[] buf = svc.buffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.buffers.add(buf);
            svc.readings[(int) (svc.readingCount++ % RING)] = new Reading(seq, tank, 1.010f + traffic.nextFloat() * 0.05f, 10 + traffic.nextFloat() * 12, t);
        }
        long inWindow = svc.sensorWindow.next - svc.sensorWindow.base;
        System.out.println("recipes " + RECIPES_BY_CODE.size() + " batches " + svc.batches.size() + " active in tank index " + svc.tanks.size() + " (packaged " + packaged + ") window pending " + inWindow
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.buffers.size() + " readings " + svc.readingCount);
        check(RECIPES_BY_CODE.size() == RECIPES && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.tanks.size() == 1_000 - packaged && packaged == 600, "tank index");
        check(inWindow == 32, "window " + inWindow);
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.buffers.size() == POOL, "pool");
        check(svc.readingCount == READINGS && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
