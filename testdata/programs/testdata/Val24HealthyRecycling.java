// hprofscan-dump: name=val24-healthy-recycling jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val24-healthy-recycling-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 24 (written blind), HEALTHY: the control service of a materials recovery
 * (recycling) plant. Material reference data, the bale directory (each bale keeps its previous
 * weigh-in, one step back only: the older one is cut), an array-backed weighbridge outbox that
 * clears polled slots and compacts, a pickup-dispatch registry at steady concurrency (remove in
 * finally), a camera-frame cache at its cap, per-sorter-line scratch buffers and a conveyor
 * reading ring. Simulated period: 10 h. See testdata/VALIDATION24.md.
 */
public final class Val24HealthyRecycling {
    static final long HOUR = 3_600_000L;
    static final int MATERIALS = 1_500, BALES = 35_000, WEIGHINGS = 50_000, FRAME_CAP = 2_000, LINES = 8, RING = 32_768, PICKUPS = 20_000, CONCURRENCY = 30;

    record Material(String code, String grade, double[] priceCurve) {}
    record Frame(String key, byte[] jpeg) {}
    record Reading(int line, int sensor, double value, long at) {}
    record Message(String baleId, long grams, long at, byte[] ticket) {}
    static final class WeighIn { final long grams; final long at; WeighIn previous; WeighIn(long grams, long at, WeighIn previous) { this.grams = grams; this.at = at; this.previous = previous; } }
    static final class Bale { final String id; final String material; final int[] composition; final long createdAt; WeighIn lastWeighIn;
        Bale(String id, String material, int[] composition, long createdAt) { this.id = id; this.material = material; this.composition = composition; this.createdAt = createdAt; } }
    static final class SorterLine { final int id; final byte[] scratch = new byte[65_536]; long items; SorterLine(int id) { this.id = id; } }
    static final class Pickup { final String id; final String customer; final long at; volatile String status = "DISPATCHED"; Pickup(String id, String customer, long at) { this.id = id; this.customer = customer; this.at = at; } }

    /** Array-backed FIFO of weighbridge tickets for the ERP: polled slots are cleared, the array compacts. */
    static final class WeighbridgeOutbox {
        Object[] items = new Object[256];
        int head, tail;
        void offer(Object m) {
            if (tail == items.length) {
                int n = tail - head;
                if (head > 0) { System.arraycopy(items, head, items, 0, n); Arrays.fill(items, n, tail, null); head = 0; tail = n; }
                if (tail == items.length) items = Arrays.copyOf(items, items.length * 2);
            }
            items[tail++] = m;
        }
        Object poll() { if (head == tail) return null; Object m = items[head]; items[head++] = null; return m; }
        int size() { return tail - head; }
    }

    static final class DispatchRegistry {
        final ConcurrentHashMap<String, Pickup> active = new ConcurrentHashMap<>();
        long done, failed;
        void finish(Pickup p, boolean fails) {
            try {
                if (fails) throw new IllegalStateException("truck telematics lost for " + p.id);
                p.status = "COLLECTED";
                done++;
            } catch (IllegalStateException e) {
                p.status = "FAILED";
                failed++;
            } finally {
                active.remove(p.id);
            }
        }
    }

    static final class FrameCache extends LinkedHashMap<String, Frame> {
        long evicted;
        FrameCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Frame> e) { if (size() > FRAME_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class PlantService {
        final Map<String, Bale> bales = new HashMap<>();
        final WeighbridgeOutbox outbox = new WeighbridgeOutbox();
        final DispatchRegistry dispatch = new DispatchRegistry();
        final FrameCache frames = new FrameCache();
        final SorterLine[] lines = new SorterLine[LINES];
        final Reading[] readings = new Reading[RING];
        long readingCount, sent;
    }

    static PlantService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(24_060_001);
        String[] grades = {"PET-clear", "HDPE-natural", "OCC", "ONP", "alu-UBC", "steel-tin", "glass-flint"};
        for (int m = 0; m < MATERIALS; m++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 20 + rnd.nextDouble() * 900;
            String code = "MAT-" + (700 + m);
            MATERIALS_BY_CODE.put(code, new Material(code, grades[m % grades.length], curve));
        }
        PlantService svc = new PlantService();
        SERVICE = svc;
        for (int b = 0; b < BALES; b++) {
            String id = "BALE-" + (1_200_000 + b);
            int[] comp = new int[16];
            for (int k = 0; k < comp.length; k++) comp[k] = rnd.nextInt(1_000);
            svc.bales.put(id, new Bale(id, "MAT-" + (700 + rnd.nextInt(MATERIALS)), comp, now - (long) (1 + rnd.nextInt(90 * 24)) * HOUR));
        }
        for (int l = 0; l < LINES; l++) svc.lines[l] = new SorterLine(l);
        Random traffic = new Random(24_060_002);
        for (int w = 0; w < WEIGHINGS; w++) {
            long t = start + (now - start) * w / WEIGHINGS;
            Bale bale = svc.bales.get("BALE-" + (1_200_000 + traffic.nextInt(BALES)));
            WeighIn prev = bale.lastWeighIn;
            if (prev != null) prev.previous = null; // one step back is enough for the drift check
            bale.lastWeighIn = new WeighIn(400_000 + traffic.nextInt(400_000), t, prev);
            svc.outbox.offer(new Message(bale.id, bale.lastWeighIn.grams, t, new byte[128 + traffic.nextInt(128)]));
            if (svc.outbox.size() >= 200) for (int k = 0; k < 150; k++) { svc.outbox.poll(); svc.sent++; }
            SorterLine line = svc.lines[traffic.nextInt(LINES)];
            line.scratch[traffic.nextInt(65_536)] = (byte) w;
            line.items++;
            String key = "cam" + traffic.nextInt(LINES) + "/" + traffic.nextInt(4_000);
            if (svc.frames.get(key) == null) svc.frames.put(key, new Frame(key, new byte[1_024 + traffic.nextInt(1_536)]));
            svc.readings[(int) (svc.readingCount++ % RING)] = new Reading(line.id, traffic.nextInt(64), traffic.nextDouble() * 100, t);
        }
        ArrayDeque<Pickup> window = new ArrayDeque<>();
        for (int p = 0; p < PICKUPS; p++) {
            long t = start + (now - start) * p / PICKUPS;
            Pickup pk = new Pickup("PU-" + (40_000_000 + p), "CUST-" + traffic.nextInt(5_000), t);
            svc.dispatch.active.put(pk.id, pk);
            window.add(pk);
            if (window.size() > CONCURRENCY) svc.dispatch.finish(window.poll(), traffic.nextInt(100) < 9);
        }
        long weighed = 0, chained = 0;
        for (Bale b : svc.bales.values()) {
            if (b.lastWeighIn != null) { weighed++; if (b.lastWeighIn.previous != null) { chained++; if (b.lastWeighIn.previous.previous != null) throw new IllegalStateException("chain"); } }
        }
        int outboxSlots = 0;
        for (Object o : svc.outbox.items) if (o != null) outboxSlots++;
        long lineItems = 0;
        for (SorterLine l : svc.lines) lineItems += l.items;
        System.out.println("materials " + MATERIALS_BY_CODE.size() + " bales " + svc.bales.size() + " weighed " + weighed + " with previous " + chained + " outbox " + svc.outbox.size()
                + " (slots " + outboxSlots + ", array " + svc.outbox.items.length + ", sent " + svc.sent + ") pickups active " + svc.dispatch.active.size() + " done " + svc.dispatch.done
                + " failed " + svc.dispatch.failed + " frames " + svc.frames.size() + " (evicted " + svc.frames.evicted + ") readings " + svc.readingCount + " line items " + lineItems);
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.bales.size() == BALES, "reference data / directory");
        check(weighed == 26_522 && chained == 14_625, "weigh-ins " + weighed + " / " + chained); // seeded
        check(svc.outbox.size() == outboxSlots && svc.outbox.size() < 200 && svc.sent + svc.outbox.size() == WEIGHINGS && svc.outbox.items.length == 256, "outbox " + svc.outbox.size());
        check(svc.dispatch.active.size() == CONCURRENCY && svc.dispatch.done + svc.dispatch.failed == PICKUPS - CONCURRENCY && svc.dispatch.failed > 0, "dispatch registry");
        check(svc.frames.size() == FRAME_CAP && svc.frames.evicted > 0, "frame cache at its cap");
        check(svc.readingCount == WEIGHINGS && svc.readings[RING - 1] != null && lineItems == WEIGHINGS, "reading ring / lines");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
